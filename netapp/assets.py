"""Access to the shipped ``resources`` package through importlib.resources (works from a wheel,
a zip or a PyInstaller bundle; never from the source checkout by path)."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any


def files(*parts: str) -> Traversable:
    node = resources.files("resources")
    for part in parts:
        node = node / part
    return node


def read_text(*parts: str) -> str:
    return files(*parts).read_text(encoding="utf-8")


def read_bytes(*parts: str) -> bytes:
    return files(*parts).read_bytes()


def read_json(*parts: str) -> Any:
    return json.loads(read_text(*parts))


def as_file(*parts: str) -> AbstractContextManager[Path]:
    """A real file path for APIs that need one (fonts for reportlab, icons for Qt)."""
    return resources.as_file(files(*parts))
