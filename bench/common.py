"""Helpers shared by the figure modules: child processes, the Qt application, data sizes."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "child.py"
CHILD_TIMEOUT_S = 120


@dataclass(frozen=True)
class ChildResult:
    seconds: float  # from just before the process was started until its first paint
    rss_kb: int
    peak_kb: int
    # ``app`` only: from the same start until the Today page shows its first agenda rows
    rows_seconds: float | None = None


def child_env(home: Path) -> dict[str, str]:
    """A clean environment: offscreen Qt unless told otherwise, no user settings or data."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env["HOME"] = str(home)
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["NETAPP_HOME"] = str(home / "netapp")
    env.pop("NETAPP_DB", None)
    env.pop("NETAPP_PASSPHRASE", None)
    # Write and reuse .pyc files as an installed app does. (This used to set "0", which
    # Python reads as set: every child compiled netapp's modules from source, about 0.1 s.)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_child(mode: str, db: Path | None = None) -> ChildResult:
    """Start ``bench/child.py MODE [DB]`` and wait for its ``PAINTED`` line."""
    args = [sys.executable, str(CHILD), mode] + ([str(db)] if db else [])
    with tempfile.TemporaryDirectory(prefix="netapp-bench-home-") as home:
        env = child_env(Path(home))
        t0 = time.time()
        proc = subprocess.run(
            args,
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            check=False,
        )
    painted: ChildResult | None = None
    rows: float | None = None
    for line in proc.stdout.splitlines():
        if line.startswith("PAINTED "):
            _, stamp, rss, peak = line.split()
            painted = ChildResult(float(stamp) - t0, int(rss), int(peak))
        elif line.startswith("ROWS "):
            rows = float(line.split()[1]) - t0
    if painted is not None:
        return replace(painted, rows_seconds=rows)
    raise RuntimeError(
        f"child {mode!r} exited {proc.returncode} without painting: "
        f"{(proc.stderr or proc.stdout).strip()[-800:]}"
    )


_app: Any = None


def qapp() -> Any:
    """The one QApplication of the benchmark process (offscreen unless told otherwise)."""
    global _app
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication(["netapp-bench"])
    return _app
