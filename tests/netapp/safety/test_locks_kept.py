"""A second opening in the same process (the app's workers, the daily backup) keeps the main
opening's SQLite locks: closing any descriptor of the file drops every POSIX lock the process
holds on it, and another process could then check in and delete the WAL still in use."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from netapp.domain import Person
from netapp.safety.opener import open_store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX advisory locks")

# SQLite's unix VFS takes a read lock on one byte of this range for a shared lock.
PROBE = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 510, 0x40000000 + 2)
    print("free")
except OSError:
    print("held")
"""

OTHER_PROCESS = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2]:
    conn.execute(sys.argv[2])
print(*(r[0] for r in conn.execute("SELECT display_name FROM people ORDER BY id")))
conn.close()  # the last connection, as far as it can tell: it checks the WAL in, deletes it
"""


def _locked_by_someone(path: Path) -> bool:
    out = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True)
    return out.stdout.strip() == "held"


def test_a_worker_opening_keeps_the_main_opening_s_lock(tmp_path: Path) -> None:
    """After a worker's connection opens and closes, another process still sees the file in
    use (it read the file's first bytes itself, which dropped the lock)."""
    path = tmp_path / "t.db"
    main = open_store(path)
    try:
        main.people.add(Person(display_name="Ann"))
        assert _locked_by_someone(path)
        worker = open_store(path, migrate=False)
        assert _locked_by_someone(path)
        worker.close(optimize=False)
        assert _locked_by_someone(path)
    finally:
        main.close()


def _in_other_process(path: Path, sql: str = "") -> list[str]:
    """Run ``sql`` (if any) in another process, as its only connection, and list the names it
    then reads."""
    out = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, str(path), sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_writes_after_a_worker_opening_survive_another_process(tmp_path: Path) -> None:
    """The loss the dropped lock led to: another process's last close checked in and deleted
    the WAL the app kept writing to, so what the app wrote next was out of everyone else's
    sight, and the two went on writing different logs into one file."""
    path = tmp_path / "t.db"
    main = open_store(path)
    try:
        main.people.add(Person(display_name="Ann"))
        open_store(path, migrate=False).close(optimize=False)
        assert _in_other_process(path) == ["Ann"]
        main.people.add(Person(display_name="Bea"))
        other = (
            "INSERT INTO people (uuid, display_name, created_at, updated_at)"
            " VALUES ('u-cy', 'Cy', '2026-12-07', '2026-12-07')"
        )
        assert _in_other_process(path, other) == ["Ann", "Bea", "Cy"]
        assert main.db.conn.execute("SELECT count(*) FROM people").fetchone()[0] == 3
    finally:
        main.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
