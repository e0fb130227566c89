"""Writing a file the user named (``-o``, a Save dialog, a screenshot): the one safe way.

Every command and page that writes a user-chosen file goes through :func:`output_file` (or
:func:`write_output`), which

- refuses a path that is the open database (or the user's default one), its
  ``-wal``/``-shm``/``-journal``, its lock, journal or temporary files, anything in its
  backups folder or in netapp's log folder, or any existing SQLite database: symlinks are
  resolved and existing files compared by inode (device and number), so a hard link, a
  symlink or a ``..`` path to the database is refused as surely as its plain name;
- refuses a folder, and a missing parent folder (it never creates folders silently);
- writes into a temporary file in the target's folder (created ``0600``), flushes it to disk
  and renames it over the target in one step, so a failed write never leaves half a file
  where a good one was; the temporary file is removed on any failure, and a marker beside the
  database names it while it exists, so that if the process is killed before the rename the
  next start removes it (:func:`remove_pending_outputs`);
- leaves the finished file readable only by the user (``0600``) unless ``mode`` says otherwise.

A symlink as the target is followed: the file it points to is replaced and the link stays.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from netapp.errors import DiskFullError, FileAccessError, ValidationError
from netapp.paths import backup_dir, default_db_path, log_dir

SQLITE_MAGIC = b"SQLite format 3\x00"
DATABASE_COMPANIONS = ("-wal", "-shm", "-journal")
TEMP_PREFIX = ".netapp-out-"


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _databases(database: Path) -> list[Path]:
    """The open database and the user's default one (which may be encrypted, so not
    recognisable by its first bytes), symlinks resolved."""
    found = [database.resolve()]
    try:
        default = default_db_path().resolve()
    except Exception:  # noqa: BLE001  no home folder: only the open database is known
        return found
    return found if default in found else [*found, default]


def _protected_files(db: Path) -> list[Path]:
    """A database's own files, by name (whether or not they exist yet)."""
    return [db, *(Path(str(db) + s) for s in DATABASE_COMPANIONS)]


def _is_own_hidden_file(real: Path, db: Path) -> bool:
    """The lock, encrypt journal and temporary files netapp keeps next to a database."""
    return real.parent == db.parent and real.name.startswith(f".{db.name}.")


def _is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    folder_id = _identity(folder)
    for parent in path.parents:
        if parent == folder or (folder_id is not None and _identity(parent) == folder_id):
            return True
    return False


def check_output(out: str | os.PathLike[str], *, database: str | os.PathLike[str]) -> Path:
    """The real path to write ``out`` to, or ValidationError (field ``output``) naming why not.

    ``database`` is the open database; its files and its backups are never written."""
    try:
        return _check_output(Path(out), Path(database))
    except OSError as exc:  # a name too long, a loop of symlinks, a folder we may not read
        shown = str(out) if len(str(out)) <= 80 else str(out)[:77] + "…"
        raise ValidationError("output", f"{shown}: {exc.strerror or exc}") from None


def _check_output(raw: Path, database: Path) -> Path:
    if not str(raw).strip():
        raise ValidationError("output", "give a file name")
    real = raw.resolve()
    if real.is_dir():
        raise ValidationError("output", f"{raw} is a folder; give a file name")
    if real.parent.exists() and not real.parent.is_dir():
        raise ValidationError("output", f"{raw}: {real.parent} is a file, not a folder")
    if not real.parent.is_dir():
        raise ValidationError(
            "output", f"{raw}: the folder {real.parent} does not exist; create it first"
        )
    target_id = _identity(real)
    for db in _databases(database):
        _refuse_database_path(raw, real, target_id, db)
    log = log_dir().resolve()
    if _inside(real, log):
        raise ValidationError("output", f"{raw} is in netapp's log folder {log}; choose another")
    if target_id is not None and _is_sqlite_file(real):
        raise ValidationError(
            "output", f"{raw} is a database; netapp does not overwrite a database with an export"
        )
    return real


def _refuse_database_path(
    raw: Path, real: Path, target_id: tuple[int, int] | None, db: Path
) -> None:
    for p in _protected_files(db):
        if real == p or (target_id is not None and target_id == _identity(p)):
            raise ValidationError(
                "output", f"{raw} is the database {db} (or one of its files); choose another file"
            )
    if _is_own_hidden_file(real, db):
        raise ValidationError("output", f"{raw} is one of netapp's own files; choose another")
    backups = backup_dir(db)
    if _inside(real, backups):
        raise ValidationError("output", f"{raw} is in the backups folder {backups}; choose another")
    if target_id is not None and backups.is_dir():
        for child in backups.iterdir():
            if _identity(child) == target_id:
                raise ValidationError("output", f"{raw} is the backup {child}; choose another file")


def _os_error(path: Path, exc: OSError) -> Exception:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"{path}: the disk is full; nothing was written. Free some space.")
    return FileAccessError(f"{path}: cannot write the file ({exc.strerror or exc})")


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_O_BINARY = getattr(os, "O_BINARY", 0)
PENDING_SUFFIX = ".pending-output"


def pending_marker(database: Path, tmp: Path) -> Path:
    """The note, beside the database, that ``tmp`` is being written: if the process dies before
    the rename, the next start (:func:`remove_pending_outputs`) deletes the temporary file,
    wherever it is, so no copy of the export stays behind."""
    db = database.resolve()
    return db.with_name(f".{db.name}.{tmp.stem}{PENDING_SUFFIX}")


def _write_marker(marker: Path, tmp: Path) -> None:
    fd = os.open(marker, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    try:
        os.write(fd, os.fsencode(tmp))
        os.fsync(fd)
    finally:
        os.close(fd)


def pending_outputs(database: Path, names: Iterable[str] | None = None) -> list[Path]:
    """The markers of writes that never finished (see :func:`pending_marker`). ``names``: the
    entries of the (resolved) database's folder, when the caller has listed it already."""
    db = Path(database).resolve()
    if names is None:
        if not db.parent.is_dir():
            return []
        names = os.listdir(db.parent)
    prefix = f".{db.name}.{TEMP_PREFIX}"
    return sorted(
        db.parent / n for n in names if n.startswith(prefix) and n.endswith(PENDING_SUFFIX)
    )


def remove_pending_outputs(database: Path, markers: list[Path] | None = None) -> list[Path]:
    """Delete the temporary files of writes killed before their rename, and their markers
    (``markers``, when the caller has found them already with :func:`pending_outputs`).
    Only a file named as :func:`output_file` names its temporary files is ever deleted, so a
    marker edited by hand cannot point this at anything else. Returns the files removed."""
    removed: list[Path] = []
    for marker in pending_outputs(database) if markers is None else markers:
        try:
            tmp = Path(os.fsdecode(marker.read_bytes()))
        except OSError:
            continue
        expected = marker.name[len(f".{Path(database).resolve().name}.") : -len(PENDING_SUFFIX)]
        if tmp.name == f"{expected}.tmp" and tmp.name.startswith(TEMP_PREFIX):
            with suppress(OSError):
                if tmp.is_file() and not tmp.is_symlink():
                    tmp.unlink()
                    removed.append(tmp)
        with suppress(OSError):
            marker.unlink()
    return removed


@contextmanager
def output_file(
    out: str | os.PathLike[str], *, database: str | os.PathLike[str], mode: int = 0o600
) -> Iterator[BinaryIO]:
    """Write ``out`` safely (see the module docstring): yields a binary file to write to; the
    file takes its place only when the block ends without an error."""
    real = check_output(out, database=database)
    tmp = real.parent / f"{TEMP_PREFIX}{os.urandom(8).hex()}.tmp"  # = secrets.token_hex(8)
    marker = pending_marker(Path(database), tmp)
    try:
        _write_marker(marker, tmp)
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | _O_BINARY, 0o600)
    except OSError as exc:
        marker.unlink(missing_ok=True)
        raise _os_error(real, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if os.name == "posix":
            os.chmod(tmp, mode)
        check_output(real, database=database)  # nothing took the database's place meanwhile
        os.replace(tmp, real)
    except OSError as exc:
        raise _os_error(real, exc) from None
    finally:
        tmp.unlink(missing_ok=True)
        marker.unlink(missing_ok=True)
    _fsync_dir(real.parent)


def write_output(
    out: str | os.PathLike[str],
    data: bytes | str,
    *,
    database: str | os.PathLike[str],
    mode: int = 0o600,
) -> Path:
    """Write ``data`` (text is UTF-8) to ``out`` through :func:`output_file`; returns the path
    written (symlinks resolved)."""
    blob = data.encode("utf-8") if isinstance(data, str) else data
    with output_file(out, database=database, mode=mode) as fh:
        fh.write(blob)
    return Path(out).resolve()
