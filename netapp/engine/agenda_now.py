"""The Today page without a pass over everyone (issue 20): at 100,000 people that pass takes
tens of seconds, too long to wait for at start-up or after every Done.

- :func:`cached_plan` builds the first agenda from the cached ``person_status`` rows: the
  most urgent candidates by their cached next step, then the engine, run for those people
  only, words their steps and checks them. The full pass (:func:`netapp.engine.today_plan`)
  refines it in the background.
- :func:`plan_people` runs the engine for a few people (the one just marked Done), and
  :func:`merge_people` puts their steps into a plan already shown, instead of recomputing
  everyone's.
"""

from __future__ import annotations

from bisect import insort
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from netapp.domain import Flag, Stage
from netapp.engine.core import TodayPlan, _step_order, _upcoming, _visible
from netapp.engine.history import Context, load_context, load_histories
from netapp.engine.idset import IdSet
from netapp.engine.model import KIND_RANK, Step
from netapp.engine.stage import compute_facts, stage_of
from netapp.engine.timing import RECONNECT_TIER, STALE_TIER, next_step
from netapp.engine.trust import trust_value

if TYPE_CHECKING:
    from netapp.store import Store

# Candidates worded beyond the limit: a cached step that is no longer due drops out, and the
# next candidate takes its place.
MARGIN = 64

# Who has a step due by the horizon, by the cached rows (a full scan: through the next_due
# index, the table lookups for most of 100,000 rows cost three times as much).
_DUE = """person_status s NOT INDEXED
WHERE s.next_kind != 'none' AND s.next_due IS NOT NULL AND s.next_due <= :horizon
  AND s.next_text != 'dormant'"""
_KIND_RANK = " ".join(f"WHEN '{k}' THEN {v}" for k, v in KIND_RANK.items())
_DAYS = "CAST(round(julianday(s.next_due) - julianday(:day)) AS INTEGER)"
# timing.priority, in SQL, on the cached step (the engine gives the exact one afterwards).
_PRIORITY = f"""CASE
  WHEN s.next_text = 'reconnect' THEN {RECONNECT_TIER} + (CASE s.next_kind {_KIND_RANK} END)
  WHEN {_DAYS} < -:stale THEN {STALE_TIER} + (CASE s.next_kind {_KIND_RANK} END)
  ELSE {_DAYS} * 10 + (CASE WHEN s.next_kind = 'follow-up' THEN 0
      ELSE (CASE s.next_kind {_KIND_RANK} END)
           + (CASE WHEN (' ' || s.flags || ' ') LIKE '% {Flag.CUSTOMER} %' THEN 0 ELSE 3 END)
      END)
END"""
_TOP = f"""SELECT s.person_id FROM people p JOIN {_DUE} AND p.id = s.person_id
ORDER BY {_PRIORITY}, s.trust DESC, lower(p.display_name), s.person_id LIMIT :n"""


class PersonPlan(NamedTuple):
    """One person's part of the Today page, worked out for that person alone."""

    person_id: int
    step: Step | None  # the step on the agenda (in words), or None when nothing is due
    trust: float
    # The coming group meeting (group id, day) the person's step is timed to (an ask to make
    # there, or someone dormant to greet again), and that step; None when not timed to one.
    meeting: tuple[int, date] | None
    timed: Step | None


def plan_people(
    store: Store,
    as_of: date,
    person_ids: list[int],
    days: int,
    meeting_days: int,
    ctx: Context | None = None,
) -> dict[int, PersonPlan]:
    """The agenda step (if any) and the meeting-timed step of each of ``person_ids``, as
    :func:`netapp.engine.today_plan` gives them, without reading anyone else's history.
    A person who no longer exists is left out."""
    ctx = ctx or load_context(store, as_of)
    horizon = as_of + timedelta(days=days)
    m_horizon = as_of + timedelta(days=meeting_days)
    meetings = _upcoming(ctx, m_horizon)
    out: dict[int, PersonPlan] = {}
    for pid, h in load_histories(store, as_of, person_ids).items():
        f = compute_facts(h, ctx)
        stage = stage_of(f)
        trust = trust_value(f, ctx.rules.half_life_days)
        step = next_step(h, f, stage, ctx, trust=trust)
        key: tuple[int, date] | None = None
        if (
            step.group_id is not None
            and step.due is not None
            and (step.group_id, step.due) in meetings
            and (step.dormant or (step.kind == "ask" and _visible(step, h, as_of, m_horizon)))
        ):
            key = (step.group_id, step.due)
        shown = step if _visible(step, h, as_of, horizon) else None
        out[pid] = PersonPlan(pid, shown, trust, key, step if key else None)
    return out


def cached_plan(store: Store, as_of: date, days: int, limit: int) -> TodayPlan | None:
    """The ``limit`` most urgent steps by the cached ``person_status`` rows, worded and checked
    by the engine for those people only; no meetings. None while some person has no cached
    row (a new database, or just after a change of an engine setting): only the full pass
    will do then. The counts are the cache's, corrected for the people worded."""
    missing = store.db.scalar(
        "SELECT EXISTS (SELECT 1 FROM people p WHERE NOT EXISTS "
        "(SELECT 1 FROM person_status s WHERE s.person_id = p.id))"
    )
    if missing:
        return None
    ctx = load_context(store, as_of)
    day = as_of.isoformat()
    params = {
        "day": day,
        "horizon": (as_of + timedelta(days=days)).isoformat(),
        "stale": ctx.rules.cadence[Stage.MET.value],
    }
    snoozed = set(
        store.db.conn.execute("SELECT person_id, kind FROM snoozes WHERE until > ?", [day])
    )
    due: set[int] = set()
    late: set[int] = set()
    for pid, kind, overdue in store.db.conn.execute(
        f"SELECT s.person_id, s.next_kind, s.next_due < :day FROM {_DUE}", params
    ):
        if (pid, kind) not in snoozed:
            due.add(pid)
            if overdue:
                late.add(pid)
    params["n"] = limit + MARGIN + len(snoozed)
    picked = [pid for (pid,) in store.db.conn.execute(_TOP, params) if pid in due]
    picked = picked[: limit + MARGIN]
    shown: list[tuple[Step, float]] = []
    for pid, p in plan_people(store, as_of, picked, days, 0, ctx).items():
        due.discard(pid)
        late.discard(pid)
        if p.step is not None:
            due.add(pid)
            if p.step.overdue:
                late.add(pid)
            shown.append((p.step, p.trust))
    shown.sort(key=_step_order)
    del shown[limit:]
    return TodayPlan(
        [s for s, _ in shown],
        [],
        len(due),
        len(late),
        tuple(t for _, t in shown),
        IdSet(due),
        IdSet(late),
    )


def merge_people(
    plan: TodayPlan, people: dict[int, PersonPlan], ids: set[int], limit: int | None = None
) -> TodayPlan:
    """``plan`` with the steps of ``ids`` replaced by theirs in ``people`` (worked out by
    :func:`plan_people`; a person missing there is gone): the agenda in order, the counts,
    and the steps timed to each coming meeting. When ``plan`` holds only the most urgent
    steps, a new step that sorts after its last is not added (others come before it), and
    ``limit`` caps the list again."""
    complete = plan.total <= len(plan.steps)
    pairs = [(s, t) for s, t in zip(plan.steps, plan.trusts, strict=True) if s.person_id not in ids]
    last = _step_order(pairs[-1]) if pairs and not complete else None
    now_due = {p.person_id for p in people.values() if p.step is not None}
    now_late = {p.person_id for p in people.values() if p.step is not None and p.step.overdue}
    # One copy of each set (98,000 people can be due at 100k), edited for the few ids changed.
    due = plan.due.difference(ids - now_due).union(now_due)
    late = plan.late.difference(ids - now_late).union(now_late)
    for p in people.values():
        if p.step is not None and (last is None or _step_order((p.step, p.trust)) < last):
            insort(pairs, (p.step, p.trust), key=_step_order)
    if limit is not None:
        del pairs[limit:]
    meetings = plan.meetings
    for m in meetings:
        m.steps = [s for s in m.steps if s.person_id not in ids]
        m.reconnect = [s for s in m.reconnect if s.person_id not in ids]
        for p in people.values():
            if p.timed is not None and p.meeting == (m.group_id, m.date):
                (m.reconnect if p.timed.dormant else m.steps).append(p.timed)
        m.steps.sort(key=lambda st: st.person_id)
        m.reconnect.sort(key=lambda st: (st.display_name.casefold(), st.person_id))
    return TodayPlan(
        [s for s, _ in pairs],
        meetings,
        len(due),
        len(late),
        tuple(t for _, t in pairs),
        due,
        late,
    )
