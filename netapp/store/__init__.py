"""The storage gateway: one object owns the SQLite connection.

Every write goes through a method here (or runs inside :meth:`Store.atomic`), so that a
multi-row write is one transaction and listeners hear about it once it has committed.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netapp import fields as F
from netapp.domain import (
    Consent,
    ConsentMethod,
    ContactKind,
    Email,
    Group,
    Interaction,
    Kind,
    LibraryItem,
    LibraryKind,
    Meeting,
    Outcome,
    Person,
    Phone,
    Recurrence,
    Referral,
    ReferralStatus,
)
from netapp.errors import (
    AmbiguousError,
    DatabaseError,
    LockedError,
    NewerSchemaError,
    NotFoundError,
    ValidationError,
)
from netapp.store import lock, sqlcipher
from netapp.store.settings import Settings
from netapp.store.versions import MIGRATION_SET, MIGRATIONS_TABLE, known_migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 5000
Listener = Callable[[str, frozenset[int]], None]
# Takes a backup of the open database before a risky step: (store, kind) -> the backup's path.
# The opener (netapp.safety.opener) passes one in; the store calls it before migrating
# ("pre-migration") and features call it through Store.backup (e.g. "pre-import").
BackupHook = Callable[["Store", str], Path]
PRE_MIGRATION = "pre-migration"


def _a_typed_name(text: str) -> bool:
    """Whether a display name is a person's name typed as one string (not an email address
    or a phone number standing in for a name)."""
    return "@" not in text and any(c.isalpha() for c in text)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_uuid() -> str:
    return str(uuidlib.uuid4())


def fts_query(text: str) -> str:
    """Turn what the user typed into a safe FTS5 prefix query: every word must match."""
    words = []
    for raw in F.nfc(text).split():
        word = "".join(ch for ch in raw if ch.isalnum() or ch in "@.-_'")
        word = word.replace('"', "")
        if word:
            words.append(f'"{word}"*')
    return " ".join(words)


class Store:
    """Gateway to one netapp database file.

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
    ) -> None:
        """Open (or create) the database. ``passphrase`` opens an encrypted (SQLCipher) file,
        or creates a new file encrypted; see :mod:`netapp.store.sqlcipher`. ``backup`` is
        called before a migration changes an existing file (see :data:`BackupHook`)."""
        self.path = Path(path)
        self.passphrase = passphrase or None
        self._backup = backup
        self._listeners: list[Listener] = []
        self._pending: dict[str, set[int]] = {}
        self._lock = lock.hold_shared(self.path)
        try:
            self.conn = self._connect()
        except sqlite3.DatabaseError as exc:
            lock.release(self._lock)
            raise DatabaseError(f"{self.path}: not a usable netapp database ({exc})") from None
        except BaseException:
            lock.release(self._lock)
            raise
        try:
            self._db: Database | None = None
            self._check_schema()
            if migrate:
                self._migrate()
        except sqlite3.DatabaseError as exc:
            self.close(optimize=False)
            raise DatabaseError(f"{self.path}: not a usable netapp database ({exc})") from None
        except BaseException:
            self.close(optimize=False)  # a refused file is left exactly as it was
            raise
        self.settings = Settings(self)

    def backup(self, kind: str) -> Path | None:
        """Back the database up before a risky step (``pre-import``, …) through the hook the
        opener passed in. Returns the backup, or None when this Store was opened without one."""
        return None if self._backup is None else self._backup(self, kind)

    @property
    def is_encrypted(self) -> bool:
        """True when the database file is encrypted with SQLCipher."""
        return self.passphrase is not None

    # -- connection ------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if str(self.path) == ":memory:":
            pass
        elif not self.path.exists():
            # Create the file readable only by the user before SQLite writes anything into it.
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        elif os.name == "posix" and self.path.stat().st_mode & 0o077:
            with suppress(OSError):
                os.chmod(self.path, 0o600)
        if sqlcipher.is_encrypted_file(self.path):
            if not self.passphrase:
                raise sqlcipher.PassphraseError(
                    f"{self.path} is encrypted: enter its passphrase", missing=True
                )
        elif self.path.exists() and self.path.stat().st_size > 0:
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
            raise DatabaseError(f"{self.path}: not a usable netapp database ({exc})") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA secure_delete = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal" and str(self.path) != ":memory:":
                conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            conn.close()
            raise
        return conn

    def close(self, *, optimize: bool = True) -> None:
        if optimize:
            with suppress(sqlite3.Error):
                self.conn.execute("PRAGMA optimize")
        self.conn.close()
        lock.release(self._lock)
        self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ----------------------------------------------------------------------

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection, made on first use (importing sqlite-utils
        costs about as much as importing Qt, so start-up does not pay for it)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn)
        return self._db

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

        self._retry(lambda: migrations.apply(self.db))

    # -- transactions and notifications ----------------------------------------------

    def _retry(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn``; if the database stays locked past the busy timeout, retry briefly."""
        deadline = time.monotonic() + 3.0
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise LockedError(
                        f"{self.path} is busy: another netapp window or command is writing. "
                        "Try again in a moment."
                    ) from None
                time.sleep(0.1)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction (``BEGIN IMMEDIATE``); nested calls become savepoints.

        Listeners are told about the changes once the outermost transaction commits.
        """
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        self._retry(lambda: self.conn.execute("BEGIN IMMEDIATE"))
        try:
            with self.db.atomic():
                yield self.db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self._pending.clear()
            raise
        try:
            self._retry(lambda: self.conn.execute("COMMIT"))
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self._pending.clear()
            raise
        self._flush()

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def changed(self, topic: str, person_ids: Iterable[int] = ()) -> None:
        """Record a change; listeners hear of it after commit (at once outside a transaction)."""
        ids = {int(i) for i in person_ids if i is not None}
        self._pending.setdefault(topic, set()).update(ids)
        # The cached status of the people touched is stale now; the engine recomputes it.
        if len(ids) > 500:
            self.conn.execute("DELETE FROM person_status")
        elif ids:
            marks = ",".join("?" * len(ids))
            self.conn.execute(f"DELETE FROM person_status WHERE person_id IN ({marks})", list(ids))
        if not self.conn.in_transaction:
            self._flush()

    def _flush(self) -> None:
        pending, self._pending = self._pending, {}
        for topic, ids in pending.items():
            for listener in list(self._listeners):
                listener(topic, frozenset(ids))

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """Read rows as dicts."""
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description or ()]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- people ----------------------------------------------------------------------

    def _clean_person(
        self, p: Person, region: str | None = None, keep: frozenset[str] = frozenset()
    ) -> Person:
        """``p`` checked and normalised. Typed phones (``valid=False``) are read in ``region``
        (default: the setting); one in ``keep`` (already stored, not normalised) stays as is."""
        out = replace(
            p, emails=[], phones=[], tags=[], links=[]
        )  # shallow: no deep copy of the photo
        for name in (
            "given_name",
            "family_name",
            "org",
            "department",
            "title",
            "website",
            "photo_type",
            "source",
        ):
            setattr(
                out, name, F.clean_text(name if name in F.LIMITS else "label", getattr(p, name))
            )
        try:
            out.kind = ContactKind(p.kind)
        except ValueError:
            choices = ", ".join(k.value for k in ContactKind)
            raise ValidationError("kind", f"{p.kind!r} is not one of {choices}") from None
        organisation = out.kind is ContactKind.ORGANISATION
        out.note = F.clean_text("note", p.note, multiline=True)
        out.display_name = F.clean_text("display_name", p.display_name) or " ".join(
            x for x in (out.given_name, out.family_name) if x
        )
        if not out.display_name and organisation:
            out.display_name = out.org
        if not out.display_name:
            raise ValidationError("display_name", "a person needs a name")
        # A person's name typed as one string is split; an organisation's name, or an email
        # address or phone number standing in for a name, is not a given name.
        if not (out.given_name or out.family_name or organisation) and _a_typed_name(
            out.display_name
        ):
            out.given_name, out.family_name = F.split_name(out.display_name)
        out.birthday = F.parse_birthday(p.birthday)
        out.links = [F.clean_text("link", link) for link in p.links if link and link.strip()]
        out.emails = F.dedupe_emails(
            [Email(F.validate_email(e.address), F.clean_text("label", e.label)) for e in p.emails]
        )
        out.phones = [self._clean_phone(ph, region, keep) for ph in p.phones]
        out.tags = sorted({F.normalize_tag(t) for t in p.tags if t and t.strip()})
        if p.photo is not None and len(p.photo) > F.LIMITS["photo"]:
            raise ValidationError(
                "photo", f"is {len(p.photo)} bytes; the limit is {F.LIMITS['photo']}"
            )
        return out

    def _clean_phone(self, ph: Phone, region: str | None, keep: frozenset[str]) -> Phone:
        label = F.clean_text("label", ph.label)
        number = F.clean_text("phone", ph.number)
        if ph.valid and F.is_e164(number):
            return Phone(number, label, True)
        if not ph.valid and number in keep:
            return Phone(number, label, False)
        return F.normalize_phone(number, region or self.settings["phone.region"], label)

    def add_person(
        self,
        person: Person,
        *,
        import_batch_id: int | None = None,
        capture_id: int | None = None,
        phone_region: str | None = None,
    ) -> int:
        """Validate and insert a person with their emails, phones and tags. Returns the id.

        Typed phones are read in ``phone_region`` (default: the ``phone.region`` setting)."""
        p = self._clean_person(person, phone_region)
        with self.atomic():
            pid = self._insert_person(p, now_iso(), import_batch_id, capture_id)
            self._write_children(pid, p)
            self.changed("people", [pid])
        return pid

    def add_people(
        self,
        people: Iterable[Person],
        *,
        import_batch_id: int | None = None,
        phone_region: str | None = None,
    ) -> list[int]:
        """Insert many new people in one transaction (an import). Returns their ids, in order.

        The same validation as :meth:`add_person`; a bad record raises ValidationError and
        nothing is written. Faster for thousands: no savepoint per person, and the emails,
        phones and tags of all of them go in three statements."""
        stamp = now_iso()
        ids: list[int] = []
        emails: list[tuple[int, str, str, int]] = []
        phones: list[tuple[int, str, str, int, int]] = []
        tags: list[tuple[int, str]] = []
        with self.atomic():
            for person in people:
                p = self._clean_person(person, phone_region)
                pid = self._insert_person(p, stamp, import_batch_id, None)
                ids.append(pid)
                emails += [(pid, e.address, e.label, i) for i, e in enumerate(p.emails)]
                phones += [
                    (pid, f.number, f.label, int(f.valid), i) for i, f in enumerate(p.phones)
                ]
                tags += [(pid, t) for t in p.tags]
            self._insert_children(emails, phones, tags)
            self.changed("people", ids)
        return ids

    def _insert_person(
        self, p: Person, stamp: str, import_batch_id: int | None, capture_id: int | None
    ) -> int:
        cur = self.conn.execute(
            """INSERT INTO people (uuid, display_name, given_name, family_name, org, department,
               title, website, links, birthday, note, photo, photo_type, source, kind,
               import_batch_id, capture_id, created_at, updated_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [
                p.uuid or new_uuid(),
                p.display_name,
                p.given_name,
                p.family_name,
                p.org,
                p.department,
                p.title,
                p.website,
                json.dumps(p.links),
                p.birthday,
                p.note,
                p.photo,
                p.photo_type,
                p.source,
                str(p.kind),
                import_batch_id,
                capture_id,
                p.created_at or stamp,
                p.updated_at or stamp,
            ],
        )
        return int(cur.lastrowid or 0)

    def _insert_children(
        self,
        emails: list[tuple[int, str, str, int]],
        phones: list[tuple[int, str, str, int, int]],
        tags: list[tuple[int, str]],
    ) -> None:
        self.conn.executemany(
            "INSERT INTO person_emails (person_id, email, label, position) VALUES (?,?,?,?)",
            emails,
        )
        self.conn.executemany(
            "INSERT INTO person_phones (person_id, phone, label, valid, position) VALUES (?,?,?,?,?)",
            phones,
        )
        self.conn.executemany("INSERT INTO person_tags (person_id, tag) VALUES (?,?)", tags)

    def _write_children(self, pid: int, p: Person) -> None:
        self.conn.execute("DELETE FROM person_emails WHERE person_id = ?", [pid])
        self.conn.execute("DELETE FROM person_phones WHERE person_id = ?", [pid])
        self.conn.execute("DELETE FROM person_tags WHERE person_id = ?", [pid])
        self._insert_children(
            [(pid, e.address, e.label, i) for i, e in enumerate(p.emails)],
            [(pid, ph.number, ph.label, int(ph.valid), i) for i, ph in enumerate(p.phones)],
            [(pid, t) for t in p.tags],
        )

    def update_person(self, pid: int, *, phone_region: str | None = None, **changes: Any) -> Person:
        """Change some fields of a person (lists are replaced whole). Returns the stored person.

        Phones given as text are read in ``phone_region`` (default: the setting); a number
        already stored as not normalised stays exactly as it is."""
        current = self.get_person(pid)
        keep = frozenset(ph.number for ph in current.phones if not ph.valid)
        unknown = set(changes) - set(Person.__dataclass_fields__) - {"id", "uuid"}
        if unknown:
            raise ValidationError(sorted(unknown)[0], "no such person field")
        for key, value in changes.items():
            if key == "emails":
                value = [v if isinstance(v, Email) else Email(v) for v in value]
            elif key == "phones":
                value = [v if isinstance(v, Phone) else Phone(v, valid=False) for v in value]
            setattr(current, key, value)
        p = self._clean_person(current, phone_region, keep)
        with self.atomic():
            self.conn.execute(
                """UPDATE people SET display_name=?, given_name=?, family_name=?, org=?,
                   department=?, title=?, website=?, links=?, birthday=?, note=?, photo=?,
                   photo_type=?, source=?, kind=?, updated_at=? WHERE id=?""",
                [
                    p.display_name,
                    p.given_name,
                    p.family_name,
                    p.org,
                    p.department,
                    p.title,
                    p.website,
                    json.dumps(p.links),
                    p.birthday,
                    p.note,
                    p.photo,
                    p.photo_type,
                    p.source,
                    str(p.kind),
                    now_iso(),
                    pid,
                ],
            )
            self._write_children(pid, p)
            self.changed("people", [pid])
        return self.get_person(pid)

    def get_person(self, pid: int) -> Person:
        rows = self.query("SELECT * FROM people WHERE id = ?", [pid])
        if not rows:
            raise NotFoundError(f"person {pid} not found")
        return self._person_from_row(rows[0])

    def _person_from_row(self, row: dict[str, Any]) -> Person:
        pid = row["id"]
        emails = [
            Email(r["email"], r["label"])
            for r in self.query(
                "SELECT email, label FROM person_emails WHERE person_id = ? ORDER BY position, id",
                [pid],
            )
        ]
        phones = [
            Phone(r["phone"], r["label"], bool(r["valid"]))
            for r in self.query(
                "SELECT phone, label, valid FROM person_phones WHERE person_id = ? ORDER BY position, id",
                [pid],
            )
        ]
        tags = [
            r["tag"]
            for r in self.query(
                "SELECT tag FROM person_tags WHERE person_id = ? ORDER BY tag", [pid]
            )
        ]
        return Person(
            id=pid,
            uuid=row["uuid"],
            display_name=row["display_name"],
            given_name=row["given_name"],
            family_name=row["family_name"],
            org=row["org"],
            department=row["department"],
            title=row["title"],
            emails=emails,
            phones=phones,
            website=row["website"],
            links=json.loads(row["links"] or "[]"),
            birthday=row["birthday"],
            note=row["note"],
            tags=tags,
            photo=row["photo"],
            photo_type=row["photo_type"],
            source=row["source"],
            kind=ContactKind(row["kind"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )

    def find_person(self, ref: str | int) -> Person:
        """A person by id or by exact display name (case-insensitive)."""
        text = F.nfc(" ".join(str(ref).split()))
        if text.isdigit():
            return self.get_person(int(text))
        rows = self.query(
            "SELECT id FROM people WHERE display_name = ? COLLATE NOCASE ORDER BY id LIMIT 2",
            [text],
        )
        if not rows:  # SQLite's NOCASE folds ASCII only: compare non-ASCII names in Python
            key = text.casefold()
            rows = [
                {"id": i}
                for i, name in self.conn.execute("SELECT id, display_name FROM people")
                if name.casefold() == key
            ][:2]
        if not rows:
            raise NotFoundError(f"no person named {text!r}")
        if len(rows) > 1:
            raise AmbiguousError(f"more than one person is named {text!r}; use the id")
        return self.get_person(rows[0]["id"])

    def person_ids_by_name(self, name: str) -> list[int]:
        """Ids of people whose display name equals ``name``, ignoring case (Unicode-aware)."""
        name = F.nfc(" ".join(name.split()))
        key = name.casefold()
        ids = [
            r["id"]
            for r in self.query(
                "SELECT id FROM people WHERE display_name = ? COLLATE NOCASE ORDER BY id", [name]
            )
        ]
        if ids or key.isascii():
            return ids
        return [
            i
            for i, n in self.conn.execute("SELECT id, display_name FROM people ORDER BY id")
            if n.casefold() == key
        ]

    def count_people(self, search: str = "") -> int:
        q = fts_query(search)
        if q:
            return int(self.scalar("SELECT count(*) FROM people_fts WHERE people_fts MATCH ?", [q]))
        return int(self.scalar("SELECT count(*) FROM people"))

    def search_people(self, text: str, limit: int = 50) -> list[dict[str, Any]]:
        """Ranked full-text search over names, organisation, title, notes, tags and emails."""
        q = fts_query(text)
        if not q:
            return []
        return self.query(
            """SELECT p.id, p.display_name, p.org, p.title FROM people_fts
               JOIN people p ON p.id = people_fts.rowid
               WHERE people_fts MATCH ? ORDER BY rank LIMIT ?""",
            [q, limit],
        )

    _PERSON_TABLES = (
        ("person_emails", "person_id"),
        ("person_phones", "person_id"),
        ("person_tags", "person_id"),
        ("attendance", "person_id"),
        ("interactions", "person_id"),
        ("consents", "person_id"),
        ("snoozes", "person_id"),
    )

    def snapshot_person(self, pid: int) -> dict[str, Any]:
        """Every row that belongs to a person, enough to restore them exactly (undo)."""
        rows = self.query("SELECT * FROM people WHERE id = ?", [pid])
        if not rows:
            raise NotFoundError(f"person {pid} not found")
        snap: dict[str, Any] = {"people": rows}
        for table, col in self._PERSON_TABLES:
            snap[table] = self.query(f"SELECT * FROM {table} WHERE {col} = ?", [pid])
        snap["referrals"] = self.query(
            "SELECT * FROM referrals WHERE ? IN (referrer_id, provider_id, prospect_id)", [pid]
        )
        return snap

    def delete_person(self, pid: int) -> dict[str, Any]:
        """Delete a person and everything about them. Returns a snapshot for undo."""
        snap = self.snapshot_person(pid)
        with self.atomic():
            self.conn.execute("DELETE FROM people WHERE id = ?", [pid])
            self.changed("people", [pid])
        return snap

    def reinsert(self, table: str, row: dict[str, Any]) -> int:
        """Insert a row taken by an undo snapshot, under its old id, or under a new one when
        that id was taken since. Returns the id it got."""
        if row.get("id") is not None and self.scalar(
            f"SELECT 1 FROM {table} WHERE id = ?", [row["id"]]
        ):
            row = {k: v for k, v in row.items() if k != "id"}
        cols = list(row)
        cur = self.conn.execute(
            f"INSERT INTO {table} ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
            [row[c] for c in cols],
        )
        return int(cur.lastrowid or 0)

    def restore_person(self, snap: dict[str, Any]) -> int:
        """Put back a person deleted by :meth:`delete_person`, with their history."""
        pid = int(snap["people"][0]["id"])
        with self.atomic():
            for table in ["people", *[t for t, _ in self._PERSON_TABLES], "referrals"]:
                for row in snap.get(table, []):
                    cols = list(row)
                    self.conn.execute(
                        f"INSERT OR REPLACE INTO {table} ({','.join(cols)}) "
                        f"VALUES ({','.join('?' * len(cols))})",
                        [row[c] for c in cols],
                    )
            self.changed("people", [pid])
            self.changed("interactions", [pid])
        return pid

    # -- groups and meetings ---------------------------------------------------------

    def add_group(
        self,
        name: str,
        recurrence: str = "none",
        weekday: int | str | None = None,
        venue: str = "",
    ) -> int:
        """Validate and add a group. ``weekday`` is 0 (Monday) to 6 or a day's name."""
        clean, rec, day, place = self._clean_group(name, recurrence, weekday, venue)
        with self.atomic():
            cur = self.conn.execute(
                "INSERT INTO groups (uuid, name, recurrence, weekday, venue, created_at) VALUES (?,?,?,?,?,?)",
                [new_uuid(), clean, rec.value, day, place, now_iso()],
            )
            self.changed("meetings")
        return int(cur.lastrowid or 0)

    def get_group(self, ref: str | int) -> Group:
        text = str(ref).strip()
        rows = self.query(
            "SELECT * FROM groups WHERE id = ? OR name = ?",
            [int(text) if text.isdigit() else -1, text],
        )
        if not rows:
            raise NotFoundError(f"no group {text!r}")
        r = rows[0]
        return Group(
            r["id"], r["uuid"], r["name"], Recurrence(r["recurrence"]), r["weekday"], r["venue"]
        )

    def list_groups(self) -> list[Group]:
        return [
            Group(
                r["id"], r["uuid"], r["name"], Recurrence(r["recurrence"]), r["weekday"], r["venue"]
            )
            for r in self.query("SELECT * FROM groups ORDER BY name")
        ]

    def ensure_group(self, name: str) -> int:
        try:
            return int(self.get_group(name).id or 0)
        except NotFoundError:
            return self.add_group(name)

    def add_meeting(
        self,
        name: str,
        date: str,
        *,
        group_id: int | None = None,
        venue: str = "",
        note: str = "",
        attendee_ids: Iterable[int] = (),
        capture_id: int | None = None,
    ) -> int:
        clean = F.clean_text("meeting", name)
        if not clean:
            raise ValidationError("name", "a meeting needs a name")
        day = F.parse_date("date", date)
        with self.atomic():
            if (
                group_id is not None
                and self.scalar("SELECT 1 FROM groups WHERE id = ?", [group_id]) is None
            ):
                raise NotFoundError(f"group {group_id} not found")
            cur = self.conn.execute(
                "INSERT INTO meetings (uuid, group_id, name, date, venue, note, created_at) VALUES (?,?,?,?,?,?,?)",
                [
                    new_uuid(),
                    group_id,
                    clean,
                    day,
                    F.clean_text("venue", venue),
                    F.clean_text("note", note, multiline=True),
                    now_iso(),
                ],
            )
            mid = int(cur.lastrowid or 0)
            for pid in attendee_ids:
                self.add_attendance(mid, pid, capture_id=capture_id)
            self.changed("meetings")
        return mid

    def get_meeting(self, mid: int | str) -> Meeting:
        rows = self.query(
            "SELECT * FROM meetings WHERE id = ?", [int(mid) if str(mid).isdigit() else -1]
        )
        if not rows:
            raise NotFoundError(f"meeting {mid} not found")
        r = rows[0]
        return Meeting(
            r["id"], r["uuid"], r["name"], r["date"], r["group_id"], r["venue"], r["note"]
        )

    def add_attendance(
        self, meeting_id: int, person_id: int, *, capture_id: int | None = None
    ) -> bool:
        """Record that a person was at a meeting. Returns False when already recorded."""
        with self.atomic():
            if self.scalar("SELECT 1 FROM people WHERE id = ?", [person_id]) is None:
                raise NotFoundError(f"person {person_id} not found")
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO attendance (meeting_id, person_id, capture_id) VALUES (?,?,?)",
                [meeting_id, person_id, capture_id],
            )
            self.changed("meetings", [person_id])
        return cur.rowcount > 0

    def remove_attendance(self, meeting_id: int, person_id: int) -> None:
        with self.atomic():
            self.conn.execute(
                "DELETE FROM attendance WHERE meeting_id = ? AND person_id = ?",
                [meeting_id, person_id],
            )
            self.changed("meetings", [person_id])

    def attendees(self, meeting_id: int) -> list[int]:
        return [
            r["person_id"]
            for r in self.query(
                "SELECT person_id FROM attendance WHERE meeting_id = ? ORDER BY person_id",
                [meeting_id],
            )
        ]

    def delete_meeting(self, meeting_id: int) -> None:
        pids = self.attendees(meeting_id)
        with self.atomic():
            self.conn.execute("DELETE FROM meetings WHERE id = ?", [meeting_id])
            self.changed("meetings", pids)

    # -- group schedules; editing, deleting and restoring groups and meetings --------

    WEEKDAYS: tuple[str, ...] = (
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    )

    @staticmethod
    def parse_weekday(value: int | str | None) -> int | None:
        """0 (Monday) to 6 (Sunday), from that number or a day's name or its start ("thu",
        "Thursday"). None or blank text is None."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            if 0 <= value <= 6:
                return value
            raise ValidationError("weekday", "must be 0 (Monday) to 6 (Sunday)")
        if not isinstance(value, str):
            raise ValidationError("weekday", f"expected a day, got {type(value).__name__}")
        text = value.strip().casefold().rstrip(".")
        found = [
            i for i, day in enumerate(Store.WEEKDAYS) if len(text) >= 2 and day.startswith(text)
        ]
        if len(found) != 1:
            raise ValidationError(
                "weekday", f"{value.strip()!r} is not a day of the week (mon, tue, … sun)"
            )
        return found[0]

    def _clean_group(
        self,
        name: str,
        recurrence: str | Recurrence,
        weekday: int | str | None,
        venue: str,
        *,
        group_id: int | None = None,
    ) -> tuple[str, Recurrence, int | None, str]:
        """The checked name, recurrence, weekday and venue of a group (``group_id``: the group
        being changed, whose own name is not a clash)."""
        clean = F.clean_text("group", name)
        if not clean:
            raise ValidationError("group", "a group needs a name")
        text = recurrence.strip().casefold() if isinstance(recurrence, str) else recurrence
        try:
            rec = Recurrence(text or "none")
        except ValueError:
            raise ValidationError(
                "recurrence", f"{recurrence!r} is not one of none, weekly, fortnightly, monthly"
            ) from None
        day = self.parse_weekday(weekday)
        if rec is not Recurrence.NONE and day is None:
            raise ValidationError(
                "weekday", f"a {rec.value} group needs the day of the week it meets on"
            )
        clash = self.scalar(
            "SELECT id FROM groups WHERE name = ? AND id IS NOT ?", [clean, group_id]
        )
        if clash is not None:
            raise ValidationError("group", f"a group named {clean!r} already exists")
        return clean, rec, day, F.clean_text("venue", venue)

    def _group_people(self, group_id: int) -> list[int]:
        """Everyone who came to a meeting of the group (their next steps may hang on it)."""
        return [
            int(r[0])
            for r in self.conn.execute(
                "SELECT DISTINCT a.person_id FROM attendance a JOIN meetings m ON m.id = a.meeting_id "
                "WHERE m.group_id = ?",
                [group_id],
            )
        ]

    def update_group(self, ref: str | int, **changes: Any) -> Group:
        """Change a group's ``name``, ``recurrence``, ``weekday`` or ``venue``; returns it.

        The engine predicts the group's coming meetings from recurrence and weekday, so the
        cached status of everyone who came to its meetings is refreshed."""
        current = self.get_group(ref)
        unknown = set(changes) - {"name", "recurrence", "weekday", "venue"}
        if unknown:
            raise ValidationError(sorted(unknown)[0], "no such group field")
        gid = int(current.id or 0)
        clean, rec, day, place = self._clean_group(
            changes.get("name", current.name),
            changes.get("recurrence", current.recurrence),
            changes.get("weekday", current.weekday),
            changes.get("venue", current.venue),
            group_id=gid,
        )
        with self.atomic():
            self.conn.execute(
                "UPDATE groups SET name = ?, recurrence = ?, weekday = ?, venue = ? WHERE id = ?",
                [clean, rec.value, day, place, gid],
            )
            self.changed("meetings", self._group_people(gid))
        return self.get_group(gid)

    def group_stats(self) -> list[dict[str, Any]]:
        """Every group, by name, with its schedule, how many meetings it has and the last one."""
        return self.query(
            """SELECT g.id, g.name, g.recurrence, g.weekday, g.venue,
                      count(m.id) AS meetings, max(m.date) AS last_meeting
                 FROM groups g LEFT JOIN meetings m ON m.group_id = g.id
                GROUP BY g.id ORDER BY g.name COLLATE NOCASE, g.id"""
        )

    def count_meetings(self, group_id: int | None) -> int:
        """How many meetings the group has; ``None``: how many belong to no group."""
        return int(self.scalar("SELECT count(*) FROM meetings WHERE group_id IS ?", [group_id]))

    def delete_group(self, group_id: int) -> dict[str, Any]:
        """Delete a group. Its meetings stay, without a group, with their attendance and
        everything logged at them. Returns a snapshot for :meth:`restore_group`."""
        rows = self.query("SELECT * FROM groups WHERE id = ?", [group_id])
        if not rows:
            raise NotFoundError(f"group {group_id} not found")
        meetings = [
            int(r[0])
            for r in self.conn.execute("SELECT id FROM meetings WHERE group_id = ?", [group_id])
        ]
        with self.atomic():
            people = self._group_people(group_id)
            self.conn.execute("UPDATE meetings SET group_id = NULL WHERE group_id = ?", [group_id])
            self.conn.execute("DELETE FROM groups WHERE id = ?", [group_id])
            self.changed("meetings", people)
        return {"group": rows[0], "meetings": meetings}

    def restore_group(self, snap: dict[str, Any]) -> int:
        """Put back a group deleted by :meth:`delete_group` and regroup its meetings (those
        that were not given another group since). Returns the group's id."""
        row = dict(snap["group"])
        with self.atomic():
            if self.scalar("SELECT 1 FROM groups WHERE name = ?", [row["name"]]) is not None:
                raise ValidationError(
                    "group", f"a group named {row['name']!r} exists again; rename it first"
                )
            gid = self.reinsert("groups", row)
            self.conn.execute(
                "UPDATE meetings SET group_id = ? WHERE group_id IS NULL "
                "AND id IN (SELECT value FROM json_each(?))",
                [gid, json.dumps([int(i) for i in snap.get("meetings", [])])],
            )
            self.changed("meetings", self._group_people(gid))
        return gid

    def update_meeting(self, meeting_id: int, **changes: Any) -> Meeting:
        """Change a meeting's ``name``, ``date``, ``group_id``, ``venue`` or ``note``.

        A new date moves what was logged at the meeting on its old date (the ``met`` notes,
        value given there) along with it: it happened at that meeting, on its day."""
        current = self.get_meeting(meeting_id)
        unknown = set(changes) - {"name", "date", "group_id", "venue", "note"}
        if unknown:
            raise ValidationError(sorted(unknown)[0], "no such meeting field")
        name = F.clean_text("meeting", changes.get("name", current.name))
        if not name:
            raise ValidationError("name", "a meeting needs a name")
        day = F.parse_date("date", changes.get("date", current.date))
        group_id = changes.get("group_id", current.group_id)
        venue = F.clean_text("venue", changes.get("venue", current.venue))
        note = F.clean_text("note", changes.get("note", current.note), multiline=True)
        with self.atomic():
            if (
                group_id is not None
                and self.scalar("SELECT 1 FROM groups WHERE id = ?", [group_id]) is None
            ):
                raise NotFoundError(f"group {group_id} not found")
            self.conn.execute(
                "UPDATE meetings SET name = ?, date = ?, group_id = ?, venue = ?, note = ? "
                "WHERE id = ?",
                [name, day, group_id, venue, note, meeting_id],
            )
            moved: list[int] = []
            if day != current.date:
                where = "WHERE meeting_id = ? AND date = ?"
                moved = [
                    int(r[0])
                    for r in self.conn.execute(
                        f"SELECT DISTINCT person_id FROM interactions {where}",
                        [meeting_id, current.date],
                    )
                ]
                self.conn.execute(
                    f"UPDATE interactions SET date = ? {where}", [day, meeting_id, current.date]
                )
                self.changed("interactions", moved)
            self.changed("meetings", [*self.attendees(meeting_id), *moved])
        return self.get_meeting(meeting_id)

    # Rows that name a meeting and outlive it (their meeting_id becomes NULL).
    _MEETING_LINKS = ("interactions", "consents", "card_batches", "captures")

    def snapshot_meeting(self, meeting_id: int) -> dict[str, Any]:
        """A meeting, who came, and which rows named it: enough for :meth:`restore_meeting`."""
        rows = self.query("SELECT * FROM meetings WHERE id = ?", [meeting_id])
        if not rows:
            raise NotFoundError(f"meeting {meeting_id} not found")
        return {
            "meeting": rows[0],
            "attendance": self.query("SELECT * FROM attendance WHERE meeting_id = ?", [meeting_id]),
            "links": {
                table: [
                    int(r[0])
                    for r in self.conn.execute(
                        f"SELECT id FROM {table} WHERE meeting_id = ?", [meeting_id]
                    )
                ]
                for table in self._MEETING_LINKS
            },
        }

    def meeting_links(self, meeting_id: int) -> dict[str, int]:
        """How many people came to a meeting and how many interactions name it."""
        return {
            "attendees": int(
                self.scalar("SELECT count(*) FROM attendance WHERE meeting_id = ?", [meeting_id])
            ),
            "interactions": int(
                self.scalar("SELECT count(*) FROM interactions WHERE meeting_id = ?", [meeting_id])
            ),
        }

    def restore_meeting(self, snap: dict[str, Any]) -> int:
        """Put back a meeting deleted after :meth:`snapshot_meeting`: its attendance (of people
        who still exist) and its links from interactions, consents, card batches and captures.
        Keeps the old id when it is free. Returns the meeting's id."""
        row = dict(snap["meeting"])
        with self.atomic():
            if (
                row.get("group_id") is not None
                and self.scalar("SELECT 1 FROM groups WHERE id = ?", [row["group_id"]]) is None
            ):
                row["group_id"] = None
            mid = self.reinsert("meetings", row)
            people: list[int] = []
            for a in snap.get("attendance", []):
                if self.scalar("SELECT 1 FROM people WHERE id = ?", [a["person_id"]]) is None:
                    continue
                capture = a.get("capture_id")
                if capture is not None and (
                    self.scalar("SELECT 1 FROM captures WHERE id = ?", [capture]) is None
                ):
                    capture = None
                self.conn.execute(
                    "INSERT OR IGNORE INTO attendance (meeting_id, person_id, capture_id) "
                    "VALUES (?,?,?)",
                    [mid, a["person_id"], capture],
                )
                people.append(int(a["person_id"]))
            for table, ids in snap.get("links", {}).items():
                if table not in self._MEETING_LINKS:
                    continue
                self.conn.execute(
                    f"UPDATE {table} SET meeting_id = ? WHERE id IN "
                    "(SELECT value FROM json_each(?)) AND (meeting_id IS NULL OR meeting_id = ?)",
                    [mid, json.dumps([int(x) for x in ids]), snap["meeting"]["id"]],
                )
            noted = [
                int(r[0])
                for r in self.conn.execute(
                    "SELECT DISTINCT person_id FROM interactions WHERE meeting_id = ?", [mid]
                )
            ]
            self.changed("meetings", people)
            self.changed("interactions", noted)
        return mid

    # -- interactions ------------------------------------------------------------------

    def _check_interaction(self, it: Interaction) -> Interaction:  # noqa: C901  split in #14
        try:
            kind = Kind(it.kind)
        except ValueError:
            raise ValidationError("kind", f"{it.kind!r} is not a kind of interaction") from None
        outcome = None
        if it.outcome is not None:
            try:
                outcome = Outcome(it.outcome)
            except ValueError:
                raise ValidationError(
                    "outcome", f"{it.outcome!r} is not one of accepted, declined, pending, ignored"
                ) from None
        ask_type = (it.ask_type or "").strip() or None
        if kind is Kind.ASK:
            if not ask_type:
                raise ValidationError("ask", "an ask needs its ask type (--ask)")
            outcome = outcome or Outcome.PENDING
        elif ask_type is not None:
            raise ValidationError("ask", "only an ask has an ask type")
        elif outcome is not None:
            raise ValidationError("outcome", "only an ask has an outcome")
        amount = it.amount
        if amount is not None:
            if kind not in (Kind.BUSINESS, Kind.REFERRAL_RECEIVED, Kind.REFERRAL_GIVEN):
                raise ValidationError("amount", "only business and referrals have an amount")
            if not (amount == amount) or amount < 0 or amount > 1e12:  # NaN or out of range
                raise ValidationError("amount", f"{amount!r} is not a positive amount")
        if kind is Kind.BUSINESS and amount is None:
            raise ValidationError("amount", "business closed needs its amount (--amount)")
        if it.library_item_id is not None:
            if kind is not Kind.VALUE_GIVEN:
                raise ValidationError("item", "only value given can name a library item")
            if (
                self.scalar("SELECT 1 FROM library_items WHERE id = ?", [it.library_item_id])
                is None
            ):
                raise NotFoundError(f"library item {it.library_item_id} not found")
        return Interaction(
            id=it.id,
            uuid=it.uuid,
            person_id=it.person_id,
            date=F.parse_date("date", it.date),
            kind=kind,
            note=F.clean_text("note", it.note, multiline=True),
            ask_type=ask_type,
            outcome=outcome,
            amount=amount,
            library_item_id=it.library_item_id,
            meeting_id=it.meeting_id,
            referral_id=it.referral_id,
        )

    def log(
        self,
        interaction: Interaction,
        *,
        capture_id: int | None = None,
        import_batch_id: int | None = None,
    ) -> int:
        """Validate and record one interaction. Returns its id."""
        it = self._check_interaction(interaction)
        with self.atomic():
            if self.scalar("SELECT 1 FROM people WHERE id = ?", [it.person_id]) is None:
                raise NotFoundError(f"person {it.person_id} not found")
            cur = self.conn.execute(
                """INSERT INTO interactions (uuid, person_id, date, kind, note, ask_type, outcome,
                   amount, library_item_id, meeting_id, referral_id, capture_id, import_batch_id,
                   created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                [
                    it.uuid or new_uuid(),
                    it.person_id,
                    it.date,
                    it.kind.value,
                    it.note,
                    it.ask_type,
                    it.outcome.value if it.outcome else None,
                    it.amount,
                    it.library_item_id,
                    it.meeting_id,
                    it.referral_id,
                    capture_id,
                    import_batch_id,
                    now_iso(),
                ],
            )
            self.changed("interactions", [it.person_id])
        return int(cur.lastrowid or 0)

    def set_outcome(self, interaction_id: int, outcome: str) -> None:
        """Record how a pending ask turned out."""
        try:
            value = Outcome(outcome)
        except ValueError:
            raise ValidationError(
                "outcome", f"{outcome!r} is not one of accepted, declined, pending, ignored"
            ) from None
        rows = self.query("SELECT person_id, kind FROM interactions WHERE id = ?", [interaction_id])
        if not rows:
            raise NotFoundError(f"interaction {interaction_id} not found")
        if rows[0]["kind"] != Kind.ASK:
            raise ValidationError("outcome", "only an ask has an outcome")
        with self.atomic():
            self.conn.execute(
                "UPDATE interactions SET outcome = ? WHERE id = ?", [value.value, interaction_id]
            )
            self.changed("interactions", [rows[0]["person_id"]])

    def delete_interaction(self, interaction_id: int) -> dict[str, Any]:
        rows = self.query("SELECT * FROM interactions WHERE id = ?", [interaction_id])
        if not rows:
            raise NotFoundError(f"interaction {interaction_id} not found")
        with self.atomic():
            self.conn.execute("DELETE FROM interactions WHERE id = ?", [interaction_id])
            self.changed("interactions", [rows[0]["person_id"]])
        return rows[0]

    def interactions(self, pid: int) -> list[Interaction]:
        return [
            Interaction(
                r["id"],
                r["uuid"],
                r["person_id"],
                r["date"],
                Kind(r["kind"]),
                r["note"],
                r["ask_type"],
                Outcome(r["outcome"]) if r["outcome"] else None,
                r["amount"],
                r["library_item_id"],
                r["meeting_id"],
                r["referral_id"],
            )
            for r in self.query(
                "SELECT * FROM interactions WHERE person_id = ? ORDER BY date DESC, id DESC", [pid]
            )
        ]

    # -- referrals ---------------------------------------------------------------------

    def add_referral(self, ref: Referral) -> int:
        """Record a referral and the matching interaction with the person on the other side."""
        if ref.referrer_id is not None and ref.provider_id is not None:
            raise ValidationError(
                "referral", "either you referred someone, or someone referred you"
            )
        if ref.referrer_id is None and ref.provider_id is None:
            raise ValidationError("referral", "name who referred you, or whom you referred")
        if ref.prospect_id is None and not ref.prospect_name.strip():
            raise ValidationError("prospect", "name the person referred")
        day = F.parse_date("date", ref.date)
        try:
            status = ReferralStatus(ref.status)
        except ValueError:
            raise ValidationError(
                "status", f"{ref.status!r} is not one of new, contacted, won, lost"
            ) from None
        if ref.value is not None and (ref.value != ref.value or ref.value < 0):
            raise ValidationError("value", "must be a positive amount")
        stamp = now_iso()
        other = ref.referrer_id if ref.referrer_id is not None else ref.provider_id
        with self.atomic():
            if ref.prospect_id is not None:
                dup = self.scalar(
                    "SELECT id FROM referrals WHERE prospect_id = ? AND referrer_id IS ? AND provider_id IS ?",
                    [ref.prospect_id, ref.referrer_id, ref.provider_id],
                )
                if dup is not None:
                    raise ValidationError(
                        "referral",
                        f"this introduction is already recorded (referral {dup}); a referral counts once",
                    )
            cur = self.conn.execute(
                """INSERT INTO referrals (uuid, referrer_id, provider_id, prospect_id, prospect_name,
                   status, value, prospect_agreed, date, note, created_at, updated_at)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
                [
                    ref.uuid or new_uuid(),
                    ref.referrer_id,
                    ref.provider_id,
                    ref.prospect_id,
                    F.clean_text("display_name", ref.prospect_name),
                    status.value,
                    ref.value,
                    int(ref.prospect_agreed),
                    day,
                    F.clean_text("note", ref.note, multiline=True),
                    stamp,
                    stamp,
                ],
            )
            rid = int(cur.lastrowid or 0)
            kind = Kind.REFERRAL_RECEIVED if ref.referrer_id is not None else Kind.REFERRAL_GIVEN
            self.log(
                Interaction(
                    person_id=int(other or 0), date=day, kind=kind, note=ref.note, referral_id=rid
                )
            )
            self.changed("referrals", [int(other or 0)])
        return rid

    def set_referral_status(
        self, rid: int, status: str, value: float | None = None, *, date: str | None = None
    ) -> None:
        """Move a referral along new → contacted → won/lost. Won needs the value of the business."""
        try:
            st = ReferralStatus(status)
        except ValueError:
            raise ValidationError(
                "status", f"{status!r} is not one of new, contacted, won, lost"
            ) from None
        rows = self.query("SELECT * FROM referrals WHERE id = ?", [rid])
        if not rows:
            raise NotFoundError(f"referral {rid} not found")
        if st is ReferralStatus.WON and value is None and rows[0]["value"] is None:
            raise ValidationError("value", "a won referral needs the value of the business")
        if value is not None and (value != value or value < 0):
            raise ValidationError("value", "must be a positive amount")
        stamp = (F.parse_date("date", date) + "T12:00:00+00:00") if date else now_iso()
        with self.atomic():
            self.conn.execute(
                "UPDATE referrals SET status = ?, value = COALESCE(?, value), updated_at = ? WHERE id = ?",
                [st.value, value, stamp, rid],
            )
            r = rows[0]
            self.changed(
                "referrals",
                [x for x in (r["referrer_id"], r["provider_id"], r["prospect_id"]) if x],
            )

    # -- consents ----------------------------------------------------------------------

    def add_consent(self, consent: Consent) -> int:
        try:
            method = ConsentMethod(consent.method)
        except ValueError:
            raise ValidationError(
                "method", f"{consent.method!r} is not one of card, paper, verbal, web, import"
            ) from None
        email = F.validate_email(consent.email) if consent.email else ""
        if not consent.obtained_at:
            raise ValidationError("date", "when was consent given?")
        with self.atomic():
            if self.scalar("SELECT 1 FROM people WHERE id = ?", [consent.person_id]) is None:
                raise NotFoundError(f"person {consent.person_id} not found")
            cur = self.conn.execute(
                """INSERT INTO consents (uuid, person_id, email, method, obtained_at, meeting_id,
                   card_code, wording, source, withdrawn_at) VALUES (?,?,?,?,?,?,?,?,?,NULL)""",
                [
                    consent.uuid or new_uuid(),
                    consent.person_id,
                    email,
                    method.value,
                    consent.obtained_at,
                    consent.meeting_id,
                    F.clean_text("label", consent.card_code),
                    F.clean_text("note", consent.wording, multiline=True),
                    F.clean_text("note", consent.source),
                ],
            )
            self.changed("consents", [consent.person_id])
        return int(cur.lastrowid or 0)

    def withdraw_consent(self, pid: int, when: str | None = None) -> int:
        """Withdraw every active consent of a person. Returns how many were withdrawn."""
        with self.atomic():
            cur = self.conn.execute(
                "UPDATE consents SET withdrawn_at = ? WHERE person_id = ? AND withdrawn_at IS NULL",
                [when or now_iso(), pid],
            )
            self.changed("consents", [pid])
        return cur.rowcount

    def consents(self, pid: int) -> list[Consent]:
        return [
            Consent(
                r["id"],
                r["uuid"],
                r["person_id"],
                r["email"],
                ConsentMethod(r["method"]),
                r["obtained_at"],
                r["meeting_id"],
                r["card_code"],
                r["wording"],
                r["source"],
                r["withdrawn_at"],
            )
            for r in self.query(
                "SELECT * FROM consents WHERE person_id = ? ORDER BY obtained_at", [pid]
            )
        ]

    # -- value library -----------------------------------------------------------------

    def add_library_item(self, item: LibraryItem) -> int:
        title = F.clean_text("title", item.title)
        if not title:
            raise ValidationError("title", "a library item needs a title")
        try:
            kind = LibraryKind(item.kind)
        except ValueError:
            raise ValidationError(
                "kind", f"{item.kind!r} is not one of {', '.join(k.value for k in LibraryKind)}"
            ) from None
        tags = sorted({F.normalize_tag(t) for t in item.tags if t.strip()})
        with self.atomic():
            cur = self.conn.execute(
                """INSERT INTO library_items (uuid, title, kind, url, description, tags, retired_at, created_at)
                   VALUES (?,?,?,?,?,?,?,?)""",
                [
                    item.uuid or new_uuid(),
                    title,
                    kind.value,
                    F.clean_text("website", item.url),
                    F.clean_text("note", item.description, multiline=True),
                    json.dumps(tags),
                    item.retired_at,
                    now_iso(),
                ],
            )
            self.changed("library")
        return int(cur.lastrowid or 0)

    def update_library_item(self, item_id: int, **changes: Any) -> None:
        current = self.get_library_item(item_id)
        for k, v in changes.items():
            if k not in LibraryItem.__dataclass_fields__ or k in ("id", "uuid"):
                raise ValidationError(k, "no such library field")
            setattr(current, k, v)
        title = F.clean_text("title", current.title)
        if not title:
            raise ValidationError("title", "a library item needs a title")
        try:
            kind = LibraryKind(current.kind)
        except ValueError:
            raise ValidationError("kind", f"{current.kind!r} is not a library kind") from None
        tags = sorted({F.normalize_tag(t) for t in current.tags if t.strip()})
        with self.atomic():
            self.conn.execute(
                "UPDATE library_items SET title=?, kind=?, url=?, description=?, tags=?, retired_at=? WHERE id=?",
                [
                    title,
                    kind.value,
                    F.clean_text("website", current.url),
                    F.clean_text("note", current.description, multiline=True),
                    json.dumps(tags),
                    current.retired_at,
                    item_id,
                ],
            )
            self.changed("library")

    def get_library_item(self, item_id: int) -> LibraryItem:
        rows = self.query("SELECT * FROM library_items WHERE id = ?", [item_id])
        if not rows:
            raise NotFoundError(f"library item {item_id} not found")
        return self._item(rows[0])

    @staticmethod
    def _item(r: dict[str, Any]) -> LibraryItem:
        return LibraryItem(
            r["id"],
            r["uuid"],
            r["title"],
            LibraryKind(r["kind"]),
            r["url"],
            r["description"],
            json.loads(r["tags"] or "[]"),
            r["retired_at"],
        )

    def list_library(self, *, include_retired: bool = False) -> list[LibraryItem]:
        where = "" if include_retired else "WHERE retired_at IS NULL"
        return [
            self._item(r) for r in self.query(f"SELECT * FROM library_items {where} ORDER BY id")
        ]

    # -- drafts ------------------------------------------------------------------------

    def save_draft(self, key: str, value: Any) -> None:
        with self.atomic():
            self.conn.execute(
                "INSERT INTO drafts(key, value, updated_at) VALUES (?,?,?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                [key, json.dumps(value), now_iso()],
            )

    def load_draft(self, key: str) -> Any:
        raw = self.scalar("SELECT value FROM drafts WHERE key = ?", [key])
        return None if raw is None else json.loads(raw)

    def clear_draft(self, key: str) -> None:
        with self.atomic():
            self.conn.execute("DELETE FROM drafts WHERE key = ?", [key])


def open_store(path: str | os.PathLike[str]) -> Store:
    return Store(path)
