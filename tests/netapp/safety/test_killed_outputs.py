"""Issue 15 (1, 6): an export, a card sheet or a screenshot killed with SIGKILL between writing
its temporary file and renaming it leaves the old file whole, and its temporary copy (0600, in
the folder the user chose, far from the database) is removed by the next start."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from netapp.cli import main
from netapp.domain import Person
from netapp.files import TEMP_PREFIX, pending_outputs, remove_pending_outputs, write_output
from netapp.store import Store

ROOT = Path(__file__).resolve().parents[3]

# The command line in a child that SIGKILLs itself just before an output's rename.
CHILD = """
import os, signal, sys
real = os.replace
def replace(src, dst, *a, **k):
    if os.path.basename(os.fspath(src)).startswith(".netapp-out-"):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst, *a, **k)
os.replace = replace
from netapp.cli import main
sys.exit(main(sys.argv[1:]))
"""

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL needs POSIX")


def _killed(*args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr


def _temps(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


@pytest.mark.parametrize("fmt", ["csv", "vcard", "json"])
def test_a_killed_export_keeps_the_old_file_and_the_next_start_removes_its_copy(
    db_path: Path, tmp_path: Path, fmt: str
) -> None:
    """Killed before the rename: the target is the old file, the copy is 0600, the next command
    removes it and its marker."""
    with Store(db_path) as s:
        s.people.add(Person(display_name="Private Pat", note="a secret note"))
    elsewhere = tmp_path / "exports"
    elsewhere.mkdir()
    target = elsewhere / f"people.{fmt}"
    target.write_text("the old export\n")
    _killed("--db", str(db_path), "export", "--format", fmt, "-o", str(target))
    assert target.read_text() == "the old export\n"
    left = _temps(elsewhere)
    assert len(left) == 1 and stat.S_IMODE(left[0].stat().st_mode) == 0o600
    assert b"Private Pat" in left[0].read_bytes()
    assert len(pending_outputs(db_path)) == 1
    assert main(["--db", str(db_path), "person", "list"]) == 0
    assert _temps(elsewhere) == [] and pending_outputs(db_path) == []
    assert target.read_text() == "the old export\n"


def test_a_finished_write_leaves_no_marker(db_path: Path, tmp_path: Path) -> None:
    """A write that completes, or fails, leaves neither a temporary file nor a marker."""
    Store(db_path).close()
    write_output(tmp_path / "ok.txt", "fine", database=db_path)
    with pytest.raises(RuntimeError), _failing(tmp_path / "bad.txt", db_path):
        pass
    assert _temps(tmp_path) == [] and pending_outputs(db_path) == []
    assert (tmp_path / "ok.txt").read_text() == "fine" and not (tmp_path / "bad.txt").exists()


def _failing(out: Path, db: Path):  # type: ignore[no-untyped-def]
    from contextlib import contextmanager

    from netapp.files import output_file

    @contextmanager
    def run():  # type: ignore[no-untyped-def]
        with output_file(out, database=db) as fh:
            fh.write(b"half")
            yield
            raise RuntimeError("the writer failed")

    return run()


def test_a_forged_marker_removes_nothing_but_netapp_temporary_files(
    db_path: Path, tmp_path: Path
) -> None:
    """A marker pointing at any other file (edited by hand, or planted) deletes nothing."""
    Store(db_path).close()
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    forged = db_path.with_name(f".{db_path.name}.{TEMP_PREFIX}0123456789abcdef.pending-output")
    forged.write_bytes(os.fsencode(victim))
    assert remove_pending_outputs(db_path) == []
    assert victim.read_text() == "keep me" and not forged.exists()
