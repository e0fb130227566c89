"""The People page while another page is shown (issue 20): a write does not re-read its list
and count then (a Done on Today stays cheap at 100k people); the page catches up when shown."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from netapp import engine
from netapp.domain import Person, Topic
from netapp.store import Store
from tests.conftest import DEMO_TODAY
from tests.ui.windows import idle_page
from ui.main_window import MainWindow
from ui.pages.people import PeoplePage


def _window(qtbot: QtBot, store: Store) -> tuple[MainWindow, PeoplePage, list[int]]:
    window, page = idle_page(qtbot, store, "people", PeoplePage)
    resets: list[int] = []
    page.model.modelReset.connect(lambda: resets.append(1))
    return window, page, resets


def test_hidden_people_page_rereads_only_when_shown(qtbot: QtBot, demo_store: Store) -> None:
    """With Today shown, a Done and a new person leave the People list untouched; showing
    People again re-reads it once, with the new person and the new count."""
    window, page, resets = _window(qtbot, demo_store)
    window.show_page("today")
    pid = int(demo_store.db.scalar("SELECT min(id) FROM people"))
    engine.mark_done(demo_store, pid, "keep-in-touch", date.fromisoformat(DEMO_TODAY))
    new = demo_store.people.add(Person(display_name="Hidden Harriet"))
    qtbot.wait(10)
    assert resets == []
    assert page.model.row_of(new) < 0  # not re-read while hidden
    window.show_page("people")
    assert len(resets) == 1
    assert page.model.row_of(new) >= 0
    total = int(demo_store.db.scalar("SELECT count(*) FROM people WHERE kind = 'person'"))
    assert f"{total:,}" in page.count.text()
    window.close()


def test_shown_people_page_rereads_at_once(qtbot: QtBot, demo_store: Store) -> None:
    """With People shown, a new person is listed as soon as the write is done."""
    window, page, resets = _window(qtbot, demo_store)
    new = demo_store.people.add(Person(display_name="Visible Vera"))
    assert resets
    assert page.model.row_of(new) >= 0
    window.close()


def test_select_person_catches_up_while_hidden(qtbot: QtBot, demo_store: Store) -> None:
    """Going to a person added while People was hidden (as Today's "open person" does) finds
    them: the page re-reads before looking."""
    window, page, _resets = _window(qtbot, demo_store)
    window.show_page("today")
    new = demo_store.people.add(Person(display_name="Late Larry"))
    assert page.select_person(new)
    assert page.detail.person_id == new
    window.close()


def test_hidden_people_page_rereads_a_change_to_everyone_at_once(
    qtbot: QtBot, demo_store: Store
) -> None:
    """A change to everyone (the morning's status refresh) is re-read while hidden, so that
    the next visit to People does not wait for it."""
    window, page, resets = _window(qtbot, demo_store)
    window.show_page("today")
    window.ctx.signals.changed.emit(Topic.STATUS, frozenset())
    assert len(resets) == 1
    window.show_page("people")
    assert len(resets) == 1  # nothing left to re-read on the way in
    window.close()


def test_opening_people_reads_the_list_once(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The People page's first visit reads the people list once (its first sort), not twice,
    and still shows the first page, the count and the first person selected."""
    from ui.models.people import PeopleModel
    from ui.models.sqltable import SqlTableModel

    window = MainWindow(demo_store, None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=60_000)
    reads: list[int] = []
    real = SqlTableModel._fetch

    def counted(self: SqlTableModel, offset: int, limit: int) -> list[tuple[Any, ...]]:
        if isinstance(self, PeopleModel):
            reads.append(offset)
        return real(self, offset, limit)

    monkeypatch.setattr(SqlTableModel, "_fetch", counted)
    page = window.show_page("people")
    assert isinstance(page, PeoplePage)
    assert reads == [0]
    total = demo_store.db.scalar("SELECT count(*) FROM people")
    assert page.model.rowCount() == min(total, page.model.BATCH)
    assert f"{total:,}" in page.count.text()
    assert page.detail.person_id == page.model.id_at(0)
