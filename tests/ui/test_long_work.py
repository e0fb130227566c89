"""Long work runs off the GUI thread (issue 16, item 12): Capture's save and the Value
library's figures run on a worker thread with its own connection. While they run the event
loop keeps turning (a timer ticks), a save shows progress and can be cancelled, its write is
still one transaction on the undo stack, and a failure on the worker is one line."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from netapp.domain import Interaction, Kind, LibraryItem, Person
from netapp.store import Store
from ui.main_window import MainWindow
from ui.models.library_items import LibraryModel
from ui.pages.capture import CapturePage
from ui.pages.library import LibraryPage
from ui.workers import EngineWorker, one_line

WAIT = 30_000


class Gate:
    """Holds a worker's one thread with a job of its own until opened, so that what the page
    asks next is still running (queued) while the test looks at the window."""

    def __init__(self, worker: EngineWorker) -> None:
        self.event = threading.Event()
        worker.submit(lambda _store, _cancel: self.event.wait(WAIT / 1000))

    def open(self) -> None:
        self.event.set()


class Ticks:
    """A timer on the GUI thread: it only ticks while the event loop turns."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.count += 1


def _capture(window: MainWindow, names: list[str]) -> CapturePage:
    page = window.show_page("capture")
    assert isinstance(page, CapturePage)
    page.group_box.setEditText("BNI North")
    page.date_edit.setText((date.today() - timedelta(days=1)).isoformat())
    for n, name in enumerate(names):
        page.model.setData(page.model.index(n, 0), name)
    page.grid.setFocus()
    return page


def test_the_window_stays_responsive_while_a_capture_saves(
    qtbot: QtBot, store: Store, window: MainWindow
) -> None:
    """Ctrl+S returns at once: while the save runs a timer keeps ticking, the progress bar and
    Cancel show and the rows cannot be edited; then the capture is saved, one Ctrl+Z away."""
    names = [f"Person {n:03d}" for n in range(60)]
    page = _capture(window, names)
    gate = Gate(page.worker)
    qtbot.keyClick(page.grid, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.saving is not None  # started, and Ctrl+S has returned
    ticks = Ticks()
    qtbot.waitUntil(lambda: ticks.count >= 3, timeout=WAIT)
    assert page.saving is not None and store.people.count("") == 0
    assert page.progress.isVisible() and page.cancel_button.isVisible()
    assert not page.grid.isEnabled() and not page.save_button.isEnabled()
    with qtbot.waitSignal(page.saved, timeout=WAIT):
        gate.open()
    assert store.people.count("") == 60
    assert page.status.text().startswith("Saved 60 people")
    assert not page.progress.isVisible() and page.grid.isEnabled() and page.grid.hasFocus()
    assert window.undo_stack.count() == 1
    qtbot.keyClick(page.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.people.count("") == 0
    assert store.db.scalar("SELECT count(*) FROM captures") == 0


def test_esc_cancels_a_capture_being_saved_and_keeps_the_rows(
    qtbot: QtBot, store: Store, window: MainWindow
) -> None:
    """Esc while saving stops the save: nothing is written, no undo entry, the rows stay,
    and Ctrl+S then saves them."""
    page = _capture(window, ["Ann Lee", "Bo Chen"])
    gate = Gate(page.worker)
    qtbot.keyClick(page.grid, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.saving is not None
    with qtbot.waitSignal(page.save_failed, timeout=WAIT) as stopped:
        qtbot.keyClick(page.cancel_button, Qt.Key.Key_Escape)
        gate.open()
    assert stopped.args == ["cancelled"]
    assert "cancelled" in page.status.text() and "nothing was saved" in page.status.text()
    assert store.people.count("") == 0 and store.db.scalar("SELECT count(*) FROM meetings") == 0
    assert window.undo_stack.count() == 0
    assert [r.name for r in page.model.rows()] == ["Ann Lee", "Bo Chen"]
    assert page.grid.isEnabled() and not page.cancel_button.isVisible()
    with qtbot.waitSignal(page.saved, timeout=WAIT):
        qtbot.keyClick(page.grid, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert store.people.count("") == 2


def test_a_capture_that_fails_on_the_worker_says_why_in_one_line(
    qtbot: QtBot, store: Store, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row's person deleted after the save was asked for: the worker's write fails, and
    the user reads one line naming the row, not a traceback; nothing is written, rows stay."""
    pid = store.people.add(Person(display_name="Mia Wong"))
    page = _capture(window, ["Mia Wong", "Ann Lee"])
    page.model.link_person(0, pid)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(str(a[2])))
    gate = Gate(page.worker)
    qtbot.keyClick(page.grid, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    store.people.delete(pid)
    with qtbot.waitSignal(page.save_failed, timeout=WAIT) as failed:
        gate.open()
    (message,) = failed.args
    assert "row 1" in message and "no longer exists" in message
    assert "\n" not in message and "Traceback" not in message and "Error" not in message
    assert page.status.text() == f"Not saved: {message}"
    assert shown == [message]
    assert store.people.count("") == 0 and window.undo_stack.count() == 0
    assert len(page.model.rows()) == 2 and page.grid.isEnabled()


def test_a_bug_on_the_worker_is_one_line_naming_the_log() -> None:
    """An unexpected exception in a job reaches the user as one line that points at the log
    (the traceback goes to the log); a NetappError is its own message."""
    from netapp.errors import ValidationError

    line = one_line(KeyError("multi\nline"))
    assert "\n" not in line and "KeyError" in line and "log" in line
    assert one_line(ValidationError("email", "not an address")) == str(
        ValidationError("email", "not an address")
    )


def test_the_library_works_out_its_figures_on_the_worker(
    qtbot: QtBot, store: Store, window: MainWindow
) -> None:
    """A gift logged while the library shows: the items stay, the figures and who received the
    selected item are worked out on the worker (the old count shows until the new one comes,
    the event loop turns meanwhile), then they fill in. A model without figures says "…"."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    item = store.library.add(LibraryItem(title="Guide", kind="article"))
    gift = Interaction(
        person_id=ann, date="2026-01-01", kind=Kind.VALUE_GIVEN, library_item_id=item
    )
    store.interactions.add(gift)
    page = window.show_page("library")
    assert isinstance(page, LibraryPage)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    row = page.model.row_of(item)
    assert page.model.index(row, 3).data() == 1
    gate = Gate(page.worker)
    store.interactions.add(gift)  # the page hears of it and asks for new figures
    assert page.is_busy() and page.stats_line.isVisible()
    ticks = Ticks()
    qtbot.waitUntil(lambda: ticks.count >= 3, timeout=WAIT)
    assert page.is_busy() and page.model.index(row, 3).data() == 1
    assert page.editing_id == item and "Looking up" in page.recipients_summary.text()
    gate.open()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    assert page.model.index(row, 3).data() == 2 and not page.stats_line.isVisible()
    assert page.recipients.rowCount() == 1
    assert page.recipients_summary.text().startswith("Given 2 times to 1 person")
    fresh = LibraryModel(store)
    fresh.refresh()
    assert fresh.index(0, 0).data() == "Guide" and fresh.index(0, 3).data() == "…"
