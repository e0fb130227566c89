"""Messages a new user meets: each says what is wrong in words, and the title bar names the
app once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from netapp.store import Store
from ui.dialogs.referral import ReferralDialog, WonDialog
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, store: Store) -> Iterator[MainWindow]:
    w = MainWindow(store, None)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("1e99", "at most 1,000,000,000,000"),
        ("0", "above 0"),
        ("-5", "above 0"),
        ("lots", "'lots' is not an amount"),
        ("", "needs the value"),
    ],
)
def test_won_value_says_what_is_wrong(
    qtbot: QtBot, window: MainWindow, typed: str, says: str
) -> None:
    """Mark won… with an absurd, zero, negative or unreadable value names that problem."""
    dlg = WonDialog("Ann Lee", window)
    dlg.show()
    qtbot.waitExposed(dlg)
    qtbot.keyClicks(dlg.amount, typed)
    qtbot.keyClick(dlg.amount, Qt.Key.Key_Return)
    assert dlg.value is None and dlg.isVisible()
    assert says in dlg.error.text()
    assert not dlg.error.text()[:1].islower()
    dlg.reject()


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
