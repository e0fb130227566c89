"""Duplicates: the list of people who may be one person, and a field-by-field merge dialog.

Matching and merging are ``netapp.interchange.dedupe``; this only shows and asks.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netapp.domain import Person
from netapp.interchange.dedupe import (
    MERGE_FIELDS,
    Candidate,
    find_duplicates,
    merge_people_undoable,
)
from netapp.store import Store
from ui.commands import perform

FIELD_TITLES = {
    "display_name": "Name",
    "given_name": "First name",
    "family_name": "Last name",
    "org": "Organisation",
    "department": "Department",
    "title": "Title",
    "website": "Website",
    "birthday": "Birthday",
    "note": "Note",
    "photo": "Photo",
}


def _value(p: Person, name: str) -> str:
    if name == "photo":
        return f"{len(p.photo)} bytes" if p.photo else ""
    text = str(getattr(p, name) or "")
    return text if len(text) < 200 else text[:200] + "…"


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class MergeDialog(QDialog):
    """Both records side by side; choose which value to keep for each differing field."""

    def __init__(
        self,
        store: Store,
        keep_id: int,
        other_id: int,
        reason: str = "",
        parent: QWidget | None = None,
        *,
        undo: QUndoStack | None = None,
    ) -> None:
        """``undo``: the app's undo stack, which the merge goes on (Ctrl+Z splits them)."""
        super().__init__(parent)
        self.setWindowTitle("Merge two people")
        self.store = store
        self.undo = undo if undo is not None else QUndoStack(self)
        self.keep_id, self.other_id = keep_id, other_id
        self.keep = store.people.get(keep_id)
        self.other = store.people.get(other_id)
        self.merged: Person | None = None
        layout = QVBoxLayout(self)
        if reason:
            layout.addWidget(_plain(f"Why: {reason}"))
        layout.addLayout(self._build_grid())
        layout.addWidget(
            _plain(
                "Emails, phones and tags are combined. Every interaction, meeting, consent "
                "and referral of both records is kept."
            )
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.do_merge)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _build_grid(self) -> QGridLayout:
        """Field by field, the two records' values: a choice where they differ."""
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Field</b>"), 0, 0)
        grid.addWidget(_plain(f"Keep: record {self.keep_id}"), 0, 1)
        grid.addWidget(_plain(f"Other: record {self.other_id}"), 0, 2)
        self.groups: dict[str, QButtonGroup] = {}
        row = self._add_choices(grid, 1)
        for title, fa, fb in (
            (
                "Emails",
                ", ".join(e.address for e in self.keep.emails),
                ", ".join(e.address for e in self.other.emails),
            ),
            (
                "Phones",
                ", ".join(p.number for p in self.keep.phones),
                ", ".join(p.number for p in self.other.phones),
            ),
            ("Tags", ", ".join(self.keep.tags), ", ".join(self.other.tags)),
        ):
            grid.addWidget(QLabel(title), row, 0)
            grid.addWidget(_plain(fa), row, 1)
            grid.addWidget(_plain(fb), row, 2)
            row += 1
        return grid

    def _add_choices(self, grid: QGridLayout, row: int) -> int:
        """A keep/other choice per field either record fills; returns the next free row."""
        for name in MERGE_FIELDS:
            a, b = _value(self.keep, name), _value(self.other, name)
            if not a and not b:
                continue
            grid.addWidget(QLabel(FIELD_TITLES[name]), row, 0)
            ra, rb = QRadioButton(a or "(empty)"), QRadioButton(b or "(empty)")
            ra.setAccessibleName(f"{FIELD_TITLES[name]}: keep")
            rb.setAccessibleName(f"{FIELD_TITLES[name]}: other")
            group = QButtonGroup(self)
            group.addButton(ra, 0)
            group.addButton(rb, 1)
            (ra if a or not b else rb).setChecked(True)
            if a == b:
                rb.setEnabled(False)
            grid.addWidget(ra, row, 1)
            grid.addWidget(rb, row, 2)
            self.groups[name] = group
            row += 1
        return row

    def choices(self) -> dict[str, str]:
        return {n: ("other" if g.checkedId() == 1 else "keep") for n, g in self.groups.items()}

    def do_merge(self) -> None:
        store, keep, other, choices = self.store, self.keep_id, self.other_id, self.choices()
        self.merged = perform(self.undo, lambda: merge_people_undoable(store, keep, other, choices))
        self.accept()


class DuplicatesDialog(QDialog):
    """File ▸ Find duplicates…: every likely pair with its reason."""

    def __init__(
        self, store: Store, parent: QWidget | None = None, *, undo: QUndoStack | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Possible duplicates")
        self.resize(700, 420)
        self.store = store
        self.undo = undo if undo is not None else QUndoStack(self)
        self.candidates: list[Candidate] = []
        layout = QVBoxLayout(self)
        self.summary = _plain("")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Person", "May be the same as", "Why"])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.doubleClicked.connect(lambda _i: self.merge_selected())
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.merge_button = QPushButton("Merge…")
        self.merge_button.clicked.connect(self.merge_selected)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addStretch(1)
        row.addWidget(self.merge_button)
        row.addWidget(close)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        self.candidates = find_duplicates(self.store)
        self.table.setRowCount(len(self.candidates))
        for r, c in enumerate(self.candidates):
            for col, text in enumerate(
                (f"{c.keep_name} ({c.keep_id})", f"{c.other_name} ({c.other_id})", c.reason)
            ):
                self.table.setItem(r, col, QTableWidgetItem(text))
        n = len(self.candidates)
        self.summary.setText("No likely duplicates." if not n else f"{n} possible duplicates.")
        self.merge_button.setEnabled(bool(n))
        if n:
            self.table.selectRow(0)

    def merge_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.candidates):
            return
        c = self.candidates[row]
        if MergeDialog(self.store, c.keep_id, c.other_id, c.reason, self, undo=self.undo).exec():
            self.refresh()
