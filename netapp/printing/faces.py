"""The fonts netapp prints with, and which of them draws each character.

Every font is shipped in ``resources/fonts`` (see ``LICENSES.md`` there and
``scripts/build_fonts.py``) and embedded, subset, in every PDF, so nothing depends on the
fonts of the machine that prints or views it. The fallback chain, first match wins:

- ``latin``: Noto Sans (Latin, Greek, Cyrillic, Vietnamese, punctuation, digits)
- ``arabic``: Noto Sans Arabic (Arabic, Persian, Urdu)
- ``hebrew``: Noto Sans Hebrew
- ``devanagari``: Noto Sans Devanagari (Hindi, Marathi, Nepali)
- ``thai``: Noto Sans Thai
- ``cjk``: Droid Sans Fallback (Chinese simplified and traditional, Japanese, Korean)
- ``other``: DejaVu Sans (Armenian, Georgian, IPA, arrows, maths, box drawing …)
- ``emoji``: Symbola (monochrome emoji of Unicode 9, other symbols)

Droid Sans Fallback and Symbola have one weight; their bold is drawn by stroking the
outlines (``fake_bold``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

# (key, regular file, bold file or None for a stroked bold)
CHAIN: tuple[tuple[str, str, str | None], ...] = (
    ("latin", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("arabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    ("hebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    ("devanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    ("thai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"),
    ("cjk", "DroidSansFallback.ttf", None),
    ("other", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("emoji", "Symbola-Emoji.ttf", None),
)
KEYS = tuple(key for key, _, _ in CHAIN)
# Emoji skin-tone modifiers: a monochrome font can only draw them as swatches after the
# emoji, which reads as a stray box; they are left out (the emoji itself still prints).
SKIN_TONES = frozenset(range(0x1F3FB, 0x1F400))
# Flags are pairs of regional indicator letters; a monochrome font draws each as a letter in a
# dotted box, which prints as two boxes: they are left out and reported like a missing glyph.
REGIONAL_INDICATORS = frozenset(range(0x1F1E6, 0x1F200))


@dataclass(frozen=True, eq=False)
class Face:
    """One font file, loaded: its HarfBuzz font for shaping and what PDF embedding needs."""

    key: str
    bold: bool
    fake_bold: bool  # draw bold by stroking the regular outlines
    file: str
    data: bytes
    upem: int
    cmap: frozenset[int]
    ps_name: str
    ascent: int  # in 1/1000 em, as PDF font descriptors want them
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    hb_font: Any  # uharfbuzz.Font

    def advance(self, gid: int) -> float:
        """The glyph's advance width in 1/1000 em."""
        return float(self.hb_font.get_glyph_h_advance(gid)) * 1000 / self.upem


def _metrics(data: bytes) -> dict[str, Any]:
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), lazy=True)
    scale = 1000 / font["head"].unitsPerEm
    head, os2 = font["head"], font["OS/2"]
    name = font["name"].getDebugName(6) or "NetappFont"
    return {
        "upem": font["head"].unitsPerEm,
        "cmap": frozenset(font.getBestCmap()),
        "ps_name": "".join(ch for ch in name if ch.isalnum() or ch in "-_"),
        "ascent": round(os2.sTypoAscender * scale),
        "descent": round(os2.sTypoDescender * scale),
        "cap_height": round(getattr(os2, "sCapHeight", 0) * scale or 700),
        "bbox": tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
    }


@cache
def face(key: str, bold: bool = False) -> Face:
    """The loaded face for ``key`` in the wanted weight (cached for the process)."""
    import uharfbuzz as hb

    from netapp import assets

    _, regular, bold_file = next(spec for spec in CHAIN if spec[0] == key)
    file = bold_file if bold and bold_file else regular
    data = assets.read_bytes("fonts", file)
    hb_font = hb.Font(hb.Face(hb.Blob(data)))
    return Face(
        key=key,
        bold=bold,
        fake_bold=bold and bold_file is None,
        file=file,
        data=data,
        hb_font=hb_font,
        **_metrics(data),
    )


@cache
def _coverage() -> tuple[tuple[str, frozenset[int]], ...]:
    return tuple((key, face(key).cmap) for key in KEYS)


def is_ignorable(ch: str) -> bool:
    """Invisible characters that take part in shaping but never need a glyph of their own
    (joiners, variation selectors, bidi marks, soft hyphen …)."""
    o = ord(ch)
    return (
        unicodedata.category(ch) == "Cf"
        or 0xFE00 <= o <= 0xFE0F
        or 0xE0100 <= o <= 0xE01EF
        or o == 0x034F
        or 0x180B <= o <= 0x180F
    )


@cache
def font_for(ch: str) -> str | None:
    """The key of the first font in the chain that has ``ch``, or None when none has."""
    o = ord(ch)
    for key, cmap in _coverage():
        if o in cmap:
            return key
    return None


def has(key: str, ch: str) -> bool:
    return ord(ch) in _coverage()[KEYS.index(key)][1]
