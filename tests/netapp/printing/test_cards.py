"""QR opt-in cards: URLs, batches, layouts, fonts and bad input, read back from the PDFs."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from netapp import card_codes as C
from netapp.errors import NetappError, NotFoundError, ValidationError
from netapp.printing import cards
from netapp.printing.layouts import LAYOUTS, MM
from netapp.store import Store
from tests.netapp.printing.helpers import (
    decode_all,
    image_count,
    page_text,
    path_bounds,
    render_pages,
    set_profile,
)

WHEN = "2026-01-02T10:00:00+00:00"
INCH = 72.0

# The sheet geometry exactly as issue #6 lists it: page size, card size, left/top margin,
# column and row pitch (all in points).
SPEC = {
    "avery-5371": dict(
        page=(8.5 * INCH, 11 * INCH),
        card=(3.5 * INCH, 2 * INCH),
        grid=(2, 5),
        left=0.75 * INCH,
        top=0.5 * INCH,
        dx=3.5 * INCH,
        dy=2 * INCH,
    ),
    "avery-c32011": dict(
        page=(210 * MM, 297 * MM),
        card=(85 * MM, 54 * MM),
        grid=(2, 5),
        left=15 * MM,
        top=13.5 * MM,
        dx=95 * MM,
        dy=54 * MM,
    ),
}


def _meeting(store: Store, name: str = "BNI Downtown") -> int:
    return store.meetings.add(name, "2026-01-02")


def test_tracking_url_keeps_parameters_and_fragment_and_encodes() -> None:
    """Existing query parameters and the fragment survive; ours are added, encoded."""
    url = cards.validate_url("https://exämple.com/für?lang=en&x=a%20b&utm_source=old#top")
    got = cards.tracking_url(url, "café & co", "ABCDEFG")
    parts = urlsplit(got)
    assert parts.netloc == "xn--exmple-cua.com" and parts.path == "/f%C3%BCr"
    assert parts.fragment == "top"
    assert parse_qsl(parts.query) == [
        ("lang", "en"),
        ("x", "a b"),
        ("utm_source", "netapp"),
        ("utm_medium", "qr-card"),
        ("utm_campaign", "café & co"),
        ("ref", "ABCDEFG"),
    ]
    assert " " not in got and "&co" not in got


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "example.com/join",
        "ftp://example.com/",
        "https://exa mple.com/",
        "javascript:alert(1)",
        "https://" + "a" * 2000 + ".com",
        "https://user:pw@example.com/",
    ],
)
def test_bad_urls_are_rejected_by_name(bad: str) -> None:
    """Empty, relative, non-web, spaced, huge or credentialed URLs raise ValidationError('url')."""
    with pytest.raises(ValidationError) as err:
        cards.validate_url(bad)
    assert err.value.field == "url"


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_card_qr_decodes_to_its_own_url(store: Store, tmp_path: Path, layout: str) -> None:
    """Every QR on every page decodes to the opt-in URL with that card's own ref code."""
    set_profile(store)
    mid = _meeting(store)
    per_page = LAYOUTS[layout].per_page
    plan = cards.plan_cards(store, meeting=mid, layout=layout, count=per_page + 1)
    res = cards.print_cards(store, plan, tmp_path / "cards.pdf", WHEN)
    assert res.pages == 2
    decoded = decode_all(res.path)
    assert [d.page for d in decoded] == [0] * per_page + [1]
    stored = store.card_batches.codes(res.batch_id)
    assert stored == res.codes and len(set(stored)) == per_page + 1
    for d, code in zip(decoded, stored, strict=True):
        q = dict(parse_qsl(urlsplit(d.text).query))
        assert q["ref"] == code
        assert q["utm_campaign"] == "bni-downtown-2026-01-02"
        assert q["utm_source"] == "netapp" and q["utm_medium"] == "qr-card"
        assert q["lang"] == "en" and q["x"] == "a b"
        assert d.text == plan.payload(code)
        assert urlsplit(d.text).fragment == "top"
    assert image_count(res.path) == 0  # vector only: no bitmap anywhere


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_card_positions_match_the_sheet_geometry(store: Store, layout: str) -> None:
    """Card outlines in the PDF sit exactly where the layout spec says, shifted by the
    calibration offsets, and each card holds exactly one QR code."""
    set_profile(store)
    store.settings.update({"print.offset_x_mm": 1.5, "print.offset_y_mm": -2.0})
    lay = LAYOUTS[layout]
    plan = cards.plan_cards(store, campaign="Spring", layout=layout, count=lay.per_page)
    pdf = cards.render_cards(plan, cards.sample_codes(plan.count), outline=True)
    spec = SPEC.get(layout)
    if spec is None:  # plain sheets: centred grids of 85 × 55 mm or 3.5 × 2 in; A6: the page
        w, h = lay.page
        cw, ch = {"a6": (w, h), "letter-us": (3.5 * 72, 2 * 72)}.get(layout, (85 * MM, 55 * MM))
        cols, rows = {"a4": (2, 5), "letter": (2, 4), "letter-us": (2, 5), "a6": (1, 1)}[layout]
        spec = dict(
            page=(w, h),
            card=(cw, ch),
            grid=(cols, rows),
            left=(w - cols * cw) / 2,
            top=(h - rows * ch) / 2,
            dx=cw,
            dy=ch,
        )
    assert lay.page == pytest.approx(spec["page"])
    cols, rows = spec["grid"]
    cw, ch = spec["card"]
    page_h = spec["page"][1]
    want = []
    for r in range(rows):
        for c in range(cols):
            left = spec["left"] + c * spec["dx"] + 1.5 * MM
            top = spec["top"] + r * spec["dy"] - 2.0 * MM
            want.append((left, page_h - top - ch, left + cw, page_h - top))
    # Card outlines are the path objects of card size (QR paths and rules are smaller).
    got = [
        b
        for b in path_bounds(pdf)
        if abs((b[2] - b[0]) - cw) < 1.5 and abs((b[3] - b[1]) - ch) < 1.5
    ]
    assert len(got) == len(want)
    for g, w_ in zip(sorted(got, key=lambda b: (-b[3], b[0])), want, strict=True):
        assert g == pytest.approx(w_, abs=0.6)  # half the outline's line width
    # Each decoded QR lies inside its own card.
    decoded = decode_all(pdf)
    assert len(decoded) == len(want)
    for d, (l_, b_, r_, t_) in zip(decoded, want, strict=True):
        assert l_ < d.cx_pt < r_ and page_h - t_ < d.cy_pt < page_h - b_


@pytest.mark.parametrize("rtl", [False, True], ids=["latin", "hebrew"])
@pytest.mark.parametrize("kind", ["optin", "contact"])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_quiet_zone_of_four_modules_stays_white(
    store: Store, layout: str, kind: str, rtl: bool
) -> None:
    """On every layout (A6 included) and kind of card, a band four modules wide around every
    symbol has no dark pixel: the text under the QR and the text beside it (flush right
    against it on a Hebrew card) keep clear."""
    hebrew = {"profile__name": "דוד כהן", "profile__business": "כהן ייעוץ עסקי"}
    set_profile(store, **(hebrew if rtl else {}))
    count = LAYOUTS[layout].per_page
    plan = cards.plan_cards(store, campaign="Spring", layout=layout, count=count, kind=kind)
    codes = cards.sample_codes(count)
    pdf = cards.render_cards(plan, codes if kind == "optin" else None)
    from netapp.printing.qr import qr_matrix

    n = len(qr_matrix(plan.payload(codes[0]) if kind == "optin" else plan.contact)[0])
    assert len(decode_all(pdf)) == count
    img = render_pages(pdf)[0].point(lambda v: 255 if v < 128 else 0)  # dark -> white
    px_per_mm = 150 / 25.4
    for d in decode_all(pdf):
        module = (d.right_px - d.left_px) / n
        band = int(4 * module)
        box = (d.left_px - band, d.top_px - band, d.right_px + band, d.bottom_px + band)
        bbox = img.crop(box).getbbox()  # the dark pixels: must be the symbol alone
        assert bbox is not None
        symbol = (bbox[2] - bbox[0], bbox[3] - bbox[1])
        assert bbox[0] >= band - module and bbox[1] >= band - module, (box, bbox)
        assert bbox[2] <= box[2] - box[0] - band + module, (box, bbox)
        assert bbox[3] <= box[3] - box[1] - band + module, (box, bbox)
        assert symbol[0] / n / px_per_mm >= 0.5  # modules of at least 0.5 mm on paper


def test_contact_cards_carry_a_vcard_of_the_profile(store: Store, tmp_path: Path) -> None:
    """'Save my contact' cards decode to a vCard with the profile's name, phone and email,
    and record a batch without codes."""
    set_profile(store)
    plan = cards.plan_cards(store, campaign="Expo", kind="contact", layout="a4", count=3)
    res = cards.print_cards(store, plan, tmp_path / "c.pdf", WHEN)
    decoded = decode_all(res.path)
    assert len(decoded) == 3
    for d in decoded:
        assert "FN:Zoë Łukasz-Żak" in d.text and "TEL;TYPE=CELL:+44 20 7946 0958" in d.text
        assert "EMAIL:zoe@example.com" in d.text and d.text.startswith("BEGIN:VCARD")
    assert res.codes == []
    row = store.db.query(
        "SELECT kind, count, campaign FROM card_batches WHERE id = ?", [res.batch_id]
    )
    assert row == [{"kind": "contact", "count": 3, "campaign": "Expo"}]


def test_batch_is_recorded_and_codes_are_unique_across_batches(
    store: Store, tmp_path: Path
) -> None:
    """Each batch row holds meeting, offer, layout, count, URL and date; codes never repeat."""
    set_profile(store)
    mid = _meeting(store)
    p1 = cards.plan_cards(store, meeting=mid, count=30, offer="5-minute video: the ask ladder")
    r1 = cards.print_cards(store, p1, tmp_path / "a.pdf", WHEN)
    p2 = cards.plan_cards(store, campaign="Spring fair", count=30, url="https://x.example/s")
    r2 = cards.print_cards(store, p2, tmp_path / "b.pdf", WHEN)
    rows = store.db.query("SELECT * FROM card_batches ORDER BY id")
    assert [(r["meeting_id"], r["campaign"], r["count"], r["layout"]) for r in rows] == [
        (mid, "", 30, "avery-5371"),
        (None, "Spring fair", 30, "avery-5371"),
    ]
    assert rows[0]["offer"] == "5-minute video: the ask ladder"
    assert rows[1]["url"] == "https://x.example/s" and rows[0]["printed_at"] == WHEN
    assert not set(r1.codes) & set(r2.codes)
    assert store.db.scalar("SELECT count(DISTINCT code) FROM cards") == 60


def test_lookup_card_matches_batch_and_meeting_or_rejects(store: Store, tmp_path: Path) -> None:
    """A code typed back (any case, hyphen) finds its batch and meeting; a typo is a
    ValidationError; a valid code never printed is NotFoundError."""
    set_profile(store)
    mid = _meeting(store)
    res = cards.print_cards(
        store, cards.plan_cards(store, meeting=mid, count=3), tmp_path / "a.pdf", WHEN
    )
    code = res.codes[1]
    batch, meeting = store.card_batches.lookup(C.display(code).lower())
    assert batch.id == res.batch_id and meeting is not None and meeting.id == mid
    typo = code[:2] + next(ch for ch in C.ALPHABET if ch != code[2]) + code[3:]
    with pytest.raises(ValidationError):
        store.card_batches.lookup(typo)
    other = next(c for c in (C.new_code() for _ in range(100)) if c not in res.codes)
    with pytest.raises(NotFoundError):
        store.card_batches.lookup(other)


@pytest.mark.parametrize(
    ("kwargs", "field_or_type"),
    [
        (dict(count=0), "count"),
        (dict(count=100000), "count"),
        (dict(url="not a url"), "url"),
        (dict(layout="poster"), "layout"),
        (dict(kind="nfc"), "kind"),
        (dict(offer="x" * 500), "offer"),
        (dict(url="https://example.com/" + "p" * 900), "url"),
        (dict(meeting=999), NotFoundError),
        (dict(meeting=None, campaign=None), "meeting"),
    ],
)
def test_bad_requests_raise_named_errors_and_write_nothing(
    store: Store, tmp_path: Path, kwargs: dict, field_or_type: object
) -> None:
    """Count 0 or 100000, a bad URL, unknown meeting/layout/kind, a huge offer or a URL too
    long for a readable QR raise a named error before anything is written."""
    set_profile(store)
    args: dict = {"campaign": "Spring"} | kwargs
    if "meeting" in kwargs and kwargs["meeting"] is not None:
        args.pop("campaign")
    with pytest.raises(NetappError) as err:
        cards.plan_cards(store, **args)
    if isinstance(field_or_type, str):
        assert isinstance(err.value, ValidationError) and err.value.field == field_or_type
    else:
        assert isinstance(err.value, field_or_type)  # type: ignore[arg-type]
    assert store.db.scalar("SELECT count(*) FROM card_batches") == 0


def test_missing_profile_name_is_named(store: Store) -> None:
    """Printing before the profile has a name says which setting to fill in."""
    with pytest.raises(ValidationError) as err:
        cards.plan_cards(store, campaign="Spring", url="https://example.com")
    assert err.value.field == "profile.name"


def test_unwritable_output_leaves_no_batch(store: Store, tmp_path: Path) -> None:
    """Writing to a missing folder fails by name and records no batch or card."""
    set_profile(store)
    plan = cards.plan_cards(store, campaign="Spring", count=2)
    with pytest.raises(ValidationError) as err:
        cards.print_cards(store, plan, tmp_path / "missing" / "c.pdf", WHEN)
    assert err.value.field == "output"
    assert store.db.scalar("SELECT count(*) FROM cards") == 0
    assert store.db.scalar("SELECT count(*) FROM card_batches") == 0


@pytest.mark.parametrize(
    ("name", "business"),
    [
        ("Zoë Łukasz-Żak", "Ångström Ελληνικά Кирилл"),
        ("山田 太郎", "株式会社ひかり"),
        ("김민준", "서울 코칭"),
        ("王小明", "北京顾问"),
    ],
)
def test_names_in_any_script_extract_intact(store: Store, name: str, business: str) -> None:
    """Latin, Greek, Cyrillic, Japanese, Korean and Chinese names read back from the PDF as
    the same Unicode."""
    set_profile(store, profile__name=name, profile__business=business)
    plan = cards.plan_cards(store, campaign="Spring", layout="a6", count=1)
    text = page_text(cards.render_cards(plan, cards.sample_codes(1)))[0]
    assert name in text
    for word in business.split():
        assert word in text


def test_calibration_page_crosses_sit_20mm_in_plus_offset() -> None:
    """The calibration cross centres are 20 mm from the left and top edges, plus the offset."""
    pdf = cards.calibration_page("a4", 1.0, 2.0)
    h = LAYOUTS["a4"].page[1]
    circles = [
        b
        for b in path_bounds(pdf)
        if abs((b[2] - b[0]) - 6 * MM) < 1 and abs((b[3] - b[1]) - 6 * MM) < 1
    ]
    assert circles
    cx = (circles[0][0] + circles[0][2]) / 2
    cy_from_top = h - (circles[0][1] + circles[0][3]) / 2
    assert cx == pytest.approx(21 * MM, abs=0.5)
    assert cy_from_top == pytest.approx(22 * MM, abs=0.5)
    assert "Calibration page" in page_text(pdf)[0]


def test_layout_names_are_the_card_layout_vocabulary() -> None:
    """Every printable layout is a CardLayout (what settings and the CLI offer), and vice versa."""
    from netapp.domain import CardLayout

    assert list(LAYOUTS) == [c.value for c in CardLayout]
