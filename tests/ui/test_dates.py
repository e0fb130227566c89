"""Every date field of the app, typed into with real keys: YYYY-MM-DD straight through, the
locale's short form, the picker, one Tab out; and the core's date rules shown at the field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QCalendarWidget, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from netapp.domain import Kind, Person
from netapp.errors import ValidationError
from netapp.store import Store
from ui.dialogs.give_value import GiveValueDialog
from ui.dialogs.meeting_dialog import MeetingDialog
from ui.dialogs.referral import ReferralDialog
from ui.main_window import MainWindow
from ui.pages.capture import CapturePage
from ui.pages.people import LogDialog, PeoplePage
from ui.widgets.date_field import DateField, read_date

PAST = date.today() - timedelta(days=18)


def _capture(w: MainWindow) -> tuple[QWidget, DateField]:
    page = w.show_page("capture")
    assert isinstance(page, CapturePage)
    return page, page.date_edit


def _log(w: MainWindow) -> tuple[QWidget, DateField]:
    dlg = LogDialog(w, Kind.ONE_TO_ONE, [])
    return dlg, dlg.date


def _referral(w: MainWindow) -> tuple[QWidget, DateField]:
    dlg = ReferralDialog(w.ctx.store, w)
    return dlg, dlg.day


def _meeting(w: MainWindow) -> tuple[QWidget, DateField]:
    dlg = MeetingDialog(w.ctx, None, w)
    return dlg, dlg.date


def _give_value(w: MainWindow) -> tuple[QWidget, DateField]:
    pid = w.ctx.store.people.add(Person(display_name="Ann Lee"))
    dlg = GiveValueDialog(w.ctx, pid, w)
    return dlg, dlg.day


def _optin(w: MainWindow) -> tuple[QWidget, DateField]:
    from ui.dialogs.optin_dialog import OptinDialog

    dlg = OptinDialog(w.ctx.store)
    return dlg, dlg.day


FIELDS: dict[str, Callable[[MainWindow], tuple[QWidget, DateField]]] = {
    "opt-in": _optin,
    "capture": _capture,
    "log": _log,
    "referral": _referral,
    "meeting": _meeting,
    "give value": _give_value,
}


def _type_into(qtbot: QtBot, top: QWidget, field: DateField, text: str) -> QWidget | None:
    """Click into the field, select what is there, type ``text``, press Tab once; returns the
    widget that has the focus then."""
    top.show()
    qtbot.waitExposed(top)
    top.window().activateWindow()
    qtbot.waitUntil(top.window().isActiveWindow)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    return QApplication.focusWidget()


@pytest.mark.parametrize("where", FIELDS)
def test_iso_date_typed_straight_through_is_that_date_and_one_tab_leaves(
    qtbot: QtBot, window: MainWindow, where: str
) -> None:
    """In every date field, 2025-06-15 typed then Tab is 15 June 2025 and the focus has left."""
    top, field = FIELDS[where](window)
    after = _type_into(qtbot, top, field, "2025-06-15")
    assert field.value() == date(2025, 6, 15)
    assert field.text() == "2025-06-15"
    assert after is not None and after is not field and not field.isAncestorOf(after)
    if isinstance(top, QDialog):
        top.reject()


@pytest.mark.parametrize("where", FIELDS)
def test_locale_short_date_is_read_and_shown_as_iso(
    qtbot: QtBot, window: MainWindow, where: str
) -> None:
    """A date typed in the locale's short format is read as that date and shown as YYYY-MM-DD."""
    top, field = FIELDS[where](window)
    typed = QLocale().toString(date(2025, 6, 15), QLocale.FormatType.ShortFormat)
    _type_into(qtbot, top, field, typed)
    assert field.value() == date(2025, 6, 15), typed
    assert field.text() == "2025-06-15"
    if isinstance(top, QDialog):
        top.reject()


def test_read_date_forms() -> None:
    """ISO, day-first and month-first short forms are read per locale; nonsense is None."""
    assert read_date("2026-11-19") == date(2026, 11, 19)
    assert read_date(
        "19/11/2026", QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    ) == date(2026, 11, 19)
    assert read_date(
        "11/19/26", QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    ) == date(2026, 11, 19)
    assert read_date(
        "19.11.2026", QLocale(QLocale.Language.German, QLocale.Country.Germany)
    ) == date(2026, 11, 19)
    assert read_date("2026-13-40") is None
    assert read_date("soon") is None
    assert read_date("") is None


def test_picker_opens_with_alt_down_and_enter_picks(qtbot: QtBot, window: MainWindow) -> None:
    """Alt+Down opens a calendar on the field's date; arrows and Enter pick a day and close it."""
    dlg, field = _log(window)
    dlg.show()
    qtbot.waitExposed(dlg)
    field.setFocus()
    field.setValue(date(2025, 6, 15))
    qtbot.keyClick(field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    cal = field.findChild(QCalendarWidget)
    assert cal is not None and cal.isVisible()
    view = QApplication.focusWidget()
    assert view is not None and cal.isAncestorOf(view)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert field.value() == date(2025, 6, 14)
    assert not cal.isVisible()
    dlg.reject()


def test_capture_of_a_meeting_next_month_is_refused_and_says_why(
    qtbot: QtBot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A capture dated next month is not saved: the status says the meeting is still ahead."""
    page, field = _capture(window)
    assert isinstance(page, CapturePage)
    ahead = date.today() + timedelta(days=30)
    _type_into(qtbot, page, field, ahead.isoformat())
    assert "ahead" in page.status.text()
    page.model.setData(page.model.index(0, 0), "Ann Lee")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    assert page.save() is None
    assert "in the future" in page.status.text() and shown
    assert store.people.count("") == 0


def test_log_dated_in_the_future_is_refused_at_the_dialog(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    """A one-to-one typed as 9999-12-31 is refused with a reason naming the date; nothing is written."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    people = window.show_page("people")
    assert isinstance(people, PeoplePage)
    people.detail.show_person(pid)
    dlg, field = _log(window)
    assert isinstance(dlg, LogDialog)
    _type_into(qtbot, dlg, field, "9999-12-31")
    with pytest.raises(ValidationError, match="9999-12-31 is in the future"):
        people.detail.log(Kind.ONE_TO_ONE, dlg)
    assert store.interactions.for_person(pid) == []
    dlg.reject()


def test_referral_in_2099_is_refused_at_the_date_field(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    """New referral dated 2099-01-01 shows the reason under the date field and records nothing."""
    store.people.add(Person(display_name="Ann Lee"))
    dlg, field = _referral(window)
    assert isinstance(dlg, ReferralDialog)
    _type_into(qtbot, dlg, field, "2099-01-01")
    qtbot.keyClicks(dlg.prospect, "Pat Smith")
    qtbot.keyClick(dlg.agreed, Qt.Key.Key_Space)
    qtbot.keyClicks(dlg.person, "Ann Lee")
    dlg.save()
    assert dlg.referral_id is None
    assert "in the future" in dlg.errors["date"].text()
    assert dlg.errors["date"].isVisible()
    dlg.reject()


def test_meeting_ahead_is_said_to_be_planned(qtbot: QtBot, window: MainWindow) -> None:
    """A meeting dated ahead of today is labelled a planned meeting; one in the past is not."""
    dlg, field = _meeting(window)
    assert isinstance(dlg, MeetingDialog)
    _type_into(qtbot, dlg, field, (date.today() + timedelta(days=9)).isoformat())
    assert "planned meeting, 9 days ahead" in dlg.when.text()
    _type_into(qtbot, dlg, field, PAST.isoformat())
    assert dlg.when.isHidden()
    dlg.reject()
