"""Today and the People detail word the engine's new reasons in plain language (issue 23):
a relationship gone quiet says so, with the date, and says to reconnect first."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from netapp.domain import Interaction, Kind, Person
from netapp.store import Store
from ui.main_window import MainWindow
from ui.pages.people import PeoplePage
from ui.pages.today import TodayPage

TODAY = date(2026, 11, 23)


def quiet_partner(store: Store) -> int:
    """Met twice, a one-to-one, value given and answered, then nothing since 16 Mar 2026."""
    pid = store.people.add(Person(display_name="Quinn Quiet", org="Still Waters"))
    for day in ("2026-03-05", "2026-03-12"):
        store.meetings.add("Breakfast", day, attendee_ids=[pid])
    for day, kind in (
        ("2026-03-14", Kind.ONE_TO_ONE),
        ("2026-03-15", Kind.VALUE_GIVEN),
        ("2026-03-16", Kind.EMAIL),
    ):
        store.interactions.add(Interaction(person_id=pid, date=day, kind=kind))
    return pid


pytestmark = pytest.mark.window(idle=True)


def test_today_lists_a_quiet_relationship_as_a_reconnect_with_its_date(
    qtbot: QtBot, store: Store, window: MainWindow
) -> None:
    """On Today, someone quiet since March shows as "Reconnect", after a new contact's
    follow-up, and the reason says since when and to reconnect first."""
    pid = quiet_partner(store)
    fresh = store.people.add(Person(display_name="Nina New"))
    store.meetings.add("Breakfast", "2026-11-22", attendee_ids=[fresh])
    page = TodayPage(window.ctx, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    rows = [page.model.step(r) for r in range(page.model.rowCount())]
    assert [s.person_id for s in rows if s] == [fresh, pid]
    row = 1
    texts = [page.model.index(row, c).data() for c in range(page.model.columnCount())]
    assert texts[2] == "Reconnect"
    assert "quiet since 16 Mar 2026 (was at credibility): reconnect first" in texts[3]


def test_people_detail_says_the_stage_today_and_its_history(
    qtbot: QtBot, store: Store, window: MainWindow
) -> None:
    """The People detail keeps the stage's history but says what holds today, and why the
    bigger asks wait."""
    pid = quiet_partner(store)
    page = PeoplePage(window.ctx, today=TODAY)
    qtbot.addWidget(page)
    page.detail.show_person(pid)
    stage = page.detail.stage.text()
    assert "Credibility" in stage and "quiet since 16 Mar 2026" in stage
    assert "reconnect first" in stage
    assert "credibility 14 Mar 2026" in stage  # the history: when it got there
    asks = page.detail.asks.text()
    assert (
        "Ask for a referral: quiet since 16 Mar 2026 (was at credibility): reconnect first" in asks
    )
    assert "reconnect first" in page.detail.next_step.text()
