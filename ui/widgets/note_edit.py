"""The note box of the app: several lines, grows to show a long note, Tab still leaves it.

It speaks the few words of ``QLineEdit`` the pages use (``text``, ``setText``, ``isModified``,
``setModified``, ``editingFinished``), so a one-line box can become a note box in place.
``editingFinished`` is emitted when the focus leaves or on Ctrl+Enter (Enter is a new line).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget


class NoteEdit(QPlainTextEdit):
    """A multi-line note, ``lines`` high (it scrolls beyond); Tab moves on."""

    editingFinished = Signal()

    def __init__(
        self, placeholder: str = "", lines: int = 4, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        line = self.fontMetrics().lineSpacing()
        margins = self.contentsMargins().top() + self.contentsMargins().bottom()
        self.setFixedHeight(line * lines + margins + 2 * int(self.document().documentMargin()))

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)
        self.document().setModified(False)

    def isModified(self) -> bool:
        return self.document().isModified()

    def setModified(self, modified: bool) -> None:
        self.document().setModified(modified)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.editingFinished.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.editingFinished.emit()
            return
        super().keyPressEvent(event)
