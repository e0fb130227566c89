"""The engine worker's own connection: what its jobs leave behind for the window's connection."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from netapp import engine
from netapp.store import Store
from ui.workers import EngineWorker


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
