"""Referral rules on top of the store: the status flow, counting once, agreement, closing the loop.

``Store.add_referral`` and ``Store.set_referral_status`` check the shape of a row. This module
adds the rules of the referral *flow*, in the style of BNI's "thank you for closed business":

- Status moves forward only: ``new → contacted → won | lost`` (``new → won | lost`` is allowed
  when the first contact went unrecorded). ``won`` and ``lost`` are final; only an undo of the
  user's own change goes back (:func:`restore`).
- ``won`` needs the value of the business, which is credited to the referrer (the person who
  introduced the prospect; ``None`` means the user, for referrals the user gave).
- A referral counts once, for the first introduction: the same prospect sent to the same
  receiver twice is refused, naming the first introduction.
- The prospect must have agreed to be contacted; that agreement is recorded on the row.
- "Closing the loop": referrals the user gave that are still open and have had no update for
  14 days, so the user can ask how they went.

"Last update" of a referral is the later of its introduction date and its last status change.
A referral that was only recorded (``updated_at`` equals ``created_at``) was last updated on
its introduction date: recording it late is not news about how it went.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from netapp import fields as F
from netapp.change import Change, reversible
from netapp.domain import Referral, ReferralStatus, Topic, parse_enum
from netapp.errors import NotFoundError, ValidationError
from netapp.store.db import Database
from netapp.store.lists import ListQuery

if TYPE_CHECKING:
    from netapp.store import Store

LOOP_DAYS = 14
MAX_VALUE = 1e12

# Where each status may go next.
TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.NEW: frozenset(
        {ReferralStatus.CONTACTED, ReferralStatus.WON, ReferralStatus.LOST}
    ),
    ReferralStatus.CONTACTED: frozenset({ReferralStatus.WON, ReferralStatus.LOST}),
    ReferralStatus.WON: frozenset(),
    ReferralStatus.LOST: frozenset(),
}

# SQL expression: the day a referral row ``r`` last changed (see the module docstring).
LAST_UPDATE_SQL = (
    "CASE WHEN r.updated_at = r.created_at THEN r.date "
    "ELSE max(r.date, substr(r.updated_at, 1, 10)) END"
)


@dataclass(frozen=True)
class LoopItem:
    """A referral the user gave that needs a "how did it go?"."""

    referral_id: int
    provider_id: int
    provider_name: str
    prospect_name: str
    status: str
    date: str
    last_update: str
    days_quiet: int


def _norm_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def _status(value: str | ReferralStatus, field: str = "status") -> ReferralStatus:
    return parse_enum(ReferralStatus, value, field)


def _value(value: float | None) -> float | None:
    if value is None:
        return None
    try:
        amount = float(value)
    except (TypeError, ValueError):
        raise ValidationError("value", f"{value!r} is not an amount") from None
    if amount != amount:
        raise ValidationError("value", f"{value!r} is not an amount")
    if amount <= 0:
        raise ValidationError("value", "must be an amount above 0")
    if amount > MAX_VALUE:
        raise ValidationError("value", f"must be at most {MAX_VALUE:,.0f}: check the amount")
    return amount


def parse_value(text: str) -> float:
    """The value of won business as a person types it: ``1500``, ``1,500.50``, ``€ 1 500``.

    Raises ValidationError (field ``value``) for an empty, unreadable or non-positive amount."""
    raw = str(text).strip()
    if not raw:
        raise ValidationError("value", "a won referral needs the value of the business")
    cleaned = re.sub(r"[\s\u00a0€$£¥]", "", raw)
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", cleaned):
        cleaned = cleaned.replace(",", "")  # thousands separators
    elif re.fullmatch(r"\d+,\d{1,2}", cleaned):
        cleaned = cleaned.replace(",", ".")  # a decimal comma
    try:
        amount = float(cleaned)
    except ValueError:
        raise ValidationError("value", f"{raw!r} is not an amount") from None
    return float(_value(amount) or 0.0)


def first_introduction(store: Store, ref: Referral) -> dict[str, Any] | None:
    """The earlier referral of the same prospect to the same receiver, if there is one."""
    if ref.prospect_id is not None:
        rows = store.db.query(
            "SELECT id, date, referrer_id, provider_id FROM referrals "
            "WHERE prospect_id = ? AND provider_id IS ? ORDER BY date, id LIMIT 1",
            [ref.prospect_id, ref.provider_id],
        )
        if rows:
            return rows[0]
        name = store.db.scalar("SELECT display_name FROM people WHERE id = ?", [ref.prospect_id])
    else:
        name = ref.prospect_name
    key = _norm_name(name or "")
    if not key:
        return None
    # Names are compared Unicode-aware in Python; the candidates are narrowed in SQL first.
    for row in store.db.query(
        "SELECT r.id, r.date, r.referrer_id, r.provider_id, "
        "COALESCE(p.display_name, r.prospect_name) AS name FROM referrals r "
        "LEFT JOIN people p ON p.id = r.prospect_id WHERE r.provider_id IS ? ORDER BY r.date, r.id",
        [ref.provider_id],
    ):
        if _norm_name(row["name"] or "") == key:
            return {k: row[k] for k in ("id", "date", "referrer_id", "provider_id")}
    return None


def record(store: Store, ref: Referral) -> int:
    """Record a new referral after checking the flow rules. Returns its id.

    Raises ``ValidationError`` when the prospect has not agreed to be contacted, when the
    introduction was already recorded (a referral counts once), or when the value is odd.
    """
    if not ref.prospect_agreed:
        raise ValidationError(
            "prospect_agreed",
            "the person referred must agree to be contacted before you pass on their details",
        )
    status = _status(ref.status)
    value = _value(ref.value)
    if status is ReferralStatus.WON and value is None:
        raise ValidationError("value", "a won referral needs the value of the business")
    if ref.prospect_id is None:
        ref.prospect_name = F.clean_text("display_name", ref.prospect_name)
    for pid, field in ((ref.referrer_id, "referrer"), (ref.provider_id, "provider")):
        if pid is not None and store.db.scalar("SELECT 1 FROM people WHERE id = ?", [pid]) is None:
            raise NotFoundError(f"{field}: person {pid} not found")
    if ref.prospect_id is not None and ref.prospect_id in (ref.referrer_id, ref.provider_id):
        raise ValidationError("prospect", "the person referred cannot also be on the other side")
    with store.atomic():
        first = first_introduction(store, ref)
        if first is not None:
            raise ValidationError(
                "referral",
                f"this prospect was already introduced on {first['date']} (referral "
                f"{first['id']}); a referral counts once, for the first introduction",
            )
        ref.value = value
        ref.status = status
        return store.referrals.add(ref)


def set_status(
    store: Store,
    referral_id: int,
    status: str | ReferralStatus,
    value: float | None = None,
    *,
    on: date | None = None,
) -> dict[str, Any]:
    """Move a referral along the flow. Returns the row as it was before, for undo.

    ``won`` needs ``value`` (the business closed), credited to the referrer.
    """
    new = _status(status)
    amount = _value(value)
    rows = store.db.query("SELECT * FROM referrals WHERE id = ?", [referral_id])
    if not rows:
        raise NotFoundError(f"referral {referral_id} not found")
    before = rows[0]
    old = ReferralStatus(before["status"])
    if new is old:
        raise ValidationError("status", f"the referral is already {old.value}")
    if new not in TRANSITIONS[old]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[old])) or "nothing (it is closed)"
        raise ValidationError("status", f"a {old.value} referral can move to {allowed}")
    if new is ReferralStatus.WON and amount is None:
        raise ValidationError("value", "a won referral needs the value of the business")
    if new is not ReferralStatus.WON and amount is not None:
        raise ValidationError("value", "only a won referral has a value")
    store.referrals.set_status(
        referral_id, new.value, amount, date=on.isoformat() if on is not None else None
    )
    return before


def restore(store: Store, before: dict[str, Any]) -> None:
    """Put a referral's status, value and update time back (undo of :func:`set_status`)."""
    with store.atomic():
        cur = store.db.conn.execute(
            "UPDATE referrals SET status = ?, value = ?, updated_at = ? WHERE id = ?",
            [before["status"], before["value"], before["updated_at"], before["id"]],
        )
        if cur.rowcount == 0:
            raise NotFoundError(f"referral {before['id']} not found")
        store.changed(
            Topic.REFERRALS,
            [x for x in (before["referrer_id"], before["provider_id"], before["prospect_id"]) if x],
        )


def closing_the_loop(store: Store, as_of: date, days: int = LOOP_DAYS) -> list[LoopItem]:
    """Referrals the user gave, still open, with no update for ``days`` days, quietest first."""
    cutoff = (as_of - timedelta(days=days)).isoformat()
    rows = store.db.query(
        f"""SELECT r.id, r.provider_id, p.display_name AS provider_name,
                   COALESCE(pp.display_name, r.prospect_name) AS prospect_name, r.status, r.date,
                   {LAST_UPDATE_SQL} AS last_update
            FROM referrals r
            JOIN people p ON p.id = r.provider_id
            LEFT JOIN people pp ON pp.id = r.prospect_id
            WHERE r.referrer_id IS NULL AND r.status IN ('new', 'contacted')
              AND {LAST_UPDATE_SQL} <= ?
            ORDER BY last_update, r.id""",
        [cutoff],
    )
    return [
        LoopItem(
            r["id"],
            r["provider_id"],
            r["provider_name"],
            r["prospect_name"] or "",
            r["status"],
            r["date"],
            r["last_update"],
            (as_of - date.fromisoformat(r["last_update"])).days,
        )
        for r in rows
    ]


def remove(store: Store, referral_id: int) -> dict[str, Any]:
    """Take back a referral recorded by :func:`record` (undo): the referral row and the
    interactions that record it. Returns a snapshot that :func:`reinstate` puts back."""
    with store.atomic():
        rows = store.db.query("SELECT * FROM referrals WHERE id = ?", [referral_id])
        if not rows:
            raise NotFoundError(f"referral {referral_id} not found")
        ref = rows[0]
        its = store.db.query(
            "SELECT * FROM interactions WHERE referral_id = ? ORDER BY id", [referral_id]
        )
        people = {x for x in (ref["referrer_id"], ref["provider_id"], ref["prospect_id"]) if x}
        people |= {r["person_id"] for r in its}
        store.db.conn.execute("DELETE FROM interactions WHERE referral_id = ?", [referral_id])
        store.db.conn.execute("DELETE FROM referrals WHERE id = ?", [referral_id])
        store.changed(Topic.INTERACTIONS, people)
        store.changed(Topic.REFERRALS, people)
    return {"referral": ref, "interactions": its}


def reinstate(store: Store, snapshot: dict[str, Any]) -> int:
    """Put back a referral taken back by :func:`remove` (redo), with its rows; returns its id
    (the old one, or a new one when another referral has taken it since).

    Raises ``ValidationError`` when the same introduction has been recorded again meanwhile
    (a referral counts once) and ``NotFoundError`` when a person on it is gone.
    """
    ref: dict[str, Any] = snapshot["referral"]
    its: list[dict[str, Any]] = snapshot["interactions"]
    for pid in {x for x in (ref["referrer_id"], ref["provider_id"]) if x} | {
        r["person_id"] for r in its
    }:
        if store.db.scalar("SELECT 1 FROM people WHERE id = ?", [pid]) is None:
            raise NotFoundError(f"person {pid} not found")
    row = dict(ref)
    if row["prospect_id"] is not None and (
        store.db.scalar("SELECT 1 FROM people WHERE id = ?", [row["prospect_id"]]) is None
    ):
        row["prospect_id"] = None  # the prospect was deleted since: keep the name only
    with store.atomic():
        first = first_introduction(
            store,
            Referral(
                referrer_id=row["referrer_id"],
                provider_id=row["provider_id"],
                prospect_id=row["prospect_id"],
                prospect_name=row["prospect_name"],
            ),
        )
        if first is not None:
            raise ValidationError(
                "referral",
                f"this prospect was introduced again on {first['date']} (referral "
                f"{first['id']}); a referral counts once",
            )
        rid = store.db.reinsert("referrals", row)
        for it in its:
            store.db.reinsert("interactions", {**it, "referral_id": rid})
        people = {x for x in (row["referrer_id"], row["provider_id"], row["prospect_id"]) if x}
        people |= {r["person_id"] for r in its}
        store.changed(Topic.INTERACTIONS, people)
        store.changed(Topic.REFERRALS, people)
    return rid


# -- the list behind the Referrals page ------------------------------------------------------

# The Referrals page's filters: key -> what it shows.
FILTERS: dict[str, str] = {
    "all": "All referrals",
    "given": "Given by you",
    "received": "Received by you",
    "open": "Open (new or contacted)",
    "loop": f"Closing the loop (given, no update in {LOOP_DAYS} days)",
}


class ReferralsList(ListQuery):
    """Referrals given and received, filtered by one of :data:`FILTERS`."""

    sort_sql: ClassVar[dict[str, str | None]] = {
        "date": "r.date",
        "direction": "r.referrer_id IS NULL",
        "referrer": "referrer COLLATE NOCASE",
        "prospect": "prospect COLLATE NOCASE",
        "provider": "provider COLLATE NOCASE",
        "status": "r.status",
        "value": "r.value",
        "agreed": None,
        "last_update": "last_update",
    }

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.filter = "all"
        self.as_of: date | None = None

    def base(self) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if self.filter == "given":
            where.append("r.referrer_id IS NULL")
        elif self.filter == "received":
            where.append("r.referrer_id IS NOT NULL")
        elif self.filter == "open":
            where.append("r.status IN ('new', 'contacted')")
        elif self.filter == "loop":
            cutoff = ((self.as_of or date.today()) - timedelta(days=LOOP_DAYS)).isoformat()
            where.append(
                f"r.referrer_id IS NULL AND r.status IN ('new', 'contacted') "
                f"AND {LAST_UPDATE_SQL} <= ?"
            )
            params.append(cutoff)
        sql = f"""SELECT r.id, r.date,
                   CASE WHEN r.referrer_id IS NULL THEN 'Given' ELSE 'Received' END AS direction,
                   COALESCE(ref.display_name, 'You') AS referrer,
                   COALESCE(pp.display_name, r.prospect_name) AS prospect,
                   COALESCE(prov.display_name, 'You') AS provider,
                   r.status, r.value, r.prospect_agreed, {LAST_UPDATE_SQL} AS last_update
            FROM referrals r
            LEFT JOIN people ref ON ref.id = r.referrer_id
            LEFT JOIN people prov ON prov.id = r.provider_id
            LEFT JOIN people pp ON pp.id = r.prospect_id"""
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, params


def referrer_name(store: Store, referral_id: int) -> str:
    """Who referred the business (``you`` when the user did), for the Mark won… dialog."""
    name = store.db.scalar(
        "SELECT COALESCE(p.display_name, 'you') FROM referrals r "
        "LEFT JOIN people p ON p.id = r.referrer_id WHERE r.id = ?",
        [referral_id],
    )
    return str(name) if name is not None else "the referrer"


# -- undoable forms (netapp/change.py) ---------------------------------------------------------


def record_undoable(store: Store, ref: Referral) -> Change:
    """Record a referral (:func:`record`); undo takes it back with its interactions, redo puts
    the same rows back (:func:`reinstate`). The Change's result is the referral id."""
    return _recorded(store, record(store, ref))


def _recorded(store: Store, referral_id: int) -> Change:
    def take_back() -> Change:
        snapshot = remove(store, referral_id)
        return Change("record referral", lambda: _recorded(store, reinstate(store, snapshot)))

    return Change("record referral", take_back, referral_id)


def set_status_undoable(
    store: Store,
    referral_id: int,
    status: str | ReferralStatus,
    value: float | None = None,
    *,
    on: date | None = None,
) -> Change:
    """Move a referral along (:func:`set_status`); undo puts its status, value and update
    time back, redo moves it again."""
    label = f"mark referral {_status(status).value}"
    return reversible(
        label,
        lambda: set_status(store, referral_id, status, value, on=on),
        lambda before: restore(store, before),
    )
