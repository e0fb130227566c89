"""A dialog that asks for a new passphrase twice; the core decides whether it is acceptable."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from netapp.errors import ValidationError, reads_on, with_name
from ui.widgets.messages import error_label


class NewPassphraseDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, explanation: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.first = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.first.setAccessibleName("New passphrase")
        self.again = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("New passphrase again")
        self.error = error_label("Passphrase")
        text = QLabel(explanation)
        text.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(text)
        form.addRow("Passphrase", self.first)
        form.addRow("Again", self.again)
        form.addRow(self.error)
        form.addRow(buttons)
        self.setMinimumWidth(420)

    def passphrase(self) -> str:
        return self.first.text()

    def accept(self) -> None:
        from netapp.safety.crypto import check_new_passphrase

        try:
            check_new_passphrase(self.first.text(), self.again.text())
        except ValidationError as exc:
            text = with_name("Passphrase", exc.message) if reads_on(exc.message) else exc.message
            self.error.setText(text[:1].upper() + text[1:] + ".")
            self.error.show()
            return
        super().accept()
