"""Dates people carry: birthdays coming up and "remind me on" dates that have come (issue 17).

Read-only queries for Today, the briefing sheet and the notifications. Birthdays are stored as
``YYYY-MM-DD`` or ``--MM-DD``; both end in ``MM-DD``. A 29 February birthday is kept on
28 February in a year that has no 29th.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from netapp.store.db import Database


@dataclass(frozen=True)
class Occasion:
    """A person's birthday or reminder falling on ``on``."""

    person_id: int
    display_name: str
    on: date
    kind: str  # "birthday" or "reminder"
    age: int | None = None  # the age they turn, when the year of birth is known

    def to_json(self) -> dict[str, object]:
        return {
            "person_id": self.person_id,
            "display_name": self.display_name,
            "on": self.on.isoformat(),
            "kind": self.kind,
            "age": self.age,
        }


def _month_days(start: date, days: int) -> dict[str, date]:
    """``MM-DD`` -> the day in the window it falls on (29 Feb on the 28th in other years)."""
    out: dict[str, date] = {}
    for n in range(days + 1):
        d = start + timedelta(days=n)
        out[f"{d.month:02d}-{d.day:02d}"] = d
        if d.month == 2 and d.day == 28 and (d + timedelta(days=1)).month == 3:  # no 29 Feb
            out["02-29"] = d
    return out


def birthdays(db: Database, start: date, days: int = 0) -> list[Occasion]:
    """Birthdays from ``start`` to ``start + days`` (inclusive), soonest first."""
    window = _month_days(start, max(0, days))
    marks = ", ".join("?" * len(window))
    rows = db.conn.execute(
        f"SELECT id, display_name, birthday FROM people WHERE birthday != '' "
        f"AND substr(birthday, -5) IN ({marks})",
        list(window),
    ).fetchall()
    out = []
    for pid, name, birthday in rows:
        on = window[birthday[-5:]]
        year = int(birthday[:4]) if birthday[:4].isdigit() else None
        age = on.year - year if year is not None and year < on.year else None
        out.append(Occasion(int(pid), str(name), on, "birthday", age))
    return sorted(out, key=lambda o: (o.on, o.display_name.casefold(), o.person_id))


def reminders(db: Database, as_of: date) -> list[Occasion]:
    """People whose "remind me on" date is ``as_of`` or earlier, oldest first."""
    rows = db.conn.execute(
        "SELECT id, display_name, remind_on FROM people WHERE remind_on != '' "
        "AND remind_on <= ? ORDER BY remind_on, display_name COLLATE NOCASE, id",
        [as_of.isoformat()],
    ).fetchall()
    return [
        Occasion(int(pid), str(name), date.fromisoformat(on), "reminder") for pid, name, on in rows
    ]


def upcoming(db: Database, as_of: date, birthday_days: int = 1) -> list[Occasion]:
    """What Today shows: reminders due and birthdays from today to ``birthday_days`` ahead."""
    return reminders(db, as_of) + birthdays(db, as_of, birthday_days)
