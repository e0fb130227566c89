"""The people a search-as-you-type box offers: one completer model, filled from the core's
full-text search (the window's Find box and the opt-in dialog's person field share it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from netapp.store import Store

PID_ROLE = Qt.ItemDataRole.UserRole + 2  # the person's id
NAME_ROLE = Qt.ItemDataRole.UserRole + 3  # their name alone, for a field to show once picked
MIN_CHARS = 2
SHOWN = 12


def fill_people(model: QStandardItemModel, store: Store, text: str) -> int:
    """Put the people matching ``text`` in ``model`` ("Name — organisation · title"); returns
    how many. Fewer than two characters find nobody."""
    model.clear()
    if len(text.strip()) < MIN_CHARS:
        return 0
    for r in store.people.search(text, limit=SHOWN):
        org = "" if r["org"] == r["display_name"] else r["org"]  # an organisation's own name
        extra = " · ".join(x for x in (org, r["title"]) if x)
        item = QStandardItem(r["display_name"] + (f" — {extra}" if extra else ""))
        item.setData(int(r["id"]), PID_ROLE)
        item.setData(r["display_name"], NAME_ROLE)
        model.appendRow(item)
    return model.rowCount()
