"""Two processes on one database: no corruption, no 'database is locked' crash."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from netapp.domain import Person
from netapp.errors import LockedError
from netapp.store import Store

WRITER = """
import sys
from netapp.domain import Person
from netapp.store import Store
store = Store(sys.argv[1])
for i in range(int(sys.argv[3])):
    with store.atomic():
        a = store.people.add(Person(display_name=f"{sys.argv[2]} {i}"))
        store.people.update(a, note="written while the other process writes too")
store.close()
"""


def test_two_processes_writing_at_once_both_succeed(db_path: Path) -> None:
    """Two writer processes (app + CLI) interleave 150 transactions each; all rows land, db is ok."""
    Store(db_path).close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path), name, "150"],
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name in ("App", "Cli")
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert not any("locked" in e for e in errors)
    store = Store(db_path)
    try:
        assert store.people.count() == 300
        assert store.db.scalar("PRAGMA integrity_check") == "ok"
    finally:
        store.close()


def test_a_writer_waits_for_a_short_lock(store: Store) -> None:
    """A write that meets another connection's open transaction waits for it instead of failing."""
    other = Store(store.path)
    other.db.conn.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release() -> None:
        released.wait()
        other.db.conn.execute("COMMIT")

    t = threading.Thread(target=release)
    t.start()
    timer = threading.Timer(0.3, released.set)
    timer.start()
    try:
        pid = store.people.add(Person(display_name="Patient Pat"))
    finally:
        t.join()
        other.close()
    assert store.people.get(pid).display_name == "Patient Pat"


def test_a_long_lock_gives_a_clear_message(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A lock held past the busy timeout and the retry raises LockedError with a plain message."""
    monkeypatch.setattr("netapp.store.db.BUSY_TIMEOUT_MS", 50)
    impatient = Store(store.path)
    store.db.conn.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(LockedError, match="another netapp window or command"):
            impatient.people.add(Person(display_name="Blocked Bo"))
    finally:
        store.db.conn.execute("ROLLBACK")
        impatient.close()
    assert store.people.count() == 0
