"""Shortcuts in the per-person rules (issue 20, the agenda at 10k people) held equal to the
direct reading they replace, on generated histories."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from netapp.engine.history import Attended, Event, History, ReferralRec, Rules
from netapp.engine.stage import compute_facts, stage_of
from netapp.engine.timing import (
    _blocked,
    _blockers,
    _rung_waits,
    check_asks,
    choose_ask,
    next_step,
    quick_choice,
)
from netapp.engine.trust import trust_score, trust_value
from tests.netapp.engine.reference_facts import reference_facts
from tests.netapp.engine.strategies import (
    AS_OF,
    ASK_IDS,
    KINDS,
    OUTCOMES,
    context,
    days_ago,
    histories,
)

referral_days = st.lists(days_ago, max_size=3)


def _with_referrals(h: History, sent_to_you: list[int], you_sent: list[int]) -> History:
    """Referral rows both ways (their interactions, when logged, are in the history too)."""
    rows = [
        ReferralRec(n, AS_OF - timedelta(days=ago), "new", None)
        for n, ago in enumerate(sent_to_you + you_sent, 1)
    ]
    return replace(
        h,
        referrals_from=sorted(rows[: len(sent_to_you)], key=lambda r: (r.date, r.id)),
        referrals_to=sorted(rows[len(sent_to_you) :], key=lambda r: (r.date, r.id)),
    )


@settings(max_examples=200, deadline=None)
@given(histories(), referral_days, referral_days, st.integers(-60, 500))
def test_property_referral_counts_and_the_last_silence_match_the_direct_reading(
    h: History, sent_to_you: list[int], you_sent: list[int], later: int
) -> None:
    """The referral counts (counted in the one pass over the interactions) and the end of the
    last long silence (found from the latest contact back) are what reading the whole history
    gives, on any day, with interactions after that day too."""
    h = _with_referrals(h, sent_to_you, you_sent)
    ctx = context(AS_OF + timedelta(days=later))
    as_of, window = ctx.as_of, ctx.rules.two_way_days
    f = compute_facts(h, ctx)
    for rows, kind, got in (
        (h.referrals_from, "referral-received", f.referrals_from),
        (h.referrals_to, "referral-given", f.referrals_to),
    ):
        logged = sum(1 for e in h.events if e.kind == kind and e.date <= as_of)
        assert got == max(sum(1 for r in rows if r.date <= as_of), logged)
    two_way = sorted(f.two_way)
    expected = None
    if two_way and (as_of - two_way[-1][0]).days <= window:
        for before, after in zip(two_way, two_way[1:], strict=False):
            if (after[0] - before[0]).days > window:
                expected = after[0]
    assert f.resumed_on == expected


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(-60, 500), st.booleans())
def test_property_a_rung_has_waits_of_its_own_only_after_a_decline_an_open_ask_or_a_sale(
    h: History, later: int, words: bool
) -> None:
    """check_asks skips each rung's own waits for someone with no declined or open ask and no
    purchase: for them every rung's own waits are indeed none, and the cool-downs check_asks
    gives each rung are the latest of every wait, its own included."""
    ctx = context(AS_OF + timedelta(days=later))
    f = compute_facts(h, ctx)
    stage = stage_of(f)
    trust = trust_score(f, ctx.rules.half_life_days)[0]
    sizes = {a.id: a.size for a in ctx.ladder}
    labels = ctx.ask_labels()
    checks = check_asks(f, stage, ctx, words=words, trust=trust)
    none_own = not (f.declined or f.open_asks or f.last_business is not None)
    for ask, c in zip(ctx.ladder, checks, strict=True):
        own = _rung_waits(ask, f, ctx.rules, sizes, words, labels)
        if none_own:
            assert own == []
        last = f.last_ask
        general = [last.date + timedelta(days=ctx.rules.cooldown_days)] if last else []
        if f.declined:
            general.append(f.declined[-1].date + timedelta(days=ctx.rules.after_decline_days))
        waits = general + [t for t, _ in own]
        assert c.not_before == (max(waits) if waits else None)


# Odd histories for the fact-finding pass: every kind the store holds ("met", logged by the
# capture, and an unknown one), many events on a few days (ties broken by id), events after
# as_of, absurd dates, meetings without a group, in another group, repeated or after as_of.
ODD_DAYS = [date.min, date(1900, 2, 28), date(9999, 12, 31)]
odd_day = st.one_of(
    st.integers(-30, 30).map(lambda n: AS_OF - timedelta(days=n)),
    st.integers(0, 3).map(lambda n: AS_OF - timedelta(days=100 * n)),
    st.sampled_from(ODD_DAYS),
)
odd_event = st.tuples(
    odd_day,
    st.sampled_from([*KINDS, "met", "note", "ask", "value-given"]),
    st.sampled_from([*ASK_IDS, "email-optin", None]),
    st.sampled_from([*OUTCOMES, None]),
    st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
    st.one_of(st.none(), st.integers(1, 4)),
)
odd_meeting = st.tuples(
    st.integers(1, 12), odd_day, st.sampled_from([1, 2, None]), st.sampled_from(["A", "B"])
)


@st.composite
def odd_histories(draw: st.DrawFn) -> History:
    """A generated history with the odd cases above mixed into the ordinary ones."""
    h = draw(histories())
    made = draw(st.lists(odd_event, max_size=25))
    ids = draw(st.permutations(range(100, 100 + len(made))))
    extra = [
        Event(nid, when, kind, ask, outcome, amount, item)
        for nid, (when, kind, ask, outcome, amount, item) in zip(ids, made, strict=True)
    ]
    met = [
        Attended(1000 + n, when, gid, name) for n, when, gid, name in draw(st.lists(odd_meeting))
    ]
    return replace(
        h,
        events=sorted([*h.events, *extra], key=lambda e: (e.date, e.id)),
        meetings=sorted([*h.meetings, *met], key=lambda m: m.date),
    )


# A silence ended on a day with two contacts: the meeting logged first (two-way, not
# visible), then a call answering value given that day. The contact that ends the silence is
# the first of that day (the meeting): with the call, a proof, it makes them credible again.
SILENCE_ENDED_TWICE = History(
    1,
    "Ann Lee",
    "Acme",
    events=[
        Event(1, AS_OF - timedelta(days=200), "call"),
        Event(4, AS_OF - timedelta(days=10), "value-given"),
        Event(5, AS_OF - timedelta(days=10), "met"),
        Event(6, AS_OF - timedelta(days=10), "call"),
    ],
)


@settings(max_examples=400, deadline=None)
@given(odd_histories(), st.integers(-400, 400), st.sampled_from([0, 1, 14, 365]))
@example(SILENCE_ENDED_TWICE, 0, 14)
def test_property_the_one_pass_facts_equal_the_table_driven_reading(
    h: History, later: int, lapse: int
) -> None:
    """compute_facts (one branch per kind, counts in locals, slotted Facts) gives every fact,
    list and order the table-driven reading it replaced gives, on any day, for histories with
    ties, same-day events, events after as_of, absurd dates and odd meetings, or none."""
    ctx = context(AS_OF + timedelta(days=later), Rules(ask_lapse_days=lapse))
    assert compute_facts(h, ctx) == reference_facts(h, ctx)
    empty = History(2, "Bo", "")
    assert compute_facts(empty, ctx) == reference_facts(empty, ctx)


# Five one-to-ones, value given and a sale on one day: the ask chosen waits for the settle-in
# after the sale, a rung's own wait, and its reason says so.
SOLD_TODAY = History(
    1,
    "Ann Lee",
    "Acme",
    events=[
        *(Event(n, AS_OF, "one-to-one") for n in range(1, 6)),
        Event(6, AS_OF, "value-given"),
        Event(7, AS_OF, "business", amount=700.0),
    ],
)


@settings(max_examples=300, deadline=None)
@given(odd_histories(), st.integers(-60, 500), st.sampled_from([0, 14, 60]))
@example(SOLD_TODAY, 0, 0)
def test_property_the_step_worded_from_the_chosen_rung_equals_the_step_from_every_rung(
    h: History, later: int, cooldown: int
) -> None:
    """next_step without checks (the agenda: every rung checked without words, then the chosen
    rung's waits worded) gives the step, reason included, that it gives from check_asks' full
    worded checks of every rung (the status path)."""
    ctx = context(AS_OF + timedelta(days=later), Rules(cooldown_days=cooldown))
    f = compute_facts(h, ctx)
    stage = stage_of(f)
    trust = trust_score(f, ctx.rules.half_life_days)[0]
    every = check_asks(f, stage, ctx, trust=trust)
    assert next_step(h, f, stage, ctx, trust=trust) == next_step(
        h, f, stage, ctx, every, trust=trust
    )


@settings(max_examples=300, deadline=None)
@given(odd_histories(), referral_days, st.integers(-60, 900), st.sampled_from([1.0, 30.0, 90.0]))
def test_property_the_trust_value_is_the_trust_score_without_its_parts(
    h: History, sent_to_you: list[int], later: int, half_life: float
) -> None:
    """trust_value (the agenda's score alone) is exactly trust_score's score, for histories
    with counts past every cap, declines, ignored asks, referrals, consents and long silences."""
    h = _with_referrals(h, sent_to_you, [])
    ctx = context(AS_OF + timedelta(days=later))
    f = compute_facts(h, ctx)
    assert trust_value(f, half_life) == trust_score(f, half_life)[0]


# Value given, then a yes to the email opt-in with no consent recorded: that rung is blocked.
SAID_YES = History(
    1,
    "Ann Lee",
    "Acme",
    events=[
        Event(1, AS_OF, "one-to-one"),
        Event(2, AS_OF, "value-given"),
        Event(3, AS_OF, "ask", "email-optin", "accepted"),
    ],
)


@settings(max_examples=300, deadline=None)
@given(
    odd_histories(),
    st.integers(-60, 500),
    st.sampled_from([0, 14, 60]),
    st.floats(0, 100, allow_nan=False),
)
@example(SOLD_TODAY, 0, 0, 50.0)
@example(SAID_YES, 0, 14, 100.0)
def test_property_the_quick_ask_choice_equals_the_choice_from_every_rung(
    h: History, later: int, cooldown: int, other_trust: float
) -> None:
    """quick_choice (each rung's blockers as a yes or no, the chosen rung's waits alone) picks
    the rung, with the same not-before, that choose_ask picks from check_asks' checks of every
    rung, at the person's trust and at any other; and the step without words is the same."""
    ctx = context(AS_OF + timedelta(days=later), Rules(cooldown_days=cooldown))
    f = compute_facts(h, ctx)
    stage = stage_of(f)
    for trust in (trust_score(f, ctx.rules.half_life_days)[0], other_trust):
        for ask in ctx.ladder:
            assert _blocked(ask, f, ctx.rules, trust) == bool(
                _blockers(ask, f, stage, ctx, trust, False)
            )
        want = choose_ask(f, stage, check_asks(f, stage, ctx, words=False, trust=trust))
        got = quick_choice(f, ctx, trust)
        got_rung = (got.ask.id, got.not_before) if got else None
        assert got_rung == ((want.ask.id, want.not_before) if want else None)
        every = check_asks(f, stage, ctx, words=False, trust=trust)
        assert next_step(h, f, stage, ctx, words=False, trust=trust) == next_step(
            h, f, stage, ctx, every, words=False, trust=trust
        )
