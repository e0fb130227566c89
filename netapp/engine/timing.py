"""What may be asked now, and the next step: its kind, ask, due date and reason.

The rules are docs/trust-model.md, sections 3 and 4; the ten principles they follow are in
its section 0."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from netapp.domain import FOLLOW_UP_TAG, Stage
from netapp.engine.history import Context, Event, GroupInfo, History, Rules
from netapp.engine.ladder import REQUIREMENTS, Ask
from netapp.engine.library import pick_item
from netapp.engine.model import KIND_RANK, BlockedAsk, Step
from netapp.engine.stage import RANK, Facts, ask_named, fmt, plural
from netapp.engine.trust import FLOOR, earned_trust, trust_value

# Asks that make sense again after a yes (another introduction, another sale).
REPEATABLE = frozenset({"referral", "one-to-one", "purchase", "upsell"})
# An ask rides on value given within this many days; after that, give again first.
VALUE_FRESH_DAYS = 60
# Asks timed to the next meeting of a group the person attends regularly.
MEETING_TIMED = frozenset({"referral", "one-to-one"})
# Steps overdue by more than the `met` cadence are stale: they come after every fresh step
# (principle 10), and lapse into reconnects when the person has not answered since.
STALE_TIER = 950
# Reconnect steps come after every step due inside any agenda horizon (at most 90 days, so
# at most 909), the most trusted first.
RECONNECT_TIER = 1000


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


# -- the ask ladder: what may be asked today ---------------------------------------------


@dataclass
class AskCheck:
    ask: Ask
    reasons: list[str] = field(default_factory=list)  # why it is not proportionate (yet)
    not_before: date | None = None  # cool-downs and other waits
    timing: list[str] = field(default_factory=list)  # why not before ``not_before``


Wait = tuple[date, str]


def check_asks(
    f: Facts, stage: Stage, ctx: Context, *, words: bool = True, trust: float | None = None
) -> list[AskCheck]:
    """Every ask on the ladder, with what stands in its way today.

    A rung needs its minimum stage *as the relationship stands today* (``f.current``), its
    evidence, its minimum trust, and the waits. ``words=False`` (the agenda's cheap first
    pass) keeps the waits and whether an ask is blocked, but leaves every reason empty.
    ``stage`` is the stage's history (``f.stage``), for the words.
    """
    r = ctx.rules
    if trust is None:
        trust = trust_value(f, r.half_life_days)
    labels = ctx.ask_labels() if words else {}
    general = _general_waits(f, r, words, labels)
    sizes = {a.id: a.size for a in ctx.ladder}
    out: list[AskCheck] = []
    for ask in ctx.ladder:
        c = AskCheck(ask, _blockers(ask, f, stage, ctx, trust, words))
        _time_rung(c, f, ctx, general, sizes, words, labels)
        out.append(c)
    return out


def _time_rung(
    c: AskCheck,
    f: Facts,
    ctx: Context,
    general: list[Wait],
    sizes: dict[str, int] | None,
    words: bool,
    labels: dict[str, str],
) -> None:
    """Set ``c``'s not-before date from the ``general`` waits and its rung's own, and with
    ``words`` the waits still to come in words (``sizes``: the ladder's, built here if None)."""
    # Most people have no declined, open or bought asks: their rungs have no waits of their
    # own (skipped without building the empty lists; it runs for half the agenda).
    if f.declined or f.open_asks or f.last_business is not None:
        if sizes is None:
            sizes = {a.id: a.size for a in ctx.ladder}
        extra = _rung_waits(c.ask, f, ctx.rules, sizes, words, labels)
    else:
        extra = []
    general_until = max((t for t, _ in general), default=None)
    not_before = max([t for t, _ in extra]) if extra else general_until
    if general_until is not None and not_before is not None:
        not_before = max(not_before, general_until)
    if not_before is not None:
        c.not_before = not_before
        if words:
            c.timing = [text for t, text in (*general, *extra) if t > ctx.as_of]


def _general_waits(f: Facts, r: Rules, words: bool, labels: dict[str, str]) -> list[Wait]:
    """Waits on every ask: the cool-down after any ask, the wait after a decline (asks named
    by ``labels``)."""
    out: list[Wait] = []
    last = f.last_ask
    if last is not None:
        until = last.date + timedelta(days=r.cooldown_days)
        text = (
            f"you asked {ask_named(last.ask_type, labels)} on {fmt(last.date)}; "
            f"no ask before {fmt(until)}"
            if words
            else ""
        )
        out.append((until, text))
    if f.declined:
        d = f.declined[-1]
        until = d.date + timedelta(days=r.after_decline_days)
        text = (
            f"they {_answer(d)} your ask {ask_named(d.ask_type, labels)} on {fmt(d.date)}; "
            f"wait until {fmt(until)}"
            if words
            else ""
        )
        out.append((until, text))
    return out


def _answer(e: object) -> str:
    outcome = getattr(e, "outcome", None)
    return "did not answer" if outcome in (None, "pending") else str(outcome)


def _rung_waits(
    ask: Ask, f: Facts, r: Rules, sizes: dict[str, int], words: bool, labels: dict[str, str]
) -> list[Wait]:
    """Waits on this rung alone: a declined ask of its kind, an open ask of its size or
    larger (principle 9), and the settle-in after a sale for the value ladder (principle 5)."""
    out: list[Wait] = []
    same = next((d for d in reversed(f.declined) if d.ask_type == ask.id), None)
    if same is not None:
        until = same.date + timedelta(days=r.repeat_declined_days)
        text = (
            f"they {_answer(same)} this ask on {fmt(same.date)}; not again before {fmt(until)}"
            if words
            else ""
        )
        out.append((until, text))
    out.extend(_open_waits(ask, f, r, sizes, words, labels))
    if "customer" in ask.requires and f.last_business is not None:
        until = f.last_business + timedelta(days=r.settle_in_days)
        text = (
            f"they bought on {fmt(f.last_business)}: let them see the results first; "
            f"not before {fmt(until)}"
            if words
            else ""
        )
        out.append((until, text))
    return out


def _open_waits(
    ask: Ask, f: Facts, r: Rules, sizes: dict[str, int], words: bool, labels: dict[str, str]
) -> list[Wait]:
    """An open ask (pending, not yet lapsed) holds back the same ask and any larger one until
    they answer. Planned ahead, it is unanswered: on the lapse day it counts as ignored, and
    then the waits after a decline follow (principle 9)."""
    out: list[Wait] = []
    for o in f.open_asks:
        lapses = o.date + timedelta(days=r.ask_lapse_days)
        after = o.date + timedelta(days=r.after_decline_days)
        if ask.id == o.ask_type:
            after = max(after, o.date + timedelta(days=r.repeat_declined_days))
        if ask.id == o.ask_type or ask.size >= sizes.get(str(o.ask_type), ask.size + 1):
            text = (
                f"your ask {ask_named(o.ask_type, labels)} of {fmt(o.date)} is still open: no "
                "same or larger ask "
                f"until they answer (unanswered, it counts as ignored on {fmt(lapses)}; then "
                f"not before {fmt(max(after, lapses))})"
                if words
                else ""
            )
        elif o.date + timedelta(days=r.cooldown_days) >= lapses:
            text = (
                f"your ask {ask_named(o.ask_type, labels)} of {fmt(o.date)} is still open "
                f"(unanswered, it counts as ignored on {fmt(lapses)}; then no ask before "
                f"{fmt(max(after, lapses))})"
                if words
                else ""
            )
        else:
            continue  # a smaller ask may come after the cool-down, while the question is open
        out.append((max(after, lapses), text))
    return out


def _blockers(
    ask: Ask, f: Facts, stage: Stage, ctx: Context, trust: float, words: bool
) -> list[str]:
    """What makes this rung disproportionate today, whatever the date: the stage as it
    stands, the evidence it needs, the trust it needs, consent."""
    out: list[str] = []
    said_quiet = False
    if RANK[f.current] < RANK[ask.min_stage]:
        out.append(_stage_blocker(ask, f, stage) if words else "")
        said_quiet = f.quiet_since is not None and RANK[stage] >= RANK[ask.min_stage]
    for q in ask.requires:
        if not _has(q, f, ctx.rules) and not (said_quiet and q == "recent_contact"):
            out.append(_requirement_blocker(q, f, ctx.rules) if words else "")
    if trust < ask.min_trust:
        out.append(f"needs trust {ask.min_trust}, it is {trust:g} today" if words else "")
    if ask.id == "email-optin":
        if f.consent_since:
            out.append(f"already on your email list since {fmt(f.consent_since)}" if words else "")
        elif f.consent_withdrawn:
            text = f"withdrew consent on {fmt(f.consent_withdrawn)}; not until they opt in anew"
            out.append(text if words else "")
        elif f.optin_said_yes:
            text = f"said yes on {fmt(f.optin_said_yes)}; record their consent instead"
            out.append(text if words else "")
    return out


def _stage_blocker(ask: Ask, f: Facts, stage: Stage) -> str:
    needs = ask.min_stage.value
    if RANK[stage] < RANK[ask.min_stage]:
        return f"premature: needs {needs}, the relationship is at {stage.value}"
    if f.quiet_since is not None:
        return f"quiet since {fmt(f.quiet_since)} (was at {stage.value}): reconnect first"
    assert f.resumed_on is not None
    return (
        f"back in touch on {fmt(f.resumed_on)} after a silence: needs {needs} again "
        "(a one-to-one, an accepted ask or value they answer)"
    )


def _has(requirement: str, f: Facts, r: Rules) -> bool:
    if requirement == "recent_contact":
        return f.last_touch is not None and (f.as_of - f.last_touch).days <= r.two_way_days
    if requirement == "value_given":
        return f.given > 0
    if requirement == "customer":
        return f.customer
    if requirement == "opted_in":
        return f.opted_in
    if requirement == "opted_in_or_customer":
        return f.opted_in or f.customer
    if requirement == "one_to_one":
        return f.one_to_ones > 0
    raise KeyError(requirement)


def _requirement_blocker(requirement: str, f: Facts, r: Rules) -> str:
    if requirement == "recent_contact":
        if f.last_touch is None:
            return "no two-way contact yet: they have not engaged with you"
        days = (f.as_of - f.last_touch).days
        return (
            f"quiet since {fmt(f.last_touch)}: no two-way contact for {plural(days, 'day')} "
            f"(this ask needs it within {plural(r.two_way_days, 'day')}); reconnect first"
        )
    if requirement == "opted_in_or_customer":
        return (
            "needs them on your email list first (or an earlier purchase): the right to sell "
            "comes after the right to contact"
        )
    return f"needs {REQUIREMENTS[requirement]}"


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
    skipped; an email opt-in comes first when the value you gave was answered. After a
    silence, only the rungs climbed since they are back in touch count as climbed, so the
    relationship starts again with a small ask."""
    n = _choose_rung(f, [c.ask for c in checks], [not c.reasons for c in checks])
    return None if n is None else checks[n]


def _choose_rung(f: Facts, asks: list[Ask], clear: list[bool]) -> int | None:
    """:func:`choose_ask` on the rungs alone: the index of the chosen one among ``asks``
    (``clear``: whether each has nothing standing in its way but the waits)."""
    open_types = {a.ask_type for a in f.open_asks}
    since = f.resumed_on

    def lately(d: date | None) -> bool:
        return d is not None and (since is None or d >= since)

    done = {a.ask_type for a in f.accepted if lately(a.date)}
    if lately(f.last_one_to_one):
        done.add("one-to-one")
    if lately(f.last_business):
        done.add("purchase")
    climbed = max((a.size for a in asks if a.id in done), default=0)
    floor = RANK[f.current] - 1
    eligible = [
        n
        for n, a in enumerate(asks)
        if clear[n] and a.id not in open_types and RANK[a.min_stage] >= floor
    ]
    pool = [n for n in eligible if asks[n].id not in done and asks[n].size >= climbed]
    if not pool:
        pool = [n for n in eligible if asks[n].id in REPEATABLE]
    if not pool:
        return None
    if f.last_gift_answered:
        for n in pool:
            if asks[n].id == "email-optin":
                return n
    return pool[0]


def quick_choice(f: Facts, ctx: Context, trust: float, *, words: bool = False) -> AskCheck | None:
    """``choose_ask(f, stage, check_asks(f, stage, ctx, words=False, trust=trust))`` for the
    agenda: whether each rung is blocked (no reasons built), and the waits of the chosen rung
    alone (check_asks works out every rung's), in words with ``words``."""
    r = ctx.rules
    asks = ctx.ladder
    n = _choose_rung(f, asks, [not _blocked(a, f, r, trust) for a in asks])
    if n is None:
        return None
    c = AskCheck(asks[n])
    labels = ctx.ask_labels() if words else {}
    _time_rung(c, f, ctx, _general_waits(f, r, words, labels), None, words, labels)
    return c


def _blocked(ask: Ask, f: Facts, r: Rules, trust: float) -> bool:
    """Whether :func:`_blockers` finds anything in this rung's way (without building it)."""
    if RANK[f.current] < RANK[ask.min_stage] or trust < ask.min_trust:
        return True
    for q in ask.requires:
        if not _has(q, f, r):
            return True
    return ask.id == "email-optin" and bool(
        f.consent_since or f.consent_withdrawn or f.optin_said_yes
    )


# -- the next step ------------------------------------------------------------------------


def summary(f: Facts, labels: dict[str, str]) -> str:
    """The facts a reason starts with (asks named by ``labels``)."""
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
    elif f.referrals_to:
        parts.append(f"you referred {plural(f.referrals_to, 'person', 'people')} to them")
    else:
        parts.append("no value given yet")
    last = f.last_ask
    if last is None:
        parts.append("no ask yet")
    else:
        days = (f.as_of - last.date).days
        outcome = "open" if last in f.open_asks else _answer(last)
        parts.append(
            f"last ask {plural(days, 'day')} ago ({ask_named(last.ask_type, labels)}, {outcome})"
        )
    return ", ".join(parts)


def day_rank(kind: str, customer: bool) -> int:
    """Order of steps due the same day: a new contact's follow-up (the most perishable step
    there is), then a customer's steps, then everyone else's (principle 10)."""
    if kind == "follow-up":
        return 0
    return KIND_RANK[kind] + (0 if customer else 3)


def priority(
    due: date | None,
    as_of: date,
    kind: str,
    *,
    reconnect: bool = False,
    customer: bool = False,
    stale_days: int = 30,
) -> int:
    """Lower is more urgent: days until due x 10 + the order within a day; a step overdue by
    more than ``stale_days`` comes after every fresh one (then trust decides), and a
    reconnect step after all of them."""
    if due is None:
        return 10**9
    if reconnect:
        return RECONNECT_TIER + KIND_RANK[kind]
    days = (due - as_of).days
    if days < -stale_days:
        return STALE_TIER + KIND_RANK[kind]
    return days * 10 + day_rank(kind, customer)


@dataclass
class StepInput:
    """What each rule of :func:`next_step` reads."""

    h: History
    f: Facts
    stage: Stage
    ctx: Context
    words: bool
    trust: float
    checks: list[AskCheck] | None
    facts: str = ""  # the summary a reason starts with (words only)

    def step(
        self,
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
        as_of = self.ctx.as_of
        return Step(
            person_id=self.h.person_id,
            display_name=self.h.display_name,
            kind=kind,
            ask=ask,
            due=due,
            overdue=bool(due and due < as_of),
            reason=reason if self.words else "",
            priority=priority(
                due,
                as_of,
                kind,
                reconnect=reconnect,
                customer=self.f.customer,
                stale_days=self.ctx.rules.cadence[Stage.MET],
            ),
            item_id=item_id,
            item_title=item_title,
            group_id=group_id,
            reconnect=reconnect,
            dormant=dormant,
        )


def follow_up_requested(h: History) -> bool:
    """The quick capture's "follow up" mark: the tag ``follow-up`` on the person."""
    return any(t.casefold() == FOLLOW_UP_TAG for t in h.tags)


def next_step(
    h: History,
    f: Facts,
    stage: Stage,
    ctx: Context,
    checks: list[AskCheck] | None = None,
    *,
    words: bool = True,
    trust: float | None = None,
) -> Step:
    """The next step: the first of the rules below that applies, then stale steps lapse.

    ``words=False`` (the agenda's cheap first pass) gives the same kind, due date and
    priority, with an empty reason and no library item picked. ``checks`` are
    :func:`check_asks`'s (worked out here, only when an ask is in play, if not given)."""
    if trust is None:
        trust = trust_value(f, ctx.rules.half_life_days)
    s = StepInput(h, f, stage, ctx, words, trust, checks)
    if f.first_contact is None:
        return s.step("none", None, "no meeting or contact recorded yet: log how you met")
    s.facts = summary(f, ctx.ask_labels()) if words else ""
    for rule in (_requested_follow_up, _dormant, _new_contact, _quiet, _give_value):
        step = rule(s)
        if step is not None:
            return _lapse_if_stale(s, step)
    return _lapse_if_stale(s, _ask_or_keep_in_touch(s))


def _requested_follow_up(s: StepInput) -> Step | None:
    """An explicit request to follow up (dated at their latest meeting), until you reach out."""
    f, r = s.f, s.ctx.rules
    if not follow_up_requested(s.h):
        return None
    since = f.last_met or f.last_touch or f.first_contact
    assert since is not None
    if f.last_reached is not None and f.last_reached > since:
        return None
    due = since + timedelta(days=r.followup_days)
    return s.step(
        "follow-up",
        due,
        f"{s.facts}; you marked them to follow up after {fmt(since)}: follow up within "
        f"{plural(r.followup_days, 'day')}",
    )


def _dormant(s: StepInput) -> Step | None:
    """Met once (not yet credibility), no two-way contact for longer than the dormancy
    window: off the daily agenda, to be greeted again at a meeting."""
    f, ctx = s.f, s.ctx
    since = f.last_touch or f.first_contact
    assert since is not None
    quiet = (ctx.as_of - since).days
    if f.meetings > 1 or RANK[f.stage] > RANK[Stage.VISIBILITY] or quiet <= ctx.rules.dormant_days:
        return None
    options = [
        (d, g.id, g.name)
        for gid in sorted(f.groups_met)
        if (g := ctx.groups.get(gid)) is not None and (d := next_meeting(g, ctx.as_of))
    ]
    meet_on, gid, gname = min(options) if options else (None, None, "")
    where = (
        f"say hello at the {gname} meeting on {fmt(meet_on)}"
        if meet_on is not None
        else "reconnect if you meet again"
    )
    return s.step(
        "keep-in-touch",
        meet_on,
        f"{s.facts}, no contact for {plural(quiet, 'day')}: dormant, off the daily agenda; {where}",
        group_id=gid,
        dormant=True,
    )


def _new_contact(s: StepInput) -> Step | None:
    """Met once and nothing since: follow up; more than a cadence late, a reconnection."""
    f, r = s.f, s.ctx.rules
    if f.events or f.meetings != 1 or f.first_met is None:
        return None
    due = f.first_met + timedelta(days=r.followup_days)
    if (s.ctx.as_of - due).days <= r.cadence[Stage.MET]:
        return s.step(
            "follow-up",
            due,
            f"{s.facts}, no contact since: follow up within {plural(r.followup_days, 'day')}",
        )
    return s.step(
        "keep-in-touch",
        due,
        f"{s.facts}, no contact since: the follow-up due on {fmt(due)} lapsed; reconnect "
        "with a short, friendly hello",
        reconnect=True,
    )


def _quiet(s: StepInput) -> Step | None:
    """No two-way contact for longer than the window: reconnect before anything else
    (principle 1). Your own gifts and asks since do not count: they did not answer."""
    f, r = s.f, s.ctx.rules
    if f.quiet_since is None:
        return None
    due = f.quiet_since + timedelta(days=r.two_way_days + 1)
    was = f" (was at {f.stage.value})" if f.stage is not f.current else ""
    return s.step(
        "keep-in-touch",
        due,
        f"{s.facts}; quiet since {fmt(f.quiet_since)}{was}: reconnect first with a call, a "
        "message or a hello at a meeting; then give, then ask small",
        reconnect=True,
    )


def gift_words(gift: Event) -> str:
    """What you gave, as a reason names it."""
    return "the value you gave" if gift.kind == "value-given" else "the introduction you made"


def _touch_due(f: Facts, r: Rules) -> date:
    since = f.last_activity or f.first_contact
    assert since is not None
    return since + timedelta(days=r.cadence[f.current])


def _give_value(s: StepInput) -> Step | None:
    """Give before you ask: nothing given since the last ask, or the last gift too old to
    ask on (principle 6: a referral or an introduction you made is giving too)."""
    f, ctx = s.f, s.ctx
    gift = f.last_gift
    stale = (
        gift is not None
        and f.gift_since_last_ask
        and gift.date + timedelta(days=VALUE_FRESH_DAYS) < ctx.as_of
    )
    if f.gift_since_last_ask and not stale:
        return None
    due = _touch_due(f, ctx.rules)
    if not s.words:
        return s.step("give-value", due, "")
    item, matched = pick_item(s.h, f, ctx)
    if stale and gift is not None:
        ago = (ctx.as_of - gift.date).days
        why = (
            f"{gift_words(gift)} on {fmt(gift.date)} was {plural(ago, 'day')} ago: "
            "give again before you ask"
        )
    elif f.last_ask and f.given:
        why = f"nothing given since your last ask on {fmt(f.last_ask.date)}"
    else:
        why = "give before you ask"
    if item is None:
        action = "make an introduction (your library has nothing new for them)"
    else:
        action = f"send \u201c{item.title}\u201d"
        if matched:
            action += f" (matches {', '.join(matched)})"
    return s.step(
        "give-value",
        due,
        f"{s.facts}; {why}: {action}",
        item_id=item.id if item else None,
        item_title=item.title if item else None,
    )


def _ask_or_keep_in_touch(s: StepInput) -> Step:
    """The next ask, due when every wait has passed (and at the group meeting, for a referral
    or a one-to-one), unless keeping in touch falls due first."""
    f, ctx = s.f, s.ctx
    cadence = ctx.rules.cadence[f.current]
    touch_due = _touch_due(f, ctx.rules)
    checks = s.checks
    if checks is not None:
        chosen = choose_ask(f, s.stage, checks)
    else:  # the agenda: whether each rung is blocked, and the chosen rung's waits in words
        chosen = quick_choice(f, ctx, s.trust, words=s.words)
    later = ""
    if chosen is not None:
        due, group_id, when = _ask_timing(s, chosen)
        if due <= touch_due:
            return s.step(
                "ask",
                due,
                f"{s.facts}: ask \u201c{chosen.ask.label}\u201d {when}",
                ask=chosen.ask.id,
                group_id=group_id,
            )
        later = f"; the next ask, \u201c{chosen.ask.label}\u201d, comes on {fmt(due)}"
    last = f.last_activity or f.first_contact
    assert last is not None
    return s.step(
        "keep-in-touch",
        touch_due,
        f"{s.facts}, last touch on {fmt(last)}: keep in touch "
        f"(every {plural(cadence, 'day')} at {f.current.value}){later}",
    )


def _ask_timing(s: StepInput, chosen: AskCheck) -> tuple[date, int | None, str]:
    """When the chosen ask is due, the group meeting it is timed to, and why, in words."""
    f, ctx, words = s.f, s.ctx, s.words
    gift = f.last_gift
    assert gift is not None  # gift_since_last_ask holds
    base = max(chosen.not_before or gift.date, gift.date)
    ask_id = chosen.ask.id
    due, group_id, when = base, None, ""
    if ask_id in MEETING_TIMED:
        start = max(base, ctx.as_of)
        options = [
            (d, g) for g in regular_groups(s.h, ctx) if (d := next_meeting(g, start)) is not None
        ]
        if options:
            due, g = min(options, key=lambda o: (o[0], o[1].id))
            group_id = g.id
            when = f"at the {g.name} meeting on {fmt(due)}"
        elif ask_id == "one-to-one":
            when = "by message, to meet one-to-one (no group they attend regularly)"
        else:
            when = "over a one-to-one (no group they attend regularly)"
    elif ask_id == "email-optin":
        when = f"right after {gift_words(gift)} on {fmt(gift.date)}"
    else:
        when = f"after {gift_words(gift)} on {fmt(gift.date)}"
    if words and chosen.not_before and chosen.not_before > gift.date and chosen.timing:
        when += f" ({chosen.timing[0]})"
    return due, group_id, when if words else ""


def _lapse_if_stale(s: StepInput, step: Step) -> Step:
    """A gift, an ask or a keep-in-touch more than the `met` cadence overdue, for someone who
    has not answered since it came due, lapses into a lower-priority reconnect, as a stale
    follow-up does (principle 10)."""
    f, ctx = s.f, s.ctx
    due = step.due
    if (
        step.kind not in ("ask", "give-value", "keep-in-touch")
        or step.reconnect
        or step.dormant
        or due is None
        or (ctx.as_of - due).days <= ctx.rules.cadence[Stage.MET]
        or (f.last_touch is not None and f.last_touch >= due)
    ):
        return step
    what = {"ask": f"ask {ask_named(step.ask, ctx.ask_labels())}", "give-value": "gift"}.get(
        step.kind, "keep-in-touch"
    )
    return s.step(
        "keep-in-touch",
        due,
        f"{s.facts}; the {what} due on {fmt(due)} went stale with no answer from them "
        "since: reconnect first with a short, friendly hello",
        reconnect=True,
    )


# -- when a status next changes with the date alone ----------------------------------------


def changes_on(
    h: History, f: Facts, step: Step, checks: list[AskCheck], ctx: Context, trust: float
) -> date | None:
    """The first day after ``as_of`` on which, with no new evidence, the next step, the
    allowed asks or today's stage may change: a due date passing, a step going stale, the
    relationship going quiet or dormant, a gift growing too old to ask on, a wait ending, an
    open ask lapsing, a snooze ending, or trust decaying below a rung's minimum. (The trust
    score itself decays a little every day; only these instants change the advice.) Early is
    safe: a day returned here may change nothing."""
    r, as_of = ctx.rules, ctx.as_of
    days = [c.not_before for c in checks if c.not_before is not None]
    days += [o.date + timedelta(days=r.ask_lapse_days) for o in f.open_asks]
    days += list(h.snoozes.values())
    if step.due is not None:
        days += [step.due + timedelta(days=1), step.due + timedelta(days=r.cadence["met"] + 1)]
    since = f.last_touch or f.first_contact
    if since is not None:
        days += [since + timedelta(days=n + 1) for n in (r.two_way_days, r.dormant_days)]
    if f.last_gift is not None:
        days.append(f.last_gift.date + timedelta(days=VALUE_FRESH_DAYS + 1))
    days += _trust_gates(f, ctx, trust)
    return min((d for d in days if d > as_of), default=None)


def _trust_gates(f: Facts, ctx: Context, trust: float) -> list[date]:
    """The days trust decays below each rung's minimum (a day early, to be safe about
    rounding), for the rungs it meets today."""
    if f.last_touch is None or trust <= 0:
        return []
    r = ctx.rules
    earned = earned_trust(f)
    tomorrow = ctx.as_of + timedelta(days=1)
    out = []
    for ask in ctx.ladder:
        share = ask.min_trust / earned - FLOOR  # of the decaying part, what must remain
        if 0 < ask.min_trust <= trust and share > 0:
            days = r.half_life_days * math.log2((1 - FLOOR) / share)
            out.append(max(tomorrow, f.last_touch + timedelta(days=math.floor(days) - 1)))
    return out
