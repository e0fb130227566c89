"""What the day's reminders say (issue 17): steps due, meetings today and tomorrow, "remind me
on" dates that have come, and birthdays. The app shows them as desktop notifications at the
time set in Settings (``notify.time``); ``netapp reminders`` prints them. Nothing here reads
the clock or talks to the desktop: the caller says which day it is and shows the notices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from netapp.store.occasions import birthdays, reminders

if TYPE_CHECKING:
    from netapp.store import Store

MAX_NAMES = 5


@dataclass(frozen=True)
class Notice:
    """One notification: a short title and a body of a few lines."""

    kind: str  # "steps", "meetings", "reminders" or "birthdays"
    title: str
    body: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "title": self.title, "body": self.body}


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    more = len(names) - MAX_NAMES
    return f"{shown} and {more} more" if more > 0 else shown


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def notices(store: Store, today: date) -> list[Notice]:
    """The day's notifications, most useful first; empty when there is nothing to say."""
    from netapp import engine

    out: list[Notice] = []
    steps = engine.agenda(store, today, days=0)
    if steps:
        overdue = sum(1 for s in steps if s.overdue)
        late = f" ({overdue} overdue)" if overdue else ""
        out.append(
            Notice(
                "steps",
                f"{_plural(len(steps), 'step')} due today{late}",
                _names([f"{s.display_name} ({s.kind})" for s in steps]),
            )
        )
    meetings = engine.upcoming_meetings(store, today, days=1)
    if meetings:
        lines = [
            f"{'Today' if m.date == today else 'Tomorrow'}: {m.group_name}"
            + (f" at {m.venue}" if m.venue else "")
            for m in meetings
        ]
        out.append(
            Notice("meetings", _plural(len(meetings), "meeting") + " coming", "\n".join(lines))
        )
    due = reminders(store.db, today)
    if due:
        out.append(
            Notice(
                "reminders",
                f"Remember: {_plural(len(due), 'person')}",
                _names([o.display_name for o in due]),
            )
        )
    born = birthdays(store.db, today, 0)
    if born:
        names = [o.display_name + (f" ({o.age})" if o.age else "") for o in born]
        out.append(Notice("birthdays", f"Birthday today: {_names(names)}", "Say happy birthday"))
    return out


def due_now(now_hhmm: str, last_day: str, today: date, at: str) -> bool:
    """Whether the day's notices are due now: the time ``at`` has come and they were not
    already shown today (``last_day`` is the ISO day they were last shown)."""
    hour, minute = (int(x) for x in at.split(":"))
    now_h, now_m = (int(x) for x in now_hhmm.split(":"))
    return last_day != today.isoformat() and (now_h, now_m) >= (hour, minute)
