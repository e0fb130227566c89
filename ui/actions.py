"""One registry for every user action: name, text, shortcut and handler in one place."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence


class ActionRegistry:
    """Creates QActions once and hands them to menus, toolbars and widgets by name."""

    def __init__(self, parent: QObject) -> None:
        self._parent = parent
        self._actions: dict[str, QAction] = {}

    def register(
        self,
        name: str,
        text: str,
        handler: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
        tip: str = "",
    ) -> QAction:
        if name in self._actions:
            raise ValueError(f"action {name!r} is registered twice")
        action = QAction(text, self._parent)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: handler())
        self._actions[name] = action
        return action

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def __contains__(self, name: str) -> bool:
        return name in self._actions

    def all(self) -> list[QAction]:
        return list(self._actions.values())

    def shortcuts(self) -> dict[str, str]:
        """Every registered shortcut, for the help screen and for clash tests."""
        return {
            n: a.shortcut().toString()
            for n, a in self._actions.items()
            if not a.shortcut().isEmpty()
        }
