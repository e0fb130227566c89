"""The benchmark harness: timing helpers, figures with floors measured in the same run,
the machine description, ``bench/results/latest.json`` and the printed table.

Every figure is a ratio to a floor measured in the same run, on the same data, because
a ratio travels between machines and runs far better than milliseconds do.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import platform
import sqlite3
import statistics
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"

# The figure modules, in the order of the table. Each has ``TITLE``, ``available() -> str``
# (an empty string, or why it cannot run yet) and ``run(cfg) -> list[Figure]``.
MODULES: tuple[str, ...] = (
    "bench.startup",
    "bench.search",
    "bench.sort",
    "bench.scroll",
    "bench.agenda",
    "bench.refresh",
    "bench.today",
    "bench.cards",
    "bench.vcard",
    "bench.carddav",
    "bench.memory",
    "bench.devsync",
    "bench.installer",
)


@dataclass
class Config:
    """What one run of the suite measures, and how often."""

    quick: bool = False
    repeats: int = 7  # measured runs per timing, after the warm-up
    warmup: int = 2
    subprocess_repeats: int = 5  # for cold starts and memory, which start a process each time
    cache_dir: Path | None = None  # where generated databases are kept; None = the temp dir
    people: int | None = None  # a scaling run's size for the modules with a data size

    def size(self, full: int, quick: int = 1_000) -> int:
        """``full`` in a full run, the smallest size in a quick one, ``people`` in a scaling
        run (``--sizes``)."""
        if self.people is not None:
            return self.people
        return quick if self.quick else full


@dataclass
class Figure:
    name: str
    value: float  # what netapp took (or used)
    unit: str
    floor: float  # what the floor took in the same run, same unit
    goal: float  # the ratio not to exceed
    size: str = ""  # the data it ran on, e.g. "100k people"
    stat: str = "median"  # median / p95 / max
    floor_desc: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    module: str = ""  # the bench module that measured it (set by run_modules)
    people: int | None = None  # the size of a scaling run (set by run_modules)

    @property
    def ratio(self) -> float:
        return self.value / self.floor if self.floor > 0 else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio <= self.goal

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["value"] = round(self.value, 4)
        out["floor"] = round(self.floor, 4)
        out["ratio"] = round(self.ratio, 3) if self.floor > 0 else None
        out["met"] = self.met
        return out


# -- timing --------------------------------------------------------------------------


def measure(fn: Callable[[], object], repeats: int, warmup: int) -> list[float]:
    """Seconds per call of ``fn``: ``warmup`` calls thrown away, then ``repeats`` timed ones.

    The garbage collector is paused during each call so that one unlucky collection does
    not land on one side of a ratio only.
    """
    for _ in range(warmup):
        fn()
    times: list[float] = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        finally:
            gc.enable()
    return times


def measure_pair(
    figure: Callable[[], object],
    floor: Callable[[], object],
    repeats: int,
    warmup: int,
) -> tuple[list[float], list[float]]:
    """Time ``figure`` and ``floor`` alternately, so that drift on a noisy machine hits both."""
    for _ in range(warmup):
        floor()
        figure()
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeats):
        b.extend(measure(floor, 1, 0))
        a.extend(measure(figure, 1, 0))
    return a, b


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (nearest rank), so it is always one of the measured values."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, -(-95 * len(ordered) // 100))  # ceil(0.95 n)
    return float(ordered[rank - 1])


def ms(seconds: float) -> float:
    return seconds * 1000.0


# -- the machine ---------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_total_mb() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError):
        pass
    return None


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    qt = ""
    try:
        import PySide6

        qt = PySide6.__version__
    except ImportError:
        pass
    return {
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_mb": _memory_total_mb(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "pyside6": qt,
        "qt_platform": os.environ.get("QT_QPA_PLATFORM", ""),
    }


# -- running the suite ---------------------------------------------------------------


@dataclass
class Report:
    figures: list[Figure]
    errors: dict[str, str]
    skipped: dict[str, str]
    seconds: float
    quick: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "quick": self.quick,
            "generated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "seconds": round(self.seconds, 1),
            "machine": machine(),
            "figures": [f.to_json() for f in self.figures],
            "skipped": self.skipped,
            "errors": self.errors,
        }


def run_modules(
    cfg: Config,
    modules: Iterable[str] = MODULES,
    progress: Callable[[str], None] | None = None,
    sizes: Sequence[int] = (),
) -> Report:
    """Run every available figure module; one that fails is reported, not fatal. With
    ``sizes`` (a scaling run), a module with a data size (``SCALES = True``) runs once per
    size up to its ``MAX_PEOPLE``; the others once."""
    say = progress or (lambda _m: None)
    figures: list[Figure] = []
    errors: dict[str, str] = {}
    skipped: dict[str, str] = {}
    t0 = time.perf_counter()
    for name, people in _runs(modules, sizes):
        cfg.people = people
        if people is not None:
            say(f"size {people:,} people")
        try:
            mod: Any = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                skipped[name] = "module not written yet"
                continue
            raise
        if not hasattr(mod, "run") and hasattr(mod, "measure"):
            mod = _ForeignModule(mod)  # bench/installer.py: ``measure() -> list[dict]``
        why = mod.available(cfg)
        if why:
            skipped[name] = why
            say(f"skip {name}: {why}")
            continue
        say(f"run  {name} …")
        t1 = time.perf_counter()
        try:
            got = mod.run(cfg)
        except Exception as exc:  # a broken benchmark must not hide the others
            errors[name] = f"{type(exc).__name__}: {exc}"
            say(traceback.format_exc())
            continue
        for f in got:
            f.module, f.people = name, people
        figures.extend(got)
        say(f"     {name} done in {time.perf_counter() - t1:.1f} s")
    cfg.people = None
    return Report(figures, errors, skipped, time.perf_counter() - t0, cfg.quick)


def _runs(modules: Iterable[str], sizes: Sequence[int]) -> list[tuple[str, int | None]]:
    """(module, size or None) in the order to run them."""
    out: list[tuple[str, int | None]] = []
    for name in modules:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError:
            out.append((name, None))  # reported by run_modules
            continue
        if not sizes or not getattr(mod, "SCALES", False):
            out.append((name, None))
            continue
        most = getattr(mod, "MAX_PEOPLE", max(sizes))
        out += [(name, n) for n in sizes if n <= most]
    return out


def growth(figures: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per figure measured at several sizes (a scaling run's JSON rows): its values and
    floors by size and the growth exponents k (time ∝ n^k) between consecutive sizes."""
    import math

    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for f in figures:
        people = f.get("people")
        if people:
            groups.setdefault((f.get("module", ""), f["name"]), []).append(f)
    out = []
    for (module, name), rows in groups.items():
        rows.sort(key=lambda f: f["people"])
        ks = []
        for a, b in zip(rows, rows[1:], strict=False):
            span = math.log(b["people"] / a["people"])
            k = math.log(b["value"] / a["value"]) / span if a["value"] > 0 < b["value"] else None
            kf = math.log(b["floor"] / a["floor"]) / span if a["floor"] > 0 < b["floor"] else None
            ks.append((a["people"], b["people"], k, kf))
        out.append({"module": module, "name": name, "rows": rows, "k": ks})
    return out


class _ForeignModule:
    """Adapts a module with ``measure() -> list[dict]`` (the installer's figures).

    It may be slow, so it runs in full runs only, and it may report that its input (the
    PyInstaller output) is missing by raising ``FileNotFoundError``.
    """

    def __init__(self, mod: Any) -> None:
        self.mod = mod

    def available(self, cfg: Config) -> str:
        if cfg.quick:
            return "full runs only"
        bundle = getattr(self.mod, "bundle_dir", None)
        if callable(bundle) and not os.environ.get("NETAPP_BENCH_BUILD"):
            exe = Path(bundle()) / "netapp"
            if not exe.is_file():
                return f"no PyInstaller bundle at {exe} (build it, or set NETAPP_BENCH_BUILD=1)"
        check = getattr(self.mod, "available", None)
        return str(check() or "") if callable(check) else ""

    def run(self, cfg: Config) -> list[Figure]:
        try:
            rows = self.mod.measure()
        except FileNotFoundError as exc:
            raise RuntimeError(f"skipped: {exc}") from None
        return [figure_from_dict(r) for r in rows]


def figure_from_dict(row: dict[str, Any]) -> Figure:
    """A figure from a plain dict with at least name, value, unit, floor and goal."""
    known = {"name", "value", "unit", "floor", "goal", "size", "stat", "floor_desc", "detail"}
    extra = {k: v for k, v in row.items() if k not in known | {"ratio", "met"}}
    return Figure(
        name=str(row["name"]),
        value=float(row["value"]),
        unit=str(row.get("unit", "")),
        floor=float(row.get("floor") or 0.0),
        goal=float(row.get("goal") or 0.0),
        size=str(row.get("size", "")),
        stat=str(row.get("stat", "median")),
        floor_desc=str(row.get("floor_desc", "")),
        detail={**dict(row.get("detail") or {}), **extra},
    )


def write_json(report: Report, path: Path | None = None, merge: Sequence[str] = ()) -> Path:
    """Write the report atomically (a temp file renamed over the old one).

    With ``merge`` (the modules just run), the figures of every other module are kept from
    the existing file, so that one figure can be re-measured without a whole run."""
    path = path or RESULTS_DIR / "latest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = report.to_json()
    if merge and path.exists():
        old = json.loads(path.read_text())
        kept = [f for f in old.get("figures", []) if f.get("module") not in set(merge)]
        order = {m: n for n, m in enumerate(MODULES)}
        doc["figures"] = sorted(
            kept + doc["figures"], key=lambda f: order.get(f.get("module", ""), len(order))
        )
        doc["remeasured"] = {**old.get("remeasured", {}), **{m: doc["generated"] for m in merge}}
        doc["generated"] = old.get("generated", doc["generated"])
        doc["seconds"] = old.get("seconds", doc["seconds"])
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return path


def _fmt(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def scaling_table(doc: dict[str, Any]) -> str:
    """Markdown: each figure with a data size at every size of a scaling run (value, floor,
    ratio), its goal, and the growth exponents k of the value and of the floor."""
    head = "| figure | unit | " + " | ".join(
        f"{data_label(n)}: value / floor (ratio)" for n in _sizes(doc)
    )
    head += " | goal | k value (floor) |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for g in growth(doc["figures"]):
        by_size = {f["people"]: f for f in g["rows"]}
        cells = []
        for n in _sizes(doc):
            f = by_size.get(n)
            cells.append(
                f"{_fmt(f['value'])} / {_fmt(f['floor'])} ({f['ratio']:.2f}×)"
                if f and f.get("ratio") is not None
                else "—"
            )
        first = g["rows"][0]
        goal = "—" if first["goal"] in (None, float("inf")) else f"≤ {first['goal']:g}×"
        ks = "; ".join(
            f"{data_label(a)}→{data_label(b)} {_k(k)} ({_k(kf)})" for a, b, k, kf in g["k"]
        )
        lines.append(
            f"| {g['name']} | {first['unit']} | " + " | ".join(cells) + f" | {goal} | {ks} |"
        )
    return "\n".join(lines)


def _sizes(doc: dict[str, Any]) -> list[int]:
    return sorted({f["people"] for f in doc["figures"] if f.get("people")})


def _k(k: float | None) -> str:
    return "—" if k is None else f"{k:.2f}"


def data_label(people: int) -> str:
    return f"{people // 1000}k" if people % 1000 == 0 else str(people)


def table(figures: Sequence[Figure], markdown: bool = False) -> str:
    """The figures as a text (or Markdown) table."""
    head = ("figure", "data", "value", "floor", "unit", "ratio", "goal", "met")
    rows = [
        (
            f"{f.name} ({f.stat})" if f.stat else f.name,
            f.size,
            _fmt(f.value),
            _fmt(f.floor),
            f.unit,
            f"{f.ratio:.2f}×",
            f"≤ {f.goal:g}×",
            "yes" if f.met else "NO",
        )
        for f in figures
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def print_report(report: Report, out: Any = None) -> None:
    out = out or sys.stdout
    print(table(report.figures), file=out)
    for name, why in report.skipped.items():
        print(f"skipped {name}: {why}", file=out)
    for name, err in report.errors.items():
        print(f"ERROR   {name}: {err}", file=out)
    met = sum(f.met for f in report.figures)
    print(
        f"{met}/{len(report.figures)} goals met in {report.seconds:.0f} s "
        f"({'quick' if report.quick else 'full'} run)",
        file=out,
    )
