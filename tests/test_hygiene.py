"""Code hygiene the linters do not check: justified type ignores, mypy over the UI, short UI
functions."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("netapp", "ui")
UI_FUNCTION_LINES = 60  # the developers' guide: functions under ~60 lines
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


def test_ui_functions_are_short() -> None:
    """No function or method under ui/ runs past 60 lines (split it into named steps)."""
    long = []
    for path in _sources("ui"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > UI_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({size})")
    assert long == []
