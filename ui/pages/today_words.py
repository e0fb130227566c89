"""The Today page's heading and its line while the agenda is worked out. Qt-free and core-free,
so the main window's frame shows the same words before netapp's core is imported (issue 20)."""

from __future__ import annotations

from datetime import date

WORKING = "Working out your agenda…"


def heading(day: date) -> str:
    """The page's heading for ``day``, as rich text."""
    return f"<h2 style='margin:0'>Today, {day.strftime('%A %d %B %Y')}</h2>"
