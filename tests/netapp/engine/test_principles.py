"""The ten principles of docs/trust-model.md, section 0, each a property over generated
histories (principle 8, names, is in tests/netapp/test_names_nfc.py). The histories are those
the command line can record, and the last test replays them through it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from netapp.cli import main
from netapp.domain import Stage
from netapp.engine import compute
from netapp.engine.core import _step_order
from netapp.engine.history import Attended, Context, Event, GroupInfo, History, Rules
from netapp.engine.model import PersonStatus, Step
from tests.netapp.engine.strategies import (
    AS_OF,
    ASK_IDS,
    GROUP,
    LADDER,
    ONE_WAY,
    SIZE,
    context,
    days_ago,
    event,
    histories,
    next_id,
    one_way,
    two_way_dates,
    with_events,
)

R = Rules()
RANK = {s: n for n, s in enumerate(Stage)}
BIG = {"one-to-one", "referral", "purchase", "upsell"}
MIN_TRUST = {a.id: a.min_trust for a in LADDER}
later_st = st.integers(0, 400)


def asks_in_play(s: PersonStatus) -> set[str]:
    """The asks the status allows today, and the ask its next step proposes."""
    out = set(s.allowed_asks)
    if s.next_step.kind == "ask" and s.next_step.ask:
        out.add(s.next_step.ask)
    return out


# -- 1. Big asks follow the relationship's current strength, not its best day -------------


@settings(max_examples=150, deadline=None)
@given(histories(), later_st)
def test_p1_no_big_ask_without_recent_two_way_contact(h: History, later: int) -> None:
    """With no two-way contact for longer than the window, no one-to-one, referral, purchase
    or upsell is allowed or proposed, today's stage is at most visibility, and the next step
    is a reconnection; every allowed ask has the trust its rung needs."""
    as_of = AS_OF + timedelta(days=later)
    s = compute(h, context(as_of))
    dates = two_way_dates(h, as_of)
    for ask in s.allowed_asks:
        assert s.trust >= MIN_TRUST[ask]
    if dates and (as_of - dates[-1]).days <= R.two_way_days:
        return
    assert not asks_in_play(s) & BIG
    assert RANK[s.current_stage] <= RANK[Stage.VISIBILITY]
    if dates:
        assert s.quiet_since == dates[-1]
        assert s.next_step.reconnect or s.next_step.dormant
        if s.stage is not s.current_stage:
            assert "reconnect first" in s.next_step.reason or s.next_step.dormant


@settings(max_examples=150, deadline=None)
@given(
    histories(),
    st.sampled_from(["call", "email", "message", "one-to-one", "value-received", "meeting"]),
)
def test_p1_back_in_touch_after_a_silence_earns_the_big_asks_again(h: History, kind: str) -> None:
    """After a silence longer than the window, one contact makes the relationship visible
    again (at best), not credible: no referral, purchase or upsell until more evidence
    follows."""
    cutoff = AS_OF - timedelta(days=R.two_way_days + 5)
    old = replace(
        h,
        events=[e for e in h.events if e.date < cutoff],
        meetings=[m for m in h.meetings if m.date < cutoff],
    )
    assume(two_way_dates(old, AS_OF))
    if kind == "meeting":
        mid, day = GROUP.past[-1]  # the group's latest meeting, four days ago
        back = replace(old, meetings=[*old.meetings, Attended(mid, day, 1, GROUP.name)])
    else:
        back = with_events(old, event(next_id(old), AS_OF - timedelta(days=1), kind))
    s = compute(back, context())
    assert RANK[s.current_stage] <= RANK[Stage.VISIBILITY]
    assert not asks_in_play(s) & {"referral", "purchase", "upsell"}
    assert s.quiet_since is None


# -- 2. Only two-way contact makes a relationship more recent ---------------------------


@settings(max_examples=200, deadline=None)
@given(histories(), days_ago, st.sampled_from(ONE_WAY), st.sampled_from(ASK_IDS), later_st)
def test_p2_a_one_way_act_never_raises_trust_nor_makes_it_recent(
    h: History, ago: int, what: str, ask: str, later: int
) -> None:
    """Adding a gift, a referral you sent, a pending ask, or their decline or silence, on any
    day, never raises trust and never moves the last two-way contact."""
    ctx = context(AS_OF + timedelta(days=later))
    before = compute(h, ctx)
    after = compute(one_way(h, ago, what, ask), ctx)
    assert after.trust <= before.trust
    assert (after.last_touch, after.quiet_since) == (before.last_touch, before.quiet_since)


@settings(max_examples=100, deadline=None)
@given(histories(), st.integers(0, 60), st.sampled_from(["call", "one-to-one", "business"]))
def test_p2_two_way_contact_restarts_the_clock(h: History, ago: int, kind: str) -> None:
    """A conversation, a one-to-one or business done is two-way: the last touch moves to it
    (when it is the latest) and trust never falls."""
    when = AS_OF - timedelta(days=ago)
    after = compute(with_events(h, event(next_id(h), when, kind)), context())
    assert after.last_touch is not None and after.last_touch >= when
    assert after.trust >= compute(h, context()).trust


# -- 3. One piece of evidence counts once ----------------------------------------------


def table_stage(h: History, as_of: date) -> Stage:
    """The stage table of docs/trust-model.md, by brute force over pairs of pieces."""
    events = [e for e in h.events if e.date <= as_of]
    if any(e.kind in ("business", "referral-received") for e in events):
        return Stage.PROFITABILITY
    meetings = sorted({(m.date, m.meeting_id) for m in h.meetings if m.date <= as_of})
    visible = [(d, ("m", mid)) for d, mid in meetings[1:2]]
    talk = {"one-to-one", "call", "email", "message", "value-received"}
    visible += [(e.date, ("e", e.id)) for e in events if e.kind in talk]
    proofs = []
    gift: Event | None = None
    for e in events:
        accepted = e.kind == "ask" and e.outcome == "accepted"
        if e.kind == "one-to-one" or accepted:
            proofs.append((e.date, ("e", e.id)))
        if (e.kind in talk or accepted) and gift is not None and gift.date <= e.date:
            proofs.append((e.date, ("e", e.id)))
        if e.kind in ("value-given", "referral-given"):
            gift = e
    if any(v != p and v[0] <= p[0] for v in visible for p in proofs):
        return Stage.CREDIBILITY
    return Stage.VISIBILITY if visible else Stage.MET


@settings(max_examples=200, deadline=None)
@given(histories(), later_st)
def test_p3_the_stage_is_the_table_each_piece_counting_once(h: History, later: int) -> None:
    """The stage is the table's: credibility needs a proof they have seen your work and,
    on or before it, visibility from another piece of evidence."""
    as_of = AS_OF + timedelta(days=later)
    assert compute(h, context(as_of)).stage is table_stage(h, as_of)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["call", "email", "message", "one-to-one", "value-received", "accepted"]),
    st.booleans(),
    st.integers(0, 30),
)
def test_p3_one_meeting_and_one_answer_is_never_credibility(
    kind: str, gift_first: bool, gap: int
) -> None:
    """One meeting plus a single reply, one-to-one, value back or accepted ask (after a gift
    of yours or not) is at most visibility: the one answer cannot count twice."""
    mid, met = GROUP.past[-60]
    h = History(1, "Ann Lee", meetings=[Attended(mid, met, 1, GROUP.name)])
    if gift_first:
        h = with_events(h, event(1, met + timedelta(days=1), "value-given"))
    when = met + timedelta(days=1 + gap)
    if kind == "accepted":
        h = with_events(h, event(2, when, "ask", "read-article", "accepted"))
    else:
        h = with_events(h, event(2, when, kind))
    assert RANK[compute(h, context()).stage] <= RANK[Stage.VISIBILITY]


# -- 4. The right to sell comes after the right to contact ------------------------------


@settings(max_examples=150, deadline=None)
@given(histories(), later_st)
def test_p4_no_sale_before_the_opt_in_or_an_earlier_purchase(h: History, later: int) -> None:
    """A purchase is never allowed nor proposed to someone who is not on your email list and
    has never bought from you."""
    s = compute(h, context(AS_OF + timedelta(days=later)))
    if "purchase" in asks_in_play(s):
        assert {"opted_in", "customer"} & set(s.flags)


# -- 5. The value ladder waits for results ----------------------------------------------


@settings(max_examples=150, deadline=None)
@given(histories(), st.integers(0, 120), st.integers(0, 60))
def test_p5_an_upsell_is_never_due_before_the_sale_and_its_settle_in(
    h: History, sold_ago: int, later: int
) -> None:
    """An upsell is allowed, or due, only once the settle-in period after the latest sale
    has passed: never before the first sale itself."""
    h = with_events(h, event(next_id(h), AS_OF - timedelta(days=sold_ago), "business"))
    as_of = AS_OF + timedelta(days=later)
    s = compute(h, context(as_of))
    sales = [e.date for e in h.events if e.kind == "business" and e.date <= as_of]
    settled = max(sales) + timedelta(days=R.settle_in_days)
    if "upsell" in s.allowed_asks:
        assert as_of >= settled
    if s.next_step.ask == "upsell":
        assert s.next_step.due is not None and s.next_step.due >= settled > min(sales)


# -- 6. Giving includes introductions and referrals -------------------------------------


@settings(max_examples=150, deadline=None)
@given(histories(), st.integers(0, 59))
def test_p6_a_referral_you_sent_is_giving(h: History, ago: int) -> None:
    """A referral you sent (an introduction you made) after your last ask is giving: the
    advice is the same as for value given that day, and never to give again first."""
    when = AS_OF - timedelta(days=ago)
    h = replace(h, events=[e for e in h.events if not (e.kind == "ask" and e.date >= when)])
    steps = {}
    for kind in ("referral-given", "value-given"):
        s = compute(with_events(h, event(next_id(h), when, kind)), context())
        steps[kind] = (s.allowed_asks, s.next_step.kind, s.next_step.ask, s.next_step.due)
        assert s.next_step.kind != "give-value"
    assert steps["referral-given"] == steps["value-given"]


# -- 7. Strangers may be offered anything low-commitment --------------------------------


@settings(max_examples=100, deadline=None)
@given(histories(), later_st)
def test_p7_the_low_commitment_rungs_are_open_to_strangers(h: History, later: int) -> None:
    """Reading, watching, liking, the e-book and the free sample are never premature: if one
    is blocked, it is for a wait or a decline, never for the stage."""
    s = compute(h, context(AS_OF + timedelta(days=later)))
    small = {"read-article", "watch-video", "like-page", "download-ebook", "free-sample"}
    for b in s.blocked_asks:
        if b.ask in small:
            assert "premature" not in b.reason and "quiet since" not in b.reason
    fresh = History(2, "New Contact", meetings=[Attended(*GROUP.past[-1][:2], 1, GROUP.name)])
    assert small <= set(compute(fresh, context()).allowed_asks)


# -- 9. A pending ask is an open question -----------------------------------------------


def _essentials(s: PersonStatus) -> tuple[object, ...]:
    step = s.next_step
    return (
        s.trust,
        s.allowed_asks,
        [b.ask for b in s.blocked_asks],
        step.kind,
        step.ask,
        step.due,
        s.stage,
        s.current_stage,
    )


@settings(max_examples=200, deadline=None)
@given(histories(), st.sampled_from(ASK_IDS), st.integers(0, 40))
def test_p9_an_open_ask_blocks_its_size_then_lapses_into_ignored(
    h: History, ask: str, ago: int
) -> None:
    """While an ask waits for an answer, neither it nor a larger one is allowed, nor planned
    before it would lapse and the wait after an ignored ask has passed; once the lapse period
    has passed, it counts exactly as an ignored ask."""
    when = AS_OF - timedelta(days=ago)
    pending = with_events(h, event(next_id(h), when, "ask", ask, "pending"))
    s = compute(pending, context())
    if ago < R.ask_lapse_days:
        for other in s.allowed_asks:
            assert other != ask and SIZE[other] < SIZE[ask]
        step = s.next_step
        if step.kind == "ask" and (step.ask == ask or SIZE[str(step.ask)] >= SIZE[ask]):
            assert step.due is not None
            assert step.due >= when + timedelta(days=R.after_decline_days)
    else:
        ignored = with_events(h, event(next_id(h), when, "ask", ask, "ignored"))
        assert _essentials(s) == _essentials(compute(ignored, context()))


# -- 10. Fresh beats stale on the agenda ------------------------------------------------


def _agenda(hs: list[History], as_of: date, days: int = 7) -> list[tuple[Step, float, bool]]:
    out = []
    for h in hs:
        s = compute(h, context(as_of))
        step = s.next_step
        if step.kind == "none" or step.dormant or step.due is None:
            continue
        if step.due <= as_of + timedelta(days=days):
            out.append((step, s.trust, "customer" in s.flags))
    return sorted(out, key=lambda x: _step_order((x[0], x[1])))


@settings(max_examples=100, deadline=None)
@given(st.lists(histories(max_events=10), min_size=2, max_size=6), st.integers(0, 1))
def test_p10_fresh_beats_stale_and_customers_come_first(hs: list[History], met_ago: int) -> None:
    """On the agenda a new contact's follow-up due in the next two days comes before every
    step overdue by more than a month; reconnects come last; on the same day a customer's
    step comes before a non-customer's routine step."""
    people = [replace(h, person_id=n, display_name=f"P{n}") for n, h in enumerate(hs, 1)]
    new = History(
        99, "New Contact", meetings=[Attended(9, AS_OF - timedelta(days=met_ago), None, "Coffee")]
    )
    steps = _agenda([*people, new], AS_OF)
    order = [step for step, _, _ in steps]
    fresh = [n for n, step in enumerate(order) if step.person_id == 99]
    assert fresh and order[fresh[0]].kind == "follow-up"
    for n, step in enumerate(order):
        assert step.due is not None
        if (AS_OF - step.due).days > 30 or step.reconnect:
            assert n > fresh[0]
        if step.reconnect:
            assert all(later.reconnect for later in order[n:])
    for (a, _, cust_a), (b, _, cust_b) in zip(steps, steps[1:], strict=False):
        same_day = a.due == b.due and not a.reconnect and not b.reconnect
        if same_day and (AS_OF - a.due).days <= 30 and cust_b and not cust_a:
            assert a.kind == "follow-up"


@settings(max_examples=150, deadline=None)
@given(histories(), later_st)
def test_p10_a_stale_step_for_someone_silent_lapses_into_a_reconnect(
    h: History, later: int
) -> None:
    """A gift, ask or keep-in-touch more than a month overdue stays as it is only for
    someone who has answered since it came due; otherwise it is a reconnect."""
    as_of = AS_OF + timedelta(days=later)
    step = compute(h, context(as_of)).next_step
    if step.kind in ("ask", "give-value", "keep-in-touch") and not (step.reconnect or step.dormant):
        assert step.due is not None
        if (as_of - step.due).days > R.cadence["met"]:
            dates = two_way_dates(h, as_of)
            assert dates and dates[-1] >= step.due


# -- the command line can record every history above ------------------------------------


def _replay(db: Path, h: History) -> None:
    """Record ``h`` through the command line, as a user (or the acceptance suite) would."""

    def run(*args: str) -> None:
        assert main(["--db", str(db), *args]) == 0

    run("group", "add", GROUP.name, "--every", "weekly", "--weekday", "thu")
    tags = [a for t in h.tags for a in ("--tag", t)]
    run("person", "add", h.display_name, "--email", "ann@example.com", *tags)
    for m in h.meetings:
        day = m.date.isoformat()
        run(
            "meeting",
            "add",
            m.name,
            "--date",
            day,
            "--group",
            GROUP.name,
            "--attendee",
            h.display_name,
        )
    for e in h.events:  # in (date, id) order, so the ids keep that order
        extra = ["--ask", str(e.ask_type)] if e.kind == "ask" else []
        if e.kind == "ask" and e.outcome != "pending":
            extra += ["--outcome", str(e.outcome)]
        if e.amount is not None:
            extra += ["--amount", str(e.amount)]
        run("log", h.display_name, e.kind, "--date", e.date.isoformat(), *extra)
    for c in h.consents:
        run(
            "optin",
            h.display_name,
            "--email",
            "ann@example.com",
            "--method",
            "verbal",
            "--date",
            c.obtained.isoformat(),
        )
        if c.withdrawn is not None:
            run("optout", h.display_name, "--date", c.withdrawn.isoformat())


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(histories(max_events=12), st.integers(0, 200))
def test_every_generated_history_replays_through_the_command_line(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    h: History,
    later: int,
) -> None:
    """`group add`, `meeting add`, `log`, `optin` and `optout` record any generated history,
    and `status --on D --json` then says exactly what the engine says about it."""
    db = tmp_path_factory.mktemp("replay") / "netapp.db"
    _replay(db, h)
    capsys.readouterr()
    as_of = AS_OF + timedelta(days=later)
    assert (
        main(["--db", str(db), "status", h.display_name, "--on", as_of.isoformat(), "--json"]) == 0
    )
    got = json.loads(capsys.readouterr().out)
    attended = sorted((m.meeting_id, m.date) for m in h.meetings)
    group = GroupInfo(1, GROUP.name, "weekly", 3, "", past=[])
    ctx = context(as_of)
    ctx = replace(
        ctx,
        library=[],
        groups={
            1: replace(
                group,
                past=[p for p in attended if p[1] <= as_of],
                future=[d for _, d in attended if d > as_of],
            )
        },
    )
    want = compute(replace(h, person_id=got["person_id"]), ctx).to_json()
    # The CLI adds what people read beside the ids (netapp.engine.wording); the rest is the
    # engine's own answer, key for key.
    assert len(got.pop("allowed_ask_words")) == len(got["allowed_asks"])
    assert got["next_step"].pop("words")
    assert got == want


# -- the advice changes with the date only at known instants (for an incremental refresh) --


def _advice(s: PersonStatus) -> tuple[object, ...]:
    step = s.next_step
    return (
        s.current_stage,
        s.allowed_asks,
        step.kind,
        step.ask,
        step.due,
        step.overdue,
        step.reconnect,
        step.dormant,
        step.group_id,
    )


# A ladder whose every rung needs some trust, so that decaying trust often crosses a gate.
DEMANDING = [replace(a, min_trust=3 + 7 * n) for n, a in enumerate(LADDER)]


@settings(max_examples=300, deadline=None)
@given(histories(), later_st, st.integers(1, 800), st.booleans())
def test_the_advice_holds_until_the_day_it_says_it_may_change(
    h: History, later: int, step: int, demanding: bool
) -> None:
    """With no new evidence, today's stage, the allowed asks and the next step stay the same
    on every day before `changes_on` (so a refresh need only revisit people on that day),
    with the default ladder and with one whose every rung needs some trust."""

    def ctx(day: date) -> Context:
        c = context(day)
        return replace(c, ladder=DEMANDING) if demanding else c

    as_of = AS_OF + timedelta(days=later)
    s = compute(h, ctx(as_of))
    if s.changes_on is not None:
        assert s.changes_on > as_of
        gap = (s.changes_on - as_of).days
        if gap <= 1:
            return
        step = min(step, gap - 1)
    then = as_of + timedelta(days=step)
    assert _advice(compute(h, ctx(then))) == _advice(s)
