"""Which text encoding a contacts file is in, decided from its bytes, or refused.

The rule, in order:

1. A byte-order mark says it (UTF-8, UTF-16 LE/BE).
2. UTF-16 without a BOM betrays itself by NUL bytes: contacts files are mostly ASCII
   (commas, colons, ``BEGIN:VCARD``), so one of each pair of bytes is NUL, at odd offsets for
   little-endian and even ones for big-endian.
3. Bytes that decode as UTF-8 are UTF-8 (plain ASCII included).
4. Otherwise each legacy encoding in :data:`LEGACY` that decodes the bytes without an error is
   read and judged: its non-ASCII letters must make words a person could have written (one
   script per word; an accented Latin letter among ASCII letters, not a word made only of
   them; no symbol or superscript glued inside a word; no lower-case letter followed by a
   capital). The encoding with the fewest implausible words wins, ties going to the more
   common encoding (Windows-1252 first). If even the best leaves more than
   :data:`MAX_IMPLAUSIBLE` of the words with non-ASCII letters implausible, or the file mixes
   UTF-8 with another encoding, the file is refused with a message naming what was tried:
   it is never read as mojibake. Chinese (GB18030) and Korean (EUC-KR) readings are tried so
   that such a file, whose bytes are valid EUC-JP too, is refused as ambiguous rather than
   read as Japanese; they never outrank an alphabet's reading (two letters of an alphabet
   read as one character make plausible Chinese).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# (codec, name shown to the user, script family), most common first: a tie goes to the earlier
# one of the same family.
LEGACY: tuple[tuple[str, str, str], ...] = (
    ("cp1252", "Windows-1252", "latin"),
    ("iso-8859-15", "ISO-8859-15", "latin"),
    ("cp1250", "Windows-1250", "latin"),
    ("iso-8859-2", "ISO-8859-2", "latin"),
    ("cp1254", "Windows-1254", "latin"),
    ("iso-8859-9", "ISO-8859-9", "latin"),
    ("cp1251", "Windows-1251", "cyrillic"),
    ("koi8-r", "KOI8-R", "cyrillic"),
    ("iso-8859-5", "ISO-8859-5", "cyrillic"),
    ("cp1253", "Windows-1253", "greek"),
    ("iso-8859-7", "ISO-8859-7", "greek"),
    ("cp932", "Shift_JIS", "japanese"),
    ("euc-jp", "EUC-JP", "japanese"),
    # Tried so that a Chinese or Korean file is not read as Japanese mojibake: when it reads as
    # well in one of them as in a Japanese encoding, the file is refused as ambiguous.
    ("gb18030", "GB18030", "chinese"),
    ("euc-kr", "EUC-KR", "korean"),
)
_ALPHABETIC = frozenset({"latin", "cyrillic", "greek"})
_PAIRED_ONLY = frozenset({"chinese", "korean"})
TRIED = "UTF-8, UTF-16 (LE and BE), " + ", ".join(name for _, name, _ in LEGACY)
# The share of words with non-ASCII letters that may look implausible in the best reading.
MAX_IMPLAUSIBLE = 0.1
_SAMPLE = 1 << 20  # judge at most the first MiB of non-ASCII text


class EncodingError(ValueError):
    """The bytes cannot be decoded with confidence. ``line`` is where the trouble starts."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec name, e.g. "utf-8", "utf-16-le", "cp1252"
    name: str  # as shown to the user, e.g. "UTF-8", "Windows-1252"


def utf16_order(data: bytes) -> str:
    """``utf-16-le`` or ``utf-16-be`` when NULs show BOM-less UTF-16 text, else ""."""
    head = data[:4096]
    if len(head) < 4:
        return ""
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = len(head) // 2
    if odd > half * 0.3 and even < odd * 0.1:
        return "utf-16-le"
    if even > half * 0.3 and odd < even * 0.1:
        return "utf-16-be"
    return ""


def decode(data: bytes) -> Decoded:
    """Decode a whole text file by the rule in the module's docstring.

    Raises :class:`EncodingError` (with the line where decoding fails, when known)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        order = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        return _strict(data[2:], order, "UTF-16")
    order = utf16_order(data)
    if order:
        return _strict(data[: len(data) - len(data) % 2], order, "UTF-16")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "UTF-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    codec, name = pick_legacy(data, bad)
    return Decoded(data.decode(codec), codec, name)


def _strict(data: bytes, codec: str, name: str) -> Decoded:
    try:
        return Decoded(data.decode(codec), codec, name)
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        if codec == "utf-16-le":
            line = before.count(b"\n\x00") + 1
        elif codec == "utf-16-be":
            line = before.count(b"\x00\n") + 1
        else:
            line = before.count(b"\n") + 1
        raise EncodingError(f"broken {name} text", line) from None


def pick_legacy(data: bytes, first_bad: int = -1) -> tuple[str, str]:
    """The legacy encoding ``data`` (not valid UTF-8) is most plausibly in: (codec, name).

    Raises EncodingError naming the encodings tried when none is plausible enough."""
    line = data[:first_bad].count(b"\n") + 1 if first_bad >= 0 else None
    if _has_utf8_sequences(data):
        raise EncodingError(
            "the file mixes UTF-8 with another text encoding, so it cannot be read without "
            f"garbling names (tried {TRIED}); save it again as UTF-8",
            line,
        )
    sample = _non_ascii_lines(data)
    readings: list[tuple[int, int, str, str, str, str]] = []
    for codec, name, family in LEGACY:
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        bad, words = implausible(text, family)
        readings.append((bad, words, codec, name, family, text))
    fewest = min((r[0] for r in readings), default=0)
    best = [r for r in readings if r[0] == fewest]
    if any(r[4] in _ALPHABETIC for r in best):
        # Letters of an alphabet read two bytes at a time can make common Chinese or Korean
        # characters ('Иван' in KOI8-R is two GB2312 characters); the reverse gives noise.
        best = [r for r in best if r[4] not in _PAIRED_ONLY]
    if not best or best[0][1] == 0 or fewest > best[0][1] * MAX_IMPLAUSIBLE:
        raise EncodingError(
            f"cannot tell which text encoding the file is in (tried {TRIED}); "
            "save it again as UTF-8",
            line,
        )
    rivals = [r for r in best if r[4] != best[0][4] and r[5] != best[0][5]]
    if rivals:
        raise EncodingError(
            f"the file reads equally well as {best[0][3]} and as {rivals[0][3]}, which give "
            f"different letters (tried {TRIED}); save it again as UTF-8",
            line,
        )
    return best[0][2], best[0][3]


def _has_utf8_sequences(data: bytes) -> bool:
    """Whether some lines with non-ASCII bytes are well-formed UTF-8 while others are not:
    a file pieced together from two encodings."""
    utf8 = other = False
    for line in data[: _SAMPLE * 4].split(b"\n"):
        if not any(b > 0x7F for b in line):
            continue
        try:
            line.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            other = True
        if utf8 and other:
            return True
    return False


def _non_ascii_lines(data: bytes) -> bytes:
    """The lines that hold non-ASCII bytes (the rest says nothing about the encoding)."""
    out = [ln for ln in data.split(b"\n") if any(b > 0x7F for b in ln)]
    return b"\n".join(out)[:_SAMPLE]


def implausible(text: str, family: str = "") -> tuple[int, int]:
    """(implausible words, words with non-ASCII letters) in ``text``, read in an encoding of
    script ``family`` (see :data:`LEGACY`). A character no contact holds (box drawing, the
    generic currency sign '¤', a C1 control) counts as an implausible word of its own."""
    bad = words = 0
    for word in _words(text):
        if all(ord(c) < 128 for c in word):
            continue
        words += 1
        if not (_plausible(word) and _plausible_in(word, family)):
            bad += 1
    strays = len(_STRAY.findall(text))
    return bad + strays, words + strays


# Arrows, mathematical operators, technical symbols, box drawing, blocks, geometric shapes,
# '¤' and C1 controls: what Japanese or Cyrillic bytes turn into when read as KOI8-R or Latin.
_STRAY = re.compile("[\u2190-\u25ff\u00a4\u0080-\u009f]")


_GLUE_OK = "\u2019\u2018\u2010\u2011\u00b7\u02bc"  # apostrophes, hyphens, middle dot


def _words(text: str) -> list[str]:
    """Words: runs of letters, marks, digits and superscripts. A symbol or a non-ASCII
    punctuation mark *between two letters* stays in its word (and makes it implausible)."""
    out: list[str] = []
    cur: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if cat[0] in "LMN" or ch == "\ufffd":
            cur.append(ch)
            continue
        glued = (
            ord(ch) > 127
            and ch not in _GLUE_OK
            and cur
            and cur[-1].isalpha()
            and i + 1 < n
            and text[i + 1].isalpha()
        )
        if glued or cat in ("Cc", "Co", "Cn") and ord(ch) > 127 or ch == "\x00":
            cur.append(ch)
            continue
        if cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def _script(ch: str) -> str:
    """'ascii', 'latin', 'cyrillic', 'greek', 'cjk' (kanji, kana, full-width forms),
    'halfwidth' (half-width katakana), 'hangul' (syllables) or 'other'."""
    if ord(ch) < 128:
        return "ascii"
    name = unicodedata.name(ch, "")
    if name.startswith("HALFWIDTH KATAKANA"):
        return "halfwidth"
    if name.startswith("HANGUL SYLLABLE"):
        return "hangul"  # (a lone jamo, 'HANGUL LETTER', is 'other': no name is spelt so)
    if name.startswith(("HIRAGANA", "KATAKANA", "FULLWIDTH", "CJK")) or "IDEOGRAPH" in name:
        return "cjk"
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script.lower()
    return "other"


# The accented letters of the languages written in the Latin legacy encodings: a word's
# accented letters must all belong to one of them.
_ALPHABETS = tuple(
    set(a)
    for a in (
        "àâæçéèêëîïôœùûüÿ",  # French
        "äöüß",  # German
        "áéíñóúü",  # Spanish
        "áâãàçéêíóôõú",  # Portuguese
        "àèéìíîòóùú",  # Italian
        "àçèéíïòóúü",  # Catalan
        "éëïóöüáàè",  # Dutch
        "æøåéóòâ",  # Danish, Norwegian
        "åäöéü",  # Swedish, Finnish
        "áðéíóúýþæö",  # Icelandic
        "ąćęłńóśźż",  # Polish
        "áčďéěíňóřšťúůýž",  # Czech
        "áäčďéíĺľňóôŕšťúýž",  # Slovak
        "áéíóöőúüű",  # Hungarian
        "ăâîșțşţ",  # Romanian
        "čćđšž",  # Croatian, Bosnian, Slovene, Serbian (Latin)
        "çğıöşüâî",  # Turkish
        "ëç",  # Albanian
        "ŵŷâêîôûäëïöüáéíóúàèìòù",  # Welsh
    )
)


_CYRILLIC = tuple(
    set(a)
    for a in (
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",  # Russian, Bulgarian
        "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",  # Ukrainian
        "абвгдеёжзійклмнопрстуўфхцчшыьэюя",  # Belarusian
        "абвгдђежзијклљмнњопрстћуфхцчџш",  # Serbian
        "абвгдѓежзѕијклљмнњопрстќуфхцчџш",  # Macedonian
    )
)


def _one_language(letters: list[str]) -> bool:
    accented = {c.lower() for c in letters if ord(c) > 127}
    accented.discard("i")  # the lower case of 'İ'
    return not accented or any(accented <= a for a in _ALPHABETS)


def _one_cyrillic_language(letters: list[str]) -> bool:
    found = {c.lower() for c in letters}
    return any(found <= a for a in _CYRILLIC)


# Scripts that may share a word.
_TOGETHER = (
    {"ascii"},
    {"ascii", "latin"},
    {"latin"},
    {"cyrillic"},
    {"greek"},
    {"cjk"},
    {"hangul"},
)


def _plausible(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    for c in word:
        cat = unicodedata.category(c)
        if cat[0] not in "LMN" or (cat == "No" and letters):
            return False  # a control, symbol, stray punctuation or superscript in a word
    scripts = [_script(c) for c in letters]
    kinds = set(scripts)
    if kinds == {"halfwidth"}:
        return True  # half-width kana on its own (old Japanese systems' readings)
    if kinds == {"ascii", "cjk"}:
        # 'NTTドコモ' is a name; one kanji between ASCII letters ('Fran?ise') is Latin text
        # read as Shift_JIS.
        runs = re.findall(r"c+", "".join("c" if k == "cjk" else "a" for k in scripts))
        return len(runs) == 1 and len(runs[0]) >= 2
    if kinds not in _TOGETHER:
        return False  # two scripts in one word: Cyrillic beside Latin, a stray half-width kana
    if kinds == {"cyrillic"} and not _one_cyrillic_language(letters):
        return False  # 'КДЦЃ': letters of Russian and of Macedonian in one word
    if kinds == {"greek"} and not _greek_word(letters):
        return False  # 'Οεςπξβ': Cyrillic bytes read as Greek
    if "latin" in kinds and not _one_language(letters):
        return False  # 'Dvoøák', 'Çaðrý': letters no single language writes together
    if kinds == {"latin"} and len(letters) >= 5:
        return False  # a long word without one plain letter: another script misread
    for a, b in zip(letters, letters[1:], strict=False):
        if a.islower() and b.isupper() and (ord(a) > 127 or ord(b) > 127):
            return False  # 'йБЮ': a lower-case letter then a capital inside a word
    return True


_GREEK_VOWELS = set("αεηιουω")
_TONOS = "\u0301"


def _greek_word(letters: list[str]) -> bool:
    """Greek as it is written: final sigma only at the end, at most one accent (tonos), and
    vowels enough (a long run of consonants is another script read as Greek)."""
    lower = [c.lower() for c in letters]
    if "ς" in lower[:-1]:
        return False
    bare = [unicodedata.normalize("NFD", c) for c in lower]
    if sum(_TONOS in c for c in bare) > 1:
        return False
    vowels = sum(c[0] in _GREEK_VOWELS for c in bare)
    return len(lower) < 4 or vowels * 4 >= len(lower)


def _plausible_in(word: str, family: str) -> bool:
    """What a word may hold in a Chinese or Korean reading: no kana (Japanese), and in Chinese
    only the common characters of GB2312 (a Japanese file read as GBK gives rare ones); in
    Korean no hanja (Japanese kanji bytes read as Korean give them)."""
    if family == "chinese":
        for c in word:
            if ord(c) < 128:
                continue
            if (
                _script(c) != "cjk"
                or "HIRAGANA" in unicodedata.name(c, "")
                or ("KATAKANA" in unicodedata.name(c, ""))
            ):
                return False
            try:
                c.encode("gb2312")
            except UnicodeEncodeError:
                return False
    if family == "korean":
        return all(ord(c) < 128 or _script(c) == "hangul" for c in word)
    return True
