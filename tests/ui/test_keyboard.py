"""Keyboard all the way: every registered action has keys, shown in menus and tooltips and in
Help ▸ Keyboard shortcuts; the People and Referrals buttons answer to their Alt keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from netapp.domain import Person
from netapp.store import Store
from ui.actions import mnemonic
from ui.dialogs.keys_dialog import KeysDialog
from ui.dialogs.referral import ReferralDialog
from ui.main_window import MainWindow
from ui.pages.people import LogDialog, PeoplePage


def test_every_action_has_a_shortcut_or_mnemonic_shown_in_its_tooltip(window: MainWindow) -> None:
    """Each action of the registry has a shortcut or an Alt letter, and its tooltip names it."""
    for action in window.registry.all():
        shortcut = action.shortcut().toString()
        keys = shortcut or mnemonic(action.text())
        assert keys, action.objectName()
        assert keys.split(",")[0] in action.toolTip() or shortcut == "", action.objectName()


def test_import_and_export_have_shortcuts(window: MainWindow) -> None:
    """File ▸ Import… is Ctrl+I and Export… is Ctrl+Shift+E."""
    assert window.registry["io.import"].shortcut().toString() == "Ctrl+I"
    assert window.registry["io.export"].shortcut().toString() == "Ctrl+Shift+E"


def test_f1_lists_every_action_from_the_registry(qtbot: QtBot, window: MainWindow) -> None:
    """F1 opens Help ▸ Keyboard shortcuts, which lists every registered action and its keys."""
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dlg = window.findChild(KeysDialog)
    assert dlg is not None and dlg.isVisible()
    listed = dict(dlg.rows())
    for action in window.registry.all():
        what = action.text().replace("&", "")
        assert what in listed, what
        assert listed[what]
    assert listed["Import…"] == "Ctrl+I"
    dlg.reject()


def test_log_buttons_answer_to_alt_keys_from_the_search_box(
    qtbot: QtBot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the cursor in the People search box, Alt+O opens Log a one-to-one at once."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    page = window.show_page("people")
    assert isinstance(page, PeoplePage)
    assert page.select_person(pid)
    opened: list[str] = []
    monkeypatch.setattr(LogDialog, "exec", lambda self: opened.append(self.windowTitle()) or 0)
    page.search.setFocus()
    qtbot.waitUntil(page.search.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(opened))  # a button's Alt key clicks it visibly, a moment on
    assert opened == ["Log a one-to-one"]
    assert "Alt+O" in page.detail.log_buttons[next(iter(page.detail.log_buttons))].toolTip()


def test_alt_n_opens_new_referral(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Referrals, Alt+N opens New referral."""
    window.show_page("referrals")
    opened: list[str] = []
    monkeypatch.setattr(
        ReferralDialog,
        "exec",
        lambda self: opened.append(self.windowTitle()) or QDialog.DialogCode.Rejected,
    )
    qtbot.keyClick(
        QApplication.focusWidget() or window, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier
    )
    qtbot.waitUntil(lambda: bool(opened))
    assert opened == ["New referral"]
