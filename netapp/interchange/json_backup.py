"""netapp's own JSON backup: every table that holds the user's data, losslessly.

The format is documented in ``docs/backup-format.md``. Export → restore into an empty
database → export gives identical ``tables``. Restoring keeps ids, uuids and timestamps, so a
backup can only be restored into a database that holds no data yet.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from datetime import UTC, datetime
from typing import Any

from netapp import __version__
from netapp.domain import Topic
from netapp.interchange.records import ImportFileError
from netapp.store import Store
from netapp.store.schema import known_migrations

FORMAT = "netapp-backup"
VERSION = 1
# Derived or transient tables that are not part of a backup.
EXCLUDED = {"person_status", "drafts", "_sqlite_migrations"}
MAX_CELL_CHARS = 8_000_000
# Full-text search tables and their shadow tables (people_fts, notes_fts_data, …): derived.
_FTS = re.compile(r"_fts($|_)")


def data_tables(store: Store) -> list[str]:
    rows = store.db.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [r["name"] for r in rows if r["name"] not in EXCLUDED and not _FTS.search(r["name"])]


def _columns(store: Store, table: str) -> list[str]:
    return [r["name"] for r in store.db.query(f'PRAGMA table_info("{table}")')]


def _pk_order(store: Store, table: str) -> str:
    info = store.db.query(f'PRAGMA table_info("{table}")')
    pk = [r["name"] for r in sorted(info, key=lambda r: r["pk"]) if r["pk"]]
    return ", ".join(f'"{c}"' for c in pk) if pk else "rowid"


def _cell_out(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return value


def dump(store: Store) -> dict[str, Any]:
    """The whole database as a JSON-ready dict."""
    tables: dict[str, Any] = {}
    for table in data_tables(store):
        cols = _columns(store, table)
        cur = store.db.conn.execute(
            f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}" '
            f"ORDER BY {_pk_order(store, table)}"
        )
        tables[table] = {"columns": cols, "rows": [[_cell_out(v) for v in r] for r in cur]}
    return {
        "format": FORMAT,
        "version": VERSION,
        "app_version": __version__,
        "schema": [m for m in known_migrations() if m in _applied(store)],
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": tables,
    }


def _applied(store: Store) -> set[str]:
    return {r["name"] for r in store.db.query("SELECT name FROM _sqlite_migrations")}


def dumps(store: Store) -> str:
    return json.dumps(dump(store), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _cell_in(value: Any, where: str, file: str) -> Any:
    if value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        if len(value) > MAX_CELL_CHARS:
            raise ImportFileError(file, f"{where}: a value of {len(value)} characters is too long")
        return value
    if isinstance(value, dict) and set(value) == {"base64"} and isinstance(value["base64"], str):
        try:
            return base64.b64decode(value["base64"], validate=True)
        except ValueError:
            raise ImportFileError(file, f"{where}: damaged base64 data") from None
    raise ImportFileError(file, f"{where}: unexpected value of type {type(value).__name__}")


def load(data: bytes, file: str) -> dict[str, Any]:
    """Parse and check a backup file's envelope."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportFileError(file, "a netapp backup must be UTF-8 JSON") from None
    except json.JSONDecodeError as exc:
        raise ImportFileError(file, f"not valid JSON: {exc.msg}", exc.lineno) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportFileError(file, "this JSON file is not a netapp backup")
    if doc.get("version") != VERSION:
        raise ImportFileError(
            file, f"backup format version {doc.get('version')!r} is not supported (expected 1)"
        )
    unknown = [m for m in doc.get("schema", []) if m not in known_migrations()]
    if unknown:
        raise ImportFileError(
            file, f"the backup was written by a newer netapp (schema step {unknown[-1]!r})"
        )
    if not isinstance(doc.get("tables"), dict):
        raise ImportFileError(file, "the backup has no tables")
    return doc


def count_rows(doc: dict[str, Any]) -> dict[str, int]:
    return {t: len(v.get("rows", [])) for t, v in doc["tables"].items()}


def is_empty(store: Store) -> bool:
    """True when no table except settings holds any row."""
    for table in data_tables(store):
        if table == "settings":
            continue
        if store.db.scalar(f'SELECT 1 FROM "{table}" LIMIT 1') is not None:
            return False
    return True


def restore(store: Store, doc: dict[str, Any], file: str) -> int:
    """Write a loaded backup into an empty database in one transaction. Returns people count."""
    if not is_empty(store):
        raise ImportFileError(
            file,
            "a netapp backup restores into an empty database only; "
            "open a new database file (--db NEW.db) and import it there",
        )
    existing = set(data_tables(store))
    tables = doc["tables"]
    for table, body in tables.items():
        if table not in existing:
            raise ImportFileError(file, f"unknown table {table!r} in the backup")
        cols = body.get("columns")
        known = set(_columns(store, table))
        if not isinstance(cols, list) or not cols or not set(cols) <= known:
            bad = sorted(set(cols or []) - known) if isinstance(cols, list) else ["?"]
            raise ImportFileError(file, f"table {table!r}: unknown columns {bad}")
    with store.atomic():
        store.db.conn.execute("PRAGMA defer_foreign_keys = ON")
        for table, body in tables.items():
            cols = body["columns"]
            sql = (
                f'INSERT OR REPLACE INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in cols)})'
                f" VALUES ({', '.join('?' * len(cols))})"
            )
            for i, row in enumerate(body.get("rows", [])):
                where = f"table {table!r}, row {i + 1}"
                if not isinstance(row, list) or len(row) != len(cols):
                    raise ImportFileError(file, f"{where}: expected {len(cols)} values")
                try:
                    store.db.conn.execute(sql, [_cell_in(v, where, file) for v in row])
                except sqlite3.IntegrityError as exc:
                    raise ImportFileError(file, f"{where}: {exc}") from None
        bad = store.db.conn.execute("PRAGMA foreign_key_check").fetchone()
        if bad:
            raise ImportFileError(file, f"table {bad[0]!r} refers to a missing {bad[2]!r} row")
        ids = [r[0] for r in store.db.conn.execute("SELECT id FROM people")]
        store.changed(Topic.PEOPLE, ids)
        store.changed(Topic.INTERACTIONS, ids)
        store.changed(Topic.MEETINGS)
        store.changed(Topic.SETTINGS)
    return len(ids)
