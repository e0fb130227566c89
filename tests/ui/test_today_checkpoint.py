"""The Today page's full pass copies the write-ahead log back into the database file on its
worker (issue 20): pages another connection wrote while the pass was reading are not left for
the next write in the window (a Done) to copy."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from netapp.store import Store
from tests.conftest import DEMO_TODAY
from ui.pages import today as today_module


def _backlog(db_path: Path) -> int:
    """Frames in the write-ahead log not yet copied back (mxFrame - nBackfill, read from the
    shared-memory index without checkpointing)."""
    shm = Path(f"{db_path}-shm").read_bytes()
    frames = int.from_bytes(shm[16:20], sys.byteorder)
    backfilled = int.from_bytes(shm[96:100], sys.byteorder)
    return frames - backfilled


def test_full_pass_checkpoints_what_was_written_while_it_read(demo_store: Store) -> None:
    """A write committed while a long read was open cannot be checkpointed then; the Today
    pass, run after the read ends, leaves nothing of it in the log."""
    path = Path(demo_store.db.path)
    worker = Store(path)
    try:
        reader = worker.db.conn.execute("SELECT id FROM people")
        reader.fetchone()  # a read transaction held open, as the pass holds its own
        with demo_store.atomic():
            demo_store.db.conn.execute("UPDATE people SET note = note || ' ' WHERE 1")
        demo_store.db.checkpoint()  # as the status refresh does: blocked by the reader
        assert _backlog(path) > 0
        reader.close()
        today_module._compute(worker, date.fromisoformat(DEMO_TODAY), lambda: False)
        assert _backlog(path) == 0
    finally:
        worker.close(optimize=False)
