"""A list model whose first page is read on a worker (issue 20: page switches during the
morning refresh): the loading state, the newest refresh winning, paging on from the worker's
page, and a result that comes after the user has left the page."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from netapp.store import Store
from ui.main_window import MainWindow
from ui.models.meetings import GroupAttendanceModel
from ui.pages.meetings import MeetingsPage
from ui.workers import CANCELLED, EngineWorker


@pytest.fixture
def window(qtbot: QtBot, demo_store: Store) -> Iterator[MainWindow]:
    w = MainWindow(demo_store, None)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: not w.is_busy(), timeout=60_000)
    yield w
    w.close()


def groups(store: Store) -> list[int]:
    """The demo's groups with attendance, most attended first."""
    rows = store.db.conn.execute(
        "SELECT m.group_id FROM meetings m JOIN attendance a ON a.meeting_id = m.id "
        "WHERE m.group_id IS NOT NULL GROUP BY m.group_id ORDER BY count(*) DESC"
    ).fetchall()
    return [int(r[0]) for r in rows]


def every_row(model: GroupAttendanceModel) -> list[tuple[Any, ...]]:
    """Every row, scrolling (fetchMore) to the end."""
    while model.canFetchMore():
        model.fetchMore()
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def reference(store: Store, gid: int, column: int, order: Qt.SortOrder) -> list[tuple[Any, ...]]:
    """The same list read on the GUI thread, as before (no worker)."""
    model = GroupAttendanceModel(store)
    model.sort(column, order)
    model.set_group(gid)
    return every_row(model)


@pytest.mark.parametrize(
    ("column", "order"),
    [
        (1, Qt.SortOrder.DescendingOrder),
        (0, Qt.SortOrder.AscendingOrder),
        (2, Qt.SortOrder.AscendingOrder),
    ],
)
def test_the_worker_page_is_empty_and_loading_first_then_equals_the_gui_read_list(
    qtbot: QtBot,
    demo_store: Store,
    monkeypatch: pytest.MonkeyPatch,
    column: int,
    order: Qt.SortOrder,
) -> None:
    """While its first page is read on the worker the model is empty, loading and offers no
    more rows; then, paged on in batches of 3 (keyset paging from the worker's last row), it
    lists exactly what the GUI-thread model lists, in each sort order."""
    monkeypatch.setattr(GroupAttendanceModel, "BATCH", 3)
    gid = groups(demo_store)[0]
    want = reference(demo_store, gid, column, order)
    assert len(want) > 6  # several batches
    model = GroupAttendanceModel(demo_store)
    model.load_on(EngineWorker(demo_store, model))
    model.sort(column, order)
    with qtbot.waitSignal(model.loaded, timeout=30_000):
        model.set_group(gid)
        assert model.loading and model.rowCount() == 0 and not model.canFetchMore()
    assert not model.loading and model.error == ""
    assert model.rowCount() == 3
    assert every_row(model) == want


def test_the_newest_refresh_wins_when_an_older_result_still_arrives(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two groups asked for in a row, the first one's job not cancelled (it runs and reports):
    its rows are dropped and the second group's are shown, once."""
    monkeypatch.setattr(EngineWorker, "cancel", lambda self, number: None)
    first, second = groups(demo_store)[:2]
    want = reference(demo_store, second, 1, Qt.SortOrder.DescendingOrder)
    assert want != reference(demo_store, first, 1, Qt.SortOrder.DescendingOrder)
    model = GroupAttendanceModel(demo_store)
    worker = EngineWorker(demo_store, model)
    model.load_on(worker)
    results: list[int] = []
    worker.done.connect(lambda number, _r: results.append(number))
    shown: list[int] = []
    model.loaded.connect(lambda: shown.append(model.rowCount()))
    model.set_group(first)
    model.set_group(second)
    qtbot.waitUntil(lambda: len(results) == 2 and not model.loading, timeout=30_000)
    assert len(shown) == 1
    assert every_row(model) == want


def test_the_model_passes_qtmodeltester_while_loading_and_after(
    qtbot: QtBot, qtmodeltester: Any, demo_store: Store
) -> None:
    """qtmodeltester finds nothing wrong with the model empty and loading, or filled."""
    model = GroupAttendanceModel(demo_store)
    model.load_on(EngineWorker(demo_store, model))
    model.set_group(groups(demo_store)[0])
    qtmodeltester.check(model, force_py=True)
    qtbot.waitUntil(lambda: not model.loading, timeout=30_000)
    qtmodeltester.check(model, force_py=True)


def test_meetings_shows_loading_then_the_list_even_when_the_user_has_left_the_page(
    qtbot: QtBot, window: MainWindow, demo_store: Store
) -> None:
    """Opening Meetings paints "loading…" over an empty repeat-attendance list; the user goes
    on to People before the rows come; they arrive all the same (no error), the page is idle,
    and back on Meetings the list and its sorting work."""
    page = window.show_page("meetings")
    assert isinstance(page, MeetingsPage)
    assert page.is_busy() and window.is_busy()
    assert "loading…" in page.group_title.text()
    assert page.group_people.rowCount() == 0
    window.show_page("people")
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    assert "loading" not in page.group_title.text()
    gid = page.group_people.group_id
    want = reference(demo_store, gid, 1, Qt.SortOrder.DescendingOrder)
    window.show_page("meetings")
    assert every_row(page.group_people) == want
    page.group_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    assert every_row(page.group_people) == reference(
        demo_store, gid, 0, Qt.SortOrder.AscendingOrder
    )


def test_a_list_whose_worker_is_stopped_before_its_rows_come_is_not_left_loading(
    qtbot: QtBot, demo_store: Store
) -> None:
    """The window closing stops the worker with a refresh still queued behind another job: the
    cancelled refresh still reports, so the list is not "loading" for ever (the page is idle,
    and a later refresh is not waited for behind a request that will never answer)."""
    model = GroupAttendanceModel(demo_store)
    worker = EngineWorker(demo_store, model)
    model.load_on(worker)
    started = threading.Event()

    def hold(_store: Store, cancel: Callable[[], bool]) -> None:
        started.set()
        while not cancel():
            time.sleep(0.005)

    worker.submit(hold)  # the pool's one thread is busy until it is cancelled
    assert started.wait(30)
    model.set_group(groups(demo_store)[0])
    assert model.loading
    worker.stop()
    qtbot.waitUntil(lambda: not model.loading, timeout=30_000)
    assert model.error == CANCELLED and model.rowCount() == 0
