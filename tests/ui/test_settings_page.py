"""The Settings page: fields from the declarations, persistence, validation, the ladder editor."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from netapp import engine
from netapp.domain import Interaction, Kind, Person, Stage
from netapp.engine.ladder import default_ladder, load_ladder
from netapp.settings import SETTINGS
from netapp.store import Store
from ui.main_window import MainWindow
from ui.pages.settings_page import HIDDEN, SettingsPage

AS_OF = date(2026, 4, 20)


def _page(qtbot: QtBot, store: Store) -> SettingsPage:
    window = MainWindow(store, None)
    qtbot.addWidget(window)
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    return page


def _type(page: SettingsPage, key: str, text: str) -> None:
    editor = page.fields[key].editor
    editor.setText(text)  # type: ignore[union-attr]
    editor.editingFinished.emit()  # type: ignore[union-attr]


def test_every_editable_setting_has_a_field(qtbot: QtBot, store: Store) -> None:
    """The form is generated from SETTINGS: each scalar, non-internal declaration has a field."""
    page = _page(qtbot, store)
    want = {s.key for s in SETTINGS if s.key not in HIDDEN and s.type not in (list, dict)}
    assert set(page.fields) == want


def test_settings_change_survives_a_restart(qtbot: QtBot, db_path: Path) -> None:
    """A cadence and the profile name typed in Settings are there after reopening store and page."""
    store = Store(db_path)
    page = _page(qtbot, store)
    _type(page, "cadence.met", "45")
    _type(page, "profile.name", "Zoë Ángel")
    _type(page, "trust.half_life_days", "120.5")
    page.window().close()
    store.close()
    reopened = Store(db_path)
    try:
        page2 = _page(qtbot, reopened)
        assert page2.fields["cadence.met"].editor.text() == "45"  # type: ignore[union-attr]
        assert page2.fields["profile.name"].editor.text() == "Zoë Ángel"  # type: ignore[union-attr]
        assert reopened.settings["trust.half_life_days"] == 120.5
    finally:
        reopened.close()


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("cadence.met", "0", "at least 1"),
        ("cadence.met", "often", "expected int"),
        ("ask.cooldown_days", "", "required"),
        ("profile.offer", "x" * 2001, "2000"),
        ("profile.offer", "x" * 121, "at most 120"),  # longer than every card prints whole
    ],
)
def test_bad_values_are_refused_at_the_field(
    qtbot: QtBot, store: Store, key: str, text: str, message: str
) -> None:
    """An out-of-range, non-numeric, empty or huge value shows the reason and is not saved."""
    page = _page(qtbot, store)
    before = store.settings[key]
    _type(page, key, text)
    field = page.fields[key]
    assert not field.error.isHidden()
    assert message in field.error.text()
    assert store.settings[key] == before
    _type(page, key, "30" if key != "profile.offer" else "Free guide")
    assert field.error.isHidden()


def _credible_person(store: Store) -> int:
    pid = store.people.add(Person(display_name="Ann Lee"))
    for day in ("2026-03-05", "2026-03-12", "2026-03-19", "2026-03-26", "2026-04-02"):
        store.meetings.add("Breakfast", day, attendee_ids=[pid])
    store.interactions.add(Interaction(person_id=pid, date="2026-03-20", kind=Kind.ONE_TO_ONE))
    store.interactions.add(Interaction(person_id=pid, date="2026-03-21", kind=Kind.VALUE_GIVEN))
    store.interactions.add(Interaction(person_id=pid, date="2026-03-22", kind=Kind.VALUE_RECEIVED))
    return pid


def test_editing_the_ladder_changes_what_today_recommends(qtbot: QtBot, store: Store) -> None:
    """Raising the opt-in ask's minimum stage to profitability makes the engine suggest another ask."""
    pid = _credible_person(store)
    before = [s for s in engine.agenda(store, AS_OF, days=30) if s.person_id == pid]
    assert before and before[0].ask == "email-optin"
    page = _page(qtbot, store)
    editor = page.ladder
    editor.list.setCurrentRow([a.id for a in editor.asks].index("email-optin"))
    editor.stage.setCurrentIndex(Stage.PROFITABILITY.rank)
    saved = {a.id: a for a in load_ladder(store)}
    assert saved["email-optin"].min_stage is Stage.PROFITABILITY
    after = [s for s in engine.agenda(store, AS_OF, days=30) if s.person_id == pid]
    assert not after or after[0].ask != "email-optin"
    status = engine.status(store, pid, AS_OF)
    assert "email-optin" not in status.allowed_asks
    assert "email-optin" in {b.ask for b in status.blocked_asks}


def test_ladder_rename_reorder_add_remove_and_reset(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each ladder edit is saved at once; reset brings back the default."""
    page = _page(qtbot, store)
    editor = page.ladder
    editor.list.setCurrentRow(0)
    editor.label.setText("Read my blog post")
    editor.label.editingFinished.emit()
    assert load_ladder(store)[0].label == "Read my blog post"
    assert load_ladder(store)[0].id == "read-article"  # the id stays: history refers to it
    editor.move_ask(1)
    assert [a.id for a in load_ladder(store)][:2] == ["watch-video", "read-article"]
    editor.requires["opted_in"].setChecked(True)
    assert load_ladder(store)[1].requires == ["opted_in"]
    assert editor.add("Come to my workshop")
    added = load_ladder(store)[-1]
    assert (added.id, added.label) == ("come-to-my-workshop", "Come to my workshop")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    editor.list.setCurrentRow(0)
    editor.remove_button.click()
    assert "watch-video" not in {a.id for a in load_ladder(store)}
    editor.reset_button.click()
    assert [a.to_json() for a in load_ladder(store)] == [a.to_json() for a in default_ladder()]
    assert store.settings["ask_ladder"] is None


def test_ladder_refuses_an_empty_label(qtbot: QtBot, store: Store) -> None:
    """Clearing an ask's label shows the error in the editor and keeps the saved ladder."""
    page = _page(qtbot, store)
    editor = page.ladder
    editor.list.setCurrentRow(2)
    editor.label.setText("   ")
    editor.label.editingFinished.emit()
    assert not editor.error.isHidden()
    assert store.settings["ask_ladder"] is None


def test_a_setting_with_choices_is_a_drop_down_that_saves_on_pick(
    qtbot: QtBot, store: Store
) -> None:
    """The card layout is picked from the layouts that exist, and the pick is saved at once."""
    from PySide6.QtWidgets import QComboBox

    from netapp.printing.layouts import LAYOUTS

    page = _page(qtbot, store)
    combo = page.fields["print.layout"].editor
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == list(LAYOUTS)
    assert combo.currentText() == store.settings["print.layout"]
    combo.setCurrentIndex(combo.findText("a6"))
    combo.activated.emit(combo.currentIndex())
    assert store.settings["print.layout"] == "a6"


def test_back_up_now_and_restore(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Back up now writes a backup file; restoring it brings back a person deleted since."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    page = _page(qtbot, store)
    path = page.data.backup()
    assert path is not None and Path(path).is_file()
    store.people.delete(pid)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (path, ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.data.restore_button.click()
    assert store.db.scalar("SELECT display_name FROM people WHERE id = ?", [pid]) == "Ann Lee"
    assert "Restored" in page.data.status.text()


def test_restore_of_an_encrypted_database_uses_its_passphrase(qtbot: QtBot, tmp_path: Path) -> None:
    """Back up and restore from Settings work on an encrypted database too."""
    store = Store(tmp_path / "enc.db", passphrase="long passphrase")
    try:
        pid = store.people.add(Person(display_name="Ann Lee"))
        page = _page(qtbot, store)
        path = page.data.backup()
        assert path is not None
        store.people.delete(pid)
        assert page.data.restore(path), page.data.status.text()
        assert store.db.scalar("SELECT display_name FROM people WHERE id = ?", [pid]) == "Ann Lee"
        assert store.db.pending_migrations() == []
    finally:
        store.close()


def test_restore_of_a_bad_file_is_refused(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Restoring from a file that is not a netapp database warns and leaves the data alone."""
    store.people.add(Person(display_name="Ann Lee"))
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    page = _page(qtbot, store)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    assert not page.data.restore(str(junk))
    assert shown and "junk.db" in shown[0]
    assert store.people.count() == 1


def test_remove_demo_data_from_settings(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Remove demo data shows only with demo data, takes it out after a Yes, keeps the rest."""
    from netapp.demo import generate

    page = _page(qtbot, store)
    assert not page.data.demo_button.isVisibleTo(page)
    generate(store, people=20, seed=2, today="2026-04-20")
    mine = store.people.add(Person(display_name="Mine Only"))
    assert page.data.demo_button.isVisibleTo(page)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    page.data.demo_button.click()
    assert store.people.count() == 21
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.data.demo_button.click()
    assert [r["id"] for r in store.db.query("SELECT id FROM people")] == [mine]
    assert "Removed the demo data: 20 people" in page.data.status.text()
    assert not page.data.demo_button.isVisibleTo(page)
