"""``netapp gui --screenshot``: render the window offscreen on a database and save a PNG."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from netapp.errors import ValidationError
from netapp.files import check_output, write_output


def take_screenshot(
    db_path: Path, out: str, *, view: str = "today", size: str = "1280x800", settle: float = 1.5
) -> int:
    try:
        width, height = (int(x) for x in size.lower().split("x"))
    except ValueError:
        raise ValidationError("size", f"{size!r} is not WIDTHxHEIGHT") from None
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop

    from ui.app import make_app
    from ui.main_window import MainWindow
    from ui.pages import PAGES

    keys = [p.key for p in PAGES]
    if view not in keys:
        raise ValidationError("view", f"{view!r} is not one of {', '.join(keys)}")
    from netapp.safety.opener import open_store

    check_output(out, database=db_path)  # refuse a bad path before the window starts
    app = make_app(sys.argv[:1])
    store = open_store(db_path)
    window = MainWindow(store, None, can_reopen=True)  # shown as in the app
    window.resize(width, height)
    window.open_page(view)  # as the user opens it (Capture: the cursor where typing starts)
    window.show()
    # Let asynchronous work finish painting: a window that computes off the GUI thread says
    # so with ``is_busy()`` (waited for, up to 60 s), and what it then shows may still paint in
    # the background (QPdfView renders a new preview's pages on a thread of its own), so the
    # window must have been idle for ``settle`` seconds.
    start = idle_since = time.monotonic()
    while True:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        now = time.monotonic()
        if getattr(window, "is_busy", lambda: False)():
            idle_since = now
        if now - start > 60 or now - idle_since > settle:
            break
        time.sleep(0.02)
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = window.grab().save(buf, "PNG")
    buf.close()
    window.close()
    store.close()
    if not ok:
        raise ValidationError("screenshot", f"could not render {out}")
    write_output(out, bytes(data.data()), database=db_path)  # never over the database; 0600
    print(out)
    return 0
