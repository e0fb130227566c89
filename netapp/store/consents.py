"""Consent to be emailed, with its evidence (table ``consents``): ``store.consents``."""

from __future__ import annotations

from dataclasses import replace

from netapp import fields as F
from netapp.domain import Consent, ConsentMethod, Topic, parse_enum
from netapp.errors import NotFoundError, ValidationError
from netapp.store.db import Database, new_uuid, now_iso
from netapp.store.records import columns, from_row, insert_sql, values

_COLUMNS = columns(Consent)
_INSERT_SQL = insert_sql("consents", _COLUMNS)


class Consents:
    """The consents repository: ``store.consents``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, consent: Consent) -> int:
        method = parse_enum(ConsentMethod, consent.method, "method")
        email = F.validate_email(consent.email) if consent.email else ""
        if not consent.obtained_at:
            raise ValidationError("date", "when was consent given?")
        with self.db.atomic():
            if not self.db.exists("people", consent.person_id):
                raise NotFoundError(f"person {consent.person_id} not found")
            clean = replace(
                consent,
                uuid=consent.uuid or new_uuid(),
                email=email,
                method=method,
                card_code=F.clean_text("label", consent.card_code),
                wording=F.clean_text("note", consent.wording, multiline=True),
                source=F.clean_text("note", consent.source),
                withdrawn_at=None,  # recorded now; withdrawing is a change of its own
            )
            cur = self.db.conn.execute(_INSERT_SQL, values(clean, _COLUMNS))
            self.db.changed(Topic.CONSENTS, [consent.person_id])
        return int(cur.lastrowid or 0)

    def delete(self, consent_id: int) -> None:
        """Delete one consent record (the undo of recording it; withdrawing keeps the record)."""
        with self.db.atomic():
            pid = self.db.scalar("SELECT person_id FROM consents WHERE id = ?", [consent_id])
            if pid is None:
                raise NotFoundError(f"consent {consent_id} not found")
            self.db.conn.execute("DELETE FROM consents WHERE id = ?", [consent_id])
            self.db.changed(Topic.CONSENTS, [int(pid)])

    def withdraw(self, pid: int, when: str | None = None) -> int:
        """Withdraw every active consent of a person. Returns how many were withdrawn."""
        with self.db.atomic():
            cur = self.db.conn.execute(
                "UPDATE consents SET withdrawn_at = ? WHERE person_id = ? AND withdrawn_at IS NULL",
                [when or now_iso(), pid],
            )
            self.db.changed(Topic.CONSENTS, [pid])
        return cur.rowcount

    def for_person(self, pid: int) -> list[Consent]:
        return [
            from_row(Consent, r)
            for r in self.db.query(
                "SELECT * FROM consents WHERE person_id = ? ORDER BY obtained_at", [pid]
            )
        ]
