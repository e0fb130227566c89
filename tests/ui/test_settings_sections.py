"""Settings at 1366×768: every section is named at the top, and its Alt key scrolls to it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
from ui.pages.settings_page import SettingsPage

pytestmark = pytest.mark.window(size=(1366, 768))


def _visible_in_viewport(page: SettingsPage, box: object) -> bool:
    from PySide6.QtWidgets import QWidget

    assert isinstance(box, QWidget)
    top = box.mapTo(page.viewport(), box.rect().topLeft()).y()
    return 0 <= top < page.viewport().height()


def test_every_section_is_named_at_the_top(window: MainWindow) -> None:
    """The links at the top name Your data, Encryption, Backups and the rest."""
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    names = set(page.section_buttons)
    assert {"Your data", "Encryption", "Backups", "Ask ladder", "Sync"} <= names
    for b in page.section_buttons.values():
        assert _visible_in_viewport(page, b)


def test_alt_d_scrolls_to_your_data_below_the_fold(qtbot: QtBot, window: MainWindow) -> None:
    """At 1366×768 Your data starts below the fold; Alt+D brings it into view with the focus in it."""
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    data = page.sections["Your &data"]
    qtbot.waitUntil(lambda: page.viewport().height() > 0)
    assert not _visible_in_viewport(page, data)
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: _visible_in_viewport(page, data))
    focus = window.focusWidget()  # the window's focus child (kept if the window is deactivated)
    assert focus is not None and data.isAncestorOf(focus)
