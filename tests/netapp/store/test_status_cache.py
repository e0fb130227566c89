"""The engine's cached status goes stale in the same transaction as the write, whoever writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from netapp import engine
from netapp.domain import Consent, Interaction, Kind, LibraryItem, Person, Referral
from netapp.store import Store

AS_OF = date(2026, 3, 2)
Write = Callable[[Store, int, int], None]


def _two_people(store: Store) -> tuple[int, int, int]:
    """Ann and Bob, who met at one meeting of a group (Ann was emailed); every row fresh."""
    gid = store.groups.add("Club", "weekly", "mon")
    ann = store.people.add(Person(display_name="Ann Lee"))
    bob = store.people.add(Person(display_name="Bob Kay"))
    mid = store.meetings.add("Club", "2026-02-23", group_id=gid, attendee_ids=[ann, bob])
    store.interactions.add(Interaction(person_id=ann, date="2026-02-24", kind=Kind.EMAIL))
    engine.refresh_status(store, AS_OF)
    return ann, bob, mid


def _cached(store: Store) -> dict[int, str]:
    return dict(store.db.conn.execute("SELECT person_id, as_of FROM person_status").fetchall())


def _raw(sql: str) -> Write:
    """A write past the repositories (as a sync engine or a hand-run script would do it)."""

    def write(store: Store, ann: int, mid: int) -> None:
        store.db.conn.execute(sql.format(ann=ann, mid=mid))

    return write


WRITES: dict[str, Write] = {
    "interaction (repository)": lambda s, ann, mid: (
        s.interactions.add(Interaction(person_id=ann, date="2026-02-25", kind=Kind.CALL)) and None
    ),
    "interaction (raw SQL)": _raw(
        "INSERT INTO interactions (uuid, person_id, date, kind, created_at) "
        "VALUES ('x', {ann}, '2026-02-25', 'call', 'now')"
    ),
    "interaction deleted": _raw("DELETE FROM interactions WHERE person_id = {ann}"),
    "consent": lambda s, ann, mid: (
        s.consents.add(Consent(person_id=ann, email="ann@x.example", obtained_at="2026-02-25"))
        and None
    ),
    "snooze": lambda s, ann, mid: engine.snooze(s, ann, "follow-up", date(2026, 3, 9)),
    "referral": lambda s, ann, mid: (
        s.referrals.add(Referral(referrer_id=ann, prospect_name="Cat", date="2026-02-25")) and None
    ),
    "tag": _raw("INSERT INTO person_tags (person_id, tag) VALUES ({ann}, 'follow-up')"),
    "person edited": lambda s, ann, mid: s.people.update(ann, org="Acme") and None,
    "attendance removed": lambda s, ann, mid: s.meetings.unattend(mid, ann),
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_about_one_person_drops_their_row_only(store: Store, name: str) -> None:
    """Each kind of write removes the cached row of the person it is about, and no other."""
    ann, bob, mid = _two_people(store)
    with store.atomic():
        WRITES[name](store, ann, mid)
        assert ann not in _cached(store)  # inside the very transaction of the write
    assert set(_cached(store)) == {bob}


def test_a_rolled_back_write_leaves_the_cache_as_it_was(store: Store) -> None:
    """The invalidation is part of the write: when the write rolls back, so does it."""
    ann, bob, mid = _two_people(store)
    with pytest.raises(RuntimeError), store.atomic():
        store.interactions.add(Interaction(person_id=ann, date="2026-02-25", kind=Kind.CALL))
        raise RuntimeError("changed my mind")
    assert set(_cached(store)) == {ann, bob}


def test_a_meeting_or_group_change_drops_everyone_who_came(store: Store) -> None:
    """Moving a meeting or rescheduling its group drops the rows of its attendees."""
    ann, bob, mid = _two_people(store)
    carl = store.people.add(Person(display_name="Carl Ray"))
    engine.refresh_status(store, AS_OF)
    store.meetings.update(mid, date="2026-02-24")
    assert set(_cached(store)) == {carl}
    engine.refresh_status(store, AS_OF)
    store.groups.update("Club", weekday="tue")
    assert set(_cached(store)) == {carl}


def test_engine_settings_and_the_library_mark_every_row_stale(store: Store) -> None:
    """A rule or the value library can change anyone's step: every row is marked stale (kept,
    recomputed by the next refresh); the profile or a backup date leave the cache alone."""
    ann, bob, _mid = _two_people(store)
    store.settings.set("profile.name", "Me")
    store.settings.set("backup.last_daily", "2026-03-02")
    assert set(_cached(store).values()) == {AS_OF.isoformat()}
    store.settings.set("cadence.met", 10)
    assert _cached(store) == {ann: "", bob: ""}
    assert engine.refresh_status(store, AS_OF) == 2
    store.library.add(LibraryItem(title="Ten referral habits"))
    assert _cached(store) == {ann: "", bob: ""}
