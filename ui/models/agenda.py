"""The Today agenda: the engine's steps, most urgent first, each with its reason in plain words."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from netapp.engine import Step
from ui.theme import warning_color

Index = QModelIndex | QPersistentModelIndex

KIND_TEXT = {
    "follow-up": "Follow up",
    "give-value": "Give value",
    "ask": "Ask",
    "keep-in-touch": "Keep in touch",
}
HEADERS = ("Due", "Person", "Step", "Why")


def step_text(step: Step, ask_labels: dict[str, str]) -> str:
    if step.kind == "ask" and step.ask:
        return f"Ask: {ask_labels.get(step.ask, step.ask)}"
    if step.reconnect:
        return "Reconnect"
    if step.kind == "give-value":
        return f"Give: {step.item_title}" if step.item_title else "Give: an introduction"
    return KIND_TEXT.get(step.kind, step.kind)


class AgendaModel(QAbstractTableModel):
    """Read-only rows of :class:`netapp.engine.Step`; ``set_steps`` replaces them all."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._steps: list[Step] = []
        self._labels: dict[str, str] = {}
        self.today = date.today()

    def set_steps(self, steps: list[Step], ask_labels: dict[str, str], today: date) -> None:
        self.beginResetModel()
        self._steps = list(steps)
        self._labels = dict(ask_labels)
        self.today = today
        self.endResetModel()

    def step(self, row: int) -> Step | None:
        return self._steps[row] if 0 <= row < len(self._steps) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._steps)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def _due(self, step: Step) -> str:
        if step.due is None:
            return ""
        days = (step.due - self.today).days
        if step.overdue or days < 0:
            return f"Overdue {-days} d" if days < 0 else "Overdue"
        if days == 0:
            return "Today"
        if days == 1:
            return "Tomorrow"
        return step.due.strftime("%a %d %b")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._steps):
            return None
        step, col = self._steps[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return self._due(step)
            if col == 1:
                return step.display_name
            if col == 2:
                return step_text(step, self._labels)
            return step.reason
        if role == Qt.ItemDataRole.UserRole:
            return step.person_id
        if role == Qt.ItemDataRole.ForegroundRole and col == 0 and step.overdue:
            return QBrush(warning_color())
        if role == Qt.ItemDataRole.FontRole and col == 0 and step.overdue:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None
