"""Journal notes: dated, multi-line notes on a person (table ``notes``): ``store.notes``.

Writes return what undoes them: :meth:`Notes.add` the new id (undo: :meth:`Notes.delete`),
:meth:`Notes.update` the note as it was (undo: ``update`` with its date and text),
:meth:`Notes.delete` a snapshot (undo: :meth:`Notes.restore`). The search table
``notes_fts`` follows by triggers (schema ``m008``).
"""

from __future__ import annotations

from typing import Any

from netapp import fields as F
from netapp.domain import Note, Topic
from netapp.errors import NotFoundError, ValidationError
from netapp.store.db import Database, new_uuid, now_iso

_COLUMNS = ("id", "uuid", "person_id", "date", "text", "created_at", "updated_at")


def _from_row(r: dict[str, Any]) -> Note:
    return Note(**{c: r[c] for c in _COLUMNS})


def _clean(day: str, text: str) -> tuple[str, str]:
    """The note's date and text as stored, or ValidationError naming the field."""
    clean_day = F.parse_date("date", day)
    clean_text = F.clean_text("note", text, multiline=True)
    if not clean_text:
        raise ValidationError("note", "a note needs some text")
    return clean_day, clean_text


class Notes:
    """The journal notes repository: ``store.notes``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, note: Note) -> int:
        """Store a new note; returns its id."""
        day, text = _clean(note.date, note.text)
        now = now_iso()
        with self.db.atomic():
            if self.db.scalar("SELECT 1 FROM people WHERE id = ?", [note.person_id]) is None:
                raise NotFoundError(f"person {note.person_id} not found")
            cur = self.db.conn.execute(
                "INSERT INTO notes (uuid, person_id, date, text, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [note.uuid or new_uuid(), note.person_id, day, text, now, now],
            )
            self.db.changed(Topic.NOTES, [note.person_id])
        return int(cur.lastrowid or 0)

    def get(self, note_id: int) -> Note:
        rows = self.db.query("SELECT * FROM notes WHERE id = ?", [note_id])
        if not rows:
            raise NotFoundError(f"note {note_id} not found")
        return _from_row(rows[0])

    def for_person(self, person_id: int) -> list[Note]:
        """A person's notes, newest first."""
        rows = self.db.query(
            "SELECT * FROM notes WHERE person_id = ? ORDER BY date DESC, id DESC", [person_id]
        )
        return [_from_row(r) for r in rows]

    def latest(self, person_ids: list[int], per_person: int = 2) -> dict[int, list[Note]]:
        """The newest ``per_person`` notes of each of these people (for the briefing sheet)."""
        out: dict[int, list[Note]] = {}
        for pid in sorted(set(person_ids)):
            rows = self.db.query(
                "SELECT * FROM notes WHERE person_id = ? ORDER BY date DESC, id DESC LIMIT ?",
                [pid, per_person],
            )
            if rows:
                out[pid] = [_from_row(r) for r in rows]
        return out

    def update(self, note_id: int, *, date: str | None = None, text: str | None = None) -> Note:
        """Change a note's date or text. Returns the note as it was (for undo)."""
        before = self.get(note_id)
        day, clean = _clean(
            date if date is not None else before.date, text if text is not None else before.text
        )
        with self.db.atomic():
            self.db.conn.execute(
                "UPDATE notes SET date = ?, text = ?, updated_at = ? WHERE id = ?",
                [day, clean, now_iso(), note_id],
            )
            self.db.changed(Topic.NOTES, [before.person_id])
        return before

    def delete(self, note_id: int) -> dict[str, Any]:
        """Delete a note. Returns its row, for :meth:`restore`."""
        rows = self.db.query("SELECT * FROM notes WHERE id = ?", [note_id])
        if not rows:
            raise NotFoundError(f"note {note_id} not found")
        with self.db.atomic():
            self.db.conn.execute("DELETE FROM notes WHERE id = ?", [note_id])
            self.db.changed(Topic.NOTES, [rows[0]["person_id"]])
        return rows[0]

    def restore(self, row: dict[str, Any]) -> int:
        """Put back a note deleted by :meth:`delete` (same id and uuid). Returns its id."""
        with self.db.atomic():
            if self.db.scalar("SELECT 1 FROM people WHERE id = ?", [row["person_id"]]) is None:
                raise NotFoundError(f"person {row['person_id']} not found")
            self.db.conn.execute(
                f"INSERT INTO notes ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * 7)})",
                [row[c] for c in _COLUMNS],
            )
            self.db.changed(Topic.NOTES, [row["person_id"]])
        return int(row["id"])
