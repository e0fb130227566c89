"""Opening a page the way the tests need it: a shown window whose start-up work is done."""

from __future__ import annotations

from typing import TypeVar

from pytestqt.qtbot import QtBot

from netapp.store import Store
from ui.main_window import MainWindow

P = TypeVar("P")


def idle_page(qtbot: QtBot, store: Store, name: str, kind: type[P]) -> tuple[MainWindow, P]:
    """A shown main window on ``store``, idle (its start-up work done), on page ``name``."""
    window = MainWindow(store, None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=60_000)
    page = window.show_page(name)
    assert isinstance(page, kind)
    return window, page
