"""Single instance, the unexpected-error dialog, the log file and the passphrase prompt."""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from netapp.domain import Person
from netapp.safety.logging import log_path, setup_logging, teardown_logging
from netapp.store import Store
from ui.app import open_store_interactive
from ui.errors import ErrorReporter
from ui.single_instance import SingleInstance, socket_path


def test_second_instance_raises_the_first(qtbot: Any, tmp_path: Path) -> None:
    """A second start on the same database reaches the first, which is asked to raise its window."""
    first = SingleInstance(tmp_path / "a.db")
    assert first.listen()
    try:
        second = SingleInstance(tmp_path / "a.db")
        with qtbot.waitSignal(first.activation_requested, timeout=5000):
            assert second.activate_existing()
        assert not SingleInstance(tmp_path / "other.db").activate_existing()
    finally:
        first.close()
    assert not SingleInstance(tmp_path / "a.db").activate_existing()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the socket file is Linux's")
def test_second_start_looks_for_qts_own_socket_file(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start's cheap check looks where QLocalServer listens (Qt's fullServerName), so an
    instance that listens is found and, once it has closed, the check skips QtNetwork."""
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    first = SingleInstance(tmp_path / "a.db")
    assert socket_path(first.name) is not None and not socket_path(first.name).exists()
    assert first.listen()
    try:
        assert first.server is not None
        assert socket_path(first.name) == Path(first.server.fullServerName())
        with qtbot.waitSignal(first.activation_requested, timeout=5000):
            assert SingleInstance(tmp_path / "a.db").activate_existing()
    finally:
        first.close()
    assert not socket_path(first.name).exists()
    assert not SingleInstance(tmp_path / "a.db").activate_existing()


def test_log_file_is_private_and_rotates(tmp_path: Path) -> None:
    """setup_logging writes to the user log dir, the file is 0600, and a second call adds no handler."""
    path = setup_logging()
    try:
        assert setup_logging() == path
        logging.getLogger("netapp.test").error("hello log")
        for h in logging.getLogger().handlers:
            h.flush()
        assert path == log_path() and path.is_file()
        assert "hello log" in path.read_text()
        if os.name == "posix":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        handlers = [h for h in logging.getLogger().handlers if "Private" in type(h).__name__]
        assert len(handlers) == 1
        handlers[0].doRollover()  # type: ignore[attr-defined]
        logging.getLogger("netapp.test").error("after rollover")
        rotated = Path(str(path) + ".1")
        assert rotated.exists()
        if os.name == "posix":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert stat.S_IMODE(rotated.stat().st_mode) == 0o600
    finally:
        teardown_logging()


def test_unexpected_exception_shows_dialog_and_app_keeps_running(qtbot: Any) -> None:
    """The excepthook logs the traceback, shows a dialog naming the log file, and events still run."""
    path = setup_logging()
    window = QWidget()
    qtbot.addWidget(window)
    reporter = ErrorReporter(path, parent=lambda: window).install()
    assert sys.excepthook is reporter
    ran: list[str] = []
    try:
        try:
            raise RuntimeError("kaboom in a slot")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        timer = QTimer(window)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: ran.append("still alive"))
        timer.start(10)
        qtbot.waitUntil(lambda: ran == ["still alive"], timeout=5000)
        box = reporter.shown[0]
        assert box.isVisible()
        assert str(path) in box.text()
        assert "RuntimeError: kaboom in a slot" in box.detailedText()
        for h in logging.getLogger().handlers:
            h.flush()
        assert "kaboom in a slot" in path.read_text()
        assert "Traceback" in path.read_text()
        # A second error while the dialog is open is logged but does not stack dialogs.
        try:
            raise ValueError("second")
        except ValueError:
            sys.excepthook(*sys.exc_info())
        assert len(reporter.shown) == 1
        box.close()
        box.deleteLater()
        reporter.shown.clear()
    finally:
        reporter.uninstall()
        teardown_logging()
    assert sys.excepthook is not reporter


def test_wrong_passphrase_then_right_one_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    """The start-up prompt says a wrong passphrase is wrong, asks again, and opens with the right one."""
    db = tmp_path / "enc.db"
    s = Store(db, passphrase="right one")
    s.people.add(Person(display_name="Hidden Hal"))
    s.close()
    answers = iter([("wrong", True), ("right one", True)])
    warnings: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, _t: warnings.append(title))
    store = open_store_interactive(db)
    assert store is not None
    try:
        assert store.people.count() == 1
    finally:
        store.close()
    assert warnings == ["Wrong passphrase"]


def test_cancelled_passphrase_prompt_opens_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    """Cancelling the passphrase prompt returns None without an error dialog."""
    db = tmp_path / "enc.db"
    Store(db, passphrase="pw").close()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))
    assert open_store_interactive(db) is None


def _settings(qtbot: Any, store: Store) -> tuple[Any, Any]:
    from ui.main_window import MainWindow
    from ui.pages.settings_page import SettingsPage

    window = MainWindow(store, None, can_reopen=True)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    return window, page


def test_encrypt_change_and_remove_from_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    """Settings encrypts the open database, changes its passphrase and removes it; data survives."""
    from netapp.store.sqlcipher import is_encrypted_file
    from ui.app import reopen_after

    db = tmp_path / "plain.db"
    store = Store(db)
    store.people.add(Person(display_name="Kept Kit"))
    window, page = _settings(qtbot, store)
    assert page.encryption.encrypt_button.isVisibleTo(page)
    assert page.encryption.encrypt("long passphrase")
    assert not window.isVisible() and window.reopen_job is not None  # the app takes over
    store = reopen_after(store, window.reopen_job)
    assert store is not None and is_encrypted_file(db)
    assert store.passphrase == "long passphrase" and store.people.count() == 1

    window, page = _settings(qtbot, store)
    assert page.encryption.change_button.isVisibleTo(page)
    assert not page.encryption.encrypt_button.isVisibleTo(page)
    assert page.encryption.change("another passphrase")
    store = reopen_after(store, window.reopen_job)
    assert store is not None and store.passphrase == "another passphrase"

    window, page = _settings(qtbot, store)
    assert page.encryption.decrypt(confirm=False)
    store = reopen_after(store, window.reopen_job)
    assert store is not None
    try:
        assert not is_encrypted_file(db) and store.passphrase is None
        assert store.people.count() == 1
    finally:
        store.close()


def test_a_failed_conversion_reopens_the_database_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    """If the conversion fails, the user is told why and the same database opens again."""
    from netapp.errors import DatabaseError
    from ui.app import reopen_after

    store = Store(tmp_path / "plain.db")
    store.people.add(Person(display_name="Kept Kit"))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _title, text: shown.append(text))

    def failing(_old: str | None) -> str | None:
        raise DatabaseError("disk full")

    reopened = reopen_after(store, failing)
    assert reopened is not None
    try:
        assert shown == ["Nothing was changed: disk full"] and reopened.people.count() == 1
    finally:
        reopened.close()


def test_new_passphrase_dialog_shows_the_rule_at_the_field(qtbot: Any) -> None:
    """Empty, mismatched or short passphrases keep the dialog open with the reason shown; a
    bound names the field ("Passphrase must not be empty.")."""
    from ui.dialogs.passphrase import NewPassphraseDialog

    dlg = NewPassphraseDialog(None, "t", "e")
    qtbot.addWidget(dlg)
    dlg.accept()
    assert dlg.result() != dlg.DialogCode.Accepted
    assert dlg.error.text() == "Passphrase must not be empty."
    dlg.first.setText("short")
    dlg.again.setText("short")
    dlg.accept()
    assert dlg.result() != dlg.DialogCode.Accepted and "at least 8" in dlg.error.text()
    dlg.first.setText("long enough now")
    dlg.again.setText("long enough now")
    dlg.accept()
    assert dlg.result() == dlg.DialogCode.Accepted


def test_daily_backup_runs_on_its_own_thread_once_a_day(tmp_path: Path) -> None:
    """The start-up backup is taken off the GUI thread, once a day, and the store stays usable."""
    from netapp.safety.file_backups import list_backups
    from ui.app import start_daily_backup

    store = Store(tmp_path / "n.db")
    try:
        store.people.add(Person(display_name="Backed Up"))
        start_daily_backup(store).join()
        assert [b.kind for b in list_backups(store.path)] == ["daily"]
        start_daily_backup(store).join()
        assert len(list_backups(store.path)) == 1  # not twice on one day
        assert store.people.count() == 1
    finally:
        store.close()


def test_logging_for_another_home_replaces_the_handler(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A second setup for another NETAPP_HOME closes the first handler: one log file per process."""
    monkeypatch.setenv("NETAPP_HOME", str(tmp_path / "one"))
    first = setup_logging()
    try:
        monkeypatch.setenv("NETAPP_HOME", str(tmp_path / "two"))
        second = setup_logging()
        files = [
            Path(h.baseFilename)  # type: ignore[attr-defined]
            for h in logging.getLogger().handlers
            if "Private" in type(h).__name__
        ]
        assert first != second and files == [second]
    finally:
        teardown_logging()
