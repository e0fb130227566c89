"""``netapp sync carddav``: add, sync, status, remove, from the command line."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from netapp.cli import main
from netapp.sync.carddav.dav import DavClient
from tests.netapp.sync.conftest import Account


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def test_sync_without_setup_says_so_and_opens_no_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database without sync: one line telling how to set it up, and no network at all."""
    db = tmp_path / "netapp.db"
    assert run(db, "person", "add", "Ann Lee") == 0

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("network use")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    capsys.readouterr()
    assert run(db, "sync", "carddav") == 1
    assert "not set up: netapp sync carddav add URL --user NAME" in capsys.readouterr().err
    assert run(db, "sync", "carddav", "status") == 0
    assert "not set up" in capsys.readouterr().out


def test_add_sync_status_and_remove(
    tmp_path: Path,
    account: Account,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The password from the environment (never the database); a summary line; JSON; remove."""
    monkeypatch.setenv("NETAPP_CARDDAV_PASSWORD", account.password)
    db = tmp_path / "netapp.db"
    assert run(db, "person", "add", "Ann Lee", "--email", "ann@acme.example") == 0
    assert run(db, "sync", "carddav", "add", account.url, "--user", account.user) == 0
    assert "/netapp/" in capsys.readouterr().out  # no address book yet: "netapp" created
    assert run(db, "sync", "carddav", "--dry-run") == 0
    assert capsys.readouterr().out.startswith("would be: 1 sent, 0 received")
    assert run(db, "sync", "carddav") == 0
    assert capsys.readouterr().out.startswith("1 sent, 0 received, 0 merged, 0 conflicts")
    assert run(db, "sync", "carddav", "--json") == 0
    assert json.loads(capsys.readouterr().out)["sent"] == 0
    assert run(db, "sync", "carddav", "status", "--json") == 0
    status = json.loads(capsys.readouterr().out)
    assert status["linked"] == 1 and status["user"] == account.user
    assert account.password.encode() not in db.read_bytes()
    assert run(db, "sync", "carddav", "remove") == 0
    capsys.readouterr()
    assert run(db, "sync", "carddav") == 1
    assert "not set up" in capsys.readouterr().err


def test_several_address_books_must_be_chosen(
    tmp_path: Path,
    account: Account,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Two books and no --book: an error naming both; --book picks one."""
    client = DavClient(account.url, account.user, account.password)
    home, _ = client.discover()
    client.create_address_book(home, "Family")
    client.create_address_book(home, "Work")
    monkeypatch.setenv("NETAPP_CARDDAV_PASSWORD", account.password)
    db = tmp_path / "netapp.db"
    assert run(db, "sync", "carddav", "add", account.url, "--user", account.user) == 1
    assert "several address books ('Family', 'Work')" in capsys.readouterr().err
    assert (
        run(db, "sync", "carddav", "add", account.url, "--user", account.user, "--book", "Work")
        == 0
    )
    assert capsys.readouterr().out.startswith(f"syncing with {home}work/")


def test_a_wrong_password_is_one_line(
    tmp_path: Path,
    account: Account,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """401 at setup: `netapp: error: … refused the password for user …`, exit 1."""
    monkeypatch.setenv("NETAPP_CARDDAV_PASSWORD", "wrong")
    db = tmp_path / "netapp.db"
    assert run(db, "sync", "carddav", "add", account.url, "--user", account.user) == 1
    err = capsys.readouterr().err
    assert err.startswith("netapp: error: ") and "refused the password" in err
    assert len(err.strip().splitlines()) == 1
