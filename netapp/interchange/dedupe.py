"""Duplicate people: on import and across the database, and merging two records into one.

Two records are *the same person* (merged automatically) when their names match — the same
words once case, accents and word order are ignored — **and** an email, phone (E.164) or
LinkedIn profile URL is identical. Otherwise these are only *suggestions*, each with its reason:
an identical email, phone or profile URL under a different name, the exact same name, or a very
similar name (rapidfuzz ``token_sort_ratio`` ≥ 85) at the same organisation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from netapp import fields as F
from netapp.change import Change
from netapp.domain import Email, Person, Phone, Topic, detail_fields, json_fields
from netapp.errors import NotFoundError, ValidationError
from netapp.interchange.records import linkedin_key
from netapp.store import Store

SIMILAR_NAME = 85.0
# Details offered field by field in the merge dialog (declared in netapp.domain).
MERGE_FIELDS: tuple[str, ...] = detail_fields(merge=True)
# Of those, the ones a combined record takes from the other when its own is empty.
_FILLED = tuple(n for n in MERGE_FIELDS if n not in ("display_name", "note", "photo"))
# Tables whose rows about a person are rewritten by update_person, not moved.
_OWN_CHILDREN = {"person_emails", "person_phones", "person_tags", "person_status"}


def name_key(name: str) -> str:
    """Case-, accent- and order-insensitive key: "Müller, Jörg" and "jorg muller" agree."""
    return " ".join(sorted(F.fold(name.replace(",", " ")).split()))


@dataclass
class Match:
    key: int  # a person id (> 0), or -(n + 1) for the n-th new record of an import plan
    reason: str
    auto: bool


@dataclass
class Candidate:
    """Two people in the database that may be one."""

    keep_id: int
    other_id: int
    keep_name: str
    other_name: str
    reason: str
    auto: bool

    def to_json(self) -> dict[str, Any]:
        return json_fields(self)


@dataclass
class Index:
    """Identifiers of known people (and of planned new records) for fast matching."""

    emails: dict[str, int] = field(default_factory=dict)
    phones: dict[str, int] = field(default_factory=dict)
    linkedin: dict[str, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)  # key -> name_key
    display: dict[int, str] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=dict)
    by_org: dict[str, list[int]] = field(default_factory=dict)
    org_names: dict[str, list[str]] = field(default_factory=dict)  # name keys, as in by_org
    # The last name keyed, and its key: an import matches a record, then indexes it by the
    # same name (name_key("") is "").
    last_key: tuple[str, str] = ("", "")

    def name_key(self, name: str) -> str:
        """:func:`name_key`, reusing the last one for the same name."""
        if name != self.last_key[0]:
            self.last_key = (name, name_key(name))
        return self.last_key[1]

    @classmethod
    def from_store(cls, store: Store) -> Index:
        idx = cls()
        for pid, name, org, links in store.db.conn.execute(
            "SELECT id, display_name, org, links FROM people ORDER BY id"
        ):
            idx._add_name(pid, name, org)
            if "linkedin" in (links or "").lower():
                for link in json.loads(links):
                    k = linkedin_key(link)
                    if k:
                        idx.linkedin.setdefault(k, pid)
        for pid, email in store.db.conn.execute(
            "SELECT person_id, email FROM person_emails ORDER BY person_id"
        ):
            idx.emails.setdefault(email.casefold(), pid)
        for pid, phone in store.db.conn.execute(
            "SELECT person_id, phone FROM person_phones WHERE valid = 1 ORDER BY person_id"
        ):
            idx.phones.setdefault(phone, pid)
        return idx

    def _add_name(self, key: int, name: str, org: str, similar: bool = True) -> None:
        nk = self.name_key(name)
        self.names[key] = nk
        self.display[key] = name
        if not similar:  # matched by its identifiers only, never suggested by its name
            return
        self.by_name.setdefault(nk, []).append(key)
        if org.strip():
            folded = F.fold(org)
            self.by_org.setdefault(folded, []).append(key)
            self.org_names.setdefault(folded, []).append(nk)

    def add(
        self,
        key: int,
        person: Person,
        linkedin: str = "",
        *,
        name: bool = True,
        similar: bool = True,
    ) -> None:
        """Index ``person`` under ``key``: identifiers, and (``name``) the name, also for
        "same name" and similar-colleague matches unless ``similar`` is False."""
        if name:
            self._add_name(key, person.display_name, person.org, similar)
        for e in person.emails:
            self.emails.setdefault(e.address.casefold(), key)
        for ph in person.phones:
            if ph.valid:
                self.phones.setdefault(ph.number, key)
        for link in [linkedin, *person.links]:
            k = linkedin_key(link) if link else ""
            if k:
                self.linkedin.setdefault(k, key)

    def match(self, person: Person, linkedin: str = "", exclude: int | None = None) -> list[Match]:
        """Known people ``person`` may be, the automatic merge (if any) first."""
        nk = self.name_key(person.display_name)
        hits = self._identifier_hits(person, linkedin, exclude)
        out: list[Match] = []
        for k, reason in hits.items():
            if self.names.get(k) == nk:
                out.append(Match(k, f"same name and {reason}", True))
            else:
                out.append(Match(k, f"{reason}, but the name differs", False))
        seen = set(hits)
        for k in self.by_name.get(nk, []):
            if k not in seen and k != exclude:
                seen.add(k)
                out.append(Match(k, "same name", False))
        out += self._similar_colleagues(person, nk, seen, exclude)
        out.sort(key=lambda m: not m.auto)
        return out

    def _identifier_hits(
        self, person: Person, linkedin: str, exclude: int | None
    ) -> dict[int, str]:
        """Known people who share an email, a normalised phone or a LinkedIn profile."""
        hits: dict[int, str] = {}  # the first reason for each (a reason is written for a hit)
        for e in person.emails:
            k = self.emails.get(e.address.casefold())
            if k is not None and k != exclude and k not in hits:
                hits[k] = f"same email {e.address}"
        for ph in person.phones:
            k = self.phones.get(ph.number) if ph.valid else None
            if k is not None and k != exclude and k not in hits:
                hits[k] = f"same phone {ph.number}"
        for lk in [linkedin] + [linkedin_key(x) for x in person.links]:
            k = self.linkedin.get(lk) if lk else None
            if k is not None and k != exclude and k not in hits:
                hits[k] = f"same LinkedIn profile {lk}"
        return hits

    def _similar_colleagues(
        self, person: Person, nk: str, seen: set[int], exclude: int | None
    ) -> list[Match]:
        if not person.org.strip():
            return []
        from rapidfuzz import fuzz, process

        folded = F.fold(person.org)
        colleagues = self.by_org.get(folded, [])[:2000]
        if not colleagues:  # nobody stored there: nothing to score (and no rapidfuzz call,
            return []  # whose iterator leaves a reference cycle for the collector each time)
        out: list[Match] = []
        # One call scores the whole organisation in C (a Python loop was most of the cost
        # of matching a large import); hits come back in input order.
        for _name, _score, i in process.extract_iter(
            nk,
            self.org_names[folded][:2000],
            scorer=fuzz.token_sort_ratio,
            score_cutoff=SIMILAR_NAME,
        ):
            pid = colleagues[int(i)]
            if pid in seen or pid == exclude:
                continue
            seen.add(pid)
            out.append(Match(pid, f"similar name at {person.org}", False))
        return out


def find_duplicates(store: Store) -> list[Candidate]:
    """Pairs of people in the database that may be one person, the older record kept."""
    idx = Index()
    out: list[Candidate] = []
    for row in store.db.query("SELECT id FROM people ORDER BY id"):
        p = store.people.get(row["id"])
        pid = int(row["id"])
        for m in idx.match(p):
            out.append(Candidate(m.key, pid, idx.display[m.key], p.display_name, m.reason, m.auto))
        idx.add(pid, p)
    return out


def combine(base: Person, extra: Person) -> Person:
    """``base`` with what ``extra`` adds: empty fields filled, lists joined, notes appended."""
    out = Person(**{k: getattr(base, k) for k in Person.__dataclass_fields__})
    for name in _FILLED:
        if not getattr(out, name) and getattr(extra, name):
            setattr(out, name, getattr(extra, name))
    if extra.note and extra.note not in out.note:
        out.note = f"{out.note}\n\n{extra.note}" if out.note else extra.note
    if out.photo is None and extra.photo is not None:
        out.photo, out.photo_type = extra.photo, extra.photo_type
    out.emails = F.dedupe_emails([*base.emails, *extra.emails])
    numbers = {p.number for p in base.phones}
    out.phones = [*base.phones, *[p for p in extra.phones if p.number not in numbers]]
    out.links = [*base.links, *[x for x in extra.links if x not in base.links]]
    out.tags = sorted({*base.tags, *extra.tags})
    return out


def person_fields(p: Person) -> dict[str, Any]:
    """The fields update_person takes, from a Person."""
    return {k: getattr(p, k) for k in detail_fields()}


def _people_refs(store: Store) -> list[tuple[str, str]]:
    """(table, column) pairs that refer to people(id), found from the schema itself."""
    refs = []
    for (table,) in store.db.conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    ):
        if table in _OWN_CHILDREN or table == "people" or table.startswith("people_fts"):
            continue
        for fk in store.db.query(f'PRAGMA foreign_key_list("{table}")'):
            if fk["table"] == "people":
                refs.append((table, fk["from"]))
    return refs


def merge_people(
    store: Store, keep_id: int, other_id: int, field_choices: dict[str, str] | None = None
) -> Person:
    """Merge ``other`` into ``keep`` in one transaction and delete ``other``.

    ``field_choices`` maps a field of MERGE_FIELDS to ``"keep"`` or ``"other"``; a field not
    named keeps ``keep``'s value unless it is empty (notes are joined). Emails, phones, links
    and tags are joined. Every interaction, attendance, consent, referral and snooze of
    ``other`` moves to ``keep``."""
    if keep_id == other_id:
        raise ValidationError("merge", "cannot merge a person with themselves")
    with store.atomic():  # both people are read in the merge's transaction
        keep = store.people.get(keep_id)
        other = store.people.get(other_id)
        merged = combine(keep, other)
        for name, choice in (field_choices or {}).items():
            if name not in MERGE_FIELDS:
                raise ValidationError(name, "is not a field that can be chosen in a merge")
            if choice not in ("keep", "other"):
                raise ValidationError(name, f"choose 'keep' or 'other', not {choice!r}")
            src = keep if choice == "keep" else other
            if name == "photo":
                merged.photo, merged.photo_type = src.photo, src.photo_type
            else:
                setattr(merged, name, getattr(src, name))
        for table, col in _people_refs(store):
            store.db.conn.execute(
                f'UPDATE OR IGNORE "{table}" SET "{col}" = ? WHERE "{col}" = ?', [keep_id, other_id]
            )
        store.db.conn.execute("DELETE FROM people WHERE id = ?", [other_id])
        result = store.people.update(keep_id, **person_fields(merged))
        store.changed(Topic.PEOPLE, [keep_id, other_id])
        store.changed(Topic.INTERACTIONS, [keep_id, other_id])
    return result


def merge_people_undoable(
    store: Store, keep_id: int, other_id: int, field_choices: dict[str, str] | None = None
) -> Change:
    """Merge (:func:`merge_people`); undo splits them again as they were: ``other`` back
    under its id with its own rows, every row the merge moved back to them, ``keep``'s fields
    as they were. Redo merges again. The Change's result is the merged Person."""
    with store.atomic():
        keep = store.people.get(keep_id)
        other_name = store.people.get(other_id).display_name
        before = _Split(store, keep_id, other_id)
        merged = merge_people(store, keep_id, other_id, field_choices)
    label = f"merge {other_name} into {keep.display_name}"

    def take_back() -> Change:
        with store.atomic():
            before.put_back(store)
            store.people.update(keep_id, **person_fields(keep))
            store.changed(Topic.PEOPLE, [keep_id, other_id])
            store.changed(Topic.INTERACTIONS, [keep_id, other_id])
        return Change(label, lambda: merge_people_undoable(store, keep_id, other_id, field_choices))

    return Change(label, take_back, merged)


class _Split:
    """Before a merge: every row that is ``other``'s or names them, and, in tables whose key
    holds the person (attendance, snoozes), the keys ``keep`` already had; enough to split
    them again exactly."""

    def __init__(self, store: Store, keep_id: int, other_id: int) -> None:
        self.keep_id, self.other_id = keep_id, other_id
        # (table, column naming the person, rows): a table can name a person twice
        # (attendance: person_id, and brought_by for a visitor or a substitute).
        self.rows: list[tuple[str, str, list[dict[str, Any]]]] = [
            ("people", "id", store.db.query("SELECT * FROM people WHERE id = ?", [other_id]))
        ]
        # (table, column, key columns, keys keep had) where a moved row changes its key.
        self.rekeyed: list[tuple[str, str, list[str], set[tuple[Any, ...]]]] = []
        refs = [(t, "person_id") for t in sorted(_OWN_CHILDREN - {"person_status"})]
        for table, col in [*refs, *_people_refs(store)]:
            info = store.db.query(f'PRAGMA table_info("{table}")')
            key = [c["name"] for c in sorted(info, key=lambda c: c["pk"]) if c["pk"]]
            if col in key and table not in _OWN_CHILDREN:
                had = store.db.query(f'SELECT * FROM "{table}" WHERE "{col}" = ?', [keep_id])
                self.rekeyed.append((table, col, key, {tuple(r[k] for k in key) for r in had}))
            # A primary key names the row (attendance, WITHOUT ROWID, has no rowid to read).
            rowid = "" if key else "rowid AS rowid, "
            found = store.db.query(f'SELECT {rowid}* FROM "{table}" WHERE "{col}" = ?', [other_id])
            self.rows.append((table, col, found))

    def put_back(self, store: Store) -> None:
        if store.db.exists("people", self.other_id):
            raise ValidationError("merge", f"person {self.other_id} exists again; cannot split")
        for table, col, key, had in self.rekeyed:  # rows the merge moved under keep's key
            for row in next(rows for t, c, rows in self.rows if (t, c) == (table, col)):
                if row[col] != self.other_id:
                    continue
                moved = tuple(self.keep_id if k == col else row[k] for k in key)
                if moved not in had:
                    where = " AND ".join(f'"{k}" = ?' for k in key)
                    store.db.conn.execute(f'DELETE FROM "{table}" WHERE {where}', list(moved))
        for table, _col, rows in self.rows:
            for row in rows:
                cols = list(row)
                store.db.conn.execute(
                    f'INSERT OR REPLACE INTO "{table}" ({", ".join(cols)}) '
                    f"VALUES ({', '.join('?' * len(cols))})",
                    [row[c] for c in cols],
                )


def person_state(store: Store, pid: int) -> dict[str, Any]:
    """A person's own fields (photo in base64) for undoing an import merge."""
    import base64

    try:
        p = store.people.get(pid)
    except NotFoundError:
        return {}
    data = person_fields(p)
    data["emails"] = [[e.address, e.label] for e in p.emails]
    data["phones"] = [[x.number, x.label, x.valid] for x in p.phones]
    data["photo"] = base64.b64encode(p.photo).decode("ascii") if p.photo else None
    return data


def restore_state(store: Store, pid: int, state: dict[str, Any]) -> bool:
    """Put back what :func:`person_state` saved. False when the person no longer exists."""
    import base64

    if not state or store.db.scalar("SELECT 1 FROM people WHERE id = ?", [pid]) is None:
        return False
    fields = dict(state)
    fields["emails"] = [Email(a, label) for a, label in state["emails"]]
    fields["phones"] = [Phone(n, label, bool(v)) for n, label, v in state["phones"]]
    fields["photo"] = base64.b64decode(state["photo"]) if state.get("photo") else None
    store.people.update(pid, **fields)
    return True


def merge_many(store: Store, pairs: Iterable[tuple[int, int]]) -> int:
    """Merge each (keep, other) pair that still exists; one transaction. Returns merges done."""
    done = 0
    with store.atomic():
        for keep, other in pairs:
            exists = store.db.scalar(
                "SELECT count(*) FROM people WHERE id IN (?, ?)", [keep, other]
            )
            if exists == 2:
                merge_people(store, keep, other)
                done += 1
    return done
