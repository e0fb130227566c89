"""What happened between the user and a person (table ``interactions``): ``store.interactions``.

The store checks that an interaction is well formed (an ask names an ask type, only business
and referrals carry an amount, …). That the ask type is on the user's ask ladder is the
engine's rule: :func:`netapp.engine.log_interaction`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from netapp import fields as F
from netapp.domain import Interaction, Kind, Outcome, Topic, parse_enum
from netapp.errors import NotFoundError, ValidationError
from netapp.store.db import Database, new_uuid, now_iso
from netapp.store.records import columns, from_row, insert_sql, values

_AMOUNT_KINDS = frozenset({Kind.BUSINESS, Kind.REFERRAL_RECEIVED, Kind.REFERRAL_GIVEN})
_COLUMNS = columns(Interaction)
_INSERT_SQL = insert_sql("interactions", [*_COLUMNS, "capture_id", "import_batch_id", "created_at"])


def parse_outcome(value: object) -> Outcome:
    return parse_enum(Outcome, value, "outcome")


def _from_row(r: dict[str, Any]) -> Interaction:
    return from_row(Interaction, r)


class Interactions:
    """The interactions repository: ``store.interactions``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def check(self, it: Interaction) -> Interaction:
        """The interaction as it would be stored, or ValidationError naming the field."""
        kind = parse_enum(Kind, it.kind, "kind")
        outcome = None if it.outcome is None else parse_outcome(it.outcome)
        ask_type = (it.ask_type or "").strip() or None
        if kind is Kind.ASK:
            if not ask_type:
                raise ValidationError("ask", "an ask needs its ask type (--ask)")
            outcome = outcome or Outcome.PENDING
        elif ask_type is not None:
            raise ValidationError("ask", "only an ask has an ask type")
        elif outcome is not None:
            raise ValidationError("outcome", "only an ask has an outcome")
        self._check_amount(kind, it.amount)
        if it.library_item_id is not None:
            if kind is not Kind.VALUE_GIVEN:
                raise ValidationError("item", "only value given can name a library item")
            if not self.db.exists("library_items", it.library_item_id):
                raise NotFoundError(f"library item {it.library_item_id} not found")
        return replace(
            it,
            date=F.happened("date", it.date),
            kind=kind,
            note=F.clean_text("note", it.note, multiline=True),
            ask_type=ask_type,
            outcome=outcome,
        )

    @staticmethod
    def _check_amount(kind: Kind, amount: float | None) -> None:
        if amount is not None:
            if kind not in _AMOUNT_KINDS:
                raise ValidationError("amount", "only business and referrals have an amount")
            if not (amount == amount) or amount < 0 or amount > 1e12:  # NaN or out of range
                raise ValidationError("amount", f"{amount!r} is not a positive amount")
        if kind is Kind.BUSINESS and amount is None:
            raise ValidationError("amount", "business closed needs its amount (--amount)")

    def add(
        self,
        interaction: Interaction,
        *,
        capture_id: int | None = None,
        import_batch_id: int | None = None,
    ) -> int:
        """Validate and record one interaction. Returns its id."""
        it = self.check(interaction)
        with self.db.atomic():
            if not self.db.exists("people", it.person_id):
                raise NotFoundError(f"person {it.person_id} not found")
            it = replace(it, uuid=it.uuid or new_uuid())
            cur = self.db.conn.execute(
                _INSERT_SQL, [*values(it, _COLUMNS), capture_id, import_batch_id, now_iso()]
            )
            self.db.changed(Topic.INTERACTIONS, [it.person_id])
        return int(cur.lastrowid or 0)

    def set_outcome(self, interaction_id: int, outcome: str) -> None:
        """Record how a pending ask turned out."""
        value = parse_outcome(outcome)
        with self.db.atomic():  # the read that decides the write, inside its transaction
            rows = self.db.query(
                "SELECT person_id, kind FROM interactions WHERE id = ?", [interaction_id]
            )
            if not rows:
                raise NotFoundError(f"interaction {interaction_id} not found")
            if rows[0]["kind"] != Kind.ASK:
                raise ValidationError("outcome", "only an ask has an outcome")
            self.db.conn.execute(
                "UPDATE interactions SET outcome = ? WHERE id = ?", [value.value, interaction_id]
            )
            self.db.changed(Topic.INTERACTIONS, [rows[0]["person_id"]])

    def delete(self, interaction_id: int) -> dict[str, Any]:
        """Delete one interaction; returns its row."""
        with self.db.atomic():  # the row returned is the row deleted
            rows = self.db.query("SELECT * FROM interactions WHERE id = ?", [interaction_id])
            if not rows:
                raise NotFoundError(f"interaction {interaction_id} not found")
            self.db.conn.execute("DELETE FROM interactions WHERE id = ?", [interaction_id])
            self.db.changed(Topic.INTERACTIONS, [rows[0]["person_id"]])
        return rows[0]

    def get(self, interaction_id: int) -> Interaction:
        rows = self.db.query("SELECT * FROM interactions WHERE id = ?", [interaction_id])
        if not rows:
            raise NotFoundError(f"interaction {interaction_id} not found")
        return _from_row(rows[0])

    def for_person(self, pid: int) -> list[Interaction]:
        """A person's interactions, newest first."""
        return [
            _from_row(r)
            for r in self.db.query(
                "SELECT * FROM interactions WHERE person_id = ? ORDER BY date DESC, id DESC", [pid]
            )
        ]
