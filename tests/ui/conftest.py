"""Fixtures shared by the desktop app's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from netapp.store import Store
from ui.main_window import MainWindow


@pytest.fixture
def window(request: pytest.FixtureRequest, qtbot: QtBot, store: Store) -> Iterator[MainWindow]:
    """The main window on ``store``, shown and active (keys go to it).

    A test (or module, via ``pytestmark``) marked ``@pytest.mark.window(idle=True)`` also gets
    it idle, its start-up work done; ``size=(w, h)`` resizes it before it is shown.
    """
    marker = request.node.get_closest_marker("window")
    options = dict(marker.kwargs) if marker else {}
    w = MainWindow(store, None)
    qtbot.addWidget(w)
    if "size" in options:
        w.resize(*options["size"])
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    if options.get("idle"):
        qtbot.waitUntil(lambda: not w.is_busy(), timeout=60_000)
    yield w
    w.close()  # while the store is still open: a pending draft is written on hide
