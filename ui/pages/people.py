"""The People page: a SQL-backed list (search as you type, filters) and a detail pane.

The list sorts and searches in SQL (FTS5), never in Python. The detail pane edits contact
fields inline (validated by the core, messages at the field), shows the engine's status and
the timeline, and logs interactions: value given from the value library
(:class:`GiveValueDialog`), referrals through the Referrals page's dialog and rules
(``netapp.referrals.record``), the other kinds through :class:`LogDialog`; a pending ask's
outcome is set later from the timeline. Every write goes on the undo stack.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from netapp import engine
from netapp import fields as F
from netapp.domain import (
    STAGE_ORDER,
    ContactKind,
    Flag,
    Interaction,
    Kind,
    Note,
    Outcome,
    Person,
    Topic,
    detail,
    detail_fields,
)
from netapp.engine import undoable as engine_undoable
from netapp.engine.ladder import load_ladder
from netapp.engine.wording import ask_labels, ask_words
from netapp.errors import NetappError, NotFoundError, ValidationError
from netapp.store import undoable
from ui import step_actions
from ui.actions import with_keys
from ui.commands import perform
from ui.context import AppContext
from ui.dialogs.form import FieldForm
from ui.dialogs.give_value import GiveValueDialog
from ui.dialogs.referral import ReferralDialog, person_choice
from ui.models.people import PeopleModel
from ui.models.timeline import TimelineModel
from ui.theme import error_style
from ui.widgets.avatar import avatar
from ui.widgets.date_field import DateField
from ui.widgets.messages import counted, people_count
from ui.widgets.note_edit import NoteEdit
from ui.widgets.tables import compact

# (field, label, how it is shown/edited: text | list): the details declared editable here.
FIELDS: tuple[tuple[str, str, str], ...] = tuple(
    (n, detail(n, "label"), "list" if isinstance(getattr(Person(), n), list) else "text")
    for n in detail_fields(edit=True)
)
# The kinds behind the detail pane's "More…" button (the five main ones have buttons).
MORE_KINDS: tuple[tuple[Kind, str], ...] = (
    (Kind.VALUE_RECEIVED, "Value &received…"),
    (Kind.CALL, "&Call…"),
    (Kind.EMAIL, "&Email…"),
    (Kind.MESSAGE, "&Message…"),
)


def confirm_forget(parent: QWidget, title: str, who: str) -> bool:
    """Ask before forgetting ``who`` (a name, or "12 people"); No is the default."""
    answer = QMessageBox.warning(
        parent,
        title,
        f"Erase {who} and every trace of them: records, history, consents, the search "
        "index and unsaved drafts?\n\nThis cannot be undone. Older backups still hold "
        "them until they rotate out.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class FieldEdit(QWidget):
    """One inline-editable field with its validation message underneath."""

    def __init__(self, name: str, label: str, kind: str) -> None:
        super().__init__()
        self.name, self.kind = name, kind
        # A note is several lines (Ctrl+Enter or leaving it saves); the rest are one line.
        self.edit: QLineEdit | NoteEdit = NoteEdit() if name == "note" else QLineEdit()
        self.edit.setAccessibleName(label)
        if kind == "list":
            self.edit.setPlaceholderText("separate with commas")
        self.error = QLabel()
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        self.error.setAccessibleName(f"{label} problem")
        self.error.hide()
        self.note = QLabel()  # what the value is, when that is not plain (not an error)
        self.note.setWordWrap(True)
        self.note.setAccessibleName(f"{label} note")
        self.note.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.edit)
        lay.addWidget(self.note)
        lay.addWidget(self.error)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def show_doubt(self, value: Any) -> None:
        """Say so under the field when a kept value does not look like what it should be."""
        if self.name == "phones":
            doubts = [F.phone_warning(ph.number) for ph in value if not ph.valid]
        elif self.name == "website":
            doubts = [F.website_warning(str(value))]
        else:
            doubts = []
        text = "; ".join(d for d in doubts if d)
        self.show_error(text[:1].upper() + text[1:])

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))


def not_normalised_note(p: Person) -> str:
    """The note under the phones: which numbers are kept as typed (their country not certain)."""
    typed = [ph.number for ph in p.phones if not ph.valid]
    if not typed:
        return ""
    numbers = ", ".join(typed)
    return f"Not normalised (country not certain, kept as typed): {numbers}"


def _list_text(value: list[Any]) -> str:
    out = []
    for v in value:
        out.append(getattr(v, "address", None) or getattr(v, "number", None) or str(v))
    return ", ".join(out)


class LogDialog(QDialog):
    """Log one interaction: date, note, and what the kind needs (ask and outcome, amount).

    Value given and referrals have dialogs of their own (the value library; the referral
    rules), opened by :class:`PersonDetail`.
    """

    def __init__(self, parent: QWidget, kind: Kind, ask_ids: list[tuple[str, str]]) -> None:
        super().__init__(parent)
        self.kind = kind
        titles = {
            Kind.ONE_TO_ONE: "Log a one-to-one",
            Kind.VALUE_RECEIVED: "Log value received",
            Kind.CALL: "Log a call",
            Kind.EMAIL: "Log an email",
            Kind.MESSAGE: "Log a message",
            Kind.ASK: "Log an ask and its outcome",
            Kind.BUSINESS: "Log business closed",
        }
        self.setWindowTitle(titles.get(kind, "Log"))
        self.form = FieldForm()
        self.date = self.form.add("&Date", DateField(date.today()), "date")
        self.ask = QComboBox()
        for ask_id, label in ask_ids:
            self.ask.addItem(label, ask_id)
        self.outcome = QComboBox()
        for o in Outcome:
            self.outcome.addItem(o.value.capitalize(), o.value)
        self.outcome.setCurrentIndex(self.outcome.findData(Outcome.PENDING.value))  # safe default
        self.amount = QDoubleSpinBox(maximum=1e9, decimals=2)
        if kind is Kind.ASK:
            self.form.add("&Ask", self.ask, "ask", "ask_type")
            self.form.add("&Outcome", self.outcome, "outcome")
        if kind is Kind.BUSINESS:
            self.form.add("A&mount", self.amount, "amount")
        self.note = self.form.add("&Note", NoteEdit("What was said, what comes next…"), "note")
        self.form.lay_out(self, "OK", self.accept)


class NoteDialog(QDialog):
    """A dated, multi-line journal note."""

    def __init__(self, parent: QWidget, title: str, day: str, text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = FieldForm()
        self.date = self.form.add("&Date", DateField(date.fromisoformat(day)), "date")
        self.text = QPlainTextEdit(text)
        self.text.setPlaceholderText("Talked about her daughter's exams…")
        self.text.setTabChangesFocus(True)
        self.form.add("&Note", self.text, "note", "text")
        self.form.lay_out(self, "OK", self.accept)
        self.text.setFocus()

    def day(self) -> str:
        return self.date.iso()


def _href(url: str) -> str:
    """A link the desktop can open: a bare ``example.com`` gets ``https://``."""
    text = url.strip()
    return text if "://" in text or text.startswith("mailto:") else f"https://{text}"


def profile_links(p: Person) -> str:
    """The website and profile links as clickable links (LinkedIn and others), or ""."""
    urls = [u for u in (p.website, *p.links) if u.strip()]
    if not urls:
        return ""
    links = " · ".join(
        f"<a href='{_esc(_href(u))}'>{_esc(u.split('://')[-1].rstrip('/'))}</a>" for u in urls
    )
    return f"<br><small>{links}</small>"


# The log buttons on a person's detail pane: kind, text, accessible name, tooltip.
# Each has a mnemonic (Alt+letter), so they are one key away from anywhere on the page.
LOG_BUTTONS: tuple[tuple[Kind, str, str, str], ...] = (
    (Kind.ONE_TO_ONE, "&One-to-one…", "Log a one-to-one", "Log a one-to-one"),
    (
        Kind.VALUE_GIVEN,
        "&Value given…",
        "Log value given",
        "Give an item from your value library they have not had yet, or something else",
    ),
    (Kind.ASK, "As&k…", "Log an ask", "Log an ask and its outcome"),
    (
        Kind.REFERRAL_GIVEN,
        "Re&ferral…",
        "Record a referral",
        "A referral to or from this person; the prospect must have agreed",
    ),
    (Kind.BUSINESS, "&Business…", "Log business closed", "Log business closed"),
)


class PersonDetail(QScrollArea):
    """Everything about one person, editable where it makes sense."""

    def __init__(self, ctx: AppContext, today: date) -> None:
        super().__init__()
        self.ctx, self.store, self.today = ctx, ctx.store, today
        self.person_id: int | None = None
        self.setWidgetResizable(True)
        self.setAccessibleName("Person details")
        body = self._body = QWidget()
        self.setWidget(body)
        lay = QVBoxLayout(body)
        lay.addLayout(self._build_heading())
        lay.addWidget(self._build_contact())
        lay.addWidget(self._build_status())
        lay.addLayout(self._build_log_buttons())
        lay.addLayout(self._build_timeline())
        lay.addWidget(self.timeline, 1)
        self.setEnabled(False)

    def _build_heading(self) -> QHBoxLayout:
        """The face, the name with title and organisation, profile links, and Photo…"""
        self.face = QLabel()
        self.face.setAccessibleName("Photo")
        self.face.setFixedSize(64, 64)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.heading.setOpenExternalLinks(True)  # website and profile links open in a browser
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.photo_button = QPushButton("Photo…")
        self.photo_button.setAccessibleName("Add or replace photo")
        self.photo_button.setToolTip(
            "Add or replace this person's photo from a file (Ctrl+Z undoes)"
        )
        self.photo_button.clicked.connect(lambda: self.choose_photo())
        row = QHBoxLayout()
        row.addWidget(self.face, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.heading, 1)
        row.addWidget(self.photo_button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _build_contact(self) -> QGroupBox:
        """The contact fields, each saved when editing finishes."""
        contact = QGroupBox("Contact")
        form = QFormLayout(contact)
        self.fields: dict[str, FieldEdit] = {}
        for name, label, kind in FIELDS:
            fe = FieldEdit(name, label, kind)
            fe.edit.editingFinished.connect(lambda fe=fe: self._commit(fe))
            self.fields[name] = fe
            form.addRow(label, fe)
        return contact

    def _build_status(self) -> QGroupBox:
        """Stage, trust, ledger, next step, evidence and asks: what the engine says."""
        status = QGroupBox("Relationship")
        grid = QGridLayout(status)
        self.stage = QLabel()
        self.stage.setAccessibleName("Stage")
        self.stage.setWordWrap(True)  # a long "Today:" line must not widen the pane
        self.trust = QProgressBar()
        self.trust.setRange(0, 100)
        self.trust.setFormat("Trust %v / 100")
        self.trust.setAccessibleName("Trust meter")
        self.ledger = QLabel()
        self.ledger.setAccessibleName("Give to ask ledger")
        self.next_step = QLabel()
        self.next_step.setWordWrap(True)
        self.next_step.setAccessibleName("Next step")
        self.evidence = QLabel()
        self.evidence.setWordWrap(True)
        self.evidence.setAccessibleName("Evidence")
        self.asks = QLabel()
        self.asks.setWordWrap(True)
        self.asks.setTextFormat(Qt.TextFormat.RichText)
        self.asks.setAccessibleName("Allowed and blocked asks")
        grid.addWidget(QLabel("Stage"), 0, 0)
        grid.addWidget(self.stage, 0, 1)
        grid.addWidget(self.trust, 1, 0, 1, 2)
        grid.addWidget(QLabel("Give : ask"), 2, 0)
        grid.addWidget(self.ledger, 2, 1)
        grid.addWidget(QLabel("Next step"), 3, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(self._build_step_row(), 3, 1)
        grid.addWidget(QLabel("Why"), 4, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.evidence, 4, 1)
        grid.addWidget(QLabel("Asks"), 5, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.asks, 5, 1)
        grid.setColumnStretch(1, 1)
        return status

    def _build_step_row(self) -> QVBoxLayout:
        """The next step in words, with Mark done and Snooze… for acting where one reads."""
        self.step: engine.Step | None = None
        self.done_button = QPushButton("Mark &done")
        self.done_button.setToolTip(with_keys("Log the next step as done (Ctrl+Z undoes)", "&done"))
        self.done_button.clicked.connect(lambda: self.mark_step_done())
        self.snooze_button = QPushButton("Snoo&ze…")
        self.snooze_button.setToolTip(
            with_keys("Hide the next step for a day, a week, a month or until a date", "&z")
        )
        self.snooze_button.clicked.connect(lambda: self.snooze_step())
        row = QHBoxLayout()
        row.addWidget(self.done_button)
        row.addWidget(self.snooze_button)
        row.addStretch(1)
        col = QVBoxLayout()
        col.addWidget(self.next_step)
        col.addLayout(row)
        return col

    def mark_step_done(self, outcome: str | None = None) -> int | None:
        """Done on the next step shown, as on Today (an ask asks how it went)."""
        if self.step is None:
            return None
        return step_actions.mark_done(
            self.ctx, self, self.step, self.today, self._say, outcome, self.step.reason
        )

    def snooze_step(self, until: date | None = None) -> date | None:
        """Snooze the next step shown, for as long as the user chooses; undoable."""
        if self.step is None:
            return None
        return step_actions.snooze(self.ctx, self, self.step, self.today, self._say, until)

    def _say(self, text: str) -> None:
        window = self.window()
        bar = getattr(window, "statusBar", None)
        if callable(bar):
            bar().showMessage(text, 10_000)

    def _build_log_buttons(self) -> QGridLayout:
        """One button per common kind to log, More… for the rest, then Delete and Forget."""
        buttons = QGridLayout()
        self.log_buttons: dict[Kind, QPushButton] = {}
        for n, (kind, text, name, tip) in enumerate(LOG_BUTTONS):
            b = QPushButton(text)
            b.setAccessibleName(name)
            b.setToolTip(with_keys(tip, text))
            b.clicked.connect(lambda _=False, k=kind: self.log_dialog(k))
            self.log_buttons[kind] = b
            buttons.addWidget(b, n // 3, n % 3)
        self.more_button = QPushButton("Mo&re…")
        self.more_button.setAccessibleName("Log something else")
        self.more_button.setToolTip(
            with_keys("Log value received, a call, an email or a message", "Mo&re…")
        )
        more = QMenu(self.more_button)
        more.setAccessibleName("Other kinds to log")
        self.more_actions: dict[Kind, QAction] = {}
        for kind, text in MORE_KINDS:
            action = more.addAction(text)
            action.triggered.connect(lambda _=False, k=kind: self.log_dialog(k))
            self.more_actions[kind] = action
        self.more_button.setMenu(more)
        buttons.addWidget(self.more_button, 1, 2)
        self._add_note_button(buttons)
        self._add_removal_buttons(buttons)
        return buttons

    def _add_note_button(self, buttons: QGridLayout) -> None:
        self.note_button = QPushButton("&Note…")
        self.note_button.setAccessibleName("Add a journal note")
        self.note_button.setToolTip(
            'A dated note on this person ("talked about her daughter\'s exams"), shown in '
            "the timeline and on the briefing sheet"
        )
        self.note_button.clicked.connect(lambda: self.add_note())
        buttons.addWidget(self.note_button, 2, 0)

    def _add_removal_buttons(self, buttons: QGridLayout) -> None:
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setAccessibleName("Delete person")
        self.delete_button.setToolTip("Delete this person and their history (Ctrl+Z undoes)")
        self.delete_button.clicked.connect(self.delete)
        buttons.addWidget(self.delete_button, 2, 1)
        self.forget_button = QPushButton("Forget…")
        self.forget_button.setAccessibleName("Forget person")
        self.forget_button.setToolTip(
            "Erase this person everywhere, for good: records, search index, drafts (no undo)"
        )
        self.forget_button.clicked.connect(self.forget)
        buttons.addWidget(self.forget_button, 2, 2)

    def _build_timeline(self) -> QHBoxLayout:
        """The timeline table (self.timeline) and its heading row with Set outcome…"""
        self.timeline_model = TimelineModel(self.store, self)
        self.timeline = QTableView()
        self.timeline.setAccessibleName("Timeline")
        self.timeline.setModel(self.timeline_model)
        self.timeline.verticalHeader().hide()
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        compact(self.timeline, (90, 130))
        self.timeline.setMinimumHeight(220)
        self.outcome_button = QPushButton("Set outcome…")
        self.outcome_button.setAccessibleName("Set the outcome of the selected ask")
        self.outcome_button.setToolTip(
            "Select a pending ask in the timeline, then say how it turned out (Ctrl+Z undoes)"
        )
        self.outcome_button.setEnabled(False)
        self.outcome_button.clicked.connect(self.set_outcome)
        self.outcome_action = QAction("Set &outcome…", self.timeline)
        self.outcome_action.setEnabled(False)
        self.outcome_action.triggered.connect(self.set_outcome)
        self.timeline.addAction(self.outcome_action)
        self.timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.timeline.doubleClicked.connect(lambda _i: self._timeline_activated())
        self.timeline.selectionModel().selectionChanged.connect(
            lambda *_: self._update_outcome_button()
        )
        self.timeline_model.modelReset.connect(self._update_outcome_button)
        head = QHBoxLayout()
        head.addWidget(QLabel("<b>Timeline</b> (newest first)"))
        head.addStretch(1)
        head.addWidget(self.outcome_button)
        return head

    def minimumSizeHint(self) -> QSize:
        """Wide enough for the body beside the vertical scroll bar (no sideways scrolling in
        a narrow window)."""
        hint = super().minimumSizeHint()
        body = self._body.minimumSizeHint().width()
        scroll = self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), body + scroll + 2 * self.frameWidth()), hint.height())

    # -- showing -------------------------------------------------------------------------

    def show_person(self, person_id: int | None) -> None:
        self.person_id = person_id
        if person_id is None or not self.store.people.exists(person_id):
            self.person_id = None
            self.heading.setText("<h2>No one selected</h2>")
            self.face.clear()
            self.setEnabled(False)
            return
        self.setEnabled(True)
        p = self.store.people.get(person_id)
        self.face.setPixmap(avatar(p.display_name, p.photo, 64))
        is_org = p.kind == ContactKind.ORGANISATION
        about = ("Organisation", p.department) if is_org else (p.title, p.org)
        self.heading.setText(
            f"<h2 style='margin:0'>{_esc(p.display_name)}</h2>"
            f"<span>{_esc(' · '.join(x for x in about if x))}</span>" + profile_links(p)
        )
        for name, _label, kind in FIELDS:
            value = getattr(p, name)
            fe = self.fields[name]
            fe.edit.setText(_list_text(value) if kind == "list" else str(value))
            fe.edit.setModified(False)
            fe.show_doubt(value)  # clears the message line, or warns of an odd phone/website
            fe.show_note(not_normalised_note(p) if name == "phones" else "")
        self._show_status(person_id)
        self.timeline_model.set_person(person_id)
        self.updateGeometry()  # the body's minimum width follows what it shows

    def _show_status(self, person_id: int) -> None:
        st = engine.status(self.store, person_id, self.today)
        self.stage.setText(
            f"<b>{st.stage.value.capitalize()}</b> ({st.stage.rank + 1} of {len(STAGE_ORDER)})"
            + (f" — {_esc(st.stage_reason)}" if st.stage_reason else "")
            + (f"<br><b>Today:</b> {_esc(st.stage_note)}" if st.stage_note else "")
            + (f"<br><small>{_esc(st.history_line())}</small>" if st.stage_history else "")
        )
        self.trust.setValue(int(round(st.trust)))
        self.ledger.setText(
            f"{st.given} given : {st.asked} asked"
            + ("  — give before you ask" if st.asked > st.given else "")
        )
        step = st.next_step
        self.step = step if step.kind != "none" else None
        self.done_button.setEnabled(self.step is not None)
        self.snooze_button.setEnabled(self.step is not None)
        due = f" (due {step.due.isoformat()})" if step.due else ""
        self.next_step.setText(
            f"{_esc(step.reason)}{due}" if step.kind != "none" else "Nothing due"
        )
        self.evidence.setText("\n".join(f"• {e}" for e in st.evidence) or "No history yet")
        labels = ask_labels(self.store)
        allowed = ", ".join(ask_words(a, labels) for a in st.allowed_asks) or "none yet"
        blocked = "".join(
            f"<br>✗ {_esc(ask_words(b.ask, labels))}: {_esc(b.reason)}" for b in st.blocked_asks
        )
        self.asks.setText(f"✓ <b>Proportionate now:</b> {_esc(allowed)}{blocked}")

    # -- editing -------------------------------------------------------------------------

    def _commit(self, fe: FieldEdit) -> None:
        if self.person_id is None or not fe.edit.isModified():
            return
        fe.edit.setModified(False)
        p = self.store.people.get(self.person_id)
        old = getattr(p, fe.name)
        text = fe.edit.text()
        if fe.kind == "list":
            new: Any = [x.strip() for x in text.split(",") if x.strip()]
            if fe.name == "emails":
                old = [e.address for e in old]
            elif fe.name == "phones":
                old = [ph.number for ph in old]
        else:
            new = text
        if new == old:
            fe.show_error("")
            return
        try:
            store, pid, field = self.store, self.person_id, fe.name
            perform(
                self.ctx.undo,
                lambda: undoable.edit_person(store, pid, **{field: new}),
                self._error,
            )
        except ValidationError as exc:
            fe.show_error(exc.message[:1].upper() + exc.message[1:])
            return
        except NetappError as exc:
            fe.show_error(str(exc))
            return
        fe.show_doubt(getattr(store.people.get(pid), field))

    def _error(self, text: str) -> None:
        QMessageBox.warning(self, "netapp", text)

    # -- journal notes and photo -----------------------------------------------------------

    def add_note(self, dlg: NoteDialog | None = None) -> int | None:
        """Ask for a dated note and add it (one undoable step). Returns the note's id."""
        if self.person_id is None:
            return None
        pid, store = self.person_id, self.store
        dlg = dlg or NoteDialog(self, "Add a journal note", self.today.isoformat(), "")
        while dlg.exec() == QDialog.DialogCode.Accepted:
            note = Note(person_id=pid, date=dlg.day(), text=dlg.text.toPlainText())
            try:
                return int(perform(self.ctx.undo, partial(undoable.add_note, store, note)))
            except NetappError as exc:
                dlg.form.show_error(exc)
        return None

    def edit_note(self, note_id: int, dlg: NoteDialog | None = None) -> bool:
        """Change a note's date or text (one undoable step)."""
        old = self.store.notes.get(note_id)
        dlg = dlg or NoteDialog(self, "Edit journal note", old.date, old.text)
        while dlg.exec() == QDialog.DialogCode.Accepted:
            new = {"date": dlg.day(), "text": dlg.text.toPlainText()}
            try:
                perform(self.ctx.undo, partial(undoable.edit_note, self.store, note_id, **new))
                return True
            except NetappError as exc:
                dlg.form.show_error(exc)
        return False

    def _timeline_activated(self) -> None:
        index = self.timeline.currentIndex()
        key = self.timeline_model.key_at(index.row()) if index.isValid() else ""
        if key.startswith("n"):
            self.edit_note(int(key[1:]))
        else:
            self.set_outcome()

    def select_timeline_row(self, row_id: str) -> bool:
        """Select the timeline row ``row_id`` (``n12`` a note, ``i7`` an interaction)."""
        model = self.timeline_model
        while model.row_of_key(row_id) < 0 and model.canFetchMore():
            model.fetchMore()
        row = model.row_of_key(row_id)
        if row >= 0:
            self.timeline.selectRow(row)
            self.timeline.scrollTo(model.index(row, 0))
        return row >= 0

    def choose_photo(self, path: str | None = None) -> bool:
        """Add or replace the photo from an image file (one undoable step)."""
        if self.person_id is None:
            return False
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, "Choose a photo", "", "Images (*.png *.jpg *.jpeg *.gif *.webp *.bmp)"
            )
        if not path:
            return False
        try:
            data = Path(path).read_bytes()
            media = F.check_photo(Path(path).name, data)
        except OSError as exc:
            self._error(f"{Path(path).name}: cannot read it ({exc.strerror or exc})")
            return False
        except ValidationError as exc:
            self._error(str(exc))
            return False
        change = partial(
            undoable.edit_person,
            self.store,
            self.person_id,
            "change photo",
            photo=data,
            photo_type=media,
        )
        perform(self.ctx.undo, change, self._error)
        return True

    def delete(self) -> bool:
        if self.person_id is None:
            return False
        name = self.store.people.get(self.person_id).display_name
        answer = QMessageBox.question(
            self,
            "Delete person",
            f"Delete {name} and their whole history (meetings, interactions, consents)?\n\n"
            "You can undo this with Ctrl+Z.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        store, pid = self.store, self.person_id
        perform(self.ctx.undo, lambda: store.people.delete(pid, f"delete {name}"), self._error)
        self.show_person(None)
        return True

    def forget(self) -> bool:
        """Erase the person for good (a privacy request). Unlike delete, it cannot be undone,
        so the undo history, which could bring them back, is cleared too."""
        from netapp.safety.forget import forget

        if self.person_id is None:
            return False
        name = self.store.people.get(self.person_id).display_name
        if not confirm_forget(self, "Forget person", name):
            return False
        try:
            forget(self.store, self.person_id)
        except NetappError as exc:
            self._error(f"Could not forget {name}: {exc}")
            return False
        self.ctx.undo.clear()
        self.show_person(None)
        return True

    def log_dialog(self, kind: Kind) -> None:
        if self.person_id is None:
            return
        if kind is Kind.VALUE_GIVEN:
            self.give_value()
            return
        if kind in (Kind.REFERRAL_GIVEN, Kind.REFERRAL_RECEIVED):
            self.referral()
            return
        asks = [(a.id, a.label) for a in load_ladder(self.store)]
        dlg = LogDialog(self, kind, asks)
        while dlg.exec() == QDialog.DialogCode.Accepted:
            try:
                self.log(kind, dlg)
                return
            except NetappError as exc:
                dlg.form.show_error(exc)

    def log(self, kind: Kind, dlg: LogDialog) -> None:
        """Write what the dialog holds (raises NetappError with the field at fault)."""
        pid = self.person_id
        assert pid is not None
        day = dlg.date.iso()
        note = dlg.note.text()
        it = Interaction(person_id=pid, date=day, kind=kind, note=note)
        if kind is Kind.ASK:
            it.ask_type = dlg.ask.currentData()
            it.outcome = Outcome(dlg.outcome.currentData())
        if kind is Kind.BUSINESS:
            it.amount = dlg.amount.value()
        store = self.store
        perform(
            self.ctx.undo, lambda: engine_undoable.log(store, it, f"log {kind.value}"), self._error
        )

    def give_value(self) -> int | None:
        """Value given, chosen from the library (or described): the new interaction's id."""
        if self.person_id is None:
            return None
        dlg = GiveValueDialog(self.ctx, self.person_id, self, today=self.today)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.interaction_id

    def referral(self) -> int | None:
        """A referral to or from this person, recorded by the Referrals page's dialog (and
        so by its rules: agreement, counting once, no value until won); undoable."""
        if self.person_id is None:
            return None
        p = self.store.people.get(self.person_id)
        dlg = ReferralDialog(self.store, self, undo=self.ctx.undo, on_error=self._error)
        dlg.person.setText(
            person_choice({"id": self.person_id, "display_name": p.display_name, "org": p.org})
        )
        dlg.prospect.setFocus()
        if dlg.exec() != QDialog.DialogCode.Accepted or dlg.referral_id is None:
            return None
        return dlg.referral_id

    # -- a pending ask's outcome ----------------------------------------------------------

    def selected_pending_ask(self) -> int | None:
        """The interaction id of the ask selected in the timeline, if it is still pending."""
        rows = self.timeline.selectionModel().selectedRows()
        if not rows:
            return None
        key = str(self.timeline_model.data(rows[0], Qt.ItemDataRole.UserRole) or "")
        if not key.startswith("i") or not key[1:].isdigit():
            return None  # a meeting or a referral of which this person is the prospect
        iid = int(key[1:])
        try:
            found = self.store.interactions.get(iid)
        except NotFoundError:
            return None
        if found.kind is not Kind.ASK or (found.outcome or Outcome.PENDING) is not Outcome.PENDING:
            return None
        return iid

    def _update_outcome_button(self) -> None:
        pending = self.selected_pending_ask() is not None
        self.outcome_button.setEnabled(pending)
        self.outcome_action.setEnabled(pending)

    def set_outcome(self) -> bool:
        """Ask how the selected pending ask turned out and record it (undoable)."""
        iid = self.selected_pending_ask()
        if iid is None:
            return False
        ask = self.store.interactions.get(iid)
        labels = ask_labels(self.store)
        choices = [o for o in Outcome if o is not Outcome.PENDING]
        text, ok = QInputDialog.getItem(
            self,
            "Set the ask's outcome",
            f"How did the ask “{labels.get(ask.ask_type or '', ask.ask_type)}” of "
            f"{ask.date} turn out?",
            [o.value.capitalize() for o in choices],
            0,
            False,
        )
        if not ok:
            return False
        new = next((o for o in choices if o.value.capitalize() == text), None)
        if new is None:
            return False
        try:
            store = self.store
            perform(self.ctx.undo, lambda: undoable.set_outcome(store, iid, new.value), self._error)
        except NetappError as exc:
            self._error(f"Could not set the outcome: {exc}")
            return False
        return True


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# A write to at most this many people, while the page is hidden, is re-read when it is shown.
_FEW = 50
# The writes that change what the list shows.
_LIST_TOPICS = frozenset(
    {
        Topic.PEOPLE,
        Topic.INTERACTIONS,
        Topic.MEETINGS,
        Topic.STATUS,
        Topic.CONSENTS,
        Topic.REFERRALS,
        Topic.NOTES,
    }
)


class PeoplePage(QWidget):
    def __init__(self, ctx: AppContext, today: date | None = None) -> None:
        super().__init__()
        self.setObjectName("page-people")
        self.ctx = ctx
        self.today = today or date.today()
        self.model = PeopleModel(ctx.store, self)
        filters = self._build_filters()
        self.count = QLabel()
        self.count.setAccessibleName("Number of people shown")

        self.table = self._build_table()
        self.detail = PersonDetail(ctx, self.today)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(filters)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.count)
        ll.addLayout(self._build_bulk_bar())
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.detail)
        split.setChildrenCollapsible(False)
        split.setSizes([690, 420])
        lay = QVBoxLayout(self)
        lay.addWidget(split)

        self._timer = QTimer(self, singleShot=True, interval=120)
        self._timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        for box in self._boxes:
            box.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_selection())
        self.model.modelReset.connect(self._update_selection)
        self.model.modelReset.connect(self._update_count)
        ctx.signals.changed.connect(self._on_changed)
        self._stale = False  # a write came while the page was hidden: re-read when shown
        self._stale_choices = False
        self._fill_choices()
        # The table's first sort (setSortingEnabled in _build_table) has read the first page:
        # not read again (one people query per first visit, issue 20), only shown.
        self._update_selection()
        self._update_count()
        if self.model.rowCount():
            self.table.selectRow(0)

    def _build_filters(self) -> QHBoxLayout:
        """The search box and the filter boxes (stage, flag, tag, group, kind), in a row."""
        self.search = QLineEdit(placeholderText="Search names, organisations, tags, notes…")
        self.search.setAccessibleName("Search people")
        self.search.setClearButtonEnabled(True)
        self.stage_box = self._combo(
            "Stage", [("Any stage", "")] + [(s.value.capitalize(), s.value) for s in STAGE_ORDER]
        )
        self.flag_box = self._combo("Flag", [("Any flag", "")] + [(f.label, f.value) for f in Flag])
        self.tag_box = self._combo("Tag", [("Any tag", "")])
        self.group_box = self._combo("Group", [("Any group", None)])
        self.kind_box = self._combo(
            "Kind",
            [
                ("Any kind", ""),
                ("People", ContactKind.PERSON.value),
                ("Organisations", ContactKind.ORGANISATION.value),
            ],
        )
        self._boxes = (self.stage_box, self.flag_box, self.tag_box, self.group_box, self.kind_box)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for box in self._boxes:
            filters.addWidget(box, 1)
        return filters

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setAccessibleName("People")
        table.setModel(self.model)
        table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)  # one query, in the indicator's order
        table.verticalHeader().hide()
        # Narrow enough that Next step shows at 1280 wide without scrolling sideways.
        compact(table, (125, 120, 80, 42, 64, 82))
        # Several people at once (Shift/Ctrl) for the bulk actions under the list.
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        return table

    # -- bulk actions (several people selected with Shift/Ctrl) ------------------------------

    def _build_bulk_bar(self) -> QHBoxLayout:
        """Tag, untag, add to a meeting, export or forget the selected people."""
        self.selected_label = QLabel()
        self.selected_label.setAccessibleName("Number of people selected")
        bar = QHBoxLayout()
        bar.addWidget(self.selected_label)
        self.bulk_buttons: dict[str, QPushButton] = {}
        for key, text, tip, slot in (
            ("tag", "Tag…", "Tag the selected people (Ctrl+Z undoes)", self.tag_selected),
            ("untag", "Untag…", "Take a tag off the selected people", self.untag_selected),
            (
                "meeting",
                "Add to meeting…",
                "Record them at a meeting",
                self.add_selected_to_meeting,
            ),
            (
                "export",
                "Export…",
                "Export the selected people, or everyone listed when nobody is (vCard or CSV)",
                self.export_selected,
            ),
            ("forget", "Forget…", "Erase the selected people for good", self.forget_selected),
        ):
            b = QPushButton(text)
            b.setAccessibleName(f"{text.rstrip('…')} selected people")
            b.setToolTip(tip)
            b.clicked.connect(lambda _=False, f=slot: f())
            self.bulk_buttons[key] = b
            bar.addWidget(b)
        bar.addStretch(1)
        return bar

    def selected_ids(self) -> list[int]:
        """The people selected in the list, in list order."""
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [pid for r in rows if (pid := self.model.id_at(r)) is not None]

    def _update_selection(self) -> None:
        n = len(self.selected_ids())
        self.selected_label.setText(f"{n} selected" if n > 1 else "")
        for key, b in self.bulk_buttons.items():
            b.setEnabled(n >= 1 or key == "export")  # nobody selected: export the list

    def _bulk(self, write: Any) -> bool:
        try:
            perform(self.ctx.undo, write, self.detail._error)
        except NetappError as exc:
            QMessageBox.warning(self, "netapp", str(exc))
            return False
        return True

    def tag_selected(self, tag: str | None = None) -> bool:
        ids = self.selected_ids()
        if not ids:
            return False
        if tag is None:
            tags = self.ctx.store.people.all_tags()
            tag, ok = QInputDialog.getItem(
                self, "Tag", f"Tag for {len(ids)} people:", tags, 0, True
            )
            if not ok or not tag.strip():
                return False
        return self._bulk(partial(undoable.tag_people, self.ctx.store, ids, tag))

    def untag_selected(self, tag: str | None = None) -> bool:
        ids = self.selected_ids()
        if not ids:
            return False
        if tag is None:
            have = sorted({t for pid in ids for t in self.ctx.store.people.get(pid).tags})
            if not have:
                QMessageBox.information(self, "Untag", "None of them has a tag.")
                return False
            tag, ok = QInputDialog.getItem(self, "Untag", "Tag to take off:", have, 0, False)
            if not ok:
                return False
        return self._bulk(partial(undoable.untag_people, self.ctx.store, ids, tag))

    def add_selected_to_meeting(self, meeting_id: int | None = None) -> bool:
        ids = self.selected_ids()
        if not ids:
            return False
        if meeting_id is None:
            recent = self.ctx.store.meetings.recent(50)
            if not recent:
                QMessageBox.information(self, "Add to meeting", "There are no meetings yet.")
                return False
            labels = [
                f"{m['date']} {m['name']}" + (f" ({m['grp']})" if m["grp"] else "") for m in recent
            ]
            picked, ok = QInputDialog.getItem(
                self, "Add to meeting", f"Record {len(ids)} people at:", labels, 0, False
            )
            if not ok:
                return False
            meeting_id = int(recent[labels.index(picked)]["id"])
        return self._bulk(partial(undoable.add_to_meeting, self.ctx.store, meeting_id, ids))

    def export_selected(self) -> str | None:
        from ui.io_actions import export_via_dialog

        ids = self.selected_ids() or self.model.listed_ids()
        return export_via_dialog(self.ctx, self, ids) if ids else None

    def forget_selected(self) -> bool:
        """Erase the selected people for good, after the same warning as Forget… (no undo)."""
        from netapp.safety.forget import forget_many

        ids = self.selected_ids()
        if not ids:
            return False
        if not confirm_forget(self, "Forget people", f"{len(ids)} people"):
            return False
        try:
            forget_many(self.ctx.store, ids)
        except NetappError as exc:
            QMessageBox.warning(self, "netapp", f"Could not forget them: {exc}")
            return False
        self.ctx.undo.clear()
        self.detail.show_person(None)
        return True

    def _combo(self, name: str, items: list[tuple[str, Any]]) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(f"Filter by {name.lower()}")
        for text, data in items:
            box.addItem(text, data)
        return box

    def _fill_choices(self) -> None:
        for box, rows in (
            (
                self.tag_box,
                [(tag, tag) for tag in self.ctx.store.people.all_tags(500)],
            ),
            (self.group_box, [(g.name, g.id) for g in self.ctx.store.groups.all()]),
        ):
            current = box.currentData()
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            for text, data in rows:
                box.addItem(text, data)
            box.setCurrentIndex(max(box.findData(current), 0) if current is not None else 0)
            box.blockSignals(False)

    def _apply_filters(self) -> None:
        self.model.set_filter(
            search=self.search.text(),
            stage=self.stage_box.currentData() or "",
            flag=self.flag_box.currentData() or "",
            tag=self.tag_box.currentData() or "",
            group_id=self.group_box.currentData(),
            kind=self.kind_box.currentData() or "",
        )
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            self.detail.show_person(None)

    def _update_count(self) -> None:
        """The real number matching the filters (a COUNT with the same filter)."""
        n = self.model.total()
        organisations = self.kind_box.currentData() == ContactKind.ORGANISATION
        self.count.setText(counted(n, "organisation") if organisations else people_count(n))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.detail.show_person(self.model.id_at(current.row()) if current.isValid() else None)

    def select_timeline_row(self, row_id: str) -> bool:
        """Select a row of the shown person's timeline (a note found by Ctrl+K)."""
        self._catch_up()
        return self.detail.select_timeline_row(row_id)

    def select_person(self, person_id: int) -> bool:
        """Show ``person_id`` in the list (clearing filters that hide them) and in the detail."""
        self._catch_up()
        row = self.model.row_of(person_id)
        if row < 0:
            for box in self._boxes:
                box.blockSignals(True)
                box.setCurrentIndex(0)
                box.blockSignals(False)
            self.search.blockSignals(True)
            self.search.setText(self.ctx.store.people.get(person_id).display_name)
            self.search.blockSignals(False)
            self._apply_filters()
            row = self.model.row_of(person_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self.detail.show_person(person_id)
        return row >= 0

    def _on_changed(self, topic: str, ids: object) -> None:
        if topic not in _LIST_TOPICS:
            return
        self._stale_choices |= topic in {Topic.PEOPLE, Topic.MEETINGS}
        few = isinstance(ids, set | frozenset) and 0 < len(ids) <= _FEW
        if few and self.window().isVisible() and not self.isVisible():
            # A write to a few people (a Done on Today) while another page is shown: re-read
            # the list and its count when this page is shown again, not while the user waits
            # on that write (issue 20). A change to everyone (the morning's status refresh) is
            # re-read now, so that the next visit does not wait for it.
            self._stale = True
            return
        self._reload()

    def showEvent(self, event: Any) -> None:
        self._catch_up()
        super().showEvent(event)

    def _catch_up(self) -> None:
        """Re-read the list if a write came while the page was hidden."""
        if self._stale:
            self._reload()

    def _reload(self) -> None:
        """Re-read the list (and the filter choices when people or meetings changed),
        keeping the shown person and the selection."""
        self._stale = False
        keep = self.detail.person_id
        chosen = self.selected_ids()
        self.model.refresh()
        if self._stale_choices:
            self._stale_choices = False
            self._fill_choices()
        row = self.model.row_of(keep) if keep is not None else -1
        if row >= 0:
            sel = self.table.selectionModel()
            sel.blockSignals(True)
            self.table.selectRow(row)
            self._reselect(chosen)  # a bulk action keeps its selection
            sel.blockSignals(False)
        self.detail.show_person(keep)
        self._update_selection()

    def _reselect(self, ids: list[int]) -> None:
        """Select again the rows of ``ids`` that are still listed (after a refresh)."""
        from PySide6.QtCore import QItemSelectionModel

        sel = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for pid in ids:
            row = self.model.row_of(pid)
            if row >= 0:
                sel.select(self.model.index(row, 0), flags)


def build(ctx: AppContext) -> QWidget:
    return PeoplePage(ctx)
