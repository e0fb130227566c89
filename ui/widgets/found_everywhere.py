"""What Ctrl+K offers: people, meetings, groups, referrals, library items, journal notes and
interaction notes (``netapp.store.search``), grouped under a heading per kind."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from netapp.domain import SearchKind
from netapp.store import Store
from netapp.store.search import search
from ui.widgets.people_found import MIN_CHARS, NAME_ROLE, PID_ROLE

KIND_ROLE = Qt.ItemDataRole.UserRole + 4  # the SearchKind value of the row ("" for a heading)
ID_ROLE = Qt.ItemDataRole.UserRole + 5  # the record's id
PER_KIND = 6
HEADINGS: dict[SearchKind, str] = {
    SearchKind.PERSON: "People",
    SearchKind.MEETING: "Meetings",
    SearchKind.GROUP: "Groups",
    SearchKind.REFERRAL: "Referrals",
    SearchKind.LIBRARY: "Value library",
    SearchKind.NOTE: "Journal notes",
    SearchKind.INTERACTION: "Timeline notes",
}


def _heading(text: str) -> QStandardItem:
    item = QStandardItem(text)
    font = QFont()
    font.setBold(True)
    item.setFont(font)
    item.setFlags(Qt.ItemFlag.NoItemFlags)  # not selectable: Enter never "opens" a heading
    item.setData("", KIND_ROLE)
    return item


def fill_everything(model: QStandardItemModel, store: Store, text: str) -> int:
    """Fill ``model`` with what matches ``text``, a heading before each kind; returns the
    number of results (headings not counted). Fewer than two characters find nothing."""
    model.clear()
    if len(text.strip()) < MIN_CHARS:
        return 0
    shown: SearchKind | None = None
    count = 0
    for hit in search(store.db, text, per_kind=PER_KIND):
        if hit.kind is not shown:
            model.appendRow(_heading(HEADINGS[hit.kind]))
            shown = hit.kind
        label = hit.title + (f" — {hit.detail}" if hit.detail else "")
        item = QStandardItem("    " + label)
        item.setToolTip(label)
        item.setData(hit.kind.value, KIND_ROLE)
        item.setData(hit.id, ID_ROLE)
        item.setData(hit.title, NAME_ROLE)
        if hit.person_id is not None:
            item.setData(int(hit.person_id), PID_ROLE)
        model.appendRow(item)
        count += 1
    return count


def first_result(model: QStandardItemModel) -> int:
    """The row of the first result (not a heading), or -1."""
    for row in range(model.rowCount()):
        if model.index(row, 0).data(KIND_ROLE):
            return row
    return -1
