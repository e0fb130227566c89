"""Meetings page: groups with schedules, meetings planned, edited and deleted, and New person…

Every test drives the page or dialog against a real demo database file and checks the rows
written, then undo. Modal dialogs are filled in by a timer while they run, as a user would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from netapp import engine
from netapp.domain import Interaction, Kind, Person
from netapp.store import Store
from tests.conftest import DEMO_TODAY
from ui.dialogs.group_dialog import GroupDialog
from ui.dialogs.meeting_dialog import MeetingDialog
from ui.dialogs.person_dialog import PersonDialog
from ui.main_window import MainWindow
from ui.models.meetings import NO_GROUP
from ui.pages.meetings import MeetingsPage

TODAY = date.fromisoformat(DEMO_TODAY)  # a Monday


@pytest.fixture
def window(qtbot: QtBot, demo_store: Store) -> Iterator[MainWindow]:
    w = MainWindow(demo_store, None)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: not w.is_busy(), timeout=60_000)
    yield w
    w.close()


@pytest.fixture
def page(qtbot: QtBot, window: MainWindow) -> MeetingsPage:
    p = MeetingsPage(window.ctx, today=TODAY)
    qtbot.addWidget(p)
    p.show()
    return p


def fill_modal(fill: Callable[[Any], None]) -> list[str]:
    """When the next modal dialog runs, ``fill`` it (it presses its own button). Returns a
    list that gets the dialog's class name, so a test can check that one appeared."""
    seen: list[str] = []
    tries = [500]  # give up after about five seconds: no timer is left behind for later tests

    def run() -> None:
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            tries[0] -= 1
            if tries[0] > 0:
                QTimer.singleShot(10, run)
            return
        seen.append(type(dlg).__name__)
        try:
            fill(dlg)
        finally:
            if dlg.isVisible():
                dlg.reject()  # a failed fill must not leave the test waiting on the dialog

    QTimer.singleShot(0, run)
    return seen


def answer(monkeypatch: pytest.MonkeyPatch, reply: QMessageBox.StandardButton) -> list[str]:
    """Answer QMessageBox.question with ``reply``; returns the texts asked."""
    asked: list[str] = []

    def question(_parent: QWidget, _title: str, text: str, *a: object) -> Any:
        asked.append(text)
        return reply

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def group_row(store: Store, gid: int) -> tuple[Any, ...]:
    g = store.groups.get(gid)
    return (g.name, g.recurrence.value, g.weekday, g.venue)


# -- groups ----------------------------------------------------------------------------------


def test_new_group_from_the_page_is_saved_shown_and_undone(
    qtbot: QtBot, window: MainWindow, page: MeetingsPage, demo_store: Store
) -> None:
    """New group… with a weekly Friday schedule writes the group, picks it, and undo removes it."""

    def fill(dlg: GroupDialog) -> None:
        dlg.name.setText("Friday Founders Breakfast")
        dlg.recurrence.setCurrentIndex(dlg.recurrence.findData("weekly"))
        dlg.weekday.setCurrentIndex(4)
        dlg.venue.setText("Riverside Hotel")
        assert "every Friday" in dlg.summary.text()
        dlg.save()

    seen = fill_modal(fill)
    page.new_group_button.click()
    assert seen == ["GroupDialog"]
    gid = int(
        demo_store.db.scalar("SELECT id FROM groups WHERE name = 'Friday Founders Breakfast'")
    )
    assert group_row(demo_store, gid) == (
        "Friday Founders Breakfast",
        "weekly",
        4,
        "Riverside Hotel",
    )
    assert page.current_group() == gid
    assert "every Friday at Riverside Hotel" in page.schedule.text()
    assert "next expected Fri 2026-11-27" in page.schedule.text()
    window.undo_stack.undo()
    assert demo_store.db.scalar("SELECT count(*) FROM groups WHERE id = ?", [gid]) == 0
    assert page.group_box.findData(gid) < 0


def test_a_weekly_schedule_set_in_edit_group_reaches_today(
    qtbot: QtBot, window: MainWindow, page: MeetingsPage, demo_store: Store
) -> None:
    """Edit group… setting weekly on Thursdays makes the engine expect the group's next meeting with its regular; undo clears it."""
    gid = demo_store.groups.add("Riverside Breakfast")
    pid = demo_store.people.add(Person(display_name="Regular Rita"))
    demo_store.meetings.add("Breakfast", "2026-11-19", group_id=gid, attendee_ids=[pid])
    coming = [m for m in engine.upcoming_meetings(demo_store, TODAY, 7) if m.group_id == gid]
    assert coming == []
    page.select_group(gid)
    assert "No fixed schedule" in page.schedule.text()

    def fill(dlg: GroupDialog) -> None:
        dlg.recurrence.setCurrentIndex(dlg.recurrence.findData("weekly"))
        dlg.weekday.setCurrentIndex(3)
        dlg.save()

    fill_modal(fill)
    assert page.edit_group()
    assert group_row(demo_store, gid)[1:3] == ("weekly", 3)
    coming = [m for m in engine.upcoming_meetings(demo_store, TODAY, 7) if m.group_id == gid]
    assert [(m.date, m.regulars) for m in coming] == [(date(2026, 11, 26), [pid])]
    assert "next expected Thu 2026-11-26" in page.schedule.text()
    window.undo_stack.undo()
    assert group_row(demo_store, gid)[1:3] == ("none", None)


def test_group_dialog_shows_the_core_message_at_the_field_and_writes_nothing(
    qtbot: QtBot, window: MainWindow, demo_store: Store
) -> None:
    """A name already taken (or none) is reported under Name; the dialog stays open; nothing changes."""
    taken = demo_store.groups.all()[0]
    dlg = GroupDialog(window.ctx, None, window)
    qtbot.addWidget(dlg)
    before = demo_store.groups.stats()
    dlg.name.setText(taken.name.upper())
    assert not dlg.save()
    assert list(dlg.form.shown_errors()) == ["group"]
    assert "already exists" in dlg.form.shown_errors()["group"]
    dlg.name.setText("   ")
    assert not dlg.save()
    assert "needs a name" in dlg.form.shown_errors()["group"]
    assert demo_store.groups.stats() == before and window.undo_stack.count() == 0


def test_renaming_a_group_updates_the_picker_and_undoes(
    qtbot: QtBot, window: MainWindow, page: MeetingsPage, demo_store: Store
) -> None:
    """Edit group… with a new name renames it (keeping its schedule); the picker follows; undo renames it back."""
    g = demo_store.groups.all()[0]
    page.select_group(g.id)
    dlg = GroupDialog(window.ctx, g.id, page)
    qtbot.addWidget(dlg)
    assert dlg.name.text() == g.name and dlg.weekday.currentIndex() == g.weekday
    dlg.name.setText("Renamed Breakfast")
    assert dlg.save()
    assert group_row(demo_store, int(g.id or 0)) == (
        "Renamed Breakfast",
        g.recurrence.value,
        g.weekday,
        g.venue,
    )
    assert page.group_box.currentText() == "Renamed Breakfast"
    window.undo_stack.undo()
    assert demo_store.groups.get(int(g.id or 0)).name == g.name


def test_deleting_a_group_says_its_meetings_stay_and_undo_regroups_them(
    qtbot: QtBot,
    window: MainWindow,
    page: MeetingsPage,
    demo_store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Delete group… tells how many meetings stay; they stay with attendance, shown as without a group; undo regroups them."""
    g = demo_store.groups.all()[0]
    gid = int(g.id or 0)
    mids = [
        r["id"] for r in demo_store.db.query("SELECT id FROM meetings WHERE group_id = ?", [gid])
    ]
    attendance = demo_store.db.scalar("SELECT count(*) FROM attendance")
    page.select_group(gid)
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    assert not page.delete_group()
    assert demo_store.groups.get(gid).name == g.name
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    assert page.delete_group()
    assert f"Its {len(mids)} meetings stay" in asked[0]
    assert demo_store.db.scalar("SELECT count(*) FROM groups WHERE id = ?", [gid]) == 0
    assert demo_store.db.scalar("SELECT count(*) FROM attendance") == attendance
    assert demo_store.db.scalar(
        f"SELECT count(*) FROM meetings WHERE group_id IS NULL AND id IN ({','.join('?' * len(mids))})",
        mids,
    ) == len(mids)
    page.select_group(NO_GROUP)
    assert page.group_box.currentData() == NO_GROUP
    assert page.meetings.rowCount() == len(mids)
    window.undo_stack.undo()
    assert demo_store.groups.get(gid).name == g.name
    assert demo_store.db.scalar("SELECT count(*) FROM meetings WHERE group_id = ?", [gid]) == len(
        mids
    )


# -- meetings --------------------------------------------------------------------------------


def test_a_coming_meeting_is_planned_without_attendees_and_shows_as_coming(
    qtbot: QtBot, window: MainWindow, page: MeetingsPage, demo_store: Store
) -> None:
    """New meeting… saves a meeting with nobody yet, selects it, and the engine lists it as coming; undo removes it."""
    gid = demo_store.groups.add("Chamber Lunch", venue="Guild Hall")  # no schedule
    page.select_group(gid)

    def fill(dlg: MeetingDialog) -> None:
        assert dlg.group.currentData() == gid
        assert (dlg.name.text(), dlg.venue.text()) == ("Chamber Lunch", "Guild Hall")
        dlg.date.setDate(QDate(2026, 12, 1))
        dlg.save()

    fill_modal(fill)
    page.new_meeting_button.click()
    rows = demo_store.db.query("SELECT * FROM meetings WHERE group_id = ?", [gid])
    assert [(r["name"], r["date"], r["venue"]) for r in rows] == [
        ("Chamber Lunch", "2026-12-01", "Guild Hall")
    ]
    mid = rows[0]["id"]
    assert demo_store.meetings.attendees(mid) == []
    assert page.current_meeting() == mid and page.add_edit.isEnabled()
    coming = engine.upcoming_meetings(demo_store, TODAY, 14)
    assert (gid, date(2026, 12, 1)) in {(m.group_id, m.date) for m in coming}
    window.undo_stack.undo()
    assert demo_store.db.scalar("SELECT count(*) FROM meetings WHERE id = ?", [mid]) == 0


def test_a_new_meeting_of_a_scheduled_group_defaults_to_its_next_free_date(
    qtbot: QtBot, window: MainWindow, demo_store: Store
) -> None:
    """The date offered is the group's next expected meeting, or the one after when that is recorded already."""
    gid = demo_store.groups.add("Tuesday Club", "weekly", "tue", "Mill")
    dlg = MeetingDialog(window.ctx, None, window, group_id=gid, today=TODAY)
    qtbot.addWidget(dlg)
    assert dlg.date.date() == QDate(2026, 11, 24)
    assert dlg.save()
    again = MeetingDialog(window.ctx, None, window, group_id=gid, today=TODAY)
    qtbot.addWidget(again)
    assert again.date.date() == QDate(2026, 12, 1)


def test_editing_a_meeting_changes_it_and_moves_its_notes_and_undo_reverts(
    qtbot: QtBot, window: MainWindow, page: MeetingsPage, demo_store: Store
) -> None:
    """Edit meeting… changes date, venue and group; notes logged at it follow the date; undo puts all back."""
    other = demo_store.groups.add("Other Group")
    pid = demo_store.people.add(Person(display_name="Noted Nell"))
    mid = demo_store.meetings.add("Mixer", "2026-11-10", attendee_ids=[pid])
    iid = demo_store.interactions.add(
        Interaction(person_id=pid, date="2026-11-10", kind=Kind.MET, note="hi", meeting_id=mid)
    )
    page.select_meeting(mid)
    assert page.current_meeting() == mid

    def fill(dlg: MeetingDialog) -> None:
        assert dlg.name.text() == "Mixer" and "notes" in dlg.hint.text()
        dlg.date.setDate(QDate(2026, 11, 12))
        dlg.venue.setText("Corn Exchange")
        dlg.group.setCurrentIndex(dlg.group.findData(other))
        dlg.save()

    fill_modal(fill)
    assert page.edit_meeting()
    m = demo_store.meetings.get(mid)
    assert (m.date, m.venue, m.group_id) == ("2026-11-12", "Corn Exchange", other)
    assert demo_store.db.scalar("SELECT date FROM interactions WHERE id = ?", [iid]) == "2026-11-12"
    assert "2026-11-12 at Corn Exchange" in page.meeting_title.text()
    window.undo_stack.undo()
    m = demo_store.meetings.get(mid)
    assert (m.date, m.venue, m.group_id) == ("2026-11-10", "", None)
    assert demo_store.db.scalar("SELECT date FROM interactions WHERE id = ?", [iid]) == "2026-11-10"


def test_meeting_dialog_shows_a_bad_name_at_the_field(
    qtbot: QtBot, window: MainWindow, demo_store: Store
) -> None:
    """A meeting with no name is refused under Name and nothing is written."""
    before = demo_store.db.scalar("SELECT count(*) FROM meetings")
    dlg = MeetingDialog(window.ctx, None, window, today=TODAY)
    qtbot.addWidget(dlg)
    assert not dlg.save()
    assert "needs a name" in dlg.form.shown_errors()["name"]
    assert demo_store.db.scalar("SELECT count(*) FROM meetings") == before


def test_deleting_a_meeting_asks_then_keeps_notes_and_undo_restores_attendance(
    qtbot: QtBot,
    window: MainWindow,
    page: MeetingsPage,
    demo_store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Delete meeting… says what goes and what stays; notes stay (unlinked); undo brings back attendance and links."""
    mid = page.current_meeting()
    assert mid is not None
    came = demo_store.meetings.attendees(mid)
    pid = came[0]
    iid = demo_store.interactions.add(
        Interaction(
            person_id=pid,
            date=demo_store.meetings.get(mid).date,
            kind=Kind.MET,
            note="at the meeting",
            meeting_id=mid,
        )
    )
    answer(monkeypatch, QMessageBox.StandardButton.No)
    assert not page.delete_meeting()
    assert demo_store.meetings.attendees(mid) == came
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    assert page.delete_meeting()
    assert f"{len(came)} people were there" in asked[0] and "1 note logged" in asked[0]
    assert demo_store.db.scalar("SELECT count(*) FROM meetings WHERE id = ?", [mid]) == 0
    assert demo_store.db.scalar("SELECT meeting_id FROM interactions WHERE id = ?", [iid]) is None
    assert page.current_meeting() not in (None, mid)
    window.undo_stack.undo()
    assert demo_store.meetings.attendees(mid) == came
    assert demo_store.db.scalar("SELECT meeting_id FROM interactions WHERE id = ?", [iid]) == mid
    window.undo_stack.redo()
    assert demo_store.db.scalar("SELECT count(*) FROM meetings WHERE id = ?", [mid]) == 0


# -- New person… -------------------------------------------------------------------------------


def test_new_person_shortcut_is_registered_once_and_clashes_with_nothing(
    window: MainWindow,
) -> None:
    """person.new is on Ctrl+Shift+N, in the Edit menu after Find a person…, and no other action has that shortcut."""
    action = window.registry["person.new"]
    assert action.shortcut() == QKeySequence("Ctrl+Shift+N")
    shortcuts = list(window.registry.shortcuts().values())
    assert len(shortcuts) == len(set(shortcuts))
    edit = window.menu("&Edit").actions()
    assert edit.index(action) == edit.index(window.registry["app.search"]) + 1
    assert action not in window.menu("&File").actions()


def test_new_person_is_added_shown_on_people_and_undone(
    qtbot: QtBot, window: MainWindow, demo_store: Store
) -> None:
    """New person… writes the person with emails, phone and tags, opens them on People; undo deletes, redo restores the same id."""

    def fill(dlg: PersonDialog) -> None:
        dlg.name.setText("Zora Quist")
        dlg.org.setText("Quist Signs")
        dlg.title.setText("Owner")
        dlg.email.setText("zora@quist.example, sales@quist.example")
        dlg.phone.setText("+1 202 555 0143")
        dlg.tags.setText("Signage, print")
        dlg.note.setPlainText("Met at the library talk")
        dlg.save()

    fill_modal(fill)
    window.registry["person.new"].trigger()
    pid = demo_store.people.ids_by_name("Zora Quist")[0]
    p = demo_store.people.get(pid)
    assert (p.org, p.title, p.note, p.tags) == (
        "Quist Signs",
        "Owner",
        "Met at the library talk",
        ["print", "signage"],
    )
    assert [e.address for e in p.emails] == ["zora@quist.example", "sales@quist.example"]
    assert [ph.number for ph in p.phones] == ["+12025550143"]
    people = window.page("people")
    assert window.stack.currentWidget() is people
    assert people.detail.person_id == pid  # type: ignore[attr-defined]
    window.undo_stack.undo()
    assert demo_store.people.ids_by_name("Zora Quist") == []
    window.undo_stack.redo()
    assert demo_store.people.get(pid).org == "Quist Signs"


def test_person_dialog_shows_a_bad_email_at_the_field_and_writes_nothing(
    qtbot: QtBot, window: MainWindow, demo_store: Store
) -> None:
    """A bad email is refused under Email; nothing is stored and nothing goes on the undo stack."""
    before = demo_store.people.count()
    dlg = PersonDialog(window.ctx, window)
    qtbot.addWidget(dlg)
    dlg.name.setText("Ada Bad")
    dlg.email.setText("ada@")
    assert not dlg.save()
    assert list(dlg.form.shown_errors()) == ["email"]
    assert demo_store.people.count() == before and window.undo_stack.count() == 0
    dlg.email.clear()
    dlg.name.clear()
    assert not dlg.save()
    assert "needs a name" in dlg.form.shown_errors()["display_name"]


def test_person_dialog_asks_before_adding_a_namesake(
    qtbot: QtBot, window: MainWindow, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name already stored is asked about; No adds nobody, Yes adds a second person."""
    name = demo_store.people.get(1).display_name
    dlg = PersonDialog(window.ctx, window)
    qtbot.addWidget(dlg)
    dlg.name.setText(name.upper())
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    assert not dlg.save()
    assert name in asked[0] and len(demo_store.people.ids_by_name(name)) == 1
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    assert dlg.save()
    assert len(demo_store.people.ids_by_name(name)) == 2


def test_opening_the_page_queries_each_list_once_per_load(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening Meetings reads each of its three lists at most twice (a first sort, then the
    group's rows), not once per change of sort order as well (six times: 1.2 s at 100k people);
    the meetings still come newest first and repeat attendance most first."""
    from collections import Counter

    from ui.models.sqltable import SqlTableModel

    fetched: Counter[str] = Counter()
    real = SqlTableModel._fetch

    def counted(self: SqlTableModel, offset: int, limit: int) -> list[tuple[Any, ...]]:
        fetched[type(self).__name__] += 1
        return real(self, offset, limit)

    from netapp.store.lists import GroupAttendanceList

    real_page = GroupAttendanceList.page

    def counted_page(self: GroupAttendanceList, *args: Any) -> list[tuple[Any, ...]]:
        fetched["GroupAttendanceModel"] += 1  # read on the page's worker (issue 20)
        return real_page(self, *args)

    monkeypatch.setattr(SqlTableModel, "_fetch", counted)
    monkeypatch.setattr(GroupAttendanceList, "page", counted_page)
    page = window.show_page("meetings")
    assert isinstance(page, MeetingsPage)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    assert set(fetched) == {"MeetingsModel", "AttendanceModel", "GroupAttendanceModel"}
    assert max(fetched.values()) <= 2, fetched
    dates = [page.meetings.index(r, 0).data() for r in range(page.meetings.rowCount())]
    assert len(dates) > 1 and dates == sorted(dates, reverse=True)
    counts = [page.group_people.index(r, 1).data() for r in range(page.group_people.rowCount())]
    assert counts == sorted(counts, reverse=True)
