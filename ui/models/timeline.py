"""A person's timeline: every interaction, meeting, referral and sync conflict, newest first,
paged from SQL."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from netapp.store import Store
from ui.models.sqltable import Column, SqlTableModel

KIND_TEXT = {
    "met": "Met at a meeting",
    "one-to-one": "One-to-one",
    "call": "Call",
    "email": "Email",
    "message": "Message",
    "value-given": "Value given",
    "value-received": "Value received",
    "ask": "Ask",
    "referral-given": "Referral given",
    "referral-received": "Referral received",
    "business": "Business closed",
    "meeting": "At a meeting",
    "prospect": "Was referred",
    "sync": "Sync conflict",
}


class TimelineModel(SqlTableModel):
    columns = (
        Column("date", "Date", "t.date"),
        Column("what", "What", None),
        Column("details", "Details", None),
    )

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(store, parent)
        self.person_id = 0
        self._sort_order = Qt.SortOrder.DescendingOrder

    def set_person(self, person_id: int) -> None:
        self.person_id = person_id
        self.refresh()

    def base_query(self) -> tuple[str, list[Any]]:
        pid = self.person_id
        sql = """SELECT * FROM (
            SELECT 'i' || i.id AS id, i.date AS date, i.kind AS what,
                   trim(COALESCE(i.ask_type || ' → ' || COALESCE(i.outcome, 'pending') || '. ', '')
                        || iif(i.amount IS NULL, '', printf('Amount %.2f. ', i.amount))
                        || COALESCE(li.title || '. ', '')
                        || replace(i.note, char(10), ' · ')) AS details
              FROM interactions i LEFT JOIN library_items li ON li.id = i.library_item_id
             WHERE i.person_id = ?
            UNION ALL
            SELECT 'm' || m.id, m.date, 'meeting',
                   m.name || COALESCE(' (' || g.name || ')', '') || CASE WHEN m.venue != ''
                   THEN ' at ' || m.venue ELSE '' END
              FROM attendance a JOIN meetings m ON m.id = a.meeting_id
              LEFT JOIN groups g ON g.id = m.group_id
             WHERE a.person_id = ?
            UNION ALL
            SELECT 'r' || r.id, r.date, 'prospect',
                   'Introduced by ' || COALESCE(rp.display_name, 'you') || ' to '
                   || COALESCE(pp.display_name, 'you') || ' (' || r.status || ')'
              FROM referrals r LEFT JOIN people rp ON rp.id = r.referrer_id
              LEFT JOIN people pp ON pp.id = r.provider_id
             WHERE r.prospect_id = ?
            UNION ALL
            SELECT 's' || s.id, substr(s.at, 1, 10), 'sync', s.text
              FROM sync_events s WHERE s.person_id = ?
        ) t"""
        return sql, [pid, pid, pid, pid]

    def display(self, row: tuple[Any, ...], column: int) -> Any:
        value = row[column + 1]
        if column == 1:
            return KIND_TEXT.get(str(value), str(value))
        return "" if value is None else value
