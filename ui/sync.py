"""Sync off the GUI thread: on demand, when the app starts and every N minutes, when set up.

One :class:`SyncService` per window. Jobs run on their own thread with their own connection
(``EngineWorker``); progress and results come back as signals on the GUI thread. Nothing
connects anywhere unless an account is set up (``netapp.sync.carddav.account``): with none,
``sync_now`` does nothing and the timer never starts.

A sync is not an undoable command: it brings the server's changes in and sends netapp's out;
taking the local half back would only be undone (or sent to the phone) by the next sync. Its
conflicts are in the people's timelines instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from netapp.domain import Topic
from netapp.errors import NetappError
from netapp.store import Store
from netapp.store import carddav as repo
from ui.device_sync import DeviceSyncService
from ui.signals import StoreSignals
from ui.workers import EngineWorker

if TYPE_CHECKING:
    from netapp.sync.carddav import account as carddav

# netapp.sync.carddav (the HTTP client: about 25 ms) is imported when first used, not at start.


@dataclass(frozen=True)
class Problem:
    """A failed job, said for the user: a heading (what kind of problem) and the detail."""

    heading: str
    detail: str

    def text(self) -> str:
        return f"{self.heading}: {self.detail}"


def problem(exc: BaseException) -> Problem:
    """What to tell the user about an error from a sync or a connection test."""
    from netapp.sync.carddav import account as carddav
    from netapp.sync.carddav import dav

    if isinstance(exc, dav.AuthFailed):
        return Problem("Wrong user name or password", str(exc))
    if isinstance(exc, dav.CertificateProblem):
        return Problem("Certificate problem", str(exc))
    if isinstance(exc, dav.Unreachable):
        return Problem("Server unreachable", str(exc))
    if isinstance(exc, carddav.NoPassword):
        return Problem("No password", str(exc))
    return Problem("Sync failed", str(exc))


class _Relay(QObject):
    progress = Signal(str, int, int)  # emitted on the job's thread, delivered on the GUI's


class SyncService(QObject):
    """Runs jobs that touch the network one at a time; says what happened through signals."""

    started = Signal(str)  # what is being done
    progress = Signal(str, int, int)
    finished = Signal(str, object)  # (job kind, result: a Summary, a list of books, an Account)
    failed = Signal(str, object)  # (job kind, Problem)

    def __init__(self, store: Store, signals: StoreSignals, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.worker = EngineWorker(store, self)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.relay = _Relay(self)
        self.relay.progress.connect(self.progress)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_now)
        self._jobs: dict[int, str] = {}
        self.last: Any = None
        # Device sync (a folder) runs beside CardDAV, on the same start-up and timer settings.
        self.devices = DeviceSyncService(store, self)
        signals.changed.connect(self._on_changed)
        self.schedule()

    # -- state ----------------------------------------------------------------------------------

    def account(self) -> repo.Account | None:
        return self.store.carddav.account()

    def busy(self) -> bool:
        return bool(self._jobs)

    def schedule(self) -> None:
        """The timer follows ``sync.interval_minutes``, and runs only with an account."""
        minutes = int(self.store.settings["sync.interval_minutes"])
        if minutes > 0 and self.account() is not None:
            if not self.timer.isActive() or self.timer.interval() != minutes * 60_000:
                self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def _on_changed(self, topic: str, _ids: object) -> None:
        if topic in ("settings", "sync"):
            self.schedule()
            self.devices.schedule()

    def app_started(self) -> bool:
        """The app's window is up: sync if the user asked for it at start (and set sync up)."""
        self.devices.app_started()
        if self.store.settings["sync.on_start"]:
            return self.sync_now()
        return False

    # -- jobs -----------------------------------------------------------------------------------

    def _submit(self, kind: str, what: str, fn: Any) -> bool:
        if self._jobs:
            return False
        self._jobs[self.worker.submit(fn)] = kind
        self.started.emit(what)
        return True

    def sync_now(self, dry_run: bool = False) -> bool:
        """Start a sync; False when one is running or there is nothing set up."""
        if self.account() is None:
            return False
        relay = self.relay
        from netapp.sync.carddav import account as carddav

        def job(store: Store, _cancel: Any) -> Any:
            try:
                return carddav.sync(store, dry_run=dry_run, progress=relay.progress.emit)
            except NetappError as exc:
                return problem(exc)

        return self._submit("sync", "Syncing", job)

    def test(self, conn: carddav.Connection) -> bool:
        """Try the connection (discovery): finished("test", [address books]) or failed."""
        from netapp.sync.carddav import account as carddav

        def job(_store: Store, _cancel: Any) -> Any:
            try:
                return carddav.test_connection(conn)
            except NetappError as exc:
                return problem(exc)

        return self._submit("test", "Connecting", job)

    def save(self, conn: carddav.Connection, book: str) -> bool:
        """Connect, pick or create the address book, keep the password, save the account."""
        from netapp.sync.carddav import account as carddav

        def job(store: Store, _cancel: Any) -> Any:
            try:
                return carddav.add_account(store, conn, book)
            except NetappError as exc:
                return problem(exc)

        return self._submit("save", "Connecting", job)

    def remove(self) -> None:
        from netapp.sync.carddav import account as carddav

        carddav.remove_account(self.store)

    def _done(self, number: int, result: object) -> None:
        kind = self._jobs.pop(number, "")
        if isinstance(result, Problem):
            self.failed.emit(kind, result)
            return
        self.last = result
        if kind in ("sync", "save"):  # written by the job's own connection: tell the views
            self.store.changed(Topic.PEOPLE)
            self.store.changed(Topic.SYNC)
        self.finished.emit(kind, result)

    def _failed(self, number: int, message: str) -> None:
        kind = self._jobs.pop(number, "")
        self.failed.emit(kind, Problem("Sync failed", message))

    def stop(self) -> None:
        self.timer.stop()
        self.worker.stop()
        self.devices.stop()
