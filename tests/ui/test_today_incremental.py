"""Today after Done, a snooze and an undo (issue 20): the list changes for those people only,
with no pass over everyone; the first agenda comes from the cached statuses."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import ui.pages.today as today_module
from netapp import engine
from netapp.store import Store
from tests.conftest import DEMO_TODAY
from ui.main_window import MainWindow
from ui.pages.today import SHOW_AT_MOST, TodayPage

TODAY = date.fromisoformat(DEMO_TODAY)


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """Every full agenda pass the Today page asks its worker for (the day of each)."""
    seen: list[date] = []
    real = today_module._compute

    def counted(store: Store, as_of: date, cancel: object) -> object:
        seen.append(as_of)
        return real(store, as_of, cancel)  # type: ignore[arg-type]

    monkeypatch.setattr(today_module, "_compute", counted)
    return seen


@pytest.fixture
def page(qtbot: QtBot, demo_store: Store, passes: list[date]) -> Iterator[TodayPage]:
    window = MainWindow(demo_store, None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=60_000)
    p = TodayPage(window.ctx, today=TODAY)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitUntil(lambda: not p.is_busy(), timeout=60_000)
    yield p
    window.close()


def _shown(page: TodayPage) -> list[tuple[int, str, str]]:
    steps = [page.model.step(r) for r in range(page.model.rowCount())]
    return [(s.person_id, s.kind, s.reason) for s in steps if s]


def _full_pass(store: Store) -> list[tuple[int, str, str]]:
    plan = engine.today_plan(store, TODAY, 7, 14, limit=SHOW_AT_MOST)
    return [(s.person_id, s.kind, s.reason) for s in plan.steps]


def _counted(store: Store) -> str:
    plan = engine.today_plan(store, TODAY, 7, 14, limit=SHOW_AT_MOST)
    return f"{plan.total:,} steps in the next 7 days"


def test_done_updates_that_person_in_the_list_without_a_full_pass(
    qtbot: QtBot, page: TodayPage, demo_store: Store, passes: list[date]
) -> None:
    """Done on a step logs it and the list at once shows what a full pass would, but the page
    asked for no new pass over everyone; undo puts the step back the same way."""
    before = _shown(page)
    asked = len(passes)
    row = next(r for r in range(page.model.rowCount()) if page.model.step(r).kind != "ask")
    page.table.selectRow(row)
    step = page.current_step()
    assert step is not None
    qtbot.mouseClick(page.done_button, Qt.MouseButton.LeftButton)
    after = _shown(page)
    assert (step.person_id, step.kind, step.reason) not in after
    assert after == _full_pass(demo_store)
    assert _counted(demo_store) in page.summary.text()
    page.ctx.undo.undo()
    assert _shown(page) == before == _full_pass(demo_store)
    assert len(passes) == asked  # no pass over everyone: only that person was worked out
    assert not page.is_busy()


def test_a_snooze_takes_the_step_off_without_a_full_pass(
    page: TodayPage, demo_store: Store, passes: list[date]
) -> None:
    """Snoozing a step removes it from the list at once, with no new pass over everyone."""
    asked = len(passes)
    page.table.selectRow(0)
    step = page.current_step()
    assert step is not None
    page.snooze(TODAY + timedelta(days=7))
    assert (step.person_id, step.kind) not in [(p, k) for p, k, _ in _shown(page)]
    assert _shown(page) == _full_pass(demo_store)
    assert len(passes) == asked


def test_the_first_agenda_comes_from_the_cached_statuses(
    qtbot: QtBot, demo_store: Store, passes: list[date], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every status cached, the page shows the cached agenda before the full pass ends
    (here the full pass is held back until the cached one is on screen)."""
    engine.refresh_status(demo_store, TODAY)
    window = MainWindow(demo_store, None, today=lambda: TODAY)
    qtbot.addWidget(window)
    shown_first: list[tuple[int, bool, str]] = []  # at the first reset: rows, busy, meetings
    on_screen = threading.Event()
    real = today_module._compute

    def held(store: Store, as_of: date, cancel: object) -> object:
        on_screen.wait(60)  # on the worker's thread, until the cached agenda is shown
        return real(store, as_of, cancel)  # type: ignore[arg-type]

    monkeypatch.setattr(today_module, "_compute", held)
    page = TodayPage(window.ctx, today=TODAY)
    qtbot.addWidget(page)
    page.model.modelReset.connect(
        lambda: shown_first.append((page.model.rowCount(), page.is_busy(), page.meetings.text()))
    )
    page.model.modelReset.connect(on_screen.set)
    failed: list[str] = []
    page.worker.failed.connect(lambda _n, msg: failed.append(msg))
    page.show()
    qtbot.waitUntil(lambda: bool(shown_first), timeout=60_000)
    assert not failed
    rows, busy, meetings = shown_first[0]  # read at the reset: the released pass may end at once
    assert busy and rows > 0
    assert "Working out who is likely to be there" in meetings
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    assert _shown(page) == _full_pass(demo_store)
    window.close()
