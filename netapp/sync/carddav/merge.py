"""The three-way merge of one card: the last synced version (base), netapp's and the server's.

Per field, against the base:

* changed on one side only: that side's value;
* changed on both sides to the same value: that value;
* changed on both sides differently (a *conflict*): the newer edit's value; the other is
  returned as a :class:`Conflict` so the caller records it in the person's timeline;
* emails, phones and tags are sets keyed by address, number and tag: an item added on either
  side is kept, an item removed on either side (and not changed on the other) goes; the same
  item relabelled on both sides is a conflict on that item.

With no base (a card and a person linked for the first time) nothing counts as removed: the
sets are united, and a field empty on one side takes the other side's value.

Fields are plain JSON-able values (see :data:`SCALARS` and :data:`SETS`), so a base can be
stored as JSON and the merge tested without a server.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Fields = dict[str, Any]

SCALARS = ("name", "org", "title", "birthday", "note")  # one value each (a list for name, org)
SETS = ("emails", "phones", "tags")  # lists of items; an item's key is its first element


@dataclass(frozen=True)
class Conflict:
    field: str
    kept: Any
    lost: Any
    kept_local: bool  # True when netapp's edit was kept


@dataclass
class Merged:
    fields: Fields
    conflicts: list[Conflict] = field(default_factory=list)


def _key(item: Any) -> Any:
    head = item[0] if isinstance(item, list | tuple) else item
    return head.casefold() if isinstance(head, str) else head


def _empty(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return all(_empty(v) for v in value)
    return value in ("", None)


def merge(
    base: Mapping[str, Any] | None,
    local: Mapping[str, Any],
    remote: Mapping[str, Any],
    *,
    local_newer: bool,
) -> Merged:
    """Merge the fields present in ``local`` (the fields netapp syncs)."""
    out = Merged({})
    for name in local:
        if name in SETS:
            out.fields[name] = _merge_set(
                name, base.get(name, []) if base is not None else None, local[name],
                remote.get(name, []), local_newer, out.conflicts,
            )  # fmt: skip
        else:
            out.fields[name] = _merge_scalar(
                name, base.get(name) if base is not None else None, local[name],
                remote.get(name, _blank(local[name])), local_newer, out.conflicts,
            )  # fmt: skip
    return out


def _blank(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_blank(v) for v in value]
    return ""


def _merge_scalar(
    name: str, base: Any, local: Any, remote: Any, local_newer: bool, conflicts: list[Conflict]
) -> Any:
    if local == remote:
        return local
    if base is None:  # first link: an empty side takes the other's value
        if _empty(local):
            return remote
        if _empty(remote):
            return local
    elif remote == base:
        return local
    elif local == base:
        return remote
    kept, lost = (local, remote) if local_newer else (remote, local)
    conflicts.append(Conflict(name, kept, lost, local_newer))
    return kept


def _merge_set(
    name: str,
    base: list[Any] | None,
    local: list[Any],
    remote: list[Any],
    local_newer: bool,
    conflicts: list[Conflict],
) -> list[Any]:
    if local == remote or (base is not None and remote == base):
        return local
    if base is not None and local == base:
        return remote
    b = {_key(i): i for i in base} if base is not None else None
    lo = {_key(i): i for i in local}
    re_ = {_key(i): i for i in remote}
    out: list[Any] = []
    for key in [*lo, *(k for k in re_ if k not in lo)]:
        in_l, in_r = key in lo, key in re_
        in_b = key in b if b is not None else in_l and in_r
        if in_b and not (in_l and in_r):
            continue  # removed on one side
        if in_l and in_r and b is None:
            out.append(_first_item(lo[key], re_[key], local_newer))
        elif in_l and in_r:
            assert b is not None
            out.append(_merge_item(name, b.get(key), lo[key], re_[key], local_newer, conflicts))
        else:
            out.append(lo[key] if in_l else re_[key])
    return out


def _first_item(local: Any, remote: Any, local_newer: bool) -> Any:
    """The same item on both sides of a first link: the one with more said, else the newer."""
    if _empty(local[1:] if isinstance(local, list | tuple) else ""):
        return remote
    if _empty(remote[1:] if isinstance(remote, list | tuple) else ""):
        return local
    return local if local_newer else remote


def _merge_item(
    name: str, base: Any, local: Any, remote: Any, local_newer: bool, conflicts: list[Conflict]
) -> Any:
    if local == remote or remote == base:
        return local
    if local == base:
        return remote
    kept, lost = (local, remote) if local_newer else (remote, local)
    conflicts.append(Conflict(name, kept, lost, local_newer))
    return kept
