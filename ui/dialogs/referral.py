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
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from netapp import referrals
from netapp.domain import Referral, ReferralStatus
from netapp.errors import NetappError, ValidationError
from netapp.store import Store
from ui.commands import ErrorSink, perform
from ui.dialogs.form import FieldForm, RecordDialog
from ui.widgets.date_field import DateField

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


class ReferralDialog(RecordDialog):
    """Record a referral given or received. Errors appear next to the field at fault."""

    title = "New referral"

    def build(self) -> None:
        self.referral_id: int | None = None
        self.form = form = FieldForm()
        self.direction = form.add("Direction", QComboBox())
        self.direction.addItem("Someone referred a prospect to me", "received")
        self.direction.addItem("I referred a prospect to someone", "given")
        self.person = form.add(
            "Referred by",
            PersonField(self.store, "Start typing a name…"),
            "person",
            "referrer",
            "provider",
        )
        box = self.person.parentWidget()
        assert box is not None
        self.person_label = form.labelForField(box)
        prospect = QLineEdit(placeholderText="The person who needs the business")
        self.prospect = form.add("Prospect", prospect, "prospect", "value")
        self.day = form.add("Date", DateField(date.today()), "date")
        agreed = QCheckBox("The prospect agreed to be contacted")
        self.agreed = form.add("", agreed, "prospect_agreed")
        self.agreed.setAccessibleName(agreed.text())
        self.note = form.add("Note", QPlainTextEdit(), "note")
        self.note.setFixedHeight(60)
        # By field name (person, prospect, date, prospect_agreed), and the foot's line.
        self.errors, self.general_error = form.errors, form.general
        form.lay_out(self, "&Save", self.save)
        self.direction.currentIndexChanged.connect(lambda _i: self._relabel())
        self._relabel()

    def _relabel(self) -> None:
        given = self.direction.currentData() == "given"
        text = "Referred to" if given else "Referred by"
        if isinstance(self.person_label, QLabel):
            self.person_label.setText(text)
        self.person.setAccessibleName(text)

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
        except NetappError as exc:
            self.form.show_error(exc)
            return
        self.accept()


class WonDialog(RecordDialog):
    """Mark a referral won, with the value of the business it brought. The box starts empty;
    the core reads what was typed (``1,500``, ``€ 1 500``) and a refusal shows under the
    field at fault; the change goes on the undo stack (Ctrl+Z puts the referral back)."""

    title = "Referral won"

    def __init__(
        self,
        store: Store,
        referral_id: int,
        who: str,
        parent: QWidget | None = None,
        *,
        undo: QUndoStack | None = None,
        on_error: ErrorSink | None = None,
    ) -> None:
        self.referral_id, self.who = referral_id, who
        super().__init__(store, parent, undo=undo, on_error=on_error)

    def build(self) -> None:
        self.value: float | None = None
        self.form = form = FieldForm()
        form.addRow(QLabel(f"Value of the business, credited to {self.who}:"))
        self.amount = form.add("&Value", QLineEdit(placeholderText="e.g. 1,500"), "value")
        self.amount.setAccessibleName("Value of the business")
        # By field name (value, and the status at the foot), and the value's own line.
        self.errors, self.general_error = form.errors, form.general
        self.error = form.errors["value"]
        form.lay_out(self, "&Mark won", self.save)

    def save(self) -> None:
        store, rid = self.store, self.referral_id
        self.form.clear_errors()
        try:
            value = referrals.parse_value(self.amount.text())
            perform(
                self.undo,
                lambda: referrals.set_status_undoable(store, rid, ReferralStatus.WON, value),
                self.on_error,
            )
        except NetappError as exc:
            self.form.show_error(exc)
            return
        self.value = value
        self.accept()
