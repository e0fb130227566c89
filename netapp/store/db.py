"""The connection layer: one open netapp database file.

:class:`Database` owns the SQLite connection: opening (plain or SQLCipher, see
:mod:`netapp.store.sqlcipher`), the shared open-file lock (:mod:`netapp.store.lock`), pragmas,
migrations, transactions (:meth:`Database.atomic`), change notification and SQLite error
classification (:func:`classify`). The repositories (``people``, ``meetings``, …) are built on
it; none of them opens a connection of its own.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netapp.domain import Topic
from netapp.errors import (
    DamagedDatabaseError,
    DatabaseError,
    DiskFullError,
    FileAccessError,
    LockedError,
    NetappError,
    NewerSchemaError,
    ValidationError,
)
from netapp.paths import ensure_private_dir
from netapp.store import lock, sqlcipher
from netapp.store.versions import MIGRATION_SET, MIGRATIONS_TABLE, known_migrations

if TYPE_CHECKING:
    from sqlite_utils import Database as UtilsDatabase

BUSY_TIMEOUT_MS = 5000
PRE_MIGRATION = "pre-migration"
Listener = Callable[[str, frozenset[int]], None]
# Takes a backup of the open database before a risky step: (database, kind) -> the backup's
# path. The opener (netapp.safety.opener) passes one in; the database calls it before a
# migration changes an existing file (PRE_MIGRATION), features through Store.backup.
BackupHook = Callable[["Database", str], Path]
# What to tell the user about a damaged database (the opener names the latest good backup).
DamageAdvice = Callable[[Path], str]
DEFAULT_ADVICE = "restore a backup (netapp restore FILE, or Settings → Your data)"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_uuid() -> str:
    """A random (version 4) UUID as text: what ``str(uuid.uuid4())`` gives, without importing
    uuid (it loads platform, 5 ms at start)."""
    return uuid4_text(os.urandom(16))


def new_uuids(count: int) -> list[str]:
    """``count`` of :func:`new_uuid` from one read of ``os.urandom`` (an import makes
    thousands: ``uuid.uuid4`` was 5 µs each, issue 20)."""
    data = os.urandom(16 * count)
    return [uuid4_text(data[i : i + 16]) for i in range(0, 16 * count, 16)]


def uuid4_text(data: bytes) -> str:
    """``str(uuid.UUID(bytes=data, version=4))`` of 16 random bytes, without the UUID object:
    the version nibble set to 4 and the variant's two bits to 10 (a hypothesis test holds
    the two equal)."""
    h = data.hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"


# -- SQLite errors, by their result codes --------------------------------------------------

# Primary result codes (the low byte of sqlite_errorcode), from sqlite3.h.
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT = 3, 5, 6, 8, 10, 11
_FULL, _CANTOPEN, _CONSTRAINT, _NOTADB = 13, 14, 19, 26
_BUSY_CODES = frozenset({_BUSY, _LOCKED})
_FILE_CODES = frozenset({_PERM, _READONLY, _IOERR, _CANTOPEN})
# "UNIQUE constraint failed: groups.name" / "NOT NULL constraint failed: settings.value":
# the column (the field at fault) is the detail after the colon; CHECK names an expression.
_CONSTRAINT_COLUMN = re.compile(r":\s*\w+\.(\w+)")


def _locked(path: str | os.PathLike[str]) -> LockedError:
    return LockedError(
        f"{path} is busy: another netapp window or command is writing. Try again in a moment."
    )


def error_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of a ``sqlite3`` (or translated SQLCipher) exception."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


# Extended I/O errors a full disk shows up as (SQLite reports ENOSPC as SQLITE_FULL only on
# some paths): growing the shared-memory file, writing, syncing, truncating.
_IOERR_SHMSIZE = _IOERR | (19 << 8)
_IOERR_SPACE = frozenset({_IOERR | (3 << 8), _IOERR | (4 << 8), _IOERR | (6 << 8), _IOERR_SHMSIZE})
LOW_SPACE = 1 << 20  # below 1 MB free, a failed write is blamed on the full disk


def _disk_full(exc: BaseException, path: str | os.PathLike[str]) -> bool:
    """Whether an I/O error is the disk being full: SQLite could not grow its shared-memory
    file, or a write, sync or truncate failed with (almost) no free space left."""
    extended = int(getattr(exc, "sqlite_errorcode", 0) or 0)
    if extended not in _IOERR_SPACE:
        return False
    try:
        st = os.statvfs(Path(path).parent)
    except (OSError, AttributeError):
        return extended == _IOERR_SHMSIZE
    return st.f_bavail * st.f_frsize < LOW_SPACE


def is_busy(exc: BaseException) -> bool:
    return error_code(exc) in _BUSY_CODES


def is_readonly(exc: BaseException) -> bool:
    return error_code(exc) == _READONLY


def classify(exc: BaseException, path: str | os.PathLike[str]) -> NetappError | None:
    """The named error for a SQLite error on the database at ``path``, or None for an error
    that is a bug rather than a condition (a syntax error, a missing table): those stay raw.

    BUSY/LOCKED -> LockedError, CORRUPT/NOTADB -> DamagedDatabaseError, FULL -> DiskFullError,
    READONLY/CANTOPEN/PERM/IOERR -> FileAccessError naming the file, CONSTRAINT_* ->
    ValidationError naming the field (the column SQLite names, else the constraint's kind).
    """
    code = error_code(exc)
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    if code in _BUSY_CODES:
        return _locked(path)
    if code in (_CORRUPT, _NOTADB):
        return DamagedDatabaseError(f"{path} is damaged ({exc}); {DEFAULT_ADVICE}")
    if code == _FULL or (code == _IOERR and _disk_full(exc, path)):
        return DiskFullError(f"{path}: the disk is full; nothing was written. Free some space.")
    if code in _FILE_CODES:
        return FileAccessError(f"{path}: cannot read or write the file ({name}: {exc})")
    if code == _CONSTRAINT:
        found = _CONSTRAINT_COLUMN.search(str(exc))
        kind = name.removeprefix("SQLITE_CONSTRAINT_").replace("_", " ").lower() or "constraint"
        return ValidationError(found[1] if found else kind, f"not accepted by the database ({exc})")
    return None


# -- the database --------------------------------------------------------------------------


def _verified_stamp(path: Path) -> Path:
    return path.with_name(f".{path.name}.verified")


def _fingerprint(path: Path) -> str | None:
    """What any change to the file changes: its size, times (the inode change time too, which
    no tool can set back) and identity. None while a write-ahead log still holds frames."""
    try:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return None
        st = path.stat()
    except OSError:
        return None
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def stamp_clean_close(path: Path) -> None:
    """Record, beside the database, the file as a checked opening left it on a clean close
    (its log checkpointed away), so the next opening of that same file need not read every
    page again. Another program's write, a copy or a restore changes the fingerprint."""
    stamp = _verified_stamp(path)
    found = _fingerprint(path)
    with suppress(OSError):
        if found is None:
            stamp.unlink(missing_ok=True)
            return
        fd = os.open(stamp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        try:
            os.write(fd, found.encode())
        finally:
            os.close(fd)


def verified_since_last_close(path: Path) -> bool:
    """True when the file is exactly as a checked opening of netapp closed it (see
    :func:`stamp_clean_close`): the quick check on open can be skipped. Damage that appears
    later without any write (a failing disk) is caught by the first ``SQLITE_CORRUPT``."""
    found = _fingerprint(path)
    if found is None:
        return False
    try:
        return _verified_stamp(path).read_text(encoding="ascii") == found
    except (OSError, UnicodeDecodeError):
        return False


class Database:
    """One open netapp database file.

    ``listeners`` are called after every committed write with a topic (``people``,
    ``meetings``, ``interactions``, ``settings`` …) and the ids of the people touched.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        migrate: bool = True,
        passphrase: str | None = None,
        backup: BackupHook | None = None,
        verify: bool = False,
        damage_advice: DamageAdvice | None = None,
        sniff: bool = True,
    ) -> None:
        """Open (or create) the database. ``passphrase`` opens an encrypted (SQLCipher) file,
        or creates a new file encrypted. ``backup`` is called before a migration changes an
        existing file (see :data:`BackupHook`). ``verify`` runs SQLite's ``quick_check``
        first: a damaged file is opened read-only (:attr:`damaged` says why and what to do,
        in words from ``damage_advice``) and is neither migrated nor written.

        ``sniff`` reads the file's first bytes to tell plain, encrypted and foreign files
        apart. A second opening in a process that has the file open already must not
        (``sniff=False``: the passphrase says which it is): closing any descriptor of the
        file drops every POSIX lock the process holds on it, SQLite's included, and another
        process could then take this one's WAL for its own to check in and delete."""
        self._sniff = sniff
        self.path = Path(path)
        self.passphrase = passphrase or None
        self._backup = backup
        self._advice = damage_advice
        self.damaged = ""  # why this database must not be written to, once found damaged
        self._verified = verify  # a checked opening: its clean close vouches for the file
        self._listeners: list[Listener] = []
        self._pending: dict[str, set[int]] = {}
        self._utils: UtilsDatabase | None = None
        self._savepoints = 0  # names each savepoint (see _savepoint)
        lock_was_there = lock.lock_path(self.path).exists()
        self._lock = lock.hold_shared(self.path)
        try:
            self.conn = self._connect()
        except BaseException:
            lock.release(self._lock)
            if not lock_was_there:  # a refused file's folder is left as it was, too
                with suppress(OSError):
                    lock.lock_path(self.path).unlink(missing_ok=True)
            raise
        try:
            self._check_schema()
            if verify and not verified_since_last_close(self.path):
                self._verify()
            if migrate and not self.damaged:
                self._migrate()
        except sqlite3.DatabaseError as exc:
            self.close(optimize=False)
            raise self._open_error(exc) from None
        except BaseException:
            self.close(optimize=False)  # a refused file is left exactly as it was
            raise

    def _open_error(self, exc: sqlite3.Error) -> NetappError:
        return classify(exc, self.path) or DatabaseError(
            f"{self.path}: not a usable netapp database ({exc})"
        )

    def _verify(self) -> None:
        """SQLite's quick check of every page; damage makes the connection read-only."""
        try:
            rows = [str(r[0]) for r in self.conn.execute("PRAGMA quick_check(3)").fetchall()]
        except sqlite3.DatabaseError as exc:
            if error_code(exc) not in (_CORRUPT, _NOTADB):
                raise
            rows = [str(exc)]
        if rows != ["ok"]:
            self.mark_damaged("; ".join(rows))

    def mark_damaged(self, detail: str) -> DamagedDatabaseError:
        """Record that the file is damaged: from now on this connection only reads (SQLite's
        ``query_only``) and every transaction is refused with advice on restoring."""
        if not self.damaged:
            detail = " ".join(detail.split())[:200]
            advice = self._advice(self.path) if self._advice else DEFAULT_ADVICE
            self.damaged = f"{self.path} is damaged ({detail}); nothing was written. {advice}"
            with suppress(sqlite3.Error):
                self.conn.execute("PRAGMA query_only = ON")
        return DamagedDatabaseError(self.damaged)

    @property
    def is_encrypted(self) -> bool:
        """True when the database file is encrypted with SQLCipher."""
        return self.passphrase is not None

    def backup(self, kind: str) -> Path | None:
        """Back the database up before a risky step through the hook the opener passed in.
        Returns the backup, or None when the database was opened without one."""
        return None if self._backup is None else self._backup(self, kind)

    # -- connection ------------------------------------------------------------------

    def _prepare_file(self) -> None:
        if str(self.path) == ":memory:":
            return
        ensure_private_dir(self.path.parent)  # folders netapp creates are 0700
        if not self.path.exists():
            # Create the file readable only by the user before SQLite writes anything into it.
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))

    def _private(self) -> None:
        """An existing database readable by others becomes readable only by the user (once
        it is known to be netapp's: another program's file is left exactly as it was)."""
        if str(self.path) == ":memory:" or os.name != "posix":
            return
        with suppress(OSError):
            if self.path.stat().st_mode & 0o077:
                os.chmod(self.path, 0o600)

    def _connect(self) -> sqlite3.Connection:
        try:
            self._prepare_file()
        except OSError as exc:
            raise FileAccessError(f"{self.path}: cannot create the database ({exc})") from None
        if self._sniff:
            kind = sqlcipher.file_kind(self.path)
        else:  # opened already in this process (see __init__): its kind is known
            kind = "encrypted" if self.passphrase else "sqlite"
        if kind == "other":
            raise DatabaseError(
                f"{self.path} is not a netapp database (not a SQLite file); it was not changed"
            )
        if kind == "encrypted":
            if not self.passphrase:
                raise sqlcipher.PassphraseError(
                    f"{self.path} is encrypted: enter its passphrase", missing=True
                )
        elif self._sniff and self.path.exists() and self.path.stat().st_size > 0:
            self.passphrase = None  # an existing plain file stays plain
        options: dict[str, Any] = {
            "isolation_level": None,
            "timeout": BUSY_TIMEOUT_MS / 1000,
            "check_same_thread": False,
        }
        try:
            if self.passphrase:
                conn = sqlcipher.connect(self.path, self.passphrase, **options)
            else:
                conn = sqlite3.connect(self.path, **options)
        except sqlite3.DatabaseError as exc:
            raise self._open_error(exc) from None
        try:
            self._refuse_foreign(conn)
            self._private()
            self._pragmas(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise self._open_error(exc) from None
        except BaseException:
            conn.close()
            raise
        return conn

    def _refuse_foreign(self, conn: sqlite3.Connection) -> None:
        """Refuse a file that holds another program's tables before anything (WAL mode, the
        migrations) changes it: a non-empty database that is not netapp's stays byte-identical.
        A file with no schema objects (or only sqlite-utils' empty migrations table, left by
        an interrupted first start) is empty and becomes a netapp database."""
        names = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master").fetchall()}
        if not names - {MIGRATIONS_TABLE}:
            return
        if (
            MIGRATIONS_TABLE in names
            and conn.execute(
                f"SELECT 1 FROM {MIGRATIONS_TABLE} WHERE migration_set = ? LIMIT 1", [MIGRATION_SET]
            ).fetchone()
        ):
            return
        shown = ", ".join(sorted(n for n in names if not n.startswith("sqlite_"))[:3])
        raise DatabaseError(
            f"{self.path} is not a netapp database (it holds another program's tables: "
            f"{shown}); netapp did not change it"
        )

    def _pragmas(self, conn: sqlite3.Connection) -> None:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal" and str(self.path) != ":memory:":
            conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = NORMAL")

    def release_memory(self) -> None:
        """Free this connection's page cache (``PRAGMA shrink_memory``; pages are read again
        when next needed): after the morning's background passes, about 2 MB of the idle
        window at 100,000 people (issue 20). Nothing to do once closed."""
        with suppress(sqlite3.Error):
            self.conn.execute("PRAGMA shrink_memory")

    def is_open(self) -> bool:
        """Whether the connection is still open (a worker's result may outlive its window)."""
        try:
            self.conn.execute("SELECT 1")
        except sqlite3.ProgrammingError:
            return False
        return True

    def checkpoint(self) -> None:
        """Copy the write-ahead log back into the database file now (a passive checkpoint:
        it waits for no reader). After a large write on a worker's connection, so that the
        next small write elsewhere does not pay for it."""
        with suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def interrupt(self) -> None:
        """Stop the query running on this connection at once (safe from another thread)."""
        self.conn.interrupt()

    def close(self, *, optimize: bool = True) -> None:
        """Close; by default ``PRAGMA optimize`` first, which may run ANALYZE and so write
        ``sqlite_stat1``: a schema change. A connection that closes while another one stays
        open (a worker's) passes ``optimize=False``: with SQLite 3.40, the other connection's
        next INSERT into a table with several triggers (``meetings``: sync outbox and FTS)
        failed with "no such table: meetings" after such a change."""
        if optimize:
            with suppress(sqlite3.Error):
                self.conn.execute("PRAGMA optimize")
        self.conn.close()
        if self._verified and not self.damaged:
            stamp_clean_close(self.path)
        lock.release(self._lock)
        self._lock = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ----------------------------------------------------------------------

    @property
    def utils(self) -> UtilsDatabase:
        """The sqlite-utils view of the connection, made on first use (importing sqlite-utils
        costs about as much as importing Qt, so start-up does not pay for it)."""
        if self._utils is None:
            from sqlite_utils import Database as UtilsDatabase

            self._utils = UtilsDatabase(self.conn)
        return self._utils

    def _applied(self) -> list[str]:
        """Migrations applied to this file, in order (read as sqlite-utils records them)."""
        if not self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
        ).fetchone():
            return []
        rows = self.conn.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
            [MIGRATION_SET],
        ).fetchall()
        return [str(r[0]) for r in rows]

    def _check_schema(self) -> None:
        known = set(known_migrations())
        unknown = [name for name in self._applied() if name not in known]
        if unknown:
            raise NewerSchemaError(
                f"{self.path} was written by a newer netapp (schema step {unknown[-1]!r}); "
                "update netapp to open it. The file was not changed."
            )

    def schema_version(self) -> int:
        """How many migrations have been applied; the current code knows ``len(known_migrations())``."""
        return len(self._applied())

    def pending_migrations(self) -> list[str]:
        applied = set(self._applied())
        return [name for name in known_migrations() if name not in applied]

    def upgrade(self) -> list[str]:
        """Bring an open database to the current schema (after a restore replaced its content
        with an older backup). Returns the names of the migrations applied."""
        self._check_schema()
        pending = self.pending_migrations()
        self._migrate()
        return pending

    def _migrate(self) -> None:
        if not self.pending_migrations():
            return
        if self._applied():
            # An existing database is about to change shape: keep a copy of it first.
            self.backup(PRE_MIGRATION)
        from netapp.store.schema import migrations

        self.retry(lambda: migrations.apply(self.utils))

    # -- transactions and notifications ----------------------------------------------

    def retry(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn``; if the database stays locked past the busy timeout, retry briefly."""
        deadline = time.monotonic() + 3.0
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if not is_busy(exc):
                    raise
                if time.monotonic() > deadline:
                    raise _locked(self.path) from None
                time.sleep(0.1)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction (``BEGIN IMMEDIATE``); nested calls become savepoints.

        Listeners are told about the changes once the outermost transaction commits. A SQLite
        error that is a condition (busy, disk full, a constraint, …) leaves as the named error
        of :func:`classify`, with nothing written.
        """
        if self.damaged:
            raise DamagedDatabaseError(self.damaged)
        if self.conn.in_transaction:
            with self._classified(), self._savepoint():
                yield
            return
        with self._classified():
            self.retry(lambda: self.conn.execute("BEGIN IMMEDIATE"))
        try:
            with self._classified():
                with self._savepoint():
                    yield
                self.retry(lambda: self.conn.execute("COMMIT"))
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self._pending.clear()
            raise
        self._flush()

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        """A savepoint inside the open transaction: an error rolls back to it (if the error
        left the transaction open) and leaves. What sqlite-utils' ``atomic()`` does inside a
        transaction, without importing sqlite-utils (with click, pluggy, dateutil and email:
        12 MB of the window's memory and its first write's time, issue 20); sqlite-utils is
        loaded for migrations only."""
        self._savepoints += 1
        name = f"netapp_{self._savepoints}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            # A RAISE(ROLLBACK) trigger or a full disk may have ended the whole transaction,
            # savepoints included: then there is nothing to roll back to.
            if self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            self.conn.execute(f"RELEASE SAVEPOINT {name}")

    @contextmanager
    def _classified(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            if error_code(exc) in (_CORRUPT, _NOTADB) or (self.damaged and is_readonly(exc)):
                raise self.mark_damaged(str(exc)) from exc
            named = classify(exc, self.path)
            if named is None:
                raise
            raise named from exc

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def changed(self, topic: Topic, person_ids: Iterable[int] = ()) -> None:
        """Record a change; listeners hear of it after commit (at once outside a transaction).

        Only a notification: the engine's cached status is invalidated by triggers in the
        same transaction as the write (see netapp/store/schema.py, m004_status_cache)."""
        ids = {int(i) for i in person_ids if i is not None}
        self._pending.setdefault(topic, set()).update(ids)
        if not self.conn.in_transaction:
            self._flush()

    def _flush(self) -> None:
        pending, self._pending = self._pending, {}
        for topic, ids in pending.items():
            for listener in list(self._listeners):
                listener(topic, frozenset(ids))

    # -- reading ---------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """Read rows as dicts."""
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description or ()]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def exists(self, table: str, row_id: int | None) -> bool:
        """Whether ``table`` has a row with this id (``table`` is a name from the code)."""
        return row_id is not None and (
            self.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", [row_id]).fetchone()
            is not None
        )

    def reinsert(self, table: str, row: dict[str, Any]) -> int:
        """Insert a row taken by an undo snapshot, under its old id, or under a new one when
        that id was taken since. Returns the id it got."""
        if self.exists(table, row.get("id")):
            row = {k: v for k, v in row.items() if k != "id"}
        cols = list(row)
        cur = self.conn.execute(
            f"INSERT INTO {table} ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
            [row[c] for c in cols],
        )
        return int(cur.lastrowid or 0)
