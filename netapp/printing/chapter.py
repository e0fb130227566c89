"""The one-page chapter summary (issue 17): a chapter's figures over a period as a table, with
the totals, for the chapter's leadership team or the member's own records."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from netapp.errors import ValidationError
from netapp.printing import fonts
from netapp.printing.layouts import MM
from netapp.printing.logo import Logo, draw_logo
from netapp.printing.sheets import BODY, MARGIN, PAPERS, _fmt

if TYPE_CHECKING:
    from netapp.store.chapter import ChapterFigures, MemberFigures

# (heading, width in mm) of each column after the member's name.
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("TYFCB", "given", 21),
    ("TYFCB", "received", 21),
    ("Referrals", "given", 16),
    ("Referrals", "received", 16),
    ("One-to-", "ones", 13),
    ("Visitors", "", 13),
    ("Present", "", 13),
    ("Absent", "", 13),
    ("Sub-", "stitute", 13),
)
ROW = BODY * 1.45


def _cells(m: MemberFigures) -> list[str]:
    def num(v: int | None) -> str:
        return "—" if v is None else f"{v:,}"

    return [
        f"{m.tyfcb_given:,.0f}",
        f"{m.tyfcb_received:,.0f}",
        num(m.referrals_given),
        num(m.referrals_received),
        num(m.one_to_ones),
        num(m.visitors),
        num(m.present),
        num(m.absent),
        num(m.substitute),
    ]


def render_chapter_summary(
    figures: ChapterFigures, paper: str = "a4", accent: str = "#2f6fb2", logo: Logo | None = None
) -> bytes:
    """The chapter's figures on one page; members who do not fit are counted in a last line
    (their figures are in the totals)."""
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas

    if paper not in PAPERS:
        raise ValidationError("paper", f"unknown paper {paper!r}; use a4 or letter")
    w, h = PAPERS[paper]
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(w, h), pageCompression=1, invariant=1)
    title = f"Chapter summary: {figures.group_name}"
    c.setTitle(title)
    c.setAuthor("netapp")
    y = h - MARGIN - 12
    if logo is not None:
        lw, lh = logo.fit(40 * MM, 11 * MM)
        draw_logo(c, logo, w - MARGIN - lw, h - MARGIN - lh, lw, lh)
    fonts.draw(
        c, MARGIN, y, fonts.ellipsize(title, w - 2 * MARGIN - 45 * MM, 14, True), 14, bold=True
    )
    y -= 15
    sub = (
        f"{_fmt(figures.start)} to {_fmt(figures.end)} · {figures.meetings} meetings · "
        f"{len(figures.members) - 1} members · TYFCB: thank you for closed business"
    )
    fonts.draw(c, MARGIN, y, sub, BODY)
    y -= 7
    c.saveState()
    c.setStrokeColor(HexColor(accent))
    c.setLineWidth(1.2)
    c.line(MARGIN, y, w - MARGIN, y)
    c.restoreState()
    y -= 14
    right = w - MARGIN
    edges = []
    x = right
    for _top, _bottom, width_mm in reversed(COLUMNS):
        edges.append(x)
        x -= width_mm * MM
    edges.reverse()
    name_w = x - MARGIN - 2 * MM
    for (top, bottom, _wmm), edge in zip(COLUMNS, edges, strict=True):
        fonts.draw(c, edge, y, top, BODY, bold=True, align="right")
        if bottom:
            fonts.draw(c, edge, y - BODY * 1.1, bottom, BODY, bold=True, align="right")
    fonts.draw(c, MARGIN, y, "Member", BODY, bold=True)
    y -= 2 * BODY * 1.1 + 4

    def row(m: MemberFigures, bold: bool = False) -> None:
        nonlocal y
        fonts.draw(c, MARGIN, y, fonts.ellipsize(m.name, name_w, BODY, bold), BODY, bold=bold)
        for cell, edge in zip(_cells(m), edges, strict=True):
            fonts.draw(c, edge, y, cell, BODY, bold=bold, align="right")
        y -= ROW

    room = int((y - MARGIN - 3 * ROW) // ROW)
    shown = figures.members[:room]
    for n, m in enumerate(shown):
        if n % 2:
            c.saveState()
            c.setFillColor(HexColor("#f1f4f8"))
            c.rect(MARGIN - 1 * MM, y - BODY * 0.35, w - 2 * MARGIN + 2 * MM, ROW, stroke=0, fill=1)
            c.restoreState()
        row(m)
    hidden = len(figures.members) - len(shown)
    if hidden:
        fonts.draw(c, MARGIN, y, f"… and {hidden} more members (in the totals)", BODY)
        y -= ROW
    line_y = y + BODY * 0.95
    c.line(MARGIN, line_y, right, line_y)
    y -= 3
    row(figures.totals(), bold=True)
    c.showPage()
    c.save()
    return buf.getvalue()
