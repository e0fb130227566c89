"""The engine's writes in their undoable form (see ``netapp/change.py``): logging, marking a
step done, snoozing a step and editing the ask ladder, each returning a Change."""

from __future__ import annotations

from datetime import date
from typing import Any

from netapp.change import Change, reversible, setting
from netapp.domain import Interaction, Topic
from netapp.engine import core
from netapp.engine.ladder import Ask, log_interaction, reset_ladder, save_ladder
from netapp.store import Store
from netapp.store.undoable import one_transaction, settings_written


def log(store: Store, interaction: Interaction, label: str = "") -> Change:
    """Log an interaction as the user logs it (an ask must be on the ladder); undo deletes it,
    redo logs it again."""
    label = label or f"log {interaction.kind}"
    return reversible(label, lambda: log_interaction(store, interaction), store.interactions.delete)


@one_transaction
def mark_done(
    store: Store, person_id: int, step_kind: str, on: date, label: str = "", **how: Any
) -> Change:
    """Mark a step done (:func:`netapp.engine.mark_done`, whose keyword arguments ``how``
    takes); undo deletes what it logged and puts back the follow-up mark and the snooze it
    cleared, redo marks it done again. The Change's result is the interaction id."""
    tagged = step_kind == "follow-up" and core.has_follow_up_tag(store, person_id)
    snoozed = _snoozed(store, person_id, step_kind)
    label = label or f"done: {step_kind}"

    def do() -> int:
        return core.mark_done(store, person_id, step_kind, on, **how)

    def take_back(iid: int) -> None:
        with store.atomic():
            core.undo_done(store, iid, follow_up_tag=tagged)
            if snoozed is not None:
                _put_snooze(store, person_id, step_kind, snoozed)

    return reversible(label, do, take_back)


@one_transaction
def snooze(store: Store, person_id: int, step_kind: str, until: date, label: str = "") -> Change:
    """Hide a person's step until ``until``; undo puts back the snooze it had (or none)."""
    old = _snoozed(store, person_id, step_kind)
    core.snooze(store, person_id, step_kind, until)
    label = label or f"snooze {step_kind}"
    put = lambda value: _put_snooze(store, person_id, step_kind, value)  # noqa: E731
    return Change(label, lambda: setting(label, put, until.isoformat(), old))


def edit_ladder(store: Store, ladder: list[Ask] | None) -> Change:
    """Save the ask ladder (None: back to the default); undo puts the old one back."""
    if ladder is None:
        return settings_written(
            store, ["ask_ladder"], lambda: reset_ladder(store), "reset the ask ladder"
        )
    return settings_written(
        store, ["ask_ladder"], lambda: save_ladder(store, ladder), "edit the ask ladder"
    )


def _snoozed(store: Store, person_id: int, step_kind: str) -> str | None:
    until = store.db.scalar(
        "SELECT until FROM snoozes WHERE person_id = ? AND kind = ?", [person_id, step_kind]
    )
    return None if until is None else str(until)


def _put_snooze(store: Store, person_id: int, step_kind: str, until: str | None) -> None:
    """Set a snooze as it was (``until`` ISO date, or None: not snoozed)."""
    with store.atomic():
        if until is None:
            store.db.conn.execute(
                "DELETE FROM snoozes WHERE person_id = ? AND kind = ?", [person_id, step_kind]
            )
        else:
            core.snooze(store, person_id, step_kind, date.fromisoformat(until))
            return
        store.changed(Topic.SNOOZES, [person_id])
