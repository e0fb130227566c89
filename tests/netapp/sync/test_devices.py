"""Device sync (issue 19): three real databases and one folder under tmp_path."""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from netapp.domain import Consent, ConsentMethod, Email, Interaction, Kind, Person, Referral
from netapp.errors import NetappError
from netapp.safety.forget import forget
from netapp.store import Store
from netapp.sync.devices import files, run
from netapp.sync.devices import info as devices_info
from tests.netapp.sync.fleet import Fleet, check_invariants, snapshot


@pytest.fixture
def fleet(tmp_path: Path) -> Iterator[Fleet]:
    f = Fleet(tmp_path)
    yield f
    f.close()


def _pid(store: Store, name: str) -> int:
    return int(store.db.scalar("SELECT id FROM people WHERE display_name = ?", [name]))


def _same_everywhere(fleet: Fleet) -> None:
    first = snapshot(fleet[0])
    for store in fleet.stores:
        check_invariants(store)
        assert snapshot(store) == first


def _later() -> None:
    time.sleep(0.005)  # outbox times have millisecond resolution: the next edit is newer


def test_a_person_reaches_every_device_with_history_sets_and_note(fleet: Fleet) -> None:
    """A person added on one device arrives on the others with emails, note and history."""
    pid = fleet[0].people.add(
        Person(display_name="Ann Lee", emails=[Email("ann@x.example")], tags=["bni"], note="hi")
    )
    fleet[0].interactions.add(Interaction(person_id=pid, date="2026-01-02", kind=Kind.CALL))
    fleet.settle()
    for store in fleet.stores[1:]:
        pid2 = _pid(store, "Ann Lee")
        person = store.people.get(pid2)
        assert [e.address for e in person.emails] == ["ann@x.example"]
        assert person.tags == ["bni"] and person.note == "hi"
        assert len(store.interactions.for_person(pid2)) == 1
    _same_everywhere(fleet)


def test_same_field_edited_on_two_devices_newer_wins(fleet: Fleet) -> None:
    """The same field edited offline on two devices: the newer edit is kept everywhere."""
    fleet[0].people.add(Person(display_name="Ann Lee"))
    fleet.settle()
    fleet[1].people.update(_pid(fleet[1], "Ann Lee"), title="Founder")
    _later()
    fleet[2].people.update(_pid(fleet[2], "Ann Lee"), title="Chair")
    fleet.sync(2)  # the newer edit syncs first: it still wins over the older one
    fleet.settle()
    for store in fleet.stores:
        assert store.people.get(_pid(store, "Ann Lee")).title == "Chair"
    _same_everywhere(fleet)


def test_different_fields_on_two_devices_both_kept(fleet: Fleet) -> None:
    """Edits of different fields of one person on two devices both survive the merge."""
    fleet[0].people.add(Person(display_name="Ann Lee"))
    fleet.settle()
    fleet[0].people.update(_pid(fleet[0], "Ann Lee"), org="Acme")
    fleet[1].people.update(_pid(fleet[1], "Ann Lee"), title="Chair")
    fleet.settle()
    person = fleet[2].people.get(_pid(fleet[2], "Ann Lee"))
    assert (person.org, person.title) == ("Acme", "Chair")
    _same_everywhere(fleet)


def test_delete_on_one_device_while_another_logs_an_interaction(fleet: Fleet) -> None:
    """One device deletes a person while another logs a meeting with them: the delete wins
    everywhere with no dangling row; undoing the delete brings back both, everywhere."""
    fleet[0].people.add(Person(display_name="Ann Lee"))
    fleet.settle()
    deleted = fleet[0].people.delete(_pid(fleet[0], "Ann Lee"))
    pid1 = _pid(fleet[1], "Ann Lee")
    fleet[1].interactions.add(Interaction(person_id=pid1, date="2026-02-03", kind=Kind.CALL))
    fleet.settle()
    for store in fleet.stores:
        assert store.db.scalar("SELECT count(*) FROM people") == 0
        assert store.db.scalar("SELECT count(*) FROM interactions") == 0
    _same_everywhere(fleet)
    deleted.undo()
    fleet.settle()
    for store in fleet.stores:
        pid = _pid(store, "Ann Lee")
        assert [i.date for i in store.interactions.for_person(pid)] == ["2026-02-03"]
    _same_everywhere(fleet)


def _referral(fleet: Fleet) -> None:
    ref_by = fleet[0].people.add(Person(display_name="Bob Ray"))
    fleet[0].people.add(Person(display_name="Cy Dee"))
    fleet[0].referrals.add(
        Referral(
            referrer_id=ref_by, prospect_name="Cy Dee", date="2026-03-01", prospect_agreed=True
        )
    )
    fleet.settle()


def _rid(store: Store) -> int:
    return int(store.db.scalar("SELECT id FROM referrals"))


def test_referral_won_beats_contacted_whatever_the_order(fleet: Fleet) -> None:
    """Won on one device and contacted (later) on another: won everywhere (only forward)."""
    _referral(fleet)
    fleet[0].referrals.set_status(_rid(fleet[0]), "won", 500.0)
    _later()
    fleet[1].referrals.set_status(_rid(fleet[1]), "contacted")
    fleet.settle()
    for store in fleet.stores:
        row = store.db.query("SELECT status, value FROM referrals")[0]
        assert row == {"status": "won", "value": 500.0}
    _same_everywhere(fleet)


def test_referral_won_and_lost_at_once_is_flagged(fleet: Fleet) -> None:
    """Won on one device and lost on another: one status everywhere, flagged in the timeline."""
    _referral(fleet)
    fleet[0].referrals.set_status(_rid(fleet[0]), "won", 500.0)
    _later()
    fleet[1].referrals.set_status(_rid(fleet[1]), "lost")
    fleet.settle()
    for store in fleet.stores:
        assert store.db.scalar("SELECT status FROM referrals") == "lost"
        texts = [r["text"] for r in store.db.query("SELECT text FROM sync_events")]
        assert texts and "won on one device and lost on another" in texts[0]
    _same_everywhere(fleet)


def test_consent_withdrawal_wins(fleet: Fleet) -> None:
    """A consent withdrawn on one device stays withdrawn whatever the others did."""
    pid = fleet[0].people.add(Person(display_name="Ann Lee", emails=[Email("ann@x.example")]))
    fleet[0].consents.add(
        Consent(
            person_id=pid,
            email="ann@x.example",
            method=ConsentMethod.CARD,
            obtained_at="2026-01-01",
        )
    )
    fleet.settle()
    fleet[1].consents.withdraw(_pid(fleet[1], "Ann Lee"), "2026-04-01T10:00:00+00:00")
    _later()
    fleet[2].people.update(_pid(fleet[2], "Ann Lee"), title="Chair")
    fleet.settle()
    for store in fleet.stores:
        assert store.db.scalar("SELECT withdrawn_at FROM consents") == "2026-04-01T10:00:00+00:00"
    _same_everywhere(fleet)


def test_emails_merge_as_sets_additions_win(fleet: Fleet) -> None:
    """An email added on one device while another removes a different one: both changes hold."""
    fleet[0].people.add(Person(display_name="Ann Lee", emails=[Email("a@x.example")]))
    fleet.settle()
    fleet[0].people.update(
        _pid(fleet[0], "Ann Lee"), emails=[Email("a@x.example"), Email("b@x.example")]
    )
    fleet[1].people.update(_pid(fleet[1], "Ann Lee"), emails=[])
    fleet.settle()
    for store in fleet.stores:
        assert [e.address for e in store.people.get(_pid(store, "Ann Lee")).emails] == [
            "b@x.example"
        ]
    _same_everywhere(fleet)


def test_notes_merge_as_text(fleet: Fleet) -> None:
    """Two devices edit one note offline: both edits are in the merged note."""
    fleet[0].people.add(Person(display_name="Ann Lee", note="met at BNI"))
    fleet.settle()
    fleet[0].people.update(_pid(fleet[0], "Ann Lee"), note="Tuesday: met at BNI")
    fleet[1].people.update(_pid(fleet[1], "Ann Lee"), note="met at BNI, likes sailing")
    fleet.settle()
    for store in fleet.stores:
        assert store.people.get(_pid(store, "Ann Lee")).note == "Tuesday: met at BNI, likes sailing"
    _same_everywhere(fleet)


def _all_update_bytes(folder: Path, passphrase: str | None = None) -> bytes:
    out = b""
    for sub in folder.iterdir():
        for path in sub.glob("*.update"):
            key = (lambda d: files.key_for(passphrase, d)) if passphrase else (lambda d: None)
            out += files.unpack(path.read_bytes(), sub.name, int(path.stem), key).update
    return out


def test_forget_wins_and_leaves_no_trace_in_any_file(fleet: Fleet) -> None:
    """Forget on one device while another edits: the person is gone everywhere and no update
    file in the folder still carries their name, email, note or history."""
    pid = fleet[0].people.add(
        Person(display_name="Zelda Quux", emails=[Email("zelda@quux.example")], note="secretnote")
    )
    fleet[0].interactions.add(
        Interaction(person_id=pid, date="2026-01-02", kind=Kind.CALL, note="lunchtalk")
    )
    fleet[0].people.add(Person(display_name="Ann Lee"))
    fleet.settle()
    forget(fleet[0], pid)
    pid1 = _pid(fleet[1], "Zelda Quux")
    fleet[1].people.update(pid1, title="Zeldatitle")
    fleet[1].interactions.add(
        Interaction(person_id=pid1, date="2026-02-02", kind=Kind.CALL, note="zcall")
    )
    fleet.settle()
    for store in fleet.stores:
        assert store.db.scalar("SELECT count(*) FROM people") == 1
        assert store.db.scalar("SELECT count(*) FROM interactions") == 0
    data = _all_update_bytes(fleet.folders[0])
    for secret in (b"Zelda", b"zelda@quux", b"secretnote", b"lunchtalk", b"Zeldatitle", b"zcall"):
        assert secret not in data
    for store in fleet.stores:
        assert b"Zelda" not in zlib.decompress(store.devices.doc() or zlib.compress(b""))
    _same_everywhere(fleet)


def test_encrypted_folder(tmp_path: Path) -> None:
    """Encrypted databases write sealed update files: same passphrase syncs, no plaintext in
    the folder; a device with another passphrase skips them with a warning, changing nothing."""
    fleet = Fleet(tmp_path, 2, passphrase="correct horse")
    try:
        fleet[0].people.add(Person(display_name="Ann Lee", note="private words"))
        fleet.settle()
        assert fleet[1].people.get(_pid(fleet[1], "Ann Lee")).note == "private words"
        raw = b"".join(p.read_bytes() for p in (tmp_path / "folder").rglob("*.update"))
        assert b"Ann Lee" not in raw and b"private" not in raw
        for path in (tmp_path / "folder").rglob("*.update"):
            body = path.read_bytes().split(b"\n", 2)[2]
            with pytest.raises(zlib.error):  # sealed, not merely compressed
                zlib.decompress(body)
        with pytest.raises(files.BadFile, match="does not open"):
            _all_update_bytes(tmp_path / "folder", "wrong")
        other = Store(tmp_path / "other.db", passphrase="another")
        run.join(other, tmp_path / "folder", "intruder")
        summary = run.sync(other, refresh=False)
        assert summary.read == 0 and summary.warnings
        assert "passphrase" in summary.warnings[0]
        assert other.db.scalar("SELECT count(*) FROM people") == 0
        other.close()
    finally:
        fleet.close()


def test_truncated_or_corrupt_file_is_skipped_never_half_applied(
    fleet: Fleet, caplog: pytest.LogCaptureFixture
) -> None:
    """A truncated or corrupt update file is skipped with a warning (nothing of it applied)
    and read once it arrives whole."""
    for i in range(30):
        fleet[0].people.add(Person(display_name=f"Person {i}"))
    fleet.sync(0)
    (path,) = fleet.files_of(0)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    summary = fleet.sync(1)[0]
    assert summary.read == 0 and "incomplete" in summary.warnings[0]
    assert "incomplete" in caplog.text
    assert fleet[1].db.scalar("SELECT count(*) FROM people") == 0
    path.write_bytes(whole[:-10] + bytes(10))
    assert fleet.sync(1)[0].warnings
    path.write_bytes(b"garbage")
    assert "not a netapp update file" in fleet.sync(1)[0].warnings[0]
    path.write_bytes(whole)
    assert fleet.sync(1)[0].read == 1
    assert fleet[1].db.scalar("SELECT count(*) FROM people") == 30


def test_new_device_starts_from_the_others_history(fleet: Fleet, tmp_path: Path) -> None:
    """A device joining an existing folder later gets everything the others wrote."""
    fleet[0].people.add(Person(display_name="Ann Lee", note="n"))
    fleet[1].people.add(Person(display_name="Bob Ray"))
    fleet.settle()
    fleet.add_device()
    fleet.settle()
    assert fleet[3].db.scalar("SELECT count(*) FROM people") == 2
    _same_everywhere(fleet)


def test_copied_database_joins_without_duplicates(tmp_path: Path) -> None:
    """A device whose database is a copy of another's joins without doubling notes or rows."""
    a = Store(tmp_path / "a.db")
    a.people.add(Person(display_name="Ann Lee", note="hello", emails=[Email("a@x.example")]))
    a.close()
    import shutil

    shutil.copyfile(tmp_path / "a.db", tmp_path / "b.db")
    a, b = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    run.join(a, tmp_path / "f", "a")
    run.sync(a, refresh=False)
    run.join(b, tmp_path / "f", "b")
    for s in (b, a, b):
        run.sync(s, refresh=False)
    for s in (a, b):
        person = s.people.get(_pid(s, "Ann Lee"))
        assert person.note == "hello" and len(person.emails) == 1
        assert s.db.scalar("SELECT count(*) FROM people") == 1
    assert snapshot(a) == snapshot(b)
    a.close()
    b.close()


def test_settings_sync_per_key_but_device_local_ones_stay(fleet: Fleet) -> None:
    """Settings merge per key; a device's printer offset and backup schedule stay its own."""
    fleet[0].settings.set("agenda.days", 10)
    fleet[0].settings.set("print.offset_x_mm", 1.5)
    fleet[1].settings.set("cadence.met", 9)
    fleet.settle()
    assert fleet[2].settings["agenda.days"] == 10 and fleet[2].settings["cadence.met"] == 9
    assert fleet[1].settings["print.offset_x_mm"] != 1.5


def test_remote_changes_are_not_echoed_and_the_flag_is_cleared(fleet: Fleet) -> None:
    """Applying other devices' changes puts nothing in the outbox, and the applying flag is
    cleared even when the block fails."""
    fleet[0].people.add(Person(display_name="Ann Lee"))
    fleet.settle()
    assert fleet[1].db.scalar("SELECT count(*) FROM devices_outbox") == 0
    store = fleet[1]
    with pytest.raises(RuntimeError), store.atomic(), store.devices.applying():
        raise RuntimeError("boom")
    assert store.db.scalar("SELECT applying FROM devices_self") == 0
    store.people.update(_pid(store, "Ann Lee"), title="x")
    assert store.db.scalar("SELECT count(*) FROM devices_outbox") >= 1


def test_sync_status_lists_the_other_devices(fleet: Fleet) -> None:
    """status() names this device and the others with when each was last seen."""
    fleet[0].people.add(Person(display_name="Ann Lee"))
    fleet.settle()
    info = devices_info.status(fleet[1])
    assert info["name"] == "device 1"
    assert {d["name"] for d in info["devices"]} == {"device 0", "device 2"}
    assert info["devices"][0]["last_seen"]


def test_derived_data_is_rebuilt_not_synced(fleet: Fleet) -> None:
    """The status cache is recomputed after a merge, the search index follows the rows, and
    drafts stay on their device."""
    from datetime import date

    pid = fleet[0].people.add(Person(display_name="Ann Lee", org="Sailcloth"))
    fleet[0].interactions.add(Interaction(person_id=pid, date="2026-01-02", kind=Kind.CALL))
    fleet[0].drafts.save("capture", {"rows": ["Ann Lee"]})
    run.sync(fleet[0], refresh=False)
    run.sync(fleet[1], date(2026, 2, 1))
    pid1 = _pid(fleet[1], "Ann Lee")
    assert fleet[1].db.scalar("SELECT as_of FROM person_status WHERE person_id = ?", [pid1])
    assert [r["display_name"] for r in fleet[1].people.search("sailcloth")] == ["Ann Lee"]
    assert fleet[1].drafts.load("capture") is None
    fleet[0].people.update(pid, org="Ropeworks")
    run.sync(fleet[0], refresh=False)
    run.sync(fleet[1], date(2026, 2, 1))
    assert fleet[1].people.search("sailcloth") == []
    assert fleet[1].people.search("ropeworks")


def test_groups_meetings_attendance_and_card_batches_cross(fleet: Fleet) -> None:
    """Groups, meetings, attendance (keyed by meeting and person) and printed card batches with
    their codes reach every device; attendance taken back on one device goes everywhere;
    two devices creating a group of the same name keep two groups with distinct names."""
    pid = fleet[0].people.add(Person(display_name="Ann Lee"))
    gid = fleet[0].groups.add("BNI Harbour", "weekly", 1)
    mid = fleet[0].meetings.add("BNI Harbour", "2026-03-03", group_id=gid, attendee_ids=[pid])
    fleet[0].card_batches.record(
        meeting_id=mid, campaign="spring", offer="e-book", layout="a4-10", kind="optin",
        count=2, url="https://x.example/o", printed_at="2026-03-01", codes=["AB12", "CD34"],
    )  # fmt: skip
    fleet[1].groups.add("Chamber", "monthly", 2)
    fleet[2].groups.add("chamber", "none")
    fleet.settle()
    for store in fleet.stores:
        mid_here = store.db.scalar("SELECT id FROM meetings")
        assert store.meetings.attendees(mid_here) == [_pid(store, "Ann Lee")]
        assert store.db.scalar("SELECT group_concat(code) FROM cards") == "AB12,CD34"
        names = sorted(r[0] for r in store.db.conn.execute("SELECT name FROM groups"))
        assert len(names) == 3 and len({n.lower() for n in names}) == 3
    _same_everywhere(fleet)
    m1 = fleet[1].db.scalar("SELECT id FROM meetings")
    fleet[1].meetings.unattend(m1, _pid(fleet[1], "Ann Lee"))
    fleet.settle()
    for store in fleet.stores:
        assert store.db.scalar("SELECT count(*) FROM attendance") == 0
    _same_everywhere(fleet)


def test_a_file_that_checks_out_but_holds_no_update_is_skipped(fleet: Fleet) -> None:
    """A well-formed file whose content is not a Yjs update (a bug or a hostile writer
    elsewhere) is skipped with a warning; the sync goes on with the rest."""
    fleet[0].people.add(Person(display_name="Ann Lee"))
    fleet.sync(0)
    bad = fleet.folders[0] / "00000000deadbeef"
    files.write(fleet.folders[0], "00000000deadbeef", 1,
                files.pack("00000000deadbeef", 1, {"name": "odd", "written_at": ""}, b"\x00",
                           b"\xff\xffnot an update", None))  # fmt: skip
    summary = fleet.sync(1)[0]
    assert summary.read == 1 and any("update 1 of odd" in w for w in summary.warnings)
    assert fleet[1].people.find("Ann Lee") is not None
    assert bad.is_dir()


def test_damaged_sync_state_is_one_line_and_rejoining_rebuilds_it(fleet: Fleet) -> None:
    """A damaged replication document stops the sync with one line; joining again rebuilds it
    from the folder and this device's rows, with nothing doubled."""
    fleet[0].people.add(Person(display_name="Ann Lee"))
    fleet.settle()
    with fleet[1].atomic():
        fleet[1].db.conn.execute("UPDATE devices_doc SET state = x'ffff01'")
    with pytest.raises(NetappError, match="damaged"):
        run.sync(fleet[1], refresh=False)
    run.join(fleet[1], fleet.folders[1], "device 1 again")
    fleet.settle()
    assert fleet[1].db.scalar("SELECT count(*) FROM people") == 1
    _same_everywhere(fleet)


def test_one_introduction_recorded_on_two_devices_is_flagged(fleet: Fleet) -> None:
    """The same introduction recorded offline on two devices: both rows stay (the same on
    every device) and the timeline says it counts once."""
    fleet[0].people.add(Person(display_name="Bob Ray"))
    fleet.settle()
    for i in (0, 1):
        bob = _pid(fleet[i], "Bob Ray")
        fleet[i].referrals.add(
            Referral(
                referrer_id=bob, prospect_name="Cy Dee", date="2026-03-01", prospect_agreed=True
            )
        )
    fleet.settle()
    for store in fleet.stores:
        assert store.db.scalar("SELECT count(*) FROM referrals") == 2
        texts = [r["text"] for r in store.db.query("SELECT text FROM sync_events")]
        assert any("recorded on two devices" in t for t in texts)
    _same_everywhere(fleet)


def test_a_database_restored_from_a_backup_goes_on_as_a_new_device(
    fleet: Fleet, tmp_path: Path
) -> None:
    """A device's database put back to an older copy does not reuse its identity (its later
    files are in the folder): it continues as a new device and gets its lost edits back."""
    import shutil

    fleet[0].people.add(Person(display_name="Ann Lee"))
    fleet.settle()
    fleet[0].close()
    shutil.copyfile(fleet.root / "device0.db", tmp_path / "backup.db")
    fleet.stores[0] = Store(fleet.root / "device0.db")
    fleet[0].people.add(Person(display_name="Bob Ray"))
    fleet.settle()
    fleet[0].close()
    shutil.copyfile(tmp_path / "backup.db", fleet.root / "device0.db")
    for suffix in ("-wal", "-shm"):
        (fleet.root / f"device0.db{suffix}").unlink(missing_ok=True)
    fleet.stores[0] = Store(fleet.root / "device0.db")
    assert not fleet[0].db.scalar("SELECT 1 FROM people WHERE display_name = 'Bob Ray'")
    fleet[0].people.add(Person(display_name="Cy Dee"))
    summary = fleet.sync(0)[0]
    assert any("new device" in w for w in summary.warnings)
    fleet.settle()
    for store in fleet.stores:
        names = sorted(r[0] for r in store.db.conn.execute("SELECT display_name FROM people"))
        assert names == ["Ann Lee", "Bob Ray", "Cy Dee"]
    _same_everywhere(fleet)


def test_journal_notes_and_chapter_attendance_reach_every_device(fleet: Fleet) -> None:
    """A journal note, a "remind me on" date and a visitor (brought by a member) arrive on the
    other devices, the member named by their own id there (#17)."""
    from netapp.domain import AttendanceRole, Note

    s0 = fleet[0]
    ann = s0.people.add(Person(display_name="Ann Lee", remind_on="2026-12-24"))
    vic = s0.people.add(Person(display_name="Vic Visitor"))
    s0.notes.add(Note(person_id=ann, date="2026-12-01", text="daughter's exams\nin June"))
    mid = s0.meetings.add("Mixer", "2026-12-02", attendee_ids=[ann])
    s0.meetings.attend(mid, vic, role=AttendanceRole.VISITOR, brought_by=ann)
    fleet.settle()
    for store in fleet.stores[1:]:
        ann2, vic2 = _pid(store, "Ann Lee"), _pid(store, "Vic Visitor")
        assert [n.text for n in store.notes.for_person(ann2)] == ["daughter's exams\nin June"]
        assert store.people.get(ann2).remind_on == "2026-12-24"
        mid2 = int(store.db.scalar("SELECT id FROM meetings WHERE name = 'Mixer'"))
        row = store.meetings.attendance_rows(mid2, [vic2])[0]
        assert (row["role"], row["brought_by"]) == ("visitor", ann2)
    _same_everywhere(fleet)
