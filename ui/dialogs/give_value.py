"""“Give value…”: offer the library items a person has not had yet, and log the one given.

Opened from the person detail: ``GiveValueDialog(ctx, person_id).exec()``. The items come
from the core (not yet received, matching tags first); the engine's own pick for the person,
when their next step is to give value, is put first and chosen. "Something else" logs value
that is not in the library (an introduction, a tip), described in words. The write goes on
the undo stack.
"""

from __future__ import annotations

import json
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from netapp import engine, reports
from netapp import fields as F
from netapp.engine import undoable as engine_undoable
from netapp.errors import NetappError
from ui.commands import perform
from ui.context import AppContext
from ui.theme import error_style
from ui.widgets.date_field import DateField
from ui.widgets.note_edit import NoteEdit


def _engine_pick(ctx: AppContext, person_id: int, today: date) -> int | None:
    """The library item the engine suggests giving this person next, if it suggests one."""
    try:
        step = engine.status(ctx.store, person_id, today).next_step
    except NetappError:
        return None
    return step.item_id if step.kind == "give-value" else None


class GiveValueDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        person_id: int,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.interaction_id: int | None = None
        person = ctx.store.people.get(person_id)
        self.setWindowTitle(f"Give value to {person.display_name}")
        self.from_library = QRadioButton(f"&An item {person.display_name} has not had yet:")
        self.something_else = QRadioButton("&Something else (not in the library):")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.from_library)
        self.choice.addButton(self.something_else)
        self.items = QListWidget()
        self.items.setAccessibleName("Library items not yet given")
        self.items.setWordWrap(True)
        self._fill_items(today or date.today())
        self.empty = QLabel(
            f"{person.display_name} has had everything in your library. Add something new in "
            "the Value library, or describe what you gave under “Something else”."
        )
        self.empty.setWordWrap(True)
        self.empty.setVisible(self.items.count() == 0)
        self._make_fields()
        self._lay_out()
        if self.items.count():
            self.items.setCurrentRow(0)
            self.from_library.setChecked(True)
        else:
            self.from_library.setEnabled(False)
            self.items.setEnabled(False)
            self.something_else.setChecked(True)
        self.items.itemDoubleClicked.connect(lambda _i: self.give())
        self.items.currentItemChanged.connect(lambda *_: self.from_library.setChecked(True))
        self.items.itemClicked.connect(lambda _i: self.from_library.setChecked(True))
        self.other.textEdited.connect(lambda _t: self.something_else.setChecked(True))
        self.something_else.toggled.connect(lambda on: on and self.other.setFocus())
        self.resize(540, 460)

    def _fill_items(self, today: date) -> None:
        """Library items the person has not had, the engine's pick first."""
        pick = _engine_pick(self.ctx, self.person_id, today)
        rows = reports.items_not_given(self.ctx.store, self.person_id)
        rows.sort(key=lambda r: r["id"] != pick)  # stable: the engine's pick first
        for row in rows:
            tags = json.loads(row["tags"] or "[]")
            text = f"{row['title']}  ·  {row['kind']}"
            if tags:
                text += f"  ·  {', '.join(tags)}"
            if row["id"] == pick:
                text += "  (suggested)"
            elif row["matches"]:
                text += "  (matches their tags)"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            item.setToolTip(row["url"] or row["description"] or "")
            self.items.addItem(item)

    def _make_fields(self) -> None:
        """Something else, date, note, an error line, and the dialog's buttons."""
        self.other = QLineEdit(placeholderText="e.g. introduced them to my accountant")
        self.other.setAccessibleName("What you gave")
        self.day = DateField(date.today())
        self.day.setAccessibleName("Date")
        self.note = NoteEdit("Optional: what you said with it", lines=3)
        self.note.setAccessibleName("Note")
        self.error = QLabel()
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Log as given")
        self.buttons.accepted.connect(self.give)
        self.buttons.rejected.connect(self.reject)

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow("&Date", self.day)
        form.addRow("&Note", self.note)
        lay = QVBoxLayout(self)
        lay.addWidget(self.from_library)
        lay.addWidget(self.items, 1)
        lay.addWidget(self.empty)
        lay.addWidget(self.something_else)
        lay.addWidget(self.other)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def selected_item(self) -> int | None:
        item = self.items.currentItem()
        if not self.from_library.isChecked() or item is None:
            return None
        return int(item.data(Qt.ItemDataRole.UserRole))

    def give(self) -> None:
        item_id = self.selected_item()
        note = self.note.text().strip()
        if item_id is None:
            what = self.other.text().strip()
            if not what:
                self.error.setText(
                    "Choose an item to give, or say what else you gave."
                    if self.items.count()
                    else "Say what you gave."
                )
                self.error.show()
                (self.other if self.something_else.isChecked() else self.items).setFocus()
                return
            note = f"{what} — {note}" if note else what
        try:
            day = date.fromisoformat(F.happened("date", self.day.iso()))
            store, pid = self.ctx.store, self.person_id
            self.interaction_id = perform(
                self.ctx.undo,
                lambda: engine_undoable.mark_done(
                    store, pid, "give-value", day, "log value given", item_id=item_id, note=note
                ),
            )
        except NetappError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
