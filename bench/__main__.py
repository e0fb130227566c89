"""``python -m bench [--quick] [--only NAME …]``: run the benchmarks, print the table and
write ``bench/results/latest.json``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bench import harness


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the smallest size only (1k people)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only this module (startup, search, sort, scroll, agenda, refresh, cards, vcard, "
        "carddav, memory, installer); may be repeated",
    )
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per measurement")
    parser.add_argument(
        "--sizes",
        default="",
        help="a scaling run: the modules with a data size at each of these numbers of people "
        "(e.g. 1000,10000,100000), with the growth exponents; the others once",
    )
    parser.add_argument("--cache", type=Path, default=None, help="where to keep the databases")
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="the JSON file (default bench/results/latest.json)",
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="with --only: keep the other modules' figures already in the JSON file",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    cfg = harness.Config(quick=args.quick, cache_dir=args.cache)
    if args.quick:
        cfg.repeats, cfg.warmup, cfg.subprocess_repeats = 5, 1, 3
    if args.repeats:
        cfg.repeats = args.repeats
    modules = harness.MODULES
    if args.only:
        wanted = {f"bench.{n.removeprefix('bench.')}" for n in args.only}
        unknown = wanted - set(modules)
        if unknown:
            parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
        modules = tuple(m for m in modules if m in wanted)

    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    report = harness.run_modules(
        cfg, modules, progress=lambda m: print(m, file=sys.stderr), sizes=sizes
    )
    merge = list(modules) if args.merge and args.only else []
    path = harness.write_json(report, args.output, merge)
    harness.print_report(report)
    print(f"written to {path}")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
