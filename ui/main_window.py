"""The main window: lays out the sidebar and pages, registers actions, wires signals. Nothing else."""

from __future__ import annotations

import importlib
from functools import partial

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from netapp import __version__
from netapp.store import Store
from ui.actions import ActionRegistry
from ui.context import AppContext
from ui.pages import ACTION_PROVIDERS, PAGES, PageSpec
from ui.signals import StoreSignals


class MainWindow(QMainWindow):
    def __init__(self, store: Store, ui_state: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle(f"netapp — {store.path.name}")
        self.setObjectName("main-window")
        self.store = store
        self.ui_state = ui_state
        self.signals = StoreSignals(store, self)
        self.undo_stack = QUndoStack(self)
        self.registry = ActionRegistry(self)
        self.ctx = AppContext(store, self.signals, self.registry, self.undo_stack, self.show_page)

        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName("Sections")
        self.sidebar.setFixedWidth(170)
        self.stack = QStackedWidget()
        self._pages: dict[str, QWidget] = {}
        self._specs: dict[str, PageSpec] = {}
        for spec in PAGES:
            item = QListWidgetItem(spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(
                f"{spec.title} ({QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
            )
            self.sidebar.addItem(item)
            self._specs[spec.key] = spec
        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.sidebar)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(QLabel(f"netapp {__version__}"))

        self._register_actions()
        self.sidebar.currentRowChanged.connect(lambda row: self.show_page(PAGES[row].key))
        self.show_page(PAGES[0].key)
        self._restore_state()

    def _register_actions(self) -> None:
        a = self.registry
        for spec in PAGES:
            self.addAction(
                a.register(
                    f"page.{spec.key}",
                    spec.title,
                    partial(self.show_page, spec.key),
                    spec.shortcut,
                    f"Go to {spec.title}",
                )
            )
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.addAction(undo)
        self.addAction(redo)
        self.addAction(a.register("app.quit", "&Quit", self.close, QKeySequence.StandardKey.Quit))
        menu = self.menuBar().addMenu("&File")
        menu.addAction(a["app.quit"])
        edit = self.menuBar().addMenu("&Edit")
        edit.addAction(undo)
        edit.addAction(redo)
        go = self.menuBar().addMenu("&Go")
        for spec in PAGES:
            go.addAction(a[f"page.{spec.key}"])
        self._menus = {"&File": menu, "&Edit": edit, "&Go": go}
        for provider in ACTION_PROVIDERS:
            module, func = provider.split(":")
            getattr(importlib.import_module(module), func)(self.ctx, self)

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

    def show_page(self, key: str) -> QWidget:
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        row = [s.key for s in PAGES].index(key)
        if self.sidebar.currentRow() != row:
            self.sidebar.blockSignals(True)
            self.sidebar.setCurrentRow(row)
            self.sidebar.blockSignals(False)
        return widget

    def show_capture(self) -> QWidget:
        """Open the quick capture after a meeting, with the cursor where typing starts."""
        widget = self.show_page("capture")
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

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ui_state is not None:
            self.ui_state.setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)
