"""Issue 21 in People: imported organisations are listed, filtered by kind and usable as
referral targets; a phone kept as typed is shown as not normalised."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from pytestqt.qtbot import QtBot

from netapp import referrals
from netapp.domain import ContactKind, Person, Referral
from netapp.interchange.importer import import_files
from netapp.store import Store
from tests.ui.windows import idle_page
from ui.main_window import MainWindow
from ui.pages.people import PeoplePage
from ui.widgets.people_found import NAME_ROLE, PID_ROLE, fill_people

SPEC = Path(__file__).parents[1] / "netapp" / "interchange" / "fixtures" / "spec"


def _shown(page: PeoplePage) -> set[str]:
    model = page.model
    return {model.index(r, 0).data() for r in range(model.rowCount())}


def _people_page(qtbot: QtBot, store: Store) -> tuple[MainWindow, PeoplePage]:
    return idle_page(qtbot, store, "people", PeoplePage)


def _kinds(store: Store) -> dict[ContactKind, set[str]]:
    out: dict[ContactKind, set[str]] = {k: set() for k in ContactKind}
    for r in store.db.query("SELECT display_name, kind FROM people"):
        out[ContactKind(r["kind"])].add(r["display_name"])
    return out


def test_the_kind_filter_lists_people_or_organisations(qtbot: QtBot, store: Store) -> None:
    """Picking Organisations by keyboard lists exactly the imported organisation cards."""
    import_files(store, [SPEC / "c11_organisations.vcf"])
    store.people.add(Person(display_name="Pat Plain"))
    kinds = _kinds(store)
    assert kinds[ContactKind.ORGANISATION] and kinds[ContactKind.PERSON]
    w, page = _people_page(qtbot, store)
    box = page.kind_box
    assert [box.itemText(i) for i in range(box.count())] == [
        "Any kind",
        "People",
        "Organisations",
    ]
    everyone = kinds[ContactKind.ORGANISATION] | kinds[ContactKind.PERSON]
    assert _shown(page) == everyone
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert _shown(page) == kinds[ContactKind.PERSON]
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert _shown(page) == kinds[ContactKind.ORGANISATION]
    assert page.count.text() == f"{len(kinds[ContactKind.ORGANISATION])} organisations"
    assert "Organisation" in page.detail.heading.text()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    assert _shown(page) == everyone
    w.close()


def test_a_phone_kept_as_typed_is_shown_as_not_normalised(qtbot: QtBot, store: Store) -> None:
    """The number as typed is in the phones field, with a note that it is not normalised."""
    import_files(store, [SPEC / "c01_phone_country.vcf"], region="US")
    typed = {
        r["phone"]: r["person_id"]
        for r in store.db.query("SELECT phone, person_id FROM person_phones WHERE valid = 0")
    }
    assert "0311111111" in typed
    w, page = _people_page(qtbot, store)
    page.select_person(typed["0311111111"])
    fe = page.detail.fields["phones"]
    assert "0311111111" in fe.edit.text()
    assert fe.note.isVisible()
    assert "Not normalised" in fe.note.text() and "0311111111" in fe.note.text()
    hans = store.db.scalar("SELECT id FROM people WHERE display_name = 'Hans Weber'")
    assert store.db.scalar("SELECT valid FROM person_phones WHERE person_id = ?", [hans]) == 1
    page.select_person(hans)  # his number's country is certain (his card's address)
    assert fe.edit.text() and not fe.note.isVisible()
    w.close()


def test_an_organisation_is_found_and_can_be_a_referral_target(store: Store) -> None:
    """The person finder offers the organisation under its own name, and a referral to it (a
    guest you sent to the venue) is recorded."""
    import_files(store, [SPEC / "c11_organisations.vcf"])
    model = QStandardItemModel()
    assert fill_people(model, store, "Harbour") == 1
    item = model.item(0)
    assert item.text() == "Harbour Venue Ltd"  # not "Harbour Venue Ltd — Harbour Venue Ltd"
    org_id = item.data(PID_ROLE)
    assert item.data(NAME_ROLE) == "Harbour Venue Ltd"
    ref = Referral(provider_id=org_id, prospect_name="A guest")  # you sent a guest to the venue
    ref.prospect_agreed, ref.date = True, "2026-12-01"
    rid = referrals.record(store, ref)
    assert store.db.scalar("SELECT provider_id FROM referrals WHERE id = ?", [rid]) == org_id
