"""Benchmark: 1,000 opt-in cards to PDF, with the mask chosen once per batch vs per card.

Run: .venv/bin/python bench/bench_cards.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netapp.printing import cards  # noqa: E402
from netapp.printing.qr import BatchEncoder  # noqa: E402
from netapp.store import Store  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "b.db")
        store.settings.update(
            {
                "profile.name": "Zoë Łukasz-Żak",
                "profile.offer": "Free e-book: 10 referral habits",
                "profile.optin_url": "https://example.com/join?lang=en",
            }
        )
        plan = cards.plan_cards(store, campaign="Spring fair", count=1000)
        codes = cards.sample_codes(1000)
        for label, fixed in (("mask fixed per batch", True), ("mask chosen per card", False)):
            t = time.perf_counter()
            data = cards.render_cards(plan, codes, encoder=BatchEncoder(fixed=fixed))
            print(f"{label}: {time.perf_counter() - t:.2f} s, {len(data) / 1e6:.1f} MB PDF")
        t = time.perf_counter()
        cards.print_cards(store, plan, Path(tmp) / "c.pdf", "2026-01-01T00:00:00+00:00")
        print(f"print_cards (codes + PDF + record batch): {time.perf_counter() - t:.2f} s")
        store.close()


if __name__ == "__main__":
    main()
