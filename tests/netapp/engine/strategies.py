"""Generated relationship histories for the principle tests: only what the command line can
record (``group add``, ``meeting add``, ``log``, ``optin``, ``optout``), so that every history
the tests use can be replayed through it (``tests/netapp/engine/test_principles.py`` does)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import strategies as st

from netapp.engine.history import (
    Attended,
    ConsentRec,
    Context,
    Event,
    GroupInfo,
    History,
    LibraryEntry,
    Rules,
)
from netapp.engine.ladder import default_ladder

AS_OF = date(2026, 6, 1)  # a Monday
LADDER = default_ladder()
ASK_IDS = [a.id for a in LADDER]
SIZE = {a.id: a.size for a in LADDER}
# What `netapp log` records (every loggable kind).
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
OUTCOMES = ["accepted", "declined", "ignored", "pending"]
# Evidence that they engaged (principle 2), as the tests see it, independently of the engine.
TWO_WAY_KINDS = frozenset(
    {"one-to-one", "call", "email", "message", "value-received", "referral-received", "business"}
)
ONE_WAY = ["value-given", "referral-given", "pending-ask", "declined-ask", "ignored-ask"]
# A weekly group meeting on Thursdays, two years of it up to AS_OF.
GROUP = GroupInfo(
    1,
    "Thursday Breakfast",
    "weekly",
    3,
    "",
    past=[(1000 + n, AS_OF - timedelta(days=4 + 7 * n)) for n in range(104)][::-1],
)


def context(as_of: date = AS_OF, rules: Rules | None = None) -> Context:
    library = [
        LibraryEntry(1, "Pitch video", "video", ["marketing"], frozenset({"marketing"})),
        LibraryEntry(2, "Cash-flow e-book", "ebook", [], frozenset()),
    ]
    groups = {1: replace(GROUP, past=[p for p in GROUP.past if p[1] <= as_of])}
    return Context(as_of, rules or Rules(), LADDER, groups, library)


# Dates: mostly recent (waits in play), often long ago (silences longer than the window).
days_ago = st.one_of(st.integers(0, 45), st.integers(0, 700))
event_st = st.tuples(
    days_ago,
    st.sampled_from([*KINDS, "ask", "ask", "value-given"]),
    st.sampled_from(ASK_IDS),
    st.sampled_from(OUTCOMES),
)


def event(nid: int, when: date, kind: str, ask: str = "", outcome: str = "") -> Event:
    """One interaction as `netapp log` records it (an ask without an outcome is pending)."""
    is_ask = kind == "ask"
    return Event(
        nid,
        when,
        kind,
        ask if is_ask else None,
        (outcome or "pending") if is_ask else None,
        100.0 * nid if kind == "business" else None,
        None,
    )


def with_events(h: History, *new: Event) -> History:
    return replace(h, events=sorted([*h.events, *new], key=lambda e: (e.date, e.id)))


def next_id(h: History) -> int:
    return max((e.id for e in h.events), default=0) + 1


@st.composite
def histories(draw: st.DrawFn, max_events: int = 20) -> History:
    """A history of meetings at one weekly group, logged interactions and consents."""
    h = History(1, "Ann Lee", "Acme", draw(st.sampled_from([[], ["marketing"]])))
    picked = sorted(set(draw(st.lists(st.integers(0, 103), max_size=8))))  # by date
    h.meetings = [Attended(GROUP.past[i][0], GROUP.past[i][1], 1, GROUP.name) for i in picked]
    raw = draw(st.lists(event_st, max_size=max_events))
    h.events = sorted(
        (
            event(n, AS_OF - timedelta(days=ago), kind, ask, outcome)
            for n, (ago, kind, ask, outcome) in enumerate(raw, 1)
        ),
        key=lambda e: (e.date, e.id),
    )
    # Opt-ins and opt-outs alternate, as `optin` and `optout` record them.
    marks = sorted(set(draw(st.lists(days_ago, max_size=3))), reverse=True)
    days = [AS_OF - timedelta(days=a) for a in marks]
    h.consents = [
        ConsentRec(days[i], days[i + 1] if i + 1 < len(days) else None)
        for i in range(0, len(days), 2)
    ]
    return h


def two_way_dates(h: History, as_of: date) -> list[date]:
    """Every day they engaged, worked out from the raw history (not by the engine)."""
    out = [m.date for m in h.meetings if m.date <= as_of]
    for e in h.events:
        if e.date <= as_of and (
            e.kind in TWO_WAY_KINDS or (e.kind == "ask" and e.outcome == "accepted")
        ):
            out.append(e.date)
    return sorted(out)


def one_way(h: History, ago: int, what: str, ask: str = "referral") -> History:
    """The same history plus one act of yours that they did not answer, or a decline."""
    when = AS_OF - timedelta(days=ago)
    if what.endswith("-ask"):
        outcome = what.removesuffix("-ask")
        return with_events(h, event(next_id(h), when, "ask", ask, outcome))
    return with_events(h, event(next_id(h), when, what))
