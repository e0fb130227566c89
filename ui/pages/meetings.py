"""The Meetings page: groups and their meetings, who came, and repeat attendance per person.

Pick a group (or all meetings), pick a meeting to see and edit its attendance; the right
pane shows how often each person came to the group's meetings.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from netapp.errors import NetappError
from ui.commands import AttendanceCommand, perform
from ui.context import AppContext
from ui.models.meetings import AttendanceModel, GroupAttendanceModel, MeetingsModel
from ui.widgets.tables import compact

PID_ROLE = Qt.ItemDataRole.UserRole + 2


def _table(name: str, model: Any, widths: tuple[int, ...]) -> QTableView:
    view = QTableView()
    view.setAccessibleName(name)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.verticalHeader().hide()
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    return compact(view, widths)


class MeetingsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("page-meetings")
        self.ctx = ctx
        self.store = ctx.store

        self.group_box = QComboBox()
        self.group_box.setAccessibleName("Group")
        self.meetings = MeetingsModel(self.store, self)
        self.meetings_view = _table("Meetings", self.meetings, (90, 190, 150, 120))
        self.meetings_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)

        self.attendance = AttendanceModel(self.store, self)
        self.attendance_view = _table("Attendance", self.attendance, (150, 150))
        self.meeting_title = QLabel("<b>Pick a meeting</b>")
        self.add_edit = QLineEdit(placeholderText="Add someone who was there: type a name…")
        self.add_edit.setAccessibleName("Add attendee")
        self._suggestions = QStandardItemModel(self)
        completer = QCompleter(self._suggestions, self.add_edit)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.add_edit.setCompleter(completer)
        self.add_edit.textEdited.connect(self._suggest)
        completer.activated[QModelIndex].connect(self._add_picked)  # type: ignore[index]
        self.remove_button = QPushButton("Remove from meeting")
        self.remove_button.setAccessibleName("Remove from meeting")
        self.remove_button.setToolTip("Remove the selected person from this meeting (Delete)")
        self.remove_button.clicked.connect(self.remove_selected)
        self.open_button = QPushButton("Open person")
        self.open_button.setAccessibleName("Open person")
        self.open_button.clicked.connect(self._open_person)

        self.group_people = GroupAttendanceModel(self.store, self)
        self.group_view = _table("Repeat attendance", self.group_people, (140, 50, 90))
        self.group_view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.group_title = QLabel()

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        group_label = QLabel("&Group")
        group_label.setBuddy(self.group_box)
        top.addWidget(group_label)
        top.addWidget(self.group_box, 1)
        ll.addLayout(top)
        ll.addWidget(self.meetings_view, 1)

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

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.group_title)
        rl.addWidget(self.group_view, 1)

        split = QSplitter()
        for w in (left, middle, right):
            split.addWidget(w)
        split.setChildrenCollapsible(False)
        split.setSizes([330, 380, 380])
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("<h2>Meetings</h2>"))
        lay.addWidget(split, 1)

        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.attendance_view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)
        self.group_box.currentIndexChanged.connect(self._group_changed)
        self.meetings_view.selectionModel().currentRowChanged.connect(self._meeting_changed)
        self.attendance_view.doubleClicked.connect(lambda _i: self._open_person())
        self.group_view.doubleClicked.connect(lambda _i: self._open_person(self.group_view))
        ctx.signals.changed.connect(self._on_changed)
        self._fill_groups()
        self._group_changed()

    # -- groups and meetings -----------------------------------------------------------------

    def _fill_groups(self) -> None:
        current = self.group_box.currentData()
        self.group_box.blockSignals(True)
        self.group_box.clear()
        self.group_box.addItem("All meetings", None)
        for g in self.store.list_groups():
            self.group_box.addItem(g.name, g.id)
        if current is not None:
            self.group_box.setCurrentIndex(max(self.group_box.findData(current), 0))
        elif self.group_box.count() > 1:
            self.group_box.setCurrentIndex(1)
        self.group_box.blockSignals(False)

    def _group_changed(self, *_: object) -> None:
        gid = self.group_box.currentData()
        self.meetings.set_group(gid)
        self.meetings_view.setColumnHidden(2, gid is not None)  # the group is in the picker
        if gid is None:
            self.group_title.setText("<b>Repeat attendance</b>: pick a group")
            self.group_people.set_group(0)
        else:
            self.group_title.setText(f"<b>Repeat attendance at {self.group_box.currentText()}</b>")
            self.group_people.set_group(int(gid))
        if self.meetings.rowCount():
            self.meetings_view.selectRow(0)
        else:
            self._meeting_changed(QModelIndex(), QModelIndex())

    def _meeting_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        mid = self.meetings.id_at(current.row()) if current.isValid() else None
        self.attendance.set_meeting(mid or 0)
        enabled = mid is not None
        for w in (self.add_edit, self.remove_button, self.open_button):
            w.setEnabled(enabled)
        if mid is None:
            self.meeting_title.setText("<b>Pick a meeting</b>")
            return
        m = self.store.get_meeting(mid)
        self.meeting_title.setText(
            f"<b>{m.name}</b> on {m.date}{' at ' + m.venue if m.venue else ''} — "
            f"{len(self.store.attendees(mid))} people"
        )

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
        for r in self.store.search_people(text, limit=8):
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
            perform(
                self.ctx.undo,
                AttendanceCommand(self.store, mid, person_id, present, self._error),
            )
        except NetappError as exc:
            self._error(str(exc))

    def remove_selected(self) -> None:
        index = self.attendance_view.currentIndex()
        pid = self.attendance.id_at(index.row()) if index.isValid() else None
        if pid is not None:
            self.set_attendance(pid, False)

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
        if topic in {"meetings", "people", "captures"}:
            keep = self.current_meeting()
            self._fill_groups()
            self.meetings.refresh()
            self.group_people.refresh()
            if keep is not None:
                self.select_meeting(keep)


def build(ctx: AppContext) -> QWidget:
    return MeetingsPage(ctx)
