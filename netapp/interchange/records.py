"""Shapes shared by the parsers and the importer, and the one place raw contacts are validated.

Parsers produce :class:`RawContact` values (text exactly as found in the file, decoded) and turn
them into :class:`Record` objects with :func:`make_record`, which applies the store's field rules
(``netapp.fields``). The policy for bad values, in one place:

* a text field longer than its cap in ``fields.LIMITS`` **skips the record** with the line number
  and the reason (we never silently truncate what the user will later rely on);
* an email address that fails the syntax check is dropped, with a warning on the record;
* a phone number that cannot be parsed is kept as typed and flagged ``valid=False``;
* a birthday that cannot be read is dropped, with a warning;
* a photo larger than ``fields.LIMITS["photo"]`` is dropped, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from netapp import fields as F
from netapp.domain import ContactDetails, Email, Person, Phone
from netapp.errors import NetappError, ValidationError

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

# Files larger than this are refused before they are read into memory.
MAX_FILE_BYTES = 256 * 1024 * 1024


class ImportFileError(NetappError):
    """A file cannot be imported at all. The message names the file and, when known, the line."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}: line {line}" if line else file
        super().__init__(f"{where}: {message}")


class NeedsMapping(ImportFileError):
    """A CSV whose header netapp does not recognise: the user must map its columns."""

    def __init__(self, file: str, headers: list[str], header_line: int) -> None:
        self.headers = headers
        self.header_line = header_line
        super().__init__(
            file,
            "unknown CSV layout; map its columns to fields (columns: "
            + ", ".join(repr(h) for h in headers[:12])
            + (", …" if len(headers) > 12 else "")
            + ")",
            header_line,
        )


class Cancelled(NetappError):
    """The user cancelled; nothing was written."""


@dataclass
class RawContact(ContactDetails):
    """One contact as read from a file, before validation: a person's details as declared
    once in :class:`netapp.domain.ContactDetails` (emails and phones as read, unchecked)."""

    line: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class Record:
    """A validated contact ready to import, with the line it started on."""

    line: int
    person: Person
    linkedin: str = ""  # normalised LinkedIn profile URL, "" when none
    warnings: list[str] = field(default_factory=list)


@dataclass
class Skip:
    line: int
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"line": self.line, "reason": self.reason}


@dataclass
class Parsed:
    """What a parser read from one file."""

    format: str
    records: list[Record] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)


_LINKEDIN = re.compile(r"^(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/(in|pub)/([^/?#\s]+)", re.I)


def linkedin_key(url: str) -> str:
    """A LinkedIn profile URL reduced to ``linkedin.com/in/<slug>`` (lower case), or ""."""
    m = _LINKEDIN.match(url.strip())
    if not m:
        return ""
    return f"linkedin.com/{m[1].lower()}/{m[2].lower().rstrip('/')}"


def make_record(raw: RawContact, region: str) -> Record:  # noqa: C901  split in #21
    """Validate ``raw`` with the store's field rules. Raises ValidationError when it must be
    skipped (over-long field, no name)."""
    warnings = list(raw.warnings)
    given = F.clean_text("given_name", raw.given_name)
    family = F.clean_text("family_name", raw.family_name)
    display = F.clean_text("display_name", raw.display_name)
    org = F.clean_text("org", raw.org)
    emails: list[Email] = []
    for raw_email in raw.emails:
        address, label = raw_email.address, raw_email.label
        if not address.strip():
            continue
        try:
            emails.append(Email(F.validate_email(address), F.clean_text("label", label)))
        except ValidationError as exc:
            if "limit is" in exc.message:
                raise
            warnings.append(f"email {address.strip()[:80]!r} dropped: not a valid address")
    phones: list[Phone] = []
    for raw_phone in raw.phones:
        number, label = raw_phone.number, raw_phone.label
        if not number.strip():
            continue
        phones.append(F.normalize_phone(number, region, F.clean_text("label", label)))
    if not display:
        display = " ".join(x for x in (given, family) if x)
    if not display and emails:
        display = emails[0].address
    if not display:
        raise ValidationError("name", "the record has no name")
    links: list[str] = []
    for link in raw.links:
        text = F.clean_text("link", link)
        if text and text not in links:
            links.append(text)
    birthday = ""
    if raw.birthday.strip():
        try:
            birthday = F.parse_birthday(raw.birthday)
        except ValidationError:
            warnings.append(f"birthday {raw.birthday.strip()[:40]!r} dropped: not a date")
    photo = raw.photo
    if photo is not None and len(photo) > F.LIMITS["photo"]:
        warnings.append(
            f"photo dropped: {len(photo)} bytes is over the limit of {F.LIMITS['photo']}"
        )
        photo = None
    tags = []
    for t in raw.tags:
        if t.strip():
            tag = F.normalize_tag(t)
            if tag not in tags:
                tags.append(tag)
    person = Person(
        display_name=display,
        given_name=given,
        family_name=family,
        org=org,
        department=F.clean_text("department", raw.department),
        title=F.clean_text("title", raw.title),
        emails=F.dedupe_emails(emails),
        phones=_dedupe_phones(phones),
        website=F.clean_text("website", raw.website),
        links=links,
        birthday=birthday,
        note=F.clean_text("note", raw.note, multiline=True),
        tags=sorted(tags),
        photo=photo,
        photo_type=F.clean_text("label", raw.photo_type) if photo is not None else "",
        source=F.clean_text("label", raw.source),
    )
    linkedin = ""
    for link in [person.website, *person.links]:
        linkedin = linkedin_key(link)
        if linkedin:
            break
    return Record(raw.line, person, linkedin, warnings)


def _dedupe_phones(phones: list[Phone]) -> list[Phone]:
    seen: set[str] = set()
    out = []
    for p in phones:
        if p.number not in seen:
            seen.add(p.number)
            out.append(p)
    return out


def skip_reason(exc: ValidationError) -> str:
    """The user-facing reason for a record skipped because of ``exc``."""
    return f"{exc.field.replace('_', ' ')} {exc.message}"


def add_raw(parsed: Parsed, raw: RawContact, region: str) -> None:
    """Validate ``raw`` and add it to ``parsed`` as a record or a skip."""
    try:
        parsed.records.append(make_record(raw, region))
    except ValidationError as exc:
        parsed.skipped.append(Skip(raw.line, skip_reason(exc)))


def decode_text(data: bytes, file: str) -> tuple[str, str]:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 (BOM, or NULs that betray it),
    else Windows-1252. Returns (text, encoding). Binary files are rejected."""
    if not data.strip():
        raise ImportFileError(file, "the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        enc = "utf-8"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    elif len(data) >= 4 and data[1:2] == b"\x00" and data[3:4] == b"\x00" and data[0:1] != b"\x00":
        enc = "utf-16-le"
    elif len(data) >= 4 and data[0:1] == b"\x00" and data[2:3] == b"\x00" and data[1:2] != b"\x00":
        enc = "utf-16-be"
    else:
        enc = "utf-8"
    if enc.startswith("utf-16"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n\x00") + data[: exc.start].count(b"\x00\n") + 1
            raise ImportFileError(file, "broken UTF-16 text", line) from None
        if text.startswith("\ufeff"):
            text = text[1:]
        enc = "utf-16"
    else:
        check_not_binary(data, file)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            enc = "cp1252"
    if "\x00" in text:
        raise ImportFileError(file, "the file is binary, not text")
    return text, enc


def check_not_binary(data: bytes, file: str) -> None:
    """Reject a file whose first bytes look like binary data (NULs or many control bytes)."""
    head = data[:8192]
    if b"\x00" in head:
        raise ImportFileError(file, "the file is binary, not a contacts file")
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if controls > max(8, len(head) // 20):
        raise ImportFileError(file, "the file is binary, not a contacts file")
