"""Unexpected exceptions: log them, show a dialog naming the log file, keep running.

``install_excepthook`` replaces ``sys.excepthook``. Qt calls it for exceptions raised in
slots and event handlers; the event loop goes on, and every write was one transaction, so
the data is as it was before the failed action.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from netapp.errors import NetappError

log = logging.getLogger("netapp.ui")
ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class ErrorReporter:
    """The excepthook. Keeps the dialogs it shows in ``shown`` (one at a time)."""

    def __init__(self, log_path: Path, parent: Callable[[], QWidget | None] = lambda: None):
        self.log_path = Path(log_path)
        self.parent = parent
        self.shown: list[QMessageBox] = []
        self._previous: ExceptHook | None = None

    def __call__(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        if isinstance(exc, NetappError):
            log.warning("%s", exc)
            self._show("netapp", str(exc), details=None)
            return
        log.error("Unexpected error", exc_info=(kind, exc, tb))
        self._show(
            "Something went wrong",
            "netapp hit an unexpected error. Your data is safe: the last action was not "
            "half-saved. You can keep working.\n\n"
            f"Details are in the log file:\n{self.log_path}",
            details=f"{kind.__name__}: {exc}",
        )

    def _show(self, title: str, text: str, details: str | None) -> None:
        if QApplication.instance() is None:
            print(f"netapp: {text}", file=sys.stderr)
            return
        if any(box.isVisible() for box in self.shown):
            return  # one dialog at a time; the log has every error
        self.shown = [b for b in self.shown if b.isVisible()]
        box = QMessageBox(self.parent())
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setText(text)
        if details:
            box.setDetailedText(details)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        # show(), not open(): QMessageBox.open() trips a PySide6 6.12 refcount bug at exit.
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.show()
        self.shown.append(box)

    def install(self) -> ErrorReporter:
        self._previous = sys.excepthook
        sys.excepthook = self
        return self

    def uninstall(self) -> None:
        if sys.excepthook is self and self._previous is not None:
            sys.excepthook = self._previous


def install_excepthook(
    log_path: Path, parent: Callable[[], QWidget | None] = lambda: None
) -> ErrorReporter:
    return ErrorReporter(log_path, parent).install()
