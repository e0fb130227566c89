"""Editing a person inline, by keys: a refused change says why at the field and leaves no
Undo entry behind."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from netapp.domain import Person
from netapp.errors import ValidationError
from netapp.store import Store
from ui.main_window import MainWindow
from ui.pages.people import PeoplePage


def test_clearing_the_name_and_pressing_enter_shows_why_and_adds_no_undo(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    """Name erased + Enter: a red line under the name, the name unchanged, nothing to undo."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    page = window.show_page("people")
    assert isinstance(page, PeoplePage)
    assert page.select_person(pid)
    name = page.detail.fields["display_name"]
    qtbot.waitUntil(lambda: name.edit.isVisible())
    name.edit.setFocus()
    qtbot.keyClick(name.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(name.edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(name.edit, Qt.Key.Key_Return)
    assert name.error.isVisibleTo(page)
    assert name.error.text() == "A person needs a name"
    assert store.people.get(pid).display_name == "Ann Lee"
    assert window.undo_stack.count() == 0
    qtbot.keyClicks(name.edit, "Ann Leigh")
    qtbot.keyClick(name.edit, Qt.Key.Key_Return)
    assert store.people.get(pid).display_name == "Ann Leigh"
    assert name.error.isHidden()
    assert window.undo_stack.count() == 1


def test_store_refuses_an_erased_name(store: Store) -> None:
    """people.update(display_name="") is refused naming the field, not filled from old parts."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    with pytest.raises(ValidationError) as e:
        store.people.update(pid, display_name="  ")
    assert e.value.field == "display_name"
    assert store.people.get(pid).display_name == "Ann Lee"
