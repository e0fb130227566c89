"""The demo teaches by example, so it follows the rules the user guide states."""

from __future__ import annotations

from netapp.store import Store


def test_demo_referrals_carry_a_value_exactly_when_won(demo_store: Store) -> None:
    """Won referrals have the business's value; new, contacted and lost ones have none."""
    rows = demo_store.db.query("SELECT status, value FROM referrals")
    assert {r["status"] for r in rows} >= {"new", "contacted", "won"}
    for r in rows:
        assert (r["value"] is not None) == (r["status"] == "won"), r
        assert r["value"] is None or r["value"] > 0
