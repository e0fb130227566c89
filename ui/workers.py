"""Engine work off the GUI thread, so that the window stays responsive at 100,000 people.

A job is a function of a :class:`Store`. It runs on a pool thread with its *own* connection
(``open_store(path)``: sqlite3 connections are not shared between threads; WAL lets this reader
run beside the GUI's writes) and hands its plain result back to the GUI thread through the
``done`` signal, tagged with the job's number. Nothing here holds a business rule: jobs only
call ``netapp.engine``.

``stop()`` (also run when the application quits) cancels what is running: the job's
``cancel`` callback turns true, and its SQLite connection is interrupted.

Every job submitted reports exactly once, ``done`` or ``failed``: a job cancelled (queued or
running, by ``cancel``, ``cancel_all`` or ``stop``) reports ``failed(number, CANCELLED)``
instead of its result. Callers keep the number of the request they await and clear it on
either signal, so a cancelled request cannot leave them busy for ever.

``submit_write`` runs a *write* the same way (see ``ui.commands.perform_in_background``): the
job also gets a progress callback (``progress(number, done, total)`` on the GUI thread), the
change notifications of its connection are handed over to the GUI's store when it commits,
and a write that committed always reports ``done``, even if Cancel came too late to stop it.
Any job's failure reaches ``failed`` as one line (:func:`one_line`): a NetappError's own
message; anything else is logged with its traceback and named in one line.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThread, QThreadPool, Signal

from netapp.errors import NetappError
from netapp.safety.opener import open_store
from netapp.store import Database, Store

# A job: (the worker's own store, a cancel callback) -> a plain result.
JobFn = Callable[[Store, Callable[[], bool]], Any]
# A write job also gets a progress callback: progress(done, total).
Progress = Callable[[int, int], None]
WriteFn = Callable[[Store, Callable[[], bool], Progress], Any]

log = logging.getLogger("netapp.ui")

# The ``failed`` message of a job that was cancelled (superseded, or stopped at quit).
CANCELLED = "cancelled"


@dataclass(frozen=True)
class Written:
    """What a write job hands back: its result, and the change notifications its connection
    raised (topic, person ids), for the GUI's store to pass on to its listeners."""

    result: Any
    changes: tuple[tuple[str, frozenset[int]], ...]


def one_line(exc: BaseException) -> str:
    """What the user reads when a job fails: a NetappError says what and where itself;
    anything else is a bug, logged with its traceback and named in one line."""
    if isinstance(exc, NetappError):
        return " ".join(str(exc).split())
    log.error("Background job failed", exc_info=exc)
    text = " ".join(str(exc).split()) or "no details"
    return f"unexpected error ({type(exc).__name__}: {text}); details are in the log"


class _GcPause:
    """Automatic garbage collection paused while any job runs.

    A job allocates millions of small objects at 100k people (every interaction is a tuple);
    the collector's full passes over them stop every thread, the GUI's included, for up to
    a second or more. Those objects hold no cycles: reference counting frees them when the
    job ends, so the collector can wait until then.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._was_enabled = True

    def __enter__(self) -> None:
        with self._lock:
            if self._running == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._running += 1

    def idle(self) -> bool:
        """True while no job of any worker is running its work."""
        with self._lock:
            return self._running == 0

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._running -= 1
            last = self._running == 0
            if last and self._was_enabled:
                gc.enable()
        if last:
            release_free_memory()


_GC_PAUSE = _GcPause()


def release_free_memory() -> bool:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``).

    A job's millions of small objects are freed when it ends, but glibc keeps the freed
    pages of the pool thread's heap: about 18 MB of the idle window's RSS at 100k people
    after the morning refresh and agenda (measured with ``/proc/self/smaps_rollup``, issue
    20). Runs on the pool thread; ctypes lets the GUI thread run meanwhile. False where
    there is no glibc (macOS, Windows, musl): nothing to do there.
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


_TRIM: list[Any] = []


def _release_free_memory() -> None:
    release_free_memory()  # looked up when run (tests replace it)


class GuiFirst:
    """While the GUI thread opens a page, pool threads pause at their next check.

    Python runs one thread at a time: during the morning refresh two pool threads run the
    engine, and a page built meanwhile got a third of the interpreter (a first visit took
    3-4 times its own CPU time, 300-400 ms at 100k people, issue 20). A job's ``cancel``
    callback, which the engine calls every few dozen people, now also waits here while
    :meth:`hold` is in force, for at most ``MAX_PAUSE_S`` once per hold: a paused job may hold
    a write transaction that the GUI thread is waiting for, and then the job must go on to
    its commit instead of pausing again at every check. Process-wide, like the interpreter it
    shares out.
    """

    MAX_PAUSE_S = 0.5

    def __init__(self) -> None:
        self._free = threading.Event()
        self._free.set()
        self._depth = 0
        self._hold = 0  # which hold is in force (counts holds)
        self._waited_out = -1  # the hold a check has already waited the longest for

    def wait(self) -> None:
        """On a pool thread: return once the GUI thread is not opening a page."""
        hold = self._hold
        if hold != self._waited_out and not self._free.wait(self.MAX_PAUSE_S):
            self._waited_out = hold

    def hold(self) -> None:
        """On the GUI thread: the pool threads pause from their next check."""
        self._depth += 1
        self._hold += 1
        self._free.clear()

    def release(self) -> None:
        self._depth = max(0, self._depth - 1)
        if self._depth == 0:
            self._free.set()


GUI_FIRST = GuiFirst()


# The nice value of a pool thread on Linux (0 is the GUI thread's; 19 the lowest priority).
BACKGROUND_NICE = 10


def background_priority() -> None:
    """On a pool thread: run below the GUI thread when they compete for a processor.

    During the morning refresh two pool threads run the engine (SQLite and Python), and a
    page opened meanwhile waited for a processor most of its wall time: at 100k people on
    two CPUs, its first visit spent 50-160 ms runnable but not running, beside 20-95 ms of
    its own CPU (``/proc/self/task/<tid>/schedstat``, issue 20). :class:`GuiFirst` pauses
    the jobs' Python only; their SQLite steps ran on. With the pool threads niced the
    scheduler gives the GUI thread a processor first. Linux sets a nice value per thread
    (``setpriority`` on the thread id); with autogroup scheduling this shifts processor time
    among netapp's own threads only, not towards other programs. Elsewhere, Qt's low thread
    priority. A priority that cannot be changed leaves the job as it was.
    """
    if sys.platform.startswith("linux"):
        tid = threading.get_native_id()
        with suppress(OSError):
            if os.getpriority(os.PRIO_PROCESS, tid) < BACKGROUND_NICE:
                os.setpriority(os.PRIO_PROCESS, tid, BACKGROUND_NICE)
        return
    thread = QThread.currentThread()
    if thread is not None and thread.priority() != QThread.Priority.LowPriority:
        thread.setPriority(QThread.Priority.LowPriority)


def _malloc_trim() -> Any:
    if not _TRIM:
        try:
            import ctypes

            _TRIM.append(ctypes.CDLL("libc.so.6").malloc_trim)
        except (OSError, AttributeError):
            _TRIM.append(None)
    return _TRIM[0]


class _Job(QRunnable):
    def __init__(self, worker: EngineWorker, number: int, fn: JobFn, write: bool = False) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.worker, self.number, self.fn, self.write = worker, number, fn, write
        self.cancelled = threading.Event()
        self.db: Database | None = None

    def cancel(self) -> None:
        self.cancelled.set()
        db = self.db
        if db is not None:
            db.interrupt()  # thread-safe: stops a long query at once

    def _check(self) -> bool:
        """The job's ``cancel`` callback: True once cancelled; waits while the GUI opens a page."""
        GUI_FIRST.wait()
        return self.cancelled.is_set()

    def run(self) -> None:
        w = self.worker
        background_priority()
        try:
            if self.cancelled.is_set():  # cancelled before it started: nothing was run
                _emit(w.relay.failed, self.number, CANCELLED)
                return
            if not w.path.exists():
                raise NetappError(f"{w.path} is gone")
            store = open_store(w.path, migrate=False, passphrase=w.passphrase)
            changes: list[tuple[str, frozenset[int]]] = []
            store.subscribe(lambda topic, ids: changes.append((topic, ids)))
            try:
                self.db = store.db
                with _GC_PAUSE:
                    result = self.fn(store, self._check)
            finally:
                self.db = None
                store.close(optimize=False)  # no ANALYZE under the GUI's connection
            if self.write:  # it committed: the GUI must hear of it, Cancel or not
                _emit(w.relay.done, self.number, Written(result, tuple(changes)))
            elif self.cancelled.is_set():  # its result is dropped, but not its report
                _emit(w.relay.failed, self.number, CANCELLED)
            else:
                _emit(w.relay.done, self.number, result)
        except Exception as exc:  # reported to the GUI thread, never a crash of the thread
            message = CANCELLED if self.cancelled.is_set() else one_line(exc)
            _emit(w.relay.failed, self.number, message)
        finally:
            w._finished(self)


def _emit(signal: Any, *args: object) -> None:
    """Emit from the pool thread; a window closed (and deleted) meanwhile takes no result."""
    with suppress(RuntimeError):  # "Signal source has been deleted"
        signal.emit(*args)


def is_open(store: Store) -> bool:
    """Whether the GUI's store is still open: a result may arrive after its window closed."""
    return store.db.is_open()


class _Relay(QObject):
    # Emitted on the pool thread; delivered (queued) on the GUI thread, where this lives.
    done = Signal(int, object)
    failed = Signal(int, str)
    progress = Signal(int, int, int)


class EngineWorker(QObject):
    """One background thread for the engine, with its own connection per job.

    ``submit(fn)`` returns the job's number; ``done(number, result)`` or
    ``failed(number, message)`` follows on the GUI thread, once, even for a job cancelled
    (``failed(number, CANCELLED)``). Callers drop results whose number is not the latest
    they asked for.
    """

    done = Signal(int, object)
    failed = Signal(int, str)
    progress = Signal(int, int, int)  # job number, done, total (write jobs)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = Path(store.path)
        self.passphrase = store.passphrase
        self.relay = _Relay(self)
        self.relay.done.connect(self.done)
        # Connected after ``done``: runs once the receivers have taken the result.
        self.relay.done.connect(self._trim_when_idle)
        self.relay.failed.connect(self.failed)
        self.relay.progress.connect(self.progress)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # jobs run one after the other, in order
        self._lock = threading.Lock()
        self._jobs: list[_Job] = []
        self._count = 0
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    def submit(self, fn: JobFn) -> int:
        self._count += 1
        return self._start(_Job(self, self._count, fn))

    def submit_write(self, fn: WriteFn) -> int:
        """Run a write (one transaction on the job's own connection). ``done`` brings a
        :class:`Written`; ``failed`` one line ("cancelled" when Cancel stopped it)."""
        self._count += 1
        number, relay = self._count, self.relay

        def report(done: int, total: int) -> None:
            _emit(relay.progress, number, done, total)

        return self._start(
            _Job(self, number, lambda store, cancel: fn(store, cancel, report), True)
        )

    def _start(self, job: _Job) -> int:
        with self._lock:
            self._jobs.append(job)
        self.pool.start(job)
        return job.number

    def cancel(self, number: int) -> None:
        """Cancel one job (a write rolls back unless it already committed)."""
        with self._lock:
            jobs = [j for j in self._jobs if j.number == number]
        for job in jobs:
            job.cancel()

    def busy(self) -> bool:
        """True while a job is queued or running."""
        with self._lock:
            return bool(self._jobs)

    def _trim_when_idle(self, number: int, _result: object) -> None:
        """Once a result is taken and no job is running, hand the freed heap back, on the pool
        thread. The trim at a job's end comes before its connection's page cache is freed,
        and before the GUI drops the result this one replaces (the Today plan): about 4 MB
        of the idle window at 100k people (issue 20)."""
        with self._lock:  # the job that sent it may not have been struck off yet
            idle = all(job.number == number for job in self._jobs)
        # Not while another worker's job runs (the morning refresh): the trim locks each heap
        # in turn, and the GUI thread would wait for it. That job's own end trims.
        if idle and _GC_PAUSE.idle():
            self.pool.start(_release_free_memory)

    def _finished(self, job: _Job) -> None:
        with self._lock:
            if job in self._jobs:
                self._jobs.remove(job)

    def cancel_all(self) -> None:
        """Cancel the queued and the running jobs (each reports ``failed(n, CANCELLED)``)."""
        with self._lock:
            jobs = list(self._jobs)
        for job in jobs:
            job.cancel()

    def stop(self, wait_ms: int = 5000) -> None:
        """Cancel everything and wait for the thread to finish (at quit)."""
        self.cancel_all()
        self.pool.waitForDone(wait_ms)
