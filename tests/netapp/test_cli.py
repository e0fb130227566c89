"""The `netapp` command line: every foundation command, and its failures."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from netapp import __version__
from netapp.cli import main
from netapp.store import Store


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the package version."""
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"netapp {__version__}"


def test_person_add_show_and_list_json(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    """person add prints an id; show/list --json use the documented keys and E.164 phones."""
    code, out, _ = run(
        capsys,
        db_path,
        "person",
        "add",
        "Łukasz Kowalski",
        "--org",
        "Northgate Print",
        "--email",
        "lk@northgate.example",
        "--phone",
        "(202) 555-0187",
        "--tag",
        "Print",
        "--note",
        "Met at the chamber",
    )
    assert code == 0
    pid = int(out)
    code, out, _ = run(capsys, db_path, "person", "show", "łukasz kowalski", "--json")
    data = json.loads(out)
    assert set(data) == {
        "id",
        "uuid",
        "display_name",
        "given_name",
        "family_name",
        "org",
        "department",
        "title",
        "emails",
        "phones",
        "website",
        "links",
        "note",
        "birthday",
        "remind_on",
        "tags",
    }
    assert data["id"] == pid and data["phones"] == ["+12025550187"] and data["tags"] == ["print"]
    code, out, _ = run(capsys, db_path, "person", "list", "--search", "northg", "--json")
    assert [p["id"] for p in json.loads(out)] == [pid]


def test_person_add_with_bad_email_fails_in_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    """A bad field exits non-zero with one stderr line naming the field; nothing is stored."""
    code, out, err = run(capsys, db_path, "person", "add", "X Y", "--email", "nope")
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and "email" in err
    with Store(db_path) as s:
        assert s.people.count() == 0


def test_meeting_add_matches_attendees_so_repeat_contact_is_recorded(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    """A second meeting with the same name reuses the person rather than creating another."""
    run(
        capsys,
        db_path,
        "meeting",
        "add",
        "Breakfast 1",
        "--date",
        "2026-01-08",
        "--group",
        "BNI Riverside",
        "--attendee",
        "Ann Lee",
        "--attendee",
        "Bob Ray",
    )
    code, _, _ = run(
        capsys,
        db_path,
        "meeting",
        "add",
        "Breakfast 2",
        "--date",
        "2026-01-15",
        "--group",
        "BNI Riverside",
        "--attendee",
        "ann lee",
    )
    assert code == 0
    with Store(db_path) as s:
        assert s.people.count() == 2
        ann = s.people.find("Ann Lee")
        assert s.db.scalar("SELECT count(*) FROM attendance WHERE person_id = ?", [ann.id]) == 2
        assert s.db.scalar("SELECT count(*) FROM groups") == 1


def test_meeting_with_bad_date_writes_nothing(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    """A bad --date is refused before any person or group is created."""
    code, _, err = run(
        capsys,
        db_path,
        "meeting",
        "add",
        "M",
        "--date",
        "2026-13-01",
        "--group",
        "G",
        "--attendee",
        "New Person",
    )
    assert code != 0 and "date" in err
    with Store(db_path) as s:
        assert s.people.count() == 0 and s.db.scalar("SELECT count(*) FROM groups") == 0


@pytest.mark.parametrize(
    "args, field",
    [
        (["ask"], "ask"),
        (["ask", "--ask", "referral", "--outcome", "accepted", "--amount", "5"], "amount"),
        (["business"], "amount"),
        (["call", "--date", "yesterday"], "date"),
        (["call", "--outcome", "accepted"], "outcome"),
    ],
)
def test_log_failures_name_the_field(
    capsys: pytest.CaptureFixture[str], db_path: Path, args: list[str], field: str
) -> None:
    """Each invalid log names its field and stores nothing."""
    run(capsys, db_path, "person", "add", "Ann Lee")
    code, _, err = run(capsys, db_path, "log", "Ann Lee", *args)
    assert code != 0 and field in err
    with Store(db_path) as s:
        assert s.db.scalar("SELECT count(*) FROM interactions") == 0


def test_log_every_kind(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    """Every loggable kind is accepted with its required options."""
    run(capsys, db_path, "person", "add", "Ann Lee")
    extra = {
        "ask": ["--ask", "read-article", "--outcome", "accepted"],
        "business": ["--amount", "1200"],
    }
    kinds = [
        "one-to-one",
        "call",
        "email",
        "message",
        "value-given",
        "value-received",
        "ask",
        "referral-given",
        "referral-received",
        "business",
    ]
    for kind in kinds:
        code, _, err = run(
            capsys, db_path, "log", "1", kind, "--date", "2026-02-01", *extra.get(kind, [])
        )
        assert code == 0, err
    with Store(db_path) as s:
        assert sorted(r["kind"] for r in s.db.query("SELECT kind FROM interactions")) == sorted(
            kinds
        )


def test_log_unknown_person(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    """Logging against a missing person fails with its name."""
    code, _, err = run(capsys, db_path, "log", "Nobody", "call")
    assert code != 0 and "Nobody" in err


def test_demo_is_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same seed and date give the same people and interactions."""
    dumps = []
    for name in ("a.db", "b.db"):
        run(
            capsys,
            tmp_path / name,
            "demo",
            "--people",
            "40",
            "--seed",
            "3",
            "--today",
            "2026-06-01",
        )
        with Store(tmp_path / name) as s:
            dumps.append(
                (
                    s.db.query("SELECT uuid, display_name, org FROM people ORDER BY id"),
                    s.db.query(
                        "SELECT person_id, date, kind, ask_type, outcome FROM interactions ORDER BY id"
                    ),
                )
            )
    assert dumps[0] == dumps[1]
    kinds = {r["kind"] for r in dumps[0][1]}
    assert len(dumps[0][0]) == 40 and {"value-given", "ask", "call"} <= kinds


def test_group_add_set_and_list_json(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    """group add prints an id, set changes only what is given, list --json shows schedule and next meeting."""
    code, out, err = run(
        capsys, db_path, "group", "add", "BNI North", "--every", "weekly", "--weekday", "Thu"
    )
    assert code == 0, err
    gid = int(out)
    code, _, err = run(capsys, db_path, "group", "set", "bni north", "--venue", "Riverside Hotel")
    assert code == 0, err
    code, out, _ = run(capsys, db_path, "group", "list", "--json", "--on", "2026-03-09")
    assert json.loads(out) == [
        {
            "id": gid,
            "name": "BNI North",
            "recurrence": "weekly",
            "weekday": "thursday",
            "venue": "Riverside Hotel",
            "meetings": 0,
            "last_meeting": None,
            "next_meeting": "2026-03-12",
        }
    ]
    run(capsys, db_path, "group", "set", str(gid), "--name", "BNI Riverside", "--every", "monthly")
    code, out, _ = run(capsys, db_path, "group", "list", "--on", "2026-03-09")
    assert out.split("\t")[1:3] == ["BNI Riverside", "monthly, first Thursday"]
    assert "next 2026-04-02" in out


def test_a_schedule_set_from_the_command_line_reaches_the_coming_meetings(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    """After `group set --every weekly --weekday thu`, the engine expects the group next Thursday."""
    from netapp import engine

    run(capsys, db_path, "meeting", "add", "Breakfast", "--date", "2026-03-05", "--group", "BNI")
    with Store(db_path) as s:
        assert engine.upcoming_meetings(s, date(2026, 3, 9), days=7) == []
    code, _, err = run(
        capsys, db_path, "group", "set", "BNI", "--every", "weekly", "--weekday", "thursday"
    )
    assert code == 0, err
    with Store(db_path) as s:
        coming = engine.upcoming_meetings(s, date(2026, 3, 9), days=7)
    assert [(m.group_name, m.date) for m in coming] == [("BNI", date(2026, 3, 12))]


@pytest.mark.parametrize(
    "args, field",
    [
        (["add", "New", "--every", "weekly"], "weekday"),
        (["add", "New", "--every", "yearly", "--weekday", "mon"], "recurrence"),
        (["add", "New", "--every", "monthly", "--weekday", "funday"], "weekday"),
        (["add", "chamber"], "group"),
        (["set", "BNI", "--name", "Chamber"], "group"),
        (["set", "BNI", "--every", "fortnightly", "--weekday", ""], "weekday"),
        (["set", "BNI"], "--name"),
        (["set", "Nowhere", "--venue", "Hall"], "Nowhere"),
    ],
)
def test_group_failures_name_the_field_in_one_line_and_write_nothing(
    capsys: pytest.CaptureFixture[str], db_path: Path, args: list[str], field: str
) -> None:
    """Each bad group command exits non-zero with one stderr line naming the field; groups are unchanged."""
    run(capsys, db_path, "group", "add", "BNI", "--every", "weekly", "--weekday", "tue")
    run(capsys, db_path, "group", "add", "Chamber")
    with Store(db_path) as s:
        before = s.groups.stats()
    code, out, err = run(capsys, db_path, "group", *args)
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and field in err
    with Store(db_path) as s:
        assert s.groups.stats() == before


def test_demo_remove_takes_out_the_demo_and_keeps_the_users_own(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    """demo --remove deletes demo people, meetings, groups and items, keeps what the user
    added or used (a real person, a demo meeting they attended), and backs up first."""
    from netapp.domain import Interaction, Kind, Person
    from netapp.safety.file_backups import list_backups

    with Store(db_path) as s:
        s.settings.set("profile.name", "Real Name")
    assert run(capsys, db_path, "demo", "--people", "30", "--today", "2026-06-01")[0] == 0
    with Store(db_path) as s:
        kept_meeting = int(s.db.scalar("SELECT max(id) FROM meetings"))
        group = s.db.scalar("SELECT group_id FROM meetings WHERE id = ?", [kept_meeting])
        item = int(s.db.scalar("SELECT min(id) FROM library_items"))
        real = s.people.add(Person(display_name="Real Rita"))
        s.meetings.attend(kept_meeting, real)
        s.interactions.add(
            Interaction(
                person_id=real, date="2026-06-01", kind=Kind.VALUE_GIVEN, library_item_id=item
            )
        )
        assert s.settings["profile.business"]  # filled in by the demo
    code, out, _ = run(capsys, db_path, "demo", "--remove")
    assert code == 0
    summary = json.loads(out)
    assert summary["people"] == 30 and summary["meetings"] > 0
    with Store(db_path) as s:
        assert [r["display_name"] for r in s.db.query("SELECT display_name FROM people")] == [
            "Real Rita"
        ]
        assert [r["id"] for r in s.db.query("SELECT id FROM meetings")] == [kept_meeting]
        assert [r["id"] for r in s.db.query("SELECT id FROM groups")] == [group]
        assert [r["id"] for r in s.db.query("SELECT id FROM library_items")] == [item]
        assert s.settings["profile.name"] == "Real Name"  # the user's own, untouched
        assert s.settings["profile.business"] == ""  # the demo's, cleared
        assert s.settings["demo.created"] is None
        assert s.db.scalar("PRAGMA foreign_key_check") is None
    assert [b.kind for b in list_backups(db_path)] == ["pre-demo-removal"]
