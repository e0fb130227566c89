"""Fonts for printing every name correctly.

Latin, Greek and Cyrillic (and most other alphabets) use DejaVu Sans, shipped in
``resources/fonts`` and embedded (subset) in every PDF. Chinese, Japanese and Korean use
reportlab's built-in CID fonts, which PDF viewers supply; the font is chosen per run of text,
so a name mixing scripts prints each part in a font that has its glyphs. reportlab writes a
ToUnicode map for both kinds, so text extracted from the PDF reads back as the same Unicode.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

REGULAR = "NetappSans"
BOLD = "NetappSans-Bold"
CJK_FONTS = {"zh": "STSong-Light", "ja": "HeiseiMin-W3", "ko": "HYSMyeongJo-Medium"}


@cache
def register() -> None:
    """Register the shipped TTFs and the CID fonts with reportlab (once per process)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    from netapp import assets

    for name, file in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        with assets.as_file("fonts", file) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    for cid in CJK_FONTS.values():
        pdfmetrics.registerFont(UnicodeCIDFont(cid))


def _script(ch: str) -> str | None:
    """'ja', 'ko', 'han' (Chinese characters, language to be decided) or None."""
    o = ord(ch)
    if 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9F:
        return "ja"  # hiragana, katakana
    if 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "ko"  # hangul
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
        return "han"
    if 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF65:
        return "han"  # CJK punctuation, full-width forms
    return None


def cjk_language(text: str) -> str:
    """Which CID font suits this text's Han characters: Japanese if it has kana, Korean if it
    has hangul, otherwise Chinese."""
    scripts = {_script(ch) for ch in text}
    if "ja" in scripts:
        return "ja"
    if "ko" in scripts:
        return "ko"
    return "zh"


@cache
def _dejavu_has(ch: str) -> bool:
    from reportlab.pdfbase import pdfmetrics

    register()
    face = pdfmetrics.getFont(REGULAR).face
    return ord(ch) in face.charToGlyph


def runs(text: str, bold: bool = False) -> Iterator[tuple[str, str]]:
    """Split ``text`` into ``(font name, text)`` runs."""
    register()
    text = unicodedata.normalize("NFC", text)
    base = BOLD if bold else REGULAR
    cjk = CJK_FONTS[cjk_language(text)]
    current: str | None = None
    buf: list[str] = []
    for ch in text:
        font = base
        if _script(ch) is not None and not _dejavu_has(ch):
            font = cjk
        if font != current and buf:
            yield current or base, "".join(buf)
            buf = []
        current = font
        buf.append(ch)
    if buf:
        yield current or base, "".join(buf)


@lru_cache(maxsize=4096)
def width(text: str, size: float, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(t, f, size) for f, t in runs(text, bold))


def draw(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    align: str = "left",
) -> float:
    """Draw one line at baseline ``y``; returns its width."""
    w = width(text, size, bold)
    if align == "center":
        x -= w / 2
    elif align == "right":
        x -= w
    t = canvas.beginText(x, y)
    for font, part in runs(text, bold):
        t.setFont(font, size)
        t.textOut(part)
    canvas.drawText(t)
    return w


def ellipsize(text: str, max_width: float, size: float, bold: bool = False) -> str:
    """``text``, cut with an ellipsis so that it fits ``max_width``."""
    if width(text, size, bold) <= max_width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if width(text[:mid].rstrip() + "…", size, bold) <= max_width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def wrap(text: str, max_width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap; words longer than a line (and CJK text without spaces) break
    between characters."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if width(candidate, size, bold) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
        while width(word, size, bold) > max_width and len(word) > 1:
            cut = len(word)
            while cut > 1 and width(word[:cut], size, bold) > max_width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


@lru_cache(maxsize=1024)
def fit(
    text: str,
    max_width: float,
    size: float,
    min_size: float,
    max_lines: int,
    bold: bool = False,
) -> tuple[list[str], float]:
    """Wrap ``text`` into at most ``max_lines`` lines, shrinking from ``size`` towards
    ``min_size``; if it still does not fit, the last line ends with an ellipsis."""
    s = size
    while True:
        lines = wrap(text, max_width, s, bold)
        if len(lines) <= max_lines or s <= min_size:
            break
        s = max(min_size, s - 0.5)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = lines[: max_lines - 1] + [ellipsize(rest, max_width, s, bold)]
    return lines, s
