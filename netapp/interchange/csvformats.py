"""CSV contact files: LinkedIn ``Connections.csv``, Google Contacts, Outlook.com, Outlook desktop,
netapp's own CSV export, and any other CSV through a column mapping chosen by the user.

Reading a file, step by step (:func:`read_csv_table`):

* the text is decoded by :func:`records.decode_text` (a BOM, UTF-16 with or without one,
  UTF-8, or the legacy encoding its letters show; refused when that cannot be told);
* the delimiter is sniffed (comma, semicolon, tab or bar: the one that splits the first lines
  into the same number of cells; Excel's ``sep=;`` first line is obeyed);
* the first row is a header only when it looks like one (a known layout, words such as
  "Name" or "E-mail", no cell that looks like data such as an address or a phone number);
  a file without a header needs a column mapping, and its first row is a contact;
* the layout is detected from the header (:func:`detect_layout`).

Line numbers in skip reasons and warnings are physical lines of the file, counting the header
and any preamble.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from netapp.domain import ContactKind, Email, Phone
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
DELIMITERS = (",", ";", "\t", "|")

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
    "netapp": "netapp CSV export",
    "csv": "CSV with a column mapping",
}


def _norm(h: str) -> str:
    return " ".join(h.replace("\ufeff", "").split()).casefold()


def detect_layout(headers: list[str]) -> str:
    """``linkedin``, ``google``, ``outlook.com``, ``outlook``, ``netapp`` or ``csv``."""
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
    if {"name", "organisation", "emails", "phones"} <= h:
        return "netapp"
    return "csv"


# -- the table: delimiter, header ----------------------------------------------------------


@dataclass
class Table:
    """A CSV file split into rows."""

    layout: str
    header_line: int  # physical line of the header (1-based); 0 when the file has none
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, cells)
    skips: list[Skip] = field(default_factory=list)
    delimiter: str = ","
    encoding: str = ""

    @property
    def has_header(self) -> bool:
        return self.header_line > 0


def _rows(text: str, delimiter: str, limit: int) -> list[list[str]]:
    out: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if any(c.strip() for c in row):
                out.append(row)
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first rows into the same number of cells (2 or more),
    most often; a tie goes to the comma, then semicolon, tab and bar."""
    head = "\n".join(text.splitlines()[:200])
    best, best_score = ",", (0.0, 0)
    for d in DELIMITERS:
        rows = _rows(head, d, 50)
        counts = [len(r) for r in rows]
        if not counts:
            continue
        modal = max(set(counts), key=lambda c: (counts.count(c), c))
        if modal < 2:
            continue
        score = (counts.count(modal) / len(counts), modal)
        if score > best_score:
            best, best_score = d, score
    return best


# Words that name a column (a whole word of a header cell). Words that are as likely in a
# company's name ("Home", "First", "Business") are left out: data rows must not pass for one.
_HEADER_WORDS = {
    "name", "names", "surname", "nickname", "email", "emails", "mail", "phone", "phones",
    "mobile", "tel", "telephone", "fax", "company", "organisation", "organization", "title",
    "job", "position", "department", "notes", "comments", "birthday", "address", "street",
    "city", "zip", "postcode", "country", "website", "url", "linkedin", "tags", "categories",
    "nom", "prénom", "prenom", "société", "vorname", "nachname", "firma", "telefon",
    "téléphone", "adresse", "geburtstag", "nombre", "apellido", "apellidos", "empresa",
    "correo", "teléfono", "cognome", "azienda",
}  # fmt: skip
_HEADER_CJK = ("姓", "名前", "氏名", "会社", "電話", "メール", "住所", "誕生日", "部署", "役職")
_EMAIL_LIKE = re.compile(r"\S+@\S+\.\S+")
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]{6,}$")
_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$|^--\d{2}-?\d{2}$")


def _looks_like_data(cell: str) -> bool:
    """A cell that holds a value, not a column name: an address, a number, a date, a URL."""
    c = cell.strip()
    if not c:
        return False
    return bool(
        _EMAIL_LIKE.search(c)
        or (_PHONE_LIKE.match(c) and sum(ch.isdigit() for ch in c) >= 6)
        or _DATE_LIKE.match(c)
        or c.lower().startswith(("http://", "https://", "www."))
        or c.replace(".", "").replace(",", "").isdigit()
    )


def _header_word(cell: str) -> bool:
    words = re.split(r"[^\w]+", cell.casefold())
    return any(w in _HEADER_WORDS for w in words if w) or any(k in cell for k in _HEADER_CJK)


def looks_like_header(first: list[str], rest: list[list[str]]) -> bool:
    """Whether the first row names the columns rather than holding the first contact."""
    if detect_layout(first) != "csv":
        return True
    if any(_looks_like_data(c) for c in first):
        return False
    if any(_header_word(c) for c in first if c.strip()):
        return True
    for i in range(len(first)):  # a column of addresses or numbers under a plain word
        column = [r[i] for r in rest[:20] if i < len(r) and r[i].strip()]
        if column and 2 * sum(_looks_like_data(v) for v in column) >= len(column):
            return True
    return False


def _start(lines: list[str]) -> tuple[int, str | None]:
    """(index of the first line of the table, delimiter from Excel's ``sep=`` line or None).
    LinkedIn puts a "Notes:" preamble before its header."""
    for i, line in enumerate(lines[:40]):
        low = line.casefold()
        if "first name" in low and "connected on" in low:
            return i, None
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        m = re.fullmatch(r'"?sep=(.)"?,*', line.strip())
        if m:
            return i + 1, m[1]
        return i, None
    return 0, None


def read_csv_table(data: bytes, file: str) -> Table:
    """Decode and split a CSV file (see the module's docstring).

    An unterminated quote stops reading: the rows before it are returned and the rest is
    reported as one skip naming the line where the quoted field opened."""
    text, encoding = decode_text(data, file)
    lines = text.splitlines(keepends=True)
    start, delimiter = _start(lines)
    body_text = "".join(lines[start:])
    delimiter = delimiter or sniff_delimiter(body_text)
    sample = _rows(body_text, delimiter, 21)
    if not sample:
        raise ImportFileError(file, "no header row found", start + 1)
    first = sample[0]
    header = looks_like_header(first, sample[1:])
    rows, skips = _read_rows(body_text, delimiter, start)
    if header and rows:
        header_line, headers = rows[0][0], rows[0][1]
        rows = rows[1:]
        layout = detect_layout(headers)
    else:
        header_line, layout = 0, "csv"
        headers = [f"Column {i + 1}" for i in range(max(len(r) for _, r in rows))] if rows else []
    return Table(layout, header_line, headers, rows, skips, delimiter, encoding)


def _read_rows(
    body: str, delimiter: str, base: int
) -> tuple[list[tuple[int, list[str]]], list[Skip]]:
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    skips: list[Skip] = []
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
    return rows, skips


def read_table(
    data: bytes, file: str
) -> tuple[str, int, list[str], list[tuple[int, list[str]]], list[Skip]]:
    """(layout, header line, header, [(line, row)], skips): :func:`read_csv_table` as a tuple."""
    t = read_csv_table(data, file)
    return t.layout, t.header_line, t.headers, t.rows, t.skips


# -- dates ---------------------------------------------------------------------------------


class AmbiguousDate(ValueError):
    """A date such as 01/02/1991 whose day and month could be either way round."""


_NAMED = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y")
_NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$")


def infer_day_order(values: list[str]) -> str:
    """``dmy`` or ``mdy`` when the dates among ``values`` (every cell of a file: birthdays,
    anniversaries, any date) show the order, a first number over 12 or a second one; else ""
    (no evidence, or evidence both ways)."""
    dmy = mdy = False
    for v in values:
        m = _NUMERIC.match(v.strip())
        if not m or m[2] == ".":
            continue
        a, b = int(m[1]), int(m[3])
        dmy = dmy or (a > 12 >= b)
        mdy = mdy or (b > 12 >= a)
    return "dmy" if dmy and not mdy else "mdy" if mdy and not dmy else ""


def parse_csv_date(text: str, order: str = "") -> str:
    """A date as address books write it, as ISO (``YYYY-MM-DD`` or ``--MM-DD``); "" for none.

    ``1991-01-20``, ``19910120``, ``1991/01/20``, ``--01-20``, ``20.01.1991`` (always day
    first), ``05 Nov 2024``, ``Nov 5, 2024``, and ``20/01/1991`` or ``01/20/1991`` when the day
    makes the order certain, or ``order`` (from the file's other dates) says it. Raises
    :class:`AmbiguousDate` for a date that could be either way round; returns anything else
    unchanged, for the record's validation to report."""
    t = text.strip()
    if not t or re.fullmatch(r"0?0([/.-])0?0\1\d*", t):
        return ""
    if re.fullmatch(r"--\d{2}-?\d{2}", t):
        return t
    m = re.fullmatch(r"(\d{4})[-/]?(\d{2})[-/]?(\d{2})(?:[T ].*)?", t)
    if m:
        return _iso(int(m[1]), int(m[2]), int(m[3])) or t
    m = _NUMERIC.match(t)
    if m:
        return _numeric(m, order) or t
    for fmt in _NAMED:
        try:
            return datetime.strptime(t, fmt).date().isoformat()
        except ValueError:
            continue
    return t


def _iso(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


def _numeric(m: re.Match[str], order: str) -> str:
    a, b, year = int(m[1]), int(m[3]), int(m[4])
    if len(m[4]) == 2:
        year += 1900 if year >= 30 else 2000
    if m[2] == "." or a > 12:
        return _iso(year, b, a)
    if b > 12 or a == b:
        return _iso(year, a, b)
    if order == "dmy":
        return _iso(year, b, a)
    if order == "mdy":
        return _iso(year, a, b)
    raise AmbiguousDate(
        f"{m[0]!r} could be {_spell(year, b, a)} or {_spell(year, a, b)}, "
        "and no other date in the file shows which comes first"
    )


def _spell(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).strftime("%-d %B")
    except ValueError:
        return "no date"


def _birthday(raw: RawContact, text: str, order: str) -> None:
    try:
        raw.birthday = parse_csv_date(text, order)
    except AmbiguousDate as exc:
        raw.warnings.append(f"birthday dropped: {exc}")


# -- layouts -------------------------------------------------------------------------------


def _split_multi(value: str) -> list[str]:
    return [v.strip() for v in value.split(":::") if v.strip()]


Row = Callable[[str], str]


def _row_getter(headers: list[str], row: list[str], used: set[int]) -> Row:
    index: dict[str, int] = {}
    for i, h in enumerate(headers):
        index.setdefault(_norm(h), i)

    def get(name: str) -> str:
        i = index.get(name.casefold())
        if i is None or i >= len(row):
            return ""
        used.add(i)
        return row[i]

    return get


def _linkedin(get: Row, raw: RawContact, order: str) -> None:
    raw.source = "linkedin"
    raw.given_name, raw.family_name = get("first name").strip(), get("last name").strip()
    url = get("url").strip()
    if url:
        raw.links.append(url)
    raw.emails.append(Email(get("email address")))
    raw.org, raw.title = get("company"), get("position")
    try:
        connected = parse_csv_date(get("connected on"))
    except AmbiguousDate:
        connected = get("connected on").strip()
    if connected:
        raw.note = f"LinkedIn connection since {connected}"


def _google(get: Row, headers: list[str], raw: RawContact, order: str) -> None:
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
    _birthday(raw, get("birthday"), order)
    labels = get("labels") or get("group membership")
    raw.tags = [t for t in _split_multi(labels) if not t.startswith("*")]
    norm = [_norm(h) for h in headers]
    for n in range(1, 21):
        _google_group(get, norm, n, raw)


def _google_group(get: Row, norm: list[str], n: int, raw: RawContact) -> None:
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
    for col in (f"website {n} - label", f"website {n} - type"):  # the URL says enough
        get(col)
    for url in _split_multi(get(f"website {n} - value")):
        if "linkedin.com/" in url.lower() or raw.website:
            raw.links.append(url)
        else:
            raw.website = url


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


def _outlook(get: Row, raw: RawContact, layout: str, order: str) -> None:
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
    _birthday(raw, get("birthday"), order)
    cats = get("categories")
    raw.tags = [t.strip() for t in re.split(r"[;,]", cats) if t.strip()]
    for n in ("", " 2", " 3"):  # a name prefix, and what the address says again
        for col in ("title", "suffix", f"e-mail{n} type", f"e-mail{n} display name"):
            get(col)


def unneutralise(cell: str) -> str:
    """Undo the export's spreadsheet-formula guard (``export.neutralise``) exactly."""
    from netapp.interchange.export import needs_guard

    if cell.startswith("'") and needs_guard(cell[1:]):
        return cell[1:]
    return cell


def _lines(value: str, legacy: str) -> list[str]:
    """One value per line (netapp's export); older exports joined them with ``legacy``."""
    parts = value.split("\n") if "\n" in value else re.split(legacy, value)
    return [p.strip() for p in parts if p.strip()]


def _labelled(values: list[str], labels: str) -> list[tuple[str, str]]:
    """Values with the label on the same line of the labels cell ("" when there is none)."""
    names = labels.split("\n") if labels else []
    return [(v, names[i].strip() if i < len(names) else "") for i, v in enumerate(values)]


def _emails(values: list[str], labels: str) -> list[Email]:
    return [Email(v, label) for v, label in _labelled(values, labels)]


def _phones(values: list[str], labels: str) -> list[Phone]:
    return [Phone(v, label, valid=False) for v, label in _labelled(values, labels)]


def _netapp(get: Row, raw: RawContact, order: str) -> None:
    def cell(name: str) -> str:
        return unneutralise(get(name))

    raw.source = "csv"
    raw.display_name, raw.given_name, raw.family_name = (
        cell("name"),
        cell("first name"),
        cell("last name"),
    )
    raw.org, raw.department, raw.title = cell("organisation"), cell("department"), cell("title")
    raw.emails = _emails(_lines(cell("emails"), r"[;,]\s*"), cell("email labels"))
    raw.phones = _phones(_lines(cell("phones"), r";\s+"), cell("phone labels"))
    raw.website = cell("website")
    raw.links = _lines(cell("links"), r";\s+")
    _birthday(raw, cell("birthday"), order)
    raw.tags = _lines(cell("tags"), r",\s*")
    raw.note = cell("note")
    if cell("kind").strip().casefold() == ContactKind.ORGANISATION:
        raw.kind = ContactKind.ORGANISATION
    uid = cell("uid").strip().lower()
    raw.uid = uid if re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", uid) else ""


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
            raw.birthday = value  # read with the file's day order in parse_csv
        elif target == "note":
            raw.note = f"{raw.note}\n{value}" if raw.note else value
        elif target in MAPPABLE_FIELDS:
            setattr(raw, target, value)


# Values exporters put in columns nobody filled in (Outlook: Gender "Unspecified", ...).
_EMPTY_VALUES = {"", "unspecified", "normal", "false", "0/0/00", "0.0.00", "00/00/0000"}


def _unkept(headers: list[str], row: list[str], used: set[int], raw: RawContact) -> None:
    """Report the cells of columns the layout does not read; take a country as a region."""
    from netapp.interchange.regions import region_for

    for i, h in enumerate(headers):
        if i in used or i >= len(row) or row[i].strip().casefold() in _EMPTY_VALUES:
            continue
        if "country" in _norm(h):
            region = region_for(row[i])
            if region and region not in raw.regions:
                raw.regions.append(region)
        if _norm(h) == "photo" and row[i].strip().lower().startswith("http"):
            raw.warnings.append("photo not kept: it is a link, and netapp does not fetch links")
            continue
        raw.unkept.append(h.strip() or f"column {i + 1}")


def parse_csv(data: bytes, file: str, region: str, mapping: dict[str, str] | None = None) -> Parsed:
    """Read a contacts CSV. Raises NeedsMapping for an unknown layout (or a file without a
    header) when no ``mapping`` is given."""
    table = read_csv_table(data, file)
    layout = table.layout
    if mapping is not None:
        layout = "csv"
        unknown = set(mapping.values()) - set(MAPPABLE_FIELDS)
        if unknown:
            fields = ", ".join(f for f in MAPPABLE_FIELDS if f)
            raise ImportFileError(
                file, f"cannot map a column to {sorted(unknown)[0]!r} (the fields are: {fields})"
            )
    elif layout == "csv":
        first = table.rows[0][1] if table.rows and not table.has_header else []
        raise NeedsMapping(file, table.headers, table.header_line, first)
    order = infer_day_order([cell for _, r in table.rows for cell in r])
    parsed = Parsed(layout, encoding=table.encoding)
    for line, row in table.rows:
        if len(row) > len(table.headers) + 50:
            parsed.skipped.append(Skip(line, f"{len(row)} cells for {len(table.headers)} columns"))
            continue
        raw = _read_row(table, layout, row, line, mapping or {}, order)
        add_raw(parsed, raw, region)
    parsed.skipped.extend(table.skips)
    parsed.skipped.sort(key=lambda s: s.line)
    return parsed


def _read_row(
    table: Table, layout: str, row: list[str], line: int, mapping: dict[str, str], order: str
) -> RawContact:
    raw = RawContact(line=line)
    used: set[int] = set()
    get = _row_getter(table.headers, row, used)
    if layout == "linkedin":
        _linkedin(get, raw, order)
    elif layout == "google":
        _google(get, table.headers, raw, order)
    elif layout in ("outlook", "outlook.com"):
        _outlook(get, raw, layout, order)
    elif layout == "netapp":
        _netapp(get, raw, order)
    else:
        _mapped(table.headers, row, mapping, raw)
        _birthday(raw, raw.birthday, order)
        return raw
    _unkept(table.headers, row, used, raw)
    return raw
