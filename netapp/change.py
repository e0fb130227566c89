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
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    """A write that has happened: its ``label``, its ``result`` and the ``undo`` that performs
    the inverse write and returns the inverse of that (so undo, then redo, is two calls)."""

    label: str
    undo: Callable[[], Change]
    result: Any = None


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
