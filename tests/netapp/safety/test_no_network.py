"""netapp makes no network request of its own: the main flows run with sockets blocked."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from ui.launcher import main

DEMO_TODAY = "2026-11-23"


class NetworkAttempt(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every way to open a socket from Python raises and is recorded."""
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def _refuse(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args[:2]}")
            raise NetworkAttempt(f"network use: {name}{args[:2]}")

        return _refuse

    class BlockedSocket(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            attempts.append(f"socket{args[:2]}")
            raise NetworkAttempt("socket() was called")

    monkeypatch.setattr(socket, "socket", BlockedSocket)
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    return attempts


def test_the_network_block_works(no_network: list[str]) -> None:
    """The fixture really blocks: a connection attempt raises and is recorded."""
    import urllib.request

    with pytest.raises(Exception):  # noqa: B017 - urllib wraps the error in URLError
        urllib.request.urlopen("http://example.org/", timeout=1)
    assert no_network


def test_main_flows_make_no_network_request(
    no_network: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """demo, person, status, agenda, cards, import (vCard photo URL), export, backup, GUI: no socket."""
    db = ["--db", str(tmp_path / "netapp.db")]
    vcf = tmp_path / "remote-photo.vcf"
    vcf.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Remote Rita\r\nN:Rita;Remote;;;\r\n"
        "PHOTO;VALUE=uri:http://photos.example.org/rita.jpg\r\n"
        "URL:https://rita.example.org\r\nEND:VCARD\r\n"
    )
    commands = [
        ["demo", "--people", "30", "--seed", "3", "--today", DEMO_TODAY],
        ["person", "add", "Net Nora", "--email", "nora@x.example", "--phone", "+14155550100"],
        ["person", "list"],
        ["status", "Net Nora"],
        ["agenda"],
        [
            "cards",
            "--campaign",
            "spring",
            "--count",
            "4",
            "--url",
            "https://x.example/o",
            "-o",
            str(tmp_path / "cards.pdf"),
        ],
        ["import", str(vcf)],
        ["export", "--format", "vcard", "-o", str(tmp_path / "out.vcf")],
        ["export", "--format", "csv", "-o", str(tmp_path / "out.csv")],
        ["backup"],
        ["check"],
        ["sync", "carddav", "status"],  # sync not set up: says so, connects nowhere
        ["gui", "--screenshot", str(tmp_path / "main.png"), "--view", "people"],
    ]
    for cmd in commands:
        code = main([*db, *cmd])
        err = capsys.readouterr().err
        assert code == 0, f"{cmd[0]}: {err}"
        assert not no_network, f"{cmd[0]} tried the network: {no_network}"
    assert (tmp_path / "cards.pdf").stat().st_size > 0
    assert (tmp_path / "main.png").stat().st_size > 0
