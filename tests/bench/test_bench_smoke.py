"""Smoke tests: every benchmark still runs at the smallest size, and the harness reports
figures correctly. No timing is asserted here; the numbers live in bench/results."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from bench import data, harness

FIGURE_KEYS = {"name", "value", "unit", "floor", "ratio", "goal", "met"}


@pytest.fixture(scope="module")
def cfg(tmp_path_factory: pytest.TempPathFactory) -> harness.Config:
    """A quick configuration whose databases are cached for this module only."""
    return harness.Config(
        quick=True,
        repeats=1,
        warmup=0,
        subprocess_repeats=1,
        cache_dir=tmp_path_factory.mktemp("bench-cache"),
    )


def _check(figures: list[harness.Figure]) -> None:
    assert figures
    for f in figures:
        row = f.to_json()
        assert row.keys() >= FIGURE_KEYS
        assert f.value > 0 and f.floor > 0, f.name
        assert row["met"] == (row["ratio"] <= f.goal)


# CardDAV's smallest run uploads 800 cards to a real Radicale (about 40 s): slow, CI runs it.
SLOW = {"bench.carddav"}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(m, marks=[pytest.mark.slow] if m in SLOW else [])
        for m in harness.MODULES
        if m != "bench.installer"
    ],
)
def test_benchmark_runs_at_smallest_size(name: str, cfg: harness.Config) -> None:
    """Each benchmark module that exists runs at 1k people and returns well-formed figures."""
    try:
        mod = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        pytest.skip(f"{name} is not written yet")
    why = mod.available(cfg)
    if why:
        pytest.skip(why)
    _check(mod.run(cfg))


def test_generator_is_deterministic_and_dense(tmp_path: Path) -> None:
    """The same size and seed give the same data, with about the asked-for interaction density."""
    a = data.build(tmp_path / "a.db", 300, density=10)
    b = data.build(tmp_path / "b.db", 300, density=10)
    assert a == b
    assert a["interactions"] == 3000
    assert a["status_rows"] == 300
    from netapp.store import Store

    with Store(tmp_path / "a.db") as sa, Store(tmp_path / "b.db") as sb:
        sql = "SELECT uuid, person_id, date, kind FROM interactions ORDER BY id"
        assert sa.db.query(sql) == sb.db.query(sql)


def test_database_cache_reuses_the_file(tmp_path: Path) -> None:
    """A cached database is built once and then returned as is."""
    first = data.database(200, cache=tmp_path)
    stamp = first.stat().st_mtime_ns
    again = data.database(200, cache=tmp_path)
    assert again == first and again.stat().st_mtime_ns == stamp
    assert not list(tmp_path.glob("*.tmp"))


def test_p95_is_a_nearest_rank_percentile() -> None:
    """p95 picks the ceil(0.95 n)-th smallest measured value."""
    values = [float(n) for n in range(1, 101)]
    assert harness.p95(values) == 95.0
    assert harness.p95([3.0, 1.0, 2.0]) == 3.0
    with pytest.raises(ValueError):
        harness.p95([])


def test_report_json_and_table(tmp_path: Path) -> None:
    """latest.json holds figures with ratio and met, and the machine; the table shows a miss."""
    good = harness.Figure("fast thing", 3.0, "ms", 2.0, 2.0)
    bad = harness.Figure("slow thing", 5.0, "ms", 2.0, 2.0)
    report = harness.Report([good, bad], {}, {"bench.cards": "module not written yet"}, 1.0, True)
    path = harness.write_json(report, tmp_path / "out.json")
    doc = json.loads(path.read_text())
    assert [f["met"] for f in doc["figures"]] == [True, False]
    assert doc["figures"][1]["ratio"] == 2.5
    assert doc["machine"]["cores"] and doc["machine"]["python"]
    text = harness.table(report.figures)
    assert "slow thing" in text and "NO" in text and "2.50×" in text


def test_foreign_figures_are_adapted() -> None:
    """A plain dict from bench/installer.py becomes a figure; unknown keys go to detail."""
    f = harness.figure_from_dict(
        {"name": "bundle size", "value": 90, "unit": "MB", "floor": 60, "goal": 2, "files": 3}
    )
    assert f.ratio == 1.5 and f.met and f.detail == {"files": 3}


def test_merge_keeps_the_other_modules_figures(tmp_path: Path) -> None:
    """Re-running one module replaces only its figures in latest.json."""
    out = tmp_path / "latest.json"
    a = harness.Figure("search", 3.0, "ms", 2.0, 2.0, module="bench.search")
    b = harness.Figure("cards", 5.0, "ms", 4.0, 1.3, module="bench.cards")
    harness.write_json(harness.Report([a, b], {}, {}, 1.0, False), out)
    b2 = harness.Figure("cards", 4.5, "ms", 4.0, 1.3, module="bench.cards")
    harness.write_json(harness.Report([b2], {}, {}, 1.0, False), out, ["bench.cards"])
    doc = json.loads(out.read_text())
    assert [(f["name"], f["value"]) for f in doc["figures"]] == [("search", 3.0), ("cards", 4.5)]
    assert "bench.cards" in doc["remeasured"]


def test_growth_exponents_and_the_scaling_table() -> None:
    """A figure measured at 1k and 10k gets k = log(ratio of values) / log(10), for its value
    and its floor, and one row in the scaling table."""
    rows = [
        {
            "module": "m",
            "name": "f",
            "people": n,
            "value": v,
            "floor": fl,
            "unit": "ms",
            "ratio": v / fl,
            "goal": 2.0,
        }
        for n, v, fl in ((1_000, 2.0, 1.0), (10_000, 20.0, 100.0))
    ]
    (g,) = harness.growth(rows)
    ((a, b, k, kf),) = g["k"]
    assert (a, b) == (1_000, 10_000)
    assert abs(k - 1.0) < 1e-9 and abs(kf - 2.0) < 1e-9
    table = harness.scaling_table({"figures": rows})
    assert (
        "| f | ms | 2.00 / 1.00 (2.00×) | 20.0 / 100 (0.20×) | ≤ 2× | 1k→10k 1.00 (2.00) |" in table
    )


def test_child_processes_compile_modules_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start-up children may write and reuse .pyc files, as an installed app does (any value of
    PYTHONDONTWRITEBYTECODE, "0" included, would make every child compile netapp from source)."""
    from bench.common import child_env

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    assert "PYTHONDONTWRITEBYTECODE" not in child_env(tmp_path)
