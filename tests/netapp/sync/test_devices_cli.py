"""``netapp sync devices [--folder PATH]`` and ``netapp sync status`` on real databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netapp.cli import main
from netapp.domain import Person
from netapp.store import Store


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def test_join_sync_and_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two databases join one folder from the command line; a person crosses; status names
    this device and the other with when it was last seen."""
    a, b, folder = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "sync"
    with Store(a) as store:
        store.people.add(Person(display_name="Ann Lee"))
    assert run(a, "sync", "devices", "--folder", str(folder), "--name", "laptop") == 0
    assert "laptop" in capsys.readouterr().out
    assert run(b, "sync", "devices", "--folder", str(folder), "--name", "desktop") == 0
    assert "1 updates received" in capsys.readouterr().out
    with Store(b) as store:
        assert store.people.find("Ann Lee") is not None
    assert run(a, "sync", "devices") == 0
    assert run(a, "sync", "status") == 0
    out = capsys.readouterr().out
    assert "this device: laptop" in out and "device desktop" in out and "last seen" in out
    assert run(a, "sync", "status", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["name"] for d in data["devices"]["devices"]] == ["desktop"]
    assert run(b, "sync", "devices", "--json") == 0
    assert json.loads(capsys.readouterr().out)["read"] == 0


def test_sync_before_joining_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Syncing a database that joined no folder says what to run, in one line, exit 1."""
    assert run(tmp_path / "a.db", "sync", "devices") == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--folder" in err


def test_missing_folder_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder that went (an unplugged drive) is named in one line; nothing changes."""
    db, folder = tmp_path / "a.db", tmp_path / "usb"
    assert run(db, "sync", "devices", "--folder", str(folder)) == 0
    folder.rename(tmp_path / "elsewhere")
    capsys.readouterr()
    assert run(db, "sync", "devices") == 1
    err = capsys.readouterr().err
    assert str(folder) in err and "not there" in err
