"""Issue 15 (3, 4, 12): a backup carrying a planted trigger, view, table or index is refused by
check and restore; another program's SQLite file, a text file or a directory is refused and
left byte-identical; each with one line naming the real cause."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from netapp.cli import main
from netapp.domain import Person
from netapp.safety import file_backups as B
from netapp.store import Store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "schemas"

TRAPS = {
    "trigger": "CREATE TRIGGER trap AFTER INSERT ON interactions BEGIN "
    "DELETE FROM people WHERE id <> new.person_id; END",
    "view": "CREATE VIEW v AS SELECT * FROM people",
    "table": "CREATE TABLE extra (x)",
    "index": "CREATE INDEX extra_idx ON people(org)",
    # A netapp trigger with the same name but another body.
    "changed": "DROP TRIGGER people_ai; CREATE TRIGGER people_ai AFTER INSERT ON people "
    "BEGIN DELETE FROM interactions; END",
    "dropped": "DROP TRIGGER people_ai",
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    err = capsys.readouterr().err
    return code, err


@pytest.fixture
def populated(db_path: Path) -> Path:
    with Store(db_path) as s:
        s.people.add_many([Person(display_name=f"Person {i}") for i in range(200)])
    return db_path


def _trapped_backup(db: Path, tmp_path: Path, sql: str) -> Path:
    backup = B.backup_file(db, kind="manual")
    conn = sqlite3.connect(backup)
    conn.executescript(sql)
    conn.close()
    return backup


@pytest.mark.parametrize("trap", sorted(TRAPS))
def test_restore_and_check_refuse_a_planted_schema_object(
    trap: str, populated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backup whose schema differs from what netapp's migrations make at its version fails
    `check --file` and `restore`, which leaves the database as it was."""
    backup = _trapped_backup(populated, tmp_path, TRAPS[trap])
    code, err = _run(capsys, "--db", str(populated), "check", "--file", str(backup))
    assert code == 1 and "schema" in err and err.count("\n") == 1, err
    before = _digest(populated)
    code, err = _run(capsys, "--db", str(populated), "restore", str(backup), "--yes")
    assert code == 1 and "schema" in err, err
    assert _digest(populated) == before
    with Store(populated) as s:
        assert s.people.count() == 200


def test_a_trap_planted_in_the_live_database_is_reported_by_check(
    populated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check` on the database itself compares its schema too."""
    conn = sqlite3.connect(populated)
    conn.executescript(TRAPS["trigger"])
    conn.close()
    code, err = _run(capsys, "--db", str(populated), "check")
    assert code == 1 and "trap" in err, err


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("v*.db")), ids=lambda p: p.stem)
def test_every_released_schema_passes_the_shape_check(fixture: Path, tmp_path: Path) -> None:
    """The fixture of every released schema version is what the migrations make at that
    version (so an old backup is restorable), and so is a fresh database."""
    copy = tmp_path / fixture.name
    shutil.copy(fixture, copy)
    assert B.check_file(copy) >= 1
    with Store(tmp_path / "fresh.db"):
        pass
    assert B.check_file(tmp_path / "fresh.db") >= 1


def _foreign(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT);"
        "INSERT INTO bookmarks (url) VALUES ('https://example.org');"
    )
    conn.close()
    return path


COMMANDS = [
    ["person", "list"],
    ["person", "add", "Ann"],
    ["backup"],
    ["check"],
    ["encrypt"],
    ["export", "--format", "csv", "-o", "{out}"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_foreign_sqlite_file_is_refused_and_left_identical(
    command: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another program's SQLite file is not a netapp database: every command refuses it with
    one line and leaves it byte for byte as it was (no tables added, no WAL switch)."""
    monkeypatch.setenv("NETAPP_PASSPHRASE", "correct horse battery")
    db = _foreign(tmp_path / "other-app.sqlite")
    before = _digest(db)
    args = [a.format(out=tmp_path / "out.csv") for a in command]
    code, err = _run(capsys, "--db", str(db), *args)
    assert code == 1, err
    assert "not a netapp database" in err and err.count("\n") == 1, err
    assert _digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other-app.sqlite"]


@pytest.mark.parametrize("command", [["person", "list"], ["check"], ["backup"]])
def test_a_text_file_is_not_a_database_not_an_encrypted_one(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A text file given as the database says "not a netapp database", never "encrypted"."""
    db = tmp_path / "notes.txt"
    db.write_text("shopping list\nmilk\n" * 50)
    before = _digest(db)
    code, err = _run(capsys, "--db", str(db), *command)
    assert code == 1 and "not a netapp database" in err and "encrypt" not in err, err
    assert _digest(db) == before


def test_restore_of_a_text_file_names_it_not_a_database(
    populated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """restore given a text file: "not a netapp database", not "is encrypted"."""
    text = tmp_path / "backup.db"
    text.write_text("this is not a backup\n" * 300)
    code, err = _run(capsys, "--db", str(populated), "restore", str(text), "--yes")
    assert code == 1 and "not a netapp database" in err and "encrypt" not in err, err


def test_an_empty_sqlite_file_becomes_a_netapp_database(tmp_path: Path) -> None:
    """A SQLite file with no tables yet (e.g. made by `sqlite3 file 'PRAGMA user_version=0'`)
    is empty, not foreign: netapp sets it up."""
    db = tmp_path / "empty.db"
    sqlite3.connect(db).execute("PRAGMA user_version = 0").connection.close()
    with Store(db) as s:
        assert s.people.count() == 0


def test_restore_never_replaces_another_programs_file(
    populated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--db <another program's file> restore <a good backup>` refuses and leaves it as it was."""
    good = B.backup_file(populated, kind="manual")
    foreign = _foreign(tmp_path / "other-app.sqlite")
    before = _digest(foreign)
    code, err = _run(capsys, "--db", str(foreign), "restore", str(good), "--yes")
    assert code == 1 and "not a netapp database" in err, err
    assert _digest(foreign) == before
