"""Optional encryption at rest with SQLCipher (the ``sqlcipher3`` wheel, imported lazily).

An encrypted netapp database is an ordinary SQLCipher 4 file. :func:`connect` opens it and
hands the Store a connection that behaves like a stdlib ``sqlite3`` connection: errors are
translated to the ``sqlite3`` exception classes, so the rest of netapp (and sqlite-utils)
never needs to know whether the file is encrypted.

:func:`encrypt` and :func:`decrypt` convert a database in place with ``sqlcipher_export``.
They write the converted copy next to the database, check it, keep a backup of the original
and only then swap the files, so a crash half-way leaves the original untouched.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

from netapp.errors import DatabaseError, NetappError, ValidationError

SQLITE_MAGIC = b"SQLite format 3\x00"
ENV_PASSPHRASE = "NETAPP_PASSPHRASE"

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


def _sqlcipher() -> Any:
    try:
        import sqlcipher3
    except ImportError:
        raise CryptoUnavailableError(
            "encryption needs the sqlcipher3-binary package: pip install 'netapp[crypto]'"
        ) from None
    return sqlcipher3


MIN_PASSPHRASE = 8


def available() -> bool:
    """Whether SQLCipher support is installed (the app greys out encryption without it)."""
    try:
        _sqlcipher()
    except CryptoUnavailableError:
        return False
    return True


def check_new_passphrase(passphrase: str, again: str) -> None:
    """A new passphrase must be typed the same twice and be long enough to resist guessing.

    There is no recovery: a lost passphrase means the data is gone (docs/data-safety.md).
    """
    if not passphrase:
        raise ValidationError("passphrase", "must not be empty")
    if passphrase != again:
        raise ValidationError("passphrase", "the two entries differ")
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError("passphrase", f"use at least {MIN_PASSPHRASE} characters")


def is_encrypted_file(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` exists, is not empty and does not start with the plain SQLite header."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(16)
    except (FileNotFoundError, IsADirectoryError):
        return False
    return len(head) > 0 and head != SQLITE_MAGIC


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
    mod = _sqlcipher()
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


# -- the passphrase for the command line ------------------------------------------------


def cli_passphrase(db_path: Path, *, prompt: Callable[[str], str] = getpass.getpass) -> str | None:
    """The passphrase the command line should use for ``db_path``.

    ``NETAPP_PASSPHRASE`` wins (and makes a *new* database encrypted). An existing encrypted
    file without it gets a prompt when a terminal is attached, else a clear error.
    """
    env = os.environ.get(ENV_PASSPHRASE)
    if env:
        return env
    if not is_encrypted_file(db_path):
        return None
    if not sys.stdin.isatty():
        raise PassphraseError(
            f"{db_path} is encrypted: set {ENV_PASSPHRASE} or run the command in a terminal",
            missing=True,
        )
    return prompt(f"Passphrase for {db_path}: ")


# -- converting between plain and encrypted ---------------------------------------------


def _tmp_for(db_path: Path, what: str) -> Path:
    tmp = db_path.with_name(f".{db_path.name}.{what}.tmp")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    return tmp


def _take_exclusive(conn: Any, db_path: Path) -> None:
    """Checkpoint the WAL and leave WAL mode: this fails if anyone else has the file open."""
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except Exception as exc:  # sqlcipher3 or sqlite3 OperationalError
        raise DatabaseError(
            f"{db_path} is in use by another netapp window or command; close it and try again "
            f"({exc})"
        ) from None
    if str(mode).lower() != "delete":
        raise DatabaseError(
            f"{db_path} is in use by another netapp window or command; close it and try again"
        )


def _row_counts(conn: Any) -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
    return {n: int(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]) for n in names}


def _verify(path: Path, passphrase: str | None, expected: dict[str, int]) -> None:
    conn = open_any(path, passphrase)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        counts = _row_counts(conn)
    finally:
        conn.close()
    if ok != "ok" or counts != expected:
        raise DatabaseError(
            f"{path}: the converted copy did not check out ({ok}); the original is unchanged"
        )


def _convert(db_path: Path, old: str | None, new: str | None, kind: str) -> Path:
    from netapp.safety.lock import exclusive

    db_path = Path(db_path)
    if not db_path.exists():
        raise DatabaseError(f"{db_path}: no such database")
    with exclusive(db_path):
        return _convert_locked(db_path, old, new, kind)


def _convert_locked(db_path: Path, old: str | None, new: str | None, kind: str) -> Path:
    from netapp.safety.backup import backup_file

    mod = _sqlcipher()
    src = (
        connect_raw(db_path, old, isolation_level=None)
        if old is not None
        else mod.connect(str(db_path), isolation_level=None)
    )
    tmp: Path | None = None
    try:
        _take_exclusive(src, db_path)
        expected = _row_counts(src)
        backup = backup_file(db_path, kind=f"pre-{kind}", passphrase=old, conn=src)
        tmp = _tmp_for(db_path, kind)
        src.execute(f"ATTACH DATABASE {quote(str(tmp))} AS converted KEY {quote(new or '')}")
        src.execute("SELECT sqlcipher_export('converted')")
        version = src.execute("PRAGMA main.user_version").fetchone()[0]
        src.execute(f"PRAGMA converted.user_version = {int(version)}")
        src.execute("DETACH DATABASE converted")
        _verify(tmp, new, expected)
    except BaseException:
        src.close()
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    src.close()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, db_path)
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    _fsync_dir(db_path.parent)
    return backup


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def encrypt(db_path: Path, passphrase: str, *, encrypt_backups: bool = True) -> Path:
    """Encrypt a plain database in place. Returns the backup taken first.

    With ``encrypt_backups`` (the default) the plain backups next to the database are
    encrypted with the same passphrase too, so no plain copy of the data is left behind.
    """
    if not passphrase:
        raise PassphraseError("the passphrase must not be empty", missing=True)
    if is_encrypted_file(db_path):
        raise DatabaseError(f"{db_path} is already encrypted")
    backup = _convert(Path(db_path), None, passphrase, "encrypt")
    if encrypt_backups:
        from netapp.safety.backup import encrypt_backups as _encrypt_all

        backup = _encrypt_all(Path(db_path), passphrase, keep=backup)
    return backup


def decrypt(db_path: Path, passphrase: str) -> Path:
    """Turn an encrypted database back into a plain one. Returns the (encrypted) backup."""
    if not is_encrypted_file(db_path):
        raise DatabaseError(f"{db_path} is not encrypted")
    return _convert(Path(db_path), passphrase, None, "decrypt")


def change_passphrase(db_path: Path, old: str, new: str) -> None:
    """Re-key an encrypted database (``PRAGMA rekey``)."""
    if not new:
        raise PassphraseError("the new passphrase must not be empty", missing=True)
    from netapp.safety.lock import exclusive

    with exclusive(Path(db_path)):
        raw = connect_raw(db_path, old, isolation_level=None)
        try:
            _take_exclusive(raw, db_path)
            raw.execute(f"PRAGMA rekey = {quote(new)}")
            raw.execute("PRAGMA journal_mode = WAL")
        finally:
            raw.close()
