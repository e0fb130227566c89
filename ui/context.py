"""What every page is built with: the store, its change signals and the action registry.

Passed explicitly into constructors; there is no global app state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the app's frame imports this before the core
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QWidget

    from netapp.store import Store
    from ui.actions import ActionRegistry
    from ui.signals import StoreSignals
    from ui.sync import SyncService


@dataclass
class AppContext:
    store: Store
    signals: StoreSignals
    actions: ActionRegistry
    undo: QUndoStack
    # Lets a page ask the window to show another page (and optionally a person).
    navigate: Callable[[str], QWidget] | None = None
    # Asks the app to close the store, run a job on the closed file (encrypt, decrypt,
    # change passphrase) and reopen it. The job takes the old passphrase and returns the new
    # one. None where nothing can reopen the store (a bare window in tests or screenshots).
    reopen: Callable[[ReopenJob], object] | None = None
    # Runs sync (CardDAV) off the GUI thread; None where the window has none (pages in tests).
    sync: SyncService | None = None
    # The day it is, for the pages that show the engine's advice (a fixed day in benchmarks).
    today: Callable[[], date] = date.today


ReopenJob = Callable[[str | None], str | None]
