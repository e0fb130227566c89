"""The core package never imports Qt or the desktop app; the desktop app is passed in."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "shiboken6", "ui")


def _imports(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
    return found


def test_netapp_never_imports_qt_or_ui() -> None:
    """No module under netapp/ imports PySide6 or ui, even inside a function."""
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sorted((ROOT / "netapp").rglob("*.py"))
        for line, name in _imports(path)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert bad == []


SQL_START = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|WITH|PRAGMA|CREATE|DROP|ALTER|BEGIN|COMMIT)\b"
)
# Reaching into the connection: running SQL, or the database's raw query helpers.
SQL_CALLS = {"execute", "executemany", "executescript"}
DB_RAW = {"conn", "query", "scalar", "utils"}


def _sql_in(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SQL_START.match(node.value):
                found.append(f"{where} SQL text {node.value.split()[0]!r}")
        elif isinstance(node, ast.Attribute):
            if node.attr in SQL_CALLS or node.attr == "conn":
                found.append(f"{where} .{node.attr}")
            elif (
                node.attr in DB_RAW
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "db"
            ):
                found.append(f"{where} .db.{node.attr}")
    return found


def test_no_file_under_ui_runs_sql() -> None:
    """The app's pages, models and workers get their data from core functions, never SQL."""
    found = [hit for path in sorted((ROOT / "ui").rglob("*.py")) for hit in _sql_in(path)]
    assert found == []


def test_the_sql_check_sees_sql() -> None:
    """The check above finds SQL text, execute calls and the raw query helpers."""
    sample = ROOT / "tests" / "fixtures" / "sql_in_ui_sample.py.txt"
    assert sorted(hit.split(" ", 1)[1] for hit in _sql_in(sample)) == [
        ".conn",
        ".db.query",
        ".execute",
        "SQL text 'DELETE'",
        "SQL text 'SELECT'",
    ]
