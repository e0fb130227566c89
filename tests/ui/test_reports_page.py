"""The Reports page: every report draws a chart and a table, and exports the table to CSV."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from netapp import reports
from netapp.store import Store
from ui.main_window import MainWindow
from ui.models.reports_table import ReportTableModel
from ui.pages.reports import ReportsPage

DEMO_DAY = date(2026, 11, 23)


def _page(qtbot: QtBot, store: Store) -> ReportsPage:
    window = MainWindow(store, None)
    qtbot.addWidget(window)
    page = window.show_page("reports")
    assert isinstance(page, ReportsPage)
    page.as_of = DEMO_DAY
    return page


def test_every_report_shows_a_chart_and_its_table(qtbot: QtBot, demo_store: Store) -> None:
    """Selecting each report fills the table with the report's rows and draws a series."""
    page = _page(qtbot, demo_store)
    for spec in reports.REPORTS:
        page.show_report(spec.key)
        page.refresh()
        qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
        table = reports.run(demo_store, spec.key, DEMO_DAY)
        assert page.model.rowCount() == len(table.rows), spec.key
        assert page.model.columnCount() == len(table.columns)
        chart = page.chart_view.chart()
        assert (len(chart.series()) == 1) == bool(table.rows), spec.key


def test_export_csv_writes_the_table(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Export CSV… writes the shown report with its header, rows as in the core table."""
    page = _page(qtbot, demo_store)
    page.show_report("asks_type")
    page.refresh()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    target = tmp_path / "asks.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.export_button.click()
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    table = reports.run(demo_store, "asks_type", DEMO_DAY)
    assert rows[0] == list(table.columns)
    assert [r[0] for r in rows[1:]] == [r[0] for r in table.rows]


def test_export_failure_is_reported_not_raised(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CSV path in a missing folder shows a warning naming the file."""
    page = _page(qtbot, demo_store)
    assert not page.export_button.isEnabled()  # nothing to export until the report is in
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    bad = tmp_path / "nope" / "x.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(bad), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    page.export_button.click()
    assert shown and "x.csv" in shown[0]


def test_report_table_model_passes_qtmodeltester(qtmodeltester, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    """The report table model obeys Qt's model contract, empty and filled."""
    model = ReportTableModel()
    qtmodeltester.check(model, force_py=True)
    model.set_table(reports.run(demo_store, "give_ask", DEMO_DAY))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 13


def test_reports_run_off_the_gui_thread(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report is worked out on another thread with its own connection; the page says so."""
    import threading

    seen: list[tuple[int, object]] = []
    real = reports.run

    def spy(store: Store, key: str, as_of: object) -> object:
        seen.append((threading.get_ident(), store))
        return real(store, key, as_of)  # type: ignore[arg-type]

    monkeypatch.setattr(reports, "run", spy)
    page = _page(qtbot, demo_store)
    page.show_report("stages")
    page.refresh()
    assert "Working it out" in page.heading.text()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    thread, store = seen[-1]
    assert thread != threading.get_ident() and store is not demo_store
    assert page.table is not None and page.table.key == "stages"
    assert "Working it out" not in page.heading.text()
