"""Notes are several lines everywhere, typed with Enter between lines; phones and websites that
do not look like one are kept but get a warning at the field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from netapp.domain import Kind, Person
from netapp.store import Store
from ui.dialogs.meeting_dialog import MeetingDialog
from ui.main_window import MainWindow
from ui.pages.people import LogDialog, PeoplePage
from ui.widgets.note_edit import NoteEdit


def _person_page(window: MainWindow, store: Store) -> tuple[PeoplePage, int]:
    pid = store.people.add(Person(display_name="Ann Lee"))
    page = window.show_page("people")
    assert isinstance(page, PeoplePage)
    assert page.select_person(pid)
    return page, pid


def test_person_note_takes_several_lines_and_saves_on_tab(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    """Two lines typed with Enter between them, then Tab: the note is saved with both lines."""
    page, pid = _person_page(window, store)
    note = page.detail.fields["note"].edit
    assert isinstance(note, NoteEdit)
    note.setFocus()
    qtbot.waitUntil(note.hasFocus)
    qtbot.keyClicks(note, "Met at the expo")
    qtbot.keyClick(note, Qt.Key.Key_Return)
    qtbot.keyClicks(note, "Wants an intro to a printer")
    qtbot.keyClick(note, Qt.Key.Key_Tab)
    assert not note.hasFocus()
    assert store.people.get(pid).note == "Met at the expo\nWants an intro to a printer"


def test_a_long_note_shows_in_a_box_of_several_lines(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    """A 5,000-character note is shown wrapped in a box at least four lines high."""
    pid = store.people.add(Person(display_name="Bo Chen", note="word " * 1000))
    page = window.show_page("people")
    assert isinstance(page, PeoplePage)
    assert page.select_person(pid)
    note = page.detail.fields["note"].edit
    assert note.text().strip() == ("word " * 1000).strip()
    assert note.height() >= 4 * note.fontMetrics().lineSpacing()


def test_log_and_meeting_notes_are_multi_line(qtbot: QtBot, window: MainWindow) -> None:
    """The Log and meeting dialogs' notes keep an Enter as a new line."""
    log = LogDialog(window, Kind.CALL, [])
    meeting = MeetingDialog(window.ctx, None, window)
    for dlg, note in ((log, log.note), (meeting, meeting.note)):
        dlg.show()
        qtbot.waitExposed(dlg)
        note.setFocus()
        qtbot.keyClicks(note, "first")
        qtbot.keyClick(note, Qt.Key.Key_Return)
        qtbot.keyClicks(note, "second")
        assert note.text() == "first\nsecond"
        assert dlg.isVisible()  # Enter in a note does not press OK
        dlg.reject()


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        ("phones", "call me maybe", "does not look like a phone number"),
        ("website", "not a url", "does not look like a web address"),
    ],
)
def test_odd_phone_or_website_is_kept_with_a_warning_at_the_field(
    qtbot: QtBot, window: MainWindow, store: Store, field: str, typed: str, says: str
) -> None:
    """A phone or website that does not look like one is saved as typed, with a warning under it."""
    page, pid = _person_page(window, store)
    fe = page.detail.fields[field]
    fe.edit.setFocus()
    qtbot.waitUntil(fe.edit.hasFocus)
    qtbot.keyClicks(fe.edit, typed)
    qtbot.keyClick(fe.edit, Qt.Key.Key_Return)
    assert fe.error.isVisibleTo(page) and says in fe.error.text()
    stored = getattr(store.people.get(pid), field)
    assert (stored[0].number if field == "phones" else stored) == typed
    fe.edit.setFocus()
    qtbot.keyClick(fe.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(fe.edit, "+44 20 7946 0958" if field == "phones" else "acme.example.com")
    qtbot.keyClick(fe.edit, Qt.Key.Key_Return)
    assert fe.error.isHidden()
    assert QApplication.focusWidget() is not None
