"""The settings table: a typed view of the preferences declared in :mod:`netapp.settings`."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from netapp.domain import Topic
from netapp.errors import ValidationError
from netapp.settings import BY_KEY, declaration

if TYPE_CHECKING:
    from netapp.store.db import Database


class Settings(Mapping[str, Any]):
    """Typed view of the settings table. Reads fall back to the declared default."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def __getitem__(self, key: str) -> Any:
        decl = declaration(key)
        row = self._db.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        if row is None:
            return decl.fallback()
        try:
            return decl.coerce(json.loads(row[0]))
        except (ValueError, ValidationError):
            return decl.fallback()  # a hand-edited bad value never breaks the app

    def __iter__(self) -> Iterator[str]:
        return iter(BY_KEY)

    def __len__(self) -> int:
        return len(BY_KEY)

    def set(self, key: str, value: Any) -> Any:
        """Validate and store one setting; returns the stored value."""
        return self.update({key: value})[key]

    def update(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Validate every value first, then write them all in one transaction."""
        clean = {k: declaration(k).coerce(v) for k, v in values.items()}
        with self._db.atomic():
            for key, value in clean.items():
                if value is None:
                    self._db.conn.execute("DELETE FROM settings WHERE key = ?", [key])
                else:
                    self._db.conn.execute(
                        "INSERT INTO settings(key, value) VALUES (?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        [key, json.dumps(value)],
                    )
        self._db.changed(Topic.SETTINGS)
        return clean

    def stored(self, key: str) -> str | None:
        """The setting as stored (its JSON text), or None when it is not set (the default)."""
        declaration(key)
        row = self._db.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def put_stored(self, values: Mapping[str, str | None]) -> None:
        """Put settings back as :meth:`stored` read them (None: unset), in one transaction;
        the undo of :meth:`update`."""
        for key in values:
            declaration(key)
        with self._db.atomic():
            for key, raw in values.items():
                if raw is None:
                    self._db.conn.execute("DELETE FROM settings WHERE key = ?", [key])
                else:
                    self._db.conn.execute(
                        "INSERT INTO settings(key, value) VALUES (?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        [key, raw],
                    )
        self._db.changed(Topic.SETTINGS)

    def reset(self, key: str) -> None:
        declaration(key)
        with self._db.atomic():
            self._db.conn.execute("DELETE FROM settings WHERE key = ?", [key])
        self._db.changed(Topic.SETTINGS)
