"""Exports (CSV neutralising, opt-ins, ICS, JSON backup round trip), consent and merging."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netapp.domain import Consent, ConsentMethod, Email, Interaction, Kind, Person, Referral
from netapp.errors import ValidationError
from netapp.interchange import json_backup
from netapp.interchange.consent import (
    import_subscribers,
    record_optin,
    withdraw,
)
from netapp.interchange.dedupe import find_duplicates, merge_people
from netapp.interchange.export import FORMULA_START, neutralise, to_csv, to_ics, to_optins
from netapp.interchange.importer import import_files
from netapp.interchange.vcard import write_vcards
from netapp.safety.forget import forget_person
from netapp.store import Store, new_uuid, now_iso


def _evaluates(cell: str) -> bool:
    """Would a spreadsheet treat this cell as a formula?"""
    return cell.startswith(FORMULA_START) or cell.lstrip(" \u00a0").startswith(FORMULA_START)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_neutralised_cells_never_evaluate(text: str) -> None:
    """No value survives neutralise() as a cell a spreadsheet would evaluate."""
    cell = neutralise(text)
    assert not _evaluates(cell)
    assert cell in (text, "'" + text)


@settings(max_examples=25, deadline=None)
@given(
    name=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20)
    .map(lambda s: "=" + s)
    .filter(lambda s: s.strip("= ")),
    note=st.text(max_size=30),
)
def test_csv_export_never_emits_an_evaluated_cell(
    tmp_path_factory: pytest.TempPathFactory, name: str, note: str
) -> None:
    """Whatever people's fields hold, every CSV cell read back is inert."""
    db = tmp_path_factory.mktemp("csv") / "n.db"
    with Store(db) as store:
        store.people.add(
            Person(display_name=name, org="+1 Org", note=note, tags=["-tag"], website="@x")
        )
        rows = list(csv.reader(io.StringIO(to_csv(store))))
    for row in rows[1:]:
        for cell in row:
            assert not _evaluates(cell), cell


def test_vcard_export_import_export_gives_the_same_people(
    demo_store: Store, tmp_path: Path
) -> None:
    """vCard → import into an empty database → vCard again is identical (minus UIDs)."""
    first = tmp_path / "a.vcf"
    first.write_text(write_vcards(_all(demo_store)), encoding="utf-8")
    with Store(tmp_path / "other.db") as other:
        plan = import_files(other, [first])
        assert plan.files[0].skipped == []
        assert other.people.count() == demo_store.people.count()
        again = write_vcards(_all(other))
    strip = lambda text: [x for x in text.splitlines() if not x.startswith("UID:")]  # noqa: E731
    assert strip(again) == strip(first.read_text(encoding="utf-8"))


def _all(store: Store) -> list[Person]:
    ids = [r["id"] for r in store.db.query("SELECT id FROM people ORDER BY display_name, id")]
    return [store.people.get(i) for i in ids]


def test_json_backup_round_trips_losslessly(demo_store: Store, tmp_path: Path) -> None:
    """Export → import into an empty database → export gives identical tables."""
    pid = demo_store.db.query("SELECT id FROM people LIMIT 1")[0]["id"]
    demo_store.people.update(pid, photo=b"\x89PNG\x00\xffbytes", photo_type="image/png")
    first = json_backup.dump(demo_store)
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    with Store(tmp_path / "restored.db") as other:
        plan = import_files(other, [path])
        assert plan.files[0].error is None and plan.files[0].format == "json"
        second = json_backup.dump(other)
        assert other.people.get(pid).photo == b"\x89PNG\x00\xffbytes"
        assert other.people.count("".join(demo_store.people.get(pid).display_name.split()[:1]))
    assert second["tables"] == first["tables"]
    assert sum(len(t["rows"]) for t in first["tables"].values()) > 100


def test_json_backup_refuses_a_database_with_data(demo_store: Store, tmp_path: Path) -> None:
    """Restoring over existing data is refused with a clear error; nothing changes."""
    path = tmp_path / "b.json"
    path.write_text(json_backup.dumps(demo_store), encoding="utf-8")
    before = demo_store.people.count()
    (fp,) = import_files(demo_store, [path]).files
    assert fp.error is not None and "empty database only" in fp.error
    assert demo_store.people.count() == before


def test_damaged_json_backup_is_rejected_with_its_line(store: Store, tmp_path: Path) -> None:
    """A truncated backup is rejected naming the file and line."""
    path = tmp_path / "b.json"
    path.write_text('{\n "format": "netapp-backup",\n "version": 1,\n', encoding="utf-8")
    (fp,) = import_files(store, [path]).files
    assert fp.error is not None and fp.error.startswith(f"{path}: line 4: not valid JSON")


def _person(store: Store, name: str, email: str) -> int:
    return store.people.add(Person(display_name=name, emails=[Email(email)], tags=["bni"]))


def _card(store: Store, meeting_id: int) -> str:
    from netapp.card_codes import new_code

    code = new_code()
    cur = store.db.conn.execute(
        "INSERT INTO card_batches (uuid, meeting_id, campaign, offer, layout, count, url, "
        "printed_at) VALUES (?,?,?,?,?,?,?,?)",
        [
            new_uuid(),
            meeting_id,
            "spring",
            "Free guide: 10 referral tips",
            "avery",
            1,
            "",
            now_iso(),
        ],
    )
    store.db.conn.execute(
        "INSERT INTO cards (code, batch_id, position) VALUES (?,?,0)", [code, cur.lastrowid]
    )
    return code


def test_optins_export_only_active_consent_with_evidence(store: Store) -> None:
    """Only people with recorded, not withdrawn consent appear, with the consent evidence."""
    mid = store.meetings.add("Breakfast", "2026-03-03")
    a = _person(store, "Ann Able", "ann@a.example")
    b = _person(store, "Ben Bold", "ben@b.example")
    _person(store, "Cat Never", "cat@c.example")
    code = _card(store, mid)
    record_optin(store, code.lower(), email="ann@a.example", when="2026-03-03")
    record_optin(store, str(b), method="verbal", when="2026-03-04")
    withdraw(store, "ben@b.example")
    rows = list(csv.reader(io.StringIO(to_optins(store))))
    assert rows == [
        [
            "Email Address",
            "First Name",
            "Last Name",
            "Tags",
            "Opt-in Time",
            "Opt-in Method",
            "Meeting",
            "Card Code",
            "Wording Shown",
        ],
        [
            "ann@a.example",
            "Ann",
            "Able",
            "netapp,bni",
            "2026-03-03",
            "card",
            "Breakfast (2026-03-03)",
            code,
            "Free guide: 10 referral tips",
        ],
    ]
    assert store.consents.for_person(a)[0].meeting_id == mid


def test_card_code_creates_person_and_cannot_be_used_twice(store: Store) -> None:
    """A card read back for an unknown email creates the person; the same card again fails."""
    mid = store.meetings.add("Chamber", "2026-03-03")
    code = _card(store, mid)
    r = record_optin(store, code, email="new@n.example", name="Nia New", when="2026-03-03")
    assert (r.created_person, r.display_name, r.meeting_id) == (True, "Nia New", mid)
    with pytest.raises(ValidationError, match="already used for Nia New"):
        record_optin(store, code, email="other@n.example")
    assert store.people.count() == 1


def test_subscriber_export_attaches_consent_with_card_ref(
    store: Store, fixtures: Path, tmp_path: Path
) -> None:
    """A Mailchimp export matches by email and reads the card code from the ref= URL."""
    mid = store.meetings.add("Lunch", "2026-03-01")
    pid = _person(store, "Priya Patel", "priya@patel.example")
    code = _card(store, mid)
    path = tmp_path / "subs.csv"
    path.write_bytes(
        (fixtures / "mailchimp_subscribers.csv").read_bytes().replace(b"{CODE}", code.encode())
    )
    result = import_subscribers(store, path)
    assert result.matched == 1
    assert [(s.line, s.reason) for s in result.skipped] == [
        (3, "no person with email stranger@nowhere.example"),
        (4, "'not an email' is not an email address"),
    ]
    (c,) = store.consents.for_person(pid)
    assert (c.method, c.card_code, c.meeting_id) == (ConsentMethod.IMPORT, code, mid)
    assert c.obtained_at == "2026-03-04T08:15:00"
    assert c.source.startswith("https://example.com/join?ref=")


def test_forget_erases_every_trace(store: Store, tmp_path: Path) -> None:
    """Forgetting removes the person, their history, consents, referral names and search rows."""
    keep = _person(store, "Keeper Kay", "kay@k.example")
    gone = _person(store, "Zed Forgotten", "zed@z.example")
    mid = store.meetings.add("Club", "2026-02-02", attendee_ids=[gone])
    store.interactions.add(
        Interaction(person_id=gone, date="2026-02-02", kind=Kind.CALL, note="secret")
    )
    store.consents.add(Consent(person_id=gone, email="zed@z.example", obtained_at="2026-02-02"))
    store.referrals.add(
        Referral(
            referrer_id=keep, prospect_id=gone, prospect_name="Zed Forgotten", date="2026-02-03"
        )
    )
    forget_person(store, gone)
    dump = json.dumps(json_backup.dump(store))
    assert "Zed" not in dump and "zed@z.example" not in dump and "secret" not in dump
    assert store.people.count("Zed") == 0
    assert store.meetings.attendees(mid) == []


def test_merge_keeps_every_interaction_attendance_consent_and_referral(store: Store) -> None:
    """Merging moves all of the other record's history to the kept one, fields as chosen."""
    a = store.people.add(Person(display_name="Li Wei", org="Acme", emails=[Email("li@a.example")]))
    b = store.people.add(
        Person(display_name="Wei Li", title="CTO", emails=[Email("wei@b.example")], tags=["vip"])
    )
    mid = store.meetings.add("Club", "2026-02-02", attendee_ids=[a, b])
    store.interactions.add(
        Interaction(person_id=b, date="2026-02-03", kind=Kind.CALL, note="b call")
    )
    store.interactions.add(
        Interaction(person_id=a, date="2026-02-04", kind=Kind.EMAIL, note="a mail")
    )
    store.consents.add(Consent(person_id=b, email="wei@b.example", obtained_at="2026-02-05"))
    rid = store.referrals.add(Referral(referrer_id=b, prospect_name="Pat", date="2026-02-06"))
    merged = merge_people(store, a, b, {"display_name": "other"})
    assert merged.display_name == "Wei Li"
    assert (merged.org, merged.title, merged.tags) == ("Acme", "CTO", ["vip"])
    assert [e.address for e in merged.emails] == ["li@a.example", "wei@b.example"]
    notes = sorted(i.note for i in store.interactions.for_person(a) if i.note)
    assert notes == ["a mail", "b call"]
    assert store.meetings.attendees(mid) == [a]
    assert [c.email for c in store.consents.for_person(a)] == ["wei@b.example"]
    assert store.db.scalar("SELECT referrer_id FROM referrals WHERE id = ?", [rid]) == a
    assert store.db.scalar("SELECT count(*) FROM people WHERE id = ?", [b]) == 0


def test_find_duplicates_reports_auto_and_suggested(store: Store) -> None:
    """Same name + email is certain; same email under another name is only suggested."""
    a = store.people.add(Person(display_name="Ann Lee", emails=[Email("ann@x.example")]))
    b = store.people.add(Person(display_name="ANN LEE", emails=[Email("ann@x.example")]))
    c = store.people.add(Person(display_name="Annie L", emails=[Email("ann@x.example")]))
    found = [(x.keep_id, x.other_id, x.auto) for x in find_duplicates(store)]
    assert found == [(a, b, True), (a, c, False)]


def test_ics_lists_upcoming_steps(demo_store: Store) -> None:
    """The ICS holds one all-day event per upcoming agenda step and parses as a calendar."""
    from icalendar import Calendar

    from netapp import engine

    as_of = date(2026, 11, 23)
    steps = [s for s in engine.agenda(demo_store, as_of, days=30) if s.kind != "none" and s.due]
    cal = Calendar.from_ical(to_ics(demo_store, as_of, days=30))
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == len(steps) > 0
    assert {str(e["summary"]).split(" ", 1)[0] for e in events} <= {
        "Follow",
        "Give",
        "Ask",
        "Keep",
    }


def test_export_to_file_says_how_many_records_it_wrote(demo_store: Store, tmp_path: Path) -> None:
    """Each export reports the records in its file: people, opt-in rows, calendar events."""
    from netapp.interchange.export import export_to_file, optin_rows

    people = export_to_file(demo_store, "csv", tmp_path / "p.csv")
    assert people.records == demo_store.people.count()
    assert people.bytes == (tmp_path / "p.csv").stat().st_size
    some = export_to_file(demo_store, "vcard", tmp_path / "s.vcf", ids=iter([1, 2, 2]))
    assert some.records == 3  # one card per id asked for
    assert (tmp_path / "s.vcf").read_text(encoding="utf-8").count("BEGIN:VCARD") == 3
    optins = export_to_file(demo_store, "optins", tmp_path / "o.csv")
    assert optins.records == len(optin_rows(demo_store)) > 0
    ics = export_to_file(demo_store, "ics", tmp_path / "f.ics", as_of=date(2026, 11, 23))
    events = (tmp_path / "f.ics").read_text(encoding="utf-8").splitlines().count("BEGIN:VEVENT")
    assert ics.records == events > 0
