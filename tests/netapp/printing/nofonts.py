"""Render PDFs with pdfium when no system font is available to it.

Run as ``python -m tests.netapp.printing.nofonts OUT_DIR PDF...``: before opening anything it
gives pdfium a system-font interface that knows no font at all (every lookup fails), so only
fonts embedded in the PDF can draw; each page is written as ``OUT_DIR/<n>-<page>.png`` at
150 dpi. A separate process, because pdfium keeps the fonts it has already mapped.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

DPI = 150


def install_empty_font_info() -> object:
    """Give pdfium a FPDF_SYSFONTINFO whose every lookup finds nothing; returns it (keep
    it alive while pdfium may call it)."""
    info = raw.FPDF_SYSFONTINFO()
    types = dict(raw.FPDF_SYSFONTINFO._fields_)
    info.version = 1
    info.Release = types["Release"](lambda this: None)
    info.EnumFonts = types["EnumFonts"](lambda this, mapper: None)
    info.MapFont = types["MapFont"](lambda this, weight, italic, charset, pitch, face, exact: None)
    info.GetFont = types["GetFont"](lambda this, face: None)
    info.GetFontData = types["GetFontData"](lambda this, font, table, buf, size: 0)
    info.GetFaceName = types["GetFaceName"](lambda this, font, buf, size: 0)
    info.GetFontCharset = types["GetFontCharset"](lambda this, font: 0)
    info.DeleteFont = types["DeleteFont"](lambda this, font: None)
    raw.FPDF_SetSystemFontInfo(ctypes.byref(info))
    return info


def main(argv: list[str]) -> None:
    keep = install_empty_font_info()
    out = Path(argv[0])
    for n, path in enumerate(argv[1:]):
        pdf = pdfium.PdfDocument(path)
        for i in range(len(pdf)):
            image = pdf[i].render(scale=DPI / 72).to_pil().convert("L")
            image.save(out / f"{n}-{i}.png")
        pdf.close()
    sys.stdout.flush()
    # pdfium calls back into the interface while the library shuts down, after Python may
    # have freed the callbacks: leave without tearing either down.
    os._exit(0 if keep else 1)


if __name__ == "__main__":
    main(sys.argv[1:])
