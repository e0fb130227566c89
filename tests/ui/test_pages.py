"""People, Today and Meetings pages against a real demo database file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from netapp import engine
from netapp.domain import Interaction, Kind, Person
from netapp.store import Store
from tests.conftest import DEMO_TODAY
from ui.main_window import MainWindow
from ui.models.agenda import AgendaModel
from ui.models.meetings import AttendanceModel, GroupAttendanceModel, MeetingsModel
from ui.models.timeline import TimelineModel
from ui.pages.meetings import MeetingsPage
from ui.pages.people import PeoplePage
from ui.pages.today import TodayPage

TODAY = date.fromisoformat(DEMO_TODAY)


@pytest.fixture
def window(qtbot: QtBot, demo_store: Store) -> Iterator[MainWindow]:
    w = MainWindow(demo_store, None)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: not w.is_busy(), timeout=60_000)  # the worker's first pass
    yield w
    w.close()


def today_page(qtbot: QtBot, window: MainWindow) -> TodayPage:
    """A Today page whose agenda (worked out on the engine worker's thread) has arrived."""
    page = TodayPage(window.ctx, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    return page


def shown_steps(page: TodayPage) -> set[tuple[int, str]]:
    steps = (page.model.step(r) for r in range(page.model.rowCount()))
    return {(s.person_id, s.kind) for s in steps if s}


def test_search_as_you_type_finds_a_person_by_part_of_their_organisation(
    qtbot: QtBot, store: Store
) -> None:
    """Typing the start of an organisation's second word in People narrows the list to that person."""
    target = store.people.add(Person(display_name="Quentin Blake", org="Harbour Lights Bakery"))
    for n in range(30):
        store.people.add(Person(display_name=f"Other {n}", org=f"Firm {n}"))
    w = MainWindow(store, None)
    qtbot.addWidget(w)
    page = w.show_page("people")
    assert isinstance(page, PeoplePage)
    assert page.model.rowCount() == 31
    qtbot.keyClicks(page.search, "lights bak")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.id_at(0) == target
    assert page.detail.person_id == target  # the first match opens in the detail pane
    w.close()


def test_global_search_jumps_to_the_person(
    qtbot: QtBot, window: MainWindow, demo_store: Store
) -> None:
    """Ctrl+K, part of a name and Enter opens that person on the People page."""
    row = demo_store.db.query("SELECT id, display_name FROM people ORDER BY id DESC LIMIT 1")[0]
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus()
    window.search_box.setText(row["display_name"])
    window._jump_to_first()
    page = window.page("people")
    assert isinstance(page, PeoplePage)
    assert window.stack.currentWidget() is page
    assert page.detail.person_id == row["id"]


def test_marking_a_today_step_done_logs_it_and_updates_the_agenda(
    qtbot: QtBot, window: MainWindow, demo_store: Store
) -> None:
    """Done on a follow-up logs the interaction, the step leaves the agenda, and undo brings it back."""
    pid = demo_store.people.add(Person(display_name="Nadia Fresh", org="New Co"))
    demo_store.meetings.add("Breakfast", "2026-11-22", attendee_ids=[pid])
    page = today_page(qtbot, window)
    steps = [page.model.step(r) for r in range(page.model.rowCount())]
    row = next(n for n, s in enumerate(steps) if s is not None and s.kind == "follow-up")
    step = steps[row]
    assert step is not None and step.person_id == pid
    page.table.selectRow(row)
    before = demo_store.db.scalar(
        "SELECT count(*) FROM interactions WHERE person_id = ?", [step.person_id]
    )
    iid = page.mark_done()
    assert iid is not None
    got = demo_store.db.query("SELECT person_id, kind, date FROM interactions WHERE id = ?", [iid])
    assert got == [{"person_id": step.person_id, "kind": "email", "date": DEMO_TODAY}]
    after = demo_store.db.scalar(
        "SELECT count(*) FROM interactions WHERE person_id = ?", [step.person_id]
    )
    assert after == before + 1
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    assert (step.person_id, "follow-up") not in shown_steps(page)
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    assert (step.person_id, "follow-up") in shown_steps(page)


def test_done_on_a_marked_follow_up_removes_the_mark_and_undo_restores_it(
    qtbot: QtBot, window: MainWindow, demo_store: Store
) -> None:
    """A capture's follow-up mark is a follow-up step; Done removes the tag, undo puts it back."""
    pid = demo_store.people.add(Person(display_name="Tess Tagged", tags=["follow-up"]))
    demo_store.meetings.add("Breakfast", "2026-11-20", attendee_ids=[pid])
    demo_store.interactions.add(
        Interaction(person_id=pid, date="2026-11-20", kind=Kind.VALUE_GIVEN)
    )
    page = today_page(qtbot, window)
    steps = [page.model.step(r) for r in range(page.model.rowCount())]
    row = next(n for n, s in enumerate(steps) if s is not None and s.person_id == pid)
    assert steps[row] is not None and steps[row].kind == "follow-up"  # type: ignore[union-attr]
    page.table.selectRow(row)
    assert page.mark_done() is not None
    assert demo_store.people.get(pid).tags == []
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    assert (pid, "follow-up") not in shown_steps(page)
    window.undo_stack.undo()
    assert demo_store.people.get(pid).tags == ["follow-up"]
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    assert (pid, "follow-up") in shown_steps(page)


def test_an_ask_is_done_with_the_outcome_the_user_picks(
    qtbot: QtBot, window: MainWindow, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marking an ask done asks for the outcome and records the ask with it."""
    page = today_page(qtbot, window)
    steps = [page.model.step(r) for r in range(page.model.rowCount())]
    row = next(n for n, s in enumerate(steps) if s is not None and s.kind == "ask")
    page.table.selectRow(row)
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Declined", True))
    iid = page.mark_done()
    got = demo_store.db.query(
        "SELECT kind, ask_type, outcome FROM interactions WHERE id = ?", [iid]
    )
    assert got[0]["kind"] == "ask" and got[0]["outcome"] == "declined"
    assert got[0]["ask_type"] == steps[row].ask  # type: ignore[union-attr]


def test_snooze_hides_a_step(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Snoozing the selected step (for the week the dialog offers) removes it from the agenda."""
    from ui.dialogs.snooze_dialog import SnoozeDialog

    monkeypatch.setattr(SnoozeDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    page = today_page(qtbot, window)
    page.table.selectRow(0)
    step = page.current_step()
    assert step is not None
    page.snooze()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    assert (step.person_id, step.kind) not in shown_steps(page)


def test_today_works_out_the_agenda_off_the_gui_thread(
    qtbot: QtBot, window: MainWindow, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today says it is working, the engine runs on another thread with its own connection,
    and the agenda it hands back is the engine's."""
    import threading

    seen: list[tuple[int, object]] = []
    real = engine.today_plan

    def spy(store: Store, *args: object, **kwargs: object) -> object:
        seen.append((threading.get_ident(), store))
        return real(store, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "today_plan", spy)
    page = TodayPage(window.ctx, today=TODAY)
    qtbot.addWidget(page)
    assert page.is_busy() and page.model.rowCount() == 0
    assert "Working out your agenda" in page.summary.text()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    assert len(seen) == 1
    thread, store = seen[0]
    assert thread != threading.get_ident() and store is not demo_store
    expected = engine.agenda(demo_store, TODAY, days=int(demo_store.settings["agenda.days"]))
    got = [page.model.step(r) for r in range(page.model.rowCount())]
    assert [(s.person_id, s.kind, s.due) for s in got if s] == [
        (s.person_id, s.kind, s.due) for s in expected
    ]
    assert "Working out" not in page.summary.text()


def test_today_lists_the_most_urgent_steps_and_counts_them_all(
    qtbot: QtBot, window: MainWindow, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With more steps due than the list shows, Today lists the most urgent and says how many."""
    import ui.pages.today as today_module

    monkeypatch.setattr(today_module, "SHOW_AT_MOST", 3)
    page = TodayPage(window.ctx, today=TODAY)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    expected = engine.agenda(demo_store, TODAY, days=int(demo_store.settings["agenda.days"]))
    assert len(expected) > 3
    got = [page.model.step(r) for r in range(page.model.rowCount())]
    assert [(s.person_id, s.kind) for s in got if s] == [
        (s.person_id, s.kind) for s in expected[:3]
    ]
    assert f"{len(expected)} steps" in page.summary.text()
    assert "Showing the 3 most urgent" in page.summary.text()


def test_today_drops_a_result_older_than_the_latest_request(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A result that arrives after a newer request was made is not shown."""
    from ui.pages.today import TodayResult

    page = today_page(qtbot, window)
    rows = page.model.rowCount()
    assert rows > 0
    page.refresh()
    stale = page._request - 1  # type: ignore[operator]
    page._on_result(stale, TodayResult(7, engine.TodayPlan([], [], 0, 0), {}, []))
    assert page.model.rowCount() == rows and page.is_busy()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    assert page.model.rowCount() == rows


def test_undo_of_a_delete_restores_the_person_with_their_history(
    qtbot: QtBot, window: MainWindow, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Delete (confirmed) removes a person; Ctrl+Z restores them with interactions and attendance."""
    pid = demo_store.db.scalar(
        "SELECT person_id FROM interactions GROUP BY person_id ORDER BY count(*) DESC LIMIT 1"
    )
    history = demo_store.db.query(
        "SELECT * FROM interactions WHERE person_id = ? ORDER BY id", [pid]
    )
    attended = demo_store.db.query(
        "SELECT meeting_id FROM attendance WHERE person_id = ? ORDER BY meeting_id", [pid]
    )
    page = window.show_page("people")
    assert isinstance(page, PeoplePage)
    assert page.select_person(pid)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    assert page.detail.delete()
    assert demo_store.db.scalar("SELECT count(*) FROM people WHERE id = ?", [pid]) == 0
    assert page.model.row_of(pid) == -1
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (
        demo_store.db.query("SELECT * FROM interactions WHERE person_id = ? ORDER BY id", [pid])
        == history
    )
    assert (
        demo_store.db.query(
            "SELECT meeting_id FROM attendance WHERE person_id = ? ORDER BY meeting_id", [pid]
        )
        == attended
    )
    assert page.model.row_of(pid) >= 0 or page.model.canFetchMore()


def test_forget_erases_the_person_and_the_undo_history_that_could_restore_them(
    qtbot: QtBot, window: MainWindow, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forget (confirmed) erases the person for good: Ctrl+Z no longer brings anyone back."""
    pid, other = [r["id"] for r in demo_store.db.query("SELECT id FROM people ORDER BY id LIMIT 2")]
    name = demo_store.people.get(pid).display_name
    page = window.show_page("people")
    assert isinstance(page, PeoplePage)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    assert page.select_person(other)
    assert page.detail.delete()  # an earlier delete sits on the undo stack
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: QMessageBox.StandardButton.No)
    assert page.select_person(pid)
    assert not page.detail.forget()  # declining changes nothing
    assert demo_store.db.scalar("SELECT count(*) FROM people WHERE id = ?", [pid]) == 1
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: QMessageBox.StandardButton.Yes)
    assert page.detail.forget()
    assert demo_store.db.scalar("SELECT count(*) FROM people WHERE id = ?", [pid]) == 0
    assert demo_store.people.search(name) == []
    assert window.ctx.undo.count() == 0
    assert demo_store.db.scalar("SELECT count(*) FROM people WHERE id = ?", [other]) == 0


def test_delete_needs_confirmation(
    qtbot: QtBot, window: MainWindow, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answering No to the confirmation keeps the person."""
    page = window.show_page("people")
    assert isinstance(page, PeoplePage)
    pid = page.model.id_at(0)
    assert pid is not None and page.select_person(pid)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    assert not page.detail.delete()
    assert demo_store.db.scalar("SELECT count(*) FROM people WHERE id = ?", [pid]) == 1


def test_inline_edit_validates_at_the_field_and_undoes(
    qtbot: QtBot, window: MainWindow, demo_store: Store
) -> None:
    """A bad email shows a message under the field and writes nothing; a good edit is undoable."""
    page = window.show_page("people")
    assert isinstance(page, PeoplePage)
    pid = page.model.id_at(0)
    assert pid is not None and page.select_person(pid)
    before = demo_store.people.get(pid)
    emails = page.detail.fields["emails"]
    emails.edit.setText("not-an-email")
    emails.edit.setModified(True)
    emails.edit.editingFinished.emit()
    assert emails.error.isVisibleTo(page) and "not-an-email" in emails.error.text()
    assert demo_store.people.get(pid).emails == before.emails
    org = page.detail.fields["org"]
    org.edit.setText("Renamed Org Ltd")
    org.edit.setModified(True)
    org.edit.editingFinished.emit()
    assert demo_store.people.get(pid).org == "Renamed Org Ltd"
    window.undo_stack.undo()
    assert demo_store.people.get(pid).org == before.org
    assert org.edit.text() == before.org


def test_log_buttons_write_through_the_core(
    qtbot: QtBot, window: MainWindow, demo_store: Store
) -> None:
    """Logging business closed from the detail pane records the amount; a missing ask is refused."""
    from ui.pages.people import LogDialog

    page = window.show_page("people")
    assert isinstance(page, PeoplePage)
    pid = page.model.id_at(0)
    assert pid is not None and page.select_person(pid)
    dlg = LogDialog(page, Kind.BUSINESS, [])
    qtbot.addWidget(dlg)
    dlg.amount.setValue(1250.0)
    page.detail.log(Kind.BUSINESS, dlg)
    got = demo_store.db.query(
        "SELECT amount FROM interactions WHERE person_id = ? AND kind = 'business' ORDER BY id DESC",
        [pid],
    )
    assert got[0]["amount"] == 1250.0
    dlg2 = LogDialog(page, Kind.ASK, [])  # no ask types offered: the core refuses
    qtbot.addWidget(dlg2)
    from netapp.errors import ValidationError

    with pytest.raises(ValidationError, match="ask"):
        page.detail.log(Kind.ASK, dlg2)


def test_meetings_page_edits_attendance_of_a_past_meeting(
    qtbot: QtBot, window: MainWindow, demo_store: Store
) -> None:
    """Removing and adding an attendee of a past meeting changes attendance, and undo reverts it."""
    page = window.show_page("meetings")
    assert isinstance(page, MeetingsPage)
    mid = page.current_meeting()
    assert mid is not None
    before = demo_store.meetings.attendees(mid)
    page.attendance_view.selectRow(0)
    gone = page.attendance.id_at(0)
    page.remove_selected()
    assert gone not in demo_store.meetings.attendees(mid)
    assert page.attendance.rowCount() == len(before) - 1
    outsider = demo_store.db.scalar(
        "SELECT id FROM people WHERE id NOT IN (SELECT person_id FROM attendance WHERE meeting_id = ?) LIMIT 1",
        [mid],
    )
    page.set_attendance(int(outsider), True)
    assert outsider in demo_store.meetings.attendees(mid)
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert demo_store.meetings.attendees(mid) == before


def test_group_attendance_counts_repeat_visits(demo_store: Store) -> None:
    """Repeat attendance per person equals a direct count of their meetings in that group."""
    gid = demo_store.groups.all()[0].id
    model = GroupAttendanceModel(demo_store)
    model.set_group(int(gid or 0))
    while model.canFetchMore():
        model.fetchMore()
    want = {
        r["person_id"]: r["n"]
        for r in demo_store.db.query(
            "SELECT a.person_id, count(*) AS n FROM attendance a JOIN meetings m ON m.id = a.meeting_id "
            "WHERE m.group_id = ? GROUP BY a.person_id",
            [gid],
        )
    }
    got = {model.id_at(r): model.index(r, 1).data() for r in range(model.rowCount())}
    assert got == want
    counts = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert counts == sorted(counts, reverse=True)


def test_timeline_is_newest_first_and_complete(demo_store: Store) -> None:
    """A person's timeline holds every interaction and meeting, ordered by date, newest first."""
    pid = demo_store.db.scalar(
        "SELECT person_id FROM interactions GROUP BY person_id ORDER BY count(*) DESC LIMIT 1"
    )
    model = TimelineModel(demo_store)
    model.BATCH = 5
    model.set_person(pid)
    while model.canFetchMore():
        model.fetchMore()
    n_int = demo_store.db.scalar("SELECT count(*) FROM interactions WHERE person_id = ?", [pid])
    n_met = demo_store.db.scalar("SELECT count(*) FROM attendance WHERE person_id = ?", [pid])
    n_ref = demo_store.db.scalar("SELECT count(*) FROM referrals WHERE prospect_id = ?", [pid])
    assert model.rowCount() == n_int + n_met + n_ref
    dates = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)


def test_timeline_shows_an_amount_only_where_there_is_one(store: Store) -> None:
    """Business shows its amount in the timeline; a call (no amount) shows no "Amount 0.00"."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    store.interactions.add(
        Interaction(person_id=pid, date="2026-01-02", kind=Kind.CALL, note="hello")
    )
    store.interactions.add(
        Interaction(person_id=pid, date="2026-01-03", kind=Kind.BUSINESS, amount=250.0)
    )
    model = TimelineModel(store)
    model.set_person(pid)
    assert [model.index(r, 2).data() for r in range(model.rowCount())] == [
        "Amount 250.00.",
        "hello",
    ]


@pytest.mark.parametrize("kind", ["meetings", "attendance", "group", "timeline", "agenda"])
def test_models_pass_qtmodeltester(qtmodeltester, demo_store: Store, kind: str) -> None:  # type: ignore[no-untyped-def]
    """Each page model obeys Qt's model contract on demo data, across several fetch batches."""
    mid = demo_store.db.scalar(
        "SELECT meeting_id FROM attendance GROUP BY meeting_id ORDER BY count(*) DESC LIMIT 1"
    )
    gid = demo_store.groups.all()[0].id
    pid = demo_store.db.scalar("SELECT person_id FROM interactions LIMIT 1")
    model: object
    if kind == "meetings":
        model = MeetingsModel(demo_store)
        model.BATCH = 4
        model.refresh()
    elif kind == "attendance":
        model = AttendanceModel(demo_store)
        model.BATCH = 3
        model.set_meeting(mid)
    elif kind == "group":
        model = GroupAttendanceModel(demo_store)
        model.BATCH = 3
        model.set_group(int(gid or 0))
    elif kind == "timeline":
        model = TimelineModel(demo_store)
        model.BATCH = 2
        model.set_person(pid)
    else:
        model = AgendaModel()
        labels = {"read-article": "Read an article"}
        model.set_steps(engine.agenda(demo_store, TODAY), labels, TODAY)
    assert model.rowCount() > 0  # type: ignore[attr-defined]
    qtmodeltester.check(model, force_py=True)


def test_status_is_refreshed_after_a_write(
    qtbot: QtBot, window: MainWindow, demo_store: Store
) -> None:
    """Logging an interaction recomputes that person's cached status row for the People list."""
    pid = demo_store.db.scalar("SELECT id FROM people ORDER BY id LIMIT 1")
    assert (
        demo_store.db.scalar("SELECT count(*) FROM person_status WHERE person_id = ?", [pid]) == 1
    )
    demo_store.interactions.add(Interaction(person_id=pid, date=DEMO_TODAY, kind=Kind.ONE_TO_ONE))
    assert (
        demo_store.db.scalar("SELECT last_touch FROM person_status WHERE person_id = ?", [pid])
        == DEMO_TODAY
    )


def test_status_refresh_of_everyone_runs_off_the_gui_thread(
    qtbot: QtBot, window: MainWindow, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full status refresh runs on the worker thread, fills every row, then tells pages."""
    import threading

    threads: list[int] = []
    real = engine.refresh_status

    def spy(store: Store, *args: object, **kwargs: object) -> int:
        threads.append(threading.get_ident())
        return real(store, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "refresh_status", spy)
    demo_store.db.conn.execute("DELETE FROM person_status")
    with qtbot.waitSignal(window.signals.changed, timeout=60_000) as blocker:
        window.status_refresher.refresh_all()
    assert blocker.args == ["status", frozenset()]
    assert threads and threading.get_ident() not in threads
    assert demo_store.db.scalar("SELECT count(*) FROM person_status") == demo_store.people.count()


def test_a_status_result_arriving_after_the_store_closed_is_dropped(
    qtbot: QtBot, db_path: object
) -> None:
    """A background refresh that ends after its window's store closed touches nothing."""
    from PySide6.QtCore import QCoreApplication

    from netapp.demo import generate

    store = Store(db_path)  # type: ignore[arg-type]
    generate(store, people=20, seed=3, today=DEMO_TODAY)
    w = MainWindow(store, None)
    qtbot.addWidget(w)
    w.show_page("people")  # the People page re-queries on a "status" change
    qtbot.waitUntil(lambda: not w.is_busy(), timeout=60_000)
    store.db.conn.execute("DELETE FROM person_status")
    heard: list[str] = []
    w.signals.changed.connect(lambda topic, _ids: heard.append(topic))
    w.status_refresher.refresh_all()
    store.close()
    qtbot.waitUntil(lambda: not w.status_refresher.worker.busy(), timeout=60_000)
    for _ in range(5):
        QCoreApplication.processEvents()
    assert not w.status_refresher.is_busy()
    assert heard == []  # no "status" change announced on a closed store
    with Store(db_path) as again:  # type: ignore[arg-type]
        assert again.db.scalar("SELECT count(*) FROM person_status") == 20
