"""Desktop notifications (#17): the day's reminders reach a (fake) notifier at the time set in
Settings, once a day, not when switched off; the database is real, only the desktop is faked."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from netapp.domain import Person
from netapp.store import Store
from ui.notify import LAST_SHOWN_KEY, ReminderService


class FakeNotifier:
    """The edge: records what would have popped up on the desktop."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def show(self, title: str, body: str) -> None:
        self.shown.append((title, body))


class Clock:
    def __init__(self, now: str) -> None:
        self.now = datetime.fromisoformat(now)

    def __call__(self) -> datetime:
        return self.now


def service(
    qtbot: QtBot, store: Store, clock: Clock, state: QSettings | None = None
) -> tuple[ReminderService, FakeNotifier]:
    fake = FakeNotifier()
    svc = ReminderService(store, fake, state=state, clock=clock)
    return svc, fake


def settle(qtbot: QtBot, svc: ReminderService) -> None:
    qtbot.waitUntil(lambda: not svc.is_busy(), timeout=30_000)


def test_reminders_are_shown_at_the_set_time_once_a_day(qtbot: QtBot, store: Store) -> None:
    """Before the set time nothing; at it, the reminder and birthday; not again that day; again
    the next day."""
    store.people.add(Person(display_name="Ann Lee", remind_on="2026-12-07", birthday="--12-07"))
    store.settings.set("notify.time", "09:15")
    clock = Clock("2026-12-07T09:14")
    svc, fake = service(qtbot, store, clock)
    assert not svc.check()
    clock.now = datetime.fromisoformat("2026-12-07T09:15")
    assert svc.check()
    settle(qtbot, svc)
    titles = [t for t, _b in fake.shown]
    assert titles == ["Remember: 1 person", "Birthday today: Ann Lee"]
    assert "Ann Lee" in fake.shown[0][1]
    clock.now = datetime.fromisoformat("2026-12-07T18:00")
    assert not svc.check()
    clock.now = datetime.fromisoformat("2026-12-08T09:20")
    assert svc.check()
    settle(qtbot, svc)
    assert [t for t, _b in fake.shown[2:]] == ["Remember: 1 person"]  # the birthday was yesterday


def test_the_off_switch_silences_everything(qtbot: QtBot, store: Store) -> None:
    """With notify.enabled off nothing is worked out or shown, whatever is due."""
    store.people.add(Person(display_name="Ann Lee", remind_on="2026-12-01"))
    store.settings.set("notify.enabled", False)
    svc, fake = service(qtbot, store, Clock("2026-12-07T12:00"))
    assert not svc.check()
    settle(qtbot, svc)
    assert fake.shown == []


def test_nothing_due_shows_nothing(qtbot: QtBot, store: Store) -> None:
    """An empty day pops nothing up (no empty notification)."""
    svc, fake = service(qtbot, store, Clock("2026-12-07T12:00"))
    assert svc.check()
    settle(qtbot, svc)
    assert fake.shown == []


def test_the_day_shown_survives_a_restart(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    """Restarting the app the same day does not show the same reminders twice."""
    store.people.add(Person(display_name="Ann Lee", remind_on="2026-12-01"))
    state = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    clock = Clock("2026-12-07T10:00")
    first, fake = service(qtbot, store, clock, state)
    assert first.check()
    settle(qtbot, first)
    assert len(fake.shown) == 1 and state.value(LAST_SHOWN_KEY) == "2026-12-07"
    again, fake2 = service(
        qtbot, store, clock, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    )
    assert not again.check()
    assert fake2.shown == []


def test_steps_and_meetings_are_in_the_notification(qtbot: QtBot, store: Store) -> None:
    """A follow-up due today and tomorrow's group meeting are both announced."""
    gid = store.groups.add("Riverside", "weekly", "tue", "")
    pid = store.people.add(Person(display_name="Bob Ray"))
    store.meetings.add("Mixer", "2026-12-01", group_id=gid, attendee_ids=[pid])
    svc, fake = service(qtbot, store, Clock("2026-12-07T08:30"))
    assert svc.check()
    settle(qtbot, svc)
    text = "\n".join(f"{t}\n{b}" for t, b in fake.shown)
    assert "Bob Ray (follow-up)" in text and "Tomorrow: Riverside" in text


def test_a_window_without_ui_state_never_notifies(qtbot: QtBot, store: Store) -> None:
    """Windows built for tests and screenshots have no notifier and never check."""
    from ui.main_window import MainWindow

    w = MainWindow(store, None)
    qtbot.addWidget(w)
    assert w.reminders.notifier is None and not w.reminders.check()
    w.close()


def test_a_check_that_fails_shows_nothing_and_the_next_day_is_checked_again(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    """The worker cannot read the database (its file moved away meanwhile): nothing is shown,
    the service is not left busy, and the next day's check runs and shows its reminder."""
    store.people.add(Person(display_name="Ann Lee", remind_on="2026-12-08"))
    store.settings.set("notify.time", "09:00")
    clock = Clock("2026-12-07T09:30")
    svc, fake = service(qtbot, store, clock)
    path = Path(store.path)
    away = tmp_path / "moved-away.db"
    path.rename(away)
    try:
        assert svc.check()
        settle(qtbot, svc)
    finally:
        away.rename(path)
    assert fake.shown == []
    clock.now = datetime.fromisoformat("2026-12-08T09:30")
    assert svc.check()
    settle(qtbot, svc)
    assert [t for t, _b in fake.shown] == ["Remember: 1 person"]
