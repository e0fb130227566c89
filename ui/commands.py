"""The one write path of the app: every write is ``perform(stack, lambda: core_write(...))``.

A core write does the write and returns a :class:`netapp.change.Change` (its label, its result
and ``undo``, which performs the inverse write and returns *its* inverse). :func:`perform` runs
the write now, so its errors reach the caller as usual (show them at the field), and pushes one
:class:`ChangeCommand` onto the undo stack; undo and redo are both ``change = change.undo()``.

PySide prints (and swallows) exceptions raised inside ``redo``/``undo`` called from C++, so
later undo/redo failures go to ``on_error`` (a status line, say) and drop the command from the
stack instead. No other file subclasses ``QUndoCommand`` (a test holds that).

A write that may take longer than a blink (a capture of 2,000 cards) runs through
:func:`perform_in_background` instead: the same one transaction, on the worker thread's own
connection, with progress and Cancel; when it has committed, its Change (bound to the GUI's
store) goes through :func:`perform` onto the undo stack like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from netapp.change import Change
from netapp.domain import Topic
from netapp.errors import NetappError
from netapp.store import Store
from ui.workers import EngineWorker, WriteFn, Written, is_open

ErrorSink = Callable[[str], None]


def _ignore(_msg: str) -> None:
    return None


class ChangeCommand(QUndoCommand):
    """A write that has happened, on the undo stack. Undo and redo each perform the inverse
    of the last write and keep *its* inverse for next time."""

    def __init__(self, change: Change, on_error: ErrorSink | None = None) -> None:
        super().__init__(change.label)
        self.change = change
        self.on_error = on_error or _ignore
        self._done = True  # QUndoStack.push() calls redo(): the write already happened

    def _flip(self, verb: str) -> None:
        try:
            self.change = self.change.undo()
        except NetappError as exc:
            self.on_error(f"Could not {verb} {self.text()}: {exc}")
            self.setObsolete(True)

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._flip("redo")

    def undo(self) -> None:
        self._flip("undo")


def perform(
    stack: QUndoStack, write: Callable[[], Change], on_error: ErrorSink | None = None
) -> Any:
    """Do ``write`` now (its errors reach the caller, nothing is pushed), then push it for
    undo. Returns the write's result (a new id, say)."""
    change = write()
    stack.push(ChangeCommand(change, on_error))
    return change.result


class BackgroundWrite(QObject):
    """One write running on an :class:`EngineWorker`. ``progress(done, total)`` while it runs;
    then either ``finished(result)``, once its Change is on the undo stack, or ``failed(line)``
    with one line for the user ("cancelled" after :meth:`cancel`; nothing was written)."""

    finished = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)

    def __init__(
        self,
        stack: QUndoStack,
        store: Store,
        worker: EngineWorker,
        bind: Callable[[Any], Change],
        on_error: ErrorSink | None = None,
    ) -> None:
        super().__init__(worker)
        self.stack, self.store, self.worker = stack, store, worker
        self.bind, self.on_error = bind, on_error
        self.number: int | None = None
        worker.done.connect(self._done)
        worker.failed.connect(self._failed)
        worker.progress.connect(self._progress)

    def start(self, write: WriteFn) -> None:
        self.number = self.worker.submit_write(write)

    def running(self) -> bool:
        return self.number is not None

    def cancel(self) -> None:
        """Stop the write: it rolls back, unless it already committed (then it is kept)."""
        if self.number is not None:
            self.worker.cancel(self.number)

    def _progress(self, number: int, done: int, total: int) -> None:
        if number == self.number:
            self.progress.emit(done, total)

    def _done(self, number: int, written: object) -> None:
        if number != self.number or not isinstance(written, Written):
            return
        self._finish()
        if not is_open(self.store):
            return  # the window closed meanwhile; the write is in the file all the same
        result = perform(self.stack, lambda: self.bind(written.result), self.on_error)
        for topic, ids in written.changes:  # the GUI's listeners hear of it as of any write
            self.store.changed(Topic(topic), ids)
        self.finished.emit(result)

    def _failed(self, number: int, message: str) -> None:
        if number != self.number:
            return
        self._finish()
        self.failed.emit(message)

    def _finish(self) -> None:
        self.number = None
        for signal, slot in (
            (self.worker.done, self._done),
            (self.worker.failed, self._failed),
            (self.worker.progress, self._progress),
        ):
            signal.disconnect(slot)
        self.deleteLater()


def perform_in_background(
    stack: QUndoStack,
    store: Store,
    worker: EngineWorker,
    write: WriteFn,
    bind: Callable[[Any], Change],
    on_error: ErrorSink | None = None,
) -> BackgroundWrite:
    """Run ``write(worker_store, cancel, progress)`` (one transaction) on ``worker``; once it
    commits, ``bind(result)`` (the Change of that write, bound to ``store``) is pushed onto
    ``stack`` through :func:`perform`. Connect to the returned object's signals."""
    job = BackgroundWrite(stack, store, worker, bind, on_error)
    job.start(write)
    return job
