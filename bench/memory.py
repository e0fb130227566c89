"""Memory (resident set size) with the People page open at 100k people.

Figure: a new process that opens the database, builds netapp's main window, opens the
People page (the list shows its first page), waits for the first paint and then for the
window's background work (the day's status refresh, the Today agenda) to finish, then reads
its RSS; the peak RSS is in ``detail``. Floor: a new process showing a bare PySide6
``QMainWindow``, measured the same way.
"""

from __future__ import annotations

from bench import data
from bench.common import run_child
from bench.harness import Config, Figure, median

TITLE = "memory"
SCALES = True  # a data size: measured at each size of a scaling run
GOAL = 1.5


def available(cfg: Config) -> str:
    import sys

    return "" if sys.platform.startswith("linux") else "reads /proc/self/status (Linux only)"


def run(cfg: Config) -> list[Figure]:
    people = cfg.size(100_000)
    db = data.database(people, cache=cfg.cache_dir)
    runs = max(1, min(3, cfg.subprocess_repeats))
    app = [run_child("people-mem", db) for _ in range(runs)]
    bare = [run_child("bare-mem") for _ in range(runs)]
    return [
        Figure(
            "memory, People page open",
            median([r.rss_kb for r in app]) / 1024,
            "MB",
            median([r.rss_kb for r in bare]) / 1024,
            GOAL,
            size=f"{data.label(people)} people",
            floor_desc="RSS of a bare PySide6 QMainWindow process",
            detail={
                "app_peak_mb": round(max(r.peak_kb for r in app) / 1024, 1),
                "bare_peak_mb": round(max(r.peak_kb for r in bare) / 1024, 1),
            },
        )
    ]
