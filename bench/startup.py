"""Cold start to the first painted main window, at 10k people.

Figure: a new process running netapp's real start-up (``ui.app.run_app``: QApplication, open
and check the database, build the main window and its first page, show it) until the main
window has finished its first paint. Floor: a new process that shows a bare PySide6
``QMainWindow`` and waits for the same first paint. Both include starting Python and loading
Qt, which no app can avoid; the ratio is what netapp adds on top. Runs alternate between
the two, after one warm-up each (so both read the libraries from the page cache).
"""

from __future__ import annotations

from bench import data
from bench.common import run_child
from bench.harness import Config, Figure, median

TITLE = "cold start"
SCALES = True  # a data size: measured at each size of a scaling run
GOAL = 1.5


def available(cfg: Config) -> str:
    return ""


def run(cfg: Config) -> list[Figure]:
    people = cfg.size(10_000)
    db = data.database(people, cache=cfg.cache_dir)
    run_child("bare")
    run_child("app", db)
    bare: list[float] = []
    app: list[float] = []
    for _ in range(cfg.subprocess_repeats):
        bare.append(run_child("bare").seconds)
        app.append(run_child("app", db).seconds)
    return [
        Figure(
            "cold start to first paint",
            median(app) * 1000,
            "ms",
            median(bare) * 1000,
            GOAL,
            size=f"{data.label(people)} people",
            floor_desc="bare PySide6 QMainWindow process, start to first paint",
            detail={
                "app_ms": [round(x * 1000, 1) for x in app],
                "bare_ms": [round(x * 1000, 1) for x in bare],
            },
        )
    ]
