"""The quick-capture page, driven by keyboard alone against a real database file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from netapp.domain import Email, Person
from netapp.store import Store
from tests.ui.keys import focus
from ui.main_window import MainWindow
from ui.models.capture import CaptureGridModel
from ui.pages.capture import CapturePage

PEOPLE = [
    ("Ann Lee", "Acme Ltd", "ann@acme.example"),
    ("Bo Chen", "Chen Print", "+1 202 555 0102"),
    ("Cara Diaz", "Diaz Law", "cara@diaz.example"),
    ("Dev Patel", "Patel IT", ""),
    ("Eve Moss", "", "eve@moss.example"),
    ("Finn Ode", "Ode Bakery", "finn@ode.example"),
    ("Gus Hart", "Hart Homes", ""),
    ("Hana Ito", "Ito Design", "hana@ito.example"),
    ("Ivo Kral", "Kral Cars", ""),
]


def type_text(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focus(), text)


def press(
    qtbot: QtBot, key: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focus(), key, mod)


def test_ten_people_by_keyboard_only(qtbot: QtBot, store: Store, window: MainWindow) -> None:
    """Ten people typed with keys only (Enter = next row) are saved with the meeting; a completed name is a repeat contact."""
    priya = store.people.add(
        Person(display_name="Priya Raman", org="Northwind", emails=[Email("priya@nw.example")])
    )
    old = store.meetings.add("Week 1", "2026-03-02", group_id=store.groups.ensure("BNI North"))
    store.meetings.attend(old, priya)

    window.open_page("capture")
    page = window.page("capture")
    assert isinstance(page, CapturePage)
    qtbot.waitUntil(lambda: page.group_box.lineEdit().hasFocus())
    type_text(qtbot, "BNI North")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Breakfast")
    press(qtbot, Qt.Key.Key_Tab)
    page.date_edit.selectAll()
    type_text(qtbot, "2026-03-09")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Hotel Bar")
    press(qtbot, Qt.Key.Key_Tab)  # into the grid
    assert page.grid.hasFocus()
    press(qtbot, Qt.Key.Key_F2)  # start editing the first name

    for n, (name, org, contact) in enumerate(PEOPLE):
        type_text(qtbot, name)
        press(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, org)
        press(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, contact)
        if n == 0:
            press(qtbot, Qt.Key.Key_Tab)
            type_text(qtbot, "needs an accountant")
            press(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)  # gave value
        if n == 1:
            press(qtbot, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)  # follow up
        press(qtbot, Qt.Key.Key_Return)

    # The tenth: a name completed from an existing person.
    type_text(qtbot, "Pri")
    popup = focus().completer().popup()  # type: ignore[attr-defined]
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Return)
    model = page.model
    assert isinstance(model, CaptureGridModel)
    assert model.row(9).person_id == priya
    assert len(model.rows()) == 10

    with qtbot.waitSignal(page.saved, timeout=30_000):
        press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    mid = store.db.scalar("SELECT id FROM meetings WHERE name = 'Breakfast'")
    m = store.meetings.get(mid)
    assert (m.date, m.venue, m.group_id) == (
        "2026-03-09",
        "Hotel Bar",
        store.groups.get("BNI North").id,
    )
    assert len(store.meetings.attendees(mid)) == 10
    assert store.db.scalar("SELECT count(*) FROM people") == 10  # 9 new + Priya, no second Priya
    assert store.db.scalar("SELECT count(*) FROM attendance WHERE person_id = ?", [priya]) == 2
    ann = store.people.find("Ann Lee")
    assert ann.org == "Acme Ltd" and [e.address for e in ann.emails] == ["ann@acme.example"]
    notes = {(i.kind.value, i.note) for i in store.interactions.for_person(ann.id or 0)}
    assert ("met", "needs an accountant") in notes
    assert any(k == "value-given" for k, _ in notes)
    assert "follow-up" in store.people.find("Bo Chen").tags
    assert [p.number for p in store.people.find("Bo Chen").phones] == ["+12025550102"]
    assert model.rows() == []  # the grid is cleared for the next meeting
    assert store.drafts.load("capture-grid") is None


def test_undo_removes_the_whole_capture(qtbot: QtBot, store: Store, window: MainWindow) -> None:
    """Ctrl+Z after saving takes every person and the meeting of that capture back out."""
    page = window.show_page("capture")
    assert isinstance(page, CapturePage)
    page.group_box.setEditText("Chamber")
    for n, name in enumerate(["Xia Yu", "Yan Zhu"]):
        page.model.setData(page.model.index(n, 0), name)
    with qtbot.waitSignal(page.saved, timeout=30_000):
        assert page.save() is not None
    assert store.db.scalar("SELECT count(*) FROM people") == 2
    window.undo_stack.undo()
    assert store.db.scalar("SELECT count(*) FROM people") == 0
    assert store.db.scalar("SELECT count(*) FROM meetings") == 0
    window.undo_stack.redo()
    assert store.db.scalar("SELECT count(*) FROM people") == 2


def test_duplicate_is_flagged_and_alt_l_makes_it_a_repeat_contact(
    qtbot: QtBot, store: Store, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row with a known email is flagged before saving; Alt+L links it, so no new person is made."""
    pid = store.people.add(Person(display_name="Mia Wong", emails=[Email("mia@wong.example")]))
    page = window.show_page("capture")
    assert isinstance(page, CapturePage)
    m = page.model
    m.setData(m.index(0, 0), "M. Wong")
    m.setData(m.index(0, 2), "MIA@wong.example")
    assert "Possible duplicate: Mia Wong" in m.index(0, 8).data()
    asked: list[str] = []

    def no(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", no)
    assert page.save() is None and "Rows 1" in asked[0]
    page.grid.setFocus()
    page.grid.setCurrentIndex(m.index(0, 1))
    qtbot.keyClick(page.grid, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    assert m.row(0).person_id == pid and m.index(0, 8).data() == "Repeat contact"
    with qtbot.waitSignal(page.saved, timeout=30_000):
        assert page.save() is not None
    assert store.db.scalar("SELECT count(*) FROM people") == 1


def test_unsaved_rows_survive_a_restart(qtbot: QtBot, store: Store) -> None:
    """Rows typed but not saved are kept as a draft and come back in a new window."""
    w = MainWindow(store, None)
    qtbot.addWidget(w)
    w.show()
    page = w.show_page("capture")
    assert isinstance(page, CapturePage)
    page.model.setData(page.model.index(0, 0), "Draft Person")
    w.close()  # closing the window writes the pending draft
    w2 = MainWindow(store, None)
    qtbot.addWidget(w2)
    page2 = w2.show_page("capture")
    assert [r.name for r in page2.model.rows()] == ["Draft Person"]  # type: ignore[attr-defined]
    w2.close()


@pytest.mark.parametrize(
    ("answer", "closed", "saved"),
    [
        (QMessageBox.StandardButton.Cancel, False, 0),
        (QMessageBox.StandardButton.Save, True, 1),
        (QMessageBox.StandardButton.Close, True, 0),
    ],
)
def test_closing_over_unsaved_rows_asks_first(
    qtbot: QtBot,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    answer: QMessageBox.StandardButton,
    closed: bool,
    saved: int,
) -> None:
    """Closing with typed, unsaved rows asks: Cancel keeps the window, Save saves, Close drafts."""
    w = MainWindow(store, None, confirm_close=True)
    qtbot.addWidget(w)
    w.show()
    assert w.close()  # nothing typed: no question
    w.show()
    page = w.show_page("capture")
    assert isinstance(page, CapturePage)
    page.group_box.setEditText("Chamber")
    page.model.setData(page.model.index(0, 0), "Unsaved Una")
    asked: list[str] = []

    def reply(box: QMessageBox) -> int:
        asked.append(box.text())
        return int(answer.value)

    monkeypatch.setattr(QMessageBox, "exec", reply)
    assert w.close() is closed
    assert "1 person typed in Capture" in asked[0]
    assert store.db.scalar("SELECT count(*) FROM people") == saved
    if answer == QMessageBox.StandardButton.Close:
        assert store.drafts.load("capture-grid") is not None  # the rows wait for next time
    w.confirm_close = False
    w.close()


def test_bad_row_is_reported_not_saved(
    qtbot: QtBot, store: Store, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An invalid email is named with its row and field at the grid (no pop-up); nothing is
    written, rows stay."""
    page = window.show_page("capture")
    assert isinstance(page, CapturePage)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(str(a[2])))
    page.model.setData(page.model.index(0, 0), "Ok Name")
    page.model.setData(page.model.index(1, 0), "Bad Mail")
    page.model.setData(page.model.index(1, 2), "not@valid@x")
    assert page.save() is None
    assert not shown and page.status.text().startswith("Not saved: row 2: Email")
    assert store.db.scalar("SELECT count(*) FROM people") == 0
    assert len(page.model.rows()) == 2


def test_capture_model_passes_qtmodeltester(qtmodeltester, store: Store) -> None:  # type: ignore[no-untyped-def]
    """The editable capture grid obeys Qt's model contract, with rows added as you type."""
    model = CaptureGridModel(store)
    model.setData(model.index(0, 0), "Ann")
    model.setData(model.index(1, 1), "Org")
    model.toggle(0, "gave_value")
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 3


def test_the_name_completer_shows_faces(qtbot: QtBot, store: Store, window: MainWindow) -> None:
    """Typing a name in the grid offers people with their face: the photo, or initials."""
    from PySide6.QtGui import QImage, QPixmap

    image = QImage(16, 16, QImage.Format.Format_RGB32)
    image.fill("red")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    store.people.add(Person(display_name="Priya Raman", photo=bytes(data), photo_type="image/png"))
    store.people.add(Person(display_name="Priya Shah"))
    window.open_page("capture")
    page = window.page("capture")
    assert isinstance(page, CapturePage)
    page.grid.setFocus()
    page.grid.setCurrentIndex(page.model.index(0, 0))
    press(qtbot, Qt.Key.Key_F2)
    type_text(qtbot, "Pri")
    completer = focus().completer()  # type: ignore[attr-defined]
    qtbot.waitUntil(completer.popup().isVisible)
    model = completer.model()
    faces = {
        model.index(r, 0).data().split(" — ")[0]: model.index(r, 0).data(
            Qt.ItemDataRole.DecorationRole
        )
        for r in range(model.rowCount())
    }
    assert set(faces) == {"Priya Raman", "Priya Shah"}
    assert all(isinstance(f, QPixmap) and f.width() == 24 for f in faces.values())
    assert faces["Priya Raman"].toImage().pixelColor(12, 12).red() > 200
    assert faces["Priya Shah"].toImage() != faces["Priya Raman"].toImage()


def test_closing_the_window_keeps_and_closes_an_open_name_editor(
    qtbot: QtBot, store: Store, window: MainWindow
) -> None:
    """A name being typed (its completion popup open) when the window closes is committed and
    its editor closed with the page: the text is kept, and no editor outlives the window (one
    did, and crashed on the next window's key events)."""
    store.people.add(Person(display_name="Priya Raman"))
    window.open_page("capture")
    page = window.page("capture")
    assert isinstance(page, CapturePage)
    page.grid.setFocus()
    page.grid.setCurrentIndex(page.model.index(0, 0))
    press(qtbot, Qt.Key.Key_F2)
    type_text(qtbot, "Pri")
    popup = focus().completer().popup()  # type: ignore[attr-defined]
    qtbot.waitUntil(popup.isVisible)
    window.close()
    assert not popup.isVisible()
    assert page.model.row(0).name == "Pri"  # what was typed is kept (in the draft)
