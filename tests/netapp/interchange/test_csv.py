"""CSV layouts: LinkedIn, Google, Outlook.com, Outlook desktop, UTF-16, and column mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from netapp.interchange.csvformats import parse_csv, parse_csv_date
from netapp.interchange.records import NeedsMapping


def read(fixtures: Path, name: str, region: str = "US", mapping: dict[str, str] | None = None):
    return parse_csv((fixtures / name).read_bytes(), name, region, mapping)


def test_linkedin_preamble_dates_and_profile_urls(fixtures: Path) -> None:
    """The "Notes:" preamble is passed over; lines count from the top of the file."""
    r = read(fixtures, "linkedin_connections.csv")
    assert r.format == "linkedin"
    a, b = r.records
    assert a.line == 5 and b.line == 6
    assert (a.person.display_name, a.person.org, a.person.title) == (
        "Priya Patel",
        "Patel & Sons, Ltd",
        "Director",
    )
    assert [e.address for e in a.person.emails] == ["priya@patel.example"]
    assert a.person.links == ["https://www.linkedin.com/in/priya-patel-123"]
    assert a.linkedin == "linkedin.com/in/priya-patel-123"
    assert a.person.note == "LinkedIn connection since 2024-11-05"
    assert (b.person.display_name, b.person.title) == ("Tom O'Neil", 'Head of "Growth"')
    assert b.person.emails == []
    assert b.person.note == "LinkedIn connection since 2023-01-17"


def test_google_multi_values_labels_and_yearless_birthday(fixtures: Path) -> None:
    """' ::: ' separated emails/phones/labels, BOM, repeating groups, system labels dropped."""
    r = read(fixtures, "google_contacts.csv", "ES")
    assert r.format == "google"
    a, b = r.records
    p = a.person
    assert (p.display_name, p.given_name, p.family_name) == (
        "Ana María García",
        "Ana María",
        "García",
    )
    assert (p.org, p.title) == ("Soluciones Ibéricas", "CEO")
    assert [(e.address, e.label) for e in p.emails] == [
        ("ana@iberica.example", "work"),
        ("ana.garcia@home.example", "work"),
        ("ana@home.example", "home"),
    ]
    assert [(x.number, x.label) for x in p.phones] == [
        ("+34612345678", "mobile"),
        ("+34911234567", "mobile"),
        ("+34917654321", "work"),
    ]
    assert p.birthday == "1980-04-15"
    assert p.note == "Met at chamber lunch\nWants intro to a lawyer"
    assert p.tags == ["chamber", "vip"]
    assert p.links == ["https://www.linkedin.com/in/ana-garcia"]
    assert b.line == 4
    assert b.person.display_name == "Lee"
    assert b.person.birthday == "--06-01"
    # A UK mobile number is not a Spanish number: kept as typed and flagged.
    assert [(x.number, x.label, x.valid) for x in b.person.phones] == [
        ("07700 900123", "mobile", False)
    ]


def test_outlook_com_layout(fixtures: Path) -> None:
    """Outlook.com's header is recognised; quoted notes are read; a birthday such as 12/9/1906
    (9 December or 12 September, and no other date in the file says which) is reported."""
    r = read(fixtures, "outlook_com.csv")
    assert r.format == "outlook.com"
    (a,) = r.records
    p = a.person
    assert (p.display_name, p.org, p.department, p.title) == (
        "Grace Hopper",
        "US Navy",
        "Computing",
        "Rear Admiral",
    )
    assert [(x.number, x.label) for x in p.phones] == [
        ("+12025550199", "mobile"),
        ("+12025550143", "work"),
    ]
    assert p.birthday == ""
    assert a.warnings[0] == (
        "birthday dropped: '12/9/1906' could be 12 September or 9 December, "
        "and no other date in the file shows which comes first"
    )
    assert p.note == 'Invented the compiler, "debugging"'


def test_outlook_desktop_windows_1252(fixtures: Path) -> None:
    """The classic desktop layout in Windows-1252: accents survive, 0/0/00 means no birthday."""
    r = read(fixtures, "outlook_desktop.csv", "SE")
    assert r.format == "outlook"
    (a,) = r.records
    p = a.person
    assert (p.display_name, p.org, p.title) == ("Björn Ångström", "Nordisk Café", "Ägare")
    assert [e.address for e in p.emails] == ["bjorn@nordisk.example"]
    assert [(x.number, x.label) for x in p.phones] == [
        ("+46701234567", "mobile"),
        ("+46812345678", "work"),
    ]
    assert p.birthday == ""
    assert p.tags == ["fika", "networking"]
    assert p.note == "Prefers mornings"


def test_utf16_with_bom(fixtures: Path) -> None:
    """A UTF-16 file with BOM is decoded and imported."""
    r = read(fixtures, "utf16_google.csv", "DK")
    (a,) = r.records
    assert (a.person.display_name, a.person.org) == ("Zoë Ørsted", "Vind A/S")
    assert [x.number for x in a.person.phones] == ["+4533123456"]
    assert a.person.tags == ["energy"]


def test_unknown_layout_needs_a_mapping_then_imports(fixtures: Path) -> None:
    """An unknown header asks for a mapping (listing the columns); with one it imports."""
    with pytest.raises(NeedsMapping) as err:
        read(fixtures, "generic.csv")
    assert err.value.headers == ["Full Name", "Mail", "Company", "Mobile"]
    mapping = {"Full Name": "display_name", "Mail": "email", "Company": "org", "Mobile": "phone"}
    (a,) = read(fixtures, "generic.csv", "GH", mapping).records
    assert (a.person.display_name, a.person.org) == ("Kofi Mensah", "Mensah Trading")
    assert [e.address for e in a.person.emails] == ["kofi@mensah.example"]
    assert [x.number for x in a.person.phones] == ["+233241234567"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("05 Nov 2024", "2024-11-05"),
        ("4/15/1980", "1980-04-15"),
        ("0/0/00", ""),
        ("--06-01", "--06-01"),
        ("1980-04-15", "1980-04-15"),
    ],
)
def test_csv_dates(text: str, iso: str) -> None:
    """LinkedIn, Outlook and Google date spellings become ISO dates."""
    assert parse_csv_date(text) == iso
