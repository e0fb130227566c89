"""The quick-capture grid: one editable row per business card, always one blank row at the end."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from netapp.capture import CaptureRow, Duplicate, check_row, likely_duplicates
from netapp.errors import ValidationError, with_name
from netapp.store import Store
from ui.theme import error_color

Index = QModelIndex | QPersistentModelIndex

# (attribute of CaptureRow, header). The check columns hold booleans.
TEXT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("org", "Organisation"),
    ("contact", "Email or phone"),
    ("note", "Note"),
    ("tags", "Tags"),
    ("asked_for", "They asked for…"),
)
CHECK_COLUMNS: tuple[tuple[str, str], ...] = (
    ("gave_value", "Gave value"),
    ("follow_up", "Follow up"),
)
COL_NAME, COL_ORG, COL_CONTACT, COL_NOTE, COL_TAGS, COL_ASKED = range(6)
COL_GAVE, COL_FOLLOW = 6, 7
COL_MATCH = 8
HEADERS = [t for _, t in TEXT_COLUMNS] + [t for _, t in CHECK_COLUMNS] + ["Match"]


class CaptureGridModel(QAbstractTableModel):
    """Rows of :class:`CaptureRow`. Editing the last row appends a fresh blank one."""

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self._rows: list[CaptureRow] = [CaptureRow()]
        self._dups: list[list[Duplicate]] = [[]]
        self._problems: list[str] = [""]  # per row, what the core would refuse ("" = none)

    # -- access --------------------------------------------------------------------------

    def rows(self) -> list[CaptureRow]:
        return [r for r in self._rows if not r.is_blank()]

    def row(self, n: int) -> CaptureRow:
        return self._rows[n]

    def duplicates(self, n: int) -> list[Duplicate]:
        return self._dups[n] if 0 <= n < len(self._dups) else []

    def problem(self, n: int) -> str:
        """What is wrong with row ``n`` as typed ("" when nothing), checked as it is typed."""
        return self._problems[n] if 0 <= n < len(self._problems) else ""

    def _problem(self, row: CaptureRow) -> str:
        if row.is_blank():
            return ""
        try:
            check_row(self.store, row)
        except ValidationError as exc:
            return with_name(f"{exc.field[:1].upper()}{exc.field[1:]}", exc.message)
        return ""

    def load(self, rows: list[CaptureRow]) -> None:
        self.beginResetModel()
        self._rows = [*(r for r in rows if not r.is_blank()), CaptureRow()]
        self._dups = [self._check(r) for r in self._rows]
        self._problems = [self._problem(r) for r in self._rows]
        self.endResetModel()

    def clear(self) -> None:
        self.load([])

    def link_person(self, n: int, person_id: int | None) -> None:
        """Make row ``n`` a repeat contact of ``person_id`` (None: a new person again)."""
        if not 0 <= n < len(self._rows):
            return
        row = self._rows[n]
        row.person_id = person_id
        if person_id is not None:
            p = self.store.people.get(person_id)
            row.name = p.display_name
            if not row.org:
                row.org = p.org
        self._after_edit(n)

    def toggle(self, n: int, attr: str) -> None:
        """Flip a check mark (``gave_value`` or ``follow_up``) on row ``n``."""
        column = {a: COL_GAVE + i for i, (a, _) in enumerate(CHECK_COLUMNS)}[attr]
        value = not getattr(self._rows[n], attr)
        state = Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        self.setData(self.index(n, column), state.value, Qt.ItemDataRole.CheckStateRole)

    # -- internals ---------------------------------------------------------------------------

    def _check(self, row: CaptureRow) -> list[Duplicate]:
        if row.is_blank() or row.person_id is not None:
            return []
        return likely_duplicates(self.store, row)

    def _after_edit(self, n: int) -> None:
        self._problems[n] = self._problem(self._rows[n])
        self._dups[n] = [] if self._problems[n] else self._check(self._rows[n])
        self.dataChanged.emit(self.index(n, 0), self.index(n, COL_MATCH))
        if n == len(self._rows) - 1 and not self._rows[n].is_blank():
            last = len(self._rows)
            self.beginInsertRows(QModelIndex(), last, last)
            self._rows.append(CaptureRow())
            self._dups.append([])
            self._problems.append("")
            self.endInsertRows()

    def match_text(self, n: int) -> str:
        row = self._rows[n]
        if self._problems[n]:
            return f"⚠ {self._problems[n]}"
        if row.person_id is not None:
            return "Repeat contact"
        dups = self._dups[n]
        if dups:
            d = dups[0]
            more = f" (+{len(dups) - 1})" if len(dups) > 1 else ""
            return f"Possible duplicate: {d.display_name} — {d.reason}{more}"
        return "New" if not row.is_blank() else ""

    # -- the model interface -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() < len(TEXT_COLUMNS):
            return base | Qt.ItemFlag.ItemIsEditable
        if index.column() < COL_MATCH:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        if col < len(TEXT_COLUMNS):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return getattr(row, TEXT_COLUMNS[col][0])
            if role == Qt.ItemDataRole.ToolTipRole and col == COL_NAME and row.person_id:
                return "Picked from your people: this records a repeat contact"
            return None
        if col < COL_MATCH:
            if role == Qt.ItemDataRole.CheckStateRole:
                attr = CHECK_COLUMNS[col - len(TEXT_COLUMNS)][0]
                on = getattr(row, attr)
                return (Qt.CheckState.Checked if on else Qt.CheckState.Unchecked).value
            return None
        if role == Qt.ItemDataRole.ForegroundRole and self._problems[index.row()]:
            return QBrush(error_color())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.ToolTipRole and self._dups[index.row()]:
                return "\n".join(
                    f"{d.display_name} ({d.org or 'no organisation'}): {d.reason}"
                    for d in self._dups[index.row()]
                )
            return self.match_text(index.row())
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        n, col = index.row(), index.column()
        row = self._rows[n]
        if col < len(TEXT_COLUMNS) and role == Qt.ItemDataRole.EditRole:
            attr = TEXT_COLUMNS[col][0]
            text = "" if value is None else str(value)
            if getattr(row, attr) == text:
                return True
            setattr(row, attr, text)
            if col == COL_NAME and row.person_id is not None:
                # Typing a different name unlinks the picked person: it is someone new.
                linked = self.store.people.names([row.person_id])
                if linked.get(row.person_id) != text:
                    row.person_id = None
            self._after_edit(n)
            return True
        if COL_GAVE <= col < COL_MATCH and role == Qt.ItemDataRole.CheckStateRole:
            attr = CHECK_COLUMNS[col - len(TEXT_COLUMNS)][0]
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, True)
            setattr(row, attr, checked)
            self._after_edit(n)
            return True
        return False

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None
