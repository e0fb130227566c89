"""SQLCipher at the connection level: detect an encrypted file, open it with its key.

An encrypted netapp database is an ordinary SQLCipher 4 file (the ``sqlcipher3`` wheel,
imported lazily). :func:`connect` opens it and hands the Store a connection that behaves like a
stdlib ``sqlite3`` connection: errors are translated to the ``sqlite3`` exception classes (with
their ``sqlite_errorcode``), so the rest of netapp (and sqlite-utils) never needs to know whether
the file is encrypted. Converting a whole file between plain and encrypted is a feature
(:mod:`netapp.safety.crypto`) built on this.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

from netapp.errors import DatabaseError, NetappError

SQLITE_MAGIC = b"SQLite format 3\x00"

_ERROR_NAMES = (
    "Warning",
    "InterfaceError",
    "DataError",
    "OperationalError",
    "IntegrityError",
    "InternalError",
    "ProgrammingError",
    "NotSupportedError",
    "DatabaseError",
    "Error",
)


class PassphraseError(DatabaseError):
    """The database is encrypted and no passphrase, or the wrong one, was given."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


class CryptoUnavailableError(NetappError):
    """SQLCipher support (the ``sqlcipher3-binary`` package) is not installed."""


def sqlcipher_module() -> Any:
    """The ``sqlcipher3`` module, or CryptoUnavailableError when it is not installed."""
    try:
        import sqlcipher3
    except ImportError:
        raise CryptoUnavailableError(
            "encryption needs the sqlcipher3-binary package: pip install 'netapp[crypto]'"
        ) from None
    return sqlcipher3


def available() -> bool:
    """Whether SQLCipher support is installed (the app greys out encryption without it)."""
    try:
        sqlcipher_module()
    except CryptoUnavailableError:
        return False
    return True


# SQLCipher writes whole pages (512 to 65536 bytes, 4096 by default) of what looks like
# random bytes; a text file, or anything of another size, is not an encrypted database.
_MIN_PAGE = 512


def file_kind(path: str | os.PathLike[str]) -> str:
    """What ``path`` holds: ``missing``, ``empty``, ``folder``, ``sqlite`` (a plain SQLite
    file), ``encrypted`` (whole pages that do not start with SQLite's header) or ``other``
    (a text file, or bytes of a size no database has)."""
    p = Path(path)
    try:
        if p.is_dir():
            return "folder"
        size = p.stat().st_size
        with p.open("rb") as fh:
            head = fh.read(64)
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "other"
    if size == 0:
        return "empty"
    if head[: len(SQLITE_MAGIC)] == SQLITE_MAGIC:
        return "sqlite"
    if size % _MIN_PAGE or _looks_like_text(head):
        return "other"
    return "encrypted"


def _looks_like_text(head: bytes) -> bool:
    printable = sum(1 for b in head if 32 <= b < 127 or b in (9, 10, 13))
    return printable == len(head)


def is_encrypted_file(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` looks like a SQLCipher database (see :func:`file_kind`)."""
    return file_kind(path) == "encrypted"


def quote(value: str) -> str:
    """Quote a string as an SQL literal (PRAGMA key and ATTACH … KEY take no parameters)."""
    if "\x00" in value:
        raise PassphraseError("a passphrase cannot contain a NUL character")
    return "'" + value.replace("'", "''") + "'"


# -- a sqlcipher3 connection that raises sqlite3 exceptions -------------------------------


def _translate(exc: BaseException) -> BaseException:
    for name in _ERROR_NAMES:
        cls = getattr(sys.modules["sqlcipher3"], name, None)
        if cls is not None and type(exc) is cls:
            new = getattr(sqlite3, name)(*exc.args)
            for attr in ("sqlite_errorcode", "sqlite_errorname"):
                if hasattr(exc, attr):
                    setattr(new, attr, getattr(exc, attr))
            return new
    return exc


def _call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        new = _translate(exc)
        if new is exc:
            raise
        raise new from exc


class CipherCursor:
    """A cursor proxy that raises ``sqlite3`` exceptions."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, sql: str, *args: Any) -> CipherCursor:
        _call(self._cursor.execute, sql, *args)
        return self

    def executemany(self, sql: str, seq: Any) -> CipherCursor:
        _call(self._cursor.executemany, sql, seq)
        return self

    def executescript(self, sql: str) -> CipherCursor:
        _call(self._cursor.executescript, sql)
        return self

    def fetchone(self) -> Any:
        return _call(self._cursor.fetchone)

    def fetchmany(self, size: int | None = None) -> list[Any]:
        if size is None:
            return list(_call(self._cursor.fetchmany))
        return list(_call(self._cursor.fetchmany, size))

    def fetchall(self) -> list[Any]:
        return list(_call(self._cursor.fetchall))

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        return _call(self._cursor.__next__)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


class CipherConnection:
    """Wraps a ``sqlcipher3`` connection so that it looks like a ``sqlite3`` one."""

    _own = frozenset({"raw", "passphrase"})

    def __init__(self, raw: Any, passphrase: str) -> None:
        object.__setattr__(self, "raw", raw)
        object.__setattr__(self, "passphrase", passphrase)

    def execute(self, sql: str, *args: Any) -> CipherCursor:
        return CipherCursor(_call(self.raw.execute, sql, *args))

    def executemany(self, sql: str, seq: Any) -> CipherCursor:
        return CipherCursor(_call(self.raw.executemany, sql, seq))

    def executescript(self, sql: str) -> CipherCursor:
        return CipherCursor(_call(self.raw.executescript, sql))

    def cursor(self) -> CipherCursor:
        return CipherCursor(self.raw.cursor())

    def commit(self) -> None:
        _call(self.raw.commit)

    def rollback(self) -> None:
        _call(self.raw.rollback)

    def close(self) -> None:
        _call(self.raw.close)

    def backup(self, target: Any, **kwargs: Any) -> None:
        _call(self.raw.backup, getattr(target, "raw", target), **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.raw, name, value)


def connect_raw(path: str | os.PathLike[str], passphrase: str, **kwargs: Any) -> Any:
    """Open ``path`` with SQLCipher and the key; raise PassphraseError if the key is wrong."""
    mod = sqlcipher_module()
    raw = mod.connect(str(path), **kwargs)
    try:
        raw.execute("PRAGMA cipher_log_level = NONE")
        raw.execute(f"PRAGMA key = {quote(passphrase)}")
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except mod.DatabaseError:
        raw.close()
        raise PassphraseError(
            f"{path}: wrong passphrase (or not a netapp database). Nothing was changed."
        ) from None
    return raw


def connect(path: str | os.PathLike[str], passphrase: str, **kwargs: Any) -> sqlite3.Connection:
    """An encrypted connection that the Store and sqlite-utils can use like ``sqlite3``."""
    conn = CipherConnection(connect_raw(path, passphrase, **kwargs), passphrase)
    return cast(sqlite3.Connection, conn)  # duck-typed: it forwards to sqlcipher3's connection


def connection_passphrase(conn: Any) -> str | None:
    """The passphrase of an encrypted connection, or None for a plain one."""
    return conn.passphrase if isinstance(conn, CipherConnection) else None


def open_any(path: str | os.PathLike[str], passphrase: str | None) -> Any:
    """A connection to a plain or encrypted file (for backups and checks)."""
    if is_encrypted_file(path):
        if not passphrase:
            raise PassphraseError(f"{path} is encrypted: a passphrase is needed", missing=True)
        return connect(path, passphrase, isolation_level=None)
    return sqlite3.connect(str(path), isolation_level=None)
