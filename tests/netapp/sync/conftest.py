"""A real Radicale server on 127.0.0.1 for the CardDAV tests: one per session, a user per test."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.netapp.sync.radicale import RadicaleServer

_users = itertools.count(1)


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    server = RadicaleServer(tmp_path_factory.mktemp("radicale")).start()
    yield server
    server.stop()


@dataclass(frozen=True)
class Account:
    url: str
    user: str
    password: str


@pytest.fixture
def account(radicale: RadicaleServer) -> Account:
    """A fresh user on the shared server (Radicale creates their home on first use)."""
    user = f"user{next(_users)}"
    password = f"pw-{user}"
    radicale.add_user(user, password)
    return Account(radicale.url, user, password)


@pytest.fixture
def own_radicale(tmp_path: Path) -> Iterator[RadicaleServer]:
    """A server of the test's own, for tests that stop it."""
    server = RadicaleServer(tmp_path / "radicale").start()
    yield server
    server.stop()
