"""Groups, meetings and who attended (tables ``groups``, ``meetings``, ``attendance``):
``store.groups`` and ``store.meetings``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from netapp import fields as F
from netapp.change import Change
from netapp.domain import AttendanceRole, Group, Meeting, Recurrence, Topic, parse_enum
from netapp.errors import NotFoundError, ValidationError
from netapp.store.db import Database, new_uuid, now_iso
from netapp.store.records import from_row

# Rows that name a meeting and outlive it (their meeting_id becomes NULL).
MEETING_LINKS = ("interactions", "consents", "card_batches", "captures")
GROUP_FIELDS = frozenset({"name", "recurrence", "weekday", "venue"})
MEETING_FIELDS = frozenset({"name", "date", "group_id", "venue", "note"})


def _group(r: dict[str, Any]) -> Group:
    return from_row(Group, r)


def _meeting(r: dict[str, Any]) -> Meeting:
    return from_row(Meeting, r)


def _ids(rows: Iterable[tuple[Any, ...]]) -> list[int]:
    return [int(r[0]) for r in rows]


class Groups:
    """The groups repository: ``store.groups``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        name: str,
        recurrence: str = "none",
        weekday: int | str | None = None,
        venue: str = "",
    ) -> int:
        """Validate and add a group. ``weekday`` is 0 (Monday) to 6 or a day's name."""
        clean, rec, day, place = self._clean(name, recurrence, weekday, venue)
        with self.db.atomic():
            cur = self.db.conn.execute(
                "INSERT INTO groups (uuid, name, recurrence, weekday, venue, created_at) "
                "VALUES (?,?,?,?,?,?)",
                [new_uuid(), clean, rec.value, day, place, now_iso()],
            )
            self.db.changed(Topic.MEETINGS)
        return int(cur.lastrowid or 0)

    def get(self, ref: str | int) -> Group:
        text = str(ref).strip()
        rows = self.db.query(
            "SELECT * FROM groups WHERE id = ? OR name = ?",
            [F.record_id(text) or -1, text],
        )
        if not rows:
            raise NotFoundError(f"no group {text!r}")
        return _group(rows[0])

    def all(self) -> list[Group]:
        return [_group(r) for r in self.db.query("SELECT * FROM groups ORDER BY name")]

    def ensure(self, name: str) -> int:
        """The id of the group with this name, added when there is none."""
        try:
            return int(self.get(name).id or 0)
        except NotFoundError:
            return self.add(name)

    def exists(self, group_id: int | None) -> bool:
        return self.db.exists("groups", group_id)

    def _clean(
        self,
        name: str,
        recurrence: str | Recurrence,
        weekday: int | str | None,
        venue: str,
        *,
        group_id: int | None = None,
    ) -> tuple[str, Recurrence, int | None, str]:
        """The checked name, recurrence, weekday and venue of a group (``group_id``: the group
        being changed, whose own name is not a clash)."""
        clean = F.clean_text("group", name)
        if not clean:
            raise ValidationError("group", "a group needs a name")
        rec = parse_enum(Recurrence, recurrence or Recurrence.NONE, "recurrence")
        day = F.parse_weekday(weekday)
        if rec is not Recurrence.NONE and day is None:
            raise ValidationError(
                "weekday", f"a {rec.value} group needs the day of the week it meets on"
            )
        clash = self.db.scalar(
            "SELECT id FROM groups WHERE name = ? AND id IS NOT ?", [clean, group_id]
        )
        if clash is not None:
            raise ValidationError("group", f"a group named {clean!r} already exists")
        return clean, rec, day, F.clean_text("venue", venue)

    def people(self, group_id: int) -> list[int]:
        """Everyone who came to a meeting of the group (their next steps may hang on it)."""
        return _ids(
            self.db.conn.execute(
                "SELECT DISTINCT a.person_id FROM attendance a "
                "JOIN meetings m ON m.id = a.meeting_id WHERE m.group_id = ?",
                [group_id],
            )
        )

    def update(self, ref: str | int, **changes: Any) -> Group:
        """Change a group's ``name``, ``recurrence``, ``weekday`` or ``venue``; returns it.

        The engine predicts the group's coming meetings from recurrence and weekday, so the
        cached status of everyone who came to its meetings goes stale (a trigger clears it)."""
        with self.db.atomic():  # the read that decides the write, inside its transaction
            current = self.get(ref)
            unknown = set(changes) - GROUP_FIELDS
            if unknown:
                raise ValidationError(sorted(unknown)[0], "no such group field")
            gid = int(current.id or 0)
            clean, rec, day, place = self._clean(
                changes.get("name", current.name),
                changes.get("recurrence", current.recurrence),
                changes.get("weekday", current.weekday),
                changes.get("venue", current.venue),
                group_id=gid,
            )
            self.db.conn.execute(
                "UPDATE groups SET name = ?, recurrence = ?, weekday = ?, venue = ? WHERE id = ?",
                [clean, rec.value, day, place, gid],
            )
            self.db.changed(Topic.MEETINGS, self.people(gid))
        return self.get(gid)

    def stats(self) -> list[dict[str, Any]]:
        """Every group, by name, with its schedule, how many meetings it has and the last one."""
        return self.db.query(
            """SELECT g.id, g.name, g.recurrence, g.weekday, g.venue,
                      count(m.id) AS meetings, max(m.date) AS last_meeting
                 FROM groups g LEFT JOIN meetings m ON m.group_id = g.id
                GROUP BY g.id ORDER BY g.name COLLATE NOCASE, g.id"""
        )

    def count_meetings(self, group_id: int | None) -> int:
        """How many meetings the group has; ``None``: how many belong to no group."""
        return int(self.db.scalar("SELECT count(*) FROM meetings WHERE group_id IS ?", [group_id]))

    def delete(self, group_id: int, label: str = "") -> Change:
        """Delete a group. Its meetings stay, without a group, with their attendance and
        everything logged at them. The Change's undo brings the group back and regroups them."""
        with self.db.atomic():  # the snapshot is of what is deleted, read in its transaction
            rows = self.db.query("SELECT * FROM groups WHERE id = ?", [group_id])
            if not rows:
                raise NotFoundError(f"group {group_id} not found")
            meetings = _ids(
                self.db.conn.execute("SELECT id FROM meetings WHERE group_id = ?", [group_id])
            )
            people = self.people(group_id)
            self.db.conn.execute(
                "UPDATE meetings SET group_id = NULL WHERE group_id = ?", [group_id]
            )
            self.db.conn.execute("DELETE FROM groups WHERE id = ?", [group_id])
            self.db.changed(Topic.MEETINGS, people)
        snap = {"group": rows[0], "meetings": meetings}
        label = label or f"delete group {rows[0]['name']}"
        return Change(label, lambda: self._restored(snap, label))

    def _restored(self, snap: dict[str, Any], label: str) -> Change:
        gid = self._restore(snap)
        return Change(label, lambda: self.delete(gid, label), gid)

    def _restore(self, snap: dict[str, Any]) -> int:
        """Put back a group deleted by :meth:`delete` and regroup its meetings (those that were
        not given another group since). Returns the group's id."""
        row = dict(snap["group"])
        with self.db.atomic():
            if self.db.scalar("SELECT 1 FROM groups WHERE name = ?", [row["name"]]) is not None:
                raise ValidationError(
                    "group", f"a group named {row['name']!r} exists again; rename it first"
                )
            gid = self.db.reinsert("groups", row)
            self.db.conn.execute(
                "UPDATE meetings SET group_id = ? WHERE group_id IS NULL "
                "AND id IN (SELECT value FROM json_each(?))",
                [gid, json.dumps([int(i) for i in snap.get("meetings", [])])],
            )
            self.db.changed(Topic.MEETINGS, self.people(gid))
        return gid


class Meetings:
    """The meetings repository (with attendance): ``store.meetings``."""

    def __init__(self, db: Database, groups: Groups) -> None:
        self.db = db
        self.groups = groups

    def _check_group(self, group_id: int | None) -> None:
        if group_id is not None and not self.groups.exists(group_id):
            raise NotFoundError(f"group {group_id} not found")

    def add(
        self,
        name: str,
        date: str,
        *,
        group_id: int | None = None,
        venue: str = "",
        note: str = "",
        attendee_ids: Iterable[int] = (),
        capture_id: int | None = None,
    ) -> int:
        clean = F.clean_text("meeting", name)
        if not clean:
            raise ValidationError("name", "a meeting needs a name")
        day = F.meeting_date("date", date)
        with self.db.atomic():
            self._check_group(group_id)
            cur = self.db.conn.execute(
                "INSERT INTO meetings (uuid, group_id, name, date, venue, note, created_at) "
                "VALUES (?,?,?,?,?,?,?)",
                [
                    new_uuid(),
                    group_id,
                    clean,
                    day,
                    F.clean_text("venue", venue),
                    F.clean_text("note", note, multiline=True),
                    now_iso(),
                ],
            )
            mid = int(cur.lastrowid or 0)
            for pid in attendee_ids:
                self.attend(mid, pid, capture_id=capture_id)
            self.db.changed(Topic.MEETINGS)
        return mid

    def get(self, mid: int | str) -> Meeting:
        rows = self.db.query("SELECT * FROM meetings WHERE id = ?", [F.record_id(mid) or -1])
        if not rows:
            raise NotFoundError(f"meeting {mid} not found")
        return _meeting(rows[0])

    def recent(self, limit: int) -> list[dict[str, Any]]:
        """The newest meetings (``id``, ``date``, ``name``, group name ``grp``), newest first."""
        return self.db.query(
            "SELECT m.id, m.date, m.name, g.name AS grp FROM meetings m "
            "LEFT JOIN groups g ON g.id = m.group_id ORDER BY m.date DESC, m.id DESC LIMIT ?",
            [limit],
        )

    def attend(
        self,
        meeting_id: int,
        person_id: int,
        *,
        capture_id: int | None = None,
        role: AttendanceRole | str = AttendanceRole.MEMBER,
        brought_by: int | None = None,
    ) -> bool:
        """Record that a person was at a meeting. Returns False when already recorded.

        ``role``: a member, a visitor (``brought_by`` the member who invited them), or a
        substitute (standing in for the member ``brought_by``), for chapter figures."""
        try:
            kind = AttendanceRole(role)
        except ValueError:
            raise ValidationError(
                "role", f"{role!r} is not one of {', '.join(AttendanceRole)}"
            ) from None
        if kind is AttendanceRole.SUBSTITUTE and brought_by is None:
            raise ValidationError("substitute", "say which member the substitute stood in for")
        if brought_by is not None and brought_by == person_id:
            raise ValidationError("brought_by", "a person cannot bring or stand in for themselves")
        with self.db.atomic():
            for pid in (person_id, brought_by):
                if pid is not None and not self.db.exists("people", pid):
                    raise NotFoundError(f"person {pid} not found")
            if not self.db.exists("meetings", meeting_id):
                raise NotFoundError(f"meeting {meeting_id} not found")
            cur = self.db.conn.execute(
                "INSERT OR IGNORE INTO attendance "
                "(meeting_id, person_id, capture_id, role, brought_by) VALUES (?,?,?,?,?)",
                [meeting_id, person_id, capture_id, kind.value, brought_by],
            )
            self.db.changed(Topic.MEETINGS, [person_id])
        return cur.rowcount > 0

    def attendance_rows(self, meeting_id: int, person_ids: Iterable[int]) -> list[dict[str, Any]]:
        """The attendance rows of these people at a meeting (to put them back as they were)."""
        return self.db.query(
            "SELECT meeting_id, person_id, capture_id, role, brought_by FROM attendance "
            "WHERE meeting_id = ? AND person_id IN (SELECT value FROM json_each(?))",
            [meeting_id, json.dumps(sorted({int(i) for i in person_ids}))],
        )

    def put_back(self, rows: list[dict[str, Any]]) -> None:
        """Put back attendance rows read by :meth:`attendance_rows` (undo of a removal)."""
        with self.db.atomic():
            for r in rows:
                self.attend(
                    r["meeting_id"],
                    r["person_id"],
                    capture_id=r["capture_id"],
                    role=r["role"],
                    brought_by=r["brought_by"]
                    if self.db.exists("people", r["brought_by"])
                    else None,
                )

    def attend_many(self, meeting_id: int, person_ids: Iterable[int]) -> list[int]:
        """Record these people at a meeting (as members) in one transaction. Returns the ids
        newly recorded (those already there are left as they were)."""
        with self.db.atomic():
            return [
                pid for pid in sorted({int(i) for i in person_ids}) if self.attend(meeting_id, pid)
            ]

    def unattend_many(self, meeting_id: int, person_ids: Iterable[int]) -> None:
        """Take these people off a meeting's attendance, in one transaction."""
        with self.db.atomic():
            for pid in person_ids:
                self.unattend(meeting_id, int(pid))

    def unattend(self, meeting_id: int, person_id: int) -> None:
        """Take back :meth:`attend`."""
        with self.db.atomic():
            self.db.conn.execute(
                "DELETE FROM attendance WHERE meeting_id = ? AND person_id = ?",
                [meeting_id, person_id],
            )
            self.db.changed(Topic.MEETINGS, [person_id])

    def attendees(self, meeting_id: int) -> list[int]:
        return _ids(
            self.db.conn.execute(
                "SELECT person_id FROM attendance WHERE meeting_id = ? ORDER BY person_id",
                [meeting_id],
            )
        )

    def delete(self, meeting_id: int, label: str = "") -> Change:
        """Delete a meeting (its attendance goes; what was logged at it stays, unlinked). The
        Change's undo puts it back with its attendance and links, from a snapshot it keeps."""
        with self.db.atomic():
            snap = self._snapshot(meeting_id)
            pids = self.attendees(meeting_id)
            self.db.conn.execute("DELETE FROM meetings WHERE id = ?", [meeting_id])
            self.db.changed(Topic.MEETINGS, pids)
        label = label or f"delete meeting {snap['meeting']['name']}"
        return Change(label, lambda: self._restored(snap, label))

    def _restored(self, snap: dict[str, Any], label: str) -> Change:
        mid = self._restore(snap)
        return Change(label, lambda: self.delete(mid, label), mid)

    def update(self, meeting_id: int, **changes: Any) -> Meeting:
        """Change a meeting's ``name``, ``date``, ``group_id``, ``venue`` or ``note``.

        A new date moves what was logged at the meeting on its old date (the ``met`` notes,
        value given there) along with it: it happened at that meeting, on its day."""
        with self.db.atomic():  # the read that decides the write, inside its transaction
            current = self.get(meeting_id)
            unknown = set(changes) - MEETING_FIELDS
            if unknown:
                raise ValidationError(sorted(unknown)[0], "no such meeting field")
            name = F.clean_text("meeting", changes.get("name", current.name))
            if not name:
                raise ValidationError("name", "a meeting needs a name")
            day = F.meeting_date("date", changes.get("date", current.date))
            group_id = changes.get("group_id", current.group_id)
            venue = F.clean_text("venue", changes.get("venue", current.venue))
            note = F.clean_text("note", changes.get("note", current.note), multiline=True)
            self._check_group(group_id)
            self.db.conn.execute(
                "UPDATE meetings SET name = ?, date = ?, group_id = ?, venue = ?, note = ? "
                "WHERE id = ?",
                [name, day, group_id, venue, note, meeting_id],
            )
            moved = self._move_logged(meeting_id, current.date, day) if day != current.date else []
            self.db.changed(Topic.MEETINGS, [*self.attendees(meeting_id), *moved])
        return self.get(meeting_id)

    def _move_logged(self, meeting_id: int, old_day: str, new_day: str) -> list[int]:
        """Move what was logged at the meeting on ``old_day`` to ``new_day``; who it was about."""
        where = "WHERE meeting_id = ? AND date = ?"
        moved = _ids(
            self.db.conn.execute(
                f"SELECT DISTINCT person_id FROM interactions {where}", [meeting_id, old_day]
            )
        )
        self.db.conn.execute(
            f"UPDATE interactions SET date = ? {where}", [new_day, meeting_id, old_day]
        )
        self.db.changed(Topic.INTERACTIONS, moved)
        return moved

    def _snapshot(self, meeting_id: int) -> dict[str, Any]:
        """A meeting, who came, and which rows named it: enough for :meth:`_restore`."""
        rows = self.db.query("SELECT * FROM meetings WHERE id = ?", [meeting_id])
        if not rows:
            raise NotFoundError(f"meeting {meeting_id} not found")
        return {
            "meeting": rows[0],
            "attendance": self.db.query(
                "SELECT * FROM attendance WHERE meeting_id = ?", [meeting_id]
            ),
            "links": {
                table: _ids(
                    self.db.conn.execute(
                        f"SELECT id FROM {table} WHERE meeting_id = ?", [meeting_id]
                    )
                )
                for table in MEETING_LINKS
            },
        }

    def links(self, meeting_id: int) -> dict[str, int]:
        """How many people came to a meeting and how many interactions name it."""
        count = "SELECT count(*) FROM {} WHERE meeting_id = ?"
        return {
            "attendees": int(self.db.scalar(count.format("attendance"), [meeting_id])),
            "interactions": int(self.db.scalar(count.format("interactions"), [meeting_id])),
        }

    def _restore(self, snap: dict[str, Any]) -> int:
        """Put back a meeting deleted by :meth:`delete`: its attendance (of people who
        still exist) and its links from interactions, consents, card batches and captures.
        Keeps the old id when it is free. Returns the meeting's id."""
        row = dict(snap["meeting"])
        with self.db.atomic():
            if not self.groups.exists(row.get("group_id")):
                row["group_id"] = None
            mid = self.db.reinsert("meetings", row)
            people = self._restore_attendance(mid, snap.get("attendance", []))
            for table, ids in snap.get("links", {}).items():
                if table not in MEETING_LINKS:
                    continue
                self.db.conn.execute(
                    f"UPDATE {table} SET meeting_id = ? WHERE id IN "
                    "(SELECT value FROM json_each(?)) AND (meeting_id IS NULL OR meeting_id = ?)",
                    [mid, json.dumps([int(x) for x in ids]), snap["meeting"]["id"]],
                )
            noted = _ids(
                self.db.conn.execute(
                    "SELECT DISTINCT person_id FROM interactions WHERE meeting_id = ?", [mid]
                )
            )
            self.db.changed(Topic.MEETINGS, people)
            self.db.changed(Topic.INTERACTIONS, noted)
        return mid

    def _restore_attendance(self, mid: int, rows: list[dict[str, Any]]) -> list[int]:
        people: list[int] = []
        for a in rows:
            if not self.db.exists("people", a["person_id"]):
                continue
            capture = a.get("capture_id")
            if not self.db.exists("captures", capture):
                capture = None
            self.db.conn.execute(
                "INSERT OR IGNORE INTO attendance (meeting_id, person_id, capture_id) "
                "VALUES (?,?,?)",
                [mid, a["person_id"], capture],
            )
            people.append(int(a["person_id"]))
        return people
