"""The referral dialogs: a new referral (who referred whom to whom, with the prospect's
agreement) and the value of a won one. The rules live in ``netapp.referrals``; the Referrals
page and a person's page both open these.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from netapp import referrals
from netapp.domain import Referral
from netapp.errors import NetappError, ValidationError
from netapp.store import Store
from ui.commands import ErrorSink, perform
from ui.theme import error_style
from ui.widgets.date_field import DateField
from ui.widgets.messages import error_label

_ID_SUFFIX = re.compile(r"\(#(\d+)\)\s*$")


def person_choice(row: dict[str, Any]) -> str:
    """How a person reads in the completer: the id makes namesakes distinct."""
    org = f" — {row['org']}" if row.get("org") else ""
    return f"{row['display_name']}{org} (#{row['id']})"


def resolve_person(store: Store, text: str) -> int:
    """The id for what was typed: a completer choice, an id, or an exact unique name."""
    if not text.strip():
        raise ValidationError("person", "type a name, then pick the person from the list")
    m = _ID_SUFFIX.search(text)
    if m:
        return int(m[1])
    return int(store.people.find(text).id or 0)


class PersonField(QLineEdit):
    """A line edit that completes people's names from the full-text index as you type."""

    def __init__(self, store: Store, placeholder: str) -> None:
        super().__init__(placeholderText=placeholder)
        self.store = store
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self.textEdited.connect(self._suggest)

    def _suggest(self, text: str) -> None:
        self._names.setStringList(
            [person_choice(r) for r in self.store.people.search(text, 20)] if text.strip() else []
        )


class ReferralDialog(QDialog):
    """Record a referral given or received. Errors appear next to the field at fault."""

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        undo: QUndoStack | None = None,
        on_error: ErrorSink | None = None,
    ) -> None:
        """``undo``: the app's undo stack, which the recorded referral goes on (Ctrl+Z takes
        it back); ``on_error`` hears of a later undo or redo that fails."""
        super().__init__(parent)
        self.setWindowTitle("New referral")
        self.store = store
        self.undo = undo if undo is not None else QUndoStack(self)
        self.on_error = on_error
        self.referral_id: int | None = None
        self.direction = QComboBox()
        self.direction.addItem("Someone referred a prospect to me", "received")
        self.direction.addItem("I referred a prospect to someone", "given")
        self.person = PersonField(store, "Start typing a name…")
        self.prospect = QLineEdit(placeholderText="The person who needs the business")
        self.day = DateField(date.today())
        self.day.setAccessibleName("Date")
        self.agreed = QCheckBox("The prospect agreed to be contacted")
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(60)
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        self.person_label = QLabel()
        form.addRow("Direction", self.direction)
        form.addRow(self.person_label, self._with_error("person", self.person))
        form.addRow("Prospect", self._with_error("prospect", self.prospect))
        form.addRow("Date", self._with_error("date", self.day))
        form.addRow("", self._with_error("prospect_agreed", self.agreed))
        form.addRow("Note", self.note)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(error_style())
        self.general_error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.general_error)
        lay.addWidget(buttons)
        self.direction.currentIndexChanged.connect(lambda _i: self._relabel())
        self._relabel()

    def _with_error(self, field: str, widget: QWidget) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        label = QLabel()
        label.setStyleSheet(error_style())
        label.setWordWrap(True)
        label.hide()
        lay.addWidget(label)
        self.errors[field] = label
        return box

    def _relabel(self) -> None:
        given = self.direction.currentData() == "given"
        self.person_label.setText("Referred to" if given else "Referred by")

    def show_error(self, field: str, message: str) -> None:
        for label in self.errors.values():
            label.hide()
        self.general_error.clear()
        key = {"referrer": "person", "provider": "person", "value": "prospect"}.get(field, field)
        message = message[:1].upper() + message[1:]
        if key in self.errors:
            self.errors[key].setText(message)
            self.errors[key].show()
        else:
            self.general_error.setText(message)

    def save(self) -> None:
        try:
            try:
                pid = resolve_person(self.store, self.person.text())
            except ValidationError:
                raise
            except NetappError as exc:
                raise ValidationError("person", str(exc)) from None
            given = self.direction.currentData() == "given"
            ref = Referral(
                referrer_id=None if given else pid,
                provider_id=pid if given else None,
                prospect_name=self.prospect.text(),
                prospect_agreed=self.agreed.isChecked(),
                date=self.day.iso(),
                note=self.note.toPlainText(),
            )
            store = self.store
            self.referral_id = perform(
                self.undo, lambda: referrals.record_undoable(store, ref), self.on_error
            )
        except ValidationError as exc:
            self.show_error(exc.field, exc.message)
            return
        except NetappError as exc:
            self.show_error("", str(exc))
            return
        self.accept()


class WonDialog(QDialog):
    """Asks for the value of the business a won referral brought; the box starts empty and
    the core reads what was typed (``1,500``, ``€ 1 500``), refusing it at the field."""

    def __init__(self, who: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Referral won")
        self.value: float | None = None
        self.amount = QLineEdit(placeholderText="e.g. 1,500")
        self.amount.setAccessibleName("Value of the business")
        self.error = error_label("Value")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"Value of the business, credited to {who}:"))
        form.addRow("Value", self.amount)
        form.addRow(self.error)
        form.addRow(buttons)

    def accept(self) -> None:
        try:
            self.value = referrals.parse_value(self.amount.text())
        except ValidationError as exc:
            self.error.setText(exc.message[:1].upper() + exc.message[1:] + ".")
            self.error.show()
            return
        self.error.hide()
        super().accept()
