"""Meetings, attendance at one meeting, and repeat attendance per person across a group
(the lists are :mod:`netapp.store.lists`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from netapp.store import Store
from netapp.store.lists import NO_GROUP, AttendanceList, GroupAttendanceList, MeetingsList
from ui.models.sqltable import Column, SqlTableModel

__all__ = ["NO_GROUP", "AttendanceModel", "GroupAttendanceModel", "MeetingsModel"]


class MeetingsModel(SqlTableModel):
    """Meetings, newest first; optionally of one group."""

    columns = (
        Column("date", "Date"),
        Column("name", "Meeting"),
        Column("grp", "Group"),
        Column("venue", "Venue"),
        Column("attendees", "People", align_right=True),
    )

    def __init__(self, store: Store, parent: Any = None) -> None:
        self.list = MeetingsList(store.db)
        super().__init__(store, self.list, parent)
        self._sort_order = Qt.SortOrder.DescendingOrder

    @property
    def group_id(self) -> int | None:
        return self.list.group_id

    def set_group(self, group_id: int | None) -> None:
        """``None``: every meeting; ``NO_GROUP``: meetings without a group; else one group's."""
        self.list.group_id = group_id
        self.refresh()


class AttendanceModel(SqlTableModel):
    """Who was at one meeting, with how often each has come to that group's meetings."""

    columns = (
        Column("display_name", "Name"),
        Column("org", "Organisation"),
        Column("times", "Times at this group", align_right=True),
    )

    def __init__(self, store: Store, parent: Any = None) -> None:
        self.list = AttendanceList(store.db)
        super().__init__(store, self.list, parent)

    @property
    def meeting_id(self) -> int:
        return self.list.meeting_id

    def set_meeting(self, meeting_id: int) -> None:
        self.list.meeting_id = meeting_id
        self.refresh()


class GroupAttendanceModel(SqlTableModel):
    """Repeat attendance across one group: each person, how many of its meetings, and when last."""

    columns = (
        Column("display_name", "Name"),
        Column("times", "Times", align_right=True),
        Column("last", "Last there"),
        Column("org", "Organisation"),
    )

    def __init__(self, store: Store, parent: Any = None) -> None:
        self.list = GroupAttendanceList(store.db)
        super().__init__(store, self.list, parent)
        self._sort_column = 1
        self._sort_order = Qt.SortOrder.DescendingOrder

    @property
    def group_id(self) -> int:
        return self.list.group_id

    def set_group(self, group_id: int) -> None:
        self.list.group_id = group_id
        self.refresh()
