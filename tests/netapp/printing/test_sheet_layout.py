"""Sheets worth carrying: contacts, the next step in full, 9 pt text, 7 mm writing lines, a
busy week in about ten pages, titles never cut, paper from the user's region."""

from __future__ import annotations

import ctypes
from datetime import date, timedelta

import pypdfium2.raw as pdfium_c
import pytest

from netapp.domain import Email, Interaction, Kind, Person, Phone
from netapp.printing import sheets
from netapp.printing.layouts import A4, LETTER, MM
from netapp.settings import paper_for_locale
from netapp.store import Store
from tests.netapp.printing.helpers import open_pdf, page_text, path_bounds

TODAY = date(2026, 11, 23)


def _met_yesterday(store: Store, n: int) -> int:
    """``n`` people met at yesterday's breakfast, each with a phone and an email."""
    pids = []
    for i in range(n):
        pids.append(
            store.people.add(
                Person(
                    display_name=f"Person {i:02d} Example",
                    org="Riverside Accountants",
                    emails=[Email(f"p{i}@example.com")],
                    phones=[Phone(f"+4420794600{i:02d}")],
                )
            )
        )
    day = (TODAY - timedelta(days=1)).isoformat()
    mid = store.meetings.add("Thursday breakfast", day, attendee_ids=pids)
    for pid in pids:
        store.interactions.add(Interaction(person_id=pid, date=day, kind=Kind.MET))
    return mid


def _sizes(pdf: bytes) -> list[float]:
    doc = open_pdf(pdf)
    out = []
    for i in range(len(doc)):
        for obj in doc[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
            size = ctypes.c_float()
            pdfium_c.FPDFTextObj_GetFontSize(obj.raw, size)
            out.append(size.value)
    return out


def test_followup_sheet_shows_phone_email_and_the_whole_next_step(store: Store) -> None:
    """Each person's phone (grouped for reading) and email are printed, and every line of
    their block appears in full: nothing is cut with an ellipsis."""
    mid = _met_yesterday(store, 3)
    sheet = sheets.followup_sheet(store, TODAY, meeting=mid)
    text = " ".join(" ".join(page_text(sheets.render_sheet(sheet))).split())
    assert "…" not in text
    for i in range(3):
        assert f"+44 20 7946 00{i:02d}" in text and f"p{i}@example.com" in text
    for e in sheet.entries:
        for _label, line in e.lines:
            assert " ".join(line.split()) in text


def test_sheet_text_is_at_least_9pt(store: Store) -> None:
    """Every piece of text on a follow-up sheet is 9 pt or larger."""
    mid = _met_yesterday(store, 4)
    pdf = sheets.render_sheet(sheets.followup_sheet(store, TODAY, meeting=mid))
    sizes = _sizes(pdf)
    assert sizes and min(sizes) >= 9.0, sorted(set(sizes))


def test_three_writing_lines_a_person_7mm_apart(store: Store) -> None:
    """Each person gets three ruled writing lines, at least 7 mm apart."""
    mid = _met_yesterday(store, 4)
    pdf = sheets.render_sheet(sheets.followup_sheet(store, TODAY, meeting=mid))
    rules = sorted(
        {round(b[3], 1) for b in path_bounds(pdf) if b[3] - b[1] < 1 and b[2] - b[0] > 100},
        reverse=True,
    )
    assert len(rules) == 3 * 4
    for k in range(4):
        a, b, c = rules[3 * k : 3 * k + 3]
        assert a - b >= 7 * MM - 0.1 and b - c >= 7 * MM - 0.1


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_busy_week_of_75_people_fits_in_about_ten_pages(store: Store, paper: str) -> None:
    """An agenda of 75 people (follow-ups after a breakfast) prints on at most 10 pages, A4
    or Letter, each person once, no block split across pages; every page after the first
    repeats the title."""
    _met_yesterday(store, 75)
    sheet = sheets.followup_sheet(store, TODAY, on=TODAY, days=7)
    assert len(sheet.entries) == 75
    pages = page_text(sheets.render_sheet(sheet, paper))
    assert len(pages) <= 10, len(pages)
    assert all(" ".join(sheet.title.split()) in " ".join(p.split()) for p in pages)
    for i in range(75):
        assert sum(p.count(f"Person {i:02d} Example") for p in pages) == 1


def test_a_long_title_wraps_and_is_never_cut(store: Store) -> None:
    """A briefing sheet for a meeting with a very long name and venue shows the whole title."""
    name = "Quarterly regional chamber of commerce networking breakfast and awards " * 2
    mid = store.meetings.add(name.strip(), "2026-11-26", venue="The Grand Riverside Hotel")
    sheet = sheets.briefing_sheet(store, TODAY, meeting=mid)
    text = " ".join(" ".join(page_text(sheets.render_sheet(sheet))).split())
    assert "…" not in text
    assert " ".join(sheet.title.split()) in text


@pytest.mark.parametrize(
    ("environ", "paper"),
    [
        ({"LANG": "en_US.UTF-8"}, "letter"),
        ({"LANG": "en_GB.UTF-8"}, "a4"),
        ({"LANG": "de_DE.UTF-8", "LC_PAPER": "es_MX.UTF-8"}, "letter"),
        ({"LC_ALL": "fr_CA"}, "letter"),
        ({"LANG": "C.UTF-8"}, "a4"),
        ({}, "a4"),
    ],
)
def test_paper_default_follows_the_region(environ: dict[str, str], paper: str) -> None:
    """Letter in the US, Canada, Mexico …; A4 elsewhere; LC_PAPER wins over LANG."""
    assert paper_for_locale(environ) == paper


def test_sheets_use_the_paper_setting_not_the_card_layout(store: Store) -> None:
    """With a US card layout but paper set to A4, sheets print on A4; set to Letter, Letter."""
    mid = _met_yesterday(store, 1)
    sheet = sheets.followup_sheet(store, TODAY, meeting=mid)
    store.settings.update({"print.layout": "avery-5371", "print.paper": "a4"})
    assert open_pdf(sheets.render_for(store, sheet))[0].get_size() == pytest.approx(A4)
    store.settings.update({"print.layout": "avery-c32011", "print.paper": "letter"})
    assert open_pdf(sheets.render_for(store, sheet))[0].get_size() == pytest.approx(LETTER)


def test_paper_not_chosen_follows_the_locale_when_the_sheet_is_made(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no paper chosen in Settings, a sheet prints on Letter under en_US and on A4 under
    de_DE: the region is read when the sheet is made, not when netapp was loaded."""
    mid = _met_yesterday(store, 1)
    sheet = sheets.followup_sheet(store, TODAY, meeting=mid)
    for region, size in (("en_US.UTF-8", LETTER), ("de_DE.UTF-8", A4), ("es_MX", LETTER)):
        monkeypatch.setenv("LC_PAPER", region)
        assert store.settings["print.paper"] == ("a4" if size == A4 else "letter")
        assert open_pdf(sheets.render_for(store, sheet))[0].get_size() == pytest.approx(size)


def test_a_demo_week_with_real_advice_fits_in_about_ten_pages(store: Store) -> None:
    """The week's agenda of a busy networker from the demo data (about 75 people, each with
    the engine's full reasons) takes at most 10 A4 pages per 75 people, or 11 of the shorter
    Letter."""
    from netapp.demo import generate

    generate(store, people=150, seed=7, today=TODAY.isoformat())
    sheet = sheets.followup_sheet(store, TODAY, on=TODAY, days=7)
    n = len(sheet.entries)
    assert 40 <= n <= 150, n
    a4 = len(open_pdf(sheets.render_sheet(sheet, "a4")))
    letter = len(open_pdf(sheets.render_sheet(sheet, "letter")))
    assert a4 * 75 / n <= 10 and letter * 75 / n <= 11, (n, a4, letter)
