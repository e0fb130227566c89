"""Read-only lists behind the app's tables, sorted and paged in SQL.

A :class:`ListQuery` is a ``SELECT id, … FROM … [WHERE …]`` with one ORDER BY expression per
sortable column. :meth:`ListQuery.page` returns rows ``offset`` onwards; when the query names
its id column (``keyset_id``) the pages after the first start right after the last row's sort
key instead of skipping OFFSET rows, so the last page of 100,000 rows costs what the first does.
The Qt models (``ui/models``) show these rows; they never build SQL themselves.
"""

from __future__ import annotations

from typing import Any, ClassVar

from netapp.store.db import Database
from netapp.store.people import fts_query

Row = tuple[Any, ...]


class ListQuery:
    """One list: subclasses set ``sort_sql`` and build the query in :meth:`base`."""

    # Column key -> an ORDER BY expression on an indexed column (None: the column cannot sort).
    sort_sql: ClassVar[dict[str, str | None]] = {}

    def __init__(self, db: Database) -> None:
        self.db = db
        self._after: tuple[Any, Any] | None = None  # (sort key, id) of the last row paged

    @property
    def keyset_id(self) -> str | None:
        """The SQL of the id column, for keyset paging (None: LIMIT/OFFSET)."""
        return None

    def base(self) -> tuple[str, list[Any]]:
        """SELECT … FROM … WHERE … (no ORDER BY / LIMIT). The first result column is the id."""
        raise NotImplementedError

    def continue_from(self, other: ListQuery) -> None:
        """Page on from where ``other`` stopped. ``other`` is a copy of this query (the same
        list, filters and sort) that read the first page on another connection, a worker's:
        its keyset position, and what its :meth:`start` chose for the sort, carry over. This
        query keeps its own connection, and whatever it caches about that connection."""
        if type(other) is not type(self):
            raise TypeError(f"{type(self).__name__} cannot page on from a {type(other).__name__}")
        self._after = other._after

    def can_sort(self, key: str) -> bool:
        return self.sort_sql.get(key) is not None

    def start(self, sort: str) -> None:
        """Called before the first page of a sort (a list may choose its join here)."""

    def _sort_expr(self, sort: str) -> str:
        return self.sort_sql.get(sort) or next(iter(self.sort_sql.values()), None) or "1"

    def _order_by(self, sort: str, descending: bool) -> str:
        direction = "DESC" if descending else "ASC"
        return f"{self._sort_expr(sort)} {direction}, {self.keyset_id or 1} {direction}"

    def page(self, offset: int, limit: int, sort: str, descending: bool = False) -> list[Row]:
        """Up to ``limit`` rows from ``offset`` on, sorted by the column ``sort``. Pages are
        asked for in order (offset 0, then the next, …): keyset paging remembers the last."""
        if offset == 0:
            self.start(sort)
            self._after = None
        sql, params = self.base()
        order = self._order_by(sort, descending)
        key_id = self.keyset_id
        if key_id is None or not sql.startswith("SELECT "):
            cur = self.db.conn.execute(
                f"{sql} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset]
            )
            return cur.fetchall()
        expr = self._sort_expr(sort)
        select = f"SELECT {expr}, " + sql[len("SELECT ") :]  # the sort key rides along, first
        glue = " AND " if " WHERE " in sql else " WHERE "
        rows: list[Row] = []
        for cond, more in self._after_conditions(expr, key_id, descending):
            q = select + (glue + cond if cond else "")
            rows += self.db.conn.execute(
                f"{q} ORDER BY {order} LIMIT ?", [*params, *more, limit - len(rows)]
            ).fetchall()
            if len(rows) >= limit:
                break
        if rows:
            self._after = (rows[-1][0], rows[-1][1])
        return [row[1:] for row in rows]

    def _after_conditions(
        self, expr: str, key_id: str, descending: bool
    ) -> list[tuple[str, list[Any]]]:
        """WHERE terms for the rows after the last paged one, tried in turn until a page is
        full. Each is a range on the sort index, so a deep page costs what the first does.
        NULL keys sort first ascending and last descending, as in SQLite, so they get their
        own terms (a range never includes NULL)."""
        if self._after is None:
            return [("", [])]
        key, last_id = self._after
        if descending:
            if key is None:
                return [(f"{expr} IS NULL AND {key_id} < ?", [last_id])]
            return [
                (f"{expr} <= ? AND ({expr} < ? OR {key_id} < ?)", [key, key, last_id]),
                (f"{expr} IS NULL", []),
            ]
        if key is None:
            return [(f"{expr} IS NULL AND {key_id} > ?", [last_id]), (f"{expr} IS NOT NULL", [])]
        return [(f"{expr} >= ? AND ({expr} > ? OR {key_id} > ?)", [key, key, last_id])]


class PeopleList(ListQuery):
    """The people list: searched through FTS5, filtered by stage, tag, group, flag and kind
    (people or organisations); the engine's cached status (``person_status``) gives stage,
    trust, meetings and next step."""

    sort_sql: ClassVar[dict[str, str | None]] = {
        "display_name": "p.display_name COLLATE NOCASE",
        "org": "p.org COLLATE NOCASE",
        "stage": "ps.stage_rank",
        "trust": "ps.trust",
        "repeat_contacts": "ps.repeat_contacts",
        "last_touch": "ps.last_touch",
        "next_text": "ps.next_due",
    }

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.search = ""
        self.stage = ""
        self.tag = ""
        self.group_id: int | None = None
        self.flag = ""
        self.kind = ""  # a ContactKind value; "" for everyone
        self._status_first = False
        self._status_stamp: tuple[int, int] | None = None
        self._status_complete = False

    def start(self, sort: str) -> None:
        # A status column sorts fast only when person_status drives the join (then SQLite walks
        # that column's index and stops after one page). That inner join is right while every
        # person has a status row, the usual state (the engine refills missing rows); one cheap
        # count checks it, else the LEFT JOIN keeps people without a row in the list.
        self._status_first = (self.sort_sql.get(sort) or "").startswith("ps.") and (
            self._everyone_has_status()
        )

    def continue_from(self, other: ListQuery) -> None:
        super().continue_from(other)
        assert isinstance(other, PeopleList)
        self._status_first = other._status_first  # the join its page walked, and its id

    def _everyone_has_status(self) -> bool:
        # The count is a few ms at 100k people; it is redone only after a write (this
        # connection's total_changes, or another connection's commit: data_version).
        conn = self.db.conn
        stamp = (conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0])
        if stamp != self._status_stamp:
            self._status_stamp = stamp
            self._status_complete = not self.db.scalar(
                "SELECT (SELECT count(*) FROM people) - (SELECT count(*) FROM person_status)"
            )
        return self._status_complete

    @property
    def keyset_id(self) -> str:
        # Ties break on the id of the table that drives the join, so its index gives the order.
        return "ps.person_id" if self._status_first else "p.id"

    def base(self) -> tuple[str, list[Any]]:
        if self._status_first:
            source = "person_status ps JOIN people p ON p.id = ps.person_id"
        else:
            source = "people p LEFT JOIN person_status ps ON ps.person_id = p.id"
        return self._select(
            "p.id, p.display_name, p.org, ps.stage, ps.trust, ps.repeat_contacts, "
            "ps.last_touch, ps.next_text",
            source,
        )

    def _select(self, columns: str, source: str) -> tuple[str, list[Any]]:
        """SELECT ``columns`` FROM ``source`` with the list's filters."""
        where: list[str] = []
        params: list[Any] = []
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
        if self.kind:
            where.append("p.kind = ?")
            params.append(self.kind)
        sql = f"SELECT {columns} FROM {source}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, params

    def count(self) -> int:
        """How many people the list holds with its filters: the real number, not the rows
        fetched so far (one COUNT over the same query)."""
        if self._status_first or self.stage or self.flag:
            sql, params = self.base()
        else:
            # The LEFT JOIN finds at most one status row per person (its key is the person's
            # id) and no filter reads it: the same number from people alone, counted on an
            # index (0.3 ms at 100,000 people; the join took 10-60 ms of the People page's
            # first visit, issue 20). Held equal to the query's own count by a test.
            sql, params = self._select("p.id", "people p")
        return int(self.db.scalar(f"SELECT count(*) FROM ({sql})", params) or 0)


NO_GROUP = 0  # MeetingsList.group_id = NO_GROUP: the meetings that belong to no group


class MeetingsList(ListQuery):
    """Meetings (date, name, group, venue, how many came); optionally of one group."""

    sort_sql: ClassVar[dict[str, str | None]] = {
        "date": "m.date",
        "name": "m.name COLLATE NOCASE",
        "grp": None,
        "venue": None,
        "attendees": None,
    }

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.group_id: int | None = None  # None: every meeting; NO_GROUP: those without one

    def base(self) -> tuple[str, list[Any]]:
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


class AttendanceList(ListQuery):
    """Who was at one meeting, with how often each has come to that group's meetings."""

    sort_sql: ClassVar[dict[str, str | None]] = {
        "display_name": "p.display_name COLLATE NOCASE",
        "org": "p.org COLLATE NOCASE",
        "times": "times",
    }

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.meeting_id = 0

    def base(self) -> tuple[str, list[Any]]:
        sql = """SELECT p.id, p.display_name, p.org,
                   (SELECT count(*) FROM attendance a2 JOIN meetings m2 ON m2.id = a2.meeting_id
                     WHERE a2.person_id = p.id AND (m2.group_id IS me.group_id)
                       AND (me.group_id IS NOT NULL OR m2.id = me.id)) AS times
                 FROM attendance a JOIN people p ON p.id = a.person_id
                 JOIN meetings me ON me.id = a.meeting_id
                WHERE a.meeting_id = ?"""
        return sql, [self.meeting_id]


class GroupAttendanceList(ListQuery):
    """Repeat attendance across one group: each person, how many of its meetings, when last."""

    sort_sql: ClassVar[dict[str, str | None]] = {
        "display_name": "p.display_name COLLATE NOCASE",
        "times": "times",
        "last": "last",
        "org": "p.org COLLATE NOCASE",
    }

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.group_id = 0

    def base(self) -> tuple[str, list[Any]]:
        # From the group's meetings to their attendance (CROSS JOIN keeps that order): the
        # planner's own choice walked everyone's attendance (88 ms at 100,000 people for a
        # group with no meetings, 0.2 ms this way).
        sql = """SELECT p.id, p.display_name, g.times AS times, g.last AS last, p.org
                   FROM (SELECT a.person_id AS pid, count(*) AS times, max(m.date) AS last
                           FROM meetings m CROSS JOIN attendance a ON a.meeting_id = m.id
                          WHERE m.group_id = ? GROUP BY a.person_id) g
                   JOIN people p ON p.id = g.pid"""
        return sql, [self.group_id]


class TimelineList(ListQuery):
    """A person's timeline: every interaction, meeting, referral of which they were the
    prospect, sync conflict and journal note. Ids are ``i<interaction>``, ``m<meeting>``,
    ``r<referral>``, ``s<sync event>``, ``n<note>``."""

    sort_sql: ClassVar[dict[str, str | None]] = {"date": "t.date", "what": None, "details": None}

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.person_id = 0

    def base(self) -> tuple[str, list[Any]]:
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
            UNION ALL
            SELECT 'n' || n.id, n.date, 'note', replace(n.text, char(10), ' · ')
              FROM notes n WHERE n.person_id = ?
        ) t"""
        return sql, [pid, pid, pid, pid, pid]
