"""What the window shows while a heavy undo or redo runs on the worker (see
``ui.commands.UndoRunner``): a window-modal progress dialog, so the window takes no input
(no second Ctrl+Z, no other write) while its event loop keeps turning; Cancel or Esc stops it
(the transaction rolls back), and the outcome's one line goes to the status bar."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMainWindow, QProgressDialog

from ui.commands import UndoRunner


class UndoProgress(QObject):
    """Follows ``runner`` for ``window``: ``dialog`` is the progress shown while one runs."""

    def __init__(self, runner: UndoRunner, window: QMainWindow) -> None:
        super().__init__(window)
        self.runner, self.window = runner, window
        self.dialog: QProgressDialog | None = None
        runner.started.connect(self._started)
        runner.progress.connect(self._progress)
        runner.stopped.connect(self._stopped)

    def _started(self, text: str) -> None:
        dialog = QProgressDialog(f"{text}…", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Undo" if text.startswith("Undo") else "Redo")
        dialog.setAccessibleName(text)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self._cancel)  # Cancel, or Esc as a shortcut
        dialog.rejected.connect(self._cancel)  # Esc as a key the dialog itself takes
        self.dialog = dialog
        dialog.show()
        self.window.statusBar().showMessage(f"{text}… (Esc cancels)")

    def _progress(self, done: int, total: int) -> None:
        if self.dialog is not None:
            self.dialog.setRange(0, total)
            self.dialog.setValue(done)

    def _cancel(self) -> None:
        dialog = self.dialog
        if dialog is not None:  # it stays up (and the window blocked) until the worker stops
            dialog.setLabelText("Cancelling…")
            dialog.show()
        self.runner.cancel()

    def _stopped(self, line: str) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self._cancel)
            dialog.rejected.disconnect(self._cancel)
            dialog.close()
            dialog.deleteLater()
        self.window.activateWindow()  # keys go to the window again (Ctrl+Y, say)
        if line:
            self.window.statusBar().showMessage(line, 30_000)
        else:
            self.window.statusBar().clearMessage()
