"""Consent to email: record opt-ins (card code, paper, verbal, web, an email tool's export),
withdraw them, and forget a person completely.

A card code is matched to its printed batch and meeting with
``store.card_batches.lookup`` (which checks the code's check character first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from netapp import card_codes as codes
from netapp import fields as F
from netapp.change import Change
from netapp.domain import Consent, ConsentMethod, Email, Person, json_fields, parse_enum
from netapp.errors import NotFoundError, ValidationError
from netapp.interchange.records import Skip
from netapp.store import Store, now_iso

_EMAIL_COLS = ("email address", "email", "e-mail", "e-mail address", "email_address", "mail")
_TIME_COLS = (
    "optin_time",
    "confirm_time",
    "opt-in time",
    "subscribed_at",
    "subscribed",
    "created_at",
    "signup date",
    "date added",
    "created",
    "timestamp",
    "date",
)
_SOURCE_COLS = ("source", "signup_source", "referrer", "signup_url", "url", "landing_page", "form")
_REF = re.compile(r"[?&]ref=([A-Za-z0-9-]{4,40})", re.I)


@dataclass
class OptinResult:
    person_id: int
    consent_id: int
    display_name: str
    created_person: bool = False
    meeting_id: int | None = None
    card_code: str = ""
    added_email: str = ""  # an address the opt-in added to a person already stored

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in json_fields(self).items() if k != "added_email"}


def _when(value: str | None) -> str:
    if not value:
        return now_iso()
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return F.happened("date", text)
    from datetime import datetime

    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        raise ValidationError("date", f"{value!r} is not a date (YYYY-MM-DD)") from None


def _is_card_code(store: Store, ref: str) -> bool:
    """Whether ``ref`` names a card rather than a person: shaped like a card code (however it
    was typed). A mistyped code is still a code (its check then says so), unless a person has
    that exact name or id (a seven-letter name such as "Stewart" can look like a code)."""
    if not codes.looks_like_code(ref):
        return False
    if codes.is_valid(ref):
        return True
    text = ref.strip()
    if text.isdigit():
        return not store.db.query("SELECT 1 FROM people WHERE id = ?", [F.record_id(text) or -1])
    return not store.people.ids_by_name(text)


def _person_or_code_error(store: Store, ref: str) -> int:
    """The person ``ref`` names; when there is none and ``ref`` looks like a card code typed
    wrong (a character missing or doubled, a 0 or an I), say what is wrong with the code."""
    try:
        return int(store.people.find(ref).id or 0)
    except NotFoundError:
        if not codes.near_code(ref):
            raise
        try:
            codes.validate(ref)
        except ValidationError as bad:
            name = " ".join(ref.split())
            raise ValidationError(
                "code", f"{bad.message}; no person is named {name!r} either"
            ) from None
        raise


def person_by_email(store: Store, email: str) -> int | None:
    rows = store.db.query(
        "SELECT person_id FROM person_emails WHERE email = ? COLLATE NOCASE ORDER BY person_id "
        "LIMIT 1",
        [email],
    )
    return int(rows[0]["person_id"]) if rows else None


def record_optin(
    store: Store,
    ref: str,
    *,
    email: str | None = None,
    method: str | None = None,
    when: str | None = None,
    name: str | None = None,
    wording: str = "",
) -> OptinResult:
    """Record an opt-in for a card code (matched to its batch and meeting) or a person.

    For a card code, the person is found by ``email`` (or created, named ``name`` or after the
    email address). For a person reference (id or exact name), ``email`` defaults to their
    first address and is added to them when new."""
    obtained = _when(when)
    address = F.validate_email(email) if email else ""
    code = ""
    meeting_id: int | None = None
    created = False
    if _is_card_code(store, ref):
        batch, meeting = store.card_batches.lookup(ref)
        code = codes.validate(ref)
        used = store.db.query(
            "SELECT c.person_id, p.display_name FROM consents c JOIN people p "
            "ON p.id = c.person_id WHERE c.card_code = ? LIMIT 1",
            [code],
        )
        if used:
            raise ValidationError(
                "code",
                f"card {codes.display(code)} was already used for {used[0]['display_name']} "
                f"(person {used[0]['person_id']})",
            )
        if not address:
            raise ValidationError("email", "a card opt-in needs the email written on the card")
        meeting_id = meeting.id if meeting else batch.meeting_id
        wording = wording or batch.offer or batch.campaign
        kind = parse_enum(ConsentMethod, method or ConsentMethod.CARD, "method")
        person_id = person_by_email(store, address)
    else:
        kind = parse_enum(ConsentMethod, method or ConsentMethod.VERBAL, "method")
        person_id = _person_or_code_error(store, ref)
    with store.atomic():
        if person_id is None:
            display = (name or "").strip() or address
            person_id = store.people.add(
                Person(display_name=display, emails=[Email(address)], source="opt-in")
            )
            created = True
        person = store.people.get(person_id)
        added = ""
        if address and address.casefold() not in {e.address.casefold() for e in person.emails}:
            store.people.update(person_id, emails=[*person.emails, Email(address)])
            added = "" if created else address
        if not address:
            if not person.emails:
                raise ValidationError(
                    "email", f"{person.display_name} has no email address; give one with --email"
                )
            address = person.emails[0].address
        cid = store.consents.add(
            Consent(
                person_id=person_id,
                email=address,
                method=kind,
                obtained_at=obtained,
                meeting_id=meeting_id,
                card_code=code,
                wording=wording,
                source="card" if code else kind.value,
            )
        )
    return OptinResult(person_id, cid, person.display_name, created, meeting_id, code, added)


def record_optin_undoable(store: Store, ref: str, **options: Any) -> Change:
    """Record an opt-in (:func:`record_optin`, whose keyword arguments ``options`` takes);
    undo takes back what it wrote (the person it created, or the consent and the address it
    added), redo records it again. The Change's result is the :class:`OptinResult`."""
    result = record_optin(store, ref, **options)
    label = f"record opt-in of {result.display_name}"

    def take_back() -> Change:
        with store.atomic():
            if result.created_person:
                store.people.delete(result.person_id)
            else:
                store.consents.delete(result.consent_id)
                if result.added_email:
                    emails = store.people.get(result.person_id).emails
                    kept = [e for e in emails if e.address != result.added_email]
                    store.people.update(result.person_id, emails=kept)
        return Change(label, lambda: record_optin_undoable(store, ref, **options))

    return Change(label, take_back, result)


def withdraw(store: Store, ref: str, when: str | None = None) -> tuple[int, int]:
    """Withdraw every active consent of a person (id, exact name or email).
    Returns (person id, consents withdrawn)."""
    pid = person_by_email(store, ref) if "@" in ref else None
    if pid is None:
        pid = int(store.people.find(ref).id or 0)
    return pid, store.consents.withdraw(pid, _when(when) if when else None)


@dataclass
class SubscriberImport:
    file: str
    matched: int = 0
    skipped: list[Skip] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "matched": self.matched,
            "skipped": [s.to_json() for s in self.skipped],
        }


def _ref_code(cells: list[str]) -> str:
    for cell in cells:
        m = _REF.search(cell)
        if m:
            return m[1]
        if cell.lower().startswith(("http://", "https://")):
            q = parse_qs(urlsplit(cell).query)
            if q.get("ref"):
                return q["ref"][0]
    return ""


@dataclass(frozen=True)
class _Columns:
    """Where a subscriber export keeps the address, the signup time and the source."""

    email: int
    time: int | None
    source: int | None

    @staticmethod
    def cell(row: list[str], i: int | None) -> str:
        return row[i].strip() if i is not None and i < len(row) else ""


def import_subscribers(store: Store, path: str | Path) -> SubscriberImport:
    """Attach an email tool's subscriber export (Mailchimp and others) as consents, matching
    people by email. Each row gets its signup time and source, and the card code from a
    ``ref=`` parameter in any URL column. One transaction."""
    from netapp.interchange.csvformats import read_table
    from netapp.interchange.importer import read_file

    file = str(path)
    _layout, _hl, headers, rows, skips = read_table(read_file(path), file)
    result = SubscriberImport(file, skipped=list(skips))
    norm = [" ".join(h.split()).casefold() for h in headers]

    def col(names: tuple[str, ...]) -> int | None:
        return next((norm.index(n) for n in names if n in norm), None)

    email = col(_EMAIL_COLS)
    if email is None:
        from netapp.interchange.records import ImportFileError

        raise ImportFileError(file, "no email column found in the header", _hl)
    cols = _Columns(email, col(_TIME_COLS), col(_SOURCE_COLS))
    with store.atomic():
        for line, row in rows:
            problem = _add_subscriber(store, file, row, cols)
            if problem:
                result.skipped.append(Skip(line, problem))
            else:
                result.matched += 1
    return result


def _add_subscriber(store: Store, file: str, row: list[str], cols: _Columns) -> str:
    """Record one subscriber row's consent; the reason it was skipped, or ""."""
    typed = cols.cell(row, cols.email)
    try:
        address = F.validate_email(typed)
    except ValidationError:
        return f"{typed[:80]!r} is not an email address"
    pid = person_by_email(store, address)
    if pid is None:
        return f"no person with email {address}"
    active = store.db.scalar(
        "SELECT 1 FROM consents WHERE person_id = ? AND email = ? COLLATE NOCASE "
        "AND withdrawn_at IS NULL",
        [pid, address],
    )
    if active:
        return f"{address} has already opted in"
    try:
        when = _when(cols.cell(row, cols.time)) if cols.cell(row, cols.time) else now_iso()
    except ValidationError:
        when = now_iso()
    code, meeting_id, wording = _ref_code(list(row)), None, ""
    if code:
        try:
            batch, meeting = store.card_batches.lookup(code)
            code = codes.validate(code)
            meeting_id = meeting.id if meeting else batch.meeting_id
            wording = batch.offer or batch.campaign
        except (ValidationError, NotFoundError):
            pass  # a ref that is not one of our cards is still kept as evidence
    source = cols.cell(row, cols.source) or Path(file).name
    store.consents.add(
        Consent(
            person_id=pid,
            email=address,
            method=ConsentMethod.IMPORT,
            obtained_at=when,
            meeting_id=meeting_id,
            card_code=code[:100],
            wording=wording,
            source=source[:2000],
        )
    )
    return ""


@dataclass
class OptinExport:
    path: str
    rows: int  # people written: one row each, by email address
    consenting: int  # people with an active (not withdrawn) consent
    people: int  # everyone in the database

    @property
    def left_out(self) -> int:
        """People with consent but no row: no address, or an address already written."""
        return self.consenting - self.rows


def export_optins(store: Store, path: str | Path) -> OptinExport:
    """Write the opt-ins export and say how many people it holds, of how many who consented,
    of everyone."""
    from netapp.interchange.export import export_to_file

    written = export_to_file(store, "optins", path)
    consenting = int(
        store.db.scalar("SELECT count(DISTINCT person_id) FROM consents WHERE withdrawn_at IS NULL")
    )
    return OptinExport(str(path), written.records, consenting, store.people.count())
