"""Reports: each SQL aggregate against a small hand-written history, and the CSV export."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from netapp import referrals, reports
from netapp.domain import Consent, Interaction, Kind, LibraryItem, Outcome, Person, Referral
from netapp.errors import NetappError
from netapp.store import Store

AS_OF = date(2026, 6, 30)


def _person(store: Store, name: str) -> int:
    return store.people.add(Person(display_name=name))


def _log(store: Store, pid: int, day: str, kind: Kind, **kw: object) -> int:
    return store.interactions.add(Interaction(person_id=pid, date=day, kind=kind, **kw))  # type: ignore[arg-type]


def test_value_over_year_adds_business_and_won_referrals_in_the_period(store: Store) -> None:
    """Value per contact = business in the year + won referrals they sent; older or open ones not."""
    ann, bob = _person(store, "Ann"), _person(store, "Bob")
    _log(store, ann, "2026-02-01", Kind.BUSINESS, amount=300.0)
    _log(store, ann, "2025-01-01", Kind.BUSINESS, amount=9999.0)  # before the period
    won = referrals.record(
        store,
        Referral(referrer_id=ann, prospect_name="P1", prospect_agreed=True, date="2026-03-01"),
    )
    referrals.set_status(store, won, "won", 1200.0)
    referrals.record(  # open: no value yet
        store,
        Referral(referrer_id=bob, prospect_name="P2", prospect_agreed=True, date="2026-03-01"),
    )
    _log(store, bob, "2026-05-05", Kind.BUSINESS, amount=50.0)
    table = reports.value_over_year(store, AS_OF)
    assert table.rows == [("Ann", 300.0, 1200.0, 1500.0), ("Bob", 50.0, 0.0, 50.0)]
    sources = reports.referral_sources(store, AS_OF)
    assert sources.rows == [("Ann", 1, 1, 0, 0, 1200.0), ("Bob", 1, 0, 0, 1, 0.0)]


def test_optins_per_meeting_and_per_card_batch(store: Store) -> None:
    """Opt-ins are counted per meeting (against attendees) and per card batch (by card code)."""
    a, b, c = (_person(store, n) for n in ("A", "B", "C"))
    mid = store.meetings.add("Breakfast", "2026-04-02", attendee_ids=[a, b, c])
    with store.atomic():
        bid = store.db.conn.execute(
            "INSERT INTO card_batches (uuid, meeting_id, campaign, layout, count, printed_at) "
            "VALUES ('u1', ?, 'Spring', 'avery', 10, '2026-04-01T08:00:00+00:00')",
            [mid],
        ).lastrowid
        store.db.conn.executemany(
            "INSERT INTO cards (code, batch_id, position) VALUES (?,?,?)",
            [(f"K{n}", bid, n) for n in range(10)],
        )
    store.consents.add(
        Consent(
            person_id=a, method="card", obtained_at="2026-04-03", meeting_id=mid, card_code="K1"
        )
    )
    store.consents.add(
        Consent(
            person_id=b, method="card", obtained_at="2026-04-03", meeting_id=mid, card_code="K2"
        )
    )
    store.consents.withdraw(b, "2026-05-01")
    per_meeting = reports.optins_per_meeting(store, AS_OF)
    assert per_meeting.rows == [("Breakfast", "2026-04-02", 3, 2, 1, 0.67)]
    per_batch = reports.optins_per_batch(store, AS_OF)
    assert per_batch.rows == [(f"#{bid}", "2026-04-01", "Spring", "Breakfast", 10, 2, 0.2)]


def test_asks_by_type_and_by_stage_at_the_time_of_asking(store: Store) -> None:
    """An ask is classed by the evidence before it: first ask at met, later one at credibility."""
    ann = _person(store, "Ann")
    _log(store, ann, "2026-01-10", Kind.ASK, ask_type="read-article", outcome=Outcome.ACCEPTED)
    _log(store, ann, "2026-02-01", Kind.ONE_TO_ONE)
    _log(store, ann, "2026-02-01", Kind.ASK, ask_type="referral", outcome=Outcome.DECLINED)
    _log(store, ann, "2026-03-01", Kind.ASK, ask_type="purchase", outcome=Outcome.PENDING)
    by_type = {r[0]: r[1:] for r in reports.asks_by_type(store, AS_OF).rows}
    assert by_type["Read an article"] == (1, 1, 0, 0, 0, 1.0)
    assert by_type["Ask for a referral"] == (1, 0, 1, 0, 0, 0.0)
    assert by_type["Offer what you sell"] == (1, 0, 0, 0, 1, None)
    by_stage = {r[0]: r[1:] for r in reports.asks_by_stage(store, AS_OF).rows}
    assert by_stage["Met"] == (1, 1, 1.0, 1.0)
    assert by_stage["Visibility"] == (0, 0, None, None)
    assert by_stage["Credibility"] == (2, 0, 0.0, 4.5)


def test_stage_at_ask_ignores_business_on_the_same_day(store: Store) -> None:
    """Business logged on the day of the ask is the ask's result, not evidence before it."""
    ann = _person(store, "Ann")
    _log(store, ann, "2026-02-01", Kind.CALL)
    _log(store, ann, "2026-03-01", Kind.ASK, ask_type="purchase", outcome=Outcome.ACCEPTED)
    _log(store, ann, "2026-03-01", Kind.BUSINESS, amount=10.0)
    by_stage = {r[0]: r[1] for r in reports.asks_by_stage(store, AS_OF).rows}
    assert by_stage["Visibility"] == 1 and by_stage["Profitability"] == 0


def test_give_ask_ratio_per_month(store: Store) -> None:
    """Each month shows value given, asks and their ratio; empty months are zero."""
    ann = _person(store, "Ann")
    item = store.library.add(LibraryItem(title="Guide", kind="article"))
    for day in ("2026-05-02", "2026-05-09", "2026-05-20"):
        _log(store, ann, day, Kind.VALUE_GIVEN, library_item_id=item)
    _log(store, ann, "2026-05-21", Kind.ASK, ask_type="read-article")
    rows = {r[0]: r[1:] for r in reports.give_ask_ratio(store, AS_OF).rows}
    assert rows["2026-05"] == (3, 1, 3.0)
    assert rows["2026-04"] == (0, 0, None)
    assert len(rows) == 12 and "2025-07" in rows and "2026-06" in rows


def test_people_by_stage_and_movement_per_month(store: Store) -> None:
    """Stages count every person once; moves are dated by the evidence that caused them."""
    ann, bob, cy = _person(store, "Ann"), _person(store, "Bob"), _person(store, "Cy")
    m1 = store.meetings.add("M1", "2026-01-05", attendee_ids=[ann, bob, cy])
    store.meetings.add("M2", "2026-02-05", attendee_ids=[ann, bob])
    _log(store, bob, "2026-03-10", Kind.ONE_TO_ONE)
    _log(store, bob, "2026-04-10", Kind.BUSINESS, amount=10.0)
    assert m1
    stages = dict(reports.people_by_stage(store, AS_OF).rows)
    assert stages == {"Met": 1, "Visibility": 1, "Credibility": 0, "Profitability": 1}
    earlier = dict(reports.people_by_stage(store, date(2026, 3, 31)).rows)
    assert earlier == {"Met": 1, "Visibility": 1, "Credibility": 1, "Profitability": 0}
    moves = {r[0]: r[1:] for r in reports.stage_movement(store, AS_OF).rows}
    assert moves["2026-02"][:3] == (2, 0, 0)
    assert moves["2026-03"][:3] == (0, 1, 0)
    assert moves["2026-04"][:3] == (0, 0, 1)
    assert "visibility→credibility" in moves["2026-03"][3]


def test_meetings_per_month_splits_new_and_repeat_contacts(store: Store) -> None:
    """A person's first meeting counts as new, every later one as repeat."""
    ann, bob = _person(store, "Ann"), _person(store, "Bob")
    store.meetings.add("M1", "2026-01-05", attendee_ids=[ann])
    store.meetings.add("M2", "2026-01-19", attendee_ids=[ann, bob])
    store.meetings.add("M3", "2026-02-02", attendee_ids=[bob])
    store.meetings.add("Empty", "2026-02-16")
    rows = {r[0]: r[1:] for r in reports.meetings_per_month(store, AS_OF).rows}
    assert rows["2026-01"] == (2, 2, 1)
    assert rows["2026-02"] == (2, 0, 1)
    assert rows["2026-03"] == (0, 0, 0)


def test_item_recipients_lists_each_person_once(store: Store) -> None:
    """Who received an item: one row per person with how many times, latest first."""
    ann, bob = _person(store, "Ann"), _person(store, "Bob")
    item = store.library.add(LibraryItem(title="Guide", kind="article"))
    _log(store, ann, "2026-01-01", Kind.VALUE_GIVEN, library_item_id=item)
    _log(store, ann, "2026-02-01", Kind.VALUE_GIVEN, library_item_id=item)
    _log(store, bob, "2026-01-15", Kind.VALUE_GIVEN, library_item_id=item)
    rows = [
        (r["display_name"], r["times"], r["last"]) for r in reports.item_recipients(store, item)
    ]
    assert rows == [("Ann", 2, "2026-02-01"), ("Bob", 1, "2026-01-15")]
    assert [r["display_name"] for r in reports.item_recipients(store, item, limit=1)] == ["Ann"]
    assert reports.item_reach(store, item) == (3, 2)  # counts all, whatever the limit


def test_items_not_given_excludes_received_and_retired_items(store: Store) -> None:
    """Give value offers only live items the person has not had, tag matches first."""
    ann = store.people.add(Person(display_name="Ann", tags=["finance"]))
    had = store.library.add(LibraryItem(title="Had", kind="article"))
    store.library.add(LibraryItem(title="Old", kind="article", retired_at="2026-01-01"))
    plain = store.library.add(LibraryItem(title="A plain one", kind="video"))
    match = store.library.add(LibraryItem(title="Z money", kind="ebook", tags=["finance"]))
    _log(store, ann, "2026-01-01", Kind.VALUE_GIVEN, library_item_id=had)
    assert [r["id"] for r in reports.items_not_given(store, ann)] == [match, plain]


def test_csv_export_neutralises_formulas_and_keeps_unicode(store: Store, tmp_path: Path) -> None:
    """Cells that would start a spreadsheet formula are quoted; names with accents survive."""
    table = reports.Table(
        "t", "T", ("Name", "Value"), [('=HYPERLINK("x")', 1.5), ("Zoë Ángel", -3), ("@cmd", None)]
    )
    out = reports.export_csv(table, tmp_path / "r.csv", database=store.path)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [
        ["Name", "Value"],
        ['\'=HYPERLINK("x")', "1.5"],
        ["Zoë Ángel", "-3"],
        ["'@cmd", ""],
    ]


def test_csv_export_to_an_unwritable_place_names_the_file(store: Store, tmp_path: Path) -> None:
    """Writing into a missing folder raises NetappError naming the path, leaving nothing behind."""
    target = tmp_path / "missing" / "r.csv"
    table = reports.Table("t", "T", ("A",), [(1,)])
    with pytest.raises(NetappError, match="r.csv"):
        reports.export_csv(table, target, database=store.path)
    assert not target.parent.exists()


def test_every_report_runs_on_demo_data(demo_store: Store) -> None:
    """Every catalogued report runs on the demo database and returns rows with its columns."""
    for spec in reports.REPORTS:
        table = reports.run(demo_store, spec.key, date(2026, 11, 23))
        assert all(len(r) == len(table.columns) for r in table.rows), spec.key
    assert reports.run(demo_store, "stages", date(2026, 11, 23)).column("People")
    total = sum(reports.people_by_stage(demo_store, date(2026, 11, 23)).column("People"))
    assert total == demo_store.people.count()


def test_item_recipients_reads_the_items_rows_through_the_item_index(store: Store) -> None:
    """Who received an item is read from that item's rows by the item index, not by visiting
    every person (which took over a second at 100,000 people); the answer is the same."""
    item = store.library.add(LibraryItem(title="Guide", kind="article"))
    pid = store.people.add(Person(display_name="Ann Lee"))
    for day in ("2026-01-05", "2026-02-05"):
        store.interactions.add(
            Interaction(person_id=pid, date=day, kind=Kind.VALUE_GIVEN, library_item_id=item)
        )
    # The statistics PRAGMA optimize left in a 100,000-person database (the bench's):
    # with them SQLite preferred visiting every person.
    conn = store.db.conn
    conn.execute("ANALYZE")
    conn.execute("DELETE FROM sqlite_stat1 WHERE tbl IN ('people', 'interactions')")
    conn.executemany(
        "INSERT INTO sqlite_stat1 VALUES (?, ?, ?)",
        [
            ("interactions", "interactions_item", "1000000 125000"),
            ("interactions", "interactions_kind", "1000000 100000 279"),
            ("interactions", "interactions_person", "1000000 11 1"),
            ("people", "sqlite_autoindex_people_1", "100000 1"),
        ],
    )
    conn.execute("ANALYZE sqlite_schema")  # reload the statistics
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        rows = reports.item_recipients(store, item, limit=200)
    finally:
        store.db.conn.set_trace_callback(None)
    assert [(r["display_name"], r["times"], r["first"], r["last"]) for r in rows] == [
        ("Ann Lee", 2, "2026-01-05", "2026-02-05")
    ]
    sql = next(s for s in seen if "library_item_id" in s)
    plan = [str(r[3]) for r in store.db.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    assert any("interactions_item" in step for step in plan), plan
    assert not any(step.startswith("SCAN p") for step in plan), plan
