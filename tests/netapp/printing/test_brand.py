"""The card looks like the user's own: logo (PNG or SVG) and accent colour from Settings; a
character no font has is named in one warning line, never printed as a box."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from netapp.cli import main
from netapp.errors import ValidationError
from netapp.printing import cards, sheets
from netapp.printing.layouts import LAYOUTS, SAFE
from netapp.store import Store
from tests.netapp.printing.helpers import (
    PX_PER_PT,
    clock_moving_a_day_per_read,
    decode_all,
    page_text,
    set_profile,
)

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">
<rect x="0" y="0" width="40" height="40" fill="#d0021b"/><circle cx="80" cy="20" r="18"
fill="#d0021b"/></svg>"""


def _png(path: Path) -> Path:
    img = Image.new("RGB", (300, 100), (208, 2, 27))
    img.save(path)
    return path


def _red_pixels(img: Image.Image, box: tuple[float, float, float, float], page_h: float) -> int:
    left, bottom, right, top = box
    crop = img.crop(
        (
            int(left * PX_PER_PT),
            int((page_h - top) * PX_PER_PT),
            int(right * PX_PER_PT),
            int((page_h - bottom) * PX_PER_PT),
        )
    )
    red = crop.split()
    mask = Image.merge(
        "RGB",
        (
            red[0].point(lambda v: 255 if v > 150 else 0),
            red[1].point(lambda v: 255 if v < 80 else 0),
            red[2].point(lambda v: 255 if v < 90 else 0),
        ),
    ).convert("L")
    return sum(mask.point(lambda v: 255 if v == 255 else 0).histogram()[255:])


def _rgb_pages(pdf: bytes) -> list[Image.Image]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    return [doc[i].render(scale=PX_PER_PT).to_pil().convert("RGB") for i in range(len(doc))]


@pytest.mark.parametrize("kind", ["png", "svg"])
@pytest.mark.parametrize("layout", ["avery-5371", "a4", "a6"])
def test_logo_prints_on_every_card_inside_the_safe_area(
    store: Store, tmp_path: Path, kind: str, layout: str
) -> None:
    """A PNG or SVG logo from Settings appears on every card, in its top half and 3 mm or
    more inside the cut; the QR codes still decode."""
    logo = _png(tmp_path / "logo.png") if kind == "png" else tmp_path / "logo.svg"
    if kind == "svg":
        logo.write_text(SVG)
    set_profile(store)
    store.settings.set("print.logo", str(logo))
    lay = LAYOUTS[layout]
    plan = cards.plan_cards(store, campaign="Spring", layout=layout, count=lay.per_page)
    pdf = cards.render_cards(plan, cards.sample_codes(plan.count))
    img = _rgb_pages(pdf)[0]
    h = lay.page[1]
    for r in lay.rects():
        top_half = (r.x + SAFE, r.y + r.h / 2, r.x + r.w - SAFE, r.y + r.h - SAFE)
        assert _red_pixels(img, top_half, h) > 50
        outside = _red_pixels(img, (r.x, r.y, r.x + r.w, r.y + r.h), h)
        assert outside == _red_pixels(
            img, (r.x + SAFE, r.y + SAFE, r.x + r.w - SAFE, r.y + r.h - SAFE), h
        )
    assert len(decode_all(pdf)) == lay.per_page


def test_logo_on_sheets(store: Store, tmp_path: Path) -> None:
    """The logo is printed in the header of every sheet page."""
    store.settings.set("print.logo", str(_png(tmp_path / "logo.png")))
    mid = store.meetings.add("Breakfast", "2026-11-19")
    pdf = sheets.render_for(store, sheets.followup_sheet(store, date(2026, 11, 20), meeting=mid))
    img = _rgb_pages(pdf)[0]
    w, h = img.width / PX_PER_PT, img.height / PX_PER_PT
    assert _red_pixels(img, (w / 2, h - 60, w, h), h) > 50


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (None, "missing.png", "does not exist"),
        (b"not a picture at all", "fake.png", "not a PNG, JPEG or SVG"),
        (b"<svg><unclosed", "broken.svg", "not a PNG, JPEG or SVG"),
        (b"GIF89a", "logo.gif", "a logo is a PNG, JPEG or SVG file"),
    ],
)
def test_a_bad_logo_is_one_line_naming_the_file(
    store: Store, tmp_path: Path, content: bytes | None, name: str, fragment: str
) -> None:
    """A missing, disguised, malformed or unsupported logo is refused with one line naming
    the file, at the setting or when the cards are planned; nothing is printed."""
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    set_profile(store)
    try:
        store.settings.set("print.logo", str(path))
    except ValidationError as exc:
        assert exc.field == "print.logo" and fragment in exc.message and name in exc.message
        return
    with pytest.raises(ValidationError) as err:
        cards.plan_cards(store, campaign="Spring", count=1)
    assert err.value.field == "print.logo" and fragment in err.value.message
    assert name in err.value.message and "\n" not in err.value.message


def test_accent_colour_draws_the_rule_and_is_checked(store: Store) -> None:
    """The accent colour from Settings is the card's rule and arrow; a colour that is not
    #rrggbb is refused at the field."""
    set_profile(store)
    store.settings.set("print.accent", "#d0021b")
    plan = cards.plan_cards(store, campaign="Spring", layout="avery-5371", count=1)
    img = _rgb_pages(cards.render_cards(plan, cards.sample_codes(1)))[0]
    r = LAYOUTS["avery-5371"].rects()[0]
    assert _red_pixels(img, (r.x, r.y, r.x + r.w, r.y + r.h), 792) > 20
    with pytest.raises(ValidationError) as err:
        store.settings.set("print.accent", "blue")
    assert err.value.field == "print.accent"


def test_cards_command_warns_in_one_line_about_characters_it_leaves_out(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name with an emoji newer than the emoji font prints without it, and the command
    says so in one warning line naming the character and where it was."""
    with Store(db_path) as store:
        set_profile(store, profile__name="Ann Lee 🥲")
    out = tmp_path / "c.pdf"
    rc = main(["--db", str(db_path), "cards", "--campaign", "Fair", "--count", "1", "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 0
    lines = [line for line in err.splitlines() if "warning" in line]
    assert lines == [
        "netapp: warning: 1 character no font has is left out: 🥲 (U+1F972) in your name"
    ]
    assert "Ann Lee" in page_text(out)[0]


def test_the_same_cards_and_sheet_make_the_same_pdf(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Printing the same cards (same codes) or the same sheet twice, logo included, gives
    the same bytes: nothing in a PDF depends on the time or on memory addresses."""
    clock_moving_a_day_per_read(monkeypatch)
    logo = tmp_path / "logo.svg"
    logo.write_text(SVG, encoding="utf-8")
    set_profile(store, print__logo=str(logo))
    codes = cards.sample_codes(10)
    runs = [
        cards.render_cards(cards.plan_cards(store, campaign="Fair", count=10), codes)
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    mid = store.meetings.add("Breakfast", "2026-11-19")
    sheet = sheets.followup_sheet(store, date(2026, 11, 20), meeting=mid)
    assert sheets.render_for(store, sheet) == sheets.render_for(store, sheet)
