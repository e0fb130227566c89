"""The engine's entry points: status, statuses, refresh_status, agenda, upcoming meetings,
and the two writes the agenda needs (mark a step done, snooze it)."""

from __future__ import annotations

import heapq
import json
from array import array
from collections.abc import Callable, Iterable
from contextlib import closing
from datetime import date, timedelta
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from netapp.domain import (
    FOLLOW_UP_TAG,
    STAGE_ORDER,
    Flag,
    Interaction,
    Kind,
    Outcome,
    StepKind,
    Topic,
    parse_enum,
)
from netapp.engine.history import (
    Context,
    History,
    Rules,
    iter_histories,
    load_context,
    load_histories,
    maybe_day,
)
from netapp.engine.idset import IdSet
from netapp.engine.ladder import log_interaction
from netapp.engine.library import pick_item
from netapp.engine.model import PersonStatus, Step, UpcomingMeeting
from netapp.engine.stage import (
    Facts,
    compute_facts,
    compute_stage,
    evidence,
    stage_history,
    stage_note,
    stage_of,
)
from netapp.engine.timing import (
    changes_on,
    check_asks,
    next_meeting,
    next_step,
    regular_groups,
    split_asks,
)
from netapp.engine.trust import earned_trust, recency_at, trust_score, trust_value
from netapp.engine.value import forecast_12m, value_12m
from netapp.errors import NotFoundError, ValidationError

STAGE_RANK = {s: n for n, s in enumerate(STAGE_ORDER)}
_NOT_STALE: Any = object()

if TYPE_CHECKING:
    from netapp.store import Store


def compute(h: History, ctx: Context, *, full: bool = True) -> PersonStatus:
    """A person's status from their history alone: pure, no store, no clock.

    ``full=False`` skips the evidence list (the agenda and the status cache do not show it).
    """
    f = compute_facts(h, ctx)
    stage, stage_reason = compute_stage(f, ctx.ask_labels())
    trust, parts = trust_score(f, ctx.rules.half_life_days)
    checks = check_asks(f, stage, ctx, trust=trust)
    allowed, blocked = split_asks(checks, ctx.as_of)
    v12 = value_12m(h, f)
    window = ctx.rules.two_way_days
    step = next_step(h, f, stage, ctx, checks, trust=trust)
    return PersonStatus(
        person_id=h.person_id,
        display_name=h.display_name,
        as_of=ctx.as_of,
        stage=stage,
        trust=trust,
        flags=f.flags,
        repeat_contacts=f.meetings,
        repeat_contacts_6m=f.meetings_6m,
        last_touch=f.last_touch,
        given=f.given,
        asked=len(f.asks),
        value_12m=v12,
        forecast_12m=forecast_12m(h, f, trust),
        allowed_asks=allowed,
        blocked_asks=blocked,
        next_step=step,
        evidence=evidence(f, window, ctx.ask_labels()) if full else [],
        stage_reason=stage_reason,
        trust_parts=parts,
        current_stage=f.current,
        stage_history=stage_history(f),
        quiet_since=f.quiet_since,
        stage_note=stage_note(f, window),
        changes_on=changes_on(h, f, step, checks, ctx, trust),
    )


def statuses(
    store: Store, as_of: date, person_ids: Iterable[int] | None = None
) -> dict[int, PersonStatus]:
    """Statuses of all people (or of ``person_ids``), from a handful of bulk queries."""
    ctx = load_context(store, as_of)
    return {pid: compute(h, ctx) for pid, h in load_histories(store, as_of, person_ids).items()}


def status(store: Store, person_id: int, as_of: date) -> PersonStatus:
    """One person's status; NotFoundError when there is no such person."""
    found = statuses(store, as_of, [person_id])
    if person_id not in found:
        raise NotFoundError(f"person {person_id} not found")
    return found[person_id]


NEVER = "9999-12-31"  # person_status.changes_on of a row the date alone never changes


def _status_row(h: History, ctx: Context) -> tuple[object, ...]:
    """The ``person_status`` columns (without ``person_id`` and ``as_of``): only what the
    people list shows, so no evidence, reasons in words, values or blocked asks; then the
    first day the date alone may change them and the earned trust (for the incremental
    refresh)."""
    f = compute_facts(h, ctx)
    stage = stage_of(f)
    trust = trust_value(f, ctx.rules.half_life_days)
    checks = check_asks(f, stage, ctx, trust=trust)
    step = next_step(h, f, stage, ctx, checks, words=False, trust=trust)
    if step.kind == "give-value":
        item, _ = pick_item(h, f, ctx)
        step.item_title = item.title if item else None
    turn = changes_on(h, f, step, checks, ctx, trust)
    return (
        stage.value,
        STAGE_RANK[stage],
        trust,
        f.meetings,
        f.last_touch.isoformat() if f.last_touch else None,
        step.kind,
        step.due.isoformat() if step.due else None,
        next_text(step),
        " ".join(_list_flags(f, step)),
        turn.isoformat() if turn else NEVER,
        earned_trust(f),
    )


def _list_flags(f: Facts, step: Step) -> list[str]:
    """The flags the people list filters by: what the relationship is, and whether its next
    step is overdue or it is going quiet (both as of the row's day)."""
    return [
        *f.flags,
        *([Flag.OVERDUE] if step.overdue and step.kind != StepKind.NONE else []),
        *([Flag.QUIET] if f.quiet else []),
    ]


_STALE_SQL = """SELECT p.id, s.person_id IS NOT NULL, s.as_of, s.changes_on, s.earned, s.stage,
       s.stage_rank, s.trust, s.repeat_contacts, s.last_touch, s.next_kind, s.next_due,
       s.next_text, s.flags
FROM people p LEFT JOIN person_status s ON s.person_id = p.id
WHERE (s.person_id IS NULL OR s.as_of != ?)"""

# The earliest day of the rows that may only need their trust re-aged (``_split_stale``'s
# test, in SQL: text compares alike in both).
_FIRST_DATED_SQL = """SELECT min(s.as_of) FROM people p JOIN person_status s ON s.person_id = p.id
WHERE s.as_of > '' AND s.as_of < ? AND s.changes_on > ? AND s.earned IS NOT NULL
  AND s.as_of != ?"""


def _aged_trust(earned: float, last_touch: str | None, as_of: date, half_life: float) -> float:
    """The cached trust re-aged to ``as_of``: exactly what ``trust_score`` gives for it."""
    factor = recency_at(maybe_day(last_touch), as_of, half_life)
    return round(earned * factor, 1)


def _split_stale(
    store: Store, as_of: date, ids: list[int] | None, seen: dict[int, str | None]
) -> tuple[dict[int, Any], list[tuple[float, int]]]:
    """The rows to recompute (person -> the old columns, or None when missing) and those only
    the date moved past, with nothing due in between: (trust re-aged to ``as_of``, person).
    ``seen`` is filled with each person's row day as read (None: no row).

    One pass over the rows, none of them kept whole: the evidence dated since the earliest
    such row's day is read first (at 100,000 people, holding every dated row until then
    pinned about 40 MB of Python arenas in the idle window after the first start of a day,
    issue 20)."""
    iso = as_of.isoformat()
    where, params = "", [iso]
    if ids is not None:
        where = " AND p.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(ids))
    first = store.db.scalar(_FIRST_DATED_SQL + where, [iso, iso, iso, *params[1:]])
    touched = _evidence_between(store, first, iso) if first is not None else set()
    half_life = Rules.from_store(store).half_life_days
    old: dict[int, Any] = {}
    aged: list[tuple[float, int]] = []
    days: dict[str, str] = {}  # one string per day: every row repeats a handful of days
    for r in store.db.conn.execute(_STALE_SQL + where, params):
        pid, present, row_day, turn, earned = r[0], r[1], r[2], r[3], r[4]
        if row_day is not None:
            row_day = days.setdefault(row_day, row_day)
        seen[pid] = row_day if present else None
        if (
            present
            and turn is not None
            and earned is not None
            and "" < row_day < iso < turn
            and pid not in touched
        ):
            aged.append((_aged_trust(earned, r[9], as_of, half_life), pid))
        else:
            old[pid] = (*r[5:], turn, earned) if present else None
    return old, aged


def _evidence_between(store: Store, after: str, upto: str) -> set[int]:
    """People with evidence recorded ahead of time that is dated in (``after``, ``upto``]: the
    date passing makes it count. A group meeting in the window counts for everyone who ever
    came to that group (the group's regulars and next meeting change). Over-inclusive is
    safe: those people are only recomputed."""
    sql = """
    SELECT person_id FROM interactions WHERE date > :a AND date <= :b
    UNION SELECT a.person_id FROM attendance a JOIN meetings m ON m.id = a.meeting_id
          WHERE m.date > :a AND m.date <= :b
             OR m.group_id IN (SELECT group_id FROM meetings WHERE date > :a AND date <= :b)
    UNION SELECT person FROM (SELECT referrer_id AS person, date FROM referrals
          UNION ALL SELECT provider_id, date FROM referrals
          UNION ALL SELECT prospect_id, date FROM referrals)
          WHERE person IS NOT NULL AND date > :a AND date <= :b
    UNION SELECT person_id FROM consents
          WHERE (substr(obtained_at, 1, 10) > :a AND substr(obtained_at, 1, 10) <= :b)
             OR (substr(withdrawn_at, 1, 10) > :a AND substr(withdrawn_at, 1, 10) <= :b)"""
    return {r[0] for r in store.db.conn.execute(sql, {"a": after, "b": upto})}


def refresh_status(
    store: Store,
    as_of: date,
    person_ids: Iterable[int] | None = None,
    *,
    cancel: Callable[[], bool] | None = None,
) -> int:
    """Bring the cached ``person_status`` rows that are missing or not as of ``as_of`` up to date.

    Incremental: a row computed on an earlier day whose ``changes_on`` is still ahead only has
    its trust re-aged and its ``as_of`` moved on (the date alone changes nothing else before
    that day); missing rows, rows marked stale and rows whose day of change has come are
    recomputed, and of those the ones whose values did not change only get their ``as_of``
    moved on. Returns how many rows were brought up to date. ``cancel`` is called now and
    then; when it returns True, :class:`Cancelled` is raised before any write.

    The histories are read outside the write's transaction (a full pass takes seconds, and
    the app keeps writing meanwhile). So each pass writes, in one transaction, only the rows
    no other connection can have changed since it read them; the people it could not vouch
    for (their row went stale, their history changed, a rung or the library changed) are
    passed again, and the last try reads inside the write's transaction.
    """
    ids = None if person_ids is None else sorted({int(i) for i in person_ids})
    written = 0
    for _ in range(RACED_PASSES):
        done, unsure = _refresh_pass(store, as_of, ids, cancel)
        written += done
        if not unsure:
            return written
        ids = unsure
    with store.atomic():  # nothing can commit between this pass's reads and its write
        return written + _refresh_pass(store, as_of, ids, cancel)[0]


RACED_PASSES = 3  # passes whose reads may race a write, before one that reads in the write's lock


def _data_version(store: Store) -> int:
    """SQLite's count of other connections' commits, as this connection sees it."""
    return int(store.db.scalar("PRAGMA data_version"))


def _refresh_pass(
    store: Store, as_of: date, ids: list[int] | None, cancel: Callable[[], bool] | None
) -> tuple[int, list[int]]:
    """One refresh of ``ids`` (None: everyone): (rows written, people left for another pass
    because another connection committed while their rows were worked out)."""
    iso = as_of.isoformat()
    version = _data_version(store)
    seen: dict[int, str | None] = {}
    old, aged = _split_stale(store, as_of, ids, seen)
    if cancel is not None and cancel():
        raise Cancelled
    # Stream everyone's history (one scan per table) only when most people are recomputed:
    # a few thousand (a morning's refresh) are read by id through the indexes.
    scan = len(old) > max(2000, len(aged))
    changed, same = _recompute(store, as_of, scan, old, cancel) if old else ([], [])
    with store.atomic():
        unsure: list[int] = []
        if _data_version(store) != version:
            unsure = _keep_vouched(store, seen, changed, same, aged)
        store.db.conn.executemany(
            "UPDATE person_status SET trust = ?, as_of = ? WHERE person_id = ?",
            [(trust, iso, pid) for trust, pid in aged],
        )
        if same:
            store.db.conn.execute(
                "UPDATE person_status SET as_of = ? "
                "WHERE person_id IN (SELECT value FROM json_each(?))",
                [iso, json.dumps(same)],
            )
        store.db.conn.executemany(
            """INSERT OR REPLACE INTO person_status (person_id, stage, stage_rank, trust,
               repeat_contacts, last_touch, next_kind, next_due, next_text, flags, changes_on,
               earned, as_of) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            changed,
        )
    written = len(changed) + len(same) + len(aged)
    while changed:  # freed in slices: one long C call would hold the GIL (the GUI's too)
        del changed[-SORT_CHUNK:]
    return written, unsure


def _keep_vouched(
    store: Store,
    seen: dict[int, str | None],
    changed: list[tuple[object, ...]],
    same: list[int],
    aged: list[tuple[float, int]],
) -> list[int]:
    """Another connection committed during the pass: keep (in place) only the rows of people
    whose cached row is still the one read, dated. Every write that changes a status drops the
    row or marks it '' (the triggers), so such a row vouches that nothing changed; a missing or
    '' row cannot, and a deleted person has nothing left to write. Returns the people left
    unsure (still there, not vouched for), in order."""
    now = dict(
        store.db.conn.execute(
            "SELECT p.id, s.as_of FROM people p LEFT JOIN person_status s ON s.person_id = p.id"
            " WHERE p.id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(seen))],
        )
    )
    vouched = {pid for pid, day in seen.items() if day and pid in now and now[pid] == day}
    changed[:] = [row for row in changed if row[0] in vouched]
    same[:] = [pid for pid in same if pid in vouched]
    aged[:] = [pair for pair in aged if pair[1] in vouched]
    return sorted(pid for pid in seen if pid in now and pid not in vouched)


def _recompute(
    store: Store,
    as_of: date,
    scan: bool,
    old: dict[int, Any],
    cancel: Callable[[], bool] | None,
) -> tuple[list[tuple[object, ...]], list[int]]:
    """Run the engine for the people in ``old`` (``scan``: streaming everyone's history):
    (rows to write, people whose row is the same but for its day)."""
    iso = as_of.isoformat()
    ctx = load_context(store, as_of)
    stale = sorted(old)
    histories = closing(iter_histories(store, as_of, None if scan else stale))
    changed: list[tuple[object, ...]] = []
    same: list[int] = []
    with histories as stream:  # closed at once if cancelled, while the connection is open
        for n, h in enumerate(stream):
            pid = h.person_id
            if cancel is not None and n % CHECK_EVERY == 0 and cancel():
                raise Cancelled
            before = old.pop(pid, _NOT_STALE)  # dropped as we go
            if before is _NOT_STALE:
                continue
            row = _status_row(h, ctx)
            if row == before:
                same.append(pid)
            else:
                changed.append((pid, *row, iso))
    return changed, same


def next_text(step: Step) -> str:
    """The short text of the people list's "next step" column."""
    if step.kind == "ask":
        return f"ask: {step.ask}"
    if step.kind == "give-value":
        return f"give: {step.item_title}" if step.item_title else "give: an introduction"
    if step.kind == "none":
        return ""
    if step.dormant:
        return "dormant"
    if step.reconnect:
        return "reconnect"
    return step.kind


def _visible(step: Step, h: History | None, as_of: date, horizon: date) -> bool:
    if step.kind == "none" or step.dormant or step.due is None or step.due > horizon:
        return False
    until = h.snoozes.get(step.kind) if h else None
    return until is None or until <= as_of


def _upcoming(ctx: Context, horizon: date) -> dict[tuple[int, date], UpcomingMeeting]:
    meetings: dict[tuple[int, date], UpcomingMeeting] = {}
    for g in ctx.groups.values():
        d = next_meeting(g, ctx.as_of)
        while d is not None and d <= horizon:
            meetings[(g.id, d)] = UpcomingMeeting(g.id, g.name, d, g.venue)
            d = next_meeting(g, d + timedelta(days=1))
    return meetings


class Cancelled(Exception):
    """Raised inside a long computation when its ``cancel`` callback says to stop."""


CHECK_EVERY = 64  # people between two calls of a ``cancel`` callback (the app's also yields
# to the GUI there: a few milliseconds apart at most)


def _step_order(st: tuple[Step, float]) -> tuple[int, float, str, int]:
    step, trust = st
    return (step.priority, -trust, step.display_name.casefold(), step.person_id)


SORT_CHUNK = 4096


def _sort_steps(steps: list[tuple[Step, float]]) -> list[tuple[Step, float]]:
    """Steps in agenda order. A long list is sorted in chunks, then merged step by step:
    one C-level sort of 70,000 steps would hold the GIL (and so stall the GUI thread, when
    this runs on a worker thread) for a few hundred milliseconds."""
    if len(steps) <= SORT_CHUNK:
        return sorted(steps, key=_step_order)
    chunks = [
        sorted(steps[i : i + SORT_CHUNK], key=_step_order) for i in range(0, len(steps), SORT_CHUNK)
    ]
    return list(heapq.merge(*chunks, key=_step_order))


class TodayPlan(NamedTuple):
    """The Today page's data: the most urgent steps, the coming meetings, and counts."""

    steps: list[Step]  # in agenda order; the first ``limit`` only, when a limit was given
    meetings: list[UpcomingMeeting]
    total: int  # every step due within the horizon
    overdue: int
    trusts: tuple[float, ...] = ()  # the trust of each of ``steps`` (ties break by it)
    due: IdSet = IdSet()  # everyone with a step due within the horizon
    late: IdSet = IdSet()  # those of them overdue


def _plan(  # noqa: C901  split in #23
    store: Store,
    as_of: date,
    days: int | None,
    meeting_days: int | None,
    cancel: Callable[[], bool] | None = None,
    limit: int | None = None,
) -> TodayPlan:
    """The agenda and the coming meetings from one pass over everyone's history.

    Two passes per person: a cheap one (facts, stage, trust, the step's kind and due date,
    no words), then the reasons in plain words only for the steps that will be shown. With
    ``limit``, only the most urgent ``limit`` steps are kept (with their histories, to word
    them at the end), so memory stays small however many people are due.
    """
    ctx = load_context(store, as_of)
    half_life = ctx.rules.half_life_days
    cadence = ctx.rules.cadence
    horizon = as_of + timedelta(days=days) if days is not None else None
    m_horizon = as_of + timedelta(days=meeting_days) if meeting_days is not None else None
    meetings = _upcoming(ctx, m_horizon) if m_horizon is not None else {}
    by_group: dict[int, list[UpcomingMeeting]] = {}
    for m in meetings.values():
        by_group.setdefault(m.group_id, []).append(m)
    steps: list[tuple[Step, float]] = []
    # With a limit, the best so far: (order key, step if worded, history, facts, stage, trust).
    kept: list[tuple[tuple[int, float, str, int], Step | None, History, Any, Any, float]] = []
    total = overdue = 0
    # Ids appended in the stream's ascending order: no set of up to 100,000 int objects held
    # through the pass, each keeping a pymalloc arena from being given back (issue 20).
    due = array("q")
    late = array("q")
    with closing(iter_histories(store, as_of)) as stream:  # closed at once if cancelled
        for n, h in enumerate(stream):
            if cancel is not None and n % CHECK_EVERY == 0 and cancel():
                raise Cancelled
            f = compute_facts(h, ctx)
            stage = stage_of(f)
            trust = trust_value(f, half_life)
            # When keeping in touch falls due inside the horizon, the step (which is never due
            # later than that) is most likely shown: write it out at once. Only a guess to save
            # a pass; what is shown is decided below, on the step itself, either way.
            full: Step | None = None
            touch = f.last_activity
            if (
                limit is None
                and horizon is not None
                and touch
                and touch + timedelta(cadence[f.current]) <= horizon
            ):
                full = next_step(h, f, stage, ctx, trust=trust)
            quick = full or next_step(h, f, stage, ctx, words=False, trust=trust)
            on_agenda = horizon is not None and _visible(quick, h, as_of, horizon)
            at_meeting: UpcomingMeeting | None = None
            if meetings:
                for g in regular_groups(h, ctx):
                    for m in by_group.get(g.id, ()):
                        m.regulars.append(h.person_id)
                if quick.group_id is not None and quick.due is not None:
                    found = meetings.get((quick.group_id, quick.due))
                    if found is not None and (
                        quick.dormant
                        or (quick.kind == "ask" and _visible(quick, h, as_of, m_horizon or as_of))
                    ):
                        at_meeting = found
            if not on_agenda and at_meeting is None:
                continue
            if at_meeting is not None or (on_agenda and limit is None):
                full = full or next_step(h, f, stage, ctx, trust=trust)  # shown now: in words
            if at_meeting is not None and full is not None:
                (at_meeting.reconnect if full.dormant else at_meeting.steps).append(full)
            if not on_agenda:
                continue
            total += 1
            overdue += quick.overdue
            due.append(h.person_id)
            if quick.overdue:
                late.append(h.person_id)
            if limit is not None:
                # Kept with what it takes to word it later (quick and full steps sort alike).
                kept.append((_step_order((quick, trust)), full, h, f, stage, trust))
                if len(kept) >= 2 * limit + 64:  # prune now and then: sorting a few hundred
                    kept.sort(key=itemgetter(0))
                    del kept[limit:]
            elif full is not None:  # always, without a limit: worded above
                steps.append((full, trust))
    if limit is not None:
        kept.sort(key=itemgetter(0))
        # The reasons in words, for the kept steps only (a step already worded is reused).
        steps = [
            (st or next_step(h, f, stage, ctx, trust=trust), trust)
            for _key, st, h, f, stage, trust in kept[:limit]
        ]
        kept.clear()
    else:
        steps = _sort_steps(steps)
    for m in meetings.values():
        m.reconnect.sort(key=lambda st: (st.display_name.casefold(), st.person_id))
    upcoming = sorted(meetings.values(), key=lambda m: (m.date, m.group_name.casefold()))
    return TodayPlan(
        [s for s, _ in steps],
        upcoming,
        total,
        overdue,
        tuple(t for _, t in steps),
        IdSet.ascending(due),
        IdSet.ascending(late),
    )


def agenda(store: Store, as_of: date, days: int = 7) -> list[Step]:
    """Every person's step due by ``as_of + days``, snoozed and dormant ones hidden, most
    urgent first."""
    if days < 0:
        raise ValidationError("days", "must be zero or more")
    return _plan(store, as_of, days, None).steps


def upcoming_meetings(store: Store, as_of: date, days: int = 14) -> list[UpcomingMeeting]:
    """Group meetings from ``as_of`` to ``as_of + days``, with their regulars, the asks timed
    to them, and the dormant contacts met in that group (to reconnect face to face)."""
    if days < 0:
        raise ValidationError("days", "must be zero or more")
    return _plan(store, as_of, None, days).meetings


def today(
    store: Store,
    as_of: date,
    days: int = 7,
    meeting_days: int = 14,
    *,
    cancel: Callable[[], bool] | None = None,
) -> tuple[list[Step], list[UpcomingMeeting]]:
    """``agenda`` and ``upcoming_meetings`` together, from one load (the Today page).

    ``cancel`` is called now and then; when it returns True, :class:`Cancelled` is raised."""
    plan = today_plan(store, as_of, days, meeting_days, cancel=cancel)
    return plan.steps, plan.meetings


def today_plan(
    store: Store,
    as_of: date,
    days: int = 7,
    meeting_days: int = 14,
    *,
    limit: int | None = None,
    cancel: Callable[[], bool] | None = None,
) -> TodayPlan:
    """Like :func:`today`, but keeps only the ``limit`` most urgent steps (with the counts of
    all): at 100,000 people tens of thousands can be due, more than anyone reads in a day."""
    if days < 0 or meeting_days < 0:
        raise ValidationError("days", "must be zero or more")
    if limit is not None and limit < 1:
        raise ValidationError("limit", "must be at least 1")
    return _plan(store, as_of, days, meeting_days, cancel, limit)


# How a done step is logged when the caller does not say.
_DONE_KIND = {
    "follow-up": (Kind.EMAIL, "Followed up after meeting"),
    "keep-in-touch": (Kind.MESSAGE, "Kept in touch"),
}


def mark_done(
    store: Store,
    person_id: int,
    step_kind: str,
    on: date,
    ask: str | None = None,
    outcome: str | None = None,
    item_id: int | None = None,
    *,
    via: str | None = None,
    note: str = "",
) -> int:
    """Log the interaction that completes a step, clear its snooze; returns the interaction id.

    follow-up -> email (or ``via``), keep-in-touch -> message (or ``via``), give-value ->
    value-given naming the library item, ask -> ask of type ``ask`` with ``outcome``
    (pending when not given).
    """
    step_kind = _actionable(step_kind, "done")
    if step_kind == "ask":
        if not ask:
            raise ValidationError("ask", "say which ask was made")
        it = Interaction(
            person_id=person_id,
            date=on.isoformat(),
            kind=Kind.ASK,
            ask_type=ask,
            outcome=Outcome(outcome) if outcome else Outcome.PENDING,
            note=note,
        )
    elif step_kind == "give-value":
        title = store.library.get(item_id).title if item_id is not None else ""
        it = Interaction(
            person_id=person_id,
            date=on.isoformat(),
            kind=Kind.VALUE_GIVEN,
            library_item_id=item_id,
            note=note or (f"Gave: {title}" if title else "Made an introduction"),
        )
    else:
        kind, default_note = _DONE_KIND[step_kind]
        if via is not None:
            kind = parse_enum(Kind, via, "via")
        it = Interaction(
            person_id=person_id, date=on.isoformat(), kind=kind, note=note or default_note
        )
    if outcome is not None and step_kind != "ask":
        raise ValidationError("outcome", "only an ask has an outcome")
    with store.atomic():
        iid = log_interaction(store, it)
        store.db.conn.execute(
            "DELETE FROM snoozes WHERE person_id = ? AND kind = ?", [person_id, step_kind]
        )
        if step_kind == "follow-up":
            # The quick capture's "follow up" mark is answered: take it off the person.
            gone = store.db.conn.execute(
                "DELETE FROM person_tags WHERE person_id = ? AND tag = ? COLLATE NOCASE",
                [person_id, FOLLOW_UP_TAG],
            ).rowcount
            if gone:
                store.changed(Topic.PEOPLE, [person_id])
    return iid


def undo_done(store: Store, interaction_id: int, *, follow_up_tag: bool = False) -> None:
    """Take back :func:`mark_done`: delete its interaction and, when ``follow_up_tag``, put
    the ``follow-up`` tag back on the person. One transaction."""
    with store.atomic():
        pid = store.db.scalar("SELECT person_id FROM interactions WHERE id = ?", [interaction_id])
        if pid is None:
            raise NotFoundError(f"interaction {interaction_id} not found")
        store.interactions.delete(interaction_id)
        if follow_up_tag:
            store.db.conn.execute(
                "INSERT OR IGNORE INTO person_tags (person_id, tag) VALUES (?, ?)",
                [pid, FOLLOW_UP_TAG],
            )
            store.changed(Topic.PEOPLE, [pid])


def has_follow_up_tag(store: Store, person_id: int) -> bool:
    """Whether the person carries the quick capture's ``follow-up`` mark."""
    return (
        store.db.scalar(
            "SELECT 1 FROM person_tags WHERE person_id = ? AND tag = ? COLLATE NOCASE",
            [person_id, FOLLOW_UP_TAG],
        )
        is not None
    )


def _actionable(step_kind: str, what: str) -> StepKind:
    """A step kind that can be done or snoozed (not ``none``), or a ValidationError."""
    kind = parse_enum(StepKind, step_kind, "step")
    if kind is StepKind.NONE:
        raise ValidationError("step", f"{step_kind!r} is not a step that can be {what}")
    return kind


def snooze(store: Store, person_id: int, step_kind: str, until: date) -> None:
    """Hide a person's step of this kind from the agenda until ``until``."""
    step_kind = _actionable(step_kind, "snoozed")
    with store.atomic():
        if store.db.scalar("SELECT 1 FROM people WHERE id = ?", [person_id]) is None:
            raise NotFoundError(f"person {person_id} not found")
        store.db.conn.execute(
            "INSERT INTO snoozes (person_id, kind, until) VALUES (?,?,?) "
            "ON CONFLICT(person_id, kind) DO UPDATE SET until = excluded.until",
            [person_id, step_kind, until.isoformat()],
        )
        store.changed(Topic.SNOOZES, [person_id])
