"""The main window shell on a demo database."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from netapp.store import Store
from ui.main_window import MainWindow
from ui.models.people import PeopleModel


def test_people_list_is_populated_from_the_demo_database(qtbot: QtBot, demo_store: Store) -> None:
    """Opening the window on a demo database shows people in the People page."""
    window = MainWindow(demo_store, None)
    qtbot.addWidget(window)
    page = window.show_page("people")
    model = page.model  # type: ignore[attr-defined]
    assert model.rowCount() > 0
    names = {model.index(r, 0).data() for r in range(model.rowCount())}
    assert names <= {
        r["display_name"] for r in demo_store.db.query("SELECT display_name FROM people")
    }


def test_people_model_passes_qtmodeltester(qtmodeltester, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    """The SQL-backed people model obeys Qt's model contract, including fetchMore."""
    model = PeopleModel(demo_store)
    model.BATCH = 7  # force several batches over 60 people
    model.refresh()
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 60


def test_people_model_sorts_in_sql_and_pages_without_gaps(demo_store: Store) -> None:
    """Batches joined together equal one ORDER BY over the whole table, in both directions."""
    from PySide6.QtCore import Qt

    model = PeopleModel(demo_store)
    model.BATCH = 9
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        model.sort(1, order)
        while model.canFetchMore():
            model.fetchMore()
        got = [model.id_at(r) for r in range(model.rowCount())]
        direction = "DESC" if order == Qt.SortOrder.DescendingOrder else "ASC"
        want = [
            r["id"]
            for r in demo_store.db.query(
                f"SELECT id FROM people ORDER BY org COLLATE NOCASE {direction}, id {direction}"
            )
        ]
        assert got == want


def test_ctrl_n_opens_capture_ready_to_type(qtbot: QtBot, demo_store: Store) -> None:
    """Ctrl+N shows Capture with the keyboard focus inside it, where typing starts."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window = MainWindow(demo_store, None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.search_box.setFocus()
    qtbot.keyClick(window.search_box, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page = window.page("capture")
    assert window.stack.currentWidget() is page
    focus = QApplication.focusWidget()
    assert focus is not None and page.isAncestorOf(focus)


def test_page_shortcuts_follow_the_sidebar_order(qtbot: QtBot, demo_store: Store) -> None:
    """Ctrl+1..7 go down the sidebar in order (Capture has Ctrl+N, Settings Ctrl+,)."""
    from ui.pages import PAGES

    numbered = [p.shortcut for p in PAGES if p.shortcut[-1].isdigit()]
    assert numbered == [f"Ctrl+{n}" for n in range(1, len(numbered) + 1)]
