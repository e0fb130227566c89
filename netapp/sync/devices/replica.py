"""The replication document: a Yjs document (pycrdt) and the merge rules read from it.

Layout of the document (root types, all created by name, so two devices creating the same
root never conflict):

- one map per synced table (``people``, ``interactions``, …). Its keys are
  ``<row key>/<device>``: every device writes only its own entry of a row, *registers*
  ``{column: [time_ms, value]}`` for the columns it has written, as JSON text. Yjs carries and
  orders the entries; a row's value is read by merging the entries (:meth:`Replica.merged`):
  per column the newest register wins (ties: the greater device id), except a referral's
  status (only forward), a consent's withdrawal (wins) and ``_del`` (the tombstone, itself a
  register, so an undone delete comes back);
- one map per person set (``person_emails``, ``person_phones``, ``person_tags``) keyed
  ``<person>/<random id>``: an addition is a new key, a removal deletes the keys it saw, so
  an addition made concurrently with a removal survives (additions win);
- one text per person note, ``note:<person>``: concurrent edits of a note merge as text;
- ``forgotten``: the people forgotten anywhere (their UUID only);
- ``devices``: every device that wrote (a row's entries are found by trying each).

Deleted content is garbage-collected by Yrs: after :meth:`Replica.forget` an encoded state no
longer holds the person's fields, notes, emails or history (only UUIDs and device ids).
"""

from __future__ import annotations

import base64
import json
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from pycrdt import Doc, Map, Text

from netapp.sync.devices.tables import PERSON, SETS, SPECS, SetSpec, Spec

STATUS_RANK = {"new": 0, "contacted": 1, "won": 2, "lost": 2}
FORGOTTEN = "forgotten"
DEVICES = "devices"


@dataclass
class Merged:
    """A row as the merged entries of every device give it."""

    values: dict[str, Any] = field(default_factory=dict)
    deleted: bool = False
    exists: bool = False  # some device has an entry for it
    flags: list[str] = field(default_factory=list)  # conflicts to show the user


def _bytes_out(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return {"$b": base64.b64encode(value).decode()}
    raise TypeError(f"cannot store {type(value).__name__}")


def _bytes_in(obj: dict[str, Any]) -> Any:
    return base64.b64decode(obj["$b"]) if len(obj) == 1 and "$b" in obj else obj


def dumps(value: Any) -> str:
    """An entry as stored in the document: JSON text (pycrdt reads text far faster than
    nested maps), bytes (a photo) as base64."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_bytes_out)


def loads(text: str) -> Any:
    return json.loads(text, object_hook=_bytes_in)


def _entry(text: str | None) -> dict[str, Any] | None:
    """An entry read back; None for anything netapp would not have written."""
    if text is None:
        return None
    try:
        value = loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _split(key: str) -> tuple[str, str]:
    row, _, device = key.rpartition("/")
    return row, device


class Replica:
    """One device's copy of the replication document."""

    def __init__(
        self, client: int, device: str, state: bytes | None = None, more: Iterable[bytes] = ()
    ) -> None:
        self.device = device
        self.local_ops = 0  # changes this device made (a file is written when > 0)
        self._stale: dict[str, set[str]] = defaultdict(set)
        self.doc: Doc = Doc(client_id=client)
        self.tables = {s.name: self.doc.get(s.name, type=Map) for s in SPECS}
        self.sets = {s.name: self.doc.get(s.name, type=Map) for s in SETS}
        self.forgotten_map = self.doc.get(FORGOTTEN, type=Map)
        if state:
            self.doc.apply_update(state)
        for update in more:  # the updates saved after ``state``
            self.doc.apply_update(update)
        # The entries' texts, read when needed: one by one (~20 µs each in pycrdt) for a few
        # rows, in one pass (:meth:`load_all`) when a step reads most of a table. The row key
        # -> devices (or set items) index of a map is built when first needed (a small delta
        # finds a row's entries by trying each known device instead).
        self.cache: dict[str, dict[str, str]] = {n: {} for n in (*self.tables, *self.sets)}
        self._index: dict[str, dict[str, set[str]]] = {}
        self._full: set[str] = set()
        self.devices_map = self.doc.get(DEVICES, type=Map)
        self._devices = [str(d) for d in list(self.devices_map.keys())]
        # What the database holds of this document (``netapp.sync.devices.saved``): the state
        # vector saved last (None: save it whole next), the size of the whole saved and of
        # the updates appended since.
        self.saved_sv: bytes | None = None
        self.base_size = 0
        self.logged = 0

    def trim(self, *names: str) -> None:
        """Let go of the entries' texts read so far (read again when needed), of ``names``
        or of every map: they are memory the document already holds."""
        for name in names or tuple(self.cache):
            self.cache[name] = {}
            self._index.pop(name, None)
            self._full.discard(name)

    def _map(self, name: str) -> Map:
        return self.tables[name] if name in self.tables else self.sets[name]

    def index(self, name: str) -> dict[str, set[str]]:
        """Row key -> the devices (tables) or item ids (sets) with an entry, built once."""
        if name not in self._index:
            idx: dict[str, set[str]] = defaultdict(set)
            keys = list(self.cache[name]) if name in self._full else self._map(name).keys()
            for key in keys:
                row, tail = _split(str(key))
                idx[row].add(tail)
            self._index[name] = idx
        return self._index[name]

    def register(self) -> None:
        """Name this device in the document (its entries are found by trying each device)."""
        if self.device not in self.devices_map:
            self.devices_map[self.device] = 1
            self._devices.append(self.device)
            self.local_ops += 1

    def load_all(self, name: str) -> None:
        """Read every entry of one map in one pass (before reading most of them)."""
        if name not in self._full:
            with self.doc.transaction():  # one transaction, not one per entry read
                self.cache[name] = {str(k): str(v) for k, v in self._map(name).items()}
            self._full.add(name)

    def load_rows(self, name: str, rows: Iterable[str]) -> None:
        """Read the entries of ``rows`` (row keys, or people of a set) in one transaction,
        letting go of the texts read before: a step working through a whole table a chunk at
        a time holds one chunk's texts, not the table's (30 MB at 60,000 interactions)."""
        idx, ymap, cache = self.index(name), self._map(name), {}
        with self.doc.transaction():
            for row in rows:
                for tail in idx.get(row, ()):
                    value = ymap.get(f"{row}/{tail}")
                    if value is not None:
                        cache[f"{row}/{tail}"] = str(value)
        self.cache[name] = cache
        self._full.discard(name)

    def batch(self) -> AbstractContextManager[object]:
        """One transaction around many writes (each opens its own otherwise)."""
        return self.doc.transaction()

    def _text(self, name: str, key: str) -> str | None:
        cache = self.cache[name]
        if key in cache or name in self._full:
            return cache.get(key)
        value = self._map(name).get(key)
        if value is None:
            return None
        cache[key] = text = str(value)
        return text

    # -- encoding -----------------------------------------------------------------------

    def state_vector(self) -> bytes:
        return bytes(self.doc.get_state())

    def update_since(self, state_vector: bytes) -> bytes:
        return bytes(self.doc.get_update(state_vector))

    def encode(self) -> bytes:
        return bytes(self.doc.get_update())

    def is_empty(self) -> bool:
        return not any(len(m) for m in self.tables.values()) and not len(self.forgotten_map)

    @contextmanager
    def watching(self, everything: bool = False) -> Iterator[dict[str, set[str]]]:
        """Collect the row keys changed (per table or set) while the block applies updates.
        ``everything``: name every key after the block instead (a device's first sync, into
        an empty document: observing 100,000 new keys costs more time and memory)."""
        changed: dict[str, set[str]] = defaultdict(set)
        if everything:
            yield changed
            for name in (*self.tables, *self.sets):
                self.trim(name)
                changed[name].update(_split(str(k))[0] for k in list(self._map(name).keys()))
            changed[FORGOTTEN].update(self.forgotten())
            self._devices = [str(d) for d in list(self.devices_map.keys())]
            return
        subs = []
        for name, ymap in (
            *self.tables.items(),
            *self.sets.items(),
            (FORGOTTEN, self.forgotten_map),
        ):
            subs.append((ymap, ymap.observe(self._watcher(name, changed))))
        try:
            yield changed
        finally:
            for ymap, sub in subs:
                ymap.unobserve(sub)
            self._refresh()

    def _watcher(self, name: str, changed: dict[str, set[str]]) -> Any:
        def on_change(event: Any) -> None:
            keys = [str(k) for k in event.keys]
            if name == FORGOTTEN:
                changed[name].update(keys)
                return
            self._stale[name].update(keys)
            changed[name].update(_split(k)[0] for k in keys)

        return on_change

    def _refresh(self) -> None:
        """Bring the cache and the indexes up to date with what updates changed."""
        self._devices = [str(d) for d in list(self.devices_map.keys())]
        for name, keys in self._stale.items():
            if len(keys) > 2000:
                self.cache[name] = {}
                self._full.discard(name)
                self._index.pop(name, None)
                continue
            ymap, cache, idx = self._map(name), self.cache[name], self._index.get(name)
            for key in keys:
                row, tail = _split(key)
                value = ymap.get(key)
                if value is None:
                    cache.pop(key, None)
                    if idx is not None:
                        idx[row].discard(tail)
                else:
                    cache[key] = str(value)
                    if idx is not None:
                        idx[row].add(tail)
        self._stale.clear()

    def apply(self, update: bytes) -> None:
        self.doc.apply_update(update)

    # -- rows ---------------------------------------------------------------------------

    def keys(self, table: str) -> list[str]:
        return [k for k, devices in self.index(table).items() if devices]

    def devices_of(self, table: str, key: str) -> set[str]:
        """The devices with an entry for a row."""
        if table in self._index:
            return set(self._index[table].get(key, ()))
        return {d for d in self._devices if self._text(table, f"{key}/{d}") is not None}

    def entries(self, table: str, key: str) -> dict[str, dict[str, list[Any]]]:
        out = {}
        for device in self.devices_of(table, key):
            entry = _entry(self._text(table, f"{key}/{device}"))
            if entry is not None:
                out[device] = entry
        return out

    def merged(self, spec: Spec, key: str) -> Merged:
        entries = self.entries(spec.name, key)
        result = Merged(exists=bool(entries))
        best: dict[str, tuple[int, str, Any]] = {}
        withdrawn: list[str] = []
        statuses: dict[str, tuple[int, str]] = {}
        for device, entry in entries.items():
            for col, register in entry.items():
                if not (isinstance(register, list) and len(register) == 2):
                    continue  # not written by netapp: ignored
                t, value = register
                if not isinstance(t, int):
                    continue
                stamp = (t, device, value)
                if col not in best or stamp[:2] > best[col][:2]:
                    best[col] = stamp
                if col == "withdrawn_at" and value:
                    withdrawn.append(str(value))
                if col == "status" and value in STATUS_RANK:
                    statuses[str(value)] = max(statuses.get(str(value), (0, "")), (int(t), device))
        result.values = {col: stamp[2] for col, stamp in best.items() if col != "_del"}
        result.deleted = bool(best["_del"][2]) if "_del" in best else False
        if spec.name == "consents" and withdrawn:  # a withdrawal always wins
            result.values["withdrawn_at"] = min(withdrawn)
        if spec.name == "referrals":
            self._referral_rules(result, statuses, best)
        return result

    @staticmethod
    def _referral_rules(
        result: Merged, statuses: dict[str, tuple[int, str]], best: dict[str, Any]
    ) -> None:
        """Status only moves forward; won and lost at once keep the later and are flagged;
        a referral is either from someone or to someone, never both (the newer side stays)."""
        if statuses:
            top = max(STATUS_RANK[s] for s in statuses)
            final = [s for s in statuses if STATUS_RANK[s] == top]
            result.values["status"] = max(final, key=lambda s: statuses[s])
            if {"won", "lost"} <= set(final):
                result.flags.append("won-and-lost")
        v = result.values
        if v.get("referrer_id") and v.get("provider_id"):
            older = min(("referrer_id", "provider_id"), key=lambda c: best[c][:2])
            v[older] = None

    def write(self, table: str, key: str, changes: dict[str, Any], t: int) -> None:
        """Set registers of this device's entry of a row."""
        if not changes:
            return
        own = f"{key}/{self.device}"
        entry = _entry(self._text(table, own)) or {}
        for col, value in changes.items():
            entry[col] = [t, value]
        self.cache[table][own] = text = dumps(entry)
        self.tables[table][own] = text
        self.local_ops += 1
        if table in self._index:
            self._index[table][key].add(self.device)

    def drop(self, table: str, key: str) -> None:
        """Delete every device's entry of a row (forget)."""
        ymap = self.tables[table]
        for device in self.devices_of(table, key):
            ymap.pop(f"{key}/{device}", None)
            self.cache[table].pop(f"{key}/{device}", None)
        if table in self._index:
            self._index[table].pop(key, None)

    # -- a person's sets and notes -----------------------------------------------------

    def set_items(self, spec: SetSpec, person: str) -> dict[str, dict[str, Any]]:
        out = {}
        for elem in self.index(spec.name).get(person, ()):
            item = _entry(self._text(spec.name, f"{person}/{elem}"))
            if item is not None and isinstance(item.get("t"), int) and "id" in item:
                out[elem] = item
        return out

    @staticmethod
    def merged_set(spec: SetSpec, items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """One item per value (the newest), ordered by position then value."""
        best: dict[Any, dict[str, Any]] = {}
        for item in items:
            value = item.get(spec.value)
            if value not in best or (item["t"], item["id"]) > (best[value]["t"], best[value]["id"]):
                best[value] = item
        out = [{k: v for k, v in i.items() if k not in ("t", "id")} for i in best.values()]
        return sorted(out, key=lambda i: (i.get("position", 0), str(i[spec.value])))

    def add_item(self, spec: SetSpec, person: str, item: dict[str, Any], t: int) -> None:
        elem = secrets.token_hex(6)
        text = dumps({**item, "t": t, "id": elem})
        self.sets[spec.name][f"{person}/{elem}"] = text
        self.cache[spec.name][f"{person}/{elem}"] = text
        self.index(spec.name)[person].add(elem)
        self.local_ops += 1

    def remove_items(self, spec: SetSpec, person: str, elems: Iterable[str]) -> None:
        ymap = self.sets[spec.name]
        for elem in elems:
            ymap.pop(f"{person}/{elem}", None)
            self.cache[spec.name].pop(f"{person}/{elem}", None)
            self.index(spec.name)[person].discard(elem)
            self.local_ops += 1

    def note_text(self, person: str) -> Text:
        return self.doc.get(f"note:{person}", type=Text)

    def note(self, person: str) -> str:
        return str(self.note_text(person))

    def set_note(self, person: str, new: str) -> bool:
        """Edit the note into ``new`` by the smallest changes, so concurrent edits merge.
        Returns whether it changed."""
        from difflib import SequenceMatcher

        text = self.note_text(person)
        old = str(text)
        if old == new:
            return False
        self.local_ops += 1
        if not old:  # a first note: no diff to make
            text.insert(0, new)
            return True
        ops = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        with self.doc.transaction():
            for tag, i1, i2, j1, j2 in reversed(ops):  # from the end: indexes stay valid
                if tag in ("replace", "delete"):
                    del text[i1:i2]
                if tag in ("replace", "insert"):
                    text.insert(i1, new[j1:j2])
        return True

    # -- forget -------------------------------------------------------------------------

    def forgotten(self) -> set[str]:
        return set(self.forgotten_map.keys())

    def mark_forgotten(self, person: str, t: int) -> None:
        self.forgotten_map[person] = t
        self.local_ops += 1

    def purge(
        self, people: set[str], only: dict[str, set[str]] | None = None
    ) -> dict[str, set[str]]:
        """Remove every trace of ``people`` from the document (looking only at the rows in
        ``only`` when given: those an update just changed). Returns the rows touched."""
        touched: dict[str, set[str]] = defaultdict(set)
        if not people:
            return touched
        for person in people if only is None else people & only.get(PERSON, set()):
            self._purge_person(person, touched)
        if only is not None:  # sets changed by an update, of people forgotten earlier
            for sspec in SETS:
                for person in people & only.get(sspec.name, set()):
                    items = self.set_items(sspec, person)
                    self.remove_items(sspec, person, items)
                    touched[sspec.name].add(person)
        for spec in SPECS:
            refs = [c for c, t in spec.refs.items() if t == PERSON]
            if refs and spec.name != PERSON:
                if only is None:
                    self.load_all(spec.name)
                keys = self.keys(spec.name) if only is None else only.get(spec.name, set())
                self._purge_refs(spec, refs, people, touched, keys)
        self.local_ops += sum(len(v) for v in touched.values())
        return touched

    def _purge_person(self, person: str, touched: dict[str, set[str]]) -> None:
        """The person's own row entries, sets and note."""
        if self.devices_of(PERSON, person):
            self.drop(PERSON, person)
            touched[PERSON].add(person)
        for sspec in SETS:
            items = self.set_items(sspec, person)
            if items:
                self.remove_items(sspec, person, items)
                touched[sspec.name].add(person)
        text = self.note_text(person)
        if len(text):
            del text[0 : len(text)]
            touched[PERSON].add(person)

    def _purge_refs(
        self,
        spec: Spec,
        refs: list[str],
        people: set[str],
        touched: dict[str, set[str]],
        keys: Iterable[str],
    ) -> None:
        for key in list(keys):
            entries = self.entries(spec.name, key)
            mentioned = {col: e[col][1] for e in entries.values() for col in refs if col in e}
            if not any(v in people for v in mentioned.values()) and not any(
                part in people for part in key.split("/")
            ):
                continue
            touched[spec.name].add(key)
            merged = self.merged(spec, key)
            self.drop(spec.name, key)
            if spec.name == "referrals" and not any(
                merged.values.get(c) in people for c in spec.required
            ):  # the person was the prospect: the referral stays, without them
                values = dict(merged.values)
                values.update(prospect_id=None, prospect_name="", note="")
                self.write(spec.name, key, {**values, "_del": merged.deleted}, 0)
