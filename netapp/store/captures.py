"""Captures and their undo journals (tables ``captures`` and ``capture_journal``):
``store.captures``.

A capture's journal says what undoing it must take back besides the rows that name the capture:
whether it created its meeting, and what it added to people who were already there (emails,
phones, tags). It is data, not a draft: the JSON backup carries it, so a capture restored from a
backup can still be undone.
"""

from __future__ import annotations

import json
from typing import Any

from netapp.store.db import Database, now_iso


class Captures:
    """The captures repository: ``store.captures``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, meeting_id: int, journal: dict[str, Any] | None = None) -> int:
        """A new capture at a meeting (inside the caller's transaction); returns its id."""
        with self.db.atomic():
            cur = self.db.conn.execute(
                "INSERT INTO captures (meeting_id, created_at) VALUES (?, ?)",
                [meeting_id, now_iso()],
            )
            cid = int(cur.lastrowid or 0)
            if journal is not None:
                self.save_journal(cid, journal)
        return cid

    def save_journal(self, capture_id: int, journal: dict[str, Any]) -> None:
        """Keep what undoing the capture must take back: ``created_meeting`` and ``added``."""
        with self.db.atomic():
            self.db.conn.execute(
                "INSERT INTO capture_journal (capture_id, created_meeting, added) VALUES (?,?,?) "
                "ON CONFLICT(capture_id) DO UPDATE SET created_meeting = excluded.created_meeting, "
                "added = excluded.added",
                [
                    capture_id,
                    int(bool(journal.get("created_meeting"))),
                    json.dumps(journal.get("added", [])),
                ],
            )

    def journal(self, capture_id: int) -> dict[str, Any]:
        """The capture's journal (``created_meeting``, ``added``); empty when it has none."""
        rows = self.db.query(
            "SELECT created_meeting, added FROM capture_journal WHERE capture_id = ?", [capture_id]
        )
        if not rows:
            return {"created_meeting": False, "added": []}
        try:
            added = json.loads(rows[0]["added"])
        except ValueError:
            added = []
        return {
            "created_meeting": bool(rows[0]["created_meeting"]),
            "added": added if isinstance(added, list) else [],
        }
