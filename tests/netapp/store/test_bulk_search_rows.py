"""People.add_many (an import's write) against people added one by one: the same search rows,
the same device-sync outbox (issue 20: the bulk write puts the emails and tags in first)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netapp.domain import Email, Person, Phone
from netapp.store import Store

_WORDS = st.sampled_from(["Ann", "Łukasz", "Zoë", "Lee", "Acme", "fair", "José", "b-2", "O'Neil"])
_TEXT = st.lists(_WORDS, max_size=3).map(" ".join)
_PERSON = st.builds(
    Person,
    display_name=st.lists(_WORDS, min_size=1, max_size=3).map(" ".join),
    org=_TEXT,
    department=_TEXT,
    title=_TEXT,
    note=st.lists(_TEXT, max_size=3).map("\n".join),
    emails=st.lists(
        st.builds(
            Email, st.from_regex(r"[a-c]{1,3}\.[a-c]{1,2}@(one|two)\.example", fullmatch=True)
        ),
        max_size=3,
        unique_by=lambda e: e.address,
    ),
    phones=st.lists(
        st.builds(
            Phone, st.from_regex(r"\+1202555[0-9]{4}", fullmatch=True), st.just(""), st.just(True)
        ),
        max_size=2,
        unique_by=lambda p: p.number,
    ),
    tags=st.lists(st.sampled_from(["fair", "vip", "b2b", "Ärne"]), max_size=3, unique=True),
)
_STORES = itertools.count()


def _fts(store: Store) -> list[tuple[Any, ...]]:
    rows = store.db.conn.execute(
        "SELECT rowid, display_name, org, title, note, tags, emails FROM people_fts ORDER BY rowid"
    ).fetchall()
    store.db.conn.execute("INSERT INTO people_fts(people_fts) VALUES ('integrity-check')")
    return [tuple(r) for r in rows]


def _hits(store: Store, people: list[Person]) -> list[list[int]]:
    words = {w for p in people for w in (*p.display_name.split(), *p.tags)}
    words |= {e.address for p in people for e in p.emails}
    return [[int(r["id"]) for r in store.people.search(w)] for w in sorted(words)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PERSON, min_size=1, max_size=6))
def test_bulk_search_rows_equal_those_written_one_person_at_a_time(
    tmp_path_factory: pytest.TempPathFactory, people: list[Person]
) -> None:
    """The search rows (and the hits for every name word, tag and address) add_many writes
    are those of the same people added one by one after someone already stored."""
    stores: list[Store] = []
    folder = tmp_path_factory.mktemp(f"bulk{next(_STORES)}")
    try:
        for name in ("bulk", "single"):
            store = Store(folder / f"{name}.db")
            stores.append(store)
            store.people.add(Person(display_name="Stored Ann", emails=[Email("ann@one.example")]))
        bulk, single = stores
        ids = bulk.people.add_many(people)
        assert ids == [single.people.add(p) for p in people]
        assert _fts(bulk) == _fts(single)
        assert _hits(bulk, people) == _hits(single, people)
        assert bulk.db.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert bulk.db.scalar("PRAGMA defer_foreign_keys") == 0
    finally:
        for store in stores:
            store.close()


def test_while_capturing_for_device_sync_the_outbox_names_each_email_by_its_person(
    tmp_path: Path,
) -> None:
    """A database joined to a devices folder gets from add_many the outbox rows add gives:
    every email, phone and tag named by its person's uuid (never an empty key)."""
    outboxes: list[list[tuple[str, str]]] = []
    person = Person(
        display_name="Ann Lee",
        uuid="6f1c2b8e-8d2a-4d55-9a57-5b1f3f1f0a01",
        emails=[Email("ann@one.example")],
        phones=[Phone("+12025550100", valid=True)],
        tags=["fair"],
    )
    for name in ("bulk", "single"):
        store = Store(tmp_path / f"{name}.db")
        try:
            store.devices.join("d1", "this", 7, str(tmp_path / "folder"), "2026-01-01T00:00:00")
            if name == "bulk":
                store.people.add_many([person])
            else:
                store.people.add(person)
            outboxes.append([(r.tbl, r.key) for r in store.devices.outbox()])
            assert [r["id"] for r in store.people.search("ann@one.example")] == [1]
        finally:
            store.close()
    assert outboxes[0] == outboxes[1]
    assert ("person_emails", person.uuid) in outboxes[0]


def test_the_bulk_write_knows_capturing_as_the_outbox_triggers_do() -> None:
    """add_many's test for device capture is the outbox triggers' own WHEN clause."""
    from netapp.store import people, schema

    assert people.CAPTURING == schema._CAPTURING
