"""1,000 QR opt-in cards to PDF.

Figure: ``netapp.printing.cards.render_cards`` for a batch of 1,000 opt-in cards (one QR
code per card with its own tracking code, text, layout, crop marks) into PDF bytes.
Floor: the same 1,000 QR matrices (same payloads, same encoder) plus drawing the same
merged module rectangles into a reportlab canvas with the same page size and compression,
the cheapest way (raw path operators; no text, no layout). The difference is what card layout and text cost.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from bench.harness import Config, Figure, measure_pair, median, ms

TITLE = "cards"
GOAL = 1.3
PROFILE = {
    "profile.name": "Alex Morgan",
    "profile.business": "Morgan Growth Coaching",
    "profile.offer": "Free e-book: 10 referral habits that work",
    "profile.optin_url": "https://example.com/newsletter?list=main",
}


def available(cfg: Config) -> str:
    try:
        from netapp.printing import cards  # noqa: F401
        from netapp.printing.qr import BatchEncoder, merged_rects  # noqa: F401
    except ImportError as exc:
        return f"netapp.printing is not ready ({exc})"
    return ""


def floor_pdf(plan: Any, codes: list[str]) -> bytes:
    """QR matrices plus the same rectangles in reportlab, nothing else."""
    from reportlab.pdfgen.canvas import Canvas

    from netapp.printing.qr import BatchEncoder, merged_rects

    lay = plan.layout
    encoder = BatchEncoder()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=lay.page, pageCompression=1, invariant=1)
    rects = lay.rects(plan.offset_x_mm, plan.offset_y_mm)
    for start in range(0, len(codes), lay.per_page):
        for i, code in enumerate(codes[start : start + lay.per_page]):
            matrix = encoder.encode(plan.payload(code))
            r = rects[i]
            module = (r.h - 18) / (len(matrix) + 8)
            # The cheapest way to draw them: one path of raw ``re`` operators, as
            # netapp.printing.qr.draw_qr does (reportlab's path API is slower).
            ops = [
                f"{r.x + col * module:.3f} {r.y + row * module:.3f} "
                f"{w * module:.3f} {h * module:.3f} re"
                for col, row, w, h in merged_rects(matrix)
            ]
            c._code.append("\n".join(ops) + "\nf")
        c.showPage()
    c.save()
    return buf.getvalue()


def run(cfg: Config) -> list[Figure]:
    from netapp.printing import cards
    from netapp.store import Store

    count = 100 if cfg.quick else 1_000
    with tempfile.TemporaryDirectory(prefix="netapp-bench-cards-") as tmp:
        store = Store(Path(tmp) / "cards.db")
        try:
            store.settings.update(PROFILE)
            plan = cards.plan_cards(store, campaign="Spring fair", count=count)
        finally:
            store.close()
    codes = cards.sample_codes(count)
    sizes: dict[str, int] = {}

    def figure() -> None:
        sizes["pdf"] = len(cards.render_cards(plan, codes))

    def floor() -> None:
        sizes["floor_pdf"] = len(floor_pdf(plan, codes))

    repeats = max(3, cfg.repeats // 2)
    a, b = measure_pair(figure, floor, repeats, min(cfg.warmup, 1))
    return [
        Figure(
            "QR opt-in cards to PDF",
            ms(median(a)),
            "ms",
            ms(median(b)),
            GOAL,
            size=f"{count:,} cards",
            floor_desc="the QR matrices plus the same rectangles drawn in reportlab",
            detail={"layout": plan.layout.key, "pdf_bytes": sizes["pdf"], **sizes},
        )
    ]
