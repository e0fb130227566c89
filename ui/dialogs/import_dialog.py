"""Import dialog: pick files, preview (each person created, merged or skipped, with lines and reasons), map the
columns of an unknown CSV, then import with a progress bar and Cancel.

Reading and writing run in a worker thread (``_Worker``); the dialog only shows results. All
rules live in ``netapp.interchange.importer``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netapp.errors import NetappError
from netapp.interchange.csvformats import MAPPABLE_FIELDS
from netapp.interchange.importer import ImportPlan, commit_import, plan_import, undo_import
from netapp.interchange.records import Cancelled
from netapp.store import Store
from ui.widgets.messages import people_count

FILE_FILTER = (
    "Contacts (*.vcf *.vcard *.csv *.json *.txt);;vCard (*.vcf *.vcard);;CSV (*.csv);;"
    "netapp backup (*.json);;All files (*)"
)


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # imported text is never interpreted
    label.setWordWrap(True)
    return label


class _Worker(QThread):
    """Runs one import step off the UI thread; reports progress and the result."""

    progressed = Signal(int, int)
    finished_ok = Signal(object)
    failed = Signal(str)

    def __init__(
        self, job: Callable[[Callable[[int, int], None], Callable[[], bool]], Any]
    ) -> None:
        super().__init__()
        self.job = job
        self.cancel_event = threading.Event()

    def run(self) -> None:
        try:
            result = self.job(self.progressed.emit, self.cancel_event.is_set)
        except Cancelled as exc:
            self.failed.emit(str(exc))
        except NetappError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug must not kill the app; the import rolled back
            self.failed.emit(f"the import failed and nothing was written ({exc})")
        else:
            self.finished_ok.emit(result)


class ColumnMappingDialog(QDialog):
    """Map each column of an unknown CSV (or of one without a header row, whose columns are
    numbered and shown with the first contact's values) to a contact field, or ignore it."""

    def __init__(
        self,
        file: str,
        headers: list[str],
        parent: QWidget | None = None,
        samples: list[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Map columns")
        layout = QVBoxLayout(self)
        intro = (
            f"{Path(file).name} has no header row: its first row is a contact. "
            "Choose what each column holds."
            if samples
            else f"netapp does not know the layout of {Path(file).name}. "
            "Choose what each column holds."
        )
        layout.addWidget(_plain(intro))
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for i, h in enumerate(headers):
            sample = samples[i] if samples and i < len(samples) else ""
            combo = QComboBox()
            for key, text in MAPPABLE_FIELDS.items():
                combo.addItem(text, key)
            guess = _guess_value(sample) if samples else _guess(h)
            if guess:
                combo.setCurrentIndex(combo.findData(guess))
            name = h or "(no name)"
            form.addRow(_plain(f"{name}: {sample[:40]!r}" if samples else name), combo)
            self.combos[h] = combo
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def mapping(self) -> dict[str, str]:
        return {h: str(c.currentData()) for h, c in self.combos.items() if c.currentData()}


def _guess(header: str) -> str:
    h = header.casefold()
    for words, key in (
        (("first", "given", "vorname", "prénom"), "given_name"),
        (("last", "family", "surname", "nachname"), "family_name"),
        (("name",), "display_name"),
        (("mail",), "email"),
        (("phone", "mobile", "tel"), "phone"),
        (("company", "org", "firma"), "org"),
        (("title", "position", "role"), "title"),
        (("linkedin",), "linkedin"),
        (("web", "url", "site"), "website"),
        (("birth",), "birthday"),
        (("note", "comment"), "note"),
        (("tag", "label", "categor", "group"), "tags"),
    ):
        if any(w in h for w in words):
            return key
    return ""


def _guess_value(value: str) -> str:
    """A field for a column of a file without a header, from its first value."""
    v = value.strip()
    if "@" in v and "." in v.rpartition("@")[2]:
        return "email"
    if v and sum(c.isdigit() for c in v) >= 6 and all(c.isdigit() or c in " +()-./" for c in v):
        return "phone"
    if "linkedin.com/" in v.lower():
        return "linkedin"
    if v.lower().startswith(("http://", "https://", "www.")):
        return "website"
    return ""


class ImportDialog(QDialog):
    """File ▸ Import…: preview then import."""

    def __init__(
        self, store: Store, paths: list[str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import contacts")
        self.resize(760, 480)
        self.store = store
        self.paths: list[str] = list(paths or [])
        self.mappings: dict[str, dict[str, str]] = {}
        self.plan: ImportPlan | None = None
        self.worker: _Worker | None = None
        self.state = "idle"  # idle, planning, planned, importing, done, failed, cancelled
        self.batch_ids: list[int] = []

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_file_row())
        self.summary = _plain("")
        self.summary.setAccessibleName("Import summary")
        layout.addWidget(self.summary)
        layout.addWidget(self._build_table(), 1)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        layout.addLayout(self._build_buttons())
        if self.paths:
            self.start_plan()

    def _build_file_row(self) -> QHBoxLayout:
        """The files chosen, the phone region, Choose files…"""
        row = QHBoxLayout()
        self.files_label = _plain("No files chosen.")
        self.choose_button = QPushButton("Choose files…")
        self.choose_button.clicked.connect(self.choose_files)
        row.addWidget(self.files_label, 1)
        row.addWidget(QLabel("Phone region:"))
        self.region = QLineEdit(str(self.store.settings["phone.region"]))
        self.region.setMaximumWidth(50)
        self.region.setAccessibleName("Phone region")
        self.region.editingFinished.connect(self._region_changed)
        row.addWidget(self.region)
        row.addWidget(self.choose_button)
        return row

    def _build_table(self) -> QTableWidget:
        """What the plan skips or flags, one record a line."""
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["File", "Line", "What happens"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Skipped records, merges and values not kept")
        return self.table

    def _build_buttons(self) -> QHBoxLayout:
        """Map columns…, Undo this import, Import, Cancel."""
        buttons = QHBoxLayout()
        self.map_button = QPushButton("Map columns…")
        self.map_button.setVisible(False)
        self.map_button.clicked.connect(self.map_columns)
        self.import_button = QPushButton("Import")
        self.import_button.setEnabled(False)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_commit)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.undo_button = QPushButton("Undo this import")
        self.undo_button.setVisible(False)
        self.undo_button.clicked.connect(self.undo)
        buttons.addWidget(self.map_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        return buttons

    # -- steps -----------------------------------------------------------------------------

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import contacts", "", FILE_FILTER)
        if files:
            self.paths = list(files)
            self.mappings.clear()
            self.start_plan()

    def _region_changed(self) -> None:
        """A new phone region re-reads the files, but never re-plans a finished import."""
        if self.state in ("idle", "planned", "failed", "cancelled"):
            self.start_plan()

    def start_plan(self) -> None:
        if not self.paths or self.state in ("planning", "importing"):
            return
        self.files_label.setText(", ".join(Path(p).name for p in self.paths))
        region = self.region.text().strip().upper() or None
        paths: list[str | Path] = list(self.paths)
        mappings = dict(self.mappings)

        def job(progress: Callable[[int, int], None], cancel: Callable[[], bool]) -> ImportPlan:
            return plan_import(
                self.store,
                paths,
                region=region,
                mappings=mappings,
                progress=progress,
                cancel=cancel,
            )

        self._run("planning", job, self._planned)

    def start_commit(self) -> None:
        if self.plan is None or self.state != "planned":
            return
        plan = self.plan

        def job(progress: Callable[[int, int], None], cancel: Callable[[], bool]) -> list[int]:
            return commit_import(self.store, plan, progress=progress, cancel=cancel)

        self._run("importing", job, self._committed)

    def undo(self) -> None:
        """Take the whole import back out (one transaction per file imported)."""
        if self.state != "done" or not self.batch_ids:
            return
        removed = restored = 0
        try:
            for b in list(self.batch_ids):
                result = undo_import(self.store, b)
                self.batch_ids.remove(b)
                removed += result["removed"]
                restored += result["restored"]
        except NetappError as exc:  # e.g. already undone from the import history
            self.summary.setText(f"{exc}. Look in File ▸ Import history… for what is left.")
            self.undo_button.setVisible(bool(self.batch_ids))
            return
        self.state = "undone"
        self.undo_button.setVisible(False)
        text = f"Import undone: {people_count(removed)} removed"
        if restored:
            text += f"; the earlier details of {people_count(restored)} it merged into are back"
        self.summary.setText(text + ".")

    def cancel(self) -> None:
        if self.worker is not None and self.worker.isRunning():
            self.worker.cancel_event.set()
            self.cancel_button.setEnabled(False)
            return
        self.reject()

    def map_columns(self) -> None:
        if self.plan is None:
            return
        for f in self.plan.files:
            if f.needs_mapping:
                dlg = ColumnMappingDialog(f.file, f.headers, self, f.samples)
                if dlg.exec() == QDialog.DialogCode.Accepted:
                    self.mappings[f.file] = dlg.mapping()
        self.start_plan()

    # -- worker plumbing -------------------------------------------------------------------

    def _run(self, state: str, job: Any, done: Callable[[Any], None]) -> None:
        self.state = state
        if state == "planning":  # a new preview: the import before it is in the history
            self.batch_ids = []
        self.undo_button.setVisible(False)
        self.cancel_button.setText("Cancel")
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        worker = _Worker(job)
        worker.progressed.connect(self._progress)
        worker.finished_ok.connect(done)
        worker.failed.connect(self._failed)
        self.worker = worker
        worker.start()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finish_worker(self) -> None:
        if self.worker is not None:
            self.worker.wait()
        self.progress.setVisible(False)
        self.choose_button.setEnabled(True)
        self.cancel_button.setEnabled(True)

    def _failed(self, message: str) -> None:
        self._finish_worker()
        self.state = "cancelled" if "cancelled" in message else "failed"
        self.summary.setText(message)
        self.import_button.setEnabled(False)

    def _planned(self, plan: ImportPlan) -> None:
        self._finish_worker()
        self.plan = plan
        self.state = "planned"
        c = plan.counts()
        text = f"New: {c['imported']}    Merged: {c['merged']}    Skipped: {c['skipped']}"
        for key, name in (
            ("unchanged", "Unchanged"),
            ("warnings", "Warnings"),
            ("rejected", "Files rejected"),
        ):
            if c[key]:
                text += f"    {name}: {c[key]}"
        self.summary.setText(text)
        self.table.setRowCount(0)
        for f in plan.files:
            name = Path(f.file).name
            if f.error:
                self._row(
                    name,
                    "",
                    f.error if not f.needs_mapping else "unknown CSV layout: use Map columns…",
                )
            for item in f.items:
                if item.action == "merge":
                    self._row(name, str(item.line), f"merged: {item.reason}")
                elif item.action == "new":  # the people it will create, by name
                    who = item.person.display_name
                    org = f", {item.person.org}" if item.person.org else ""
                    self._row(name, str(item.line), f"new: {who}{org}")
                for pid, reason in item.suggestions[:3]:
                    self._row(name, str(item.line), f"new; may be person {pid} ({reason})")
                for warning in item.warnings:
                    self._row(name, str(item.line), f"{item.person.display_name}: {warning}")
            for s in f.skipped:
                self._row(name, str(s.line), f"skipped: {s.reason}")
        self.map_button.setVisible(any(f.needs_mapping for f in plan.files))
        self.import_button.setEnabled(c["imported"] + c["merged"] > 0)

    def _row(self, file: str, line: str, text: str) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for col, value in enumerate((file, line, text)):
            self.table.setItem(r, col, QTableWidgetItem(value))

    def _committed(self, batch_ids: list[int]) -> None:
        self._finish_worker()
        self.state = "done"
        self.batch_ids = list(batch_ids)
        plan = self.plan
        c = plan.counts() if plan is not None else {"imported": 0, "merged": 0, "skipped": 0}
        restored = plan is not None and any(f.backup_doc is not None for f in plan.files)
        new = c["imported"]
        text = f"Imported {new} new {'person' if new == 1 else 'people'}"
        text += f", merged {c['merged']} into people you had"
        if c.get("unchanged"):
            text += f", {c['unchanged']} already up to date"
        text += f", skipped {c['skipped']}." if c["skipped"] else "."
        if self.batch_ids:
            text += (
                "\nChanged your mind? Undo this import now, or later from File ▸ Import history…"
            )
        if restored:
            text += "\nA restored backup is not an import batch: it cannot be undone here."
        self.summary.setText(text)
        self.undo_button.setVisible(bool(self.batch_ids))
        self.import_button.setEnabled(False)
        self.cancel_button.setText("Close")

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt name
        if self.worker is not None and self.worker.isRunning():
            self.worker.cancel_event.set()
            self.worker.wait()
        super().closeEvent(event)
