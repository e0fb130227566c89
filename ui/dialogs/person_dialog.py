"""“New person…” (Ctrl+Shift+N): add one person by hand, then show them on the People page.

The core checks every field (``Store.add_person``); a problem is shown under its field and
nothing is written. Adding is undoable (undo deletes the person; redo brings the same one
back). ``register`` puts the action in the Edit menu; it is listed in ``ACTION_PROVIDERS``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from netapp.domain import Email, Person, Phone
from netapp.errors import NetappError
from netapp.store import undoable
from ui.commands import perform
from ui.context import AppContext
from ui.dialogs.form import FieldForm

SHORTCUT = "Ctrl+Shift+N"


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class PersonDialog(QDialog):
    """Name, organisation, title, email, phone, tags and a note. After ``exec()``,
    ``person_id`` is the new person's id (None when cancelled)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id: int | None = None
        self.setWindowTitle("New person")
        self.setMinimumWidth(460)
        self.form = FieldForm()
        self.name = QLineEdit(placeholderText="First and last name")
        self.form.add("&Name", self.name, "display_name", "given_name", "family_name")
        self.org = QLineEdit()
        self.form.add("&Organisation", self.org, "org")
        self.title = QLineEdit()
        self.form.add("&Title", self.title, "title")
        self.email = QLineEdit(placeholderText="Separate more than one with commas")
        self.form.add("&Email", self.email, "email")
        self.phone = QLineEdit(placeholderText="Separate more than one with commas")
        self.form.add("&Phone", self.phone, "phone")
        self.tags = QLineEdit(placeholderText="e.g. printing, bni (separate with commas)")
        self.form.add("T&ags", self.tags, "tag", "tags")
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Optional: where you met, what they do, what they need")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.note.fontMetrics().height() * 4 + 12)
        self.form.add("N&ote", self.note, "note")
        self.buttons = self.form.lay_out(self, "Add person", self.save)

    def person(self) -> Person:
        return Person(
            display_name=self.name.text(),
            org=self.org.text(),
            title=self.title.text(),
            emails=[Email(e) for e in _split(self.email.text())],
            phones=[Phone(p, valid=False) for p in _split(self.phone.text())],
            tags=_split(self.tags.text()),
            note=self.note.toPlainText(),
            source="app",
        )

    def save(self) -> bool:
        """Add the person through the core (undoable). A problem is shown at its field; a
        namesake already stored is asked about first."""
        person = self.person()
        store = self.ctx.store
        same = store.people.ids_by_name(person.display_name) if person.display_name else []
        if same:
            answer = QMessageBox.question(
                self,
                "New person",
                f"You already have {len(same)} "
                f"{'person' if len(same) == 1 else 'people'} named "
                f"“{store.people.get(same[0]).display_name}”. Add another one anyway?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            self.person_id = perform(self.ctx.undo, lambda: undoable.add_person(store, person))
        except NetappError as exc:
            self.form.show_error(exc)
            return False
        self.accept()
        return True


def new_person(ctx: AppContext, window: Any) -> int | None:
    """Ask for a new person; when added, show them on the People page. Returns the id."""
    dlg = PersonDialog(ctx, window)
    if dlg.exec() != QDialog.DialogCode.Accepted or dlg.person_id is None:
        return None
    jump = getattr(window, "jump_to_person", None)
    if callable(jump):
        jump(dlg.person_id)
    elif callable(ctx.navigate):
        page = ctx.navigate("people")
        select = getattr(page, "select_person", None)
        if callable(select):
            select(dlg.person_id)
    return dlg.person_id


def register(ctx: AppContext, window: Any) -> None:
    """The action, in the Edit menu next to Find a person… (the File menu's layout belongs to
    ``ui.io_actions``)."""
    action = ctx.actions.register(
        "person.new",
        "&New person…",
        lambda: new_person(ctx, window),
        SHORTCUT,
        "Add one person by hand",
    )
    window.addAction(action)
    window.menu("&Edit").addAction(action)  # after Find a person…
