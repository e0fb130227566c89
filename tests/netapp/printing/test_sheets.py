"""Follow-up and briefing sheets, read back from the PDF."""

from __future__ import annotations

from datetime import date

import pytest

from netapp import engine
from netapp.domain import Interaction, Kind, Outcome, Person
from netapp.errors import NotFoundError, ValidationError
from netapp.printing import sheets
from netapp.store import Store
from tests.netapp.printing.helpers import page_text, render_pages

TODAY = date(2026, 11, 23)
NAMES = [
    "Zoë Łukasz-Żak",
    "Ἀλέξανδρος Παπαδόπουλος",
    "Дмитрий Ёлкин",
    "山田 太郎",
    "김민준",
    "王小明",
]


def _people_at_meeting(store: Store) -> tuple[int, list[int]]:
    gid = store.groups.add("Thursday Breakfast Club")
    pids = [store.people.add(Person(display_name=n, org="Ångström AB")) for n in NAMES]
    mid = store.meetings.add("Thursday Breakfast", "2026-11-19", group_id=gid, attendee_ids=pids)
    return mid, pids


def test_followup_sheet_lists_meeting_people_with_intact_non_latin_names(store: Store) -> None:
    """Every attendee appears with stage and next step, and names in Latin, Greek, Cyrillic,
    Japanese, Korean and Chinese extract from the PDF as the same Unicode."""
    mid, pids = _people_at_meeting(store)
    sheet = sheets.followup_sheet(store, TODAY, meeting=mid)
    assert [e.person_id for e in sheet.entries] == pids
    statuses = engine.statuses(store, TODAY, person_ids=pids)
    for e in sheet.entries:
        stage = dict(e.lines)["Stage"]
        assert stage.startswith(statuses[e.person_id].stage.value)
        assert "Thursday Breakfast" in dict(e.lines)["Met"]
    pdf = sheets.render_sheet(sheet, "a4")
    text = "\n".join(page_text(pdf))
    for name in NAMES:
        assert name in text, name
    assert "Ångström AB" in text


def test_an_ask_held_back_is_named_by_its_ladder_label_as_written(store: Store) -> None:
    """On the follow-up sheet, an ask held back is named by its ladder label, quoted and in
    its own case ("not yet “Join your email list” (premature: …)"), never by its id."""
    from netapp.engine.wording import ask_labels

    mid, _pids = _people_at_meeting(store)
    labels = ask_labels(store)
    sheet = sheets.followup_sheet(store, TODAY, meeting=mid)
    held = [
        dict(e.lines)["Ask now"] for e in sheet.entries if "not yet" in dict(e.lines)["Ask now"]
    ]
    assert held
    for line in held:
        quoted = line.split("not yet ", 1)[1]
        assert any(quoted.startswith(f"“{label}” (") for label in labels.values()), line
        assert not any(f"not yet {ask}" in line for ask in labels), line


def test_followup_sheet_from_agenda_covers_the_agenda_people(demo_store: Store) -> None:
    """For a date range, the sheet holds exactly the people on the engine's agenda, each once,
    with no block split across pages."""
    steps = engine.agenda(demo_store, TODAY, days=5)
    sheet = sheets.followup_sheet(demo_store, TODAY, on=TODAY, days=5)
    assert [e.person_id for e in sheet.entries] == list(dict.fromkeys(s.person_id for s in steps))
    pdf = sheets.render_sheet(sheet, "letter")
    pages = page_text(pdf)
    assert len(pages) == len(render_pages(pdf))
    for e in sheet.entries:
        assert sum(p.count(e.name) for p in pages) >= 1


def test_briefing_lists_regulars_pending_asks_and_recent_value(store: Store) -> None:
    """A regular of the group is listed with the pending ask and the value given recently;
    someone who came once is not."""
    gid = store.groups.add("Chamber Mixer")
    ann = store.people.add(Person(display_name="Ann Lee"))
    bob = store.people.add(Person(display_name="Bob Once"))
    for i, day in enumerate(["2026-10-01", "2026-10-15", "2026-11-01"]):
        store.meetings.add(
            "Mixer", day, group_id=gid, attendee_ids=[ann] + ([bob] if i == 0 else [])
        )
    store.interactions.add(
        Interaction(
            person_id=ann, date="2026-11-01", kind=Kind.VALUE_GIVEN, note="Intro to a printer"
        )
    )
    store.interactions.add(
        Interaction(
            person_id=ann,
            date="2026-11-02",
            kind=Kind.ASK,
            ask_type="watch-video",
            outcome=Outcome.PENDING,
        )
    )
    coming = store.meetings.add("Mixer", "2026-11-26", group_id=gid)
    sheet = sheets.briefing_sheet(store, TODAY, meeting=coming)
    assert [e.name for e in sheet.entries] == ["Ann Lee"]
    lines = dict(sheet.entries[0].lines)
    assert "came to 3 of the last 3" in lines["Likely"]
    assert "Watch a short video" in lines["Pending"]
    assert "Intro to a printer" in lines["Recent value"]
    text = page_text(sheets.render_sheet(sheet))[0]
    assert "Ann Lee" in text and "Bob Once" not in text


def test_sheet_bad_inputs_raise_named_errors(store: Store) -> None:
    """An unknown meeting is NotFoundError; days out of range and an unknown paper are
    ValidationErrors naming the field."""
    with pytest.raises(NotFoundError):
        sheets.followup_sheet(store, TODAY, meeting=999)
    with pytest.raises(NotFoundError):
        sheets.briefing_sheet(store, TODAY, meeting="nope")
    with pytest.raises(ValidationError) as err:
        sheets.followup_sheet(store, TODAY, days=0)
    assert err.value.field == "days"
    with pytest.raises(ValidationError) as err:
        sheets.render_sheet(sheets.Sheet("t", "s", []), "a3")
    assert err.value.field == "paper"


def test_empty_sheet_says_so(store: Store) -> None:
    """A meeting with nobody recorded prints one page that says so instead of failing."""
    mid = store.meetings.add("Empty", "2026-11-19")
    text = page_text(sheets.render_sheet(sheets.followup_sheet(store, TODAY, meeting=mid)))
    assert len(text) == 1 and "Nobody is recorded" in text[0]


def test_briefing_carries_journal_notes_and_birthdays_of_the_people_likely_there(
    store: Store,
) -> None:
    """The two newest journal notes and a birthday near the meeting are on the person's block,
    and read back from the PDF; someone with neither gets no such lines."""
    from netapp.domain import Note

    gid = store.groups.add("Chamber Mixer")
    ann = store.people.add(Person(display_name="Ann Lee", birthday="1990-11-27"))
    bob = store.people.add(Person(display_name="Bob Ray", birthday="--06-01"))
    for day in ["2026-10-01", "2026-10-15", "2026-11-01"]:
        store.meetings.add("Mixer", day, group_id=gid, attendee_ids=[ann, bob])
    for day, text in [
        ("2026-10-01", "oldest"),
        ("2026-10-20", "daughter's exams"),
        ("2026-11-02", "new office\nin town"),
    ]:
        store.notes.add(Note(person_id=ann, date=day, text=text))
    coming = store.meetings.add("Mixer", "2026-11-26", group_id=gid)
    sheet = sheets.briefing_sheet(store, TODAY, meeting=coming)
    blocks = {e.name: e.lines for e in sheet.entries}
    journal = [t for label, t in blocks["Ann Lee"] if label == "Journal"]
    assert journal == ["2 Nov 2026: new office in town", "20 Oct 2026: daughter's exams"]
    assert dict(blocks["Ann Lee"])["Birthday"] == "27 Nov 2026, turning 36"
    assert not [label for label, _ in blocks["Bob Ray"] if label in ("Journal", "Birthday")]
    text = " ".join(page_text(sheets.render_sheet(sheet)))
    assert "daughter's exams" in text and "turning 36" in text and "oldest" not in text


def test_briefing_prints_each_face(store: Store) -> None:
    """Each person on the briefing sheet has a face: their photo (an image drawn where the face
    goes) or their initials on a disc; the other sheets have none."""
    import io as _io

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    from PIL import Image

    buf = _io.BytesIO()
    Image.new("RGB", (40, 30), (220, 20, 20)).save(buf, "PNG")
    gid = store.groups.add("Chamber Mixer")
    ann = store.people.add(
        Person(display_name="Ann Lee", photo=buf.getvalue(), photo_type="image/png")
    )
    bob = store.people.add(Person(display_name="Bob Ray"))
    for day in ["2026-10-01", "2026-10-15", "2026-11-01"]:
        store.meetings.add("Mixer", day, group_id=gid, attendee_ids=[ann, bob])
    coming = store.meetings.add("Mixer", "2026-11-26", group_id=gid)
    sheet = sheets.briefing_sheet(store, TODAY, meeting=coming)
    assert [(e.name, e.face, e.photo is not None) for e in sheet.entries] == [
        ("Ann Lee", True, True),
        ("Bob Ray", True, False),
    ]
    pdf = sheets.render_sheet(sheet)
    page = pdfium.PdfDocument(pdf)[0]
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    assert len(images) == 1  # Ann's photo; Bob's face is a disc with "BR"
    assert "BR" in page_text(pdf)[0]
    left, bottom, right, top = images[0].get_bounds()
    rgb = page.render(scale=2).to_pil().convert("RGB")
    cx, cy = (left + right), (rgb.height - (bottom + top))  # centre, at scale 2
    red, green, _blue = rgb.getpixel((int(cx), int(cy)))
    assert red > 180 and green < 80
    first = store.db.scalar("SELECT min(id) FROM meetings")
    follow = sheets.followup_sheet(store, TODAY, meeting=first)
    assert follow.entries and not any(e.face for e in follow.entries)
