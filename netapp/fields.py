"""Validation and normalisation of contact fields, shared by the store, importers and UI."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from netapp.domain import Email, Phone
from netapp.errors import ValidationError

# Caps keep a malicious or broken file from bloating the database or the UI.
LIMITS: dict[str, int] = {
    "display_name": 300,
    "given_name": 200,
    "family_name": 200,
    "org": 300,
    "department": 300,
    "title": 300,
    "website": 2000,
    "link": 2000,
    "note": 20000,
    "tag": 100,
    "email": 320,
    "phone": 64,
    "meeting": 300,
    "venue": 300,
    "group": 200,
    "label": 100,
    "photo": 2_000_000,
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def nfc(text: str) -> str:
    """Text in one Unicode form (NFC): "José" typed precomposed and pasted decomposed (as
    some Mac contacts write it) become the same string, so they match, search and sort alike."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def clean_text(field: str, value: object, *, multiline: bool = False) -> str:
    """Normalise to NFC, strip, drop control characters (keep newlines in multi-line fields)
    and enforce the cap."""
    if value is None or value == "":  # an empty field, most of a record's
        return ""
    if not isinstance(value, str):
        raise ValidationError(field, f"expected text, got {type(value).__name__}")
    # Printable ASCII has no control character and is already NFC (most values of an import).
    text = value if value.isascii() and value.isprintable() else nfc(_CONTROL.sub("", value))
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    else:
        text = " ".join(text.split())
    limit = LIMITS.get(field)
    if limit is not None and len(text) > limit:
        raise ValidationError(field, f"is {len(text)} characters long; the limit is {limit}")
    return text


def normalize_tag(tag: str) -> str:
    text = clean_text("tag", tag).strip().lstrip("#")
    if not text:
        raise ValidationError("tag", "is empty")
    return text.lower()


def validate_email(value: str) -> str:
    """Syntax-check an email address (no network). Returns it normalised.

    Every syntactically valid address is kept, special-use domains included (``.local`` is
    real in company address books, ``.invalid`` and ``.example`` in test data). The display-name
    form ``"Omega" <omega@example.com>`` and a ``mailto:`` prefix give the address inside."""
    return _validate_email(split_email(clean_text("email", value))[0])


_DISPLAY_FORM = re.compile(r"^(.*?)\s*<([^<>]*)>$", re.S)


def split_email(text: str) -> tuple[str, str]:
    """(address, display name) from ``"Name" <address>``, ``Name <address>``, ``mailto:address``
    or a bare address. The address is not checked here."""
    text = text.strip()
    name = ""
    m = _DISPLAY_FORM.match(text)
    if m:
        name, text = m[1].strip().strip('"').strip(), m[2].strip()
    if text[:7].lower() == "mailto:":
        text = text[7:].split("?", 1)[0]
    return text, name


# Imports validate each address twice (plan, then store), both pure: the cache holds a whole
# import's addresses (at 8,192 a 10,000-contact import missed every second look-up).
@lru_cache(maxsize=1 << 17)
def _validate_email(text: str) -> str:
    if not text:
        raise ValidationError("email", "is empty")
    m = _PLAIN_EMAIL.fullmatch(text)
    if m and len(m[1]) <= 64 and len(text) <= 254 and "--" not in m[2]:
        domain = m[2].lower()
        if not _is_special_use(domain):
            return f"{m[1]}@{domain}"
    return _validate_with_library(text)


# A plain ASCII address, most of a large import (issue 20): a dot-atom local part of common
# characters, a domain of letter-digit-hyphen labels without "--" (no Punycode or IDNA
# question) ending in a letters-only label. email_validator accepts every such address whose
# domain is not special-use, and gives it back with the domain in lower case: checked here
# without it (a hypothesis test holds the two equal).
_PLAIN_EMAIL = re.compile(
    r"([A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*)@"
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})"
)


def _special_use(folded: str) -> str:
    """The special-use name (RFC 6761) the lower-case domain ends in, or ""."""
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    return next(
        (d for d in SPECIAL_USE_DOMAIN_NAMES if folded == d or folded.endswith("." + d)), ""
    )


def _is_special_use(folded: str) -> bool:
    """Whether :func:`_special_use` finds a name, by looking up each label suffix of the
    domain in a set (a hypothesis test holds the two equal)."""
    names, depth = _special_use_names()
    if depth == 1:  # single labels (email_validator's list today): the last label says it
        return folded.rpartition(".")[2] in names
    labels = folded.split(".")
    return any(".".join(labels[i:]) in names for i in range(len(labels)))


@lru_cache(maxsize=1)
def _special_use_names() -> tuple[frozenset[str], int]:
    """email_validator's special-use names, and the most labels one of them has."""
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    names = frozenset(SPECIAL_USE_DOMAIN_NAMES)
    return names, max((name.count(".") + 1 for name in names), default=1)


def _validate_with_library(text: str) -> str:
    from email_validator import EmailNotValidError
    from email_validator import validate_email as _validate

    # email_validator refuses special-use names (RFC 6761) outright; they are still syntactically
    # valid, so the domain's special-use suffix is checked in the place of a neutral one.
    local, at, domain = text.rpartition("@")
    folded = domain.lower().rstrip(".")
    special = _special_use(folded)
    check = f"{local}@{folded[: len(folded) - len(special)]}example" if at and special else text
    try:
        result = _validate(
            check,
            check_deliverability=False,
            allow_smtputf8=True,
            globally_deliverable=False,
            allow_quoted_local=True,  # "ann lee"@example.com (RFC 5322 §3.4.1)
            allow_domain_literal=True,  # ann@[192.0.2.10]
        )
    except EmailNotValidError as exc:
        raise ValidationError("email", f"{text!r} is not a valid address: {exc}") from None
    if special:
        return f"{result.local_part}@{folded}"
    return str(result.normalized)


def normalize_phone(
    value: str, region: str = "US", label: str = "", implied: tuple[str, ...] = ()
) -> Phone:
    """A phone number in E.164 (``+14186569254``, with ``;ext=102`` when it has an extension)
    when its country is certain: it is written with ``+`` or ``00``, or it is a valid number
    for ``region`` or for a region the contact itself implies (``implied``, e.g. from its
    address). Otherwise it is kept exactly as typed and flagged ``valid=False`` ("not
    normalised"): a country is never invented."""
    regions = tuple(r.upper() for r in (region, *implied) if r)
    number, valid = _normalize_phone(clean_text("phone", value), regions)
    return Phone(number, label, valid)


E164 = re.compile(r"\+[1-9]\d{1,14}(?:;ext=\d{1,20})?")
_INTERNATIONAL = re.compile(r"^[\s(]*(?:\+|00(?!0))")


def is_e164(number: str) -> bool:
    """Whether ``number`` is the stored normalised form (E.164, optional ``;ext=N``)."""
    return E164.fullmatch(number) is not None


# A North American number written with its country code, the commonest shape in a large
# import (issue 20): "+1", then ten digits whose first is 2-9 (no national prefix to strip),
# spaced by one space, dot or hyphen, the area code maybe in parentheses. phonenumbers reads
# every such number as possible and gives "+1" and the ten digits (a hypothesis test holds
# the two equal); it takes about 35 µs a number to say so.
_NANP = re.compile(r"\+1[ .-]?(?:\(([2-9]\d\d)\)|([2-9]\d\d))[ .-]?(\d{3})[ .-]?(\d{4})", re.ASCII)


@lru_cache(maxsize=1 << 17)
def _normalize_phone(text: str, regions: tuple[str, ...]) -> tuple[str, bool]:
    m = _NANP.fullmatch(text)
    if m is not None:
        return f"+1{m[1] or m[2]}{m[3]}{m[4]}", True
    return _normalize_with_library(text, regions)


def _normalize_with_library(text: str, regions: tuple[str, ...]) -> tuple[str, bool]:
    """:func:`_normalize_phone` by phonenumbers, for any number."""
    if not text:
        raise ValidationError("phone", "is empty")
    import phonenumbers

    value = text[4:] if text[:4].lower() == "tel:" else text
    attempts: list[tuple[str, str | None, bool]] = []
    m = _INTERNATIONAL.match(value)
    if m:  # the country is written in the number
        attempts.append(("+" + value[m.end() :], None, False))
    else:  # a national number: only a region it is valid for makes the country certain
        attempts.extend((value, r, True) for r in regions)
    for candidate, region, must_be_valid in attempts:
        try:
            num = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        ok = phonenumbers.is_valid_number(num) if must_be_valid else None
        if ok is None:
            ok = phonenumbers.is_possible_number(num)
        if ok:
            e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
            return (f"{e164};ext={num.extension}" if num.extension else e164), True
    return text, False


# The dates netapp records and computes from: far enough either way for any real meeting,
# and far enough inside the calendar's edges (0001-01-01, 9999-12-31) that the engine's
# arithmetic (a horizon, a half-life, a yearly birthday) can never step off it.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)
# Record ids are SQLite integers (signed 64 bits); a longer number names no record.
MAX_ID = 2**63 - 1


def parse_date(field: str, value: str) -> str:
    """A ``YYYY-MM-DD`` date, checked; returns it in ISO form (ranges: :func:`bounded_date`,
    :func:`happened`, :func:`meeting_date`)."""
    try:
        day = date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise ValidationError(field, f"{value!r} is not a date in YYYY-MM-DD form") from None
    return day.isoformat()


def bounded_date(field: str, value: str) -> str:
    """:func:`parse_date` within :data:`MIN_DATE` .. :data:`MAX_DATE` (an "as of" day: the
    engine's arithmetic from it never steps off the calendar)."""
    iso = parse_date(field, value)
    if not MIN_DATE <= date.fromisoformat(iso) <= MAX_DATE:
        raise ValidationError(
            field, f"{value!r} is outside the dates netapp works with ({MIN_DATE} to {MAX_DATE})"
        )
    return iso


def record_id(value: object) -> int | None:
    """The record id a reference names (digits within SQLite's integers), or None."""
    text = str(value).strip()
    if not text.isdigit() or not text.isascii():
        return None
    number = int(text)
    return number if number <= MAX_ID else None


EARLIEST = date(1900, 1, 1)  # no record of this app is older; a birthday is not before it
PLAN_AHEAD_DAYS = 2 * 366  # a meeting is planned at most about two years ahead


def happened(field: str, value: str, today: date | None = None) -> str:
    """The date of something that happened (a contact, a referral, a consent, a capture): a
    ``YYYY-MM-DD`` date from 1900 to ``today`` (the clock's when None); returns it in ISO form."""
    day = parse_date(field, value)
    when, now = date.fromisoformat(day), today or date.today()
    if when > now:
        raise ValidationError(
            field, f"{day} is in the future: only what has already happened is recorded"
        )
    if when < EARLIEST:
        raise ValidationError(field, f"{day} is before {EARLIEST.year}: check the year")
    return day


def meeting_date(field: str, value: str, today: date | None = None) -> str:
    """The date of a meeting: held (up to ``today``) or planned, at most about two years ahead."""
    day = parse_date(field, value)
    when, now = date.fromisoformat(day), today or date.today()
    if when < EARLIEST:
        raise ValidationError(field, f"{day} is before {EARLIEST.year}: check the year")
    if (when - now).days > PLAN_AHEAD_DAYS:
        raise ValidationError(
            field, f"{day} is more than two years ahead: a planned meeting is at most two years out"
        )
    return day


def is_planned(day: str, today: date | None = None) -> bool:
    """Whether a meeting on ``day`` (ISO) is still ahead: planned, not held."""
    return date.fromisoformat(day) > (today or date.today())


def parse_birthday(value: str, today: date | None = None) -> str:
    """``YYYY-MM-DD``, or ``--MM-DD`` for a birthday without a year."""
    text = (value or "").strip()
    if not text:
        return ""
    m = re.fullmatch(r"--(\d{2})-?(\d{2})", text)
    if m:
        month, day = int(m[1]), int(m[2])
        try:
            date(2000, month, day)  # a leap year, so 29 February is allowed
        except ValueError:
            raise ValidationError("birthday", f"{value!r} is not a valid month and day") from None
        return f"--{month:02d}-{day:02d}"
    try:  # the range is checked below, with the birthday's own message
        iso = date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValidationError("birthday", f"{value!r} is not a date in YYYY-MM-DD form") from None
    if not EARLIEST <= date.fromisoformat(iso) <= (today or date.today()):
        raise ValidationError(
            "birthday", f"{iso} is not a birthday: it lies between {EARLIEST.year} and today"
        )
    return iso


_WEBSITE = re.compile(r"(?i)^(https?://)?([\w-]+\.)+[a-z]{2,}(:\d+)?([/?#]\S*)?$")


def phone_warning(number: str) -> str:
    """A doubt about a phone kept as typed ('' when it looks like a number): too few digits,
    or words in it."""
    digits = sum(ch.isdigit() for ch in number)
    words = re.sub(r"(?i)\b(ext|extension|x)\b", "", number)
    if digits < 5 or re.search(r"[^\W\d_]{3,}", words):
        return f"{number!r} does not look like a phone number (kept as typed)"
    return ""


def website_warning(url: str) -> str:
    """A doubt about a website kept as typed ('' when it looks like a web address)."""
    url = (url or "").strip()
    if url and not _WEBSITE.match(url):
        return f"{url!r} does not look like a web address (kept as typed)"
    return ""


def split_name(full: str) -> tuple[str, str]:
    """Best-effort given/family split for a display name typed as one string."""
    parts = full.split()
    if len(parts) <= 1:
        return (full, "")
    return (" ".join(parts[:-1]), parts[-1])


def fold(text: str) -> str:
    """Case- and accent-insensitive key for name comparison."""
    if text.isascii():  # nothing to decompose, no combining marks: the same key, faster
        return " ".join(text.lower().split())
    return _fold_unicode(text)


def _fold_unicode(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def dedupe_emails(emails: list[Email]) -> list[Email]:
    seen: set[str] = set()
    out = []
    for e in emails:
        key = e.address.casefold()
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


def parse_weekday(value: int | str | None) -> int | None:
    """0 (Monday) to 6 (Sunday), from that number or a day's name or its start ("thu",
    "Thursday"). None or blank text is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value <= 6:
            return value
        raise ValidationError("weekday", "must be 0 (Monday) to 6 (Sunday)")
    if not isinstance(value, str):
        raise ValidationError("weekday", f"expected a day, got {type(value).__name__}")
    text = value.strip().casefold().rstrip(".")
    found = [i for i, day in enumerate(WEEKDAYS) if len(text) >= 2 and day.startswith(text)]
    if len(found) != 1:
        raise ValidationError(
            "weekday", f"{value.strip()!r} is not a day of the week (mon, tue, … sun)"
        )
    return found[0]


# -- faces (issue 17) -------------------------------------------------------------------------

# The first bytes of each image type (more in sniff_image: WebP, HEIC, AVIF).
_IMAGE_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"BM", 0, "image/bmp"),
    (b"II*\x00", 0, "image/tiff"),
    (b"MM\x00*", 0, "image/tiff"),
)
# What the app shows and takes as a photo from a file.
SHOWN_IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp")


def sniff_image(data: bytes) -> str:
    """The media type the bytes of an image show (JPEG, PNG, GIF, WebP, BMP, TIFF, HEIC,
    AVIF), or "" when they are not one of those: never from a file name or a TYPE=."""
    for magic, offset, media in _IMAGE_MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return media
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1"):
            return "image/heic"
        if brand in (b"avif", b"avis"):
            return "image/avif"
    return ""


def check_photo(field: str, data: bytes) -> str:
    """The media type of a photo the user gives, or ValidationError naming the field/file."""
    if len(data) > LIMITS["photo"]:
        raise ValidationError(field, f"is {len(data):,} bytes; the limit is {LIMITS['photo']:,}")
    media = sniff_image(data)
    if media not in SHOWN_IMAGES:
        raise ValidationError(field, "is not a PNG, JPEG, GIF, WebP or BMP image")
    return media


def initials(name: str) -> str:
    """Up to two letters for a face without a photo: first and last word ("Ann Lee" -> "AL")."""
    words = [w for w in nfc(name or "").split() if any(ch.isalnum() for ch in w)]
    letters = [next(ch for ch in w if ch.isalnum()) for w in words]
    if not letters:
        return "?"
    picked = [letters[0], *letters[1:][-1:]]
    # "ß".upper() is "SS": a letter that grows when upper-cased stays as it is.
    return "".join(ch.upper() if len(ch.upper()) == 1 else ch for ch in picked)


def disc_hue(name: str) -> int:
    """A hue (0-359) for a person's initials disc, the same for a name on every run."""
    import zlib

    return zlib.crc32(fold(name or "").encode("utf-8")) % 360
