"""“New group…” / “Edit group…”: a group's name, its schedule and its usual venue.

The schedule is what the engine reads to expect the group's coming meetings (Today's
*Coming meetings*, the briefing sheet) and to time asks to them: see ``next_meeting`` in
``netapp.engine.timing``. Every check is the core's (``Store.add_group``/``update_group``);
its messages appear under the field they name. Adding, changing and deleting a group are
undoable.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

from netapp.domain import Group, Recurrence
from netapp.errors import NetappError
from netapp.fields import WEEKDAYS
from netapp.store import undoable
from ui.commands import perform
from ui.context import AppContext
from ui.dialogs.form import FieldForm

DAY_NAMES = tuple(day.capitalize() for day in WEEKDAYS)
# How each recurrence is offered, in the order shown.
RECURRENCES: tuple[tuple[Recurrence, str], ...] = (
    (Recurrence.NONE, "No fixed schedule"),
    (Recurrence.WEEKLY, "Every week"),
    (Recurrence.FORTNIGHTLY, "Every two weeks"),
    (Recurrence.MONTHLY, "Every month, on the first of that weekday"),
)


def schedule_text(recurrence: str, weekday: int | None) -> str:
    """The schedule in words, as the engine reads it: "every Thursday", "on the first
    Wednesday of each month" …; "no fixed schedule" when there is none."""
    if recurrence == Recurrence.NONE or weekday is None:
        return "no fixed schedule"
    day = DAY_NAMES[weekday]
    if recurrence == Recurrence.WEEKLY:
        return f"every {day}"
    if recurrence == Recurrence.FORTNIGHTLY:
        return f"every other {day}"
    return f"on the first {day} of each month"


# -- the dialog --------------------------------------------------------------------------------


class GroupDialog(QDialog):
    """New group (``group_id=None``) or edit one. After ``exec()``, ``group_id`` is the group's."""

    def __init__(
        self, ctx: AppContext, group_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.group_id = group_id
        self.original: Group | None = ctx.store.groups.get(group_id) if group_id else None
        self.setWindowTitle("Edit group" if self.original else "New group")
        self.setMinimumWidth(440)

        self.form = FieldForm()
        self.name = QLineEdit(placeholderText="e.g. BNI North, Chamber breakfast")
        self.form.add("&Name", self.name, "group", "name")
        self.recurrence = QComboBox()
        for rec, label in RECURRENCES:
            self.recurrence.addItem(label, rec.value)
        self.form.add("&Meets", self.recurrence, "recurrence")
        self.weekday = QComboBox()
        for i, day in enumerate(DAY_NAMES):
            self.weekday.addItem(day, i)
        self.form.add("&Day", self.weekday, "weekday")
        self.venue = QLineEdit(placeholderText="Optional: where it usually meets")
        self.form.add("Usual &venue", self.venue, "venue")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Schedule")
        self.buttons = self.form.lay_out(
            self, "Save" if self.original else "Add group", self.save, self.summary
        )

        g = self.original
        if g is not None:
            self.name.setText(g.name)
            self.recurrence.setCurrentIndex(max(self.recurrence.findData(g.recurrence.value), 0))
            if g.weekday is not None:
                self.weekday.setCurrentIndex(g.weekday)
            self.venue.setText(g.venue)
        self.recurrence.currentIndexChanged.connect(self._schedule_changed)
        self.weekday.currentIndexChanged.connect(self._schedule_changed)
        self._schedule_changed()

    def _schedule_changed(self, *_: object) -> None:
        rec = str(self.recurrence.currentData())
        self.weekday.setEnabled(rec != Recurrence.NONE)
        if rec == Recurrence.NONE:
            text = (
                "netapp expects no meetings of this group; record each one (New meeting… or "
                "Capture). With a schedule, Today lists its coming meetings with who is likely "
                "there, and asks are timed to them."
            )
        else:
            text = f"Meets {schedule_text(rec, self.weekday.currentIndex())}. "
            text += (
                "Today lists its coming meetings with who is likely there, and asks are timed "
                "to them."
            )
            if rec == Recurrence.FORTNIGHTLY:
                text += " The weeks follow its last recorded meeting on that day."
        self.summary.setText(text)

    def values(self) -> dict[str, Any]:
        rec = str(self.recurrence.currentData())
        return {
            "name": self.name.text(),
            "recurrence": rec,
            "weekday": None if rec == Recurrence.NONE else self.weekday.currentIndex(),
            "venue": self.venue.text(),
        }

    def save(self) -> bool:
        """Add or change the group through the core (undoable); on a problem, show it at the
        field and keep the dialog open."""
        new = self.values()
        try:
            if self.original is None:
                # Undo deletes it again (a meeting put in it since stays, without a group).
                store = self.ctx.store
                self.group_id = perform(self.ctx.undo, lambda: undoable.add_group(store, **new))
            else:
                g = self.original
                old = {
                    "name": g.name,
                    "recurrence": g.recurrence.value,
                    "weekday": g.weekday,
                    "venue": g.venue,
                }
                if new != old:
                    gid, store = int(g.id or 0), self.ctx.store
                    perform(self.ctx.undo, lambda: undoable.edit_group(store, gid, **new))
        except NetappError as exc:
            self.form.show_error(exc)
            return False
        self.accept()
        return True
