"""Named errors raised by the core. Each carries a one-line, user-facing message."""

from __future__ import annotations


class NetappError(Exception):
    """Base class: every error the core raises on purpose."""


class NotFoundError(NetappError):
    """A person, meeting, group or other record does not exist."""


def reads_on(message: str) -> bool:
    """True for a message written to follow its field's name: "is empty", "must be at most 10"."""
    return message.startswith(("is ", "must "))


def with_name(name: str, message: str) -> str:
    """``message`` after the name of its field: "value must be at most 10" when the message
    reads on from the name (:func:`reads_on`), "value: 'x' is not an amount" otherwise."""
    return f"{name} {message}" if reads_on(message) else f"{name}: {message}"


class ValidationError(NetappError):
    """A value is not acceptable. ``field`` names the field at fault; ``message`` says what is
    wrong, either reading on from the field's name ("must be at most 10") or on its own."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(with_name(field, message))


class AmbiguousError(NetappError):
    """A reference (such as a display name) matches more than one record."""


class NewerSchemaError(NetappError):
    """The database was written by a newer netapp; it is left untouched."""


class LockedError(NetappError):
    """Another process kept the database locked past the retry window."""


class DatabaseError(NetappError):
    """The file is not a usable netapp database (corrupt, not SQLite, wrong passphrase)."""


class DamagedDatabaseError(DatabaseError):
    """SQLite found the file corrupt, or not a database at all (restore a backup)."""


class FileAccessError(NetappError):
    """The database file (or its folder) cannot be read or written: permissions, a read-only
    disk, an I/O error. The message names the file."""


class DiskFullError(NetappError):
    """The disk is full; the write was rolled back."""
