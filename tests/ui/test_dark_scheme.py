"""The dark scheme: the app follows the system's (or NETAPP_COLOR_SCHEME) and draws with palette
roles, so every text stays readable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QRadioButton
from pytestqt.qtbot import QtBot

from netapp.store import Store
from ui.main_window import MainWindow
from ui.pages.referrals import ReferralsPage
from ui.theme import apply_scheme, error_color, is_dark, warning_color

UI = Path(__file__).resolve().parents[2] / "ui"


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture
def dark(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The application in the dark scheme, put back as it was afterwards."""
    palette, style = QPalette(qapp.palette()), qapp.style().name() or "Fusion"
    monkeypatch.setenv("NETAPP_COLOR_SCHEME", "dark")
    apply_scheme(qapp)
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)


def test_dark_scheme_is_applied_when_asked(dark: None) -> None:
    """NETAPP_COLOR_SCHEME=dark gives a dark palette whose text reads well on its window."""
    pal = QApplication.palette()
    assert is_dark(pal)
    R = QPalette.ColorRole
    assert contrast(pal.color(R.WindowText), pal.color(R.Window)) >= 7
    assert contrast(pal.color(R.Text), pal.color(R.Base)) >= 7
    assert contrast(error_color(pal), pal.color(R.Window)) >= 4.5
    assert contrast(warning_color(pal), pal.color(R.Base)) >= 4.5


def test_close_the_loop_banner_is_readable_in_the_dark(
    qtbot: QtBot, store: Store, dark: None
) -> None:
    """The Referrals banner is painted from palette roles: light text on a dark note."""
    w = MainWindow(store, None)
    qtbot.addWidget(w)
    page = w.show_page("referrals")
    assert isinstance(page, ReferralsPage)
    label = page.loop_label
    assert label.styleSheet() == "" and label.autoFillBackground()
    pal = label.palette()
    bg, fg = pal.color(label.backgroundRole()), pal.color(label.foregroundRole())
    assert bg.lightness() < 128 and contrast(fg, bg) >= 7
    w.close()


def test_error_messages_take_the_schemes_red(qtbot: QtBot, store: Store, dark: None) -> None:
    """A message at a field made in the dark scheme is the dark scheme's (light) red."""
    from ui.widgets.messages import error_label

    label = error_label("Email")
    qtbot.addWidget(label)
    assert QColor(label.styleSheet().split(":")[1].strip()) == error_color()


def test_no_fixed_colours_under_ui() -> None:
    """Colours come from palette roles or ui/theme.py, never from a hex or named colour elsewhere."""
    hexes = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
    named = re.compile(r"(?:color|background)\s*:\s*(?:red|yellow|white|black|gr[ae]y|orange)\b")
    allowed = {"theme.py", "reports.py"}  # reports: the chart's series colours, mid-tones
    found = []
    for path in UI.rglob("*.py"):
        if path.name in allowed:
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("  #")[0]
            if (hexes.search(code) and "ERROR_STYLE =" not in code) or named.search(code):
                found.append(f"{path.relative_to(UI)}:{n}")
    assert found == []


def test_an_unchecked_box_in_the_capture_grid_shows_in_the_dark(
    qtbot: QtBot, store: Store, dark: None
) -> None:
    """The Gave value / Follow up boxes of a typed row, unchecked, have an edge that stands
    out from the grid's base (at least 3:1, the contrast asked of controls), as drawn."""
    from ui.models.capture import COL_FOLLOW, COL_GAVE
    from ui.pages.capture import CapturePage

    w = MainWindow(store, None)
    qtbot.addWidget(w)
    w.show()
    page = w.show_page("capture")
    assert isinstance(page, CapturePage)
    page.model.setData(page.model.index(0, 0), "Ann Lee")
    page.model.toggle(0, "follow_up")
    qtbot.waitExposed(w)
    base = page.grid.palette().color(QPalette.ColorRole.Base)
    for col, checked in ((COL_GAVE, False), (COL_FOLLOW, True)):
        index = page.model.index(0, col)
        assert bool(index.data(Qt.ItemDataRole.CheckStateRole)) is checked
        image = page.grid.viewport().grab(page.grid.visualRect(index)).toImage()
        assert _strongest(image, base) >= 3, col
    w.close()


def _strongest(image: QImage, background: QColor) -> float:
    """The highest contrast of any drawn pixel against ``background``."""
    pixels = (image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height()))
    return max(contrast(c, background) for c in pixels)


def test_unchecked_boxes_and_radio_buttons_show_in_the_dark(qtbot: QtBot, dark: None) -> None:
    """A check box or a radio button on its own (a dialog's "prospect agreed", Settings'
    choices), unchecked and without a label, has an edge of at least 3:1 on the window."""
    window = QApplication.palette().color(QPalette.ColorRole.Window)
    for widget in (QCheckBox(), QRadioButton()):
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
        assert _strongest(widget.grab().toImage(), window) >= 3, type(widget).__name__
