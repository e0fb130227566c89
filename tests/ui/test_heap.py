"""ui/heap.py: the start's objects are set aside from later full collections, and handed back."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from ui.heap import release, settle


class Node:
    """An object in a reference cycle: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def handed_back() -> Iterator[None]:
    """The test process's objects go back to the collector whatever the test did."""
    yield
    gc.unfreeze()


def test_settle_frees_the_garbage_then_sets_the_living_aside(handed_back: None) -> None:
    """Garbage from before settle() is freed by it; an object alive then is in no generation a
    collection visits, so it stays even once unreachable, until release() hands it back."""
    garbage, kept = Node(), Node()
    dropped, living = weakref.ref(garbage), weakref.ref(kept)
    del garbage
    settle()
    assert dropped() is None
    assert gc.get_freeze_count() > 0
    assert not any(o is kept for o in gc.get_objects())
    del kept
    gc.collect()
    assert living() is not None  # set aside: no collection looks at it
    release()
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert living() is None
