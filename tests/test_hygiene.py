"""Code hygiene the linters do not check: justified type ignores, mypy over the UI."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("netapp", "ui")
# "# type: ignore[code]  # why": a code in brackets, then a reason as its own comment.
JUSTIFIED = re.compile(r"# type: ignore\[[a-z0-9_,-]+\]\s+#\s*\S")


def _sources(*packages: str) -> list[Path]:
    return [p for pkg in packages for p in sorted((ROOT / pkg).rglob("*.py"))]


def test_every_type_ignore_names_its_code_and_reason() -> None:
    """Each `type: ignore` under netapp/ and ui/ names the error code and says why on its line."""
    bare = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _sources(*PACKAGES)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "type: ignore" in line and not JUSTIFIED.search(line)
    ]
    assert bare == []


def test_mypy_checks_the_core_and_the_ui() -> None:
    """pyproject's mypy section covers both netapp/ and ui/."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert set(PACKAGES) <= set(config["tool"]["mypy"]["files"])
