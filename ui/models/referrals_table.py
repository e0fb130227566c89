"""Referrals given and received, SQL-backed and sorted in SQL."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from netapp.referrals import LAST_UPDATE_SQL, LOOP_DAYS
from netapp.store import Store
from ui.models.sqltable import Column, SqlTableModel

FILTERS: dict[str, str] = {
    "all": "All referrals",
    "given": "Given by you",
    "received": "Received by you",
    "open": "Open (new or contacted)",
    "loop": f"Closing the loop (given, no update in {LOOP_DAYS} days)",
}


class ReferralsModel(SqlTableModel):
    columns = (
        Column("date", "Date", "r.date"),
        Column("direction", "Direction", "r.referrer_id IS NULL"),
        Column("referrer", "Referred by", "referrer COLLATE NOCASE"),
        Column("prospect", "Prospect", "prospect COLLATE NOCASE"),
        Column("provider", "Referred to", "provider COLLATE NOCASE"),
        Column("status", "Status", "r.status"),
        Column("value", "Value", "r.value", align_right=True),
        Column("agreed", "Agreed to contact", None),
        Column("last_update", "Last update", "last_update"),
    )

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(store, parent)
        self.filter = "all"
        self.as_of: date | None = None
        self._sort_order = Qt.SortOrder.DescendingOrder

    def set_filter(self, key: str) -> None:
        if key not in FILTERS:
            raise ValueError(key)
        self.filter = key
        self.refresh()

    def base_query(self) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if self.filter == "given":
            where.append("r.referrer_id IS NULL")
        elif self.filter == "received":
            where.append("r.referrer_id IS NOT NULL")
        elif self.filter == "open":
            where.append("r.status IN ('new', 'contacted')")
        elif self.filter == "loop":
            cutoff = ((self.as_of or date.today()) - timedelta(days=LOOP_DAYS)).isoformat()
            where.append(
                f"r.referrer_id IS NULL AND r.status IN ('new', 'contacted') "
                f"AND {LAST_UPDATE_SQL} <= ?"
            )
            params.append(cutoff)
        sql = f"""SELECT r.id, r.date,
                   CASE WHEN r.referrer_id IS NULL THEN 'Given' ELSE 'Received' END AS direction,
                   COALESCE(ref.display_name, 'You') AS referrer,
                   COALESCE(pp.display_name, r.prospect_name) AS prospect,
                   COALESCE(prov.display_name, 'You') AS provider,
                   r.status, r.value, r.prospect_agreed, {LAST_UPDATE_SQL} AS last_update
            FROM referrals r
            LEFT JOIN people ref ON ref.id = r.referrer_id
            LEFT JOIN people prov ON prov.id = r.provider_id
            LEFT JOIN people pp ON pp.id = r.prospect_id"""
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, params

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
