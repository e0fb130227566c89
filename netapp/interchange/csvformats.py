"""CSV contact files: LinkedIn ``Connections.csv``, Google Contacts, Outlook.com, Outlook desktop,
and any other CSV through a column mapping chosen by the user.

The layout is detected from the header (see :func:`detect_layout`). Text is decoded with
``records.decode_text`` (UTF-8 with or without BOM, UTF-16, Windows-1252). Line numbers in
skip reasons are physical lines of the file, counting the header and any preamble.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Callable
from datetime import datetime

from netapp.domain import Email, Phone
from netapp.interchange.records import (
    ImportFileError,
    NeedsMapping,
    Parsed,
    RawContact,
    Skip,
    add_raw,
    decode_text,
)

# A field can be far bigger than the csv module's default limit (131072); the caps in
# netapp.fields then skip the record with a reason instead of aborting the whole file.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

LINKEDIN_HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position"]

# Fields a column can be mapped to in the column-mapping dialog.
MAPPABLE_FIELDS: dict[str, str] = {
    "": "(ignore)",
    "display_name": "Full name",
    "given_name": "First name",
    "family_name": "Last name",
    "org": "Organisation",
    "department": "Department",
    "title": "Job title",
    "email": "Email",
    "phone": "Phone",
    "website": "Website",
    "linkedin": "LinkedIn URL",
    "birthday": "Birthday",
    "note": "Notes",
    "tags": "Tags",
}

FORMAT_NAMES = {
    "linkedin": "LinkedIn connections",
    "google": "Google Contacts CSV",
    "outlook.com": "Outlook.com CSV",
    "outlook": "Outlook desktop CSV",
    "csv": "CSV with a column mapping",
}


def _norm(h: str) -> str:
    return " ".join(h.replace("\ufeff", "").split()).casefold()


def find_header(text: str) -> tuple[int, list[str]]:
    """(0-based line index of the header, header cells). LinkedIn puts a "Notes:" preamble first."""
    lines = text.splitlines()
    for i, line in enumerate(lines[:40]):
        low = line.casefold()
        if "first name" in low and "connected on" in low:
            return i, next(csv.reader([line]))
    for i, line in enumerate(lines):
        if line.strip():
            try:
                return i, next(csv.reader([line]))
            except csv.Error:
                return i, [line]
    return 0, []


def detect_layout(headers: list[str]) -> str:
    """``linkedin``, ``google``, ``outlook.com``, ``outlook`` or ``csv`` (unknown)."""
    h = {_norm(x) for x in headers}
    if "connected on" in h and "first name" in h:
        return "linkedin"
    if (
        "organization name" in h
        or "e-mail 1 - value" in h
        or ("given name" in h and "group membership" in h)
    ):
        return "google"
    if "e-mail address" in h and ({"mobile phone", "business phone", "home phone"} & h):
        if "e-mail type" in h or "e-mail display name" in h:
            return "outlook"
        return "outlook.com"
    return "csv"


_MONTHS = "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d", "%d.%m.%Y"


def parse_csv_date(text: str) -> str:
    """A date as LinkedIn (``05 Nov 2024``), Google (``1980-04-15``, ``--04-15``) or Outlook
    (``4/15/1980``, ``0/0/00`` for none) write it, as ISO; "" when empty or unreadable."""
    t = text.strip()
    if not t or re.fullmatch(r"0?0/0?0/0*", t):
        return ""
    if re.fullmatch(r"--\d{2}-?\d{2}", t):
        return t
    for fmt in _MONTHS:
        try:
            return datetime.strptime(t, fmt).date().isoformat()
        except ValueError:
            continue
    return t  # left for the record validation to report


def _split_multi(value: str) -> list[str]:
    return [v.strip() for v in value.split(":::") if v.strip()]


Row = Callable[[str], str]


def _row_getter(headers: list[str], row: list[str]) -> Row:
    index: dict[str, int] = {}
    for i, h in enumerate(headers):
        index.setdefault(_norm(h), i)

    def get(name: str) -> str:
        i = index.get(name.casefold())
        if i is None or i >= len(row):
            return ""
        return row[i]

    return get


def _linkedin(get: Row, raw: RawContact) -> None:
    raw.source = "linkedin"
    raw.given_name, raw.family_name = get("first name").strip(), get("last name").strip()
    url = get("url").strip()
    if url:
        raw.links.append(url)
    raw.emails.append(Email(get("email address")))
    raw.org, raw.title = get("company"), get("position")
    connected = parse_csv_date(get("connected on"))
    if connected:
        raw.note = f"LinkedIn connection since {connected}"


def _google(get: Row, headers: list[str], raw: RawContact) -> None:
    raw.source = "google"
    given = get("first name") or get("given name")
    middle = get("middle name") or get("additional name")
    family = get("last name") or get("family name")
    raw.given_name = " ".join(x.strip() for x in (given, middle) if x.strip())
    raw.family_name = family.strip()
    raw.display_name = get("name") or " ".join(
        x.strip() for x in (get("name prefix"), given, middle, family, get("name suffix")) if x
    )
    raw.org = get("organization name") or get("organization 1 - name")
    raw.title = get("organization title") or get("organization 1 - title")
    raw.department = get("organization department") or get("organization 1 - department")
    raw.note = get("notes")
    raw.birthday = parse_csv_date(get("birthday"))
    labels = get("labels") or get("group membership")
    raw.tags = [t for t in _split_multi(labels) if not t.startswith("*")]
    norm = [_norm(h) for h in headers]
    for n in range(1, 21):
        for kind in ("e-mail", "phone"):
            key = f"{kind} {n} - value"
            if key not in norm:
                continue
            label = (get(f"{kind} {n} - label") or get(f"{kind} {n} - type")).strip()
            label = label.lstrip("* ").strip().lower()
            for v in _split_multi(get(key)):
                if kind == "e-mail":
                    raw.emails.append(Email(v, label))
                else:
                    raw.phones.append(Phone(v, label, valid=False))
        site = get(f"website {n} - value")
        for url in _split_multi(site):
            if "linkedin.com/" in url.lower():
                raw.links.append(url)
            elif not raw.website:
                raw.website = url
            else:
                raw.links.append(url)


_OUTLOOK_PHONES = (
    ("mobile phone", "mobile"),
    ("business phone", "work"),
    ("business phone 2", "work"),
    ("company main phone", "main"),
    ("primary phone", ""),
    ("home phone", "home"),
    ("home phone 2", "home"),
    ("other phone", "other"),
    ("business fax", "fax"),
    ("home fax", "fax"),
    ("pager", "pager"),
)


def _outlook(get: Row, raw: RawContact, layout: str) -> None:
    raw.source = layout
    given = " ".join(x.strip() for x in (get("first name"), get("middle name")) if x.strip())
    raw.given_name, raw.family_name = given, get("last name").strip()
    raw.display_name = get("display name") or get("name")
    raw.org, raw.department, raw.title = get("company"), get("department"), get("job title")
    for col in ("e-mail address", "e-mail 2 address", "e-mail 3 address"):
        raw.emails.append(Email(get(col)))
    for col, label in _OUTLOOK_PHONES:
        raw.phones.append(Phone(get(col), label, valid=False))
    raw.website = get("web page") or get("personal web page") or get("business web page")
    raw.note = get("notes")
    raw.birthday = parse_csv_date(get("birthday"))
    cats = get("categories")
    raw.tags = [t.strip() for t in re.split(r"[;,]", cats) if t.strip()]


def _mapped(headers: list[str], row: list[str], mapping: dict[str, str], raw: RawContact) -> None:
    raw.source = "csv"
    for i, h in enumerate(headers):
        target = mapping.get(h, "")
        if not target or i >= len(row):
            continue
        value = row[i]
        if not value.strip():
            continue
        if target == "email":
            raw.emails.extend(Email(v) for v in re.split(r"[;,]|:::", value))
        elif target == "phone":
            raw.phones.extend(Phone(v, valid=False) for v in re.split(r";|:::", value))
        elif target == "tags":
            raw.tags.extend(t for t in re.split(r"[;,]|:::", value))
        elif target == "linkedin":
            raw.links.append(value.strip())
        elif target == "birthday":
            raw.birthday = parse_csv_date(value)
        elif target == "note":
            raw.note = f"{raw.note}\n{value}" if raw.note else value
        elif target in MAPPABLE_FIELDS:
            setattr(raw, target, value)


def read_table(
    data: bytes, file: str
) -> tuple[str, int, list[str], list[tuple[int, list[str]]], list[Skip]]:
    """Decode and split a CSV file. Returns (layout, header line, header, [(line, row)], skips).

    An unterminated quote stops reading: the rows before it are returned and the rest is
    reported as one skip naming the line where the quoted field opened."""
    text, _enc = decode_text(data, file)
    header_idx, headers = find_header(text)
    if not headers or not any(h.strip() for h in headers):
        raise ImportFileError(file, "no header row found", header_idx + 1)
    layout = detect_layout(headers)
    # Keep line ends so that csv counts physical lines; drop everything before the header.
    lines = text.splitlines(keepends=True)
    body = "".join(lines[header_idx + 1 :])
    reader = csv.reader(io.StringIO(body, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    skips: list[Skip] = []
    base = header_idx + 1  # physical lines before the body
    last = 0
    while True:
        start = last + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "end of data" in str(exc) or "EOF" in str(exc):
                reason = (
                    "a quoted field opened on this line is never closed; "
                    f"the rest of the file (lines {base + start}–{base + reader.line_num}) "
                    "was not read"
                )
            else:
                reason = f"not readable as CSV ({exc}); the rest of the file was not read"
            skips.append(Skip(base + start, reason))
            break
        last = reader.line_num
        if any(cell.strip() for cell in row):
            rows.append((base + start, row))
    return layout, header_idx + 1, headers, rows, skips


def parse_csv(data: bytes, file: str, region: str, mapping: dict[str, str] | None = None) -> Parsed:
    """Read a contacts CSV. Raises NeedsMapping for an unknown layout without ``mapping``."""
    layout, header_line, headers, rows, skips = read_table(data, file)
    if mapping is not None:
        layout = "csv"
        unknown = set(mapping.values()) - set(MAPPABLE_FIELDS)
        if unknown:
            raise ImportFileError(file, f"cannot map a column to {sorted(unknown)[0]!r}")
    elif layout == "csv":
        raise NeedsMapping(file, headers, header_line)
    parsed = Parsed(layout)
    for line, row in rows:
        raw = RawContact(line=line)
        get = _row_getter(headers, row)
        if layout == "linkedin":
            _linkedin(get, raw)
        elif layout == "google":
            _google(get, headers, raw)
        elif layout in ("outlook", "outlook.com"):
            _outlook(get, raw, layout)
        else:
            _mapped(headers, row, mapping or {}, raw)
        if len(row) > len(headers) + 50:
            parsed.skipped.append(Skip(line, f"{len(row)} cells for {len(headers)} columns"))
            continue
        add_raw(parsed, raw, region)
    parsed.skipped.extend(skips)
    parsed.skipped.sort(key=lambda s: s.line)
    return parsed
