"""Shared look for the app's table views: one-line rows, compact height, no cell word-wrap."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QHeaderView, QTableView


def compact(view: QTableView, widths: tuple[int, ...] = (), *, rows: bool = True) -> QTableView:
    """Rows one line high (scaled to the font, so high-DPI stays right), interactive columns."""
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    if rows:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    head = view.horizontalHeader()
    head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    head.setStretchLastSection(True)
    for col, width in enumerate(widths):
        view.setColumnWidth(col, width)
    return view


def popup_of(completer: QCompleter) -> QAbstractItemView:
    """The completer's popup (Qt always creates one on first use)."""
    popup = completer.popup()
    assert popup is not None
    return popup


def on_index_picked(completer: QCompleter, slot: Callable[[QModelIndex], object]) -> None:
    """Call ``slot`` with the model index of the completion the user picks."""
    # activated is overloaded (str and QModelIndex); PySide6's stubs type it as one plain signal.
    completer.activated[QModelIndex].connect(slot)  # type: ignore[index]  # overload not in stubs
