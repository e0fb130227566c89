"""Bulk loader: everything the engine needs about many people, in a handful of queries.

No query runs per person. The loader reads only evidence dated on or before ``as_of``, so a
status "as of" a past date sees the history as it was then.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from netapp.engine.ladder import Ask, load_ladder

if TYPE_CHECKING:
    from netapp.store import Store


_MISSING: Any = object()
_END = ((float("inf"),),)  # the last row of every _Stream
_DATE_ID = itemgetter(2, 1)  # an interaction row's (date, id): its order in a history


@lru_cache(maxsize=8192)
def _day(text: str) -> date:
    return date.fromisoformat(text)


def day(text: str) -> date:
    """The date part of an ISO date or timestamp (cached: histories repeat few dates)."""
    return _day(text[:10])


def maybe_day(text: str | None) -> date | None:
    """Like :func:`day`, but ``None`` for a missing or unreadable value (hand-edited rows)."""
    try:
        return _day(text[:10]) if text else None
    except (ValueError, TypeError):
        return None


@dataclass(frozen=True)
class Rules:
    """The timing and trust settings, read once per computation."""

    half_life_days: float = 90.0
    followup_days: int = 2
    dormant_days: int = 180
    cadence: dict[str, int] = field(
        default_factory=lambda: {
            "met": 30,
            "visibility": 21,
            "credibility": 14,
            "profitability": 30,
        }
    )
    cooldown_days: int = 14
    after_decline_days: int = 45
    repeat_declined_days: int = 90
    regular_last_meetings: int = 6
    # Asks that need recent contact need two-way contact within this many days (principle 1).
    two_way_days: int = 90
    # No upsell within this many days of a sale: the customer sees the results first (5).
    settle_in_days: int = 30
    # A pending ask lapses into "ignored" (a soft decline) after this many days (9).
    ask_lapse_days: int = 14

    @classmethod
    def from_store(cls, store: Store) -> Rules:
        s = store.settings
        return cls(
            half_life_days=float(s["trust.half_life_days"]),
            followup_days=int(s["followup.new_contact_days"]),
            dormant_days=int(s["followup.dormant_days"]),
            cadence={k: int(s[f"cadence.{k}"]) for k in cls().cadence},
            cooldown_days=int(s["ask.cooldown_days"]),
            after_decline_days=int(s["ask.after_decline_days"]),
            repeat_declined_days=int(s["ask.repeat_declined_days"]),
            regular_last_meetings=int(s["regular.last_meetings"]),
            two_way_days=int(s["ask.two_way_days"]),
            settle_in_days=int(s["ask.settle_in_days"]),
            ask_lapse_days=int(s["ask.lapse_days"]),
        )


class Event(NamedTuple):
    """One logged interaction."""

    id: int
    date: date
    kind: str
    ask_type: str | None = None
    outcome: str | None = None
    amount: float | None = None
    item_id: int | None = None


class Attended(NamedTuple):
    meeting_id: int
    date: date
    group_id: int | None
    name: str


class ReferralRec(NamedTuple):
    id: int
    date: date
    status: str
    value: float | None


class ConsentRec(NamedTuple):
    obtained: date
    withdrawn: date | None


@dataclass
class History:
    """Everything known about one person up to ``as_of``."""

    person_id: int
    display_name: str
    org: str = ""
    tags: list[str] = field(default_factory=list)
    meetings: list[Attended] = field(default_factory=list)  # sorted by date
    events: list[Event] = field(default_factory=list)  # sorted by (date, id)
    referrals_from: list[ReferralRec] = field(default_factory=list)  # they referred to you
    referrals_to: list[ReferralRec] = field(default_factory=list)  # you referred to them
    consents: list[ConsentRec] = field(default_factory=list)
    snoozes: dict[str, date] = field(default_factory=dict)


@dataclass
class GroupInfo:
    id: int
    name: str
    recurrence: str
    weekday: int | None
    venue: str
    past: list[tuple[int, date]] = field(default_factory=list)  # meetings up to as_of, sorted
    future: list[date] = field(default_factory=list)  # meetings recorded after as_of

    def last_meetings(self, n: int) -> list[int]:
        return [mid for mid, _ in self.past[-n:]]


@dataclass
class LibraryEntry:
    id: int
    title: str
    kind: str
    tags: list[str]
    keys: frozenset[str] = frozenset()  # the tags folded for matching


@dataclass
class Context:
    """What every person's computation shares: rules, ladder, groups and the library."""

    as_of: date
    rules: Rules
    ladder: list[Ask]
    groups: dict[int, GroupInfo]
    library: list[LibraryEntry]
    # meeting id -> group id for each group's last N meetings (regular attendance), built once
    recent: dict[int, int] | None = None

    def ask_labels(self) -> dict[str, str]:
        """Each ask's label by its id, from the ladder: what reasons name an ask by."""
        return {a.id: a.label for a in self.ladder}

    def recent_meetings(self) -> dict[int, int]:
        if self.recent is None:
            n = self.rules.regular_last_meetings
            self.recent = {mid: g.id for g in self.groups.values() for mid in g.last_meetings(n)}
        return self.recent


def load_context(store: Store, as_of: date) -> Context:
    groups: dict[int, GroupInfo] = {}
    for r in store.db.query("SELECT id, name, recurrence, weekday, venue FROM groups ORDER BY id"):
        groups[r["id"]] = GroupInfo(
            r["id"], r["name"], r["recurrence"], r["weekday"], r["venue"] or ""
        )
    for mid, gid, d in store.db.conn.execute(
        "SELECT id, group_id, date FROM meetings WHERE group_id IS NOT NULL ORDER BY date, id"
    ):
        g = groups.get(gid)
        if g is None:
            continue
        when = maybe_day(d)
        if when is None:
            continue
        if when <= as_of:
            g.past.append((mid, when))
        else:
            g.future.append(when)
    from netapp.fields import fold

    library = [
        LibraryEntry(
            r["id"],
            r["title"],
            r["kind"],
            tags := _tags(r["tags"]),
            frozenset(fold(t) for t in tags),
        )
        for r in store.db.query(
            "SELECT id, title, kind, tags FROM library_items WHERE retired_at IS NULL ORDER BY id"
        )
    ]
    return Context(as_of, Rules.from_store(store), load_ladder(store), groups, library)


def _tags(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(t) for t in value] if isinstance(value, list) else []


def _filter(column: str, ids: list[int] | None) -> tuple[str, list[Any]]:
    """An ``AND column IN (...)`` clause with one JSON parameter, whatever the number of ids."""
    if ids is None:
        return "", []
    return f" AND {column} IN (SELECT value FROM json_each(?))", [json.dumps(ids)]


def load_histories(
    store: Store, as_of: date, person_ids: Iterable[int] | None = None
) -> dict[int, History]:
    """Histories of all people (or of ``person_ids``), keyed by id, in ascending id order.

    Holds every history at once: for many people, iterate :func:`iter_histories` instead."""
    return {h.person_id: h for h in iter_histories(store, as_of, person_ids)}


def iter_histories(
    store: Store, as_of: date, person_ids: Iterable[int] | None = None
) -> Generator[History, None, None]:
    """Each person's history in ascending id order, built one at a time.

    One query per table, each sorted by person, read side by side (a merge join), so only
    the history being handed out is in memory: at 100,000 people with a million interactions
    the whole set as Python objects takes about 400 MB. The queries stay open while the
    caller works on each history (a read transaction on the caller's connection).
    """
    ids = None if person_ids is None else sorted({int(i) for i in person_ids})
    iso = as_of.isoformat()
    conn = store.db.conn
    cursors: list[Any] = []

    def rows(sql: str, column: str, extra: list[Any] | None = None) -> Iterator[Any]:
        where, params = _filter(column, ids)
        cursors.append(conn.execute(sql.format(where=where), [*(extra or []), *params]))
        return iter(cursors[-1])

    try:
        yield from _merge(rows, iso, ids is None, as_of)
    finally:  # a caller that stops early must not leave statements (and a read) open
        for cur in cursors:
            with suppress(Exception):  # best effort: the connection may be closed already
                cur.close()


class _Stream:
    """Query rows sorted by person id, handed out one person at a time.

    The stream ends with a row that sorts after every person, so :meth:`take` needs no
    end-of-stream test. Every row belongs to a person (foreign keys); a row of a person
    not asked for (none, but never trusted blindly) is skipped."""

    __slots__ = ("next", "row")

    def __init__(self, rows: Iterator[Any]) -> None:
        self.next = chain(rows, _END).__next__
        self.row = self.next()

    def take(self, pid: int) -> list[Any]:
        row, nxt = self.row, self.next
        while row[0] < pid:
            row = nxt()
        out = []
        while row[0] == pid:
            out.append(row)
            row = nxt()
        self.row = row
        return out


def _merge(  # noqa: C901  split in #23
    rows: Callable[..., Iterator[Any]], iso: str, full: bool, as_of: date
) -> Generator[History, None, None]:
    # Plain tuples built in C (``tuple.__new__``) and one date object per distinct text:
    # the per-row cost dominates at 100k people. A full load scans the table (NOT INDEXED)
    # and sorts: walking the (person_id, date) index would look every row up at random.
    # SQLite sorts the interactions by person only, and each person's few rows are put in
    # (date, id) order here: SQLite's sort on three keys took a third longer than on one
    # (0.50 s against 0.34 s for 200,000 rows), and a per-person sort of ~20 rows is cheap.
    # The rows that pass ``date <= ?`` have text dates (a NULL or a blob fails it, and the
    # column's TEXT affinity stores numbers as text), so Python's order is SQLite's.
    dates: dict[str, date | None] = {}
    make = tuple.__new__
    scan = " NOT INDEXED" if full else ""

    people = rows("SELECT id, display_name, org FROM people WHERE 1{where} ORDER BY id", "id")
    tags = rows(
        "SELECT person_id, tag FROM person_tags WHERE 1{where} ORDER BY person_id, tag",
        "person_id",
    )
    attended = rows(
        """SELECT a.person_id, m.id, m.date, m.group_id, m.name FROM attendance a
           JOIN meetings m ON m.id = a.meeting_id
           WHERE m.date <= ?{where} ORDER BY a.person_id, m.date, m.id""",
        "a.person_id",
        [iso],
    )
    events = rows(
        f"""SELECT person_id, id, date, kind, ask_type, outcome, amount, library_item_id
            FROM interactions{scan} WHERE date <= ?{{where}} ORDER BY person_id""",
        "person_id",
        [iso],
    )
    referred = {
        attr: rows(
            f"""SELECT {column}, id, date, status, value FROM referrals
                WHERE {column} IS NOT NULL AND date <= ?{{where}} ORDER BY {column}, date, id""",
            column,
            [iso],
        )
        for column, attr in (("referrer_id", "referrals_from"), ("provider_id", "referrals_to"))
    }
    consents = rows(
        """SELECT person_id, obtained_at, withdrawn_at FROM consents
           WHERE substr(obtained_at, 1, 10) <= ?{where} ORDER BY person_id, obtained_at, id""",
        "person_id",
        [iso],
    )
    snoozes = rows(
        "SELECT person_id, kind, until FROM snoozes WHERE 1{where} ORDER BY person_id, kind",
        "person_id",
    )
    tag_rows, met_rows, ev_rows = _Stream(tags), _Stream(attended), _Stream(events)
    ref_rows = {attr: _Stream(cur) for attr, cur in referred.items()}
    con_rows, snz_rows = _Stream(consents), _Stream(snoozes)
    for pid, name, org in people:
        h = History(pid, name, org or "")
        # Most people have no rows in most tables: a stream whose next row is a later
        # person's is not asked (a method call per table and person was 10 % of the agenda).
        if tag_rows.row[0] <= pid:
            h.tags = [row[1] for row in tag_rows.take(pid)]
        for _, mid, d, gid, mname in met_rows.take(pid) if met_rows.row[0] <= pid else ():
            when = dates.get(d, _MISSING)
            if when is _MISSING:
                when = dates[d] = maybe_day(d)
            if when is not None:  # a hand-edited, unreadable date is left out
                h.meetings.append(make(Attended, (mid, when, gid, mname)))
        out_events = h.events
        ev = ev_rows.take(pid)
        if len(ev) > 1:
            ev.sort(key=_DATE_ID)
        for _, rid, d, kind, ask, outcome, amount, item in ev:  # once per row
            when = dates.get(d, _MISSING)
            if when is _MISSING:
                when = dates[d] = maybe_day(d)
            if when is not None:
                out_events.append(make(Event, (rid, when, kind, ask, outcome, amount, item)))
        for attr, stream in ref_rows.items():
            if stream.row[0] > pid:
                continue
            recs = getattr(h, attr)
            for _, rid, d, status, value in stream.take(pid):
                when = maybe_day(d)
                if when is not None:
                    recs.append(ReferralRec(rid, when, status, value))
        for _, obtained, withdrawn in con_rows.take(pid) if con_rows.row[0] <= pid else ():
            got, w = maybe_day(obtained), maybe_day(withdrawn)
            if got is not None:
                h.consents.append(ConsentRec(got, w if w and w <= as_of else None))
        for _, kind, until in snz_rows.take(pid) if snz_rows.row[0] <= pid else ():
            when = maybe_day(until)
            if when is not None:
                h.snoozes[kind] = when
        yield h
