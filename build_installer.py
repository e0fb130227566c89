"""Build a standalone netapp for the platform this runs on, with PyInstaller and netapp.spec.

    python build_installer.py [--dist DIR] [--work DIR] [--no-archive] [--self-test]

Linux:   dist/netapp/ (the one-folder bundle) and dist/netapp-<version>-linux-<arch>.tar.gz, which
         holds the bundle, a .desktop file, the icons, install.sh and INSTALL.txt.
Windows: dist/netapp/ (netapp.exe, windowed, and netapp-cli.exe, console), then an Inno Setup
         installer dist/netapp-<version>-windows-<arch>-setup.exe when ``iscc`` is on PATH, else
         a zip of the folder. (Not tested by the project's CI; see packaging/README.md.)
macOS:   dist/netapp.app and dist/netapp-<version>-macos-<arch>.zip (untested; unsigned).

Needs PyInstaller (``pip install -e '.[test]'``). Nothing here downloads anything.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SPEC = ROOT / "netapp.spec"
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
NAME = "netapp"


class BuildError(Exception):
    """The build cannot go on; the message says why and what to do."""


def version() -> str:
    """netapp's version, read from netapp/__init__.py (without importing the package)."""
    text = (ROOT / "netapp" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.M)
    if not found:
        raise BuildError("netapp/__init__.py has no __version__ line")
    return found.group(1)


def platform_tag() -> str:
    return {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)


def arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(machine, machine)


def archive_name(ver: str) -> str:
    return f"{NAME}-{ver}-{platform_tag()}-{arch()}"


def executable(bundle: Path) -> Path:
    """The command-line executable inside a built bundle."""
    if sys.platform == "win32":
        return bundle / f"{NAME}-cli.exe"
    if sys.platform == "darwin" and bundle.suffix == ".app":
        return bundle / "Contents" / "MacOS" / NAME
    return bundle / NAME


def dir_size(path: Path) -> int:
    """Bytes of the regular files under ``path`` (symlinks are not followed or counted)."""
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            p = Path(dirpath) / name
            if not p.is_symlink():
                total += p.stat().st_size
    return total


def run_pyinstaller(dist: Path, work: Path, *, clean: bool = False) -> Path:
    """Run PyInstaller on netapp.spec; returns the one-folder bundle (or the .app on macOS)."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise BuildError(
            "PyInstaller is not installed; run: pip install -e '.[test]' (or pip install pyinstaller)"
        ) from None
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        *(["--clean"] if clean else []),
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
    ]
    print("build_installer: " + " ".join(cmd[2:]), flush=True)
    proc = subprocess.run(cmd, cwd=ROOT, check=False)
    if proc.returncode != 0:
        raise BuildError(f"PyInstaller failed (exit {proc.returncode}); see the messages above")
    bundle = dist / (f"{NAME}.app" if sys.platform == "darwin" else NAME)
    if not executable(bundle).is_file():
        raise BuildError(f"PyInstaller finished but {executable(bundle)} is missing")
    return bundle


def _install_text(ver: str) -> str:
    libc = platform.libc_ver()
    text = (PACKAGING / "INSTALL.txt").read_text(encoding="utf-8")
    return (
        text.replace("@VERSION@", ver)
        .replace("@ARCH@", arch())
        .replace("@GLIBC@", libc[1] if libc[0] == "glibc" else "(unknown)")
    )


def linux_archive(bundle: Path, dist: Path, ver: str) -> Path:
    """dist/netapp-<ver>-linux-<arch>.tar.gz: the bundle, .desktop, icons, install.sh, INSTALL."""
    top = archive_name(ver)
    out = dist / f"{top}.tar.gz"
    tmp = out.with_name(out.name + ".tmp")
    extras: list[tuple[str, bytes, int]] = [
        ("INSTALL.txt", _install_text(ver).encode(), 0o644),
        ("install.sh", (PACKAGING / "install.sh").read_bytes(), 0o755),
        ("netapp.desktop", (PACKAGING / "netapp.desktop").read_bytes(), 0o644),
        ("netapp.svg", (ICONS / "netapp.svg").read_bytes(), 0o644),
        ("netapp.png", (ICONS / "netapp-256.png").read_bytes(), 0o644),
    ]
    extras += [(f"icons/{p.name}", p.read_bytes(), 0o644) for p in sorted(ICONS.glob("*.png"))]
    import io

    with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=f"{top}/{NAME}")
        for name, data, mode in extras:
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size, info.mode = len(data), mode
            info.mtime = int(os.stat(bundle).st_mtime)
            tar.addfile(info, io.BytesIO(data))
    os.replace(tmp, out)
    return out


def windows_installer(bundle: Path, dist: Path, ver: str) -> Path:
    """An Inno Setup installer when ``iscc`` is available, else a zip of the folder."""
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc:
        cmd = [
            iscc,
            f"/DAppVersion={ver}",
            f"/DSourceDir={bundle}",
            f"/DOutputDir={dist}",
            f"/DOutputBase={archive_name(ver)}-setup",
            f"/DIconFile={ICONS / 'netapp.ico'}",
            str(PACKAGING / "netapp.iss"),
        ]
        if subprocess.run(cmd, check=False).returncode != 0:
            raise BuildError("Inno Setup (iscc) failed; see the messages above")
        return dist / f"{archive_name(ver)}-setup.exe"
    print("build_installer: iscc (Inno Setup) not found; making a zip instead", flush=True)
    return zip_dir(bundle, dist / f"{archive_name(ver)}.zip")


def zip_dir(folder: Path, out: Path) -> Path:
    if sys.platform == "darwin" and shutil.which("ditto"):  # keeps symlinks and signatures
        subprocess.run(["ditto", "-c", "-k", "--keepParent", str(folder), str(out)], check=True)
        return out
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, Path(folder.name) / path.relative_to(folder))
    return out


def smoke(bundle: Path, self_test: bool) -> None:
    """Start the built executable with --version (and --self-test): it must work offscreen."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    for args in (["--version"], ["--self-test"])[: 2 if self_test else 1]:
        proc = subprocess.run(
            [str(executable(bundle)), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        print(proc.stdout.rstrip(), flush=True)
        if proc.returncode != 0:
            raise BuildError(
                f"the built netapp {' '.join(args)} failed (exit {proc.returncode}): "
                f"{proc.stderr.strip()[-600:]}"
            )


def build(
    dist: Path, work: Path, *, archive: bool = True, self_test: bool = False, clean: bool = False
) -> dict[str, str]:
    """Build the bundle (and its archive); returns the paths and the size, for callers and tests."""
    ver = version()
    dist.mkdir(parents=True, exist_ok=True)
    bundle = run_pyinstaller(dist.resolve(), work.resolve(), clean=clean)
    smoke(bundle, self_test)
    out: dict[str, str] = {
        "version": ver,
        "bundle": str(bundle),
        "executable": str(executable(bundle)),
        "bundle_bytes": str(dir_size(bundle)),
    }
    if archive:
        if sys.platform.startswith("linux"):
            out["archive"] = str(linux_archive(bundle, dist, ver))
        elif sys.platform == "win32":
            out["archive"] = str(windows_installer(bundle, dist, ver))
        elif sys.platform == "darwin":
            out["archive"] = str(zip_dir(bundle, dist / f"{archive_name(ver)}.zip"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="build_installer.py", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output (default dist/)")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's work dir"
    )
    parser.add_argument("--no-archive", action="store_true", help="the bundle only")
    parser.add_argument(
        "--self-test", action="store_true", help="run the built app's --self-test afterwards"
    )
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's caches first")
    args = parser.parse_args(argv)
    try:
        out = build(
            args.dist,
            args.work,
            archive=not args.no_archive,
            self_test=args.self_test,
            clean=args.clean,
        )
    except BuildError as exc:
        print(f"build_installer: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("build_installer: interrupted", file=sys.stderr)
        return 1
    mb = int(out["bundle_bytes"]) / 1e6
    print(f"bundle:  {out['bundle']} ({mb:.0f} MB)")
    if "archive" in out:
        size = Path(out["archive"]).stat().st_size / 1e6
        print(f"archive: {out['archive']} ({size:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
