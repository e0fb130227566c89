"""The Today page's quick paths (issue 20): the first agenda from the cached statuses, and a
Done merged in for one person, give what the full pass over everyone gives."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netapp import engine
from netapp.engine import agenda_now
from netapp.engine.model import Step
from netapp.store import Store
from tests.netapp.engine.helpers import Builder
from tests.netapp.engine.test_incremental_status import START, _add, person, seed, step

DAYS = 7
MEETING_DAYS = 14


def _steps(steps: list[Step]) -> list[tuple[object, ...]]:
    return [(*s.to_json().values(), s.priority, s.item_id, s.group_id) for s in steps]


def _meetings(plan: engine.TodayPlan) -> list[tuple[object, ...]]:
    return [(m.group_id, m.date, _steps(m.steps), _steps(m.reconnect)) for m in plan.meetings]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(person, min_size=1, max_size=5),
    st.lists(step, min_size=1, max_size=3),
    st.integers(1, 4),
)
def test_property_the_cached_agenda_equals_the_full_pass(
    people: list[list[tuple[str, int, object]]],
    steps: list[tuple[int, tuple[int, tuple[str, int, object]] | None]],
    limit: int,
) -> None:
    """On a day whose statuses are refreshed, the agenda from the cache is the full pass's: the
    same most urgent steps in words, in order, and the same counts. Then a Done for the first
    step, merged in for that person alone, gives what a new full pass gives."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "t.db")
        try:
            b, ids = seed(store, people)
            today = START
            for days, new in steps:
                today += timedelta(days=days)
                if new is not None:
                    _add(b, ids[new[0] % len(ids)], new[1], today)
                engine.refresh_status(store, today)
                _check_cached(store, today, limit)
                _check_done(store, today)
        finally:
            store.close()


def _check_cached(store: Store, today: date, limit: int) -> None:
    margin, agenda_now.MARGIN = agenda_now.MARGIN, 0  # so that the cache alone picks who
    try:
        quick = agenda_now.cached_plan(store, today, DAYS, limit)
    finally:
        agenda_now.MARGIN = margin
    full = engine.today_plan(store, today, DAYS, 0, limit=limit)
    assert quick is not None
    assert _steps(quick.steps) == _steps(full.steps)
    assert quick.trusts == full.trusts
    assert (quick.total, quick.overdue, quick.due, quick.late) == (
        full.total,
        full.overdue,
        full.due,
        full.late,
    )


def _check_done(store: Store, today: date) -> None:
    before = engine.today_plan(store, today, DAYS, MEETING_DAYS)
    if not before.steps:
        return
    first = before.steps[0]
    outcome = "accepted" if first.kind == "ask" else None
    engine.mark_done(store, first.person_id, first.kind, today, first.ask, outcome, first.item_id)
    ids = {first.person_id}
    people = agenda_now.plan_people(store, today, sorted(ids), DAYS, MEETING_DAYS)
    merged = agenda_now.merge_people(before, people, ids)
    after = engine.today_plan(store, today, DAYS, MEETING_DAYS)
    assert _steps(merged.steps) == _steps(after.steps)
    assert (merged.total, merged.overdue, merged.due, merged.late) == (
        after.total,
        after.overdue,
        after.due,
        after.late,
    )
    assert _meetings(merged) == _meetings(after)


def test_no_cached_agenda_while_a_status_is_missing(tmp_path: Path) -> None:
    """A person without a cached status (a new database, a changed setting): no quick agenda,
    the full pass decides."""
    store = Store(tmp_path / "t.db")
    try:
        b = Builder(store)
        pid = b.person("Ann")
        b.meet(pid, (START - timedelta(days=2)).isoformat())
        assert agenda_now.cached_plan(store, START, DAYS, 10) is None
        engine.refresh_status(store, START)
        plan = agenda_now.cached_plan(store, START, DAYS, 10)
        assert plan is not None and [s.person_id for s in plan.steps] == [pid]
    finally:
        store.close()
