"""Property tests over generated histories (pure engine, no store): the rules always hold."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from netapp.domain import STAGE_ORDER
from netapp.engine import compute
from netapp.engine.history import (
    Attended,
    ConsentRec,
    Context,
    Event,
    GroupInfo,
    History,
    LibraryEntry,
    ReferralRec,
    Rules,
)
from netapp.engine.ladder import default_ladder
from netapp.engine.stage import compute_facts, compute_stage, fmt, stage_of
from netapp.engine.timing import check_asks, next_meeting, next_step

AS_OF = date(2026, 6, 1)
LADDER = default_ladder()
ASK_IDS = [a.id for a in LADDER]
BY_ID = {a.id: a for a in LADDER}
KINDS = [
    "one-to-one",
    "call",
    "email",
    "message",
    "value-given",
    "value-received",
    "ask",
    "referral-given",
    "referral-received",
    "business",
]
POSITIVE_KINDS = [k for k in KINDS if k != "ask"]
GROUP = GroupInfo(
    1,
    "Thursday Breakfast",
    "weekly",
    3,
    "",
    past=[(100 + n, AS_OF - timedelta(days=3 + 7 * n)) for n in range(12)][::-1],
)


def context(as_of: date = AS_OF) -> Context:
    library = [
        LibraryEntry(1, "Pitch video", "video", ["marketing"]),
        LibraryEntry(2, "Intro", "intro", []),
    ]
    return Context(as_of, Rules(), LADDER, {1: GROUP}, library)


# Mostly recent dates, so that cool-downs and cadences are often in play.
days_ago = st.one_of(st.integers(0, 60), st.integers(0, 400))
event_st = st.tuples(
    days_ago,
    st.sampled_from([*KINDS, "ask", "ask", "value-given"]),
    st.sampled_from(ASK_IDS),
    st.sampled_from(["accepted", "declined", "ignored", "pending"]),
    st.sampled_from([None, 1, 2]),
)


@st.composite
def histories(draw: st.DrawFn) -> History:
    tags = draw(st.sampled_from([[], ["marketing"], ["follow-up"]]))
    h = History(1, "Ann Lee", "Acme", tags)
    meeting_idx = sorted(set(draw(st.lists(st.integers(0, 11), max_size=8))), reverse=True)
    h.meetings = [Attended(GROUP.past[i][0], GROUP.past[i][1], 1, GROUP.name) for i in meeting_idx]
    raw = draw(st.lists(event_st, max_size=25))
    events = []
    for n, (ago, kind, ask, outcome, item) in enumerate(raw):
        events.append(
            Event(
                n + 1,
                AS_OF - timedelta(days=ago),
                kind,
                ask if kind == "ask" else None,
                outcome if kind == "ask" else None,
                float(100 * (n + 1)) if kind == "business" else None,
                item if kind == "value-given" else None,
            )
        )
    h.events = sorted(events, key=lambda e: (e.date, e.id))
    h.referrals_from = [
        ReferralRec(n, AS_OF - timedelta(days=ago), status, 250.0)
        for n, (ago, status) in enumerate(
            draw(st.lists(st.tuples(days_ago, st.sampled_from(["new", "won", "lost"])), max_size=3))
        )
    ]
    for ago, withdrawn in draw(st.lists(st.tuples(days_ago, st.booleans()), max_size=2)):
        got = AS_OF - timedelta(days=ago)
        h.consents.append(ConsentRec(got, got + timedelta(days=1) if withdrawn else None))
    return h


def positive(h: History, ago: int, kind: str) -> History:
    """The same history with one more piece of positive evidence."""
    when = AS_OF - timedelta(days=ago)
    nid = max((e.id for e in h.events), default=0) + 1
    if kind == "meeting":
        free = [m for m in GROUP.past if m[0] not in {a.meeting_id for a in h.meetings}]
        if not free:
            return h
        mid, d = free[0]
        return replace(
            h, meetings=sorted([*h.meetings, Attended(mid, d, 1, GROUP.name)], key=lambda a: a.date)
        )
    if kind == "consent":
        return replace(h, consents=[*h.consents, ConsentRec(when, None)])
    if kind == "accepted-ask":
        new = Event(nid, when, "ask", "read-article", "accepted")
    else:
        new = Event(nid, when, kind, amount=50.0 if kind == "business" else None)
    return replace(h, events=sorted([*h.events, new], key=lambda e: (e.date, e.id)))


@settings(max_examples=100, deadline=None)
@given(histories())
def test_property_an_ask_above_the_stage_is_never_allowed(h: History) -> None:
    """No allowed ask, and no ask step, is above the stage or lacks its evidence."""
    s = compute(h, context())
    rank = STAGE_ORDER.index(s.stage)
    asks = list(s.allowed_asks) + ([s.next_step.ask] if s.next_step.ask else [])
    for ask_id in asks:
        ask = BY_ID[ask_id]
        assert ask.min_stage.rank <= rank
        if "customer" in ask.requires:
            assert "customer" in s.flags
        if "value_given" in ask.requires:
            assert s.given > 0
    if "opted_in" in s.flags:
        assert "email-optin" not in asks


@settings(max_examples=100, deadline=None)
@given(
    histories(),
    days_ago,
    st.sampled_from([*POSITIVE_KINDS, "meeting", "consent", "accepted-ask"]),
)
def test_property_more_positive_evidence_never_lowers_trust(
    h: History, ago: int, kind: str
) -> None:
    """Adding a meeting, conversation, value, accepted ask, business, referral or consent."""
    before = compute(h, context()).trust
    after = compute(positive(h, ago, kind), context()).trust
    assert after >= before


@settings(max_examples=100, deadline=None)
@given(histories(), st.integers(1, 500))
def test_property_time_without_contact_lowers_trust(h: History, later: int) -> None:
    """With no new evidence, trust later is never higher, and lower after a half-life.
    Principle 2 changed this test: without any two-way contact (only an opt-in, say) trust
    never was recent, so it sits at its floor from the start and cannot fall further."""
    s = compute(h, context())
    now = s.trust
    then = compute(h, context(AS_OF + timedelta(days=later))).trust
    assert then <= now
    if now >= 2 and later >= 90 and s.last_touch is not None:
        assert then < now


@settings(max_examples=200, deadline=None)
@given(
    histories(),
    st.integers(0, 100),
    st.sampled_from(ASK_IDS),
    st.sampled_from(["accepted", "declined", "ignored", "pending"]),
    st.integers(0, 3),
)
def test_property_cool_downs_always_hold(
    h: History, ago: int, ask: str, outcome: str, gift_after: int
) -> None:
    """Allowed asks and ask steps respect the 14-day, 45-day and 90-day waits."""
    r = Rules()
    # A recent ask, sometimes followed by value, so that the waits are often in play.
    when = AS_OF - timedelta(days=ago)
    nid = max((e.id for e in h.events), default=0)
    extra = [Event(nid + 1, when, "ask", ask, outcome)]
    if gift_after and ago >= gift_after:
        extra.append(Event(nid + 2, when + timedelta(days=gift_after), "value-given"))
    h = replace(h, events=sorted([*h.events, *extra], key=lambda e: (e.date, e.id)))
    s = compute(h, context())
    asks = [e for e in h.events if e.kind == "ask"]
    declines = [e for e in asks if e.outcome in ("declined", "ignored")]
    step = s.next_step
    if asks:
        last = asks[-1].date
        if s.allowed_asks:
            assert last + timedelta(days=r.cooldown_days) <= AS_OF
        if step.kind == "ask":
            assert step.due is not None and step.due >= last + timedelta(days=r.cooldown_days)
    if declines:
        last_decline = declines[-1].date
        if s.allowed_asks:
            assert last_decline + timedelta(days=r.after_decline_days) <= AS_OF
        if step.kind == "ask":
            assert step.due is not None
            assert step.due >= last_decline + timedelta(days=r.after_decline_days)
    for ask_id in [*s.allowed_asks, step.ask if step.kind == "ask" else None]:
        same = [e.date for e in declines if e.ask_type == ask_id]
        if same:
            when = AS_OF if ask_id in s.allowed_asks else step.due
            assert when is not None and when >= max(same) + timedelta(days=r.repeat_declined_days)
    if step.kind == "ask":  # a referral you sent counts as giving (principle 6)
        gifts = [e for e in h.events if e.kind in ("value-given", "referral-given")]
        assert gifts and (not asks or (gifts[-1].date, gifts[-1].id) > (asks[-1].date, asks[-1].id))


@settings(max_examples=80, deadline=None)
@given(histories())
def test_property_same_input_same_output(h: History) -> None:
    """Computing twice from equal histories gives identical statuses."""
    a = compute(h, context())
    b = compute(replace(h, events=list(h.events), meetings=list(h.meetings)), context())
    assert a == b
    assert a.to_json() == b.to_json()


DATE_RE = re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b")


@settings(max_examples=100, deadline=None)
@given(histories())
def test_property_every_reason_names_facts_from_the_history(h: History) -> None:
    """Each date a reason cites is in the history (or is its due date, a computed wait or the
    group meeting an ask is timed to), and the counts it cites match the history."""
    r = Rules()
    s = compute(h, context())
    known = {e.date for e in h.events} | {m.date for m in h.meetings}
    known |= {c.obtained for c in h.consents} | {c.withdrawn for c in h.consents if c.withdrawn}
    known |= {r.date for r in h.referrals_from}
    waits = set()
    # An open ask's lapse (principle 9) and the settle-in after a sale (principle 5) are
    # computed waits too, as is the day a quiet relationship went quiet (principle 1).
    for e in h.events:
        if e.kind == "ask":
            for days in (
                r.cooldown_days,
                r.after_decline_days,
                r.repeat_declined_days,
                r.ask_lapse_days,
            ):
                waits.add(e.date + timedelta(days=days))
        if e.kind == "business":
            waits.add(e.date + timedelta(days=r.settle_in_days))
    # ... and the group meeting an ask is timed to, the first on or after a wait ends.
    waits |= {m for w in [*waits, AS_OF] if (m := next_meeting(GROUP, max(w, AS_OF)))}
    texts = [s.next_step.reason, s.stage_reason, *s.evidence, *(b.reason for b in s.blocked_asks)]
    allowed = {fmt(x) for x in known | waits} | (
        {fmt(s.next_step.due)} if s.next_step.due else set()
    )
    for text in texts:
        for cited in DATE_RE.findall(text):
            assert cited in allowed, (cited, text)
    reason = s.next_step.reason
    if h.events or h.meetings:
        assert reason and (":" in reason)
    gifts = sum(1 for e in h.events if e.kind == "value-given")
    if gifts:
        assert f"you gave value {gifts} time" in reason or s.next_step.kind in ("follow-up", "none")
    m = re.search(r"met at (\d+) ", reason)
    if m:
        assert int(m.group(1)) == len(h.meetings)


@settings(max_examples=150, deadline=None)
@given(histories(), st.integers(0, 500))
def test_property_the_agenda_quick_pass_agrees_with_the_full_step(h: History, later: int) -> None:
    """The agenda's cheap first pass (no words) finds the same stage, kind, due date,
    priority and timing as the full computation, on any day."""
    ctx = context(AS_OF + timedelta(days=later))
    f = compute_facts(h, ctx)
    stage = stage_of(f)
    assert stage == compute_stage(f, ctx.ask_labels())[0]
    quick = next_step(h, f, stage, ctx, words=False)
    full = next_step(h, f, stage, ctx, check_asks(f, stage, ctx))
    keys = ("kind", "ask", "due", "overdue", "priority", "group_id", "reconnect", "dormant")
    assert [getattr(quick, k) for k in keys] == [getattr(full, k) for k in keys]
    assert full.reason and not quick.reason
