"""Desktop notifications (issue 17): the day's reminders reach the user at the time set in
Settings (``notify.time``), once a day, while the app runs; ``notify.enabled`` is the off
switch. Offline: the tray icon's ``showMessage``, which Qt sends through the freedesktop
notification service on the session bus on Linux desktops that have it.

The text is the core's (:func:`netapp.reminders.notices`), worked out on the engine worker's
thread. The notifier is an edge, handed in, so tests use a fake one with a real database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from netapp import reminders
from netapp.store import Store
from ui.workers import CANCELLED, EngineWorker, is_open

log = logging.getLogger("netapp.ui")

CHECK_EVERY_MS = 60_000
LAST_SHOWN_KEY = "notify/last_shown"  # the day the notices were last shown (this machine)


class Notifier(Protocol):
    """Shows one notification on the desktop."""

    def show(self, title: str, body: str) -> None: ...


class TrayNotifier:
    """The system tray icon's balloon message."""

    def __init__(self, parent: QObject) -> None:
        app = QApplication.instance()
        icon = app.windowIcon() if isinstance(app, QApplication) else None
        self.tray = QSystemTrayIcon(parent)
        if icon is not None:
            self.tray.setIcon(icon)
        self.tray.setToolTip("netapp")

    def show(self, title: str, body: str) -> None:
        self.tray.show()
        self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 15_000)


def desktop_notifier(parent: QObject) -> Notifier | None:
    """The tray icon's messages when the desktop has a tray, else None (nothing is shown)."""
    if QSystemTrayIcon.isSystemTrayAvailable():
        return TrayNotifier(parent)
    return None


class ReminderService(QObject):
    """Checks once a minute whether the day's notices are due, and shows them once a day."""

    def __init__(
        self,
        store: Store,
        notifier: Notifier | None,
        *,
        state: QSettings | None = None,
        clock: Callable[[], datetime] = datetime.now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.notifier, self.state, self.clock = store, notifier, state, clock
        self._last = str(state.value(LAST_SHOWN_KEY, "") or "") if state is not None else ""
        self._request: int | None = None
        self.worker = EngineWorker(store, self)
        self.worker.done.connect(self._on_result)
        self.worker.failed.connect(self._on_failed)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        if notifier is not None:
            self.timer.start()

    def is_busy(self) -> bool:
        return self._request is not None

    def check(self) -> bool:
        """Start working out the notices if they are due now; True when it started."""
        if self.notifier is None or self._request is not None or not is_open(self.store):
            return False
        if not self.store.settings["notify.enabled"]:
            return False
        now = self.clock()
        today = now.date()
        at = str(self.store.settings["notify.time"])
        if not reminders.due_now(now.strftime("%H:%M"), self._last, today, at):
            return False
        self._request = self.worker.submit(lambda store, _cancel: reminders.notices(store, today))
        self._mark_shown(today.isoformat())
        return True

    def _mark_shown(self, day: str) -> None:
        self._last = day
        if self.state is not None:
            self.state.setValue(LAST_SHOWN_KEY, day)

    def _on_failed(self, number: int, message: str) -> None:
        """A failed (or cancelled) check shows nothing; the next one may run."""
        if number == self._request:
            self._request = None
            if message != CANCELLED:
                log.warning("the day's reminders could not be worked out: %s", message)

    def _on_result(self, number: int, result: object) -> None:
        if number != self._request:
            return
        self._request = None
        if self.notifier is None or not isinstance(result, list):
            return
        for notice in result:
            if isinstance(notice, reminders.Notice):
                self.notifier.show(notice.title, notice.body)
