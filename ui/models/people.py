"""The people list (:class:`netapp.store.lists.PeopleList`): sorted in SQL on indexed
columns, searched through FTS5."""

from __future__ import annotations

from collections import OrderedDict
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap

from netapp.engine.wording import ask_labels, next_step_words
from netapp.store import Store
from netapp.store.lists import PeopleList
from ui.models.sqltable import Column, Index, SqlTableModel


class _Keep(Enum):
    """set_filter's default for group_id, where None already means "any group"."""

    KEEP = "keep"


class PeopleModel(SqlTableModel):
    columns = (
        Column("display_name", "Name"),
        Column("org", "Organisation"),
        Column("stage", "Stage"),
        Column("trust", "Trust", align_right=True),
        Column("repeat_contacts", "Meetings", align_right=True),
        Column("last_touch", "Last touch"),
        Column("next_text", "Next step"),
    )

    FACE = 20  # pixels: the face beside each name
    # Faces kept for rows painted lately, the least recently painted dropped first: a few
    # screens' worth. Keeping one for every row ever painted held 11,500 pixmaps after a scroll
    # to the end at 100k, and each full garbage collection on the GUI thread visited them all
    # (14 ms, inside whichever fetch it fell in).
    FACES_KEPT = 500

    def __init__(self, store: Store, parent: Any = None) -> None:
        self.list = PeopleList(store.db)
        self._ask_labels: dict[str, str] | None = None
        super().__init__(store, self.list, parent)
        # by id, for rows painted since the last reset; the most recently painted last
        self._faces: OrderedDict[int, QPixmap] = OrderedDict()
        self.modelReset.connect(self._faces.clear)

    def listed_ids(self) -> list[int]:
        """Everyone the current filters list (not only the rows fetched so far)."""
        import copy

        query = copy.copy(self.list)  # its own paging state: the view's stays as it is
        return [int(r[0]) for r in query.page(0, 10_000_000, "display_name")]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and index.isValid() and index.column() == 0:
            pid = self.id_at(index.row())
            if pid is None:
                return None
            return self._face(pid, index)
        return super().data(index, role)

    def _face(self, pid: int, index: Index) -> QPixmap:
        face = self._faces.get(pid)
        if face is not None:
            self._faces.move_to_end(pid)
            return face
        from ui.widgets.avatar import avatar

        name = str(super().data(index, Qt.ItemDataRole.DisplayRole) or "")
        face = self._faces[pid] = avatar(name, self.store.people.photo(pid), self.FACE)
        if len(self._faces) > self.FACES_KEPT:
            self._faces.popitem(last=False)
        return face

    def refresh(self) -> None:
        self._ask_labels = None  # the ladder may have been edited: read its labels again
        super().refresh()

    def ask_labels(self) -> dict[str, str]:
        if self._ask_labels is None:
            self._ask_labels = ask_labels(self.store)
        return self._ask_labels

    def total(self) -> int:
        """The real number of people matching the filters (not just the rows fetched)."""
        return self.list.count()

    @property
    def search(self) -> str:
        return self.list.search

    @property
    def flag(self) -> str:
        return self.list.flag

    def set_filter(
        self,
        *,
        search: str | None = None,
        stage: str | None = None,
        tag: str | None = None,
        group_id: int | None | _Keep = _Keep.KEEP,
        flag: str | None = None,
        kind: str | None = None,
    ) -> None:
        q = self.list
        if search is not None:
            q.search = search
        if stage is not None:
            q.stage = stage
        if tag is not None:
            q.tag = tag
        if not isinstance(group_id, _Keep):
            q.group_id = group_id
        if flag is not None:
            q.flag = flag
        if kind is not None:
            q.kind = kind
        self.refresh()

    def display(self, row: tuple[Any, ...], column: int) -> Any:
        value = row[column + 1]
        if value is None:
            return ""
        if column == 3:
            return int(round(float(value)))
        if column == 2:
            return str(value).capitalize()
        if column == 6:
            return next_step_words(str(value), self.ask_labels())
        return value
