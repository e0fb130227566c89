"""Quick capture after a meeting: who was there, what was said, and one-key marks.

``save_capture`` writes a whole capture in one transaction: the meeting (picked or created),
new people or repeat contacts, attendance and the interactions the marks stand for.
``undo_capture`` takes the whole capture back out. The rules live here, not in ``ui/``.

What each row writes:
- a new person (``people.capture_id`` = the capture), unless the row names an existing
  person (``person_id``): then it is a repeat contact and only missing emails, phones and
  tags are added to them;
- attendance at the meeting;
- a ``met`` interaction at the meeting carrying the row's note and what they asked for;
- "gave value": a ``value-given`` interaction;
- "follow up": the tag ``follow-up`` (visible in People, filterable, removed by undo).

What was added to existing people is journalled in the ``drafts`` table under
``capture:<id>`` so that undo removes exactly that and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from netapp import fields as F
from netapp.change import Change, Heavy, already_done, reversible
from netapp.domain import (
    FOLLOW_UP_TAG,
    Email,
    Interaction,
    Kind,
    Person,
    Phone,
    Topic,
    json_fields,
)
from netapp.errors import NetappError, NotFoundError, ValidationError
from netapp.store import Store

# rapidfuzz token_sort_ratio (0-100) at or above which two names at one organisation are
# "very similar".
SIMILAR_NAME = 85.0


@dataclass
class CaptureMeeting:
    """The meeting a capture belongs to: an existing one (``id``) or one to create."""

    id: int | None = None
    name: str = ""
    date: str = ""
    group: str = ""  # group name; created when new
    venue: str = ""


@dataclass
class CaptureRow:
    """One business card's worth of what the user typed."""

    name: str = ""
    org: str = ""
    contact: str = ""  # emails and/or phones, separated by commas or semicolons
    note: str = ""
    tags: str = ""  # separated by commas or spaces; a leading # is fine
    person_id: int | None = None  # picked from the completion: a repeat contact
    gave_value: bool = False
    asked_for: str = ""  # "they asked for…"
    follow_up: bool = False

    def is_blank(self) -> bool:
        return not any(
            (
                self.name.strip(),
                self.org.strip(),
                self.contact.strip(),
                self.note.strip(),
                self.tags.strip(),
                self.asked_for.strip(),
                self.person_id,
                self.gave_value,
                self.follow_up,
            )
        )

    def to_json(self) -> dict[str, Any]:
        return json_fields(self)

    @classmethod
    def from_json(cls, data: Any) -> CaptureRow:
        """Rebuild a row from a saved draft; anything malformed becomes an empty field."""
        if not isinstance(data, dict):
            return cls()
        text = {k: data.get(k) for k in ("name", "org", "contact", "note", "tags", "asked_for")}
        pid = data.get("person_id")
        return cls(
            **{k: v if isinstance(v, str) else "" for k, v in text.items()},
            person_id=pid if isinstance(pid, int) and not isinstance(pid, bool) else None,
            gave_value=data.get("gave_value") is True,
            follow_up=data.get("follow_up") is True,
        )


@dataclass
class Duplicate:
    person_id: int
    display_name: str
    org: str
    reason: str


@dataclass
class Contact:
    emails: list[str] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)


_SPLIT = re.compile(r"[;,]")


def split_contact(store: Store, text: str) -> Contact:
    """Emails (anything with an @, validated) and phones (normalised to E.164 when possible)."""
    out = Contact()
    for part in _SPLIT.split(text or ""):
        part = part.strip()
        if not part:
            continue
        if "@" in part:
            out.emails.append(F.validate_email(part))
        else:
            if not any(ch.isdigit() for ch in part):
                raise ValidationError("email or phone", f"{part!r} is neither an email nor a phone")
            out.phones.append(F.normalize_phone(part, store.settings["phone.region"]))
    return out


def split_tags(text: str) -> list[str]:
    return sorted({F.normalize_tag(t) for t in re.split(r"[,\s]+", text or "") if t.strip("# ")})


def suggest_people(store: Store, text: str, limit: int = 8) -> list[dict[str, Any]]:
    """People whose name (or organisation, email…) starts with what was typed, best first."""
    return store.people.search(text, limit=limit)


def likely_duplicates(store: Store, row: CaptureRow) -> list[Duplicate]:
    """Existing people this row probably is: same email or phone, or a very similar name at
    the same organisation (or the exact same name). A row linked to a person has none."""
    if row.person_id is not None:
        return []
    found: dict[int, Duplicate] = {}

    def add(rows: list[dict[str, Any]], reason: str) -> None:
        for r in rows:
            found.setdefault(r["id"], Duplicate(r["id"], r["display_name"], r["org"], reason))

    try:
        contact = split_contact(store, row.contact)
    except ValidationError:
        contact = Contact()
    for email in contact.emails:
        add(
            store.db.query(
                "SELECT p.id, p.display_name, p.org FROM person_emails e JOIN people p "
                "ON p.id = e.person_id WHERE e.email = ? COLLATE NOCASE LIMIT 5",
                [email],
            ),
            f"same email {email}",
        )
    for phone in contact.phones:
        add(
            store.db.query(
                "SELECT p.id, p.display_name, p.org FROM person_phones ph JOIN people p "
                "ON p.id = ph.person_id WHERE ph.phone = ? LIMIT 5",
                [phone.number],
            ),
            f"same phone {phone.number}",
        )
    name = F.nfc(" ".join(row.name.split()))
    if name:
        add(
            store.db.query(
                "SELECT id, display_name, org FROM people WHERE display_name = ? COLLATE NOCASE "
                "LIMIT 5",
                [name],
            ),
            "same name",
        )
        org = F.nfc(" ".join(row.org.split()))
        if org:
            add(_similar_at(store, name, org), f"similar name at {org}")
    return list(found.values())


def _similar_at(store: Store, name: str, org: str) -> list[dict[str, Any]]:
    """People at ``org`` whose name is very like ``name``."""
    from rapidfuzz import fuzz

    key = F.fold(name)
    # Same organisation uses the people_org index; an organisation has few people.
    same_org = store.db.query(
        "SELECT id, display_name, org FROM people WHERE org = ? COLLATE NOCASE LIMIT 2000",
        [org],
    )
    return [
        r for r in same_org if fuzz.token_sort_ratio(key, F.fold(r["display_name"])) >= SIMILAR_NAME
    ]


def _row_error(n: int, exc: ValidationError) -> ValidationError:
    return ValidationError(f"row {n}, {exc.field}", exc.message)


def _resolve_meeting(store: Store, meeting: CaptureMeeting | int) -> tuple[int, bool]:
    """The meeting id, and whether it was created here."""
    if isinstance(meeting, int):
        store.meetings.get(meeting)
        return meeting, False
    if meeting.id is not None:
        store.meetings.get(meeting.id)
        return meeting.id, False
    day = F.happened("date", meeting.date)
    group = F.clean_text("group", meeting.group)
    group_id = store.groups.ensure(group) if group else None
    name = F.clean_text("meeting", meeting.name) or group or "Meeting"
    venue = meeting.venue
    if not venue and group_id is not None:
        venue = store.groups.get(group_id).venue
    return store.meetings.add(name, day, group_id=group_id, venue=venue), True


class Cancelled(NetappError):
    """The user cancelled a save: nothing was written."""


# Rows between two calls of save_capture's ``progress`` and ``cancel`` callbacks.
PROGRESS_EVERY = 25
# A capture of this many people or more takes longer than a blink (about 200 ms) to undo or
# redo at 100,000 people; the app runs those on a worker thread (see capture_saved).
HEAVY_ROWS = 100


def check_meeting(store: Store, meeting: CaptureMeeting | int) -> None:
    """What can be told about the meeting before the rows are written (the app asks before it
    starts a save): a new meeting's date and names are checked, an existing one must exist and
    have happened. Raises ValidationError naming the field. :func:`save_capture` checks again
    inside its transaction."""
    if isinstance(meeting, CaptureMeeting) and meeting.id is None:
        F.happened("date", meeting.date)
        F.clean_text("group", meeting.group)
        F.clean_text("meeting", meeting.name)
        return
    mid = meeting if isinstance(meeting, int) else meeting.id
    assert mid is not None
    _refuse_planned(store.meetings.get(mid).date)


def _refuse_planned(day: str) -> None:
    if F.is_planned(day):
        raise ValidationError(
            "date",
            f"the meeting on {day} is planned, not held yet: "
            "capture the people you met once it has happened",
        )


def save_capture(
    store: Store,
    meeting: CaptureMeeting | int,
    rows: list[CaptureRow],
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> int:
    """Write a whole capture in one transaction and return its id.

    Blank rows are skipped. A row with a problem raises ``ValidationError`` naming the row
    and the field, and nothing at all is written. ``progress(done, total)`` hears every
    :data:`PROGRESS_EVERY` rows; when ``cancel()`` turns true, :class:`Cancelled` is raised
    and nothing is written.
    """
    todo = [(n, r) for n, r in enumerate(rows, 1) if not r.is_blank()]
    if not todo:
        raise ValidationError("rows", "nothing to save: type at least one name")
    parsed = _check_rows(store, todo)
    journal: dict[str, Any] = {"created_meeting": False, "added": []}
    touched: set[int] = set()
    with store.atomic():
        mid, created = _resolve_meeting(store, meeting)
        journal["created_meeting"] = created
        day = store.meetings.get(mid).date
        _refuse_planned(day)
        cid = store.captures.add(mid)
        for done, (n, row, contact, tags) in enumerate(parsed):
            if done % PROGRESS_EVERY == 0:
                _tick(done, len(parsed), progress, cancel)
            try:
                touched.add(_save_row(store, cid, mid, day, row, contact, tags, journal))
            except ValidationError as exc:
                raise _row_error(n, exc) from None
            except NotFoundError:
                raise ValidationError(
                    f"row {n}, name", f"the person picked (id {row.person_id}) no longer exists"
                ) from None
        store.captures.save_journal(cid, journal)
        store.changed(Topic.CAPTURES, touched)
        _tick(len(parsed), len(parsed), progress, cancel)
    return cid


def _tick(
    done: int,
    total: int,
    progress: Callable[[int, int], None] | None,
    cancel: Callable[[], bool] | None,
) -> None:
    if cancel is not None and cancel():
        raise Cancelled("capture cancelled: nothing was saved")
    if progress is not None:
        progress(done, total)


def _save_row(
    store: Store,
    cid: int,
    mid: int,
    day: str,
    row: CaptureRow,
    contact: Contact,
    tags: list[str],
    journal: dict[str, Any],
) -> int:
    """One row of a capture: the person (new, or what is new about a repeat contact, noted in
    the ``journal``), their attendance, the met note and the value given. Returns their id."""
    if row.follow_up:
        tags = sorted({*tags, FOLLOW_UP_TAG})
    if row.person_id is not None:
        pid = row.person_id
        journal["added"].append(_add_missing(store, pid, contact, tags))
    else:
        emails = [Email(e) for e in contact.emails]
        person = Person(
            display_name=row.name,
            org=row.org,
            emails=emails,
            phones=contact.phones,
            tags=tags,
            source="capture",
        )
        pid = store.people.add(person, capture_id=cid)
    store.meetings.attend(mid, pid, capture_id=cid)
    note = F.clean_text("note", row.note, multiline=True)
    asked = F.clean_text("note", row.asked_for)
    if asked:
        note = f"{note}\nThey asked for: {asked}".strip()
    if note or row.person_id is None:
        met = Interaction(person_id=pid, date=day, kind=Kind.MET, note=note, meeting_id=mid)
        store.interactions.add(met, capture_id=cid)
    if row.gave_value:
        gave = Interaction(
            person_id=pid,
            date=day,
            kind=Kind.VALUE_GIVEN,
            note="Gave value at the meeting",
            meeting_id=mid,
        )
        store.interactions.add(gave, capture_id=cid)
    return pid


def _check_rows(
    store: Store, todo: list[tuple[int, CaptureRow]]
) -> list[tuple[int, CaptureRow, Contact, list[str]]]:
    """Check every row before anything is written, so the message names the first bad row;
    return each with its contact details and tags parsed."""
    parsed: list[tuple[int, CaptureRow, Contact, list[str]]] = []
    for n, row in todo:
        try:
            contact, tags = check_row(store, row)
        except ValidationError as exc:
            raise _row_error(n, exc) from None
        parsed.append((n, row, contact, tags))
    return parsed


def check_row(store: Store, row: CaptureRow) -> tuple[Contact, list[str]]:
    """One row's problems, before anything is written (the grid checks each row as it is
    typed): raises ValidationError naming the field; returns its contact details and tags."""
    if row.person_id is None and not row.name.strip():
        raise ValidationError("name", "a person needs a name")
    F.clean_text("display_name", row.name)
    F.clean_text("org", row.org)
    F.clean_text("note", row.note, multiline=True)
    F.clean_text("note", row.asked_for)
    return split_contact(store, row.contact), split_tags(row.tags)


def _add_missing(store: Store, pid: int, contact: Contact, tags: list[str]) -> dict[str, Any]:
    """Add emails, phones and tags the existing person lacks; return what was added."""
    person = store.people.get(pid)
    have_emails = {e.address.casefold() for e in person.emails}
    have_phones = {p.number for p in person.phones}
    new_emails = [e for e in contact.emails if e.casefold() not in have_emails]
    new_phones = [p for p in contact.phones if p.number not in have_phones]
    new_tags = [t for t in tags if t not in person.tags]
    if new_emails or new_phones or new_tags:
        store.people.update(
            pid,
            emails=[*person.emails, *(Email(e) for e in new_emails)],
            phones=[*person.phones, *new_phones],
            tags=[*person.tags, *new_tags],
        )
    return {
        "person_id": pid,
        "emails": new_emails,
        "phones": [p.number for p in new_phones],
        "tags": new_tags,
    }


def capture_summary(store: Store, capture_id: int) -> dict[str, Any]:
    """How many people a capture created, how many repeat contacts, and the meeting."""
    row = store.db.query("SELECT meeting_id FROM captures WHERE id = ?", [capture_id])
    if not row:
        raise NotFoundError(f"capture {capture_id} not found")
    attended = store.db.scalar("SELECT count(*) FROM attendance WHERE capture_id = ?", [capture_id])
    new = store.db.scalar("SELECT count(*) FROM people WHERE capture_id = ?", [capture_id])
    return {
        "meeting_id": row[0]["meeting_id"],
        "new_people": int(new),
        "repeat_contacts": int(attended) - int(new),
    }


def undo_capture(store: Store, capture_id: int) -> None:
    """Remove everything one capture wrote, in one transaction.

    Refuses (``ValidationError``) when a person it created has history from elsewhere since,
    because undoing would then delete more than the capture.
    """
    rows = store.db.query("SELECT meeting_id FROM captures WHERE id = ?", [capture_id])
    if not rows:
        raise NotFoundError(f"capture {capture_id} not found")
    mid = rows[0]["meeting_id"]
    journal = store.captures.journal(capture_id)
    created = [
        r["id"] for r in store.db.query("SELECT id FROM people WHERE capture_id = ?", [capture_id])
    ]
    if created:
        marks = ",".join("?" * len(created))
        other = store.db.scalar(
            f"SELECT count(*) FROM interactions WHERE person_id IN ({marks}) "
            "AND (capture_id IS NOT ? OR capture_id IS NULL)",
            [*created, capture_id],
        )
        other += store.db.scalar(
            f"SELECT count(*) FROM attendance WHERE person_id IN ({marks}) "
            "AND (capture_id IS NOT ? OR capture_id IS NULL)",
            [*created, capture_id],
        )
        if other:
            raise ValidationError(
                "capture",
                "people from this capture have new history since; delete them one by one instead",
            )
    touched = set(created) | {
        r["person_id"]
        for r in store.db.query(
            "SELECT person_id FROM attendance WHERE capture_id = ?", [capture_id]
        )
    }
    with store.atomic():
        for added in journal.get("added", []):
            _remove_added(store, added)
        store.db.conn.execute("DELETE FROM interactions WHERE capture_id = ?", [capture_id])
        store.db.conn.execute("DELETE FROM attendance WHERE capture_id = ?", [capture_id])
        for pid in created:
            store.db.conn.execute("DELETE FROM people WHERE id = ?", [pid])
        if journal.get("created_meeting") and mid is not None:
            left = store.db.scalar("SELECT count(*) FROM attendance WHERE meeting_id = ?", [mid])
            if not left:
                store.db.conn.execute("DELETE FROM meetings WHERE id = ?", [mid])
        store.db.conn.execute("DELETE FROM captures WHERE id = ?", [capture_id])
        store.db.conn.execute("DELETE FROM capture_journal WHERE capture_id = ?", [capture_id])
        store.changed(Topic.PEOPLE, touched)
        store.changed(Topic.MEETINGS, touched)
        store.changed(Topic.INTERACTIONS, touched)


def _remove_added(store: Store, added: dict[str, Any]) -> None:
    pid = added.get("person_id")
    if not isinstance(pid, int):
        return
    for email in added.get("emails", []):
        store.db.conn.execute(
            "DELETE FROM person_emails WHERE person_id = ? AND email = ?", [pid, email]
        )
    for phone in added.get("phones", []):
        store.db.conn.execute(
            "DELETE FROM person_phones WHERE person_id = ? AND phone = ?", [pid, phone]
        )
    for tag in added.get("tags", []):
        store.db.conn.execute("DELETE FROM person_tags WHERE person_id = ? AND tag = ?", [pid, tag])


def save_capture_undoable(
    store: Store, meeting: CaptureMeeting | int, rows: list[CaptureRow]
) -> Change:
    """Save a capture (:func:`save_capture`); undo removes the whole capture
    (:func:`undo_capture`), redo saves it again. The Change's result is the capture id."""
    return reversible(
        _label(rows),
        lambda: save_capture(store, meeting, rows),
        lambda cid: undo_capture(store, cid),
    )


def capture_saved(
    store: Store, meeting: CaptureMeeting | int, rows: list[CaptureRow], capture_id: int
) -> Change:
    """The Change of a capture already saved as ``capture_id`` (by :func:`save_capture` on a
    worker's own connection), with its undo and redo bound to ``store``. A capture of
    :data:`HEAVY_ROWS` people or more is a heavy Change: the app runs its undo and redo on a
    worker's connection too (its ``elsewhere``), with progress."""
    if sum(not r.is_blank() for r in rows) >= HEAVY_ROWS:
        heavy: Heavy[Store, int] = Heavy(
            _label(rows),
            store,
            lambda own, cancel, progress: save_capture(own, meeting, rows, progress, cancel),
            undo_capture,
        )
        return heavy.done(capture_id)
    return already_done(
        _label(rows),
        capture_id,
        lambda: save_capture(store, meeting, rows),
        lambda cid: undo_capture(store, cid),
    )


def _label(rows: list[CaptureRow]) -> str:
    return f"capture of {sum(not r.is_blank() for r in rows)} people"
