"""Safe defaults: a stray Enter never records a success or a duplicate, and a bad email is
reported at the row as it is typed, before any question."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from netapp.domain import Kind, Person
from netapp.store import Store
from tests.ui.keys import focus, type_text
from ui.main_window import MainWindow
from ui.models.capture import COL_CONTACT, COL_MATCH
from ui.pages.capture import CapturePage
from ui.pages.people import LogDialog


def _capture(qtbot: QtBot, window: MainWindow) -> CapturePage:
    window.open_page("capture")
    page = window.page("capture")
    assert isinstance(page, CapturePage)
    qtbot.waitUntil(lambda: page.group_box.lineEdit().hasFocus())
    type_text(qtbot, "BNI North")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    page.date_edit.selectAll()
    type_text(qtbot, (date.today() - timedelta(days=1)).isoformat())
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert page.grid.hasFocus()
    qtbot.keyClick(focus(), Qt.Key.Key_F2)
    return page


def test_invalid_email_is_shown_at_the_row_and_stops_save_before_any_question(
    qtbot: QtBot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """olga@ shows a problem in the Match column as typed; Ctrl+S asks nothing, names the row
    and puts the cursor on the email."""
    store.people.add(Person(display_name="Olga Petrova"))
    page = _capture(qtbot, window)
    type_text(qtbot, "Olga Petrova")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    type_text(qtbot, "olga@")
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    match = page.model.index(0, COL_MATCH).data()
    assert match.startswith("⚠ Email") and "olga@" in match
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[1]))
    qtbot.keyClick(focus(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert asked == []
    assert store.people.count("") == 1
    assert page.status.text().startswith("Not saved: row 1: Email")
    assert (page.grid.currentIndex().row(), page.grid.currentIndex().column()) == (0, COL_CONTACT)


def test_enter_at_the_duplicates_question_saves_nothing(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    """The possible-duplicates question defaults to No: Enter keeps the capture unsaved."""
    store.people.add(Person(display_name="Olga Petrova", org="Acme"))
    page = _capture(qtbot, window)
    type_text(qtbot, "Olga Petrova")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    type_text(qtbot, "Acme")
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    assert page.model.duplicates(0)
    seen: list[str] = []

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.defaultButton().text())
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, press_enter)
    assert page.save() is None
    assert seen and "No" in seen[0]
    assert store.people.count("") == 1


def test_an_ask_logged_starts_at_pending(qtbot: QtBot, window: MainWindow) -> None:
    """Log an ask starts on Pending, not Accepted, so Enter records no success."""
    dlg = LogDialog(window, Kind.ASK, [("one-to-one", "Ask for a one-to-one")])
    qtbot.addWidget(dlg)
    assert dlg.outcome.currentData() == "pending"


def test_enter_when_marking_an_ask_done_on_today_records_pending(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Done on an ask offers Pending first; taking what is offered records no success."""
    from tests.conftest import DEMO_TODAY
    from ui.pages.today import TodayPage

    w = MainWindow(demo_store, None)
    qtbot.addWidget(w)
    page = TodayPage(w.ctx, today=date.fromisoformat(DEMO_TODAY))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    steps = [page.model.step(r) for r in range(page.model.rowCount())]
    row = next(n for n, s in enumerate(steps) if s is not None and s.kind == "ask")
    page.table.selectRow(row)

    def take_offered(*a: object) -> tuple[str, bool]:
        items, current = a[3], a[4]
        assert isinstance(items, list) and isinstance(current, int)
        return items[current], True  # Enter on what is offered

    monkeypatch.setattr(QInputDialog, "getItem", take_offered)
    iid = page.mark_done()
    got = demo_store.db.query("SELECT outcome FROM interactions WHERE id = ?", [iid])
    assert got[0]["outcome"] == "pending"
    w.close()
