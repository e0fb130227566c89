"""Draw the netapp icon: resources/icons/netapp.svg plus PNGs (16-512 px), .ico and .icns.

Two overlapping speech bubbles (a conversation between two people) on a solid rounded square.
The SVG is the source; the PNGs are rendered from it with Qt's SVG renderer, offscreen.

Run: .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

SVG = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <title>netapp</title>
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#14857A"/>
      <stop offset="1" stop-color="#0B5F57"/>
    </linearGradient>
  </defs>
  <rect x="16" y="16" width="480" height="480" rx="108" ry="108" fill="url(#bg)"/>
  <!-- back bubble (amber), tail down-right -->
  <path d="M226 118 h156 a58 58 0 0 1 58 58 v86 a58 58 0 0 1 -58 58 h-6 l8 58 l-74 -58 h-84
           a58 58 0 0 1 -58 -58 v-86 a58 58 0 0 1 58 -58 z" fill="#F6B93B"/>
  <!-- front bubble (white), tail down-left, with a teal outline so the overlap reads -->
  <path d="M130 176 h156 a58 58 0 0 1 58 58 v86 a58 58 0 0 1 -58 58 h-84 l-74 58 l8 -58 h-6
           a58 58 0 0 1 -58 -58 v-86 a58 58 0 0 1 58 -58 z"
        fill="#FFFFFF" stroke="#0B5F57" stroke-width="14" stroke-linejoin="round"/>
  <!-- three dots: a conversation -->
  <circle cx="150" cy="277" r="20" fill="#0B5F57"/>
  <circle cx="208" cy="277" r="20" fill="#0B5F57"/>
  <circle cx="266" cy="277" r="20" fill="#0B5F57"/>
</svg>
"""


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "netapp.svg").write_text(SVG, encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(SVG.encode()))
    if not renderer.isValid():
        print("make_icons: the SVG did not parse", file=sys.stderr)
        return 1
    pngs: list[Path] = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        out = ICONS / f"netapp-{size}.png"
        if not image.save(str(out)):
            print(f"make_icons: could not write {out}", file=sys.stderr)
            return 1
        pngs.append(out)
    del app
    from PIL import Image

    big = Image.open(ICONS / "netapp-256.png")
    big.save(ICONS / "netapp.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    Image.open(ICONS / "netapp-512.png").save(ICONS / "netapp.icns")
    for p in [*pngs, ICONS / "netapp.ico", ICONS / "netapp.icns"]:
        print(p.relative_to(ICONS.parent.parent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
