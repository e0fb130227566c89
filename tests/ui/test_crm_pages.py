"""#17 in the app: journal notes, faces, profile links, remind-me-on, birthdays and reminders
on Today, and search everywhere (Ctrl+K), on a real database file with real key events."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from netapp.domain import LibraryItem, LibraryKind, Note, Person, Referral, SearchKind
from netapp.store import Store
from ui.main_window import MainWindow
from ui.pages.people import NoteDialog, PeoplePage
from ui.pages.today import TodayPage
from ui.widgets.found_everywhere import ID_ROLE, KIND_ROLE

TODAY = date(2026, 12, 7)


pytestmark = pytest.mark.window(idle=True)


def people_page(window: MainWindow, pid: int) -> PeoplePage:
    page = window.show_page("people")
    assert isinstance(page, PeoplePage)
    page.select_person(pid)
    return page


def accepted_once(dlg: QDialog) -> None:
    """The dialog's exec() accepts the first time (as OK would) and cancels after."""
    answers = iter([QDialog.DialogCode.Accepted, QDialog.DialogCode.Rejected])
    dlg.exec = lambda: next(answers)  # type: ignore[method-assign]


def timeline_rows(page: PeoplePage) -> list[tuple[str, str]]:
    m = page.detail.timeline_model
    return [(m.index(r, 1).data(), m.index(r, 2).data()) for r in range(m.rowCount())]


def test_a_typed_journal_note_shows_in_the_timeline_and_undoes_as_one_step(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    """Note… takes a typed multi-line note, the timeline shows it, Ctrl+Z removes it, redo puts it back."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    page = people_page(window, pid)
    dlg = NoteDialog(page, "Add a journal note", "2026-12-01", "")
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.text, "Talked about her")
    qtbot.keyClick(dlg.text, Qt.Key.Key_Return)
    qtbot.keyClicks(dlg.text, "daughter's exams")
    accepted_once(dlg)
    nid = page.detail.add_note(dlg)
    assert nid is not None
    assert store.notes.get(nid).text == "Talked about her\ndaughter's exams"
    assert ("Journal note", "Talked about her · daughter's exams") in timeline_rows(page)
    window.undo_stack.undo()
    assert store.notes.for_person(pid) == []
    assert all(what != "Journal note" for what, _ in timeline_rows(page))
    window.undo_stack.redo()
    assert [n.text for n in store.notes.for_person(pid)] == ["Talked about her\ndaughter's exams"]


def test_an_empty_note_is_refused_at_the_dialog(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    """OK on an empty note keeps the dialog open with the reason, and stores nothing."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    page = people_page(window, pid)
    dlg = NoteDialog(page, "Add a journal note", "2026-12-01", "   ")
    qtbot.addWidget(dlg)
    accepted_once(dlg)
    assert page.detail.add_note(dlg) is None
    assert "needs some text" in dlg.form.shown_errors()["note"]  # at the Note field
    assert store.notes.for_person(pid) == [] and window.undo_stack.count() == 0


def test_editing_a_note_is_undoable(qtbot: QtBot, window: MainWindow, store: Store) -> None:
    """A note's text edited from the timeline is saved; undo puts the old text back."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    nid = store.notes.add(Note(person_id=pid, date="2026-11-01", text="old text"))
    page = people_page(window, pid)
    dlg = NoteDialog(page, "Edit", "2026-11-02", "")
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.text, "new text")
    accepted_once(dlg)
    assert page.detail.edit_note(nid, dlg)
    assert (store.notes.get(nid).date, store.notes.get(nid).text) == ("2026-11-02", "new text")
    window.undo_stack.undo()
    assert (store.notes.get(nid).date, store.notes.get(nid).text) == ("2026-11-01", "old text")


def _png(path: Path, colour: str) -> Path:
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(colour)
    image.save(str(path), "PNG")
    return path


def test_a_photo_from_a_file_is_shown_and_undone(
    qtbot: QtBot, window: MainWindow, store: Store, tmp_path: Path
) -> None:
    """Photo… stores the image with its sniffed type and shows it as the face; undo takes it back."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    page = people_page(window, pid)
    initials_face = page.detail.face.pixmap().toImage()
    assert page.detail.choose_photo(str(_png(tmp_path / "ann.dat", "red")))
    p = store.people.get(pid)
    assert p.photo_type == "image/png" and p.photo is not None
    face = page.detail.face.pixmap().toImage()
    assert face != initials_face
    centre = face.pixelColor(32, 32)
    assert centre.red() > 200 and centre.green() < 60
    window.undo_stack.undo()
    assert store.people.get(pid).photo is None
    assert page.detail.face.pixmap().toImage() == initials_face


def test_a_file_that_is_not_an_image_is_refused_in_one_line(
    qtbot: QtBot, window: MainWindow, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text file renamed .png is refused with a message naming it; the person is unchanged."""
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))
    pid = store.people.add(Person(display_name="Ann Lee"))
    page = people_page(window, pid)
    fake = tmp_path / "holiday.png"
    fake.write_text("not a picture")
    assert not page.detail.choose_photo(str(fake))
    assert len(said) == 1 and "holiday.png" in said[0] and "\n" not in said[0]
    assert store.people.get(pid).photo is None and window.undo_stack.count() == 0


def test_profile_links_are_editable_and_clickable(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    """Links typed in the Links field are saved and shown as links that open in a browser."""
    pid = store.people.add(Person(display_name="Ann Lee", website="ann.example"))
    page = people_page(window, pid)
    field = page.detail.fields["links"]
    field.edit.setFocus()
    qtbot.keyClicks(field.edit, "https://www.linkedin.com/in/annlee")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert store.people.get(pid).links == ["https://www.linkedin.com/in/annlee"]
    heading = page.detail.heading.text()
    assert "href='https://www.linkedin.com/in/annlee'" in heading
    assert "href='https://ann.example'" in heading
    assert page.detail.heading.openExternalLinks()


def test_remind_me_on_is_typed_checked_and_reaches_today(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    """A bad "remind me on" date shows its problem; a good one puts the person on Today."""
    pid = store.people.add(Person(display_name="Ann Lee", birthday="1990-12-08"))
    page = people_page(window, pid)
    field = page.detail.fields["remind_on"]
    field.edit.setFocus()
    qtbot.keyClicks(field.edit, "next week")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.error.isVisibleTo(page) and store.people.get(pid).remind_on == ""
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, "2026-12-07")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert store.people.get(pid).remind_on == "2026-12-07"
    today = TodayPage(window.ctx, today=TODAY)
    qtbot.addWidget(today)
    today.show()
    qtbot.waitUntil(lambda: not today.is_busy(), timeout=60_000)
    text = today.occasions.text()
    assert today.occasions.isVisible()
    assert f"Remember <a href='person:{pid}'>Ann Lee</a>" in text
    assert "birthday Tuesday 08 Dec, turning 36" in text  # the day before, by default
    today._open_link(f"person:{pid}")  # what clicking the name does


def test_birthdays_on_today_follow_the_setting(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    """With today.birthday_days = 0 tomorrow's birthday is not shown; today's is."""
    store.people.add(Person(display_name="Ann Lee", birthday="--12-08"))
    store.people.add(Person(display_name="Bob Ray", birthday="--12-07"))
    store.settings.set("today.birthday_days", 0)
    today = TodayPage(window.ctx, today=TODAY)
    qtbot.addWidget(today)
    today.show()
    qtbot.waitUntil(lambda: not today.is_busy(), timeout=60_000)
    assert "Bob Ray</a>: birthday today" in today.occasions.text()
    assert "Ann Lee" not in today.occasions.text()


def _typed_search(qtbot: QtBot, window: MainWindow, text: str) -> list[tuple[str, int | None]]:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus()
    qtbot.keyClicks(window.search_box, text)
    m = window._found
    return [
        (m.index(r, 0).data(KIND_ROLE), m.index(r, 0).data(ID_ROLE)) for r in range(m.rowCount())
    ]


def test_ctrl_k_finds_every_kind_grouped_and_opens_each_at_its_row(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    """Typing in Ctrl+K lists people, meetings, groups, referrals, library items and notes under
    headings; picking one opens the right page with that row selected."""
    pid = store.people.add(Person(display_name="Marina Cole"))
    gid = store.groups.add("Marina Club", "weekly", "thu", "")
    mid = store.meetings.add("Marina breakfast", "2026-11-05", group_id=gid)
    rid = store.referrals.add(
        Referral(
            provider_id=pid, prospect_name="Marina Dental", prospect_agreed=True, date="2026-11-06"
        )
    )
    lid = store.library.add(LibraryItem(title="Marina guide", kind=LibraryKind.EBOOK))
    nid = store.notes.add(Note(person_id=pid, date="2026-11-07", text="keeps a boat at the marina"))
    rows = _typed_search(qtbot, window, "marin")
    headings = [n for n, (kind, _id) in enumerate(rows) if kind == ""]
    assert len(headings) == 6
    found = {(k, i) for k, i in rows if k}
    assert {("person", pid), ("meeting", mid), ("group", gid), ("referral", rid)} <= found
    assert {("library", lid), ("note", nid)} <= found
    page = window.open_found(SearchKind.MEETING, mid)
    assert window.stack.currentWidget() is page and page.current_meeting() == mid
    page = window.open_found(SearchKind.REFERRAL, rid)
    assert page.selected_id() == rid
    page = window.open_found(SearchKind.LIBRARY, lid)
    assert window.stack.currentWidget() is page
    page = window.open_found(SearchKind.NOTE, nid, pid)
    assert isinstance(page, PeoplePage) and page.detail.person_id == pid
    t = page.detail.timeline
    assert page.detail.timeline_model.key_at(t.currentIndex().row()) == f"n{nid}"


def test_enter_in_ctrl_k_opens_the_first_result(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    """Enter without picking opens the first result: here a meeting, as no person matches."""
    mid = store.meetings.add("Lighthouse lunch", "2026-11-05")
    _typed_search(qtbot, window, "lighthou")
    window.search_box.completer().popup().hide()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.page("meetings")
    assert window.page("meetings").current_meeting() == mid


def test_the_people_list_shows_a_face_beside_each_name(
    qtbot: QtBot, window: MainWindow, store: Store, tmp_path: Path, qtmodeltester: object
) -> None:
    """Each name in the list has a small face: the photo when there is one, else initials."""
    from PySide6.QtGui import QPixmap

    with_photo = store.people.add(
        Person(
            display_name="Ann Lee",
            photo=_png(tmp_path / "a.png", "red").read_bytes(),
            photo_type="image/png",
        )
    )
    store.people.add(Person(display_name="Bob Ray"))
    page = people_page(window, with_photo)
    model = page.model
    faces = {
        model.id_at(r): model.index(r, 0).data(Qt.ItemDataRole.DecorationRole)
        for r in range(model.rowCount())
    }
    assert all(isinstance(f, QPixmap) and f.width() == model.FACE for f in faces.values())
    assert faces[with_photo].toImage().pixelColor(10, 10).red() > 200
    assert model.index(0, 1).data(Qt.ItemDataRole.DecorationRole) is None  # the name column only
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]
