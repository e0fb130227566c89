"""The core's undoable writes (netapp/change.py): each returns its inverse, and undo, redo,
undo again leave the database exactly as each step should, on a real SQLite file."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from netapp.capture import CaptureMeeting, CaptureRow, save_capture_undoable, undo_capture
from netapp.domain import FOLLOW_UP_TAG, Email, Person
from netapp.engine import undoable as engine_undoable
from netapp.errors import ValidationError
from netapp.interchange import json_backup
from netapp.store import Store, undoable

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"


def _person_rows(store: Store, pid: int) -> dict[str, object]:
    return {
        t: store.db.query(f"SELECT * FROM {t} WHERE {col} = ? ORDER BY 1", [pid])
        for t, col in (
            ("people", "id"),
            ("person_emails", "person_id"),
            ("person_tags", "person_id"),
            ("interactions", "person_id"),
            ("attendance", "person_id"),
        )
    }


def test_deleting_a_person_undoes_to_the_same_rows_again_and_again(store: Store) -> None:
    """delete → undo → redo → undo: each undo brings back every row of the person, same id."""
    pid = store.people.add(Person(display_name="Kim Lee", emails=[Email("k@x.example")]))
    store.meetings.add("Breakfast", "2026-01-08", attendee_ids=[pid])
    before = _person_rows(store, pid)
    change = store.people.delete(pid)
    assert change.label == "delete Kim Lee" and store.people.count() == 0
    redo = change.undo()
    assert redo.result == pid and _person_rows(store, pid) == before
    again = redo.undo()
    assert store.people.count() == 0
    assert again.undo().result == pid and _person_rows(store, pid) == before


def test_adding_a_person_undoes_by_deleting_and_redoes_the_same_id(store: Store) -> None:
    """An add's undo deletes the person; its redo brings back the same id, not a new one."""
    change = undoable.add_person(store, Person(display_name="Ann Lee"))
    pid = change.result
    redo = change.undo()
    assert store.people.count() == 0
    assert redo.undo().result == pid and store.people.get(pid).display_name == "Ann Lee"


def test_editing_a_person_reads_the_old_values_itself(store: Store) -> None:
    """edit_person needs only the new values; undo restores the old ones, redo the new."""
    pid = store.people.add(Person(display_name="Ann Lee", org="Acme", tags=["a"]))
    change = undoable.edit_person(store, pid, org="Globex", tags=["b"])
    assert (store.people.get(pid).org, store.people.get(pid).tags) == ("Globex", ["b"])
    redo = change.undo()
    assert (store.people.get(pid).org, store.people.get(pid).tags) == ("Acme", ["a"])
    redo.undo()
    assert store.people.get(pid).org == "Globex"
    with pytest.raises(ValidationError, match="colour"):
        undoable.edit_person(store, pid, colour="red")


def test_a_setting_that_was_unset_goes_back_to_unset(store: Store) -> None:
    """Undoing a settings change restores the stored state: an unset key is unset again."""
    store.settings.set("cadence.visibility", 20)
    change = undoable.set_settings(store, {"cadence.met": 45, "cadence.visibility": 30})
    change.undo()
    assert store.settings.stored("cadence.met") is None
    assert store.settings["cadence.visibility"] == 20


def test_mark_done_undo_puts_back_the_snooze_and_the_follow_up_mark(store: Store) -> None:
    """Marking a follow-up done clears its snooze and the follow-up tag; undo puts both back."""
    pid = store.people.add(Person(display_name="Ann Lee", tags=[FOLLOW_UP_TAG]))
    engine_undoable.snooze(store, pid, "follow-up", date(2026, 5, 1))
    change = engine_undoable.mark_done(store, pid, "follow-up", date(2026, 4, 20))
    assert store.people.get(pid).tags == []
    assert store.db.scalar("SELECT count(*) FROM snoozes") == 0
    redo = change.undo()
    assert store.people.get(pid).tags == [FOLLOW_UP_TAG]
    assert store.db.scalar("SELECT until FROM snoozes") == "2026-05-01"
    assert store.db.scalar("SELECT count(*) FROM interactions") == 0
    redo.undo()
    assert store.db.scalar("SELECT count(*) FROM interactions") == 1


def test_snooze_undo_puts_back_the_earlier_snooze(store: Store) -> None:
    """Snoozing a step that was already snoozed, then undoing, keeps the first date."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    engine_undoable.snooze(store, pid, "keep-in-touch", date(2026, 5, 1))
    change = engine_undoable.snooze(store, pid, "keep-in-touch", date(2026, 6, 1))
    change.undo()
    assert store.db.scalar("SELECT until FROM snoozes") == "2026-05-01"


def _capture_with_repeat_contact(store: Store) -> tuple[int, int]:
    pid = store.people.add(Person(display_name="Dee Ek", tags=["vip"]))
    change = save_capture_undoable(
        store,
        CaptureMeeting(name="Lunch", date="2026-02-02"),
        [CaptureRow(name="Dee Ek", person_id=pid, contact="dee@ek.example", tags="new-tag")],
    )
    return int(change.result), pid


def test_the_capture_journal_travels_in_the_json_backup(store: Store, tmp_path: Path) -> None:
    """A capture restored from a JSON backup can still be undone: its journal came along, so
    undo takes back exactly the email and tag it added to a repeat contact."""
    cid, pid = _capture_with_repeat_contact(store)
    doc = json_backup.load(json_backup.dumps(store).encode(), "backup.json")
    assert doc["tables"]["capture_journal"]["rows"]
    other = Store(tmp_path / "restored.db")
    try:
        json_backup.restore(other, doc, "backup.json")
        undo_capture(other, cid)
        p = other.people.get(pid)
        assert (p.tags, p.emails) == (["vip"], [])
        assert other.db.scalar("SELECT count(*) FROM meetings") == 0
    finally:
        other.close()


def test_migration_moves_capture_journals_out_of_drafts(tmp_path: Path) -> None:
    """A version-5 database's journals (in drafts) move to capture_journal; undo still works."""
    path = tmp_path / "v5.db"
    shutil.copy(FIXTURES / "v5.db", path)
    store = Store(path)
    try:
        assert store.db.scalar("SELECT count(*) FROM drafts WHERE key LIKE 'capture:%'") == 0
        rows = store.db.query("SELECT capture_id, created_meeting, added FROM capture_journal")
        assert len(rows) == 1 and rows[0]["created_meeting"] == 1
        journal = store.captures.journal(rows[0]["capture_id"])
        assert journal["added"] and journal["added"][0]["person_id"]
        undo_capture(store, rows[0]["capture_id"])
        assert store.db.scalar("SELECT count(*) FROM captures") == 0
    finally:
        store.close()


def _everything(store: Store) -> dict[str, list[tuple[object, ...]]]:
    tables = [
        r["name"]
        for r in store.db.query("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not r["name"].startswith(("people_fts", "sqlite_", "_sqlite"))
        and r["name"] != "person_status"
    ]
    out = {}
    for t in tables:
        cols = [c["name"] for c in store.db.query(f'PRAGMA table_info("{t}")')]
        # A person's email and phone rows are rewritten by an update (new row ids).
        child = t in ("person_emails", "person_phones")
        keep = [c for c in cols if c != "updated_at" and not (child and c == "id")]
        out[t] = sorted(
            tuple(str(r[c]) for c in keep) for r in store.db.query(f'SELECT * FROM "{t}"')
        )
    return out


def test_undoing_a_merge_splits_the_two_people_exactly_as_they_were(store: Store) -> None:
    """Merge moves another's history to the one kept and deletes them; undo puts every row
    back where it was (shared meetings too), redo merges again."""
    from netapp.domain import Interaction, Kind, Referral
    from netapp.interchange.dedupe import merge_people_undoable
    from netapp.referrals import record

    keep = store.people.add(Person(display_name="Ann Lee", emails=[Email("a@x.example")]))
    other = store.people.add(
        Person(display_name="Ann Lee", org="Acme", emails=[Email("ann@acme.example")], tags=["t"])
    )
    both = store.meetings.add("Breakfast", "2026-01-08", attendee_ids=[keep, other])
    store.meetings.add("Lunch", "2026-01-15", attendee_ids=[other])
    store.interactions.add(Interaction(person_id=other, date="2026-01-09", kind=Kind.CALL))
    third = store.people.add(Person(display_name="Bo Ray"))
    record(
        store,
        Referral(referrer_id=other, prospect_id=third, prospect_agreed=True, date="2026-01-10"),
    )
    engine_undoable.snooze(store, other, "keep-in-touch", date(2026, 5, 1))
    before = _everything(store)
    change = merge_people_undoable(store, keep, other, {"org": "other"})
    assert store.people.get(keep).org == "Acme" and not store.db.exists("people", other)
    assert store.meetings.attendees(both) == [keep]
    redo = change.undo()
    assert _everything(store) == before
    redo.undo()
    assert not store.db.exists("people", other)
