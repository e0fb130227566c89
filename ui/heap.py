"""The GUI process's heap and the garbage collector (issue 20: no frame lost to a collection).

A full (generation 2) collection visits every object the collector tracks. Once started, the app
holds about 35,000 of them (modules, classes, functions, the window and its pages) that live
until it quits; a full collection then took 15 ms at 100k people. One comes every so often while
objects pile up, for instance while the People list is scrolled, and lands inside a frame.
:func:`settle` sets the start's objects aside (``gc.freeze``), so later collections visit only
what was made after it (0.0 ms for the same heap).
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect the start's garbage, then set every object alive now aside from later
    collections. Called once the first window is attached to its database."""
    gc.collect()
    gc.freeze()


def release() -> None:
    """Hand the objects set aside back to the collector (before the window they belong to goes:
    a reopen), so that they can be freed."""
    gc.unfreeze()
