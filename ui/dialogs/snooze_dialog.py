"""Snooze a step: for a day, a week, a month, or until a date the user types or picks."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.date_field import DateField
from ui.widgets.messages import error_label

CHOICES = (("A &day", 1), ("A &week", 7), ("A &month", 30))


class SnoozeDialog(QDialog):
    """How long to hide a step; ``until()`` is the day it comes back (a week by default)."""

    def __init__(self, what: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Snooze")
        self.today = today
        self.group = QButtonGroup(self)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"Snooze {what} for:"))
        for n, (text, _days) in enumerate(CHOICES):
            b = QRadioButton(text)
            self.group.addButton(b, n)
            lay.addWidget(b)
        self.until_button = QRadioButton("&Until")
        self.group.addButton(self.until_button, len(CHOICES))
        lay.addWidget(self.until_button)
        self.date = DateField(today + timedelta(days=14))
        self.date.setAccessibleName("Snooze until")
        self.date.textEdited.connect(lambda _t: self.until_button.setChecked(True))
        lay.addWidget(self.date)
        self.error = error_label("Snooze")
        lay.addWidget(self.error)
        self.group.button(1).setChecked(True)  # a week
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def until(self) -> date | None:
        """The day the step comes back; None when the typed date is not a later day."""
        n = self.group.checkedId()
        if n < len(CHOICES):
            return self.today + timedelta(days=CHOICES[n][1])
        day = self.date.value()
        return day if day is not None and day > self.today else None

    def accept(self) -> None:
        if self.until() is None:
            self.error.setText("Type or pick a day after today (YYYY-MM-DD).")
            self.error.show()
            self.date.setFocus()
            return
        super().accept()
