"""The main window: lays out the sidebar and pages, registers actions, wires signals. Nothing else."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QKeySequence,
    QStandardItemModel,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from netapp import __version__
from ui.actions import ActionRegistry
from ui.pages import ACTION_PROVIDERS, PAGES, PageSpec, today_words
from ui.widgets.tables import on_index_picked, popup_of

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex, QSettings

    from netapp.store import Store
    from ui.context import ReopenJob
    from ui.notify import ReminderService
    from ui.sync import SyncService


class MainWindow(QMainWindow):
    """``confirm_close`` asks before closing over unsaved edits (the app sets it; a window
    built for a test or a screenshot closes silently). ``can_reopen`` lets Settings ask the
    app to reopen the database, which the app's run loop then does (see ui.app).

    Built in two steps, so that the app's first start paints before netapp's core is imported
    (issue 20): the frame (sidebar, menus, search bar, status bar and the Today page's heading
    over "Working out your agenda…") needs Qt only; :meth:`attach` then imports the core,
    wires the store and builds the pages. ``MainWindow(store)`` does both at once; the app
    builds ``MainWindow(None, title=…)``, shows it, opens the database and attaches it.
    """

    def __init__(
        self,
        store: Store | None,
        ui_state: QSettings | None = None,
        *,
        confirm_close: bool = False,
        can_reopen: bool = False,
        today: Callable[[], date] = date.today,
        title: str = "",
    ) -> None:
        super().__init__()
        self.confirm_close = confirm_close
        self.can_reopen = can_reopen
        self.today = today
        self.reopen_job: ReopenJob | None = None
        self.attached = False
        # The system adds the application's display name ("… — netapp") itself.
        self.setWindowTitle(store.path.name if store is not None else title)
        self.setObjectName("main-window")
        self.ui_state = ui_state
        self._menus: dict[str, QMenu] = {}
        for name in ("&File", "&Edit", "&Go", "&Help"):  # the menu bar's order, filled later
            self.menu(name)
        self._build_body()
        self._build_search()
        self._restore_state()
        if store is not None:
            self.attach(store)

    def attach(self, store: Store) -> None:
        """Wire the window to the opened ``store``: services, actions, search, the pages."""
        from ui.commands import UndoRunner
        from ui.context import AppContext
        from ui.signals import StoreSignals
        from ui.status import StatusRefresher
        from ui.widgets.undo_progress import UndoProgress
        from ui.workers import EngineWorker

        self.setWindowTitle(store.path.name)
        self.store = store
        self.signals = StoreSignals(store, self)
        # Connected before any page, so pages read fresh stage/trust/next step on a change.
        self.status_refresher = StatusRefresher(store, self.signals, self.today)
        self.status_refresher.refresh_all()
        self.undo_stack = QUndoStack(self)
        # Undo and Redo; a heavy one runs on its own worker, behind a progress dialog.
        self.undo_runner = UndoRunner(self.undo_stack, store, EngineWorker(store, self))
        UndoProgress(self.undo_runner, self)
        self.registry = ActionRegistry(self)
        self.sync = self._build_sync()
        self.reminders = self._build_reminders()
        self.ctx = AppContext(
            store,
            self.signals,
            self.registry,
            self.undo_stack,
            self.show_page,
            self.request_reopen if self.can_reopen else None,
            self.sync,
            self.today,
        )
        from PySide6.QtCore import Qt  # its 93 enum classes cost more than a frame's paint

        for row, spec in enumerate(PAGES):
            self.sidebar.item(row).setData(Qt.ItemDataRole.UserRole, spec.key)
        self._wire_search()
        self._register_actions()
        self.sidebar.currentRowChanged.connect(lambda row: self.open_page(PAGES[row].key))
        self.attached = True
        self.show_page(PAGES[0].key)
        self.stack.removeWidget(self._frame_page)
        self._frame_page.deleteLater()

    def _build_body(self) -> None:
        """The sidebar of pages beside the stack that shows them, and the status bar."""
        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName("Sections")
        self.sidebar.setFixedWidth(130)
        self.stack = QStackedWidget()
        self._pages: dict[str, QWidget] = {}
        self._specs: dict[str, PageSpec] = {}
        for spec in PAGES:
            item = QListWidgetItem(spec.title)
            item.setToolTip(
                f"{spec.title} ({QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
            )
            self.sidebar.addItem(item)
            self._specs[spec.key] = spec
        self.sidebar.setCurrentRow(0)
        self._frame_page = self._build_frame_page()
        self.stack.addWidget(self._frame_page)
        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.sidebar)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(QLabel(f"netapp {__version__}"))

    def _build_frame_page(self) -> QWidget:
        """What the first page shows until the database is open and the page is built: the
        Today page's heading over the line it shows while the agenda is worked out."""
        page = QWidget()
        page.setObjectName("page-frame")
        heading = QLabel(today_words.heading(self.today()))
        summary = QLabel(today_words.WORKING)
        summary.setAccessibleName("Agenda summary")
        lay = QVBoxLayout(page)
        lay.addWidget(heading)
        lay.addWidget(summary)
        lay.addStretch(1)
        return page

    def _build_reminders(self) -> ReminderService:
        """Desktop notifications, only in the real app's window (tests and screenshots pass no
        ui_state): the day's reminders at the time set in Settings."""
        from ui.notify import ReminderService, desktop_notifier

        notifier = desktop_notifier(self) if self.ui_state is not None else None
        service = ReminderService(self.store, notifier, state=self.ui_state, parent=self)
        if notifier is not None:
            QTimer.singleShot(10_000, service.check)  # a start after the set time
        return service

    def _build_sync(self) -> SyncService:
        """Sync (CardDAV) for this window; its outcome goes to the status bar."""
        from ui.sync import SyncService

        service = SyncService(self.store, self.signals, self)
        service.finished.connect(self._sync_finished)
        service.failed.connect(self._sync_failed)
        return service

    def _sync_finished(self, kind: str, result: object) -> None:
        if kind == "sync" and hasattr(result, "line"):
            self.statusBar().showMessage(f"Sync: {result.line()}", 15_000)

    def _sync_failed(self, kind: str, result: object) -> None:
        from ui.sync import Problem

        if kind == "sync" and isinstance(result, Problem):
            self.statusBar().showMessage(f"Sync: {result.text()}", 30_000)

    def _register_actions(self) -> None:
        a = self.registry
        for spec in PAGES:
            self.addAction(
                a.register(
                    f"page.{spec.key}",
                    spec.title,
                    partial(self.open_page, spec.key),
                    spec.shortcut,
                    f"Go to {spec.title}",
                )
            )
        undo, redo = self.undo_runner.undo_action, self.undo_runner.redo_action
        self.addAction(undo)
        self.addAction(redo)
        self.addAction(a.register("app.quit", "&Quit", self.close, "Ctrl+Q"))
        self.addAction(
            a.register("app.search", "&Search everything…", self.focus_search, "Ctrl+K", "Search")
        )
        # Ctrl+F too, as people expect; a second shortcut on the same action.
        a["app.search"].setShortcuts([QKeySequence("Ctrl+K"), QKeySequence("Ctrl+F")])
        menu = self.menu("&File")
        menu.addAction(a["app.quit"])
        edit = self.menu("&Edit")
        edit.addAction(undo)
        edit.addAction(redo)
        edit.addSeparator()
        edit.addAction(a["app.search"])
        go = self.menu("&Go")
        for spec in PAGES:
            go.addAction(a[f"page.{spec.key}"])
        for provider in ACTION_PROVIDERS:
            module, func = provider.split(":")
            getattr(importlib.import_module(module), func)(self.ctx, self)
        keys = a.register(
            "help.keys",
            "&Keyboard shortcuts",
            self.show_keys,
            "F1",
            "Every action and its keys",
        )
        self.addAction(keys)
        self.menu("&Help").addAction(keys)

    def show_keys(self) -> QWidget:
        """Help ▸ Keyboard shortcuts: every action of the registry with its keys."""
        from ui.dialogs.keys_dialog import KeysDialog

        dlg = KeysDialog(self.registry.keys(), self)
        dlg.show()
        return dlg

    # -- global search ---------------------------------------------------------------------

    def _build_search(self) -> None:
        self.search_box = QLineEdit(
            placeholderText="Search everything (Ctrl+K): people, meetings, notes…"
        )
        self.search_box.setAccessibleName("Search everything")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMaximumWidth(420)
        self._found = QStandardItemModel(self)
        completer = QCompleter(self._found, self.search_box)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        popup_of(completer).setAccessibleName("Found")
        self.search_box.setCompleter(completer)
        bar = QToolBar("Search")
        bar.setObjectName("search-bar")
        bar.setMovable(False)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addWidget(self.search_box)
        self.addToolBar(bar)  # at the top

    def _wire_search(self) -> None:
        self.search_box.textEdited.connect(self._search_as_you_type)
        on_index_picked(self.search_box.completer(), self._jump_to_index)
        self.search_box.returnPressed.connect(self._jump_to_first)

    def focus_search(self) -> None:
        from PySide6.QtCore import Qt

        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _search_as_you_type(self, text: str) -> None:
        from ui.widgets.found_everywhere import fill_everything

        if fill_everything(self._found, self.store, text):
            self.search_box.completer().complete()

    def _jump_to_index(self, index: QModelIndex) -> None:
        from ui.widgets.found_everywhere import ID_ROLE, KIND_ROLE
        from ui.widgets.people_found import PID_ROLE

        kind = index.data(KIND_ROLE)
        if kind:
            self.open_found(str(kind), int(index.data(ID_ROLE)), index.data(PID_ROLE))

    def _jump_to_first(self) -> None:
        if popup_of(self.search_box.completer()).isVisible():
            return
        from ui.widgets.found_everywhere import fill_everything, first_result

        fill_everything(self._found, self.store, self.search_box.text())
        row = first_result(self._found)
        if row >= 0:
            self._jump_to_index(self._found.index(row, 0))

    def open_found(self, kind: str, record_id: int, person_id: int | None = None) -> QWidget:
        """Open the page that shows a search result, at its row."""
        from netapp.domain import SearchKind

        pages = {
            SearchKind.MEETING: ("meetings", "select_meeting"),
            SearchKind.GROUP: ("meetings", "select_group"),
            SearchKind.REFERRAL: ("referrals", "select_referral"),
            SearchKind.LIBRARY: ("library", "select"),
        }
        found = SearchKind(kind)
        if found in pages:
            key, method = pages[found]
            page = self.show_page(key)
            select = getattr(page, method, None)
            if callable(select):
                select(record_id)
            self.search_box.clear()
            return page
        pid = record_id if found is SearchKind.PERSON else int(person_id or 0)
        self.jump_to_person(pid)
        page = self.page("people")
        timeline = getattr(page, "select_timeline_row", None)
        if found in (SearchKind.NOTE, SearchKind.INTERACTION) and callable(timeline):
            timeline(("n" if found is SearchKind.NOTE else "i") + str(record_id))
        return page

    def jump_to_person(self, person_id: int) -> None:
        """Show the People page with ``person_id`` selected and their details open."""
        page = self.show_page("people")
        select = getattr(page, "select_person", None)
        if callable(select):
            select(person_id)
        self.search_box.clear()

    def menu(self, title: str) -> QMenu:
        """The menu called ``title`` (for example "&File"), created on first use."""
        if title not in self._menus:
            self._menus[title] = self.menuBar().addMenu(title)
        return self._menus[title]

    def page(self, key: str) -> QWidget:
        """The page widget for ``key``, built on first use."""
        if key not in self._pages:
            widget = self._specs[key].build(self.ctx)
            self._pages[key] = widget
            self.stack.addWidget(widget)
        return self._pages[key]

    def is_busy(self) -> bool:
        """True while the status refresher or a page still computes off the GUI thread."""
        if not self.attached:
            return True  # the database is still being opened
        pages = (getattr(p, "is_busy", None) for p in self._pages.values())
        busy = self.status_refresher.is_busy() or self.reminders.is_busy()
        return busy or any(callable(b) and b() for b in pages)

    def show_page(self, key: str) -> QWidget:
        # The page's build and first paint come before the pool threads' engine work (see
        # GuiFirst): held now, let go two turns of the event loop later, once it has painted.
        from ui.workers import GUI_FIRST

        GUI_FIRST.hold()
        QTimer.singleShot(0, lambda: QTimer.singleShot(0, GUI_FIRST.release))
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        row = [s.key for s in PAGES].index(key)
        if self.sidebar.currentRow() != row:
            self.sidebar.blockSignals(True)
            self.sidebar.setCurrentRow(row)
            self.sidebar.blockSignals(False)
        return widget

    def open_page(self, key: str) -> QWidget:
        """Show a page as the user asked for it (shortcut, menu, sidebar): a page with a
        ``start()`` puts the cursor where typing starts (Capture: the group or the grid)."""
        widget = self.show_page(key)
        start = getattr(widget, "start", None)
        if callable(start):
            start()
        return widget

    def _restore_state(self) -> None:
        if self.ui_state is None:
            self.resize(1280, 800)
            return
        geometry = self.ui_state.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def unsaved_changes(self) -> list[str]:
        """What the pages hold that is not saved yet, one line each (empty when nothing)."""
        out: list[str] = []
        for page in self._pages.values():
            describe = getattr(page, "unsaved_changes", None)
            if callable(describe) and (text := describe()):
                out.append(str(text))
        return out

    def _may_close(self) -> bool:
        unsaved = self.unsaved_changes() if self.confirm_close else []
        if not unsaved:
            return True
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Unsaved edits",
            "Not saved yet:\n\n• " + "\n• ".join(unsaved) + "\n\nSave them before closing? "
            "(If you close without saving, they wait as a draft for next time.)",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Close
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            for page in self._pages.values():
                save = getattr(page, "save_unsaved", None)
                if callable(save) and not save():
                    return False  # the page said why; the window stays open
        return True

    def request_reopen(self, job: ReopenJob) -> bool:
        """Close the window so the app can run ``job`` on the closed database and reopen it."""
        self.reopen_job = job
        if not self.close():
            self.reopen_job = None
            return False
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.attached and not self._may_stop():
            event.ignore()
            return
        if self.ui_state is not None:
            self.ui_state.setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)

    def _may_stop(self) -> bool:
        """Whether the window may close now (asking about unsaved edits); if so, its workers
        are stopped, so that no job keeps the database open after the window is gone."""
        if self.undo_runner.busy():  # it must commit or roll back before the store closes
            self.statusBar().showMessage(
                "Not closed: an undo or redo is still running. Wait for it, or press Esc "
                "to cancel it, then close."
            )
            return False
        if not self._may_close():
            return False
        from ui.workers import EngineWorker

        for worker in self.findChildren(EngineWorker):
            worker.stop()
        return True
