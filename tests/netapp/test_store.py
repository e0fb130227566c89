"""The storage gateway: migrations, people, FTS, transactions and named errors."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from netapp import fields as F
from netapp.domain import Email, Interaction, Kind, Person, Phone
from netapp.errors import DatabaseError, NewerSchemaError, NotFoundError, ValidationError
from netapp.store import Store, fts_query
from netapp.store.schema import known_migrations


def test_migrates_an_empty_file_to_the_current_schema(db_path: Path) -> None:
    """A new file gets every migration and WAL journaling."""
    with Store(db_path) as s:
        assert s.db.schema_version() == len(known_migrations())
        assert s.db.pending_migrations() == []
        assert s.db.scalar("PRAGMA journal_mode") == "wal"
        assert s.db.scalar("PRAGMA foreign_keys") == 1


def test_refuses_a_database_from_a_newer_netapp_and_leaves_it_untouched(db_path: Path) -> None:
    """An unknown applied migration means a newer schema: refuse without writing."""
    with Store(db_path) as s:
        s.db.conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('netapp', 'm999_future', 'x')"
        )
    before = db_path.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer netapp"):
        Store(db_path)
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_sqlite_gets_a_named_error(tmp_path: Path) -> None:
    """Garbage in the database path is refused with the file's name, not a traceback."""
    bad = tmp_path / "garbage.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError, match="garbage.db"):
        Store(bad)


def test_person_round_trips_with_e164_phones_and_normalised_tags(store: Store) -> None:
    """Phones are stored as E.164 for the default region; tags are lower-cased and sorted."""
    store.settings.set("phone.region", "GB")
    pid = store.people.add(
        Person(
            display_name="Zoë Żak",
            org="Oak & Stone",
            emails=[Email("zoe@oak.example")],
            phones=[Phone("020 7946 0018", valid=False)],
            tags=["Trades", "#Coach"],
        )
    )
    p = store.people.get(pid)
    assert p.given_name == "Zoë" and p.family_name == "Żak"
    assert p.phones[0].number == "+442079460018" and p.phones[0].valid
    assert p.tags == ["coach", "trades"]


def test_unparseable_phone_is_kept_as_typed_and_flagged(store: Store) -> None:
    """A phone that does not parse is kept verbatim with valid=False."""
    pid = store.people.add(
        Person(display_name="A B", phones=[Phone("call reception", valid=False)])
    )
    ph = store.people.get(pid).phones[0]
    assert (ph.number, ph.valid) == ("call reception", False)


def test_invalid_email_names_the_field_and_writes_nothing(store: Store) -> None:
    """Validation errors name the field; no person row is left behind."""
    with pytest.raises(ValidationError) as err:
        store.people.add(Person(display_name="X", emails=[Email("not-an-email")]))
    assert err.value.field == "email"
    assert store.people.count() == 0


def test_fts_finds_by_prefix_of_org_tag_note_and_email(store: Store) -> None:
    """Search covers name, organisation, tags, notes and emails, by prefix, accent-insensitive."""
    pid = store.people.add(
        Person(
            display_name="Renée Dubois",
            org="Lighthouse Marketing",
            tags=["events"],
            note="Loves sailing",
            emails=[Email("rd@beacon.example")],
        )
    )
    for q in ("light", "EVEN", "sail", "beacon", "renee", "dub"):
        assert [r["id"] for r in store.people.search(q)] == [pid], q
    assert store.people.search("zzz") == []


def test_fts_query_neutralises_operators() -> None:
    """Quotes, stars and FTS keywords typed by the user cannot break the query."""
    assert fts_query('jo" OR * NEAR(') == '"jo"* "OR"* "NEAR"*'
    assert fts_query("   ") == ""


def test_fts_follows_updates_and_deletes(store: Store) -> None:
    """Triggers keep the FTS index in step with edits, tag changes and deletion."""
    pid = store.people.add(Person(display_name="Ann Lee", org="Acme"))
    store.people.update(pid, org="Globex", tags=["finance"])
    assert store.people.search("acme") == []
    assert store.people.search("globex")[0]["id"] == pid
    assert store.people.search("finance")[0]["id"] == pid
    store.people.delete(pid)
    assert store.people.search("globex") == []
    assert store.db.scalar("SELECT count(*) FROM people_fts") == 0


def test_failure_half_way_through_a_transaction_leaves_nothing(store: Store) -> None:
    """A multi-row write that fails part-way is rolled back whole."""
    with pytest.raises(ValidationError), store.atomic():
        store.people.add(Person(display_name="First"))
        store.people.add(Person(display_name=""))
    assert store.people.count() == 0
    assert store.db.scalar("SELECT count(*) FROM people_fts") == 0


def test_delete_and_restore_keeps_history(store: Store) -> None:
    """Undoing a delete restores the person with their interactions and attendance."""
    pid = store.people.add(Person(display_name="Kim Lee", tags=["tech"]))
    mid = store.meetings.add("Breakfast", "2026-01-08", attendee_ids=[pid])
    store.interactions.add(
        Interaction(person_id=pid, date="2026-01-09", kind=Kind.CALL, note="hello")
    )
    change = store.people.delete(pid)
    assert store.people.count() == 0 and store.meetings.attendees(mid) == []
    assert change.undo().result == pid
    assert store.people.get(pid).tags == ["tech"]
    assert store.meetings.attendees(mid) == [pid]
    assert [i.note for i in store.interactions.for_person(pid)] == ["hello"]
    assert store.people.search("kim")[0]["id"] == pid


def test_ask_needs_a_ladder_type(store: Store) -> None:
    """An ask must name an ask type (the store), one that is on the ladder (the engine)."""
    from netapp.engine import log_interaction

    pid = store.people.add(Person(display_name="A B"))
    with pytest.raises(ValidationError, match="ask"):
        store.interactions.add(Interaction(person_id=pid, date="2026-01-01", kind=Kind.ASK))
    marry = Interaction(person_id=pid, date="2026-01-01", kind=Kind.ASK, ask_type="marry-me")
    with pytest.raises(ValidationError, match="not on the ask ladder"):
        log_interaction(store, marry)
    assert store.db.scalar("SELECT count(*) FROM interactions") == 0


def test_unknown_person_is_a_named_error(store: Store) -> None:
    """Looking up a missing person raises NotFoundError."""
    with pytest.raises(NotFoundError):
        store.people.find("Nobody Here")


def test_listeners_hear_after_commit_only(store: Store) -> None:
    """Listeners are told once the transaction commits, and not at all on rollback."""
    heard: list[str] = []
    store.subscribe(lambda topic, ids: heard.append(topic))
    with pytest.raises(RuntimeError), store.atomic():
        store.people.add(Person(display_name="A"))
        assert heard == []
        raise RuntimeError("boom")
    assert heard == []
    store.people.add(Person(display_name="B"))
    assert heard == ["people"]


def test_settings_are_typed_and_validated(store: Store) -> None:
    """Settings fall back to declared defaults and reject wrong types with the key named."""
    assert store.settings["trust.half_life_days"] == 90.0
    store.settings.set("trust.half_life_days", "30")
    assert store.settings["trust.half_life_days"] == 30.0
    with pytest.raises(ValidationError, match="print.layout"):
        store.settings.set("print.layout", "avery-9999")
    assert store.settings.set("print.layout", "a6") == "a6"
    with pytest.raises(ValidationError, match="cadence.met"):
        store.settings.set("cadence.met", "often")
    with pytest.raises(ValidationError, match="no such setting"):
        store.settings.set("nope", 1)
    for bad in ("nan", float("nan"), "inf"):  # found by the fuzzer: NaN passed min/max checks
        with pytest.raises(ValidationError, match="trust.half_life_days"):
            store.settings.set("trust.half_life_days", bad)
    assert store.settings["trust.half_life_days"] == 30.0


def test_second_connection_sees_committed_writes(db_path: Path) -> None:
    """Two gateways on one file (app and CLI) share data through WAL."""
    a, b = Store(db_path), Store(db_path)
    a.people.add(Person(display_name="Shared"))
    assert b.people.count() == 1
    a.close()
    b.close()
    assert sqlite3.connect(db_path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_phone_region_must_be_a_known_country_code(store: Store) -> None:
    """The default phone region is checked against phonenumbers' regions."""
    store.settings.set("phone.region", "GB")
    with pytest.raises(ValidationError, match="phone.region"):
        store.settings.set("phone.region", "Narnia")
    assert store.settings["phone.region"] == "GB"


def test_add_people_writes_all_with_children_or_nothing(store: Store) -> None:
    """add_people inserts in order with emails, phones, tags and search rows; a bad one aborts all."""
    ids = store.people.add_many(
        [
            Person(display_name="Bulk Ann", emails=[Email("ann@bulk.example")], tags=["fair"]),
            Person(display_name="Bulk Bo", phones=[Phone("+12025550100", valid=True)]),
        ]
    )
    assert [store.people.get(i).display_name for i in ids] == ["Bulk Ann", "Bulk Bo"]
    assert store.people.get(ids[0]).emails[0].address == "ann@bulk.example"
    assert store.people.get(ids[0]).tags == ["fair"]
    assert store.people.get(ids[1]).phones[0].number == "+12025550100"
    assert [r["id"] for r in store.people.search("fair")] == [ids[0]]
    with pytest.raises(ValidationError, match="email"):
        store.people.add_many(
            [Person(display_name="Fine Fay"), Person(display_name="Bad", emails=[Email("x@")])]
        )
    assert store.people.count() == 2


def test_add_many_gives_the_ids_and_search_rows_one_insert_at_a_time_would(store: Store) -> None:
    """The bulk write (one INSERT ... SELECT per table) gives the ids SQLite would give row by
    row (after the highest, a deleted highest id reused), and each person's search row holds
    their name, every email and every tag."""
    first = store.people.add(Person(display_name="First Fred"))
    last = store.people.add(Person(display_name="Last Lou"))
    store.people.delete(last)
    people = [
        Person(
            display_name=f"Bulk {n}",
            emails=[Email(f"b{n}@one.example"), Email(f"b{n}@two.example")],
            tags=["fair", f"t{n}"],
        )
        for n in range(3)
    ]
    ids = store.people.add_many(people)
    assert ids == [first + 1, first + 2, first + 3]
    for n, pid in enumerate(ids):
        for word in (f"b{n}@two.example", f"t{n}", f"Bulk {n}"):
            assert [r["id"] for r in store.people.search(word)] == [pid], word
    assert len(store.people.search("fair")) == 3


# -- group schedules; editing and deleting groups and meetings --------------------------------


def test_a_weekly_schedule_set_on_a_group_reaches_the_coming_meetings(store: Store) -> None:
    """After update_group sets weekly on Thursdays, upcoming_meetings lists next Thursday with its regular."""
    from netapp import engine

    gid = store.groups.add("Thursday Breakfast")
    pid = store.people.add(Person(display_name="Ann Lee"))
    store.meetings.add("Breakfast", "2026-03-05", group_id=gid, attendee_ids=[pid])
    monday = date(2026, 3, 9)
    assert engine.upcoming_meetings(store, monday) == []
    g = store.groups.update(gid, recurrence="weekly", weekday="thu", venue="Riverside Hotel")
    assert (g.recurrence, g.weekday, g.venue) == ("weekly", 3, "Riverside Hotel")
    coming = engine.upcoming_meetings(store, monday, days=7)
    assert [(m.group_id, m.date.isoformat(), m.venue) for m in coming] == [
        (gid, "2026-03-12", "Riverside Hotel")
    ]
    assert coming[0].regulars == [pid]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"recurrence": "weekly", "weekday": None}, "weekday"),
        ({"recurrence": "yearly", "weekday": 1}, "recurrence"),
        ({"recurrence": "monthly", "weekday": "someday"}, "weekday"),
        ({"recurrence": "weekly", "weekday": "t"}, "weekday"),  # tuesday or thursday?
        ({"weekday": 7}, "weekday"),
        ({"name": "  "}, "group"),
        ({"name": "chamber mixer"}, "group"),  # another group's name, in other case
        ({"colour": "red"}, "colour"),
    ],
)
def test_update_group_refuses_bad_values_naming_the_field(
    store: Store, changes: dict[str, object], field: str
) -> None:
    """Each bad group change names its field and changes nothing."""
    gid = store.groups.add("Thursday Breakfast", "fortnightly", 3, "Hotel")
    store.groups.add("Chamber Mixer")
    with pytest.raises(ValidationError) as exc:
        store.groups.update(gid, **changes)
    assert exc.value.field == field
    g = store.groups.get(gid)
    assert (g.name, g.recurrence, g.weekday, g.venue) == (
        "Thursday Breakfast",
        "fortnightly",
        3,
        "Hotel",
    )


def test_weekday_is_read_from_a_number_or_a_day_name() -> None:
    """parse_weekday takes 0-6, full names, short names and any case; blank is None."""
    assert [F.parse_weekday(v) for v in (0, "Tue", "wednesday", "THU", "fri.", "sa", "su")] == [
        0,
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    assert F.parse_weekday("  ") is None and F.parse_weekday(None) is None
    with pytest.raises(ValidationError, match="weekday"):
        F.parse_weekday("3")  # 0 = Monday or 1 = Monday? Refused rather than guessed


def test_renaming_a_group_keeps_its_own_name_free_and_add_group_takes_a_day_name(
    store: Store,
) -> None:
    """A group may be renamed to its own name in another case; add_group accepts 'mon'."""
    gid = store.groups.add("bni north", "weekly", "mon")
    assert store.groups.get(gid).weekday == 0
    assert store.groups.update(gid, name="BNI North").name == "BNI North"


def test_deleting_a_group_keeps_its_meetings_and_undo_regroups_them(store: Store) -> None:
    """Deleting a group leaves meetings, attendance and notes in place (ungrouped); its undo puts the group back."""
    gid = store.groups.add("Chamber", "monthly", 2, "Town Hall")
    pid = store.people.add(Person(display_name="Kim Lee"))
    mid = store.meetings.add("Mixer", "2026-03-04", group_id=gid, attendee_ids=[pid])
    iid = store.interactions.add(
        Interaction(person_id=pid, date="2026-03-04", kind=Kind.MET, note="prints", meeting_id=mid)
    )
    assert (store.groups.count_meetings(gid), store.groups.count_meetings(None)) == (1, 0)
    change = store.groups.delete(gid)
    assert store.db.scalar("SELECT count(*) FROM groups") == 0
    assert (store.groups.count_meetings(gid), store.groups.count_meetings(None)) == (0, 1)
    m = store.meetings.get(mid)
    assert m.group_id is None and store.meetings.attendees(mid) == [pid]
    assert store.db.scalar("SELECT meeting_id FROM interactions WHERE id = ?", [iid]) == mid
    assert change.undo().result == gid
    g = store.groups.get(gid)
    assert (g.name, g.recurrence, g.weekday, g.venue) == ("Chamber", "monthly", 2, "Town Hall")
    assert store.meetings.get(mid).group_id == gid


def test_restoring_a_group_whose_name_was_taken_again_is_refused(store: Store) -> None:
    """A group cannot come back while another group has its name; nothing is written."""
    change = store.groups.delete(store.groups.add("Chamber"))
    store.groups.add("CHAMBER")
    with pytest.raises(ValidationError, match="group"):
        change.undo()
    assert store.db.scalar("SELECT count(*) FROM groups") == 1


def test_a_new_meeting_date_moves_what_was_logged_at_it(store: Store) -> None:
    """update_meeting changes the date, venue and group; notes logged at the meeting on its day move with it."""
    gid = store.groups.add("Chamber")
    pid = store.people.add(Person(display_name="Kim Lee"))
    mid = store.meetings.add("Mixer", "2026-03-04", attendee_ids=[pid])
    at = store.interactions.add(
        Interaction(person_id=pid, date="2026-03-04", kind=Kind.MET, note="at it", meeting_id=mid)
    )
    later = store.interactions.add(
        Interaction(person_id=pid, date="2026-03-06", kind=Kind.CALL, note="after")
    )
    m = store.meetings.update(mid, date="2026-03-05", venue=" Town  Hall ", group_id=gid)
    assert (m.date, m.venue, m.group_id, m.name) == ("2026-03-05", "Town Hall", gid, "Mixer")
    dates = {i.id: i.date for i in store.interactions.for_person(pid)}
    assert dates == {at: "2026-03-05", later: "2026-03-06"}


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"date": "2026-02-30"}, ValidationError),
        ({"name": ""}, ValidationError),
        ({"group_id": 999}, NotFoundError),
    ],
)
def test_update_meeting_refuses_bad_values(
    store: Store, changes: dict[str, object], error: type[Exception]
) -> None:
    """A bad date, an empty name or a missing group is refused; the meeting is unchanged."""
    mid = store.meetings.add("Mixer", "2026-03-04", venue="Hall")
    with pytest.raises(error):
        store.meetings.update(mid, **changes)
    m = store.meetings.get(mid)
    assert (m.name, m.date, m.venue, m.group_id) == ("Mixer", "2026-03-04", "Hall", None)


def test_a_deleted_meeting_comes_back_with_attendance_and_links(store: Store) -> None:
    """Undoing a meeting's delete puts back the meeting, who came and the interaction that named it, under its old id."""
    gid = store.groups.add("Chamber")
    a = store.people.add(Person(display_name="Ann Lee"))
    b = store.people.add(Person(display_name="Bo Ray"))
    mid = store.meetings.add("Mixer", "2026-03-04", group_id=gid, attendee_ids=[a, b])
    iid = store.interactions.add(
        Interaction(person_id=a, date="2026-03-04", kind=Kind.MET, note="met", meeting_id=mid)
    )
    change = store.meetings.delete(mid)
    assert store.meetings.attendees(mid) == []
    assert store.db.scalar("SELECT meeting_id FROM interactions WHERE id = ?", [iid]) is None
    store.people.delete(b)  # gone meanwhile: not brought back as an attendee
    assert change.undo().result == mid
    assert store.meetings.get(mid).group_id == gid and store.meetings.attendees(mid) == [a]
    assert store.db.scalar("SELECT meeting_id FROM interactions WHERE id = ?", [iid]) == mid


def test_a_meeting_whose_id_was_reused_comes_back_under_a_new_one(store: Store) -> None:
    """When the old id belongs to a newer meeting, undoing the delete leaves it alone and uses a new id."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    mid = store.meetings.add("Old", "2026-03-04", attendee_ids=[pid])
    change = store.meetings.delete(mid)
    reused = store.meetings.add("Newer", "2026-03-11")
    assert reused == mid  # SQLite hands out the freed id again
    back = change.undo().result
    assert back != mid
    assert store.meetings.get(mid).name == "Newer" and store.meetings.attendees(mid) == []
    assert store.meetings.get(back).name == "Old" and store.meetings.attendees(back) == [pid]
