"""``netapp gui --screenshot``: render the window offscreen on a database and save a PNG."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from netapp.errors import ValidationError


def take_screenshot(db_path: Path, out: str, *, view: str = "today", size: str = "1280x800") -> int:
    try:
        width, height = (int(x) for x in size.lower().split("x"))
    except ValueError:
        raise ValidationError("size", f"{size!r} is not WIDTHxHEIGHT") from None
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import make_app
    from ui.main_window import MainWindow
    from ui.pages import PAGES

    keys = [p.key for p in PAGES] + (["capture"] if hasattr(MainWindow, "show_capture") else [])
    if view not in keys:
        raise ValidationError("view", f"{view!r} is not one of {', '.join(keys)}")
    from netapp.store import Store

    app = make_app(sys.argv[:1])
    store = Store(db_path)
    window = MainWindow(store, None)
    window.resize(width, height)
    if view == "capture":
        window.show_capture()
    else:
        window.show_page(view)
    window.show()
    for _ in range(5):
        app.processEvents()
    ok = window.grab().save(out)
    window.close()
    store.close()
    if not ok:
        raise ValidationError("screenshot", f"could not write {out}")
    print(out)
    return 0
