"""Settings → Sync → your other devices: join a folder, sync now, on start and on a timer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from netapp.domain import Person
from netapp.store import Store
from netapp.sync.devices import run
from ui.main_window import MainWindow
from ui.pages.devices_box import NOT_JOINED, DevicesBox
from ui.pages.settings_page import SettingsPage


def devices_box(qtbot: QtBot, store: Store) -> tuple[MainWindow, DevicesBox]:
    window = MainWindow(store, None)
    qtbot.addWidget(window)
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    return window, page.devices


def another_device(tmp_path: Path) -> tuple[Path, Path]:
    """A "desktop" device with Ann Lee, joined to a shared folder and synced once: its
    database file and the folder."""
    desktop, folder = tmp_path / "desktop.db", tmp_path / "shared"
    with Store(desktop) as other:
        other.people.add(Person(display_name="Ann Lee"))
        run.join(other, folder, "desktop")
        run.sync(other, refresh=False)
    return desktop, folder


def test_not_joined_says_so_and_nothing_runs(qtbot: QtBot, store: Store) -> None:
    """Before a folder is chosen: the box says so, Sync now is off, start and timer do nothing."""
    store.settings.update({"sync.interval_minutes": 5, "sync.on_start": True})
    window, box = devices_box(qtbot, store)
    assert box.folder.text() == NOT_JOINED and not box.sync_button.isEnabled()
    assert not window.sync.devices.timer.isActive()
    assert window.sync.devices.sync_now() is False


def test_choose_folder_joins_syncs_and_lists_the_other_device(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Choosing the folder another device uses joins it and syncs: its person arrives, the
    other device is listed with when it was last seen; renaming this device is kept."""
    _desktop, folder = another_device(tmp_path)
    window, box = devices_box(qtbot, store)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    with qtbot.waitSignal(window.sync.devices.finished, timeout=30_000):
        qtbot.mouseClick(box.choose, Qt.MouseButton.LeftButton)
    assert store.people.find("Ann Lee") is not None
    assert box.folder.text() == str(folder.resolve())
    assert box.devices.count() == 1 and box.devices.item(0).text().startswith("desktop — last seen")
    assert "1 updates received" in box.message.text()
    box.name.setFocus()
    box.name.selectAll()
    qtbot.keyClicks(box.name, "laptop")
    qtbot.keyClick(box.name, Qt.Key.Key_Return)
    me = store.devices.me()
    assert me is not None and me.name == "laptop"


def test_sync_now_on_start_and_timer_once_joined(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    """Joined: Sync now syncs; the timer follows the interval setting; start syncs if asked."""
    run.join(store, tmp_path / "f", "laptop")
    window, box = devices_box(qtbot, store)
    service = window.sync.devices
    assert box.sync_button.isEnabled()
    store.people.add(Person(display_name="Bob Ray"))
    with qtbot.waitSignal(service.finished, timeout=30_000) as done:
        qtbot.mouseClick(box.sync_button, Qt.MouseButton.LeftButton)
        assert not box.sync_button.isEnabled() and not box.choose.isEnabled()
        assert service.sync_now() is False  # one sync at a time
    assert done.args[0].captured >= 1
    assert box.sync_button.isEnabled() and box.choose.isEnabled()
    assert list((tmp_path / "f").rglob("*.update"))
    store.settings.set("sync.interval_minutes", 10)
    assert service.timer.isActive() and service.timer.interval() == 10 * 60_000
    store.settings.set("sync.interval_minutes", 0)
    assert not service.timer.isActive()
    store.settings.set("sync.on_start", True)
    with qtbot.waitSignal(service.finished, timeout=30_000):
        assert service.app_started()


def test_a_missing_folder_is_said_plainly(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    """The folder went (an unplugged drive): one line in the box, in the error style."""
    run.join(store, tmp_path / "usb", "laptop")
    (tmp_path / "usb").rename(tmp_path / "gone")
    window, box = devices_box(qtbot, store)
    with qtbot.waitSignal(window.sync.devices.failed, timeout=30_000):
        qtbot.mouseClick(box.sync_button, Qt.MouseButton.LeftButton)
    assert "not there" in box.message.text() and box.message.styleSheet()


def test_timer_syncs_keep_the_document_and_take_in_later_files(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    """The window's syncs keep the document between runs (nothing to load the second time)
    and still take in what another device wrote in between."""
    desktop, folder = another_device(tmp_path)
    window, _box = devices_box(qtbot, store)
    service = window.sync.devices
    with qtbot.waitSignal(service.finished, timeout=30_000):
        assert service.join(folder, "laptop")
    assert service.kept.held()
    with Store(desktop) as other:
        other.people.add(Person(display_name="Bob Stone"))
        run.sync(other, refresh=False)
    with qtbot.waitSignal(service.finished, timeout=30_000) as blocker:
        assert service.sync_now()
    assert blocker.args[0].read == 1
    assert store.people.find("Bob Stone") is not None and service.kept.held()
