"""What may be asked now, and the next step: its kind, ask, due date and reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from netapp.domain import FOLLOW_UP_TAG, STAGE_ORDER, Stage
from netapp.engine.history import Context, GroupInfo, History
from netapp.engine.ladder import REQUIREMENTS, Ask
from netapp.engine.library import pick_item
from netapp.engine.model import KIND_RANK, BlockedAsk, Step
from netapp.engine.stage import Facts, a_an, fmt, plural

RANK: dict[Stage, int] = {s: n for n, s in enumerate(STAGE_ORDER)}
# Asks that make sense again after a yes (another introduction, another sale).
REPEATABLE = frozenset({"referral", "one-to-one", "purchase", "upsell"})
# An ask rides on value given within this many days; after that, give again first.
VALUE_FRESH_DAYS = 60
# Asks timed to the next meeting of a group the person attends regularly.
MEETING_TIMED = frozenset({"referral", "one-to-one"})


def next_meeting(g: GroupInfo, start: date) -> date | None:
    """The group's first meeting on or after ``start``: recorded, or from its recurrence.

    Monthly means the first <weekday> of the month (as in netapp.demo); fortnightly keeps
    step with the group's last recorded meeting.
    """
    found = [d for _, d in g.past if d >= start] + [d for d in g.future if d >= start]
    if g.recurrence != "none" and g.weekday is not None:
        d = start + timedelta(days=(g.weekday - start.weekday()) % 7)
        if g.recurrence == "fortnightly":
            anchor = next((pd for _, pd in reversed(g.past) if pd.weekday() == g.weekday), None)
            if anchor is not None and (d - anchor).days % 14:
                d += timedelta(days=7)
        elif g.recurrence == "monthly":
            while d.day > 7:
                d += timedelta(days=7)
        found.append(d)
    return min(found) if found else None


def regular_groups(h: History, ctx: Context) -> list[GroupInfo]:
    """Groups where the person was at no fewer than half of the last N meetings."""
    recent = ctx.recent_meetings()
    hits: dict[int, int] = {}
    for m in h.meetings:
        gid = recent.get(m.meeting_id)
        if gid is not None:
            hits[gid] = hits.get(gid, 0) + 1
    if not hits:
        return []
    n = ctx.rules.regular_last_meetings
    return [
        g
        for gid, count in sorted(hits.items())
        if 2 * count >= len((g := ctx.groups[gid]).past[-n:])
    ]


@dataclass
class AskCheck:
    ask: Ask
    reasons: list[str] = field(default_factory=list)  # why it is not proportionate (yet)
    not_before: date | None = None  # cool-downs
    timing: list[str] = field(default_factory=list)  # why not before ``not_before``


def check_asks(f: Facts, stage: Stage, ctx: Context, *, words: bool = True) -> list[AskCheck]:  # noqa: C901  split in #23
    """Every ask on the ladder, with what stands in its way.

    ``words=False`` (the agenda's cheap first pass) keeps the waits and whether an ask is
    blocked, but leaves every reason empty.
    """
    r = ctx.rules
    out: list[AskCheck] = []
    general: list[tuple[date, str]] = []
    last = f.last_ask
    if last is not None:
        until = last.date + timedelta(days=r.cooldown_days)
        general.append(
            (
                until,
                f"you asked ({last.ask_type}) on {fmt(last.date)}; no ask before {fmt(until)}"
                if words
                else "",
            )
        )
    if f.declined:
        d = f.declined[-1]
        until = d.date + timedelta(days=r.after_decline_days)
        general.append(
            (
                until,
                f"they {d.outcome} {a_an(str(d.ask_type))} ask on {fmt(d.date)}; "
                f"wait until {fmt(until)}"
                if words
                else "",
            )
        )
    have = {
        "value_given": f.value_given > 0,
        "customer": f.customer,
        "opted_in": f.opted_in,
        "one_to_one": f.one_to_ones > 0,
    }
    rank = RANK[stage]
    last_declined = {d.ask_type: d for d in f.declined}  # the latest per ask type
    general_until = max((t for t, _ in general), default=None)
    for ask in ctx.ladder:
        c = AskCheck(ask)
        reasons = c.reasons
        if rank < RANK[ask.min_stage]:
            reasons.append(
                f"premature: needs {ask.min_stage.value}, the relationship is at {stage.value}"
                if words
                else ""
            )
        if ask.requires:
            reasons.extend(
                f"needs {REQUIREMENTS[q]}" if words else "" for q in ask.requires if not have[q]
            )
        if ask.id == "email-optin":
            if f.consent_since:
                reasons.append(
                    f"already on your email list since {fmt(f.consent_since)}" if words else ""
                )
            elif f.consent_withdrawn:
                reasons.append(
                    f"withdrew consent on {fmt(f.consent_withdrawn)}; not until they opt in anew"
                    if words
                    else ""
                )
            elif f.optin_said_yes:
                reasons.append(
                    f"said yes on {fmt(f.optin_said_yes)}; record their consent instead"
                    if words
                    else ""
                )
        timing = general
        not_before = general_until
        same = last_declined.get(ask.id)
        if same is not None:
            until = same.date + timedelta(days=r.repeat_declined_days)
            timing = [
                *general,
                (
                    until,
                    f"they {same.outcome} this ask on {fmt(same.date)}; "
                    f"not again before {fmt(until)}"
                    if words
                    else "",
                ),
            ]
            not_before = until if not_before is None else max(not_before, until)
        if not_before is not None:
            c.not_before = not_before
            if words:
                c.timing = [text for t, text in timing if t > ctx.as_of]
        out.append(c)
    return out


def split_asks(checks: list[AskCheck], as_of: date) -> tuple[list[str], list[BlockedAsk]]:
    allowed: list[str] = []
    blocked: list[BlockedAsk] = []
    for c in checks:
        reasons = c.reasons + (c.timing if c.not_before and c.not_before > as_of else [])
        if reasons:
            blocked.append(BlockedAsk(c.ask.id, "; ".join(reasons)))
        else:
            allowed.append(c.ask.id)
    return allowed, blocked


def choose_ask(f: Facts, stage: Stage, checks: list[AskCheck]) -> AskCheck | None:
    """The proportionate next ask: the lowest rung they have not yet said yes to.

    Rungs meant for two stages earlier, and rungs smaller than one they already climbed, are
    skipped; an email opt-in comes first when the value you gave was answered.
    """
    pending = {a.ask_type for a in f.asks if a.outcome in (None, "pending")}
    done = {a.ask_type for a in f.accepted}
    if f.one_to_ones:
        done.add("one-to-one")
    if f.customer:
        done.add("purchase")
    climbed = max((c.ask.size for c in checks if c.ask.id in done), default=0)
    eligible = [
        c
        for c in checks
        if not c.reasons and c.ask.id not in pending and RANK[c.ask.min_stage] >= RANK[stage] - 1
    ]
    pool = [c for c in eligible if c.ask.id not in done and c.ask.size >= climbed]
    if not pool:
        pool = [c for c in eligible if c.ask.id in REPEATABLE]
    if not pool:
        return None
    if f.last_value_acknowledged:
        for c in pool:
            if c.ask.id == "email-optin":
                return c
    return pool[0]


def summary(f: Facts) -> str:
    """The facts a reason starts with."""
    parts: list[str] = []
    if f.main_group and f.main_group_count > 1 and f.main_group_since:
        parts.append(
            f"met at {f.main_group_count} {f.main_group} meetings since {fmt(f.main_group_since)}"
        )
    elif f.meetings > 1:
        parts.append(f"met at {f.meetings} meetings")
    elif f.first_met:
        parts.append(f"met at {f.first_meeting_name} on {fmt(f.first_met)}")
    if f.one_to_ones:
        parts.append(f"{plural(f.one_to_ones, 'one-to-one')}")
    if f.value_given:
        parts.append(f"you gave value {plural(f.value_given, 'time')}")
    else:
        parts.append("no value given yet")
    last = f.last_ask
    if last is None:
        parts.append("no ask yet")
    else:
        days = (f.as_of - last.date).days
        parts.append(f"last ask {plural(days, 'day')} ago ({last.ask_type}, {last.outcome})")
    return ", ".join(parts)


# Steps overdue by more than this share the top tier (then trust decides), so that one
# neglected contact from last year does not bury this week's follow-ups.
OVERDUE_TIER_DAYS = 30
# Reconnect steps (lapsed follow-ups) come after every step due inside any agenda horizon
# (at most 90 days), the most trusted first.
RECONNECT_TIER = 1000


def priority(due: date | None, as_of: date, kind: str, *, reconnect: bool = False) -> int:
    """Lower is more urgent: days until due x 10 + the kind's rank; every step overdue by
    more than 30 days shares the top tier, where the more trusted relationship comes first;
    a reconnect step (a lapsed follow-up) comes after all of them."""
    if due is None:
        return 10**9
    if reconnect:
        return RECONNECT_TIER + KIND_RANK[kind]
    days = (due - as_of).days
    if days < -OVERDUE_TIER_DAYS:
        return -OVERDUE_TIER_DAYS * 10 - 10  # one tier: the agenda orders it by trust
    return days * 10 + KIND_RANK[kind]


def _step(
    h: History,
    ctx: Context,
    kind: str,
    due: date | None,
    reason: str,
    *,
    ask: str | None = None,
    item_id: int | None = None,
    item_title: str | None = None,
    group_id: int | None = None,
    reconnect: bool = False,
    dormant: bool = False,
) -> Step:
    as_of = ctx.as_of
    return Step(
        person_id=h.person_id,
        display_name=h.display_name,
        kind=kind,
        ask=ask,
        due=due,
        overdue=bool(due and due < as_of),
        reason=reason,
        priority=priority(due, as_of, kind, reconnect=reconnect),
        item_id=item_id,
        item_title=item_title,
        group_id=group_id,
        reconnect=reconnect,
        dormant=dormant,
    )


def follow_up_requested(h: History) -> bool:
    """The quick capture's "follow up" mark: the tag ``follow-up`` on the person."""
    return any(t.casefold() == FOLLOW_UP_TAG for t in h.tags)


def next_step(  # noqa: C901  split in #23
    h: History,
    f: Facts,
    stage: Stage,
    ctx: Context,
    checks: list[AskCheck] | None = None,
    *,
    words: bool = True,
) -> Step:
    """The next step. ``words=False`` (the agenda's cheap first pass) gives the same kind,
    due date and priority, with an empty reason and no library item picked.

    ``checks`` are :func:`check_asks`'s (worked out here, only when an ask is in play, if
    not given)."""
    r = ctx.rules
    as_of = ctx.as_of
    if f.first_contact is None or f.last_touch is None:
        return _step(
            h,
            ctx,
            "none",
            None,
            "no meeting or contact recorded yet: log how you met" if words else "",
        )
    facts = summary(f) if words else ""
    # An explicit request to follow up (dated at their latest meeting), until you reach out.
    if follow_up_requested(h):
        since = f.last_met or f.last_touch
        if f.last_reached is None or f.last_reached <= since:
            due = since + timedelta(days=r.followup_days)
            return _step(
                h,
                ctx,
                "follow-up",
                due,
                f"{facts}; you marked them to follow up after {fmt(since)}: follow up within "
                f"{plural(r.followup_days, 'day')}"
                if words
                else "",
            )
    # Met once (not yet credibility), silent for longer than the dormancy window: off the
    # daily agenda, to be greeted again at a meeting.
    quiet = (as_of - f.last_touch).days
    if f.meetings <= 1 and RANK[stage] <= RANK[Stage.VISIBILITY] and quiet > r.dormant_days:
        options = [
            (d, g.id, g.name)
            for gid in sorted(f.groups_met)
            if (g := ctx.groups.get(gid)) is not None and (d := next_meeting(g, as_of))
        ]
        meet_on, gid, gname = min(options) if options else (None, None, "")
        where = (
            f"say hello at the {gname} meeting on {fmt(meet_on)}"
            if meet_on is not None
            else "reconnect if you meet again"
        )
        return _step(
            h,
            ctx,
            "keep-in-touch",
            meet_on,
            f"{facts}, no contact for {plural(quiet, 'day')}: dormant, off the daily agenda; "
            f"{where}"
            if words
            else "",
            group_id=gid,
            dormant=True,
        )
    if f.events == 0 and f.meetings == 1 and f.first_met:
        due = f.first_met + timedelta(days=r.followup_days)
        if (as_of - due).days <= r.cadence[Stage.MET.value]:
            return _step(
                h,
                ctx,
                "follow-up",
                due,
                f"{facts}, no contact since: follow up within {plural(r.followup_days, 'day')}"
                if words
                else "",
            )
        # More than a cadence late: no longer a follow-up but a lower-priority reconnection.
        return _step(
            h,
            ctx,
            "keep-in-touch",
            due,
            f"{facts}, no contact since: the follow-up due on {fmt(due)} lapsed; reconnect "
            "with a short, friendly hello"
            if words
            else "",
            reconnect=True,
        )
    cadence = r.cadence[stage.value]
    touch_due = f.last_touch + timedelta(days=cadence)
    stale_gift = (
        f.value_since_last_ask
        and f.last_value is not None
        and f.last_value.date + timedelta(days=VALUE_FRESH_DAYS) < as_of
    )
    if not f.value_since_last_ask or stale_gift:
        if not words:
            return _step(h, ctx, "give-value", touch_due, "")
        item, matched = pick_item(h, f, ctx)
        if stale_gift and f.last_value is not None:
            ago = (as_of - f.last_value.date).days
            why = (
                f"the value you gave on {fmt(f.last_value.date)} was {plural(ago, 'day')} ago: "
                "give again before you ask"
            )
        elif f.last_ask and f.value_given:
            why = f"no value given since your last ask on {fmt(f.last_ask.date)}"
        else:
            why = "give before you ask"
        if item is None:
            action = "make an introduction (your library has nothing new for them)"
        else:
            action = f"send \u201c{item.title}\u201d"
            if matched:
                action += f" (matches {', '.join(matched)})"
        return _step(
            h,
            ctx,
            "give-value",
            touch_due,
            f"{facts}; {why}: {action}",
            item_id=item.id if item else None,
            item_title=item.title if item else None,
        )
    if checks is None:
        checks = check_asks(f, stage, ctx, words=words)
    chosen = choose_ask(f, stage, checks)
    later = ""
    if chosen is not None:
        assert f.last_value is not None  # value_since_last_ask holds
        base = max(chosen.not_before or f.last_value.date, f.last_value.date)
        group_id = None
        when = ""
        if chosen.ask.id in MEETING_TIMED:
            start = max(base, as_of)
            options2 = [
                (d, g) for g in regular_groups(h, ctx) if (d := next_meeting(g, start)) is not None
            ]
            if options2:
                due, g = min(options2, key=lambda o: (o[0], o[1].id))
                group_id = g.id
                if words:
                    when = f"at the {g.name} meeting on {fmt(due)}"
            else:
                due = base
                if words:
                    when = (
                        "by message, to meet one-to-one (no group they attend regularly)"
                        if chosen.ask.id == "one-to-one"
                        else "over a one-to-one (no group they attend regularly)"
                    )
        elif chosen.ask.id == "email-optin":
            due = base
            if words:
                when = f"right after the value you gave on {fmt(f.last_value.date)}"
        else:
            due = base
            if words:
                when = f"after the value you gave on {fmt(f.last_value.date)}"
        if words and chosen.not_before and chosen.not_before > f.last_value.date and chosen.timing:
            when += f" ({chosen.timing[0]})"
        if due <= touch_due:
            return _step(
                h,
                ctx,
                "ask",
                due,
                f"{facts}: ask \u201c{chosen.ask.label}\u201d {when}" if words else "",
                ask=chosen.ask.id,
                group_id=group_id,
            )
        if words:
            later = f"; the next ask ({chosen.ask.id}) comes on {fmt(due)}"
    return _step(
        h,
        ctx,
        "keep-in-touch",
        touch_due,
        f"{facts}, last touch on {fmt(f.last_touch)}: keep in touch "
        f"(every {plural(cadence, 'day')} at {stage.value}){later}"
        if words
        else "",
    )
