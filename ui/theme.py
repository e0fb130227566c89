"""Light or dark: the app follows the system's colour scheme (Qt 6's ``QStyleHints.colorScheme``)
and draws with palette roles, so every colour it uses turns with the scheme.

``NETAPP_COLOR_SCHEME=dark`` (or ``light``) overrides the system, for a desktop that reports no
scheme and for the screenshots. Where the system is dark but its platform theme gives Qt no dark
palette (no portal, the offscreen platform), the app sets Fusion with :func:`dark_palette`.
The few colours that are meanings rather than roles (a problem, an overdue step) come from
:func:`error_color` and :func:`warning_color`, which pick a shade readable on the palette in use.
"""

from __future__ import annotations

import os
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

ENV = "NETAPP_COLOR_SCHEME"
_LIGHT_ERROR, _DARK_ERROR = "#b00020", "#ff8a80"
_LIGHT_WARNING, _DARK_WARNING = "#c62828", "#ff8a65"


def wanted_scheme(app: QGuiApplication) -> Qt.ColorScheme:
    """The scheme to show: the override in the environment, else the system's."""
    forced = os.environ.get(ENV, "").strip().lower()
    if forced == "dark":
        return Qt.ColorScheme.Dark
    if forced == "light":
        return Qt.ColorScheme.Light
    return app.styleHints().colorScheme()


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (the application's when None) draws light text on a dark window."""
    pal = palette or QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def dark_palette() -> QPalette:
    """A dark palette with every role set (the colours of Fusion's own dark scheme)."""
    R, G = QPalette.ColorRole, QPalette.ColorGroup
    pal = QPalette()
    roles = {
        R.Window: "#2d2d2d", R.WindowText: "#e6e6e6", R.Base: "#1e1e1e",
        R.AlternateBase: "#2a2a2a", R.ToolTipBase: "#3b3522", R.ToolTipText: "#f0e6c8",
        R.PlaceholderText: "#8c8c8c", R.Text: "#e6e6e6", R.Button: "#353535",
        R.ButtonText: "#e6e6e6", R.BrightText: "#ffffff", R.Light: "#4a4a4a",
        R.Midlight: "#3e3e3e", R.Mid: "#2a2a2a", R.Dark: "#1a1a1a", R.Shadow: "#0d0d0d",
        R.Highlight: "#3d6fb4", R.HighlightedText: "#ffffff", R.Link: "#8ab4f8",
        R.LinkVisited: "#c58af9", R.Accent: "#3d6fb4",
    }  # fmt: skip
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    for role in (R.WindowText, R.Text, R.ButtonText):
        pal.setColor(G.Disabled, role, QColor("#7a7a7a"))
    return pal


def apply_scheme(app: QApplication) -> None:
    """Show the wanted scheme now, and again whenever the system's changes."""
    _apply(app)
    app.styleHints().colorSchemeChanged.connect(lambda _s: _apply(app))


def _apply(app: QApplication) -> None:
    dark = wanted_scheme(app) == Qt.ColorScheme.Dark
    if dark and not is_dark(app.palette()):
        app.setStyle(_readable_checks()("Fusion"))
        app.setPalette(dark_palette())
    elif not dark and is_dark(app.palette()) and os.environ.get(ENV):
        app.setStyle("Fusion")
        app.setPalette(app.style().standardPalette())
    restyle_messages()


def error_color(palette: QPalette | None = None) -> QColor:
    """The colour of a problem's message, readable on ``palette``'s window."""
    return QColor(_DARK_ERROR if is_dark(palette) else _LIGHT_ERROR)


def warning_color(palette: QPalette | None = None) -> QColor:
    """The colour of something late (an overdue step), readable on ``palette``'s base."""
    return QColor(_DARK_WARNING if is_dark(palette) else _LIGHT_WARNING)


def readable_check_edge(palette: QPalette) -> QPalette:
    """``palette`` for drawing a check box or a radio button so that its edge shows when it
    is unchecked. Fusion draws that edge from the Window role, darkened: on the dark scheme's
    Base and Window that is all but invisible (1.25:1), so in a dark palette the edge comes
    from the PlaceholderText role (a hint's colour), a shade lighter, instead."""
    if not is_dark(palette):
        return palette
    out = QPalette(palette)
    edge = palette.color(QPalette.ColorRole.PlaceholderText).lighter(150)
    out.setColor(QPalette.ColorRole.Window, edge)
    return out


@cache
def _readable_checks() -> type:
    """The style class, made on first use: QStyle's enum classes cost a start that shows the
    light scheme about 15 ms before its first paint (issue 20)."""
    from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption

    class ReadableChecks(QProxyStyle):
        """Fusion, with the edge of check boxes and radio buttons (on their own or in a
        view's cells) drawn from :func:`readable_check_edge`: visible in the dark scheme."""

        _INDICATORS = (
            QStyle.PrimitiveElement.PE_IndicatorCheckBox,
            QStyle.PrimitiveElement.PE_IndicatorRadioButton,
        )

        def drawPrimitive(  # noqa: N802 - Qt's name
            self,
            element: QStyle.PrimitiveElement,
            option: QStyleOption,
            painter: QPainter,
            widget: QWidget | None = None,
        ) -> None:
            if element not in self._INDICATORS or not is_dark(option.palette):
                super().drawPrimitive(element, option, painter, widget)
                return
            before = QPalette(option.palette)
            option.palette = readable_check_edge(before)
            try:
                super().drawPrimitive(element, option, painter, widget)
            finally:
                option.palette = before

    return ReadableChecks


def error_style() -> str:
    """The style sheet of a message at a field, for the palette in use."""
    return f"color: {error_color().name()}"


def restyle_messages(root: QWidget | None = None) -> None:
    """After a change of scheme, give the problem messages on show the new scheme's red."""
    olds = {f"color: {c}" for c in (_LIGHT_ERROR, _DARK_ERROR)}
    roots = [root] if root is not None else QApplication.topLevelWidgets()
    new = error_style()
    for top in roots:
        for label in [top, *top.findChildren(QLabel)]:
            if isinstance(label, QLabel) and label.styleSheet() in olds:
                label.setStyleSheet(new)
