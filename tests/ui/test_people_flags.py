"""The People page's Flag filter offers what users filter by, each one computed by the engine."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from netapp.domain import Consent, ConsentMethod, Flag, Interaction, Kind, Person, Referral
from netapp.store import Store
from ui.main_window import MainWindow
from ui.pages.people import PeoplePage


def _ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def _cast(store: Store) -> dict[Flag | None, str]:
    """One person per flag, and one with none (the window's engine runs as of today)."""
    store.people.add(Person(display_name="Plain Pat"))
    olga = store.people.add(Person(display_name="Opted Olga"))
    store.consents.add(
        Consent(
            person_id=olga, email="o@x.example", method=ConsentMethod.VERBAL, obtained_at=_ago(1)
        )
    )
    cal = store.people.add(Person(display_name="Customer Cal"))
    store.interactions.add(Interaction(person_id=cal, date=_ago(1), kind=Kind.BUSINESS, amount=500))
    ada = store.people.add(Person(display_name="Advocate Ada"))
    store.referrals.add(Referral(referrer_id=ada, prospect_name="A prospect", date=_ago(1)))
    otto = store.people.add(Person(display_name="Overdue Otto"))
    store.meetings.add("Breakfast", _ago(20), attendee_ids=[otto])  # never followed up
    quinn = store.people.add(Person(display_name="Quiet Quinn"))
    store.interactions.add(Interaction(person_id=quinn, date=_ago(200), kind=Kind.ONE_TO_ONE))
    return {
        None: "Plain Pat",
        Flag.OPTED_IN: "Opted Olga",
        Flag.CUSTOMER: "Customer Cal",
        Flag.ADVOCATE: "Advocate Ada",
        Flag.OVERDUE: "Overdue Otto",
        Flag.QUIET: "Quiet Quinn",
    }


def _shown(page: PeoplePage) -> set[str]:
    model = page.model
    return {model.index(r, 0).data() for r in range(model.rowCount())}


def test_each_flag_shows_exactly_the_people_it_describes(qtbot: QtBot, store: Store) -> None:
    """Opted in, customer, advocate, overdue and going quiet each list their one person."""
    cast = _cast(store)
    w = MainWindow(store, None)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: not w.is_busy(), timeout=60_000)  # the engine's status pass
    page = w.show_page("people")
    assert isinstance(page, PeoplePage)
    box = page.flag_box
    offered = [box.itemText(i) for i in range(box.count())]
    assert offered == ["Any flag", "Opted in", "Customer", "Advocate", "Overdue", "Going quiet"]
    assert _shown(page) == set(cast.values())
    box.setFocus()
    for flag in Flag:
        qtbot.keyClick(box, Qt.Key.Key_Down)  # the next choice, as a keyboard user picks it
        assert box.currentData() == flag.value
        assert _shown(page) == {cast[flag]}, flag
    qtbot.keyClick(box, Qt.Key.Key_Home)
    assert _shown(page) == set(cast.values())
    w.close()
