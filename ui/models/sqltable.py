"""A read-only table model over one core list query (:mod:`netapp.store.lists`), fetched in
batches (canFetchMore/fetchMore). The query sorts, filters and pages in SQL; the model only
shows its rows. No SQL is written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from netapp.store import Store
from netapp.store.lists import ListQuery

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str  # the query's column (and sort) key
    title: str
    align_right: bool = False


class SqlTableModel(QAbstractTableModel):
    BATCH = 200
    columns: Sequence[Column] = ()

    def __init__(self, store: Store, query: ListQuery, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self.query = query
        self._rows: list[tuple[Any, ...]] = []
        self._exhausted = False
        self._fetching = False  # views may call fetchMore again while rows are being inserted
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder

    def display(self, row: tuple[Any, ...], column: int) -> Any:
        value = row[column + 1]
        return "" if value is None else value

    # -- fetching ----------------------------------------------------------------------

    def _fetch(self, offset: int, limit: int) -> list[tuple[Any, ...]]:
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        key = self.columns[self._sort_column].key
        return self.query.page(offset, limit, key, descending)

    def refresh(self) -> None:
        """Re-run the query from the top (after a write, a new search or a new sort)."""
        self.beginResetModel()
        self._rows = self._fetch(0, self.BATCH)
        self._exhausted = len(self._rows) < self.BATCH
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted or self._fetching:
            return
        self._fetching = True
        try:
            batch = self._fetch(len(self._rows), self.BATCH)
            if len(batch) < self.BATCH:
                self._exhausted = True
            if not batch:
                return
            first = len(self._rows)
            # The last new row is first + len - 1 (Qt's own fetchMore example is off by one here).
            self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
            self._rows.extend(batch)
            self.endInsertRows()
        finally:
            self._fetching = False

    # -- the model interface -----------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.display(row, index.column())
            return value if isinstance(value, str | int | float) else str(value)
        if role == Qt.ItemDataRole.UserRole:
            return row[0]
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[index.column()].align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or not self.query.can_sort(self.columns[column].key):
            return
        self._sort_column, self._sort_order = column, order
        self.refresh()

    def id_at(self, row: int) -> int | None:
        return int(self._rows[row][0]) if 0 <= row < len(self._rows) else None

    def row_of(self, row_id: int) -> int:
        """The row showing ``row_id`` among those fetched, or -1."""
        for n, row in enumerate(self._rows):
            if row[0] == row_id:
                return n
        return -1
