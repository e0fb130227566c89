"""Issue 15 (5) and issue 20: the quick check on open reads every page (3 s at 100,000 people), so
it is skipped only for a file exactly as a checked opening of netapp closed it; any other write,
a crash that left a log, a copy or a restore, and damage made in place are still found on open."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from netapp.domain import Person
from netapp.safety.opener import open_store
from netapp.store.db import Database, verified_since_last_close

PAGE = 4096


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every quick check an opening runs, by file."""
    ran: list[Path] = []
    real = Database._verify

    def counted(self: Database) -> None:
        ran.append(self.path)
        real(self)

    monkeypatch.setattr(Database, "_verify", counted)
    return ran


def _used(db_path: Path) -> None:
    """A database used and closed by netapp, with enough pages to damage some."""
    with open_store(db_path) as s:
        s.people.add_many([Person(display_name=f"Person {i}") for i in range(300)])
        with s.atomic():
            for i in range(150):
                s.meetings.add(f"Meeting {i}", "2026-01-05", venue="v" * 290)


def _damage_in_place(db_path: Path) -> None:
    size = db_path.stat().st_size
    with db_path.open("r+b") as fh:
        for n in (size // PAGE - 3, size // PAGE - 2):
            fh.seek(n * PAGE + 100)
            fh.write(bytes(range(250)) * 2)


def test_a_clean_close_lets_the_next_opening_skip_the_check(
    db_path: Path, checks: list[Path]
) -> None:
    """Opened, used and closed: the next opening of the untouched file runs no quick check."""
    _used(db_path)
    assert checks == [db_path] and verified_since_last_close(db_path)
    open_store(db_path).close()
    assert checks == [db_path]


@pytest.mark.parametrize("keep_mtime", [False, True], ids=["written", "mtime-set-back"])
def test_damage_made_after_a_clean_close_is_found_on_open(
    db_path: Path, checks: list[Path], keep_mtime: bool
) -> None:
    """Bytes overwritten in place (even with the modification time set back) are checked and
    found: the file opens damaged, read-only."""
    _used(db_path)
    before = db_path.stat()
    _damage_in_place(db_path)
    if keep_mtime:
        os.utime(db_path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert not verified_since_last_close(db_path)
    store = open_store(db_path)
    try:
        assert len(checks) == 2 and store.db.damaged
    finally:
        store.close()
    assert not verified_since_last_close(db_path)  # a damaged opening never vouches for it


def test_a_write_by_anything_else_or_a_left_log_means_a_check(
    db_path: Path, checks: list[Path]
) -> None:
    """Another program's write, and a log left with frames (a crash), both bring the check back."""
    _used(db_path)
    other = sqlite3.connect(db_path)
    other.execute("UPDATE people SET note = 'changed elsewhere' WHERE id = 1")
    other.commit()
    assert not verified_since_last_close(db_path)  # frames in the -wal
    other.close()
    assert not verified_since_last_close(db_path)  # checkpointed into the file: it changed
    open_store(db_path).close()
    assert len(checks) == 2 and verified_since_last_close(db_path)


def test_a_worker_opening_does_not_vouch_for_the_file(db_path: Path, checks: list[Path]) -> None:
    """Only a checked opening stamps the file: an unchecked one closing last leaves no stamp."""
    _used(db_path)
    with open_store(db_path, migrate=False) as s:  # the app's workers open this way
        s.people.add(Person(display_name="Written by a worker"))
    assert not verified_since_last_close(db_path)
