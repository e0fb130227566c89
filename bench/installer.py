"""The standalone bundle: its size on disk and its start-up time.

    python -m bench.installer        # prints the figures, writes bench/results/installer.json

The harness (``python -m bench``) calls :func:`measure` in full runs. It measures the one-folder
bundle in ``$NETAPP_BUNDLE`` or ``dist/netapp`` and builds it there first (with
build_installer.py, a few minutes) when it is missing.

Figures, each a ratio to a floor measured in the same run:
- bundle size: the whole bundle, against the part no PySide6 app can leave out (the Python
  runtime, QtCore/QtGui/QtWidgets with ICU and their bindings, the platform plugins).
- cold start to ``--version``: the frozen executable against a frozen hello-world built the same
  way (PyInstaller one-folder, console, no UPX; built once into build/hello, about a minute):
  what netapp adds to a frozen Python's start. ``python -m netapp --version`` in the venv is
  in ``detail``.
- cold start to a painted window: ``netapp gui --screenshot`` (start, open a database, build
  the main window, paint it, save a PNG) frozen, against the same command in the venv.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "installer.json"
REPEATS = 5
# Files every PySide6 widgets app carries, frozen: the floor of the size figure.
FLOOR_PATTERNS = (
    "libpython3*",
    "base_library.zip",
    "python3*/lib-dynload/*",
    "PySide6/Qt/lib/libQt6Core.so*",
    "PySide6/Qt/lib/libQt6Gui.so*",
    "PySide6/Qt/lib/libQt6Widgets.so*",
    "PySide6/Qt/lib/libQt6DBus.so*",
    "PySide6/Qt/lib/libQt6XcbQpa.so*",
    "PySide6/Qt/lib/libicu*",
    "PySide6/Qt/plugins/platforms/*",
    "PySide6/QtCore.*",
    "PySide6/QtGui.*",
    "PySide6/QtWidgets.*",
    "PySide6/libpyside6*",
    "shiboken6/*",
)


def bundle_dir() -> Path:
    return Path(os.environ.get("NETAPP_BUNDLE") or ROOT / "dist" / "netapp")


def available() -> str:
    if not sys.platform.startswith("linux"):
        return "the bundle figures are measured on Linux"
    if (bundle_dir() / "netapp").is_file():
        return ""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        return "no bundle in dist/netapp and PyInstaller is not installed"
    return ""


def _files_size(base: Path, patterns: tuple[str, ...] | None = None) -> int:
    seen: set[Path] = set()
    paths = (base.rglob("*"),) if patterns is None else tuple(base.glob(p) for p in patterns)
    for group in paths:
        seen.update(p for p in group if p.is_file() and not p.is_symlink())
    return sum(p.stat().st_size for p in seen)


def _ensure_bundle() -> tuple[Path, float | None]:
    """The bundle, built first when missing; and the build's seconds (None when it existed)."""
    bundle = bundle_dir()
    if (bundle / "netapp").is_file():
        return bundle, None
    sys.path.insert(0, str(ROOT))
    import build_installer

    t0 = time.perf_counter()
    build_installer.build(bundle.parent, ROOT / "build" / "pyinstaller", archive=False)
    return bundle, time.perf_counter() - t0


HELLO = ROOT / "build" / "hello"


def hello_bundle() -> Path:
    """A frozen hello-world, one folder, built as netapp.spec builds netapp (console, no UPX,
    archive, no optimisation): the floor of the --version figure. Built once, then reused."""
    exe = HELLO / "dist" / "hello" / "hello"
    if exe.is_file():
        return exe
    HELLO.mkdir(parents=True, exist_ok=True)
    script = HELLO / "hello.py"
    script.write_text('print("hello")\n', encoding="utf-8")
    cmd = [sys.executable, "-m", "PyInstaller", str(script), "--onedir", "--console"]
    cmd += ["--noconfirm", "--noupx", "--log-level", "WARN", "--name", "hello"]
    cmd += ["--distpath", str(HELLO / "dist"), "--workpath", str(HELLO / "work")]
    cmd += ["--specpath", str(HELLO)]
    subprocess.run(cmd, cwd=HELLO, check=True, capture_output=True, timeout=900)
    return exe


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETAPP_")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        PYTHONPATH=str(ROOT),
    )
    return env


def _time(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr[-500:]}")
    return seconds


def _pair(frozen: list[str], venv: list[str], home: Path) -> tuple[list[float], list[float]]:
    """Alternate the two commands (one warm-up each) so that drift hits both sides."""
    env = _env(home)
    _time(frozen, env, home)
    _time(venv, env, home)
    a: list[float] = []
    b: list[float] = []
    for _ in range(REPEATS):
        a.append(_time(frozen, env, home))
        b.append(_time(venv, env, home))
    return a, b


def measure() -> list[dict[str, Any]]:
    """The installer's figures in the harness's dict form (name, value, unit, floor, goal…)."""
    bundle, build_s = _ensure_bundle()
    exe = str(bundle / "netapp")
    internal = bundle / "_internal"
    total = _files_size(bundle)
    floor = _files_size(internal, FLOOR_PATTERNS)
    archives = sorted(bundle.parent.glob("netapp-*-linux-*.tar.gz"))
    figures: list[dict[str, Any]] = [
        {
            "name": "bundle size on disk",
            "value": total / 1e6,
            "unit": "MB",
            "floor": floor / 1e6,
            "goal": 2.5,
            "stat": "total",
            "size": "one-folder bundle",
            "floor_desc": "Python runtime + QtCore/Gui/Widgets, ICU, bindings, platform plugins",
            "detail": {
                "files": sum(1 for p in bundle.rglob("*") if p.is_file()),
                "archive_mb": round(archives[-1].stat().st_size / 1e6, 1) if archives else None,
                "build_s": round(build_s, 1) if build_s is not None else None,
            },
        }
    ]
    with tempfile.TemporaryDirectory(prefix="netapp-bench-installer-") as tmp:
        home = Path(tmp)
        frozen, hello = _pair([exe, "--version"], [str(hello_bundle())], home)
        _, venv = _pair([exe, "--version"], [sys.executable, "-m", "netapp", "--version"], home)
        figures.append(
            {
                "name": "bundle cold start to --version",
                "value": statistics.median(frozen) * 1000,
                "unit": "ms",
                "floor": statistics.median(hello) * 1000,
                "goal": 1.5,
                "floor_desc": "a frozen hello-world built the same way (PyInstaller one-folder)",
                "detail": {
                    "bundle_ms": [round(x * 1000, 1) for x in frozen],
                    "hello_ms": [round(x * 1000, 1) for x in hello],
                    "venv_ms": [round(x * 1000, 1) for x in venv],
                },
            }
        )
        db = home / "bench.db"
        shot = ["gui", "--screenshot", str(home / "shot.png"), "--view", "today"]
        frozen, venv = _pair(
            [exe, "--db", str(db), *shot],
            [sys.executable, "-m", "ui", "--db", str(db), *shot],  # the app: ui, not the core CLI
            home,
        )
        figures.append(
            {
                "name": "bundle cold start to a painted window",
                "value": statistics.median(frozen) * 1000,
                "unit": "ms",
                "floor": statistics.median(venv) * 1000,
                "goal": 1.5,
                "size": "empty database",
                "floor_desc": "the same `netapp gui --screenshot` run in the development venv (python -m ui)",
                "detail": {
                    "bundle_ms": [round(x * 1000, 1) for x in frozen],
                    "venv_ms": [round(x * 1000, 1) for x in venv],
                },
            }
        )
    return figures


def main() -> int:
    why = available()
    if why:
        print(f"bench.installer: skipped: {why}", file=sys.stderr)
        return 1
    figures = measure()
    for f in figures:
        print(
            f"{f['name']:<40} {f['value']:9.1f} {f['unit']:<3} floor {f['floor']:9.1f}"
            f"  ratio {f['value'] / f['floor']:.2f} (goal {f['goal']})"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".json.tmp")
    record = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": sys.version.split()[0],
            "platform": sys.platform,
            "cpus": os.cpu_count(),
        },
        "figures": figures,
    }
    tmp.write_text(json.dumps(record, indent=2) + "\n")
    os.replace(tmp, RESULTS)
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
