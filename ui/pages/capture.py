"""After the meeting: pick or create the meeting, then type one row per person, keyboard only.

Enter moves to the next row; Tab to the next field. Typing a name offers existing people;
picking one records a repeat contact. Alt+V, Alt+K and Alt+U mark a row ("gave value",
"they asked for…", "follow up"); Alt+L links a flagged row to the person it duplicates.
Ctrl+S saves everything in one transaction; Ctrl+Z undoes the whole capture. The save runs on
a worker thread's own connection (2,000 cards take seconds): a progress bar and Cancel show
meanwhile, and the rows cannot be edited until it is done.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QEventLoop,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from netapp.capture import (
    CaptureMeeting,
    CaptureRow,
    capture_saved,
    capture_summary,
    check_meeting,
    save_capture,
    suggest_people,
)
from netapp.domain import Topic
from netapp.errors import NetappError
from netapp.store import Store
from ui.commands import BackgroundWrite, perform_in_background
from ui.context import AppContext
from ui.models.capture import COL_ASKED, COL_CONTACT, COL_NAME, CaptureGridModel
from ui.widgets.avatar import avatar
from ui.widgets.date_field import DateField
from ui.widgets.messages import people_count
from ui.widgets.tables import compact, on_index_picked, popup_of
from ui.workers import EngineWorker

DRAFT_KEY = "capture-grid"
PID_ROLE = Qt.ItemDataRole.UserRole + 2
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class CellDelegate(QStyledItemDelegate):
    """Line editors for the grid. Enter commits and asks the view to go to the next row;
    the name column completes from existing people (searched in SQL as you type)."""

    def __init__(self, view: CaptureGrid, store: Store) -> None:
        super().__init__(view)
        self.view = view
        self.store = store
        self._picked: dict[QLineEdit, int] = {}

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        header = index.model().headerData(index.column(), Qt.Orientation.Horizontal)
        editor.setAccessibleName(f"{header}, row {index.row() + 1}")
        if index.column() == COL_NAME:
            model = QStandardItemModel(editor)
            completer = QCompleter(model, editor)
            completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
            completer.setCompletionRole(NAME_ROLE)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            popup_of(completer).setAccessibleName("Existing people")
            editor.setCompleter(completer)
            editor.textEdited.connect(lambda text: self._suggest(editor, completer, model, text))
            on_index_picked(
                completer, lambda idx: self._picked.__setitem__(editor, int(idx.data(PID_ROLE)))
            )
            editor.destroyed.connect(lambda *_: self._picked.pop(editor, None))
        editor.installEventFilter(self)
        return editor

    def _suggest(
        self, editor: QLineEdit, completer: QCompleter, model: QStandardItemModel, text: str
    ) -> None:
        self._picked.pop(editor, None)
        model.clear()
        if len(text.strip()) < 2:
            popup_of(completer).hide()
            return
        for r in suggest_people(self.store, text):
            label = r["display_name"] + (f" — {r['org']}" if r["org"] else "")
            item = QStandardItem(label)
            item.setData(r["display_name"], NAME_ROLE)
            item.setData(int(r["id"]), PID_ROLE)
            # The face helps tell two people of the same name apart after a meeting.
            face = avatar(r["display_name"], self.store.people.photo(int(r["id"])), 24)
            item.setData(face, Qt.ItemDataRole.DecorationRole)
            model.appendRow(item)
        if model.rowCount():
            completer.complete()
        else:
            popup_of(completer).hide()

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if not isinstance(editor, QLineEdit):
            return
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        pid = self._picked.pop(editor, None)
        if index.column() == COL_NAME and pid is not None and isinstance(model, CaptureGridModel):
            model.link_person(index.row(), pid)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            isinstance(obj, QLineEdit)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            completer = obj.completer()
            if completer is not None and popup_of(completer).isVisible():
                return False
            self.commitData.emit(obj)
            self.closeEditor.emit(obj, QAbstractItemDelegate.EndEditHint.NoHint)
            self.view.next_row()
            return True
        return super().eventFilter(obj, event)


class CaptureGrid(QTableView):
    """The capture table: typing starts editing; Enter on a closed cell goes to the next row."""

    def next_row(self) -> None:
        model = self.model()
        row = self.currentIndex().row() + 1
        if row >= model.rowCount():
            row = model.rowCount() - 1
        index = model.index(row, COL_NAME)
        self.setCurrentIndex(index)
        self.edit(index)

    def commit_open_editor(self) -> None:
        editor = self.indexWidget(self.currentIndex())
        if editor is not None:
            self.commitData(editor)

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != (
            QAbstractItemView.State.EditingState
        ):
            self.next_row()
            return
        super().keyPressEvent(event)

    def hideEvent(self, event: Any) -> None:
        # An editor left open (its completer's popup showing, say) is committed and closed
        # with the page: a popup outliving its window took the next window's keys.
        editor = self.indexWidget(self.currentIndex())
        if editor is not None:
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        super().hideEvent(event)

    def focusInEvent(self, event: Any) -> None:
        if not self.currentIndex().isValid() and self.model() is not None:
            self.setCurrentIndex(self.model().index(0, COL_NAME))
        super().focusInEvent(event)


class CapturePage(QWidget):
    # A save ends with one of these: the capture id (its Change is on the undo stack), or
    # one line saying why nothing was saved.
    saved = Signal(int)
    save_failed = Signal(str)

    def __init__(self, ctx: AppContext, today: date | None = None) -> None:
        super().__init__()
        self.worker = EngineWorker(ctx.store, self)
        self.saving: BackgroundWrite | None = None
        self.setObjectName("page-capture")
        self.setAccessibleName("Capture after the meeting")
        self.ctx = ctx
        self.store = ctx.store
        self.today = today or date.today()

        title = QLabel("<h2>After the meeting</h2>")
        intro = QLabel(
            "Pick the meeting, then one row per person. <b>Enter</b> next row · <b>Tab</b> next "
            "field · <b>Alt+V</b> gave value · <b>Alt+K</b> they asked for… · <b>Alt+U</b> follow "
            "up · <b>Alt+L</b> it's the person flagged · <b>Ctrl+S</b> save"
        )
        intro.setWordWrap(True)
        form = self._build_meeting_form()
        self._build_grid()
        buttons = self._build_buttons()
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.grid, 1)
        lay.addLayout(buttons)
        self._wire()
        self.reload_meetings()
        self._restore_draft()
        self._set_tab_order()

    def _build_meeting_form(self) -> QFormLayout:
        """Pick a meeting, or name a new one: group, name, date, venue."""
        self.meeting_box = QComboBox()
        self.meeting_box.setAccessibleName("Meeting")
        self.group_box = QComboBox()
        self.group_box.setEditable(True)
        self.group_box.setAccessibleName("Group")
        group_line = self.group_box.lineEdit()
        assert group_line is not None
        group_line.setPlaceholderText("e.g. BNI North (optional)")
        self.name_edit = QLineEdit(placeholderText="Meeting name (default: the group's name)")
        self.name_edit.setAccessibleName("Meeting name")
        self.date_edit = DateField(self.today)
        self.date_edit.setAccessibleName("Meeting date")
        self.venue_edit = QLineEdit(placeholderText="Venue (optional)")
        self.venue_edit.setAccessibleName("Venue")
        form = QFormLayout()
        form.addRow("&Meeting", self.meeting_box)
        new_row = QHBoxLayout()
        new_row.addWidget(self.group_box, 2)
        new_row.addWidget(self.name_edit, 2)
        new_row.addWidget(self.date_edit, 1)
        new_row.addWidget(self.venue_edit, 2)
        self.new_label = QLabel("&New meeting")
        self.new_label.setBuddy(self.group_box)
        form.addRow(self.new_label, new_row)
        return form

    def _build_grid(self) -> None:
        """The grid of people met (self.grid), one row per person, typed like a spreadsheet."""
        self.model = CaptureGridModel(self.store, self)
        self.grid = CaptureGrid()
        self.grid.setAccessibleName("People met")
        self.grid.setModel(self.model)
        self.grid.setItemDelegate(CellDelegate(self.grid, self.store))
        self.grid.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setTabKeyNavigation(True)
        compact(self.grid, (135, 125, 160, 140, 80, 120, 76, 70), rows=False)

    def _build_buttons(self) -> QHBoxLayout:
        """The status line, Clear rows and Save capture."""
        self.status = QLabel("")
        self.status.setAccessibleName("Capture status")
        self.status.setWordWrap(True)
        self.save_button = QPushButton("&Save capture")
        self.save_button.setToolTip("Save every row in one go (Ctrl+S)")
        self.save_button.setAccessibleName("Save capture")
        self.clear_button = QPushButton("Clear rows")
        self.clear_button.setAccessibleName("Clear rows")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Saving the capture")
        self.progress.setFormat("Saving %v of %m")
        wide = self.progress.fontMetrics().horizontalAdvance("Saving 20,000 of 20,000")
        self.progress.setMinimumWidth(wide + 40)  # the text stays on one line, inside the bar
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop saving: nothing of this capture is saved (Esc)")
        self.cancel_button.setAccessibleName("Cancel saving")
        self.cancel_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.progress)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        return buttons

    def _wire(self) -> None:
        """Buttons, the meeting picker, shortcuts, the draft timer and store changes."""
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self.clear)
        self.cancel_button.clicked.connect(self.cancel_save)
        self.meeting_box.currentIndexChanged.connect(self._meeting_changed)
        self.date_edit.dateChanged.connect(self._date_changed)
        self._add_shortcuts()
        self._draft_timer = QTimer(self, singleShot=True, interval=400)
        self._draft_timer.timeout.connect(self._save_draft)
        self.model.dataChanged.connect(lambda *_: self._draft_timer.start())
        self.model.rowsInserted.connect(lambda *_: self._draft_timer.start())
        self.ctx.signals.changed.connect(self._on_changed)
        self._saved: tuple[int, str] | None = None  # (undo index after the save, what it did)
        self.ctx.undo.indexChanged.connect(self._undo_moved)

    def _add_shortcuts(self) -> None:
        """Ctrl+S and the Alt keys of the intro line, anywhere on the page."""
        for seq, handler in (
            ("Ctrl+S", self.save),
            ("Alt+V", lambda: self._toggle("gave_value")),
            ("Alt+U", lambda: self._toggle("follow_up")),
            ("Alt+K", self._edit_asked),
            ("Alt+L", self._link_duplicate),
        ):
            sc = QShortcut(QKeySequence(seq), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(handler)
        # Esc cancels a running save; otherwise it is the cell editor's (it is off then).
        self._esc = QShortcut(QKeySequence("Esc"), self)
        self._esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._esc.activated.connect(self.cancel_save)
        self._esc.setEnabled(False)

    def _set_tab_order(self) -> None:
        """Meeting, the new meeting's fields, then the grid."""
        self.setTabOrder(self.meeting_box, self.group_box)
        self.setTabOrder(self.group_box, self.name_edit)
        self.setTabOrder(self.name_edit, self.date_edit)
        self.setTabOrder(self.date_edit, self.venue_edit)
        self.setTabOrder(self.venue_edit, self.grid)

    # -- meeting ---------------------------------------------------------------------------

    def reload_meetings(self) -> None:
        current = self.meeting_box.currentData()
        self.meeting_box.blockSignals(True)
        self.meeting_box.clear()
        self.meeting_box.addItem("New meeting…", None)
        for r in self.store.meetings.recent(40):
            label = f"{r['date']} · {r['name']}" + (
                f" ({r['grp']})" if r["grp"] and r["grp"] != r["name"] else ""
            )
            self.meeting_box.addItem(label, r["id"])
        if current is not None:
            found = self.meeting_box.findData(current)
            self.meeting_box.setCurrentIndex(max(found, 0))
        self.meeting_box.blockSignals(False)
        text = self.group_box.currentText()
        self.group_box.clear()
        self.group_box.addItems([g.name for g in self.store.groups.all()])
        self.group_box.setEditText(text)
        self._meeting_changed()

    def _meeting_changed(self, *_: object) -> None:
        self._meeting_fields_enabled(self.meeting_box.currentData() is None)

    def _meeting_fields_enabled(self, on: bool) -> None:
        for w in (self.group_box, self.name_edit, self.date_edit, self.venue_edit, self.new_label):
            w.setEnabled(on)

    def _date_changed(self, day: date | None) -> None:
        """A new meeting dated ahead is said to be planned before anyone types a name."""
        if day is not None and day > date.today():
            self.status.setText(
                f"{day.isoformat()} is ahead of today: a planned meeting. Capture the people "
                "you met once it has happened (plan it on the Meetings page)."
            )
        elif self.status.text().endswith("(plan it on the Meetings page)."):
            self.status.setText("")

    def select_meeting(self, meeting_id: int) -> None:
        self.meeting_box.setCurrentIndex(max(self.meeting_box.findData(meeting_id), 0))

    def meeting(self) -> CaptureMeeting | int:
        mid = self.meeting_box.currentData()
        if mid is not None:
            return int(mid)
        return CaptureMeeting(
            name=self.name_edit.text(),
            date=self.date_edit.iso(),
            group=self.group_box.currentText(),
            venue=self.venue_edit.text(),
        )

    # -- row marks -----------------------------------------------------------------------------

    def _row(self) -> int:
        return self.grid.currentIndex().row() if self.grid.currentIndex().isValid() else 0

    def _toggle(self, attr: str) -> None:
        self.grid.commit_open_editor()
        self.model.toggle(self._row(), attr)

    def _edit_asked(self) -> None:
        self.grid.commit_open_editor()
        index = self.model.index(self._row(), COL_ASKED)
        self.grid.setCurrentIndex(index)
        self.grid.edit(index)

    def _link_duplicate(self) -> None:
        self.grid.commit_open_editor()
        n = self._row()
        dups = self.model.duplicates(n)
        if dups:
            self.model.link_person(n, dups[0].person_id)
            self.status.setText(f"Row {n + 1} is {dups[0].display_name}: a repeat contact.")

    # -- save ------------------------------------------------------------------------------------

    def save(self) -> BackgroundWrite | None:
        """Start saving the grid as one capture, on the worker thread. Returns the running save
        (``saved`` or ``save_failed`` follows), or None when nothing was started (the status
        line, or a question answered No, says why)."""
        if self.saving is not None:
            return None
        self.grid.commit_open_editor()
        rows = self.model.rows()
        if not rows:
            self.status.setText("Nothing to save yet: type at least one name.")
            return None
        if self._show_first_problem() or not self._duplicates_confirmed():
            return None
        store, meeting = self.store, self.meeting()
        try:
            check_meeting(store, meeting)
        except NetappError as exc:
            self._not_saved(str(exc))
            return None
        job = perform_in_background(
            self.ctx.undo,
            store,
            self.worker,
            lambda own, cancel, progress: save_capture(own, meeting, rows, progress, cancel),
            lambda cid: capture_saved(store, meeting, rows, int(cid)),
            self.status.setText,
        )
        job.progress.connect(self._progress)
        job.finished.connect(lambda cid: self._saved_as(int(cid), rows))
        job.failed.connect(self._save_stopped)
        self._set_saving(job)
        self.status.setText(f"Saving {people_count(len(rows))}… (Esc cancels)")
        return job

    def _duplicates_confirmed(self) -> bool:
        """Ask before saving rows flagged as possible duplicates; the safe answer is No."""
        flagged = [n + 1 for n in range(self.model.rowCount()) if self.model.duplicates(n)]
        if not flagged:
            return True
        No, Yes = QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes
        answer = QMessageBox.question(
            self,
            "Possible duplicates",
            f"Rows {', '.join(map(str, flagged))} look like people you already have "
            "(see the Match column). Save them as new people anyway?\n\n"
            "Choose No, then Alt+L on a row, to record a repeat contact instead.",
            Yes | No,
            No,  # the safe answer: a stray Enter saves no duplicate
        )
        return answer == Yes

    def _set_saving(self, job: BackgroundWrite | None) -> None:
        """While a save runs, the rows and the meeting stay as they are being saved."""
        self.saving = job
        busy = job is not None
        for w in (self.grid, self.save_button, self.clear_button, self.meeting_box):
            w.setEnabled(not busy)
        if busy:
            self._meeting_fields_enabled(False)
            self.progress.setRange(0, 0)  # busy until the first progress report
        else:
            self._meeting_changed()
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self._esc.setEnabled(busy)
        if busy:
            self.cancel_button.setFocus()  # the grid is off: focus must not get lost

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def cancel_save(self) -> None:
        """Esc or Cancel while saving: the save rolls back; the rows stay to save again."""
        if self.saving is not None:
            self.status.setText("Cancelling…")
            self.saving.cancel()

    def _save_stopped(self, message: str) -> None:
        self._set_saving(None)
        if message == "cancelled":
            self.status.setText("Save cancelled: nothing was saved. The rows are still here.")
        else:
            self._not_saved(message)
        self._to_first_empty_row()
        self.save_failed.emit(message)

    def _not_saved(self, message: str) -> None:
        self.status.setText(f"Not saved: {message}")
        QMessageBox.warning(self, "Capture not saved", message)

    def _saved_as(self, cid: int, rows: list[CaptureRow]) -> None:
        """The save committed and is on the undo stack: say what it did, ready the next."""
        self._set_saving(None)
        new = sum(1 for r in rows if r.person_id is None)
        saved = f"Saved {people_count(len(rows))} ({new} new, {len(rows) - new} repeat contacts)"
        self._saved = (self.ctx.undo.index(), saved)
        self.status.setText(f"{saved}. Ctrl+Z undoes the whole capture.")
        self.model.clear()
        self.store.drafts.clear(DRAFT_KEY)
        self._draft_timer.stop()
        self.reload_meetings()
        mid = capture_summary(self.store, cid)["meeting_id"]
        if mid is not None:
            self.select_meeting(int(mid))
        self._to_first_empty_row()
        self.saved.emit(cid)

    def _to_first_empty_row(self) -> None:
        """Put the cursor in the name cell of the first empty row, ready for the next name."""
        rows = self.model.rows()
        self.grid.setCurrentIndex(self.model.index(len(rows), 0))
        self.grid.setFocus(Qt.FocusReason.OtherFocusReason)

    def _undo_moved(self, index: int) -> None:
        """The status line follows Undo and Redo of the last capture saved here."""
        if self._saved is None:
            return
        at, saved = self._saved
        if index < at:
            self.status.setText(f"Capture undone: {saved[6:]} taken back. Ctrl+Shift+Z redoes it.")
        elif index == at:
            self.status.setText(f"{saved}. Ctrl+Z undoes the whole capture.")
        else:
            self._saved = None  # something else was done since: the line no longer follows

    def _show_first_problem(self) -> bool:
        """Put the cursor on the first row the core would refuse and say why; False if none."""
        for n in range(self.model.rowCount()):
            problem = self.model.problem(n)
            if problem:
                field = problem.split(":", 1)[0].lower()
                col = COL_CONTACT if field in {"email", "phone", "email or phone"} else 0
                self.grid.setCurrentIndex(self.model.index(n, col))
                self.grid.setFocus(Qt.FocusReason.OtherFocusReason)
                self.status.setText(f"Not saved: row {n + 1}: {problem}.")
                return True
        return False

    def unsaved_changes(self) -> str:
        """A line for the close prompt when rows are typed but not saved ('' when none)."""
        self.grid.commit_open_editor()
        n = len(self.model.rows())
        return f"{people_count(n)} typed in Capture" if n else ""

    def save_unsaved(self) -> bool:
        """Save the typed rows (for the close prompt) and wait for the save, the window still
        drawing its progress; False if they could not be saved (or the save was cancelled)."""
        if not self.model.rows() and self.saving is None:
            return True
        job = self.saving or self.save()
        if job is not None:
            outcome: list[bool] = []
            loop = QEventLoop()

            def ended(ok: bool) -> None:
                outcome.append(ok)
                loop.quit()

            job.finished.connect(lambda *_: ended(True))
            job.failed.connect(lambda *_: ended(False))
            if self.saving is not None:
                loop.exec()
            if outcome == [True]:
                return True
        if self.ctx.navigate is not None:
            self.ctx.navigate("capture")
        return False

    def clear(self) -> None:
        if self.model.rows():
            answer = QMessageBox.question(self, "Clear rows", "Clear every row typed so far?")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.model.clear()
        self.store.drafts.clear(DRAFT_KEY)

    # -- drafts --------------------------------------------------------------------------------

    def _save_draft(self) -> None:
        rows = self.model.rows()
        try:
            if rows:
                self.store.drafts.save(DRAFT_KEY, [r.to_json() for r in rows])
            else:
                self.store.drafts.clear(DRAFT_KEY)
        except NetappError as exc:  # a locked database must not lose the typing
            self.status.setText(f"Draft not saved yet: {exc}")

    def hideEvent(self, event: Any) -> None:
        # Leaving the page (or closing the window) writes a pending draft at once.
        if self._draft_timer.isActive():
            self._draft_timer.stop()
            self._save_draft()
        super().hideEvent(event)

    def _restore_draft(self) -> None:
        data = self.store.drafts.load(DRAFT_KEY)
        if isinstance(data, list) and data:
            self.model.load([CaptureRow.from_json(d) for d in data])
            self.status.setText(f"Restored {len(self.model.rows())} unsaved rows from last time.")

    def _on_changed(self, topic: str, _ids: object) -> None:
        if topic in {Topic.MEETINGS, Topic.CAPTURES}:
            self.reload_meetings()

    def start(self) -> None:
        """Put the cursor where a user starts: the group of a new meeting, else the grid."""
        if self.meeting_box.currentData() is None:
            self.group_box.setFocus()
        else:
            self.grid.setFocus()


def build(ctx: AppContext) -> QWidget:
    return CapturePage(ctx)
