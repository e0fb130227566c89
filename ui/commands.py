"""Undoable commands. Each one calls the core; none holds a business rule of its own.

PySide prints (and swallows) exceptions raised inside ``redo``/``undo`` called from C++, so
the first write is done by :func:`perform` *before* the command is pushed (errors reach the
caller as usual), and later undo/redo failures go to ``on_error`` and drop the command.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from netapp import engine, referrals
from netapp.capture import CaptureMeeting, CaptureRow, save_capture, undo_capture
from netapp.errors import NetappError
from netapp.store import Store

ErrorSink = Callable[[str], None]


def _ignore(_msg: str) -> None:
    return None


class StoreCommand(QUndoCommand):
    """A write with its inverse. ``apply`` returns a token that ``revert`` takes."""

    def __init__(self, text: str, on_error: ErrorSink | None = None) -> None:
        super().__init__(text)
        self.on_error = on_error or _ignore
        self.token: Any = None
        self._skip_redo = False

    def apply(self) -> Any:
        raise NotImplementedError

    def revert(self, token: Any) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._skip_redo:  # the first write already happened in perform()
            self._skip_redo = False
            return
        try:
            self.token = self.apply()
        except NetappError as exc:
            self.on_error(f"Could not redo {self.text()}: {exc}")
            self.setObsolete(True)

    def undo(self) -> None:
        try:
            self.revert(self.token)
        except NetappError as exc:
            self.on_error(f"Could not undo {self.text()}: {exc}")
            self.setObsolete(True)


def perform(stack: QUndoStack, command: StoreCommand) -> Any:
    """Do the command's write now (raising errors to the caller), then push it for undo."""
    command.token = command.apply()
    command._skip_redo = True
    stack.push(command)
    return command.token


class AddCommand(StoreCommand):
    """Adding a record through the core: ``add()`` returns its id, undo calls ``remove(id)``."""

    def __init__(
        self,
        text: str,
        add: Callable[[], int],
        remove: Callable[[int], object],
        on_error: ErrorSink | None = None,
    ) -> None:
        super().__init__(text, on_error)
        self.add, self.remove = add, remove

    def apply(self) -> int:
        return self.add()

    def revert(self, token: Any) -> None:
        self.remove(int(token))


class EditCommand(StoreCommand):
    """Changing some fields of a record: ``update(**new)``; undo calls ``update(**old)``."""

    def __init__(
        self,
        text: str,
        update: Callable[..., object],
        old: dict[str, Any],
        new: dict[str, Any],
        on_error: ErrorSink | None = None,
    ) -> None:
        super().__init__(text, on_error)
        self.update, self.old, self.new = update, old, new

    def apply(self) -> object:
        return self.update(**self.new)

    def revert(self, token: Any) -> None:
        self.update(**self.old)


class SaveCaptureCommand(StoreCommand):
    """Saving a capture; undo removes the whole capture, redo saves it again."""

    def __init__(
        self,
        store: Store,
        meeting: CaptureMeeting | int,
        rows: list[CaptureRow],
        on_error: ErrorSink | None = None,
    ) -> None:
        super().__init__(f"capture of {len(rows)} people", on_error)
        self.store, self.meeting, self.rows = store, meeting, rows

    def apply(self) -> int:
        return save_capture(self.store, self.meeting, self.rows)

    def revert(self, token: Any) -> None:
        undo_capture(self.store, int(token))


class DeletePersonCommand(StoreCommand):
    """Deleting a person with everything about them; undo restores them from the snapshot."""

    def __init__(
        self, store: Store, person_id: int, name: str, on_error: ErrorSink | None = None
    ) -> None:
        super().__init__(f"delete {name}", on_error)
        self.store, self.person_id = store, person_id

    def apply(self) -> dict[str, Any]:
        return self.store.people.delete(self.person_id)

    def revert(self, token: Any) -> None:
        self.store.people.restore(token)


class EditPersonCommand(StoreCommand):
    """Changing one field of a person; undo puts the old value back."""

    def __init__(
        self,
        store: Store,
        person_id: int,
        field: str,
        old: Any,
        new: Any,
        on_error: ErrorSink | None = None,
    ) -> None:
        super().__init__(f"edit {field.replace('_', ' ')}", on_error)
        self.store, self.person_id, self.field, self.old, self.new = (
            store,
            person_id,
            field,
            old,
            new,
        )

    def apply(self) -> None:
        self.store.people.update(self.person_id, **{self.field: self.new})

    def revert(self, token: Any) -> None:
        self.store.people.update(self.person_id, **{self.field: self.old})


class LogCommand(StoreCommand):
    """Logging one interaction (or anything returning an interaction id); undo deletes it."""

    def __init__(
        self, store: Store, text: str, do: Callable[[], int], on_error: ErrorSink | None = None
    ) -> None:
        super().__init__(text, on_error)
        self.store, self._do = store, do

    def apply(self) -> int:
        return self._do()

    def revert(self, token: Any) -> None:
        self.store.interactions.delete(int(token))


class AttendanceCommand(StoreCommand):
    """Adding or removing one person's attendance at a meeting."""

    def __init__(
        self,
        store: Store,
        meeting_id: int,
        person_id: int,
        present: bool,
        on_error: ErrorSink | None = None,
    ) -> None:
        super().__init__("edit attendance", on_error)
        self.store, self.meeting_id, self.person_id, self.present = (
            store,
            meeting_id,
            person_id,
            present,
        )

    def _set(self, present: bool) -> None:
        if present:
            self.store.meetings.attend(self.meeting_id, self.person_id)
        else:
            self.store.meetings.unattend(self.meeting_id, self.person_id)

    def apply(self) -> None:
        self._set(self.present)

    def revert(self, token: Any) -> None:
        self._set(not self.present)


class GiveValueCommand(StoreCommand):
    """Value given (a library item, or something else described in ``note``), logged through
    the engine's "give value" step; undo takes the interaction back out."""

    def __init__(
        self,
        store: Store,
        person_id: int,
        on: date,
        item_id: int | None,
        note: str = "",
        on_error: ErrorSink | None = None,
    ) -> None:
        super().__init__("log value given", on_error)
        self.store, self.person_id, self.on, self.item_id, self.note = (
            store,
            person_id,
            on,
            item_id,
            note,
        )

    def apply(self) -> int:
        return engine.mark_done(
            self.store, self.person_id, "give-value", self.on, item_id=self.item_id, note=self.note
        )

    def revert(self, token: Any) -> None:
        engine.undo_done(self.store, int(token))


class RecordedReferralCommand(StoreCommand):
    """A referral already recorded through ``netapp.referrals.record`` (by the referral
    dialog); undo takes it back with its interaction, redo puts the same rows back."""

    def __init__(self, store: Store, referral_id: int, on_error: ErrorSink | None = None) -> None:
        super().__init__("record referral", on_error)
        self.store, self.referral_id = store, referral_id
        self.snapshot: dict[str, Any] | None = None

    def apply(self) -> int:
        if self.snapshot is not None:  # a redo after an undo
            self.referral_id = referrals.reinstate(self.store, self.snapshot)
        return self.referral_id

    def revert(self, token: Any) -> None:
        self.snapshot = referrals.remove(self.store, self.referral_id)


class SetOutcomeCommand(StoreCommand):
    """Setting how an ask turned out; undo puts the old outcome back."""

    def __init__(
        self,
        store: Store,
        interaction_id: int,
        old: str,
        new: str,
        on_error: ErrorSink | None = None,
    ) -> None:
        super().__init__(f"set ask outcome to {new}", on_error)
        self.store, self.interaction_id, self.old, self.new = store, interaction_id, old, new

    def apply(self) -> None:
        self.store.interactions.set_outcome(self.interaction_id, self.new)

    def revert(self, token: Any) -> None:
        self.store.interactions.set_outcome(self.interaction_id, self.old)
