"""The incremental status refresh (issue 20) gives exactly what a full recompute gives."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netapp import engine
from netapp.engine.ladder import default_ladder
from netapp.store import Store
from tests.netapp.engine.helpers import Builder

START = date(2025, 6, 1)  # with every step, still before the clock: only the past is recorded
ASKS = [a.id for a in default_ladder()]
KINDS = [
    "one-to-one",
    "call",
    "email",
    "message",
    "value-given",
    "value-received",
    "referral-received",
    "business",
]
SHOWN = """SELECT person_id, stage, stage_rank, trust, repeat_contacts, last_touch, next_kind,
           next_due, next_text, flags, as_of FROM person_status ORDER BY person_id"""

event = st.one_of(
    st.tuples(st.just("meet"), st.integers(-400, 30), st.none()),
    st.tuples(st.just("group"), st.integers(-400, 30), st.booleans()),  # came, or not
    st.tuples(st.sampled_from(KINDS), st.integers(-400, 0), st.none()),
    st.tuples(
        st.just("ask"),
        st.integers(-200, 0),
        st.tuples(st.sampled_from(ASKS), st.sampled_from(["accepted", "declined", "pending"])),
    ),
    st.tuples(st.just("snooze"), st.integers(1, 60), st.sampled_from(["follow-up", "ask"])),
    st.tuples(st.just("consent"), st.integers(-300, 0), st.none()),
)
person = st.lists(event, max_size=8)
# A day's refresh: how many days after the previous one, and maybe a new event first.
step = st.tuples(st.integers(1, 120), st.one_of(st.none(), st.tuples(st.integers(0, 3), event)))


def _add(b: Builder, pid: int, ev: tuple[str, int, object], today: date) -> None:
    kind, offset, extra = ev
    day = (today + timedelta(days=offset)).isoformat()
    if kind == "meet":
        b.meet(pid, day)
    elif kind == "group":
        group = b.store.db.scalar("SELECT min(id) FROM groups")
        group = group or b.store.groups.add("Breakfast club", "weekly", 3)
        b.store.meetings.add(
            "Breakfast club", day, group_id=group, attendee_ids=[pid] * bool(extra)
        )
    elif kind == "ask":
        assert isinstance(extra, tuple)
        b.ask(pid, day, extra[0], extra[1])
    elif kind == "snooze":
        engine.snooze(b.store, pid, str(extra), today + timedelta(days=offset))
    elif kind == "consent":
        b.consent(pid, day)
    elif kind == "business":
        b.log(pid, day, kind, amount=100.0)
    else:
        b.log(pid, day, kind)


def seed(store: Store, people: list[list[tuple[str, int, object]]]) -> tuple[Builder, list[int]]:
    """One person per list of generated events, each recorded as of :data:`START`."""
    b = Builder(store)
    ids = [b.person(f"P{n}") for n in range(len(people))]
    for pid, events in zip(ids, people, strict=True):
        for ev in events:
            _add(b, pid, ev, START)
    return b, ids


def _full(store: Store, as_of: date) -> list[tuple[object, ...]]:
    """What a full recompute gives as of ``as_of``, leaving the cache as it was."""
    kept = store.db.conn.execute("SELECT * FROM person_status").fetchall()
    with store.atomic():
        store.db.conn.execute("DELETE FROM person_status")
    engine.refresh_status(store, as_of)
    full = [tuple(r) for r in store.db.conn.execute(SHOWN)]
    with store.atomic():
        store.db.conn.execute("DELETE FROM person_status")
        marks = ",".join("?" * len(kept[0])) if kept else ""
        store.db.conn.executemany(f"INSERT INTO person_status VALUES ({marks})", kept)
    return full


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(person, min_size=1, max_size=4), st.lists(step, min_size=1, max_size=4))
def test_property_incremental_refresh_equals_a_full_recompute(
    people: list[list[tuple[str, int, object]]],
    steps: list[tuple[int, tuple[int, tuple[str, int, object]] | None]],
) -> None:
    """Day after day (with new evidence now and then), the incremental refresh leaves exactly
    the rows a full recompute writes: trust re-aged, steps falling due, people going quiet."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "t.db")
        try:
            b, ids = seed(store, people)
            today = START
            engine.refresh_status(store, today)
            for days, new in steps:
                today += timedelta(days=days)
                if new is not None:
                    _add(b, ids[new[0] % len(ids)], new[1], today)
                engine.refresh_status(store, today)
                incremental = [tuple(r) for r in store.db.conn.execute(SHOWN)]
                assert incremental == _full(store, today), today
        finally:
            store.close()


def test_a_day_with_nothing_due_only_re_ages_trust(tmp_path: Path) -> None:
    """The next day, a person with nothing falling due is not recomputed: their row is updated
    in place (trust re-aged, as_of moved on), not replaced."""
    store = Store(tmp_path / "t.db")
    try:
        b = Builder(store)
        pid = b.person("Ann")
        b.log(pid, (START - timedelta(days=3)).isoformat(), "one-to-one")
        engine.refresh_status(store, START)
        turn = store.db.scalar("SELECT changes_on FROM person_status")
        assert turn > (START + timedelta(days=1)).isoformat()
        replaced: list[int] = []
        store.db.conn.create_function("noted", 1, replaced.append)
        store.db.conn.execute(
            "CREATE TEMP TRIGGER seen AFTER INSERT ON person_status "
            "BEGIN SELECT noted(new.person_id); END"
        )
        before = store.db.scalar("SELECT trust FROM person_status")
        assert engine.refresh_status(store, START + timedelta(days=1)) == 1
        assert replaced == []
        assert store.db.scalar("SELECT trust FROM person_status") < before
        assert store.db.scalar("SELECT changes_on FROM person_status") == turn
    finally:
        store.close()
