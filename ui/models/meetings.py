"""Meetings, attendance at one meeting, and repeat attendance per person across a group."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from netapp.store import Store
from ui.models.sqltable import Column, SqlTableModel

NO_GROUP = 0  # MeetingsModel.set_group(NO_GROUP): the meetings that belong to no group


class MeetingsModel(SqlTableModel):
    """Meetings, newest first; optionally of one group."""

    columns = (
        Column("date", "Date", "m.date"),
        Column("name", "Meeting", "m.name COLLATE NOCASE"),
        Column("grp", "Group", None),
        Column("venue", "Venue", None),
        Column("attendees", "People", None, align_right=True),
    )

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(store, parent)
        self.group_id: int | None = None
        self._sort_order = Qt.SortOrder.DescendingOrder

    def set_group(self, group_id: int | None) -> None:
        """``None``: every meeting; ``NO_GROUP``: meetings without a group; else one group's."""
        self.group_id = group_id
        self.refresh()

    def base_query(self) -> tuple[str, list[Any]]:
        sql = (
            "SELECT m.id, m.date, m.name, COALESCE(g.name, ''), m.venue, "
            "(SELECT count(*) FROM attendance a WHERE a.meeting_id = m.id) "
            "FROM meetings m LEFT JOIN groups g ON g.id = m.group_id"
        )
        if self.group_id is None:
            return sql, []
        if self.group_id == NO_GROUP:
            return sql + " WHERE m.group_id IS NULL", []
        return sql + " WHERE m.group_id = ?", [self.group_id]


class AttendanceModel(SqlTableModel):
    """Who was at one meeting, with how often each has come to that group's meetings."""

    columns = (
        Column("display_name", "Name", "p.display_name COLLATE NOCASE"),
        Column("org", "Organisation", "p.org COLLATE NOCASE"),
        Column("times", "Times at this group", "times", align_right=True),
    )

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(store, parent)
        self.meeting_id = 0

    def set_meeting(self, meeting_id: int) -> None:
        self.meeting_id = meeting_id
        self.refresh()

    def base_query(self) -> tuple[str, list[Any]]:
        sql = """SELECT p.id, p.display_name, p.org,
                   (SELECT count(*) FROM attendance a2 JOIN meetings m2 ON m2.id = a2.meeting_id
                     WHERE a2.person_id = p.id AND (m2.group_id IS me.group_id)
                       AND (me.group_id IS NOT NULL OR m2.id = me.id)) AS times
                 FROM attendance a JOIN people p ON p.id = a.person_id
                 JOIN meetings me ON me.id = a.meeting_id
                WHERE a.meeting_id = ?"""
        return sql, [self.meeting_id]


class GroupAttendanceModel(SqlTableModel):
    """Repeat attendance across one group: each person, how many of its meetings, and when last."""

    columns = (
        Column("display_name", "Name", "p.display_name COLLATE NOCASE"),
        Column("times", "Times", "times", align_right=True),
        Column("last", "Last there", "last"),
        Column("org", "Organisation", "p.org COLLATE NOCASE"),
    )

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(store, parent)
        self.group_id = 0
        self._sort_column = 1
        self._sort_order = Qt.SortOrder.DescendingOrder

    def set_group(self, group_id: int) -> None:
        self.group_id = group_id
        self.refresh()

    def base_query(self) -> tuple[str, list[Any]]:
        sql = """SELECT p.id, p.display_name, count(*) AS times, max(m.date) AS last, p.org
                   FROM attendance a JOIN meetings m ON m.id = a.meeting_id
                   JOIN people p ON p.id = a.person_id
                  WHERE m.group_id = ? GROUP BY p.id"""
        return sql, [self.group_id]
