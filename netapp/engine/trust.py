"""The trust score, 0-100. See docs/trust-model.md for the formula and a worked example.

    points = sum over kinds of evidence of weight x min(count, cap)  -  penalties
    earned = 100 x (1 - exp(-points / SCALE))
    trust  = earned x (FLOOR + (1 - FLOOR) x 0.5 ** (days since two-way contact / half-life))

Every positive term only grows with more evidence, the curve is increasing, and the recency
factor only falls as time passes without contact: more positive evidence never lowers the
score, and time without contact always does (until the score is 0).

Only evidence that they engaged counts (principle 2): your one-way acts (value you gave, a
referral you sent, an ask still open) carry no points and do not move the recency clock, and
their declines (or asks left unanswered past the lapse period) only cost points.
"""

from __future__ import annotations

import math
from datetime import date

from netapp.engine.stage import Facts

SCALE = 60.0
FLOOR = 0.25  # a relationship keeps a quarter of its earned trust however long the silence
# kind of evidence -> (points each, counted up to this many)
WEIGHTS: dict[str, tuple[float, int]] = {
    "meetings": (3.0, 12),
    "one_to_ones": (10.0, 4),
    "conversations": (3.0, 8),
    "value_received": (6.0, 4),
    "asks_accepted": (6.0, 5),
    "referrals_from": (15.0, 4),
    "business": (10.0, 4),
    "opted_in": (5.0, 1),
}
PENALTIES: dict[str, tuple[float, int]] = {
    "asks_declined": (4.0, 5),
    "asks_ignored": (2.0, 5),  # an ignored ask is a soft decline
}


def trust_parts(f: Facts) -> dict[str, float]:
    counts = {
        "meetings": f.meetings,
        "one_to_ones": f.one_to_ones,
        "conversations": f.conversations,
        "value_received": f.value_received,
        "asks_accepted": len(f.accepted),
        "referrals_from": f.referrals_from,
        "business": f.business,
        "opted_in": int(f.opted_in),
        "asks_declined": len(f.declined) - f.ignored,
        "asks_ignored": f.ignored,
    }
    parts = {k: w * min(counts[k], cap) for k, (w, cap) in WEIGHTS.items()}
    parts.update({k: -w * min(counts[k], cap) for k, (w, cap) in PENALTIES.items()})
    return parts


def recency(f: Facts, half_life_days: float) -> float:
    """1.0 on the day of the last two-way contact, falling towards FLOOR with the half-life."""
    return recency_at(f.last_touch, f.as_of, half_life_days)


def recency_at(last_touch: date | None, as_of: date, half_life_days: float) -> float:
    """The recency factor on ``as_of`` of a last two-way contact on ``last_touch`` (the status
    cache re-ages trust with it)."""
    if last_touch is None:
        return FLOOR
    days = max(0, (as_of - last_touch).days)
    return FLOOR + (1 - FLOOR) * 0.5 ** (days / half_life_days)


def earned_trust(f: Facts) -> float:
    """What the evidence earned, before the recency factor (0-100, not rounded)."""
    return 100.0 * (1.0 - math.exp(-max(0.0, sum(trust_parts(f).values())) / SCALE))


# Each part's (points each, cap), in trust_parts' order: the penalties negated.
_TERMS = (*WEIGHTS.values(), *((-w, cap) for w, cap in PENALTIES.values()))
# The same, one name each: trust_value reads them without a loop (it runs for everyone).
(
    (_MEET, _MEET_CAP),
    (_ONE, _ONE_CAP),
    (_CONV, _CONV_CAP),
    (_RECV, _RECV_CAP),
    (_ACC, _ACC_CAP),
    (_REF, _REF_CAP),
    (_BUY, _BUY_CAP),
    (_OPT, _OPT_CAP),
    (_DEC, _DEC_CAP),
    (_IGN, _IGN_CAP),
) = _TERMS


def trust_value(f: Facts, half_life_days: float) -> float:
    """``trust_score(f, half_life_days)[0]`` without its parts: the agenda's pass over
    everyone needs the score alone. The same terms, summed in the same order (each capped
    count written out: a loop over the terms cost twice as much)."""
    n, ignored = f.meetings, f.ignored
    points = _MEET * (n if n < _MEET_CAP else _MEET_CAP)
    n = f.one_to_ones
    points += _ONE * (n if n < _ONE_CAP else _ONE_CAP)
    n = f.conversations
    points += _CONV * (n if n < _CONV_CAP else _CONV_CAP)
    n = f.value_received
    points += _RECV * (n if n < _RECV_CAP else _RECV_CAP)
    n = len(f.accepted)
    points += _ACC * (n if n < _ACC_CAP else _ACC_CAP)
    n = f.referrals_from
    points += _REF * (n if n < _REF_CAP else _REF_CAP)
    n = f.business
    points += _BUY * (n if n < _BUY_CAP else _BUY_CAP)
    n = int(f.consent_since is not None)
    points += _OPT * (n if n < _OPT_CAP else _OPT_CAP)
    n = len(f.declined) - ignored
    points += _DEC * (n if n < _DEC_CAP else _DEC_CAP)
    points += _IGN * (ignored if ignored < _IGN_CAP else _IGN_CAP)
    earned = 100.0 * (1.0 - math.exp(-(points if points > 0.0 else 0.0) / SCALE))
    last = f.last_touch
    if last is None:
        return round(earned * FLOOR, 1)
    days = (f.as_of - last).days
    factor = FLOOR + (1 - FLOOR) * 0.5 ** ((days if days > 0 else 0) / half_life_days)
    return round(earned * factor, 1)


def trust_score(f: Facts, half_life_days: float) -> tuple[float, dict[str, float]]:
    """The score (one decimal) and its parts, for the person's detail view."""
    parts = trust_parts(f)
    points = max(0.0, sum(parts.values()))
    earned = 100.0 * (1.0 - math.exp(-points / SCALE))
    factor = recency(f, half_life_days)
    parts["points"] = points
    parts["earned"] = round(earned, 1)
    parts["recency"] = round(factor, 3)
    return round(earned * factor, 1), parts
