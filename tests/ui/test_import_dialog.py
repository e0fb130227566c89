"""The import dialog, column mapping, merge dialog and File-menu actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel

from netapp.domain import Email, Interaction, Kind, Person
from netapp.store import Store
from ui.dialogs.import_dialog import ColumnMappingDialog, ImportDialog
from ui.dialogs.merge_dialog import DuplicatesDialog, MergeDialog

FIXTURES = Path(__file__).parents[1] / "netapp" / "interchange" / "fixtures"


def wait_state(qtbot, dlg: ImportDialog, *states: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dlg.state in states, timeout=20000)


def test_preview_then_import_then_undo(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """The preview counts new/skipped with line reasons; Import writes; Undo removes."""
    dlg = ImportDialog(store, [str(FIXTURES / "apple_30.vcf"), str(FIXTURES / "empty.vcf")])
    qtbot.addWidget(dlg)
    wait_state(qtbot, dlg, "planned")
    assert dlg.summary.text() == "New: 1    Merged: 0    Skipped: 2    Files rejected: 1"
    rows = [
        tuple(dlg.table.item(r, c).text() for c in range(3)) for r in range(dlg.table.rowCount())
    ]
    assert ("apple_30.vcf", "20", "skipped: a contact group, not a person") in rows
    assert ("empty.vcf", "", f"{FIXTURES / 'empty.vcf'}: the file is empty") in rows
    assert store.count_people() == 0
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, dlg, "done")
    assert [r["display_name"] for r in store.query("SELECT display_name FROM people")] == [
        "Siobhán O'Brien"
    ]
    qtbot.mouseClick(dlg.undo_button, Qt.MouseButton.LeftButton)
    assert store.count_people() == 0


def test_cancel_during_import_writes_nothing(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Cancel while importing: the worker stops and the database is unchanged."""
    dlg = ImportDialog(store, [str(FIXTURES / "google_contacts.csv")])
    qtbot.addWidget(dlg)
    wait_state(qtbot, dlg, "planned")
    dlg.start_commit()
    assert dlg.worker is not None
    dlg.worker.cancel_event.set()  # as the Cancel button does, before the first check
    wait_state(qtbot, dlg, "cancelled", "done")
    assert dlg.state == "cancelled"
    assert dlg.summary.text() == "import cancelled; nothing was imported"
    assert store.count_people() == 0


def test_unknown_csv_offers_column_mapping(qtbot, store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An unknown CSV shows Map columns…; with a mapping it previews one new person."""
    dlg = ImportDialog(store, [str(FIXTURES / "generic.csv")])
    qtbot.addWidget(dlg)
    wait_state(qtbot, dlg, "planned")
    assert not dlg.map_button.isHidden()
    assert not dlg.import_button.isEnabled()
    mapper = ColumnMappingDialog("generic.csv", ["Full Name", "Mail", "Company", "Mobile"])
    qtbot.addWidget(mapper)
    assert mapper.mapping() == {
        "Full Name": "display_name",
        "Mail": "email",
        "Company": "org",
        "Mobile": "phone",
    }
    monkeypatch.setattr(ColumnMappingDialog, "exec", lambda self: 1)
    dlg.map_columns()
    wait_state(qtbot, dlg, "planned")
    assert dlg.summary.text() == "New: 1    Merged: 0    Skipped: 0"
    assert dlg.import_button.isEnabled()


def test_choose_files_uses_the_file_dialog(qtbot, store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Choose files… plans the files picked in the (mocked) file dialog."""
    picked = [str(FIXTURES / "linkedin_connections.csv")]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (picked, ""))
    dlg = ImportDialog(store)
    qtbot.addWidget(dlg)
    dlg.choose_files()
    wait_state(qtbot, dlg, "planned")
    assert dlg.summary.text() == "New: 2    Merged: 0    Skipped: 0"


def test_merge_dialog_shows_both_records_as_plain_text_and_merges(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Markup in names is shown literally; choosing the other name merges with history kept."""
    a = store.add_person(Person(display_name="<b>Bold</b> Ann", emails=[Email("a@x.example")]))
    b = store.add_person(Person(display_name="Ann Plain", emails=[Email("a@x.example")]))
    store.log(Interaction(person_id=b, date="2026-01-02", kind=Kind.CALL, note="kept"))
    dlg = MergeDialog(store, a, b, "same email a@x.example")
    qtbot.addWidget(dlg)
    labels = [w for w in dlg.findChildren(QLabel) if "Bold" in w.text()]
    assert all(w.textFormat() == Qt.TextFormat.PlainText for w in labels)
    dlg.groups["display_name"].button(1).setChecked(True)
    dlg.do_merge()
    p = store.get_person(a)
    assert p.display_name == "Ann Plain"
    assert [i.note for i in store.interactions(a)] == ["kept"]


def test_duplicates_dialog_lists_pairs(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Find duplicates lists each pair with its reason."""
    store.add_person(Person(display_name="Ann Lee", emails=[Email("ann@x.example")]))
    store.add_person(Person(display_name="Ann Lee", emails=[Email("ann@x.example")]))
    dlg = DuplicatesDialog(store)
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 1
    assert dlg.table.item(0, 2).text() == "same name and same email ann@x.example"


def test_file_menu_has_import_export_duplicates(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """The main window's File menu carries the three actions, before Quit."""
    from ui.main_window import MainWindow

    win = MainWindow(store)
    qtbot.addWidget(win)
    names = [a.objectName() for a in win.menu("&File").actions() if a.objectName()]
    assert names[:3] == ["io.import", "io.export", "io.duplicates"]
    assert names[-1] == "app.quit"


@pytest.mark.parametrize("fmt_filter", ["People as CSV (*.csv)", "Full netapp backup (*.json)"])
def test_export_action_writes_the_chosen_format(
    qtbot, store: Store, tmp_path: Path, monkeypatch, fmt_filter: str
) -> None:  # type: ignore[no-untyped-def]
    """Export… writes the format picked in the (mocked) save dialog."""
    from ui.io_actions import export_via_dialog

    store.add_person(Person(display_name="=cmd|' /C calc'!A0"))
    target = tmp_path / "out"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), fmt_filter))

    class Ctx:
        pass

    ctx = Ctx()
    ctx.store = store  # type: ignore[attr-defined]
    path = export_via_dialog(ctx, None)  # type: ignore[arg-type]
    assert path is not None
    text = Path(path).read_text(encoding="utf-8")
    if path.endswith(".csv"):
        assert "\n'=cmd|' /C calc'!A0," in text
    else:
        assert text.startswith('{\n "format": "netapp-backup"')
