"""The Reports page: each report from ``netapp.reports`` as a chart, a table and a CSV export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from netapp import reports
from netapp.domain import Topic
from netapp.errors import NetappError
from netapp.reports import Table
from ui.context import AppContext
from ui.models.reports_table import ReportTableModel
from ui.theme import is_dark
from ui.workers import EngineWorker, is_open

PALETTE = ("#2f6fb0", "#e08a2c", "#4c9a5b", "#b84a62", "#7a5cb0")
REFRESH_TOPICS = {
    Topic.PEOPLE,
    Topic.INTERACTIONS,
    Topic.MEETINGS,
    Topic.REFERRALS,
    Topic.CONSENTS,
    Topic.LIBRARY,
}


@dataclass(frozen=True)
class ChartSpec:
    """How one report is drawn: the category column, the value columns, the kind of bars."""

    category: str
    series: tuple[str, ...]
    horizontal: bool = False
    stacked: bool = False
    limit: int = 0  # 0 = every row


CHARTS: dict[str, ChartSpec] = {
    "value": ChartSpec("Contact", ("Business", "Won referrals"), True, True, 12),
    "sources": ChartSpec("Referrer", ("Value won",), True, False, 12),
    "optins_meeting": ChartSpec("Meeting", ("Attendees", "Opt-ins"), True, False, 10),
    "optins_batch": ChartSpec("Batch", ("Cards", "Opt-ins"), True, False, 10),
    "asks_type": ChartSpec("Ask", ("Made", "Accepted"), True),
    "asks_stage": ChartSpec("Stage when asked", ("Made", "Accepted")),
    "give_ask": ChartSpec("Month", ("Value given", "Asks")),
    "stages": ChartSpec("Stage", ("People",)),
    "movement": ChartSpec(
        "Month", ("To visibility", "To credibility", "To profitability"), stacked=True
    ),
    "meetings": ChartSpec("Month", ("New contacts", "Repeat contacts"), stacked=True),
    "chapter": ChartSpec("Member", ("Referrals given", "Referrals received"), True, False, 12),
}


def _category(table: Table, spec: ChartSpec, row: tuple[object, ...]) -> str:
    text = str(row[table.columns.index(spec.category)])
    if spec.category == "Meeting":
        text = f"{text} {row[table.columns.index('Date')]}"
    elif spec.category == "Month":
        y, m = text.split("-")
        text = date(int(y), int(m), 1).strftime("%b %y")
    return text if len(text) <= 38 else text[:37] + "…"


def themed_chart() -> QChart:
    """A chart drawn in the palette's scheme: dark with a dark palette, on the window's colour."""
    chart = QChart()
    dark = is_dark()
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
    chart.setBackgroundBrush(QGuiApplication.palette().color(QPalette.ColorRole.Base))
    return chart


def build_chart(table: Table, spec: ChartSpec) -> QChart:
    """A bar chart of ``table``; horizontal charts list the biggest first from the top."""
    chart = themed_chart()
    chart.setTitle(table.title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setVisible(len(spec.series) > 1)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    rows = table.rows[: spec.limit] if spec.limit else list(table.rows)
    if spec.horizontal:
        rows = list(reversed(rows))  # Qt draws the first category at the bottom
    series = _bar_series(table, spec, rows)
    chart.addSeries(series)
    cats = QBarCategoryAxis()
    cats.append([_category(table, spec, r) for r in rows])
    values = QValueAxis()
    top = _top_value(table, spec, rows)
    values.setRange(0, top * 1.1 if top > 0 else 1)
    values.setLabelFormat("%.0f")
    values.applyNiceNumbers()
    if spec.horizontal:
        chart.addAxis(cats, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(cats, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(cats)
    series.attachAxis(values)
    return chart


def _bar_series(table: Table, spec: ChartSpec, rows: list[tuple[Any, ...]]) -> QAbstractBarSeries:
    """One bar set per value column of ``spec``, in the palette's colours."""
    series: QAbstractBarSeries
    if spec.horizontal:
        series = QHorizontalStackedBarSeries() if spec.stacked else QHorizontalBarSeries()
    else:
        series = QStackedBarSeries() if spec.stacked else QBarSeries()
    for n, name in enumerate(spec.series):
        col = table.columns.index(name)
        bar = QBarSet(name)
        bar.setColor(QColor(PALETTE[n % len(PALETTE)]))
        for row in rows:
            bar.append(_number(row[col]))
        series.append(bar)
    return series


def _top_value(table: Table, spec: ChartSpec, rows: list[tuple[Any, ...]]) -> float:
    """The longest bar: the biggest stack, or the biggest single value."""
    top = 0.0
    for row in rows:
        bars = [_number(row[table.columns.index(s)]) for s in spec.series]
        top = max(top, sum(bars) if spec.stacked else max(bars, default=0.0))
    return top


def _number(value: float | str | None) -> float:
    """A report cell as a bar length (empty cells are 0)."""
    return float(value or 0)


class ReportsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("page-reports")
        self.ctx = ctx
        self.as_of: date | None = None  # None = today; tests pin a date
        self.table: Table | None = None
        self._dirty = True

        self.list = QListWidget()
        self.list.setAccessibleName("Reports")
        self.list.setFixedWidth(220)
        for spec in reports.REPORTS:
            item = QListWidgetItem(spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.list.addItem(item)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Save this report's table as a CSV file")
        self.export_button.clicked.connect(self.export_csv)

        self.chart_view = QChartView()
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setAccessibleName("Report chart")
        self.model = ReportTableModel(self)
        self.table_view = QTableView()
        self.table_view.setAccessibleName("Report table")
        self.table_view.setModel(self.model)
        self.table_view.verticalHeader().hide()
        self.table_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table_view.horizontalHeader().setStretchLastSection(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.chart_view, "Chart")
        self.tabs.addTab(self.table_view, "Table")

        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        right = QVBoxLayout()
        right.addLayout(head)
        right.addWidget(self.tabs, 1)
        lay = QHBoxLayout(self)
        lay.addWidget(self.list)
        lay.addLayout(right, 1)

        # Reports run on a thread of their own (some take a second or two at 100,000 people).
        self.worker = EngineWorker(ctx.store, self)
        self.worker.done.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self._request: int | None = None

        self.list.currentRowChanged.connect(lambda _row: self.refresh())
        ctx.signals.changed.connect(self._on_changed)
        self.list.setCurrentRow(0)

    def current_key(self) -> str:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else reports.REPORTS[0].key

    def show_report(self, key: str) -> None:
        keys = [r.key for r in reports.REPORTS]
        self.list.setCurrentRow(keys.index(key))

    def refresh(self) -> None:
        """Run the selected report off the GUI thread; its chart and table follow."""
        key = self.current_key()
        as_of = self.as_of or date.today()
        title = reports.BY_KEY[key].title
        self.heading.setText(f"<h2>{title}</h2><p>Working it out…</p>")
        self.export_button.setEnabled(False)  # until this report's table is in
        self.worker.cancel_all()  # a newer request supersedes a running one
        self._request = self.worker.submit(lambda store, _cancel: reports.run(store, key, as_of))
        self._dirty = False

    def is_busy(self) -> bool:
        return self._request is not None

    def _on_done(self, number: int, table: object) -> None:
        if number != self._request:
            return  # an older request, superseded
        self._request = None
        if not is_open(self.ctx.store) or not isinstance(table, Table):
            return
        self._show(table)

    def _on_failed(self, number: int, message: str) -> None:
        if number != self._request:
            return
        self._request = None
        self.heading.setText(f"<h2>Report</h2><p>It could not be worked out: {message}</p>")

    def _show(self, table: Table) -> None:
        key = table.key
        self.table = table
        self.model.set_table(table)
        self.export_button.setEnabled(True)
        self.heading.setText(f"<h2>{table.title}</h2><p>{table.note}</p>")
        if table.rows:
            self.chart_view.setChart(build_chart(table, CHARTS[key]))
        else:
            empty = themed_chart()
            empty.setTitle(f"{table.title}: nothing recorded in this period yet")
            self.chart_view.setChart(empty)

    def _on_changed(self, topic: str, _ids: object) -> None:
        if topic in REFRESH_TOPICS:
            self._dirty = True
            if self.isVisible():
                self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    def export_csv(self) -> None:
        if self.table is None:
            return
        suggested = f"{self.table.key}-{(self.as_of or date.today()).isoformat()}.csv"
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export report as CSV", str(Path.home() / suggested), "CSV files (*.csv)"
        )
        if not path:
            return
        try:
            reports.export_csv(self.table, path, database=self.ctx.store.path)
        except NetappError as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(f"Saved {path}", 5000)


def build(ctx: AppContext) -> QWidget:
    return ReportsPage(ctx)
