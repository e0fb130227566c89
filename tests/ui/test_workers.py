"""The engine worker's own connection: what its jobs leave behind for the window's connection."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from netapp import engine
from netapp.errors import NetappError
from netapp.store import Store
from ui import workers
from ui.main_window import MainWindow
from ui.workers import BACKGROUND_NICE, CANCELLED, GUI_FIRST, EngineWorker, GuiFirst


def test_a_worker_job_leaves_the_schema_as_it_was_for_the_windows_connection(
    qtbot: QtBot, demo_store: Store
) -> None:
    """A job's connection closes without ANALYZE, so the window's connection sees no schema
    change and its next insert into a table with triggers works (it once failed with
    "no such table: meetings")."""
    conn = demo_store.db.conn
    conn.execute("DROP TABLE IF EXISTS sqlite_stat1")  # as a database never optimized
    before = conn.execute("PRAGMA schema_version").fetchone()[0]
    worker = EngineWorker(demo_store)
    results: list[object] = []
    worker.done.connect(lambda _n, r: results.append(r))
    worker.failed.connect(lambda _n, msg: results.append(msg))
    for day in ("2026-11-24", "2026-11-25"):
        as_of = date.fromisoformat(day)
        worker.submit(lambda s, cancel, d=as_of: engine.refresh_status(s, d, cancel=cancel))
    qtbot.waitUntil(lambda: len(results) == 2 and not worker.busy(), timeout=60_000)
    assert all(isinstance(r, int) for r in results), results
    assert conn.execute("PRAGMA schema_version").fetchone()[0] == before
    mid = demo_store.meetings.add("Lighthouse lunch", "2026-11-05")
    assert demo_store.meetings.get(mid).name == "Lighthouse lunch"


def test_jobs_pause_at_their_checks_while_the_gui_opens_a_page(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the GUI holds GUI_FIRST (opening a page), a job stops at its next cancel check
    and goes on once the GUI lets go."""
    monkeypatch.setattr(GuiFirst, "MAX_PAUSE_S", 60.0)  # only the release may free it here
    started, passed = threading.Event(), threading.Event()

    def job(_store: Store, cancel: Callable[[], bool]) -> bool:
        started.set()
        stopped = cancel()
        passed.set()
        return stopped

    worker = EngineWorker(demo_store)
    results: list[object] = []
    worker.done.connect(lambda _n, r: results.append(r))
    GUI_FIRST.hold()
    try:
        worker.submit(job)
        assert started.wait(30)
        assert not passed.wait(0.3)  # held: the job waits at its check
    finally:
        GUI_FIRST.release()
    assert passed.wait(30)
    qtbot.waitUntil(lambda: results == [False], timeout=30_000)


def test_opening_a_page_holds_the_workers_until_it_has_painted(
    qtbot: QtBot, window: MainWindow
) -> None:
    """show_page holds GUI_FIRST and lets go from the event loop, after the page is shown."""
    qtbot.waitUntil(GUI_FIRST._free.is_set, timeout=10_000)  # the first page's hold is over
    window.show_page("meetings")
    assert not GUI_FIRST._free.is_set()
    qtbot.waitUntil(GUI_FIRST._free.is_set, timeout=10_000)


def test_a_job_waits_out_a_hold_once_then_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """A check that waited the longest for one hold does not wait again for the same hold (the
    GUI may be waiting for that job's transaction); a new hold pauses checks again."""
    gate = GuiFirst()
    gate.MAX_PAUSE_S = 0.01
    gate.hold()
    gate.wait()  # waits the longest: the GUI never let go

    def must_not_wait(_timeout: float) -> bool:
        raise AssertionError("waited again for the same hold")

    real_wait = gate._free.wait
    monkeypatch.setattr(gate._free, "wait", must_not_wait)
    gate.wait()
    gate.hold()  # a new hold: checks pause again
    calls: list[float] = []
    monkeypatch.setattr(gate._free, "wait", lambda t: calls.append(t) or real_wait(t))
    gate.wait()
    assert calls == [0.01]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_jobs_run_below_the_gui_threads_priority(qtbot: QtBot, demo_store: Store) -> None:
    """A job's pool thread runs niced below the GUI thread (so a page opened during the
    morning refresh gets a processor first), and the GUI thread keeps its own priority."""
    gui_before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def job(_store: Store, _cancel: Callable[[], bool]) -> tuple[int, int]:
        tid = threading.get_native_id()
        return tid, os.getpriority(os.PRIO_PROCESS, tid)

    worker = EngineWorker(demo_store)
    results: list[tuple[int, int]] = []
    worker.done.connect(lambda _n, r: results.append(r))
    worker.submit(job)
    worker.submit(job)  # the same pool thread again: still niced, no error
    qtbot.waitUntil(lambda: len(results) == 2, timeout=30_000)
    gui = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert gui == gui_before
    for tid, nice in results:
        assert tid != threading.get_native_id()
        assert nice >= BACKGROUND_NICE > gui


def test_the_heap_is_trimmed_on_the_pool_thread_after_the_result_is_taken(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the GUI has taken a job's result and no job is left, the freed heap is handed back
    (malloc_trim) after the result's receivers ran, on the pool thread, not the GUI's."""
    events: list[tuple[str, int]] = []

    def trim() -> bool:
        events.append(("trim", threading.get_native_id()))
        return True

    monkeypatch.setattr(workers, "release_free_memory", trim)
    worker = EngineWorker(demo_store)
    worker.done.connect(lambda _n, _r: events.append(("done", threading.get_native_id())))
    worker.submit(lambda _store, _cancel: 1)
    qtbot.waitUntil(lambda: bool(events) and events[-1][0] == "trim" and len(events) > 2)
    kinds = [kind for kind, _ in events]
    assert kinds.index("done") < len(kinds) - 1
    assert events[-1][1] != threading.get_native_id()
    worker.stop()


def test_no_trim_after_a_result_while_another_workers_job_runs(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While another worker's job runs (the morning refresh), a result brings no trim (it
    would lock the heaps the GUI thread allocates from); once that job ends, its own does."""
    events: list[str] = []
    monkeypatch.setattr(workers, "release_free_memory", lambda: events.append("trim") or True)
    go_on = threading.Event()
    busy, quick = EngineWorker(demo_store), EngineWorker(demo_store)
    busy.done.connect(lambda _n, _r: events.append("busy done"))
    quick.done.connect(lambda _n, _r: events.append("quick done"))
    busy.submit(lambda _store, _cancel: go_on.wait(30))
    qtbot.waitUntil(lambda: not workers._GC_PAUSE.idle())
    quick.submit(lambda _store, _cancel: 1)
    qtbot.waitUntil(lambda: "quick done" in events)
    qtbot.wait(200)
    assert events == ["quick done"]
    go_on.set()
    qtbot.waitUntil(lambda: events[-1:] == ["trim"] and "busy done" in events)
    assert events.index("busy done") < len(events) - 1
    busy.stop()
    quick.stop()


def test_every_job_reports_once_even_when_it_is_cancelled(qtbot: QtBot, store: Store) -> None:
    """Each job submitted reports exactly once: its result, its failure, or failed(CANCELLED)
    when it was cancelled running, queued, or by stop(); the jobs after it still run."""
    started = threading.Event()

    def hold(_store: Store, cancel: Callable[[], bool]) -> str:
        started.set()
        while not cancel():
            time.sleep(0.005)
        return "held"

    def broken(_store: Store, _cancel: Callable[[], bool]) -> None:
        raise NetappError("people.db: broken on purpose")

    worker = EngineWorker(store)
    reports: list[tuple[int, str, object]] = []
    worker.done.connect(lambda n, r: reports.append((n, "done", r)))
    worker.failed.connect(lambda n, m: reports.append((n, "failed", m)))
    running = worker.submit(hold)
    assert started.wait(30)
    queued = worker.submit(lambda _s, _c: "queued")
    after = worker.submit(lambda _s, _c: "after")
    failing = worker.submit(broken)
    worker.cancel(queued)
    worker.cancel(running)
    qtbot.waitUntil(lambda: len(reports) >= 4, timeout=30_000)
    started.clear()
    stopped_running = worker.submit(hold)
    assert started.wait(30)
    stopped_queued = worker.submit(lambda _s, _c: "never")
    worker.stop()
    qtbot.waitUntil(lambda: len(reports) >= 6, timeout=30_000)
    qtbot.wait(50)  # nothing more comes
    assert sorted(reports, key=lambda r: r[0]) == [
        (running, "failed", CANCELLED),
        (queued, "failed", CANCELLED),
        (after, "done", "after"),
        (failing, "failed", "people.db: broken on purpose"),
        (stopped_running, "failed", CANCELLED),
        (stopped_queued, "failed", CANCELLED),
    ]
