"""Issue 15 (2): two real processes changing different fields of one record at the same moment
both keep their change: every read that decides a write happens inside its transaction."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from netapp.domain import Email, LibraryItem, Person
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


def test_an_import_merge_keeps_an_edit_made_after_it_was_planned(
    db_path: Path, tmp_path: Path
) -> None:
    """An import planned (the preview), then another window edits the matched person, then
    the import is committed: the merge is recomputed from the person as stored, so the edit
    stays and the import's additions land too."""
    from netapp.interchange.importer import commit_import, plan_import

    with Store(db_path) as s:
        pid = s.people.add(Person(display_name="Ann Lee", emails=[Email("ann@x.example")]))
    card = tmp_path / "ann.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@x.example\r\n"
        "TEL:+14155550123\r\nEND:VCARD\r\n"
    )
    importer, other = Store(db_path), Store(db_path)
    try:
        plan = plan_import(importer, [card])
        assert plan.files[0].items[0].action == "merge"
        other.people.update(pid, org="Edited Elsewhere Ltd")
        commit_import(importer, plan, backup_first=False)
        ann = importer.people.get(pid)
    finally:
        importer.close()
        other.close()
    assert ann.org == "Edited Elsewhere Ltd"
    assert [p.number for p in ann.phones] == ["+14155550123"]
