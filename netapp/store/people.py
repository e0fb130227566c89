"""People and their emails, phones and tags (tables ``people``, ``person_emails``,
``person_phones``, ``person_tags``; ``people_fts`` is kept by triggers).

Columns and the row ↔ :class:`~netapp.domain.Person` mapping come from the one declaration of
a person's details (:class:`netapp.domain.ContactDetails`).
"""

from __future__ import annotations

import json
import operator
import sqlite3
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from netapp import fields as F
from netapp.change import Change
from netapp.domain import (
    ContactKind,
    Email,
    Person,
    Phone,
    Topic,
    detail,
    detail_fields,
    parse_enum,
)
from netapp.errors import AmbiguousError, NotFoundError, ValidationError
from netapp.store.db import Database, new_uuid, new_uuids, now_iso
from netapp.store.settings import Settings

# The people table's own columns for the details (links as a JSON list).
_DETAIL_COLUMNS = (*detail_fields(stored="column"), *detail_fields(stored="json"))
_INSERT_COLUMNS = (
    "uuid",
    *_DETAIL_COLUMNS,
    "import_batch_id",
    "capture_id",
    "created_at",
    "updated_at",
)
_INSERT_SQL = (
    f"INSERT INTO people ({', '.join(_INSERT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_INSERT_COLUMNS))})"
)
_UPDATE_SQL = (
    f"UPDATE people SET {', '.join(f'{c} = ?' for c in _DETAIL_COLUMNS)}, updated_at = ? "
    "WHERE id = ?"
)
# Plain one-line text details, cleaned the same way (the others have rules of their own).
_PLAIN_TEXT = tuple(
    n
    for n in detail_fields(stored="column")
    if n not in ("display_name", "birthday", "remind_on", "photo", "kind")
)
# (name, the cap it is checked against, multi-line) of each, read once.
_PLAIN_TEXT_RULES = tuple(
    (n, n if n in F.LIMITS else "label", bool(detail(n, "multiline"))) for n in _PLAIN_TEXT
)
# True while this database captures local writes for device sync: the WHEN clause of the
# outbox triggers (schema._CAPTURING; a test holds the two equal). Not imported from the
# schema, which loads sqlite-utils (for migrations only).
CAPTURING = "EXISTS (SELECT 1 FROM devices_self WHERE applying = 0)"
# Rows that belong to a person (deleted with them, put back by restore).
_OWN_TABLES = (
    "person_emails",
    "person_phones",
    "person_tags",
    "attendance",
    "interactions",
    "consents",
    "snoozes",
    "sync_events",
    "notes",
)


def _a_typed_name(text: str) -> bool:
    """Whether a display name is a person's name typed as one string (not an email address
    or a phone number standing in for a name)."""
    return "@" not in text and any(c.isalpha() for c in text)


def fts_query(text: str) -> str:
    """Turn what the user typed into a safe FTS5 prefix query: every word must match."""
    words = []
    for raw in F.nfc(text).split():
        word = "".join(ch for ch in raw if ch.isalnum() or ch in "@.-_'")
        word = word.replace('"', "")
        if word:
            words.append(f'"{word}"*')
    return " ".join(words)


_DETAIL_VALUES = operator.attrgetter(*_DETAIL_COLUMNS)
_LINKS_AT = _DETAIL_COLUMNS.index("links")
_KIND_AT = _DETAIL_COLUMNS.index("kind")


def _column_values(p: Person) -> list[Any]:
    """The people table's detail columns of ``p``, read in one call (an import writes
    thousands): links as a JSON list, the kind as its text."""
    values = list(_DETAIL_VALUES(p))
    links = values[_LINKS_AT]
    values[_LINKS_AT] = "[]" if links == [] else json.dumps(links)
    values[_KIND_AT] = str(values[_KIND_AT])
    return values


def _bulk_insert(
    conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: list[Any]
) -> None:
    """Insert ``rows`` into ``table`` by one ``INSERT ... SELECT`` from a temporary table.

    The search index's triggers then run inside one statement: FTS5 writes its pending terms
    at the end of each statement, so a row at a time left one tiny index segment per row
    (most of the time of a 10,000-contact import's write, issue 20). The temporary table's
    columns have no type, so each value reaches ``table`` as it was bound."""
    if not rows:
        return
    names = ", ".join(columns)
    conn.execute(f"DROP TABLE IF EXISTS temp.bulk_{table}")
    conn.execute(f"CREATE TEMP TABLE bulk_{table} ({names})")
    try:
        conn.executemany(
            f"INSERT INTO temp.bulk_{table} VALUES ({', '.join('?' * len(columns))})", rows
        )
        conn.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM temp.bulk_{table}")
    finally:
        conn.execute(f"DROP TABLE IF EXISTS temp.bulk_{table}")


class People:
    """The people repository: ``store.people``."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    # -- validation ------------------------------------------------------------------

    def clean(
        self, p: Person, region: str | None = None, keep: frozenset[str] = frozenset()
    ) -> Person:
        """The person as it would be stored: text cleaned, emails and phones checked and
        normalised, tags folded. Raises ValidationError naming the field at fault. Typed phones
        (``valid=False``) are read in ``region`` (default: the setting); one in ``keep``
        (already stored, not normalised) stays as it is."""
        out = replace(p, emails=[], phones=[], tags=[], links=[])  # shallow: the photo is shared
        for name, limit, multiline in _PLAIN_TEXT_RULES:
            setattr(out, name, F.clean_text(limit, getattr(p, name), multiline=multiline))
        out.kind = parse_enum(ContactKind, p.kind, "kind")
        organisation = out.kind is ContactKind.ORGANISATION
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
        out.remind_on = F.parse_date("remind_on", p.remind_on) if p.remind_on.strip() else ""
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

    # -- writing ---------------------------------------------------------------------

    def add(
        self,
        person: Person,
        *,
        import_batch_id: int | None = None,
        capture_id: int | None = None,
        phone_region: str | None = None,
    ) -> int:
        """Validate and insert a person with their emails, phones and tags. Returns the id.

        Typed phones are read in ``phone_region`` (default: the ``phone.region`` setting)."""
        p = self.clean(person, phone_region)
        with self.db.atomic():
            pid = self._insert(p, now_iso(), import_batch_id, capture_id)
            self._write_children(pid, p)
            self.db.changed(Topic.PEOPLE, [pid])
        return pid

    def add_many(
        self,
        people: Iterable[Person],
        *,
        import_batch_id: int | None = None,
        phone_region: str | None = None,
        cleaned: bool = False,
    ) -> list[int]:
        """Insert many new people in one transaction (an import). Returns their ids, in order.

        The same validation as :meth:`add`; a bad record raises ValidationError and nothing is
        written. Faster for thousands: no savepoint per person, and the emails, phones and tags
        of all of them go in three statements. ``cleaned``: every person is already as
        :meth:`clean` gives it back (the import's records, cleaned by the store's field rules
        and held to that by a test), so it is written without being checked a second time."""
        stamp = now_iso()
        rows: list[list[Any]] = []
        emails: list[tuple[int, str, str, int]] = []
        phones: list[tuple[int, str, str, int, int]] = []
        tags: list[tuple[int, str]] = []
        with self.db.atomic():
            ready = list(people) if cleaned else [self.clean(p, phone_region) for p in people]
            # The ids SQLite would give one insert after another (no AUTOINCREMENT), read in
            # the transaction that writes them.
            first = int(self.db.scalar("SELECT coalesce(max(id), 0) + 1 FROM people"))
            fresh = iter(new_uuids(sum(1 for p in ready if not p.uuid)))
            for pid, p in enumerate(ready, start=first):
                uid = p.uuid or next(fresh)
                rows.append([pid, *self._values(p, stamp, import_batch_id, None, uid)])
                emails += [(pid, e.address, e.label, i) for i, e in enumerate(p.emails)]
                phones += [
                    (pid, f.number, f.label, int(f.valid), i) for i, f in enumerate(p.phones)
                ]
                tags += [(pid, t) for t in p.tags]
            self._write_new(rows, emails, phones, tags)
            ids = [row[0] for row in rows]
            self.db.changed(Topic.PEOPLE, ids)
        return ids

    def _write_new(
        self,
        rows: list[list[Any]],
        emails: list[tuple[int, str, str, int]],
        phones: list[tuple[int, str, str, int, int]],
        tags: list[tuple[int, str]],
    ) -> None:
        """Write new people (``rows``, with their ids) and their emails, phones and tags.

        The emails, phones and tags go in first, the people last (foreign keys deferred to
        the transaction's end, the pragma put back after): each person's search row is then
        built once, by the person's insert, with every email and tag. People first, every
        email and tag re-wrote the person's row (an FTS5 delete and insert, each tokenising
        the note again: about a sixth of the write of a 10,000-contact import, issue 20).
        While this database captures changes for device sync, the people go first as before:
        the outbox names an email, phone or tag by its person's uuid, read when it is written.
        A hypothesis test holds the search rows equal to those of people added one by one."""
        conn = self.db.conn
        children: list[tuple[str, tuple[str, ...], list[Any]]] = [
            ("person_emails", ("person_id", "email", "label", "position"), emails),
            ("person_phones", ("person_id", "phone", "label", "valid", "position"), phones),
            ("person_tags", ("person_id", "tag"), tags),
        ]
        people = ("people", ("id", *_INSERT_COLUMNS), rows)
        if not rows or self.db.scalar(f"SELECT {CAPTURING}"):
            for table, columns, values in [people, *children]:
                _bulk_insert(conn, table, columns, values)
            return
        deferred = int(self.db.scalar("PRAGMA defer_foreign_keys"))
        conn.execute("PRAGMA defer_foreign_keys = ON")
        try:
            for table, columns, values in [*children, people]:
                _bulk_insert(conn, table, columns, values)
        finally:
            conn.execute(f"PRAGMA defer_foreign_keys = {deferred}")

    def _insert(
        self, p: Person, stamp: str, import_batch_id: int | None, capture_id: int | None
    ) -> int:
        values = self._values(p, stamp, import_batch_id, capture_id)
        return int(self.db.conn.execute(_INSERT_SQL, values).lastrowid or 0)

    @staticmethod
    def _values(
        p: Person,
        stamp: str,
        import_batch_id: int | None,
        capture_id: int | None,
        uuid: str = "",
    ) -> list[Any]:
        """The values of ``_INSERT_COLUMNS`` for a new person (``uuid``: the one made for a
        person without one, else made here)."""
        return [
            uuid or p.uuid or new_uuid(),
            *_column_values(p),
            import_batch_id,
            capture_id,
            p.created_at or stamp,
            p.updated_at or stamp,
        ]

    def _insert_children(
        self,
        emails: list[tuple[int, str, str, int]],
        phones: list[tuple[int, str, str, int, int]],
        tags: list[tuple[int, str]],
    ) -> None:
        conn = self.db.conn
        conn.executemany(
            "INSERT INTO person_emails (person_id, email, label, position) VALUES (?,?,?,?)",
            emails,
        )
        conn.executemany(
            "INSERT INTO person_phones (person_id, phone, label, valid, position) VALUES (?,?,?,?,?)",
            phones,
        )
        conn.executemany("INSERT INTO person_tags (person_id, tag) VALUES (?,?)", tags)

    def _write_children(self, pid: int, p: Person) -> None:
        for table in ("person_emails", "person_phones", "person_tags"):
            self.db.conn.execute(f"DELETE FROM {table} WHERE person_id = ?", [pid])
        self._insert_children(
            [(pid, e.address, e.label, i) for i, e in enumerate(p.emails)],
            [(pid, ph.number, ph.label, int(ph.valid), i) for i, ph in enumerate(p.phones)],
            [(pid, t) for t in p.tags],
        )

    def update(self, pid: int, *, phone_region: str | None = None, **changes: Any) -> Person:
        """Change some details of a person (lists are replaced whole). Returns the stored person.

        Phones given as text are read in ``phone_region`` (default: the setting); a number
        already stored as not normalised stays exactly as it is."""
        with self.db.atomic():  # the read that decides the write, inside its transaction
            current = self.get(pid)
            keep = frozenset(ph.number for ph in current.phones if not ph.valid)
            unknown = set(changes) - set(Person.__dataclass_fields__) - {"id", "uuid"}
            if unknown:
                raise ValidationError(sorted(unknown)[0], "no such person field")
            cleared = "display_name" in changes and not str(changes["display_name"] or "").strip()
            if cleared and not {"given_name", "family_name"} & set(changes):
                # Not a silent fall-back to the names split from the old one: the name was erased.
                raise ValidationError("display_name", "a person needs a name")
            for key, value in changes.items():
                if key == "emails":
                    value = [v if isinstance(v, Email) else Email(v) for v in value]
                elif key == "phones":
                    value = [v if isinstance(v, Phone) else Phone(v, valid=False) for v in value]
                setattr(current, key, value)
            p = self.clean(current, phone_region, keep)
            self.db.conn.execute(_UPDATE_SQL, [*_column_values(p), now_iso(), pid])
            self._write_children(pid, p)
            self.db.changed(Topic.PEOPLE, [pid])
        return self.get(pid)

    def delete(self, pid: int, label: str = "") -> Change:
        """Delete a person and everything about them. The Change's undo puts them back, the
        same id with all their history, from a snapshot it keeps."""
        with self.db.atomic():
            snap = self._snapshot(pid)
            self.db.conn.execute("DELETE FROM people WHERE id = ?", [pid])
            self.db.changed(Topic.PEOPLE, [pid])
        label = label or f"delete {snap['people'][0]['display_name']}"
        return Change(label, lambda: self._restored(snap, label))

    def _restored(self, snap: dict[str, Any], label: str) -> Change:
        pid = self._restore(snap)
        return Change(label, lambda: self.delete(pid, label), pid)

    def _snapshot(self, pid: int) -> dict[str, Any]:
        """Every row that belongs to a person, enough to restore them exactly (undo)."""
        rows = self.db.query("SELECT * FROM people WHERE id = ?", [pid])
        if not rows:
            raise NotFoundError(f"person {pid} not found")
        snap: dict[str, Any] = {"people": rows}
        for table in _OWN_TABLES:
            snap[table] = self.db.query(f"SELECT * FROM {table} WHERE person_id = ?", [pid])
        snap["referrals"] = self.db.query(
            "SELECT * FROM referrals WHERE ? IN (referrer_id, provider_id, prospect_id)", [pid]
        )
        return snap

    def _restore(self, snap: dict[str, Any]) -> int:
        """Put back a person deleted by :meth:`delete`, with their history."""
        pid = int(snap["people"][0]["id"])
        with self.db.atomic():
            for table in ["people", *_OWN_TABLES, "referrals"]:
                for row in snap.get(table, []):
                    cols = list(row)
                    self.db.conn.execute(
                        f"INSERT OR REPLACE INTO {table} ({','.join(cols)}) "
                        f"VALUES ({','.join('?' * len(cols))})",
                        [row[c] for c in cols],
                    )
            self.db.changed(Topic.PEOPLE, [pid])
            self.db.changed(Topic.INTERACTIONS, [pid])
        return pid

    def photo(self, pid: int) -> bytes | None:
        """The person's photo alone (for a face in a list), or None."""
        row = self.db.conn.execute("SELECT photo FROM people WHERE id = ?", [pid]).fetchone()
        return bytes(row[0]) if row is not None and row[0] is not None else None

    # -- many at once (bulk actions: one transaction each) ------------------------------

    def _existing(self, ids: Iterable[int]) -> list[int]:
        wanted = sorted({int(i) for i in ids})
        found = {
            r[0]
            for r in self.db.conn.execute(
                "SELECT id FROM people WHERE id IN (SELECT value FROM json_each(?))",
                [json.dumps(wanted)],
            )
        }
        missing = [i for i in wanted if i not in found]
        if missing:
            raise NotFoundError(f"person {missing[0]} not found")
        return wanted

    def tag_many(self, ids: Iterable[int], tag: str) -> list[int]:
        """Give ``tag`` to each of these people who lacks it, in one transaction. Returns the
        ids that got it (what undoing takes it off again)."""
        clean = F.normalize_tag(tag)
        with self.db.atomic():
            wanted = self._existing(ids)
            have = set(self._with_tag(wanted, clean))
            added = [i for i in wanted if i not in have]
            self.db.conn.executemany(
                "INSERT INTO person_tags (person_id, tag) VALUES (?, ?)",
                [(i, clean) for i in added],
            )
            self.db.changed(Topic.PEOPLE, added)
        return added

    def untag_many(self, ids: Iterable[int], tag: str) -> list[int]:
        """Take ``tag`` off each of these people who has it, in one transaction. Returns the
        ids that lost it."""
        clean = F.normalize_tag(tag)
        with self.db.atomic():
            removed = self._with_tag(self._existing(ids), clean)
            self.db.conn.executemany(
                "DELETE FROM person_tags WHERE person_id = ? AND tag = ?",
                [(i, clean) for i in removed],
            )
            self.db.changed(Topic.PEOPLE, removed)
        return removed

    def _with_tag(self, ids: list[int], tag: str) -> list[int]:
        return [
            r[0]
            for r in self.db.conn.execute(
                "SELECT person_id FROM person_tags WHERE tag = ? "
                "AND person_id IN (SELECT value FROM json_each(?)) ORDER BY person_id",
                [tag, json.dumps(ids)],
            )
        ]

    # -- reading ---------------------------------------------------------------------

    def exists(self, pid: int | None) -> bool:
        return self.db.exists("people", pid)

    def get(self, pid: int) -> Person:
        rows = self.db.query("SELECT * FROM people WHERE id = ?", [pid])
        if not rows:
            raise NotFoundError(f"person {pid} not found")
        return self._from_row(rows[0])

    def _from_row(self, row: dict[str, Any]) -> Person:
        pid = row["id"]
        conn = self.db.conn
        emails = [
            Email(address, label)
            for address, label in conn.execute(
                "SELECT email, label FROM person_emails WHERE person_id = ? ORDER BY position, id",
                [pid],
            )
        ]
        phones = [
            Phone(number, label, bool(valid))
            for number, label, valid in conn.execute(
                "SELECT phone, label, valid FROM person_phones WHERE person_id = ? "
                "ORDER BY position, id",
                [pid],
            )
        ]
        tags = [
            tag
            for (tag,) in conn.execute(
                "SELECT tag FROM person_tags WHERE person_id = ? ORDER BY tag", [pid]
            )
        ]
        details: dict[str, Any] = {c: row[c] for c in detail_fields(stored="column")}
        details["kind"] = ContactKind(details["kind"])
        return Person(
            **details,
            links=json.loads(row["links"] or "[]"),
            emails=emails,
            phones=phones,
            tags=tags,
            id=pid,
            uuid=row["uuid"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )

    def find(self, ref: str | int) -> Person:
        """A person by id or by exact display name (case-insensitive)."""
        text = F.nfc(" ".join(str(ref).split()))
        if text.isdigit():
            pid = F.record_id(text)
            if pid is None:
                raise NotFoundError(f"person {text} not found")
            return self.get(pid)
        ids = [
            int(r[0])
            for r in self.db.conn.execute(
                "SELECT id FROM people WHERE display_name = ? COLLATE NOCASE ORDER BY id LIMIT 2",
                [text],
            )
        ]
        if not ids:  # SQLite's NOCASE folds ASCII only: compare non-ASCII names in Python
            key = text.casefold()
            ids = [
                i
                for i, name in self.db.conn.execute("SELECT id, display_name FROM people")
                if name.casefold() == key
            ][:2]
        if not ids:
            raise NotFoundError(f"no person named {text!r}")
        if len(ids) > 1:
            raise AmbiguousError(f"more than one person is named {text!r}; use the id")
        return self.get(ids[0])

    def ids_by_name(self, name: str) -> list[int]:
        """Ids of people whose display name equals ``name``, ignoring case (Unicode-aware)."""
        name = F.nfc(" ".join(name.split()))
        key = name.casefold()
        ids = [
            int(r[0])
            for r in self.db.conn.execute(
                "SELECT id FROM people WHERE display_name = ? COLLATE NOCASE ORDER BY id", [name]
            )
        ]
        if ids or key.isascii():
            return ids
        # SQLite's NOCASE folds ASCII only: compare non-ASCII names in Python.
        return [
            i
            for i, n in self.db.conn.execute("SELECT id, display_name FROM people ORDER BY id")
            if n.casefold() == key
        ]

    def names(self, ids: Iterable[int]) -> dict[int, str]:
        """The display names of these people (those that exist), by id."""
        return {
            int(pid): str(name)
            for pid, name in self.db.conn.execute(
                "SELECT id, display_name FROM people WHERE id IN (SELECT value FROM json_each(?))",
                [json.dumps(sorted({int(i) for i in ids}))],
            )
        }

    def all_tags(self, limit: int = 500) -> list[str]:
        """The tags in use, alphabetically (the first ``limit``)."""
        return [
            str(t)
            for (t,) in self.db.conn.execute(
                "SELECT DISTINCT tag FROM person_tags ORDER BY tag LIMIT ?", [limit]
            )
        ]

    def count(self, search: str = "") -> int:
        q = fts_query(search)
        if q:
            return int(
                self.db.scalar("SELECT count(*) FROM people_fts WHERE people_fts MATCH ?", [q])
            )
        return int(self.db.scalar("SELECT count(*) FROM people"))

    def search(self, text: str, limit: int = 50) -> list[dict[str, Any]]:
        """Ranked full-text search over names, organisation, title, notes, tags and emails."""
        q = fts_query(text)
        if not q:
            return []
        return self.db.query(
            """SELECT p.id, p.display_name, p.org, p.title FROM people_fts
               JOIN people p ON p.id = people_fts.rowid
               WHERE people_fts MATCH ? ORDER BY rank LIMIT ?""",
            [q, limit],
        )
