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
store) goes through :func:`perform` onto the undo stack like any other. Undoing and redoing
such a heavy Change (one with ``elsewhere``) runs on a worker too: :class:`UndoRunner` owns
the window's Undo and Redo actions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack

from netapp.change import Change, Elsewhere
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
        if self._done:  # flipped already, on a worker (see UndoRunner): just move the index
            self._done = False
            return
        try:
            self.change = self.change.undo()
        except NetappError as exc:
            self.on_error(f"Could not {verb} {self.text()}: {exc}")
            self.setObsolete(True)

    def flipped(self, change: Change) -> None:
        """Its undo (or redo) was done elsewhere and gave ``change``: the stack's next
        undo() or redo() call only moves the index."""
        self.change, self._done = change, True

    def redo(self) -> None:
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
    once it committed, ``land(result)`` runs on the GUI thread (it puts the write's Change on
    the undo stack) and ``finished(what land returned)`` follows; or ``failed(line)`` with one
    line for the user ("cancelled" after :meth:`cancel`; nothing was written)."""

    finished = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)

    def __init__(self, store: Store, worker: EngineWorker, land: Callable[[Any], Any]) -> None:
        super().__init__(worker)
        self.store, self.worker, self.land = store, worker, land
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
        result = self.land(written.result)
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

    def land(result: Any) -> Any:
        return perform(stack, lambda: bind(result), on_error)

    job = BackgroundWrite(store, worker, land)
    job.start(write)
    return job


class UndoRunner(QObject):
    """Undo and Redo for a window (its Edit ▸ Undo and Redo, Ctrl+Z and Ctrl+Y).

    A Change flips at once on the GUI thread, as QUndoStack does it, unless it is heavy (its
    Change has ``elsewhere``, a capture of hundreds of cards, say): then its undo or redo runs
    on ``worker``'s own connection, one transaction, and ``started(text)``, ``progress(done,
    total)`` and ``stopped(line)`` let the window show it and block input meanwhile. While it
    runs, undo() and redo() do nothing and both actions are off. Once it has committed, the
    command takes the Change it gave back and the stack's index moves (``indexChanged`` as for
    any undo); when it fails or is cancelled, nothing was written, the stack stays where it
    was, and ``stopped`` carries the one line (also sent to the command's error sink).
    """

    started = Signal(str)
    progress = Signal(int, int)
    stopped = Signal(str)  # "" when it landed; else the one line for the user

    def __init__(self, stack: QUndoStack, store: Store, worker: EngineWorker) -> None:
        super().__init__(stack)
        self.stack, self.store, self.worker = stack, store, worker
        self.job: BackgroundWrite | None = None
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction("&Redo", self)
        self.redo_action.setShortcuts(QKeySequence.StandardKey.Redo)  # Ctrl+Shift+Z, Ctrl+Y
        self.redo_action.triggered.connect(self.redo)
        # What the stack says, kept from its signals (it emits them while it is deleted too).
        self._can = {"undo": stack.canUndo(), "redo": stack.canRedo()}
        self._text = {"undo": stack.undoText(), "redo": stack.redoText()}
        stack.canUndoChanged.connect(lambda can: self._heard("undo", can, None))
        stack.canRedoChanged.connect(lambda can: self._heard("redo", can, None))
        stack.undoTextChanged.connect(lambda text: self._heard("undo", None, text))
        stack.redoTextChanged.connect(lambda text: self._heard("redo", None, text))
        self._update()

    def busy(self) -> bool:
        """True while a heavy undo or redo runs on the worker."""
        return self.job is not None

    def undo(self) -> None:
        self._step("undo")

    def redo(self) -> None:
        self._step("redo")

    def cancel(self) -> None:
        """Stop the running undo or redo: it rolls back, unless it already committed."""
        if self.job is not None:
            self.job.cancel()

    def _step(self, verb: str) -> None:
        undo = verb == "undo"
        if self.job is not None or not (self.stack.canUndo() if undo else self.stack.canRedo()):
            return  # one at a time: a second Ctrl+Z while one runs does nothing
        command = self.stack.command(self.stack.index() - 1 if undo else self.stack.index())
        if isinstance(command, ChangeCommand) and command.change.elsewhere is not None:
            self._start(command, command.change.elsewhere, undo)
        else:
            self.stack.undo() if undo else self.stack.redo()

    def _start(self, command: ChangeCommand, elsewhere: Elsewhere, undo: bool) -> None:
        def land(result: Any) -> Any:
            command.flipped(elsewhere.bind(result))
            self.stack.undo() if undo else self.stack.redo()  # only moves the index now
            return result

        job = BackgroundWrite(self.store, self.worker, land)
        job.progress.connect(self.progress)
        job.finished.connect(lambda _result: self._stop(""))
        job.failed.connect(lambda line: self._failed(command, undo, line))
        self.job = job
        self._update()
        job.start(elsewhere.run)
        self.started.emit(f"{'Undoing' if undo else 'Redoing'} {command.text()}")

    def _failed(self, command: ChangeCommand, undo: bool, line: str) -> None:
        verb = "Undo" if undo else "Redo"
        if line == "cancelled":
            text = f"{verb} cancelled: {command.text()} is as it was."
        else:
            text = f"Could not {verb.lower()} {command.text()}: {line}"
        command.on_error(text)
        self._stop(text)

    def _stop(self, line: str) -> None:
        self.job = None
        self._update()
        self.stopped.emit(line)

    def _heard(self, verb: str, can: bool | None, text: str | None) -> None:
        if can is not None:
            self._can[verb] = can
        if text is not None:
            self._text[verb] = text
        self._update()

    def _update(self) -> None:
        free = self.job is None
        for verb, action, name in (
            ("undo", self.undo_action, "&Undo"),
            ("redo", self.redo_action, "&Redo"),
        ):
            action.setEnabled(free and self._can[verb])
            text = self._text[verb]
            action.setText(f"{name} {text}" if text else name)
