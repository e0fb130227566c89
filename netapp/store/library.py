"""The value library: what the user gives to build trust (table ``library_items``):
``store.library``."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from netapp import fields as F
from netapp.domain import LibraryItem, LibraryKind, Topic, parse_enum
from netapp.errors import NotFoundError, ValidationError
from netapp.store.db import Database, new_uuid, now_iso
from netapp.store.records import columns, from_row

_COLUMNS = columns(LibraryItem, without=("id", "uuid"))
_CHANGEABLE = frozenset(LibraryItem.__dataclass_fields__) - {"id", "uuid"}


def _from_row(r: dict[str, Any]) -> LibraryItem:
    return from_row(LibraryItem, {**r, "tags": json.loads(r["tags"] or "[]")})


def _values(item: LibraryItem) -> list[Any]:
    """The checked column values of ``item``, in the order of ``_COLUMNS``."""
    title = F.clean_text("title", item.title)
    if not title:
        raise ValidationError("title", "a library item needs a title")
    kind = parse_enum(LibraryKind, item.kind, "kind")
    tags = sorted({F.normalize_tag(t) for t in item.tags if t.strip()})
    return [
        title,
        kind.value,
        F.clean_text("website", item.url),
        F.clean_text("note", item.description, multiline=True),
        json.dumps(tags),
        item.retired_at,
    ]


class Library:
    """The library repository: ``store.library``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, item: LibraryItem) -> int:
        values = _values(item)
        with self.db.atomic():
            cur = self.db.conn.execute(
                f"INSERT INTO library_items (uuid, {', '.join(_COLUMNS)}, created_at) "
                f"VALUES ({', '.join('?' * (len(_COLUMNS) + 2))})",
                [item.uuid or new_uuid(), *values, now_iso()],
            )
            self.db.changed(Topic.LIBRARY)
        return int(cur.lastrowid or 0)

    def update(self, item_id: int, **changes: Any) -> None:
        with self.db.atomic():  # the read that decides the write, inside its transaction
            current = self.get(item_id)
            for key in changes:
                if key not in _CHANGEABLE:
                    raise ValidationError(key, "no such library field")
            values = _values(replace(current, **changes))
            self.db.conn.execute(
                f"UPDATE library_items SET {', '.join(f'{c} = ?' for c in _COLUMNS)} WHERE id = ?",
                [*values, item_id],
            )
            self.db.changed(Topic.LIBRARY)

    def delete(self, item_id: int) -> None:
        """Delete an item nobody was given (the undo of :meth:`add`); one that was given since
        stays (retire it instead), so no interaction loses its link."""
        with self.db.atomic():
            self.get(item_id)
            given = self.db.scalar(
                "SELECT count(*) FROM interactions WHERE library_item_id = ?", [item_id]
            )
            if given:
                raise ValidationError("library item", "it has been given since; retire it instead")
            self.db.conn.execute("DELETE FROM library_items WHERE id = ?", [item_id])
            self.db.changed(Topic.LIBRARY)

    def get(self, item_id: int) -> LibraryItem:
        rows = self.db.query("SELECT * FROM library_items WHERE id = ?", [item_id])
        if not rows:
            raise NotFoundError(f"library item {item_id} not found")
        return _from_row(rows[0])

    def all(self, *, include_retired: bool = False) -> list[LibraryItem]:
        where = "" if include_retired else "WHERE retired_at IS NULL"
        return [
            _from_row(r) for r in self.db.query(f"SELECT * FROM library_items {where} ORDER BY id")
        ]
