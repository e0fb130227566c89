"""Principle 8 of the trust model: a name is a name however it was typed (NFC everywhere)."""

from __future__ import annotations

import shutil
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netapp import fields as F
from netapp.capture import CaptureMeeting, CaptureRow, likely_duplicates, save_capture
from netapp.cli import main
from netapp.domain import Person
from netapp.interchange.importer import import_files
from netapp.store import Store

NFC = unicodedata.normalize("NFC", "José Núñez")
NFD = unicodedata.normalize("NFD", "José Núñez")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    assert main(["--db", str(db), *args]) == 0
    return capsys.readouterr().out


def test_the_two_spellings_differ_as_strings() -> None:
    """The test data really is two byte-different spellings of one name."""
    assert NFC != NFD and len(NFD) > len(NFC)
    assert F.clean_text("display_name", NFD) == NFC
    assert F.nfc("Ann Lee") == "Ann Lee"


def test_store_keeps_names_in_nfc_and_finds_either_spelling(store: Store) -> None:
    """A name saved decomposed is stored NFC; lookups and search by either spelling find it."""
    pid = store.people.add(Person(display_name=NFD, org=unicodedata.normalize("NFD", "Café Ñu")))
    person = store.people.get(pid)
    assert person.display_name == NFC and person.org == "Café Ñu"
    assert person.given_name == "José" and person.family_name == "Núñez"
    for spelling in (NFC, NFD):
        assert store.people.find(spelling).id == pid
        assert store.people.ids_by_name(spelling) == [pid]
        assert [r["id"] for r in store.people.search(spelling)] == [pid]
        assert store.people.count(spelling.split()[1]) == 1


def test_cli_meeting_attendee_typed_the_other_way_is_the_same_person(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    """`person add` decomposed, then `meeting add --attendee` and `status` precomposed: one
    person, met twice, not two strangers."""
    pid = int(run(capsys, db_path, "person", "add", NFD))
    for day in ("2026-01-01", "2026-01-08"):
        run(capsys, db_path, "meeting", "add", "Breakfast", "--date", day, "--attendee", NFC)
    out = run(capsys, db_path, "status", NFD, "--on", "2026-01-10", "--json")
    assert f'"person_id": {pid}' in out and '"repeat_contacts": 2' in out
    with Store(db_path) as store:
        assert store.people.count() == 1


def test_capture_flags_the_other_spelling_as_the_same_name(store: Store) -> None:
    """The quick capture's duplicate check sees a decomposed name as the precomposed one."""
    pid = store.people.add(Person(display_name=NFC, org="Núñez & Co"))
    dups = likely_duplicates(
        store, CaptureRow(name=NFD, org=unicodedata.normalize("NFD", "Núñez & Co"))
    )
    assert [d.person_id for d in dups] == [pid]
    cid = save_capture(
        store, CaptureMeeting(name="Breakfast", date="2026-01-01"), [CaptureRow(name=NFD)]
    )
    assert cid and {
        p["display_name"] for p in store.db.query("SELECT display_name FROM people")
    } == {NFC}


def test_import_stores_decomposed_names_in_nfc(store: Store, tmp_path: Path) -> None:
    """A vCard written with decomposed names is imported with NFC names, found by either."""
    card = tmp_path / "mac.vcf"
    card.write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{NFD}\r\nN:Núñez;José;;;\r\n"
        "EMAIL:jose@example.com\r\nEND:VCARD\r\n".replace(
            "Núñez;José", unicodedata.normalize("NFD", "Núñez;José")
        ),
        encoding="utf-8",
    )
    import_files(store, [card])
    (row,) = store.db.query("SELECT id, display_name, given_name, family_name FROM people")
    assert (row["display_name"], row["given_name"], row["family_name"]) == (NFC, "José", "Núñez")
    assert store.people.find(NFD).id == row["id"]


def test_migration_normalises_existing_names(tmp_path: Path) -> None:
    """Opening a database written before names were normalised turns them into NFC, and
    search then finds them by either spelling."""
    db = tmp_path / "netapp.db"
    shutil.copyfile(FIXTURES / "v1.db", db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "INSERT INTO people (uuid, display_name, given_name, family_name, org, created_at, "
            "updated_at) VALUES ('nfd-1', ?, ?, ?, ?, '2026-01-01', '2026-01-01')",
            [NFD, *(unicodedata.normalize("NFD", x) for x in ("José", "Núñez", "Café"))],
        )
    conn.close()
    with Store(db) as store:
        (row,) = store.db.query("SELECT * FROM people WHERE uuid = 'nfd-1'")
        assert (row["display_name"], row["given_name"], row["org"]) == (NFC, "José", "Café")
        assert store.people.find(NFD).id == row["id"]
        assert row["id"] in {r["id"] for r in store.people.search(NFD)}


names = st.text(
    alphabet=st.sampled_from(list("aeioun AEN") + ["é", "ñ", "ü", "Å", "ç", "ô", "ĳ", "ḯ"]),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() != "")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=names, form=st.sampled_from(["NFC", "NFD", "NFKC"]))
def test_property_any_spelling_finds_the_one_person(store: Store, name: str, form: str) -> None:
    """Whatever form a name was saved in, every canonically equal spelling finds that person."""
    store.db.conn.execute("DELETE FROM people")
    saved = unicodedata.normalize(form, name)
    pid = store.people.add(Person(display_name=saved))
    for other in ("NFC", "NFD"):
        typed = unicodedata.normalize(other, saved)
        assert store.people.ids_by_name(typed) == [pid]
        assert store.people.find(typed).id == pid
