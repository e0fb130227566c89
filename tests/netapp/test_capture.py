"""Quick capture in the core: one transaction, repeat contacts, duplicates, undo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from netapp.capture import (
    FOLLOW_UP_TAG,
    HEAVY_ROWS,
    Cancelled,
    CaptureMeeting,
    CaptureRow,
    capture_saved,
    capture_summary,
    check_meeting,
    likely_duplicates,
    save_capture,
    undo_capture,
)
from netapp.domain import Email, Person, Phone
from netapp.errors import ValidationError
from netapp.store import Store


def _counts(store: Store) -> dict[str, int]:
    return {
        t: int(store.db.scalar(f"SELECT count(*) FROM {t}"))
        for t in (
            "people",
            "meetings",
            "groups",
            "attendance",
            "interactions",
            "captures",
            "person_emails",
            "person_tags",
        )
    }


def test_save_creates_meeting_people_attendance_and_marks(store: Store) -> None:
    """A new meeting with two new people writes attendance, notes and the marked interactions."""
    meeting = CaptureMeeting(name="Breakfast", date="2026-03-05", group="Chamber", venue="Café")
    rows = [
        CaptureRow(
            name="Ann Lee",
            org="Acme",
            contact="ann@acme.example; +1 202 555 0101",
            note="Wants accountants",
            tags="#finance, leads",
            gave_value=True,
            asked_for="an intro to a printer",
        ),
        CaptureRow(),
        CaptureRow(name="Bo Chen", follow_up=True),
    ]
    cid = save_capture(store, meeting, rows)
    mid = store.db.scalar("SELECT meeting_id FROM captures WHERE id = ?", [cid])
    m = store.meetings.get(mid)
    assert (m.name, m.date, m.venue) == ("Breakfast", "2026-03-05", "Café")
    assert store.groups.get(m.group_id).name == "Chamber"  # type: ignore[arg-type]
    ann = store.people.find("Ann Lee")
    assert [e.address for e in ann.emails] == ["ann@acme.example"]
    assert [p.number for p in ann.phones] == ["+12025550101"]
    assert ann.tags == ["finance", "leads"]
    kinds = {(i.kind.value, i.note) for i in store.interactions.for_person(ann.id or 0)}
    assert ("value-given", "Gave value at the meeting") in kinds
    assert ("met", "Wants accountants\nThey asked for: an intro to a printer") in kinds
    bo = store.people.find("Bo Chen")
    assert FOLLOW_UP_TAG in bo.tags
    assert sorted(store.meetings.attendees(mid)) == sorted([ann.id, bo.id])
    assert capture_summary(store, cid) == {"meeting_id": mid, "new_people": 2, "repeat_contacts": 0}


def test_picked_person_is_a_repeat_contact_not_a_new_person(store: Store) -> None:
    """A row naming an existing person adds attendance and missing contact data, no new person."""
    pid = store.people.add(Person(display_name="Cara Diaz", emails=[Email("cara@x.example")]))
    first = store.meetings.add("Week 1", "2026-01-01")
    store.meetings.attend(first, pid)
    before = store.db.scalar("SELECT count(*) FROM people")
    cid = save_capture(
        store,
        CaptureMeeting(name="Week 2", date="2026-01-08"),
        [CaptureRow(name="Cara Diaz", person_id=pid, contact="cara@x.example, cara@y.example")],
    )
    assert store.db.scalar("SELECT count(*) FROM people") == before
    assert store.db.scalar("SELECT count(*) FROM attendance WHERE person_id = ?", [pid]) == 2
    assert [e.address for e in store.people.get(pid).emails] == ["cara@x.example", "cara@y.example"]
    assert capture_summary(store, cid)["repeat_contacts"] == 1


def test_bad_row_writes_nothing_and_names_the_row(store: Store) -> None:
    """An invalid email on row 3 raises an error naming row 3, and nothing is written."""
    before = _counts(store)
    rows = [CaptureRow(name="A"), CaptureRow(name="B"), CaptureRow(name="C", contact="c@@x")]
    with pytest.raises(ValidationError) as err:
        save_capture(store, CaptureMeeting(name="M", date="2026-01-01", group="G"), rows)
    assert err.value.field == "row 3, email"
    assert _counts(store) == before


def test_row_without_a_name_and_huge_note_are_rejected(store: Store) -> None:
    """A row with data but no name, or a note over the cap, is refused with its row number."""
    with pytest.raises(ValidationError, match="row 1, name"):
        save_capture(store, CaptureMeeting(name="M", date="2026-01-01"), [CaptureRow(org="Acme")])
    with pytest.raises(ValidationError, match="row 2, note"):
        save_capture(
            store,
            CaptureMeeting(name="M", date="2026-01-01"),
            [CaptureRow(name="A"), CaptureRow(name="B", note="x" * 20001)],
        )
    with pytest.raises(ValidationError, match="date"):
        save_capture(store, CaptureMeeting(name="M", date="05/03/2026"), [CaptureRow(name="A")])
    assert store.db.scalar("SELECT count(*) FROM people") == 0


def test_failure_midway_rolls_back_everything(store: Store) -> None:
    """A person picked by id that no longer exists fails the save after earlier rows: no partial write."""
    before = _counts(store)
    rows = [CaptureRow(name="New One"), CaptureRow(name="Ghost", person_id=999)]
    with pytest.raises(ValidationError, match="row 2"):
        save_capture(store, CaptureMeeting(name="M", date="2026-01-01", group="G"), rows)
    assert _counts(store) == before


def test_progress_is_reported_and_cancel_writes_nothing(store: Store) -> None:
    """save_capture reports progress up to the row count; cancelled midway, it raises
    Cancelled (a one-line NetappError) and nothing at all is written."""
    rows = [CaptureRow(name=f"Person {n}") for n in range(60)]
    meeting = CaptureMeeting(name="M", date="2026-01-01", group="G")
    before = _counts(store)
    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled, match="nothing was saved"):
        save_capture(store, meeting, rows, lambda d, t: seen.append((d, t)), lambda: len(seen) >= 2)
    assert _counts(store) == before and seen[0] == (0, 60)
    seen.clear()
    save_capture(store, meeting, rows, lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 60) and seen[-1] == (60, 60)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert store.people.count("") == 60


def test_a_capture_saved_elsewhere_is_undone_and_redone_through_its_bound_change(
    store: Store,
) -> None:
    """capture_saved binds the undo of a capture written on another connection (a worker's)
    to this store: undo takes it all back, redo saves it again."""
    meeting = CaptureMeeting(name="M", date="2026-01-01", group="G")
    rows = [CaptureRow(name="Ann Lee"), CaptureRow(name="Bo Chen")]
    other = Store(store.path)
    try:
        cid = save_capture(other, meeting, rows)
    finally:
        other.close()
    change = capture_saved(store, meeting, rows, cid)
    assert change.result == cid and change.label == "capture of 2 people"
    redo = change.undo()
    assert _counts(store)["people"] == 0 and _counts(store)["captures"] == 0
    redo.undo()
    assert _counts(store)["people"] == 2


def test_a_heavy_capture_is_undone_and_redone_on_another_connection(store: Store) -> None:
    """A capture of HEAVY_ROWS people is a heavy Change: its undo runs on another connection
    (a worker's) through ``elsewhere``, and what that gives back (bound to this store) redoes
    it on another connection again, with progress, and then undoes it here; small captures
    carry no ``elsewhere``."""
    meeting = CaptureMeeting(name="M", date="2026-01-01", group="G")
    rows = [CaptureRow(name=f"Person {n:03d}") for n in range(HEAVY_ROWS)]
    cid = save_capture(store, meeting, rows)
    change = capture_saved(store, meeting, rows, cid)
    assert change.elsewhere is not None
    small = capture_saved(store, meeting, rows[:2], cid)
    assert small.elsewhere is None
    other = Store(store.path)
    seen: list[tuple[int, int]] = []
    try:
        done = change.elsewhere.run(other, lambda: False, lambda d, t: seen.append((d, t)))
        assert _counts(store)["people"] == 0 and _counts(store)["captures"] == 0
        redo = change.elsewhere.bind(done)
        assert redo.elsewhere is not None and redo.label == change.label
        new_cid = redo.elsewhere.run(other, lambda: False, lambda d, t: seen.append((d, t)))
    finally:
        other.close()
    assert _counts(store)["people"] == HEAVY_ROWS and seen and seen[-1][1] == HEAVY_ROWS
    again = redo.elsewhere.bind(new_cid)
    assert again.result == new_cid
    again.undo().undo()  # here, on this store: undo, then redo
    assert _counts(store)["people"] == HEAVY_ROWS and _counts(store)["captures"] == 1


def test_check_meeting_refuses_a_future_date_and_a_planned_meeting(store: Store) -> None:
    """What can be told before a save starts: a new meeting dated ahead, or an existing
    meeting still planned, is refused naming the date."""
    with pytest.raises(ValidationError, match="date"):
        check_meeting(store, CaptureMeeting(name="M", date="2999-01-01"))
    ahead = store.meetings.add("Planned", (date.today() + timedelta(days=30)).isoformat())
    with pytest.raises(ValidationError, match="planned"):
        check_meeting(store, ahead)
    check_meeting(store, CaptureMeeting(name="M", date="2026-01-01"))


def test_undo_removes_the_whole_capture_and_only_it(store: Store) -> None:
    """Undo deletes new people, attendance, interactions, the created meeting and added tags."""
    pid = store.people.add(Person(display_name="Dee Ek", tags=["vip"]))
    before = _counts(store)
    cid = save_capture(
        store,
        CaptureMeeting(name="Lunch", date="2026-02-02", group="BNI"),
        [
            CaptureRow(name="Dee Ek", person_id=pid, tags="new-tag", gave_value=True),
            CaptureRow(name="Eli Fox", contact="eli@fox.example", follow_up=True),
        ],
    )
    assert store.people.get(pid).tags == ["new-tag", "vip"]
    undo_capture(store, cid)
    after = _counts(store)
    assert after == {**before, "groups": before["groups"] + 1}  # the new group stays, empty
    assert store.people.get(pid).tags == ["vip"]
    assert store.db.scalar("SELECT count(*) FROM capture_journal") == 0


def test_undo_keeps_an_existing_meeting(store: Store) -> None:
    """Undo of a capture into an existing meeting leaves the meeting and its other attendees."""
    pid = store.people.add(Person(display_name="Old Timer"))
    mid = store.meetings.add("Weekly", "2026-02-09", attendee_ids=[pid])
    cid = save_capture(store, mid, [CaptureRow(name="Newbie")])
    undo_capture(store, cid)
    assert store.meetings.attendees(mid) == [pid]


def test_undo_refuses_when_new_people_have_later_history(store: Store) -> None:
    """If someone the capture created has since been logged elsewhere, undo refuses and changes nothing."""
    from netapp.domain import Interaction, Kind

    cid = save_capture(store, CaptureMeeting(name="M", date="2026-01-01"), [CaptureRow(name="Zed")])
    zed = store.people.find("Zed").id or 0
    store.interactions.add(Interaction(person_id=zed, date="2026-01-03", kind=Kind.CALL))
    with pytest.raises(ValidationError, match="new history"):
        undo_capture(store, cid)
    assert store.people.find("Zed").id == zed


def test_likely_duplicates_by_email_phone_and_similar_name(store: Store) -> None:
    """Same email, same phone, or a near-identical name at the same organisation are flagged."""
    a = store.people.add(Person(display_name="Jonathan Smith", org="Acme Ltd"))
    b = store.people.add(Person(display_name="Mia Wong", emails=[Email("mia@wong.example")]))
    c = store.people.add(Person(display_name="Raj Patel", phones=[Phone("+12025550199")]))
    store.people.add(Person(display_name="Jonathan Smith", org="Other Co"))

    def ids(row: CaptureRow) -> list[int]:
        return [d.person_id for d in likely_duplicates(store, row)]

    assert a in ids(CaptureRow(name="Jonathon Smith", org="acme ltd"))
    assert ids(CaptureRow(name="Someone", contact="MIA@wong.example")) == [b]
    assert ids(CaptureRow(name="R. Patel", contact="(202) 555-0199")) == [c]
    assert ids(CaptureRow(name="Totally Different", org="Acme Ltd")) == []
    assert ids(CaptureRow(name="Jonathon Smith", org="Acme Ltd", person_id=a)) == []
