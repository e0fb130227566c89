"""Deterministic benchmark databases: 1k, 10k and 100k people, built once and cached.

The data is ``netapp demo`` at scale (groups, recurring meetings, attendance, referrals,
consents) with the interaction history topped up to about ``density`` per person. The
engine's ``person_status`` cache is filled too, as it would be in a database in use, because
the people list sorts on it.

Databases are cached under ``$NETAPP_BENCH_CACHE`` (default: ``<tmp>/netapp-bench``), keyed by
size, density, seed, schema and whether the engine filled the status; a cached file is
only ever replaced whole (built under a temporary name, then renamed).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from datetime import date
from pathlib import Path

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
TODAY = "2026-11-23"  # the data's "today": fixed, so the data never changes
SEED = 1
DENSITY = 10.0  # interactions per person
CACHE_FORMAT = 2  # bump when the generator changes


def label(people: int) -> str:
    return f"{people // 1000}k" if people % 1000 == 0 else str(people)


def cache_dir(override: Path | None = None) -> Path:
    d = override or Path(
        os.environ.get("NETAPP_BENCH_CACHE") or Path(tempfile.gettempdir()) / "netapp-bench"
    )
    d.mkdir(parents=True, exist_ok=True)
    return d


def engine_available() -> bool:
    """Whether ``netapp.engine`` is there and can fill ``person_status`` (it is being written)."""
    if importlib.util.find_spec("netapp.engine") is None:
        return False
    try:
        from netapp import engine
    except Exception:  # a half-written engine must not stop the benchmarks
        return False
    return hasattr(engine, "refresh_status")


def _key(people: int, density: float, seed: int) -> str:
    # Not keyed on the schema: a cached database is migrated in place when it is opened,
    # as a user's would be, and its status cache refilled if a migration emptied it.
    filler = "engine" if engine_available() else "sql"
    text = f"{CACHE_FORMAT}|{people}|{density}|{seed}|{TODAY}|{filler}"
    digest = hashlib.sha1(text.encode()).hexdigest()[:10]
    return f"people-{label(people)}-d{density:g}-s{seed}-{digest}"


def database(
    people: int,
    *,
    density: float = DENSITY,
    seed: int = SEED,
    cache: Path | None = None,
    log: object = None,
) -> Path:
    """The path of a ready benchmark database, building it the first time."""
    path = cache_dir(cache) / f"{_key(people, density, seed)}.db"
    if path.exists():
        if path not in _ready:
            _make_ready(path)
        return path
    if callable(log):
        log(f"     generating {label(people)} people × {density:g} interactions (cached once) …")
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    build(tmp, people, density=density, seed=seed)
    os.replace(tmp, path)
    _ready.add(path)
    return path


_ready: set[Path] = set()


def _make_ready(path: Path) -> None:
    """Migrate a cached database and refill any status rows a migration dropped."""
    from netapp.store import Store

    store = Store(path)
    try:
        missing = store.db.scalar(
            "SELECT count(*) FROM people WHERE id NOT IN (SELECT person_id FROM person_status)"
        )
        if missing:
            fill_status(store)
            store.db.conn.execute("ANALYZE")
    finally:
        store.close()
    _ready.add(path)


def build(path: Path, people: int, *, density: float = DENSITY, seed: int = SEED) -> dict[str, int]:
    """Write a benchmark database to ``path`` (which must not exist)."""
    from netapp.demo import generate
    from netapp.store import Store

    store = Store(path)
    try:
        counts = generate(
            store, people=people, seed=seed, today=TODAY, interactions_per_person=density
        )
        counts["status_rows"] = fill_status(store)
        store.db.conn.execute("ANALYZE")
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return counts


def fill_status(store: object) -> int:
    """Fill ``person_status`` with the engine when it exists, else with a SQL approximation."""
    from netapp.store import Store

    assert isinstance(store, Store)
    as_of = date.fromisoformat(TODAY)
    if engine_available():
        from netapp import engine

        return int(engine.refresh_status(store, as_of))
    return _approximate_status(store)


def _approximate_status(store: object) -> int:
    """A stand-in for the engine's cache, with realistic spread: stage from what happened,
    trust from counts, last touch, a next step for most people. Used only until
    ``netapp.engine`` exists, so that sorting by status columns has real data to sort."""
    from netapp.store import Store

    assert isinstance(store, Store)
    with store.atomic():
        store.db.conn.execute("DELETE FROM person_status")
        cur = store.db.conn.execute(
            """
            INSERT INTO person_status (person_id, stage, stage_rank, trust, repeat_contacts,
                last_touch, next_kind, next_due, next_text, flags, as_of)
            SELECT p.id,
                CASE WHEN s.business > 0 THEN 'profitability'
                     WHEN s.asks_ok > 1 THEN 'credibility'
                     WHEN s.n > 2 THEN 'visibility' ELSE 'met' END,
                CASE WHEN s.business > 0 THEN 3 WHEN s.asks_ok > 1 THEN 2
                     WHEN s.n > 2 THEN 1 ELSE 0 END,
                min(100.0, COALESCE(s.n, 0) * 3.7 + COALESCE(s.asks_ok, 0) * 5
                    + COALESCE(a.meetings, 0) * 2.1),
                COALESCE(a.meetings, 0),
                s.last,
                CASE WHEN s.n IS NULL THEN 'follow-up' WHEN p.id % 3 = 0 THEN 'give-value'
                     WHEN p.id % 3 = 1 THEN 'keep-in-touch' ELSE 'ask' END,
                CASE WHEN p.id % 7 = 0 THEN NULL
                     ELSE date(COALESCE(s.last, ?), '+' || (p.id % 45) || ' days') END,
                CASE WHEN p.id % 7 = 0 THEN ''
                     ELSE 'Next step for ' || p.display_name END,
                CASE WHEN p.id % 11 = 0 THEN 'cooling' ELSE '' END,
                ?
            FROM people p
            LEFT JOIN (SELECT person_id, count(*) AS n, max(date) AS last,
                              sum(kind = 'business') AS business,
                              sum(kind = 'ask' AND outcome = 'accepted') AS asks_ok
                       FROM interactions GROUP BY person_id) s ON s.person_id = p.id
            LEFT JOIN (SELECT person_id, count(*) AS meetings FROM attendance GROUP BY person_id)
                 a ON a.person_id = p.id
            """,
            [TODAY, TODAY],
        )
        return int(cur.rowcount)
