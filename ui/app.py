"""Start-up of the desktop app: QApplication, open the store, offer demo data, show the window."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ui import qt_loading  # noqa: F401  (first: the modules below load without shiboken's scan)
from ui.heap import release, settle

if TYPE_CHECKING:  # the core is imported once the window's frame has painted (issue 20)
    from netapp.store import Store
    from ui.context import ReopenJob


def make_app(argv: Sequence[str]) -> QApplication:
    app = QApplication.instance() or QApplication(list(argv))
    assert isinstance(app, QApplication)
    app.setApplicationName("netapp")
    app.setOrganizationName("netapp")
    app.setApplicationDisplayName("netapp")
    from ui.theme import apply_scheme

    apply_scheme(app)
    return app


def ui_state() -> QSettings:
    """Window geometry and other UI state: kept apart from preferences (which live in SQLite)."""
    return QSettings("netapp", "netapp-ui")


def offer_demo(parent: QWidget | None, store: Store) -> None:
    if store.people.count():
        return
    answer = QMessageBox.question(
        parent,
        "Welcome to netapp",
        "Your database is empty.\n\nLoad demo data to look around? Groups, meetings and "
        "people; Settings → Your data → Remove demo data takes them out again.",
    )
    if answer == QMessageBox.StandardButton.Yes:
        from netapp.demo import generate

        generate(store)


def open_store_interactive(
    db_path: Path, parent: QWidget | None = None, passphrase: str | None = None
) -> Store | None:
    """Open the database; an encrypted one asks for its passphrase until it is right.

    ``passphrase``, else ``NETAPP_PASSPHRASE``, is tried first (the latter encrypts a new
    database). Returns None if the user cancels or the file cannot be opened (after saying why).
    """
    import os

    from PySide6.QtWidgets import QInputDialog, QLineEdit

    from netapp.errors import NetappError
    from netapp.safety.opener import open_store
    from netapp.store.sqlcipher import PassphraseError

    if passphrase is None:
        passphrase = os.environ.get("NETAPP_PASSPHRASE") or None
    prompt = f"{db_path.name} is encrypted. Enter its passphrase:"
    while True:
        try:
            return open_store(db_path, passphrase=passphrase)
        except PassphraseError as exc:
            if passphrase is not None and not exc.missing:
                QMessageBox.warning(
                    parent,
                    "Wrong passphrase",
                    "That passphrase does not open this database. Please try again.",
                )
            text, ok = QInputDialog.getText(
                parent,
                "netapp: passphrase",
                prompt,
                QLineEdit.EchoMode.Password,
            )
            if not ok:
                return None
            passphrase = text
        except NetappError as exc:
            QMessageBox.critical(
                parent,
                "netapp cannot open the database",
                str(exc),
            )
            return None


def reopen_after(store: Store, job: ReopenJob, parent: QWidget | None = None) -> Store | None:
    """Close ``store``, run ``job`` on the closed file and open it again.

    The job (encrypt, decrypt, change the passphrase) gets the old passphrase and returns the
    new one. If it fails, the user is told why and the database reopens as it was.
    """
    from netapp.errors import NetappError

    release()  # the closing window's objects, set aside at the start, can be freed again
    path, passphrase = Path(store.path), store.passphrase
    store.close()
    try:
        passphrase = job(passphrase)
    except NetappError as exc:
        QMessageBox.warning(
            parent,
            "netapp",
            f"Nothing was changed: {exc}",
        )
    return open_store_interactive(path, parent, passphrase)


def start_daily_backup(store: Store) -> threading.Thread:
    """Take the day's first backup on a thread of its own, with its own connection.

    A one-step backup of a large database takes seconds (about 2 s at 100,000 people);
    the window does not wait for it. WAL lets the app write meanwhile. Failures are logged.
    """
    import logging

    path, passphrase = Path(store.path), store.passphrase

    def work() -> None:
        import sqlite3

        from netapp.errors import NetappError
        from netapp.safety.file_backups import daily_backup
        from netapp.safety.opener import open_store

        try:
            own = open_store(path, migrate=False, passphrase=passphrase)
            try:
                daily_backup(own)
            finally:
                own.close(optimize=False)  # no ANALYZE under the window's connection
        except (NetappError, OSError, sqlite3.Error) as exc:
            logging.getLogger("netapp").warning("daily backup failed: %s", exc)

    thread = threading.Thread(target=work, name="netapp-daily-backup")
    thread.start()
    return thread


def window_icon() -> QIcon:
    """The app icon in the sizes a title bar, task bar and dock ask for (read from resources)."""
    from PySide6.QtGui import QPixmap

    from netapp.assets import read_bytes

    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap()
        if pixmap.loadFromData(read_bytes("icons", f"netapp-{size}.png")):
            icon.addPixmap(pixmap)
    return icon


class _FirstPaint(QObject):
    """Quits ``loop`` once ``window`` has been painted (its own Paint event comes first in a
    paint pass; the zero timer runs once the whole pass, children included, is done).

    Installed on the window alone: a filter on the application would make every event of
    every new object cross into Python, and PySide6 create the enum classes of each object's
    class as it does (issue 20).
    """

    def __init__(self, window: QWidget, loop: QEventLoop) -> None:
        super().__init__()
        self.window, self.loop = window, loop

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if obj is self.window and event.type() == QEvent.Type.Paint:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self.loop.quit)
        return False


def show_first(window: QWidget, limit_ms: int = 2000) -> None:
    """Show ``window`` and return once it has painted (or after ``limit_ms``, for a window
    that is never exposed, such as one started minimized)."""
    loop = QEventLoop()
    watcher = _FirstPaint(window, loop)
    window.installEventFilter(watcher)
    QTimer.singleShot(limit_ms, loop.quit)
    window.show()
    loop.exec()
    window.removeEventFilter(watcher)


def run_app(db_path: Path, argv: Sequence[str]) -> int:
    """The desktop app. The window's frame is painted first, with Qt alone loaded; the
    database is opened and netapp's core imported after that (issue 20: cold start)."""
    from ui.main_window import MainWindow
    from ui.single_instance import SingleInstance, raise_window

    app = make_app(argv)
    instance = SingleInstance(db_path)
    if instance.activate_existing():
        return 0  # the running window was raised
    window = MainWindow(None, ui_state(), confirm_close=True, can_reopen=True, title=db_path.name)
    show_first(window)
    instance.listen()
    app.setWindowIcon(window_icon())
    from netapp.safety.logging import setup_logging
    from ui.errors import install_excepthook

    holder: list[QWidget] = [window]
    reporter = install_excepthook(setup_logging(), parent=lambda: holder[0] if holder else None)
    instance.activation_requested.connect(lambda: raise_window(holder[-1]) if holder else None)
    store = open_store_interactive(db_path, window) if window.isVisible() else None
    if store is None or not window.isVisible():
        closed = not window.isVisible()  # by the user, while the database was being opened
        if store is not None:
            store.close()
        window.close()
        instance.close()
        reporter.uninstall()
        return 0 if closed else 1  # else the open failed or was cancelled, and said why
    backup_thread = start_daily_backup(store)
    code, framed = 0, True
    try:
        while store is not None:
            if framed:  # the first window: its frame painted before the open
                window.attach(store)
                settle()  # the start's objects out of later full collections (ui/heap.py)
                framed = False
            else:  # after a reopen (Settings: encrypt, decrypt, change the passphrase)
                window = MainWindow(store, ui_state(), confirm_close=True, can_reopen=True)
                window.show()
            holder[:] = [window]
            offer_demo(window, store)
            window.sync.app_started()  # only if the user set sync up and asked for it
            code = app.exec()
            job = window.reopen_job
            holder.clear()
            window.deleteLater()
            if job is None:
                break
            backup_thread.join()  # the conversion needs the file to itself
            store = reopen_after(store, job)
            if store is None:
                code = 1
    finally:
        instance.close()
        reporter.uninstall()
        if store is not None:
            store.close()
        backup_thread.join()
    return int(code)


if __name__ == "__main__":
    from netapp.paths import default_db_path

    sys.exit(run_app(default_db_path(), sys.argv))
