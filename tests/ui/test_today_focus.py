"""Today invites action: the few steps that matter most lead, the rest are muted, the reason of
the selected step is shown in full, a heading sorts by how late, and a filter narrows by keys."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from netapp.store import Store
from tests.conftest import DEMO_TODAY
from ui.main_window import MainWindow
from ui.models.agenda import FOCUS
from ui.pages.today import TodayPage
from ui.theme import warning_color


@pytest.fixture
def page(qtbot: QtBot, demo_store: Store) -> Iterator[TodayPage]:
    w = MainWindow(demo_store, None)
    qtbot.addWidget(w)
    p = TodayPage(w.ctx, today=date.fromisoformat(DEMO_TODAY))
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    qtbot.waitExposed(p)
    qtbot.waitUntil(lambda: not p.is_busy(), timeout=60_000)
    yield p
    w.close()


def test_the_reason_is_shown_in_full_for_the_selected_step(qtbot: QtBot, page: TodayPage) -> None:
    """Moving down the agenda with the arrow key shows that step's whole reason under it."""
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    step = page.current_step()
    assert step is not None and page.model.step(1) is step
    assert step.reason in page.why.text().replace("&#x27;", "'").replace("&amp;", "&")


def test_only_the_focus_steps_are_red_the_rest_are_muted(page: TodayPage) -> None:
    """Overdue red is kept for the first few steps; the rest take the muted text colour."""
    model = page.model
    assert model.rowCount() > FOCUS
    red = warning_color().name()
    for row in range(model.rowCount()):
        step = model.step(row)
        assert step is not None
        brush = model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole)
        if row >= FOCUS:
            assert brush is not None and brush.color().name() != red
        elif step.overdue:
            assert brush.color().name() == red
    assert f"first {FOCUS} matter most today" in page.summary.text()


def test_clicking_due_sorts_by_how_late(qtbot: QtBot, page: TodayPage) -> None:
    """A click on the Due heading orders the steps from the latest to the soonest due."""
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(0) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    dues = [page.model.step(r).due for r in range(page.model.rowCount())]  # type: ignore[union-attr]
    known = [d for d in dues if d is not None]
    assert known == sorted(known) or known == sorted(known, reverse=True)
    assert known != [] and len(set(known)) > 1


def test_filter_by_typing_keeps_matching_steps(qtbot: QtBot, page: TodayPage) -> None:
    """Alt+L goes to the filter; typing a person's name keeps only the steps that mention it."""
    first = page.model.step(0)
    assert first is not None
    name = first.display_name.split()[0]
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(page.filter.hasFocus)
    qtbot.keyClicks(QApplication.focusWidget(), name)
    rows = [page.model.step(r) for r in range(page.model.rowCount())]
    assert rows
    for s in rows:
        assert s is not None
        text = f"{s.display_name} {s.reason}".casefold()
        assert name.casefold() in text or s.kind in ("ask", "give-value")  # or in the step
    assert page.model.total() > len(rows)
