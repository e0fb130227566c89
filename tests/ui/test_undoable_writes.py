"""Writes that became undoable with the one write path (issue 14, item 4): each is done through
the page, undone and redone on the window's undo stack, and checked in the database."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from netapp.domain import LibraryItem
from netapp.engine.ladder import default_ladder, load_ladder
from netapp.store import Store
from ui.main_window import MainWindow
from ui.pages.library import LibraryPage
from ui.pages.settings_page import SettingsPage
from ui.pages.today import TodayPage

UI = Path(__file__).resolve().parents[2] / "ui"


def _window(qtbot: QtBot, store: Store) -> MainWindow:
    window = MainWindow(store, None)
    qtbot.addWidget(window)
    return window


def _library(qtbot: QtBot, store: Store) -> tuple[MainWindow, LibraryPage]:
    window = _window(qtbot, store)
    page = window.show_page("library")
    assert isinstance(page, LibraryPage)
    return window, page


def _settings(qtbot: QtBot, store: Store) -> tuple[MainWindow, SettingsPage]:
    window = _window(qtbot, store)
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    return window, page


def _titles(store: Store) -> list[str]:
    return [i.title for i in store.library.all(include_retired=True)]


def test_adding_a_library_item_can_be_undone_and_redone(qtbot: QtBot, store: Store) -> None:
    """Saving a new item, then Ctrl+Z, leaves no item; redo brings it back."""
    window, page = _library(qtbot, store)
    page.title.setText("Cash-flow checklist")
    assert page.save() is not None
    assert _titles(store) == ["Cash-flow checklist"]
    window.undo_stack.undo()
    assert _titles(store) == []
    window.undo_stack.redo()
    assert _titles(store) == ["Cash-flow checklist"]


def test_editing_a_library_item_can_be_undone_and_redone(qtbot: QtBot, store: Store) -> None:
    """Renaming an item and changing its tags comes back as it was on undo, and again on redo."""
    item_id = store.library.add(LibraryItem(title="Guide", kind="article", tags=["a"]))
    window, page = _library(qtbot, store)
    page.select(item_id)
    page.title.setText("Guide (2026)")
    page.tags.setText("b, c")
    assert page.save() == item_id
    window.undo_stack.undo()
    item = store.library.get(item_id)
    assert (item.title, item.tags) == ("Guide", ["a"])
    window.undo_stack.redo()
    item = store.library.get(item_id)
    assert (item.title, item.tags) == ("Guide (2026)", ["b", "c"])


def test_retiring_a_library_item_can_be_undone_and_redone(qtbot: QtBot, store: Store) -> None:
    """Retire sets retired_at; undo clears it; redo sets the same date again."""
    item_id = store.library.add(LibraryItem(title="Guide", kind="article"))
    window, page = _library(qtbot, store)
    page.select(item_id)
    page.toggle_retired(on=date(2026, 5, 1))
    assert store.library.get(item_id).retired_at == "2026-05-01"
    window.undo_stack.undo()
    assert store.library.get(item_id).retired_at is None
    window.undo_stack.redo()
    assert store.library.get(item_id).retired_at == "2026-05-01"


def test_a_setting_change_can_be_undone_and_redone(qtbot: QtBot, store: Store) -> None:
    """Typing a cadence stores it; undo puts the default back (unset), redo the typed value."""
    window, page = _settings(qtbot, store)
    editor = page.fields["cadence.met"].editor
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, "45")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert store.settings["cadence.met"] == 45
    window.undo_stack.undo()
    assert store.settings.stored("cadence.met") is None
    window.undo_stack.redo()
    assert store.settings["cadence.met"] == 45


def test_editing_the_ask_ladder_can_be_undone_and_redone(qtbot: QtBot, store: Store) -> None:
    """Renaming an ask and then resetting the ladder are two steps, each undone and redone."""
    window, page = _settings(qtbot, store)
    editor = page.ladder
    editor.list.setCurrentRow(0)
    editor.label.setText("Read my blog post")
    editor.label.editingFinished.emit()
    assert load_ladder(store)[0].label == "Read my blog post"
    editor.reset(confirm=False)
    assert store.settings.stored("ask_ladder") is None
    window.undo_stack.undo()  # the reset
    assert load_ladder(store)[0].label == "Read my blog post"
    window.undo_stack.undo()  # the rename
    assert store.settings.stored("ask_ladder") is None
    assert load_ladder(store)[0].label == default_ladder()[0].label
    window.undo_stack.redo()
    assert load_ladder(store)[0].label == "Read my blog post"


def test_snoozing_a_step_can_be_undone_and_redone(qtbot: QtBot, demo_store: Store) -> None:
    """Snooze writes a snooze row for the step; undo removes it, redo writes it again."""
    window = _window(qtbot, demo_store)
    page = TodayPage(window.ctx, today=date(2026, 4, 20))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    page.table.selectRow(0)
    step = page.current_step()
    assert step is not None
    sql = "SELECT until FROM snoozes WHERE person_id = ? AND kind = ?"
    key = [step.person_id, str(step.kind)]
    before = demo_store.db.scalar(sql, key)
    page.snooze(date(2026, 4, 27))  # the week; without a day it asks (issue 16)
    assert demo_store.db.scalar(sql, key) == "2026-04-27"
    window.undo_stack.undo()
    assert demo_store.db.scalar(sql, key) == before
    window.undo_stack.redo()
    assert demo_store.db.scalar(sql, key) == "2026-04-27"
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)


def test_no_undo_command_is_defined_outside_ui_commands() -> None:
    """Every undoable write goes through ui/commands.py: no other file subclasses QUndoCommand."""
    offenders = [
        str(path.relative_to(UI.parent))
        for path in UI.rglob("*.py")
        if path.name != "commands.py" or path.parent != UI
        if re.search(r"class \w+\((\w+\.)?QUndoCommand\)", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_recording_an_opt_in_can_be_undone_and_redone(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    """An opt-in from a card for a new address creates a person and a consent; undo takes both
    back, redo records them again. For a person already stored, undo keeps the person and
    takes back the consent and the address the opt-in added to them."""
    from netapp import card_codes as codes
    from netapp.domain import Email, Person
    from netapp.printing import cards
    from ui.dialogs.optin_dialog import OptinDialog

    store.settings.update(
        {
            "profile.name": "Zoë Żak",
            "profile.offer": "Free e-book",
            "profile.optin_url": "https://e.example/j",
        }
    )
    mid = store.meetings.add("Breakfast club", "2026-03-03")
    plan = cards.plan_cards(store, meeting=mid, count=2)
    printed = cards.print_cards(store, plan, tmp_path / "c.pdf", "2026-03-02T18:00:00+00:00")
    window = _window(qtbot, store)
    dlg = OptinDialog(store, undo=window.undo_stack)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.code, codes.display(printed.codes[0]))
    qtbot.keyClicks(dlg.email, "new@n.example")
    dlg.record(keep_open=True)
    count = "SELECT count(*) FROM {}"
    assert [store.db.scalar(count.format(t)) for t in ("people", "consents")] == [1, 1]
    window.undo_stack.undo()
    assert [store.db.scalar(count.format(t)) for t in ("people", "consents")] == [0, 0]
    window.undo_stack.redo()
    assert [store.db.scalar(count.format(t)) for t in ("people", "consents")] == [1, 1]

    ann = store.people.add(Person(display_name="Ann Able", emails=[Email("ann@a.example")]))
    dlg.by_person.setChecked(True)
    dlg.email.clear()
    qtbot.keyClicks(dlg.person, "Ann Able")
    qtbot.keyClicks(dlg.email, "ann@work.example")
    result = dlg.record(keep_open=True)
    assert result is not None and result.person_id == ann
    emails = [e.address for e in store.people.get(ann).emails]
    assert emails == ["ann@a.example", "ann@work.example"]
    assert len(store.consents.for_person(ann)) == 1
    window.undo_stack.undo()
    assert [e.address for e in store.people.get(ann).emails] == ["ann@a.example"]
    assert store.consents.for_person(ann) == []


def test_merging_two_people_can_be_undone_and_redone(qtbot: QtBot, store: Store) -> None:
    """Merge… on the app's undo stack: undo brings the other person back with their call and
    their own name kept apart; redo merges them again."""
    from netapp.domain import Email, Interaction, Kind, Person
    from ui.dialogs.merge_dialog import MergeDialog

    a = store.people.add(Person(display_name="Ann Lee", emails=[Email("a@x.example")]))
    b = store.people.add(Person(display_name="Ann Plain", emails=[Email("a@x.example")]))
    store.interactions.add(Interaction(person_id=b, date="2026-01-02", kind=Kind.CALL))
    window = _window(qtbot, store)
    dlg = MergeDialog(store, a, b, "same email", undo=window.undo_stack)
    qtbot.addWidget(dlg)
    dlg.groups["display_name"].button(1).setChecked(True)
    dlg.do_merge()
    assert store.people.count() == 1 and store.people.get(a).display_name == "Ann Plain"
    window.undo_stack.undo()
    assert (store.people.get(a).display_name, store.people.get(b).display_name) == (
        "Ann Lee",
        "Ann Plain",
    )
    assert [i.person_id for i in store.interactions.for_person(b)] == [b]
    assert store.interactions.for_person(a) == []
    window.undo_stack.redo()
    assert store.people.count() == 1 and len(store.interactions.for_person(a)) == 1
