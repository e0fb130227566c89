"""The one date field of the app: every date a person types goes through it.

It is a line edit, so typing ``2026-11-19`` puts exactly those characters in it and one Tab
leaves it (a ``QDateEdit`` splits the text into sections: typed digits spill from one section
into the next, and Tab walks the sections). It reads ``YYYY-MM-DD`` and the locale's short
format (``19/11/2026``, ``11/19/26``), and its button (or Alt+Down, or F4) opens a calendar.
What it reads is only a date: whether that date is allowed (not in the future for something
that happened, a birthday after 1900) is the core's rule, shown by the dialog at the field.
"""

from __future__ import annotations

import datetime as dt
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QStyle, QWidget

ISO = "yyyy-MM-dd"


def read_date(text: str, locale: QLocale | None = None) -> date | None:
    """The date ``text`` names: ``YYYY-MM-DD`` first, then the locale's short format (a
    two-digit year is read as 19xx/20xx nearest to now); None when it names none."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    loc = locale or QLocale()
    fmt = loc.dateFormat(QLocale.FormatType.ShortFormat)
    for f in (fmt, fmt.replace("yyyy", "yy") if "yyyy" in fmt else fmt.replace("yy", "yyyy")):
        q = loc.toDate(text, f)
        if q.isValid():
            if "yyyy" not in f and q.year() < 1950:  # Qt reads "26" as 1926
                q = q.addYears(100)
            return date(q.year(), q.month(), q.day())
    return None


class DateField(QLineEdit):
    """A date typed as text (``YYYY-MM-DD`` or the locale's short form) or picked; ``value()``
    is the date, ``iso()`` its ``YYYY-MM-DD`` text as typed when it names no date (so the
    core refuses it at the field and names it)."""

    dateChanged = Signal(object)  # the new date, or None

    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("YYYY-MM-DD")
        self.setToolTip(
            "Type a date as YYYY-MM-DD or "
            f"{QLocale().dateFormat(QLocale.FormatType.ShortFormat)}; Alt+Down opens a calendar"
        )
        self._picker: QCalendarWidget | None = None
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView)
        self.pick_action = QAction(icon, "Pick a date (Alt+Down)", self)
        self.pick_action.triggered.connect(self.open_picker)
        self.addAction(self.pick_action, QLineEdit.ActionPosition.TrailingPosition)
        self.editingFinished.connect(self._tidy)
        self.textChanged.connect(lambda _t: self.dateChanged.emit(self.value()))
        if value is not None:
            self.setValue(value)

    def value(self) -> date | None:
        return read_date(self.text())

    def iso(self) -> str:
        d = self.value()
        return d.isoformat() if d is not None else self.text().strip()

    def setValue(self, value: date | None) -> None:
        self.setText(value.isoformat() if value is not None else "")

    def date(self) -> QDate:
        """The date as a ``QDate`` (invalid when the text names none), as ``QDateEdit`` has it."""
        d = self.value()
        return QDate(d.year, d.month, d.day) if d is not None else QDate()

    def setDate(self, value: QDate | dt.date) -> None:
        """Show ``value`` (a ``QDate`` or a ``date``), as ``QDateEdit.setDate`` does."""
        if isinstance(value, QDate):
            ok = value.isValid()
            self.setValue(dt.date(value.year(), value.month(), value.day()) if ok else None)
        else:
            self.setValue(value)

    def _tidy(self) -> None:
        """A date typed in the locale's form is shown as YYYY-MM-DD once the field is left."""
        d = self.value()
        if d is not None and self.text() != d.isoformat():
            self.setValue(d)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = event.key() == Qt.Key.Key_Down and (
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.open_picker()
            return
        super().keyPressEvent(event)

    def open_picker(self) -> QCalendarWidget:
        """A calendar under the field; Enter or a click picks the day and closes it."""
        if self._picker is None:
            cal = QCalendarWidget(self)
            cal.setWindowFlags(Qt.WindowType.Popup)
            cal.setAccessibleName("Pick a date")
            cal.setGridVisible(True)
            cal.activated.connect(self._picked)
            cal.clicked.connect(self._picked)
            self._picker = cal
        cal = self._picker
        d = self.value() or date.today()
        cal.setSelectedDate(QDate(d.year, d.month, d.day))
        cal.adjustSize()
        cal.move(self.mapToGlobal(self.rect().bottomLeft()))
        cal.show()
        cal.setFocus()
        return cal

    def _picked(self, q: QDate) -> None:
        self.setValue(date(q.year(), q.month(), q.day()))
        if self._picker is not None:
            self._picker.hide()
        self.setFocus()
        self.editingFinished.emit()
