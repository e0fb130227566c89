"""The agenda for 10k people and 200k interactions.

Figure: ``netapp.engine.agenda(store, as_of)``: every person's next step from their whole
history, snoozes hidden, sorted by priority. Floor: one SQL aggregate pass over the same
interactions (per person: count, first and last date, asks, accepted asks, business value),
fetched into Python. That is the least any agenda must do: read every interaction once.
"""

from __future__ import annotations

from datetime import date

from bench import data
from bench.harness import Config, Figure, measure_pair, median, ms

TITLE = "agenda"
SCALES = True  # a data size: measured at each size of a scaling run
MAX_PEOPLE = 10_000  # 100k at this density (2M interactions) takes too long to build
GOAL = 2.0
DENSITY = 20.0  # 10k people, 200k interactions

FLOOR_SQL = """
SELECT person_id, count(*), min(date), max(date), sum(kind = 'ask'),
       sum(kind = 'ask' AND outcome = 'accepted'), sum(kind = 'value-given'),
       total(amount)
FROM interactions GROUP BY person_id
"""


def available(cfg: Config) -> str:
    if not data.engine_available():
        return "netapp.engine has no refresh_status/agenda yet"
    from netapp import engine

    return "" if hasattr(engine, "agenda") else "netapp.engine has no agenda yet"


def run(cfg: Config) -> list[Figure]:
    from netapp import engine
    from netapp.store import Store

    people = cfg.size(10_000)
    store = Store(data.database(people, density=DENSITY, cache=cfg.cache_dir))
    as_of = date.fromisoformat(data.TODAY)
    try:
        interactions = int(store.db.scalar("SELECT count(*) FROM interactions"))
        got: dict[str, int] = {}

        def figure() -> None:
            got["steps"] = len(engine.agenda(store, as_of))

        def floor() -> None:
            got["groups"] = len(store.db.conn.execute(FLOOR_SQL).fetchall())

        repeats = max(3, cfg.repeats // 2)
        a, b = measure_pair(figure, floor, repeats, min(cfg.warmup, 1))
    finally:
        store.close()
    return [
        Figure(
            "agenda",
            ms(median(a)),
            "ms",
            ms(median(b)),
            GOAL,
            size=f"{data.label(people)} people, {interactions // 1000}k interactions",
            floor_desc="one SQL aggregate pass over the interactions (GROUP BY person)",
            detail={"steps": got.get("steps"), "interactions": interactions},
        )
    ]
