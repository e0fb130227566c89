"""Start-up of the desktop app: QApplication, open the store, offer demo data, show the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from netapp.errors import NetappError
from netapp.store import Store


def make_app(argv: Sequence[str]) -> QApplication:
    app = QApplication.instance() or QApplication(list(argv))
    assert isinstance(app, QApplication)
    app.setApplicationName("netapp")
    app.setOrganizationName("netapp")
    app.setApplicationDisplayName("netapp")
    return app


def ui_state() -> QSettings:
    """Window geometry and other UI state: kept apart from preferences (which live in SQLite)."""
    return QSettings("netapp", "netapp-ui")


def offer_demo(parent: object, store: Store) -> None:
    if store.scalar("SELECT count(*) FROM people"):
        return
    answer = QMessageBox.question(
        parent,  # type: ignore[arg-type]
        "Welcome to netapp",
        "Your database is empty.\n\nLoad demo data to look around? "
        "(Groups, meetings and people you can delete later.)",
    )
    if answer == QMessageBox.StandardButton.Yes:
        from netapp.demo import generate

        generate(store)


def run_app(db_path: Path, argv: Sequence[str]) -> int:
    app = make_app(argv)
    try:
        store = Store(db_path)
    except NetappError as exc:
        QMessageBox.critical(None, "netapp cannot open the database", str(exc))
        return 1
    from ui.main_window import MainWindow

    window = MainWindow(store, ui_state())
    window.show()
    offer_demo(window, store)
    code = app.exec()
    store.close()
    return int(code)


if __name__ == "__main__":
    from netapp.paths import default_db_path

    sys.exit(run_app(default_db_path(), sys.argv))
