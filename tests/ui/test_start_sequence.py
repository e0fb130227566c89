"""The app's start (issue 20): the window's frame paints before the database is opened and
netapp's core is imported; errors at the open still show their one line. No timing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from netapp.domain import Person
from netapp.safety.opener import open_store

ROOT = Path(__file__).resolve().parents[2]

# Imported only once the frame has painted: the store, the engine and what uses them, and
# Qt's network module.
CORE = (
    "sqlite3",
    "netapp.store",
    "netapp.engine",
    "netapp.safety.opener",
    "netapp.domain",
    "ui.status",
    "ui.signals",
    "ui.workers",
    "ui.pages.today",
    "PySide6.QtNetwork",  # the single-instance check needs it only when a socket file exists
)

# Runs the real start (ui.app.run_app) and notes, at the main window's first paint, what was
# imported and what the window shows; then, once the database is attached, what it shows.
PROBE = """
import gc, json, os, sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

seen = {}

def labels(window):
    stack = window.stack.currentWidget()
    return [w.text() for w in stack.findChildren(QLabel) if w.isVisible()]

def after():
    window = seen["window"]
    if not window.attached:
        QTimer.singleShot(5, after)
        return
    seen["after"] = {"page": window.stack.currentWidget().objectName(), "labels": labels(window),
                     "frozen": gc.get_freeze_count()}
    del seen["window"]
    print(json.dumps(seen), flush=True)
    os._exit(0)

class Watch(QObject):
    def eventFilter(self, obj, event):
        if (event.type() == QEvent.Type.Paint and "window" not in seen
                and isinstance(obj, QWidget) and isinstance(obj.window(), QMainWindow)):
            window = obj.window()
            seen["window"] = window
            seen["modules"] = sorted(sys.modules)
            seen["first"] = {
                "class": type(window).__name__,
                "title": window.windowTitle(),
                "sections": [window.sidebar.item(r).text() for r in range(window.sidebar.count())],
                "labels": labels(window),
                "attached": window.attached,
                "frozen": gc.get_freeze_count(),
            }
            QTimer.singleShot(0, after)
        return False

app = QApplication(["netapp"])
watch = Watch()
app.installEventFilter(watch)
from ui.app import run_app
run_app(Path(sys.argv[1]), ["netapp"])
"""


def test_frame_paints_before_the_core_is_imported(tmp_path: Path) -> None:
    """At the start's first paint the real main window shows its sections and Today's "Working
    out your agenda…" with no store or engine imported; the database is attached after it."""
    db = tmp_path / "netapp.db"
    store = open_store(db)
    store.people.add(Person(display_name="Ann Example"))  # not empty: no demo-data question
    store.close()
    home = tmp_path / "home"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        NETAPP_HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_RUNTIME_DIR=str(tmp_path),
    )
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    loaded = set(seen["modules"])
    assert "ui.main_window" in loaded  # the probe saw the app's own window
    assert [m for m in CORE if m in loaded] == []
    first = seen["first"]
    assert first["class"] == "MainWindow" and not first["attached"]
    assert first["title"] == "netapp.db"
    assert first["sections"][:3] == ["Today", "Capture", "People"]
    assert "Working out your agenda…" in first["labels"]
    assert seen["after"]["page"] == "page-today"
    # The start's objects are set aside from later full collections once attached (ui/heap.py).
    assert first["frozen"] == 0 and seen["after"]["frozen"] > 10_000


def test_damaged_file_at_start_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    """A file that is not a database: the start shows one line naming it over the painted
    frame, opens nothing, closes the window and returns 1."""
    from ui.app import run_app

    db = tmp_path / "notes.db"
    db.write_bytes(b"these are not the pages of a database\n" * 200)
    shown: list[tuple[Any, str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda parent, title, text: shown.append((parent, title, text))
    )
    assert run_app(db, ["netapp"]) == 1
    assert len(shown) == 1
    parent, title, text = shown[0]
    assert "notes.db" in text and "\n" not in text.strip()
    assert type(parent).__name__ == "MainWindow"  # said over the window, not before it
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets())
    assert db.read_bytes().startswith(b"these are not")  # nothing written


def test_cancelled_passphrase_at_start_closes_the_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    """An encrypted database whose passphrase prompt is cancelled: nothing opens, the frame
    closes and the start returns 1."""
    from PySide6.QtWidgets import QInputDialog

    from ui.app import run_app

    db = tmp_path / "secret.db"
    open_store(db, passphrase="correct horse").close()
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: asked.append(a[2]) or ("", False))
    assert run_app(db, ["netapp"]) == 1
    assert asked and "secret.db" in asked[0]
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets())
