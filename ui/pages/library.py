"""The Value library: add, edit, tag and retire items; see who received each and what followed.

The items show at once; their use (times given, accepted asks that followed: about a second
at 100,000 people) is worked out on the page's worker thread and filled in when it comes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netapp import engine, reports
from netapp.domain import LibraryItem, LibraryKind, Topic
from netapp.errors import NetappError, ValidationError, with_name
from netapp.store import undoable
from ui.commands import perform
from ui.context import AppContext
from ui.models.library_items import LibraryModel
from ui.theme import error_style
from ui.workers import EngineWorker, is_open


def split_tags(text: str) -> list[str]:
    return [t.strip() for t in text.replace(";", ",").split(",") if t.strip()]


# Recipients listed per item; the summary counts them all (a popular item at 100k people
# has tens of thousands).
RECIPIENTS_SHOWN = 200


class LibraryPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("page-library")
        self.ctx = ctx
        self.editing_id: int | None = None
        self._stale = False
        self._request: int | None = None  # the stats job whose figures are wanted
        self._recipients_request: int | None = None  # the recipients job likewise
        self.worker = EngineWorker(ctx.store, self)
        self.worker.done.connect(self._on_result)
        self.worker.failed.connect(self._on_failed)
        self._build_table()
        self._build_editor()
        self._build_recipients()
        self._lay_out()
        self._wire()
        self.refresh()
        self.start_new()
        first = self.model.item_at(0)
        if first is not None and first.id is not None:
            self.select(first.id)

    def _build_table(self) -> None:
        """The items (self.table), Show retired items and New item."""
        self.model = LibraryModel(self.ctx.store, self)
        self.table = QTableView()
        self.table.setAccessibleName("Library items")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 6):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.stats_line = QLabel()
        self.stats_line.setAccessibleName("Library figures")
        self.stats_line.setWordWrap(True)
        self.show_retired = QCheckBox("Show retired items")
        self.show_retired.setChecked(True)
        self.new_button = QPushButton("New item")

    def _build_editor(self) -> None:
        """The editor of one item (self.editor_box): fields, an error line, Save and Retire."""
        self.title = QLineEdit()
        self.kind = QComboBox()
        for k in LibraryKind:
            self.kind.addItem(k.value.capitalize(), k.value)
        self.url = QLineEdit(placeholderText="https://…")
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(70)
        self.tags = QLineEdit(placeholderText="finance, marketing")
        self.error = QLabel()
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        self.error.hide()
        self.save_button = QPushButton("Save")
        self.retire_button = QPushButton("Retire")
        self.editor_box = QGroupBox("New item")
        form = QFormLayout(self.editor_box)
        form.addRow("Title", self.title)
        form.addRow("Kind", self.kind)
        form.addRow("Link", self.url)
        form.addRow("Description", self.description)
        form.addRow("Tags", self.tags)
        form.addRow(self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.retire_button)
        buttons.addStretch(1)
        form.addRow(buttons)

    def _build_recipients(self) -> None:
        """Who received the item being edited (self.recipients_box)."""
        self.recipients_box = QGroupBox("Who received it")
        self.recipients = QTableWidget(0, 4)
        self.recipients.setHorizontalHeaderLabels(["Person", "Times", "First", "Last"])
        self.recipients.verticalHeader().hide()
        self.recipients.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.recipients.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.recipients_summary = QLabel()
        self.recipients_summary.setWordWrap(True)
        rlay = QVBoxLayout(self.recipients_box)
        rlay.addWidget(self.recipients_summary)
        rlay.addWidget(self.recipients)

    def _lay_out(self) -> None:
        """Heading row, intro, then the table beside the editor and its recipients."""
        top = QHBoxLayout()
        top.addWidget(QLabel("<h2>Value library</h2>"))
        top.addStretch(1)
        top.addWidget(self.show_retired)
        top.addWidget(self.new_button)
        intro = QLabel(
            "Things worth giving before you ask: articles, videos, e-books, samples, templates, "
            "introductions. “Accepted ask within 30 days” counts the gifts that were followed by "
            "an accepted ask from the same person: it tells you which material builds trust."
        )
        intro.setWordWrap(True)
        right = QVBoxLayout()
        right.addWidget(self.editor_box)
        right.addWidget(self.recipients_box, 1)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addLayout(right, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(intro)
        lay.addWidget(self.stats_line)
        lay.addLayout(body, 1)

    def _wire(self) -> None:
        """Selection loads the editor; buttons and store changes."""
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._load_selected())
        self.show_retired.toggled.connect(self._toggle_retired)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(lambda: self.save())
        self.retire_button.clicked.connect(lambda: self.toggle_retired())
        self.ctx.signals.changed.connect(self._on_changed)

    # -- list ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the items now; ask the worker for their use (shown when it comes)."""
        keep = self.editing_id
        self.model.refresh()
        if keep is not None:
            self.select(keep)
        if self._request is not None:
            self.worker.cancel(self._request)
        self._request = self.worker.submit(lambda store, _cancel: engine.library_stats(store))
        self.stats_line.setText("Counting who received what…")
        self.stats_line.show()

    def is_busy(self) -> bool:
        """True while the items' use, or who received the selected item, is worked out."""
        return self._request is not None or self._recipients_request is not None

    def _on_result(self, number: int, result: object) -> None:
        if number == self._recipients_request and isinstance(result, tuple):
            self._recipients_request = None
            if is_open(self.ctx.store):
                self._show_recipients(*result)
        elif number == self._request and isinstance(result, list):
            self._request = None
            if is_open(self.ctx.store):  # else the window closed while the worker was busy
                self.model.set_stats(result)
                self.stats_line.hide()

    def _on_failed(self, number: int, message: str) -> None:
        if number == self._recipients_request:
            self._recipients_request = None
            self.recipients_summary.setText(f"Who received it could not be read: {message}")
        elif number == self._request:
            self._request = None
            self.stats_line.setText(f"The figures could not be worked out: {message}")

    def _toggle_retired(self, on: bool) -> None:
        self.model.show_retired = on
        self.refresh()

    def _on_changed(self, topic: str, _ids: object) -> None:
        if topic not in {Topic.LIBRARY, Topic.INTERACTIONS, Topic.PEOPLE}:
            return
        if not self.isVisible() and topic != Topic.LIBRARY:
            # The stats read every value given (most of a second at 100k people): a log
            # elsewhere marks the page stale; it is brought up to date when shown.
            self._stale = True
            return
        self._catch_up()

    def _catch_up(self) -> None:
        self._stale = False
        self.refresh()
        if self.editing_id is not None:
            self._load_recipients(self.editing_id)

    def showEvent(self, event: Any) -> None:
        if self._stale:
            self._catch_up()
        super().showEvent(event)

    def select(self, item_id: int) -> None:
        row = self.model.row_of(item_id)
        if row >= 0:
            self.table.selectRow(row)

    # -- editor --------------------------------------------------------------------------

    def start_new(self) -> None:
        self.table.clearSelection()
        self.editing_id = None
        self.editor_box.setTitle("New item")
        for w in (self.title, self.url, self.tags):
            w.clear()
        self.description.clear()
        self.kind.setCurrentIndex(0)
        self.retire_button.setEnabled(False)
        self.retire_button.setText("Retire")
        self.error.hide()
        self.recipients_box.setEnabled(False)
        self.recipients.setRowCount(0)
        self.recipients_summary.setText("Select an item to see who received it.")

    def _load_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        item = self.model.item_at(rows[0].row()) if rows else None
        if item is None or item.id is None:
            return
        self.editing_id = item.id
        self.editor_box.setTitle(f"Edit “{item.title}”")
        self.title.setText(item.title)
        self.kind.setCurrentIndex(list(LibraryKind).index(LibraryKind(item.kind)))
        self.url.setText(item.url)
        self.description.setPlainText(item.description)
        self.tags.setText(", ".join(item.tags))
        self.retire_button.setEnabled(True)
        self.retire_button.setText("Bring back" if item.retired_at else "Retire")
        self.error.hide()
        self._load_recipients(item.id)

    def _load_recipients(self, item_id: int) -> None:
        """Ask the worker who received the item (a popular one at 100,000 people: tens of
        thousands of rows to count); shown when it comes, if the item is still the one edited."""
        if self._recipients_request is not None:
            self.worker.cancel(self._recipients_request)
        limit = RECIPIENTS_SHOWN
        self._recipients_request = self.worker.submit(
            lambda store, _cancel: (
                item_id,
                reports.item_recipients(store, item_id, limit=limit),
                reports.item_reach(store, item_id),
            )
        )
        self.recipients.setRowCount(0)
        self.recipients_summary.setText("Looking up who received it…")

    def _show_recipients(
        self, item_id: int, rows: list[dict[str, Any]], reach: tuple[int, int]
    ) -> None:
        if item_id != self.editing_id:
            return
        times, people = reach
        self.recipients_box.setEnabled(True)
        self.recipients.setRowCount(len(rows))
        for n, r in enumerate(rows):
            for col, value in enumerate((r["display_name"], r["times"], r["first"], r["last"])):
                cell = QTableWidgetItem(str(value))
                cell.setData(Qt.ItemDataRole.UserRole, r["person_id"])
                self.recipients.setItem(n, col, cell)
        more = f" The {len(rows)} most recent are listed." if people > len(rows) else ""
        self.recipients_summary.setText(
            f"Given {times:,} time{'s' if times != 1 else ''} to {people:,} "
            f"{'person' if people == 1 else 'people'}.{more}"
            if rows
            else "Nobody has received this yet."
        )

    def save(self) -> int | None:
        try:
            kind = LibraryKind(str(self.kind.currentData()))
            item = LibraryItem(
                title=self.title.text(),
                kind=kind,
                url=self.url.text().strip(),
                description=self.description.toPlainText(),
                tags=split_tags(self.tags.text()),
            )
            store = self.ctx.store
            if self.editing_id is None:
                item_id = perform(self.ctx.undo, lambda: undoable.add_library_item(store, item))
            else:
                item_id = self.editing_id
                new = {
                    "title": item.title,
                    "kind": kind,
                    "url": item.url,
                    "description": item.description,
                    "tags": item.tags,
                }
                perform(self.ctx.undo, lambda: undoable.edit_library_item(store, item_id, **new))
        except ValidationError as exc:
            self.error.setText(with_name(exc.field.capitalize(), exc.message))
            self.error.show()
            return None
        except NetappError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return None
        self.editing_id = item_id
        self.refresh()
        self.select(item_id)
        return item_id

    def toggle_retired(self, on: date | None = None) -> None:
        if self.editing_id is None:
            return
        item = self.ctx.store.library.get(self.editing_id)
        stamp = None if item.retired_at else (on or date.today()).isoformat()
        store, item_id = self.ctx.store, self.editing_id
        try:
            perform(self.ctx.undo, lambda: undoable.set_retired(store, item_id, stamp))
        except NetappError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.refresh()
        if self.model.row_of(self.editing_id) < 0:
            self.start_new()
        else:
            self._load_selected()


def build(ctx: AppContext) -> QWidget:
    return LibraryPage(ctx)
