"""The people list: SQL-backed, sorted in SQL on indexed columns, searched through FTS5."""

from __future__ import annotations

from typing import Any

from netapp.store import Store, fts_query
from ui.models.sqltable import Column, SqlTableModel


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

    def set_filter(
        self,
        *,
        search: str | None = None,
        stage: str | None = None,
        tag: str | None = None,
        group_id: int | None | str = "keep",
        flag: str | None = None,
    ) -> None:
        if search is not None:
            self.search = search
        if stage is not None:
            self.stage = stage
        if tag is not None:
            self.tag = tag
        if group_id != "keep":
            self.group_id = group_id  # type: ignore[assignment]
        if flag is not None:
            self.flag = flag
        self.refresh()

    def base_query(self) -> tuple[str, list[Any]]:
        where, params = [], []
        joins = "LEFT JOIN person_status ps ON ps.person_id = p.id"
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
            f"ps.last_touch, ps.next_text FROM people p {joins}"
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
