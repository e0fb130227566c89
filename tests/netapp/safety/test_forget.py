"""Forgetting a person leaves no trace of their text in the database file or its WAL."""

from __future__ import annotations

from pathlib import Path

from netapp.demo import generate
from netapp.domain import Email, Interaction, Kind, Person, Phone, Referral
from netapp.safety.forget import forget, scrub_drafts
from netapp.store import Store

SECRETS = [
    "Xaviera",
    "Quillfeather",
    "Zanzibar Widgets",
    "Pomegranate",
    "quillmail",
    "vipxq",
    "Brouhaha",
    "Prospectina",
]


def _leaks(db_path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in (db_path, Path(f"{db_path}-wal")):
        if not f.exists():
            continue
        data = f.read_bytes()
        for word in SECRETS:
            for form in {word, word.lower(), word.upper()}:
                if form.encode() in data or form.encode("utf-16-le") in data:
                    found.setdefault(f.name, []).append(form)
    return found


def _add_secret_person(store: Store) -> int:
    pid = store.people.add(
        Person(
            display_name="Xaviera Quillfeather",
            org="Zanzibar Widgets",
            note="likes Pomegranate tea",
            emails=[Email("xq@quillmail.example")],
            phones=[Phone("+14155550123", valid=True)],
            tags=["vipxq"],
        )
    )
    store.interactions.add(
        Interaction(person_id=pid, date="2026-01-01", kind=Kind.MET, note="Brouhaha")
    )
    other = store.people.add(Person(display_name="Ordinary Olive"))
    store.referrals.add(
        Referral(
            referrer_id=other,
            provider_id=None,
            prospect_id=pid,
            prospect_name="Xaviera Quillfeather Prospectina",
            date="2026-01-02",
        )
    )
    # Many edits leave many old versions of the row and of the FTS index behind.
    for i in range(30):
        store.people.update(pid, note=f"likes Pomegranate tea, visit {i}")
    return pid


def test_forget_leaves_no_text_in_the_file(demo_store: Store) -> None:
    """After forget, no name, org, note, email or tag of the person is in the db file or WAL."""
    pid = _add_secret_person(demo_store)
    demo_store.drafts.save(
        "capture-grid",
        {"rows": [{"name": "Xaviera Quillfeather", "person_id": pid}, {"name": "Kept Kim"}]},
    )
    assert _leaks(demo_store.path)  # the check can see the text while it is there
    people_before = demo_store.people.count()
    result = forget(demo_store, pid)
    assert result["drafts_scrubbed"] == 1
    assert result["wal_truncated"] == 1
    assert _leaks(demo_store.path) == {}
    assert demo_store.people.count() == people_before - 1
    assert demo_store.drafts.load("capture-grid") == {"rows": [{"name": "Kept Kim"}]}
    assert demo_store.people.search("Xaviera") == []
    assert demo_store.db.scalar("PRAGMA integrity_check") == "ok"
    demo_store.db.conn.execute("INSERT INTO people_fts(people_fts) VALUES ('integrity-check')")


def test_forget_on_an_encrypted_database(tmp_path: Path) -> None:
    """forget works the same on an encrypted store and the database stays sound."""
    store = Store(tmp_path / "enc.db", passphrase="pw")
    try:
        pid = _add_secret_person(store)
        forget(store, pid)
        assert store.people.search("Quillfeather") == []
        assert store.db.scalar("PRAGMA integrity_check") == "ok"
    finally:
        store.close()


def test_scrub_drafts_drops_only_the_rows_about_the_person(store: Store) -> None:
    """Draft rows about someone else survive; a draft that is only text about them is dropped."""
    pid = store.people.add(Person(display_name="Forget Fay", emails=[Email("fay@x.example")]))
    store.drafts.save("grid", {"rows": [{"name": "forget fay"}, {"name": "Stay Stan"}]})
    store.drafts.save("note", "call fay@x.example tomorrow")
    store.drafts.save("other", {"rows": [{"name": "Nobody Ned"}]})
    assert scrub_drafts(store, pid) == 2
    assert store.drafts.load("grid") == {"rows": [{"name": "Stay Stan"}]}
    assert store.drafts.load("note") is None
    assert store.drafts.load("other") == {"rows": [{"name": "Nobody Ned"}]}


def test_demo_data_is_untouched_by_forgetting_someone_else(db_path: Path) -> None:
    """Forgetting one person removes exactly one person and their rows, nobody else's."""
    store = Store(db_path)
    try:
        generate(store, people=30, seed=5, today="2026-11-23")
        pid = _add_secret_person(store)
        others = store.db.query(
            "SELECT id, display_name FROM people WHERE id != ? ORDER BY id", [pid]
        )
        forget(store, pid)
        assert store.db.query("SELECT id, display_name FROM people ORDER BY id") == others
        assert store.db.scalar("SELECT count(*) FROM interactions WHERE person_id = ?", [pid]) == 0
    finally:
        store.close()


def test_cli_forget_scrubs_drafts_and_the_file(db_path: Path) -> None:
    """`netapp forget --yes` erases the person from records, drafts and the raw file alike."""
    from netapp.cli import main

    store = Store(db_path)
    try:
        pid = _add_secret_person(store)
        store.drafts.save("capture-grid", {"rows": [{"name": "Xaviera Quillfeather"}]})
    finally:
        store.close()
    assert main(["--db", str(db_path), "forget", str(pid), "--yes"]) == 0
    assert _leaks(db_path) == {}
    store = Store(db_path)
    try:
        assert store.drafts.load("capture-grid") == {"rows": []}
    finally:
        store.close()
