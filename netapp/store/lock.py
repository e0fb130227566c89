"""Who has a database open: every Store holds a shared lock on ``.<db name>.lock``.

SQLite's own locks cannot tell whether an idle connection is open, so replacing the file
(``netapp encrypt`` / ``decrypt``) first takes this lock exclusively and refuses if any
netapp window or command still has the database open. The lock is a separate file because
closing any descriptor of the database file itself would drop SQLite's POSIX locks.
On systems without ``fcntl`` (Windows) the check is skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from netapp.errors import DatabaseError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # no fcntl on Windows; callers test for None


def lock_path(db_path: Path) -> Path:
    return Path(db_path).with_name(f".{Path(db_path).name}.lock")


def _open(db_path: Path) -> int | None:
    if fcntl is None or str(db_path) == ":memory:":
        return None
    try:
        return os.open(lock_path(db_path), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None  # a read-only directory: no lock, SQLite still guards the data


def hold_shared(db_path: Path) -> int | None:
    """Take the shared 'open' lock; returns the descriptor to pass to :func:`release`."""
    fd = _open(db_path)
    if fd is not None and fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            # Someone is converting the file right now.
            os.close(fd)
            raise DatabaseError(
                f"{db_path} is being converted (encrypt/decrypt); try again in a moment"
            ) from None
    return fd


def release(fd: int | None) -> None:
    if fd is not None:
        with suppress(OSError):
            os.close(fd)


@contextmanager
def exclusive(db_path: Path) -> Iterator[None]:
    """Hold the lock exclusively, or raise DatabaseError if the database is open elsewhere."""
    fd = _open(db_path)
    if fd is not None and fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise DatabaseError(
                f"{db_path} is in use by another netapp window or command; close it and try again"
            ) from None
    try:
        yield
    finally:
        release(fd)
