"""The people list sorts and pages in SQL the fast way without changing what it shows."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from netapp import engine
from netapp.store import Store
from netapp.store.lists import PeopleList
from tests.netapp.store.test_list_paging import people_in_sort_order
from ui.models.people import PeopleModel

AS_OF = date(2026, 11, 23)


def _all_ids(model: PeopleModel) -> list[int]:
    while model.canFetchMore():
        model.fetchMore()
    return [int(model.id_at(r) or 0) for r in range(model.rowCount())]


@pytest.mark.parametrize("column", range(len(PeopleModel.columns)))
@pytest.mark.parametrize("descending", [False, True])
def test_every_column_pages_in_the_reference_order(
    demo_store: Store, column: int, descending: bool
) -> None:
    """With every status row present, each column's batches join into the plain query's order."""
    engine.refresh_status(demo_store, AS_OF)
    model = PeopleModel(demo_store)
    model.BATCH = 7
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    model.sort(column, order)
    expr = PeopleList.sort_sql[PeopleModel.columns[column].key]
    assert expr is not None
    assert _all_ids(model) == people_in_sort_order(demo_store, expr, descending)


def test_people_without_a_status_row_stay_in_a_status_sorted_list(demo_store: Store) -> None:
    """While a person's status row is missing, sorting by trust still lists everybody."""
    engine.refresh_status(demo_store, AS_OF)
    pid = int(demo_store.db.scalar("SELECT min(id) FROM people"))
    demo_store.db.conn.execute("DELETE FROM person_status WHERE person_id = ?", [pid])
    model = PeopleModel(demo_store)
    model.BATCH = 7
    model.sort(3, Qt.SortOrder.AscendingOrder)
    ids = _all_ids(model)
    assert ids == people_in_sort_order(demo_store, "ps.trust", False)
    assert ids[0] == pid  # no status: NULL trust sorts first


def test_a_deleted_status_row_is_noticed_after_a_cached_check(demo_store: Store) -> None:
    """The "everyone has a status row" check is cached, yet a later delete still falls back."""
    engine.refresh_status(demo_store, AS_OF)
    model = PeopleModel(demo_store)
    model.BATCH = 7
    model.sort(3, Qt.SortOrder.DescendingOrder)  # caches "complete"
    pid = int(demo_store.db.scalar("SELECT max(id) FROM people"))
    demo_store.db.conn.execute("DELETE FROM person_status WHERE person_id = ?", [pid])
    model.sort(3, Qt.SortOrder.DescendingOrder)
    ids = _all_ids(model)
    assert ids == people_in_sort_order(demo_store, "ps.trust", True)
    assert ids[-1] == pid  # no status: NULL trust sorts last when descending


def test_paging_through_null_sort_keys_in_both_directions(demo_store: Store) -> None:
    """Rows whose sort key is NULL are neither lost nor repeated when batches cross them."""
    engine.refresh_status(demo_store, AS_OF)
    demo_store.db.conn.execute("UPDATE person_status SET next_due = NULL WHERE person_id % 3 = 0")
    model = PeopleModel(demo_store)
    model.BATCH = 4
    for descending in (False, True):
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        model.sort(6, order)
        ids = _all_ids(model)
        assert ids == people_in_sort_order(demo_store, "ps.next_due", descending)
        assert len(set(ids)) == 60
