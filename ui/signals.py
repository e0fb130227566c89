"""Bridges the store's change notifications into a Qt signal that models and views connect to."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from netapp.store import Store


class StoreSignals(QObject):
    """``changed(topic, person_ids)`` is emitted after every committed write to the store."""

    changed = Signal(str, object)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        store.subscribe(self._relay)
        self.destroyed.connect(lambda *_: store.unsubscribe(self._relay))

    def _relay(self, topic: str, person_ids: frozenset[int]) -> None:
        self.changed.emit(topic, person_ids)
