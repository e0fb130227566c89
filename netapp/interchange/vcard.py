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
bytes, and only then decodes each property value with its own charset. A value without a
``CHARSET`` is decoded as the file's encoding, told once from all such values (UTF-8, else
the legacy encoding their letters show, see :mod:`netapp.interchange.encoding`); a file whose
encoding cannot be told is refused. Every card keeps the line number of its ``BEGIN:VCARD``.

The API per card, for the importer and for sync: :func:`iter_cards` / :func:`parse_card` give
:class:`VCard` objects (every property, unknown ones included, with the bytes it was read
from); :func:`card_to_raw` reads what netapp keeps; :func:`person_to_vcard` writes one person
deterministically (same person, same bytes), optionally with extra properties carried over.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from netapp import fields as F
from netapp.domain import ContactKind, Email, Person, Phone
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
_BEGIN = re.compile(rb"^(?:[A-Za-z0-9_-]+\.)?BEGIN\s*:\s*VCARD$", re.I)
_END = re.compile(rb"^(?:[A-Za-z0-9_-]+\.)?END\s*:\s*VCARD$", re.I)
_UUID = re.compile(
    r"^(?:urn:uuid:)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)

# TYPE values that say nothing a person would call a label.
_NOISE_TYPES = {"pref", "voice", "internet", "x400", "msg", "text", "uri", "x-internet"}
_TYPE_LABELS = {"cell": "mobile", "mobile": "mobile", "iphone": "iphone"}
_KNOWN_LABELS = ("mobile", "home", "work", "fax", "pager", "main", "iphone", "other")
_BINARY_PROPS = {"PHOTO", "LOGO", "SOUND", "KEY", "X-MS-CARDPICTURE"}

# Properties netapp reads (some only to decide something, like ADR's country).
READ = {
    "FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "URL", "X-SOCIALPROFILE", "NOTE", "BDAY",
    "CATEGORIES", "PHOTO", "KIND", "X-ADDRESSBOOKSERVER-KIND", "X-ABSHOWAS", "X-ABLABEL",
    "UID", "X-ADDRESSBOOKSERVER-MEMBER", "MEMBER", "AGENT",
}  # fmt: skip
# Properties about the file or the program that wrote it, not about the contact.
METADATA = {
    "BEGIN", "END", "VERSION", "PRODID", "REV", "SORT-STRING", "CLIENTPIDMAP", "SOURCE",
    "NAME", "PROFILE", "CLASS", "MAILER", "X-ABUID", "X-ABADR", "X-IMAGETYPE",
    "X-IMAGEHASH", "X-EVOLUTION-FILE-AS", "X-MOZILLA-HTML", "X-MOZILLA-PROPERTY",
    "X-MS-OL-DEFAULT-POSTAL-ADDRESS", "X-MS-OL-DESIGN", "X-ABSHOWAS", "X-ABLABEL",
    "X-PHONETIC-FIRST-NAME", "X-PHONETIC-LAST-NAME", "X-ACTIVITY-ALERT", "X-WAB-GENDER",
}  # fmt: skip
# How the user would call a property netapp cannot keep.
UNKEPT_NAMES = {
    "ADR": "address", "LABEL": "address label", "NICKNAME": "nickname", "ROLE": "role",
    "IMPP": "instant messaging", "X-AIM": "instant messaging", "X-JABBER": "instant messaging",
    "X-SKYPE": "instant messaging", "X-MSN": "instant messaging", "X-YAHOO": "instant messaging",
    "X-ICQ": "instant messaging", "X-GOOGLE-TALK": "instant messaging", "X-QQ": "instant messaging",
    "ANNIVERSARY": "anniversary", "X-ANNIVERSARY": "anniversary", "X-ABDATE": "date",
    "RELATED": "related person", "X-ABRELATEDNAMES": "related person",
    "X-SPOUSE": "related person", "X-MANAGER": "related person", "X-ASSISTANT": "related person",
    "GENDER": "gender", "LOGO": "logo", "GEO": "location", "TZ": "time zone",
    "KEY": "public key", "SOUND": "sound", "LANG": "language", "FBURL": "free/busy URL",
    "CALURI": "calendar URL", "CALADRURI": "calendar URL", "EXPERTISE": "expertise",
    "HOBBY": "hobby", "INTEREST": "interest", "X-MAIDENNAME": "maiden name",
    "X-MS-CARDPICTURE": "photo",
}  # fmt: skip


@dataclass(slots=True)
class Prop:
    """One property of a card, as read: ``raw`` is its value's bytes (still encoded, still
    escaped), ``source`` the whole unfolded content line."""

    line: int
    group: str
    name: str  # upper case
    params: dict[str, list[str]]
    raw: bytes
    types: list[str] = field(default_factory=list)  # lower case TYPE values
    source: bytes = b""
    fallback: str = "utf-8"  # the file's encoding for values without CHARSET

    def text(self) -> str:
        return unescape(self.decoded())

    def decoded(self) -> str:
        """The value decoded (QP, charset), with escapes still in place."""
        params = self.params
        if not params or ("encoding" not in params and "charset" not in params):
            return decode_value(self.raw, "", self.fallback)  # no ENCODING, no CHARSET
        data = self.raw
        if self.encoding() in ("quoted-printable", "qp"):
            data = quopri.decodestring(data)
        return decode_value(data, self.param("charset"), self.fallback)

    def param(self, key: str) -> str:
        values = self.params.get(key.lower())
        return values[0] if values else ""

    def encoding(self) -> str:
        return self.param("encoding").lower()

    def pref(self) -> int:
        """The preference (1 most preferred, 100 least): PREF=n, or TYPE=pref as 1."""
        value = self.param("pref")
        if value.isdigit():
            return int(value)
        return 1 if "pref" in self.types else 101


@dataclass
class VCard:
    """One card: its properties in file order, and any card nested in it (vCard 2.1 AGENT)."""

    line: int
    props: list[Prop] = field(default_factory=list)
    agents: list[VCard] = field(default_factory=list)

    def unknown(self) -> list[Prop]:
        """Properties netapp does not read (kept available, e.g. for sync to carry over)."""
        return [p for p in self.props if p.name not in READ]


def decode_value(data: bytes, charset: str = "", fallback: str = "utf-8") -> str:
    """Decode bytes with the declared charset, else the file's encoding, else UTF-8, else the
    legacy encoding the bytes show. Raises ValueError (EncodingError) when none fits."""
    try:  # the first codec, the one nearly always
        return data.decode(charset or fallback or "utf-8")
    except (LookupError, UnicodeDecodeError):
        pass
    for codec in dict.fromkeys(c for c in (charset, fallback, "utf-8") if c):
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    from netapp.interchange.encoding import pick_legacy

    return data.decode(pick_legacy(data)[0])


def unescape(text: str) -> str:
    """Undo vCard text escapes: ``\\n \\N \\, \\; \\: \\\\ \\"`` (the last as Gmail writes
    it). Unknown escapes stay as typed."""
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
            elif nxt in ',;:\\"':
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
    return [unescape(part) for part in _split_escaped(text, sep)]


def split_components(text: str) -> list[list[str]]:
    """A structured value (``N``, ``ADR``): components split on unescaped ``;``, each a list
    split on unescaped ``,`` (RFC 6350 §5.4: ``Doe;John;Richter,James;;``), unescaped."""
    if "\\" not in text:  # nothing escaped (most names): the plain splits are the same
        return [part.split(",") for part in text.split(";")]
    return [[unescape(v) for v in _split_escaped(part, ",")] for part in _split_escaped(text, ";")]


def _split_escaped(text: str, sep: str) -> list[str]:
    if "\\" not in text:  # nothing escaped: the plain split is the same
        return text.split(sep)
    return _split_unescaped(text, sep)


def _split_unescaped(text: str, sep: str) -> list[str]:
    """Split on ``sep`` not escaped by a backslash (the escapes are kept)."""
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
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append("".join(cur))
    return parts


# -- reading -------------------------------------------------------------------------------


def _logical_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Unfold on bytes: continuation lines (leading space/tab) and QP soft breaks (``=`` at the
    end of a quoted-printable value). Yields (first physical line number, logical line)."""
    if _QP_MARK.search(data) is None:  # no quoted-printable value: folds are all there is
        return _unfolded_lines(data)
    return _logical_lines_qp(data)


# A file without "quoted-printable" anywhere (most files, issue 20) is unfolded by one regular
# expression per logical line: its text up to the line break, with any continuation lines.
_QP_MARK = re.compile(rb"quoted-printable", re.I)
_LOGICAL = re.compile(rb"([^\r\n]*(?:(?:\r\n|\r|\n)[ \t][^\r\n]*)*)(\r\n|\r|\n|\Z)")
_FOLD = re.compile(rb"(?:\r\n|\r|\n)[ \t]")


def _unfolded_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """:func:`_logical_lines_qp` for data without quoted-printable values (a hypothesis test
    holds the two equal): the same lines, numbered the same."""
    n = 1
    pos = 0
    match = _LOGICAL.match
    while True:
        m = match(data, pos)
        assert m is not None  # the pattern matches the empty string
        line = m[1]
        folds = 0
        if b"\n" in line or b"\r" in line:
            line, folds = _FOLD.subn(b"", line)
        yield n, line
        if not m[2]:
            return
        n += 1 + folds
        pos = m.end()


def _logical_lines_qp(data: bytes) -> Iterator[tuple[int, bytes]]:
    """The general unfolding, one physical line at a time (QP soft breaks included)."""
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
            if qp and current.endswith(b"=") and not _END.match(raw.strip()):
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
    colon = line.find(b":")
    if colon >= 0 and b'"' not in line[:colon]:  # the common line: no quoted parameter
        return line[:colon].decode("latin-1"), line[colon + 1 :]
    return _split_head_quoted(line)


def _split_head_quoted(line: bytes) -> tuple[str, bytes] | None:
    in_quote = False
    for i, b in enumerate(line):
        if b == 0x22:
            in_quote = not in_quote
        elif b == 0x3A and not in_quote:
            return line[:i].decode("latin-1"), line[i + 1 :]
    return None


def _parse_prop(n: int, line: bytes) -> Prop | None:
    m = _PLAIN_HEAD.match(line)
    if m is not None:  # the common line: a bare name, parameters without quotes or spaces
        params: dict[str, list[str]] = {}
        types: list[str] = []
        if m[3]:
            params, types = _read_params(m[3].decode("latin-1").split(";")[1:])
        group = m[1].decode("latin-1").lower() if m[1] else ""
        return Prop(n, group, m[2].decode("latin-1").upper(), params, line[m.end() :], types, line)
    return _parse_prop_general(n, line)


# A content line whose name has no space around it and whose parameters hold no quote:
# :func:`_parse_prop_general` would split it at the same colon and read the same parameters
# (a hypothesis test holds the two equal).
_PLAIN_HEAD = re.compile(rb'(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)((?:;[^;:"]*)*):')


def _parse_prop_general(n: int, line: bytes) -> Prop | None:
    split = _split_head(line)
    if split is None:
        return None
    head, value = split
    parts = _split_params(head)
    m = _NAME.match(parts[0].strip())
    if not m:
        return None
    params, types = _read_params(parts[1:])
    return Prop(n, (m[1] or "").lower(), m[2].upper(), params, value, types, line)


def _read_params(parts: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """A property's parameters (keys in lower case) and its TYPE values (lower case)."""
    params: dict[str, list[str]] = {}
    types: list[str] = []
    for p in parts:
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
    return params, types


def _head_params(head: bytes) -> tuple[dict[str, list[str]], list[str]]:
    """:func:`_read_params` of a plain line's parameters (``;TYPE=cell``), read once per
    distinct text (a file repeats a few of them on every card) and copied for each line."""
    params, types = _params_of(head)
    return {k: v[:] for k, v in params.items()}, types[:]


@lru_cache(maxsize=4096)
def _params_of(head: bytes) -> tuple[dict[str, list[str]], list[str]]:
    return _read_params(head.decode("latin-1").split(";")[1:])


def _split_params(head: str) -> list[str]:
    if '"' not in head:  # nothing quoted: the plain split is the same
        return head.split(";")
    return _split_unquoted(head, ";")


def _split_commas(val: str) -> list[str]:
    if '"' not in val:  # nothing quoted: the plain split is the same
        return val.split(",")
    return _split_unquoted(val, ",")


def _split_unquoted(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside double quotes (the quotes are kept)."""
    out: list[str] = []
    cur: list[str] = []
    in_quote = False
    for ch in text:
        if ch == '"':
            in_quote = not in_quote
        if ch == sep and not in_quote:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def file_bytes(data: bytes, file: str) -> bytes:
    """The file as bytes a line reader can split: a UTF-8 BOM dropped, UTF-16 (with or
    without a BOM) re-encoded as UTF-8. Empty and binary files are refused."""
    from netapp.interchange.encoding import utf16_order

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    order = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else utf16_order(data)
    if order:
        try:
            data = data[: len(data) - len(data) % 2].decode(order).lstrip("\ufeff").encode()
        except UnicodeDecodeError:
            raise ImportFileError(file, "broken UTF-16 text") from None
    if not data.strip():
        raise ImportFileError(file, "the file is empty")
    check_not_binary(data, file)
    return data


class _Cards:
    """The card being read, and any AGENT cards open inside it (vCard 2.1 writes a nested
    card after an empty ``AGENT:`` line, or right after ``AGENT:`` on the same line)."""

    def __init__(self) -> None:
        self.stack: list[VCard] = []
        self.agent_next = False  # the last property was an empty AGENT
        self.found = False

    def begin(self, n: int) -> Iterator[tuple[int, VCard | str]]:
        self.found = True
        if self.stack and not self.agent_next:
            yield (
                self.stack[0].line,
                f"the card has no END:VCARD (the next card starts on line {n})",
            )
            self.stack = []
        self.open(VCard(n))

    def open(self, card: VCard) -> None:
        if self.stack:
            self.stack[-1].agents.append(card)
        self.stack.append(card)
        self.agent_next = False

    def end(self) -> Iterator[tuple[int, VCard | str]]:
        if self.stack:
            done = self.stack.pop()
            if not self.stack:
                yield done.line, done

    def prop(self, n: int, line: bytes) -> None:
        if not self.stack:
            return
        prop = _parse_prop(n, line)
        self.agent_next = False
        if prop is None:
            return
        if prop.name == "AGENT" and _BEGIN.match(prop.raw.strip()):
            self.found = True
            self.open(VCard(n))
            return
        self.agent_next = prop.name == "AGENT" and not prop.raw.strip()
        self.stack[-1].props.append(prop)


def iter_cards(data: bytes, file: str) -> Iterator[tuple[int, VCard | str]]:
    """Yield (line of BEGIN:VCARD, card) for each card, or (line, reason) for a card that
    cannot be read. ``home.BEGIN:VCARD`` (an item group) begins a card like ``BEGIN:VCARD``;
    a card nested in an ``AGENT`` property stays inside its parent. Raises ImportFileError
    when the file holds no vCard at all."""
    yield from _iter_cards(file_bytes(data, file), file)


def _iter_cards(data: bytes, file: str) -> Iterator[tuple[int, VCard | str]]:
    """:func:`iter_cards` of data already through :func:`file_bytes`."""
    cards = _Cards()
    if _QP_MARK.search(data) is None:
        yield from _plain_cards(data, cards)
    else:
        for n, line in _logical_lines_qp(data):
            yield from _take_line(cards, n, line)
    yield from _ends(cards, file)


def _iter_cards_by_line(data: bytes, file: str) -> Iterator[tuple[int, VCard | str]]:
    """:func:`_iter_cards` one logical line at a time, every line read the general way (the
    reference a hypothesis test holds :func:`_plain_cards` equal to)."""
    cards = _Cards()
    for n, line in _logical_lines(data):
        yield from _take_line(cards, n, line)
    yield from _ends(cards, file)


def _take_line(cards: _Cards, n: int, line: bytes) -> Iterator[tuple[int, VCard | str]]:
    """Read one logical line (unfolded) into ``cards``: a card begins or ends, or a property."""
    stripped = line.strip()
    if not stripped:
        return
    if _BEGIN.match(stripped):
        yield from cards.begin(n)
    elif _END.match(stripped):
        yield from cards.end()
    else:
        cards.prop(n, stripped)


# A logical line that is a plain property (the name not BEGIN, END or AGENT, nothing quoted or
# folded before the colon), with any continuation lines and its line break: most lines of a
# file without quoted-printable values. Read in one match, it gives what the line-by-line read
# gives (unfold, strip, _PLAIN_HEAD): the value's folds are taken out, its end stripped.
_PLAIN_PROP = re.compile(
    rb"(?:([A-Za-z0-9_-]+)\.)?(?!(?i:BEGIN|END|AGENT)[;:])([A-Za-z0-9_-]+)"
    rb'((?:;[^;:"\r\n]*)*):([^\r\n]*(?:(?:\r\n|\r|\n)[ \t][^\r\n]*)*)(\r\n|\r|\n|\Z)'
)


def _plain_cards(data: bytes, cards: _Cards) -> Iterator[tuple[int, VCard | str]]:
    """The cards of data without quoted-printable values, a plain property line read by one
    match of :data:`_PLAIN_PROP`, any other line the general way (:func:`_take_line`)."""
    n = 1
    pos = 0
    plain = _PLAIN_PROP.match
    logical = _LOGICAL.match
    fold = _FOLD.subn
    while True:
        m = plain(data, pos)
        if m is not None:
            group, name, head, value, end = m.groups()
            folds = 0
            if b"\n" in value or b"\r" in value:
                value, folds = fold(b"", value)
            stack = cards.stack
            if stack:
                cards.agent_next = False
                value = value.rstrip()
                params, types = _head_params(head) if head else ({}, [])
                stack[-1].props.append(
                    Prop(
                        n,
                        group.decode("latin-1").lower() if group else "",
                        name.decode("latin-1").upper(),
                        params,
                        value,
                        types,
                        data[pos : m.start(4)] + value,  # the line up to its value
                    )
                )
        else:
            m = logical(data, pos)
            assert m is not None  # the pattern matches the empty string
            line, end = m.groups()
            folds = 0
            if b"\n" in line or b"\r" in line:
                line, folds = fold(b"", line)
            stripped = line.strip()  # as _take_line (inline: a BEGIN and an END per card)
            if not stripped:
                pass
            elif _BEGIN.match(stripped):
                yield from cards.begin(n)
            elif _END.match(stripped):
                yield from cards.end()
            else:
                cards.prop(n, stripped)
        if not end:
            return
        n += 1 + folds
        pos = m.end()


def _ends(cards: _Cards, file: str) -> Iterator[tuple[int, VCard | str]]:
    """What is left open when the file ends; no card at all refuses the file."""
    if cards.stack:
        yield cards.stack[0].line, "the file ends before this card's END:VCARD (is it truncated?)"
    if not cards.found:
        raise ImportFileError(file, "no vCard found (no BEGIN:VCARD line)", 1)


def set_file_encoding(cards: Sequence[VCard], file: str) -> str:
    """Tell the encoding of every value that declares no CHARSET, from all of them together,
    and set it on their properties. Returns the encoding's name; refuses the file (naming
    the encodings tried) when it cannot be told."""
    from netapp.interchange.encoding import EncodingError, pick_legacy

    chunks: list[bytes] = []
    for card in _all_cards(cards):
        for p in card.props:
            if p.param("charset") or p.name in _BINARY_PROPS or p.encoding() in ("b", "base64"):
                continue
            raw = p.raw
            if p.encoding() in ("quoted-printable", "qp"):
                raw = quopri.decodestring(raw)
            if not raw.isascii():
                chunks.append(raw)
    sample = b"\n".join(chunks)
    try:
        sample.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        codec, name = pick_legacy(sample)
    except EncodingError as exc:
        raise ImportFileError(file, exc.message) from None
    for card in _all_cards(cards):
        for p in card.props:
            p.fallback = codec
    return name


def _all_cards(cards: Iterable[VCard]) -> Iterator[VCard]:
    for card in cards:
        yield card
        yield from _all_cards(card.agents)


def parse_card(data: bytes | str) -> VCard:
    """One card from its text (the first card in ``data``), for callers holding a single
    card such as a CardDAV resource. Raises ImportFileError when it is not a readable card."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    for _line, card in iter_cards(raw, "card"):
        if isinstance(card, str):
            raise ImportFileError("card", card)
        set_file_encoding([card], "card")
        return card
    raise ImportFileError("card", "no vCard found (no BEGIN:VCARD line)", 1)


# -- from a card to what netapp keeps ------------------------------------------------------


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
    m = re.match(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$", text)
    if m:
        year = m[1]
        if (omit and omit == year) or year == "1604":  # Apple's "no year" placeholder
            return f"--{m[2]}-{m[3]}"
        return f"{year}-{m[2]}-{m[3]}"
    m = re.match(r"^--(\d{2})-?(\d{2})$", text)
    if m:
        return f"--{m[1]}-{m[2]}"
    from netapp.interchange.csvformats import parse_csv_date

    try:  # a text value ("20 January 1991"); an ambiguous one is left to be reported
        return parse_csv_date(text) or text
    except ValueError:
        return text


def _photo(prop: Prop, raw: RawContact) -> None:
    value = prop.raw.strip()
    if value[:5].lower() == b"data:":  # vCard 4.0: data:image/jpeg;base64,....
        head, _, value = value.partition(b",")
        if b"base64" not in head.lower():
            raw.warnings.append("photo dropped: its data: URI is not base64")
            return
    elif prop.encoding() not in ("b", "base64"):
        raw.warnings.append("photo not kept: it is a link, and netapp does not fetch links")
        return
    compact = re.sub(rb"\s+", b"", value)
    if len(compact) * 3 // 4 > F.LIMITS["photo"]:
        raw.warnings.append(
            f"photo dropped: about {len(compact) * 3 // 4} bytes is over the limit of "
            f"{F.LIMITS['photo']}"
        )
        return
    try:
        raw.photo = base64.b64decode(compact + b"=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        raw.warnings.append("photo dropped: its base64 data is damaged")
        return
    raw.photo_type = ""  # the bytes say what it is (fields.sniff_image), not TYPE=


def _org_title(props: list[Prop]) -> tuple[list[str], str, list[str]]:
    """(ORG components, TITLE, the pairs not kept). An ORG pairs with the TITLE of its item
    group, else (ungrouped) the n-th ORG with the n-th ungrouped TITLE. The preferred pair
    (PREF, TYPE=pref), or else the first, is kept whole: never an organisation with the
    title of another pair."""
    orgs = [p for p in props if p.name == "ORG"]
    titles = [p for p in props if p.name == "TITLE"]
    org_groups = {o.group for o in orgs if o.group}
    by_group = {t.group: t for t in titles if t.group in org_groups}
    loose = [t for t in titles if t.group not in org_groups or not t.group]
    pairs: list[tuple[Prop | None, Prop | None]] = []
    for org in orgs:
        title = by_group.get(org.group) if org.group else (loose.pop(0) if loose else None)
        pairs.append((org, title))
    pairs += [(None, t) for t in loose]
    if not pairs:
        return [], "", []
    best = pairs[0]  # one pair, most cards: the preferred one without asking
    if len(pairs) > 1:
        best = min(pairs, key=lambda pr: min(x.pref() for x in pr if x is not None))
    others: list[str] = []
    for o, t in pairs:
        if (o, t) == best:
            continue
        words = [split_structured(o.decoded())[0] if o else "", t.text() if t else ""]
        what = "organisation and title" if o and t else "organisation" if o else "title"
        others.append(f"{what} {' / '.join(w for w in words if w)!r}")
    org_parts = split_structured(best[0].decoded()) if best[0] else []
    return org_parts, best[1].text() if best[1] else "", others


def _region(prop: Prop) -> str:
    """The region an ADR's country (or Apple's X-ABADR code) names, or ""."""
    from netapp.interchange.regions import region_for

    if prop.name == "X-ABADR":
        return region_for(prop.text())
    parts = split_structured(prop.decoded())
    return region_for(parts[6]) if len(parts) > 6 else ""


# The properties _kind reads: a card without any of them is a person's.
_KIND_PROPS = frozenset(
    {"X-ADDRESSBOOKSERVER-MEMBER", "MEMBER", "KIND", "X-ADDRESSBOOKSERVER-KIND", "X-ABSHOWAS"}
)


def _kind(props: list[Prop]) -> str:
    """'group', 'organisation' or '' (a person) from KIND and Apple's kind properties."""
    for p in props:
        if p.name in ("X-ADDRESSBOOKSERVER-MEMBER", "MEMBER"):
            return "group"
        if p.name in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
            kind = p.text().strip().lower()
            if kind == "group":
                return "group"
            if kind in ("org", "organization", "organisation", "location"):
                return "organisation"
        if p.name == "X-ABSHOWAS" and p.text().strip().upper() == "COMPANY":
            return "organisation"
    return ""


def card_to_raw(card: VCard) -> RawContact | str:
    """What netapp keeps of a card, or the reason the card is not a contact (a group)."""
    props = card.props
    names = {p.name for p in props}  # the scans below only where their names are present
    kind = "" if _KIND_PROPS.isdisjoint(names) else _kind(props)
    if kind == "group":
        return "a contact group, not a person"
    raw = RawContact(line=card.line, source="vcard")
    ablabels = (
        {p.group: _ablabel(p.text()) for p in props if p.name == "X-ABLABEL" and p.group}
        if "X-ABLABEL" in names
        else {}
    )
    reading = _Reading(raw, ablabels)
    from netapp.interchange.encoding import EncodingError

    for p in props:
        try:
            _read_prop(p, reading)
        except EncodingError:
            raw.warnings.append(
                f"{p.name.lower()} on line {p.line} dropped: its text encoding cannot be told"
            )
    org_parts, raw.title, other_pairs = (
        _org_title(props) if "ORG" in names or "TITLE" in names else ([], "", [])
    )
    if org_parts:
        raw.org = org_parts[0]
        raw.department = " ".join(x for x in org_parts[1:] if x.strip())
    raw.warnings += [f"{pair} not kept: netapp keeps one organisation" for pair in other_pairs]
    _names(raw, reading.fns, reading.n_parts, kind)
    for agent in card.agents:
        raw.warnings.append(f"agent {_agent_name(agent)!r} (a card nested in this one) not kept")
    return raw


def _agent_name(agent: VCard) -> str:
    """A nested card's name: its FN, else its N (vCard 2.1 cards may have no FN)."""
    fn = next((p.text().strip() for p in agent.props if p.name == "FN"), "")
    if fn:
        return fn
    n = next((split_structured(p.decoded()) for p in agent.props if p.name == "N"), [])
    parts = [x.strip() for x in (n[1:2] + n[:1])]
    return " ".join(x for x in parts if x)


@dataclass
class _Reading:
    """A card being read into a RawContact."""

    raw: RawContact
    ablabels: dict[str, str]
    fns: list[str] = field(default_factory=list)
    n_parts: list[list[str]] = field(default_factory=list)


def _fn(p: Prop, r: _Reading) -> None:
    r.fns.append(p.text().strip())


def _n(p: Prop, r: _Reading) -> None:
    r.n_parts[:] = split_components(p.decoded())


def _email(p: Prop, r: _Reading) -> None:
    r.raw.emails.append(Email(p.text().strip(), _label(p, r.ablabels)))


def _tel_prop(p: Prop, r: _Reading) -> None:
    r.raw.phones.append(Phone(p.text().strip(), _label(p, r.ablabels), valid=False))


def _url(p: Prop, r: _Reading) -> None:
    url = p.text().strip()
    if p.name == "URL" and not r.raw.website and not linkedin_key(url):
        r.raw.website = url
    elif url:
        r.raw.links.append(url)


def _note(p: Prop, r: _Reading) -> None:
    r.raw.note = f"{r.raw.note}\n{p.text()}" if r.raw.note else p.text()


def _bday_prop(p: Prop, r: _Reading) -> None:
    r.raw.birthday = _birthday(p)


def _categories(p: Prop, r: _Reading) -> None:
    r.raw.tags.extend(t.strip() for t in split_structured(p.decoded(), ",") if t.strip())


def _photo_prop(p: Prop, r: _Reading) -> None:
    _photo(p, r.raw)


def _uid(p: Prop, r: _Reading) -> None:
    m = _UUID.match(p.text().strip().lower())
    r.raw.uid = m[1] if m else ""


def _address(p: Prop, r: _Reading) -> None:
    region = _region(p)
    if region and region not in r.raw.regions:
        r.raw.regions.append(region)
    if p.name == "ADR" and p.decoded().replace(";", "").strip():
        r.raw.unkept.append("address")


def _agent(p: Prop, r: _Reading) -> None:
    if p.raw.strip():  # a 3.0 agent: a whole card escaped into the value
        r.raw.unkept.append("agent (a card within the card)")


_READERS = {
    "FN": _fn,
    "N": _n,
    "EMAIL": _email,
    "TEL": _tel_prop,
    "URL": _url,
    "X-SOCIALPROFILE": _url,
    "NOTE": _note,
    "BDAY": _bday_prop,
    "CATEGORIES": _categories,
    "PHOTO": _photo_prop,
    "UID": _uid,
    "ADR": _address,
    "X-ABADR": _address,
    "AGENT": _agent,
}


def _read_prop(p: Prop, r: _Reading) -> None:
    reader = _READERS.get(p.name)
    if reader is not None:
        reader(p, r)
    elif p.name not in READ and p.name not in METADATA and p.raw.strip():
        r.raw.unkept.append(UNKEPT_NAMES.get(p.name, p.name))


def _names(raw: RawContact, fns: list[str], n: list[list[str]], kind: str) -> None:
    """Names from N (comma lists joined: ``Richter,James`` is two additional names) and FN.
    An organisation card that names a person in N is that person at that organisation."""

    def part(i: int) -> str:
        if i >= len(n):
            return ""
        if len(n[i]) == 1:  # one value (most components): the join of it alone
            return n[i][0].strip()
        return " ".join(x.strip() for x in n[i] if x.strip())

    family, given, extra, prefix, suffix = (part(i) for i in range(5))
    raw.family_name = family
    raw.given_name = " ".join(x for x in (given, extra) if x)
    fn = next((f for f in fns if f), "")
    names_person = bool(raw.given_name or raw.family_name)
    if kind == "organisation" and not names_person:
        raw.kind = ContactKind.ORGANISATION
        raw.display_name = fn or raw.org
        raw.org = raw.org or fn
        return
    if fn and kind == "organisation" and F.fold(fn) == F.fold(raw.org):
        fn = ""  # Apple's company card shows the company as FN: the person is in N
    raw.display_name = fn or " ".join(x for x in (prefix, given, extra, family, suffix) if x)
    for other in fns:
        if other == raw.display_name:  # the name kept (most cards: one FN)
            continue
        if other and F.fold(other) not in (F.fold(raw.display_name), F.fold(raw.org)):
            raw.warnings.append(f"name {other!r} not kept: netapp keeps one display name")


def parse_vcards(data: bytes, file: str, region: str) -> Parsed:
    """Read every card in ``data``; contacts become records, everything else a reported
    skip. A file whose values are all UTF-8 is read as a stream, one card at a time."""
    data = file_bytes(data, file)
    return _parse_vcards(data, file, region, stream=_plain_utf8(data))


# "qp" anywhere may be ENCODING=QP: a value decoded from quoted-printable can hold any byte.
_QP_ANY = re.compile(rb"quoted-printable|qp", re.I)


def _plain_utf8(data: bytes) -> bool:
    """Whether :func:`set_file_encoding` would find UTF-8 without seeing the cards: no value
    is quoted-printable and the file is UTF-8 (its values are pieces of it cut at ASCII
    bytes, so each is UTF-8 too)."""
    if _QP_ANY.search(data) is not None:
        return False
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _parse_vcards(data: bytes, file: str, region: str, *, stream: bool) -> Parsed:
    """``stream``: the file is known to be UTF-8 (:func:`_plain_utf8`), so each card becomes
    a record as soon as it is read and its properties are freed; otherwise every card is read
    first, to tell the file's encoding from all of them (a hypothesis test holds the two
    equal where both apply)."""
    parsed = Parsed("vcard")
    items: Iterable[tuple[int, VCard | str]] = _iter_cards(data, file)
    if stream:
        parsed.encoding = "UTF-8"
    else:
        items = list(items)
        cards = [c for _, c in items if isinstance(c, VCard)]
        parsed.encoding = set_file_encoding(cards, file)
    for begin, card in items:
        if isinstance(card, str):
            parsed.skipped.append(Skip(begin, card))
            continue
        result = card_to_raw(card)
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


def _type_param(label: str, group_labels: list[tuple[str, str]]) -> tuple[str, str]:
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


def _tel(number: str, valid: bool, v4: bool) -> tuple[str, str]:
    """(parameters, value) of a TEL line: a tel: URI in 4.0 (``;ext=`` as RFC 3966 writes
    it), E.164 with " ext. N" in 3.0; a number not normalised stays text as typed."""
    if valid and v4:
        return ";VALUE=uri", f"tel:{number}"
    if v4:
        return ";VALUE=text", escape(number)
    if valid and ";ext=" in number:
        main, _, ext = number.partition(";ext=")
        return "", f"{main} ext. {ext}"
    return "", escape(number)


def person_to_vcard(p: Person, version: str = "4.0", extra: Sequence[str] = ()) -> str:
    """One person as a vCard 4.0 or 3.0 text (CRLF line ends, folded). The same person gives
    the same bytes. ``extra`` are content lines added before END (properties carried over)."""
    v4 = version == "4.0"
    lines = [
        "BEGIN:VCARD",
        f"VERSION:{version}",
        *_name_lines(p, v4),
        *_contact_lines(p, v4),
        *_more_lines(p, v4),
        *extra,
        "END:VCARD",
    ]
    return "".join(fold(line) for line in lines)


def _name_lines(p: Person, v4: bool) -> list[str]:
    org_card = p.kind == ContactKind.ORGANISATION
    lines = []
    if org_card:
        lines.append("KIND:org" if v4 else "X-ABShowAs:COMPANY")
    if p.uuid:
        lines.append(f"UID:urn:uuid:{p.uuid}")
    lines.append(f"FN:{escape(p.display_name)}")
    lines.append(f"N:{escape(p.family_name)};{escape(p.given_name)};;;")
    if p.org or p.department or org_card:
        name = p.org or (p.display_name if org_card else "")
        org = escape(name) + (f";{escape(p.department)}" if p.department else "")
        lines.append(f"ORG:{org}")
    if p.title:
        lines.append(f"TITLE:{escape(p.title)}")
    return lines


def _contact_lines(p: Person, v4: bool) -> list[str]:
    lines = []
    groups: list[tuple[str, str]] = []
    for e in p.emails:
        param, prefix = _type_param(e.label, groups)
        lines.append(f"{prefix}EMAIL{param}:{escape(e.address)}")
    for ph in p.phones:
        param, prefix = _type_param(ph.label, groups)
        value_param, value = _tel(ph.number, ph.valid, v4)
        lines.append(f"{prefix}TEL{value_param}{param}:{value}")
    for group, label in groups:
        lines.append(f"{group}.X-ABLabel:{escape(label)}")
    if p.website:
        lines.append(f"URL:{escape(p.website)}")
    for link in p.links:
        kind = ";TYPE=linkedin" if linkedin_key(link) else ""
        lines.append(f"X-SOCIALPROFILE{kind}:{escape(link)}")
    return lines


def _more_lines(p: Person, v4: bool) -> list[str]:
    lines = []
    if p.birthday:
        lines.append(_bday(p.birthday, v4))
    if p.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in p.tags))
    if p.note:
        lines.append(f"NOTE:{escape(p.note)}")
    if p.photo:
        lines.append(_photo_line(p.photo, p.photo_type, v4))
    return lines


def _bday(birthday: str, v4: bool) -> str:
    if birthday.startswith("--"):
        md = birthday[2:]
        if v4:
            return f"BDAY:--{md.replace('-', '')}"
        return f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{md}"
    return f"BDAY:{birthday.replace('-', '') if v4 else birthday}"


def _photo_line(photo: bytes, photo_type: str, v4: bool) -> str:
    from netapp.fields import sniff_image

    data = base64.b64encode(photo).decode("ascii")
    media = sniff_image(photo) or photo_type or "image/jpeg"
    if v4:
        return f"PHOTO:data:{media};base64,{data}"
    return f"PHOTO;ENCODING=b;TYPE={media.split('/')[-1].upper()}:{data}"


def write_vcards(people: Iterable[Person], version: str = "4.0") -> str:
    return "".join(person_to_vcard(p, version) for p in people)
