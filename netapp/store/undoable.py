"""The store's writes in their undoable form: each does the write and returns a
:class:`~netapp.change.Change` whose ``undo`` performs the inverse write (see ``netapp/change.py``).

Deletes are undoable by themselves (``store.people.delete`` and its peers return a Change that
keeps the snapshot); an add's undo is that delete, so redoing an add puts back the *same* row
(same id, with whatever was added to it meanwhile). Edits read the old values themselves, so a
caller names only what it wants.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields as dataclass_fields
from typing import Any, Concatenate, ParamSpec

from netapp.change import Change, setting
from netapp.domain import LibraryItem, Note, Person
from netapp.errors import ValidationError
from netapp.store import Store

P = ParamSpec("P")


def one_transaction(
    write: Callable[Concatenate[Store, P], Change],
) -> Callable[Concatenate[Store, P], Change]:
    """Run an undoable write in one transaction (``BEGIN IMMEDIATE``), so the old values it
    keeps for undo are read inside the write that replaces them."""

    @functools.wraps(write)
    def run(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> Change:
        with store.atomic():
            return write(store, *args, **kwargs)

    return run


# -- people ------------------------------------------------------------------------------------


def add_person(store: Store, person: Person) -> Change:
    """Add a person; undo deletes them, redo brings the same person back."""
    label = f"add {person.display_name.strip()}"
    pid = store.people.add(person)
    return Change(label, lambda: store.people.delete(pid, label), pid)


@one_transaction
def edit_person(store: Store, pid: int, label: str = "", **new: Any) -> Change:
    """Change some of a person's fields; undo puts the old values back."""
    with store.atomic():  # the old values are read in the write's transaction
        current = store.people.get(pid)
        unknown = set(new) - {f.name for f in dataclass_fields(Person)} - {"id", "uuid"}
        if unknown:
            raise ValidationError(sorted(unknown)[0], "no such person field")
        old = {key: getattr(current, key) for key in new}
        label = label or "edit " + ", ".join(k.replace("_", " ") for k in new)
        return setting(label, lambda values: store.people.update(pid, **values), old, new)


# -- groups and meetings -----------------------------------------------------------------------


def add_group(store: Store, name: str, **values: Any) -> Change:
    """Add a group; undo deletes it, redo brings it back (its meetings regrouped)."""
    label = f"add group {name}"
    gid = store.groups.add(name, **values)
    return Change(label, lambda: store.groups.delete(gid, label), gid)


@one_transaction
def edit_group(store: Store, gid: int, **new: Any) -> Change:
    """Change a group's fields; undo puts the old values back."""
    with store.atomic():  # the old values are read in the write's transaction
        g = store.groups.get(gid)
        old = {key: getattr(g, key) for key in new}
        update = lambda values: store.groups.update(gid, **values)  # noqa: E731
        return setting(f"edit group {g.name}", update, old, new)


def add_meeting(store: Store, name: str, day: str, **values: Any) -> Change:
    """Add a meeting; undo deletes it with whatever was added to it since, redo brings all of
    that back."""
    label = f"add meeting {name}"
    mid = store.meetings.add(name, day, **values)
    return Change(label, lambda: store.meetings.delete(mid, label), mid)


@one_transaction
def edit_meeting(store: Store, mid: int, **new: Any) -> Change:
    """Change a meeting's fields (a new date moves what was logged at it); undo puts the old
    values back."""
    with store.atomic():  # the old values are read in the write's transaction
        m = store.meetings.get(mid)
        old = {key: getattr(m, key) for key in new}
        update = lambda values: store.meetings.update(mid, **values)  # noqa: E731
        return setting(f"edit meeting {m.name}", update, old, new)


def set_attendance(store: Store, meeting_id: int, person_id: int, present: bool) -> Change:
    """Add (``present``) or remove one person's attendance; undo does the opposite (a removed
    row comes back as it was: visitor or substitute, and who brought them)."""
    if present:
        store.meetings.attend(meeting_id, person_id)
        return Change(
            "edit attendance", lambda: set_attendance(store, meeting_id, person_id, False)
        )
    return remove_from_meeting(store, meeting_id, [person_id], "edit attendance")


def remove_from_meeting(
    store: Store, meeting_id: int, ids: Iterable[int], label: str = ""
) -> Change:
    """Take these people off a meeting in one step; undo puts their rows back as they were."""
    wanted = list(ids)
    label = label or _people_label("remove", wanted, "from a meeting")
    rows = store.meetings.attendance_rows(meeting_id, wanted)
    store.meetings.unattend_many(meeting_id, wanted)

    def put_back() -> Change:
        store.meetings.put_back(rows)
        return Change(label, lambda: remove_from_meeting(store, meeting_id, wanted, label))

    return Change(label, put_back)


# -- interactions ------------------------------------------------------------------------------


@one_transaction
def set_outcome(store: Store, interaction_id: int, outcome: str) -> Change:
    """Set how an ask turned out; undo puts the old outcome back."""
    with store.atomic():  # the old values are read in the write's transaction
        old = store.interactions.get(interaction_id).outcome
        set_it = lambda value: store.interactions.set_outcome(interaction_id, value)  # noqa: E731
        return setting(f"set ask outcome to {outcome}", set_it, str(old or "pending"), outcome)


# -- the value library -------------------------------------------------------------------------


def add_library_item(store: Store, item: LibraryItem) -> Change:
    """Add a library item; undo deletes it again (refused once it has been given)."""
    label = f"add {item.title}"
    item_id = store.library.add(item)

    def take_back() -> Change:
        kept = store.library.get(item_id)
        store.library.delete(item_id)
        return Change(label, lambda: add_library_item(store, kept))

    return Change(label, take_back, item_id)


@one_transaction
def edit_library_item(store: Store, item_id: int, **new: Any) -> Change:
    """Change a library item's fields; undo puts the old values back."""
    with store.atomic():  # the old values are read in the write's transaction
        current = store.library.get(item_id)
        old = {key: getattr(current, key) for key in new}
        update = lambda values: store.library.update(item_id, **values)  # noqa: E731
        return setting(f"edit {current.title}", update, old, new)


@one_transaction
def set_retired(store: Store, item_id: int, when: str | None) -> Change:
    """Retire an item as of ``when`` (no longer suggested; what was given stays), or bring
    it back (None); undo puts the old state back."""
    with store.atomic():  # the old values are read in the write's transaction
        current = store.library.get(item_id)
        label = f"{'retire' if when else 'bring back'} {current.title}"
        retire = lambda stamp: store.library.update(item_id, retired_at=stamp)  # noqa: E731
        return setting(label, retire, current.retired_at, when)


# -- settings ----------------------------------------------------------------------------------


def set_settings(store: Store, values: Mapping[str, Any], label: str = "") -> Change:
    """Validate and set some settings in one transaction; undo puts them back as they were
    stored (a setting that was not set goes back to its default)."""
    label = label or "change " + ", ".join(k.replace("_", " ") for k in values)
    return settings_written(store, list(values), lambda: store.settings.update(values), label)


@one_transaction
def settings_written(
    store: Store, keys: Iterable[str], write: Callable[[], object], label: str
) -> Change:
    """Run ``write``, which changes only the settings ``keys`` (the ask ladder's save, say);
    undo puts those settings back as they were stored, redo as ``write`` left them."""
    keys = list(keys)
    old = {key: store.settings.stored(key) for key in keys}
    write()
    new = {key: store.settings.stored(key) for key in keys}
    return Change(label, lambda: setting(label, store.settings.put_stored, new, old))


# -- journal notes (issue 17) ------------------------------------------------------------------


def add_note(store: Store, note: Note) -> Change:
    """Add a journal note; undo deletes it, redo brings the same note back."""
    nid = store.notes.add(note)
    return Change("add note", lambda: _delete_note(store, nid, "add note"), nid)


def delete_note(store: Store, note_id: int) -> Change:
    """Delete a journal note; undo puts it back with its id."""
    return _delete_note(store, note_id, "delete note")


def _delete_note(store: Store, note_id: int, label: str) -> Change:
    row = store.notes.delete(note_id)

    def put_back() -> Change:
        store.notes.restore(row)
        return Change(label, lambda: _delete_note(store, note_id, label), note_id)

    return Change(label, put_back, note_id)


def edit_note(store: Store, note_id: int, **new: Any) -> Change:
    """Change a note's ``date`` or ``text``; undo puts the old ones back."""
    before = store.notes.get(note_id)
    unknown = set(new) - {"date", "text"}
    if unknown:
        raise ValidationError(sorted(unknown)[0], "no such note field")
    old = {key: getattr(before, key) for key in new}
    return setting("edit note", lambda values: store.notes.update(note_id, **values), old, new)


# -- bulk actions (issue 17): one transaction and one undo step each ---------------------------


def _people_label(verb: str, ids: list[int], what: str) -> str:
    return f"{verb} {len(ids)} {'person' if len(ids) == 1 else 'people'} {what}".strip()


def tag_people(store: Store, ids: Iterable[int], tag: str) -> Change:
    """Tag everyone in ``ids``; undo takes the tag off exactly those who did not have it."""
    wanted = list(ids)
    return _tag(store, wanted, tag, _people_label("tag", wanted, f"“{tag.strip()}”"))


def _tag(store: Store, ids: list[int], tag: str, label: str) -> Change:
    added = store.people.tag_many(ids, tag)
    return Change(label, lambda: _untag(store, added, tag, label), added)


def untag_people(store: Store, ids: Iterable[int], tag: str) -> Change:
    """Take a tag off everyone in ``ids``; undo gives it back to those who had it."""
    wanted = list(ids)
    return _untag(store, wanted, tag, _people_label("untag", wanted, f"“{tag.strip()}”"))


def _untag(store: Store, ids: list[int], tag: str, label: str) -> Change:
    removed = store.people.untag_many(ids, tag)
    return Change(label, lambda: _tag(store, removed, tag, label), removed)


def add_to_meeting(store: Store, meeting_id: int, ids: Iterable[int]) -> Change:
    """Record everyone in ``ids`` at a meeting; undo takes off those it added."""
    wanted = list(ids)
    label = _people_label("add", wanted, "to a meeting")

    def do() -> Change:
        added = store.meetings.attend_many(meeting_id, wanted)

        def take_back() -> Change:
            store.meetings.unattend_many(meeting_id, added)
            return Change(label, do, added)

        return Change(label, take_back, added)

    return do()
