"""The fact-finding code as it stood before its fast rewrite (issue 20): the direct reading
that ``test_fast_facts.py`` holds the engine's ``compute_facts`` equal to. Not used by the app."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from netapp.domain import Stage
from netapp.engine.history import Context, Event, History, Rules
from netapp.engine.stage import (
    OPEN,
    RANK,
    REACHED,
    TWO_WAY,
    VISIBLE,
    Facts,
    Piece,
    _consents,
)


def reference_facts(h: History, ctx: Context) -> Facts:
    """compute_facts as it was: the same steps, with the slow readings below."""
    f = Facts(ctx.as_of)
    _meetings(f, h, ctx)
    f.first_contact = f.first_met
    _events(f, h, ctx.rules)
    _referrals(f, h)
    _consents(f, h)
    _stages(f, ctx.rules)
    return f


def _meetings(f: Facts, h: History, ctx: Context) -> None:
    """Meetings attended together: counts, first and last, the main group, and the second
    meeting as a piece of visibility evidence."""
    as_of = f.as_of
    six_months = as_of - timedelta(days=182)
    seen: set[int] = set()
    per_group: Counter[int | None] = Counter()
    group_since: dict[int | None, date] = {}
    for m in h.meetings:  # sorted by date
        if m.date > as_of or m.meeting_id in seen:
            continue
        seen.add(m.meeting_id)
        f.meetings += 1
        f.two_way.append((m.date, -m.meeting_id))
        if m.date > six_months:
            f.meetings_6m += 1
        if f.first_met is None or m.date < f.first_met:
            f.first_met, f.first_meeting_name = m.date, m.name
        if f.last_met is None or m.date > f.last_met:
            f.last_met = m.date
        per_group[m.group_id] += 1
        if m.group_id is not None:
            f.groups_met.add(m.group_id)
        if m.group_id not in group_since or m.date < group_since[m.group_id]:
            group_since[m.group_id] = m.date
    if f.meetings >= 2:  # the second meeting together: a piece of visibility evidence
        f.visible.append(sorted(f.two_way)[1])
    if per_group:
        gid, count = max(per_group.items(), key=lambda kv: (kv[1], -(kv[0] or 0)))
        g = ctx.groups.get(gid) if gid is not None else None
        f.main_group = g.name if g else ""
        f.main_group_count = count
        f.main_group_since = group_since[gid]


def _events(f: Facts, h: History, r: Rules) -> None:
    """One pass over the interactions (the hot loop: it runs for everyone's history)."""
    as_of = f.as_of
    lapsed_by = as_of - timedelta(days=r.ask_lapse_days)  # a pending ask this old lapsed
    two_way, visible = f.two_way, f.visible
    counted = 0
    for e in h.events:  # sorted by (date, id)
        when, k = e.date, e.kind
        if when > as_of:
            continue
        if not counted and (f.first_contact is None or when < f.first_contact):
            f.first_contact = when
        counted += k != "met"  # the meeting itself (the capture logs it), not contact since
        piece = (when, e.id)
        if k in TWO_WAY:
            two_way.append(piece)
        if k in VISIBLE:
            visible.append(piece)
        if k in REACHED:
            f.last_reached = when
        answer = _ON_KIND.get(k, _nothing)(f, e, piece, lapsed_by)
        if answer and f.last_gift is not None and when >= f.last_gift.date:
            _gift_answered(f, piece)
    f.events = counted


def _nothing(f: Facts, e: Event, piece: Piece, lapsed_by: date) -> bool:
    return False


def _one_to_one(f: Facts, e: Event, piece: Piece, lapsed_by: date) -> bool:
    f.one_to_ones += 1
    f.last_one_to_one = e.date
    f.proofs.append(piece)
    return True


def _conversation(f: Facts, e: Event, piece: Piece, lapsed_by: date) -> bool:
    f.conversations += 1
    f.last_conversation = e.date
    return True


def _gift(f: Facts, e: Event, piece: Piece, lapsed_by: date) -> bool:
    """Value, a referral or an introduction you gave: not an answer to anything."""
    if e.kind == "value-given":
        f.value_given += 1
        if e.item_id is not None:
            f.items_given.add(e.item_id)
    else:
        f.referral_events_to += 1
    f.last_gift, f.last_gift_answered = e, False
    return False


def _value_received(f: Facts, e: Event, piece: Piece, lapsed_by: date) -> bool:
    f.value_received += 1
    return True


def _business(f: Facts, e: Event, piece: Piece, lapsed_by: date) -> bool:
    f.business += 1
    f.business_total += e.amount or 0.0
    f.last_business = e.date
    f.profits.append(e.date)
    return False


def _referral_received(f: Facts, e: Event, piece: Piece, lapsed_by: date) -> bool:
    f.referral_events_from += 1
    f.profits.append(e.date)
    return False


def _asked(f: Facts, e: Event, piece: Piece, lapsed_by: date) -> bool:
    if not _ask(f, e, e.date <= lapsed_by):
        return False
    f.two_way.append(piece)  # an ask they accepted: they engaged
    f.proofs.append(piece)
    return True


def _gift_answered(f: Facts, piece: Piece) -> None:
    """They answered what you gave: proof they have seen your work (one piece, once)."""
    f.last_gift_answered, f.gift_answered_on = True, piece[0]
    if not f.proofs or f.proofs[-1] != piece:
        f.proofs.append(piece)


_ON_KIND = {
    "one-to-one": _one_to_one,
    "call": _conversation,
    "email": _conversation,
    "message": _conversation,
    "value-given": _gift,
    "referral-given": _gift,
    "value-received": _value_received,
    "ask": _asked,
    "business": _business,
    "referral-received": _referral_received,
}


def _ask(f: Facts, e: Event, lapsed: bool) -> bool:
    """Record an ask; True when they accepted it (an answer, and two-way contact).

    A pending ask is an open question until its outcome is logged or, after the lapse
    period, it counts as ignored: a soft decline (principle 9)."""
    f.asks.append(e)
    outcome = e.outcome
    if outcome == "accepted":
        f.accepted.append(e)
        if e.ask_type == "email-optin":
            f.optin_said_yes = e.date
        return True
    if outcome in OPEN:
        if not lapsed:
            f.open_asks.append(e)
            return False
        f.lapsed += 1
        outcome = "ignored"
    if outcome in ("declined", "ignored"):
        f.declined.append(e)
        f.ignored += outcome == "ignored"
    return False


def _stage_from(visible: list[Piece], proofs: list[Piece], profits: list[date]) -> Stage:
    if profits:
        return Stage.PROFITABILITY
    if not visible:
        return Stage.MET
    return Stage.CREDIBILITY if credible_on(visible, proofs) else Stage.VISIBILITY


def _stages(f: Facts, r: Rules) -> None:
    """The stage the relationship reached (and when), whether it has gone quiet, and the
    stage as it stands today: after a silence longer than the two-way contact window, the
    contact that ends it makes them visible again (they know you), and credibility and
    more are earned again by other evidence since (principle 1)."""
    f.stage = _stage_from(f.visible, f.proofs, f.profits)
    f.visible_since = min(f.visible)[0] if f.visible else None
    f.credible_since = credible_on(f.visible, f.proofs)
    f.profitable_since = min(f.profits) if f.profits else None
    f.last_activity = f.last_reached
    if not f.two_way:
        f.current = f.stage
        return
    two_way = sorted(f.two_way)
    f.last_touch = two_way[-1][0]
    f.last_activity = max(f.last_touch, f.last_reached or f.last_touch)
    window = r.two_way_days
    known = Stage.VISIBILITY if RANK[f.stage] >= RANK[Stage.VISIBILITY] else Stage.MET
    if (f.as_of - f.last_touch).days > window:
        f.quiet_since = f.last_touch
        f.current = known
        return
    back: Piece | None = None  # the contact that ended the last long silence
    for n in range(len(two_way) - 1, 0, -1):  # from the latest: the last silence is found first
        if (two_way[n][0] - two_way[n - 1][0]).days > window:
            back = two_way[n]
            break
    if back is None:
        f.current = f.stage
        return
    resumed = f.resumed_on = back[0]
    visible = [p for p in f.visible if p[0] >= resumed]
    if f.visible_since is not None and f.visible_since < resumed and back not in visible:
        visible.append(back)  # they knew you before: getting back in touch is visibility
    proofs = [p for p in f.proofs if p[0] >= resumed]
    profits = [d for d in f.profits if d >= resumed]
    f.current = _stage_from(visible, proofs, profits)


def _referrals(f: Facts, h: History) -> None:
    """Referrals both ways. A referral is recorded as a row and, by the store, as an
    interaction: it counts once. One they sent is two-way; one you sent is a gift."""
    as_of = f.as_of
    received = [(r.date, -(10**9) - r.id) for r in h.referrals_from if r.date <= as_of]
    sent = [r for r in h.referrals_to if r.date <= as_of]
    from_events, to_events = f.referral_events_from, f.referral_events_to  # by _events
    f.referrals_from = max(len(received), from_events)
    f.referrals_to = max(len(sent), to_events)
    f.two_way.extend(received)
    f.profits.extend(d for d, _ in received)
    if sent and not to_events:  # rows without their interaction (hand-made data): gifts too
        latest = max(sent, key=lambda r: r.date)
        if f.last_gift is None or latest.date > f.last_gift.date:
            f.last_gift = Event(0, latest.date, "referral-given")
            f.last_gift_answered = False
    for when, _ in received:
        if f.first_contact is None or when < f.first_contact:
            f.first_contact = when


def credible_on(visible: list[Piece], proofs: list[Piece]) -> date | None:
    """The first day a proof they have seen your work stands on visibility established by
    *other* evidence on or before it (principle 3): one piece of evidence counts once."""
    if not visible:
        return None
    vis = sorted(visible)
    first = vis[0]
    second = vis[1] if len(vis) > 1 else None
    best: date | None = None
    for p in proofs:
        # The proof needs visibility from another piece: the first, or if the proof *is*
        # the first piece, the second.
        other = first if p != first else second
        if other is not None and other[0] <= p[0] and (best is None or p[0] < best):
            best = p[0]
    return best
