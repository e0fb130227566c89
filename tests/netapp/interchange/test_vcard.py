"""vCard reading (every quirk in the fixtures) and writing."""

from __future__ import annotations

import base64
from pathlib import Path

from netapp.domain import Email, Person, Phone
from netapp.interchange.records import Parsed
from netapp.interchange.vcard import fold, parse_vcards, person_to_vcard, unescape

PNG_HEAD = b"\x89PNG\r\n\x1a\n"


def parse(fixtures: Path, name: str, region: str = "US") -> Parsed:
    return parse_vcards((fixtures / name).read_bytes(), name, region)


def test_android_21_qp_soft_break_inside_multibyte_char(fixtures: Path) -> None:
    """A QP soft break between the two bytes of 'ü', bare TYPEs, QP note and photo all read."""
    r = parse(fixtures, "android_21.vcf", "DE")
    assert r.skipped == []
    (rec,) = r.records
    p = rec.person
    assert (p.display_name, p.given_name, p.family_name) == ("Jörg Müller", "Jörg", "Müller")
    assert [(x.number, x.label, x.valid) for x in p.phones] == [
        ("+49301234567", "mobile", True),
        ("+49307654321", "work", True),
    ]
    assert [(e.address, e.label) for e in p.emails] == [("joerg@example.de", "home")]
    assert p.note == "Met at the Frühstück club\nLikes cycling"
    assert p.birthday == "1975-02-28"
    assert p.photo is not None and p.photo.startswith(PNG_HEAD)
    assert p.photo_type == "image/png"


def test_windows_1252_with_and_without_charset(fixtures: Path) -> None:
    """CHARSET=Windows-1252 and undeclared cp1252 bytes both decode; ORG splits department."""
    r = parse(fixtures, "outlook_cp1252.vcf", "FR")
    a, b = r.records
    assert a.person.display_name == "Françoise Renée"
    assert (a.person.given_name, a.person.family_name) == ("Françoise", "Renée")
    assert (a.person.org, a.person.department, a.person.title) == (
        "Café Crème",
        "Ventes",
        "Gérante",
    )
    assert [x.number for x in a.person.phones] == ["+33142685300"]
    assert [e.address for e in a.person.emails] == ["francoise@cafe.example"]
    assert b.person.display_name == "Søren Smørrebrød"
    assert b.person.note == "\u201cQuoted\u201d \u2013 dash"


def test_apple_30_groups_labels_escapes_and_skipped_cards(fixtures: Path) -> None:
    """item groups + X-ABLabel, escapes, https\\://, omit-year birthday, folded UTF-8; a group
    card skipped with its reason, a company card imported as an organisation."""
    r = parse(fixtures, "apple_30.vcf", "IE")
    rec, company = r.records
    assert (company.person.kind, company.person.display_name, company.person.given_name) == (
        "organisation",
        "Acme Plumbing Ltd",
        "",
    )
    p = rec.person
    assert p.display_name == "Siobhán O'Brien"
    assert (p.given_name, p.family_name) == ("Siobhán", "O'Brien")
    assert p.org == "Smith, Jones & Co"
    assert [(e.address, e.label) for e in p.emails] == [("siobhan@sj.example", "Consulting")]
    assert [(x.number, x.label) for x in p.phones] == [("+35312345678", "mobile")]
    assert p.website == "https://sj.example/team"
    assert p.links == ["https://www.linkedin.com/in/siobhan-obrien"]
    assert rec.linkedin == "linkedin.com/in/siobhan-obrien"
    assert p.note == "Line one\nLine two, with comma; semicolon \\ backslash"
    assert p.birthday == "--03-17"
    assert p.tags == ["breakfast club", "referral partner"]
    assert p.photo is not None and p.photo.startswith(PNG_HEAD)
    assert [(s.line, s.reason) for s in r.skipped] == [(20, "a contact group, not a person")]


def test_vcard_40_uri_phones_yearless_birthdays_and_inert_names(fixtures: Path) -> None:
    """TEL;VALUE=uri, --MMDD and --MM-DD, data: photo, KIND cards; markup stays literal text."""
    r = parse(fixtures, "nextcloud_40.vcf", "US")
    a, org, b = r.records
    assert (org.person.kind, org.person.display_name, org.person.org) == (
        "organisation",
        "ACME Inc.",
        "ACME Inc.",
    )
    assert a.person.display_name == "<script>alert(1)</script>"
    assert a.person.org == '=HYPERLINK("http://evil.example","click")'
    assert [(x.number, x.label) for x in a.person.phones] == [
        ("+15555550100", "mobile"),
        ("+15555550101;ext=12", "work"),
    ]
    assert a.person.birthday == "--04-15"
    assert a.person.photo is not None and a.person.photo_type == "image/png"
    assert b.person.display_name == "Mei Chen"
    assert b.person.birthday == "--12-31"
    assert [(x.number, x.valid) for x in b.person.phones] == [("not a number", False)]
    assert b.person.emails == []
    assert b.warnings == [
        "email 'not-an-address' dropped: not a valid address",
        "phone 'not a number' kept as typed, not normalised: its country is not certain",
    ]
    assert [(s.line, s.reason) for s in r.skipped] == [(18, "a contact group, not a person")]


def test_unescape_keeps_unknown_escapes() -> None:
    """Known escapes are undone; a backslash before another character is kept as typed."""
    assert unescape(r"a\nb\,c\;d\\e\:f\xg") == "a\nb,c;d\\e:f\\xg"


def test_fold_never_splits_a_utf8_character() -> None:
    """Folded lines are at most 75 octets and each decodes on its own."""
    text = "NOTE:" + "ü€" * 60
    for physical in fold(text).split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
        physical.encode("utf-8").decode("utf-8")
    assert fold(text).replace("\r\n ", "").rstrip("\r\n") == text


def test_writer_round_trips_every_field_through_the_reader() -> None:
    """A person written as vCard 4.0 and 3.0 reads back with identical fields."""
    photo = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    person = Person(
        uuid="0b8c1f8e-1111-4222-8333-944455556666",
        display_name="Dr. Amara Okafor; MBA",
        given_name="Amara",
        family_name="Okafor",
        org="Okafor, Eze & Partners",
        department="Tax",
        title="Partner",
        emails=[Email("amara@okafor.example", "work"), Email("a.okafor@home.example", "Personal")],
        phones=[
            Phone("+442079460000", "mobile"),
            Phone("+442079460001", "Switchboard"),
            Phone("ask reception", "", valid=False),
        ],
        website="https://okafor.example",
        links=["https://www.linkedin.com/in/amara-okafor"],
        birthday="--02-29",
        note="Line 1\nLine 2; with, punctuation \\ and ü",
        tags=["bni", "tax"],
        photo=photo,
        photo_type="image/png",
    )
    for version in ("4.0", "3.0"):
        data = person_to_vcard(person, version).encode("utf-8")
        (rec,) = parse_vcards(data, "x.vcf", "GB").records
        back = rec.person
        for name in (
            "display_name",
            "given_name",
            "family_name",
            "org",
            "department",
            "title",
            "website",
            "links",
            "birthday",
            "note",
            "tags",
            "photo",
            "photo_type",
        ):
            assert getattr(back, name) == getattr(person, name), (version, name)
        assert back.emails == person.emails
        assert back.phones == person.phones


def test_a_nested_card_without_fn_is_reported_by_its_n() -> None:
    """vCard 2.1 lets a card have N and no FN: the AGENT warning still names the nested card."""
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Parent;Pat\r\nAGENT:\r\n"
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Child;Chris\r\nTEL:+1 555 0100\r\nEND:VCARD\r\n"
        b"EMAIL:pat@example.com\r\nEND:VCARD\r\n"
    )
    (rec,) = parse_vcards(data, "a.vcf", "US").records
    assert rec.person.display_name == "Pat Parent"
    assert rec.warnings == ["agent 'Chris Child' (a card nested in this one) not kept"]
