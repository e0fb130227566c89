"""A read-only table model over one core list query (:mod:`netapp.store.lists`), fetched in
batches (canFetchMore/fetchMore). The query sorts, filters and pages in SQL; the model only
shows its rows. No SQL is written here.

A model given a worker (:meth:`SqlTableModel.load_on`) reads the first page of each refresh on
the worker's own connection: the model is empty and ``loading`` meanwhile, the newest refresh
wins and an older result is dropped, and ``loaded`` follows on the GUI thread. Later pages
(scrolling) are read on the GUI thread as before, after the worker's page.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from netapp.store import Store
from netapp.store.lists import ListQuery, Row
from ui.workers import EngineWorker

Index = QModelIndex | QPersistentModelIndex


class RowPages:
    """The rows fetched so far, kept as one tuple per page of ``size`` rows.

    A list of 100,000 rows made every full garbage collection on the GUI thread visit 100,000
    objects (about 7 ms at 100k people, inside whichever fetch it fell in). A row of plain values
    stops being tracked by the collector once it has survived a collection, and so does a tuple
    of such rows: the collector then visits one object per page. Indexing, ``len`` and iteration
    are a list's; rows are only ever appended.
    """

    __slots__ = ("_len", "_pages", "_size")

    def __init__(self, size: int, rows: Sequence[Row] = ()) -> None:
        if size < 1:
            raise ValueError("a page holds at least one row")
        self._size = size
        self._pages: list[tuple[Row, ...]] = []
        self._len = 0
        self.extend(rows)

    def extend(self, rows: Sequence[Row]) -> None:
        """Append ``rows``: every page but the last stays full."""
        if not rows:
            return
        new = tuple(rows)
        if self._pages and len(self._pages[-1]) < self._size:
            new = self._pages.pop() + new
        self._pages.extend(new[n : n + self._size] for n in range(0, len(new), self._size))
        self._len += len(rows)

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, n: int) -> Row:
        if n < 0:
            n += self._len
        if not 0 <= n < self._len:
            raise IndexError("row index out of range")
        return self._pages[n // self._size][n % self._size]

    def __iter__(self) -> Iterator[Row]:
        for page in self._pages:
            yield from page


@dataclass(frozen=True)
class Column:
    key: str  # the query's column (and sort) key
    title: str
    align_right: bool = False


class SqlTableModel(QAbstractTableModel):
    BATCH = 200
    columns: Sequence[Column] = ()
    loaded = Signal()  # a background refresh's rows are shown (see load_on)

    def __init__(self, store: Store, query: ListQuery, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self.query = query
        self._rows = RowPages(self.BATCH)
        self._exhausted = False
        self._fetching = False  # views may call fetchMore again while rows are being inserted
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._worker: EngineWorker | None = None
        self._pending: int | None = None  # the background refresh whose rows are awaited
        self.error = ""  # why the last background refresh failed (one line), else ""

    def load_on(self, worker: EngineWorker) -> None:
        """Read each refresh's first page on ``worker`` from now on (off the GUI thread)."""
        self._worker = worker
        worker.done.connect(self._on_loaded)
        worker.failed.connect(self._on_failed)

    @property
    def loading(self) -> bool:
        """True while a background refresh's rows have not come yet."""
        return self._pending is not None

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
        if self._worker is not None:
            self._refresh_on(self._worker)
            return
        self._pending = None
        self._show(self._fetch(0, self.BATCH))

    def _show(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._rows = RowPages(self.BATCH, rows)
        self._exhausted = len(rows) < self.BATCH
        self.endResetModel()

    def _refresh_on(self, worker: EngineWorker) -> None:
        """Empty now; the first page comes from the worker's connection (a copy of the query,
        which hands its paging state back with the rows)."""
        query = copy.copy(self.query)
        key = self.columns[self._sort_column].key
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        batch = self.BATCH

        def first_page(store: Store, _cancel: Any) -> tuple[list[Row], ListQuery]:
            query.db = store.db
            return query.page(0, batch, key, descending), query

        if self._pending is not None:
            worker.cancel(self._pending)  # superseded: its result is dropped
        self._pending = worker.submit(first_page)
        self._show([])
        self._exhausted = True  # nothing to scroll to until the first page comes

    def _on_loaded(self, number: int, result: object) -> None:
        if number != self._pending or not isinstance(result, tuple):
            return  # an older refresh, superseded
        rows, query = result
        self._pending, self.error = None, ""
        # The worker's copy paged on: its keyset position continues on the GUI's connection.
        self.query.continue_from(query)
        self._show(rows)
        self.loaded.emit()

    def _on_failed(self, number: int, message: str) -> None:
        if number == self._pending:  # the list stays empty; the next refresh tries again
            self._pending, self.error = None, message
            self.loaded.emit()

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
