"""Keeps the engine's cached ``person_status`` rows fresh, wired in one place.

At start-up it fills every missing row; after each committed write it recomputes the rows of
the people touched (the store already dropped them as stale). Pages that show stage, trust or
next step hear ``StoreSignals.changed`` after this helper has run, because the window
connects it first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from netapp.store import Store
from ui.signals import StoreSignals

if TYPE_CHECKING:
    from netapp.engine import PersonStatus


def _engine() -> Any:
    """The engine module, or None while it is not installed (it is built separately)."""
    try:
        from netapp import engine
    except ImportError:
        return None
    return engine if hasattr(engine, "refresh_status") else None


def person_status(store: Store, person_id: int, today: date) -> PersonStatus | None:
    engine = _engine()
    return None if engine is None else engine.status(store, person_id, today)


class StatusRefresher(QObject):
    def __init__(
        self, store: Store, signals: StoreSignals, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(signals)
        self.store = store
        self.today = today
        signals.changed.connect(self._on_changed)

    def refresh_all(self) -> int:
        engine = _engine()
        return 0 if engine is None else int(engine.refresh_status(self.store, self.today()))

    def _on_changed(self, topic: str, person_ids: object) -> None:
        engine = _engine()
        if engine is None or topic in {"status", "settings-ui"}:
            return
        ids = sorted(person_ids) if isinstance(person_ids, frozenset | set) else []
        if topic == "settings" or not ids:
            # A preference (cadence, half-life, ladder) can change everyone's status.
            engine.refresh_status(self.store, self.today())
        else:
            engine.refresh_status(self.store, self.today(), person_ids=ids)
