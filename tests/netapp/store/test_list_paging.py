"""A list's first page read by a copy on another connection (a worker's), then paged on by the
original (:meth:`ListQuery.continue_from`): the same rows as one query read through."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from netapp import engine
from netapp.store import Store
from netapp.store.lists import MeetingsList, PeopleList

AS_OF = date(2026, 11, 23)
BATCH = 7


def people_in_sort_order(store: Store, expr: str, descending: bool) -> list[int]:
    """The reference: the order one plain LEFT JOIN query over everybody gives (NULLs first
    when ascending)."""
    d = "DESC" if descending else "ASC"
    rows = store.db.query(
        f"SELECT p.id FROM people p LEFT JOIN person_status ps ON ps.person_id = p.id "
        f"ORDER BY {expr} {d}, p.id {d}"
    )
    return [r["id"] for r in rows]


@pytest.mark.parametrize("descending", [False, True])
def test_the_original_pages_on_from_a_copys_first_page_on_another_connection(
    demo_store: Store, descending: bool
) -> None:
    """The window's query chose the status-first join earlier; a status row has gone since.
    The worker's copy reads the first page with the join that keeps everybody; the window's
    query pages on with that join from where the copy stopped: nobody lost or repeated."""
    engine.refresh_status(demo_store, AS_OF)
    gui = PeopleList(demo_store.db)
    gui.page(0, BATCH, "trust", descending)  # everyone had a status row then
    pid = int(demo_store.db.scalar("SELECT max(id) FROM people"))
    demo_store.db.conn.execute("DELETE FROM person_status WHERE person_id = ?", [pid])
    worker = Store(demo_store.path)
    try:
        mate = copy.copy(gui)
        mate.db = worker.db
        rows = mate.page(0, BATCH, "trust", descending)
    finally:
        worker.close(optimize=False)
    gui.continue_from(mate)
    while batch := gui.page(len(rows), BATCH, "trust", descending):
        rows += batch
    assert [r[0] for r in rows] == people_in_sort_order(demo_store, "ps.trust", descending)
    assert gui.db is demo_store.db  # it kept its own connection


def test_a_list_does_not_page_on_from_another_kind_of_list(demo_store: Store) -> None:
    """Only a copy of the same list can hand its position over."""
    with pytest.raises(TypeError, match="PeopleList cannot page on from a MeetingsList"):
        PeopleList(demo_store.db).continue_from(MeetingsList(demo_store.db))
