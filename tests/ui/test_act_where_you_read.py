"""Act where you read: a person's next step has Mark done and Snooze… in the detail pane;
Snooze asks for how long, by keys, and Ctrl+Z undoes either."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from netapp import engine
from netapp.store import Store
from ui.dialogs.snooze_dialog import SnoozeDialog
from ui.main_window import MainWindow
from ui.pages.people import PeoplePage


@pytest.fixture
def window(qtbot: QtBot, demo_store: Store) -> Iterator[MainWindow]:
    w = MainWindow(demo_store, None)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.waitUntil(lambda: not w.is_busy(), timeout=60_000)
    yield w
    w.close()


def _person_with(page: PeoplePage, store: Store, kinds: set[str]) -> int:
    """A person on the list whose next step is of one of ``kinds``, selected."""
    today = page.detail.today
    for row in range(page.model.rowCount()):
        pid = page.model.id_at(row)
        assert pid is not None
        if engine.status(store, pid, today).next_step.kind in kinds:
            assert page.select_person(pid)
            return pid
    raise AssertionError(f"no one with a {kinds} step")


def _snoozes(store: Store, pid: int) -> list[dict[str, object]]:
    return store.db.query("SELECT * FROM snoozes WHERE person_id = ?", [pid])


def test_snooze_from_the_detail_asks_how_long_and_undoes(
    qtbot: QtBot, window: MainWindow, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alt+Z, then Alt+M and Enter in the dialog, hides the step for a month; Ctrl+Z undoes it."""
    page = window.show_page("people")
    assert isinstance(page, PeoplePage)
    pid = _person_with(page, demo_store, {"follow-up", "keep-in-touch", "give-value", "ask"})
    before = _snoozes(demo_store, pid)
    seen: list[str] = []

    def answer(dlg: SnoozeDialog) -> int:
        """The dialog, shown and answered by keys (no nested event loop to hang a test)."""
        dlg.show()
        qtbot.waitExposed(dlg)
        dlg.activateWindow()  # Alt letters act in the active window only
        qtbot.waitUntil(dlg.isActiveWindow)
        seen.append(dlg.windowTitle())
        qtbot.keyClick(dlg, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: dlg.group.checkedId() == 2)  # an Alt key clicks a moment on
        qtbot.keyClick(dlg, Qt.Key.Key_Return)
        return int(dlg.result())

    monkeypatch.setattr(SnoozeDialog, "exec", answer)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(seen))
    qtbot.waitUntil(lambda: len(_snoozes(demo_store, pid)) > len(before))
    until = max(str(r["until"]) for r in _snoozes(demo_store, pid))
    assert until == (page.detail.today + timedelta(days=30)).isoformat()
    window.activateWindow()  # back from the dialog
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _snoozes(demo_store, pid) == before


def test_snooze_until_a_typed_date(qtbot: QtBot, window: MainWindow) -> None:
    """Typing a date in the Snooze dialog chooses Until; a past day is refused at the field."""
    today = date(2026, 3, 2)
    dlg = SnoozeDialog("Ann", today, window)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.date.setFocus()
    qtbot.keyClick(dlg.date, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dlg.date, "2026-02-01")
    assert dlg.until_button.isChecked()
    qtbot.keyClick(dlg.date, Qt.Key.Key_Return)
    assert dlg.isVisible() and "after today" in dlg.error.text()
    qtbot.keyClick(dlg.date, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dlg.date, "2026-04-10")
    qtbot.keyClick(dlg.date, Qt.Key.Key_Return)
    assert dlg.until() == date(2026, 4, 10) and not dlg.isVisible()


def test_mark_done_from_the_detail_logs_and_undoes(
    qtbot: QtBot, window: MainWindow, demo_store: Store
) -> None:
    """Alt+D on a person's follow-up or keep-in-touch step logs it; Ctrl+Z takes it back."""
    page = window.show_page("people")
    assert isinstance(page, PeoplePage)
    pid = _person_with(page, demo_store, {"follow-up", "keep-in-touch"})
    count = len(demo_store.interactions.for_person(pid))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(demo_store.interactions.for_person(pid)) == count + 1)
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(demo_store.interactions.for_person(pid)) == count
