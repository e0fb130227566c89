"""Messages a new user meets: each says what is wrong in words, and the title bar names the
app once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from netapp import referrals
from netapp.domain import Person, Referral
from netapp.store import Store
from ui.dialogs.referral import ReferralDialog, WonDialog
from ui.main_window import MainWindow


def _referral(store: Store) -> int:
    ann = store.people.add(Person(display_name="Ann Lee"))
    ref = Referral(
        referrer_id=ann, prospect_name="Bo Chen", prospect_agreed=True, date="2026-01-10"
    )
    return referrals.record(store, ref)


def _status(store: Store, rid: int) -> list[dict[str, object]]:
    return store.db.query("SELECT status, value FROM referrals WHERE id = ?", [rid])


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("1e99", "Value must be at most 1,000,000,000,000"),
        ("0", "Value must be an amount above 0"),
        ("-5", "Value must be an amount above 0"),
        ("lots", "'lots' is not an amount"),
        ("", "needs the value"),
    ],
)
def test_won_value_says_what_is_wrong(
    qtbot: QtBot, window: MainWindow, store: Store, typed: str, says: str
) -> None:
    """Mark won… with an absurd, zero, negative, unreadable or no value, typed and Enter:
    the problem shows under the Value field (and nowhere else), nothing is written."""
    rid = _referral(store)
    dlg = WonDialog(store, rid, "Ann Lee", window, undo=window.undo_stack)
    dlg.show()
    qtbot.waitExposed(dlg)
    qtbot.keyClicks(dlg.amount, typed)
    qtbot.keyClick(dlg.amount, Qt.Key.Key_Return)
    assert dlg.value is None and dlg.isVisible()
    shown = dlg.form.shown_errors()
    assert list(shown) == ["value"] and says in shown["value"], shown
    assert not shown["value"][:1].islower() and dlg.focusWidget() is dlg.amount
    assert _status(store, rid) == [{"status": "new", "value": None}]
    assert window.undo_stack.count() == 0
    dlg.reject()


def test_won_value_typed_and_enter_marks_it_won_one_undo_away(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    """A wrong value, then the right one typed over it and Enter: the error goes, the
    referral is won with that value, and Ctrl+Z puts it back to new."""
    rid = _referral(store)
    dlg = WonDialog(store, rid, "Ann Lee", window, undo=window.undo_stack)
    dlg.show()
    qtbot.waitExposed(dlg)
    qtbot.keyClicks(dlg.amount, "0")
    qtbot.keyClick(dlg.amount, Qt.Key.Key_Return)
    assert dlg.form.shown_errors() and dlg.isVisible()
    dlg.amount.selectAll()
    qtbot.keyClicks(dlg.amount, "1,500")
    qtbot.keyClick(dlg.amount, Qt.Key.Key_Return)
    assert dlg.result() == QDialog.DialogCode.Accepted and dlg.value == 1500.0
    assert dlg.form.shown_errors() == {}
    assert _status(store, rid) == [{"status": "won", "value": 1500.0}]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _status(store, rid) == [{"status": "new", "value": None}]


def test_new_referral_without_a_person_asks_for_a_name(qtbot: QtBot, window: MainWindow) -> None:
    """Save with the person left empty says to type a name, at the person field (no `''`)."""
    dlg = ReferralDialog(window.ctx.store, window)
    dlg.show()
    qtbot.waitExposed(dlg)
    qtbot.keyClicks(dlg.prospect, "Pat Smith")
    qtbot.keyClick(dlg.prospect, Qt.Key.Key_Return)
    assert dlg.referral_id is None
    text = dlg.errors["person"].text()
    assert text.startswith("Type a name") and "''" not in text
    dlg.reject()


def test_window_title_names_the_file_and_leaves_the_app_name_to_the_system(
    window: MainWindow, store: Store
) -> None:
    """The title is the database file's name; the system adds " — netapp" once."""
    assert window.windowTitle() == store.path.name
    assert "—" not in window.windowTitle()
