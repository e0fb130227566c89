"""Cold start to the first painted main window, at 10k people.

Figure: a new process running netapp's real start-up (``ui.app.run_app``: QApplication, open
and check the database, build the main window and its first page, show it) until the main
window has finished its first paint. Floor: a new process that shows a bare PySide6
``QMainWindow`` and waits for the same first paint. Both include starting Python and loading
Qt, which no app can avoid; the ratio is what netapp adds on top. Runs alternate between
the two, after one warm-up each (so both read the libraries from the page cache, and the
app's modules are compiled to .pyc as an installed app's are).

Each timed start is a morning's: the app closed cleanly the evening before (a checked opening
and clean close, untimed, just before it), so the open skips SQLite's quick_check as the app
does after a clean close. Two informational rows from the same runs and floor: the same start
until the Today page lists its first agenda rows (data arriving after the paint), and a start
after an unclean close (the file touched, so the open reads every page first).
"""

from __future__ import annotations

import os
from pathlib import Path

from bench import data
from bench.common import ChildResult, run_child
from bench.harness import Config, Figure, median

TITLE = "cold start"
SCALES = True  # a data size: measured at each size of a scaling run
INFO = float("inf")  # an informational row: no goal
GOAL = 1.5


def available(cfg: Config) -> str:
    return ""


def closed_cleanly(db: Path) -> None:
    """Leave the file as the app's clean close does (checked, stamped): yesterday evening."""
    from netapp.safety.opener import open_store

    open_store(db).close()


def closed_uncleanly(db: Path) -> None:
    """Leave the file as after a crash or another program's write: the next open checks it."""
    closed_cleanly(db)
    os.utime(db)


def run(cfg: Config) -> list[Figure]:
    people = cfg.size(10_000)
    db = data.database(people, cache=cfg.cache_dir)
    run_child("bare")
    closed_cleanly(db)
    run_child("app", db)
    bare: list[float] = []
    app: list[ChildResult] = []
    unclean: list[float] = []
    for _ in range(cfg.subprocess_repeats):
        bare.append(run_child("bare").seconds)
        closed_cleanly(db)
        app.append(run_child("app", db))
        closed_uncleanly(db)
        unclean.append(run_child("app", db).seconds)
    closed_cleanly(db)
    painted = [r.seconds for r in app]
    rows = [r.rows_seconds for r in app if r.rows_seconds is not None]
    size = f"{data.label(people)} people"
    floor_desc = "bare PySide6 QMainWindow process, start to first paint"

    def ms(xs: list[float]) -> list[float]:
        return [round(x * 1000, 1) for x in xs]

    def figure(name: str, samples: list[float], goal: float) -> Figure:
        return Figure(
            name,
            median(samples) * 1000,
            "ms",
            median(bare) * 1000,
            goal,
            size=size,
            floor_desc=floor_desc,
            detail={"app_ms": ms(samples), "bare_ms": ms(bare)},
        )

    figures = [figure("cold start to first paint", painted, GOAL)]
    if rows:
        figures.append(
            figure("cold start to the first agenda rows shown (informational)", rows, INFO)
        )
    figures.append(
        figure(
            "cold start after an unclean close (the open's quick_check) (informational)",
            unclean,
            INFO,
        )
    )
    return figures
