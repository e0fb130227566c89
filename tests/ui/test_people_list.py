"""The People list at 1280×800: Next step in Today's words and not clipped, and the real count
of people matching a search."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from netapp.domain import Person
from netapp.engine.ladder import load_ladder
from netapp.store import Store
from ui.main_window import MainWindow
from ui.models.people import PeopleModel
from ui.pages.people import PeoplePage


def _window(qtbot: QtBot, store: Store) -> MainWindow:
    w = MainWindow(store, None)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def demo_window(qtbot: QtBot, demo_store: Store) -> Iterator[MainWindow]:
    w = _window(qtbot, demo_store)
    qtbot.waitUntil(lambda: not w.is_busy(), timeout=60_000)
    yield w
    w.close()


def test_next_step_reads_as_on_today(demo_window: MainWindow, demo_store: Store) -> None:
    """No internal ids in Next step: asks show the ladder's label, kinds are words."""
    page = demo_window.show_page("people")
    assert isinstance(page, PeoplePage)
    model = page.model
    labels = {a.label for a in load_ladder(demo_store)}
    texts = [model.index(r, 6).data() for r in range(model.rowCount())]
    assert any(t.startswith("Ask: ") for t in texts)
    for t in texts:
        assert not re.match(r"^(ask|give): |^keep-in-touch$|^follow-up$", t), t
        if t.startswith("Ask: "):
            assert t[5:] in labels


def test_next_step_column_is_visible_at_1280(demo_window: MainWindow) -> None:
    """At 1280×800 the Next step column starts inside the list and is wide enough to read."""
    page = demo_window.show_page("people")
    assert isinstance(page, PeoplePage)
    QApplication.processEvents()
    header = page.table.horizontalHeader()
    start = header.sectionViewportPosition(6)
    assert 0 <= start < page.table.viewport().width() - 120
    assert header.sectionSize(6) >= 120


def test_count_is_the_real_number_for_a_search(qtbot: QtBot, store: Store) -> None:
    """With 450 matching people, typing a search shows "450 people", not "200+"."""
    store.people.add_many(Person(display_name=f"Pat Baker {n}") for n in range(450))
    store.people.add_many(Person(display_name=f"Sam Cole {n}") for n in range(30))
    w = _window(qtbot, store)
    page = w.show_page("people")
    assert isinstance(page, PeoplePage)
    assert page.count.text() == "480 people"
    page.search.setFocus()
    qtbot.keyClicks(page.search, "baker")
    qtbot.waitUntil(lambda: page.count.text() == "450 people")
    assert isinstance(page.model, PeopleModel) and page.model.rowCount() < 450
    w.close()
