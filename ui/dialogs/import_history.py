"""File ▸ Import history…: the earlier imports (file, format, date, people still held), and
undoing a chosen one after a confirmation that says what goes with it.

All rules live in ``netapp.interchange.importer`` (``list_batches``, ``undo_preview``,
``undo_import``); the other pages refresh through the store's change signals.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netapp.errors import NetappError
from netapp.interchange.csvformats import FORMAT_NAMES
from netapp.interchange.importer import list_batches, undo_import, undo_preview
from netapp.store import Store
from ui.widgets.messages import counted

BATCH_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("File", "Format", "Imported on", "People still held")


def format_name(fmt: str) -> str:
    return {"vcard": "vCard", **FORMAT_NAMES}.get(fmt, fmt or "unknown")


def local_time(stamp: str) -> str:
    """An ISO time stamp shown in local time to the minute (as stored when unreadable)."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def _the(n: int) -> str:
    return "the person" if n == 1 else f"the {n} people"


def undo_question(preview: dict[str, Any]) -> str:
    """The confirmation text: what undoing this import removes and puts back."""
    lines = [
        f"Undo the import of {preview['source']} "
        f"({format_name(preview['format'])}, {local_time(preview['created_at'])})?",
        "",
    ]
    if preview["people"]:
        since = [
            counted(preview["interactions"], "interaction"),
            counted(preview["attendance"], "meeting attended", "meetings attended"),
            counted(preview["consents"], "opt-in"),
            counted(preview["referrals"], "referral"),
        ]
        counts = (
            preview["interactions"],
            preview["attendance"],
            preview["consents"],
            preview["referrals"],
        )
        text = f"• Deletes {_the(preview['people'])} it added"
        if any(counts):
            kept = [t for t, n in zip(since, counts, strict=True) if n]
            text += ", with what was recorded for them since: " + ", ".join(kept)
        lines.append(text + ".")
    if preview["restored"]:
        lines.append(
            f"• Puts back the earlier details of {_the(preview['restored'])} it merged into "
            "(changes made to them since the import are lost)."
        )
    if not preview["people"] and not preview["restored"]:
        lines.append("• Nothing it added is left; only the entry in this list goes.")
    lines += ["", "This cannot be undone."]
    return "\n".join(lines)


class ImportHistoryDialog(QDialog):
    """Lists import batches, newest first; "Undo import…" takes the chosen one back out."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import history")
        self.resize(720, 380)
        self.store = store

        intro = QLabel(
            "Each file you imported, newest first. Undoing an import deletes the people it "
            "added and puts back the details of people it merged into."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAccessibleName("Earlier imports")
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.empty = QLabel("Nothing has been imported yet (or every import was undone).")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # file names are shown literally
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Result")

        self.undo_button = QPushButton("Undo import…")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_selected)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        batches = list_batches(self.store)
        self.table.setRowCount(0)
        for b in batches:
            row = self.table.rowCount()
            self.table.insertRow(row)
            cells = (
                b["source"],
                format_name(b["format"]),
                local_time(b["created_at"]),
                str(b["people"]),
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(BATCH_ROLE, int(b["id"]))
                if col == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        self.empty.setVisible(not batches)
        self.table.setVisible(bool(batches))
        if batches:
            self.table.selectRow(0)
        self._selection_changed()

    def selected_batch(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return None if item is None else int(item.data(BATCH_ROLE))

    def _selection_changed(self) -> None:
        self.undo_button.setEnabled(self.selected_batch() is not None)

    def undo_selected(self) -> None:
        batch = self.selected_batch()
        if batch is None:
            return
        try:
            preview = undo_preview(self.store, batch)
        except NetappError as exc:
            self.message.setText(str(exc))
            self.refresh()
            return
        answer = QMessageBox.question(
            self,
            "Undo import",
            undo_question(preview),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = undo_import(self.store, batch)
        except NetappError as exc:
            self.message.setText(f"Nothing was undone: {exc}")
        else:
            self.message.setText(
                f"Import of {preview['source']} undone: "
                f"{counted(result['removed'], 'person', 'people')} removed"
                + (
                    f"; the earlier details of {counted(result['restored'], 'person', 'people')} "
                    "it merged into are back."
                    if result["restored"]
                    else "."
                )
            )
        finally:
            QApplication.restoreOverrideCursor()
        self.refresh()
