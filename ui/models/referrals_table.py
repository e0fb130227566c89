"""Referrals given and received, SQL-backed and sorted in SQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from netapp.referrals import FILTERS, ReferralsList
from netapp.store import Store
from ui.models.sqltable import Column, SqlTableModel

__all__ = ["FILTERS", "ReferralsModel"]


class ReferralsModel(SqlTableModel):
    columns = (
        Column("date", "Date"),
        Column("direction", "Direction"),
        Column("referrer", "Referred by"),
        Column("prospect", "Prospect"),
        Column("provider", "Referred to"),
        Column("status", "Status"),
        Column("value", "Value", align_right=True),
        Column("agreed", "Agreed to contact"),
        Column("last_update", "Last update"),
    )

    def __init__(self, store: Store, parent: Any = None) -> None:
        self.list = ReferralsList(store.db)
        super().__init__(store, self.list, parent)
        self._sort_order = Qt.SortOrder.DescendingOrder

    @property
    def filter(self) -> str:
        return self.list.filter

    @property
    def as_of(self) -> date | None:
        return self.list.as_of

    @as_of.setter
    def as_of(self, value: date | None) -> None:
        self.list.as_of = value

    def set_filter(self, key: str) -> None:
        if key not in FILTERS:
            raise ValueError(key)
        self.list.filter = key
        self.refresh()

    def display(self, row: tuple[Any, ...], column: int) -> Any:
        value = row[column + 1]
        key = self.columns[column].key
        if key == "status":
            return str(value).capitalize()
        if key == "value":
            return "" if value is None else f"{float(value):,.2f}"
        if key == "agreed":
            return "Yes" if value else "No"
        return "" if value is None else value

    def status_at(self, row: int) -> str | None:
        return str(self._rows[row][6]) if 0 <= row < len(self._rows) else None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and index.isValid()
            and index.row() < len(self._rows)
            and self.columns[index.column()].key == "value"
        ):
            row = self._rows[index.row()]
            if row[6] == "won" and row[2] == "Received":
                return f"Business won, credited to {row[3]}"
        return super().data(index, role)
