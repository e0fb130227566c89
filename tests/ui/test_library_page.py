"""The Value library page and the Give value dialog."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from netapp import engine
from netapp.domain import Interaction, Kind, LibraryItem, Outcome, Person
from netapp.store import Store
from ui.dialogs.give_value import GiveValueDialog
from ui.main_window import MainWindow
from ui.models.library_items import LibraryModel
from ui.pages.library import LibraryPage


def _page(qtbot: QtBot, store: Store) -> tuple[MainWindow, LibraryPage]:
    window = MainWindow(store, None)
    qtbot.addWidget(window)
    page = window.show_page("library")
    assert isinstance(page, LibraryPage)
    return window, page


def test_add_edit_tag_and_retire_an_item(qtbot: QtBot, store: Store) -> None:
    """A new item is saved with its tags, renamed, retired (hidden when retired are hidden)."""
    _w, page = _page(qtbot, store)
    page.title.setText("Cash-flow checklist")
    page.kind.setCurrentIndex(page.kind.findData("template"))
    page.tags.setText("Finance; #Small-Business")
    item_id = page.save()
    assert item_id is not None
    item = store.library.get(item_id)
    assert (item.title, item.kind, item.tags) == (
        "Cash-flow checklist",
        "template",
        ["finance", "small-business"],
    )
    page.title.setText("Cash-flow checklist (2026)")
    assert page.save() == item_id
    assert store.library.get(item_id).title == "Cash-flow checklist (2026)"
    page.retire_button.click()
    assert store.library.get(item_id).retired_at is not None
    page.show_retired.setChecked(False)
    assert page.model.row_of(item_id) == -1


def test_an_item_without_a_title_is_refused_at_the_form(qtbot: QtBot, store: Store) -> None:
    """Saving an empty title shows the reason and writes nothing."""
    _w, page = _page(qtbot, store)
    page.title.setText("   ")
    assert page.save() is None
    assert not page.error.isHidden() and "title" in page.error.text().lower()
    assert store.library.all(include_retired=True) == []


def test_item_shows_who_received_it_and_what_followed(qtbot: QtBot, store: Store) -> None:
    """Selecting an item lists its recipients; the table shows accepted asks that followed."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    bob = store.people.add(Person(display_name="Bob Ray"))
    item = store.library.add(LibraryItem(title="Guide", kind="article"))
    for pid in (ann, bob):
        store.interactions.add(
            Interaction(
                person_id=pid, date="2026-01-01", kind=Kind.VALUE_GIVEN, library_item_id=item
            )
        )
    store.interactions.add(
        Interaction(
            person_id=ann,
            date="2026-01-10",
            kind=Kind.ASK,
            ask_type="read-article",
            outcome=Outcome.ACCEPTED,
        )
    )
    _w, page = _page(qtbot, store)
    page.select(item)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    names = {page.recipients.item(r, 0).text() for r in range(page.recipients.rowCount())}
    assert names == {"Ann Lee", "Bob Ray"}
    row = page.model.row_of(item)
    assert page.model.index(row, 3).data() == 2
    assert page.model.index(row, 4).data() == "1 (50%)"


def test_give_value_offers_only_items_not_yet_had_and_logs_the_gift(
    qtbot: QtBot, store: Store
) -> None:
    """The dialog leaves out items already given and retired; giving one logs value-given."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    had = store.library.add(LibraryItem(title="Had it", kind="article"))
    store.library.add(LibraryItem(title="Retired", kind="video", retired_at="2026-01-01"))
    fresh = store.library.add(LibraryItem(title="Fresh", kind="ebook"))
    store.interactions.add(
        Interaction(person_id=ann, date="2026-01-01", kind=Kind.VALUE_GIVEN, library_item_id=had)
    )
    window, _page_ = _page(qtbot, store)
    dialog = GiveValueDialog(window.ctx, ann)
    qtbot.addWidget(dialog)
    offered = [dialog.items.item(r).data(256) for r in range(dialog.items.count())]
    assert offered == [fresh]
    dialog.day.setDate(dialog.day.date().fromString("2026-02-03", "yyyy-MM-dd"))
    dialog.give()
    rows = store.db.query(
        "SELECT date, kind, library_item_id FROM interactions WHERE person_id = ? ORDER BY id",
        [ann],
    )
    assert rows[-1] == {"date": "2026-02-03", "kind": "value-given", "library_item_id": fresh}
    again = GiveValueDialog(window.ctx, ann)
    qtbot.addWidget(again)
    assert again.items.count() == 0 and not again.empty.isHidden()
    again.give()
    assert not again.error.isHidden()


def test_library_model_passes_qtmodeltester(qtmodeltester, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    """The library model obeys Qt's model contract on demo data."""
    model = LibraryModel(demo_store)
    model.refresh()
    qtmodeltester.check(model, force_py=True)
    model.set_stats(engine.library_stats(demo_store))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == len(demo_store.library.all(include_retired=True)) > 0


def test_a_gift_logged_elsewhere_shows_when_the_page_comes_back(qtbot: QtBot, store: Store) -> None:
    """While hidden, the page only notes it is stale; shown again, its counts are current."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    item = store.library.add(LibraryItem(title="Guide", kind="article"))
    window, page = _page(qtbot, store)
    window.show()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    row = page.model.row_of(item)
    assert page.model.index(row, 3).data() == 0
    window.show_page("people")
    assert not page.isVisible()
    store.interactions.add(
        Interaction(person_id=ann, date="2026-01-01", kind=Kind.VALUE_GIVEN, library_item_id=item)
    )
    assert page.model.index(row, 3).data() == 0  # not re-read while hidden
    window.show_page("library")
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    assert page.model.index(page.model.row_of(item), 3).data() == 1


def test_recipients_list_is_capped_but_the_summary_counts_everyone(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A popular item lists its most recent recipients only; the summary counts them all."""
    import ui.pages.library as library_module

    monkeypatch.setattr(library_module, "RECIPIENTS_SHOWN", 2)
    item = store.library.add(LibraryItem(title="Guide", kind="article"))
    for n in range(3):
        pid = store.people.add(Person(display_name=f"Reader {n}"))
        store.interactions.add(
            Interaction(
                person_id=pid, date=f"2026-01-0{n + 1}", kind=Kind.VALUE_GIVEN, library_item_id=item
            )
        )
    _w, page = _page(qtbot, store)
    page.select(item)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    assert page.recipients.rowCount() == 2
    assert page.recipients.item(0, 0).text() == "Reader 2"
    assert "Given 3 times to 3 people. The 2 most recent are listed." in (
        page.recipients_summary.text()
    )
