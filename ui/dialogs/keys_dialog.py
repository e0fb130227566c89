"""Help ▸ Keyboard shortcuts: a table generated from the action registry, so it lists every
action with the keys it really has."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# Keys that belong to one page (its own shortcuts, not actions of the window's menus).
PAGE_KEYS: tuple[tuple[str, str], ...] = (
    ("Capture: save every row", "Ctrl+S"),
    ("Capture: mark gave value / follow up on the row", "Alt+V / Alt+U"),
    ("Capture: type what they asked for / link to the possible duplicate", "Alt+K / Alt+L"),
    ("Today: mark the step done / snooze it a week", "Ctrl+D / Ctrl+E"),
    ("People: log a one-to-one, value given, ask, referral, business", "Alt+O/V/K/F/B"),
    ("Referrals: new referral, mark contacted, won, lost", "Alt+N/C/W/L"),
    ("Any date field: open the calendar", "Alt+Down"),
    ("Any note: a new line / save and leave", "Enter / Ctrl+Enter or Tab"),
)


class KeysDialog(QDialog):
    """What each action does and its keys, actions first, then the keys of single pages."""

    def __init__(self, keys: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 560)
        rows = [*keys, *PAGE_KEYS]
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for n, (what, key) in enumerate(rows):
            self.table.setItem(n, 0, QTableWidgetItem(what))
            self.table.setItem(n, 1, QTableWidgetItem(key))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Menus also open with Alt and their underlined letter."))
        lay.addWidget(self.table)
        lay.addWidget(buttons)

    def rows(self) -> list[tuple[str, str]]:
        def text(n: int, col: int) -> str:
            item = self.table.item(n, col)
            return item.text() if item is not None else ""

        return [(text(n, 0), text(n, 1)) for n in range(self.table.rowCount())]
