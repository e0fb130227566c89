"""Sheet geometry for every card layout, in PDF points (1/72 in).

Positions are given two ways: ``slots()`` from the top-left corner of the paper (how label
makers specify their sheets, and how tests measure them), and ``rects()`` in reportlab's
coordinates (origin bottom-left). The calibration offset (settings ``print.offset_x_mm``,
``print.offset_y_mm``) moves everything on the page: positive x to the right, positive y down.
"""

from __future__ import annotations

from dataclasses import dataclass

from netapp.errors import ValidationError

MM = 72 / 25.4
INCH = 72.0
A4 = (210 * MM, 297 * MM)
LETTER = (8.5 * INCH, 11 * INCH)
A6 = (105 * MM, 148 * MM)
SAFE = 3 * MM  # every printed element stays this far inside a card's cut edge
PRINTER_MARGIN = 5 * MM  # crop marks and outlines stay inside it: most printers cannot print
# closer to the paper's edge


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Layout:
    key: str
    name: str
    page: tuple[float, float]
    card_w: float
    card_h: float
    cols: int
    rows: int
    left: float
    top: float
    col_pitch: float
    row_pitch: float
    crop_marks: bool = False

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    def pages_for(self, count: int) -> int:
        return -(-count // self.per_page)

    def slots(self, offset_x_mm: float = 0.0, offset_y_mm: float = 0.0) -> list[Rect]:
        """Card rectangles measured from the paper's top-left corner (y grows downward),
        row by row, left to right."""
        dx, dy = offset_x_mm * MM, offset_y_mm * MM
        return [
            Rect(
                self.left + c * self.col_pitch + dx,
                self.top + r * self.row_pitch + dy,
                self.card_w,
                self.card_h,
            )
            for r in range(self.rows)
            for c in range(self.cols)
        ]

    def rects(self, offset_x_mm: float = 0.0, offset_y_mm: float = 0.0) -> list[Rect]:
        """The same rectangles in PDF coordinates (origin bottom-left, y up)."""
        height = self.page[1]
        return [
            Rect(s.x, height - s.y - s.h, s.w, s.h) for s in self.slots(offset_x_mm, offset_y_mm)
        ]


def _centered(
    key: str, name: str, page: tuple[float, float], w: float, h: float, cols: int, rows: int
) -> Layout:
    left = (page[0] - cols * w) / 2
    top = (page[1] - rows * h) / 2
    return Layout(key, name, page, w, h, cols, rows, left, top, w, h, crop_marks=True)


LAYOUTS: dict[str, Layout] = {
    lay.key: lay
    for lay in (
        Layout(
            "avery-5371",
            "Avery 5371/8371 (US Letter, 10 cards 3.5 × 2 in)",
            LETTER,
            3.5 * INCH,
            2 * INCH,
            2,
            5,
            0.75 * INCH,
            0.5 * INCH,
            3.5 * INCH,
            2 * INCH,
        ),
        Layout(
            "avery-c32011",
            "Avery C32011 (A4, 10 cards 85 × 54 mm)",
            A4,
            85 * MM,
            54 * MM,
            2,
            5,
            15 * MM,
            13.5 * MM,
            95 * MM,
            54 * MM,
        ),
        _centered(
            "a4", "Plain A4 with crop marks (10 cards 85 × 55 mm)", A4, 85 * MM, 55 * MM, 2, 5
        ),
        _centered(
            "letter",
            "Plain Letter with crop marks (8 cards 85 × 55 mm)",
            LETTER,
            85 * MM,
            55 * MM,
            2,
            4,
        ),
        _centered(
            "letter-us",
            "Plain Letter with crop marks (10 US cards 3.5 × 2 in)",
            LETTER,
            3.5 * INCH,
            2 * INCH,
            2,
            5,
        ),
        Layout("a6", "A6 table tent / flyer (1 per page)", A6, A6[0], A6[1], 1, 1, 0, 0, 0, 0),
    )
}


def get_layout(key: str) -> Layout:
    try:
        return LAYOUTS[key]
    except KeyError:
        raise ValidationError(
            "layout", f"unknown layout {key!r}; choose one of {', '.join(LAYOUTS)}"
        ) from None
