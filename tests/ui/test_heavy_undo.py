"""Undo and redo of a large change run off the GUI thread (issue 16, item 12): Ctrl+Z on a
capture of hundreds of cards undoes it on a worker's own connection, in one transaction,
behind a window-modal progress dialog, while the event loop keeps turning; the Edit actions
are off meanwhile and a second Ctrl+Z does nothing. A failure or Cancel leaves the database
and the undo stack as they were and says so in one line. Small changes stay synchronous."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog
from pytestqt.qtbot import QtBot

from netapp.capture import (
    HEAVY_ROWS,
    CaptureMeeting,
    CaptureRow,
    capture_saved,
    save_capture,
)
from netapp.domain import Interaction, Kind
from netapp.store import Store
from tests.ui.test_long_work import WAIT, Gate, Ticks
from ui.commands import perform
from ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def _captured(store: Store, window: MainWindow, people: int) -> None:
    """A capture of ``people`` saved and on the window's undo stack, as Capture leaves it."""
    meeting = CaptureMeeting(name="Expo", date="2026-01-10", group="Expo")
    rows = [CaptureRow(name=f"Person {n:04d}") for n in range(people)]
    cid = save_capture(store, meeting, rows)
    perform(window.undo_stack, lambda: capture_saved(store, meeting, rows, cid))


def _count(store: Store, table: str) -> int:
    return int(store.db.scalar(f"SELECT count(*) FROM {table}"))


def _dialog(window: MainWindow) -> QProgressDialog | None:
    shown = [d for d in window.findChildren(QProgressDialog) if d.isVisible()]
    return shown[0] if shown else None


def test_a_large_undo_and_redo_run_on_the_worker_while_the_window_ticks(
    qtbot: QtBot, store: Store, window: MainWindow
) -> None:
    """Ctrl+Z on a large capture returns at once: a timer ticks, a progress dialog shows,
    Undo/Redo are off and a second Ctrl+Z changes nothing; then the capture is gone from the
    database. Ctrl+Y brings it back the same way, and Ctrl+Z takes it out again."""
    _captured(store, window, HEAVY_ROWS + 20)
    runner = window.undo_runner
    gate = Gate(runner.worker)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert runner.busy()
    ticks = Ticks()
    qtbot.waitUntil(lambda: ticks.count >= 3, timeout=WAIT)
    dialog = _dialog(window)
    assert (
        dialog is not None and dialog.isModal() and "Undoing capture of 120" in (dialog.labelText())
    )
    assert not runner.undo_action.isEnabled() and not runner.redo_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)  # a second Ctrl+Z while busy: nothing
    qtbot.keyClick(window, Qt.Key.Key_Y, CTRL)
    assert window.undo_stack.index() == 1 and _count(store, "people") == HEAVY_ROWS + 20
    with qtbot.waitSignal(runner.stopped, timeout=WAIT) as stopped:
        gate.open()
    assert stopped.args == [""]
    assert _count(store, "people") == 0 and _count(store, "captures") == 0
    assert window.undo_stack.index() == 0 and window.undo_stack.count() == 1
    assert _dialog(window) is None and runner.redo_action.isEnabled()
    with qtbot.waitSignal(runner.stopped, timeout=WAIT):
        qtbot.keyClick(window, Qt.Key.Key_Y, CTRL)
        assert runner.busy() and _dialog(window) is not None
    assert _count(store, "people") == HEAVY_ROWS + 20 and _count(store, "captures") == 1
    assert _count(store, "attendance") == HEAVY_ROWS + 20
    assert window.undo_stack.index() == 1
    with qtbot.waitSignal(runner.stopped, timeout=WAIT):
        qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert _count(store, "people") == 0 and _count(store, "meetings") == 0


def test_a_small_undo_stays_on_the_gui_thread(
    qtbot: QtBot, store: Store, window: MainWindow
) -> None:
    """A capture of a few people is undone and redone at once, with no dialog: no flicker."""
    _captured(store, window, 3)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert not window.undo_runner.busy() and _count(store, "people") == 0
    assert _dialog(window) is None
    qtbot.keyClick(window, Qt.Key.Key_Y, CTRL)
    assert _count(store, "people") == 3 and window.undo_stack.index() == 1


def test_a_failing_large_undo_leaves_the_stack_and_the_data_where_they_were(
    qtbot: QtBot, store: Store, window: MainWindow
) -> None:
    """A person from the capture gained history since, so its undo is refused on the worker:
    the user reads one line naming why, every person is still there and the capture stays
    one Ctrl+Z away (the command is kept, not dropped)."""
    _captured(store, window, HEAVY_ROWS)
    pid = int(store.db.scalar("SELECT min(id) FROM people"))
    store.interactions.add(Interaction(person_id=pid, date="2026-01-11", kind=Kind.ONE_TO_ONE))
    with qtbot.waitSignal(window.undo_runner.stopped, timeout=WAIT) as stopped:
        qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    (line,) = stopped.args
    assert line.startswith("Could not undo capture of 100 people") and "history" in line
    assert "\n" not in line and "Traceback" not in line
    assert window.statusBar().currentMessage() == line
    assert _count(store, "people") == HEAVY_ROWS and _count(store, "captures") == 1
    assert window.undo_stack.index() == 1 and window.undo_stack.count() == 1
    assert window.undo_runner.undo_action.isEnabled() and _dialog(window) is None


def test_esc_cancels_a_large_undo_and_the_window_will_not_close_meanwhile(
    qtbot: QtBot, store: Store, window: MainWindow
) -> None:
    """While a large undo runs the window refuses to close, saying why; Esc in the progress
    dialog cancels it: nothing changed, the stack is where it was, one line says so."""
    _captured(store, window, HEAVY_ROWS)
    runner = window.undo_runner
    gate = Gate(runner.worker)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert not window.close() and window.isVisible()
    assert "still running" in window.statusBar().currentMessage()
    dialog = _dialog(window)
    assert dialog is not None
    with qtbot.waitSignal(runner.stopped, timeout=WAIT) as stopped:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible() and dialog.labelText() == "Cancelling…"
        gate.open()
    assert stopped.args == ["Undo cancelled: capture of 100 people is as it was."]
    assert _count(store, "people") == HEAVY_ROWS and window.undo_stack.index() == 1
    assert not runner.busy() and window.close()


def test_a_large_undo_committing_as_cancel_comes_is_kept(
    qtbot: QtBot, store: Store, window: MainWindow
) -> None:
    """Cancel that reaches a worker after its undo committed changes nothing: the undo is
    kept and the stack moves, so the stack and the database agree."""
    _captured(store, window, HEAVY_ROWS)
    runner = window.undo_runner
    with qtbot.waitSignal(runner.stopped, timeout=WAIT) as stopped:
        qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
        qtbot.waitUntil(lambda: not runner.worker.busy(), timeout=WAIT)
        runner.cancel()  # too late: the worker is done, its result is on its way
    assert stopped.args == [""]
    assert _count(store, "people") == 0 and window.undo_stack.index() == 0
