"""Search as you type at 100k people: one keystroke until the first page is in the model.

Figure: ``PeopleModel.set_filter(search=text)`` for each keystroke of a few typed words
(names, a family name, an organisation, a tag, two words), one- and two-letter prefixes
included. The page's 120 ms debounce is a deliberate pause, so it is left out.
Floor: the same first page (same rows, same order) fetched with one hand-written SQL
query on the same connection. Reported as the p95 over every keystroke and repetition.
"""

from __future__ import annotations

from typing import Any

from bench import data
from bench.common import qapp
from bench.harness import Config, Figure, measure_pair, median, ms, p95

TITLE = "search as you type"
SCALES = True  # a data size: measured at each size of a scaling run
GOAL = 2.0
# What the user types, one keystroke at a time.
TYPED = ("mary", "smith", "harb", "coa", "john sm", "a", "e")

FLOOR_SQL = """
SELECT p.id, p.display_name, p.org, ps.stage, ps.trust, ps.repeat_contacts, ps.last_touch,
       ps.next_text
FROM people p LEFT JOIN person_status ps ON ps.person_id = p.id
WHERE p.id IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?)
ORDER BY p.display_name COLLATE NOCASE, p.id
LIMIT ?
"""


def keystrokes() -> list[str]:
    """Every prefix the model sees while the words in ``TYPED`` are typed."""
    out: list[str] = []
    for word in TYPED:
        for n in range(1, len(word) + 1):
            prefix = word[:n]
            if prefix.strip() and prefix not in out and not prefix.endswith(" "):
                out.append(prefix)
    return out


def available(cfg: Config) -> str:
    return ""


def run(cfg: Config) -> list[Figure]:
    from netapp.store import Store, fts_query
    from ui.models.people import PeopleModel

    qapp()
    people = cfg.size(100_000)
    store = Store(data.database(people, cache=cfg.cache_dir))
    try:
        model = PeopleModel(store)
        model.refresh()
        figure_s: list[float] = []
        floor_s: list[float] = []
        per_prefix: dict[str, dict[str, float]] = {}
        for text in keystrokes():
            query = fts_query(text)
            rows: list[Any] = []

            def keystroke(text: str = text) -> None:
                model.set_filter(search=text)

            def floor(query: str = query, rows: list[Any] = rows) -> None:
                rows[:] = store.db.conn.execute(FLOOR_SQL, [query, model.BATCH]).fetchall()

            # Many keystrokes make many samples: fewer repeats each keep the run short.
            a, b = measure_pair(keystroke, floor, min(cfg.repeats, 5), min(cfg.warmup, 1))
            got = [model.id_at(r) for r in range(model.rowCount())]
            if got != [r[0] for r in rows]:
                raise AssertionError(f"search {text!r}: the model's first page differs from SQL")
            figure_s += a
            floor_s += b
            per_prefix[text] = {
                "model_ms": round(ms(median(a)), 3),
                "sql_ms": round(ms(median(b)), 3),
                "rows": model.rowCount(),
            }
    finally:
        store.close()
    worst = max(per_prefix, key=lambda k: per_prefix[k]["model_ms"])
    return [
        Figure(
            "search as you type, one keystroke",
            ms(p95(figure_s)),
            "ms",
            ms(p95(floor_s)),
            GOAL,
            size=f"{data.label(people)} people",
            stat="p95",
            floor_desc="the same first page by one raw SQL query (FTS5 prefix match)",
            detail={
                "keystrokes": len(per_prefix),
                "samples": len(figure_s),
                "slowest_prefix": worst,
                "per_prefix": per_prefix,
            },
        )
    ]
