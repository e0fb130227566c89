"""Typing as a person does, for the desktop app's tests."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def focus() -> QWidget:
    """The widget that has the keyboard focus now (there must be one)."""
    w = QApplication.focusWidget()
    assert w is not None
    return w


def type_text(qtbot: QtBot, text: str) -> None:
    """Type as a person does: each key goes to whatever has the focus when it is pressed."""
    for ch in text:
        qtbot.keyClicks(focus(), ch)
