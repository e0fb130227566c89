"""Issue 15 (2): two real processes changing different fields of one record at the same moment
both keep their change: every read that decides a write happens inside its transaction."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from netapp.domain import LibraryItem, Person
from netapp.store import Store

ROUNDS = 60

# argv: db, which record, which field, rounds. Each process writes its own field ROUNDS times
# through the store's repository, as the CLI and the app do.
RACER = """
import sys
from netapp.store import Store
db, what, field, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
store = Store(db)
for i in range(rounds):
    value = f"{field}-{i}"
    if what == "group":
        store.groups.update(1, **{field: value})
    elif what == "meeting":
        store.meetings.update(1, **{field: value})
    elif what == "person":
        store.people.update(1, **{field: value})
    elif what == "library":
        store.library.update(1, **{field: value})
store.close()
"""

CASES = {
    "group": ("name", "venue"),
    "meeting": ("name", "venue"),
    "person": ("org", "title"),
    "library": ("title", "description"),
}


def _seed(db_path: Path) -> None:
    with Store(db_path) as s:
        s.groups.add("G")
        s.meetings.add("M", "2026-01-05")
        s.people.add(Person(display_name="Ann Lee"))
        s.library.add(LibraryItem(title="Guide", kind="article"))


def _final(db_path: Path, what: str) -> dict[str, str]:
    table = {
        "group": "groups",
        "meeting": "meetings",
        "person": "people",
        "library": "library_items",
    }
    with Store(db_path) as s:
        return s.db.query(f"SELECT * FROM {table[what]} WHERE id = 1")[0]


@pytest.mark.parametrize("what", sorted(CASES))
def test_two_processes_changing_different_fields_lose_nothing(db_path: Path, what: str) -> None:
    """Two processes each set a different field of the same record 60 times, interleaved; at
    the end each field holds its process's last value (no write undid the other's)."""
    _seed(db_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(db_path), what, field, str(ROUNDS)],
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for field in CASES[what]
    ]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    row = _final(db_path, what)
    assert {f: row[f] for f in CASES[what]} == {f: f"{f}-{ROUNDS - 1}" for f in CASES[what]}
