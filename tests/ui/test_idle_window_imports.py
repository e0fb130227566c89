"""What a window left idle on the People page has loaded (issue 20: memory). Module names only."""

from __future__ import annotations

import os
from pathlib import Path

from netapp.store import Store
from tests.probe import run_probe

# Needed to make card codes, a device sync's keys or a new record's UUID, never to show and
# refresh a window: hashlib and hmac load OpenSSL's libcrypto (about 4 MB), uuid loads platform.
NOT_IDLE = ("secrets", "hmac", "hashlib", "_hashlib", "uuid", "platform", "calendar")

# The window as the memory benchmark opens it (bench/child.py people-mem), left until its
# background work (the day's status refresh, the Today agenda) is done.
PROBE = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui import qt_loading  # noqa: F401
from netapp.store import Store
from ui.main_window import MainWindow
window = MainWindow(Store(sys.argv[1]), None)
window.show_page("people")
window.show()
def report():
    if window.is_busy():
        QTimer.singleShot(50, report)
        return
    print(json.dumps(sorted(sys.modules)), flush=True)
    app.quit()
QTimer.singleShot(0, report)
app.exec()
"""


def test_an_idle_people_page_loads_no_crypto_uuid_or_calendar(
    demo_store: Store, tmp_path: Path
) -> None:
    """A fresh window on a real database, idle on the People page after its background work,
    has not loaded secrets, hashlib (libcrypto), uuid (platform) or calendar."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    loaded = set(run_probe(PROBE, str(demo_store.path), env=env, timeout=180))
    assert {"netapp.engine", "ui.pages.people", "ui.pages.today"} <= loaded  # it did all that
    assert sorted(loaded & set(NOT_IDLE)) == []
