"""Writes nest as savepoints without sqlite-utils (issue 20: the window's memory): an inner
failure undoes the inner block only, and a write loads no sqlite-utils."""

from __future__ import annotations

import os

import pytest

from netapp.domain import Person
from netapp.store import Store
from tests.probe import run_probe


def test_an_inner_failure_undoes_the_inner_block_and_the_outer_one_commits(store: Store) -> None:
    """Outer write, inner write that fails (caught), outer write: the inner one is gone, the
    two outer ones are committed, and the connection is out of its transaction."""
    with store.atomic():
        a = store.people.add(Person(display_name="Ann Outer"))
        with pytest.raises(RuntimeError), store.atomic():
            store.people.add(Person(display_name="Bob Inner"))
            raise RuntimeError("inner")
        b = store.people.add(Person(display_name="Cy Outer"))
    assert not store.db.conn.in_transaction
    names = [r[0] for r in store.db.conn.execute("SELECT display_name FROM people ORDER BY id")]
    assert names == ["Ann Outer", "Cy Outer"]
    assert {a, b} == {r[0] for r in store.db.conn.execute("SELECT id FROM people")}


PROBE = """
import json, sys
from netapp.domain import Person
from netapp.store import Store
store = Store(sys.argv[1])
with store.atomic():
    with store.atomic():
        store.people.add(Person(display_name="Dee Nested"))
store.close(optimize=False)
print(json.dumps(sorted(m.split(".")[0] for m in sys.modules)))
"""


def test_a_write_to_a_current_database_loads_no_sqlite_utils(store: Store) -> None:
    """A fresh process opening a database already at the current schema and writing (nested)
    never imports sqlite-utils (12 MB of memory with click, pluggy and email); it is for
    migrations only."""
    path = store.path
    store.close()
    env = dict(os.environ)
    env.pop("NETAPP_DB", None)
    loaded = set(run_probe(PROBE, str(path), env=env))
    assert "netapp" in loaded
    assert not loaded & {"sqlite_utils", "click", "pluggy"}
