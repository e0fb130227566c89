"""Field rules shared by the store and the importers: phones, emails."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netapp import fields as F
from netapp.errors import ValidationError


@pytest.mark.parametrize(
    ("typed", "region", "implied", "number", "valid"),
    [
        ("0311111111", "US", (), "0311111111", False),  # not a US number: no +1 invented
        ("555-1234", "US", (), "555-1234", False),  # a local number without an area code
        ("(415) 555-2671", "US", (), "+14155552671", True),  # valid for the import's region
        ("030 1234567", "US", ("DE",), "+49301234567", True),  # valid for the card's region
        ("030 1234567", "US", (), "030 1234567", False),
        ("+44 20 7946 0018", "US", (), "+442079460018", True),  # the country is written
        ("0049 30 1234567", "US", (), "+49301234567", True),  # 00 is an international prefix
        ("tel:+1-418-656-9254;ext=102", "US", (), "+14186569254;ext=102", True),
        ("+1 418 656 9254 x102", "GB", (), "+14186569254;ext=102", True),
        ("(415) 555-2671 ext. 7", "US", (), "+14155552671;ext=7", True),
        ("ask reception", "US", (), "ask reception", False),
    ],
)
def test_a_phone_is_normalised_only_when_its_country_is_certain(
    typed: str, region: str, implied: tuple[str, ...], number: str, valid: bool
) -> None:
    """E.164 (extension kept) with a +/00 prefix or a valid national number; else as typed."""
    phone = F.normalize_phone(typed, region, "work", implied)
    assert (phone.number, phone.valid, phone.label) == (number, valid, "work")


@given(st.text(alphabet="0123456789 -()", min_size=1, max_size=20))
def test_a_national_number_never_gets_a_country_it_is_not_valid_for(typed: str) -> None:
    """A number without + or 00 becomes E.164 only when it is a valid number of the region."""
    import phonenumbers

    if not typed.strip():
        return
    phone = F.normalize_phone(typed, "US")
    if phone.valid:
        assert F.is_e164(phone.number)
        if not typed.lstrip(" (").startswith("00"):
            assert phonenumbers.is_valid_number(phonenumbers.parse(phone.number, None))
            assert phone.number.startswith("+1")
    else:
        assert phone.number == F.clean_text("phone", typed)


@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("ann@example.invalid", "ann@example.invalid"),
        ("ann@corp.local", "ann@corp.local"),
        ("Ann@Corp.LOCAL", "Ann@corp.local"),
        ("bob@printer.localhost", "bob@printer.localhost"),
        ('"Omega" <omega@example.com>', "omega@example.com"),
        ("Omega Ltd <omega@example.com>", "omega@example.com"),
        ("mailto:ann@example.org", "ann@example.org"),
        ("=ann@example.com", "=ann@example.com"),
    ],
)
def test_every_syntactically_valid_address_is_kept(typed: str, address: str) -> None:
    """Special-use domains and the display-name form keep their address."""
    assert F.validate_email(typed) == address


@pytest.mark.parametrize("typed", ["ann", "ann@", "a b@corp.local", "x@@corp.local", "a@b..local"])
def test_a_malformed_address_is_refused_naming_it(typed: str) -> None:
    """A syntax error is a ValidationError on the email field that quotes the text."""
    with pytest.raises(ValidationError) as err:
        F.validate_email(typed)
    assert err.value.field == "email"


def test_a_message_that_reads_on_from_its_field_follows_the_name() -> None:
    """A bound ("must be at most …") or "is …" message follows its field's name; any other
    message follows the name and a colon, so every error line names its field."""
    from netapp.errors import ValidationError, with_name

    assert str(ValidationError("value", "must be at most 10")) == "value must be at most 10"
    assert str(ValidationError("email", "is empty")) == "email is empty"
    assert str(ValidationError("value", "'x' is not an amount")) == "value: 'x' is not an amount"
    assert with_name("Reminder lead time", "must be at least 1") == (
        "Reminder lead time must be at least 1"
    )
