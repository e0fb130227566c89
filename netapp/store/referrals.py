"""Referrals: who introduced whom to whom, and how it went (table ``referrals``):
``store.referrals``. Recording one also logs the interaction with the person on the other
side (through the interactions repository, in the same transaction)."""

from __future__ import annotations

from dataclasses import replace

from netapp import fields as F
from netapp.domain import Interaction, Kind, Referral, ReferralStatus, Topic, parse_enum
from netapp.errors import NotFoundError, ValidationError
from netapp.store.db import Database, new_uuid, now_iso
from netapp.store.interactions import Interactions
from netapp.store.records import columns, insert_sql, values

_COLUMNS = columns(Referral)  # … updated_at last
_INSERT_SQL = insert_sql("referrals", [*_COLUMNS, "created_at"])


def parse_status(value: object) -> ReferralStatus:
    return parse_enum(ReferralStatus, value, "status")


def _check_value(value: float | None) -> None:
    if value is not None and (value != value or value < 0):
        raise ValidationError("value", "must be a positive amount")


class Referrals:
    """The referrals repository: ``store.referrals``."""

    def __init__(self, db: Database, interactions: Interactions) -> None:
        self.db = db
        self.interactions = interactions

    @staticmethod
    def _check(ref: Referral) -> ReferralStatus:
        if ref.referrer_id is not None and ref.provider_id is not None:
            raise ValidationError(
                "referral", "either you referred someone, or someone referred you"
            )
        if ref.referrer_id is None and ref.provider_id is None:
            raise ValidationError("referral", "name who referred you, or whom you referred")
        if ref.prospect_id is None and not ref.prospect_name.strip():
            raise ValidationError("prospect", "name the person referred")
        status = parse_status(ref.status)
        _check_value(ref.value)
        return status

    def _check_not_recorded(self, ref: Referral) -> None:
        if ref.prospect_id is None:
            return
        dup = self.db.scalar(
            "SELECT id FROM referrals WHERE prospect_id = ? AND referrer_id IS ? "
            "AND provider_id IS ?",
            [ref.prospect_id, ref.referrer_id, ref.provider_id],
        )
        if dup is not None:
            raise ValidationError(
                "referral",
                f"this introduction is already recorded (referral {dup}); a referral counts once",
            )

    def add(self, ref: Referral) -> int:
        """Record a referral and the matching interaction with the person on the other side."""
        status = self._check(ref)
        day = F.happened("date", ref.date)
        stamp = now_iso()
        other = int((ref.referrer_id if ref.referrer_id is not None else ref.provider_id) or 0)
        with self.db.atomic():
            self._check_not_recorded(ref)
            clean = replace(
                ref,
                uuid=ref.uuid or new_uuid(),
                prospect_name=F.clean_text("display_name", ref.prospect_name),
                status=status,
                date=day,
                note=F.clean_text("note", ref.note, multiline=True),
                updated_at=stamp,
            )
            cur = self.db.conn.execute(_INSERT_SQL, [*values(clean, _COLUMNS), stamp])
            rid = int(cur.lastrowid or 0)
            kind = Kind.REFERRAL_RECEIVED if ref.referrer_id is not None else Kind.REFERRAL_GIVEN
            self.interactions.add(
                Interaction(person_id=other, date=day, kind=kind, note=ref.note, referral_id=rid)
            )
            self.db.changed(Topic.REFERRALS, [other])
        return rid

    def set_status(
        self, rid: int, status: str, value: float | None = None, *, date: str | None = None
    ) -> None:
        """Move a referral along new → contacted → won/lost. Won needs the value of the business."""
        st = parse_status(status)
        _check_value(value)
        stamp = (F.happened("date", date) + "T12:00:00+00:00") if date else now_iso()
        with self.db.atomic():  # the read that decides the write, inside its transaction
            rows = self.db.query("SELECT * FROM referrals WHERE id = ?", [rid])
            if not rows:
                raise NotFoundError(f"referral {rid} not found")
            if st is ReferralStatus.WON and value is None and rows[0]["value"] is None:
                raise ValidationError("value", "a won referral needs the value of the business")
            self.db.conn.execute(
                "UPDATE referrals SET status = ?, value = COALESCE(?, value), updated_at = ? "
                "WHERE id = ?",
                [st.value, value, stamp, rid],
            )
            r = rows[0]
            self.db.changed(
                Topic.REFERRALS,
                [x for x in (r["referrer_id"], r["provider_id"], r["prospect_id"]) if x],
            )
