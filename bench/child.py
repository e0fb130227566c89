"""Run in a fresh process by the start-up and memory benchmarks (never imported by them).

    python bench/child.py MODE [DB]

MODE is one of
  bare        a bare PySide6 QMainWindow (the floor)
  app         netapp's real start-up (``ui.app.run_app``) on DB
  bare-mem    the bare window, then report memory once it has painted
  people-mem  netapp's main window with the People page open on DB, then report memory
              once the window is idle (its background work, such as the day's status
              refresh and the Today agenda, done): the memory a user's session settles at

Once the main window has finished its first paint, it prints one line
``PAINTED <unix time> <rss kB> <peak rss kB>`` and exits at once (no teardown). ``app`` then
goes on until the Today page shows its first agenda rows, prints ``ROWS <unix time>`` and
exits: a first paint of an empty window is not the whole start.

With ``NETAPP_BENCH_PROFILE=FILE`` set, pyinstrument profiles everything from here (Qt's
import included) to the first paint and writes the text report to FILE.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

_PROFILER: Any = None
if os.environ.get("NETAPP_BENCH_PROFILE"):
    from pyinstrument import Profiler

    _PROFILER = Profiler(interval=0.0005)
    _PROFILER.start()

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget  # noqa: E402


def rss_kb() -> tuple[int, int]:
    """Current and peak resident set size of this process, in kB (Linux /proc; else peak only)."""
    now = peak = 0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                now = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    except OSError:
        import resource

        peak = now = int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return now, peak


ROWS_WAIT_S = 60  # app: how long to wait for the Today page's first rows after the paint


class FirstPaint(QObject):
    """Report once the first Paint event of a main window (see watch_main_windows) is handled.

    The report runs from a zero-delay timer, so it fires after the whole paint pass (every
    widget painted into the backing store), not in the middle of it.
    """

    def __init__(self, settle: int = 0, rows: bool = False) -> None:
        super().__init__()
        self.seen = False
        self.settle = settle  # extra event-loop turns before reporting (memory: let it settle)
        self.rows = rows  # after the paint, wait for the Today page's first agenda rows
        # Memory: also wait until this says the window is idle (its background work done).
        self.busy: Any = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            not self.seen
            and event.type() == QEvent.Type.Paint
            and isinstance(obj, QWidget)
            and isinstance(obj.window(), QMainWindow)
        ):
            self.seen = True
            QTimer.singleShot(0, self.report)
        return False

    def report(self) -> None:
        if self.settle > 0:
            self.settle -= 1
            QTimer.singleShot(0, self.report)
            return
        if self.busy is not None and self.busy():
            QTimer.singleShot(50, self.report)
            return
        stamp = time.time()
        now, peak = rss_kb()
        if _PROFILER is not None:
            _PROFILER.stop()
            Path(os.environ["NETAPP_BENCH_PROFILE"]).write_text(
                _PROFILER.output_text(unicode=False, color=False)
            )
        print(f"PAINTED {stamp:.6f} {now} {peak}", flush=True)
        if self.rows:
            self.wait_rows(stamp + ROWS_WAIT_S)
            return
        os._exit(0)

    def wait_rows(self, give_up: float) -> None:
        """Print ``ROWS <unix time>`` once the Today page lists agenda rows, then exit (without
        it if nothing is listed by ``give_up``: an empty agenda)."""
        page = today_page()
        if (page is None or page.model.rowCount() == 0) and time.time() < give_up:
            QTimer.singleShot(2, lambda: self.wait_rows(give_up))
            return
        if page is not None and page.model.rowCount() > 0:
            print(f"ROWS {time.time():.6f}", flush=True)
        os._exit(0)


def watch_main_windows(watcher: FirstPaint) -> None:
    """Install ``watcher`` on each main window as it is shown, and on nothing else.

    An application-wide filter would make every event of every object cross into Python, and
    PySide6 then creates the enum classes of each object's class: about 160 classes (28-39 ms)
    once the app's first item view is built, which a real start without the bench does not
    pay. The window's own Paint event comes first in its paint pass, and the report waits for
    the rest of the pass, so this sees the same moment. The bare window and the app are
    watched the same way.
    """
    show = QMainWindow.show

    def show_watched(window: QWidget) -> None:
        window.installEventFilter(watcher)
        show(window)

    QMainWindow.show = show_watched  # type: ignore[method-assign]


def today_page() -> Any:
    """The Today page of the app's main window, once the window exists."""
    for widget in QApplication.topLevelWidgets():
        # The app paints its window's frame before it opens the database and attaches it.
        if isinstance(widget, QMainWindow) and getattr(widget, "attached", False):
            return widget.page("today")
    return None


def main(argv: list[str]) -> int:
    mode = argv[1]
    app = QApplication([argv[0]])
    watcher = FirstPaint(settle=3 if mode.endswith("-mem") else 0, rows=mode == "app")
    watch_main_windows(watcher)
    if mode in ("bare", "bare-mem"):
        window = QMainWindow()
        window.resize(1280, 800)
        window.show()
        return app.exec()
    db = Path(argv[2])
    if mode == "app":
        from ui.app import run_app

        return run_app(db, [argv[0]])
    if mode == "people-mem":
        from ui import qt_loading  # noqa: F401  (first, as ui.app does)

        # isort: split
        from netapp.store import Store
        from ui.main_window import MainWindow

        store = Store(db)
        main_window = MainWindow(store, None)
        main_window.show_page("people")
        main_window.show()
        watcher.busy = main_window.is_busy
        return app.exec()
    print(f"unknown mode {mode!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
