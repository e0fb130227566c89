"""Shapes shared by the parsers and the importer, and the one place raw contacts are validated.

Parsers produce :class:`RawContact` values (text exactly as found in the file, decoded) and turn
them into :class:`Record` objects with :func:`make_record`, which applies the store's field rules
(``netapp.fields``). The policy, in one place (the user guide's import section says the same):

* a text field longer than its cap in ``fields.LIMITS`` **skips the record** with the line number
  and the reason (we never silently truncate what the user will later rely on);
* nothing is dropped without a word: every value a record could not keep is a warning on that
  record (its line goes with it into the preview, ``--json`` and the text output):
  an email address that fails the syntax check, a birthday that cannot be read or is ambiguous,
  a photo too large or not an image, a field netapp has no place for (an address, a nickname);
* a phone number is normalised to E.164 only when its country is certain (``+``/``00``, or
  valid for the import's region or a region the contact's address names); otherwise it is kept
  exactly as typed, flagged ``valid=False`` and reported as not normalised;
* a contact with an organisation but no person's name is an organisation (``kind``), its
  display name the organisation's; no given name is made up from anything;
* a photo's media type is sniffed from its bytes, never taken from a parameter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from netapp import fields as F
from netapp.domain import ContactDetails, ContactKind, Email, Person, Phone
from netapp.errors import NetappError, ValidationError, with_name

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
    """A CSV whose header netapp does not recognise, or that has no header row: the user must
    map its columns. ``samples`` holds the first row's cells when that row is a contact."""

    def __init__(
        self, file: str, headers: list[str], header_line: int, samples: list[str] | None = None
    ) -> None:
        self.headers = headers
        self.header_line = header_line
        self.samples = list(samples or [])
        if header_line:
            what = "unknown CSV layout; map its columns to fields (columns: " + ", ".join(
                repr(h) for h in headers[:12]
            )
        else:
            what = (
                "the CSV has no header row; map its columns to fields by number "
                "(the first row: "
                + ", ".join(
                    f"{h} = {v!r}" for h, v in zip(headers[:12], self.samples, strict=False)
                )
            )
        super().__init__(file, what + (", …" if len(headers) > 12 else "") + ")", header_line or 1)


class Cancelled(NetappError):
    """The user cancelled; nothing was written."""


@dataclass
class RawContact(ContactDetails):
    """One contact as read from a file, before validation: a person's details as declared
    once in :class:`netapp.domain.ContactDetails` (emails and phones as read, unchecked;
    ``kind`` is ORGANISATION only when the file says so, else decided from the names)."""

    line: int = 0
    uid: str = ""  # a UUID the file gives the contact (vCard UID, netapp CSV's UID column)
    regions: list[str] = field(default_factory=list)  # regions the contact implies (address)
    unkept: list[str] = field(default_factory=list)  # fields with data netapp has no place for
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
    encoding: str = ""  # the text encoding the file was read in, as shown to the user


_LINKEDIN = re.compile(r"^(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/(in|pub)/([^/?#\s]+)", re.I)


def linkedin_key(url: str) -> str:
    """A LinkedIn profile URL reduced to ``linkedin.com/in/<slug>`` (lower case), or ""."""
    m = _LINKEDIN.match(url.strip())
    if not m:
        return ""
    return f"linkedin.com/{m[1].lower()}/{m[2].lower().rstrip('/')}"


def _birthday(text: str, warnings: list[str]) -> str:
    """The birthday as stored (ISO or ``--MM-DD``), or "" with a warning when it is not a date
    or not a plausible birthday (in the future, or before ``fields.EARLIEST``)."""
    if not text.strip():
        return ""
    shown = repr(text.strip()[:40])
    try:
        return F.parse_birthday(text)
    except ValidationError:
        pass
    try:
        when = date.fromisoformat(text.strip())
    except ValueError:
        warnings.append(f"birthday {shown} dropped: not a date")
        return ""
    if when > date.today():
        warnings.append(f"birthday {shown} dropped: it is in the future")
    else:
        warnings.append(f"birthday {shown} dropped: a year before {F.EARLIEST.year}")
    return ""


def make_record(raw: RawContact, region: str) -> Record:
    """Validate ``raw`` with the store's field rules. Raises ValidationError when it must be
    skipped (over-long field, nothing to call it by)."""
    warnings = list(raw.warnings)
    emails, email_names = _emails(raw, warnings)
    phones = _phones(raw, region, warnings)
    kind, display, given, family, org = _names(raw, emails, email_names, phones)
    birthday = _birthday(raw.birthday, warnings)
    photo, photo_type = _photo(raw, warnings)
    if raw.unkept:
        counts: dict[str, int] = {}
        for name in raw.unkept:
            counts[name] = counts.get(name, 0) + 1
        listed = ", ".join(f"{n} ×{c}" if c > 1 else n for n, c in counts.items())
        warnings.append(f"not kept (netapp has no field for it): {listed}")
    person = Person(
        uuid=raw.uid,
        display_name=display,
        given_name=given,
        family_name=family,
        org=org,
        department=F.clean_text("department", raw.department),
        title=F.clean_text("title", raw.title),
        emails=F.dedupe_emails(emails),
        phones=_dedupe_phones(phones),
        website=F.clean_text("website", raw.website),
        links=_unique(F.clean_text("link", link) for link in raw.links),
        birthday=birthday,
        note=F.clean_text("note", raw.note, multiline=True),
        tags=sorted(_unique(F.normalize_tag(t) for t in raw.tags if t.strip())),
        photo=photo,
        photo_type=photo_type,
        source=F.clean_text("label", raw.source),
        kind=kind,
    )
    linkedin = ""
    for link in [person.website, *person.links]:
        linkedin = linkedin_key(link)
        if linkedin:
            break
    return Record(raw.line, person, linkedin, warnings)


def _unique(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


def _emails(raw: RawContact, warnings: list[str]) -> tuple[list[Email], list[str]]:
    """The valid addresses (display-name form read) and the names found beside them."""
    emails: list[Email] = []
    names: list[str] = []
    for raw_email in raw.emails:
        text, label = raw_email.address, raw_email.label
        if not text.strip():
            continue
        address, name = F.split_email(text)
        try:
            emails.append(Email(F.validate_email(address), F.clean_text("label", label)))
        except ValidationError as exc:
            if "limit is" in exc.message:
                raise
            warnings.append(f"email {text.strip()[:80]!r} dropped: not a valid address")
            continue
        if name:
            names.append(name)
    return emails, names


def _phones(raw: RawContact, region: str, warnings: list[str]) -> list[Phone]:
    phones: list[Phone] = []
    implied = tuple(r for r in raw.regions if r)
    for raw_phone in raw.phones:
        number, label = raw_phone.number, raw_phone.label
        if not number.strip():
            continue
        phone = F.normalize_phone(number, region, F.clean_text("label", label), implied)
        if not phone.valid:
            warnings.append(
                f"phone {phone.number[:40]!r} kept as typed, not normalised: "
                "its country is not certain"
            )
        phones.append(phone)
    return phones


def _names(
    raw: RawContact, emails: list[Email], email_names: list[str], phones: list[Phone]
) -> tuple[ContactKind, str, str, str, str]:
    """(kind, display name, given name, family name, organisation), cleaned. A contact
    without a person's name but with an organisation is the organisation, and so is a KIND:org
    card; a contact with no name of its own (an organisation with neither name nor ORG too)
    falls back to the name beside an email address, the address, then the phone number."""
    given = F.clean_text("given_name", raw.given_name)
    family = F.clean_text("family_name", raw.family_name)
    display = F.clean_text("display_name", raw.display_name)
    org = F.clean_text("org", raw.org)
    kind = ContactKind.PERSON
    if raw.kind == ContactKind.ORGANISATION or (not (display or given or family) and org):
        kind, display, given, family = ContactKind.ORGANISATION, display or org, "", ""
    elif not display:
        display = " ".join(x for x in (given, family) if x)
    if display and (kind == ContactKind.ORGANISATION or not email_names):
        return kind, display, given, family, org  # named, and no name beside an address to check
    for fallback in (
        *(F.clean_text("display_name", n) for n in email_names),
        *(e.address for e in emails),
        *(p.number for p in phones),
    ):
        display = display or fallback
    if not display:
        raise ValidationError("name", "is missing, and so are the organisation, email and phone")
    return kind, display, given, family, org


def _photo(raw: RawContact, warnings: list[str]) -> tuple[bytes | None, str]:
    photo = raw.photo
    if photo is None:
        return None, ""
    if len(photo) > F.LIMITS["photo"]:
        warnings.append(
            f"photo dropped: {len(photo)} bytes is over the limit of {F.LIMITS['photo']}"
        )
        return None, ""
    media = F.sniff_image(photo)
    if not media:
        warnings.append("photo dropped: its bytes are not an image netapp can show")
        return None, ""
    return photo, media


def _dedupe_phones(phones: list[Phone]) -> list[Phone]:
    seen: set[str] = set()
    out = []
    for p in phones:
        if p.number not in seen:
            seen.add(p.number)
            out.append(p)
    return out


def skip_reason(exc: ValidationError) -> str:
    """The user-facing reason for a record skipped because of ``exc``: the field at fault named
    as every error names it (:func:`netapp.errors.with_name`), in words."""
    return with_name(exc.field.replace("_", " "), exc.message)


def add_raw(parsed: Parsed, raw: RawContact, region: str) -> None:
    """Validate ``raw`` and add it to ``parsed`` as a record or a skip."""
    try:
        parsed.records.append(make_record(raw, region))
    except ValidationError as exc:
        parsed.skipped.append(Skip(raw.line, skip_reason(exc)))


def decode_text(data: bytes, file: str) -> tuple[str, str]:
    """Decode a text file (see :mod:`netapp.interchange.encoding`): a byte-order mark, UTF-16
    without one, UTF-8, or the legacy encoding its letters show. Returns (text, encoding name).
    Binary files, and files whose encoding cannot be told with confidence, are refused."""
    from netapp.interchange.encoding import EncodingError, decode, utf16_order

    if not data.strip():
        raise ImportFileError(file, "the file is empty")
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not utf16_order(data):
        check_not_binary(data, file)
    try:
        decoded = decode(data)
    except EncodingError as exc:
        raise ImportFileError(file, exc.message, exc.line) from None
    text = decoded.text.lstrip("\ufeff")
    if "\x00" in text:
        raise ImportFileError(file, "the file is binary, not text")
    return text, decoded.name


def check_not_binary(data: bytes, file: str) -> None:
    """Reject a file whose first bytes look like binary data (NULs or many control bytes)."""
    head = data[:8192]
    if b"\x00" in head:
        raise ImportFileError(file, "the file is binary, not a contacts file")
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if controls > max(8, len(head) // 20):
        raise ImportFileError(file, "the file is binary, not a contacts file")
