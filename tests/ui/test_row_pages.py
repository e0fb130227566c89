"""What the list models keep between garbage collections: rows in pages, a bounded face cache.

A full collection on the GUI thread visits every object the collector tracks; scrolling to the end
at 100k people had it visit 100,000 rows and 11,500 face pixmaps (28 ms inside one fetch). These
tests hold the smaller structures equal to what they replace; none of them times anything.
"""

from __future__ import annotations

import gc
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from netapp.store import Store
from ui.models.people import PeopleModel
from ui.models.sqltable import RowPages

ROW = st.tuples(st.integers(), st.text(max_size=3) | st.none())


@given(
    size=st.integers(min_value=1, max_value=9),
    batches=st.lists(st.lists(ROW, max_size=25), max_size=8),
)
def test_row_pages_equal_the_flat_list_they_replace(
    size: int, batches: list[list[tuple[Any, ...]]]
) -> None:
    """After any appends, of any lengths, the pages index, count and iterate as one list."""
    pages, flat = RowPages(size, batches[0] if batches else []), list(batches[0] if batches else [])
    for batch in batches[1:]:
        pages.extend(batch)
        flat.extend(batch)
    assert len(pages) == len(flat)
    assert list(pages) == flat
    assert [pages[n] for n in range(-len(flat), len(flat))] == flat + flat
    for n in (len(flat), -len(flat) - 1):
        with pytest.raises(IndexError):
            pages[n]


def test_a_scrolled_model_leaves_the_collector_one_untracked_page_per_batch(
    demo_store: Store,
) -> None:
    """Once collected, no fetched row and no page of rows is tracked: a full collection no longer
    visits the rows one by one."""
    model = PeopleModel(demo_store)
    model.BATCH = 7  # many pages of the 60 demo people
    model.refresh()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == demo_store.db.scalar("SELECT count(*) FROM people")
    gc.collect()
    gc.collect()  # a page is untracked once its rows are, which may take a second pass
    pages = model._rows._pages
    assert len(pages) == -(-model.rowCount() // 7)
    assert [n for n, page in enumerate(pages) if gc.is_tracked(page)] == []
    assert not any(gc.is_tracked(row) for page in pages for row in page)


def _face(model: PeopleModel, row: int) -> Any:
    return model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole)


def test_faces_are_kept_for_the_rows_painted_lately_only(qapp: Any, demo_store: Store) -> None:
    """With room for 5, painting 20 rows keeps the last 5; a face painted again is kept anew and
    one dropped is drawn again the same as before."""
    model = PeopleModel(demo_store)
    model.FACES_KEPT = 5
    model.refresh()
    first = _face(model, 0).toImage()
    for row in range(1, 20):
        _face(model, row)
    assert list(model._faces) == [model.id_at(r) for r in range(15, 20)]
    _face(model, 16)  # painted again: now the most recent
    _face(model, 0)  # drawn again: the oldest (row 15) goes
    assert list(model._faces) == [model.id_at(r) for r in (17, 18, 19, 16, 0)]
    assert _face(model, 0).toImage() == first
    assert _face(model, 16) is model._faces[model.id_at(16)]
