"""Issue 21: one fixture per class of import error, written from the specifications
(``make_spec_fixtures.py`` says which part of which spec), and the round trips."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from netapp.cli import main
from netapp.domain import ContactKind, Email, Person, Phone
from netapp.interchange.csvformats import parse_csv
from netapp.interchange.export import to_csv, to_optins
from netapp.interchange.importer import import_files, plan_import
from netapp.interchange.records import ImportFileError, NeedsMapping, Parsed, Record
from netapp.interchange.vcard import parse_vcards, write_vcards
from netapp.store import Store

SPEC = Path(__file__).parent / "fixtures" / "spec"
PNG_HEAD = b"\x89PNG\r\n\x1a\n"


def vcards(name: str, region: str = "US") -> Parsed:
    return parse_vcards((SPEC / name).read_bytes(), name, region)


def table(name: str, region: str = "US", mapping: dict[str, str] | None = None) -> Parsed:
    return parse_csv((SPEC / name).read_bytes(), name, region, mapping)


def phones(rec: Record) -> list[tuple[str, bool]]:
    return [(p.number, p.valid) for p in rec.person.phones]


# 1 -----------------------------------------------------------------------------------------


def test_class01_a_phone_gets_a_country_only_when_it_is_certain() -> None:
    """No +1 is invented: national numbers not valid for the region stay as typed, flagged
    and reported; +, 00, the import's region and the card's address country decide."""
    ana, hans = vcards("c01_phone_country.vcf").records
    assert phones(ana) == [
        ("0311111111", False),
        ("555-1234", False),
        ("+442079460018", True),
        ("+49301234567", True),
        ("+14155552671", True),
    ]
    assert (
        "phone '0311111111' kept as typed, not normalised: its country is not certain"
        in ana.warnings
    )
    assert phones(hans) == [("+49301234567", True)]  # ADR says Deutschland


def test_class01_a_number_kept_as_typed_is_stored_and_shown_that_way(
    store: Store, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The stored number is the text as typed with valid=False; `person show` prints it as is."""
    import_files(store, [SPEC / "c01_phone_country.vcf"], region="US")
    pid = store.people.find("Ana Silva").id
    assert pid is not None
    assert [(p.number, p.valid) for p in store.people.get(pid).phones][:2] == [
        ("0311111111", False),
        ("555-1234", False),
    ]
    store.close()
    assert main(["--db", str(db_path), "person", "show", "Ana Silva", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["phones"][:2] == ["0311111111", "555-1234"]


# 2 -----------------------------------------------------------------------------------------


def test_class02_special_use_domains_are_kept() -> None:
    """.invalid, .local and .localhost addresses, a quoted local part and a domain literal are
    kept; only a malformed one is reported."""
    (ann,) = vcards("c02_special_use_emails.vcf").records
    assert [e.address for e in ann.person.emails] == [
        "ann@example.invalid",
        "ann.lee@corp.local",
        "ann@printer.localhost",
        '"ann lee"@example.com',
        "ann@[192.0.2.10]",
    ]
    assert ann.warnings == ["email 'ann at corp' dropped: not a valid address"]


# 3 -----------------------------------------------------------------------------------------


def test_class03_comma_lists_in_n_are_split_and_fn_is_the_display_name() -> None:
    """N's comma lists become words; FN is the display name; without FN, N builds it."""
    public, doe, stevenson = vcards("c03_structured_names.vcf").records
    assert (public.person.display_name, public.person.given_name, public.person.family_name) == (
        "Mr. John Q. Public, Esq.",
        "John Quinlan",
        "Public",
    )
    assert (doe.person.display_name, doe.person.given_name, doe.person.family_name) == (
        "Dr. John Richter James Doe",
        "John Richter James",
        "Doe",
    )
    assert stevenson.person.display_name == "Dr. John Philip Paul Stevenson Jr. M.D. A.C.P."
    assert stevenson.person.given_name == "John Philip Paul"
    assert all("," not in r.person.given_name for r in (public, doe, stevenson))


# 4 -----------------------------------------------------------------------------------------


def test_class04_an_organisation_keeps_its_own_title() -> None:
    """The first or preferred ORG/TITLE pair is kept whole; the other pair is reported."""
    rossi, baker, park = vcards("c04_org_title_pairs.vcf").records
    got = [(r.person.org, r.person.department, r.person.title) for r in (rossi, baker, park)]
    assert got == [
        ("Acme Ltd", "Sales", "Sales Manager"),
        ("New Co", "", "CEO"),
        ("Beta", "", "Director"),
    ]
    assert rossi.warnings == [
        "organisation and title 'Chamber of Commerce / Treasurer' not kept: "
        "netapp keeps one organisation"
    ]


# 5 -----------------------------------------------------------------------------------------


def test_class05_escapes_are_undone_everywhere() -> None:
    """\\" \\, \\; \\\\ \\n are unescaped in names, ORG, TITLE, NOTE and CATEGORIES."""
    (jane,) = vcards("c05_escapes.vcf").records
    p = jane.person
    assert p.display_name == "Doe, Jane"
    assert p.org == "Smith, Jones \\& Co"  # \& is no escape: kept as typed
    assert p.title == "VP, Sales; EMEA"
    assert p.note == 'She said "hi", then left; back soon\nC:\\temp\nend'
    assert p.tags == ["a,b", "c"]


# 6 -----------------------------------------------------------------------------------------


def test_class06_extensions_are_kept() -> None:
    """tel:…;ext=102, x103 and ext. 7 keep their extension in the stored form."""
    desk, office = vcards("c06_phone_extensions.vcf").records
    assert phones(desk) == [("+14186569254;ext=102", True)]
    assert phones(office) == [("+14186569254;ext=103", True), ("+14155552671;ext=7", True)]


def test_class06_extensions_survive_the_writer_in_both_versions() -> None:
    """A number with an extension written as vCard 4.0 and 3.0 reads back the same."""
    person = Person(display_name="Desk", phones=[Phone("+14186569254;ext=102", "work")])
    for version in ("4.0", "3.0"):
        text = write_vcards([person], version).encode()
        (back,) = parse_vcards(text, "x.vcf", "GB").records
        assert phones(back) == [("+14186569254;ext=102", True)], version


# 7 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "names", "encoding"),
    [
        ("c07_utf16le_nobom.vcf", ["Jörg Müller"], "UTF-8"),  # re-read as UTF-8 after UTF-16
        ("c07_utf16be_nobom.csv", ["Zoë Ünal"], "UTF-16"),
        ("c07_shift_jis.csv", ["山田 太郎", "鈴木 花子"], "Shift_JIS"),
        ("c07_windows_1252.csv", ["Françoise Renée", "Søren Smørrebrød"], "Windows-1252"),
        ("c07_iso_8859_2.csv", ["Łukasz Wróbel", "Małgorzata Kowalska"], "ISO-8859-2"),
    ],
)
def test_class07_encodings_are_detected(
    store: Store, name: str, names: list[str], encoding: str
) -> None:
    """UTF-16 without a BOM and legacy CSV encodings are read without mojibake."""
    plan = plan_import(store, [SPEC / name], region="JP")
    (f,) = plan.files
    assert f.error is None
    assert [i.person.display_name for i in f.items] == names
    assert f.encoding == encoding


def test_class07_legacy_text_lands_in_every_field() -> None:
    """Organisations, titles and notes of a Windows-1252 and a Shift_JIS file read right."""
    a, _ = table("c07_windows_1252.csv").records
    assert (a.person.org, a.person.title, a.person.note) == (
        "Café Crème",
        "Gérante",
        "“Bonjour” – à bientôt",
    )
    taro, _ = table("c07_shift_jis.csv", "JP").records
    assert (taro.person.org, taro.person.title) == ("株式会社テスト", "営業部長")
    assert phones(taro) == [("+819012345678", True)]


def test_class07_an_undecodable_file_is_refused_naming_the_encodings_tried(store: Store) -> None:
    """A file mixing UTF-8 and Windows-1252 is refused, never imported as mojibake."""
    (f,) = plan_import(store, [SPEC / "c07_undecodable.csv"]).files
    assert f.error is not None
    assert "c07_undecodable.csv: line 3:" in f.error
    for tried in ("UTF-8", "UTF-16", "Windows-1252", "ISO-8859-2", "Shift_JIS"):
        assert tried in f.error
    assert f.items == []


# 8 -----------------------------------------------------------------------------------------


def test_class08_grouped_cards_are_cards_and_an_agent_does_not_swallow_its_parent() -> None:
    """home.BEGIN:VCARD is a card; AGENT's nested card stays in Barbara's, who keeps her
    email after it; the next card is read too."""
    r = vcards("c08_card_structure.vcf")
    assert r.skipped == []
    greta, barbara, after = r.records
    assert (greta.line, greta.person.display_name) == (1, "Grouped Greta")
    assert [e.address for e in greta.person.emails] == ["greta@example.se"]
    assert barbara.person.display_name == "Barbara Boss"
    assert [e.address for e in barbara.person.emails] == ["barbara@boss.example"]
    assert phones(barbara) == [("+12135551234", True)]
    assert barbara.warnings == ["agent 'Fred Friday' (a card nested in this one) not kept"]
    assert after.person.display_name == "After Agent"


# 9 -----------------------------------------------------------------------------------------


def test_class09_semicolon_and_tab_files_are_sniffed() -> None:
    """A semicolon Outlook file and a tab Google file are recognised by their header."""
    semi = table("c09_semicolon.csv", "NL")
    assert semi.format == "outlook.com"
    (jan,) = semi.records
    assert (jan.person.display_name, jan.person.org, jan.person.note) == (
        "Jan Jansen",
        "Jansen BV",
        "Koffie, geen thee",
    )
    assert phones(jan) == [("+31612345678", True)]
    tab = table("c09_tab.csv")
    assert tab.format == "google"
    assert tab.records[0].person.org == "Patel & Sons, Ltd"


def test_class09_a_file_without_a_header_asks_for_a_mapping_and_keeps_its_first_person() -> None:
    """The first row is not taken for a header: a mapping by column number imports both."""
    with pytest.raises(NeedsMapping) as err:
        table("c09_no_header.csv")
    assert err.value.headers == ["Column 1", "Column 2", "Column 3", "Column 4"]
    assert err.value.header_line == 0
    assert err.value.samples == ["Kofi", "Mensah", "kofi@mensah.example", "+233 24 123 4567"]
    mapping = {
        "Column 1": "given_name",
        "Column 2": "family_name",
        "Column 3": "email",
        "Column 4": "phone",
    }
    kofi, ama = table("c09_no_header.csv", "GH", mapping).records
    assert (kofi.line, kofi.person.display_name) == (1, "Kofi Mensah")
    assert (ama.line, ama.person.display_name) == (2, "Ama Owusu")


# 10 ----------------------------------------------------------------------------------------


def test_class10_an_email_in_display_name_form_keeps_its_address() -> None:
    """ "Omega" <omega@example.com> and Alpha Jones <alpha@…> keep the address."""
    omega, alpha = table("c10_display_name_email.csv").records
    assert [e.address for e in omega.person.emails] == ["omega@example.com"]
    assert [e.address for e in alpha.person.emails] == ["alpha@example.com"]
    assert omega.warnings == alpha.warnings == []


# 11 ----------------------------------------------------------------------------------------


def test_class11_organisation_cards_are_organisations() -> None:
    """KIND:org and X-ABShowAs:COMPANY without a person are organisations named after the
    organisation with no given name; a company card naming a person is that person."""
    venue, chamber, amara = vcards("c11_organisations.vcf").records
    for rec, name in ((venue, "Harbour Venue Ltd"), (chamber, "Chamber of Commerce")):
        p = rec.person
        assert (p.kind, p.display_name, p.org, p.given_name, p.family_name) == (
            ContactKind.ORGANISATION,
            name,
            name,
            "",
            "",
        )
    a = amara.person
    assert (a.kind, a.display_name, a.given_name, a.family_name, a.org) == (
        ContactKind.PERSON,
        "Amara Okafor",
        "Amara",
        "Okafor",
        "Okafor Supplies",
    )
    assert amara.warnings == []


def test_class11_a_csv_row_with_only_a_company_is_an_organisation(store: Store) -> None:
    """No given name from the email: stored as an organisation, shown under its name."""
    import_files(store, [SPEC / "c11_organisations.csv"])
    (row,) = store.db.query("SELECT id FROM people")
    p = store.people.get(row["id"])
    assert (p.kind, p.display_name, p.given_name, p.family_name) == (
        ContactKind.ORGANISATION,
        "Print Shop Ltd",
        "",
        "",
    )
    assert [e.address for e in p.emails] == ["orders@printshop.example"]


def test_class11_organisations_export_as_organisation_cards(store: Store) -> None:
    """An organisation is written KIND:org (4.0) / X-ABShowAs:COMPANY (3.0) and reads back
    as an organisation."""
    org = Person(display_name="Harbour Venue Ltd", org="Harbour Venue Ltd", kind="organisation")  # type: ignore[arg-type]  # a StrEnum value
    for version, marker in (("4.0", "KIND:org"), ("3.0", "X-ABShowAs:COMPANY")):
        text = write_vcards([org], version)
        assert marker in text.splitlines()
        (back,) = parse_vcards(text.encode(), "o.vcf", "US").records
        assert (back.person.kind, back.person.display_name, back.person.given_name) == (
            ContactKind.ORGANISATION,
            "Harbour Venue Ltd",
            "",
        )


# 12 ----------------------------------------------------------------------------------------


def test_class12_vcard_dates_as_address_books_write_them() -> None:
    """1991-01-20, 19910120 and --0120 are read; a text date is reported, not guessed."""
    dash, basic, no_year, text = vcards("c12_dates.vcf").records
    assert [r.person.birthday for r in (dash, basic, no_year)] == [
        "1991-01-20",
        "1991-01-20",
        "--01-20",
    ]
    assert text.person.birthday == ""
    assert text.warnings == ["birthday 'circa 1800' dropped: not a date"]


def test_class12_the_files_other_dates_decide_the_order() -> None:
    """20/01/1991 shows the file writes the day first, so 05/03/1980 is 5 March."""
    first, second = table("c12_dates_order.csv").records
    assert (first.person.birthday, second.person.birthday) == ("1991-01-20", "1980-03-05")


def test_class12_an_ambiguous_date_is_reported_not_guessed() -> None:
    """05/03/1980 with nothing to say which is the day is dropped with a reason; 05/05 is
    the same either way."""
    could, sure = table("c12_dates_ambiguous.csv").records
    assert could.person.birthday == ""
    assert could.warnings == [
        "birthday dropped: '05/03/1980' could be 5 March or 3 May, "
        "and no other date in the file shows which comes first"
    ]
    assert sure.person.birthday == "1980-05-05"


def test_class12_an_absurd_birthday_is_reported_and_apples_no_year_is_read() -> None:
    """A birthday in the future or before 1900 is reported, not stored; Apple writes a
    birthday without a year as 1604 with X-APPLE-OMIT-YEAR, which is --MM-DD."""
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{}\r\nBDAY{}\r\nEND:VCARD\r\n"
    data = "".join(
        card.format(name, bday)
        for name, bday in (
            ("Future", ":2991-01-20"),
            ("Ancient", ":1066-10-14"),
            ("Apple", ";X-APPLE-OMIT-YEAR=1604:1604-01-20"),
        )
    ).encode()
    future, ancient, apple = parse_vcards(data, "d.vcf", "US").records
    assert (future.person.birthday, future.warnings) == (
        "",
        ["birthday '2991-01-20' dropped: it is in the future"],
    )
    assert (ancient.person.birthday, ancient.warnings) == (
        "",
        ["birthday '1066-10-14' dropped: a year before 1900"],
    )
    assert (apple.person.birthday, apple.warnings) == ("--01-20", [])


# 13 ----------------------------------------------------------------------------------------


def test_class13_every_field_not_kept_is_reported_with_its_line_in_json_and_text(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`import --dry-run --json` and the text output list each value a record lost."""
    path = str(SPEC / "c13_dropped.vcf")
    assert main(["--db", str(db_path), "import", path, "--dry-run", "--json"]) == 0
    (f,) = json.loads(capsys.readouterr().out)["files"]
    assert f["warnings"] == [
        {
            "line": 1,
            "name": "Kept Karl",
            "message": "email 'karl@@example.com' dropped: not a valid address",
        },
        {
            "line": 1,
            "name": "Kept Karl",
            "message": "birthday 'sometime in May' dropped: not a date",
        },
        {
            "line": 1,
            "name": "Kept Karl",
            "message": "photo dropped: its bytes are not an image netapp can show",
        },
        {
            "line": 1,
            "name": "Kept Karl",
            "message": "not kept (netapp has no field for it): nickname, address",
        },
        {
            "line": 11,
            "name": "Linked Lena",
            "message": "photo not kept: it is a link, and netapp does not fetch links",
        },
    ]
    assert main(["--db", str(db_path), "import", path, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "  line 1: Kept Karl: email 'karl@@example.com' dropped: not a valid address" in out
    assert "  line 11: Linked Lena: photo not kept" in out


# Round trips -------------------------------------------------------------------------------


def _everyone(store: Store) -> list[Person]:
    return [store.people.get(r["id"]) for r in store.db.query("SELECT id FROM people ORDER BY id")]


def _round_trip_people(store: Store) -> None:
    store.people.add(Person(display_name="Nobody Reachable", note="met once, no details"))
    store.people.add(Person(display_name="Ann Lee", emails=[Email("ann@corp.local", "work")]))
    store.people.add(
        Person(
            display_name="Typed Phone",
            phones=[Phone("0311111111", "work", False), Phone("+14186569254;ext=102")],
        ),
        phone_region="US",
    )
    store.people.add(
        Person(
            display_name="Harbour Venue Ltd", org="Harbour Venue Ltd", kind=ContactKind.ORGANISATION
        )
    )
    store.people.add(
        Person(
            display_name="Pic Person",
            photo=PNG_HEAD + b"\x00\x00\x00\rIHDR",
            photo_type="image/png",
            birthday="--02-29",
        )
    )


def test_reimporting_our_own_vcard_export_changes_nothing(store: Store, tmp_path: Path) -> None:
    """The UID netapp writes is honoured: people without email or phone are not duplicated
    and nobody's record is touched."""
    _round_trip_people(store)
    before = _everyone(store)
    for version in ("4.0", "3.0"):
        path = tmp_path / f"all-{version}.vcf"
        path.write_text(write_vcards(before, version), encoding="utf-8")
        plan = import_files(store, [path], region="US")
        (f,) = plan.files
        assert (f.imported, f.merged, f.unchanged) == (0, 0, len(before)), version
        assert f.warnings() == [
            {
                "line": f.items[2].line,
                "name": "Typed Phone",
                "message": "phone '0311111111' kept as typed, not normalised: "
                "its country is not certain",
            }
        ]
        assert _everyone(store) == before


def test_our_csv_export_imports_back_without_a_mapping(store: Store, tmp_path: Path) -> None:
    """The people CSV is recognised and gives back the same fields (photos aside), the
    formula guard taken off exactly: +44…, =…, -… and '… come back as they were."""
    _round_trip_people(store)
    store.people.add(
        Person(
            display_name="'Quoted Name",
            org="=HYPERLINK(1)",
            title="-1 Manager",
            phones=[Phone("+442079460018", "mobile")],
            emails=[Email("=ann@example.com")],
            tags=["a, b", "c"],
            note="+ plus first\nsecond line",
            links=["https://www.linkedin.com/in/x", "https://x.example"],
        )
    )
    people = sorted(_everyone(store), key=lambda p: p.uuid)
    path = tmp_path / "people.csv"
    path.write_text(to_csv(store), encoding="utf-8")
    cells = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert any(c.startswith("'+44") for row in cells for c in row)  # guarded for spreadsheets
    with Store(tmp_path / "other.db") as other:
        (f,) = import_files(other, [path], region="US").files
        assert (f.error, f.format, f.imported) == (None, "netapp", len(people))
        back = sorted(_everyone(other), key=lambda p: p.uuid)
    for a, b in zip(people, back, strict=True):
        for name in ("uuid", "kind", "display_name", "given_name", "family_name", "org", "title"):
            assert getattr(b, name) == getattr(a, name), name
        for name in ("emails", "phones", "links", "tags", "note", "birthday"):
            assert [str(x) for x in getattr(b, name)] == [str(x) for x in getattr(a, name)]
    quoted = next(p for p in back if p.display_name == "'Quoted Name")
    assert [p.number for p in quoted.phones] == ["+442079460018"]
    assert (quoted.org, quoted.title) == ("=HYPERLINK(1)", "-1 Manager")


def test_reimporting_our_csv_export_into_the_same_database_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    """The UID column makes each row its own person again: nothing new, nothing merged."""
    _round_trip_people(store)
    before = [p for p in _everyone(store)]
    path = tmp_path / "people.csv"
    path.write_text(to_csv(store), encoding="utf-8")
    (f,) = import_files(store, [path], region="US").files
    assert (f.imported, f.merged, f.unchanged) == (0, 0, len(before))
    assert _everyone(store) == before


def test_the_optins_export_leaves_an_address_as_it_is(store: Store) -> None:
    """Mailchimp reads the file literally: =ann@… stays =ann@…; other cells are guarded."""
    from netapp.domain import Consent, ConsentMethod

    pid = store.people.add(
        Person(display_name="=Eq Name", given_name="=Eq", emails=[Email("=ann@example.com")])
    )
    store.consents.add(
        Consent(
            person_id=pid,
            email="=ann@example.com",
            method=ConsentMethod.VERBAL,
            obtained_at="2026-01-05T10:00:00+00:00",
        )
    )
    (row,) = list(csv.reader(io.StringIO(to_optins(store))))[1:]
    assert row[0] == "=ann@example.com"
    assert row[1] == "'=Eq"


def test_photos_keep_the_media_type_their_bytes_show() -> None:
    """PHOTO;TYPE=HOME and a PNG declared as JPEG are both stored as image/png."""
    home, wrong = vcards("photo_type_home.vcf").records
    for rec in (home, wrong):
        assert rec.person.photo is not None and rec.person.photo.startswith(PNG_HEAD)
        assert rec.person.photo_type == "image/png"


def test_a_refused_file_names_itself() -> None:
    """ImportFileError carries the file name for every refusal the reader makes."""
    with pytest.raises(ImportFileError, match="c07_undecodable.csv"):
        table("c07_undecodable.csv")


def test_class11_an_unnamed_kind_org_card_is_named_like_any_card(tmp_path: Path) -> None:
    """A KIND:org card with neither FN nor ORG takes the name beside its address, its address,
    then its phone; with none of them it alone is skipped, naming its line."""
    path = tmp_path / "orgs.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nEMAIL:info@venue.example\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nTEL:+44 20 7946 0018\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nNOTE:nothing to name it by\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Amara Okafor\r\nEND:VCARD\r\n"
    )
    parsed = parse_vcards(path.read_bytes(), str(path), "GB")
    assert [(r.person.kind, r.person.display_name) for r in parsed.records] == [
        (ContactKind.ORGANISATION, "info@venue.example"),
        (ContactKind.ORGANISATION, "+442079460018"),
        (ContactKind.PERSON, "Amara Okafor"),
    ]
    (skip,) = parsed.skipped
    assert skip.line == 11 and "name" in skip.reason
