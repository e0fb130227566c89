"""Records' columns and row mapping come from their dataclasses (netapp/store/records.py)."""

from __future__ import annotations

from dataclasses import fields

from netapp.domain import Consent, ConsentMethod, Interaction, Kind, Outcome, Person, Referral
from netapp.store import Store
from netapp.store.records import columns, from_row


def test_each_record_round_trips_through_its_table(store: Store) -> None:
    """An interaction, a consent and a referral come back from the database field for field,
    enums parsed and an empty outcome as None."""
    pid = store.people.add(Person(display_name="Ann Lee", emails=[]))
    other = store.people.add(Person(display_name="Bo Ray"))
    iid = store.interactions.add(
        Interaction(person_id=pid, date="2026-01-02", kind=Kind.ASK, ask_type="read-article")
    )
    it = store.interactions.get(iid)
    assert (it.kind, it.outcome) == (Kind.ASK, Outcome.PENDING)
    call = store.interactions.get(
        store.interactions.add(Interaction(person_id=pid, date="2026-01-03", kind=Kind.CALL))
    )
    assert call.outcome is None and isinstance(call.kind, Kind)
    store.consents.add(
        Consent(person_id=pid, email="ann@x.example", method="paper", obtained_at="2026-01-02")
    )
    (c,) = store.consents.for_person(pid)
    assert (c.method, c.email, c.withdrawn_at) == (ConsentMethod.PAPER, "ann@x.example", None)
    rid = store.referrals.add(
        Referral(referrer_id=pid, prospect_id=other, prospect_agreed=True, date="2026-01-04")
    )
    row = store.db.query("SELECT * FROM referrals WHERE id = ?", [rid])[0]
    ref = from_row(Referral, row)
    assert (ref.referrer_id, ref.prospect_id, ref.prospect_agreed, ref.date) == (
        pid,
        other,
        1,
        "2026-01-04",
    )


def test_the_columns_are_the_declared_fields() -> None:
    """columns() lists a record's fields in declared order, without its id."""
    assert columns(Interaction) == tuple(f.name for f in fields(Interaction))[1:]
