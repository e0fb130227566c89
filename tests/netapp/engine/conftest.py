"""Fixtures for the engine tests."""

from __future__ import annotations

import pytest

from netapp.store import Store
from tests.netapp.engine.helpers import Builder


@pytest.fixture
def b(store: Store) -> Builder:
    return Builder(store)
