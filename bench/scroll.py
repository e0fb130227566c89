"""Scrolling the people list from top to bottom at 100k people.

A ``QTableView`` on ``PeopleModel`` is shown (offscreen) and scrolled to the bottom again and
again until every row is in, the way a user dragging the scroll bar would; each ``fetchMore``
the view asks for is timed, including the rows' insertion into the view. The figure is the
fetch's CPU time on the UI thread (``time.thread_time``), which a busy shared machine does
not inflate; wall-clock times are kept in the detail. Goal: no single
fetch over 16 ms (one frame at 60 Hz). The floor is that fixed budget, not a measurement,
so the ratio is the worst fetch over 16 ms. Done for the default sort (name) and for a
status column with empty values (next step), which pages through a different index.

Before scrolling, the process's objects are set aside from later full garbage collections
(``ui.heap.settle``), as the app does once its window is attached: a full collection that falls
inside a fetch then visits what the scrolling made, as in the app, not the imports' objects.
"""

from __future__ import annotations

import time
from typing import Any

from bench import data
from bench.common import qapp
from bench.harness import Config, Figure, median, ms, p95

TITLE = "scroll"
SCALES = True  # a data size: measured at each size of a scaling run
BUDGET_MS = 16.0
GOAL = 1.0
SORTS = (("name", 0), ("next step", 6))


def available(cfg: Config) -> str:
    return ""


def timed_model(store: Any) -> Any:
    from PySide6.QtCore import QModelIndex

    from ui.models.people import PeopleModel

    class TimedPeopleModel(PeopleModel):
        """The real model; only records how long each fetchMore takes."""

        def __init__(self, store: Any) -> None:
            super().__init__(store)
            self.fetch_times: list[float] = []  # CPU seconds of this thread
            self.fetch_walls: list[float] = []  # wall-clock seconds

        def fetchMore(self, parent: Any = QModelIndex()) -> None:  # noqa: B008
            c0, t0 = time.thread_time(), time.perf_counter()
            super().fetchMore(parent)
            self.fetch_walls.append(time.perf_counter() - t0)
            self.fetch_times.append(time.thread_time() - c0)

    return TimedPeopleModel(store)


def scroll_to_end(store: Any, column: int) -> tuple[list[float], list[float], int, float]:
    """Scroll a shown view to the bottom until everything is fetched.

    Returns each fetch's CPU and wall seconds, the rows in the end and the whole scroll's
    seconds."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QTableView

    model = timed_model(store)
    view = QTableView()
    view.resize(1000, 700)
    view.verticalHeader().hide()  # as on the People page
    view.setModel(model)
    view.setSortingEnabled(True)
    view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    view.show()
    QApplication.processEvents()
    model.fetch_times.clear()
    model.fetch_walls.clear()
    bar = view.verticalScrollBar()
    t0 = time.perf_counter()
    turns = 0
    while model.canFetchMore():
        before = model.rowCount()
        bar.setValue(bar.maximum())  # the view asks for more rows right here
        turns += 1
        if turns % 10 == 0:  # let the view repaint now and then, as it would while dragging
            QApplication.processEvents()
        if model.rowCount() == before:
            QApplication.processEvents()
            if model.rowCount() == before:  # the view did not ask: fetch directly, still timed
                model.fetchMore()
    total = time.perf_counter() - t0
    rows = model.rowCount()
    view.close()
    view.deleteLater()
    return list(model.fetch_times), list(model.fetch_walls), rows, total


def run(cfg: Config) -> list[Figure]:
    from netapp.store import Store

    qapp()
    people = cfg.size(100_000)
    store = Store(data.database(people, cache=cfg.cache_dir))
    figures: list[Figure] = []
    import ui.models.people  # noqa: F401  (imported before settling, as the app's pages are)
    from ui.heap import release, settle

    settle()
    try:
        expected = int(store.db.scalar("SELECT count(*) FROM people"))
        for title, column in SORTS:
            scroll_to_end(store, column)  # warm-up
            times, walls, rows, total = scroll_to_end(store, column)
            if rows != expected:
                raise AssertionError(f"scrolled to {rows} rows of {expected}")
            worst = max(times)
            figures.append(
                Figure(
                    f"scroll to the end, sorted by {title}",
                    ms(worst),
                    "ms",
                    BUDGET_MS,
                    GOAL,
                    size=f"{data.label(people)} people",
                    stat="max",
                    floor_desc="fixed budget: one frame at 60 Hz",
                    detail={
                        "fetches": len(times),
                        "median_ms": round(ms(median(times)), 3),
                        "p95_ms": round(ms(p95(times)), 3),
                        "first_ms": round(ms(times[0]), 3),
                        "last_ms": round(ms(times[-1]), 3),
                        "wall_max_ms": round(ms(max(walls)), 3),
                        "wall_median_ms": round(ms(median(walls)), 3),
                        "whole_scroll_s": round(total, 2),
                    },
                )
            )
    finally:
        release()
        store.close()
    return figures
