"""Value over a year (the second article): business closed plus won referrals they sent you.

    value_12m    = business amounts in (as_of - 365 days, as_of]
                 + values of referrals they sent you, status won, introduced in that window
    forecast_12m = (value_12m + 2 x value of the last 182 days) / 2  x  (0.5 + trust / 200)

The forecast averages the trailing year with the last six months annualised (so a rising or
falling trend shows), then keeps between half and all of it according to trust.
"""

from __future__ import annotations

from datetime import timedelta

from netapp.engine.history import History
from netapp.engine.stage import Facts


def _value_since(h: History, f: Facts, days: int) -> float:
    start = f.as_of - timedelta(days=days)
    total = sum(
        e.amount or 0.0 for e in h.events if e.kind == "business" and start < e.date <= f.as_of
    )
    total += sum(
        r.value or 0.0 for r in h.referrals_from if r.status == "won" and start < r.date <= f.as_of
    )
    return round(float(total), 2)


def value_12m(h: History, f: Facts) -> float:
    return _value_since(h, f, 365)


def forecast_12m(h: History, f: Facts, trust: float) -> float:
    year = _value_since(h, f, 365)
    half = _value_since(h, f, 182)
    return round((year + 2 * half) / 2 * (0.5 + trust / 200), 2)
