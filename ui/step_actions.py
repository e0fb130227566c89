"""Done and Snooze on one engine step, the same from Today and from a person's detail pane:
Done logs it (an ask asks how it went, Pending first), Snooze asks for how long; both are
undoable commands behind ``perform``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWidget

from netapp import engine
from netapp.domain import Outcome
from netapp.engine import undoable as engine_undoable
from netapp.errors import NetappError
from ui.commands import perform
from ui.context import AppContext
from ui.dialogs.snooze_dialog import SnoozeDialog


def ask_outcome(parent: QWidget, title: str) -> str | None:
    """How an ask went, Pending offered first (a stray Enter records no success)."""
    choices = [o.value.capitalize() for o in Outcome]
    picked, ok = QInputDialog.getItem(
        parent,
        "How did the ask go?",
        title,
        choices,
        choices.index(Outcome.PENDING.value.capitalize()),
        False,
    )
    return picked.lower() if ok else None


def mark_done(
    ctx: AppContext,
    parent: QWidget,
    step: engine.Step,
    on: date,
    say: Callable[[str], None],
    outcome: str | None = None,
    title: str = "",
) -> int | None:
    """Log ``step`` as done (undoable); returns the interaction id, None if not logged."""
    if step.kind == "ask" and not outcome:
        outcome = ask_outcome(parent, title or step.display_name)
        if outcome is None:
            return None
    store = ctx.store
    how = {
        "ask": step.ask,
        "outcome": outcome if step.kind == "ask" else None,
        "item_id": step.item_id,
    }
    try:
        iid = int(
            perform(
                ctx.undo,
                lambda: engine_undoable.mark_done(
                    store, step.person_id, step.kind, on, f"done: {step.display_name}", **how
                ),
                say,
            )
        )
    except NetappError as exc:
        QMessageBox.warning(parent, "Not logged", str(exc))
        return None
    say(f"Logged for {step.display_name}. Ctrl+Z undoes it.")
    return iid


def snooze(
    ctx: AppContext,
    parent: QWidget,
    step: engine.Step,
    today: date,
    say: Callable[[str], None],
    until: date | None = None,
) -> date | None:
    """Hide ``step`` until a day the user chooses (or ``until``); undoable. Returns the day."""
    if until is None:
        dlg = SnoozeDialog(step.display_name, today, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        until = dlg.until()
        if until is None:
            return None
    store, day = ctx.store, until
    try:
        perform(
            ctx.undo,
            lambda: engine_undoable.snooze(
                store, step.person_id, step.kind, day, f"snooze {step.display_name}"
            ),
            say,
        )
    except NetappError as exc:
        QMessageBox.warning(parent, "Not snoozed", str(exc))
        return None
    say(f"Snoozed {step.display_name} until {day.isoformat()}. Ctrl+Z undoes it.")
    return day
