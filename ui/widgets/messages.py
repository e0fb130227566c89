"""How the app shows a problem at a field: one style and one kind of label, everywhere."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from ui.theme import error_style

ERROR_STYLE = "color: #b00020"  # the light scheme's; use ui.theme.error_style() (follows it)


def error_label(name: str) -> QLabel:
    """A hidden, wrapping, red line for the reason a value was refused (``name``: what it is
    about, for screen readers)."""
    label = QLabel()
    label.setStyleSheet(error_style())
    label.setWordWrap(True)
    label.setAccessibleName(f"{name} problem")
    label.hide()
    return label


def counted(n: int, one: str, many: str | None = None) -> str:
    """``n`` things in words: "1 meeting", "3 meetings", "2 people" (``many`` when not +s)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def people_count(n: int) -> str:
    """ "1 person", "12 people"."""
    return counted(n, "person", "people")
