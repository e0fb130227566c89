"""The people list: SQL-backed, sorted in SQL on indexed columns, searched through FTS5."""

from __future__ import annotations

from enum import Enum
from typing import Any

from netapp.store import Store, fts_query
from ui.models.sqltable import Column, SqlTableModel


class _Keep(Enum):
    """set_filter's default for group_id, where None already means "any group"."""

    KEEP = "keep"


class PeopleModel(SqlTableModel):
    columns = (
        Column("display_name", "Name", "p.display_name COLLATE NOCASE"),
        Column("org", "Organisation", "p.org COLLATE NOCASE"),
        Column("stage", "Stage", "ps.stage_rank"),
        Column("trust", "Trust", "ps.trust", align_right=True),
        Column("repeat_contacts", "Meetings", "ps.repeat_contacts", align_right=True),
        Column("last_touch", "Last touch", "ps.last_touch"),
        Column("next_text", "Next step", "ps.next_due"),
    )

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(store, parent)
        self.search = ""
        self.stage = ""
        self.tag = ""
        self.group_id: int | None = None
        self.flag = ""
        self._status_first = False
        self._status_stamp: tuple[int, int] | None = None
        self._status_complete = False

    def refresh(self) -> None:
        # A status column sorts fast only when person_status drives the join (then SQLite walks
        # that column's index and stops after one page). That inner join is right while every
        # person has a status row, the usual state (the engine refills missing rows); one cheap
        # count checks it, else the LEFT JOIN keeps people without a row in the list.
        sort_sql = self.columns[self._sort_column].sort_sql or ""
        self._status_first = sort_sql.startswith("ps.") and self._everyone_has_status()
        super().refresh()

    def _everyone_has_status(self) -> bool:
        # The count is a few ms at 100k people; it is redone only after a write (this
        # connection's total_changes, or another connection's commit: data_version).
        conn = self.store.conn
        stamp = (conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0])
        if stamp != self._status_stamp:
            self._status_stamp = stamp
            self._status_complete = not self.store.scalar(
                "SELECT (SELECT count(*) FROM people) - (SELECT count(*) FROM person_status)"
            )
        return self._status_complete

    @property
    def keyset_id(self) -> str:
        # Ties break on the id of the table that drives the join, so its index gives the order.
        return "ps.person_id" if self._status_first else "p.id"

    def set_filter(
        self,
        *,
        search: str | None = None,
        stage: str | None = None,
        tag: str | None = None,
        group_id: int | None | _Keep = _Keep.KEEP,
        flag: str | None = None,
    ) -> None:
        if search is not None:
            self.search = search
        if stage is not None:
            self.stage = stage
        if tag is not None:
            self.tag = tag
        if not isinstance(group_id, _Keep):
            self.group_id = group_id
        if flag is not None:
            self.flag = flag
        self.refresh()

    def base_query(self) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if self._status_first:
            source = "person_status ps JOIN people p ON p.id = ps.person_id"
        else:
            source = "people p LEFT JOIN person_status ps ON ps.person_id = p.id"
        q = fts_query(self.search)
        if q:
            where.append("p.id IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?)")
            params.append(q)
        if self.stage:
            where.append("ps.stage = ?")
            params.append(self.stage)
        if self.tag:
            where.append("p.id IN (SELECT person_id FROM person_tags WHERE tag = ?)")
            params.append(self.tag)
        if self.group_id is not None:
            where.append(
                "p.id IN (SELECT a.person_id FROM attendance a JOIN meetings m "
                "ON m.id = a.meeting_id WHERE m.group_id = ?)"
            )
            params.append(self.group_id)
        if self.flag:
            where.append("(' ' || ps.flags || ' ') LIKE ?")
            params.append(f"% {self.flag} %")
        sql = (
            "SELECT p.id, p.display_name, p.org, ps.stage, ps.trust, ps.repeat_contacts, "
            f"ps.last_touch, ps.next_text FROM {source}"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, params

    def display(self, row: tuple[Any, ...], column: int) -> Any:
        value = row[column + 1]
        if value is None:
            return ""
        if column == 3:
            return int(round(float(value)))
        if column == 2:
            return str(value).capitalize()
        return value
