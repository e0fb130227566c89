"""Cards that survive the cutter and the phone: safe margins, crop marks inside the printer's
margin, the typed URL and code under the QR, text sizes, offers that always fit."""

from __future__ import annotations

from pathlib import Path

import pypdfium2.raw as pdfium_c
import pytest

from netapp.errors import ValidationError
from netapp.printing import cards
from netapp.printing.layouts import LAYOUTS, MM, PRINTER_MARGIN, SAFE
from netapp.store import Store
from tests.netapp.printing.helpers import PX_PER_PT, open_pdf, page_text, render_pages, set_profile

LONG = {
    "profile__name": "Maximiliane Wolkenstein-Oberhollenzer",
    "profile__business": "Wolkenstein Oberhollenzer Unternehmensberatung und Coaching GmbH",
    "profile__optin_url": "https://www.example.com/newsletter/join?list=main",
}
WIDE_OFFER = "W" * 60 + " " + "M" * 59  # 120 characters: the widest an offer can be


def _dark(img, box_pt, page_h):  # type: ignore[no-untyped-def]
    left, bottom, right, top = box_pt
    crop = img.crop(
        (
            round(left * PX_PER_PT),
            round((page_h - top) * PX_PER_PT),
            round(right * PX_PER_PT),
            round((page_h - bottom) * PX_PER_PT),
        )
    )
    return crop.point(lambda v: 255 if v < 200 else 0).getbbox() is not None


def _bands(x0, y0, x1, y1, inset):  # type: ignore[no-untyped-def]
    """The four strips between a rectangle's edge and ``inset`` inside it."""
    return [
        (x0, y0, x1, y0 + inset),
        (x0, y1 - inset, x1, y1),
        (x0, y0, x0 + inset, y1),
        (x1 - inset, y0, x1, y1),
    ]


@pytest.mark.parametrize("kind", ["optin", "contact"])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_nothing_prints_within_3mm_of_a_cut_or_5mm_of_the_paper_edge(
    store: Store, layout: str, kind: str
) -> None:
    """With the longest name, business and URL, no ink lies within 3 mm inside any card's
    cut edge, and none (crop marks included) within 5 mm of the paper's edge."""
    set_profile(store, **LONG)
    lay = LAYOUTS[layout]
    plan = cards.plan_cards(store, campaign="Spring", layout=layout, count=lay.per_page, kind=kind)
    pdf = cards.render_cards(plan, cards.sample_codes(plan.count))
    img = render_pages(pdf)[0]
    w, h = lay.page
    tol = 0.2 * MM  # anti-aliasing of an edge drawn exactly at the limit
    for r in lay.rects():
        for band in _bands(r.x, r.y, r.x + r.w, r.y + r.h, SAFE - tol):
            assert not _dark(img, band, h), (layout, band)
    for band in _bands(0, 0, w, h, PRINTER_MARGIN - tol):
        assert not _dark(img, band, h), (layout, band)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_calibration_outlines_stay_inside_the_printer_margin(layout: str) -> None:
    """The calibration page draws nothing within 5 mm of the paper's edge (A6 included)."""
    lay = LAYOUTS[layout]
    img = render_pages(cards.calibration_page(layout))[0]
    w, h = lay.page
    for band in _bands(0, 0, w, h, PRINTER_MARGIN - 0.2 * MM):
        assert not _dark(img, band, h), band


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_card_shows_a_typed_address_and_its_code(store: Store, layout: str) -> None:
    """Under each QR: the opt-in address without scheme or query, and the card's code, so a
    phone that will not scan can still opt in."""
    set_profile(store)
    lay = LAYOUTS[layout]
    plan = cards.plan_cards(store, campaign="Spring", layout=layout, count=lay.per_page)
    codes = cards.sample_codes(plan.count)
    text = page_text(cards.render_cards(plan, codes))[0]
    assert text.count("example.com/join") == plan.count
    for code in codes:
        assert f"Code {code[:3]}-{code[3:]}" in text


@pytest.mark.parametrize(("kind", "long"), [("optin", True), ("contact", True), ("optin", False)])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_no_card_text_is_smaller_than_7pt(store: Store, layout: str, kind: str, long: bool) -> None:
    """Every text object on a card (call to action, contact lines, URL included) is at least
    7 pt, with the longest name and business, or with the longest offer."""
    if long:
        set_profile(store, **LONG)
    else:
        set_profile(store, profile__offer=WIDE_OFFER)
    plan = cards.plan_cards(store, campaign="Spring", layout=layout, count=1, kind=kind)
    pdf = open_pdf(cards.render_cards(plan, cards.sample_codes(1)))
    sizes = []
    for obj in pdf[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
        size = ctypes_float()
        pdfium_c.FPDFTextObj_GetFontSize(obj.raw, size)
        sizes.append(size.value)
    assert sizes and min(sizes) >= 7.0, sizes


def ctypes_float():  # type: ignore[no-untyped-def]
    import ctypes

    return ctypes.c_float()


@pytest.mark.parametrize("offer", [WIDE_OFFER, "雨" * 120, "ש" * 60 + " " + "ب" * 59])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_any_offer_the_app_accepts_prints_whole(store: Store, layout: str, offer: str) -> None:
    """An offer of the longest accepted length, in the widest letters, prints in full (no
    ellipsis) on every layout."""
    set_profile(store, profile__offer=offer)
    plan = cards.plan_cards(store, campaign="Spring", layout=layout, count=1)
    text = "".join(page_text(cards.render_cards(plan, cards.sample_codes(1)))[0].split())
    assert "".join(offer.split()) in text  # every character, in order, none cut


def test_plain_letter_offers_us_business_cards() -> None:
    """Plain Letter comes with 3.5 × 2 in cards (ten a sheet), not only 85 × 55 mm."""
    lay = LAYOUTS["letter-us"]
    assert (lay.card_w, lay.card_h, lay.per_page, lay.crop_marks) == (252, 144, 10, True)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_an_offer_that_cannot_fit_is_refused_by_name_never_cut(store: Store, layout: str) -> None:
    """With a very long name and business, the longest offer no longer fits: planning refuses
    it naming the offer and the layout, instead of printing it cut short."""
    set_profile(store, **LONG, profile__offer=WIDE_OFFER)
    try:
        plan = cards.plan_cards(store, campaign="Spring", layout=layout, count=1)
    except ValidationError as exc:
        assert exc.field == "offer" and layout in exc.message
        return
    text = "".join(page_text(cards.render_cards(plan, cards.sample_codes(1)))[0].split())
    assert "".join(WIDE_OFFER.split()) in text


def test_the_offer_field_accepts_only_what_every_card_prints(store: Store) -> None:
    """Settings refuses, at the offer field, an offer longer than the longest every layout
    prints whole, saying how long it may be; the longest accepted one prints whole."""
    from netapp.settings import MAX_OFFER

    with pytest.raises(ValidationError) as exc:
        store.settings.update({"profile.offer": "W" * (MAX_OFFER + 1)})
    assert exc.value.field == "profile.offer" and str(MAX_OFFER) in exc.value.message
    set_profile(store, profile__offer="W " * (MAX_OFFER // 2))
    for layout in LAYOUTS:
        cards.plan_cards(store, campaign="Spring", layout=layout, count=1)


def test_an_offer_crowded_out_says_what_takes_its_room(store: Store, tmp_path: Path) -> None:
    """When a two-line name and business, a logo and a contact card's lines leave an offer no
    room, the refusal names them and what to shorten, not only the offer."""
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (208, 2, 27)).save(logo)
    set_profile(store, **LONG, print__logo=str(logo))
    with pytest.raises(ValidationError) as exc:
        cards.plan_cards(store, campaign="Spring", layout="avery-5371", count=1, kind="contact")
    message = exc.value.message
    assert exc.value.field == "offer" and "avery-5371" in message
    for part in ("name", "business", "logo", "contact lines", "leave the logo out"):
        assert part in message, message


def _column_ends(store: Store, name: str, business: str, offer: str) -> list[tuple[float, float]]:
    """(left, right) of the name, business and offer on the first card, top to bottom."""
    set_profile(store, profile__name=name, profile__business=business, profile__offer=offer)
    plan = cards.plan_cards(store, campaign="Spring", layout="avery-5371", count=1)
    page = open_pdf(cards.render_cards(plan, cards.sample_codes(1)))[0]
    card = LAYOUTS["avery-5371"].rects()[0]
    boxes = [
        o.get_bounds() for o in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT])
    ]  # (left, bottom, right, top)
    mid = card.x + card.w / 2
    lines: dict[
        int, tuple[float, float]
    ] = {}  # by baseline: a line's runs are objects of their own
    for left, bottom, right, _ in boxes:
        if right < mid + 10 and bottom > card.y + card.h / 3:
            key = round(bottom / 3)
            was = lines.get(key, (left, right))
            lines[key] = (min(was[0], left), max(was[1], right))
    return [lines[k] for k in sorted(lines, reverse=True)[:3]]


def test_a_right_to_left_card_sets_its_column_flush_right(store: Store) -> None:
    """A card whose owner's name is Hebrew or Arabic has name, business and offer ending at
    one right edge (as a card printed in that script is); a Latin one starts them at one left
    edge."""
    for name, business, offer in (
        ("דוד כהן", "כהן ייעוץ עסקי", "ספר חינם: עשרה הרגלי הפניה"),
        ("فاطمة الزهراء", "مؤسسة النور للتجارة", "كتاب مجاني: عشر عادات"),
    ):
        ends = _column_ends(store, name, business, offer)
        assert len(ends) == 3
        rights = [r for _, r in ends]
        assert max(rights) - min(rights) < 1.5, ends
        assert max(left for left, _ in ends) - min(left for left, _ in ends) > 5, ends
    ends = _column_ends(store, "Zoë Lee", "Ångström Coaching", "Free e-book: ten habits")
    lefts = [left for left, _ in ends]
    assert max(lefts) - min(lefts) < 1.5, ends
