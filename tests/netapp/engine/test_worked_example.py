"""The worked example of docs/trust-model.md section 6, replayed: the page's figures and
words are what the engine says (so the page cannot drift from the code)."""

from __future__ import annotations

from netapp import engine
from netapp.domain import LibraryItem, LibraryKind
from tests.netapp.engine.helpers import Builder, d

THURSDAYS = ["2026-06-11", "2026-06-18", "2026-06-25", "2026-07-09", "2026-07-23", "2026-08-06"]


def priya(b: Builder) -> int:
    """Priya Shah's history as the page tells it."""
    club = b.store.groups.add("Thursday Breakfast Club", "weekly", "thursday")
    habits = b.store.library.add(LibraryItem(title="10 referral habits that work"))
    b.store.library.add(
        LibraryItem(
            title="The small-business cash-flow e-book",
            kind=LibraryKind.EBOOK,
            tags=["finance"],
        )
    )
    pid = b.person("Priya Shah", tags=("finance",), org="Shah Accounting")
    for day in THURSDAYS:
        b.meet(pid, day, group=club, name="Thursday Breakfast Club")
    b.log(pid, "2026-06-12", "email")
    b.log(pid, "2026-06-20", "value-given", library_item_id=habits)
    b.ask(pid, "2026-06-22", "read-article")
    b.log(pid, "2026-07-10", "one-to-one")
    b.log(pid, "2026-07-20", "value-received")
    b.log(pid, "2026-07-28", "value-given", note="introduced her to a solicitor")
    return pid


def test_in_august_she_is_at_credibility_and_the_opt_in_comes_next(b: Builder) -> None:
    """10 Aug: credibility since 22 Jun, trust 50.0 (43 points, recency 0.977), a sale still
    blocked until the opt-in, and the opt-in due right after the value given on 28 Jul."""
    s = engine.status(b.store, priya(b), d("2026-08-10"))
    assert (s.stage.value, s.current_stage.value, s.trust) == ("credibility", "credibility", 50.0)
    assert (s.trust_parts["points"], s.trust_parts["earned"]) == (43.0, 51.2)
    assert s.trust_parts["recency"] == 0.977
    assert [(st.value, str(on)) for st, on in s.stage_history] == [
        ("met", "2026-06-11"), ("visibility", "2026-06-12"), ("credibility", "2026-06-22"),
    ]  # fmt: skip
    assert {x.ask for x in s.blocked_asks} == {"purchase", "upsell"}
    step = s.next_step
    assert step is not None
    assert (step.kind, step.ask, str(step.due)) == ("ask", "email-optin", "2026-07-28")
    assert step.reason.endswith(
        "last ask 49 days ago (“Read an article”, accepted): ask “Join your email list” right "
        "after the value you gave on 28 Jul 2026"
    )


def test_in_november_she_has_gone_quiet_and_reconnecting_comes_first(b: Builder) -> None:
    """8 Nov, 94 days without two-way contact: trust 31.4 (recency 0.614), was at
    credibility, only the low-commitment rungs allowed, the step a reconnect."""
    s = engine.status(b.store, priya(b), d("2026-11-08"))
    assert (s.stage.value, s.current_stage.value, s.trust) == ("credibility", "visibility", 31.4)
    assert s.trust_parts["recency"] == 0.614
    assert str(s.quiet_since) == "2026-08-06"
    assert s.allowed_asks == [
        "read-article", "watch-video", "like-page", "download-ebook", "free-sample",
    ]  # fmt: skip
    step = s.next_step
    assert step is not None and step.reconnect
    assert (step.kind, str(step.due)) == ("keep-in-touch", "2026-11-05")
    assert step.reason.endswith(
        "quiet since 6 Aug 2026 (was at credibility): reconnect first with a call, a message "
        "or a hello at a meeting; then give, then ask small"
    )


def test_back_at_the_club_she_is_visible_again_and_giving_comes_next(b: Builder) -> None:
    """She comes to the club on 12 Nov: on 13 Nov she is at visibility again (credibility must
    be shown anew), the opt-in and a one-to-one are allowed, a referral is not, and the step
    is to give the e-book that matches her tag."""
    pid = priya(b)
    club = b.store.groups.get("Thursday Breakfast Club").id
    b.meet(pid, "2026-11-12", group=club, name="Thursday Breakfast Club")
    s = engine.status(b.store, pid, d("2026-11-13"))
    assert (s.current_stage.value, s.trust, s.quiet_since) == ("visibility", 53.2, None)
    assert "one-to-one" in s.allowed_asks and "referral" not in s.allowed_asks
    step = s.next_step
    assert step is not None
    assert (step.kind, str(step.due)) == ("give-value", "2026-12-03")
    assert step.reason.endswith(
        "give again before you ask: send “The small-business cash-flow e-book” (matches finance)"
    )
