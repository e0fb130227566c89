"""The Referrals page: referrals given and received, their status flow, and closing the loop.

The rules (transitions, won value, counting once, agreement) live in ``netapp.referrals``;
this page only shows the list and asks for input.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QStringListModel, Qt, QTimer
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from netapp import referrals
from netapp.domain import Referral, ReferralStatus
from netapp.errors import NetappError, ValidationError
from netapp.store import Store
from ui.commands import RecordedReferralCommand, perform
from ui.context import AppContext
from ui.models.referrals_table import FILTERS, ReferralsModel

ERROR_STYLE = "color: #b00020"

_ID_SUFFIX = re.compile(r"\(#(\d+)\)\s*$")


def person_choice(row: dict[str, Any]) -> str:
    """How a person reads in the completer: the id makes namesakes distinct."""
    org = f" — {row['org']}" if row.get("org") else ""
    return f"{row['display_name']}{org} (#{row['id']})"


def resolve_person(store: Store, text: str) -> int:
    """The id for what was typed: a completer choice, an id, or an exact unique name."""
    m = _ID_SUFFIX.search(text)
    if m:
        return int(m[1])
    return int(store.find_person(text).id or 0)


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
            [person_choice(r) for r in self.store.search_people(text, 20)] if text.strip() else []
        )


class ReferralDialog(QDialog):
    """Record a referral given or received. Errors appear next to the field at fault."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New referral")
        self.store = store
        self.referral_id: int | None = None
        self.direction = QComboBox()
        self.direction.addItem("Someone referred a prospect to me", "received")
        self.direction.addItem("I referred a prospect to someone", "given")
        self.person = PersonField(store, "Start typing a name…")
        self.prospect = QLineEdit(placeholderText="The person who needs the business")
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
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
        self.general_error.setStyleSheet(ERROR_STYLE)
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
        label.setStyleSheet(ERROR_STYLE)
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
        if key in self.errors:
            self.errors[key].setText(message)
            self.errors[key].show()
        else:
            self.general_error.setText(message)

    def save(self) -> None:
        try:
            try:
                pid = resolve_person(self.store, self.person.text())
            except NetappError as exc:
                raise ValidationError("person", str(exc)) from None
            given = self.direction.currentData() == "given"
            ref = Referral(
                referrer_id=None if given else pid,
                provider_id=pid if given else None,
                prospect_name=self.prospect.text(),
                prospect_agreed=self.agreed.isChecked(),
                date=self.day.date().toString("yyyy-MM-dd"),
                note=self.note.toPlainText(),
            )
            self.referral_id = referrals.record(self.store, ref)
        except ValidationError as exc:
            self.show_error(exc.field, exc.message)
            return
        except NetappError as exc:
            self.show_error("", str(exc))
            return
        self.accept()


class StatusCommand(QUndoCommand):
    """Undo/redo one status change; the first redo has already been applied by the page."""

    def __init__(
        self, store: Store, rid: int, status: str, value: float | None, before: dict[str, Any]
    ) -> None:
        super().__init__(f"Mark referral {status}")
        self.store, self.rid, self.status, self.value, self.before = (
            store,
            rid,
            status,
            value,
            before,
        )
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.before = referrals.set_status(self.store, self.rid, self.status, self.value)

    def undo(self) -> None:
        referrals.restore(self.store, self.before)


class ReferralsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("page-referrals")
        self.ctx = ctx
        self.as_of: date | None = None
        self.model = ReferralsModel(ctx.store, self)
        self.filter = QComboBox()
        self.filter.setAccessibleName("Show")
        for key, text in FILTERS.items():
            self.filter.addItem(text, key)
        self.new_button = QPushButton("New referral…")
        self.contacted_button = QPushButton("Mark contacted")
        self.won_button = QPushButton("Mark won…")
        self.lost_button = QPushButton("Mark lost")
        self.loop_label = QLabel()
        self.loop_label.setWordWrap(True)
        self.loop_label.setTextFormat(Qt.TextFormat.RichText)
        self.loop_label.setStyleSheet(
            "background: #fff4d6; border: 1px solid #e8c96a; border-radius: 4px; padding: 6px;"
        )
        self.loop_button = QPushButton("Show them")
        self.table = QTableView()
        self.table.setAccessibleName("Referrals")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((90, 80, 160, 160, 160, 90, 90, 120)):
            self.table.setColumnWidth(col, width)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show"))
        bar.addWidget(self.filter)
        bar.addStretch(1)
        for b in (self.new_button, self.contacted_button, self.won_button, self.lost_button):
            bar.addWidget(b)
        loop = QHBoxLayout()
        loop.addWidget(self.loop_label, 1)
        loop.addWidget(self.loop_button)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("<h2>Referrals</h2>"))
        lay.addLayout(loop)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)

        self.filter.currentIndexChanged.connect(
            lambda _i: self.model.set_filter(str(self.filter.currentData()))
        )
        self.loop_button.clicked.connect(lambda: self.set_filter("loop"))
        self.new_button.clicked.connect(self.new_referral)
        self.contacted_button.clicked.connect(lambda: self.mark(ReferralStatus.CONTACTED))
        self.won_button.clicked.connect(lambda: self.mark(ReferralStatus.WON))
        self.lost_button.clicked.connect(lambda: self.mark(ReferralStatus.LOST))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        ctx.signals.changed.connect(self._on_changed)
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.refresh)
        self.refresh()

    def set_filter(self, key: str) -> None:
        self.filter.setCurrentIndex(list(FILTERS).index(key))

    def refresh(self) -> None:
        today = self.as_of or date.today()
        self.model.as_of = today
        selected = self.selected_id()
        self.model.refresh()
        if selected is not None:
            self.select(selected)
        quiet = referrals.closing_the_loop(self.ctx.store, today)
        if quiet:
            names = ", ".join(sorted({q.provider_name for q in quiet})[:3])
            more = "…" if len({q.provider_name for q in quiet}) > 3 else ""
            self.loop_label.setText(
                f"<b>Close the loop:</b> {len(quiet)} referral{'s' if len(quiet) != 1 else ''} "
                f"you gave {'have' if len(quiet) != 1 else 'has'} had no update in "
                f"{referrals.LOOP_DAYS} days. Ask {names}{more} how it went."
            )
        else:
            self.loop_label.setText(
                f"Every referral you gave has had news in the last {referrals.LOOP_DAYS} days."
            )
        self.loop_button.setVisible(bool(quiet))
        self._update_buttons()

    def _on_changed(self, topic: str, _ids: object) -> None:
        if topic in {"referrals", "people"}:
            self._timer.start()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.id_at(rows[0].row()) if rows else None

    def select(self, rid: int) -> None:
        row = self.model.row_of(rid)
        if row >= 0:
            self.table.selectRow(row)

    def _update_buttons(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        status = self.model.status_at(rows[0].row()) if rows else None
        allowed = referrals.TRANSITIONS[ReferralStatus(status)] if status else frozenset()
        self.contacted_button.setEnabled(ReferralStatus.CONTACTED in allowed)
        self.won_button.setEnabled(ReferralStatus.WON in allowed)
        self.lost_button.setEnabled(ReferralStatus.LOST in allowed)

    def new_referral(self) -> int | None:
        dialog = ReferralDialog(self.ctx.store, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        if dialog.referral_id is not None:  # recorded by the dialog; Ctrl+Z takes it back
            perform(
                self.ctx.undo,
                RecordedReferralCommand(
                    self.ctx.store,
                    dialog.referral_id,
                    lambda text: QMessageBox.warning(self, "netapp", text),
                ),
            )
        self.refresh()
        if dialog.referral_id is not None:
            self.select(dialog.referral_id)
        return dialog.referral_id

    def mark(self, status: ReferralStatus) -> bool:
        rid = self.selected_id()
        if rid is None:
            return False
        value: float | None = None
        if status is ReferralStatus.WON:
            row = self.ctx.store.query(
                "SELECT COALESCE(p.display_name, 'you') AS name FROM referrals r "
                "LEFT JOIN people p ON p.id = r.referrer_id WHERE r.id = ?",
                [rid],
            )
            who = row[0]["name"] if row else "the referrer"
            dialog = WonDialog(who, self)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.value is None:
                return False
            value = dialog.value
        try:
            before = referrals.set_status(self.ctx.store, rid, status, value)
        except NetappError as exc:
            QMessageBox.warning(self, "Referral not changed", str(exc))
            return False
        self.ctx.undo.push(StatusCommand(self.ctx.store, rid, status.value, value, before))
        self.refresh()
        self.select(rid)
        return True


class WonDialog(QDialog):
    """Asks for the value of the business a won referral brought; the box starts empty and
    the core reads what was typed (``1,500``, ``€ 1 500``), refusing it at the field."""

    def __init__(self, who: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Referral won")
        self.value: float | None = None
        self.amount = QLineEdit(placeholderText="e.g. 1,500")
        self.amount.setAccessibleName("Value of the business")
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
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


def build(ctx: AppContext) -> QWidget:
    return ReferralsPage(ctx)
