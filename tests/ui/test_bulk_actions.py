"""Bulk actions on People (#17): several people selected with Shift/Ctrl and real keys, then
tagged, untagged, added to a meeting, exported or forgotten; each write one undo step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from netapp.domain import Note, Person
from netapp.store import Store
from netapp.store.search import search
from ui.main_window import MainWindow
from ui.pages.people import PeoplePage

NAMES = ["Ann Lee", "Bob Ray", "Cara Diaz", "Dev Patel"]


@pytest.fixture
def page(qtbot: QtBot, store: Store) -> Iterator[PeoplePage]:
    for n in NAMES:
        store.people.add(Person(display_name=n, tags=["old"] if n == "Bob Ray" else []))
    w = MainWindow(store, None)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    p = w.show_page("people")
    assert isinstance(p, PeoplePage)
    yield p
    w.close()


def click_row(qtbot: QtBot, page: PeoplePage, row: int, modifier: Qt.KeyboardModifier) -> None:
    rect = page.table.visualRect(page.model.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def select_first(qtbot: QtBot, page: PeoplePage, n: int) -> list[int]:
    """Select the first ``n`` rows as a user would: click the first, Shift+click the last."""
    click_row(qtbot, page, 0, Qt.KeyboardModifier.NoModifier)
    click_row(qtbot, page, n - 1, Qt.KeyboardModifier.ShiftModifier)
    ids = page.selected_ids()
    assert len(ids) == n
    return ids


def test_tag_and_untag_a_selection_each_undo_in_one_step(
    qtbot: QtBot, page: PeoplePage, store: Store
) -> None:
    """Tagging three people is one undo step that leaves an existing tag alone; so is untagging."""
    ids = select_first(qtbot, page, 3)
    assert page.selected_label.text() == "3 selected"
    assert page.tag_selected("VIP")
    assert all("vip" in store.people.get(i).tags for i in ids)
    undo = page.ctx.undo
    assert undo.count() == 1
    undo.undo()
    assert not any("vip" in store.people.get(i).tags for i in ids)
    undo.redo()
    assert page.untag_selected("old")
    bob = store.people.find("Bob Ray")
    assert bob.tags == ["vip"]
    undo.undo()
    assert sorted(store.people.find("Bob Ray").tags) == ["old", "vip"]


def test_add_a_selection_to_a_meeting(qtbot: QtBot, page: PeoplePage, store: Store) -> None:
    """Adding the selection to a meeting records them all; undo takes off only those it added."""
    mid = store.meetings.add("Mixer", "2026-11-05")
    ann = store.people.find("Ann Lee").id
    store.meetings.attend(mid, int(ann or 0))
    ids = select_first(qtbot, page, 4)
    assert page.add_selected_to_meeting(mid)
    assert sorted(store.meetings.attendees(mid)) == sorted(ids)
    page.ctx.undo.undo()
    assert store.meetings.attendees(mid) == [ann]


def test_export_the_selection(
    qtbot: QtBot, page: PeoplePage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Export… writes only the selected people, and offers only the formats that hold people."""
    target = tmp_path / "some.csv"
    offered: list[str] = []

    def save_as(_parent: object, _title: str, _dir: str, filters: str) -> tuple[str, str]:
        offered.extend(filters.split(";;"))
        return str(target), "People as CSV (*.csv)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    select_first(qtbot, page, 2)
    assert page.export_selected() == str(target)
    text = target.read_text(encoding="utf-8")
    assert "Ann Lee" in text and "Bob Ray" in text and "Cara Diaz" not in text
    assert len(offered) == 3 and not any("backup" in f or "Opt-ins" in f for f in offered)


def test_forget_a_selection_after_the_warning(
    qtbot: QtBot, page: PeoplePage, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forget… asks first (No keeps everyone); Yes erases them and their notes from search."""
    ids = select_first(qtbot, page, 2)
    store.notes.add(Note(person_id=ids[0], date="2026-11-01", text="sailing in Cornwall"))
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: next(answers))
    select_first(qtbot, page, 2)
    assert not page.forget_selected()
    assert store.people.count() == 4
    assert page.forget_selected()
    assert store.people.count() == 2
    assert search(store.db, "cornwall") == []
    assert page.ctx.undo.count() == 0


def test_one_person_selected_still_shows_in_the_detail(qtbot: QtBot, page: PeoplePage) -> None:
    """With one row clicked the detail pane shows that person; the count label stays empty."""
    click_row(qtbot, page, 1, Qt.KeyboardModifier.NoModifier)
    assert page.detail.person_id == page.model.id_at(1)
    assert page.selected_label.text() == ""
    assert all(b.isEnabled() for b in page.bulk_buttons.values())
    page.table.clearSelection()
    enabled = {k for k, b in page.bulk_buttons.items() if b.isEnabled()}
    assert enabled == {"export"}  # with nobody selected, Export… takes the filtered list


def test_several_attendees_removed_in_one_step_come_back_as_they_were(
    qtbot: QtBot, store: Store
) -> None:
    """Shift+click two attendees, Remove from meeting: both go in one undo step; undo brings the
    visitor back as a visitor brought by the same member."""
    from netapp.domain import AttendanceRole
    from ui.pages.meetings import MeetingsPage

    ann, bob, cara = (store.people.add(Person(display_name=n)) for n in ("Ann", "Bob", "Cara"))
    mid = store.meetings.add("Mixer", "2026-11-05", attendee_ids=[ann, cara])
    store.meetings.attend(mid, bob, role=AttendanceRole.VISITOR, brought_by=ann)
    w = MainWindow(store, None)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    page = w.show_page("meetings")
    assert isinstance(page, MeetingsPage)
    page.select_meeting(mid)
    view, model = page.attendance_view, page.attendance
    rows = {model.id_at(r): r for r in range(model.rowCount())}
    for pid, mod in (
        (ann, Qt.KeyboardModifier.NoModifier),
        (bob, Qt.KeyboardModifier.ControlModifier),
    ):
        rect = view.visualRect(model.index(rows[pid], 0))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, mod, rect.center())
    page.remove_selected()
    assert store.meetings.attendees(mid) == [cara]
    assert w.undo_stack.count() == 1
    w.undo_stack.undo()
    back = store.meetings.attendance_rows(mid, [ann, bob])
    assert {(r["person_id"], r["role"], r["brought_by"]) for r in back} == {
        (ann, "member", None),
        (bob, "visitor", ann),
    }
    w.close()


def test_export_with_nobody_selected_takes_the_filtered_list(
    qtbot: QtBot, page: PeoplePage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a search typed and nobody selected, Export… writes everyone the search lists."""
    target = tmp_path / "found.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a: (str(target), "People as CSV (*.csv)")
    )
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    page.model.set_filter(search="d")  # Cara Diaz, Dev Patel
    page.table.clearSelection()
    assert page.export_selected() == str(target)
    text = target.read_text(encoding="utf-8")
    assert "Cara Diaz" in text and "Dev Patel" in text and "Ann Lee" not in text
