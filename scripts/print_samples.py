"""Regenerate docs/samples/: cards, a flyer, sheets and a calibration page, as PDF and PNG.

    .venv/bin/python scripts/print_samples.py

The card set shows one card per script (Chinese, Japanese, Korean, Arabic, Hebrew, Hindi,
Thai, Polish, Greek, English), each as its owner's own batch would print it; the follow-up
sheet lists people with names in the same scripts. The plain-Letter set (US 3.5 x 2 in cards),
the A6 flyer and the follow-up sheet carry a logo and accent colour set in Settings. PNGs are rendered by pdfium at 110 dpi.
"""

from __future__ import annotations

import io
import random
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netapp import card_codes as C  # noqa: E402
from netapp.domain import Email, Interaction, Kind, Person, Phone  # noqa: E402
from netapp.printing import cards, sheets  # noqa: E402
from netapp.printing.layouts import LAYOUTS  # noqa: E402
from netapp.store import Store  # noqa: E402

OUT = ROOT / "docs" / "samples"
RANDOM = random.Random(22)  # the same card codes each run: regenerating changes only what changed
DPI = 110
PEOPLE = [  # name, business, offer, phone, email
    (
        "王小明",
        "明亮咨询有限公司",
        "免费电子书：十个推荐习惯",
        "+86 10 5555 0101",
        "wang@example.cn",
    ),
    (
        "山田 花子",
        "株式会社ひかり",
        "無料eブック：紹介の習慣10選",
        "+81 3 5555 0102",
        "hanako@example.jp",
    ),
    (
        "김민준",
        "한빛 컨설팅",
        "무료 전자책: 추천 습관 10가지",
        "+82 2 5555 0103",
        "minjun@example.kr",
    ),
    (
        "فاطمة الزهراء",
        "مؤسسة النور للتجارة",
        "كتاب مجاني: عشر عادات للإحالة",
        "+971 4 555 0104",
        "f@example.ae",
    ),
    (
        "דוד כהן",
        "כהן ייעוץ עסקי",
        "ספר חינם: עשרה הרגלי הפניה",
        "+972 3 555 0105",
        "david@example.il",
    ),
    (
        "प्रिया शर्मा",
        "शर्मा परामर्श",
        "मुफ़्त ई-बुक: रेफ़रल की 10 आदतें",
        "+91 22 5555 0106",
        "priya@example.in",
    ),
    ("สมชาย ใจดี", "บริษัท ใจดี จำกัด", "อีบุ๊กฟรี: 10 นิสัยการแนะนำ", "+66 2 555 0107", "somchai@example.th"),
    (
        "Zofia Wiśniewska-Łąk",
        "Łąk & Żurek Doradztwo",
        "Darmowy e-book: 10 nawyków poleceń",
        "+48 22 555 0108",
        "zofia@example.pl",
    ),
    (
        "Γιώργος Παπαδόπουλος",
        "Παπαδόπουλος Σύμβουλοι",
        "Δωρεάν e-book: 10 συνήθειες συστάσεων",
        "+30 21 0555 0109",
        "giorgos@example.gr",
    ),
    (
        "Alex Morgan 🎯",
        "Morgan Growth Coaching",
        "Free e-book: 10 referral habits that work",
        "+1 212 555 0110",
        "alex@example.com",
    ),
]


# A made-up brand mark (shapes only) for the samples that show print.logo and print.accent.
LOGO_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="150" height="40" viewBox="0 0 150 40">
<circle cx="20" cy="20" r="18" fill="#0f766e"/><circle cx="20" cy="20" r="8" fill="#ffffff"/>
<rect x="46" y="6" width="98" height="10" rx="5" fill="#0f766e"/>
<rect x="46" y="24" width="64" height="10" rx="5" fill="#5eead4"/></svg>"""
ACCENT = "#0f766e"


def brand(store: Store, folder: Path) -> None:
    """Settings' logo and accent colour, as a user who set them would print."""
    logo = folder / "logo.svg"
    logo.write_text(LOGO_SVG, encoding="utf-8")
    store.settings.update({"print.logo": str(logo), "print.accent": ACCENT})


def png(pdf: bytes, path: Path, page: int = 0) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    doc[page].render(scale=DPI / 72).to_pil().convert("RGB").save(path, optimize=True)


def profile(store: Store, person: tuple[str, str, str, str, str]) -> None:
    name, business, offer, phone, email = person
    store.settings.update(
        {
            "profile.name": name,
            "profile.business": business,
            "profile.offer": offer,
            "profile.optin_url": "https://example.com/join?list=main",
            "profile.phone": phone,
            "profile.email": email,
            "profile.website": "https://example.com",
        }
    )


def mixed_card_set(store: Store, layout: str, kind: str) -> bytes:
    """One page of cards, each card printed from a different person's profile."""
    lay = LAYOUTS[layout]
    buf = io.BytesIO()
    canvas = cards._new_canvas(buf, lay, f"netapp sample cards: {layout}")
    rects = lay.rects()
    for i, r in enumerate(rects):
        profile(store, PEOPLE[i % len(PEOPLE)])
        plan = cards.plan_cards(store, campaign="Spring fair", layout=layout, count=1, kind=kind)
        code = C.new_code(RANDOM.randrange)
        payload = plan.payload(code) if kind == "optin" else plan.contact
        from netapp.printing.qr import qr_matrix

        cards._draw_card(
            canvas, plan, r, qr_matrix(payload)[0], code if kind == "optin" else "", outline=False
        )
    if lay.crop_marks:
        cards._crop_marks(canvas, lay, rects)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def sample_store(path: Path) -> tuple[Store, int]:
    store = Store(path)
    today = date(2026, 11, 19)
    mid = store.meetings.add("Thursday breakfast", today.isoformat(), venue="The Riverside Hotel")
    for name, business, _, phone, email in PEOPLE:
        pid = store.people.add(
            Person(display_name=name, org=business, emails=[Email(email)], phones=[Phone(phone)])
        )
        store.meetings.attend(mid, pid)
        store.interactions.add(Interaction(person_id=pid, date=today.isoformat(), kind=Kind.MET))
    return store, mid


def chapter_sample(store: Store) -> bytes:
    """A chapter of the sample people over November: attendance, a visitor, a substitute,
    referrals won both ways and one-to-ones, as the one-page chapter summary."""
    from netapp.domain import AttendanceRole, Referral
    from netapp.printing.chapter import render_chapter_summary
    from netapp.store.chapter import chapter_figures

    gid = store.groups.add("BNI Riverside", "weekly", "thu", "The Riverside Hotel")
    pids = [int(r["id"]) for r in store.db.query("SELECT id FROM people ORDER BY id")][:8]
    days = ["2026-11-05", "2026-11-12", "2026-11-19", "2026-11-26"]
    for n, day in enumerate(days):
        mid = store.meetings.add("Chapter breakfast", day, group_id=gid)
        for k, pid in enumerate(pids):
            if (k + n) % 5 != 4:
                store.meetings.attend(mid, pid)
            elif k % 2:
                guest = store.people.add(Person(display_name=f"Substitute {n}{k}"))
                store.meetings.attend(mid, guest, role=AttendanceRole.SUBSTITUTE, brought_by=pid)
        visitor = store.people.add(Person(display_name=f"Visitor {n + 1}"))
        store.meetings.attend(mid, visitor, role=AttendanceRole.VISITOR, brought_by=pids[n])
    for k, pid in enumerate(pids):
        day = days[k % 4]
        rid = store.referrals.add(
            Referral(referrer_id=pid, prospect_name=f"Prospect {k}", prospect_agreed=True, date=day)
        )
        if k % 2 == 0:
            store.referrals.set_status(rid, "won", 500.0 * (k + 1))
        store.referrals.add(
            Referral(provider_id=pid, prospect_name=f"Client {k}", prospect_agreed=True, date=day)
        )
        store.interactions.add(Interaction(person_id=pid, date=day, kind=Kind.ONE_TO_ONE))
    figures = chapter_figures(store.db, gid, "2026-11-01", "2026-11-30")
    return render_chapter_summary(figures, "a4")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store, mid = sample_store(Path(tmp) / "samples.db")
        with store:
            for layout, kind, name in (
                ("avery-5371", "optin", "cards-avery-5371"),
                ("avery-c32011", "optin", "cards-avery-c32011"),
                ("a4", "contact", "contact-cards-a4"),
            ):
                pdf = mixed_card_set(store, layout, kind)
                (OUT / f"{name}.pdf").write_bytes(pdf)
                png(pdf, OUT / f"{name}.png")
            brand(store, Path(tmp))  # from here on: a logo and an accent colour from Settings
            pdf = mixed_card_set(store, "letter-us", "optin")
            (OUT / "cards-letter-us-brand.pdf").write_bytes(pdf)
            png(pdf, OUT / "cards-letter-us-brand.png")
            profile(store, PEOPLE[3])
            flyer = cards.plan_cards(store, campaign="Spring fair", layout="a6", count=1)
            pdf = cards.render_cards(flyer, [C.new_code(RANDOM.randrange)])
            png(pdf, OUT / "flyer-a6.png")
            pdf = cards.calibration_page("a4")
            png(pdf, OUT / "calibration-a4.png")
            today = date(2026, 11, 20)
            sheet = sheets.followup_sheet(store, today, meeting=mid)
            pdf = sheets.render_for(store, sheet, "a4")
            (OUT / "followup-sheet.pdf").write_bytes(pdf)
            png(pdf, OUT / "followup-sheet.png")
            sheet = sheets.briefing_sheet(store, date(2026, 11, 18), meeting=mid)
            sheet = replace(sheet, title=sheet.title + " — bring the spring fair cards")
            pdf = sheets.render_sheet(sheet, "letter")
            png(pdf, OUT / "briefing-sheet.png")
            pdf = chapter_sample(store)
            (OUT / "chapter-summary.pdf").write_bytes(pdf)
            png(pdf, OUT / "chapter-summary.png")
    for stale in ("cards-avery-5371.pdf",):
        assert (OUT / stale).exists()
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
