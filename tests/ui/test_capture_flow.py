"""Capture after Ctrl+S: the cursor waits in the first empty row, and the status line follows
Undo and Redo of the capture."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from netapp.store import Store
from tests.ui.keys import focus, type_text
from ui.main_window import MainWindow
from ui.pages.capture import CapturePage


def _type_rows(qtbot: QtBot, page: CapturePage, names: list[str]) -> None:
    """Type a new meeting's group and date, then one name per row, by keys only."""
    qtbot.waitUntil(lambda: page.group_box.lineEdit().hasFocus())
    qtbot.keyClicks(focus(), "BNI North")
    for _ in range(2):
        qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    page.date_edit.selectAll()
    qtbot.keyClicks(focus(), (date.today() - timedelta(days=1)).isoformat())
    for _ in range(2):
        qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert page.grid.hasFocus()
    qtbot.keyClick(focus(), Qt.Key.Key_F2)
    for name in names:
        qtbot.keyClicks(focus(), name)
        qtbot.keyClick(focus(), Qt.Key.Key_Return)


def test_after_save_the_next_name_typed_lands_in_the_first_empty_row(
    qtbot: QtBot, store: Store, window: MainWindow
) -> None:
    """After Ctrl+S the grid has the focus on row 1's name, so the next name typed is kept."""
    window.open_page("capture")
    page = window.page("capture")
    assert isinstance(page, CapturePage)
    _type_rows(qtbot, page, ["Ann Lee", "Bo Chen"])
    with qtbot.waitSignal(page.saved, timeout=30_000):
        qtbot.keyClick(focus(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert store.people.count("") == 2
    assert page.grid.hasFocus()
    assert (page.grid.currentIndex().row(), page.grid.currentIndex().column()) == (0, 0)
    type_text(qtbot, "Cara Diaz")
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    assert [r.name for r in page.model.rows()] == ["Cara Diaz"]


def test_status_line_follows_undo_and_redo(qtbot: QtBot, store: Store, window: MainWindow) -> None:
    """Ctrl+Z after a save says the capture was undone; Ctrl+Shift+Z says it is saved again."""
    window.open_page("capture")
    page = window.page("capture")
    assert isinstance(page, CapturePage)
    _type_rows(qtbot, page, ["Ann Lee", "Bo Chen"])
    with qtbot.waitSignal(page.saved, timeout=30_000):
        qtbot.keyClick(focus(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.status.text().startswith("Saved 2 people")
    qtbot.keyClick(focus(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.people.count("") == 0
    assert page.status.text().startswith("Capture undone: 2 people")
    assert "Ctrl+Z undoes" not in page.status.text()
    qtbot.keyClick(
        focus(),
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert page.status.text().startswith("Saved 2 people"), page.status.text()
    assert store.people.count("") == 2
