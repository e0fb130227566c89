"""Local changes into the document: the outbox (filled by triggers) read against the merged rows.

For each row the outbox names, the row as stored here is compared with the row the document
gives; the columns that differ become this device's registers, stamped with the time the
outbox recorded the write (so the newer edit wins, whichever device syncs first). A row gone
from SQLite becomes a tombstone, unless it went because its parent went (a cascade: the
parent's tombstone covers it, and an undone delete brings the parent and its history back).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from netapp.store.devices import OutboxRow
from netapp.sync.devices.replica import Replica
from netapp.sync.devices.tables import (
    BY_NAME,
    PERSON,
    SETS_BY_NAME,
    Rows,
    SetSpec,
    Spec,
    device_local,
)


def millis(at: str) -> int:
    """An outbox time (UTC, ISO 8601) as milliseconds since 1970; unknown times are 0."""
    try:
        when = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return 0
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp() * 1000)


def capture(rows: Rows, replica: Replica, outbox: list[OutboxRow]) -> dict[str, set[str]]:
    """Write the outbox's rows into ``replica``. Returns the keys touched, per table
    (``forget``: the people forgotten here; ``+table``: rows whose delete was undone here)."""
    latest: dict[str, dict[str, int]] = defaultdict(dict)
    for row in outbox:
        if row.key is not None:
            t = millis(row.at)
            latest[row.tbl][row.key] = max(t, latest[row.tbl].get(row.key, 0))
    with replica.batch():
        return _capture(rows, replica, latest)


def _capture(
    rows: Rows, replica: Replica, latest: dict[str, dict[str, int]]
) -> dict[str, set[str]]:
    touched: dict[str, set[str]] = defaultdict(set)
    forgotten = set(latest.pop("forget", {}))
    for person in forgotten:
        replica.mark_forgotten(person, latest.get(PERSON, {}).get(person, 0))
    touched["forget"] = forgotten
    for table, keys in latest.items():
        if table in BY_NAME:
            spec = BY_NAME[table]
            if table == "settings":
                keys = {k: t for k, t in keys.items() if not device_local(k)}
            _capture_rows(rows, replica, spec, keys, forgotten, touched["+" + table])
        elif table in SETS_BY_NAME:
            _capture_sets(rows, replica, table, keys, forgotten)
        touched[table].update(keys)
    return touched


def _capture_rows(
    rows: Rows,
    replica: Replica,
    spec: Spec,
    keys: dict[str, int],
    forgotten: set[str],
    revived: set[str],
) -> None:
    items = list(keys.items())
    for i in range(0, len(items), 5000):  # bounds the memory of a first sync
        chunk = dict(items[i : i + 5000])
        if len(keys) > 1000:
            replica.load_rows(spec.name, chunk)
        _capture_chunk(rows, replica, spec, chunk, forgotten, revived)


def _capture_chunk(
    rows: Rows,
    replica: Replica,
    spec: Spec,
    keys: dict[str, int],
    forgotten: set[str],
    revived: set[str],
) -> None:
    current = rows.read(spec, keys)
    for key, t in keys.items():
        if key in forgotten:
            continue
        merged = replica.merged(spec, key)
        row = current.get(key)
        if row is None:
            if merged.exists and not merged.deleted and not _cascaded(rows, spec, merged.values):
                replica.write(spec.name, key, {"_del": True}, t)
            continue
        changes = {
            col: value
            for col, value in row.items()
            if col not in spec.key and not _same(rows, spec, col, value, merged.values)
        }
        if merged.deleted or not merged.exists:
            changes["_del"] = False
            if merged.exists:
                revived.add(key)  # an undone delete: its history comes back with it
        if spec.name == PERSON:
            note = rows.conn.execute("SELECT note FROM people WHERE uuid = ?", [key]).fetchone()
            if replica.set_note(key, note[0] if note else ""):
                changes["_n"] = t  # the note (a text of its own) changed: the row did
        replica.write(spec.name, key, changes, t)


def _same(rows: Rows, spec: Spec, col: str, value: Any, merged: dict[str, Any]) -> bool:
    if col not in merged:
        return False
    if merged[col] == value:
        return True
    # An optional reference whose row is gone here reads as NULL (ON DELETE SET NULL).
    return (
        value is None
        and col in spec.refs
        and col not in spec.required
        and rows.id_of(spec.refs[col], merged[col]) is None
    )


def _cascaded(rows: Rows, spec: Spec, values: dict[str, Any]) -> bool:
    """Whether a row's absence here comes from its parent's absence (a cascade)."""
    for col in spec.required:
        parent = values.get(col)
        if parent is not None and rows.id_of(spec.refs[col], parent) is None:
            return True
    return False


def _capture_sets(
    rows: Rows, replica: Replica, table: str, keys: dict[str, int], forgotten: set[str]
) -> None:
    spec = SETS_BY_NAME[table]
    people = list(keys)
    for i in range(0, len(people), 5000):
        chunk = people[i : i + 5000]
        if len(keys) > 1000:
            replica.load_rows(table, chunk)
        stored = rows.read_sets(spec, chunk)
        for person in chunk:
            here = stored.get(person)
            if here is None or person in forgotten:
                continue  # the person is gone: their own tombstone covers their sets
            _capture_set(replica, spec, person, here, keys[person])


def _capture_set(
    replica: Replica, spec: SetSpec, person: str, here: list[dict[str, Any]], t: int
) -> None:
    """One person's set as stored here into the document: additions and removals."""
    items = replica.set_items(spec, person)
    merged = {i[spec.value]: i for i in replica.merged_set(spec, items.values())}
    by_value: dict[Any, list[str]] = defaultdict(list)
    for elem, item in items.items():
        by_value[item.get(spec.value)].append(elem)
    wanted = {i[spec.value]: i for i in here}
    for value, item in wanted.items():
        if merged.get(value) != item:
            replica.remove_items(spec, person, by_value.get(value, []))
            replica.add_item(spec, person, item, t)
    for value, elems in by_value.items():
        if value not in wanted:
            replica.remove_items(spec, person, elems)
