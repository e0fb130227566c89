"""Issue 15 (5): a damaged database is found when it is opened (or at the first SQLITE_CORRUPT);
nothing is written to it, and the message says which backup to restore and how."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from netapp.cli import main
from netapp.domain import Person
from netapp.errors import DamagedDatabaseError
from netapp.safety import file_backups as B
from netapp.safety.opener import open_store
from netapp.store import Store

PAGE = 4096


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def damaged(db_path: Path) -> tuple[Path, Path]:
    """A database whose last pages (meetings' notes) are overwritten, and a good backup."""
    with Store(db_path) as s:
        s.people.add_many([Person(display_name=f"Person {i}") for i in range(300)])
        backup = B.backup_file(db_path, kind="manual", conn=s.db.conn)
        with s.atomic():
            for i in range(150):
                s.meetings.add(f"Meeting {i}", "2026-01-05", venue="v" * 290)
    data = bytearray(db_path.read_bytes())
    pages = len(data) // PAGE
    for n in (pages - 3, pages - 2):
        data[n * PAGE + 100 : n * PAGE + 600] = bytes(range(250)) * 2
    db_path.write_bytes(bytes(data))
    return db_path, backup


def test_check_reports_the_damage(
    damaged: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The damage is real: `check` says so."""
    db, _ = damaged
    assert main(["--db", str(db), "check"]) == 1
    assert "damaged" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [
        ["person", "add", "Zed Zulu"],
        ["group", "add", "Club"],
        ["backup"],
        ["demo", "--people", "3"],
    ],
    ids=lambda c: c[0],
)
def test_no_write_to_a_damaged_database(
    command: list[str], damaged: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Writing commands refuse a damaged database, leave it byte-identical, and name the
    latest good backup with the command that restores it."""
    db, backup = damaged
    before = _digest(db)
    code = main(["--db", str(db), *command])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "damaged" in err and f"netapp restore {backup}" in err and err.count("\n") == 1, err
    assert _digest(db) == before


def test_the_opener_marks_a_damaged_database_read_only(damaged: tuple[Path, Path]) -> None:
    """Opened with the data-safety opener, a damaged database can be read but not written:
    the connection itself is query-only, so no write path can slip past."""
    db, _ = damaged
    store = open_store(db)
    try:
        assert store.db.damaged
        assert store.people.count() == 300
        with pytest.raises(DamagedDatabaseError, match="netapp restore"):
            store.people.add(Person(display_name="Zed"))
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.db.conn.execute("DELETE FROM people")
    finally:
        store.close()


def test_reading_a_damaged_page_is_named_as_damage(
    damaged: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A command that reads the damaged pages says the database is damaged (one line), not
    'unexpected problem' or a traceback."""
    db, _ = damaged
    code = main(["--db", str(db), "meeting", "list"])
    err = capsys.readouterr().err
    assert code == 1 and "damaged" in err and err.count("\n") == 1, err
