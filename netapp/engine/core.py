"""The engine's entry points: status, statuses, refresh_status, agenda, upcoming meetings,
and the two writes the agenda needs (mark a step done, snooze it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from netapp.domain import STAGE_ORDER, Interaction, Kind, Outcome
from netapp.engine.history import Context, History, load_context, load_histories
from netapp.engine.model import STEP_KINDS, PersonStatus, Step, UpcomingMeeting
from netapp.engine.stage import compute_facts, compute_stage, evidence
from netapp.engine.timing import check_asks, next_meeting, next_step, regular_groups, split_asks
from netapp.engine.trust import trust_score
from netapp.engine.value import forecast_12m, value_12m
from netapp.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from netapp.store import Store


def compute(h: History, ctx: Context, *, full: bool = True) -> PersonStatus:
    """A person's status from their history alone: pure, no store, no clock.

    ``full=False`` skips the evidence list (the agenda and the status cache do not show it).
    """
    f = compute_facts(h, ctx)
    stage, stage_reason = compute_stage(f)
    trust, parts = trust_score(f, ctx.rules.half_life_days)
    checks = check_asks(f, stage, ctx)
    allowed, blocked = split_asks(checks, ctx.as_of)
    v12 = value_12m(h, f)
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
        given=f.value_given,
        asked=len(f.asks),
        value_12m=v12,
        forecast_12m=forecast_12m(h, f, trust),
        allowed_asks=allowed,
        blocked_asks=blocked,
        next_step=next_step(h, f, stage, ctx, checks),
        evidence=evidence(f) if full else [],
        stage_reason=stage_reason,
        trust_parts=parts,
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


def refresh_status(store: Store, as_of: date, person_ids: Iterable[int] | None = None) -> int:
    """Recompute the cached ``person_status`` rows that are missing or not as of ``as_of``.

    One transaction, written with executemany. Returns how many rows were written.
    """
    iso = as_of.isoformat()
    ids = None if person_ids is None else sorted({int(i) for i in person_ids})
    sql = """SELECT p.id FROM people p LEFT JOIN person_status s ON s.person_id = p.id
             WHERE (s.person_id IS NULL OR s.as_of != ?)"""
    params: list[object] = [iso]
    if ids is not None:
        import json

        sql += " AND p.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(ids))
    stale = [r[0] for r in store.conn.execute(sql, params)]
    if not stale:
        return 0
    ctx = load_context(store, as_of)
    histories = load_histories(store, as_of, None if ids is None and len(stale) > 2000 else stale)
    computed = {pid: compute(h, ctx, full=False) for pid, h in histories.items()}
    stale_set = set(stale)
    rows = [
        (
            s.person_id,
            s.stage.value,
            STAGE_ORDER.index(s.stage),
            s.trust,
            s.repeat_contacts,
            s.last_touch.isoformat() if s.last_touch else None,
            s.next_step.kind,
            s.next_step.due.isoformat() if s.next_step.due else None,
            next_text(s.next_step),
            " ".join(s.flags),
            iso,
        )
        for s in computed.values()
        if s.person_id in stale_set
    ]
    with store.atomic():
        store.conn.executemany(
            """INSERT OR REPLACE INTO person_status (person_id, stage, stage_rank, trust,
               repeat_contacts, last_touch, next_kind, next_due, next_text, flags, as_of)
               VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
            rows,
        )
    return len(rows)


def next_text(step: Step) -> str:
    """The short text of the people list's "next step" column."""
    if step.kind == "ask":
        return f"ask: {step.ask}"
    if step.kind == "give-value":
        return f"give: {step.item_title}" if step.item_title else "give: an introduction"
    if step.kind == "none":
        return ""
    return step.kind


def _visible(step: Step, h: History | None, as_of: date, horizon: date) -> bool:
    if step.kind == "none" or step.due is None or step.due > horizon:
        return False
    until = h.snoozes.get(step.kind) if h else None
    return until is None or until <= as_of


def agenda(store: Store, as_of: date, days: int = 7) -> list[Step]:
    """Every person's step due by ``as_of + days``, snoozed ones hidden, most urgent first."""
    if days < 0:
        raise ValidationError("days", "must be zero or more")
    ctx = load_context(store, as_of)
    horizon = as_of + timedelta(days=days)
    steps: list[tuple[Step, float]] = []
    for h in load_histories(store, as_of).values():
        s = compute(h, ctx, full=False)
        if _visible(s.next_step, h, as_of, horizon):
            steps.append((s.next_step, s.trust))
    steps.sort(
        key=lambda st: (st[0].priority, -st[1], st[0].display_name.casefold(), st[0].person_id)
    )
    return [s for s, _ in steps]


def upcoming_meetings(store: Store, as_of: date, days: int = 14) -> list[UpcomingMeeting]:
    """Group meetings from ``as_of`` to ``as_of + days``, with their regulars and timed asks."""
    ctx = load_context(store, as_of)
    horizon = as_of + timedelta(days=days)
    histories = load_histories(store, as_of)
    meetings: dict[tuple[int, date], UpcomingMeeting] = {}
    for g in ctx.groups.values():
        d = next_meeting(g, as_of)
        while d is not None and d <= horizon:
            meetings[(g.id, d)] = UpcomingMeeting(g.id, g.name, d, g.venue)
            d = next_meeting(g, d + timedelta(days=1))
    for h in histories.values():
        for g in regular_groups(h, ctx):
            for (gid, _), m in meetings.items():
                if gid == g.id:
                    m.regulars.append(h.person_id)
        s = compute(h, ctx, full=False)
        st = s.next_step
        if st.kind == "ask" and st.group_id is not None and st.due is not None:
            m2 = meetings.get((st.group_id, st.due))
            if m2 is not None and _visible(st, h, as_of, horizon):
                m2.steps.append(st)
    return sorted(meetings.values(), key=lambda m: (m.date, m.group_name.casefold()))


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
    if step_kind not in STEP_KINDS or step_kind == "none":
        raise ValidationError("step", f"{step_kind!r} is not a step that can be done")
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
        title = store.get_library_item(item_id).title if item_id is not None else ""
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
            try:
                kind = Kind(via)
            except ValueError:
                raise ValidationError("via", f"{via!r} is not a kind of interaction") from None
        it = Interaction(
            person_id=person_id, date=on.isoformat(), kind=kind, note=note or default_note
        )
    if outcome is not None and step_kind != "ask":
        raise ValidationError("outcome", "only an ask has an outcome")
    with store.atomic():
        iid = store.log(it)
        store.conn.execute(
            "DELETE FROM snoozes WHERE person_id = ? AND kind = ?", [person_id, step_kind]
        )
    return iid


def snooze(store: Store, person_id: int, step_kind: str, until: date) -> None:
    """Hide a person's step of this kind from the agenda until ``until``."""
    if step_kind not in STEP_KINDS or step_kind == "none":
        raise ValidationError("step", f"{step_kind!r} is not a step that can be snoozed")
    with store.atomic():
        if store.scalar("SELECT 1 FROM people WHERE id = ?", [person_id]) is None:
            raise NotFoundError(f"person {person_id} not found")
        store.conn.execute(
            "INSERT INTO snoozes (person_id, kind, until) VALUES (?,?,?) "
            "ON CONFLICT(person_id, kind) DO UPDATE SET until = excluded.until",
            [person_id, step_kind, until.isoformat()],
        )
        store.changed("snoozes", [person_id])
