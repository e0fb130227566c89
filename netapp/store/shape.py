"""The shape of a netapp database: its schema objects against what the migrations make.

A backup is a whole SQLite file, so it can carry code: a trigger, a view, an index or a table
that netapp never made (``AFTER INSERT ON interactions … DELETE FROM people``). Before a file
is trusted (``netapp check``, ``check --file``, ``restore``) its schema objects (type, name,
table, SQL) are compared with those of an empty database built in memory by this netapp's own
migrations, stopped at the file's version. Anything extra, missing or different is refused.
The expected schema is built from the migrations themselves, never from a hand-kept list.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from typing import Any

from netapp.store.versions import known_migrations

# Statistics tables SQLite itself makes (ANALYZE, PRAGMA optimize): data for the query
# planner, not code. Allowed only with exactly the definition SQLite gives them.
SQLITE_OWN = {
    ("table", "sqlite_stat1"): "CREATE TABLE sqlite_stat1(tbl,idx,stat)",
    ("table", "sqlite_stat4"): "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
}

Objects = dict[tuple[str, str], tuple[str, str]]


def _norm(sql: str | None) -> str:
    return " ".join((sql or "").split())


def objects(conn: Any) -> Objects:
    """Every schema object of an open connection: (type, name) -> (table, normalised SQL)."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return {(str(t), str(n)): (str(tbl), _norm(sql)) for t, n, tbl, sql in rows}


@lru_cache(maxsize=8)
def expected(version: int) -> Objects:
    """The schema objects netapp's migrations make up to ``version`` (1 = the first)."""
    from sqlite_utils import Database as UtilsDatabase

    from netapp.store.schema import migrations

    names = known_migrations()
    conn = sqlite3.connect(":memory:")
    try:
        stop = names[version] if version < len(names) else None
        migrations.apply(UtilsDatabase(conn), stop_before=stop)
        return objects(conn)
    finally:
        conn.close()


def differences(conn: Any, version: int) -> list[str]:
    """What in the connection's schema differs from netapp's at ``version``, in words; empty
    when the shape is exactly right."""
    have, want = objects(conn), expected(version)
    out: list[str] = []
    for key in sorted(set(have) | set(want)):
        kind, name = key
        if key in SQLITE_OWN and key not in want:
            if have[key][1] != _norm(SQLITE_OWN[key]):
                out.append(f"{kind} {name!r} is not SQLite's own")
        elif key not in want:
            out.append(f"unexpected {kind} {name!r}")
        elif key not in have:
            out.append(f"missing {kind} {name!r}")
        elif have[key] != want[key]:
            out.append(f"{kind} {name!r} differs from netapp's")
    return out
