"""The date rules live in the core, so the app, the command line and imports all apply them:
what happened is not in the future, a meeting ahead is planned (at most two years out), and a
birthday lies between 1900 and today."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from netapp import fields as F
from netapp.capture import CaptureMeeting, CaptureRow, save_capture
from netapp.cli import main
from netapp.domain import Interaction, Kind, Person, Referral
from netapp.errors import ValidationError
from netapp.store import Store

TODAY = date(2026, 11, 19)


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        ("2026-11-19", True),
        ("2026-11-20", False),
        ("1900-01-01", True),
        ("1899-12-31", False),
        ("9999-12-31", False),
    ],
)
def test_happened_is_between_1900_and_today(day: str, ok: bool) -> None:
    """A date of something that happened is accepted from 1900 to today, refused outside."""
    if ok:
        assert F.happened("date", day, TODAY) == day
    else:
        with pytest.raises(ValidationError) as e:
            F.happened("date", day, TODAY)
        assert e.value.field == "date" and day in e.value.message


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("1900-01-01", True),
        ("1985-04-02", True),
        ("--02-29", True),
        ("1800-05-01", False),
        ("9999-01-01", False),
        ("2026-11-20", False),
    ],
)
def test_birthday_between_1900_and_today(text: str, ok: bool) -> None:
    """Birthdays before 1900 or after today are refused naming the birthday field."""
    if ok:
        assert F.parse_birthday(text, TODAY) == text
    else:
        with pytest.raises(ValidationError, match="between 1900 and today") as e:
            F.parse_birthday(text, TODAY)
        assert e.value.field == "birthday"


def test_meeting_date_plans_ahead_up_to_two_years() -> None:
    """A meeting may be planned ahead (and is said to be planned), but not ten years out."""
    ahead = (TODAY + timedelta(days=30)).isoformat()
    assert F.meeting_date("date", ahead, TODAY) == ahead
    assert F.is_planned(ahead, TODAY) and not F.is_planned(TODAY.isoformat(), TODAY)
    with pytest.raises(ValidationError, match="two years"):
        F.meeting_date("date", "9999-12-31", TODAY)


def test_store_refuses_future_interactions_referrals_and_birthdays(store: Store) -> None:
    """The store (every writer's path) refuses a one-to-one in 9999, a referral in 2099 and a
    birthday in 1800, and writes nothing."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    with pytest.raises(ValidationError, match="in the future"):
        store.interactions.add(Interaction(person_id=pid, date="9999-12-31", kind=Kind.ONE_TO_ONE))
    with pytest.raises(ValidationError, match="in the future"):
        store.referrals.add(
            Referral(referrer_id=pid, prospect_name="Pat", prospect_agreed=True, date="2099-01-01")
        )
    with pytest.raises(ValidationError, match="between 1900"):
        store.people.add(Person(display_name="Old Tom", birthday="1800-01-01"))
    assert store.interactions.for_person(pid) == []
    assert store.people.count("") == 1


def test_capture_of_a_meeting_ahead_is_refused(store: Store) -> None:
    """A capture at a meeting dated next month is refused and writes no meeting and no person."""
    ahead = (date.today() + timedelta(days=30)).isoformat()
    with pytest.raises(ValidationError, match="in the future"):
        save_capture(store, CaptureMeeting(name="Breakfast", date=ahead), [CaptureRow(name="Ann")])
    planned = store.meetings.add("Lunch", ahead)
    with pytest.raises(ValidationError, match="planned, not held yet"):
        save_capture(store, planned, [CaptureRow(name="Ann")])
    assert store.people.count("") == 0


def test_cli_applies_the_same_rules(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    """netapp log with a date in 9999 and person add with a birthday in 1800 fail with one line."""
    assert main(["--db", str(db_path), "person", "add", "Ann Lee"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "log", "Ann Lee", "call", "--date", "9999-12-31"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "9999-12-31 is in the future" in err
    code = main(["--db", str(db_path), "person", "add", "Tom", "--birthday", "1800-01-01"])
    assert code == 1
    assert "between 1900 and today" in capsys.readouterr().err
