"""Import plans, commits, undo, duplicates, bad files and the ``netapp import`` command."""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from netapp.cli import main
from netapp.domain import Email, Interaction, Kind, Person
from netapp.interchange.importer import commit_import, import_files, plan_import, undo_import
from netapp.interchange.records import Cancelled
from netapp.store import Store


def people_count(store: Store) -> int:
    return int(store.db.scalar("SELECT count(*) FROM people"))


# -- bad files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.vcf", "empty.vcf: the file is empty"),
        ("blank.csv", "blank.csv: the file is empty"),
        ("garbage.bin", "garbage.bin: the file is binary, not a contacts file"),
        ("not_contacts.txt", "not_contacts.txt: line 1: not a vCard, CSV or netapp backup file"),
    ],
)
def test_rejected_files_name_the_file_and_write_nothing(
    store: Store, fixtures: Path, name: str, message: str
) -> None:
    """Empty, blank, binary and non-contact files are rejected with a message naming the file."""
    plan = import_files(store, [fixtures / name])
    (f,) = plan.files
    assert f.error == str(fixtures / message.split(":")[0]) + message[len(message.split(":")[0]) :]
    assert people_count(store) == 0
    assert store.db.scalar("SELECT count(*) FROM import_batches") == 0


@pytest.mark.parametrize(
    ("name", "names", "skipped"),
    [
        (
            "missing_end.vcf",
            ["Has End"],
            [(1, "the card has no END:VCARD (the next card starts on line 5)")],
        ),
        (
            "truncated.vcf",
            ["Complete Card"],
            [(5, "the file ends before this card's END:VCARD (is it truncated?)")],
        ),
        (
            "unterminated_quote.csv",
            ["Ada Lovelace"],
            [
                (
                    3,
                    "a quoted field opened on this line is never closed; the rest of the file "
                    "(lines 3–4) was not read",
                )
            ],
        ),
        ("utf16_bom.vcf", ["Wide Wendy"], []),
    ],
)
def test_damaged_files_import_valid_records_and_report_the_rest(
    store: Store, fixtures: Path, name: str, names: list[str], skipped: list[tuple[int, str]]
) -> None:
    """Missing END:VCARD, truncation, an open quote, UTF-16: valid records in, others reported."""
    plan = import_files(store, [fixtures / name])
    (f,) = plan.files
    assert f.error is None
    assert [(s.line, s.reason) for s in f.skipped] == skipped
    assert [r["display_name"] for r in store.db.query("SELECT display_name FROM people")] == names


def test_five_megabyte_field_skips_that_record_only(store: Store, tmp_path: Path) -> None:
    """A 5 MB NOTE skips its card with the line and reason; the next card imports."""
    big = tmp_path / "big.vcf"
    big.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Huge Note\r\nNOTE:"
        + b"x" * 5_000_000
        + b"\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Small Note\r\nEND:VCARD\r\n"
    )
    plan = import_files(store, [big])
    (f,) = plan.files
    assert [(s.line, s.reason) for s in f.skipped] == [
        (1, "note is 5000000 characters long; the limit is 20000")
    ]
    assert [r["display_name"] for r in store.db.query("SELECT display_name FROM people")] == [
        "Small Note"
    ]


def test_five_megabyte_csv_cell_skips_that_row_only(store: Store, tmp_path: Path) -> None:
    """A 5 MB cell (beyond the csv module's default limit) skips only its row."""
    f = tmp_path / "Connections.csv"
    f.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        f"Big,Company,,,{'y' * 5_000_000},,\nSmall,Person,,,Acme,,\n",
        encoding="utf-8",
    )
    (fp,) = import_files(store, [f]).files
    assert [(s.line, s.reason) for s in fp.skipped] == [
        (2, "org is 5000000 characters long; the limit is 300")
    ]
    assert [r["display_name"] for r in store.db.query("SELECT display_name FROM people")] == [
        "Small Person"
    ]


# -- plan, commit, undo ----------------------------------------------------------------------


def test_a_record_with_nothing_to_call_it_by_is_skipped_naming_the_field(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A card with only a note, and a CSV row with only a URL, are skipped with their line and
    one reason that names the field as every error does; ``netapp import`` prints them so."""
    card = tmp_path / "cards.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:only a note\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    rows = tmp_path / "Connections.csv"
    rows.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ada,Lovelace,,,,,\n,,https://x.example,,,,\n",
        encoding="utf-8",
    )
    why = "name is missing, and so are the organisation, email and phone"
    plan = plan_import(store, [card, rows])
    assert [[(s.line, s.reason) for s in f.skipped] for f in plan.files] == [[(5, why)], [(3, why)]]
    assert main(["--db", str(store.path), "import", str(card), str(rows)]) == 0
    out = capsys.readouterr().out
    assert f"  line 5: {why}\n" in out and f"  line 3: {why}\n" in out


def test_skip_reason_names_the_field_as_errors_do() -> None:
    """A message that reads on from the field's name follows it; any other follows a colon
    (errors.with_name), and the field's name is in words."""
    from netapp.errors import ValidationError
    from netapp.interchange.records import skip_reason

    assert skip_reason(ValidationError("org", "is 400 characters long; the limit is 300")) == (
        "org is 400 characters long; the limit is 300"
    )
    assert skip_reason(ValidationError("display_name", "expected text, got int")) == (
        "display name: expected text, got int"
    )


def test_dry_run_plans_but_writes_nothing(store: Store, fixtures: Path) -> None:
    """A plan counts new records but leaves the database untouched."""
    plan = import_files(store, [fixtures / "apple_30.vcf"], dry_run=True)
    assert plan.files[0].imported == 2  # a person and an organisation
    assert len(plan.files[0].skipped) == 1  # a contact group
    assert people_count(store) == 0


def test_commit_is_one_batch_and_undo_removes_it(store: Store, fixtures: Path) -> None:
    """Every imported person carries the batch id; undo takes exactly that batch back out."""
    store.people.add(Person(display_name="Already Here"))
    plan = import_files(store, [fixtures / "google_contacts.csv"], region="ES")
    batch = plan.files[0].batch_id
    assert batch is not None
    rows = store.db.query("SELECT display_name, import_batch_id FROM people ORDER BY id")
    assert rows == [
        {"display_name": "Already Here", "import_batch_id": None},
        {"display_name": "Ana María García", "import_batch_id": batch},
        {"display_name": "Lee", "import_batch_id": batch},
    ]
    summary = json.loads(
        store.db.scalar("SELECT summary FROM import_batches WHERE id = ?", [batch])
    )
    assert (summary["imported"], summary["format"]) == (2, "google")
    assert undo_import(store, batch) == {"removed": 2, "restored": 0}
    assert [r["display_name"] for r in store.db.query("SELECT display_name FROM people")] == [
        "Already Here"
    ]
    assert store.people.count("García") == 0  # the search index forgot them too


def test_import_into_a_database_with_people_backs_it_up_first(store: Store, fixtures: Path) -> None:
    """A bulk import takes a pre-import backup that holds the database as it was before."""
    from netapp.safety.file_backups import list_backups

    import_files(store, [fixtures / "google_contacts.csv"], region="ES")
    assert list_backups(store.path) == []  # an empty database has nothing to lose
    store.people.add(Person(display_name="Already Here"))
    before = people_count(store)
    import_files(store, [fixtures / "linkedin_connections.csv"])
    backups = list_backups(store.path)
    assert [b.kind for b in backups] == ["pre-import"]
    copy = Store(backups[0].path)
    try:
        assert people_count(copy) == before
    finally:
        copy.close()
    assert people_count(store) > before


def test_cancel_during_commit_writes_nothing(store: Store, fixtures: Path) -> None:
    """Cancelling after rows were written rolls back everything, batch rows included."""
    plan = plan_import(store, [fixtures / "google_contacts.csv", fixtures / "apple_30.vcf"])
    calls: list[int] = []

    def cancel() -> bool:
        calls.append(1)
        if len(calls) >= 2:  # the last check, after every row went in
            assert store.db.scalar("SELECT count(*) FROM people") == 4
            return True
        return False

    with pytest.raises(Cancelled):
        commit_import(store, plan, cancel=cancel)
    assert people_count(store) == 0
    assert store.db.scalar("SELECT count(*) FROM import_batches") == 0


def test_a_failure_mid_commit_rolls_back_the_whole_import(
    store: Store, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If a write fails after some rows went in, none of the import remains."""
    plan = plan_import(store, [fixtures / "google_contacts.csv"], region="ES")
    from netapp.store import people as people_module

    real = people_module._bulk_insert
    seen: list[str] = []

    def failing(conn: Any, table: str, columns: tuple[str, ...], rows: list[Any]) -> None:
        seen.append(table)
        if table == "person_emails":  # the people are in; their emails fail
            assert conn.execute("SELECT count(*) FROM people").fetchone()[0] > 0
            raise OSError("disk full")
        real(conn, table, columns, rows)

    monkeypatch.setattr(people_module, "_bulk_insert", failing)
    with pytest.raises(OSError):
        commit_import(store, plan)
    monkeypatch.undo()
    assert seen == ["people", "person_emails"]
    assert people_count(store) == 0


def test_auto_merge_same_name_and_email_keeps_history_and_undo_restores(
    store: Store, tmp_path: Path
) -> None:
    """Same name + same email merges into the existing person (history kept); undo restores
    the person's fields as they were."""
    pid = store.people.add(
        Person(display_name="Priya Patel", emails=[Email("priya@patel.example")], note="Old note")
    )
    store.interactions.add(
        Interaction(person_id=pid, date="2026-01-02", kind=Kind.CALL, note="coffee")
    )
    f = tmp_path / "Connections.csv"
    f.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "priya,PATEL,https://www.linkedin.com/in/priya,priya@patel.example,Patel Ltd,CEO,"
        "05 Nov 2024\n",
        encoding="utf-8",
    )
    plan = import_files(store, [f])
    fp = plan.files[0]
    assert (fp.imported, fp.merged) == (0, 1)
    assert fp.items[0].reason == "same name and same email priya@patel.example"
    p = store.people.get(pid)
    assert (p.display_name, p.org, p.title) == ("Priya Patel", "Patel Ltd", "CEO")
    assert p.links == ["https://www.linkedin.com/in/priya"]
    assert p.note == "Old note\n\nLinkedIn connection since 2024-11-05"
    assert [i.note for i in store.interactions.for_person(pid)] == ["coffee"]
    assert undo_import(store, int(fp.batch_id or 0)) == {"removed": 0, "restored": 1}
    p = store.people.get(pid)
    assert (p.org, p.title, p.links, p.note) == ("", "", [], "Old note")
    assert [i.note for i in store.interactions.for_person(pid)] == ["coffee"]


def test_same_email_different_name_is_only_suggested(store: Store, tmp_path: Path) -> None:
    """An identical email under another name imports as new, with the merge suggested."""
    pid = store.people.add(Person(display_name="Sam Jones", emails=[Email("sam@x.example")]))
    f = tmp_path / "c.vcf"
    f.write_bytes(b"BEGIN:VCARD\r\nFN:Samantha Jones\r\nEMAIL:SAM@x.example\r\nEND:VCARD\r\n")
    fp = import_files(store, [f]).files[0]
    assert (fp.imported, fp.merged) == (1, 0)
    assert fp.items[0].suggestions == [(pid, "same email SAM@x.example, but the name differs")]


def test_similar_name_at_same_org_is_suggested(store: Store, tmp_path: Path) -> None:
    """A very similar name at the same organisation is suggested, not merged."""
    pid = store.people.add(Person(display_name="Jonathon Smyth", org="Acme"))
    f = tmp_path / "c.vcf"
    f.write_bytes(b"BEGIN:VCARD\r\nFN:Jonathan Smyth\r\nORG:ACME\r\nEND:VCARD\r\n")
    fp = import_files(store, [f]).files[0]
    assert fp.items[0].action == "new"
    assert fp.items[0].suggestions == [(pid, "similar name at ACME")]


def test_duplicates_inside_one_file_merge_into_one_person(store: Store, tmp_path: Path) -> None:
    """The same person twice in one file (same name and phone) becomes one person."""
    f = tmp_path / "c.vcf"
    f.write_bytes(
        b"BEGIN:VCARD\r\nFN:Ann Lee\r\nTEL:+44 20 7946 0000\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nFN:ann lee\r\nTEL:020 7946 0000\r\nEMAIL:ann@lee.example\r\nEND:VCARD\r\n"
    )
    fp = import_files(store, [f], region="GB").files[0]
    assert (fp.imported, fp.merged) == (1, 1)
    (row,) = store.db.query("SELECT id FROM people")
    p = store.people.get(row["id"])
    assert [x.number for x in p.phones] == ["+442079460000"]
    assert [e.address for e in p.emails] == ["ann@lee.example"]


# -- command line ----------------------------------------------------------------------------


def test_cli_import_json_shape_and_exit_status(
    db_path: Path, fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``netapp import --json`` prints the documented shape and exits 1 when a file is rejected."""
    good = tmp_path / "truncated.vcf"
    shutil.copy(fixtures / "truncated.vcf", good)
    bad = tmp_path / "empty.vcf"
    bad.write_bytes(b"")
    code = main(["--db", str(db_path), "import", str(good), str(bad), "--json", "--region", "GB"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out == {
        "files": [
            {
                "file": str(good),
                "format": "vcard",
                "encoding": "UTF-8",
                "imported": 1,
                "merged": 0,
                "unchanged": 0,
                "skipped": [
                    {
                        "line": 5,
                        "reason": "the file ends before this card's END:VCARD (is it truncated?)",
                    }
                ],
                "warnings": [],
                "error": None,
            },
            {
                "file": str(bad),
                "format": "",
                "encoding": "",
                "imported": 0,
                "merged": 0,
                "unchanged": 0,
                "skipped": [],
                "warnings": [],
                "error": f"{bad}: the file is empty",
            },
        ]
    }
    assert main(["--db", str(db_path), "import", str(good), "--json", "--dry-run"]) == 0


def test_cli_region_overrides_the_setting(
    db_path: Path, fixtures: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--region decides how national numbers are read for that import."""
    assert (
        main(["--db", str(db_path), "import", str(fixtures / "android_21.vcf"), "--region", "DE"])
        == 0
    )
    with Store(db_path) as store:
        assert [x.number for x in store.people.get(1).phones] == ["+49301234567", "+49307654321"]


def test_an_import_leaves_no_reference_cycles_behind(store: Store, tmp_path: Path) -> None:
    """Importing contacts at organisations nobody is stored at leaves no reference cycles
    for the garbage collector (issue 20: a similar-name search over an empty list left ten
    objects in a cycle per record, and the collections they caused slowed large imports)."""
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee{i}\r\nN:Lee{i};Ann;;;\r\nORG:Acme {i % 7}\r\n"
        f"EMAIL:ann{i}@example.com\r\nEND:VCARD\r\n"
        for i in range(200)
    )
    path = tmp_path / "contacts.vcf"
    path.write_text(cards, encoding="utf-8")
    gc.collect()
    gc.disable()
    try:
        plan = import_files(store, [path], region="US")
        found = gc.collect()
    finally:
        gc.enable()
    assert plan.files[0].imported == 200
    assert found < 200


def test_the_collector_is_paused_during_an_import_and_back_after(
    store: Store, fixtures: Path
) -> None:
    """The cyclic collector is off while an import reads and writes (it found nothing to
    free there), and on again after, also when the import is cancelled; left off when it
    was off before."""
    states: list[bool] = []

    def progress(done: int, total: int) -> None:
        states.append(gc.isenabled())

    assert gc.isenabled()
    plan = plan_import(store, [fixtures / "google_contacts.csv"], region="ES", progress=progress)
    assert gc.isenabled()
    with pytest.raises(Cancelled):
        commit_import(store, plan, progress=progress, cancel=lambda: True)
    assert gc.isenabled()
    commit_import(store, plan, progress=progress)
    assert gc.isenabled()
    assert states and not any(states)
    gc.disable()
    try:
        plan_import(store, [fixtures / "google_contacts.csv"], region="ES")
        assert not gc.isenabled()
    finally:
        gc.enable()
