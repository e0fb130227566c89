"""Fresh-process probes: run a snippet of Python in a new interpreter at the repository's root
and read the JSON it prints last (which modules a start or an idle window loaded)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def run_probe(code: str, *args: str, env: dict[str, str], timeout: float = 120) -> Any:
    """Run ``code`` with ``args`` in a fresh ``python -c`` at the repository's root, with ``env``;
    the JSON value on its last line of output."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=timeout,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])
