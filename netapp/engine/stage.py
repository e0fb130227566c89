"""Facts about one history, the VCP stage and the flags, with plain-language evidence."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from netapp.domain import Stage
from netapp.engine.history import Context, Event, History

TWO_WAY = frozenset({"one-to-one", "call", "email", "message", "value-received"})
CONVERSATIONS = frozenset({"call", "email", "message"})
# You reached out (or spoke): what answers an explicit follow-up request.
REACHED = frozenset({"one-to-one", "call", "email", "message", "value-given", "ask"})


@lru_cache(maxsize=8192)
def fmt(d: date) -> str:
    """A date as people write it: ``3 Mar 2026``."""
    return f"{d.day} {d:%b %Y}"


def a_an(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


@dataclass
class Facts:
    """Counts and dates drawn from one history, as of a date. Everything else derives from it."""

    as_of: date
    meetings: int = 0
    meetings_6m: int = 0
    first_met: date | None = None
    first_meeting_name: str = ""
    last_met: date | None = None
    groups_met: set[int] = field(default_factory=set)  # groups whose meetings they attended
    last_reached: date | None = None  # latest conversation, one-to-one, value given or ask
    main_group: str = ""
    main_group_count: int = 0
    main_group_since: date | None = None
    first_contact: date | None = None
    last_touch: date | None = None
    one_to_ones: int = 0
    last_one_to_one: date | None = None
    conversations: int = 0
    last_conversation: date | None = None
    value_given: int = 0
    last_value: Event | None = None
    items_given: set[int] = field(default_factory=set)
    value_received: int = 0
    value_acknowledged: bool = False  # a reply or an accepted ask after value given
    value_acknowledged_on: date | None = None
    last_value_acknowledged: bool = False  # the latest value given was answered
    asks: list[Event] = field(default_factory=list)
    accepted: list[Event] = field(default_factory=list)
    declined: list[Event] = field(default_factory=list)  # declined or ignored
    ignored: int = 0
    business: int = 0
    business_total: float = 0.0
    referrals_from: int = 0
    referrals_to: int = 0
    consent_since: date | None = None  # an active consent
    consent_withdrawn: date | None = None  # latest withdrawal when no consent is active
    optin_said_yes: date | None = None  # accepted email-optin ask with no consent recorded
    events: int = 0

    @property
    def last_ask(self) -> Event | None:
        return self.asks[-1] if self.asks else None

    @property
    def value_since_last_ask(self) -> bool:
        """Value given after the last ask (or ever, when nothing was asked yet)."""
        if self.last_value is None:
            return False
        last = self.last_ask
        return last is None or (self.last_value.date, self.last_value.id) > (last.date, last.id)

    @property
    def opted_in(self) -> bool:
        return self.consent_since is not None

    @property
    def customer(self) -> bool:
        return self.business > 0

    @property
    def advocate(self) -> bool:
        return self.referrals_from > 0

    @property
    def flags(self) -> list[str]:
        return [
            name
            for name, on in (
                ("opted_in", self.opted_in),
                ("customer", self.customer),
                ("advocate", self.advocate),
            )
            if on
        ]


def compute_facts(h: History, ctx: Context) -> Facts:  # noqa: C901  split in #23
    as_of = ctx.as_of
    f = Facts(as_of)
    six_months = as_of - timedelta(days=182)
    seen: set[int] = set()
    per_group: Counter[int | None] = Counter()
    group_since: dict[int | None, date] = {}
    for m in h.meetings:
        if m.date > as_of or m.meeting_id in seen:
            continue
        seen.add(m.meeting_id)
        f.meetings += 1
        if m.date > six_months:
            f.meetings_6m += 1
        if f.first_met is None or m.date < f.first_met:
            f.first_met, f.first_meeting_name = m.date, m.name
        per_group[m.group_id] += 1
        if f.last_met is None or m.date > f.last_met:
            f.last_met = m.date
        if m.group_id is not None:
            f.groups_met.add(m.group_id)
        if m.group_id not in group_since or m.date < group_since[m.group_id]:
            group_since[m.group_id] = m.date
        if f.last_touch is None or m.date > f.last_touch:
            f.last_touch = m.date
    if per_group:
        gid, count = max(per_group.items(), key=lambda kv: (kv[1], -(kv[0] or 0)))
        g = ctx.groups.get(gid) if gid is not None else None
        f.main_group = g.name if g else ""
        f.main_group_count = count
        f.main_group_since = group_since[gid]
    # The loop below runs for every interaction of everyone: it keeps its counts in locals.
    first_contact = f.first_met
    last_touch = f.last_touch
    last_reached: date | None = None
    events = one_to_ones = conversations = value_given = value_received = business = 0
    ignored = 0
    business_total = 0.0
    last_one_to_one = last_conversation = optin_said_yes = None
    last_value: Event | None = None
    last_value_acknowledged = value_acknowledged = False
    value_acknowledged_on: date | None = None
    asks, accepted, declined, items_given = f.asks, f.accepted, f.declined, f.items_given
    referral_received_events = 0
    referral_given_events = 0
    for e in h.events:
        when = e.date
        if when > as_of:
            continue
        k = e.kind
        if k != "met":  # the meeting itself (the quick capture logs it), not contact since
            events += 1
        if last_touch is None or when > last_touch:
            last_touch = when
        if first_contact is None or when < first_contact:
            first_contact = when
        if k in REACHED and (last_reached is None or when > last_reached):
            last_reached = when
        answered = k in TWO_WAY
        if k == "one-to-one":
            one_to_ones += 1
            last_one_to_one = when
        elif k in CONVERSATIONS:
            conversations += 1
            last_conversation = when
        elif k == "value-given":
            value_given += 1
            last_value = e
            last_value_acknowledged = False
            if e.item_id is not None:
                items_given.add(e.item_id)
            continue  # giving value is not an answer to it
        elif k == "value-received":
            value_received += 1
        elif k == "ask":
            asks.append(e)
            outcome = e.outcome
            if outcome == "accepted":
                accepted.append(e)
                answered = True
                if e.ask_type == "email-optin":
                    optin_said_yes = when
            elif outcome == "declined" or outcome == "ignored":
                declined.append(e)
                ignored += outcome == "ignored"
        elif k == "business":
            business += 1
            business_total += e.amount or 0.0
        elif k == "referral-received":
            referral_received_events += 1
        elif k == "referral-given":
            referral_given_events += 1
        if answered and last_value is not None and when >= last_value.date:
            value_acknowledged = last_value_acknowledged = True
            value_acknowledged_on = when
    f.first_contact, f.last_touch, f.last_reached = first_contact, last_touch, last_reached
    f.events, f.one_to_ones, f.conversations = events, one_to_ones, conversations
    f.value_given, f.value_received, f.business = value_given, value_received, business
    f.ignored, f.business_total = ignored, business_total
    f.last_one_to_one, f.last_conversation = last_one_to_one, last_conversation
    f.optin_said_yes, f.last_value = optin_said_yes, last_value
    f.last_value_acknowledged, f.value_acknowledged = last_value_acknowledged, value_acknowledged
    f.value_acknowledged_on = value_acknowledged_on
    # A referral is recorded as a row and, by the store, as an interaction: count it once.
    f.referrals_from = max(len(h.referrals_from), referral_received_events)
    f.referrals_to = max(len(h.referrals_to), referral_given_events)
    for c in h.consents:
        if c.obtained > as_of:
            continue
        if c.withdrawn is None or c.withdrawn > as_of:
            f.consent_since = c.obtained if f.consent_since is None else f.consent_since
        else:
            f.consent_withdrawn = max(f.consent_withdrawn or c.withdrawn, c.withdrawn)
    if f.consent_since is not None:
        f.consent_withdrawn = None
    # Giving consent or sending a referral is contact too, even when nothing else was logged.
    for when in [c.obtained for c in h.consents] + [r.date for r in h.referrals_from]:
        if when <= as_of and (f.last_touch is None or when > f.last_touch):
            f.last_touch = when
    if f.optin_said_yes and f.consent_withdrawn and f.optin_said_yes <= f.consent_withdrawn:
        f.optin_said_yes = None
    return f


def stage_of(f: Facts) -> Stage:
    """The VCP stage alone (no words): what the agenda's first, cheap pass needs."""
    if f.business or f.referrals_from:
        return Stage.PROFITABILITY
    if f.meetings >= 2 or f.one_to_ones or f.conversations or f.value_received:
        if f.one_to_ones or f.accepted or (f.value_acknowledged and f.value_acknowledged_on):
            return Stage.CREDIBILITY
        return Stage.VISIBILITY
    return Stage.MET


def compute_stage(f: Facts) -> tuple[Stage, str]:  # noqa: C901  split in #23
    """The VCP stage and the fact that put the person there."""
    visible = []
    if f.meetings >= 2:
        visible.append(f"met at {f.meetings} meetings")
    if f.one_to_ones or f.conversations:
        visible.append(plural(f.one_to_ones + f.conversations, "conversation"))
    if f.value_received:
        visible.append(f"they gave you value {plural(f.value_received, 'time')}")
    credible = []
    if f.one_to_ones:
        credible.append(f"had {plural(f.one_to_ones, 'one-to-one')}")
    if f.accepted:
        a = f.accepted[-1]
        credible.append(f"accepted {a_an(str(a.ask_type))} ask on {fmt(a.date)}")
    if f.value_acknowledged and f.value_acknowledged_on:
        credible.append(f"value you gave was answered on {fmt(f.value_acknowledged_on)}")
    profit = []
    if f.business:
        profit.append(f"bought from you {plural(f.business, 'time')}")
    if f.referrals_from:
        profit.append(f"referred {plural(f.referrals_from, 'person', 'people')} to you")
    if profit:
        return Stage.PROFITABILITY, "profitability: " + ", ".join(profit)
    if visible and credible:
        return Stage.CREDIBILITY, "credibility: " + ", ".join(credible)
    if visible:
        return Stage.VISIBILITY, "visibility: " + ", ".join(visible)
    if f.first_met:
        return Stage.MET, f"met: first met on {fmt(f.first_met)}"
    return Stage.MET, "met: no meeting or contact recorded yet"


def evidence(f: Facts) -> list[str]:  # noqa: C901  split in #23
    """Short plain-language facts for the person's detail view."""
    out: list[str] = []
    if f.main_group and f.main_group_count > 1 and f.main_group_since:
        out.append(
            f"met at {f.main_group_count} {f.main_group} meetings since {fmt(f.main_group_since)}"
        )
    if f.meetings and (f.main_group_count != f.meetings or not f.main_group):
        out.append(f"met at {plural(f.meetings, 'meeting')} in all")
    if f.first_met and f.meetings == 1:
        out.append(f"first met at {f.first_meeting_name} on {fmt(f.first_met)}")
    if f.one_to_ones and f.last_one_to_one:
        out.append(f"{plural(f.one_to_ones, 'one-to-one')}, last on {fmt(f.last_one_to_one)}")
    if f.conversations and f.last_conversation:
        out.append(
            f"{plural(f.conversations, 'call, email or message', 'calls, emails or messages')}, "
            f"last on {fmt(f.last_conversation)}"
        )
    if f.value_given and f.last_value:
        out.append(
            f"you gave value {plural(f.value_given, 'time')}, last on {fmt(f.last_value.date)}"
        )
    if f.value_received:
        out.append(f"they gave you value {plural(f.value_received, 'time')}")
    for a in f.asks[-5:]:
        verb = {"accepted": "accepted", "declined": "declined", "ignored": "ignored"}.get(
            a.outcome or "", "has not answered"
        )
        out.append(f"{verb} {a_an(str(a.ask_type))} ask on {fmt(a.date)}")
    if f.business:
        out.append(f"bought from you {plural(f.business, 'time')}, {f.business_total:,.0f} in all")
    if f.referrals_from:
        out.append(f"referred {plural(f.referrals_from, 'person', 'people')} to you")
    if f.referrals_to:
        out.append(f"you referred {plural(f.referrals_to, 'person', 'people')} to them")
    if f.consent_since:
        out.append(f"on your email list since {fmt(f.consent_since)}")
    elif f.consent_withdrawn:
        out.append(f"withdrew email consent on {fmt(f.consent_withdrawn)}")
    if f.last_touch:
        out.append(
            f"last touch {plural((f.as_of - f.last_touch).days, 'day')} ago ({fmt(f.last_touch)})"
        )
    if not out:
        out.append("no meeting or contact recorded yet")
    return out
