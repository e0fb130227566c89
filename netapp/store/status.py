"""The engine's cached status per person (table ``person_status``): ``store.status``.

The engine computes the rows (:func:`netapp.engine.refresh_status`); the cache contract is that
a row is either missing or what the engine computed from the data now stored (as of the day in
``as_of``). Every write that can change a person's status removes their row in its own
transaction, by triggers (schema migration ``m004_status_cache``), whoever writes: the app, the
command line, an import or a sync. A change of the engine's settings or of the value library
marks every row stale (``as_of = ''``) so that the next refresh recomputes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from netapp.store.db import Database


class StatusCache:
    """``store.status``: what the engine's cache needs beyond the triggers."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def invalidate(self, person_ids: Iterable[int]) -> None:
        """Drop the rows of these people (a refresh that read them before a write wrote old
        values back: they are recomputed)."""
        ids = sorted({int(i) for i in person_ids})
        with self.db.atomic():
            self.db.conn.execute(
                "DELETE FROM person_status WHERE person_id IN (SELECT value FROM json_each(?))",
                [json.dumps(ids)],
            )

    def missing(self) -> int:
        """How many people have no cached row (the People page shows them as computing)."""
        return int(
            self.db.scalar(
                "SELECT (SELECT count(*) FROM people) - (SELECT count(*) FROM person_status)"
            )
        )
