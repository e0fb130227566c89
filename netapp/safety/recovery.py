"""What an interrupted safety operation left behind: finished or rolled back on the next start.

The opener calls :func:`recover` before its main opening of a database and
:func:`finish_encryption` once an encrypted database is open:

- **temporary files** of a killed backup (``backups/.<name>.partial``), re-encryption of a
  backup (``….enc.partial``), encrypt, decrypt or restore (``.<db>.<what>.tmp``) are removed,
  with their ``-journal``/``-wal``/``-shm``. They were created ``0600`` and, when the
  database is encrypted, encrypted (a backup's partial copy is keyed before it is written);
  only a decrypt's copy is plain, as its final file would be. Removal happens only while no
  other netapp window or command has the database open (the exclusive open-file lock), so a
  backup running elsewhere never loses its file.
- **an export, card sheet or screenshot killed before its rename**: its temporary file
  (``.netapp-out-….tmp`` in the folder the user chose) is named by a marker beside the
  database and removed (:func:`netapp.files.remove_pending_outputs`).
- **an interrupted encrypt** (its journal ``.<db>.encrypt-journal`` is still there) is rolled
  back if the database was not yet swapped (it is plain: the journal goes), and finished if it
  was: every backup still plain is encrypted with the database's passphrase. The same happens
  for any plain backup next to an encrypted database, so no plain copy stays in ``backups/``.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

from netapp.errors import DatabaseError, NetappError
from netapp.files import pending_outputs, remove_pending_outputs
from netapp.paths import backup_dir
from netapp.safety.file_backups import encrypt_backups, list_backups
from netapp.store.lock import exclusive
from netapp.store.sqlcipher import is_encrypted_file

log = logging.getLogger(__name__)

COMPANIONS = ("", "-journal", "-wal", "-shm")


def journal_path(db_path: Path) -> Path:
    return Path(db_path).with_name(f".{Path(db_path).name}.encrypt-journal")


def start_journal(db_path: Path) -> Path:
    """Record that an encrypt has begun (removed by :func:`end_journal` when it is whole)."""
    path = journal_path(db_path)
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    try:
        os.write(fd, json.dumps({"operation": "encrypt"}).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def end_journal(db_path: Path) -> None:
    journal_path(db_path).unlink(missing_ok=True)


def _names(folder: Path) -> list[str]:
    """The entries of ``folder`` (none when it is not a folder): one listing."""
    return os.listdir(folder) if folder.is_dir() else []


def leftovers(db_path: Path, names: Iterable[str] | None = None) -> list[Path]:
    """Temporary files of interrupted backups, conversions and restores of ``db_path``.
    ``names``: the entries of the database's folder, when the caller has listed it already."""
    db_path = Path(db_path)
    found: list[Path] = []
    folder = backup_dir(db_path)
    if folder.is_dir():
        found += [p for p in folder.iterdir() if p.name.startswith(".") and ".partial" in p.name]
    prefix = f".{db_path.name}."
    found += [
        db_path.parent / n
        for n in (_names(db_path.parent) if names is None else names)
        if n.startswith(prefix) and any(n.endswith(".tmp" + s) for s in COMPANIONS)
    ]
    return sorted(found)


def recover(db_path: Path) -> list[Path]:
    """Remove what interrupted operations left behind, and roll back an encrypt that never
    swapped the database. Does nothing while the database is open elsewhere. Returns the
    files removed. The database's folder is listed once, for both kinds of leftovers (unless
    the database is a link into another folder, where the export markers are)."""
    db_path = Path(db_path)
    names = _names(db_path.parent)
    found = leftovers(db_path, names)
    same_folder = db_path.resolve().parent == db_path.parent.resolve()
    markers = pending_outputs(db_path, names if same_folder else None)
    journal = journal_path(db_path)
    rollback = journal.exists() and not is_encrypted_file(db_path)
    if not found and not rollback and not markers:
        return []
    try:
        with exclusive(db_path):
            for p in found:
                p.unlink(missing_ok=True)
            found += remove_pending_outputs(db_path, markers)
            if rollback:
                journal.unlink(missing_ok=True)
    except DatabaseError:
        return []  # in use by another window or command: the last one to close cleans up
    if found:
        log.info("removed %d temporary file(s) left by an interrupted operation", len(found))
    return found


def plain_backups(db_path: Path) -> list[Path]:
    return [b.path for b in list_backups(Path(db_path)) if not is_encrypted_file(b.path)]


def finish_encryption(db_path: Path, passphrase: str) -> int:
    """Encrypt every backup of an encrypted database that is still plain (an interrupted
    encrypt, or a plain file copied in); close the encrypt journal. Returns how many."""
    db_path = Path(db_path)
    remaining = plain_backups(db_path)
    if remaining:
        encrypt_backups(db_path, passphrase, keep=db_path)
        log.info("encrypted %d backup(s) left plain by an interrupted encrypt", len(remaining))
    with suppress(OSError):
        end_journal(db_path)
    return len(remaining)


def finish_quietly(db_path: Path, passphrase: str) -> None:
    """:func:`finish_encryption` on opening: a failure (a full disk) is logged, the journal
    stays, and the next start tries again."""
    try:
        finish_encryption(db_path, passphrase)
    except (NetappError, OSError) as exc:
        log.warning("could not encrypt the remaining backups yet: %s", exc)
