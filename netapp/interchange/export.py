"""Exports: vCard 4.0 / 3.0, CSV of people, opt-ins for an email tool, ICS, JSON backup.

Every writer returns the file's text; :func:`export_to_file` writes it through :func:`netapp.files.write_output`
(never over the database or a backup; a temporary file renamed into place, so a failed export
never leaves half a file behind; 0600).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from netapp.domain import Email, Person, Phone, detail, detail_fields
from netapp.errors import ValidationError
from netapp.files import write_output
from netapp.store import Store

FORMATS = ("vcard", "vcard3", "csv", "optins", "ics", "json")

# A cell starting with one of these is evaluated by Excel, LibreOffice or Google Sheets
# (fullwidth forms included: some spreadsheets fold them to ASCII).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

# The people CSV: the details declared with a CSV header (netapp.domain), in declared order,
# then what netapp's importer needs to read the file back without a column mapping and change
# nothing (``csvformats`` layout "netapp"). A list cell holds one value per line; a label
# column holds each value's label on the same line.
CSV_FIELDS = tuple(n for n in detail_fields() if detail(n, "csv"))
PEOPLE_COLUMNS = (
    *(detail(n, "csv") for n in CSV_FIELDS),
    "UID",
    "Email Labels",
    "Phone Labels",
)
OPTIN_COLUMNS = (
    "Email Address",
    "First Name",
    "Last Name",
    "Tags",
    "Opt-in Time",
    "Opt-in Method",
    "Meeting",
    "Card Code",
    "Wording Shown",
)


def needs_guard(text: str) -> bool:
    """Whether a cell must be written with a leading ``'``: a spreadsheet would evaluate it
    (it starts, perhaps after spaces, with = + - @ or a tab or line break), or it starts with
    ``'`` itself (so that the guard can always be taken off again exactly)."""
    return text.lstrip(" \u00a0").startswith(FORMULA_START) or text.startswith(
        (*FORMULA_START, "'")
    )


def neutralise(cell: object) -> str:
    """A cell value a spreadsheet shows as text: a leading ``'`` when it could be a formula.
    netapp's own CSV reader takes the ``'`` off again (``csvformats.unneutralise``)."""
    text = "" if cell is None else str(cell)
    return "'" + text if needs_guard(text) else text


def _csv(
    header: Iterable[str],
    rows: Iterable[Iterable[object]],
    raw_columns: frozenset[int] = frozenset(),
) -> str:
    """CSV text; every cell guarded against formulas but those in ``raw_columns``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(list(header))
    for row in rows:
        w.writerow([str(c) if i in raw_columns else neutralise(c) for i, c in enumerate(row)])
    return buf.getvalue()


def people(store: Store, ids: Iterable[int] | None = None) -> list[Person]:
    """The people to export: all (by name) or a selection (in the order given)."""
    if ids is None:
        ids = [r["id"] for r in store.db.query("SELECT id FROM people ORDER BY display_name, id")]
    return [store.people.get(int(i)) for i in ids]


def to_vcard(store: Store, ids: Iterable[int] | None = None, version: str = "4.0") -> str:
    from netapp.interchange.vcard import write_vcards

    return write_vcards(people(store, ids), version)


def _cell(value: object) -> str:
    """A detail as a CSV cell: one value per line for a list (an email's address, a phone's
    number; no stored value holds a line break), the text itself otherwise."""
    if isinstance(value, list):
        return "\n".join(
            v.address if isinstance(v, Email) else v.number if isinstance(v, Phone) else str(v)
            for v in value
        )
    return "" if value is None else str(value)


def to_csv(store: Store, ids: Iterable[int] | None = None) -> str:
    rows = (
        [
            *(_cell(getattr(p, n)) for n in CSV_FIELDS),
            p.uuid,
            "\n".join(e.label for e in p.emails),
            "\n".join(ph.label for ph in p.phones),
        ]
        for p in people(store, ids)
    )
    return _csv(PEOPLE_COLUMNS, rows)


def optin_rows(store: Store) -> list[list[str]]:
    """One row per person with a recorded, not withdrawn consent (their latest), by email.

    Nobody without an active consent is ever in these rows."""
    rows = store.db.query(
        """SELECT c.*, m.name AS meeting_name, m.date AS meeting_date
           FROM consents c LEFT JOIN meetings m ON m.id = c.meeting_id
           WHERE c.withdrawn_at IS NULL
           ORDER BY c.person_id, c.obtained_at DESC, c.id DESC"""
    )
    out: list[list[str]] = []
    seen: set[int] = set()
    emails_seen: set[str] = set()
    for r in rows:
        pid = int(r["person_id"])
        if pid in seen:
            continue
        seen.add(pid)
        p = store.people.get(pid)
        email = r["email"] or (p.emails[0].address if p.emails else "")
        if not email or email.casefold() in emails_seen:
            continue
        emails_seen.add(email.casefold())
        meeting = f"{r['meeting_name']} ({r['meeting_date']})" if r["meeting_name"] else ""
        out.append(
            [
                email,
                p.given_name,
                p.family_name,
                ",".join(["netapp", *p.tags]),
                r["obtained_at"],
                r["method"],
                meeting,
                r["card_code"],
                r["wording"],
            ]
        )
    out.sort(key=lambda row: row[0].casefold())
    return out


# The Email Address column is written as it is: a stored address is always a syntactically
# valid one, and Mailchimp reads the file literally, so a guard (a leading ') would import a
# different, undeliverable address. Every other cell is guarded. Open the file in Mailchimp,
# not in a spreadsheet, if an address starts with = + - or @.
OPTIN_RAW_COLUMNS = frozenset({0})


def to_optins(store: Store) -> str:
    """Mailchimp-ready CSV: Email Address, First Name, Last Name, Tags + consent evidence."""
    return _csv(OPTIN_COLUMNS, optin_rows(store), OPTIN_RAW_COLUMNS)


def to_ics(store: Store, as_of: date, days: int = 30) -> str:
    """Upcoming follow-ups and timed asks (the engine's agenda) as all-day calendar events."""
    return _ics(store, as_of, days)[0]


def _ics(store: Store, as_of: date, days: int = 30) -> tuple[str, int]:
    """The calendar and how many events it holds."""
    from datetime import UTC, datetime, timedelta

    from icalendar import Calendar, Event

    from netapp import engine
    from netapp.engine.wording import ask_labels, ask_words

    cal = Calendar()
    cal.add("prodid", "-//netapp//follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "netapp follow-ups")
    stamp = datetime.now(UTC).replace(microsecond=0)
    events = 0
    labels = ask_labels(store)  # an ask by its ladder label, as Today words it
    for step in engine.agenda(store, as_of, days=days):
        if step.kind == "none" or step.due is None:
            continue
        what = {
            "follow-up": "Follow up with",
            "give-value": "Give value to",
            "ask": "Ask",
            "keep-in-touch": "Keep in touch with",
        }.get(step.kind, step.kind)
        summary = f"{what} {step.display_name}"
        if step.kind == "ask" and step.ask:
            summary = f"Ask {step.display_name}: {ask_words(step.ask, labels)}"
        ev = Event()
        ev.add("uid", f"netapp-{step.person_id}-{step.kind}-{step.due.isoformat()}@netapp")
        ev.add("dtstamp", stamp)
        due = max(step.due, as_of)
        ev.add("dtstart", due)
        ev.add("dtend", due + timedelta(days=1))
        ev.add("summary", summary)
        if step.reason:
            ev.add("description", step.reason)
        ev.add("categories", ["netapp", step.kind])
        cal.add_component(ev)
        events += 1
    return cal.to_ical().decode("utf-8"), events


def to_json(store: Store) -> str:
    from netapp.interchange.json_backup import dumps

    return dumps(store)


def is_encrypted(store: Store) -> bool:
    """Whether the database is encrypted (plain-file exports then deserve a warning)."""
    return store.is_encrypted


def render(
    store: Store, fmt: str, *, ids: Iterable[int] | None = None, as_of: date | None = None
) -> str:
    if fmt == "vcard":
        return to_vcard(store, ids, "4.0")
    if fmt == "vcard3":
        return to_vcard(store, ids, "3.0")
    if fmt == "csv":
        return to_csv(store, ids)
    if fmt == "optins":
        return to_optins(store)
    if fmt == "ics":
        return to_ics(store, as_of or date.today())
    if fmt == "json":
        return to_json(store)
    raise ValidationError("format", f"{fmt!r} is not one of {', '.join(FORMATS)}")


@dataclass(frozen=True)
class Exported:
    """What an export wrote."""

    bytes: int
    records: int  # people, opt-in rows or calendar events in the file


def export_to_file(
    store: Store,
    fmt: str,
    path: str | Path,
    *,
    ids: Iterable[int] | None = None,
    as_of: date | None = None,
) -> Exported:
    """Render and write an export; says how many bytes and records it wrote."""
    ids = None if ids is None else list(ids)
    if fmt == "optins":
        rows = optin_rows(store)
        text, records = _csv(OPTIN_COLUMNS, rows, OPTIN_RAW_COLUMNS), len(rows)
    elif fmt == "ics":
        text, records = _ics(store, as_of or date.today())
    else:
        text = render(store, fmt, ids=ids, as_of=as_of)
        # One record per id asked for (people() refuses an unknown one), or everyone.
        records = store.people.count() if ids is None else len(ids)
    write_output(path, text, database=store.path)
    return Exported(len(text.encode("utf-8")), records)
