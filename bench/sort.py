"""Sorting the people list by each column at 100k people.

Figure: ``PeopleModel.sort(column, order)`` until the first page is in the model, for every
sortable column, ascending and descending alternately. Floor: the raw SQL a careful hand
would write for the same first page: walk the column's index (``ORDER BY … LIMIT``) and
look up the other columns of just those rows. One figure per column.
"""

from __future__ import annotations

from typing import Any

from bench import data
from bench.common import qapp
from bench.harness import Config, Figure, measure_pair, median, ms

TITLE = "sort"
SCALES = True  # a data size: measured at each size of a scaling run
GOAL = 2.0

COLS = (
    "p.id, p.display_name, p.org, ps.stage, ps.trust, ps.repeat_contacts, ps.last_touch, "
    "ps.next_text"
)
# column key -> (FROM clause driven by the column's index, ORDER BY expression)
FLOORS: dict[str, tuple[str, str]] = {
    "display_name": (
        "people p LEFT JOIN person_status ps ON ps.person_id = p.id",
        "p.display_name COLLATE NOCASE",
    ),
    "org": ("people p LEFT JOIN person_status ps ON ps.person_id = p.id", "p.org COLLATE NOCASE"),
    "stage": ("person_status ps JOIN people p ON p.id = ps.person_id", "ps.stage_rank"),
    "trust": ("person_status ps JOIN people p ON p.id = ps.person_id", "ps.trust"),
    "repeat_contacts": (
        "person_status ps JOIN people p ON p.id = ps.person_id",
        "ps.repeat_contacts",
    ),
    "last_touch": ("person_status ps JOIN people p ON p.id = ps.person_id", "ps.last_touch"),
    "next_text": ("person_status ps JOIN people p ON p.id = ps.person_id", "ps.next_due"),
}


def floor_sql(key: str, descending: bool) -> str:
    source, expr = FLOORS[key]
    tie = "p.id" if source.startswith("people") else "ps.person_id"
    d = "DESC" if descending else "ASC"
    return f"SELECT {COLS} FROM {source} ORDER BY {expr} {d}, {tie} {d} LIMIT ?"


def available(cfg: Config) -> str:
    return ""


def run(cfg: Config) -> list[Figure]:
    from PySide6.QtCore import Qt

    from netapp.store import Store
    from ui.models.people import PeopleModel

    qapp()
    people = cfg.size(100_000)
    store = Store(data.database(people, cache=cfg.cache_dir))
    missing = store.db.scalar(
        "SELECT count(*) FROM people WHERE id NOT IN (SELECT person_id FROM person_status)"
    )
    if missing:
        raise AssertionError(f"{missing} people have no person_status row: the floor needs them")
    figures: list[Figure] = []
    try:
        model = PeopleModel(store)
        model.refresh()
        for col, column in enumerate(model.columns):
            if not model.query.can_sort(column.key):
                continue
            state = {"desc": False}
            rows: list[Any] = []

            def sort(col: int = col, state: dict[str, bool] = state) -> None:
                state["desc"] = not state["desc"]
                order = (
                    Qt.SortOrder.DescendingOrder if state["desc"] else Qt.SortOrder.AscendingOrder
                )
                model.sort(col, order)

            def floor(
                key: str = column.key, state: dict[str, bool] = state, rows: list[Any] = rows
            ) -> None:
                # runs just before sort(): the same direction sort() is about to use
                sql = floor_sql(key, not state["desc"])
                rows[:] = store.db.conn.execute(sql, [model.BATCH]).fetchall()

            # A sort takes ~2 ms, so many samples are cheap and steady the median.
            a, b = measure_pair(sort, floor, max(cfg.repeats, 25), cfg.warmup)
            got = [model.id_at(r) for r in range(model.rowCount())]
            if got != [r[0] for r in rows]:
                raise AssertionError(f"sort by {column.title}: first page differs from the floor")
            figures.append(
                Figure(
                    f"sort by {column.title}",
                    ms(median(a)),
                    "ms",
                    ms(median(b)),
                    GOAL,
                    size=f"{data.label(people)} people",
                    floor_desc=f"indexed ORDER BY {FLOORS[column.key][1]} LIMIT {model.BATCH}",
                    detail={"model_ms": [round(ms(x), 3) for x in a]},
                )
            )
    finally:
        store.close()
    return figures
