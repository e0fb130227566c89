"""Helpers for reading printed PDFs back: render at 150 dpi, decode QR codes, extract text."""

from __future__ import annotations

import ctypes
import itertools
import time
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from PIL import Image

from netapp.store import Store

DPI = 150
PX_PER_PT = DPI / 72


@dataclass
class Decoded:
    page: int
    text: str
    cx_pt: float  # symbol centre, PDF points from the page's left edge
    cy_pt: float  # … and from the page's top edge
    left_px: int
    top_px: int
    right_px: int
    bottom_px: int


def clock_moving_a_day_per_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """``time.time()`` a day later at each call (and no SOURCE_DATE_EPOCH): any byte of a PDF
    that depends on the clock (a creation date, a font's modified stamp) differs between two
    renders, even within one second."""
    real, days = time.time, itertools.count()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(time, "time", lambda: real() + 86_400 * next(days))


def open_pdf(source: Path | bytes) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))


def render_pages(source: Path | bytes) -> list[Image.Image]:
    pdf = open_pdf(source)
    return [pdf[i].render(scale=PX_PER_PT).to_pil().convert("L") for i in range(len(pdf))]


def decode_all(source: Path | bytes) -> list[Decoded]:
    """Every QR code on every page, in reading order (top to bottom, left to right)."""
    out: list[Decoded] = []
    for n, img in enumerate(render_pages(source)):
        found = []
        for b in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode):
            p = b.position
            xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
            ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
            found.append(
                Decoded(
                    n,
                    b.text,
                    sum(xs) / 4 / PX_PER_PT,
                    sum(ys) / 4 / PX_PER_PT,
                    min(xs),
                    min(ys),
                    max(xs),
                    max(ys),
                )
            )
        found.sort(key=lambda d: (round(d.cy_pt / 20), d.cx_pt))
        out.extend(found)
    return out


def page_text(source: Path | bytes) -> list[str]:
    pdf = open_pdf(source)
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def path_bounds(source: Path | bytes, page: int = 0) -> list[tuple[float, float, float, float]]:
    """Bounds (left, bottom, right, top) in points of every path object on a page."""
    pdf = open_pdf(source)
    return [o.get_bounds() for o in pdf[page].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])]


def image_count(source: Path | bytes) -> int:
    pdf = open_pdf(source)
    return sum(
        len(list(pdf[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))) for i in range(len(pdf))
    )


def set_profile(store: Store, **extra: str) -> None:
    values = {
        "profile.name": "Zoë Łukasz-Żak",
        "profile.business": "Ångström Coaching",
        "profile.offer": "Free e-book: 10 referral habits",
        "profile.optin_url": "https://example.com/join?lang=en&x=a%20b#top",
        "profile.email": "zoe@example.com",
        "profile.phone": "+44 20 7946 0958",
        "profile.website": "https://example.com",
    }
    values.update({k.replace("__", "."): v for k, v in extra.items()})
    store.settings.update(values)


def render_without_system_fonts(pdfs: list[bytes], tmp: Path) -> list[list[Image.Image]]:
    """Every page of every PDF, rendered by pdfium in a child process that has no system
    font at all (see tests/netapp/printing/nofonts.py): only embedded fonts can draw."""
    import subprocess
    import sys

    paths = []
    for n, data in enumerate(pdfs):
        path = tmp / f"in-{n}.pdf"
        path.write_bytes(data)
        paths.append(str(path))
    root = Path(__file__).resolve().parents[3]
    subprocess.run(
        [sys.executable, "-m", "tests.netapp.printing.nofonts", str(tmp), *paths],
        check=True,
        cwd=root,
    )
    out = []
    for n in range(len(pdfs)):
        pages = sorted(tmp.glob(f"{n}-*.png"), key=lambda p: int(p.stem.split("-")[1]))
        out.append([Image.open(p).convert("L") for p in pages])
    return out


def ink(image: Image.Image, box_pt: tuple[float, float, float, float], page_h_pt: float) -> int:
    """Dark pixels (below 128) inside a box given in PDF points (left, bottom, right, top)."""
    left, bottom, right, top = box_pt
    crop = image.crop(
        (
            int(left * PX_PER_PT),
            int((page_h_pt - top) * PX_PER_PT),
            int(right * PX_PER_PT) + 1,
            int((page_h_pt - bottom) * PX_PER_PT) + 1,
        )
    )
    return sum(crop.point(lambda v: 255 if v < 128 else 0).histogram()[255:])


def fonts_embedded(source: Path | bytes) -> list[tuple[str, bool]]:
    """(base font name, embedded?) for the font of every text object on every page."""
    pdf = open_pdf(source)
    out = []
    for i in range(len(pdf)):
        for obj in pdf[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
            font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
            size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
            buf = ctypes.create_string_buffer(size)
            pdfium_c.FPDFFont_GetBaseFontName(font, buf, size)
            out.append((buf.value.decode(), bool(pdfium_c.FPDFFont_GetIsEmbedded(font))))
    return out
