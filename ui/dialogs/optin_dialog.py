"""File ▸ Record opt-in…: consent to email, from a card code read back from a sign-up sheet
or for a person picked by name, with the method, the date and (when needed) the email.

Every rule is in ``netapp.interchange.consent.record_optin`` (and ``store.card_batches.lookup`` for the
live check of a code); this dialog only collects the fields and shows errors at the field
they are about.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from netapp import card_codes as codes
from netapp.domain import ConsentMethod
from netapp.errors import AmbiguousError, NetappError, NotFoundError, ValidationError
from netapp.interchange.consent import OptinResult, person_by_email, record_optin_undoable
from ui.commands import perform
from ui.dialogs.form import RecordDialog
from ui.theme import error_style
from ui.widgets.date_field import DateField
from ui.widgets.people_found import NAME_ROLE, PID_ROLE, fill_people
from ui.widgets.tables import on_index_picked, popup_of

# How consent was given, as a person can say it (ConsentMethod.IMPORT comes from an import).
METHODS: tuple[tuple[ConsentMethod, str], ...] = (
    (ConsentMethod.CARD, "Card (a QR card or a code handed back)"),
    (ConsentMethod.PAPER, "Paper (a signed sign-up sheet)"),
    (ConsentMethod.VERBAL, "Verbal (they said yes)"),
    (ConsentMethod.WEB, "Web (a sign-up form)"),
)


class _Note(QLabel):
    """A line under a field: a hint (grey) or an error (red), hidden when empty."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)  # names and codes are shown literally
        self.setWordWrap(True)
        self.setAccessibleName(name)
        self.is_error = False
        self.hide()

    def hint(self, text: str) -> None:
        self._set(text, False)

    def error(self, text: str) -> None:
        self._set(text, True)

    def clear_note(self) -> None:
        self._set("", False)

    def _set(self, text: str, is_error: bool) -> None:
        self.is_error = is_error and bool(text)
        self.setText(text)
        self.setStyleSheet(error_style() if self.is_error else "color: palette(placeholder-text)")
        self.setVisible(bool(text))


def _with_note(field: QWidget, note: _Note) -> QWidget:
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    lay.addWidget(field)
    lay.addWidget(note)
    return box


class OptinDialog(RecordDialog):
    """``results`` holds every opt-in recorded while the dialog was open."""

    title = "Record opt-in"

    def build(self) -> None:
        self.setMinimumWidth(520)
        self.person_id: int | None = None
        self.results: list[OptinResult] = []

        self._make_mode_buttons()
        self._make_who_fields()
        self._make_consent_fields()
        self._build_form()
        self.message = _Note("Result")
        buttons = self._build_buttons()
        modes = QHBoxLayout()
        modes.addWidget(self.by_card)
        modes.addWidget(self.by_person)
        modes.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(modes)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._mode_changed()

    def _make_mode_buttons(self) -> None:
        """From a card code, or for a person you know."""
        self.by_card = QRadioButton("From a card code (a card or sign-up sheet)")
        self.by_person = QRadioButton("For a person you know")
        self.by_card.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_card)
        group.addButton(self.by_person)
        self.by_card.toggled.connect(self._mode_changed)

    def _make_who_fields(self) -> None:
        """The card code, and the person field that finds people as you type."""
        self.code = QLineEdit(placeholderText="ABC-DEFG, as printed under the QR code")
        self.code.setAccessibleName("Card code")
        self.code.setMaxLength(20)
        self.code.textChanged.connect(self._check_code)
        self.code_note = _Note("Card code check")

        self.person = QLineEdit(placeholderText="Type a name, then pick from the list")
        self.person.setAccessibleName("Person")
        self.person_note = _Note("Person check")
        self._found = QStandardItemModel(self)
        completer = QCompleter(self._found, self.person)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCompletionRole(NAME_ROLE)
        popup_of(completer).setAccessibleName("People found")
        self.person.setCompleter(completer)
        self.person.textEdited.connect(self._search)
        on_index_picked(completer, self._picked)

    def _make_consent_fields(self) -> None:
        """Email, a new person's name, and how, when and to what they agreed."""
        self.email = QLineEdit()
        self.email.setAccessibleName("Email")
        self.email.textChanged.connect(self._check_email)
        self.email_note = _Note("Email check")
        self.name = QLineEdit(placeholderText="Optional: their name, if they are new to netapp")
        self.name.setAccessibleName("Name for a new person")

        self.method = QComboBox()
        self.method.setAccessibleName("Method")
        for value, text in METHODS:
            self.method.addItem(text, value)
        self.method_note = _Note("Method check")
        self.day = DateField(
            date.today()
        )  # the app's one date field; the core refuses a future day
        self.day.setAccessibleName("Date consent was given")
        self.day_note = _Note("Date check")
        self.wording = QLineEdit()
        self.wording.setAccessibleName("Wording agreed to")

    def _build_form(self) -> None:
        """Lay the fields out in self.form, every label one width."""
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.code_row = _with_note(self.code, self.code_note)
        self.person_row = _with_note(self.person, self.person_note)
        self.form.addRow("Card code:", self.code_row)
        self.form.addRow("Person:", self.person_row)
        self.form.addRow("Email:", _with_note(self.email, self.email_note))
        self.form.addRow("Name:", self.name)
        self.form.addRow("Method:", _with_note(self.method, self.method_note))
        self.form.addRow("Date:", _with_note(self.day, self.day_note))
        self.form.addRow("Wording:", self.wording)
        # One label width for both modes, so the fields do not jump when the mode changes.
        labels = [
            self.form.itemAt(r, QFormLayout.ItemRole.LabelRole) for r in range(self.form.rowCount())
        ]
        widgets = [w for item in labels if item is not None and (w := item.widget()) is not None]
        width = max(w.sizeHint().width() for w in widgets)
        for w in widgets:
            w.setMinimumWidth(width)

    def _build_buttons(self) -> QHBoxLayout:
        """Record && next, Record, Close."""
        self.record_next = QPushButton("Record && &next")
        self.record_next.setToolTip("Record this opt-in and clear the form for the next one")
        self.record_next.setAutoDefault(False)
        self.record_next.clicked.connect(lambda: self.record(keep_open=True))
        self.record_button = QPushButton("&Record")
        self.record_button.setDefault(True)
        self.record_button.clicked.connect(lambda: self.record(keep_open=False))
        self.close_button = QPushButton("Close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_next)
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.close_button)
        return buttons

    # -- modes and live checks -------------------------------------------------------------

    def card_mode(self) -> bool:
        return self.by_card.isChecked()

    def _mode_changed(self) -> None:
        card = self.card_mode()
        for row, visible in ((self.code_row, card), (self.person_row, not card), (self.name, card)):
            self.form.setRowVisible(row, visible)
        self.method.setCurrentIndex(
            self.method.findData(ConsentMethod.CARD if card else ConsentMethod.VERBAL)
        )
        self.wording.setPlaceholderText(
            "Optional: default is the offer printed on the card"
            if card
            else "Optional: what they agreed to, e.g. “your monthly tips by email”"
        )
        for note in (self.code_note, self.person_note, self.email_note, self.message):
            note.clear_note()
        self._check_email()
        (self.code if card else self.person).setFocus()

    def _check_code(self) -> None:
        """Tell at once whether the code is one of ours and where it was handed out."""
        text = self.code.text()
        canonical = codes.normalize(text)
        if not canonical:
            self.code_note.clear_note()
            return
        if len(canonical) < codes.CODE_LENGTH and all(ch in codes.ALPHABET for ch in canonical):
            self.code_note.hint(f"{codes.CODE_LENGTH - len(canonical)} more characters")
            return
        try:
            batch, meeting = self.store.card_batches.lookup(text)
        except ValidationError as exc:
            self.code_note.error(exc.message)
            return
        except NotFoundError as exc:
            self.code_note.error(str(exc))
            return
        where = (
            f"{meeting.name} ({meeting.date})"
            if meeting is not None
            else (f"campaign “{batch.campaign}”" if batch.campaign else f"batch {batch.id}")
        )
        self.code_note.hint(f"Card {codes.display(canonical)}: handed out at {where}")

    def _search(self, text: str) -> None:
        self.person_id = None
        self.person_note.clear_note()
        fill_people(self._found, self.store, text)
        self._check_email()

    def _picked(self, index: QModelIndex) -> None:
        pid = index.data(PID_ROLE)
        if pid is not None:
            self.pick_person(int(pid))

    def pick_person(self, person_id: int) -> None:
        """Choose the person (as picking them from the list does)."""
        person = self.store.people.get(person_id)
        self.person_id = person_id
        self.person.setText(person.display_name)
        self.person_note.clear_note()
        self._check_email()

    def _check_email(self) -> None:
        """Say whose address it is (card) or whether one is needed (person)."""
        typed = self.email.text().strip()
        if self.card_mode():
            self.email.setPlaceholderText("The address written on the card or sheet")
            self.name.setEnabled(True)
            if "@" not in typed:
                self.email_note.clear_note()
                return
            pid = person_by_email(self.store, typed)
            if pid is None:
                self.email_note.hint("Not in netapp yet: a new person is added.")
            else:
                self.name.setEnabled(False)
                name = self.store.people.get(pid).display_name
                self.email_note.hint(f"The opt-in is recorded for {name}.")
            return
        if self.person_id is None:
            self.email.setPlaceholderText("Pick the person first")
            self.email_note.clear_note()
            return
        person = self.store.people.get(self.person_id)
        if person.emails:
            first = person.emails[0].address
            self.email.setPlaceholderText(first)
            if not typed:
                self.email_note.hint(f"Leave empty to use {first}.")
            elif typed.casefold() in {e.address.casefold() for e in person.emails}:
                self.email_note.clear_note()
            else:
                self.email_note.hint(f"{typed} is added to {person.display_name}.")
        else:
            self.email.setPlaceholderText("Required")
            self.email_note.hint(
                f"{person.display_name} has no email address: type the one they gave you."
            )

    # -- recording -------------------------------------------------------------------------

    def _resolve_person(self) -> int | None:
        """The picked person, or the one person whose name was typed in full."""
        if self.person_id is not None:
            return self.person_id
        text = self.person.text().strip()
        if not text:
            self.person_note.error("Type a name and pick the person from the list.")
            return None
        ids = self.store.people.ids_by_name(text)
        if len(ids) == 1:
            return ids[0]
        self.person_note.error(
            f"More than one person is named “{text}”: pick one from the list."
            if ids
            else f"No one is named “{text}”: pick someone from the list."
        )
        return None

    def record(self, keep_open: bool = False) -> OptinResult | None:
        """Record the opt-in; errors are shown at their field and nothing is written."""
        self._clear_errors()
        card = self.card_mode()
        ref = self._reference(card)
        if ref is None:
            return None
        picked = self.day.value()
        when = None if picked == date.today() else self.day.iso()  # today: the time too
        try:
            if card:  # a mistyped code must not be taken for a person's name
                self.store.card_batches.lookup(ref)
            store = self.store
            options = {
                "email": self.email.text().strip() or None,
                "method": str(self.method.currentData()),
                "when": when,
                "name": (self.name.text().strip() or None) if card else None,
                "wording": self.wording.text().strip(),
            }
            result: OptinResult = perform(
                self.undo, lambda: record_optin_undoable(store, ref, **options), self.on_error
            )
        except ValidationError as exc:
            text = exc.message
            if exc.field == "email" and not card and not self.email.text().strip():
                name = self.store.people.get(int(ref)).display_name  # the core's says "--email"
                text = f"{name} has no email address: type the one they gave you."
            self._show_error(exc.field, text)
            return None
        except (NotFoundError, AmbiguousError) as exc:
            self._show_error("code" if card else "person", str(exc))
            return None
        except NetappError as exc:
            self.message.error(str(exc))
            return None
        self.results.append(result)
        if keep_open:
            self._clear_for_next(result)
        else:
            self.accept()
        return result

    def _clear_errors(self) -> None:
        notes = (self.code_note, self.person_note, self.method_note, self.day_note, self.email_note)
        for note in notes:
            if note.is_error:
                note.clear_note()
        self.message.clear_note()

    def _reference(self, card: bool) -> str | None:
        """The card code, or the picked person's id; None (and focus at the field) if missing."""
        if card:
            ref = self.code.text().strip()
            if not ref:
                self.code_note.error("Type the code printed on the card.")
                self.code.setFocus()
                return None
            return ref
        pid = self._resolve_person()
        if pid is None:
            self.person.setFocus()
            return None
        return str(pid)

    def _show_error(self, field: str, text: str) -> None:
        target = {
            "code": (self.code_note, self.code),
            "email": (self.email_note, self.email),
            "method": (self.method_note, self.method),
            "date": (self.day_note, self.day),
            "person": (self.person_note, self.person),
        }.get(field)
        if target is None or (field == "code" and not self.card_mode()):
            self.message.error(text)
            return
        note, widget = target
        note.error(text)
        widget.setFocus()

    def _clear_for_next(self, result: OptinResult) -> None:
        for field in (self.code, self.email, self.name, self.person):
            field.clear()
        self.person_id = None
        for note in (self.code_note, self.person_note, self.email_note):
            note.clear_note()
        self._check_email()
        self.message.hint(f"Recorded: {describe(result)}. Next one:")
        (self.code if self.card_mode() else self.person).setFocus()


def describe(result: OptinResult) -> str:
    """One line about a recorded opt-in, for the dialog and the status bar."""
    text = result.display_name + (" (new person)" if result.created_person else "")
    if result.card_code:
        text += f", card {codes.display(result.card_code)}"
    return text
