"""vCard 2.1 / 3.0 / 4.0 reader and 4.0 / 3.0 writer.

Why not a library: vobject 0.9.9 (the maintained Python vCard library) was tried against the
quirks real exports contain, and it fails on several of them:

* it parses *text*, so the caller must decode the file first. A line fold (or a
  quoted-printable soft break) that splits a multi-byte UTF-8 character cannot be decoded
  before unfolding, and vobject raises ``UnicodeDecodeError`` on a QP soft break inside one;
* per-property ``CHARSET`` (Windows-1252 in one property, UTF-8 in the next) cannot work once
  the whole file has been decoded with one codec;
* bare ``TYPE`` parameters (``TEL;CELL;PREF:``) come back with empty parameters;
* ``https\\://`` stays escaped.

So this module reads **bytes**: it splits lines, unfolds folded lines and QP soft breaks on
bytes, and only then decodes each property value with its own charset (UTF-8, falling back to
Windows-1252). Every record keeps the line number of its ``BEGIN:VCARD``.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from netapp.domain import Email, Person, Phone
from netapp.interchange.records import (
    ImportFileError,
    Parsed,
    RawContact,
    Skip,
    add_raw,
    check_not_binary,
    linkedin_key,
)

_LINE_SPLIT = re.compile(rb"\r\n|\n|\r")
_NAME = re.compile(r"^(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)$")

# TYPE values that say nothing a person would call a label.
_NOISE_TYPES = {"pref", "voice", "internet", "x400", "msg", "text", "uri", "x-internet"}
_TYPE_LABELS = {"cell": "mobile", "mobile": "mobile", "iphone": "iphone"}
_KNOWN_LABELS = ("mobile", "home", "work", "fax", "pager", "main", "iphone", "other")


@dataclass
class Prop:
    line: int
    group: str
    name: str  # upper case
    params: dict[str, list[str]]
    raw: bytes
    types: list[str] = field(default_factory=list)  # lower case TYPE values

    def text(self) -> str:
        return unescape(self.decoded())

    def decoded(self) -> str:
        """The value decoded (QP, charset), with escapes still in place."""
        data = self.raw
        if self.encoding() in ("quoted-printable", "qp"):
            data = quopri.decodestring(data)
        return decode_value(data, self.param("charset"))

    def param(self, key: str) -> str:
        values = self.params.get(key.lower())
        return values[0] if values else ""

    def encoding(self) -> str:
        return self.param("encoding").lower()


def decode_value(data: bytes, charset: str = "") -> str:
    """Decode bytes with the declared charset, else UTF-8, else Windows-1252."""
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def unescape(text: str) -> str:
    """Undo vCard text escapes: ``\\n \\N \\, \\; \\: \\\\``. Unknown escapes stay as typed."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt in "nN":
                out.append("\n")
            elif nxt in ",;:\\":
                out.append(nxt)
            else:
                out.append("\\" + nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def split_structured(text: str, sep: str = ";") -> list[str]:
    """Split on unescaped ``sep`` and unescape each component."""
    parts: list[str] = []
    cur: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            cur.append(text[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append(unescape("".join(cur)))
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append(unescape("".join(cur)))
    return parts


# -- reading -------------------------------------------------------------------------------


def _logical_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Unfold on bytes: continuation lines (leading space/tab) and QP soft breaks (``=`` at the
    end of a quoted-printable value). Yields (first physical line number, logical line)."""
    current: bytearray | None = None
    current_line = 0
    qp = False
    for n, raw in enumerate(_LINE_SPLIT.split(data), start=1):
        if current is not None:
            if raw[:1] in (b" ", b"\t"):
                if qp and current.endswith(b"="):
                    current += b"\n" + raw.lstrip(b" \t")
                else:
                    current += raw[1:]
                continue
            if qp and current.endswith(b"=") and raw.strip().upper() != b"END:VCARD":
                current += b"\n" + raw
                continue
            yield current_line, bytes(current)
        current = bytearray(raw)
        current_line = n
        head = raw.split(b":", 1)[0].upper()
        qp = b"QUOTED-PRINTABLE" in head
    if current is not None:
        yield current_line, bytes(current)


def _split_head(line: bytes) -> tuple[str, bytes] | None:
    """Split a content line at the first ':' outside double quotes."""
    in_quote = False
    for i, b in enumerate(line):
        if b == 0x22:
            in_quote = not in_quote
        elif b == 0x3A and not in_quote:
            return line[:i].decode("latin-1"), line[i + 1 :]
    return None


def _parse_prop(n: int, line: bytes) -> Prop | None:
    split = _split_head(line)
    if split is None:
        return None
    head, value = split
    parts = _split_params(head)
    m = _NAME.match(parts[0].strip())
    if not m:
        return None
    params: dict[str, list[str]] = {}
    types: list[str] = []
    for p in parts[1:]:
        if "=" in p:
            key, _, val = p.partition("=")
            key = key.strip().lower()
            vals = [v.strip().strip('"') for v in _split_commas(val)]
            if key == "type":  # TYPE="voice,cell" is a list too
                vals = [x.strip() for v in vals for x in v.split(",")]
        else:  # vCard 2.1 bare parameter: TEL;CELL;PREF
            key, vals = "type", [p.strip()]
            if p.strip().upper() in ("QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"):
                key = "encoding"
        params.setdefault(key, []).extend(v for v in vals if v)
        if key == "type":
            types.extend(v.lower() for v in vals if v)
    return Prop(n, (m[1] or "").lower(), m[2].upper(), params, value, types)


def _split_params(head: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    in_quote = False
    for ch in head:
        if ch == '"':
            in_quote = not in_quote
        if ch == ";" and not in_quote:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _split_commas(val: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    in_quote = False
    for ch in val:
        if ch == '"':
            in_quote = not in_quote
        if ch == "," and not in_quote:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def iter_cards(data: bytes, file: str) -> Iterator[tuple[int, list[Prop] | str]]:  # noqa: C901  split in #21
    """Yield (line of BEGIN:VCARD, properties) for each card, or (line, reason) for a card that
    cannot be read. Raises ImportFileError when the file holds no vCard at all."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode("utf-16").lstrip("\ufeff").encode("utf-8")
        except UnicodeDecodeError:
            raise ImportFileError(file, "broken UTF-16 text") from None
    if not data.strip():
        raise ImportFileError(file, "the file is empty")
    check_not_binary(data, file)
    found = False
    card: list[Prop] | None = None
    begin = 0
    depth = 0
    for n, line in _logical_lines(data):
        stripped = line.strip()
        if not stripped:
            continue
        upper = stripped.upper()
        if upper == b"BEGIN:VCARD":
            found = True
            if card is not None and depth == 0:
                yield begin, f"the card has no END:VCARD (the next card starts on line {n})"
            elif card is not None:  # a nested vCard (2.1 AGENT); skip it
                depth += 1
                continue
            card, begin, depth = [], n, 0
            continue
        if upper == b"END:VCARD":
            if card is None:
                continue
            if depth:
                depth -= 1
                continue
            yield begin, card
            card = None
            continue
        if card is None or depth:
            continue
        prop = _parse_prop(n, stripped)
        if prop is not None:
            card.append(prop)
    if card is not None:
        yield begin, "the file ends before this card's END:VCARD (is it truncated?)"
    if not found:
        raise ImportFileError(file, "no vCard found (no BEGIN:VCARD line)", 1)


def _label(prop: Prop, ablabels: dict[str, str]) -> str:
    if prop.group and prop.group in ablabels:
        return ablabels[prop.group]
    for t in prop.types:
        t = t.strip().lower()
        if t in _NOISE_TYPES or not t:
            continue
        return _TYPE_LABELS.get(t, t.removeprefix("x-"))
    return ""


def _ablabel(text: str) -> str:
    m = re.fullmatch(r"_\$!<(.*)>!\$_", text.strip())
    return m[1].lower() if m else text.strip()


def _birthday(prop: Prop) -> str:
    text = prop.text().strip()
    omit = prop.param("x-apple-omit-year")
    m = re.match(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$", text)
    if m:
        year = m[1]
        if (omit and omit == year) or year == "1604":  # Apple's "no year" placeholder
            return f"--{m[2]}-{m[3]}"
        return f"{year}-{m[2]}-{m[3]}"
    m = re.match(r"^--(\d{2})-?(\d{2})$", text)
    if m:
        return f"--{m[1]}-{m[2]}"
    return text


def _photo(prop: Prop, raw: RawContact) -> None:
    value = prop.raw.strip()
    media = ""
    if value[:5].lower() == b"data:":  # vCard 4.0: data:image/jpeg;base64,....
        head, _, value = value.partition(b",")
        media = head[5:].split(b";")[0].decode("latin-1")
    elif prop.encoding() not in ("b", "base64"):
        return  # a URL to a photo: netapp is offline, so it is not fetched
    else:
        kind = (prop.types[0] if prop.types else prop.param("mediatype")).lower()
        media = kind if "/" in kind else (f"image/{kind}" if kind else "")
    compact = re.sub(rb"\s+", b"", value)
    if len(compact) * 3 // 4 > 2_000_000:
        raw.warnings.append(f"photo dropped: about {len(compact) * 3 // 4} bytes is over the limit")
        return
    try:
        raw.photo = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raw.warnings.append("photo dropped: its base64 data is damaged")
        return
    raw.photo_type = media.replace("image/jpg", "image/jpeg")


def card_to_raw(begin: int, props: list[Prop]) -> RawContact | str:  # noqa: C901  split in #21
    """A card's properties as a RawContact, or the reason the card is not a person."""
    raw = RawContact(line=begin, source="vcard")
    ablabels = {p.group: _ablabel(p.text()) for p in props if p.name == "X-ABLABEL" and p.group}
    fn = ""
    n_parts: list[str] = []
    show_as = ""
    for p in props:
        name = p.name
        if name in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
            kind = p.text().strip().lower()
            if kind == "group":
                return "a contact group, not a person"
            if kind in ("org", "organization", "organisation"):
                return "an organisation card, not a person"
        elif name == "X-ABSHOWAS":
            show_as = p.text().strip().upper()
        elif name == "X-ADDRESSBOOKSERVER-MEMBER":
            return "a contact group, not a person"
        elif name == "FN":
            fn = fn or p.text()
        elif name == "N":
            n_parts = split_structured(p.decoded())
        elif name == "ORG":
            parts = split_structured(p.decoded())
            raw.org = parts[0]
            raw.department = " ".join(x for x in parts[1:] if x.strip())
        elif name == "TITLE":
            raw.title = raw.title or p.text()
        elif name == "EMAIL":
            raw.emails.append(Email(p.text().strip(), _label(p, ablabels)))
        elif name == "TEL":
            value = p.text().strip()
            if value.lower().startswith("tel:"):
                value = value[4:].split(";")[0]
            raw.phones.append(Phone(value, _label(p, ablabels), valid=False))
        elif name in ("URL", "X-SOCIALPROFILE"):
            url = p.text().strip()
            if name == "URL" and not raw.website and not linkedin_key(url):
                raw.website = url
            elif url:
                raw.links.append(url)
        elif name == "NOTE":
            raw.note = f"{raw.note}\n{p.text()}" if raw.note else p.text()
        elif name == "BDAY":
            raw.birthday = _birthday(p)
        elif name == "CATEGORIES":
            raw.tags.extend(t.strip() for t in split_structured(p.decoded(), ",") if t.strip())
        elif name == "PHOTO":
            _photo(p, raw)
    if show_as == "COMPANY":
        return "an organisation card, not a person"
    if n_parts:
        raw.family_name = n_parts[0].strip()
        raw.given_name = " ".join(x.strip() for x in n_parts[1:3] if x.strip())
    raw.display_name = fn.strip()
    if not raw.display_name:
        raw.display_name = " ".join(x for x in (raw.given_name, raw.family_name) if x)
    if not raw.display_name and raw.org and not raw.emails and not raw.phones:
        return "an organisation card, not a person"
    return raw


def parse_vcards(data: bytes, file: str, region: str) -> Parsed:
    """Read every card in ``data``; people become records, everything else a reported skip."""
    parsed = Parsed("vcard")
    for begin, card in iter_cards(data, file):
        if isinstance(card, str):
            parsed.skipped.append(Skip(begin, card))
            continue
        result = card_to_raw(begin, card)
        if isinstance(result, str):
            parsed.skipped.append(Skip(begin, result))
        else:
            add_raw(parsed, result, region)
    return parsed


# -- writing -------------------------------------------------------------------------------


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    out: list[str] = []
    cur: list[str] = []
    size = 0
    limit = 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append("".join(cur))
            cur, size, limit = [], 0, 74  # continuation lines start with a space
        cur.append(ch)
        size += width
    out.append("".join(cur))
    return "\r\n ".join(out) + "\r\n"


def _type_param(label: str, version: str, group_labels: list[tuple[str, str]]) -> tuple[str, str]:
    """(parameter text, group prefix) for a label; custom labels use item groups."""
    if not label:
        return "", ""
    low = label.lower()
    if low in _KNOWN_LABELS:
        value = "cell" if low == "mobile" else low
        return f";TYPE={value}", ""
    group = f"item{len(group_labels) + 1}"
    group_labels.append((group, label))
    return "", group + "."


def person_to_vcard(p: Person, version: str = "4.0") -> str:  # noqa: C901  split in #21
    """One person as a vCard 4.0 or 3.0 text (CRLF line ends, folded)."""
    v4 = version == "4.0"
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    if p.uuid:
        lines.append(f"UID:urn:uuid:{p.uuid}")
    lines.append(f"FN:{escape(p.display_name)}")
    lines.append(f"N:{escape(p.family_name)};{escape(p.given_name)};;;")
    if p.org or p.department:
        org = escape(p.org) + (f";{escape(p.department)}" if p.department else "")
        lines.append(f"ORG:{org}")
    if p.title:
        lines.append(f"TITLE:{escape(p.title)}")
    groups: list[tuple[str, str]] = []
    for e in p.emails:
        param, prefix = _type_param(e.label, version, groups)
        lines.append(f"{prefix}EMAIL{param}:{escape(e.address)}")
    for ph in p.phones:
        param, prefix = _type_param(ph.label, version, groups)
        if v4 and ph.valid:
            lines.append(f"{prefix}TEL;VALUE=uri{param}:tel:{ph.number}")
        elif v4:
            lines.append(f"{prefix}TEL;VALUE=text{param}:{escape(ph.number)}")
        else:
            lines.append(f"{prefix}TEL{param}:{escape(ph.number)}")
    for group, label in groups:
        lines.append(f"{group}.X-ABLabel:{escape(label)}")
    if p.website:
        lines.append(f"URL:{escape(p.website)}")
    for link in p.links:
        kind = ";TYPE=linkedin" if linkedin_key(link) else ""
        lines.append(f"X-SOCIALPROFILE{kind}:{escape(link)}")
    if p.birthday:
        if p.birthday.startswith("--"):
            md = p.birthday[2:]
            if v4:
                lines.append(f"BDAY:--{md.replace('-', '')}")
            else:
                lines.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{md}")
        else:
            lines.append(f"BDAY:{p.birthday.replace('-', '') if v4 else p.birthday}")
    if p.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in p.tags))
    if p.note:
        lines.append(f"NOTE:{escape(p.note)}")
    if p.photo:
        data = base64.b64encode(p.photo).decode("ascii")
        media = p.photo_type or "image/jpeg"
        if v4:
            lines.append(f"PHOTO:data:{media};base64,{data}")
        else:
            kind = media.split("/")[-1].upper()
            lines.append(f"PHOTO;ENCODING=b;TYPE={kind}:{data}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def write_vcards(people: Iterable[Person], version: str = "4.0") -> str:
    return "".join(person_to_vcard(p, version) for p in people)
