"""The import's fast paths (issue 20) give exactly what the general code gives, on any text:
plain splits where nothing is quoted or escaped, ASCII folding and cleaning, the first codec."""

from __future__ import annotations

import quopri
import unicodedata
from collections.abc import Callable, Iterable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netapp import fields as F
from netapp.domain import ContactKind, Email, Phone
from netapp.errors import ValidationError
from netapp.interchange import dedupe, importer, vcard
from netapp.interchange.records import ImportFileError, RawContact, make_record
from netapp.store import Store

# Text rich in the characters the fast paths test for: quotes, escapes, separators, spaces,
# control characters, accents (composed and not), and plain ASCII.
ALPHABET = st.sampled_from(list('ab Z;,:"\\\t\r\n\x00\x1f\x7féE\u0301ßİ\u00a0ﬁ1'))
TEXT = st.text(ALPHABET, max_size=40) | st.text(max_size=40)


@given(TEXT)
def test_param_and_comma_splits_equal_the_quote_aware_split(text: str) -> None:
    """Splitting parameters and TYPE lists equals the quote-aware loop, quotes or not."""
    assert vcard._split_params(text) == vcard._split_unquoted(text, ";")
    assert vcard._split_commas(text) == vcard._split_unquoted(text, ",")


@given(TEXT, st.sampled_from([";", ","]))
def test_escaped_split_equals_the_escape_aware_split(text: str, sep: str) -> None:
    """Splitting a structured value equals the escape-aware loop, escapes or not."""
    assert vcard._split_escaped(text, sep) == vcard._split_unescaped(text, sep)


@given(TEXT)
def test_structured_value_split_equals_the_escape_aware_split(text: str) -> None:
    """Splitting N or ADR into components and lists equals the escape-aware loops."""
    general = [
        [vcard.unescape(v) for v in vcard._split_unescaped(part, ",")]
        for part in vcard._split_unescaped(text, ";")
    ]
    assert vcard.split_components(text) == general


@given(
    st.lists(st.sampled_from([b";TYPE=", b"cell", b",", b"PREF", b"=", b"x-a", b" "]), max_size=6)
)
def test_cached_parameters_equal_a_fresh_read(pieces: list[bytes]) -> None:
    """A plain line's parameters read from the cache equal a fresh read, and are its own
    copy: changing one line's parameters changes no other line's."""
    head = b";" + b"".join(pieces)
    fresh = vcard._read_params(head.decode("latin-1").split(";")[1:])
    first = vcard._head_params(head)
    assert first == fresh
    for values in first[0].values():
        values.append("changed")
    first[1].append("changed")
    assert vcard._head_params(head) == fresh


@given(TEXT)
def test_line_head_split_equals_the_quote_aware_split(text: str) -> None:
    """Splitting a content line at its colon equals the quote-aware loop."""
    line = text.encode("utf-8")
    assert vcard._split_head(line) == vcard._split_head_quoted(line)


@given(TEXT)
def test_fold_equals_the_unicode_fold(text: str) -> None:
    """The name key of ASCII text equals the full Unicode fold (NFKD, casefold, no marks)."""
    assert F.fold(text) == F._fold_unicode(text)


@given(TEXT, st.booleans())
def test_clean_text_equals_the_general_cleaning(text: str, multiline: bool) -> None:
    """Cleaning printable ASCII skips the control-character and NFC passes and gives the same."""
    general = unicodedata.normalize("NFC", F._CONTROL.sub("", text))
    if multiline:
        general = general.replace("\r\n", "\n").replace("\r", "\n").strip()
    else:
        general = " ".join(general.split())
    assert F.clean_text("note", text, multiline=multiline) == general


@given(st.binary(max_size=30), st.sampled_from(["", "utf-8", "latin-1", "utf-16", "nonsense"]))
def test_decode_value_tries_the_codecs_in_order(data: bytes, charset: str) -> None:
    """Decoding tries the declared charset, then the file's, then UTF-8, then a legacy guess."""
    expected = None
    for codec in dict.fromkeys(c for c in (charset, "cp1252", "utf-8") if c):
        try:
            expected = data.decode(codec)
            break
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        got = vcard.decode_value(data, charset, "cp1252")
    except ValueError:
        assert expected is None
        return
    if expected is not None:
        assert got == expected


_LABEL = st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,8}[A-Za-z0-9])?", fullmatch=True)
_ATOM = st.from_regex(r"[A-Za-z0-9_+-]{1,12}", fullmatch=True)
_TLD = st.sampled_from(["com", "ORG", "io", "example", "local", "test", "invalid", "x", "c0m"])
PLAIN_EMAIL = st.builds(
    lambda atoms, labels, tld: ".".join(atoms) + "@" + ".".join([*labels, tld]),
    st.lists(_ATOM, min_size=1, max_size=7),
    st.lists(
        _LABEL | st.just("a" * 63) | st.just("a" * 64) | st.just("xn--bcher-kva"),
        min_size=1,
        max_size=5,
    ),
    _TLD,
)


@given(PLAIN_EMAIL | st.text(st.sampled_from(list('aZ0.@-_+ "[]é')), max_size=30))
def test_plain_email_check_equals_email_validator(text: str) -> None:
    """An address checked without email_validator is accepted and written exactly as the
    library path gives it; anything else goes through the library as before."""
    try:
        expected: str | Exception = F._validate_with_library(text)
    except F.ValidationError as exc:
        expected = exc
    try:
        got: str | Exception = F._validate_email.__wrapped__(text)
    except F.ValidationError as exc:
        got = exc
    if isinstance(expected, Exception):
        assert isinstance(got, Exception), (text, got)
    else:
        assert got == expected


@given(
    st.lists(
        st.sampled_from(["local", "test", "arpa", "onion", "localhost", "invalid", "example"])
        | st.text(st.sampled_from(list("ablocst-.")), max_size=8),
        max_size=4,
    ).map(".".join)
)
def test_special_use_lookup_equals_the_suffix_scan(domain: str) -> None:
    """Telling a special-use domain by its label suffixes in a set agrees with the scan of
    email_validator's list."""
    assert F._is_special_use(domain) == bool(F._special_use(domain))


# Numbers shaped like "+1 (202) 555-0123", and near misses: one character of such a number
# replaced or one added (another digit, a non-ASCII digit, a separator, a letter), other
# country codes and free mixes of digits, pluses and separators.
_ASCII_DIGITS = st.sampled_from(list("0123456789"))
_NANP_SHAPE = st.tuples(
    st.sampled_from(["+1", "+1 ", "+1-", "+1."]),
    st.sampled_from(["202", "(202)", "800", "(987)", "555"]),
    st.sampled_from(["", " ", "-", "."]),
    st.text(_ASCII_DIGITS, min_size=3, max_size=3),
    st.sampled_from(["", " ", "-", "."]),
    st.text(_ASCII_DIGITS, min_size=4, max_size=4),
).map("".join)
_ODD = st.sampled_from(
    ["", "0", "1", "9", "\u0662", "\uff11", "\u0969", " ", "  ", "/", "(", ")", "+", "x", "\u00a0"]
)


def _near_miss(shape: str, at: int, odd: str, insert: bool) -> str:
    at %= len(shape) + 1
    return shape[:at] + odd + shape[at + (0 if insert else 1) :]


NANP_LIKE = (
    _NANP_SHAPE
    | st.builds(_near_miss, _NANP_SHAPE, st.integers(0, 20), _ODD, st.booleans())
    | st.lists(
        st.sampled_from(["+1", "+44", "+", "1", "00", "(", ")", " ", "-", "\u0662"])
        | _ASCII_DIGITS,
        max_size=14,
    ).map("".join)
)


@settings(deadline=None)  # phonenumbers loads its metadata on first use
@given(NANP_LIKE, st.sampled_from([(), ("US",), ("GB", "US"), ("CA",)]))
def test_nanp_phone_shortcut_equals_phonenumbers(text: str, regions: tuple[str, ...]) -> None:
    """A "+1" number read without phonenumbers is written exactly as phonenumbers gives it;
    every other shape goes through phonenumbers as before."""
    text = F.clean_text("phone", text)
    if not text:
        return
    assert F._normalize_phone.__wrapped__(text, regions) == F._normalize_with_library(text, regions)


# Raw contacts as parsers hand them to make_record: any text (over-long and odd characters
# included), addresses and numbers valid or not, dates good and bad, either kind.
_FIELD = TEXT | st.sampled_from(
    ["Ann Lee", "  Zoë  Łukasz ", "İstanbul", "a\u0301", "ﬁ", "x" * 301]
)
RAW_CONTACTS = st.builds(
    RawContact,
    display_name=_FIELD,
    given_name=_FIELD | st.just(""),
    family_name=_FIELD | st.just(""),
    org=_FIELD,
    department=_FIELD,
    title=_FIELD,
    emails=st.lists(
        st.builds(
            Email,
            PLAIN_EMAIL | TEXT | st.sampled_from(["A <a@b.example>", "mailto:A@B.Local"]),
            _FIELD,
        ),
        max_size=3,
    ),
    phones=st.lists(
        st.builds(
            Phone,
            NANP_LIKE
            | TEXT
            | st.sampled_from(["+44 20 7946 0958", "020 7946 0958", "+1 202 555 0123 x9"]),
            _FIELD,
            st.just(False),
        ),
        max_size=3,
    ),
    website=_FIELD,
    links=st.lists(_FIELD, max_size=2),
    birthday=st.sampled_from(["", "1990-01-02", "--03-04", "2999-01-01", "junk", "1604-05-06"]),
    tags=st.lists(_FIELD, max_size=3),
    note=TEXT,
    source=st.sampled_from(["vcard", "csv"]),
    kind=st.sampled_from(ContactKind),
    regions=st.lists(st.sampled_from(["GB", "FR", "", "US"]), max_size=2),
)


@pytest.fixture(scope="module")
def clean_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One store for every example (its clean reads only the phone.region setting)."""
    store = Store(tmp_path_factory.mktemp("clean") / "clean.db")
    yield store
    store.close()


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(RAW_CONTACTS, st.sampled_from(["US", "GB"]))
def test_import_records_are_as_the_store_cleans_them(
    clean_store: Store, raw: RawContact, region: str
) -> None:
    """A new record of an import is written without the store's clean (issue 20) only where
    that clean would give it back unchanged: the import cleaned it by the same rules."""
    try:
        person = make_record(raw, region).person
    except ValidationError:
        return  # skipped, with its line and reason
    if importer._kept_as_is(person):
        assert clean_store.people.clean(person, region) == person


# Pieces of vCard files: folds (space, tab), every line break alone and mixed, item groups,
# parameters (bare, quoted, with spaces), colons in values, non-ASCII and QP markers.
_PIECES = st.sampled_from(
    [
        b"\r\n", b"\n", b"\r", b" ", b"\t", b":", b";", b",", b"=", b'"', b".", b"\\",
        b"BEGIN:VCARD", b"END:VCARD", b"item1.", b"Item2.", b"EMAIL", b"TEL", b"N", b"TYPE=", b"cell",
        b"CHARSET=UTF-8", b"ENCODING=", b"QUOTED-PRINTABLE", b"quoted-printable", b"Zo\xc3\xab",
        b"\xe9", b"a" * 80, b"x-", b"PREF", b"1",
    ]
)  # fmt: skip
_PROPERTY = st.tuples(  # [group.]NAME[;params]:value, its parts drawn from the pieces too
    st.sampled_from([b"", b"", b"item1.", b"Item2.", b"a.b.", b" "]),
    st.sampled_from([b"EMAIL", b"tel", b"N", b"X-A_b", b"BEGIN", b"", b"\xe9"]),
    st.lists(
        st.sampled_from([b";", b"TYPE=", b"Cell", b",", b'"', b" ", b"PREF", b"=", b"\xe9"]),
        max_size=6,
    ).map(b"".join),
    st.sampled_from([b":", b": ", b"", b" :"]),
    st.lists(_PIECES, max_size=4).map(b"".join),
).map(b"".join)
_LINE = st.tuples(
    st.sampled_from([b"", b"", b" ", b"\t"]),  # a continuation line, or not
    _PROPERTY | st.lists(_PIECES, max_size=8).map(b"".join),
    st.sampled_from([b"\r\n", b"\n", b"\r", b""]),
).map(b"".join)
VCARD_BYTES = st.lists(_LINE, max_size=12).map(b"".join)


@given(VCARD_BYTES)
def test_unfolding_equals_the_line_by_line_unfolding(data: bytes) -> None:
    """Unfolding a file by one regular expression per line gives the same numbered lines as
    the line-by-line loop; a file with quoted-printable in it takes the loop."""
    expected = list(vcard._logical_lines_qp(data))
    assert list(vcard._logical_lines(data)) == expected
    if b"quoted-printable" not in data.lower():
        assert list(vcard._unfolded_lines(data)) == expected


# Whole files: cards (plain, grouped or spaced boundaries, an END missing, cards nested by
# AGENT) of property lines whose names may be BEGIN, END or AGENT, values ending in spaces or
# form feeds, folds, and any of the lines above.
_IN_CARD = st.sampled_from(
    [
        b"AGENT:\r\n", b"AGENT:BEGIN:VCARD\r\n", b"AGENT;X=1:\n", b"END;X=1:y\r\n",
        b"END : VCARD\n", b"FN:Zo\xc3\xab \x0c\r\n", b"NOTE:a\r\n  b \r\n\tc\r\n",
        b"item1.EMAIL;TYPE=work,PREF:a@b.c  \r\n", b"TEL;CELL:1\r\n", b"N:a;b;;;\r\n",
        b"\r\n", b"X-A:\r\n \r\n", b"ORG:a\n\t;b\r",
    ]
)  # fmt: skip
_CARD = st.tuples(
    st.sampled_from([b"BEGIN:VCARD\r\n", b"begin:vcard\n", b"item1.BEGIN:VCARD\r", b""]),
    st.lists(_IN_CARD | _IN_CARD | _LINE, max_size=8).map(b"".join),
    st.sampled_from([b"END:VCARD\r\n", b"END:VCARD\r\n", b"end:vcard", b"END:VCARD\n\n", b""]),
).map(b"".join)
CARD_FILES = st.lists(_CARD, max_size=4).map(b"".join)


@given(CARD_FILES | VCARD_BYTES)
def test_plain_card_read_equals_the_line_by_line_read(data: bytes) -> None:
    """Reading a plain property line in one match gives the same cards, properties (line,
    group, name, parameters, value, source) and reasons as reading every line the general
    way; with quoted-printable anywhere both are the general read."""

    def read(cards: Callable[[bytes, str], Iterable[object]]) -> object:
        try:
            return list(cards(data, "f.vcf"))
        except ImportFileError as exc:
            return str(exc)

    assert read(vcard._iter_cards) == read(vcard._iter_cards_by_line)


@given(_PROPERTY | VCARD_BYTES, st.integers(1, 10**6))
def test_plain_property_read_equals_the_general_read(line: bytes, n: int) -> None:
    """Reading a content line by one regular expression gives the same property (name, group,
    parameters, TYPE values, value, line) as the quote-aware general reading."""
    assert vcard._parse_prop(n, line) == vcard._parse_prop_general(n, line)


def _same_outcome(got: Callable[[], str], expected: Callable[[], str]) -> bool:
    """Both give the same text, or both fail with ValueError."""
    outcomes: list[str | None] = []
    for decode in (got, expected):
        try:
            outcomes.append(decode())
        except ValueError:
            outcomes.append(None)
    return outcomes[0] == outcomes[1]


@given(st.binary(max_size=30), st.sampled_from(["utf-8", "cp1252"]))
def test_a_value_without_parameters_decodes_as_with_unrelated_ones(raw: bytes, codec: str) -> None:
    """A property with no parameters decodes (file encoding, no QP) as one whose parameters
    name neither a charset nor an encoding."""
    bare = vcard.Prop(1, "", "NOTE", {}, raw, fallback=codec)
    other = vcard.Prop(1, "", "NOTE", {"x-other": ["1"]}, raw, fallback=codec)
    assert _same_outcome(bare.decoded, other.decoded)


_PARAMS = st.dictionaries(
    st.sampled_from(["type", "encoding", "charset", "x-other"]),
    st.sampled_from([[], ["qp"], ["QUOTED-PRINTABLE"], ["utf-8"], ["latin-1"], ["cell"], ["b"]]),
    max_size=3,
)


@given(st.binary(max_size=20) | st.sampled_from([b"caf=C3=A9", b"a=\nb", b"\xe9"]), _PARAMS)
def test_decoding_without_charset_or_encoding_equals_the_general_decoding(
    raw: bytes, params: dict[str, list[str]]
) -> None:
    """A value whose parameters name no ENCODING and no CHARSET decodes as the general
    decoding (QP when the encoding says so, then the charset or the file's encoding) does."""
    prop = vcard.Prop(1, "", "NOTE", params, raw, fallback="utf-8")
    data = quopri.decodestring(raw) if prop.encoding() in ("quoted-printable", "qp") else raw
    assert _same_outcome(
        prop.decoded, lambda: vcard.decode_value(data, prop.param("charset"), "utf-8")
    )


_CARD_LINES = st.sampled_from(
    [
        b"BEGIN:VCARD\r\n", b"END:VCARD\r\n", b"END:VCARD", b"AGENT:\r\n", b"AGENT:BEGIN:VCARD\n",
        b"VERSION:3.0\r\n", b"FN:Zo\xc3\xab Smith\r\n", b"FN:Other\n", b"N:Doe;John;;;\n",
        b"N:O\\;Brien;Ann,Marie;;Dr;\r\n", b"EMAIL;TYPE=INTERNET,work:j@example.com\r\n",
        b'EMAIL:"J" <j@ex.org>\r\n', b"EMAIL:not an address\r\n", b"TEL;CELL;PREF:+1 202 555 0101\r\n",
        b"TEL:020 7946 0018\r\n", b"NOTE:a\\nb\\, c\r\n", b"NOTE:" + b"long " * 30 + b"\r\n",
        b"ORG:Acme;Sales\r\n", b"TITLE:Boss\r\n", b"CATEGORIES:a,b,#C\r\n", b"KIND:org\r\n",
        b"X-FOO;CHARSET=latin-1:\xe9\r\n", b"item1.EMAIL:x@y.org\r\n", b"item1.X-ABLabel:home\r\n",
        b"KIND:group\r\n", b"BDAY:1990-01-02\r\n", b"BDAY:2990-01-02\r\n",
        b"ADR:;;1 Main;Town;;;France\r\n", b"UID:urn:uuid:0a1b2c3d-0000-4000-8000-0123456789ab\r\n",
        b"URL:https\\://www.linkedin.com/in/x\r\n", b"NICKNAME:Jo\r\n", b"PHOTO:http://x/y\r\n",
        b"NOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9=\r\n", b"TITLE;ENCODING=QP:=E9\r\n",
        b"FN:Zo\xc3\r\n \xab\r\n", b"FN:\xe9t\xe9\r\n", b"\xef\xbb\xbf",
    ]
)  # fmt: skip
_CARD = st.tuples(
    st.sampled_from([b"BEGIN:VCARD\r\n", b"item1.BEGIN:VCARD\n", b""]),
    st.lists(_CARD_LINES | _CARD_LINES | _LINE, max_size=6).map(b"".join),
    st.sampled_from([b"END:VCARD\r\n", b"END:VCARD", b"end:vcard\n", b""]),
).map(b"".join)
VCARD_FILES = st.lists(_CARD, max_size=4).map(b"".join)


@settings(deadline=None)  # whole files through the importer's checks (phonenumbers loads once)
@given(VCARD_FILES)
def test_streamed_read_equals_the_whole_file_read(data: bytes) -> None:
    """A UTF-8 file without quoted-printable, read one card at a time, gives the same
    records, skips and encoding (or the same error) as reading every card first."""

    def outcome(read: Callable[[], object]) -> object:
        try:
            return read()
        except ImportFileError as exc:
            return str(exc)

    try:
        data = vcard.file_bytes(data, "f.vcf")
    except ImportFileError:
        return
    whole = outcome(lambda: vcard._parse_vcards(data, "f.vcf", "GB", stream=False))
    assert outcome(lambda: vcard.parse_vcards(data, "f.vcf", "GB")) == whole
    if vcard._plain_utf8(data):
        assert outcome(lambda: vcard._parse_vcards(data, "f.vcf", "GB", stream=True)) == whole


@given(st.lists(TEXT | st.sampled_from(["", "Ann Lee", "lee, ann", "Zoë"]), max_size=6))
def test_index_name_key_equals_name_key(names: list[str]) -> None:
    """The index's name key, reusing the last one, is the name key of each name in turn."""
    index = dedupe.Index()
    assert [index.name_key(n) for n in names] == [dedupe.name_key(n) for n in names]


_ORG_TITLE_LINE = st.tuples(
    st.sampled_from([b"", b"", b"item1.", b"item2."]),
    st.sampled_from([b"ORG", b"TITLE", b"FN"]),
    st.sampled_from([b"", b"", b";PREF=1", b";TYPE=pref", b";PREF=2"]),
    st.sampled_from([b":Acme;Sales", b":Zo\xc3\xab", b":a\\;b", b":", b":Lab\\, Inc;"]),
).map(b"".join)


@given(st.lists(_ORG_TITLE_LINE, max_size=5))
def test_one_org_and_title_read_directly_equals_the_pairing(lines: list[bytes]) -> None:
    """A card's organisation and title, read directly when it has at most one ungrouped ORG
    and one TITLE, are what pairing and ranking every ORG and TITLE gives."""
    props = [vcard._parse_prop_general(n, line) for n, line in enumerate(lines, 1)]
    props = [p for p in props if p is not None]
    orgs = [p for p in props if p.name == "ORG"]
    titles = [p for p in props if p.name == "TITLE"]
    assert vcard._org_title(props) == vcard._org_title_pairs(orgs, titles)
