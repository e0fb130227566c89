"""Encryption at rest as a feature: convert a whole database between plain and encrypted.

Opening an encrypted file is the connection's business (:mod:`netapp.store.sqlcipher`). Here:
:func:`encrypt` and :func:`decrypt` convert a database in place with ``sqlcipher_export``.
They write the converted copy next to the database, check it, keep a backup of the original
and only then swap the files, so a crash half-way leaves the original untouched.
:func:`change_passphrase` re-keys; :func:`cli_passphrase` asks the command line's user.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from netapp.errors import DatabaseError, ValidationError
from netapp.safety import recovery
from netapp.safety.file_backups import backup_file, check_file
from netapp.store.db import classify, is_busy
from netapp.store.lock import exclusive
from netapp.store.sqlcipher import (
    PassphraseError,
    connect_raw,
    is_encrypted_file,
    open_any,
    quote,
    sqlcipher_module,
)

ENV_PASSPHRASE = "NETAPP_PASSPHRASE"

MIN_PASSPHRASE = 8


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
        if not is_busy(exc):  # damaged, disk full …: say so, not "in use"
            named = classify(exc, db_path)
            if named is not None:
                raise named from None
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


def _check_convertible(db_path: Path, old: str | None) -> None:
    """Only a sound netapp database is converted: another program's file, a damaged one or
    one with a planted schema object is refused and left as it was (no lock file either)."""
    if not db_path.exists():
        raise DatabaseError(f"{db_path}: no such database")
    check_file(db_path, old)


def _convert(db_path: Path, old: str | None, new: str | None, kind: str) -> Path:
    """Convert a database already passed by :func:`_check_convertible`."""
    db_path = Path(db_path)
    with exclusive(db_path):
        return _convert_locked(db_path, old, new, kind)


def _convert_locked(db_path: Path, old: str | None, new: str | None, kind: str) -> Path:
    mod = sqlcipher_module()
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
    logging.getLogger(__name__).info("%s: %s done (backup %s)", db_path, kind, backup.name)
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
    db_path = Path(db_path).resolve()  # a symlinked --db: encrypt the file, keep the link
    if is_encrypted_file(db_path):
        raise DatabaseError(f"{db_path} is already encrypted")
    # The database and its backups are one recoverable operation: the journal stays until
    # both are done, and the next start finishes (or rolls back) an interrupted one.
    _check_convertible(db_path, None)
    recovery.start_journal(db_path)
    backup = _convert(db_path, None, passphrase, "encrypt")
    if encrypt_backups:
        recovery.finish_encryption(db_path, passphrase)
    else:
        recovery.end_journal(db_path)
    return backup


def encrypt_remaining(db_path: Path, passphrase: str) -> int:
    """For an encrypted database: encrypt the backups still plain (after an interrupted
    encrypt). The passphrase must open the database. Returns how many were encrypted."""
    db_path = Path(db_path).resolve()
    check_file(db_path, passphrase)  # the right passphrase, a sound netapp database
    return recovery.finish_encryption(db_path, passphrase)


def decrypt(db_path: Path, passphrase: str) -> Path:
    """Turn an encrypted database back into a plain one. Returns the (encrypted) backup."""
    db_path = Path(db_path).resolve()
    if not is_encrypted_file(db_path):
        raise DatabaseError(f"{db_path} is not encrypted")
    _check_convertible(db_path, passphrase)
    return _convert(db_path, passphrase, None, "decrypt")


def change_passphrase(db_path: Path, old: str, new: str) -> None:
    """Re-key an encrypted database (``PRAGMA rekey``)."""
    if not new:
        raise PassphraseError("the new passphrase must not be empty", missing=True)
    db_path = Path(db_path).resolve()
    with exclusive(db_path):
        raw = connect_raw(db_path, old, isolation_level=None)
        try:
            _take_exclusive(raw, db_path)
            raw.execute(f"PRAGMA rekey = {quote(new)}")
            raw.execute("PRAGMA journal_mode = WAL")
        finally:
            raw.close()
