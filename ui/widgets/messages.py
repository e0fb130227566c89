"""How the app shows a problem at a field: one style and one kind of label, everywhere."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

ERROR_STYLE = "color: #b00020"


def error_label(name: str) -> QLabel:
    """A hidden, wrapping, red line for the reason a value was refused (``name``: what it is
    about, for screen readers)."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setAccessibleName(f"{name} problem")
    label.hide()
    return label
