"""Setting text on a PDF canvas, in any script: measure, wrap, fit and draw.

Text is shaped by :mod:`netapp.printing.shaping` (bidi, font fallback, HarfBuzz) and drawn
glyph by glyph into fonts embedded by :mod:`netapp.printing.pdffont`, so every PDF carries
the (subset) fonts it uses and prints the same everywhere. Copying text out of the PDF gives
back what was typed.

A line is drawn in its own visual order; alignment is the caller's (cards and sheets are
laid out left to right, and a right-to-left name is drawn right to left inside that box).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from netapp.printing import pdffont
from netapp.printing.shaping import Glyph, Run, Shaped, base_is_rtl, break_opportunities, shape

ELLIPSIS = "…"
FAKE_BOLD_STROKE = 0.03  # of the font size: the outline stroke that emboldens one-weight fonts


def width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of ``text`` in points."""
    return shape(text, bold).points(size)


def unprintable(text: str) -> str:
    """The characters of ``text`` that no shipped font can draw (each once); printing leaves
    them out."""
    return shape(text).dropped


class _Pen:
    """Text state carried from glyph to glyph while writing operators."""

    def __init__(self) -> None:
        self.rise = 0.0  # the current text rise (Ts), 1/1000 em
        self.left = 0  # glyphs still inside an ActualText span


def _glyph(font: pdffont.EmbeddedFont, run: Run, g: Glyph) -> list[str]:
    """One glyph for a TJ array: moved by its offset, then its advance corrected to
    HarfBuzz's (kerning, mark positioning)."""
    natural = run.face.advance(g.gid)
    before, after = -g.dx, g.dx + natural - g.advance
    out = [f"{before:.1f}"] if abs(before) > 0.05 else []
    out.append(f"<{font.cid(g):04X}>")
    if abs(after) > 0.05:
        out.append(f"{after:.1f}")
    return out


def _run_ops(font: pdffont.EmbeddedFont, run: Run, size: float, pen: _Pen) -> list[str]:
    ops: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        if parts:
            ops.append(f"[{' '.join(parts)}] TJ")
            parts.clear()

    for g in run.glyphs:
        if g.dy != pen.rise:
            flush()
            pen.rise = g.dy
            ops.append(f"{pen.rise * size / 1000:.3f} Ts")
        if g.actual:  # copied text comes from ActualText for this cluster
            flush()
            ops.append(
                f"/Span <</ActualText <FEFF{g.actual.encode('utf-16-be').hex().upper()}>>> BDC"
            )
            pen.left = g.span
        parts += _glyph(font, run, g)
        if pen.left:
            pen.left -= 1
            if not pen.left:
                flush()
                ops.append("EMC")
    flush()
    return ops


def missing_warning(texts: dict[str, str]) -> str:
    """One line naming the characters no shipped font has, and where they are ('' if none):
    ``texts`` maps where the text is ("your name") to the text."""
    found: dict[str, list[str]] = {}
    for where, text in texts.items():
        for ch in unprintable(text or ""):
            found.setdefault(ch, []).append(where)
    if not found:
        return ""
    parts = [f"{ch} (U+{ord(ch):04X}) in {', '.join(dict.fromkeys(w))}" for ch, w in found.items()]
    n = len(found)
    what = "character no font has is" if n == 1 else "characters no font has are"
    return f"{n} {what} left out: {'; '.join(parts)}"


def _program(fonts: pdffont.DocumentFonts, shaped: Shaped, size: float) -> str:
    """PDF text operators drawing ``shaped`` from the current point (no BT/ET).

    Runs are written in typed order, each moved to its place in the line: PDF readers copy
    text in the order it is written and reverse right-to-left runs themselves."""
    offsets, at = {}, 0.0
    for run in shaped.runs:
        offsets[run.order] = at
        at += run.width * size / 1000
    ops: list[str] = []
    pen = _Pen()
    origin = 0.0
    fake_bold = False
    for run in sorted(shaped.runs, key=lambda r: r.order):
        if offsets[run.order] != origin:
            ops.append(f"{offsets[run.order] - origin:.3f} 0 Td")
            origin = offsets[run.order]
        if run.face.fake_bold != fake_bold:
            fake_bold = run.face.fake_bold
            ops.append("2 Tr" if fake_bold else "0 Tr")
        font = fonts.font(run.face)
        ops.append(f"/{font.internal} {size:g} Tf")
        ops += _run_ops(font, run, size, pen)
    if pen.rise:
        ops.append("0 Ts")
    if fake_bold:
        ops.append("0 Tr")
    return "\n".join(ops)


def draw(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    align: str = "left",
    rtl: bool | None = None,
) -> float:
    """Draw one line at baseline ``y``; returns its width in points. ``align`` is where
    ``x`` is: the line's left end, its centre or its right end."""
    shaped = shape(text, bold, rtl)
    w = shaped.points(size)
    if align == "center":
        x -= w / 2
    elif align == "right":
        x -= w
    if not shaped.runs:
        return w
    fonts = pdffont.for_canvas(canvas)
    key = (text, bold, rtl, size)
    program = fonts.programs.get(key)
    if program is None:
        program = fonts.programs[key] = _program(fonts, shaped, size)
    if any(run.face.fake_bold for run in shaped.runs):  # outlines stroked in the text colour
        canvas.saveState()
        canvas.setStrokeColor(canvas._fillColorObj)
        canvas.setLineWidth(size * FAKE_BOLD_STROKE)
        canvas._code.append(f"BT\n{x:.3f} {y:.3f} Td\n{program}\nET")
        canvas.restoreState()
    else:
        canvas._code.append(f"BT\n{x:.3f} {y:.3f} Td\n{program}\nET")
    return w


def ellipsize(text: str, max_width: float, size: float, bold: bool = False) -> str:
    """``text``, cut with an ellipsis so that it fits ``max_width``."""
    if width(text, size, bold) <= max_width:
        return text
    cuts = [0, *break_opportunities(text)]
    lo, hi = 0, len(cuts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if width(text[: cuts[mid]].rstrip() + ELLIPSIS, size, bold) <= max_width:
            lo = mid
        else:
            hi = mid - 1
    return text[: cuts[lo]].rstrip() + ELLIPSIS


def _split_long(word: str, max_width: float, size: float, bold: bool) -> list[str]:
    """A word wider than a line, cut at the last break opportunity that fits."""
    pieces: list[str] = []
    while width(word, size, bold) > max_width:
        fits = [i for i in break_opportunities(word) if width(word[:i], size, bold) <= max_width]
        cut = fits[-1] if fits else (break_opportunities(word) or [len(word)])[0]
        pieces.append(word[:cut])
        word = word[cut:]
        if not word:
            break
    if word:
        pieces.append(word)
    return pieces


def _words(text: str) -> list[tuple[str, str]]:
    """Words to wrap, each with the glue before it: a space where the text has one, nothing
    between Chinese/Japanese characters (each is a word of its own)."""
    out: list[tuple[str, str]] = []
    for word in text.split():
        start = 0
        glue = " "
        for i in break_opportunities(word):
            if _is_cjk(word[i - 1]) or _is_cjk(word[i]):
                out.append((word[start:i], glue))
                start, glue = i, ""
        out.append((word[start:], glue))
    return out


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


def wrap(text: str, max_width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy line breaking at spaces and between Chinese/Japanese characters; a word longer
    than a line breaks between its letters (never inside a cluster)."""
    lines: list[str] = []
    line = ""
    for word, glue in _words(text):
        candidate = f"{line}{glue}{word}" if line else word
        if width(candidate, size, bold) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        pieces = _split_long(word, max_width, size, bold)
        lines += pieces[:-1]
        line = pieces[-1] if pieces else ""
    if line:
        lines.append(line)
    return _no_orphan(text, lines)


def _no_orphan(text: str, lines: list[str]) -> list[str]:
    """A Chinese/Japanese paragraph does not end on a line of one character (習|慣 reads as
    a word torn apart): the line before gives it its last character, where a break is
    allowed there."""
    if len(lines) < 2 or len(lines[-1]) != 1 or not _is_cjk(lines[-1]):
        return lines
    prev = lines[-2]
    if len(prev) < 3 or not _is_cjk(prev[-1]) or not _is_cjk(prev[-2]):
        return lines
    if len(prev) - 1 not in break_opportunities(prev) or not text.rstrip().endswith(
        prev[-1] + lines[-1]
    ):  # a break is allowed there, and no space lies between the two
        return lines
    return [*lines[:-2], prev[:-1], prev[-1] + lines[-1]]


def direction(text: str) -> bool:
    """True when ``text`` is a right-to-left paragraph (its wrapped lines keep that
    direction: pass it to :func:`draw` as ``rtl``)."""
    return base_is_rtl(text)


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


def fits(text: str, max_width: float, min_size: float, max_lines: int, bold: bool = False) -> bool:
    """Whether ``text`` wraps into ``max_lines`` lines at ``min_size`` without a cut."""
    return len(wrap(text, max_width, min_size, bold)) <= max_lines
