"""Facts about one history, the VCP stage (at its best, and as it stands today) and the flags,
with plain-language evidence. The rules are the table in docs/trust-model.md, section 1."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from netapp.domain import STAGE_ORDER, Flag, Stage
from netapp.engine.history import Context, Event, History, Rules

# Evidence that they engaged: only these make a relationship recent (principle 2). A meeting
# you both attended and an ask they accepted count too; consent, your gifts, your asks, and
# their declines do not.
TWO_WAY = frozenset(
    {
        "met",
        "one-to-one",
        "call",
        "email",
        "message",
        "value-received",
        "referral-received",
        "business",
    }
)
CONVERSATIONS = frozenset({"call", "email", "message"})
# Each of these makes them visible (they know who you are): one piece of evidence each.
VISIBLE = frozenset({"one-to-one", "call", "email", "message", "value-received"})
# What answers value you gave (with an accepted ask): proof they have seen your work.
ANSWERS = VISIBLE
# Giving: value, a referral you sent them, an introduction you made for them (principle 6).
GIFTS = frozenset({"value-given", "referral-given"})
# You reached out (or spoke): what answers an explicit follow-up request.
REACHED = frozenset(
    {"one-to-one", "call", "email", "message", "value-given", "referral-given", "ask"}
)
OPEN = (None, "pending")
RANK: dict[Stage, int] = {s: n for n, s in enumerate(STAGE_ORDER)}
_UNREAD = object()  # an argument not given

# One piece of stage evidence: its date and what it is (an interaction id; minus a meeting
# id for the second meeting; 0 for the visibility a relationship carries over a silence).
Piece = tuple[date, int]


@lru_cache(maxsize=8192)
def fmt(d: date) -> str:
    """A date as people write it: ``3 Mar 2026``."""
    return f"{d.day} {d:%b %Y}"


def a_an(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def ask_named(ask_type: object, labels: Mapping[str, str]) -> str:
    """An ask as people read it: its label on the ask ladder, in quotes ("\u201cWatch a
    video\u201d"), the words Today's Next column uses; an ask no longer on the ladder keeps
    its id. ``labels`` maps ask ids to labels (:meth:`Context.ask_labels`)."""
    ask = str(ask_type)
    return f"\u201c{labels.get(ask, ask)}\u201d"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


@dataclass(slots=True)
class Facts:
    """Counts and dates drawn from one history, as of a date. Everything else derives from it."""

    as_of: date
    meetings: int = 0
    meetings_6m: int = 0
    first_met: date | None = None
    first_meeting_name: str = ""
    last_met: date | None = None
    groups_met: set[int] = field(default_factory=set)  # groups whose meetings they attended
    main_group: str = ""
    main_group_count: int = 0
    main_group_since: date | None = None
    first_contact: date | None = None  # the first meeting or interaction of any kind
    # The latest two-way contact: the relationship's recency clock (trust, quiet, dormant).
    last_touch: date | None = None
    # The latest anything, your own acts included: the keep-in-touch clock.
    last_activity: date | None = None
    last_reached: date | None = None  # latest conversation, one-to-one, gift or ask
    two_way: list[Piece] = field(default_factory=list)  # every two-way contact, any order
    one_to_ones: int = 0
    last_one_to_one: date | None = None
    conversations: int = 0
    last_conversation: date | None = None
    value_given: int = 0  # value-given interactions
    last_gift: Event | None = None  # the latest value, referral or introduction you gave
    items_given: set[int] = field(default_factory=set)
    value_received: int = 0
    gift_answered_on: date | None = None  # the latest answer to value you gave
    last_gift_answered: bool = False  # the latest gift was answered
    asks: list[Event] = field(default_factory=list)
    accepted: list[Event] = field(default_factory=list)
    declined: list[Event] = field(default_factory=list)  # declined, ignored or lapsed
    ignored: int = 0  # ignored, or lapsed unanswered (a soft decline)
    lapsed: int = 0  # pending asks that lapsed into "ignored"
    open_asks: list[Event] = field(default_factory=list)  # pending, not yet lapsed
    business: int = 0
    business_total: float = 0.0
    last_business: date | None = None
    referrals_from: int = 0
    referrals_to: int = 0
    consent_since: date | None = None  # an active consent
    consent_withdrawn: date | None = None  # latest withdrawal when no consent is active
    optin_said_yes: date | None = None  # accepted email-optin ask with no consent recorded
    events: int = 0
    # Referral interactions up to as_of, received and given (counted by the one pass over the
    # interactions, for the referral counts).
    referral_events_from: int = 0
    referral_events_to: int = 0
    # Stage evidence (principle 3: each piece counts once).
    visible: list[Piece] = field(default_factory=list)
    proofs: list[Piece] = field(default_factory=list)
    profits: list[date] = field(default_factory=list)
    # Derived by compute_facts.
    stage: Stage = Stage.MET  # the best the relationship reached: its history
    current: Stage = Stage.MET  # the stage as it stands today, which gates the asks
    visible_since: date | None = None
    credible_since: date | None = None
    profitable_since: date | None = None
    quiet_since: date | None = None  # the last two-way contact, when it is older than the window
    resumed_on: date | None = None  # back in touch on this day after a longer silence

    @property
    def last_ask(self) -> Event | None:
        return self.asks[-1] if self.asks else None

    @property
    def given(self) -> int:
        """Value given plus referrals and introductions you made: the give side of give:ask."""
        return self.value_given + self.referrals_to

    @property
    def gift_since_last_ask(self) -> bool:
        """Something given after the last ask (or ever, when nothing was asked yet)."""
        if self.last_gift is None:
            return False
        last = self.last_ask
        return last is None or (self.last_gift.date, self.last_gift.id) > (last.date, last.id)

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
    def quiet(self) -> bool:
        return self.quiet_since is not None

    @property
    def flags(self) -> list[str]:
        """What the relationship is (``netapp status --json`` shows these)."""
        return [
            flag
            for flag, on in (
                (Flag.OPTED_IN, self.opted_in),
                (Flag.CUSTOMER, self.customer),
                (Flag.ADVOCATE, self.advocate),
            )
            if on
        ]


def compute_facts(h: History, ctx: Context) -> Facts:
    """Everything the rules need about one history, as of ``ctx.as_of``."""
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
    meeting as a piece of visibility evidence. (One pass with locals: it runs for everyone's
    history; ``tests/netapp/engine/reference_facts.py`` keeps the plain reading it equals.)"""
    as_of = f.as_of
    six_months = as_of - timedelta(days=182)
    seen: set[int] = set()
    per_group: dict[int | None, int] = {}  # in first-seen order: ties go to the first
    group_since: dict[int | None, date] = {}
    pieces = f.two_way
    count = recent = 0
    first: date | None = None
    last: date | None = None
    first_name = ""
    for mid, when, gid, name in h.meetings:  # sorted by date
        if when > as_of or mid in seen:
            continue
        seen.add(mid)
        count += 1
        pieces.append((when, -mid))
        if when > six_months:
            recent += 1
        if first is None or when < first:
            first, first_name = when, name
        if last is None or when > last:
            last = when
        if gid in per_group:
            per_group[gid] += 1
            if when < group_since[gid]:
                group_since[gid] = when
        else:
            per_group[gid] = 1
            group_since[gid] = when
    if not count:
        return
    f.meetings, f.meetings_6m = count, recent
    f.first_met, f.first_meeting_name, f.last_met = first, first_name, last
    f.groups_met.update(gid for gid in per_group if gid is not None)
    if count >= 2:  # the second meeting together: a piece of visibility evidence
        f.visible.append(sorted(pieces)[1])
    gid, most = max(per_group.items(), key=lambda kv: (kv[1], -(kv[0] or 0)))
    g = ctx.groups.get(gid) if gid is not None else None
    f.main_group = g.name if g else ""
    f.main_group_count = most
    f.main_group_since = group_since[gid]


def _events(f: Facts, h: History, r: Rules) -> None:  # noqa: C901  one branch per kind
    """One pass over the interactions (the hot loop: it runs for everyone's history).

    Two-way kinds are evidence of recent contact, visible kinds make them visible, reached
    kinds date your last reaching out; an answer (a one-to-one, a conversation, value they
    sent, an ask they accepted) after the value you last gave is proof they have seen your
    work. Written as one branch per kind with the counts in locals (this runs for 200,000
    interactions at 10k people); ``tests/netapp/engine/reference_facts.py`` keeps the
    table-driven reading it equals."""
    as_of = f.as_of
    lapsed_by = as_of - timedelta(days=r.ask_lapse_days)  # a pending ask this old lapsed
    two_way, visible, proofs, profits, items = (
        f.two_way,
        f.visible,
        f.proofs,
        f.profits,
        f.items_given,
    )
    first_contact = f.first_contact
    reached, gift, gift_day = f.last_reached, f.last_gift, None
    answered, answered_on = f.last_gift_answered, f.gift_answered_on
    if gift is not None:
        gift_day = gift.date
    counted = conversations = one_to_ones = given = received = 0
    business = referrals_from = referrals_to = 0
    business_total = 0.0
    last_conversation = last_one_to_one = last_business = None
    for e in h.events:  # sorted by (date, id)
        when = e[1]
        if when > as_of:
            continue
        if not counted and (first_contact is None or when < first_contact):
            first_contact = when
        k = e[2]
        if k in CONVERSATIONS:
            piece = (when, e[0])
            two_way.append(piece)
            visible.append(piece)
            reached = last_conversation = when
            conversations += 1
        elif k == "value-given" or k == "referral-given":  # a gift: not an answer
            reached = gift_day = when
            if k == "value-given":
                given += 1
                if e[6] is not None:
                    items.add(e[6])
            else:
                referrals_to += 1
            gift, answered = e, False
            counted += 1
            continue
        elif k == "ask":
            reached = when
            if not _ask(f, e, when <= lapsed_by):
                counted += 1
                continue
            piece = (when, e[0])  # an ask they accepted: they engaged
            two_way.append(piece)
            proofs.append(piece)
        elif k == "value-received":
            piece = (when, e[0])
            two_way.append(piece)
            visible.append(piece)
            received += 1
        elif k == "one-to-one":
            piece = (when, e[0])
            two_way.append(piece)
            visible.append(piece)
            proofs.append(piece)
            reached = last_one_to_one = when
            one_to_ones += 1
        elif k == "business" or k == "referral-received":
            two_way.append((when, e[0]))
            profits.append(when)
            if k == "business":
                business += 1
                business_total += e[5] or 0.0
                last_business = when
            else:
                referrals_from += 1
            counted += 1
            continue
        else:
            if k == "met":  # the meeting itself (the capture logs it), not contact since
                two_way.append((when, e[0]))
            else:
                counted += 1
            continue
        counted += 1
        # An answer: after the value you last gave, proof they have seen it (one piece, once).
        if gift_day is not None and when >= gift_day:
            answered, answered_on = True, when
            if not proofs or proofs[-1] != piece:
                proofs.append(piece)
    f.first_contact, f.events, f.last_reached = first_contact, counted, reached
    f.last_gift, f.last_gift_answered, f.gift_answered_on = gift, answered, answered_on
    f.conversations, f.last_conversation = conversations, last_conversation
    f.one_to_ones, f.last_one_to_one = one_to_ones, last_one_to_one
    f.value_given, f.value_received = given, received
    f.business, f.business_total, f.last_business = business, business_total, last_business
    f.referral_events_from, f.referral_events_to = referrals_from, referrals_to


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


def _referrals(f: Facts, h: History) -> None:
    """Referrals both ways. A referral is recorded as a row and, by the store, as an
    interaction: it counts once. One they sent is two-way; one you sent is a gift."""
    from_events, to_events = f.referral_events_from, f.referral_events_to  # by _events
    if not h.referrals_from and not h.referrals_to:  # most people: the counts are the events'
        f.referrals_from, f.referrals_to = from_events, to_events
        return
    as_of = f.as_of
    received = [(r.date, -(10**9) - r.id) for r in h.referrals_from if r.date <= as_of]
    sent = [r for r in h.referrals_to if r.date <= as_of]
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


def _consents(f: Facts, h: History) -> None:
    as_of = f.as_of
    for c in h.consents:
        if c.obtained > as_of:
            continue
        if c.withdrawn is None or c.withdrawn > as_of:
            f.consent_since = c.obtained if f.consent_since is None else f.consent_since
        else:
            f.consent_withdrawn = max(f.consent_withdrawn or c.withdrawn, c.withdrawn)
    if f.consent_since is not None:
        f.consent_withdrawn = None
    if f.optin_said_yes and f.consent_withdrawn and f.optin_said_yes <= f.consent_withdrawn:
        f.optin_said_yes = None


def credible_on(visible: list[Piece], proofs: list[Piece]) -> date | None:
    """The first day a proof they have seen your work stands on visibility established by
    *other* evidence on or before it (principle 3): one piece of evidence counts once."""
    if not visible:
        return None
    first, second = _first_two(visible)
    best: date | None = None
    for p in proofs:
        # The proof needs visibility from another piece: the first, or if the proof *is*
        # the first piece, the second.
        other = first if p != first else second
        if other is not None and other[0] <= p[0] and (best is None or p[0] < best):
            best = p[0]
    return best


def _first_two(pieces: list[Piece]) -> tuple[Piece, Piece | None]:
    """The first two of ``pieces`` (not empty) in sorted order, without sorting them all."""
    first = min(pieces)
    if len(pieces) < 2:
        return first, None
    rest = pieces.copy()
    rest.remove(first)  # one of them: a repeated first piece is also the second
    return first, min(rest)


def _stage_from(
    visible: list[Piece], proofs: list[Piece], profits: list[date], credible: object = _UNREAD
) -> Stage:
    """The stage this evidence reaches (``credible``: ``credible_on(visible, proofs)``, when
    the caller has it already)."""
    if profits:
        return Stage.PROFITABILITY
    if not visible:
        return Stage.MET
    if credible is _UNREAD:
        credible = credible_on(visible, proofs)
    return Stage.CREDIBILITY if credible else Stage.VISIBILITY


def _stages(f: Facts, r: Rules) -> None:
    """The stage the relationship reached (and when), whether it has gone quiet, and the
    stage as it stands today: after a silence longer than the two-way contact window, the
    contact that ends it makes them visible again (they know you), and credibility and
    more are earned again by other evidence since (principle 1)."""
    credible = f.credible_since = credible_on(f.visible, f.proofs)
    f.stage = _stage_from(f.visible, f.proofs, f.profits, credible)
    f.visible_since = min(f.visible)[0] if f.visible else None
    f.profitable_since = min(f.profits) if f.profits else None
    f.last_activity = f.last_reached
    if not f.two_way:
        f.current = f.stage
        return
    days = sorted([p[0] for p in f.two_way])  # the days alone: cheaper to sort than pieces
    f.last_touch = days[-1]
    f.last_activity = max(f.last_touch, f.last_reached or f.last_touch)
    window = r.two_way_days
    known = Stage.VISIBILITY if RANK[f.stage] >= RANK[Stage.VISIBILITY] else Stage.MET
    if (f.as_of - f.last_touch).days > window:
        f.quiet_since = f.last_touch
        f.current = known
        return
    back: Piece | None = None  # the contact that ended the last long silence
    gap = timedelta(days=window)  # date differences are whole days: the same test as .days
    if f.last_touch - days[0] > gap:  # no gap can be longer than the whole span
        later = f.last_touch
        for n in range(len(days) - 2, -1, -1):  # from the latest: the last silence first
            day = days[n]
            if later - day > gap:  # the first piece of the day after it, in sorted order
                back = min([p for p in f.two_way if p[0] == later])
                break
            later = day
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


def stage_of(f: Facts) -> Stage:
    """The VCP stage alone (no words): what the agenda's first, cheap pass needs."""
    return f.stage


def compute_stage(f: Facts, labels: Mapping[str, str]) -> tuple[Stage, str]:
    """The VCP stage and the facts that put the person there (asks named by ``labels``)."""
    if f.stage is Stage.PROFITABILITY:
        return f.stage, "profitability: " + ", ".join(_profit_words(f))
    if f.stage is Stage.CREDIBILITY:
        assert f.credible_since is not None
        return f.stage, (
            f"credibility since {fmt(f.credible_since)}: " + ", ".join(_credible_words(f, labels))
        )
    if f.stage is Stage.VISIBILITY:
        return f.stage, "visibility: " + ", ".join(_visible_words(f))
    if f.first_met:
        return Stage.MET, f"met: first met on {fmt(f.first_met)}"
    if f.first_contact:
        return Stage.MET, "met: no meeting or two-way contact recorded yet"
    return Stage.MET, "met: no meeting or contact recorded yet"


def _profit_words(f: Facts) -> list[str]:
    out = []
    if f.business:
        out.append(f"bought from you {plural(f.business, 'time')}")
    if f.referrals_from:
        out.append(f"referred {plural(f.referrals_from, 'person', 'people')} to you")
    return out


def _credible_words(f: Facts, labels: Mapping[str, str]) -> list[str]:
    out = []
    if f.one_to_ones:
        out.append(f"had {plural(f.one_to_ones, 'one-to-one')}")
    if f.accepted:
        a = f.accepted[-1]
        out.append(f"accepted your ask {ask_named(a.ask_type, labels)} on {fmt(a.date)}")
    if f.gift_answered_on:
        out.append(f"value you gave was answered on {fmt(f.gift_answered_on)}")
    return out


def _visible_words(f: Facts) -> list[str]:
    out = []
    if f.meetings >= 2:
        out.append(f"met at {f.meetings} meetings")
    if f.one_to_ones or f.conversations:
        out.append(plural(f.one_to_ones + f.conversations, "conversation"))
    if f.value_received:
        out.append(f"they gave you value {plural(f.value_received, 'time')}")
    return out


def stage_note(f: Facts, window: int) -> str:
    """How today differs from the stage's history, in words ("" when it does not)."""
    if f.quiet_since is not None:
        days = (f.as_of - f.quiet_since).days
        was = f" (was at {f.stage.value})" if f.stage is not f.current else ""
        return (
            f"quiet since {fmt(f.quiet_since)}: no two-way contact for {plural(days, 'day')}, "
            f"more than {plural(window, 'day')}{was}; reconnect first"
        )
    if f.resumed_on is not None and f.current is not f.stage:
        return (
            f"back in touch on {fmt(f.resumed_on)} after a silence: at {f.current.value} again "
            f"(was at {f.stage.value}) until they show it anew"
        )
    return ""


def stage_history(f: Facts) -> list[tuple[Stage, date]]:
    """Each stage the relationship reached and the day it got there."""
    out: list[tuple[Stage, date]] = []
    first = min(filter(None, (f.first_met, f.first_contact)), default=None)
    for stage, since in (
        (Stage.MET, first),
        (Stage.VISIBILITY, f.visible_since),
        (Stage.CREDIBILITY, f.credible_since),
        (Stage.PROFITABILITY, f.profitable_since),
    ):
        if since is not None:
            out.append((stage, since))
    return out


def evidence(f: Facts, window: int, labels: Mapping[str, str]) -> list[str]:
    """Short plain-language facts for the person's detail view (asks named by ``labels``)."""
    note = stage_note(f, window)
    out = [note] if note else []
    out += (
        _meeting_evidence(f)
        + _contact_evidence(f)
        + _ask_evidence(f, labels)
        + _business_evidence(f)
    )
    if f.last_touch:
        days = (f.as_of - f.last_touch).days
        out.append(f"last two-way contact {plural(days, 'day')} ago ({fmt(f.last_touch)})")
    return out or ["no meeting or contact recorded yet"]


def _meeting_evidence(f: Facts) -> list[str]:
    out = []
    if f.main_group and f.main_group_count > 1 and f.main_group_since:
        out.append(
            f"met at {f.main_group_count} {f.main_group} meetings since {fmt(f.main_group_since)}"
        )
    if f.meetings and (f.main_group_count != f.meetings or not f.main_group):
        out.append(f"met at {plural(f.meetings, 'meeting')} in all")
    if f.first_met and f.meetings == 1:
        out.append(f"first met at {f.first_meeting_name} on {fmt(f.first_met)}")
    return out


def _contact_evidence(f: Facts) -> list[str]:
    out = []
    if f.one_to_ones and f.last_one_to_one:
        out.append(f"{plural(f.one_to_ones, 'one-to-one')}, last on {fmt(f.last_one_to_one)}")
    if f.conversations and f.last_conversation:
        out.append(
            f"{plural(f.conversations, 'call, email or message', 'calls, emails or messages')}, "
            f"last on {fmt(f.last_conversation)}"
        )
    if f.value_given:
        out.append(f"you gave value {plural(f.value_given, 'time')}")
    if f.referrals_to:
        out.append(f"you referred {plural(f.referrals_to, 'person', 'people')} to them")
    if f.value_received:
        out.append(f"they gave you value {plural(f.value_received, 'time')}")
    return out


def _business_evidence(f: Facts) -> list[str]:
    out = []
    if f.business:
        out.append(f"bought from you {plural(f.business, 'time')}, {f.business_total:,.0f} in all")
    if f.referrals_from:
        out.append(f"referred {plural(f.referrals_from, 'person', 'people')} to you")
    if f.consent_since:
        out.append(f"on your email list since {fmt(f.consent_since)}")
    elif f.consent_withdrawn:
        out.append(f"withdrew email consent on {fmt(f.consent_withdrawn)}")
    return out


def _ask_evidence(f: Facts, labels: Mapping[str, str]) -> list[str]:
    open_ids = {a.id for a in f.open_asks}
    out = []
    for a in f.asks[-5:]:
        if a.outcome in OPEN:
            verb = "has not answered" if a.id in open_ids else "never answered (ignored)"
        else:
            verb = str(a.outcome)
        out.append(f"{verb} your ask {ask_named(a.ask_type, labels)} on {fmt(a.date)}")
    return out
