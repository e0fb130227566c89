"""The one write path of the app: every write is ``perform(stack, lambda: core_write(...))``.

A core write does the write and returns a :class:`netapp.change.Change` (its label, its result
and ``undo``, which performs the inverse write and returns *its* inverse). :func:`perform` runs
the write now, so its errors reach the caller as usual (show them at the field), and pushes one
:class:`ChangeCommand` onto the undo stack; undo and redo are both ``change = change.undo()``.

PySide prints (and swallows) exceptions raised inside ``redo``/``undo`` called from C++, so
later undo/redo failures go to ``on_error`` (a status line, say) and drop the command from the
stack instead. No other file subclasses ``QUndoCommand`` (a test holds that).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from netapp.change import Change
from netapp.errors import NetappError

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
