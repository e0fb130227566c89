"""What the app's start loads (issue 20: cold start and memory). No timing: module names only."""

from __future__ import annotations

import os

from tests.probe import run_probe

# Needed for printing, import/export, sync or reports, never to show the first window.
HEAVY = (
    "reportlab",
    "phonenumbers",
    "PIL",
    "uharfbuzz",
    "fontTools",
    "pycrdt",
    "anyio",
    "httpx",
    "vobject",
    "qrcode",
    "segno",
    "rapidfuzz",
    "email_validator",
    "sqlite_utils",
    "click",
    "dateutil",
)

PROBE = """
import json, linecache, sys
import ui.app, ui.main_window, ui.pages.today
print(json.dumps({
    "modules": sorted(m.split(".")[0] for m in sys.modules),
    "cached": [f for f in linecache.cache if "/netapp/" in f or "/ui/" in f],
}))
"""


def _probe() -> dict[str, list[str]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return run_probe(PROBE, env=env)  # type: ignore[no-any-return]


def test_app_entry_does_not_import_heavy_modules() -> None:
    """Importing the app's entry, main window and first page loads none of the heavy libraries."""
    loaded = set(_probe()["modules"])
    assert "PySide6" in loaded and "netapp" in loaded  # the probe did import the app
    assert sorted(loaded & set(HEAVY)) == []


def test_app_entry_keeps_no_source_lines() -> None:
    """shiboken's per-import source scan is replaced: no module's source is kept in memory."""
    assert _probe()["cached"] == []
