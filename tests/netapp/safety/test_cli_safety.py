"""The backup, restore, encrypt, decrypt and check commands, through netapp.cli.main."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from netapp.cli import main
from netapp.safety import file_backups as B
from netapp.store import Store
from netapp.store.sqlcipher import is_encrypted_file


def _people(db: Path, passphrase: str | None = None) -> list[str]:
    s = Store(db, passphrase=passphrase)
    try:
        return [
            r["display_name"] for r in s.db.query("SELECT display_name FROM people ORDER BY id")
        ]
    finally:
        s.close()


def test_backup_list_restore_check(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """backup prints the new file; restore --yes brings it back; check says ok."""
    db = ["--db", str(db_path)]
    assert main([*db, "person", "add", "First Fran"]) == 0
    capsys.readouterr()
    assert main([*db, "backup"]) == 0
    saved = Path(capsys.readouterr().out.strip())
    assert saved.exists() and saved.parent == db_path.parent / "backups"
    assert main([*db, "person", "add", "Second Sid"]) == 0
    assert main([*db, "backup", "--list"]) == 0
    assert str(saved) in capsys.readouterr().out
    assert main([*db, "restore", str(saved), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "the previous database was saved as" in out
    assert _people(db_path) == ["First Fran"]
    assert main([*db, "check"]) == 0
    assert "ok (schema current)" in capsys.readouterr().out
    assert main([*db, "check", "--file", str(saved)]) == 0


def test_restore_of_a_bad_file_fails_with_one_line(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """restore of a garbage file prints one 'netapp: error:' line naming it and changes nothing."""
    db = ["--db", str(db_path)]
    main([*db, "person", "add", "Kept Kate"])
    bad = tmp_path / "junk.db"
    bad.write_bytes(os.urandom(8192))
    capsys.readouterr()
    assert main([*db, "restore", str(bad), "--yes"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("netapp: error:") and "junk.db" in err and err.count("\n") == 1
    assert _people(db_path) == ["Kept Kate"]


def test_restore_without_yes_and_without_terminal_refuses(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """restore asks for --yes when it cannot ask the user."""
    db = ["--db", str(db_path)]
    main([*db, "person", "add", "Ann"])
    main([*db, "backup"])
    saved = capsys.readouterr().out.strip().splitlines()[-1]
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main([*db, "restore", saved]) == 1
    assert "--yes" in capsys.readouterr().err


def test_encrypt_decrypt_with_env_passphrase(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """encrypt/decrypt take NETAPP_PASSPHRASE; commands then need it; a wrong one is one clear line."""
    db = ["--db", str(db_path)]
    main([*db, "person", "add", "Secret Sue"])
    monkeypatch.setenv("NETAPP_PASSPHRASE", "long enough pass")
    assert main([*db, "encrypt"]) == 0
    assert is_encrypted_file(db_path)
    assert "cannot be recovered" in capsys.readouterr().out
    assert main([*db, "person", "list"]) == 0
    assert "Secret Sue" in capsys.readouterr().out
    assert main([*db, "backup"]) == 0
    assert is_encrypted_file(Path(capsys.readouterr().out.strip()))
    monkeypatch.setenv("NETAPP_PASSPHRASE", "wrong")
    assert main([*db, "person", "list"]) == 1
    err = capsys.readouterr().err
    assert "wrong passphrase" in err and "Traceback" not in err
    monkeypatch.delenv("NETAPP_PASSPHRASE")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main([*db, "person", "list"]) == 1
    assert "NETAPP_PASSPHRASE" in capsys.readouterr().err
    monkeypatch.setenv("NETAPP_PASSPHRASE", "long enough pass")
    assert main([*db, "decrypt"]) == 0
    assert not is_encrypted_file(db_path)
    monkeypatch.delenv("NETAPP_PASSPHRASE")
    assert _people(db_path) == ["Secret Sue"]


def test_new_database_is_encrypted_when_env_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database created by the CLI while NETAPP_PASSPHRASE is set is encrypted with it, 0600."""
    db = tmp_path / "fresh.db"
    monkeypatch.setenv("NETAPP_PASSPHRASE", "brand new pass")
    assert main(["--db", str(db), "person", "add", "New Nia"]) == 0
    assert is_encrypted_file(db)
    assert _people(db, "brand new pass") == ["New Nia"]
    if os.name == "posix":
        assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert B.list_backups(db) == []
