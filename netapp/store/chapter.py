"""Chapter figures (issue 17), as BNI-style groups keep them: per member over a period, the
"thank you for closed business" given and received, referrals given and received, one-to-ones,
visitors brought, and attendance (present, absent, substitute). Read-only.

Members of a chapter (a group) are the people recorded at its meetings as members (attendance
role ``member``) and the members a substitute stood in for. Per member:

- TYFCB given: the value of won referrals they received (they closed the business and thank
  the referrer); TYFCB received: the value of won referrals they passed on;
- referrals given: those they passed on (referrer); received: those passed to them (provider);
- one-to-ones: one-to-ones logged with them; visitors: visitors they brought;
- present / substitute / absent: per meeting of the chapter in the period from their first
  meeting there: there as a member, a substitute stood in, or neither.

"You" (``person_id`` None) are a member too: referrals with no referrer are yours given, with
no provider yours received, and a visitor with no ``brought_by`` is one you brought. Your own
attendance is not recorded, so it is not counted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from netapp.errors import ValidationError
from netapp.store.db import Database

MAX_DAYS = 3660


@dataclass
class MemberFigures:
    person_id: int | None  # None: you
    name: str
    tyfcb_given: float = 0.0
    tyfcb_received: float = 0.0
    referrals_given: int = 0
    referrals_received: int = 0
    one_to_ones: int = 0
    visitors: int = 0
    present: int | None = 0  # None for you: your attendance is not recorded
    absent: int | None = 0
    substitute: int | None = 0


@dataclass
class ChapterFigures:
    group_id: int
    group_name: str
    start: str
    end: str
    meetings: int
    members: list[MemberFigures] = field(default_factory=list)

    def totals(self) -> MemberFigures:
        """Every member's figures added up (attendance over the recorded members; a
        one-to-one, being yours with a member, counted once)."""
        t = MemberFigures(None, "Total")
        for m in self.members:
            t.tyfcb_given += m.tyfcb_given
            t.tyfcb_received += m.tyfcb_received
            t.referrals_given += m.referrals_given
            t.referrals_received += m.referrals_received
            if m.person_id is not None:  # each one-to-one is yours and a member's: once
                t.one_to_ones += m.one_to_ones
            t.visitors += m.visitors
            for key in ("present", "absent", "substitute"):
                setattr(t, key, (getattr(t, key) or 0) + (getattr(m, key) or 0))
        return t

    def to_json(self) -> dict[str, Any]:
        return {
            "group_id": self.group_id,
            "group": self.group_name,
            "from": self.start,
            "to": self.end,
            "meetings": self.meetings,
            "members": [asdict(m) for m in self.members],
            "totals": {
                k: v for k, v in asdict(self.totals()).items() if k not in ("person_id", "name")
            },
        }


def check_period(start: str, end: str) -> tuple[str, str]:
    """The period as ISO dates, or ValidationError naming ``from`` or ``to``."""
    days = []
    for name, value in (("from", start), ("to", end)):
        try:
            days.append(date.fromisoformat(str(value).strip()))
        except ValueError:
            raise ValidationError(name, f"{value!r} is not a date in YYYY-MM-DD form") from None
    if days[1] < days[0]:
        raise ValidationError("to", f"{end} is before {start}")
    if (days[1] - days[0]).days > MAX_DAYS:
        raise ValidationError("to", "a period is at most ten years")
    return days[0].isoformat(), days[1].isoformat()


def _attendance(
    db: Database, group_id: int, start: str, end: str
) -> tuple[int, dict[int, list[int]]]:
    """The number of meetings in the period, and per member [present, absent, substitute]."""
    meetings = db.query(
        "SELECT id, date FROM meetings WHERE group_id = ? AND date BETWEEN ? AND ? ORDER BY date",
        [group_id, start, end],
    )
    first = {
        r["pid"]: r["first"]
        for r in db.query(
            """SELECT pid, min(date) AS first FROM (
                   SELECT a.person_id AS pid, m.date FROM attendance a
                   JOIN meetings m ON m.id = a.meeting_id
                   WHERE m.group_id = ? AND a.role = 'member'
                   UNION ALL
                   SELECT a.brought_by, m.date FROM attendance a
                   JOIN meetings m ON m.id = a.meeting_id
                   WHERE m.group_id = ? AND a.role = 'substitute' AND a.brought_by IS NOT NULL)
               WHERE date <= ? GROUP BY pid""",
            [group_id, group_id, end],
        )
    }
    seen: set[tuple[int, int]] = set()
    stood_in: set[tuple[int, int]] = set()
    for r in db.query(
        """SELECT a.meeting_id, a.person_id, a.role, a.brought_by FROM attendance a
           JOIN meetings m ON m.id = a.meeting_id
           WHERE m.group_id = ? AND m.date BETWEEN ? AND ?""",
        [group_id, start, end],
    ):
        if r["role"] == "member":
            seen.add((r["meeting_id"], r["person_id"]))
        elif r["role"] == "substitute" and r["brought_by"] is not None:
            stood_in.add((r["meeting_id"], r["brought_by"]))
    out: dict[int, list[int]] = {}
    for pid, since in first.items():
        counts = out.setdefault(pid, [0, 0, 0])
        for m in meetings:
            if m["date"] < since:
                continue
            key = (m["id"], pid)
            counts[0 if key in seen else 2 if key in stood_in else 1] += 1
    return len(meetings), out


def chapter_figures(db: Database, group_id: int, start: str, end: str) -> ChapterFigures:
    """Every member's figures for the chapter ``group_id`` from ``start`` to ``end``."""
    start, end = check_period(start, end)
    rows = db.query("SELECT name FROM groups WHERE id = ?", [group_id])
    if not rows:
        from netapp.errors import NotFoundError

        raise NotFoundError(f"group {group_id} not found")
    count, attendance = _attendance(db, group_id, start, end)
    names = {
        r["id"]: r["display_name"]
        for r in db.query(
            "SELECT id, display_name FROM people WHERE id IN (SELECT value FROM json_each(?))",
            [_json(sorted(attendance))],
        )
    }
    members: dict[int | None, MemberFigures] = {
        None: MemberFigures(None, "You", present=None, absent=None, substitute=None)
    }
    for pid, (present, absent, sub) in attendance.items():
        members[pid] = MemberFigures(
            pid, names.get(pid, "?"), present=present, absent=absent, substitute=sub
        )
    _add_referrals(db, members, start, end)
    _add_counts(db, members, group_id, start, end)
    ordered = sorted(
        (m for m in members.values() if m.person_id is not None),
        key=lambda m: (m.name.casefold(), m.person_id or 0),
    )
    return ChapterFigures(group_id, rows[0]["name"], start, end, count, [members[None], *ordered])


def _json(ids: list[int]) -> str:
    import json

    return json.dumps(ids)


def _add_referrals(
    db: Database, members: dict[int | None, MemberFigures], start: str, end: str
) -> None:
    for r in db.query(
        "SELECT referrer_id, provider_id, status, value FROM referrals WHERE date BETWEEN ? AND ?",
        [start, end],
    ):
        won = float(r["value"] or 0) if r["status"] == "won" else 0.0
        giver, taker = members.get(r["referrer_id"]), members.get(r["provider_id"])
        if giver is not None:
            giver.referrals_given += 1
            giver.tyfcb_received += won
        if taker is not None:
            taker.referrals_received += 1
            taker.tyfcb_given += won


def _add_counts(
    db: Database, members: dict[int | None, MemberFigures], group_id: int, start: str, end: str
) -> None:
    for r in db.query(
        "SELECT person_id, count(*) AS n FROM interactions "
        "WHERE kind = 'one-to-one' AND date BETWEEN ? AND ? GROUP BY person_id",
        [start, end],
    ):
        if r["person_id"] in members:
            members[r["person_id"]].one_to_ones += r["n"]
            members[None].one_to_ones += r["n"]
    for r in db.query(
        """SELECT a.brought_by AS pid, count(*) AS n FROM attendance a
           JOIN meetings m ON m.id = a.meeting_id
           WHERE m.group_id = ? AND m.date BETWEEN ? AND ? AND a.role = 'visitor'
           GROUP BY a.brought_by""",
        [group_id, start, end],
    ):
        member = members.get(r["pid"])
        if member is not None:
            member.visitors += r["n"]
