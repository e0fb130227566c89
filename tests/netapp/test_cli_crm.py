"""The command line does what the app does (#17): person set/delete/merge, settings, ladder,
referrals, meeting show, agenda done/snooze and shell completion, each with its errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from netapp.cli import main
from netapp.store import Store

Cap = pytest.CaptureFixture[str]


def run(capsys: Cap, db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: Cap, db: Path, *args: str) -> str:
    code, out, err = run(capsys, db, *args)
    assert code == 0, err
    return out


def fails(capsys: Cap, db: Path, *args: str) -> str:
    """The command fails with exactly one line on stderr, no traceback."""
    code, out, err = run(capsys, db, *args)
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("netapp: error: "), err
    assert "Traceback" not in err
    return err


def person_json(capsys: Cap, db: Path, ref: str) -> dict[str, object]:
    return dict(json.loads(ok(capsys, db, "person", "show", ref, "--json")))


# -- person set / delete / merge ----------------------------------------------------------


def test_person_set_changes_only_what_is_named(capsys: Cap, db_path: Path) -> None:
    """person set changes the named fields, tags and untags, and leaves the rest alone."""
    ok(
        capsys,
        db_path,
        "person",
        "add",
        "Ann Lee",
        "--org",
        "Acme",
        "--tag",
        "old",
        "--tag",
        "keep",
    )
    ok(
        capsys,
        db_path,
        "person",
        "set",
        "Ann Lee",
        "--title",
        "Director",
        "--email",
        "ann@lee.example",
        "--email",
        "a2@lee.example",
        "--phone",
        "+44 20 7946 0018",
        "--tag",
        "new",
        "--untag",
        "OLD",
        "--birthday=--03-14",
        "--website",
        "https://lee.example",
        "--note",
        "two lines\nof note",
    )
    p = person_json(capsys, db_path, "Ann Lee")
    assert p["org"] == "Acme"
    assert p["title"] == "Director"
    assert p["emails"] == ["ann@lee.example", "a2@lee.example"]
    assert p["phones"] == ["+442079460018"]
    assert p["tags"] == ["keep", "new"]
    assert p["birthday"] == "--03-14"
    assert p["website"] == "https://lee.example"
    assert p["note"] == "two lines\nof note"
    ok(capsys, db_path, "person", "set", "1", "--name", "Ann Lee-Smith", "--email", "")
    p = person_json(capsys, db_path, "1")
    assert p["display_name"] == "Ann Lee-Smith" and p["emails"] == []


def test_person_set_errors_are_one_line_and_write_nothing(capsys: Cap, db_path: Path) -> None:
    """A bad email, birthday, unknown person or nothing to change fails in one line, unchanged."""
    ok(capsys, db_path, "person", "add", "Ann Lee", "--email", "ann@lee.example")
    assert "email" in fails(capsys, db_path, "person", "set", "Ann Lee", "--email", "not-an-email")
    assert "birthday" in fails(
        capsys, db_path, "person", "set", "Ann Lee", "--birthday", "2026-13-40"
    )
    assert "Zed" in fails(capsys, db_path, "person", "set", "Zed", "--org", "X")
    assert "say what to change" in fails(capsys, db_path, "person", "set", "Ann Lee")
    assert person_json(capsys, db_path, "Ann Lee")["emails"] == ["ann@lee.example"]


def test_person_delete_removes_them_after_a_backup(capsys: Cap, db_path: Path) -> None:
    """person delete removes the person and their history, keeping a backup of the file first."""
    ok(capsys, db_path, "person", "add", "Ann Lee")
    ok(capsys, db_path, "person", "add", "Bob Ray")
    ok(capsys, db_path, "log", "Ann Lee", "call", "--date", "2026-11-01")
    ok(capsys, db_path, "person", "delete", "Ann Lee")
    listed = json.loads(ok(capsys, db_path, "person", "list", "--json"))
    assert [p["display_name"] for p in listed] == ["Bob Ray"]
    backups = list((db_path.parent / "backups").glob("*-pre-delete.db"))
    assert len(backups) == 1
    with Store(backups[0]) as old:
        assert old.people.find("Ann Lee").display_name == "Ann Lee"


def test_person_delete_of_nobody_fails_in_one_line(capsys: Cap, db_path: Path) -> None:
    """Deleting a person who does not exist names them in one line."""
    assert "Nobody" in fails(capsys, db_path, "person", "delete", "Nobody")


def test_person_merge_moves_history_and_joins_details(capsys: Cap, db_path: Path) -> None:
    """person merge KEEP OTHER keeps one record with both histories, emails and tags."""
    ok(capsys, db_path, "person", "add", "Ann Lee", "--email", "ann@a.example", "--tag", "x")
    ok(capsys, db_path, "person", "add", "A. Lee", "--email", "ann@b.example", "--tag", "y")
    ok(capsys, db_path, "log", "A. Lee", "call", "--date", "2026-11-01")
    ok(capsys, db_path, "person", "merge", "Ann Lee", "A. Lee")
    p = person_json(capsys, db_path, "Ann Lee")
    assert sorted(p["emails"]) == ["ann@a.example", "ann@b.example"]  # type: ignore[arg-type]
    assert sorted(p["tags"]) == ["x", "y"]  # type: ignore[arg-type]
    with Store(db_path) as store:
        assert len(store.interactions.for_person(1)) == 1
        assert not store.people.exists(2)
    assert "themselves" in fails(capsys, db_path, "person", "merge", "1", "1")
    assert "Zed" in fails(capsys, db_path, "person", "merge", "1", "Zed")


# -- settings and the ladder ---------------------------------------------------------------


def test_settings_set_get_reset_and_list(capsys: Cap, db_path: Path) -> None:
    """settings set validates like the app; get/list show it (--json too); reset restores."""
    ok(capsys, db_path, "settings", "set", "profile.name", "Maria Lopez")
    ok(capsys, db_path, "settings", "set", "agenda.days", "14")
    ok(capsys, db_path, "settings", "set", "print.layout", "avery-c32011")
    assert ok(capsys, db_path, "settings", "get", "profile.name") == "Maria Lopez\n"
    got = json.loads(ok(capsys, db_path, "settings", "get", "agenda.days", "--json"))
    assert got["value"] == 14 and got["default"] == 7 and got["maximum"] == 90
    rows = {r["key"]: r for r in json.loads(ok(capsys, db_path, "settings", "list", "--json"))}
    assert rows["print.layout"]["value"] == "avery-c32011"
    assert "avery-5371" in rows["print.layout"]["choices"]
    assert rows["trust.half_life_days"]["value"] == rows["trust.half_life_days"]["default"]
    ok(capsys, db_path, "settings", "reset", "agenda.days")
    assert ok(capsys, db_path, "settings", "get", "agenda.days") == "7\n"
    with Store(db_path) as store:
        assert store.settings["profile.name"] == "Maria Lopez"


@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        ("agenda.days", "500", "agenda.days"),
        ("agenda.days", "soon", "agenda.days"),
        ("print.layout", "napkin", "print.layout"),
        ("no.such", "1", "no.such"),
        ("trust.half_life_days", "nan", "trust.half_life_days"),
        ("ask_ladder", "{not json", "ask_ladder"),
    ],
)
def test_settings_set_refuses_bad_values_in_one_line(
    capsys: Cap, db_path: Path, key: str, value: str, named: str
) -> None:
    """A value the declaration refuses fails in one line naming the setting, and stays unset."""
    assert named in fails(capsys, db_path, "settings", "set", key, value)
    if key != "no.such":
        got = json.loads(ok(capsys, db_path, "settings", "get", key, "--json"))
        assert got["value"] == got["default"]


def test_cards_work_on_a_new_database_once_the_name_is_set(
    capsys: Cap, db_path: Path, tmp_path: Path
) -> None:
    """`cards` needs the user's name; settings set profile.name is how the CLI gives it."""
    out_pdf = tmp_path / "cards.pdf"
    cards = ("cards", "--campaign", "Winter", "-o", str(out_pdf))
    assert "Settings" in fails(capsys, db_path, *cards)
    ok(capsys, db_path, "settings", "set", "profile.name", "Maria Lopez")
    ok(capsys, db_path, "settings", "set", "profile.optin_url", "https://maria.example/join")
    ok(capsys, db_path, "settings", "set", "profile.offer", "Free guide: ten intros")
    ok(capsys, db_path, *cards)
    assert out_pdf.read_bytes().startswith(b"%PDF")


def test_ladder_show_set_reset(capsys: Cap, db_path: Path, tmp_path: Path) -> None:
    """ladder set replaces the asks (status and log then use them); reset brings the default."""
    default = json.loads(ok(capsys, db_path, "ladder", "show", "--json"))
    assert default and {"id", "label", "size", "min_stage", "requires", "min_trust"} <= set(
        default[0]
    )
    mine = tmp_path / "ladder.json"
    mine.write_text(
        json.dumps(
            [{"id": "coffee", "label": "Coffee"}, {"id": "intro", "min_stage": "credibility"}]
        )
    )
    ok(capsys, db_path, "ladder", "set", str(mine))
    assert [a["id"] for a in json.loads(ok(capsys, db_path, "ladder", "show", "--json"))] == [
        "coffee",
        "intro",
    ]
    ok(capsys, db_path, "person", "add", "Ann Lee")
    ok(capsys, db_path, "log", "Ann Lee", "ask", "--ask", "coffee", "--date", "2026-11-01")
    assert "ask" in fails(
        capsys, db_path, "log", "Ann Lee", "ask", "--ask", default[0]["id"], "--date", "2026-11-02"
    )
    ok(capsys, db_path, "ladder", "reset")
    assert json.loads(ok(capsys, db_path, "ladder", "show", "--json")) == default


def test_ladder_set_errors_name_the_file_or_ask(capsys: Cap, db_path: Path, tmp_path: Path) -> None:
    """A missing file, broken JSON or a bad ask fails in one line; the ladder is unchanged."""
    before = ok(capsys, db_path, "ladder", "show", "--json")
    bad = tmp_path / "bad.json"
    bad.write_text('[\n{"id": "x",\n')
    assert "bad.json: line" in fails(capsys, db_path, "ladder", "set", str(bad))
    assert "nope.json" in fails(capsys, db_path, "ladder", "set", str(tmp_path / "nope.json"))
    bad.write_text(json.dumps([{"id": "Has Spaces"}]))
    assert "ask_ladder[1].id" in fails(capsys, db_path, "ladder", "set", str(bad))
    bad.write_text(json.dumps([{"id": "a", "min_stage": "friends"}]))
    assert "min_stage" in fails(capsys, db_path, "ladder", "set", str(bad))
    assert ok(capsys, db_path, "ladder", "show", "--json") == before


# -- referrals --------------------------------------------------------------------------------


def test_referral_add_list_set_follow_the_apps_rules(capsys: Cap, db_path: Path) -> None:
    """Given and received referrals are recorded, listed (--json) and moved through the flow."""
    ok(capsys, db_path, "person", "add", "Ann Lee")
    ok(capsys, db_path, "person", "add", "Bob Ray")
    given = int(
        ok(
            capsys,
            db_path,
            "referral",
            "add",
            "Carl",
            "--to",
            "Ann Lee",
            "--agreed",
            "--date",
            "2026-11-01",
        )
    )
    received = int(
        ok(
            capsys,
            db_path,
            "referral",
            "add",
            "Dana",
            "--from",
            "Bob Ray",
            "--agreed",
            "--date",
            "2026-11-02",
        )
    )
    rows = {r["id"]: r for r in json.loads(ok(capsys, db_path, "referral", "list", "--json"))}
    assert rows[given]["direction"] == "given" and rows[given]["provider"] == "Ann Lee"
    assert rows[given]["referrer"] == "You" and rows[given]["prospect"] == "Carl"
    assert rows[received]["direction"] == "received" and rows[received]["referrer"] == "Bob Ray"
    ok(
        capsys,
        db_path,
        "referral",
        "set",
        str(received),
        "--status",
        "contacted",
        "--on",
        "2026-11-05",
    )
    ok(capsys, db_path, "referral", "set", str(received), "--status", "won", "--value", "1,500")
    rows = {r["id"]: r for r in json.loads(ok(capsys, db_path, "referral", "list", "--json"))}
    assert rows[received]["status"] == "won" and rows[received]["value"] == 1500.0
    only = json.loads(ok(capsys, db_path, "referral", "list", "--filter", "given", "--json"))
    assert [r["id"] for r in only] == [given]
    loop = json.loads(
        ok(capsys, db_path, "referral", "list", "--filter", "loop", "--on", "2026-12-01", "--json")
    )
    assert [r["id"] for r in loop] == [given]


def test_referral_errors_are_the_apps_in_one_line(capsys: Cap, db_path: Path) -> None:
    """No agreement, a second introduction, won without value, a backward move: one line each."""
    ok(capsys, db_path, "person", "add", "Ann Lee")
    assert "prospect_agreed" in fails(capsys, db_path, "referral", "add", "Carl", "--to", "Ann Lee")
    assert "--to" in fails(capsys, db_path, "referral", "add", "Carl", "--agreed")
    assert "Zed" in fails(capsys, db_path, "referral", "add", "Carl", "--to", "Zed", "--agreed")
    rid = ok(capsys, db_path, "referral", "add", "Carl", "--to", "Ann Lee", "--agreed").strip()
    assert "counts once" in fails(
        capsys, db_path, "referral", "add", "Carl", "--to", "1", "--agreed"
    )
    assert "value" in fails(capsys, db_path, "referral", "set", rid, "--status", "won")
    assert "value" in fails(
        capsys, db_path, "referral", "set", rid, "--status", "won", "--value", "-3"
    )
    assert "status" in fails(capsys, db_path, "referral", "set", rid, "--status", "maybe")
    ok(capsys, db_path, "referral", "set", rid, "--status", "lost")
    assert "status" in fails(capsys, db_path, "referral", "set", rid, "--status", "contacted")
    assert "referral 99" in fails(capsys, db_path, "referral", "set", "99", "--status", "lost")
    assert "filter" in fails(capsys, db_path, "referral", "list", "--filter", "mine")
    assert len(json.loads(ok(capsys, db_path, "referral", "list", "--json"))) == 1


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("1e99", "value must be at most 1,000,000,000,000: check the amount"),
        ("0", "value must be an amount above 0"),
        ("lots", "value: 'lots' is not an amount"),
    ],
)
def test_a_won_value_out_of_bounds_names_the_value_field(
    capsys: Cap, db_path: Path, value: str, says: str
) -> None:
    """referral set --status won with a value out of bounds: one line naming the value field,
    as the app's Value field says it; nothing is written."""
    ok(capsys, db_path, "person", "add", "Ann Lee")
    rid = ok(capsys, db_path, "referral", "add", "Carl", "--to", "Ann Lee", "--agreed").strip()
    err = fails(capsys, db_path, "referral", "set", rid, "--status", "won", "--value", value)
    assert err == f"netapp: error: {says}\n"
    rows = json.loads(ok(capsys, db_path, "referral", "list", "--json"))
    assert [(r["status"], r["value"]) for r in rows] == [("new", None)]


# -- meetings and the agenda -------------------------------------------------------------------


def test_meeting_list_and_show(capsys: Cap, db_path: Path) -> None:
    """meeting show gives the meeting, its group and attendees (--json); a bad id is one line."""
    mid = ok(
        capsys,
        db_path,
        "meeting",
        "add",
        "Breakfast",
        "--date",
        "2026-11-03",
        "--group",
        "Chapter",
        "--venue",
        "Hotel",
        "--attendee",
        "Ann Lee",
        "--attendee",
        "Bob Ray",
    ).strip()
    listed = json.loads(ok(capsys, db_path, "meeting", "list", "--json"))
    assert listed[0]["id"] == int(mid) and listed[0]["attendees"] == 2
    shown = json.loads(ok(capsys, db_path, "meeting", "show", mid, "--json"))
    assert shown["name"] == "Breakfast" and shown["group"] == "Chapter"
    assert shown["venue"] == "Hotel" and shown["date"] == "2026-11-03"
    assert sorted(a["display_name"] for a in shown["attendees"]) == ["Ann Lee", "Bob Ray"]
    assert "Bob Ray" in ok(capsys, db_path, "meeting", "show", mid)
    assert "meeting 42" in fails(capsys, db_path, "meeting", "show", "42")


def _agenda(capsys: Cap, db: Path, on: str) -> list[dict[str, object]]:
    return list(json.loads(ok(capsys, db, "agenda", "--on", on, "--json")))


def test_agenda_done_logs_the_step_and_snooze_hides_it(capsys: Cap, db_path: Path) -> None:
    """agenda done logs the person's due step (gone from the agenda); snooze hides it until D."""
    ok(capsys, db_path, "meeting", "add", "Mixer", "--date", "2026-11-30", "--attendee", "Ann Lee")
    ok(
        capsys,
        db_path,
        "meeting",
        "add",
        "Mixer 2",
        "--date",
        "2026-11-30",
        "--attendee",
        "Bob Ray",
    )
    on = "2026-12-07"
    names = {s["display_name"]: s for s in _agenda(capsys, db_path, on)}
    assert names["Ann Lee"]["kind"] == "follow-up" and "Bob Ray" in names
    ok(capsys, db_path, "agenda", "done", "Ann Lee", "--on", on)
    with Store(db_path) as store:
        logged = store.interactions.for_person(store.people.find("Ann Lee").id or 0)
    assert [i.date for i in logged] == [on]
    assert "Ann Lee" not in {s["display_name"] for s in _agenda(capsys, db_path, on)}
    ok(capsys, db_path, "agenda", "snooze", "Bob Ray", "--until", "2026-12-20", "--on", on)
    assert "Bob Ray" not in {s["display_name"] for s in _agenda(capsys, db_path, on)}
    later = {s["display_name"] for s in _agenda(capsys, db_path, "2026-12-21")}
    assert "Bob Ray" in later


def test_agenda_done_and_snooze_errors(capsys: Cap, db_path: Path) -> None:
    """Unknown person, nothing due, a past --until, an outcome on a non-ask: one line each."""
    ok(capsys, db_path, "meeting", "add", "Mixer", "--date", "2026-11-30", "--attendee", "Ann Lee")
    on = "2026-12-07"
    assert "Zed" in fails(capsys, db_path, "agenda", "done", "Zed", "--on", on)
    assert "until" in fails(
        capsys, db_path, "agenda", "snooze", "Ann Lee", "--until", "2026-12-01", "--on", on
    )
    assert "until" in fails(capsys, db_path, "agenda", "snooze", "Ann Lee", "--until", "someday")
    assert "outcome" in fails(
        capsys, db_path, "agenda", "done", "Ann Lee", "--on", on, "--outcome", "accepted"
    )
    assert "outcome" in fails(
        capsys, db_path, "agenda", "done", "Ann Lee", "--on", on, "--outcome", "meh"
    )
    with Store(db_path) as store:
        assert store.interactions.for_person(1) == []
    ok(capsys, db_path, "person", "add", "Quiet Person")
    err = fails(capsys, db_path, "agenda", "done", "Quiet Person", "--on", on)
    assert "Quiet Person" in err or "step" in err


def test_agenda_list_still_works_without_an_action(capsys: Cap, db_path: Path) -> None:
    """`agenda` alone still lists the steps (the actions did not take its place)."""
    ok(capsys, db_path, "meeting", "add", "Mixer", "--date", "2026-11-30", "--attendee", "Ann Lee")
    assert "Ann Lee" in ok(capsys, db_path, "agenda", "--on", "2026-12-07")


# -- shell completion ---------------------------------------------------------------------------


def _bash_complete(script: str, words: list[str]) -> list[str]:
    """Run the generated bash function on a command line, as bash's completion would."""
    quoted = " ".join(f"'{w}'" for w in words)
    code = (
        f"{script}\nCOMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; _netapp; "
        'printf "%s\\n" "${COMPREPLY[@]}"'
    )
    out = subprocess.run(["bash", "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_bash_completion_is_generated_from_the_parser(capsys: Cap, db_path: Path) -> None:
    """The bash script completes commands, actions and options at any depth, read from argparse."""
    script = ok(capsys, db_path, "completion", "bash")
    assert _bash_complete(script, ["netapp", "ref"]) == ["referral"]
    assert set(_bash_complete(script, ["netapp", "person", ""])) >= {
        "add",
        "set",
        "delete",
        "merge",
    }
    assert set(_bash_complete(script, ["netapp", "--db", "x.db", "agenda", ""])) >= {
        "done",
        "snooze",
    }
    opts = _bash_complete(script, ["netapp", "person", "set", "Ann", "--un"])
    assert opts == ["--untag"]
    assert set(_bash_complete(script, ["netapp", "settings", ""])) == {
        "list",
        "get",
        "set",
        "reset",
        "--help",
    }


def test_zsh_and_fish_scripts_name_every_command_path(capsys: Cap, db_path: Path) -> None:
    """zsh and fish scripts list every command path of the parser with what follows it."""
    from netapp.cli import build_parser
    from netapp.cli.completion import tree

    paths = [p for p in tree(build_parser()) if p]
    zsh = ok(capsys, db_path, "completion", "zsh")
    fish = ok(capsys, db_path, "completion", "fish")
    assert zsh.startswith("#compdef netapp")
    for path in paths:
        assert f"'{path}'" in zsh and f"case '{path}'" in fish
    assert "'referral set'" in zsh and "--status" in zsh.split("'referral set'")[1].split("\n")[0]
    assert "shell" in fails(capsys, db_path, "completion", "tcsh")


def test_completion_runs_from_the_installed_command(tmp_path: Path) -> None:
    """`python -m netapp completion bash` prints a script bash accepts (bash -n)."""
    out = subprocess.run(
        [sys.executable, "-m", "netapp", "completion", "bash"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    script = tmp_path / "netapp.bash"
    script.write_text(out)
    subprocess.run(["bash", "-n", str(script)], check=True)


# -- journal notes, search, reminders ------------------------------------------------------------


def test_note_add_list_set_delete(capsys: Cap, db_path: Path) -> None:
    """Notes are added (multi-line, from stdin too), listed newest first (--json), changed, deleted."""
    ok(capsys, db_path, "person", "add", "Ann Lee")
    first = ok(
        capsys,
        db_path,
        "note",
        "add",
        "Ann Lee",
        "Her daughter's exams\nin June",
        "--date",
        "2026-11-01",
    ).strip()
    second = ok(capsys, db_path, "note", "add", "1", "Moved office", "--date", "2026-12-01").strip()
    notes = json.loads(ok(capsys, db_path, "note", "list", "Ann Lee", "--json"))
    assert [n["id"] for n in notes] == [int(second), int(first)]
    assert notes[1]["text"] == "Her daughter's exams\nin June"
    ok(capsys, db_path, "note", "set", first, "--text", "Exams done")
    ok(capsys, db_path, "note", "delete", second)
    notes = json.loads(ok(capsys, db_path, "note", "list", "Ann Lee", "--json"))
    assert [(n["id"], n["text"]) for n in notes] == [(int(first), "Exams done")]


def test_note_errors_are_one_line(capsys: Cap, db_path: Path) -> None:
    """An empty note, a bad date, an unknown person or note: one line each, nothing written."""
    ok(capsys, db_path, "person", "add", "Ann Lee")
    assert "note" in fails(capsys, db_path, "note", "add", "Ann Lee", "   ")
    assert "date" in fails(capsys, db_path, "note", "add", "Ann Lee", "x", "--date", "2026-02-31")
    assert "Zed" in fails(capsys, db_path, "note", "add", "Zed", "x")
    assert "note 7" in fails(capsys, db_path, "note", "delete", "7")
    assert "say what" in fails(capsys, db_path, "note", "set", "7")
    assert json.loads(ok(capsys, db_path, "note", "list", "Ann Lee", "--json")) == []


def test_search_everywhere_from_the_command_line(capsys: Cap, db_path: Path) -> None:
    """search finds notes, meetings and people by one word, grouped by kind (--json, --kind)."""
    ok(capsys, db_path, "person", "add", "Ann Lee")
    ok(capsys, db_path, "note", "add", "Ann Lee", "sailing in Cornwall")
    ok(capsys, db_path, "meeting", "add", "Cornwall mixer", "--date", "2026-11-01")
    hits = json.loads(ok(capsys, db_path, "search", "cornw", "--json"))
    assert [h["kind"] for h in hits] == ["meeting", "note"]
    assert hits[1]["person_id"] == 1 and hits[1]["title"] == "Ann Lee"
    only = json.loads(ok(capsys, db_path, "search", "cornw", "--kind", "note", "--json"))
    assert [h["kind"] for h in only] == ["note"]
    assert json.loads(ok(capsys, db_path, "search", '"*)(', "--json")) == []
    assert "kind" in fails(capsys, db_path, "search", "x", "--kind", "planet")


def test_remind_on_and_reminders(capsys: Cap, db_path: Path) -> None:
    """person set --remind-on sets the date; reminders --on lists it from that day (--json)."""
    ok(capsys, db_path, "person", "add", "Ann Lee", "--birthday", "1990-12-09")
    ok(capsys, db_path, "person", "set", "Ann Lee", "--remind-on", "2026-12-08")
    assert person_json(capsys, db_path, "Ann Lee")["remind_on"] == "2026-12-08"
    assert json.loads(ok(capsys, db_path, "reminders", "--on", "2026-12-07", "--json")) == []
    kinds = [
        n["kind"]
        for n in json.loads(ok(capsys, db_path, "reminders", "--on", "2026-12-09", "--json"))
    ]
    assert kinds == ["reminders", "birthdays"]
    assert "remind_on" in fails(capsys, db_path, "person", "set", "Ann Lee", "--remind-on", "soon")
    ok(capsys, db_path, "person", "set", "Ann Lee", "--remind-on", "")
    assert person_json(capsys, db_path, "Ann Lee")["remind_on"] is None


def test_person_tag_and_untag_many(capsys: Cap, db_path: Path) -> None:
    """person tag/untag TAG PERSON... changes all of them at once; an unknown one changes none."""
    for name in ("Ann Lee", "Bob Ray", "Cara Diaz"):
        ok(capsys, db_path, "person", "add", name)
    assert ok(capsys, db_path, "person", "tag", "VIP", "Ann Lee", "2", "3") == "tagged 3 of 3\n"
    assert "Zed" in fails(capsys, db_path, "person", "untag", "vip", "1", "Zed")
    assert person_json(capsys, db_path, "1")["tags"] == ["vip"]
    assert ok(capsys, db_path, "person", "untag", "vip", "1", "2") == "untagged 2 of 2\n"
    assert person_json(capsys, db_path, "3")["tags"] == ["vip"]
    assert "tag" in fails(capsys, db_path, "person", "tag", "  ", "1")
