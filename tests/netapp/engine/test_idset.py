"""IdSet, the Today plan's compact set of person ids, against Python's frozenset."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netapp.engine import idset
from netapp.engine.idset import IdSet

# SQLite's ids are signed 64-bit; small ranges make overlaps between the sets likely.
IDS = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.integers(-5, 300),
)
FEW = st.lists(IDS, max_size=idset.EDIT_IN_PLACE + 4)
# More ids changed at once than are edited in place: the rebuilt result.
MANY = st.lists(IDS, min_size=idset.EDIT_IN_PLACE + 1, max_size=2 * idset.EDIT_IN_PLACE + 20)


@st.composite
def changes(draw: st.DrawFn) -> tuple[list[int], list[int], list[int]]:
    """Ids, ids to remove (most of them members) and ids to add (often between them), each
    list either few (edited in place) or many (rebuilt)."""
    base = draw(draw(st.sampled_from([FEW, MANY])))
    many = draw(st.booleans())
    out = draw(FEW)
    if base:
        out += draw(st.permutations(base)) if many else draw(st.lists(st.sampled_from(base)))
    return base, out, draw(MANY if many else FEW)


@given(changes())
def test_property_idset_behaves_as_a_frozenset(
    change: tuple[list[int], list[int], list[int]],
) -> None:
    """Membership, size, order-free equality, difference and union equal frozenset's, both
    for a few ids changed (edited in place) and for many (rebuilt)."""
    base, out, add = change
    ref, ids = frozenset(base), IdSet(base)
    assert len(ids) == len(ref) and set(ids) == ref and ids == ref and ref == ids
    assert list(ids) == sorted(ref)
    for x in [*out, *add, *base]:
        assert (x in ids) == (x in ref)
    gone, ref_gone = ids.difference(out), ref.difference(out)
    assert set(gone) == ref_gone and list(gone) == sorted(ref_gone)
    both, ref_both = gone.union(add), ref_gone.union(add)
    assert set(both) == ref_both and list(both) == sorted(ref_both)
    assert both == IdSet(ref_both) and hash(both) == hash(IdSet(ref_both))
    added, ref_added = ids.union(add), ref.union(add)
    assert set(added) == ref_added and list(added) == sorted(ref_added)
    assert set(ids) == ref  # the originals are not changed
    assert "1" not in ids and None not in ids


def test_idset_equality_with_other_types() -> None:
    """An IdSet equals a set with the same ids and nothing else (not a list, not a subset)."""
    ids = IdSet([3, 1, 2, 2])
    assert ids == {1, 2, 3} and ids == frozenset({1, 2, 3}) and ids == IdSet([1, 2, 3])
    assert ids != [1, 2, 3] and ids != {1, 2} and ids != {1, 2, 4} and ids != IdSet()
    assert len(IdSet()) == 0 and 0 not in IdSet()


@given(st.lists(IDS))
def test_property_ascending_equals_the_set_of_the_same_ids(ids: list[int]) -> None:
    """An IdSet taken from ids in ascending order equals one built from them in any order;
    ids out of order or repeated are refused."""
    from array import array

    ordered = sorted(set(ids))
    assert IdSet.ascending(array("q", ordered)) == IdSet(ids) == frozenset(ids)
    if len(ids) > len(set(ids)) or ids != sorted(ids):
        with pytest.raises(ValueError, match="ascending"):
            IdSet.ascending(array("q", ids))
