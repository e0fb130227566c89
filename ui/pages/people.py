"""The People page: search as you type over the SQL-backed list."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.models.people import PeopleModel


class PeoplePage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("page-people")
        self.ctx = ctx
        self.model = PeopleModel(ctx.store, self)
        self.search = QLineEdit(placeholderText="Search names, organisations, tags, notes…")
        self.search.setAccessibleName("Search people")
        self.search.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setAccessibleName("People")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(1, 220)
        lay = QVBoxLayout(self)
        lay.addWidget(self.search)
        lay.addWidget(self.table, 1)
        # Debounce keystrokes a little: one query per pause, not per character.
        self._timer = QTimer(self, singleShot=True, interval=120)
        self._timer.timeout.connect(lambda: self.model.set_filter(search=self.search.text()))
        self.search.textChanged.connect(lambda _t: self._timer.start())
        ctx.signals.changed.connect(self._on_changed)
        self.model.refresh()

    def _on_changed(self, topic: str, _ids: object) -> None:
        if topic in {"people", "interactions", "meetings", "status", "consents", "referrals"}:
            self.model.refresh()


def build(ctx: AppContext) -> QWidget:
    return PeoplePage(ctx)
