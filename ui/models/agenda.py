"""The Today agenda: the engine's steps, most urgent first, each with its reason in plain words."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QGuiApplication, QPalette

from netapp.engine import Step
from netapp.engine.wording import step_words
from ui.theme import warning_color

Index = QModelIndex | QPersistentModelIndex

HEADERS = ("Due", "Person", "Step", "Why")


FOCUS = 7  # the steps that matter most today: the first few of the engine's order


class AgendaModel(QAbstractTableModel):
    """Read-only rows of :class:`netapp.engine.Step`; ``set_steps`` replaces them all.

    The first :data:`FOCUS` steps of the engine's order are today's focus; the rest are shown
    muted (late ones without the red), so the page invites action. ``set_filter`` keeps the
    steps whose person, step or reason contain a text; ``sort`` orders by a column (Due: by
    how late), and ``sort(-1)`` goes back to the engine's order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[Step] = []
        self._steps: list[Step] = []
        self._focus: set[tuple[int, str]] = set()
        self._labels: dict[str, str] = {}
        self._filter = ""
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self.today = date.today()

    def set_steps(self, steps: list[Step], ask_labels: dict[str, str], today: date) -> None:
        self.beginResetModel()
        self._all = list(steps)
        self._focus = {(s.person_id, s.kind) for s in steps[:FOCUS]}
        self._labels = dict(ask_labels)
        self.today = today
        self._steps = self._arranged()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        """Show only the steps whose person, step or reason contain ``text`` (any case)."""
        self.beginResetModel()
        self._filter = text.strip().casefold()
        self._steps = self._arranged()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._steps = self._arranged()
        self.layoutChanged.emit()

    def _arranged(self) -> list[Step]:
        out = [s for s in self._all if not self._filter or self._filter in self._haystack(s)]
        column, order = self._sort
        if 0 <= column < len(HEADERS):
            keys = {
                0: lambda s: s.due or date.max,
                1: lambda s: s.display_name.casefold(),
                2: lambda s: step_words(s, self._labels).casefold(),
                3: lambda s: s.reason.casefold(),
            }
            out.sort(key=keys[column], reverse=order == Qt.SortOrder.DescendingOrder)
        return out

    def _haystack(self, s: Step) -> str:
        return f"{s.display_name} {step_words(s, self._labels)} {s.reason}".casefold()

    def in_focus(self, step: Step) -> bool:
        """Whether ``step`` is one of the few that matter most today."""
        return (step.person_id, step.kind) in self._focus

    def total(self) -> int:
        return len(self._all)

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
                return step_words(step, self._labels)
            return step.reason
        if role == Qt.ItemDataRole.UserRole:
            return step.person_id
        focus = self.in_focus(step)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not focus:  # the rest, muted: there when wanted, not a wall of red
                return QGuiApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
            if col == 0 and step.overdue:
                return QBrush(warning_color())
        if role == Qt.ItemDataRole.FontRole and focus and (col == 1 or (col == 0 and step.overdue)):
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
