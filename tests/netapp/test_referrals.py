"""Referral flow rules: status transitions, won value, counting once, agreement, closing the loop."""

from __future__ import annotations

from datetime import date

import pytest

from netapp import referrals
from netapp.domain import Person, Referral
from netapp.errors import NotFoundError, ValidationError
from netapp.store import Store


def _people(store: Store, *names: str) -> list[int]:
    return [store.people.add(Person(display_name=n)) for n in names]


def _received(store: Store, referrer: int, prospect: str, day: str = "2026-03-01") -> int:
    return referrals.record(
        store,
        Referral(referrer_id=referrer, prospect_name=prospect, prospect_agreed=True, date=day),
    )


def test_won_credits_the_value_to_the_referrer(store: Store) -> None:
    """new → contacted → won stores the business value on the referral from the referrer."""
    (ann,) = _people(store, "Ann Lee")
    rid = _received(store, ann, "Bo Chen")
    referrals.set_status(store, rid, "contacted")
    referrals.set_status(store, rid, "won", 1500.0)
    row = store.db.query("SELECT status, value, referrer_id FROM referrals WHERE id = ?", [rid])[0]
    assert row == {"status": "won", "value": 1500.0, "referrer_id": ann}


def test_won_without_a_value_is_refused_and_nothing_changes(store: Store) -> None:
    """Marking won without the value of the business raises on the value field and keeps the row."""
    (ann,) = _people(store, "Ann Lee")
    rid = _received(store, ann, "Bo Chen")
    with pytest.raises(ValidationError) as err:
        referrals.set_status(store, rid, "won")
    assert err.value.field == "value"
    assert store.db.scalar("SELECT status FROM referrals WHERE id = ?", [rid]) == "new"


@pytest.mark.parametrize("bad", [0.0, -5.0, float("nan"), 1e13, "lots"])
def test_odd_values_are_refused(store: Store, bad: object) -> None:
    """Zero, negative, NaN, absurd or non-numeric values for won business are refused by field."""
    (ann,) = _people(store, "Ann Lee")
    rid = _received(store, ann, "Bo Chen")
    with pytest.raises(ValidationError) as err:
        referrals.set_status(store, rid, "won", bad)  # type: ignore[arg-type]
    assert err.value.field == "value"


def test_closed_referrals_do_not_move_and_contacted_does_not_go_back(store: Store) -> None:
    """won and lost are final; contacted cannot go back to new."""
    (ann,) = _people(store, "Ann Lee")
    won = _received(store, ann, "Bo Chen")
    referrals.set_status(store, won, "won", 100.0)
    for target in ("new", "contacted", "lost"):
        with pytest.raises(ValidationError):
            referrals.set_status(store, won, target)
    other = _received(store, ann, "Cy Dee")
    referrals.set_status(store, other, "contacted")
    with pytest.raises(ValidationError):
        referrals.set_status(store, other, "new")
    with pytest.raises(ValidationError):
        referrals.set_status(store, other, "contacted")


def test_restore_undoes_a_status_change(store: Store) -> None:
    """restore() puts status, value and update time back exactly as before."""
    (ann,) = _people(store, "Ann Lee")
    rid = _received(store, ann, "Bo Chen")
    before_row = store.db.query("SELECT * FROM referrals WHERE id = ?", [rid])[0]
    before = referrals.set_status(store, rid, "won", 900.0)
    referrals.restore(store, before)
    assert store.db.query("SELECT * FROM referrals WHERE id = ?", [rid])[0] == before_row


def test_a_referral_counts_once_for_the_first_introduction(store: Store) -> None:
    """A second introduction of the same prospect (any spelling of case/space) is refused."""
    ann, bob = _people(store, "Ann Lee", "Bob Ray")
    first = _received(store, ann, "Dana  Ellis", "2026-02-01")
    with pytest.raises(ValidationError) as err:
        _received(store, bob, "dana ellis", "2026-03-01")
    assert err.value.field == "referral"
    assert str(first) in err.value.message and "2026-02-01" in err.value.message
    assert store.db.scalar("SELECT count(*) FROM referrals") == 1


def test_the_same_prospect_may_go_to_different_providers(store: Store) -> None:
    """Introducing one prospect to two different people in your network counts for each."""
    ann, bob = _people(store, "Ann Lee", "Bob Ray")
    for provider in (ann, bob):
        referrals.record(
            store,
            Referral(
                provider_id=provider,
                prospect_name="Dana Ellis",
                prospect_agreed=True,
                date="2026-02-01",
            ),
        )
    assert store.db.scalar("SELECT count(*) FROM referrals") == 2


def test_prospect_must_agree_to_be_contacted(store: Store) -> None:
    """Without the prospect's agreement the referral is refused and nothing is written."""
    (ann,) = _people(store, "Ann Lee")
    with pytest.raises(ValidationError) as err:
        referrals.record(
            store, Referral(referrer_id=ann, prospect_name="Bo Chen", date="2026-03-01")
        )
    assert err.value.field == "prospect_agreed"
    assert store.db.scalar("SELECT count(*) FROM referrals") == 0
    assert store.db.scalar("SELECT count(*) FROM interactions") == 0


def test_agreement_is_recorded(store: Store) -> None:
    """The prospect's agreement to be contacted is stored on the referral."""
    (ann,) = _people(store, "Ann Lee")
    rid = _received(store, ann, "Bo Chen")
    assert store.db.scalar("SELECT prospect_agreed FROM referrals WHERE id = ?", [rid]) == 1


def test_unknown_people_and_referrals_are_named(store: Store) -> None:
    """A missing referrer or referral raises NotFoundError, not a database error."""
    with pytest.raises(NotFoundError):
        _received(store, 999, "Bo Chen")
    with pytest.raises(NotFoundError):
        referrals.set_status(store, 42, "contacted")


def test_closing_the_loop_lists_quiet_referrals_given(store: Store) -> None:
    """Open referrals you gave with no update for 14 days are listed; updated or closed ones not."""
    ann, bob, cy = _people(store, "Ann Lee", "Bob Ray", "Cy Dee")
    quiet = referrals.record(
        store,
        Referral(provider_id=ann, prospect_name="P One", prospect_agreed=True, date="2026-03-01"),
    )
    updated = referrals.record(
        store,
        Referral(provider_id=bob, prospect_name="P Two", prospect_agreed=True, date="2026-03-01"),
    )
    referrals.set_status(store, updated, "contacted", on=date(2026, 3, 25))
    closed = referrals.record(
        store,
        Referral(provider_id=cy, prospect_name="P Three", prospect_agreed=True, date="2026-03-01"),
    )
    referrals.set_status(store, closed, "lost", on=date(2026, 3, 2))
    _received(store, ann, "P Four", "2026-03-01")  # received, not given: not ours to chase
    items = referrals.closing_the_loop(store, date(2026, 4, 1))
    assert [i.referral_id for i in items] == [quiet]
    assert items[0].days_quiet == 31 and items[0].provider_name == "Ann Lee"
    later = referrals.closing_the_loop(store, date(2026, 4, 9))
    assert [i.referral_id for i in later] == [quiet, updated]


@pytest.mark.parametrize(
    ("typed", "value"),
    [("1500", 1500.0), ("1,500.50", 1500.5), ("€ 1 500", 1500.0), ("12,5", 12.5)],
)
def test_parse_value_reads_amounts_as_people_type_them(typed: str, value: float) -> None:
    """A won value typed with separators or a currency sign is read as the amount meant."""
    assert referrals.parse_value(typed) == value


@pytest.mark.parametrize("typed", ["", "  ", "lots", "0", "-3", "1,2,3"])
def test_parse_value_refuses_what_is_not_an_amount(typed: str) -> None:
    """Empty, unreadable and non-positive values are refused, naming the value field."""
    with pytest.raises(ValidationError) as exc:
        referrals.parse_value(typed)
    assert exc.value.field == "value"
