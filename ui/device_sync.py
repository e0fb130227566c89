"""Device sync off the GUI thread: on demand, when the app starts and every N minutes.

Owned by :class:`ui.sync.SyncService` (``service.devices``), so the window's start-up and
timer settings (``sync.on_start``, ``sync.interval_minutes``) drive both kinds of sync. A
job runs on its own connection (``EngineWorker``); nothing runs until this database joined a
devices folder (``netapp.sync.devices.run.join``). Like CardDAV, a sync is not an undoable
command: it brings the other devices' edits in, which an undo would only take out here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from netapp.domain import Topic
from netapp.errors import NetappError
from netapp.store import Store
from ui.workers import EngineWorker

if TYPE_CHECKING:
    from netapp.sync.devices.saved import KeptDoc

# netapp.sync.devices (pycrdt, anyio: about 40 ms) is imported when first used, not at start.


class DeviceSyncService(QObject):
    """Joins a folder, runs device syncs one at a time and says how they went."""

    started = Signal()
    finished = Signal(object)  # a run.Summary
    failed = Signal(str)  # one line for the user

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.worker = EngineWorker(store, self)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(lambda _n, message: self._fail(message))
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_now)
        self._job: int | None = None
        # The document between this window's syncs (read and written by the worker only;
        # a sync checks that the database still holds it)
        self.kept: KeptDoc | None = None  # made at the first sync
        self.schedule()

    def joined(self) -> bool:
        return self.store.devices.me() is not None

    def status(self) -> dict[str, Any]:
        from netapp.sync.devices import info  # not the sync itself (pycrdt): Settings shows this

        return info.status(self.store)

    def busy(self) -> bool:
        return self._job is not None

    def schedule(self) -> None:
        """The timer follows ``sync.interval_minutes`` once this device joined a folder."""
        minutes = int(self.store.settings["sync.interval_minutes"])
        if minutes > 0 and self.joined():
            if not self.timer.isActive() or self.timer.interval() != minutes * 60_000:
                self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def app_started(self) -> bool:
        if self.store.settings["sync.on_start"]:
            return self.sync_now()
        return False

    def join(self, folder: str | Path, name: str = "") -> bool:
        """Join ``folder`` (quick, here) and run the first sync (off the GUI thread)."""
        from netapp.sync.devices import run

        try:
            run.join(self.store, folder, name)
        except NetappError as exc:
            self.failed.emit(str(exc))
            return False
        self.store.changed(Topic.SYNC)
        self.schedule()
        return self.sync_now()

    def rename(self, name: str) -> None:
        if name.strip():
            self.store.devices.rename(name.strip())
            self.store.changed(Topic.SYNC)

    def sync_now(self) -> bool:
        """Start a sync; False when one is running or this device joined no folder."""
        if self._job is not None or not self.joined():
            return False
        from netapp.sync.devices import run
        from netapp.sync.devices.saved import KeptDoc

        kept = self.kept = self.kept or KeptDoc()

        def job(store: Store, _cancel: Any) -> Any:
            try:
                return run.sync(store, date.today(), kept=kept)
            except NetappError as exc:
                return str(exc)

        self._job = self.worker.submit(job)
        self.started.emit()
        return True

    def _done(self, number: int, result: object) -> None:
        if number != self._job:
            return
        self._job = None
        if isinstance(result, str):
            self.failed.emit(result)
            return
        # written by the job's own connection: tell this window's views
        self.store.changed(Topic.PEOPLE)
        self.store.changed(Topic.SYNC)
        self.finished.emit(result)

    def _fail(self, message: str) -> None:
        self._job = None
        self.failed.emit(message)

    def stop(self) -> None:
        self.timer.stop()
        self.worker.stop()
