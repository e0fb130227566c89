"""Cards on the server as netapp sees them: the fields it syncs, read and written in place.

netapp syncs the fields it shows: the name (FN and N), organisation (ORG), title, emails,
phones, birthday and tags (CATEGORIES), and the note only when the user includes it. A card
is read with interchange's vCard reader (the same quirks as an import) and validated with the
same field rules. It is written back by *patching*: the physical lines of every property
netapp did not change (photos, addresses, ``X-`` fields, labels, and synced fields that did
not change) are kept byte for byte; only the changed fields' properties are replaced, with
lines from interchange's vCard writer.

Fields are compared in a canonical form (:func:`canon`: written as a card and read back), so
that a label spelled ``Home`` in netapp and ``HOME`` on the server is not a change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from netapp import fields as F
from netapp.domain import ContactKind, Email, Person, Phone
from netapp.errors import NetappError, ValidationError
from netapp.interchange import vcard as V
from netapp.interchange.records import make_record
from netapp.sync.carddav.merge import Fields

# The vCard properties that hold each synced field.
FIELD_PROPS: dict[str, frozenset[str]] = {
    "name": frozenset({"FN", "N"}),
    "org": frozenset({"ORG"}),
    "title": frozenset({"TITLE"}),
    "emails": frozenset({"EMAIL"}),
    "phones": frozenset({"TEL"}),
    "birthday": frozenset({"BDAY"}),
    "tags": frozenset({"CATEGORIES"}),
    "note": frozenset({"NOTE"}),
}
FIELD_NAMES = {
    "name": "name",
    "org": "organisation",
    "title": "title",
    "emails": "email",
    "phones": "phone",
    "birthday": "birthday",
    "tags": "tags",
    "note": "note",
}
_LINES = re.compile(rb"\r\n|\n|\r")
_END = re.compile(rb"^\s*END\s*:\s*VCARD\s*$", re.I)
_GROUP = re.compile(rb"^([A-Za-z0-9-]+)\.")


def fields_of(p: Person, note: bool) -> Fields:
    """The synced fields of a person, as plain JSON-able values."""
    out: Fields = {
        "name": [p.display_name, p.given_name, p.family_name],
        "org": [p.org, p.department],
        "title": p.title,
        "emails": [[e.address, e.label] for e in p.emails],
        "phones": [[ph.number, ph.label] for ph in p.phones],
        "birthday": p.birthday,
        "tags": sorted(p.tags),
    }
    if note:
        out["note"] = p.note
    return out


def with_fields(p: Person, f: Fields) -> Person:
    """``p`` with the synced fields set from ``f`` (the others as they are)."""
    out = replace(p)
    out.display_name, out.given_name, out.family_name = f["name"]
    out.org, out.department = f["org"]
    out.title = f["title"]
    out.emails = [Email(a, label) for a, label in f["emails"]]
    out.phones = [Phone(n, label, F.is_e164(n)) for n, label in f["phones"]]
    out.birthday = f["birthday"]
    out.tags = list(f["tags"])
    if "note" in f:
        out.note = f["note"]
    return out


def changes(before: Fields, after: Fields) -> dict[str, Any]:
    """The person fields to write (``store.people.update`` keywords) to go from one to the other."""
    out: dict[str, Any] = {}
    target = with_fields(Person(), after)
    for name in after:
        if before.get(name) == after[name]:
            continue
        attrs = {
            "name": ("display_name", "given_name", "family_name"),
            "org": ("org", "department"),
        }.get(name, (name,))
        for attr in attrs:
            out[attr] = getattr(target, attr)
    return out


class CardError(NetappError):
    """A card on the server that netapp cannot read as a person (a group, a broken card)."""


@dataclass
class _Span:
    name: str  # upper case property name
    group: str  # lower case group, "" when none
    start: int  # index of its first physical line
    end: int  # index after its last physical line


@dataclass
class ServerCard:
    """One card as the server holds it: physical lines, and which lines each property is."""

    lines: list[bytes]
    spans: list[_Span]
    end: int  # index of the END:VCARD line
    version: str
    uid: str
    person: Person = field(default_factory=Person)  # what netapp reads from it
    modified: str = ""  # REV, else the server's last-modified date, "" when neither

    def fields(self, note: bool, region: str) -> Fields:
        return canon(fields_of(self.person, note), region)


def parse(data: bytes, region: str, href: str = "card") -> ServerCard:
    """Read a server card. Raises CardError when it is not a person netapp can keep."""
    try:
        found = next(iter(V.iter_cards(data, href)), None)
    except NetappError as exc:
        raise CardError(str(exc)) from None
    if found is None or isinstance(found[1], str):
        raise CardError(found[1] if found else "no card in it")
    card = found[1]
    props = card.props
    lines = _LINES.split(data)
    end = next((i for i in range(len(lines) - 1, -1, -1) if _END.match(lines[i])), len(lines))
    spans = []
    for n, prop in enumerate(props):
        stop = props[n + 1].line - 1 if n + 1 < len(props) else end
        spans.append(_Span(prop.name, prop.group, prop.line - 1, stop))
    raw = V.card_to_raw(card)
    if isinstance(raw, str):
        raise CardError(raw)
    try:
        person = make_record(raw, region).person
    except ValidationError as exc:
        raise CardError(str(exc)) from None
    version = next((p.text().strip() for p in props if p.name == "VERSION"), "3.0")
    uid = next((p.text().strip() for p in props if p.name == "UID"), "")
    rev = next((p.text().strip() for p in props if p.name == "REV"), "")
    return ServerCard(lines, spans, end, version, uid, _split(person), rev)


def _split(p: Person) -> Person:
    """A name without given and family name is split, as the store does when it saves it."""
    named = p.given_name or p.family_name or "@" in p.display_name
    if not named and p.kind is ContactKind.PERSON:
        p.given_name, p.family_name = F.split_name(p.display_name)
    return p


def render(f: Fields, version: str = "3.0", uid: str = "") -> bytes:
    """A whole card holding just the synced fields ``f`` (a new card on the server)."""
    person = with_fields(Person(uuid=uid), f)
    if "note" not in f:
        person.note = ""
    text = V.person_to_vcard(person, "4.0" if version.startswith("4") else "3.0")
    lines = text.split("\r\n")
    lines.insert(-2, f"REV:{_rev(version)}")
    return "\r\n".join(lines).encode("utf-8")


def canon(f: Fields, region: str) -> Fields:
    """``f`` written as a card and read back: the form both sides are compared in."""
    card = parse(render(f), region)
    return fields_of(card.person, "note" in f)


def _rev(version: str) -> str:
    now = datetime.now(UTC).replace(microsecond=0)
    return now.strftime("%Y%m%dT%H%M%SZ" if version.startswith("4") else "%Y-%m-%dT%H:%M:%SZ")


def patch(card: ServerCard, f: Fields, changed: set[str], region: str) -> bytes:
    """The server card with the ``changed`` fields replaced by their values in ``f``; every
    other physical line as it was. REV is set to now."""
    wanted: set[str] = set().union(*(FIELD_PROPS[c] for c in changed))
    dropped = [s for s in card.spans if s.name in wanted or s.name == "REV"]
    kept = [s for s in card.spans if s not in dropped]
    in_use = {s.group for s in kept if s.group and s.name != "X-ABLABEL"}
    gone = {s.group for s in dropped if s.group} - in_use
    kept = [s for s in kept if not (s.name == "X-ABLABEL" and s.group in gone)]
    fresh = parse(render(f, card.version), region)
    chosen = [s for s in fresh.spans if s.name in wanted]
    groups = {s.group for s in chosen if s.group}
    chosen += [s for s in fresh.spans if s.name == "X-ABLABEL" and s.group in groups]
    rename = _Renamer({s.group for s in kept if s.group})
    new_lines = [
        rename(line, s.group)
        for s in sorted(chosen, key=lambda s: s.start)
        for line in fresh.lines[s.start : s.end]
    ]
    new_lines.append(f"REV:{_rev(card.version)}".encode())
    where = min((s.start for s in dropped), default=card.end)
    keep = {i for s in kept for i in range(s.start, s.end)}
    in_props = {i for s in card.spans for i in range(s.start, s.end)}
    out: list[bytes] = []
    for i, line in enumerate(card.lines):
        if i == where:
            out += new_lines
        if i in keep or i not in in_props:
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return b"\r\n".join(out) + b"\r\n"


class _Renamer:
    """Item groups of new lines renamed so they do not clash with the kept ones."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = {g.lower() for g in taken}
        self.names: dict[str, bytes] = {}

    def __call__(self, line: bytes, group: str) -> bytes:
        if not group:
            return line
        if group not in self.names:
            n = 1
            while f"item{n}" in self.taken:
                n += 1
            self.taken.add(f"item{n}")
            self.names[group] = f"item{n}".encode()
        return _GROUP.sub(self.names[group] + b".", line, count=1)


def edit_time(card: ServerCard, fallback: str) -> datetime | None:
    """When the card was last edited: its REV, else the server's date, else None."""
    for text in (card.modified, fallback):
        when = parse_time(text)
        if when is not None:
            return when
    return None


def parse_time(text: str) -> datetime | None:
    """An ISO 8601 (basic or extended) or HTTP date as an aware UTC datetime, or None."""
    from email.utils import parsedate_to_datetime

    text = text.strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2})(?:[.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?", text)  # fmt: skip
    try:
        if m:
            hh, mm, ss = (int(x) if x else 0 for x in m.group(4, 5, 6))
            when = datetime(int(m[1]), int(m[2]), int(m[3]), hh, mm, ss, tzinfo=UTC)
            zone = m[7] or "Z"
            if zone != "Z":
                sign = 1 if zone[0] == "+" else -1
                digits = zone[1:].replace(":", "")
                from datetime import timedelta

                when -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            return when
        return parsedate_to_datetime(text).astimezone(UTC)
    except (ValueError, TypeError, OverflowError):
        return None
