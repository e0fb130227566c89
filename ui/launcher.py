"""The ``netapp`` command: the core command line with the desktop app plugged in.

``netapp/`` never imports Qt. This module hands :func:`netapp.cli.main` a
:class:`~netapp.cli.Frontend`: how to start the window (``netapp`` with no command, or
``netapp gui``), how to render a page to a PNG (``netapp gui --screenshot``) and the
self-test's window check. Nothing from Qt is imported until one of them runs, so
``netapp --version`` and the other commands stay fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from netapp.cli import Frontend
from netapp.cli import main as core_main

if TYPE_CHECKING:
    from netapp.selftest import Run


def _run_app(db_path: Path) -> int:
    from ui.app import run_app

    return run_app(db_path, sys.argv[:1])


def _screenshot(db_path: Path, out: str, view: str, size: str) -> int:
    from ui.screenshot import take_screenshot

    return take_screenshot(db_path, out, view=view, size=size)


def _check_window(run: Run) -> str:
    from ui.selftest import check_window

    return check_window(run)


FRONTEND = Frontend(run_app=_run_app, screenshot=_screenshot, checks=(("window", _check_window),))


def main(argv: Sequence[str] | None = None) -> int:
    return core_main(argv, frontend=FRONTEND)
