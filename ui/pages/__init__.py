"""The app's pages, in sidebar order. Each entry names a factory ``(ctx) -> QWidget``.

To add or replace a page, change its factory here; the main window builds the sidebar
from this list and nothing else.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the main window's frame lists the pages before the core is imported
    from PySide6.QtWidgets import QWidget

    from ui.context import AppContext


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    factory: str  # "module:function", imported when the page is first built
    shortcut: str

    def build(self, ctx: AppContext) -> QWidget:
        module, func = self.factory.split(":")
        make: Callable[[AppContext], QWidget] = getattr(importlib.import_module(module), func)
        return make(ctx)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("today", "Today", "ui.pages.today:build", "Ctrl+1"),
    PageSpec("capture", "Capture", "ui.pages.capture:build", "Ctrl+N"),
    PageSpec("people", "People", "ui.pages.people:build", "Ctrl+2"),
    PageSpec("meetings", "Meetings", "ui.pages.meetings:build", "Ctrl+3"),
    PageSpec("referrals", "Referrals", "ui.pages.referrals:build", "Ctrl+4"),
    PageSpec("library", "Value library", "ui.pages.library:build", "Ctrl+5"),
    PageSpec("print", "Print", "ui.pages.print_page:build", "Ctrl+6"),
    PageSpec("reports", "Reports", "ui.pages.reports:build", "Ctrl+7"),
    PageSpec("settings", "Settings", "ui.pages.settings_page:build", "Ctrl+,"),
)


# Modules that add actions and menu entries: each has ``register(ctx, window)``, which calls
# ``ctx.actions.register(...)`` and ``window.menu("&File")`` etc. Listed here so that
# all wiring stays visible in one place.
ACTION_PROVIDERS: tuple[str, ...] = ("ui.io_actions:register", "ui.dialogs.person_dialog:register")
