"""Vocabularies are types: one StrEnum each, held equal to the schema's CHECK lists."""

from __future__ import annotations

import re
from enum import StrEnum

import pytest

from netapp.domain import (
    AttendanceRole,
    CardKind,
    ConsentMethod,
    ContactKind,
    Kind,
    LibraryKind,
    Outcome,
    Recurrence,
    ReferralStatus,
    parse_enum,
)
from netapp.errors import ValidationError
from netapp.store import Store

# (table, column) -> the vocabulary its CHECK (column IN (...)) must list.
CHECKED: dict[tuple[str, str], type[StrEnum]] = {
    ("groups", "recurrence"): Recurrence,
    ("library_items", "kind"): LibraryKind,
    ("referrals", "status"): ReferralStatus,
    ("interactions", "kind"): Kind,
    ("interactions", "outcome"): Outcome,
    ("consents", "method"): ConsentMethod,
    ("card_batches", "kind"): CardKind,
    ("people", "kind"): ContactKind,
    ("attendance", "role"): AttendanceRole,
}
_IN_LIST = re.compile(r"(\w+)\s+IN\s*\(([^()]*)\)", re.IGNORECASE)


def _check_lists(store: Store) -> dict[tuple[str, str], list[str]]:
    """Every ``column IN ('a', 'b', …)`` in the tables' SQL, as SQLite holds it after every
    migration (ALTER TABLE … ADD COLUMN rewrites the stored CREATE TABLE)."""
    found: dict[tuple[str, str], list[str]] = {}
    for table, sql in store.db.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%CHECK%'"
    ):
        for column, body in _IN_LIST.findall(sql):
            words = re.findall(r"'([^']*)'", body)
            if words:
                found[(table, column)] = words
    return found


def test_every_check_list_in_the_schema_is_its_enum(store: Store) -> None:
    """Each CHECK (… IN (…)) of the migrated schema lists exactly its enum's values, in order."""
    found = _check_lists(store)
    assert set(found) == set(CHECKED), "a CHECK list without an enum, or an enum without one"
    for key, enum in CHECKED.items():
        assert found[key] == [m.value for m in enum], key


def test_parse_enum_names_the_field_and_lists_the_values() -> None:
    """Bad input gets one line naming the field and every allowed value."""
    with pytest.raises(ValidationError) as caught:
        parse_enum(Recurrence, "yearly", "recurrence")
    assert caught.value.field == "recurrence"
    assert str(caught.value) == (
        "recurrence: 'yearly' is not one of none, weekly, fortnightly, monthly"
    )
    with pytest.raises(ValidationError, match="'None' is not|None is not"):
        parse_enum(Outcome, None, "outcome")


def test_parse_enum_takes_a_value_as_people_type_it() -> None:
    """The value itself, a member, other case or blanks around it all parse."""
    assert parse_enum(Kind, "one-to-one", "kind") is Kind.ONE_TO_ONE
    assert parse_enum(Kind, Kind.CALL, "kind") is Kind.CALL
    assert parse_enum(ReferralStatus, "  Won ", "status") is ReferralStatus.WON
