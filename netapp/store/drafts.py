"""Unsaved work that must survive a crash, as JSON by key (table ``drafts``): ``store.drafts``."""

from __future__ import annotations

import json
from typing import Any

from netapp.store.db import Database, now_iso


class Drafts:
    """The drafts repository: ``store.drafts``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, key: str, value: Any) -> None:
        with self.db.atomic():
            self.db.conn.execute(
                "INSERT INTO drafts(key, value, updated_at) VALUES (?,?,?) ON CONFLICT(key) "
                "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                [key, json.dumps(value), now_iso()],
            )

    def load(self, key: str) -> Any:
        raw = self.db.scalar("SELECT value FROM drafts WHERE key = ?", [key])
        return None if raw is None else json.loads(raw)

    def clear(self, key: str) -> None:
        with self.db.atomic():
            self.db.conn.execute("DELETE FROM drafts WHERE key = ?", [key])
