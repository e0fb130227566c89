"""Settings → Sync and the app's sync service, driven with real key presses against Radicale."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from netapp.domain import Person
from netapp.store import Store
from netapp.sync.carddav.dav import DavClient
from tests.netapp.sync import conftest as dav_fixtures
from tests.netapp.sync import test_dav
from tests.netapp.sync.conftest import Account
from tests.netapp.sync.radicale import RadicaleServer, free_port
from ui.main_window import MainWindow
from ui.models.timeline import TimelineModel
from ui.pages.settings_page import SettingsPage
from ui.pages.sync_box import NOT_SET_UP, SyncBox

# The Radicale fixtures of the sync tests, used here too.
radicale = dav_fixtures.radicale
account = dav_fixtures.account
tls_radicale = test_dav.tls_radicale


class MemoryKeyring(KeyringBackend):
    """The OS keyring is an edge: kept in memory here."""

    priority = 1  # type: ignore[assignment]  # keyring declares it a class property

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


def sync_box(qtbot: QtBot, store: Store) -> tuple[MainWindow, SyncBox]:
    window = MainWindow(store, None)
    qtbot.addWidget(window)
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    return window, page.sync


def fill(qtbot: QtBot, box: SyncBox, url: str, user: str, password: str) -> None:
    for widget, text in ((box.url, url), (box.user, user), (box.password, password)):
        widget.clear()
        qtbot.keyClicks(widget, text)


def press(qtbot: QtBot, box: SyncBox, button: Any) -> tuple[str, object]:
    """Click and wait for the job to end; (kind, result)."""
    got: list[tuple[str, object]] = []
    box.service.finished.connect(lambda kind, result: got.append((kind, result)))
    box.service.failed.connect(lambda kind, result: got.append((kind, result)))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(got), timeout=30_000)
    return got[0]


def test_not_set_up_says_so_and_cannot_sync(qtbot: QtBot, store: Store) -> None:
    """No account: the box says nothing is sent; Sync now is off; the timer and start do nothing."""
    store.settings.update({"sync.interval_minutes": 5, "sync.on_start": True})
    window, box = sync_box(qtbot, store)
    assert box.status.text() == NOT_SET_UP and not box.sync_button.isEnabled()
    assert not window.sync.timer.isActive()
    assert window.sync.app_started() is False and not window.sync.busy()
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    assert {"sync.on_start", "sync.interval_minutes", "carddav.include_note"} <= set(page.fields)


def test_test_connection_then_save_then_sync_now(
    qtbot: QtBot,
    store: Store,
    account: Account,
    memory_keyring: MemoryKeyring,
) -> None:
    """Typed in, tested, saved (password to the keyring only), synced with a summary."""
    store.people.add(Person(display_name="Ann Lee"))
    _window, box = sync_box(qtbot, store)
    fill(qtbot, box, account.url, account.user, account.password)
    kind, books = press(qtbot, box, box.test_button)
    assert kind == "test" and books == []
    assert "Save creates one named netapp" in box.message.text()
    kind, _ = press(qtbot, box, box.save_button)
    assert kind == "save" and box.password.text() == ""
    assert list(memory_keyring.saved.values()) == [account.password]
    assert account.password.encode() not in store.path.read_bytes()
    assert box.sync_button.isEnabled() and "Not synced yet" in box.status.text()
    steps: list[str] = []
    box.service.progress.connect(lambda what, _d, _t: steps.append(what))
    kind, summary = press(qtbot, box, box.sync_button)
    assert kind == "sync" and box.message.text().startswith("Done: 1 sent, 0 received")
    assert "Sending changes" in steps and box.progress.isHidden()
    assert "1 people linked" in box.status.text() and "Last sync" in box.status.text()
    acc = store.carddav.account()
    assert acc is not None
    assert len(DavClient(account.url, account.user, account.password).list_cards(acc.book)) == 1


def test_a_wrong_password_is_said_plainly(
    qtbot: QtBot,
    store: Store,
    account: Account,
) -> None:
    """401: 'Wrong user name or password', in the error style; nothing saved."""
    _window, box = sync_box(qtbot, store)
    fill(qtbot, box, account.url, account.user, "not-it")
    kind, _ = press(qtbot, box, box.test_button)
    assert kind == "test"
    assert box.message.text().startswith("Wrong user name or password:")
    assert box.message.styleSheet() != "" and store.carddav.account() is None


def test_an_unreachable_server_is_said_plainly(qtbot: QtBot, store: Store) -> None:
    """Nothing listening: 'Server unreachable: cannot reach 127.0.0.1:PORT'."""
    _window, box = sync_box(qtbot, store)
    port = free_port()
    fill(qtbot, box, f"http://127.0.0.1:{port}/", "ann", "pw")
    press(qtbot, box, box.test_button)
    assert box.message.text().startswith(f"Server unreachable: cannot reach 127.0.0.1:{port}")


def test_a_certificate_problem_is_said_plainly(
    qtbot: QtBot,
    store: Store,
    tls_radicale: tuple[RadicaleServer, Path],
) -> None:
    """An unknown certificate authority: 'Certificate problem'; with its CA file: connected."""
    server, ca = tls_radicale
    _window, box = sync_box(qtbot, store)
    fill(qtbot, box, server.url, "ann", "pw")
    press(qtbot, box, box.test_button)
    assert box.message.text().startswith("Certificate problem:")
    qtbot.keyClicks(box.ca_file, str(ca))
    press(qtbot, box, box.test_button)
    assert box.message.text().startswith("Connected.")


def test_periodic_sync_follows_the_setting_once_set_up(
    qtbot: QtBot,
    store: Store,
    account: Account,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every N minutes only with an account; 0 stops the timer; sync on start runs a sync."""
    monkeypatch.setenv("NETAPP_CARDDAV_PASSWORD", account.password)
    window, box = sync_box(qtbot, store)
    fill(qtbot, box, account.url, account.user, account.password)
    press(qtbot, box, box.save_button)
    store.settings.set("sync.interval_minutes", 15)
    assert window.sync.timer.isActive() and window.sync.timer.interval() == 15 * 60_000
    store.settings.set("sync.interval_minutes", 0)
    assert not window.sync.timer.isActive()
    store.settings.set("sync.on_start", True)
    with qtbot.waitSignal(window.sync.finished, timeout=30_000) as done:
        assert window.sync.app_started()
    assert done.args[0] == "sync"
    assert window.statusBar().currentMessage().startswith("Sync: 0 sent")


def test_a_sync_conflict_shows_in_the_timeline(
    qtbot: QtBot, store: Store, qtmodeltester: Any
) -> None:
    """The losing value of a conflict is a 'Sync conflict' row in the person's timeline."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    with store.atomic():
        store.carddav.add_event(pid, "2026-05-01T10:00:00+00:00", "carddav",
                       "title changed on both sides: kept 'Chair' from netapp (newer)")  # fmt: skip
    model = TimelineModel(store)
    model.set_person(pid)
    qtmodeltester.check(model, force_py=True)
    rows = [[model.index(r, c).data() for c in range(3)] for r in range(model.rowCount())]
    assert rows == [["2026-05-01", "Sync conflict",
                     "title changed on both sides: kept 'Chair' from netapp (newer)"]]  # fmt: skip
