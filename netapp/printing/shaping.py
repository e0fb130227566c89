"""Text to positioned glyphs: bidi, font fallback, shaping.

One line of text goes through three steps, each done by a library that implements the
Unicode rules in full rather than by code of ours:

1. **Bidi levels** (Unicode Bidirectional Algorithm, UAX #9, with isolates and bracket pairs)
   from ``python-bidi`` (the Rust ``unicode-bidi`` crate). Text with no right-to-left
   character skips this step: every level is 0.
2. **Font runs**: each character goes to the first font of :mod:`netapp.printing.faces` that
   has it; spaces, punctuation, digits, marks and joiners stay in the font of the text around
   them, so a name is shaped as one run. A run ends where the font or the bidi level changes.
3. **Shaping** of each run by HarfBuzz (``uharfbuzz``): Arabic joining and ligatures,
   Devanagari conjuncts and vowel-sign reordering, Thai and Hebrew mark placement, kerning,
   mirrored brackets in right-to-left runs. Runs are then put in visual order (rule L2).

The result is in 1/1000 em, so one shaping serves every font size. Characters no font has
are left out (never drawn as a box) and reported in :attr:`Shaped.dropped`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from netapp.printing import faces
from netapp.printing.faces import Face

_RTL_CLASSES = frozenset(("R", "AL", "AN", "RLE", "RLO", "RLI"))
_LEVEL = re.compile(r"Level\(\s*(\d+)")
# Closing punctuation that must not start a line in Chinese or Japanese (kinsoku).
_NO_BREAK_BEFORE = frozenset(
    "、。，．：；？！）」』】〕〉》〙〗］｝’”ー々ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)


@dataclass(frozen=True)
class Glyph:
    gid: int
    advance: float  # 1/1000 em
    dx: float
    dy: float
    text: str  # the characters this glyph stands for when text is copied (see _spread)
    actual: str = ""  # on a cluster's first glyph: its text, when glyphs outnumber letters
    span: int = 0  # … and how many glyphs that text covers


@dataclass(frozen=True)
class Run:
    face: Face
    rtl: bool
    glyphs: tuple[Glyph, ...]
    width: float  # 1/1000 em
    order: int = 0  # its place in logical (typed) order


@dataclass(frozen=True)
class Shaped:
    runs: tuple[Run, ...]  # in visual order, left to right
    width: float  # 1/1000 em
    dropped: str  # characters no font can draw, left out

    def points(self, size: float) -> float:
        return self.width * size / 1000


def is_rtl_text(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in _RTL_CLASSES for ch in text)


def base_is_rtl(text: str) -> bool:
    """The paragraph direction (rules P2-P3): that of the first strong character."""
    for ch in text:
        cls = unicodedata.bidirectional(ch)
        if cls == "L":
            return False
        if cls in ("R", "AL"):
            return True
    return False


def bidi_levels(text: str, rtl: bool | None = None) -> list[int]:
    """The resolved embedding level of every character (UAX #9), from python-bidi.

    python-bidi's public API returns only the reordered string; its ``debug`` view carries
    the levels the Rust crate resolved, one per UTF-8 byte, which are read back here.
    ``tests/netapp/printing/test_text.py`` checks them against python-bidi's own reordering.
    """
    if not text or (not rtl and not is_rtl_text(text)):
        return [0] * len(text)
    from bidi import get_display

    base = None if rtl is None else ("R" if rtl else "L")
    info = str(get_display(text, base_dir=base, debug=True))
    start = info.rfind("levels: [")
    end = info.find("]", start)
    per_byte = [int(v) for v in _LEVEL.findall(info[start:end])]
    levels: list[int] = []
    pos = 0
    for ch in text:
        if pos >= len(per_byte):  # an unexpected debug format: one run in the base direction
            base_level = 1 if (rtl if rtl is not None else base_is_rtl(text)) else 0
            return [base_level] * len(text)
        levels.append(per_byte[pos])
        pos += len(ch.encode("utf-8"))
    return levels


def _is_neutral(ch: str) -> bool:
    """Characters that take the font of the text around them, when that font has them."""
    cat = unicodedata.category(ch)
    return cat[0] in "MZPN" or cat == "Sk" or faces.is_ignorable(ch)


def _assign_fonts(text: str) -> list[str]:
    strong = [None if _is_neutral(ch) else faces.font_for(ch) for ch in text]
    keys: list[str] = []
    for i, ch in enumerate(text):
        key = strong[i]
        if key is None:
            prev = keys[-1] if keys else None
            nxt = next((k for k in strong[i + 1 :] if k is not None), None)
            for candidate in (prev, nxt):
                if candidate and (faces.is_ignorable(ch) or faces.has(candidate, ch)):
                    key = candidate
                    break
            else:
                key = faces.font_for(ch) or prev or nxt or "latin"
        keys.append(key)
    return keys


def _clean(text: str) -> tuple[str, str]:
    """NFC text with controls as spaces, less what no font can draw; and what was dropped."""
    kept: list[str] = []
    dropped: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if unicodedata.category(ch) == "Cc":
            ch = " "
        if ord(ch) in faces.SKIN_TONES:
            continue
        boxed = ord(ch) in faces.REGIONAL_INDICATORS
        if boxed or (faces.font_for(ch) is None and not faces.is_ignorable(ch)):
            dropped.append(ch)
            continue
        kept.append(ch)
    return "".join(kept), "".join(dict.fromkeys(dropped))


def _shape_run(face: Face, text: str, rtl: bool, order: int) -> Run:
    import uharfbuzz as hb

    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    hb.shape(face.hb_font, buf, {})
    scale = 1000 / face.upem
    pairs = [(i, p) for i, p in zip(buf.glyph_infos, buf.glyph_positions, strict=True)]
    pairs = [(i, p) for i, p in pairs if i.codepoint != 0]  # .notdef: never drawn as a box
    starts = sorted({i.cluster for i, _ in pairs} | {len(text)})
    end_of = dict(zip(starts, starts[1:], strict=False))
    glyphs: list[Glyph] = []
    k = 0
    while k < len(pairs):  # one cluster (a run of glyphs with the same cluster) at a time
        cluster = pairs[k][0].cluster
        j = k
        while j < len(pairs) and pairs[j][0].cluster == cluster:
            j += 1
        chars = text[cluster : end_of.get(cluster, len(text))]
        texts = _spread(chars, j - k, rtl)
        actual = chars if j - k > len(chars) and not rtl else ""
        for n, (info, pos) in enumerate(pairs[k:j]):
            glyphs.append(
                Glyph(
                    info.codepoint,
                    pos.x_advance * scale,
                    pos.x_offset * scale,
                    pos.y_offset * scale,
                    texts[n],
                    actual if n == 0 else "",
                    j - k if n == 0 and actual else 0,
                )
            )
        k = j
    return Run(face, rtl, tuple(glyphs), sum(g.advance for g in glyphs), order)


def _spread(chars: str, glyphs: int, rtl: bool) -> list[str]:
    """The text each glyph of a cluster stands for, so that reading the glyphs in drawing
    order gives the cluster's characters back: one character per glyph, the rest on the last
    glyph. A glyph beyond the characters (a split vowel, as Thai sara am) repeats the last
    one; the cluster then also carries ActualText. Right-to-left clusters are reversed, as
    PDF readers reverse right-to-left text they extract."""
    seq = chars[::-1] if rtl else chars
    if glyphs <= 1:
        return [seq]
    if glyphs <= len(seq):
        return [*seq[: glyphs - 1], seq[glyphs - 1 :]]
    return [*seq, *[seq[-1:]] * (glyphs - len(seq))]


def _visual_order(items: list[tuple[int, Run]]) -> list[Run]:
    """Rule L2: reverse every sequence of runs at each level from the highest down to the
    lowest odd one."""
    if not items:
        return []
    order = list(items)
    top = max(level for level, _ in order)
    lowest_odd = min((level for level, _ in order if level % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if order[i][0] >= level:
                j = i
                while j < len(order) and order[j][0] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return [run for _, run in order]


@lru_cache(maxsize=8192)
def shape(text: str, bold: bool = False, rtl: bool | None = None) -> Shaped:
    """``text`` (one line) as glyph runs in visual order. ``rtl`` forces the paragraph
    direction (for a wrapped line of a longer paragraph); None takes it from the text."""
    clean, dropped = _clean(text)
    levels = bidi_levels(clean, rtl)
    keys = _assign_fonts(clean)
    items: list[tuple[int, Run]] = []
    start = 0
    for i in range(1, len(clean) + 1):
        if i == len(clean) or (levels[i], keys[i]) != (levels[start], keys[start]):
            face = faces.face(keys[start], bold)
            rtl_run = levels[start] % 2 == 1
            items.append((levels[start], _shape_run(face, clean[start:i], rtl_run, len(items))))
            start = i
    runs = tuple(_visual_order(items))
    return Shaped(runs, sum(r.width for r in runs), dropped)


def break_opportunities(text: str) -> list[int]:
    """Indexes where a line may break inside a word: between Chinese/Japanese characters
    (not before closing punctuation or small kana) and, for anything else, between grapheme
    clusters (never before a mark or joiner, never after a virama or joiner)."""
    out: list[int] = []
    for i in range(1, len(text)):
        prev, ch = text[i - 1], text[i]
        if unicodedata.category(ch)[0] == "M" or faces.is_ignorable(ch) or ch in _NO_BREAK_BEFORE:
            continue
        if faces.is_ignorable(prev) or unicodedata.name(prev, "").endswith("SIGN VIRAMA"):
            continue
        out.append(i)
    return out
