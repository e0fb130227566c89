"""The status refresh reads outside its write's transaction: writes made meanwhile by another
connection (the app's window) are neither lost in the cache nor fatal to the refresh."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from netapp import engine
from netapp.store import Store
from tests.netapp.engine.helpers import Builder

TODAY = date(2026, 3, 2)
SHOWN = """SELECT person_id, stage, stage_rank, trust, repeat_contacts, last_touch, next_kind,
           next_due, next_text, flags, as_of FROM person_status ORDER BY person_id"""


def _people(store: Store, n: int) -> list[int]:
    """``n`` people, each with a one-to-one and an accepted ask some weeks ago."""
    b = Builder(store)
    ids = [b.person(f"P{i}") for i in range(n)]
    for i, pid in enumerate(ids):
        b.log(pid, (TODAY - timedelta(days=20 + i)).isoformat(), "one-to-one")
        b.ask(pid, (TODAY - timedelta(days=10 + i)).isoformat(), "read-article")
    return ids


def _midway(write: Callable[[], None]) -> Callable[[], bool]:
    """A ``cancel`` callback that never cancels and makes ``write`` (another connection's)
    the second time the refresh asks: the rows are split and the first history is read."""
    calls = [0]

    def hook() -> bool:
        calls[0] += 1
        if calls[0] == 2:
            write()
        return False

    return hook


def _recomputed(path: Path) -> list[tuple[object, ...]]:
    """The cache as a full recompute from nothing leaves it (on another connection)."""
    store = Store(path)
    try:
        with store.atomic():
            store.db.conn.execute("DELETE FROM person_status")
        engine.refresh_status(store, TODAY)
        return [tuple(r) for r in store.db.conn.execute(SHOWN)]
    finally:
        store.close()


def test_a_person_deleted_during_the_refresh_does_not_fail_it(tmp_path: Path) -> None:
    """A person forgotten by the window while the refresh works does not break it (it used to
    fail on the foreign key and write nothing); everyone else is brought up to date."""
    path = tmp_path / "t.db"
    store, window = Store(path), Store(path)
    try:
        ids = _people(store, 5)
        gone = ids[0]  # the first history read
        engine.refresh_status(store, TODAY, cancel=_midway(lambda: window.people.delete(gone)))
        rows = [tuple(r) for r in store.db.conn.execute(SHOWN)]
        assert [r[0] for r in rows] == [i for i in ids if i != gone]
        assert rows == _recomputed(path)
    finally:
        store.close()
        window.close()


def test_history_written_during_the_refresh_is_not_hidden_by_a_stale_row(tmp_path: Path) -> None:
    """Evidence logged by the window while yesterday's rows are re-dated, and while missing rows
    are worked out, shows in the cache afterwards: no row computed before the write is stored
    as today's."""
    path = tmp_path / "t.db"
    store, window = Store(path), Store(path)
    try:
        ids = _people(store, 6)
        engine.refresh_status(store, TODAY - timedelta(days=1))
        with store.atomic():  # two people have no row yet: they are worked out from scratch
            store.db.conn.execute("DELETE FROM person_status WHERE person_id IN (?, ?)", ids[:2])
        later = Builder(window)

        def write() -> None:
            later.log(ids[0], TODAY.isoformat(), "value-given")  # a missing row
            later.log(ids[4], TODAY.isoformat(), "business", amount=900.0)  # a dated row

        engine.refresh_status(store, TODAY, cancel=_midway(write))
        rows = [tuple(r) for r in store.db.conn.execute(SHOWN)]
        assert rows == _recomputed(path)
        assert {r[10] for r in rows} == {TODAY.isoformat()}
    finally:
        store.close()
        window.close()


def test_a_window_writing_at_every_chance_cannot_keep_the_refresh_from_finishing(
    tmp_path: Path,
) -> None:
    """When every pass is raced, the last one reads inside its write's lock: the refresh ends,
    with every row right."""
    path = tmp_path / "t.db"
    store, window = Store(path), Store(path)
    try:
        ids = _people(store, 4)
        later, day = Builder(window), iter(range(1, 1000))

        def hook() -> bool:
            if not store.db.conn.in_transaction:  # the window can write: it does
                later.log(ids[0], (TODAY - timedelta(days=next(day))).isoformat(), "email")
            return False

        engine.refresh_status(store, TODAY, cancel=hook)
        assert next(day) > 3  # the racing passes were raced
        rows = [tuple(r) for r in store.db.conn.execute(SHOWN)]
        assert len(rows) == len(ids) and rows == _recomputed(path)
    finally:
        store.close()
        window.close()
