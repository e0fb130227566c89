"""A write that has happened, and how to take it back: the core's half of the one write path.

Every write the app can undo is a core function that does the write and returns a
:class:`Change`: a label for the Edit menu ("delete Ada Lovelace"), the write's result (a new
id, say) and ``undo``, a callable that performs the inverse write and returns *its* inverse. So
undoing is ``change = change.undo()`` and redoing is the same call again; snapshots of deleted
rows live inside the closures, not in the store's public API. ``ui/commands.py`` wraps a Change
in the one undoable command behind ``perform()``; the CLI simply ignores the inverse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
S = TypeVar("S")  # a store (this module sits below the store layer and does not import it)

# A write job for another connection: job(store, cancel, progress) -> its result.
Job = Callable[[Any, Callable[[], bool], Callable[[int, int], None]], Any]


@dataclass(frozen=True)
class Elsewhere:
    """How a heavy Change's undo can run on another connection (a worker thread's own), so
    that the app's window does not freeze: ``run(store, cancel, progress)`` performs the
    inverse write there (one transaction) and returns its result; ``bind(result)`` then gives
    the inverse Change bound to the app's own store, as ``undo()`` would have returned it."""

    run: Job
    bind: Callable[[Any], Change]


@dataclass(frozen=True)
class Change:
    """A write that has happened: its ``label``, its ``result`` and the ``undo`` that performs
    the inverse write and returns the inverse of that (so undo, then redo, is two calls).
    ``elsewhere`` is set on a Change whose undo is too heavy for the app's GUI thread."""

    label: str
    undo: Callable[[], Change]
    result: Any = None
    elsewhere: Elsewhere | None = None


def reversible(label: str, do: Callable[[], T], undo: Callable[[T], object]) -> Change:
    """Do a write now; its Change's undo calls ``undo(result)``, and redo calls ``do`` again.

    For writes whose redo is simply doing them again (setting a value, adding a row whose new
    id nobody keeps). Writes that must come back *the same* (a deleted person, with their id
    and history) build their Change by hand from a snapshot.
    """
    return already_done(label, do(), do, undo)


def already_done(label: str, result: T, do: Callable[[], T], undo: Callable[[T], object]) -> Change:
    """The Change of a write that has already happened and returned ``result`` (on another
    connection, say: the app runs long writes on a worker thread's own connection, then binds
    their undo to its own). Undo calls ``undo(result)``; redo calls ``do`` again."""

    def take_back() -> Change:
        undo(result)
        return Change(label, lambda: reversible(label, do, undo))

    return Change(label, take_back, result)


def setting(label: str, set_value: Callable[[Any], object], old: Any, new: Any) -> Change:
    """Set a value now (``set_value(new)``); undo sets ``old`` back, redo ``new`` again."""
    set_value(new)
    return Change(label, lambda: setting(label, set_value, new, old))


@dataclass(frozen=True)
class Heavy(Generic[S, T]):
    """A heavy write and its inverse, each a function of the store it runs on, so that either
    can run on the app's store or on a worker's connection: ``do(store, cancel, progress)``
    returns the write's result; ``undo(store, result)`` takes that write back."""

    label: str
    home: S
    do: Callable[[S, Callable[[], bool], Callable[[int, int], None]], T]
    undo: Callable[[S, T], object]

    def done(self, result: T) -> Change:
        """The Change of this write, already done (here or elsewhere) with ``result``."""

        def take_back() -> Change:
            self.undo(self.home, result)
            return self.undone()

        def run(store: Any, _cancel: Callable[[], bool], _progress: object) -> None:
            self.undo(store, result)

        return Change(self.label, take_back, result, Elsewhere(run, lambda _r: self.undone()))

    def undone(self) -> Change:
        """The Change of this write taken back: its undo (the redo) does the write again."""

        def redo() -> Change:
            return self.done(self.do(self.home, _never, _quiet))

        return Change(self.label, redo, None, Elsewhere(self.do, self.done))


def _never() -> bool:
    return False


def _quiet(_done: int, _total: int) -> None:
    return None
