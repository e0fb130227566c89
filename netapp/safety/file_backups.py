"""Automatic and manual backups, rotation and restore.

Backups sit next to the database in ``backups/`` (see :func:`netapp.paths.backup_dir`) and are
named ``<db stem>-YYYYMMDD-HHMMSS-<kind>.db``. ``kind`` is ``daily`` for the automatic
start-up backup, ``manual`` for ``netapp backup``, and ``pre-migration``, ``pre-restore``,
``pre-import``, ``pre-encrypt``, ``pre-decrypt`` for the ones taken before a risky step.

A backup is one step of SQLite's online backup (``pages=-1``): a consistent snapshot even
while another process writes (a stepped backup would restart forever). Backups of an
encrypted database are encrypted with the same passphrase. Every backup is checked
(``PRAGMA quick_check``) before it gets its final name, and is readable only by the user.

Rotation keeps the newest ``backup.keep_daily`` daily backups, plus the newest backup of
each of the ``backup.keep_weekly`` weeks before them, plus the newest :data:`KEEP_EVENTS`
backups of the other kinds.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netapp.errors import (
    DamagedDatabaseError,
    DatabaseError,
    DiskFullError,
    FileAccessError,
    NetappError,
    NewerSchemaError,
)
from netapp.paths import backup_dir, ensure_private_dir
from netapp.settings import BY_KEY
from netapp.store.db import classify
from netapp.store.shape import differences
from netapp.store.sqlcipher import (
    file_kind,
    is_encrypted_file,
    open_any,
    quote,
    sqlcipher_module,
)
from netapp.store.versions import known_migrations

if TYPE_CHECKING:
    from netapp.store import Store

log = logging.getLogger(__name__)

KEEP_EVENTS = 10
DAILY = "daily"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken: datetime
    kind: str

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def _pattern(stem: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(stem)}-(\d{{8}})-(\d{{6}})(?:\.(\d+))?-([a-z-]+)\.db$")


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Backups of ``db_path``, newest first."""
    directory = backup_dir(Path(db_path))
    if not directory.is_dir():
        return []
    pat = _pattern(Path(db_path).stem)
    out: list[tuple[datetime, int, BackupInfo]] = []
    for p in directory.iterdir():
        m = pat.match(p.name)
        if not m:
            continue
        try:
            taken = datetime.strptime(m[1] + m[2], "%Y%m%d%H%M%S")
        except ValueError:
            continue
        out.append((taken, int(m[3] or 0), BackupInfo(p, taken, m[4])))
    out.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [b for _, _, b in out]


def _ensure_dir(directory: Path) -> None:
    ensure_private_dir(directory)
    if os.name == "posix":
        os.chmod(directory, 0o700)


def _new_file(path: Path) -> None:
    """Create an empty file readable only by the user (before SQLite writes into it)."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _target_name(db_path: Path, kind: str, now: datetime) -> Path:
    directory = backup_dir(db_path)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    path = directory / f"{db_path.stem}-{stamp}-{kind}.db"
    n = 1
    while path.exists():
        path = directory / f"{db_path.stem}-{stamp}.{n}-{kind}.db"
        n += 1
    return path


def _is_cipher(conn: Any) -> bool:
    raw = getattr(conn, "raw", conn)
    return type(raw).__module__.startswith("sqlcipher3")


def _dest_connection(path: Path, source: Any, passphrase: str | None) -> Any:
    if _is_cipher(source):
        dest = sqlcipher_module().connect(str(path), isolation_level=None)
        dest.execute("PRAGMA cipher_log_level = NONE")
        if passphrase:
            dest.execute(f"PRAGMA key = {quote(passphrase)}")
        return dest
    return sqlite3.connect(str(path), isolation_level=None)


def backup_file(
    db_path: Path,
    *,
    kind: str = "manual",
    passphrase: str | None = None,
    conn: Any = None,
    now: datetime | None = None,
) -> Path:
    """Copy the database into the backup directory in one step; return the backup's path.

    ``conn`` is an open connection to the database (the Store's, so that an encrypted
    database needs no second unlock); without it the file is opened here.
    """
    db_path = Path(db_path)
    if not re.fullmatch(r"[a-z][a-z-]*", kind):
        raise ValueError(f"bad backup kind {kind!r}")
    own = conn is None
    source = open_any(db_path, passphrase) if own else conn
    target = _target_name(db_path, kind, now or datetime.now())
    _ensure_dir(target.parent)
    tmp = target.with_name("." + target.name + ".partial")
    try:
        _new_file(tmp)
        dest = _dest_connection(tmp, source, passphrase)
        try:
            raw = getattr(source, "raw", source)
            raw.backup(dest, pages=-1)
            dest.execute("PRAGMA journal_mode = DELETE")
            ok = dest.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dest.close()
        if ok != "ok":
            raise DamagedDatabaseError(
                f"{db_path} is damaged (its backup did not check out: {' '.join(ok.split())[:200]}"
                f"); {restore_advice(db_path, passphrase)}"
            )
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        log.info("backup %s (%s) of %s", target.name, kind, db_path)
    except OSError as exc:
        raise _backup_os_error(target, exc) from None
    except Exception as exc:
        if isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith("sqlcipher3"):
            named = classify(exc, target)
            if isinstance(named, (DiskFullError, FileAccessError)):
                raise named from None
            raise DatabaseError(f"{db_path}: backup failed ({exc})") from None
        raise
    finally:
        tmp.unlink(missing_ok=True)
        if own:
            source.close()
    return target


def _backup_os_error(target: Path, exc: OSError) -> NetappError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(
            f"{target.parent}: the disk is full; no backup was made. Free some space."
        )
    return FileAccessError(f"{target}: cannot write the backup ({exc.strerror or exc})")


def keep_counts(settings: Mapping[str, Any] | None) -> tuple[int, int]:
    """How many daily and weekly backups to keep (the defaults without settings)."""
    if settings is None:
        return int(BY_KEY["backup.keep_daily"].default), int(BY_KEY["backup.keep_weekly"].default)
    return int(settings["backup.keep_daily"]), int(settings["backup.keep_weekly"])


def rotate(
    db_path: Path, keep_daily: int, keep_weekly: int, keep_events: int = KEEP_EVENTS
) -> list[Path]:
    """Delete the backups that fall out of the rotation; return what was deleted."""
    backups = list_backups(Path(db_path))
    daily = [b for b in backups if b.kind == DAILY]
    events = [b for b in backups if b.kind != DAILY]
    keep: set[Path] = {b.path for b in daily[:keep_daily]}
    weeks: list[tuple[int, int]] = []
    for b in daily[keep_daily:]:
        week = b.taken.isocalendar()[:2]
        if week in weeks:
            continue
        if len(weeks) >= keep_weekly:
            break
        weeks.append(week)
        keep.add(b.path)
    keep.update(b.path for b in events[:keep_events])
    removed = [b.path for b in backups if b.path not in keep]
    for p in removed:
        p.unlink(missing_ok=True)
        log.info("backup %s rotated out", p.name)
    return removed


def backup_now(store: Store, kind: str = "manual", *, now: datetime | None = None) -> Path:
    """Back up an open Store in one step and rotate the backup set. Returns the new file.
    A damaged database is refused: its copy would push a good backup out of the rotation."""
    if store.db.damaged:
        raise DamagedDatabaseError(store.db.damaged)
    path = backup_file(
        store.path, kind=kind, passphrase=store.passphrase, conn=store.db.conn, now=now
    )
    rotate(store.path, *keep_counts(store.settings))
    return path


def daily_backup(store: Store, today: date | None = None) -> Path | None:
    """The start-up backup: at most one a day (``backup.last_daily``). Returns it, or None."""
    now = datetime.now() if today is None else datetime.combine(today, datetime.now().time())
    day = now.date().isoformat()
    if store.settings["backup.last_daily"] == day:
        return None
    path = backup_now(store, DAILY, now=now)
    store.settings.set("backup.last_daily", day)
    return path


# -- checking and restoring --------------------------------------------------------------


def check_file(path: Path, passphrase: str | None = None) -> int:
    """Check that ``path`` is a sound netapp database; return its schema version.

    Sound means: a SQLite file (plain, or encrypted with ``passphrase``) that passes
    ``integrity_check``, whose migrations are this netapp's own in order, and whose schema
    objects are exactly those netapp's migrations make at that version (no planted trigger,
    view, table or index: :mod:`netapp.store.shape`).

    Raises DatabaseError (corrupt, not netapp, changed schema), PassphraseError or
    NewerSchemaError.
    """
    path = Path(path)
    kind = file_kind(path)
    if kind in ("missing", "folder"):
        raise DatabaseError(f"{path}: no such file" if kind == "missing" else f"{path} is a folder")
    if kind in ("other", "empty"):
        raise DatabaseError(f"{path} is not a netapp database (not a SQLite file)")
    try:
        conn = open_any(path, passphrase)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: not a usable netapp database ({exc})") from None
    try:
        return _check_open(conn, path)
    except sqlite3.Error as exc:
        raise classified(exc, path) from None
    finally:
        conn.close()


def _check_open(conn: Any, path: Path) -> int:
    problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    if problems != ["ok"]:
        raise DamagedDatabaseError(f"{path}: damaged ({'; '.join(problems[:3])})")
    has = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name IN ('_sqlite_migrations', 'people')"
    ).fetchone()[0]
    if has != 2:
        raise DatabaseError(f"{path} is not a netapp database")
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'netapp' ORDER BY rowid"
        ).fetchall()
    ]
    known = known_migrations()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise NewerSchemaError(
            f"{path} was written by a newer netapp (schema step {unknown[-1]!r}); "
            "update netapp to use it"
        )
    if not names or names != known[: len(names)]:
        raise DatabaseError(f"{path} is not a netapp database (its schema steps are out of order)")
    wrong = differences(conn, len(names))
    if wrong:
        raise DatabaseError(
            f"{path}: its schema is not netapp's ({'; '.join(wrong[:3])}"
            f"{'; …' if len(wrong) > 3 else ''}); it was changed outside netapp, refused"
        )
    return len(names)


def classified(exc: sqlite3.Error, path: Path) -> NetappError:
    """A SQLite error while reading a database file, as the named error of the connection
    layer (disk full, damaged, busy …), else "not a usable netapp database"."""
    return classify(exc, path) or DatabaseError(f"{path}: not a usable netapp database ({exc})")


def restore_advice(db_path: Path, passphrase: str | None = None) -> str:
    """What to do about a damaged database: the command restoring its latest good backup."""
    for info in list_backups(Path(db_path)):
        try:
            check_file(info.path, passphrase)
        except NetappError:
            continue
        return f"Restore the latest good backup: netapp restore {info.path}"
    return "No good backup was found; copy the file somewhere safe before trying to repair it."


def restore(db_path: Path, backup_path: Path, passphrase: str | None = None) -> Path | None:
    """Replace the database with a backup. Returns the backup taken of the current database.

    The backup is checked first (integrity, netapp schema not newer than this code). The
    current database is backed up (``pre-restore``) before it is overwritten, through
    SQLite's backup API, so other open connections see the restored data at once. An older
    schema is migrated the next time the database is opened.
    """
    db_path, backup_path = Path(db_path).resolve(), Path(backup_path)
    if backup_path.resolve() == db_path:
        raise DatabaseError(f"{backup_path}: that is the database itself, not a backup")
    check_file(backup_path, passphrase)
    current = db_path.exists() and db_path.stat().st_size > 0
    if current:
        _refuse_foreign_target(db_path)
    if current and is_encrypted_file(db_path) != is_encrypted_file(backup_path):
        state = "encrypted" if is_encrypted_file(backup_path) else "not encrypted"
        raise DatabaseError(
            f"{backup_path} is {state} but {db_path} is not; "
            f"run `netapp {'encrypt' if is_encrypted_file(backup_path) else 'decrypt'}` first"
        )
    saved: Path | None = None
    if current:
        try:
            saved = backup_file(db_path, kind="pre-restore", passphrase=passphrase)
        except DatabaseError:
            saved = _raw_copy(db_path, "pre-restore-raw")
    else:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        _new_file(db_path)
    src = open_any(backup_path, passphrase)
    try:
        dst = open_any(db_path, passphrase)
        try:
            _call_backup(src, dst, db_path)
        finally:
            dst.close()
    except DatabaseError:
        src.close()
        _replace_file(db_path, backup_path)
    else:
        src.close()
    rotate(db_path, *keep_counts(None))
    log.info("restored %s from %s (the previous database: %s)", db_path, backup_path, saved)
    return saved


def _refuse_foreign_target(db_path: Path) -> None:
    """Restore replaces a netapp database only: another program's SQLite file (or a text
    file) at the database's path is left exactly as it is."""
    kind = file_kind(db_path)
    if kind == "other":
        raise DatabaseError(f"{db_path} is not a netapp database (not a SQLite file); not replaced")
    if kind != "sqlite":
        return  # encrypted: its passphrase is checked when it is opened
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master").fetchall()}
        ours = (
            "_sqlite_migrations" in names
            and conn.execute(
                "SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'netapp' LIMIT 1"
            ).fetchone()
        )
    except sqlite3.Error:
        return  # damaged: restoring a backup over it is the cure
    finally:
        conn.close()
    if names - {"_sqlite_migrations"} and not ours:
        raise DatabaseError(
            f"{db_path} is not a netapp database (another program's tables); not replaced"
        )


def _call_backup(src: Any, dst: Any, db_path: Path) -> None:
    try:
        getattr(src, "raw", src).backup(getattr(dst, "raw", dst), pages=-1)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{db_path}: could not write ({exc})") from None
    except Exception as exc:
        if type(exc).__module__.startswith("sqlcipher3"):
            raise DatabaseError(f"{db_path}: could not write ({exc})") from None
        raise


def _raw_copy(db_path: Path, kind: str) -> Path:
    """Byte copy of a database that SQLite cannot read (kept before it is replaced)."""
    import shutil

    target = _target_name(db_path, kind, datetime.now())
    _ensure_dir(target.parent)
    _new_file(target)
    shutil.copyfile(db_path, target)
    wal = Path(str(db_path) + "-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(str(target) + "-wal"))
    return target


def _replace_file(db_path: Path, backup_path: Path) -> None:
    import shutil

    tmp = db_path.with_name(f".{db_path.name}.restore.tmp")
    _new_file(tmp)
    shutil.copyfile(backup_path, tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.replace(tmp, db_path)


def encrypt_backups(db_path: Path, passphrase: str, keep: Path) -> Path:
    """Encrypt every plain backup of ``db_path`` in place (after ``netapp encrypt``)."""
    mod = sqlcipher_module()
    for info in list_backups(Path(db_path)):
        if is_encrypted_file(info.path):
            continue
        tmp = info.path.with_name("." + info.path.name + ".enc.partial")
        _new_file(tmp)
        try:
            src = mod.connect(str(info.path), isolation_level=None)
            try:
                src.execute(f"ATTACH DATABASE {quote(str(tmp))} AS enc KEY {quote(passphrase)}")
                src.execute("SELECT sqlcipher_export('enc')")
                src.execute("DETACH DATABASE enc")
            finally:
                src.close()
            os.replace(tmp, info.path)
        except Exception as exc:
            tmp.unlink(missing_ok=True)
            raise NetappError(f"{info.path}: could not encrypt this backup ({exc})") from None
    return keep
