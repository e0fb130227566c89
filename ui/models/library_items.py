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
    """The items, read at once; their use (``engine.library_stats``, about a second at 100,000
    people) is worked out elsewhere (the page's worker thread) and handed in with
    :meth:`set_stats`. Until it arrives the use columns say "…"."""

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self.show_retired = True
        self._rows: list[LibraryItem] = []
        self._stats: dict[int, engine.ItemStats] | None = None

    def refresh(self) -> None:
        """Read the items again; the use shown stays until new figures come (set_stats)."""
        items = self.store.library.all(include_retired=self.show_retired)
        items.sort(key=lambda i: (i.retired_at is not None, i.title.casefold(), i.id or 0))
        self.beginResetModel()
        self._rows = items
        self.endResetModel()

    def set_stats(self, stats: list[engine.ItemStats] | None) -> None:
        """The items' use, as ``engine.library_stats`` gives it (None: not known yet)."""
        self._stats = None if stats is None else {s.item_id: s for s in stats}
        if self._rows:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self._rows) - 1, 4))

    def item_at(self, row: int) -> LibraryItem | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, item_id: int) -> int:
        for n, item in enumerate(self._rows):
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
        item = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                item.title,
                item.kind.value if hasattr(item.kind, "value") else str(item.kind),
                ", ".join(item.tags),
                *self._use(item.id or 0),
                "Retired" if item.retired_at else "Active",
            )[col]
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return item.url or item.description or None
        return None

    def _use(self, item_id: int) -> tuple[int | str, str]:
        """Given, and accepted asks that followed: "…" while the figures are worked out."""
        if self._stats is None:
            return "…", "…"
        stats = self._stats.get(item_id)
        given = stats.given if stats else 0
        followed = stats.followed_by_accept if stats else 0
        return given, f"{followed} ({followed / given:.0%})" if given else "–"

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
