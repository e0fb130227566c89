"""Packaging: the PyInstaller bundle and archive, and the wheel in a fresh virtual environment.

Slow (a few minutes: PyInstaller, ``python -m build``, and ``pip install`` of the wheel and its
dependencies as pip is configured on this machine); CI runs them. Each build happens once per
module, in a temporary directory; nothing is written to the checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
import venv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from netapp import __version__

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 900  # seconds for one build step; a hang fails the test instead of blocking CI
SELF_TEST_CHECKS = ("database", "person", "status", "resources", "cards", "window")


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment with nothing from the checkout or the dev venv: no PYTHONPATH, no
    NETAPP_* overrides, a fresh HOME (so the user data directory is under it), offscreen Qt."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(home / "tmp"),
    }
    for key in (
        "PIP_CERT",
        "PIP_FIND_LINKS",
        "PIP_DEFAULT_TIMEOUT",
        "SSL_CERT_FILE",
        "PIP_INDEX_URL",
    ):
        if key in os.environ:
            env[key] = os.environ[key]
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    env.update(extra)
    return env


def run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; on failure the assertion message carries its output."""
    proc = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, (
        f"{' '.join(map(str, cmd))} exited {proc.returncode}\n"
        f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"
    )
    return proc.stdout


def assert_self_test_passed(stdout: str, *, decoder: bool) -> None:
    """Every check ran and passed (the card check decodes its QR codes when ``decoder``)."""
    verdicts = {}
    for line in stdout.splitlines()[:-1]:
        verdict, name, _detail = line.split(None, 2)
        verdicts[name] = verdict
    want = {name: "ok" for name in SELF_TEST_CHECKS}
    if not decoder:
        want["cards"] = "skip"
    assert verdicts == want, stdout
    assert re.search(r"self-test passed: \d ok", stdout.splitlines()[-1]), stdout
    if decoder:
        assert "decoded its 4 QR codes" in stdout


def resource_files() -> list[str]:
    """Every data file of the ``resources`` package in the checkout (posix, relative)."""
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".py", ".pyc")
    )


# -- the PyInstaller bundle ----------------------------------------------------------------


@dataclass
class Built:
    dist: Path
    bundle: Path
    exe: Path
    archive: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    if not sys.platform.startswith("linux"):
        pytest.skip("the bundle test runs on Linux (Windows and macOS builds are untested)")
    base = tmp_path_factory.mktemp("pyinstaller")
    dist, work = base / "dist", base / "work"
    run(
        [sys.executable, ROOT / "build_installer.py", "--dist", dist, "--work", work],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    arch = {"amd64": "x86_64", "aarch64": "arm64"}.get(
        os.uname().machine.lower(), os.uname().machine
    )
    return Built(
        dist,
        dist / "netapp",
        dist / "netapp" / "netapp",
        dist / f"netapp-{__version__}-linux-{arch}.tar.gz",
    )


def test_built_executable_reports_its_version(built: Built, tmp_path: Path) -> None:
    """The frozen executable starts with a clean environment and prints netapp's version."""
    out = run([built.exe, "--version"], cwd=tmp_path, env=clean_env(tmp_path / "home"))
    assert out.strip() == f"netapp {__version__}"


def test_built_executable_passes_its_self_test_offscreen(built: Built, tmp_path: Path) -> None:
    """The frozen app's --self-test runs every check, QR decode and offscreen window included."""
    out = run([built.exe, "--self-test"], cwd=tmp_path, env=clean_env(tmp_path / "home"))
    assert_self_test_passed(out, decoder=True)


def test_bundle_carries_every_resource_and_leaves_out_unused_qt(built: Built) -> None:
    """Icons, fonts, the ask ladder and demo data are in the bundle; QtWebEngine and QML are not."""
    internal = built.bundle / "_internal"
    missing = [f for f in resource_files() if not (internal / f).is_file()]
    assert missing == []
    names = {p.name for p in built.bundle.rglob("*")}
    assert not any(re.match(r"libQt6(WebEngine|Quick|Qml|3D|Multimedia)", n) for n in names)
    assert "libQt6Widgets.so.6" in names and "libqoffscreen.so" in names


def test_bundle_archive_leaves_out_modules_netapp_never_imports(built: Built) -> None:
    """The frozen archive holds netapp and httpx but not httpx's command line and what only it
    brought (rich, pygments, markdown_it), nor pytz: fewer entries for every start to read."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(built.exe))
    modules = set(archive.open_embedded_archive("PYZ.pyz").toc)
    assert {"netapp", "netapp.cli", "ui.app", "httpx", "icalendar"} <= modules
    left_out = ("httpx._main", "rich", "pygments", "markdown_it", "pytz")
    assert [m for m in modules if m.split(".")[0] in left_out or m == "httpx._main"] == []


def _top_names(built: Built) -> set[str]:
    return {p.name for p in (built.bundle / "_internal").iterdir()}


def test_bundle_leaves_host_libraries_and_unused_extensions_out(built: Built) -> None:
    """No CUPS, GnuTLS, GTK, pango, cairo, fontconfig, X11, GLib, D-Bus or libstdc++ copy at the
    top of the bundle (packaging/host_libraries.py), nor lxml's unused extensions or readline;
    Python's own libraries and the xcb helpers Qt needs are still there."""
    from tests.test_host_libraries import hl

    top = _top_names(built)
    family = re.compile(
        r"lib(cups|avahi|gnutls|gtk-3|gdk-3|pango|cairo|gdk_pixbuf|gio-2|glib-2|gobject-2|"
        r"fontconfig|freetype\.|harfbuzz\.|X11|xcb\.|dbus-1|systemd|stdc\+\+|gcc_s)"
    )
    assert sorted(n for n in top if family.match(n) or hl.is_host_library(n)) == []
    assert {"libpython3.11.so.1.0", "libssl.so.3", "libsqlite3.so.0", "libxcb-cursor.so.0"} <= top
    internal = built.bundle / "_internal"
    assert not list(internal.glob("lxml/objectify*")) and not (internal / "lxml" / "html").exists()
    assert list(internal.glob("lxml/etree*.so"))
    assert not list(internal.glob("python3*/lib-dynload/readline*"))


def _unresolved(elf: Path, internal: Path) -> list[str]:
    """The libraries ldd cannot find for one bundled file, with the bundle's library path (as
    PyInstaller's bootloader sets it)."""
    env = {**os.environ, "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    out = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, env=env, check=False)
    return [line.split()[0] for line in out.stdout.splitlines() if "not found" in line]


def test_bundle_libraries_resolve_from_the_bundle_or_the_host(built: Built) -> None:
    """ldd over every bundled library and plugin: whatever this machine cannot provide is a host
    library (left out on purpose, e.g. GTK where none is installed), never one the bundle should
    carry; the xcb, offscreen and (where CUPS is installed) printing plugins resolve fully."""
    from tests.test_host_libraries import hl

    if shutil.which("ldd") is None:
        pytest.skip("no ldd on this machine")
    internal = built.bundle / "_internal"
    elves = [
        p
        for p in internal.rglob("*.so*")
        if p.is_file() and not p.is_symlink() and p.read_bytes()[:4] == b"\x7fELF"
    ]
    missing = {str(p.relative_to(internal)): _unresolved(p, internal) for p in elves}
    carried = {f: [n for n in names if not hl.is_host_library(n)] for f, names in missing.items()}
    assert {f: names for f, names in carried.items() if names} == {}
    plugins = ["platforms/libqxcb.so", "platforms/libqoffscreen.so"]
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    known = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=False).stdout
    if "libcups.so.2" in known:
        plugins.append("printsupport/libcupsprintersupport.so")
    assert {p: missing[f"PySide6/Qt/plugins/{p}"] for p in plugins} == {p: [] for p in plugins}


def test_bundle_keeps_its_database_in_the_user_data_directory(built: Built, tmp_path: Path) -> None:
    """With no --db, the frozen app writes netapp.db under $XDG_DATA_HOME/netapp, not beside itself."""
    home = tmp_path / "home"
    env = clean_env(home, XDG_DATA_HOME=str(home / "data"))
    pid = run([built.exe, "person", "add", "Zoë Ünal", "--org", "Café"], cwd=tmp_path, env=env)
    assert (home / "data" / "netapp" / "netapp.db").is_file()
    shown = run([built.exe, "person", "show", pid.strip()], cwd=tmp_path, env=env)
    assert "Zoë Ünal" in shown
    assert not list(built.bundle.rglob("*.db"))


def test_bundle_runs_without_network(built: Built, tmp_path: Path) -> None:
    """In a network namespace with no interfaces, the self-test and demo still succeed."""
    unshare = shutil.which("unshare")
    probe = subprocess.run([unshare or "unshare", "-n", "true"], capture_output=True, check=False)
    if unshare is None or probe.returncode != 0:
        pytest.skip("cannot create a network namespace here (unshare -n); offline run unproven")
    env = clean_env(tmp_path / "home")
    out = run([unshare, "-n", built.exe, "--self-test"], cwd=tmp_path, env=env)
    assert_self_test_passed(out, decoder=True)
    run(
        [unshare, "-n", built.exe, "demo", "--people", "20", "--today", "2026-01-15"],
        cwd=tmp_path,
        env=env,
    )


def test_archive_holds_bundle_desktop_file_icon_and_install_text(
    built: Built, tmp_path: Path
) -> None:
    """The tar.gz has the bundle, a valid .desktop file, an icon, install.sh and INSTALL.txt."""
    top = built.archive.name.removesuffix(".tar.gz")
    with tarfile.open(built.archive) as tar:
        members = {m.name: m for m in tar.getmembers()}
        assert f"{top}/netapp/netapp" in members
        assert members[f"{top}/netapp/netapp"].mode & 0o111
        assert members[f"{top}/install.sh"].mode & 0o111
        for name in ("netapp.desktop", "netapp.png", "netapp.svg", "INSTALL.txt"):
            assert f"{top}/{name}" in members, name
        bundled = {n.removeprefix(f"{top}/netapp/") for n in members}
        assert all(f"_internal/{f}" in bundled for f in resource_files())
        desktop = tar.extractfile(f"{top}/netapp.desktop").read().decode()  # type: ignore[union-attr]
        install = tar.extractfile(f"{top}/INSTALL.txt").read().decode()  # type: ignore[union-attr]
        tar.extractall(tmp_path, filter="tar")
    assert re.search(r"^Exec=netapp", desktop, re.M) and re.search(r"^Icon=netapp$", desktop, re.M)
    assert "Type=Application" in desktop
    for lib in ("libgl1", "libegl1", "libxkbcommon0", "libfontconfig1", "libglib2.0-0", "libcups2"):
        assert lib in install
    assert __version__ in install and "@VERSION@" not in install
    # The unpacked copy runs too (nothing in it points back at the build directory).
    out = run(
        [tmp_path / top / "netapp" / "netapp", "--version"],
        cwd=tmp_path,
        env=clean_env(tmp_path / "home"),
    )
    assert out.strip() == f"netapp {__version__}"


def test_install_script_installs_for_the_user(built: Built, tmp_path: Path) -> None:
    """install.sh copies the app under ~/.local, links the command and writes a menu entry."""
    top = built.archive.name.removesuffix(".tar.gz")
    with tarfile.open(built.archive) as tar:
        tar.extractall(tmp_path, filter="tar")
    home = tmp_path / "home"
    env = clean_env(home)
    run(["sh", tmp_path / top / "install.sh"], cwd=tmp_path, env=env)
    command = home / ".local" / "bin" / "netapp"
    assert run([command, "--version"], cwd=tmp_path, env=env).strip() == f"netapp {__version__}"
    entry = (home / ".local/share/applications/netapp.desktop").read_text()
    assert f"Exec={home}/.local/opt/netapp/netapp %F" in entry
    assert (home / ".local/share/icons/hicolor/256x256/apps/netapp.png").is_file()
    run(["sh", tmp_path / top / "install.sh", "--uninstall"], cwd=tmp_path, env=env)
    assert not command.exists() and not (home / ".local/opt/netapp").exists()


# -- the wheel, in a fresh virtual environment ------------------------------------------------

# Runs netapp inside the fresh venv with an audit hook that records every file the process
# opens or lists (Python-level: imports, open(), os.listdir/scandir) under a forbidden root.
RUNNER = textwrap.dedent(
    """
    import os, sys
    forbidden = tuple(os.path.realpath(p) + os.sep for p in os.environ["FORBIDDEN"].split(os.pathsep))
    hits = []
    def hook(event, args):
        if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.realpath(os.fsdecode(args[0]))
            if (path + os.sep).startswith(forbidden):
                hits.append(path)
    sys.addaudithook(hook)
    from ui.launcher import main
    code = main(sys.argv[1:])
    if hits:
        print("READ FROM THE CHECKOUT: " + ", ".join(sorted(set(hits))[:20]), file=sys.stderr)
        sys.exit(97)
    sys.exit(code)
    """
)


@dataclass
class Installed:
    venv: Path
    python: Path
    netapp: Path
    wheel: Path
    env: dict[str, str]
    cwd: Path


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("wheel")
    # Build from a copy of the sources, so the build leaves nothing in the shared checkout.
    src = base / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("netapp", "ui", "resources"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    run([sys.executable, "-m", "build", "--wheel", "--outdir", base / "wheels", src], cwd=base)
    (wheel,) = (base / "wheels").glob("netapp-*.whl")
    shutil.rmtree(src)  # from here on, nothing can come from the build copy either

    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    home = base / "home"
    env = clean_env(home, FORBIDDEN=os.pathsep.join([str(ROOT), str(src)]))
    run([python, "-m", "pip", "install", "-q", wheel], cwd=base, env=env)
    cwd = base / "elsewhere"
    cwd.mkdir()
    yield Installed(env_dir, python, env_dir / "bin" / "netapp", wheel, env, cwd)


def test_wheel_holds_every_resource_file() -> None:
    """pyproject's package-data globs cover every file of the resources package (fonts, icons…)."""
    import fnmatch
    import tomllib

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["resources"]
    uncovered = [
        f
        for f in resource_files()
        if not any(fnmatch.fnmatch(f.removeprefix("resources/"), g) for g in globs)
    ]
    assert uncovered == [], f"add globs to [tool.setuptools.package-data] for {uncovered}"


def test_built_wheel_contains_the_resources(installed: Installed) -> None:
    """The wheel itself carries the resources package's data files and the netapp entry point."""
    with zipfile.ZipFile(installed.wheel) as zf:
        names = set(zf.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "netapp = ui.launcher:main" in zf.read(entry_points).decode()
    assert [f for f in resource_files() if f not in names] == []


def test_installed_wheel_imports_nothing_from_the_checkout(installed: Installed) -> None:
    """netapp, ui and resources are imported from the fresh venv's site-packages."""
    code = "import netapp, ui, resources; print(netapp.__file__, ui.__file__, resources.__file__)"
    out = run([installed.python, "-c", code], cwd=installed.cwd, env=installed.env)
    site = str(installed.venv / "lib")
    assert all(p.startswith(site) for p in out.split()), out


def test_installed_wheel_version_self_test_and_demo_from_elsewhere(installed: Installed) -> None:
    """From a directory outside the checkout: --version, --self-test and demo work, reading no
    file from the checkout (audit hook), and demo writes to the user data directory."""
    runner = installed.cwd / "run_netapp.py"
    runner.write_text(RUNNER)
    py, env, cwd = installed.python, installed.env, installed.cwd
    assert run([installed.netapp, "--version"], cwd=cwd, env=env).strip() == f"netapp {__version__}"
    assert run([py, runner, "--version"], cwd=cwd, env=env).strip() == f"netapp {__version__}"
    assert_self_test_passed(run([py, runner, "--self-test"], cwd=cwd, env=env), decoder=False)
    out = run([py, runner, "demo", "--people", "25", "--today", "2026-01-15"], cwd=cwd, env=env)
    assert '"people": 25' in out
    db = Path(env["HOME"]) / ".local" / "share" / "netapp" / "netapp.db"
    assert db.is_file()
    listed = run([installed.netapp, "person", "list"], cwd=cwd, env=env)
    assert len(listed.splitlines()) == 25


def test_installed_wheel_decodes_qr_once_a_decoder_is_installed(installed: Installed) -> None:
    """With zxing-cpp and pypdfium2 added to the fresh venv, the card check decodes its QRs."""
    run(
        [installed.python, "-m", "pip", "install", "-q", "zxing-cpp", "pypdfium2"],
        cwd=installed.cwd,
        env=installed.env,
    )
    runner = installed.cwd / "run_netapp.py"
    runner.write_text(RUNNER)
    out = run([installed.python, runner, "--self-test"], cwd=installed.cwd, env=installed.env)
    assert_self_test_passed(out, decoder=True)


def test_frozen_entry_answers_version_before_loading_the_command_line() -> None:
    """The bundle's entry prints the same version line as the command line, loading none of it."""
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['netapp', '--version']\n"
        "try:\n"
        f"    runpy.run_path({str(ROOT / 'packaging' / 'launcher.py')!r}, run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "print(sorted(m for m in sys.modules if m.startswith(('netapp', 'ui', 'PySide6'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    cli = subprocess.run(
        [sys.executable, "-m", "netapp", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out[0] == cli == f"netapp {__version__}"
    assert out[1] == "['netapp']"


HOOK_PROBE = """
import json, runpy, sys
sys._MEIPASS = sys.argv[1]
sys.path.insert(0, sys.argv[2])  # PyInstaller's fake-modules: _pyi_rth_utils
from _pyi_rth_utils import qt
calls = []
qt.create_embedded_qt_conf = lambda bindings, prefix: calls.append([bindings, prefix])
runpy.run_path(sys.argv[3])
before = [list(calls), "PySide6.QtCore" in sys.modules]
from PySide6 import QtCore  # noqa: F401
import os
print(json.dumps({"before": before, "after": calls, "plugins": os.environ["QT_PLUGIN_PATH"]}))
"""


def test_bundle_loads_qt_only_when_the_app_imports_it(tmp_path: Path) -> None:
    """The bundle's PySide6 run-time hook (packaging/hooks, in place of PyInstaller's) sets Qt's
    paths at start but registers the relocated qt.conf only once PySide6.QtCore is imported,
    so that ``netapp --version`` and the commands do not load Qt."""
    pyinstaller = pytest.importorskip("PyInstaller")
    fake = Path(pyinstaller.__file__).parent / "fake-modules"
    hooks = ROOT / "packaging" / "hooks"
    assert "pyi_rth_pyside6_lazy.py" in (hooks / "rthooks.dat").read_text()
    assert 'hookspath=[str(ROOT / "packaging" / "hooks")]' in (ROOT / "netapp.spec").read_text()
    hook = hooks / "rthooks" / "pyi_rth_pyside6_lazy.py"
    out = subprocess.run(
        [sys.executable, "-c", HOOK_PROBE, str(tmp_path), str(fake), str(hook)],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    qt_dir = str(tmp_path / "PySide6" / "Qt")
    assert seen["before"] == [[], False]  # nothing of Qt loaded by the hook itself
    assert seen["after"] == [["PySide6", qt_dir]]
    assert seen["plugins"] == str(Path(qt_dir) / "plugins")


# Runs a multiprocessing or pkgutil run-time hook (argv[2]) with PyInstaller's bootstrap module
# faked (a finder class and a table of contents), then notes what was loaded at start, and what
# multiprocessing's freeze_support and pkgutil's listing of a frozen package do once imported.
LAZY_HOOK_PROBE = """
import json, os, sys, types
fake = types.ModuleType("pyimod02_importers")
class PyiFrozenFinder:
    def __init__(self, prefix):
        self._pyz_entry_prefix, self.fallback_finder = prefix, None
fake.PyiFrozenFinder = PyiFrozenFinder
fake.get_pyz_toc_tree = lambda: {"app": {"cli": {"main": 1}, "core": 1}, "top": 1}
sys.modules["pyimod02_importers"] = fake
with open(sys.argv[2]) as fh:  # not runpy, which imports pkgutil
    exec(compile(fh.read(), sys.argv[2], "exec"), {"__name__": "__main__"})
at_start = sorted(m for m in ("multiprocessing", "pkgutil", "subprocess") if m in sys.modules)
if sys.argv[1] == "multiprocessing":
    import multiprocessing, multiprocessing.spawn
    sys.argv[1:] = ["--multiprocessing-fork", "tracker_fd=7", "pipe_handle=None"]
    called = []
    multiprocessing.spawn.spawn_main = lambda **kw: called.append(sorted(kw.items()))
    try:
        multiprocessing.freeze_support()
    except SystemExit:
        pass
    sys.argv[1:] = []
    multiprocessing.freeze_support()  # not a child: returns
    seen = [called, multiprocessing.process.ORIGINAL_DIR,
            multiprocessing.spawn.freeze_support is multiprocessing.freeze_support]
else:
    import pkgutil
    seen = [sorted(pkgutil.iter_importer_modules(PyiFrozenFinder(p), "x.")) for p in ("", "app", "app.cli", "top", "nothing")]
print(json.dumps({"start": at_start, "seen": seen}))
"""


@pytest.mark.parametrize(
    ("module", "ours"),
    [
        ("multiprocessing", "pyi_rth_multiprocessing_lazy.py"),
        ("pkgutil", "pyi_rth_pkgutil_lazy.py"),
    ],
)
def test_lazy_run_time_hooks_equal_pyinstallers(module: str, ours: str) -> None:
    """The bundle's multiprocessing and pkgutil run-time hooks (in place of PyInstaller's) load
    nothing at start, and once the module is imported it behaves as with PyInstaller's hook."""
    pyinstaller = pytest.importorskip("PyInstaller")
    hooks = ROOT / "packaging" / "hooks"
    assert f"'{module}': ['{ours}']" in (hooks / "rthooks.dat").read_text()
    reference = Path(pyinstaller.__file__).parent / "hooks" / "rthooks" / f"pyi_rth_{module}.py"

    def probe(hook: Path) -> dict[str, list[object]]:
        out = subprocess.run(
            [sys.executable, "-c", LAZY_HOOK_PROBE, module, str(hook)],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]

    lazy, theirs = probe(hooks / "rthooks" / ours), probe(reference)
    assert module in theirs["start"] and module not in lazy["start"]
    assert lazy["seen"] == theirs["seen"]
    assert lazy["seen"][0]  # the probe did reach the patched code (a child run, a listing)
