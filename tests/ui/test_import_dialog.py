"""The import dialog, column mapping, merge dialog and File-menu actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget

from netapp.domain import Consent, ConsentMethod, Email, Interaction, Kind, Person
from netapp.interchange.export import to_optins
from netapp.interchange.importer import import_files, list_batches
from netapp.store import Store
from ui.dialogs.import_dialog import ColumnMappingDialog, ImportDialog
from ui.dialogs.import_history import ImportHistoryDialog
from ui.dialogs.merge_dialog import DuplicatesDialog, MergeDialog

FIXTURES = Path(__file__).parents[1] / "netapp" / "interchange" / "fixtures"


def wait_state(qtbot, dlg: ImportDialog, *states: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dlg.state in states, timeout=20000)


def test_preview_then_import_then_undo(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """The preview counts new/skipped with line reasons; Import writes; Undo removes."""
    dlg = ImportDialog(store, [str(FIXTURES / "apple_30.vcf"), str(FIXTURES / "empty.vcf")])
    qtbot.addWidget(dlg)
    wait_state(qtbot, dlg, "planned")
    assert dlg.summary.text() == "New: 2    Merged: 0    Skipped: 1    Files rejected: 1"
    rows = [
        tuple(dlg.table.item(r, c).text() for c in range(3)) for r in range(dlg.table.rowCount())
    ]
    assert ("apple_30.vcf", "20", "skipped: a contact group, not a person") in rows
    assert ("empty.vcf", "", f"{FIXTURES / 'empty.vcf'}: the file is empty") in rows
    assert store.people.count() == 0
    assert dlg.undo_button.isHidden()
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, dlg, "done")
    names = store.db.query("SELECT display_name FROM people ORDER BY id")
    assert [r["display_name"] for r in names] == ["Siobhán O'Brien", "Acme Plumbing Ltd"]
    assert not dlg.undo_button.isHidden()
    assert dlg.summary.text() == (
        "Imported 2 new people, merged 0 into people you had, skipped 1.\n"
        "Changed your mind? Undo this import now, or later from File ▸ Import history…"
    )
    qtbot.mouseClick(dlg.undo_button, Qt.MouseButton.LeftButton)
    assert store.people.count() == 0
    assert list_batches(store) == []
    assert dlg.undo_button.isHidden()
    assert dlg.summary.text() == "Import undone: 2 people removed."


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
    assert store.people.count() == 0


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
    a = store.people.add(Person(display_name="<b>Bold</b> Ann", emails=[Email("a@x.example")]))
    b = store.people.add(Person(display_name="Ann Plain", emails=[Email("a@x.example")]))
    store.interactions.add(Interaction(person_id=b, date="2026-01-02", kind=Kind.CALL, note="kept"))
    dlg = MergeDialog(store, a, b, "same email a@x.example")
    qtbot.addWidget(dlg)
    labels = [w for w in dlg.findChildren(QLabel) if "Bold" in w.text()]
    assert all(w.textFormat() == Qt.TextFormat.PlainText for w in labels)
    dlg.groups["display_name"].button(1).setChecked(True)
    dlg.do_merge()
    p = store.people.get(a)
    assert p.display_name == "Ann Plain"
    assert [i.note for i in store.interactions.for_person(a)] == ["kept"]


def test_duplicates_dialog_lists_pairs(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Find duplicates lists each pair with its reason."""
    store.people.add(Person(display_name="Ann Lee", emails=[Email("ann@x.example")]))
    store.people.add(Person(display_name="Ann Lee", emails=[Email("ann@x.example")]))
    dlg = DuplicatesDialog(store)
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 1
    assert dlg.table.item(0, 2).text() == "same name and same email ann@x.example"


def test_file_menu_has_the_import_consent_and_export_actions(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """The main window's File menu carries the six actions in their groups, before Quit."""
    from ui.main_window import MainWindow

    win = MainWindow(store)
    qtbot.addWidget(win)
    names = [a.objectName() or "-" for a in win.menu("&File").actions()]
    assert names == [
        "io.import",
        "io.history",
        "io.subscribers",
        "-",
        "io.optin",
        "-",
        "io.export",
        "io.duplicates",
        "-",
        "app.quit",
    ]


@pytest.fixture
def boxes(monkeypatch) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Information boxes shown (title, text), instead of blocking on them."""
    shown: list[tuple[str, str]] = []

    def info(parent, title, text, *a, **k):  # type: ignore[no-untyped-def]
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", info)
    return shown


@pytest.fixture
def window(qtbot, store: Store):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    win = MainWindow(store)
    qtbot.addWidget(win)
    return win


def answer_undo(monkeypatch, answer: QMessageBox.StandardButton) -> list[str]:  # type: ignore[no-untyped-def]
    """Answer the undo confirmation with ``answer``; returns the questions asked."""
    asked: list[str] = []

    def question(parent, title, text, *a, **k):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def people_names(store: Store) -> list[str]:
    return [r["display_name"] for r in store.db.query("SELECT display_name FROM people ORDER BY 1")]


def test_history_lists_imports_and_undoes_the_chosen_one(qtbot, store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An import made in the dialog shows in the history; undoing it removes only its people."""
    import_files(store, [FIXTURES / "google_contacts.csv"])
    dlg = ImportDialog(store, [str(FIXTURES / "linkedin_connections.csv")])
    qtbot.addWidget(dlg)
    wait_state(qtbot, dlg, "planned")
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, dlg, "done")
    before = people_names(store)
    assert len(before) == 4

    hist = ImportHistoryDialog(store)
    qtbot.addWidget(hist)
    rows = [[hist.table.item(r, c).text() for c in (0, 1, 3)] for r in range(hist.table.rowCount())]
    assert rows == [
        ["linkedin_connections.csv", "LinkedIn connections", "2"],
        ["google_contacts.csv", "Google Contacts CSV", "2"],
    ]
    assert hist.table.item(0, 2).text()[:4].isdigit()  # a local date and time
    asked = answer_undo(monkeypatch, QMessageBox.StandardButton.Yes)
    hist.table.selectRow(1)
    qtbot.mouseClick(hist.undo_button, Qt.MouseButton.LeftButton)
    assert asked[0].startswith("Undo the import of google_contacts.csv (Google Contacts CSV, ")
    assert "• Deletes the 2 people it added." in asked[0]
    kept = set(before) - set(people_names(store))
    assert len(kept) == 2 and store.people.count() == 2
    assert hist.table.rowCount() == 1
    assert hist.table.item(0, 0).text() == "linkedin_connections.csv"
    assert hist.message.text() == "Import of google_contacts.csv undone: 2 people removed."


def test_history_cancel_keeps_everything(qtbot, store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Answering Cancel to the confirmation leaves the people and the batch in place."""
    import_files(store, [FIXTURES / "google_contacts.csv"])
    hist = ImportHistoryDialog(store)
    qtbot.addWidget(hist)
    asked = answer_undo(monkeypatch, QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(hist.undo_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert store.people.count() == 2
    assert hist.table.rowCount() == 1


def test_history_undo_warns_of_history_and_puts_merged_people_back(
    qtbot, store: Store, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The confirmation counts what goes with the people; a merged person gets their old fields."""
    mine = store.people.add(
        Person(display_name="Ana María García", emails=[Email("ana@iberica.example")])
    )
    import_files(store, [FIXTURES / "google_contacts.csv"])
    assert store.people.get(mine).org == "Soluciones Ibéricas"  # merged in
    (new_id,) = [r["id"] for r in store.db.query("SELECT id FROM people WHERE id != ?", [mine])]
    store.interactions.add(
        Interaction(person_id=new_id, date="2026-01-02", kind=Kind.CALL, note="later")
    )
    store.consents.add(
        Consent(
            person_id=new_id,
            email="x@y.example",
            method=ConsentMethod.VERBAL,
            obtained_at="2026-01-03",
        )
    )
    hist = ImportHistoryDialog(store)
    qtbot.addWidget(hist)
    asked = answer_undo(monkeypatch, QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(hist.undo_button, Qt.MouseButton.LeftButton)
    assert asked[0].splitlines()[2:] == [
        "• Deletes the person it added, with what was recorded for them since: "
        "1 interaction, 1 opt-in.",
        "• Puts back the earlier details of the person it merged into "
        "(changes made to them since the import are lost).",
        "",
        "This cannot be undone.",
    ]
    assert people_names(store) == ["Ana María García"]
    assert store.people.get(mine).org == ""
    assert [e.address for e in store.people.get(mine).emails] == ["ana@iberica.example"]
    assert store.db.query("SELECT count(*) AS n FROM interactions")[0]["n"] == 0
    assert hist.message.text() == (
        "Import of google_contacts.csv undone: 1 person removed; "
        "the earlier details of 1 person it merged into are back."
    )


def test_undo_tells_the_pages_through_the_store_signals(qtbot, store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Undo from the history emits changed("people", ids) once it commits, for the pages."""
    from ui.signals import StoreSignals

    import_files(store, [FIXTURES / "google_contacts.csv"])
    ids = {r["id"] for r in store.db.query("SELECT id FROM people")}
    signals = StoreSignals(store)
    heard: list[tuple[str, frozenset[int]]] = []
    signals.changed.connect(lambda topic, pids: heard.append((topic, pids)))
    hist = ImportHistoryDialog(store)
    qtbot.addWidget(hist)
    answer_undo(monkeypatch, QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(hist.undo_button, Qt.MouseButton.LeftButton)
    assert ("people", frozenset(ids)) in heard


def test_history_is_empty_when_nothing_was_imported(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """With no imports the list says so and Undo is disabled."""
    hist = ImportHistoryDialog(store)
    qtbot.addWidget(hist)
    assert hist.table.isHidden() and not hist.empty.isHidden()
    assert not hist.undo_button.isEnabled()


def test_undo_in_the_dialog_after_the_history_undid_it(qtbot, store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The dialog's Undo after the same import was undone elsewhere says so and writes nothing."""
    dlg = ImportDialog(store, [str(FIXTURES / "google_contacts.csv")])
    qtbot.addWidget(dlg)
    wait_state(qtbot, dlg, "planned")
    dlg.start_commit()
    wait_state(qtbot, dlg, "done")
    hist = ImportHistoryDialog(store)
    qtbot.addWidget(hist)
    answer_undo(monkeypatch, QMessageBox.StandardButton.Yes)
    hist.undo_selected()
    store.people.add(Person(display_name="Kept"))
    qtbot.mouseClick(dlg.undo_button, Qt.MouseButton.LeftButton)
    assert people_names(store) == ["Kept"]
    assert dlg.summary.text().endswith(
        "not found. Look in File ▸ Import history… for what is left."
    )


def test_history_action_opens_the_dialog(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """File ▸ Import history… opens the history dialog over the window."""
    opened: list[QWidget] = []
    monkeypatch.setattr(ImportHistoryDialog, "exec", lambda self: opened.append(self) or 0)
    window.ctx.actions["io.history"].trigger()
    assert len(opened) == 1 and opened[0].parent() is window


def test_subscribers_action_records_optins_and_reports(
    qtbot, window, store: Store, tmp_path: Path, monkeypatch, boxes
) -> None:  # type: ignore[no-untyped-def]
    """File ▸ Import subscribers… attaches matched rows as opt-ins and says what was skipped."""
    pid = store.people.add(
        Person(display_name="Priya Patel", emails=[Email("priya@patel.example")])
    )
    path = tmp_path / "subs.csv"
    path.write_bytes((FIXTURES / "mailchimp_subscribers.csv").read_bytes().replace(b"{CODE}", b"X"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.ctx.actions["io.subscribers"].trigger()
    (c,) = store.consents.for_person(pid)
    assert (c.method, c.obtained_at) == (ConsentMethod.IMPORT, "2026-03-04T08:15:00")
    ((title, text),) = boxes
    assert title == "Import subscribers"
    assert text.startswith("1 opt-in recorded from subs.csv\n\n")
    assert text.endswith(
        "2 rows skipped:\nline 3: no person with email stranger@nowhere.example\n"
        "line 4: 'not an email' is not an email address"
    )
    assert window.statusBar().currentMessage() == "1 opt-in recorded from subs.csv"


def test_subscribers_action_shows_a_bad_file(
    qtbot, window, store: Store, monkeypatch, boxes
) -> None:  # type: ignore[no-untyped-def]
    """A file without an email column is refused with the reason; nothing is recorded."""
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text, *a: warned.append(text))
    path = FIXTURES / "not_contacts.txt"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.ctx.actions["io.subscribers"].trigger()
    assert warned and "no email column" in warned[0]
    assert store.db.query("SELECT count(*) AS n FROM consents")[0]["n"] == 0
    assert boxes == []


@pytest.mark.parametrize("fmt_filter", ["People as CSV (*.csv)", "Full netapp backup (*.json)"])
def test_export_action_writes_the_chosen_format(
    qtbot, store: Store, tmp_path: Path, monkeypatch, fmt_filter: str, boxes
) -> None:  # type: ignore[no-untyped-def]
    """Export… writes the format picked in the (mocked) save dialog and says so."""
    from ui.io_actions import export_via_dialog

    store.people.add(Person(display_name="=cmd|' /C calc'!A0"))
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
        assert boxes == [("Export", f"Exported 1 person to {path}")]
    else:
        assert text.startswith('{\n "format": "netapp-backup"')
        assert boxes == [("Export", f"Exported a backup of 1 person to {path}")]


def test_export_of_optins_says_how_many_consented(
    qtbot, window, store: Store, tmp_path: Path, monkeypatch, boxes
) -> None:  # type: ignore[no-untyped-def]
    """The opt-ins export names the file, the people in it and how many of all consented."""
    for name, email, consent in (
        ("Ann Able", "ann@a.example", True),
        ("Ann Twin", "ANN@a.example", True),  # same address: one row
        ("Cat Never", "cat@c.example", False),
    ):
        pid = store.people.add(Person(display_name=name, emails=[Email(email)]))
        if consent:
            store.consents.add(
                Consent(
                    person_id=pid, email=email, method=ConsentMethod.PAPER, obtained_at="2026-03-03"
                )
            )
    target = tmp_path / "optins"
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (str(target), "Opt-ins for Mailchimp (*.csv)"),
    )
    window.ctx.actions["io.export"].trigger()
    out = tmp_path / "optins.csv"
    assert out.read_bytes() == to_optins(store).encode("utf-8")  # the same file as the CLI
    ((title, text),) = boxes
    assert text == (
        f"Exported the opt-ins of 1 person to {out}\n\n"
        "2 of 3 people have consented to email; nobody else is in the file. "
        "1 person with consent left out: no email address, or an address already in the file."
    )
    assert window.statusBar().currentMessage() == f"Exported the opt-ins of 1 person to {out}"


def test_export_of_follow_ups_counts_the_events(
    qtbot, demo_store: Store, tmp_path: Path, monkeypatch, boxes
) -> None:  # type: ignore[no-untyped-def]
    """The calendar export says how many follow-ups it holds, as many as VEVENTs written."""
    from ui.io_actions import export_via_dialog

    target = tmp_path / "steps.ics"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Follow-ups calendar (*.ics)")
    )

    class Ctx:
        store = demo_store

    export_via_dialog(Ctx(), None)  # type: ignore[arg-type]
    n = target.read_text(encoding="utf-8").count("BEGIN:VEVENT")
    assert n > 1
    assert boxes == [("Export", f"Exported {n} follow-ups (next 30 days) to {target}")]


def test_export_error_is_shown_and_nothing_is_claimed(
    qtbot, store: Store, tmp_path: Path, monkeypatch, boxes
) -> None:  # type: ignore[no-untyped-def]
    """A failed write shows the error as a warning and no success message."""
    from ui.io_actions import export_via_dialog

    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = blocker / "inside.vcf"  # a file is in the way of the folder
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text, *a: warned.append(text))
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "vCard 4.0 (*.vcf)")
    )

    class Ctx:
        pass

    ctx = Ctx()
    ctx.store = store  # type: ignore[attr-defined]
    assert export_via_dialog(ctx, None) is None  # type: ignore[arg-type]
    assert len(warned) == 1 and "is a file, not a folder" in warned[0]
    assert str(target) in warned[0]
    assert boxes == []


def test_preview_lists_every_value_a_record_cannot_keep(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Warnings appear in the preview with their line, and are counted in the summary."""
    dlg = ImportDialog(store, [str(FIXTURES / "spec" / "c13_dropped.vcf")])
    qtbot.addWidget(dlg)
    wait_state(qtbot, dlg, "planned")
    assert dlg.summary.text() == "New: 2    Merged: 0    Skipped: 0    Warnings: 5"
    rows = [
        tuple(dlg.table.item(r, c).text() for c in range(3)) for r in range(dlg.table.rowCount())
    ]
    assert (
        "c13_dropped.vcf",
        "1",
        "Kept Karl: email 'karl@@example.com' dropped: not a valid address",
    ) in rows
    assert (
        "c13_dropped.vcf",
        "11",
        "Linked Lena: photo not kept: it is a link, and netapp does not fetch links",
    ) in rows


def test_a_csv_without_header_is_mapped_by_column_with_its_first_values(
    qtbot, store: Store, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The mapping dialog numbers the columns, shows the first contact and guesses from it;
    the first row is imported as a person."""
    path = str(FIXTURES / "spec" / "c09_no_header.csv")
    dlg = ImportDialog(store, [path])
    qtbot.addWidget(dlg)
    wait_state(qtbot, dlg, "planned")
    (f,) = dlg.plan.files if dlg.plan else []
    mapper = ColumnMappingDialog(path, f.headers, samples=f.samples)
    qtbot.addWidget(mapper)
    assert mapper.mapping() == {"Column 3": "email", "Column 4": "phone"}
    texts = [w.text() for w in mapper.findChildren(QLabel)]
    assert "Column 1: 'Kofi'" in texts
    mapper.combos["Column 1"].setCurrentIndex(mapper.combos["Column 1"].findData("given_name"))
    mapper.combos["Column 2"].setCurrentIndex(mapper.combos["Column 2"].findData("family_name"))
    chosen = mapper.mapping()
    monkeypatch.setattr(ColumnMappingDialog, "exec", lambda self: 1)
    monkeypatch.setattr(ColumnMappingDialog, "mapping", lambda self: chosen)
    dlg.map_columns()
    wait_state(qtbot, dlg, "planned")
    assert dlg.summary.text() == "New: 2    Merged: 0    Skipped: 0"
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, dlg, "done")
    names = [
        r["display_name"] for r in store.db.query("SELECT display_name FROM people ORDER BY id")
    ]
    assert names == ["Kofi Mensah", "Ama Owusu"]


def test_preview_lists_the_people_it_will_create(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Every person the import would create is listed by name with their line, before Import."""
    dlg = ImportDialog(store, [str(FIXTURES / "apple_30.vcf")])
    qtbot.addWidget(dlg)
    wait_state(qtbot, dlg, "planned")
    rows = [
        tuple(dlg.table.item(r, c).text() for c in range(3)) for r in range(dlg.table.rowCount())
    ]
    created = [r for r in rows if r[2].startswith("new: ")]
    assert len(created) == 2  # the summary's "New: 2"
    assert all(r[0] == "apple_30.vcf" and r[1].isdigit() for r in created)
    assert store.people.count() == 0
