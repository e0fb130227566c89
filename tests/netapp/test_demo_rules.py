"""The demo teaches by example, so it follows the rules the user guide states."""

from __future__ import annotations

import unicodedata

from netapp.store import Store


def test_demo_referrals_carry_a_value_exactly_when_won(demo_store: Store) -> None:
    """Won referrals have the business's value; new, contacted and lost ones have none."""
    rows = demo_store.db.query("SELECT status, value FROM referrals")
    assert {r["status"] for r in rows} >= {"new", "contacted", "won"}
    for r in rows:
        assert (r["value"] is not None) == (r["status"] == "won"), r
        assert r["value"] is None or r["value"] > 0


def test_demo_addresses_keep_every_letter_of_the_name_and_the_business(
    demo_store: Store,
) -> None:
    """A demo address spells its owner's whole name and business, accents taken off
    ("soren.odegaard@…"), instead of dropping letters ("sren.degaard") or cutting the
    business short ("greenleaflandscapi.example")."""
    rows = demo_store.db.query(
        "SELECT p.given_name, p.family_name, p.org, e.email FROM people p"
        " JOIN person_emails e ON e.person_id = p.id WHERE p.source = 'demo'"
    )

    def latin(text: str) -> bool:
        return all("LATIN" in unicodedata.name(c) for c in text if c.isalpha())

    latin_rows = [r for r in rows if latin(f"{r['given_name']}{r['family_name']}{r['org']}")]
    assert len(latin_rows) > len(rows) // 2
    for r in latin_rows:
        local, domain = str(r["email"]).split("@")
        name = f"{r['given_name']}{r['family_name']}"
        assert local.isascii() and domain.isascii(), r
        assert sum(c.isalpha() for c in local) >= sum(c.isalpha() for c in name), r
        org = str(r["org"])
        assert sum(c.isalpha() for c in domain) - len("example") >= sum(c.isalpha() for c in org), r
