"""Journal notes, search everywhere, "remind me on", birthdays and the day's notices (#17)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netapp.domain import (
    Interaction,
    Kind,
    LibraryItem,
    LibraryKind,
    Note,
    Person,
    Referral,
    SearchKind,
)
from netapp.errors import NotFoundError, ValidationError
from netapp.interchange.dedupe import merge_people
from netapp.interchange.json_backup import dump
from netapp.reminders import due_now, notices
from netapp.safety.forget import forget
from netapp.store import Store
from netapp.store.occasions import birthdays, reminders
from netapp.store.search import search


def _person(store: Store, name: str, **kw: object) -> int:
    return store.people.add(Person(display_name=name, **kw))  # type: ignore[arg-type]


def test_notes_add_update_delete_restore_return_their_inverse(store: Store) -> None:
    """Each note write returns what undoes it; undoing puts the exact row back."""
    pid = _person(store, "Ann Lee")
    nid = store.notes.add(Note(person_id=pid, date="2026-12-01", text="Daughter's exams\nin June"))
    assert store.notes.get(nid).text == "Daughter's exams\nin June"
    before = store.notes.update(nid, text="Exams went well")
    assert store.notes.get(nid).text == "Exams went well"
    store.notes.update(nid, date=before.date, text=before.text)
    assert store.notes.get(nid).text == before.text
    row = store.notes.delete(nid)
    assert store.notes.for_person(pid) == []
    assert store.notes.restore(row) == nid
    assert store.notes.get(nid).text == before.text
    assert [h.id for h in search(store.db, "june", kinds=(SearchKind.NOTE,))] == [nid]


@pytest.mark.parametrize(
    ("day", "text", "field"),
    [("2026-02-30", "x", "date"), ("soon", "x", "date"), ("2026-01-01", "  \n ", "note")],
)
def test_bad_notes_name_the_field_and_write_nothing(
    store: Store, day: str, text: str, field: str
) -> None:
    """A bad date or an empty note is refused naming the field; nothing is stored."""
    pid = _person(store, "Ann Lee")
    with pytest.raises(ValidationError) as exc:
        store.notes.add(Note(person_id=pid, date=day, text=text))
    assert exc.value.field == field
    assert store.notes.for_person(pid) == []


def test_a_note_on_nobody_is_refused(store: Store) -> None:
    """A note for a person who does not exist is a NotFoundError, not a constraint trace."""
    with pytest.raises(NotFoundError):
        store.notes.add(Note(person_id=99, date="2026-01-01", text="hello"))


def test_notes_follow_the_person_through_delete_undo_merge_and_forget(store: Store) -> None:
    """Deleting a person takes their notes (undo brings them back); merge moves them; forget
    leaves no trace of the text in the search index."""
    pid = _person(store, "Ann Lee")
    store.notes.add(Note(person_id=pid, date="2026-12-01", text="loves sailing"))
    change = store.people.delete(pid)
    assert search(store.db, "sailing") == []
    change.undo()
    assert [n.text for n in store.notes.for_person(pid)] == ["loves sailing"]
    other = _person(store, "A. Lee")
    store.notes.add(Note(person_id=other, date="2026-12-02", text="kayak club"))
    merge_people(store, pid, other)
    assert sorted(n.text for n in store.notes.for_person(pid)) == ["kayak club", "loves sailing"]
    forget(store, pid)
    assert search(store.db, "sailing") == [] and search(store.db, "kayak") == []
    assert store.db.scalar("SELECT count(*) FROM notes") == 0


def test_search_finds_every_kind_grouped_in_order(store: Store) -> None:
    """One word finds a person, meeting, group, referral, library item, note and interaction."""
    pid = _person(store, "Harbour Smith")
    gid = store.groups.add("Harbour Chapter", "weekly", "thu", "Harbour Hotel")
    mid = store.meetings.add("Harbour breakfast", "2026-11-05", group_id=gid)
    rid = store.referrals.add(
        Referral(
            provider_id=pid, prospect_name="Harbour Dental", prospect_agreed=True, date="2026-11-06"
        )
    )
    lid = store.library.add(LibraryItem(title="Harbour guide", kind=LibraryKind.EBOOK))
    nid = store.notes.add(Note(person_id=pid, date="2026-11-07", text="moving to the harbour"))
    iid = store.interactions.add(
        Interaction(person_id=pid, date="2026-11-08", kind=Kind.CALL, note="harbour project")
    )
    hits = search(store.db, "harb")
    kinds = [h.kind for h in hits]
    assert kinds == sorted(kinds, key=list(SearchKind).index)
    found = {(h.kind, h.id) for h in hits}
    assert {
        (SearchKind.PERSON, pid),
        (SearchKind.MEETING, mid),
        (SearchKind.GROUP, gid),
        (SearchKind.REFERRAL, rid),
        (SearchKind.LIBRARY, lid),
        (SearchKind.NOTE, nid),
        (SearchKind.INTERACTION, iid),
    } <= found
    note = next(h for h in hits if h.kind is SearchKind.NOTE)
    assert note.person_id == pid and note.title == "Harbour Smith" and "harbour" in note.detail
    store.meetings.update(mid, name="Lighthouse breakfast")
    assert (SearchKind.MEETING, mid) not in {(h.kind, h.id) for h in search(store.db, "harb")}
    assert [h.id for h in search(store.db, "lighthouse")] == [mid]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=40))
def test_search_never_fails_on_any_text(store: Store, text: str) -> None:
    """Whatever is typed (quotes, operators, control characters) searches or finds nothing."""
    for hit in search(store.db, text):
        assert hit.kind in SearchKind


def test_json_backup_leaves_the_search_tables_out(store: Store) -> None:
    """The search tables are derived: the JSON backup carries notes but no *_fts table."""
    pid = _person(store, "Ann Lee")
    store.notes.add(Note(person_id=pid, date="2026-12-01", text="a note"))
    tables = dump(store)["tables"]
    assert "notes" in tables and not [t for t in tables if "_fts" in t]


def test_remind_on_is_a_checked_date_and_reminders_come_when_due(store: Store) -> None:
    """ "Remind me on" is a date (a bad one names the field); it is due on and after that day."""
    pid = _person(store, "Ann Lee", remind_on="2026-12-10")
    _person(store, "Bob Ray")
    with pytest.raises(ValidationError) as exc:
        store.people.update(pid, remind_on="next week")
    assert exc.value.field == "remind_on"
    assert reminders(store.db, date(2026, 12, 9)) == []
    assert [o.person_id for o in reminders(store.db, date(2026, 12, 10))] == [pid]
    assert [o.person_id for o in reminders(store.db, date(2027, 1, 1))] == [pid]
    store.people.update(pid, remind_on="")
    assert reminders(store.db, date(2027, 1, 1)) == []


def test_birthdays_on_the_day_and_ahead_with_age_and_leap_days(store: Store) -> None:
    """Birthdays show on the day and N days ahead; a 29 Feb birthday shows on 28 Feb in a
    common year; the age is given when the year is known."""
    ann = _person(store, "Ann Lee", birthday="1980-12-08")
    bob = _person(store, "Bob Ray", birthday="--12-09")
    leap = _person(store, "Leap Day", birthday="2000-02-29")
    on_day = birthdays(store.db, date(2026, 12, 8), 0)
    assert [(o.person_id, o.age) for o in on_day] == [(ann, 46)]
    ahead = birthdays(store.db, date(2026, 12, 8), 1)
    assert [o.person_id for o in ahead] == [ann, bob] and ahead[1].age is None
    assert [o.person_id for o in birthdays(store.db, date(2027, 2, 28), 0)] == [leap]
    assert birthdays(store.db, date(2028, 2, 28), 0) == []
    assert [o.person_id for o in birthdays(store.db, date(2028, 2, 29), 0)] == [leap]


def test_29_february_falls_on_the_28th_exactly_in_the_years_calendar_calls_common() -> None:
    """The window's day for a 29 Feb birthday: the 28th in every year calendar.isleap calls
    common, the 29th itself in the others (the check no longer imports calendar)."""
    import calendar

    from netapp.store.occasions import _month_days

    for year in range(1, 10_000):
        window = _month_days(date(year, 2, 28), 1)
        want = date(year, 2, 28) if not calendar.isleap(year) else date(year, 2, 29)
        assert window["02-29"] == want, year


def test_the_days_notices_name_steps_meetings_reminders_and_birthdays(store: Store) -> None:
    """The notification text covers what is due today; nothing at all on an empty database."""
    today = date(2026, 12, 7)
    assert notices(store, today) == []
    gid = store.groups.add("Riverside", "weekly", "tue", "The Hotel")  # 8 Dec is a Tuesday
    ann = _person(store, "Ann Lee", birthday="1990-12-07", remind_on="2026-12-07")
    store.meetings.add("Mixer", "2026-12-01", group_id=gid, attendee_ids=[ann])
    got = {n.kind: n for n in notices(store, today)}
    assert set(got) == {"steps", "meetings", "reminders", "birthdays"}
    assert (
        "Ann Lee" in got["steps"].body
        and "Tomorrow: Riverside at The Hotel" in got["meetings"].body
    )
    assert "Ann Lee" in got["reminders"].body and "Ann Lee (36)" in got["birthdays"].title


def test_due_now_once_a_day_after_the_set_time() -> None:
    """Notices are due once the set time has come, and only once a day."""
    today = date(2026, 12, 7)
    assert not due_now("08:29", "", today, "08:30")
    assert due_now("08:30", "", today, "08:30")
    assert due_now("23:59", "2026-12-06", today, "08:30")
    assert not due_now("12:00", "2026-12-07", today, "08:30")


def test_old_databases_gain_the_new_tables(tmp_path: Path) -> None:
    """A database from before m008 opens with notes, remind_on and search over its meetings."""
    fixture = Path(__file__).parents[2] / "fixtures" / "schemas" / "v7.db"
    copy = tmp_path / "v7.db"
    copy.write_bytes(fixture.read_bytes())
    with Store(copy) as store:
        meetings = store.db.query("SELECT id, name FROM meetings LIMIT 1")
        word = meetings[0]["name"].split()[0]
        assert meetings[0]["id"] in {
            h.id for h in search(store.db, word, kinds=(SearchKind.MEETING,))
        }
        pid = store.db.scalar("SELECT min(id) FROM people")
        store.people.update(pid, remind_on="2026-12-24")
        assert store.notes.add(Note(person_id=pid, date="2026-12-01", text="ok")) > 0


def test_photos_are_sniffed_from_their_bytes_never_their_name() -> None:
    """PNG, JPEG, GIF, WebP and BMP are told by their first bytes; anything else is refused."""
    from netapp.fields import check_photo, sniff_image

    assert sniff_image(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff_image(b"\xff\xd8\xff\xe0....") == "image/jpeg"
    assert sniff_image(b"GIF89a....") == "image/gif"
    assert sniff_image(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff_image(b"BM......") == "image/bmp"
    assert sniff_image(b"<svg xmlns=...>") == "" and sniff_image(b"") == ""
    assert sniff_image(b"\x00\x00\x00\x18ftypheic") == "image/heic"
    with pytest.raises(ValidationError):
        check_photo("me.heic", b"\x00\x00\x00\x18ftypheic")  # stored from a vCard, not shown
    with pytest.raises(ValidationError) as exc:
        check_photo("me.png", b"hello")
    assert exc.value.field == "me.png"
    with pytest.raises(ValidationError):
        check_photo("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * 2_000_001)


@given(name=st.text(max_size=30))
def test_initials_are_at_most_two_letters_and_the_disc_colour_is_stable(name: str) -> None:
    """Any name gives one or two upper-case initials (or ?) and the same hue every time."""
    from netapp.fields import disc_hue, initials

    got = initials(name)
    assert got == "?" or 1 <= len(got) <= 2
    assert 0 <= disc_hue(name) < 360 and disc_hue(name) == disc_hue(name)


def test_initials_take_the_first_and_last_word() -> None:
    """ "Ann Lee" is AL, "Łukasz" is Ł, "Mary-Jane van der Berg" is MB, "  " is ?."""
    from netapp.fields import initials

    assert initials("Ann Lee") == "AL"
    assert initials("łukasz") == "Ł"
    assert initials("Mary-Jane van der Berg") == "MB"
    assert initials("  ") == "?"


def test_note_writes_in_their_undoable_form(store: Store) -> None:
    """add_note / edit_note / delete_note return Changes: undo then redo restores each state."""
    from netapp.store import undoable

    pid = _person(store, "Ann Lee")
    added = undoable.add_note(store, Note(person_id=pid, date="2026-12-01", text="first"))
    nid = int(added.result)
    redo = added.undo()
    assert store.notes.for_person(pid) == []
    redo.undo()
    assert store.notes.get(nid).text == "first"
    edited = undoable.edit_note(store, nid, text="second")
    assert store.notes.get(nid).text == "second"
    edited.undo()
    assert store.notes.get(nid).text == "first"
    deleted = undoable.delete_note(store, nid)
    assert store.notes.for_person(pid) == []
    deleted.undo()
    assert store.notes.get(nid).text == "first"
    with pytest.raises(ValidationError):
        undoable.edit_note(store, nid, colour="red")


def test_bulk_writes_are_one_transaction_and_refuse_unknown_people(store: Store) -> None:
    """Tagging a list naming someone missing writes nothing; undo of tag/untag/attend is exact."""
    from netapp.store import undoable

    a, b = _person(store, "Ann Lee", tags=["x"]), _person(store, "Bob Ray")
    with pytest.raises(NotFoundError):
        store.people.tag_many([a, b, 999], "new")
    assert store.people.get(b).tags == []
    change = undoable.tag_people(store, [a, b], "X")
    assert change.result == [b]  # Ann had it already
    change.undo()
    assert store.people.get(a).tags == ["x"] and store.people.get(b).tags == []
    mid = store.meetings.add("M", "2026-11-05", attendee_ids=[a])
    added = undoable.add_to_meeting(store, mid, [a, b])
    assert added.result == [b]
    added.undo()
    assert store.meetings.attendees(mid) == [a]
