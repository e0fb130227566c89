"""The self-test's window check: the desktop app's part of ``netapp --self-test``."""

from __future__ import annotations

import os
import sys

from netapp.selftest import Run, require_store


def check_window(run: Run) -> str:
    """Open the main window on the self-test's database and close it again (offscreen when
    there is no display)."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    def quiet(kind: QtMsgType, _context: object, message: str) -> None:
        # The offscreen platform says it "does not support propagateSizeHints()": not news.
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    app = QApplication.instance() or QApplication(["netapp"])
    previous = qInstallMessageHandler(quiet)
    window = MainWindow(require_store(run), None)
    try:
        window.show()
        for _ in range(3):
            app.processEvents()
        shown = window.isVisible()
        title = window.windowTitle()
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
        qInstallMessageHandler(previous)
    if not shown:
        raise AssertionError("the main window did not show")
    return f"opened and closed the main window ({title!r}, platform {QApplication.platformName()})"
