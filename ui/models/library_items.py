"""The value library with each item's use: times given and how often an accepted ask followed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from netapp import engine
from netapp.domain import LibraryItem
from netapp.store import Store

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Title", "Kind", "Tags", "Given", "Accepted ask within 30 days", "Status")


class LibraryModel(QAbstractTableModel):
    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self.show_retired = True
        self._rows: list[tuple[LibraryItem, engine.ItemStats | None]] = []

    def refresh(self, stats: dict[int, engine.ItemStats] | None = None) -> None:
        """Read the items again. ``stats`` (by item id) reads every value given, most of a
        second at 100,000 people: the page works them out off the GUI thread and passes
        them in; without them, the figures shown so far are kept."""
        if stats is None:
            stats = {i.id or 0: s for i, s in self._rows if s is not None}
        items = self.store.library.all(include_retired=self.show_retired)
        items.sort(key=lambda i: (i.retired_at is not None, i.title.casefold(), i.id or 0))
        self.beginResetModel()
        self._rows = [(i, stats.get(i.id or 0)) for i in items]
        self.endResetModel()

    def set_stats(self, stats: dict[int, engine.ItemStats]) -> None:
        """Show the figures worked out off the GUI thread."""
        self._rows = [(i, stats.get(i.id or 0)) for i, _old in self._rows]
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            )

    def item_at(self, row: int) -> LibraryItem | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def row_of(self, item_id: int) -> int:
        for n, (item, _s) in enumerate(self._rows):
            if item.id == item_id:
                return n
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item, stats = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            given = stats.given if stats else 0
            followed = stats.followed_by_accept if stats else 0
            return (
                item.title,
                item.kind.value if hasattr(item.kind, "value") else str(item.kind),
                ", ".join(item.tags),
                given,
                f"{followed} ({followed / given:.0%})" if given else "–",
                "Retired" if item.retired_at else "Active",
            )[col]
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return item.url or item.description or None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None
