"""Printed card batches and their codes (tables ``card_batches`` and ``cards``):
``store.card_batches``. Printing records a batch; opt-ins read a code back to the batch (and
meeting) it came from.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from netapp import card_codes as C
from netapp.domain import CardBatch, Meeting, Topic
from netapp.errors import NetappError, NotFoundError
from netapp.store.db import Database, new_uuid
from netapp.store.meetings import Meetings
from netapp.store.records import from_row


def _batch(row: dict[str, Any]) -> CardBatch:
    return from_row(CardBatch, row)


class CardBatches:
    """The card batches repository: ``store.card_batches``."""

    def __init__(self, db: Database, meetings: Meetings) -> None:
        self.db = db
        self.meetings = meetings

    def taken(self, codes: Sequence[str]) -> list[str]:
        """Those of ``codes`` already printed."""
        return [
            str(r[0])
            for r in self.db.conn.execute(
                "SELECT code FROM cards WHERE code IN (SELECT value FROM json_each(?))",
                [json.dumps(list(codes))],
            )
        ]

    def record(
        self,
        *,
        meeting_id: int | None,
        campaign: str,
        offer: str,
        layout: str,
        kind: str,
        count: int,
        url: str,
        printed_at: str,
        codes: Sequence[str],
    ) -> int:
        """Record a printed batch and its codes in one transaction. Returns the batch id."""
        with self.db.atomic():
            if self.taken(codes):  # another window printed the same code meanwhile
                raise NetappError("a card code was taken while printing; print again")
            cur = self.db.conn.execute(
                """INSERT INTO card_batches (uuid, meeting_id, campaign, offer, layout, kind,
                   count, url, printed_at) VALUES (?,?,?,?,?,?,?,?,?)""",
                [
                    new_uuid(),
                    meeting_id,
                    campaign,
                    offer,
                    layout,
                    kind,
                    count,
                    url,
                    printed_at,
                ],
            )
            batch_id = int(cur.lastrowid or 0)
            self.db.conn.executemany(
                "INSERT INTO cards (code, batch_id, position) VALUES (?,?,?)",
                [(code, batch_id, i + 1) for i, code in enumerate(codes)],
            )
            self.db.changed(Topic.CARDS)
        return batch_id

    def get(self, batch_id: int) -> CardBatch:
        rows = self.db.query("SELECT * FROM card_batches WHERE id = ?", [batch_id])
        if not rows:
            raise NotFoundError(f"card batch {batch_id} not found")
        return _batch(rows[0])

    def codes(self, batch_id: int) -> list[str]:
        return [
            str(r[0])
            for r in self.db.conn.execute(
                "SELECT code FROM cards WHERE batch_id = ? ORDER BY position", [batch_id]
            )
        ]

    def lookup(self, code: str) -> tuple[CardBatch, Meeting | None]:
        """The batch (and meeting, if the batch was for one) a card code was printed in.

        Accepts the code as people type it (any case, with spaces or a hyphen). Raises
        ``ValidationError('code', …)`` when the code is malformed or its check character does
        not match (a typo), and ``NotFoundError`` when it is well-formed but was never printed
        here.
        """
        canonical = C.validate(code)
        rows = self.db.query(
            "SELECT b.* FROM cards c JOIN card_batches b ON b.id = c.batch_id WHERE c.code = ?",
            [canonical],
        )
        if not rows:
            raise NotFoundError(f"card code {C.display(canonical)} was not printed by this netapp")
        batch = _batch(rows[0])
        meeting = None
        if batch.meeting_id is not None:
            try:
                meeting = self.meetings.get(batch.meeting_id)
            except NotFoundError:
                meeting = None
        return batch, meeting
