"""Issue 15 (1, 13): a file written with -o never replaces the database, its companions or a
backup, is written whole or not at all, is 0600, and never creates missing folders."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from netapp.cli import main
from netapp.domain import Person
from netapp.errors import ValidationError
from netapp.files import output_file, write_output

# Every command that writes a file, with its -o as the last argument.
WRITERS: list[list[str]] = [
    ["export", "--format", "csv", "-o"],
    ["export", "--format", "vcard", "-o"],
    ["export", "--format", "json", "-o"],
    ["export", "--format", "ics", "--today", "2026-01-05", "-o"],
    ["export", "--format", "optins", "-o"],
    ["cards", "--calibration", "--layout", "a4", "-o"],
    ["cards", "--campaign", "Spring", "--count", "2", "-o"],
    ["sheet", "followups", "--today", "2026-01-05", "-o"],
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def setup(db_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """A database with one person and one backup; returns (database, backup)."""
    assert main(["--db", str(db_path), "person", "add", "Ann Lee", "--email", "a@x.example"]) == 0
    from netapp.store import Store

    with Store(db_path) as s:  # cards need the user's name
        s.settings.update(
            {
                "profile.name": "Sam Seller",
                "profile.optin_url": "https://x.example/j",
                "profile.offer": "Free guide",
            }
        )
    assert main(["--db", str(db_path), "backup"]) == 0
    backup = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert backup.is_file()
    return db_path, backup


def _targets(db: Path, backup: Path, tmp_path: Path) -> list[Path]:
    hard = tmp_path / "hardlink.csv"
    os.link(db, hard)
    sym = tmp_path / "sym.pdf"
    sym.symlink_to(db)
    bsym = tmp_path / "backup-link.csv"
    bsym.symlink_to(backup)
    dotted = db.parent / "sub" / ".." / db.name
    (db.parent / "sub").mkdir(exist_ok=True)
    return [
        db,
        Path(str(db) + "-wal"),
        Path(str(db) + "-shm"),
        db.with_name(f".{db.name}.lock"),
        hard,
        sym,
        bsym,
        dotted,
        backup,
        backup.parent / "new-file-in-backups.csv",
    ]


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:3]))
def test_no_writer_replaces_the_database_or_a_backup(
    command: list[str],
    setup: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each -o pointing at the database (by name, hard link, symlink, ../), its -wal/-shm/lock,
    a backup or the backups folder is refused with one line and leaves every file as it was."""
    db, backup = setup
    before = {p: _digest(p) for p in (db, backup)}
    listing = sorted(backup.parent.iterdir())
    for target in _targets(db, backup, tmp_path):
        code = main(["--db", str(db), *command, str(target)])
        _out, err = capsys.readouterr()
        assert code == 1, (target, err)
        assert err.startswith("netapp: error: output:") and err.count("\n") == 1, err
        assert {p: _digest(p) for p in (db, backup)} == before, target
        assert sorted(backup.parent.iterdir()) == listing
    assert (tmp_path / "sym.pdf").is_symlink()


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:3]))
def test_writers_make_private_files_and_no_folders(
    command: list[str],
    setup: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A written file is 0600 and complete; a missing parent folder is an error, not created;
    no temporary file is left next to it."""
    db, _ = setup
    out = tmp_path / "out" / "file.out"
    assert main(["--db", str(db), *command, str(out)]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not out.parent.exists()
    out.parent.mkdir()
    assert main(["--db", str(db), *command, str(out)]) == 0, capsys.readouterr().err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.stat().st_size > 0
    assert [p.name for p in out.parent.iterdir()] == ["file.out"]


def test_the_default_encrypted_database_and_the_log_are_protected_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exporting from another --db never replaces the user's default database (encrypted, so
    not recognisable by its bytes), its journal or temporary files, or the log file."""
    pytest.importorskip("sqlcipher3")
    from netapp.paths import default_db_path
    from netapp.safety.logging import log_path, setup_logging, teardown_logging
    from netapp.store import Store

    default = default_db_path()
    with Store(default, passphrase="correct horse battery") as s:
        s.people.add(Person(display_name="Ann Lee"))
    setup_logging()
    teardown_logging()
    journal = default.with_name(f".{default.name}.encrypt-journal")
    journal.write_text("{}")
    other = tmp_path / "other.db"
    Store(other).close()
    for target in (default, journal, log_path()):
        before = _digest(target)
        code = main(["--db", str(other), "export", "--format", "csv", "-o", str(target)])
        assert code == 1, capsys.readouterr()
        assert _digest(target) == before
    capsys.readouterr()


def test_another_database_is_never_overwritten(db_path: Path, tmp_path: Path) -> None:
    """An existing SQLite file (another database, a copied backup) is not an export target."""
    other = tmp_path / "other.sqlite"
    import sqlite3

    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    before = _digest(other)
    with pytest.raises(ValidationError, match="is a database"):
        write_output(other, "x", database=db_path)
    assert _digest(other) == before


def test_a_failed_write_leaves_the_old_file(db_path: Path, tmp_path: Path) -> None:
    """An error while the new content is written leaves the previous file whole, and no
    temporary file behind."""
    out = tmp_path / "report.csv"
    out.write_text("the good one")
    with pytest.raises(RuntimeError), output_file(out, database=db_path) as fh:
        fh.write(b"half of the new")
        raise RuntimeError("the disk went away")
    assert out.read_text() == "the good one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


def test_a_symlink_target_is_followed_not_replaced(db_path: Path, tmp_path: Path) -> None:
    """-o through a symlink writes the file it points to and keeps the link."""
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_output(link, "new", database=db_path)
    assert link.is_symlink() and real.read_text() == "new"


def test_every_file_writer_goes_through_the_safe_helper() -> None:
    """Outside netapp.files and the code that writes netapp's own files (store, safety, device
    sync's folder), nothing in netapp/ or ui/ makes temporary files, renames over a path, or
    opens a file for writing itself."""
    import re

    root = Path(__file__).resolve().parents[3]
    # The store and safety write the database's own files; device sync writes numbered files
    # into its own per-device subfolders of the sync folder, never a file the user named.
    allowed = ("netapp/files.py", "netapp/safety/", "netapp/store/", "netapp/sync/devices/")
    pattern = re.compile(
        r"mkstemp\(|os\.replace\(|os\.rename\(|shutil\.copy|write_text\(|write_bytes\("
        r"|open\([^)]*['\"][wax]b?['\"]|\.save\((out|path|name|str|file)"
    )
    offenders = []
    for folder in ("netapp", "ui"):
        for path in sorted((root / folder).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel.startswith(allowed):
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []
