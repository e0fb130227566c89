"""The day's status refresh (issue 20): 100k people, a million interactions.

Figures, on a database whose ``person_status`` was computed the day before (as every morning):

- **next-day refresh**: ``netapp.engine.refresh_status(store, today)``, incremental (rows with
  nothing due only have trust re-aged). Floor: one SQL aggregate pass over the same
  interactions (the agenda's floor), fetched. Goal ≤ 3×.
- **full recompute** (every row marked stale, as after a change of an engine setting), against
  the same floor: informational, to show what the incremental pass saves.
- **longest GUI-thread stall** while the next-day refresh runs on the app's engine worker
  (``ui.workers.EngineWorker``): a 5 ms ``QTimer`` on the GUI thread, the longest gap between
  its ticks minus its interval. The floor is the goal's fixed 50 ms budget, not a measurement.

The cache is restored from a snapshot before each timed call (not timed), so every call does
the same work.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bench import data
from bench.agenda import FLOOR_SQL
from bench.harness import Config, Figure, median, ms

if TYPE_CHECKING:
    from netapp.store import Store

TITLE = "status refresh"
SCALES = True  # a data size: measured at each size of a scaling run
GOAL = 3.0
STALL_BUDGET_MS = 50.0
TICK_MS = 5


def available(cfg: Config) -> str:
    return "" if data.engine_available() else "netapp.engine has no refresh_status yet"


def run(cfg: Config) -> list[Figure]:
    from netapp import engine
    from netapp.store import Store

    people = cfg.size(100_000)
    store = Store(data.database(people, cache=cfg.cache_dir))
    day_before = date.fromisoformat(data.TODAY)
    today = day_before + timedelta(days=1)
    try:
        _prepare(store, day_before)
        size = f"{data.label(people)} people, {_count(store) // 1000}k interactions"
        repeats = max(3, cfg.repeats // 4)
        rows: dict[str, int] = {}

        def floor() -> None:
            store.db.conn.execute(FLOOR_SQL).fetchall()

        def next_day() -> None:
            rows["next_day"] = engine.refresh_status(store, today)

        def full() -> None:
            rows["full"] = engine.refresh_status(store, today)

        a, b = _alternate(store, next_day, floor, repeats, stale=False)
        c, d = _alternate(store, full, floor, max(2, repeats // 2), stale=True)
        stalls = []
        for _ in range(max(2, repeats // 2)):
            _restore(store, stale=False)
            stalls.append(_stall(store, today))
        _restore(store, stale=False)
    finally:
        store.close()
    floor_desc = "one SQL aggregate pass over the interactions (GROUP BY person)"
    return [
        Figure(
            "status refresh, next day (incremental)",
            ms(median(a)),
            "ms",
            ms(median(b)),
            GOAL,
            size=size,
            floor_desc=floor_desc,
            detail={"rows": rows.get("next_day"), "samples_s": a, "floor_s": b},
        ),
        Figure(
            "status refresh, full recompute (informational)",
            ms(median(c)),
            "ms",
            ms(median(d)),
            float("inf"),
            size=size,
            floor_desc=floor_desc,
            detail={"rows": rows.get("full"), "samples_s": c, "floor_s": d},
        ),
        Figure(
            "longest GUI-thread stall during the next-day refresh",
            max(stalls),
            "ms",
            STALL_BUDGET_MS,
            1.0,
            size=size,
            stat="max",
            floor_desc="the goal's fixed 50 ms budget (a 5 ms QTimer on the GUI thread)",
            detail={"stalls_ms": stalls},
        ),
    ]


def _count(store: Store) -> int:
    return int(store.db.scalar("SELECT count(*) FROM interactions"))


def _prepare(store: Store, day_before: date) -> None:
    """Leave every row computed on ``day_before`` by this engine (a cached database from
    before ``changes_on`` existed is recomputed once), and snapshot the cache."""
    from netapp import engine

    if store.db.scalar("SELECT count(*) FROM person_status WHERE changes_on IS NULL"):
        with store.atomic():
            store.db.conn.execute("UPDATE person_status SET as_of = ''")
    engine.refresh_status(store, day_before)
    conn = store.db.conn
    conn.execute("DROP TABLE IF EXISTS temp.status_snapshot")
    conn.execute("CREATE TEMP TABLE status_snapshot AS SELECT * FROM person_status")


def _restore(store: Store, *, stale: bool) -> None:
    """Put the cache back as the day before left it (``stale``: every row marked stale)."""
    with store.atomic():
        conn = store.db.conn
        conn.execute("DELETE FROM person_status")
        conn.execute("INSERT INTO person_status SELECT * FROM temp.status_snapshot")
        if stale:
            conn.execute("UPDATE person_status SET as_of = ''")


def _alternate(
    store: Store,
    figure: Callable[[], None],
    floor: Callable[[], None],
    repeats: int,
    *,
    stale: bool,
) -> tuple[list[float], list[float]]:
    """Time ``figure`` (after an untimed restore of the cache) and ``floor`` alternately."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeats):
        b.append(_time(floor))
        _restore(store, stale=stale)
        a.append(_time(figure))
    return a, b


def _time(call: Callable[[], None]) -> float:
    gc.collect()
    gc.disable()
    try:
        t0 = time.perf_counter()
        call()
        return time.perf_counter() - t0
    finally:
        gc.enable()


def _stall(store: Store, today: date) -> float:
    """The longest gap (ms, beyond the timer's interval) between ticks of a GUI-thread timer
    while the app's engine worker runs the next-day refresh."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from netapp import engine
    from ui.workers import EngineWorker

    # A QApplication (not a bare QCoreApplication), so that later modules can build widgets.
    app = QApplication.instance() or QApplication([])
    worker = EngineWorker(store)
    loop = QEventLoop()
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    worker.done.connect(lambda *_: loop.quit())
    worker.failed.connect(lambda *_: loop.quit())
    timer.start()
    ticks.append(time.perf_counter())
    worker.submit(lambda s, cancel: engine.refresh_status(s, today, cancel=cancel))
    loop.exec()
    timer.stop()
    worker.stop()
    del app
    gaps = [(t1 - t0) * 1000 - TICK_MS for t0, t1 in zip(ticks, ticks[1:], strict=False)]
    return round(max(gaps, default=0.0), 1)
