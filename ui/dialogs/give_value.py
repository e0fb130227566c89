"""“Give value…”: offer the library items a person has not had yet, and log the one given.

Opened from the person detail: ``GiveValueDialog(ctx, person_id).exec()``.
"""

from __future__ import annotations

import json
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netapp import engine, reports
from netapp.errors import NetappError
from ui.context import AppContext


class GiveValueDialog(QDialog):
    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.interaction_id: int | None = None
        person = ctx.store.get_person(person_id)
        self.setWindowTitle(f"Give value to {person.display_name}")
        self.items = QListWidget()
        self.items.setAccessibleName("Library items not yet given")
        self.items.setWordWrap(True)
        for row in reports.items_not_given(ctx.store, person_id):
            tags = json.loads(row["tags"] or "[]")
            text = f"{row['title']}  ·  {row['kind']}"
            if tags:
                text += f"  ·  {', '.join(tags)}"
            if row["matches"]:
                text += "  (matches their tags)"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            item.setToolTip(row["url"] or row["description"] or "")
            self.items.addItem(item)
        self.empty = QLabel(
            f"{person.display_name} has had everything in your library. Add something new in "
            "the Value library, or make an introduction."
        )
        self.empty.setWordWrap(True)
        self.empty.setVisible(self.items.count() == 0)
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.note = QLineEdit(placeholderText="Optional: what you said with it")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Log as given")
        self.buttons.accepted.connect(self.give)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Date", self.day)
        form.addRow("Note", self.note)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"Items {person.display_name} has not received yet:"))
        lay.addWidget(self.items, 1)
        lay.addWidget(self.empty)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        if self.items.count():
            self.items.setCurrentRow(0)
        self.items.itemDoubleClicked.connect(lambda _i: self.give())
        self.resize(520, 420)

    def selected_item(self) -> int | None:
        item = self.items.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def give(self) -> None:
        item_id = self.selected_item()
        if item_id is None:
            self.error.setText("Choose an item to give.")
            self.error.show()
            return
        day = date.fromisoformat(self.day.date().toString("yyyy-MM-dd"))
        try:
            self.interaction_id = engine.mark_done(
                self.ctx.store,
                self.person_id,
                "give-value",
                day,
                item_id=item_id,
                note=self.note.text(),
            )
        except NetappError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
