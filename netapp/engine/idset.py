"""A set of person ids held as a sorted array of 64-bit integers (issue 20, memory).

The Today plan keeps who is due and who is late, to correct its counts after a Done without
a pass over everyone. At 100,000 people about 98,000 are due: as ``frozenset``s of Python
ints the two took 11.6 MB of the idle window (4.2 MB per set table, 3.2 MB of int objects),
and as arrays they take 8 bytes an id. SQLite's ids are signed 64-bit, so every id fits.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from itertools import islice

# Up to this many ids added or removed at once, edit a copy in place (a memmove each);
# beyond it, build the result in one sorted pass.
EDIT_IN_PLACE = 64


class IdSet:
    """An immutable set of ints, 8 bytes each: membership by bisection, ``difference`` and
    ``union`` return a new set. Equal to another IdSet or to any set with the same ids."""

    __slots__ = ("_ids",)

    def __init__(self, ids: Iterable[int] = ()) -> None:
        self._ids = array("q", sorted(set(ids)))

    @classmethod
    def _sorted(cls, ids: array[int]) -> IdSet:
        made = cls.__new__(cls)
        made._ids = ids
        return made

    @classmethod
    def ascending(cls, ids: array[int]) -> IdSet:
        """The set of ``ids``, given in strictly ascending order (checked), taken as is."""
        if any(a >= b for a, b in zip(ids, islice(ids, 1, None), strict=False)):
            raise ValueError("ids not in strictly ascending order")
        return cls._sorted(ids)

    def __contains__(self, x: object) -> bool:
        if not isinstance(x, int):
            return False
        i = bisect_left(self._ids, x)
        return i < len(self._ids) and self._ids[i] == x

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdSet):
            return self._ids == other._ids
        if isinstance(other, AbstractSet):
            return len(self) == len(other) and all(x in other for x in self._ids)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._ids.tobytes())

    def __repr__(self) -> str:
        return f"IdSet({list(self._ids)!r})"

    def difference(self, other: Iterable[int]) -> IdSet:
        """These ids without those in ``other``."""
        gone = sorted({x for x in other if x in self})
        if not gone:
            return self
        if len(gone) > EDIT_IN_PLACE:
            drop = set(gone)
            return IdSet._sorted(array("q", (x for x in self._ids if x not in drop)))
        ids = array("q", self._ids)
        for x in reversed(gone):  # from the end: the earlier positions stay valid
            del ids[bisect_left(ids, x)]
        return IdSet._sorted(ids)

    def union(self, other: Iterable[int]) -> IdSet:
        """These ids and those in ``other``."""
        new = sorted({x for x in other if x not in self})
        if not new:
            return self
        if len(new) > EDIT_IN_PLACE:
            return IdSet._sorted(array("q", sorted([*self._ids, *new])))
        ids = array("q", self._ids)
        for x in new:
            ids.insert(bisect_left(ids, x), x)
        return IdSet._sorted(ids)
