"""The Referrals page: referrals given and received, their status flow, and closing the loop.

The rules (transitions, won value, counting once, agreement) live in ``netapp.referrals``;
this page only shows the list and asks for input.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from netapp import referrals
from netapp.domain import ReferralStatus, Topic
from netapp.errors import NetappError
from ui.actions import with_keys
from ui.commands import perform
from ui.context import AppContext
from ui.dialogs.referral import ReferralDialog, WonDialog
from ui.models.referrals_table import FILTERS, ReferralsModel
from ui.workers import CANCELLED, EngineWorker


class ReferralsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("page-referrals")
        self.ctx = ctx
        self.as_of: date | None = None
        self.model = ReferralsModel(ctx.store, self)
        # As of today before the table's first query (sorting on), which is then the only one
        self.model.as_of = date.today()
        bar = self._build_bar()
        loop = self._build_loop()
        self._build_table()
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("<h2>Referrals</h2>"))
        lay.addLayout(loop)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        self._wire()
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.refresh)
        # "Close the loop" reads every referral given (about 50 ms at 100,000 people): on a
        # worker, so that the page paints at once and the line follows (issue 20).
        self._loop_worker = EngineWorker(ctx.store, self)
        self._loop_worker.done.connect(self._loop_read)
        self._loop_worker.failed.connect(self._loop_failed)
        self._loop_job: int | None = None
        self.loop_label.setText("Checking the referrals you gave for news…")
        self.loop_button.setVisible(False)  # until there is something to show
        self._update_buttons()  # nothing selected yet: no status to change
        self._show_loop()

    def _build_bar(self) -> QHBoxLayout:
        """Show (the filter), New referral… and the status buttons."""
        self.filter = QComboBox()
        self.filter.setAccessibleName("Show")
        for key, text in FILTERS.items():
            self.filter.addItem(text, key)
        self.new_button = QPushButton("&New referral…")
        self.contacted_button = QPushButton("Mark &contacted")
        self.won_button = QPushButton("Mark &won…")
        self.lost_button = QPushButton("Mark &lost")
        for b, tip in (
            (self.new_button, "Record a referral given or received"),
            (self.contacted_button, "The prospect has been contacted"),
            (self.won_button, "The referral brought business: record its value"),
            (self.lost_button, "The referral came to nothing"),
        ):
            b.setToolTip(with_keys(tip, b.text()))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show"))
        bar.addWidget(self.filter)
        bar.addStretch(1)
        for b in (self.new_button, self.contacted_button, self.won_button, self.lost_button):
            bar.addWidget(b)
        return bar

    def _build_loop(self) -> QHBoxLayout:
        """The banner about referrals waiting to be closed, with Show them."""
        self.loop_label = QLabel()
        self.loop_label.setWordWrap(True)
        self.loop_label.setTextFormat(Qt.TextFormat.RichText)
        # Palette roles, not colours: a note's yellow in a light scheme, its dark shade in a
        # dark one, with the text colour that goes with it.
        self.loop_label.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.loop_label.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.loop_label.setAutoFillBackground(True)
        self.loop_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.loop_label.setMargin(6)
        self.loop_button = QPushButton("Show them")
        loop = QHBoxLayout()
        loop.addWidget(self.loop_label, 1)
        loop.addWidget(self.loop_button)
        return loop

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setAccessibleName("Referrals")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)  # one query, in the indicator's order
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((90, 80, 160, 160, 160, 90, 90, 120)):
            self.table.setColumnWidth(col, width)

    def _wire(self) -> None:
        self.filter.currentIndexChanged.connect(
            lambda _i: self.model.set_filter(str(self.filter.currentData()))
        )
        self.loop_button.clicked.connect(lambda: self.set_filter("loop"))
        self.new_button.clicked.connect(self.new_referral)
        self.contacted_button.clicked.connect(lambda: self.mark(ReferralStatus.CONTACTED))
        self.won_button.clicked.connect(lambda: self.mark(ReferralStatus.WON))
        self.lost_button.clicked.connect(lambda: self.mark(ReferralStatus.LOST))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self.ctx.signals.changed.connect(self._on_changed)

    def _error(self, text: str) -> None:
        QMessageBox.warning(self, "netapp", text)

    def set_filter(self, key: str) -> None:
        self.filter.setCurrentIndex(list(FILTERS).index(key))

    def refresh(self) -> None:
        today = self.as_of or date.today()
        self.model.as_of = today
        selected = self.selected_id()
        self.model.refresh()
        if selected is not None:
            self.select(selected)
        self._show_loop()

    def _show_loop(self) -> None:
        """Ask the worker for the "close the loop" line; the newest request wins."""
        today = self.model.as_of or date.today()
        if self._loop_job is not None:
            self._loop_worker.cancel(self._loop_job)  # superseded: its result is dropped
        self._loop_job = self._loop_worker.submit(
            lambda store, _cancel: referrals.closing_the_loop(store, today)
        )

    def is_busy(self) -> bool:
        """True while the "close the loop" line is still being worked out."""
        return self._loop_job is not None

    def _loop_failed(self, number: int, message: str) -> None:
        if number == self._loop_job:
            self._loop_job = None
            if message == CANCELLED:  # the window is closing: nothing to say
                return
            self.loop_label.setText(f"Could not check the referrals you gave: {message}")
            self.loop_button.setVisible(False)

    def _loop_read(self, number: int, quiet: object) -> None:
        """The "close the loop" line: referrals given with no news for a while."""
        if number != self._loop_job or not isinstance(quiet, list):
            return  # an older request, superseded
        self._loop_job = None
        if quiet:
            names = ", ".join(sorted({q.provider_name for q in quiet})[:3])
            more = "…" if len({q.provider_name for q in quiet}) > 3 else ""
            self.loop_label.setText(
                f"<b>Close the loop:</b> {len(quiet)} referral{'s' if len(quiet) != 1 else ''} "
                f"you gave {'have' if len(quiet) != 1 else 'has'} had no update in "
                f"{referrals.LOOP_DAYS} days. Ask {names}{more} how it went."
            )
        else:
            self.loop_label.setText(
                f"Every referral you gave has had news in the last {referrals.LOOP_DAYS} days."
            )
        self.loop_button.setVisible(bool(quiet))
        self._update_buttons()

    def _on_changed(self, topic: str, _ids: object) -> None:
        if topic in {Topic.REFERRALS, Topic.PEOPLE}:
            self._timer.start()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.id_at(rows[0].row()) if rows else None

    def select(self, rid: int) -> None:
        row = self.model.row_of(rid)
        if row >= 0:
            self.table.selectRow(row)

    def select_referral(self, rid: int) -> bool:
        """Show referral ``rid`` (search everywhere): every referral, then its row."""
        if self.model.row_of(rid) < 0 and self.filter.currentIndex() != 0:
            self.set_filter(next(iter(FILTERS)))
        while self.model.row_of(rid) < 0 and self.model.canFetchMore():
            self.model.fetchMore()
        self.select(rid)
        return self.model.row_of(rid) >= 0

    def _update_buttons(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        status = self.model.status_at(rows[0].row()) if rows else None
        allowed = referrals.TRANSITIONS[ReferralStatus(status)] if status else frozenset()
        self.contacted_button.setEnabled(ReferralStatus.CONTACTED in allowed)
        self.won_button.setEnabled(ReferralStatus.WON in allowed)
        self.lost_button.setEnabled(ReferralStatus.LOST in allowed)

    def new_referral(self) -> int | None:
        dialog = ReferralDialog(self.ctx.store, self, undo=self.ctx.undo, on_error=self._error)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        self.refresh()
        if dialog.referral_id is not None:
            self.select(dialog.referral_id)
        return dialog.referral_id

    def mark(self, status: ReferralStatus) -> bool:
        rid = self.selected_id()
        if rid is None:
            return False
        store = self.ctx.store
        if status is ReferralStatus.WON:  # the dialog asks the value and marks it won
            who = referrals.referrer_name(store, rid)
            dialog = WonDialog(store, rid, who, self, undo=self.ctx.undo, on_error=self._error)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            self.refresh()
            self.select(rid)
            return True
        try:
            perform(
                self.ctx.undo,
                lambda: referrals.set_status_undoable(store, rid, status),
                self._error,
            )
        except NetappError as exc:
            QMessageBox.warning(self, "Referral not changed", str(exc))
            return False
        self.refresh()
        self.select(rid)
        return True


def build(ctx: AppContext) -> QWidget:
    return ReferralsPage(ctx)
