"""A form whose fields show the core's validation messages right under themselves.

The dialogs that add or change a record (person, group, meeting) hand the core's
:class:`~netapp.errors.ValidationError` to :meth:`FieldForm.show_error`, which puts the message
under the field it names (or at the foot of the form when no field matches).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from netapp.errors import NetappError, ValidationError, reads_on, with_name
from netapp.store import Store
from ui.commands import ErrorSink
from ui.widgets.messages import error_label

W = TypeVar("W", bound=QWidget)


class FieldForm(QFormLayout):
    """``add(label, widget, "display_name", ...)``: a row answering to those core field names."""

    def __init__(self) -> None:
        super().__init__()
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.errors: dict[str, QLabel] = {}
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, str] = {}
        self.rows: list[tuple[str, QLabel]] = []  # (first field name, its message line)
        self.general = error_label("Form")

    def add(self, label: str, widget: W, *fields: str) -> W:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        error = error_label(label.replace("&", ""))
        lay.addWidget(error)
        widget.setAccessibleName(label.replace("&", ""))
        self.addRow(label, box)
        self.rows.append((fields[0] if fields else label, error))
        for name in fields:
            self.errors[name] = error
            self.widgets[name] = widget
            self.labels[name] = label.replace("&", "")
        return widget

    def lay_out(
        self, dialog: QDialog, ok_text: str, on_ok: Callable[[], object], *notes: QWidget
    ) -> QDialogButtonBox:
        """Put the form, ``notes`` under it, the foot's message line and OK/Cancel (OK named
        ``ok_text`` and calling ``on_ok``) into ``dialog``. Returns the button box."""
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.accepted.connect(on_ok)
        buttons.rejected.connect(dialog.reject)
        lay = QVBoxLayout(dialog)
        lay.addLayout(self)
        for note in notes:
            lay.addWidget(note)
        lay.addWidget(self.general)
        lay.addWidget(buttons)
        return buttons

    def clear_errors(self) -> None:
        for label in [*self.errors.values(), self.general]:
            label.clear()
            label.hide()

    def show_error(self, exc: NetappError) -> str:
        """Show ``exc`` at the field it names (or at the foot); returns the field shown at."""
        self.clear_errors()
        field = exc.field if isinstance(exc, ValidationError) else ""
        text = exc.message if isinstance(exc, ValidationError) else str(exc)
        label = self.errors.get(field)
        if label is None:
            label, field = self.general, ""
            text = str(exc)
        if field and reads_on(text):  # "is empty" -> "Email is empty", "Value must be ..."
            text = with_name(self.labels[field], text)
        label.setText(text[:1].upper() + text[1:])
        label.show()
        widget = self.widgets.get(field)
        if widget is not None:
            widget.setFocus()
        return field

    def shown_errors(self) -> dict[str, str]:
        """The messages on show, by each row's first field name ("" for the foot)."""
        out = {n: lb.text() for n, lb in self.rows if not lb.isHidden()}
        if not self.general.isHidden():
            out[""] = self.general.text()
        return out


class RecordDialog(QDialog):
    """A dialog that records something through the undo stack. It holds the store it writes
    to, the app's ``undo`` stack (a stack of its own when none is given: a test, say), which
    what it records goes on (Ctrl+Z takes it back), and ``on_error``, which hears of a later
    undo or redo that fails. A subclass names its ``title`` and lays itself out in ``build``."""

    title = ""

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        undo: QUndoStack | None = None,
        on_error: ErrorSink | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.title)
        self.store = store
        self.undo = undo if undo is not None else QUndoStack(self)
        self.on_error = on_error
        self.build()

    def build(self) -> None:
        raise NotImplementedError
