"""Issue 15 (13): the folders netapp makes for its data are 0700, its files 0600, and the log
file records every backup, from the app and from the command line alike."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from netapp.cli import main
from netapp.safety.logging import log_path, teardown_logging


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("where", ["netapp-home", "default", "nested-db"])
def test_data_folders_are_created_private(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """NETAPP_HOME, the default data folder and the folders of a new --db are created 0700
    (whatever the umask); the database and its backups are 0600."""
    old = os.umask(0o022)
    try:
        args: list[str] = []
        if where == "netapp-home":
            home = tmp_path / "new-home"
            monkeypatch.setenv("NETAPP_HOME", str(home))
            folders, db = [home], home / "netapp.db"
        elif where == "default":
            monkeypatch.delenv("NETAPP_HOME")
            monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
            monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
            db = tmp_path / "xdg" / "netapp" / "netapp.db"
            folders = [db.parent]
        else:
            db = tmp_path / "a" / "b" / "netapp.db"
            folders, args = [tmp_path / "a", db.parent], ["--db", str(db)]
        assert main([*args, "person", "add", "Ann Lee"]) == 0
        assert main([*args, "backup"]) == 0
        capsys.readouterr()
    finally:
        os.umask(old)
        teardown_logging()
    assert db.is_file() and _mode(db) == 0o600
    for folder in [*folders, db.parent / "backups"]:
        assert _mode(folder) == 0o700, folder
    for backup in (db.parent / "backups").iterdir():
        assert _mode(backup) == 0o600


def test_the_log_file_records_every_backup(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`netapp backup` (and the automatic ones it triggers) each leave a line in the log
    file naming the backup; the log file is 0600."""
    try:
        assert main(["--db", str(db_path), "person", "add", "Ann Lee"]) == 0
        assert main(["--db", str(db_path), "backup"]) == 0
        made = Path(capsys.readouterr().out.strip().splitlines()[-1])
    finally:
        teardown_logging()
    text = log_path().read_text()
    assert made.name in text and "manual" in text
    assert _mode(log_path()) == 0o600
