"""The Meetings page: groups and their meetings, who came, and repeat attendance per person.

Pick a group (or all meetings), pick a meeting to see and edit its attendance; the right
pane shows how often each person came to the group's meetings. Groups are added, renamed,
scheduled and deleted here (``ui.dialogs.group_dialog``), and meetings added (ahead of
time too: no attendees needed), edited and deleted (``ui.dialogs.meeting_dialog``). Every
write is undoable.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from netapp.domain import Topic
from netapp.errors import NetappError, NotFoundError
from netapp.store import undoable
from ui.commands import perform
from ui.context import AppContext
from ui.dialogs.group_dialog import DAY_NAMES, GroupDialog, schedule_text
from ui.dialogs.meeting_dialog import MeetingDialog
from ui.models.meetings import NO_GROUP, AttendanceModel, GroupAttendanceModel, MeetingsModel
from ui.widgets.tables import compact, on_index_picked
from ui.workers import EngineWorker

PID_ROLE = Qt.ItemDataRole.UserRole + 2


def _button(text: str, tip: str, handler: Any) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    button.setToolTip(tip)
    button.clicked.connect(lambda _checked=False: handler())
    return button


def _table(
    name: str,
    model: Any,
    widths: tuple[int, ...],
    column: int = 0,
    order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
) -> QTableView:
    view = QTableView()
    view.setAccessibleName(name)
    view.setModel(model)
    # The indicator first: enabling sorting then queries once, in that order (each sort is
    # a query, tens of milliseconds at 100,000 people).
    view.horizontalHeader().setSortIndicator(column, order)
    view.setSortingEnabled(True)
    view.verticalHeader().hide()
    return compact(view, widths)


class MeetingsPage(QWidget):
    """``today`` fixes the date a new meeting's date and the next expected meeting count
    from (tests); by default the real today."""

    def __init__(self, ctx: AppContext, *, today: date | None = None) -> None:
        super().__init__()
        self.setObjectName("page-meetings")
        self.ctx = ctx
        self.store = ctx.store
        self.today = today

        split = QSplitter()
        for w in (
            self._build_meetings_pane(),
            self._build_attendance_pane(),
            self._build_group_pane(),
        ):
            split.addWidget(w)
        split.setChildrenCollapsible(False)
        split.setSizes([390, 440, 300])
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("<h2>Meetings</h2>"))
        lay.addWidget(split, 1)
        self._wire()
        self._group_changed()

    def _build_meetings_pane(self) -> QWidget:
        """Left: the group picker, its schedule, its meetings and their buttons."""
        self.group_box = QComboBox()
        self.group_box.setAccessibleName("Group")
        self.meetings = MeetingsModel(self.store, self)
        # The group shown first is picked before the table's first query (else that query
        # lists every meeting, only to be replaced at once: 47 ms at 100,000 people).
        self._fill_groups()
        self.meetings.list.group_id = self.group_box.currentData()
        self.meetings_view = _table(
            "Meetings", self.meetings, (90, 190, 150, 120), 0, Qt.SortOrder.DescendingOrder
        )
        self.schedule = QLabel()
        self.schedule.setAccessibleName("Group schedule")
        self.schedule.setWordWrap(True)
        self.schedule.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._make_buttons()
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        group_label = QLabel("&Group")
        group_label.setBuddy(self.group_box)
        top.addWidget(group_label)
        top.addWidget(self.group_box, 1)
        ll.addLayout(top)
        group_row = QHBoxLayout()
        for b in (self.new_group_button, self.edit_group_button, self.delete_group_button):
            group_row.addWidget(b)
        group_row.addStretch(1)
        ll.addLayout(group_row)
        ll.addWidget(self.schedule)
        ll.addWidget(self.meetings_view, 1)
        meeting_row = QHBoxLayout()
        for b in (self.new_meeting_button, self.edit_meeting_button, self.delete_meeting_button):
            meeting_row.addWidget(b)
        meeting_row.addStretch(1)
        ll.addLayout(meeting_row)
        return left

    def _make_buttons(self) -> None:
        """New, edit and delete, for groups and for meetings."""
        self.new_group_button = _button(
            "New group…", "Add a group, with its schedule and usual venue", self.new_group
        )
        self.edit_group_button = _button(
            "Edit group…", "Rename the group, or set its schedule and usual venue", self.edit_group
        )
        self.delete_group_button = _button(
            "Delete group…",
            "Delete the group; its meetings stay, without a group",
            self.delete_group,
        )
        self.new_meeting_button = _button(
            "New meeting…",
            "Add a meeting, a coming one too: people can be added later",
            self.new_meeting,
        )
        self.edit_meeting_button = _button(
            "Edit meeting…", "Change the meeting's name, date, group or venue", self.edit_meeting
        )
        self.delete_meeting_button = _button(
            "Delete meeting…", "Delete the selected meeting (Ctrl+Z undoes)", self.delete_meeting
        )

    def _build_attendance_pane(self) -> QWidget:
        """Middle: who came to the picked meeting, with add, open and remove."""
        self.attendance = AttendanceModel(self.store, self)
        self.attendance_view = _table("Attendance", self.attendance, (150, 150))
        # Several attendees at once (Shift/Ctrl): Remove from meeting takes them all off.
        self.attendance_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.meeting_title = QLabel("<b>Pick a meeting</b>")
        self.meeting_title.setWordWrap(True)  # a long title wraps rather than widen the pane
        self.add_edit = QLineEdit(placeholderText="Add someone who was there: type a name…")
        self.add_edit.setAccessibleName("Add attendee")
        self._suggestions = QStandardItemModel(self)
        completer = QCompleter(self._suggestions, self.add_edit)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.add_edit.setCompleter(completer)
        self.add_edit.textEdited.connect(self._suggest)
        on_index_picked(completer, self._add_picked)
        self.remove_button = QPushButton("Remove from meeting")
        self.remove_button.setAccessibleName("Remove from meeting")
        self.remove_button.setToolTip("Remove the selected person from this meeting (Delete)")
        self.remove_button.clicked.connect(self.remove_selected)
        self.open_button = QPushButton("Open person")
        self.open_button.setAccessibleName("Open person")
        self.open_button.clicked.connect(self._open_person)

        middle = QWidget()
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(self.meeting_title)
        ml.addWidget(self.add_edit)
        ml.addWidget(self.attendance_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addStretch(1)
        row.addWidget(self.remove_button)
        ml.addLayout(row)
        return middle

    def _build_group_pane(self) -> QWidget:
        """Right: repeat attendance across the group's meetings."""
        self.group_people = GroupAttendanceModel(self.store, self)
        # Aggregated over every meeting of the group (about 45 ms at 100,000 people): read on
        # a worker, so that the page paints at once and the list follows (issue 20).
        self.group_people.load_on(EngineWorker(self.store, self))
        self.group_people.loaded.connect(self._show_group_title)
        self.group_view = _table(
            "Repeat attendance", self.group_people, (140, 50, 90), 1, Qt.SortOrder.DescendingOrder
        )
        self.group_title = QLabel()
        self.group_title.setWordWrap(True)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.group_title)
        rl.addWidget(self.group_view, 1)
        return right

    def _wire(self) -> None:
        """Delete keys on the tables, double-clicks, selection changes and store changes."""
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.attendance_view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)
        drop = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.meetings_view)
        drop.setContext(Qt.ShortcutContext.WidgetShortcut)
        drop.activated.connect(self.delete_meeting)
        self.meetings_view.doubleClicked.connect(lambda _i: self.edit_meeting())
        self.group_box.currentIndexChanged.connect(self._group_changed)
        self.meetings_view.selectionModel().currentRowChanged.connect(self._meeting_changed)
        self.attendance_view.doubleClicked.connect(lambda _i: self._open_person())
        self.group_view.doubleClicked.connect(lambda _i: self._open_person(self.group_view))
        self.ctx.signals.changed.connect(self._on_changed)

    # -- groups and meetings -----------------------------------------------------------------

    def _fill_groups(self) -> None:
        current = self.group_box.currentData()
        self.group_box.blockSignals(True)
        self.group_box.clear()
        self.group_box.addItem("All meetings", None)
        for g in self.store.groups.all():
            self.group_box.addItem(g.name, g.id)
        if self.store.groups.count_meetings(None):
            self.group_box.addItem("Meetings without a group", NO_GROUP)
        if current is not None:
            self.group_box.setCurrentIndex(max(self.group_box.findData(current), 0))
        elif self.group_box.count() > 1:
            self.group_box.setCurrentIndex(1)
        self.group_box.blockSignals(False)

    def _group_changed(self, *_: object) -> None:
        gid = self.group_box.currentData()
        self.meetings.set_group(gid)
        self.meetings_view.setColumnHidden(2, gid is not None)  # the group is in the picker
        is_group = gid is not None and gid != NO_GROUP
        self.edit_group_button.setEnabled(is_group)
        self.delete_group_button.setEnabled(is_group)
        self._show_schedule()
        self.group_people.set_group(int(gid) if is_group else 0)
        self._show_group_title()
        if self.meetings.rowCount():
            self.meetings_view.selectRow(0)
        else:
            self._meeting_changed(QModelIndex(), QModelIndex())

    def _show_group_title(self) -> None:
        """Above repeat attendance: the group, and whether its list is still being read."""
        gid = self.group_people.group_id
        if not gid:
            self.group_title.setText("<b>Repeat attendance</b>: pick a group")
            return
        name = html.escape(self.group_box.currentText())
        state = ""
        if self.group_people.loading:
            state = " <i>(loading…)</i>"
        elif self.group_people.error:
            state = f" (not read: {html.escape(self.group_people.error)})"
        self.group_title.setText(f"<b>Repeat attendance at {name}</b>{state}")

    def is_busy(self) -> bool:
        """True while repeat attendance is still being read off the GUI thread."""
        return self.group_people.loading

    def _meeting_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        mid = self.meetings.id_at(current.row()) if current.isValid() else None
        self.attendance.set_meeting(mid or 0)
        enabled = mid is not None
        for w in (
            self.add_edit,
            self.remove_button,
            self.open_button,
            self.edit_meeting_button,
            self.delete_meeting_button,
        ):
            w.setEnabled(enabled)
        if mid is None:
            self.meeting_title.setText("<b>Pick a meeting</b>")
            return
        m = self.store.meetings.get(mid)
        self.meeting_title.setText(
            f"<b>{m.name}</b> on {m.date}{' at ' + m.venue if m.venue else ''} — "
            f"{len(self.store.meetings.attendees(mid))} people"
        )

    def current_group(self) -> int | None:
        """The group picked (None for all meetings or those without a group)."""
        gid = self.group_box.currentData()
        return None if gid is None or gid == NO_GROUP else int(gid)

    def select_group(self, group_id: int | None) -> None:
        self.group_box.setCurrentIndex(max(self.group_box.findData(group_id), 0))

    def _day(self) -> date:
        return self.today or date.today()

    def _show_schedule(self) -> None:
        """Under the picker: how the group meets and when netapp expects it next."""
        gid = self.current_group()
        if gid is None:
            self.schedule.clear()
            self.schedule.hide()
            return
        g = self.store.groups.get(gid)
        at = f" at {g.venue}" if g.venue else ""
        if g.recurrence == "none" or g.weekday is None:
            text = (
                f"No fixed schedule{'; usually' + at if at else ''}. Edit group… to give it "
                "one, so that Today shows its coming meetings"
            )
        else:
            text = f"Meets {schedule_text(g.recurrence, g.weekday)}{at}"
            from netapp.engine import load_context
            from netapp.engine.timing import next_meeting

            info = load_context(self.store, self._day()).groups.get(gid)
            coming = next_meeting(info, self._day()) if info is not None else None
            if coming is not None:
                text += f"; next expected {DAY_NAMES[coming.weekday()][:3]} {coming.isoformat()}"
        self.schedule.setText(text + ".")
        self.schedule.show()

    # -- adding, changing and deleting groups and meetings ---------------------------------

    def new_group(self) -> int | None:
        """Ask for a new group; when added, show it. Returns its id."""
        dlg = GroupDialog(self.ctx, None, self)
        if dlg.exec() != GroupDialog.DialogCode.Accepted or dlg.group_id is None:
            return None
        self._fill_groups()
        self.select_group(dlg.group_id)
        return dlg.group_id

    def edit_group(self) -> bool:
        gid = self.current_group()
        if gid is None:
            return False
        dlg = GroupDialog(self.ctx, gid, self)
        return dlg.exec() == GroupDialog.DialogCode.Accepted

    def delete_group(self) -> bool:
        """Delete the picked group after saying what happens to its meetings (they stay,
        without a group). Undoable."""
        gid = self.current_group()
        if gid is None:
            return False
        g = self.store.groups.get(gid)
        count = self.store.groups.count_meetings(gid)
        if count:
            fate = (
                f"Its {count} meeting{'s' if count != 1 else ''} stay, with who came and "
                "everything logged there, under “Meetings without a group”. netapp stops "
                "expecting its meetings and its regulars there."
            )
        else:
            fate = "It has no meetings."
        answer = QMessageBox.question(
            self,
            "Delete group",
            f"Delete the group “{g.name}”?\n\n{fate}\n\nCtrl+Z undoes this.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            store = self.store
            perform(
                self.ctx.undo,
                lambda: store.groups.delete(gid, f"delete group {g.name}"),
                self._error,
            )
        except NetappError as exc:
            self._error(str(exc))
            return False
        return True

    def new_meeting(self) -> int | None:
        """Ask for a new meeting (of the picked group, by default); when added, select it and
        put the cursor in "Add attendee". Returns its id."""
        dlg = MeetingDialog(self.ctx, None, self, group_id=self.current_group(), today=self._day())
        if dlg.exec() != MeetingDialog.DialogCode.Accepted or dlg.meeting_id is None:
            return None
        self._fill_groups()
        m = self.store.meetings.get(dlg.meeting_id)
        self.select_group(m.group_id if m.group_id is not None else NO_GROUP)
        self.select_meeting(dlg.meeting_id)
        self.add_edit.setFocus()
        return dlg.meeting_id

    def edit_meeting(self) -> bool:
        mid = self.current_meeting()
        if mid is None:
            return False
        dlg = MeetingDialog(self.ctx, mid, self, today=self._day())
        return dlg.exec() == MeetingDialog.DialogCode.Accepted

    def delete_meeting(self) -> bool:
        """Delete the selected meeting after saying what goes (attendance) and what stays
        (what was logged there). Undoable."""
        mid = self.current_meeting()
        if mid is None:
            return False
        m = self.store.meetings.get(mid)
        links = self.store.meetings.links(mid)
        came, noted = links["attendees"], links["interactions"]
        lines = [f"Delete “{m.name}” on {m.date}?"]
        if came:
            lines.append(
                f"The record that {came} {'person was' if came == 1 else 'people were'} "
                "there goes with it (it counts towards meeting people more than once)."
            )
        if noted:
            lines.append(
                f"The {noted} note{'s' if noted != 1 else ''} logged at it stay on "
                "people's timelines, without the meeting."
            )
        lines.append("Ctrl+Z undoes this.")
        answer = QMessageBox.question(self, "Delete meeting", "\n\n".join(lines))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            store = self.store
            perform(
                self.ctx.undo,
                lambda: store.meetings.delete(mid, f"delete meeting {m.name}"),
                self._error,
            )
        except NetappError as exc:
            self._error(str(exc))
            return False
        return True

    def current_meeting(self) -> int | None:
        index = self.meetings_view.currentIndex()
        return self.meetings.id_at(index.row()) if index.isValid() else None

    def select_meeting(self, meeting_id: int) -> None:
        row = self.meetings.row_of(meeting_id)
        if row < 0:
            self.group_box.setCurrentIndex(0)
            while self.meetings.row_of(meeting_id) < 0 and self.meetings.canFetchMore():
                self.meetings.fetchMore()
            row = self.meetings.row_of(meeting_id)
        if row >= 0:
            self.meetings_view.selectRow(row)

    # -- attendance ----------------------------------------------------------------------------

    def _suggest(self, text: str) -> None:
        self._suggestions.clear()
        if len(text.strip()) < 2:
            return
        for r in self.store.people.search(text, limit=8):
            item = QStandardItem(r["display_name"] + (f" — {r['org']}" if r["org"] else ""))
            item.setData(int(r["id"]), PID_ROLE)
            self._suggestions.appendRow(item)
        self.add_edit.completer().complete()

    def _add_picked(self, index: QModelIndex) -> None:
        pid = index.data(PID_ROLE)
        if pid is not None:
            self.set_attendance(int(pid), True)
        self.add_edit.clear()

    def set_attendance(self, person_id: int, present: bool) -> None:
        mid = self.current_meeting()
        if mid is None:
            return
        try:
            store = self.store
            perform(
                self.ctx.undo,
                lambda: undoable.set_attendance(store, mid, person_id, present),
                self._error,
            )
        except NetappError as exc:
            self._error(str(exc))

    def remove_selected(self) -> None:
        """Take the selected attendees (one or several) off the meeting, as one undo step."""
        mid = self.current_meeting()
        rows = sorted({i.row() for i in self.attendance_view.selectionModel().selectedRows()})
        if not rows and self.attendance_view.currentIndex().isValid():
            rows = [self.attendance_view.currentIndex().row()]
        ids = [pid for r in rows if (pid := self.attendance.id_at(r)) is not None]
        if mid is None or not ids:
            return
        try:
            store = self.store
            perform(
                self.ctx.undo,
                lambda: undoable.remove_from_meeting(store, mid, ids),
                self._error,
            )
        except NetappError as exc:
            self._error(str(exc))

    def _open_person(self, view: QTableView | None = None) -> None:
        view = view or self.attendance_view
        index = view.currentIndex()
        model = view.model()
        if not index.isValid():
            return
        pid = model.data(model.index(index.row(), 0), Qt.ItemDataRole.UserRole)
        nav = self.ctx.navigate
        if pid is not None and callable(nav):
            page = nav("people")
            select = getattr(page, "select_person", None)
            if callable(select):
                select(int(pid))

    def _error(self, text: str) -> None:
        QMessageBox.warning(self, "netapp", text)

    def _on_changed(self, topic: str, _ids: object) -> None:
        if topic in {Topic.MEETINGS, Topic.PEOPLE, Topic.CAPTURES}:
            keep = self.current_meeting()
            group = self.group_box.currentData()
            self._fill_groups()
            if self.group_box.currentData() != group:  # the group went: show what is left
                self._group_changed()
            else:
                self.meetings.refresh()
                self.group_people.refresh()
                if topic == Topic.MEETINGS:
                    self._show_schedule()
                self._meeting_changed(self.meetings_view.currentIndex(), QModelIndex())
            if keep is not None and self._exists(keep):
                self.select_meeting(keep)
            elif self.meetings.rowCount() and not self.meetings_view.currentIndex().isValid():
                self.meetings_view.selectRow(0)

    def _exists(self, meeting_id: int) -> bool:
        try:
            self.store.meetings.get(meeting_id)
        except NotFoundError:
            return False
        return True


def build(ctx: AppContext) -> QWidget:
    return MeetingsPage(ctx)
