"""Organisations in People, and phones kept exactly as typed when their country is not certain."""

from __future__ import annotations

import re

import pytest

from netapp.domain import ContactKind, Email, Person, Phone
from netapp.errors import ValidationError
from netapp.store import Store


def test_an_organisation_is_stored_with_its_name_and_no_invented_given_name(store: Store) -> None:
    """An organisation's display name is the organisation; no given or family name is made up."""
    pid = store.people.add(
        Person(
            org="Harbour Venue Ltd",
            kind=ContactKind.ORGANISATION,
            emails=[Email("events@harbour.example")],
        )
    )
    p = store.people.get(pid)
    assert (p.kind, p.display_name, p.given_name, p.family_name) == (
        ContactKind.ORGANISATION,
        "Harbour Venue Ltd",
        "",
        "",
    )
    assert store.people.get(store.people.add(Person(display_name="Ann Lee"))).kind == "person"


def test_an_email_standing_in_for_a_name_is_not_split_into_a_given_name(store: Store) -> None:
    """A contact known only by an address keeps it as its name, not as a given name."""
    pid = store.people.add(Person(display_name="ann@corp.local", emails=[Email("ann@corp.local")]))
    p = store.people.get(pid)
    assert (p.given_name, p.family_name) == ("", "")


def test_an_unknown_kind_is_refused_at_the_field(store: Store) -> None:
    """kind must be one of ContactKind; anything else names the field and writes nothing."""
    with pytest.raises(ValidationError) as err:
        store.people.add(Person(display_name="X", kind="robot"))  # type: ignore[arg-type]  # bad input on purpose
    assert err.value.field == "kind"
    assert store.people.count() == 0


def test_the_kind_check_in_the_schema_lists_exactly_the_enum(store: Store) -> None:
    """The people.kind CHECK list and ContactKind hold the same words."""
    sql = store.db.scalar("SELECT sql FROM sqlite_master WHERE name = 'people'")
    found = re.search(r"kind IN \(([^)]*)\)", sql)
    assert found is not None
    assert {w.strip(" '") for w in found[1].split(",")} == {k.value for k in ContactKind}


def test_a_number_kept_as_typed_survives_later_edits(store: Store) -> None:
    """A not-normalised number is not re-read in the app's region when something else changes."""
    store.settings.set("phone.region", "US")
    pid = store.people.add(
        Person(display_name="Ana Silva", phones=[Phone("(212) 736-5000", "work", False)]),
        phone_region="GB",
    )
    assert [(x.number, x.valid) for x in store.people.get(pid).phones] == [
        ("(212) 736-5000", False)
    ]
    store.people.update(pid, note="met in Lisbon")
    p = store.people.update(pid, phones=[*store.people.get(pid).phones, "+351 21 123 4567"])
    assert [(x.number, x.valid) for x in p.phones] == [
        ("(212) 736-5000", False),
        ("+351211234567", True),
    ]


def test_a_phone_with_an_extension_is_stored_whole(store: Store) -> None:
    """E.164 with ;ext= is the stored normalised form; the extension is never lost."""
    pid = store.people.add(
        Person(display_name="Desk", phones=[Phone("+1 418 656 9254 x102", valid=False)])
    )
    assert [(x.number, x.valid) for x in store.people.get(pid).phones] == [
        ("+14186569254;ext=102", True)
    ]
