"""One registry for every user action: name, text, shortcut and handler in one place."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence


def mnemonic(text: str) -> str:
    """The Alt key of a text with a mnemonic ("&Import…" -> "Alt+I"), or ""."""
    m = re.search(r"&([^&])", text)
    return f"Alt+{m[1].upper()}" if m else ""


def with_keys(tip: str, text: str, shortcut: str = "") -> str:
    """A tooltip that names the keys: "Import contacts (Ctrl+I)", or the mnemonic's Alt key."""
    keys = shortcut or mnemonic(text)
    return f"{tip} ({keys})" if keys and tip else tip or keys


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
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(with_keys(tip or text.replace("&", "").rstrip("…"), text, keys))
        if tip:
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

    def keys(self) -> list[tuple[str, str]]:
        """(what it does, its keys) for every action: the shortcuts, else the menu's Alt key
        (for the Help ▸ Keyboard shortcuts list)."""
        out = []
        for a in self._actions.values():
            shortcuts = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts()]
            keys = ", ".join(shortcuts) or f"{mnemonic(a.text())} in its menu"
            out.append((a.text().replace("&", ""), keys))
        return out

    def shortcuts(self) -> dict[str, str]:
        """Every registered shortcut, for the help screen and for clash tests."""
        return {
            n: a.shortcut().toString()
            for n, a in self._actions.items()
            if not a.shortcut().isEmpty()
        }
