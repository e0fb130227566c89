"""A read-only table model over one SQL query, fetched in batches (canFetchMore/fetchMore).

Subclasses declare their columns and build the query; sorting and filtering happen in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from netapp.store import Store

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str  # the result column
    title: str
    sort_sql: str | None = None  # an ORDER BY expression on an indexed column; None = not sortable
    align_right: bool = False


class SqlTableModel(QAbstractTableModel):
    BATCH = 200
    columns: Sequence[Column] = ()

    # Keyset paging: a model whose base_query is "SELECT … FROM … [WHERE …]" (no GROUP BY or
    # compound) names the SQL of its id column here. Each batch then starts right after the
    # last row's sort key instead of skipping OFFSET rows, so the last page of 100,000 rows
    # costs what the first does. None: plain LIMIT/OFFSET.
    @property
    def keyset_id(self) -> str | None:
        return None

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self._rows: list[tuple[Any, ...]] = []
        self._exhausted = False
        self._fetching = False  # views may call fetchMore again while rows are being inserted
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._after: tuple[Any, Any] | None = None  # (sort key, id) of the last fetched row

    # -- to override -------------------------------------------------------------------

    def base_query(self) -> tuple[str, list[Any]]:
        """SELECT … FROM … WHERE … (no ORDER BY / LIMIT). The first result column must be the id."""
        raise NotImplementedError

    def display(self, row: tuple[Any, ...], column: int) -> Any:
        value = row[column + 1]
        return "" if value is None else value

    # -- fetching ----------------------------------------------------------------------

    def _sort_expr(self) -> str:
        return self.columns[self._sort_column].sort_sql or self.columns[0].sort_sql or "1"

    def order_by(self) -> str:
        direction = "DESC" if self._sort_order == Qt.SortOrder.DescendingOrder else "ASC"
        return f"{self._sort_expr()} {direction}, {self.keyset_id or 1} {direction}"

    def _fetch(self, offset: int, limit: int) -> list[tuple[Any, ...]]:
        sql, params = self.base_query()
        if self.keyset_id is None or not sql.startswith("SELECT "):
            cur = self.store.conn.execute(
                f"{sql} ORDER BY {self.order_by()} LIMIT ? OFFSET ?", [*params, limit, offset]
            )
            return cur.fetchall()
        if offset == 0:
            self._after = None
        expr, key_id = self._sort_expr(), self.keyset_id
        select = f"SELECT {expr}, " + sql[len("SELECT ") :]  # the sort key rides along, first
        glue = " AND " if " WHERE " in sql else " WHERE "
        rows: list[tuple[Any, ...]] = []
        for cond, more in self._after_conditions(expr, key_id):
            q = select + (glue + cond if cond else "")
            rows += self.store.conn.execute(
                f"{q} ORDER BY {self.order_by()} LIMIT ?", [*params, *more, limit - len(rows)]
            ).fetchall()
            if len(rows) >= limit:
                break
        if rows:
            self._after = (rows[-1][0], rows[-1][1])
        return [row[1:] for row in rows]

    def _after_conditions(self, expr: str, key_id: str) -> list[tuple[str, list[Any]]]:
        """WHERE terms for the rows after the last fetched one, tried in turn until a batch is
        full. Each is a range on the sort index, so a deep batch costs what the first does.
        NULL keys sort first ascending and last descending, as in SQLite, so they get their
        own terms (a range never includes NULL)."""
        if self._after is None:
            return [("", [])]
        key, last_id = self._after
        if self._sort_order == Qt.SortOrder.DescendingOrder:
            if key is None:
                return [(f"{expr} IS NULL AND {key_id} < ?", [last_id])]
            return [
                (f"{expr} <= ? AND ({expr} < ? OR {key_id} < ?)", [key, key, last_id]),
                (f"{expr} IS NULL", []),
            ]
        if key is None:
            return [(f"{expr} IS NULL AND {key_id} > ?", [last_id]), (f"{expr} IS NOT NULL", [])]
        return [(f"{expr} >= ? AND ({expr} > ? OR {key_id} > ?)", [key, key, last_id])]

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
        if not 0 <= column < len(self.columns) or self.columns[column].sort_sql is None:
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
