"""Shared fixtures: a real SQLite file under tmp_path, never a mocked database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from netapp.safety.opener import open_store  # noqa: E402
from netapp.store import Store  # noqa: E402

DEMO_TODAY = "2026-11-23"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test away from the real user data, log and settings directories."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("NETAPP_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("NETAPP_DB", raising=False)
    monkeypatch.delenv("NETAPP_PASSPHRASE", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "netapp.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = open_store(db_path)  # as the app and the CLI open it: with the backup hook
    yield s
    s.close()


@pytest.fixture
def demo_store(db_path: Path) -> Iterator[Store]:
    from netapp.demo import generate

    s = open_store(db_path)  # as the app and the CLI open it: with the backup hook
    generate(s, people=60, seed=7, today=DEMO_TODAY)
    yield s
    s.close()
