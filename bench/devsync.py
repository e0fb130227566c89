"""Device sync (issue 19) at 20,000 people and 60,000 interactions.

Figures, each against a plain SQLite bulk copy of the same tables (``INSERT INTO … SELECT``
from an attached database into an empty one: the least any replication of those rows costs):

- **first full sync**: device A joins a folder and syncs (every row into the Yjs document and
  one update file), then an empty device B joins and syncs (reads the file, applies it, writes
  every row into SQLite). Goal: at most 15× the bulk copy (every row goes through the Yjs
  document twice and the merge rules once; an order of magnitude is the price of a log that
  merges).
- **a 50-edit delta**: 25 edited people and 25 new interactions on A, then A syncs and B syncs,
  each in a fresh connection as the command line does. The floor is the same bulk copy of the
  whole data: what copying the database file around (the thing device sync replaces) costs
  per change. Goal: cheaper than that copy (≤ 1×); both devices load their whole document
  (and append only the change to it), which is most of a small delta's cost.
- **the same delta in the app**: each device's connection and document kept between syncs,
  as the app's timer syncs do (``netapp.sync.devices.saved.KeptDoc``). Same floor and goal.
- **memory**: the peak RSS of a fresh process running B's first sync, against a fresh process
  running the bulk copy. Goal: at most 8× (the Yrs document is held in memory whole).
"""

from __future__ import annotations

import gc
import json
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.harness import Config, Figure, median, ms

TITLE = "device sync"
GOALS = {"first": 15.0, "delta": 1.0, "memory": 8.0}
TABLES = ("people", "person_emails", "interactions")


def available(cfg: Config) -> str:
    try:
        import pycrdt  # noqa: F401

        from netapp.sync.devices import run  # noqa: F401
    except ImportError as exc:
        return f"device sync is not installed ({exc})"
    return ""


def build(path: Path, people: int, interactions: int, seed: int = 7) -> None:
    """A database of ``people`` people (one email each) and ``interactions`` interactions."""
    from netapp.store import Store

    rng = random.Random(seed)
    with Store(path) as store, store.atomic():
        c = store.db.conn
        stamp = "2026-01-01T00:00:00+00:00"
        c.executemany(
            "INSERT INTO people (id, uuid, display_name, org, title, note, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    i,
                    str(uuid.UUID(int=rng.getrandbits(128))),
                    f"Person {i}",
                    f"Org {i % 500}",
                    "Founder",
                    f"Met at event {i % 40}",
                    stamp,
                    stamp,
                )  # fmt: skip
                for i in range(1, people + 1)
            ],
        )
        c.executemany(
            "INSERT INTO person_emails (person_id, email) VALUES (?, ?)",
            [(i, f"p{i}@example.com") for i in range(1, people + 1)],
        )
        c.executemany(
            "INSERT INTO interactions (uuid, person_id, date, kind, note, created_at) "
            "VALUES (?, ?, ?, 'call', ?, ?)",
            [
                (
                    str(uuid.UUID(int=rng.getrandbits(128))),
                    1 + n % people,
                    f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}",
                    f"call {n}",
                    stamp,
                )  # fmt: skip
                for n in range(interactions)
            ],
        )


def bulk_copy(source: Path, target: Path) -> None:
    """The floor: the same tables copied into an empty netapp database by plain SQL."""
    from netapp.store import Store

    with Store(target) as store:
        c = store.db.conn
        c.execute("ATTACH DATABASE ? AS src", [str(source)])
        with store.atomic():
            for table in TABLES:
                c.execute(f"INSERT INTO main.{table} SELECT * FROM src.{table}")
        c.execute("DETACH DATABASE src")


def _device(path: Path, folder: Path, name: str) -> None:
    from netapp.store import Store
    from netapp.sync.devices import run

    with Store(path) as store:
        run.join(store, folder, name)


def _sync(path: Path) -> None:
    from netapp.store import Store
    from netapp.sync.devices import run

    with Store(path) as store:
        run.sync(store, refresh=False)


def _app_delta(a: Path, b: Path, count: int) -> float:
    """The app's timer syncs: each device's connection and document kept from one sync to
    the next (``KeptDoc``). Both sync once (untimed: the app's start-up sync), then ``count``
    edits on A, then the timed syncs of A and B."""
    from netapp.store import Store
    from netapp.sync.devices import run
    from netapp.sync.devices.saved import KeptDoc

    with Store(a) as sa, Store(b) as sb:
        kept = {sa: KeptDoc(), sb: KeptDoc()}
        for store in (sa, sb):
            run.sync(store, refresh=False, kept=kept[store])
        _edit(a, count)
        gc.collect()
        t0 = time.perf_counter()
        for store in (sa, sb):
            run.sync(store, refresh=False, kept=kept[store])
        return time.perf_counter() - t0


def _edit(path: Path, count: int) -> None:
    from netapp.domain import Interaction, Kind
    from netapp.store import Store

    with Store(path) as store:
        for i in range(1, count // 2 + 1):
            store.people.update(i * 7, title=f"Chair {time.time_ns()}")
            store.interactions.add(Interaction(person_id=i * 11, date="2026-06-01", kind=Kind.CALL))


_CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from bench.devsync import _sync, bulk_copy
if sys.argv[1] == "sync":
    _sync(Path(sys.argv[2]))
else:
    bulk_copy(Path(sys.argv[2]), Path(sys.argv[3]))
# the peak RSS of this process (VmHWM: reset by exec, unlike ru_maxrss)
print(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM:")))
"""


def _peak_mb(*args: str) -> float:
    code = _CHILD.format(root=str(Path(__file__).resolve().parents[1]))
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    ).stdout
    return int(out.split()[-1]) / 1024


def run(cfg: Config) -> list[Figure]:
    from netapp.store import Store

    people, interactions = (1_000, 3_000) if cfg.quick else (20_000, 60_000)
    size = f"{people:,} people, {interactions:,} interactions"
    repeats = 1 if cfg.quick else 3
    firsts, deltas, apps, copies, sizes = [], [], [], [], []
    with tempfile.TemporaryDirectory(prefix="netapp-bench-devsync-") as tmp:
        root = Path(tmp)
        source = root / "source.db"
        build(source, people, interactions)
        for n in range(repeats):
            a, b, folder = root / f"a{n}.db", root / f"b{n}.db", root / f"folder{n}"
            a.write_bytes(source.read_bytes())
            _device(a, folder, "a")
            _device(b, folder, "b")
            gc.collect()
            t0 = time.perf_counter()
            _sync(a)
            _sync(b)
            firsts.append(time.perf_counter() - t0)
            sizes.append(sum(p.stat().st_size for p in folder.rglob("*.update")))
            _check(a, b)
            _edit(a, 50)
            t0 = time.perf_counter()
            _sync(a)
            _sync(b)
            deltas.append(time.perf_counter() - t0)
            _check(a, b)
            apps.append(_app_delta(a, b, 50))
            _check(a, b)
            target = root / f"copy{n}.db"
            Store(target).close()  # an empty netapp database, migrated outside the timing
            t0 = time.perf_counter()
            bulk_copy(source, target)
            copies.append(time.perf_counter() - t0)
        c = root / "mem"
        c.mkdir()
        _device(c / "b.db", root / "folder0", "c")
        sync_mb = _peak_mb("sync", str(c / "b.db"))
        Store(c / "copy.db").close()
        copy_mb = _peak_mb("copy", str(source), str(c / "copy.db"))
    floor = ms(median(copies))
    detail = {
        "first_sync_ms": [round(ms(x)) for x in firsts],
        "delta_ms": [round(ms(x)) for x in deltas],
        "app_delta_ms": [round(ms(x)) for x in apps],
        "bulk_copy_ms": [round(ms(x)) for x in copies],
        "update_files_mb": round(median(sizes) / 1e6, 2),
    }
    return [
        Figure(
            "first full sync (A sends, B applies)",
            ms(median(firsts)),
            "ms",
            floor,
            GOALS["first"],
            size=size,
            floor_desc="plain SQLite bulk copy of the same tables",
            detail=detail,
        ),  # fmt: skip
        Figure(
            "50-edit delta (A sends, B applies)",
            ms(median(deltas)),
            "ms",
            floor,
            GOALS["delta"],
            size=size,
            floor_desc="the same bulk copy (copying the data around instead of the changes)",
            detail={"delta_ms": detail["delta_ms"]},
        ),  # fmt: skip
        Figure(
            "50-edit delta in the app (documents kept between timer syncs)",
            ms(median(apps)),
            "ms",
            floor,
            GOALS["delta"],
            size=size,
            floor_desc="the same bulk copy",
            detail={"app_delta_ms": detail["app_delta_ms"]},
        ),  # fmt: skip
        Figure(
            "peak memory of a first sync",
            sync_mb,
            "MB",
            copy_mb,
            GOALS["memory"],
            size=size,
            stat="max",
            floor_desc="peak RSS of a process doing the bulk copy",
            detail={"sync_mb": round(sync_mb), "copy_mb": round(copy_mb)},
        ),  # fmt: skip
    ]


def _check(a: Path, b: Path) -> None:
    """Both devices hold the same people and interactions (by UUID and content)."""
    import sqlite3

    def rows(path: Path) -> str:
        conn = sqlite3.connect(path)
        try:
            got = [
                conn.execute(
                    "SELECT count(*), total(length(display_name || title || note)) FROM people"
                ).fetchone(),
                conn.execute("SELECT count(*), total(length(note)) FROM interactions").fetchone(),
                conn.execute("SELECT count(*) FROM person_emails").fetchone(),
            ]
        finally:
            conn.close()
        return json.dumps(got)

    if rows(a) != rows(b):
        raise AssertionError(f"the devices differ after a sync: {rows(a)} != {rows(b)}")
