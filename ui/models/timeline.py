"""A person's timeline: every interaction, meeting and referral, newest first
(:class:`netapp.store.lists.TimelineList`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from netapp.store import Store
from netapp.store.lists import TimelineList
from ui.models.sqltable import Column, SqlTableModel

KIND_TEXT = {
    "met": "Met at a meeting",
    "one-to-one": "One-to-one",
    "call": "Call",
    "email": "Email",
    "message": "Message",
    "value-given": "Value given",
    "value-received": "Value received",
    "ask": "Ask",
    "referral-given": "Referral given",
    "referral-received": "Referral received",
    "business": "Business closed",
    "meeting": "At a meeting",
    "prospect": "Was referred",
    "sync": "Sync conflict",
    "note": "Journal note",
}


class TimelineModel(SqlTableModel):
    columns = (
        Column("date", "Date"),
        Column("what", "What"),
        Column("details", "Details"),
    )

    def __init__(self, store: Store, parent: Any = None) -> None:
        self.list = TimelineList(store.db)
        super().__init__(store, self.list, parent)
        self._sort_order = Qt.SortOrder.DescendingOrder

    @property
    def person_id(self) -> int:
        return self.list.person_id

    def set_person(self, person_id: int) -> None:
        self.list.person_id = person_id
        self.refresh()

    def key_at(self, row: int) -> str:
        """The timeline id of a row (``n12``, ``i7``, …), or "" outside the rows."""
        index = self.index(row, 0)
        return str(self.data(index, Qt.ItemDataRole.UserRole) or "") if index.isValid() else ""

    def row_of_key(self, key: str) -> int:
        """The row showing timeline id ``key`` among those fetched, or -1."""
        for n in range(self.rowCount()):
            if self.key_at(n) == key:
                return n
        return -1

    def display(self, row: tuple[Any, ...], column: int) -> Any:
        value = row[column + 1]
        if column == 1:
            return KIND_TEXT.get(str(value), str(value))
        return "" if value is None else value
