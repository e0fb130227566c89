"""Keeps the engine's cached ``person_status`` rows fresh, wired in one place.

At start-up (and after a change of preferences) every missing or outdated row is recomputed
on the engine worker's thread (:mod:`ui.workers`), never on the GUI thread: at 100,000
people that takes minutes. When it is done, ``StoreSignals.changed(Topic.STATUS, ids)`` tells
the pages to re-query. After a write that touches a few people, their rows are recomputed at
once (a few milliseconds), so pages that show stage, trust or next step, which hear
``StoreSignals.changed`` after this helper (the window connects it first), read fresh rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject

from netapp import engine
from netapp.domain import Topic
from netapp.store import Store
from ui.signals import StoreSignals
from ui.workers import EngineWorker, is_open

log = logging.getLogger(__name__)

# Up to this many people touched by one write are recomputed at once, on the GUI thread.
INLINE_LIMIT = 200


class StatusRefresher(QObject):
    def __init__(
        self, store: Store, signals: StoreSignals, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(signals)
        self.store = store
        self.signals = signals
        self.today = today
        self.worker = EngineWorker(store, self)
        self.worker.done.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self._job: int | None = None
        # People written to while a background refresh runs: their rows are redone after it.
        self._touched: set[int] = set()
        signals.changed.connect(self._on_changed)

    def is_busy(self) -> bool:
        return self._job is not None

    def refresh_all(self) -> int:
        """Start recomputing every missing or outdated row in the background; returns 0."""
        as_of = self.today()
        self.worker.cancel_all()  # a newer request supersedes a running one
        self._touched.clear()
        self._job = self.worker.submit(lambda store, cancel: _refresh(store, as_of, cancel))
        return 0

    def _on_done(self, number: int, _result: object) -> None:
        if number != self._job:
            return  # an older request, superseded
        self._job = None
        if not is_open(self.store):
            return  # the window (and its store) closed while the worker was busy
        touched, self._touched = sorted(self._touched), set()
        if touched:
            # The background pass read these people before a write: recompute them now.
            self.store.status.invalidate(touched)
            engine.refresh_status(self.store, self.today(), person_ids=touched)
        self.signals.changed.emit(Topic.STATUS, frozenset())
        # The pages have re-read what they show: the window's page cache can go (the worker
        # trims the heap next).
        self.store.db.release_memory()

    def _on_failed(self, number: int, message: str) -> None:
        if number == self._job:
            self._job = None
            log.warning("status refresh failed: %s", message)

    def _on_changed(self, topic: str, person_ids: object) -> None:
        if topic in {Topic.STATUS, Topic.SETTINGS_UI}:
            return
        ids = sorted(person_ids) if isinstance(person_ids, frozenset | set) else []
        if topic == Topic.SETTINGS or not ids or len(ids) > INLINE_LIMIT:
            # A preference (cadence, half-life, ladder) can change everyone's status.
            self.refresh_all()
            return
        if self._job is not None:
            self._touched.update(ids)
        engine.refresh_status(self.store, self.today(), person_ids=ids)


def _refresh(store: Store, as_of: date, cancel: Callable[[], bool]) -> int:
    """The worker's job: the refresh, then its pages copied back into the database file (a
    WAL checkpoint) here, off the GUI thread: else the next write in the window (a Done, at
    100,000 people) would pay for copying the whole refresh back."""
    written = engine.refresh_status(store, as_of, cancel=cancel)
    if written:
        store.db.checkpoint()
    return written


def _json(ids: list[int]) -> str:
    import json

    return json.dumps(ids)
