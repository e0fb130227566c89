"""“New meeting…” / “Edit meeting…”: a meeting's group, name, date and venue.

A new meeting needs no attendees, so a coming meeting can be planned ahead (it then shows
under Today's *Coming meetings*); who was there is added on the Meetings page or by Capture.
Checks are the core's (``Store.add_meeting``/``update_meeting``), shown at the field. Adding,
changing and deleting a meeting are undoable.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

from netapp.errors import NetappError
from netapp.store import undoable
from ui.commands import perform
from ui.context import AppContext
from ui.dialogs.form import FieldForm
from ui.widgets.date_field import DateField
from ui.widgets.note_edit import NoteEdit

# -- the dialog --------------------------------------------------------------------------------


class MeetingDialog(QDialog):
    """New meeting (``meeting_id=None``, optionally in ``group_id``) or edit one. After
    ``exec()``, ``meeting_id`` is the meeting's."""

    def __init__(
        self,
        ctx: AppContext,
        meeting_id: int | None = None,
        parent: QWidget | None = None,
        *,
        group_id: int | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store = ctx.store
        self.meeting_id = meeting_id
        self.today = today or date.today()
        self.original = self.store.meetings.get(meeting_id) if meeting_id else None
        self.setWindowTitle("Edit meeting" if self.original else "New meeting")
        self.setMinimumWidth(440)

        self._build_form()
        self.hint = QLabel(wordWrap=True)
        self.when = QLabel(wordWrap=True)
        self.date.dateChanged.connect(self._show_when)
        self.buttons = self.form.lay_out(
            self, "Save" if self.original else "Add meeting", self.save, self.when, self.hint
        )

        m = self.original
        if m is not None:
            self.group.setCurrentIndex(max(self.group.findData(m.group_id), 0))
            self.name.setText(m.name)
            self.date.setValue(date.fromisoformat(m.date))
            self.venue.setText(m.venue)
            self.note.setText(m.note)
            self.hint.setText(
                "A new date moves the notes logged at this meeting along with it."
                if self.store.meetings.links(int(m.id or 0))["interactions"]
                else ""
            )
            self.hint.setVisible(bool(self.hint.text()))
        else:
            self.date.setValue(self.today)
            self.hint.setText(
                "No one needs to be added now: once saved, add who comes on the Meetings "
                "page, or with Capture after the meeting."
            )
            if group_id is not None:
                self.group.setCurrentIndex(max(self.group.findData(group_id), 0))
            self._group_picked()
            self.group.currentIndexChanged.connect(self._group_picked)

    def _build_form(self) -> None:
        """Group, name, date, venue and note, each with its message line."""
        self.form = FieldForm()
        self.group = QComboBox()
        self.group.addItem("No group", None)
        for g in self.store.groups.all():
            self.group.addItem(g.name, g.id)
        self.form.add("&Group", self.group, "group", "group_id")
        self.name = QLineEdit(placeholderText="e.g. Thursday breakfast")
        self.form.add("&Name", self.name, "name", "meeting")
        self.date = DateField()
        self.form.add("&Date", self.date, "date")
        self.venue = QLineEdit(placeholderText="Optional")
        self.form.add("&Venue", self.venue, "venue")
        self.note = NoteEdit("Optional: the agenda, who spoke, what to remember", lines=3)
        self.form.add("N&ote", self.note, "note")

    def _show_when(self, day: date | None) -> None:
        """Say whether the meeting is planned (ahead of today) or held."""
        if day is None or day <= self.today:
            self.when.setText("")
        else:
            n = (day - self.today).days
            self.when.setText(
                f"A planned meeting, {n} day{'s' if n != 1 else ''} ahead: "
                "capture who you met once it has happened."
            )
        self.when.setVisible(bool(self.when.text()))

    def _group_picked(self, *_: object) -> None:
        """A new meeting of a group: its name, usual venue and next expected date, until the
        user types their own."""
        gid = self.group.currentData()
        if gid is None:
            return
        g = self.store.groups.get(int(gid))
        if not self.name.isModified():
            self.name.setText(g.name)
        if not self.venue.isModified():
            self.venue.setText(g.venue)
        from netapp.engine import load_context
        from netapp.engine.timing import next_meeting

        info = load_context(self.store, self.today).groups.get(int(gid))
        if info is None:
            return
        recorded = {d for _, d in info.past} | set(info.future)
        coming = next_meeting(info, self.today)
        while coming is not None and coming in recorded:  # planned already: the one after
            coming = next_meeting(info, coming + timedelta(days=1))
        if coming is not None:
            self.date.setValue(coming)

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "date": self.date.iso(),
            "group_id": self.group.currentData(),
            "venue": self.venue.text(),
            "note": self.note.text(),
        }

    def save(self) -> bool:
        """Add or change the meeting through the core (undoable); on a problem, show it at
        the field and keep the dialog open."""
        new = self.values()
        try:
            if self.original is None:
                # Undo deletes it with whatever was added to it since.
                store = self.store
                self.meeting_id = perform(
                    self.ctx.undo,
                    lambda: undoable.add_meeting(
                        store,
                        new["name"],
                        new["date"],
                        group_id=new["group_id"],
                        venue=new["venue"],
                        note=new["note"],
                    ),
                )
            else:
                m = self.original
                old = {"name": m.name, "date": m.date, "group_id": m.group_id, "venue": m.venue}
                old["note"] = m.note
                if new != old:
                    mid, store = int(m.id or 0), self.store
                    perform(self.ctx.undo, lambda: undoable.edit_meeting(store, mid, **new))
        except NetappError as exc:
            self.form.show_error(exc)
            return False
        self.accept()
        return True
