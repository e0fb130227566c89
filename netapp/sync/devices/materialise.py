"""The document into SQLite: the rows that changed are written as the merge gives them.

Runs inside the sync's transaction with the outbox triggers standing aside. Tables go parents
first; a row whose required parent is missing or deleted is not stored (nor kept: SQLite's
cascade removed it), and comes back when the parent does. A parent that appears brings its
children (which may have arrived earlier, from another device) with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from netapp.fields import fold
from netapp.sync.devices.replica import Merged, Replica
from netapp.sync.devices.tables import PERSON, SETS, SPECS, Rows, SetSpec, Spec, device_local


@dataclass
class Applied:
    """What one materialisation did."""

    written: int = 0
    deleted: int = 0
    people: set[int] = field(default_factory=set)  # ids whose status must be recomputed
    flags: list[tuple[str, str]] = field(default_factory=list)  # (referral key, flag)
    new_referrals: set[str] = field(default_factory=set)  # arrived in this sync
    applied: int = 0  # other devices' updates applied (set by the sync)
    forgot: bool = False  # someone was forgotten, here or elsewhere (set by the sync)


def materialise(
    rows: Rows,
    replica: Replica,
    changed: dict[str, set[str]],
    forget: Callable[[int], object],
) -> Applied:
    """Write the rows named in ``changed`` (per table) as the document merges them."""
    done = Applied()
    work: dict[str, set[str]] = defaultdict(set, {k: set(v) for k, v in changed.items()})
    forgotten = replica.forgotten()
    for spec in SPECS:
        keys = work.get(spec.name, set())
        appeared = _table(rows, replica, spec, keys, forgotten, forget, done) if keys else set()
        appeared |= work.get("+" + spec.name, set())
        if spec.name == "referrals":
            done.new_referrals |= appeared
        if appeared:
            _children(replica, spec.name, appeared, work)
            if spec.name == PERSON:
                for sspec in SETS:
                    work[sspec.name].update(appeared)
        replica.trim(spec.name)  # read no more (child tables come later): bounds memory
    for sspec in SETS:
        people = sorted(work.get(sspec.name, set()) - forgotten)
        for i in range(0, len(people), CHUNK):
            if len(people) > 1000:
                replica.load_rows(sspec.name, people[i : i + CHUNK])
            _sets(rows, replica, sspec, people[i : i + CHUNK], done)
        replica.trim(sspec.name)
    done.people.discard(0)
    return done


def _sets(rows: Rows, replica: Replica, spec: SetSpec, people: list[str], done: Applied) -> None:
    """Write the sets of ``people`` that differ from the merge, in one batch."""
    have = rows.read_sets(spec, people)
    writes: dict[str, list[dict[str, Any]]] = {}
    for person in people:
        if person not in have:
            continue  # not stored here
        want = replica.merged_set(spec, replica.set_items(spec, person).values())
        if _canon(have[person]) != _canon(want):
            writes[person] = want
            done.people.add(rows.id_of(PERSON, person) or 0)
    rows.write_sets(spec, writes)


def _canon(items: list[dict[str, object]]) -> list[tuple[tuple[str, object], ...]]:
    return sorted(tuple(sorted((k, v) for k, v in i.items())) for i in items)


CHUNK = 5000  # rows read, merged and written at a time (bounds the memory of a first sync)


def _table(
    rows: Rows,
    replica: Replica,
    spec: Spec,
    keys: set[str],
    forgotten: set[str],
    forget: Callable[[int], object],
    done: Applied,
) -> set[str]:
    """Materialise ``keys`` of one table; returns the keys of rows that newly appeared."""
    ordered = sorted(keys)
    appeared: set[str] = set()
    for i in range(0, len(ordered), CHUNK):
        chunk = ordered[i : i + CHUNK]
        if len(keys) > 1000:
            replica.load_rows(spec.name, chunk)
        appeared |= _chunk(rows, replica, spec, chunk, forgotten, forget, done)
    return appeared


def _chunk(
    rows: Rows,
    replica: Replica,
    spec: Spec,
    keys: list[str],
    forgotten: set[str],
    forget: Callable[[int], object],
    done: Applied,
) -> set[str]:
    current = {k: rows.sql_form(spec, v) for k, v in rows.read(spec, keys).items()}
    notes = rows.notes(keys) if spec.name == PERSON else {}
    appeared: set[str] = set()
    pending: list[dict[str, Any]] = []
    group_names = _group_names(rows, replica) if spec.name == "groups" else {}
    for key in keys:
        merged = replica.merged(spec, key)
        if spec.name == "referrals":
            done.flags.extend((key, f) for f in merged.flags)
        want = _wanted(rows, spec, key, merged, forgotten)
        have = current.get(key)
        if want is None:
            if have is not None:
                _remove(rows, spec, key, have, forgotten, forget, done)
            continue
        if key in group_names:
            want["name"] = group_names[key]
        if spec.name == PERSON:
            want["note"] = replica.note(key)
            if have is not None:
                have["note"] = notes.get(key)
        if want != have:
            pending.append(want)
        if have is None:
            appeared.add(key)
    rows.upsert_many(spec, pending)
    done.written += len(pending)
    for want in pending:
        _touch(rows, spec, want, done)
    return appeared


def _wanted(
    rows: Rows, spec: Spec, key: str, merged: Merged, forgotten: set[str]
) -> dict[str, Any] | None:
    """The row as SQLite should hold it (SQL form), or None if it should not be there: not
    created yet (another device's edit arrived first), deleted, a device's own setting, a
    forgotten person's, or a required parent missing."""
    if (
        not merged.exists
        or merged.deleted
        or not rows.data_columns(spec) <= merged.values.keys()
        or (spec.name == "settings" and device_local(key))
        or any(part in forgotten for part in key.split("/"))
    ):
        return None
    values = dict(merged.values)
    for col, part in zip(spec.key, key.split("/", len(spec.key) - 1), strict=True):
        values[col] = part
    return rows.sql_form(spec, values)


def _remove(
    rows: Rows,
    spec: Spec,
    key: str,
    have: dict[str, object],
    forgotten: set[str],
    forget: Callable[[int], object],
    done: Applied,
) -> None:
    _touch(rows, spec, have, done)
    if spec.name == PERSON and key in forgotten:
        pid = rows.id_of(PERSON, key)
        if pid is not None:
            forget(pid)  # the safety feature's forget: drafts, referral names, batches
        rows.forget_cache()
    else:
        rows.delete(spec, key)
    done.deleted += 1


def _touch(rows: Rows, spec: Spec, row: dict[str, object], done: Applied) -> None:
    for col, table in spec.refs.items():
        value = row.get(col)
        if table == PERSON and isinstance(value, int):
            done.people.add(value)
    if spec.name == PERSON and row.get("uuid"):
        done.people.add(rows.id_of(PERSON, str(row["uuid"])) or 0)


def _children(replica: Replica, parent: str, appeared: set[str], work: dict[str, set[str]]) -> None:
    """Queue the rows of child tables that point at rows that just appeared."""
    for spec in SPECS:
        cols = [c for c, t in spec.refs.items() if t == parent]
        if not cols or spec.name == parent:
            continue
        keys = [k for k in replica.keys(spec.name) if k not in work[spec.name]]
        if len(keys) > 1000:
            replica.load_all(spec.name)
        for key in keys:
            if spec.key != ("uuid",) and any(p in appeared for p in key.split("/")):
                work[spec.name].add(key)
                continue
            for entry in replica.entries(spec.name, key).values():
                if any(col in entry and entry[col][1] in appeared for col in cols):
                    work[spec.name].add(key)
                    break


def _group_names(rows: Rows, replica: Replica) -> dict[str, str]:
    """Two devices may create groups of the same name: the group with the smallest UUID keeps
    the name, the others get theirs followed by the start of their UUID (the same everywhere).
    Existing rows are renamed first, so that the names stay unique while rows are written."""
    spec = next(s for s in SPECS if s.name == "groups")
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key in replica.keys("groups"):
        merged = replica.merged(spec, key)
        if not merged.deleted and "name" in merged.values:
            names[fold(str(merged.values["name"]))].append((key, str(merged.values["name"])))
    final: dict[str, str] = {}
    for group in names.values():
        group.sort()
        for i, (key, base) in enumerate(group):
            final[key] = base if i == 0 else f"{base} ({key[:8]})"
            if i:
                rows.conn.execute(
                    "UPDATE groups SET name = ? WHERE uuid = ? AND name != ?",
                    [final[key], key, final[key]],
                )
    return final
