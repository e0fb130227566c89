"""Issue 15 (9): forget erases every derived copy (the referral note copied into the referrer's
automatic interaction), and its clean-up is resumable: killed (SIGKILL, a real child) after
the deletion committed, or stopped by a full disk, the next start finishes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from netapp.cli import main
from netapp.domain import Person, Referral
from netapp.store import Store
from tests.netapp.safety.tmpfs import needs_tmpfs

ROOT = Path(__file__).resolve().parents[3]
SECRET = ["Gossamerine", "Tangerinex", "Quibblewick"]


def _leaks(db_path: Path) -> list[str]:
    data = b"".join(p.read_bytes() for p in (db_path, Path(f"{db_path}-wal")) if p.exists()).lower()
    return [w for w in SECRET if w.lower().encode() in data]


def _setup(db_path: Path) -> int:
    with Store(db_path) as s:
        pid = s.people.add(Person(display_name="Quibblewick Jones"))
        referrer = s.people.add(Person(display_name="Ordinary Olive"))
        s.referrals.add(
            Referral(
                referrer_id=referrer,
                provider_id=None,
                prospect_id=pid,
                prospect_name="Quibblewick Jones",
                date="2026-01-02",
                note="Gossamerine wants the Tangerinex deal",
            )
        )
        s.people.add_many([Person(display_name=f"Filler {i}") for i in range(50)])
    assert _leaks(db_path)
    return pid


def test_forget_erases_the_referral_note_copied_to_the_referrer(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The referrer's automatic 'referral received' interaction carried a copy of the note
    about the forgotten prospect: after forget no word of it is in the file or its WAL."""
    pid = _setup(db_path)
    assert main(["--db", str(db_path), "forget", str(pid), "--yes"]) == 0
    capsys.readouterr()
    assert _leaks(db_path) == []
    with Store(db_path) as s:
        notes = [r["note"] for r in s.db.query("SELECT note FROM interactions")]
        assert not any("Gossamerine" in n for n in notes)


CHILD = """
import os, signal, sys
import netapp.safety.forget as F
def killed(store):
    os.kill(os.getpid(), signal.SIGKILL)
F.finish_forget = killed
from netapp.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_forget_killed_before_its_clean_up_is_finished_on_next_start(db_path: Path) -> None:
    """SIGKILL right after the deletion committed, before the search index was merged and the
    WAL emptied: the journal (committed with the deletion) makes the next start finish."""
    pid = _setup(db_path)
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, "--db", str(db_path), "forget", str(pid), "--yes"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with Store(db_path) as s:
        assert not s.people.exists(pid)
        assert s.drafts.load("safety:forget-pending")  # the clean-up is still owed
    assert main(["--db", str(db_path), "person", "list"]) == 0
    assert _leaks(db_path) == []
    with Store(db_path) as s:
        assert s.drafts.load("safety:forget-pending") is None


FULL_DISK = """
set -e
mount -t tmpfs -o size=$SIZE tmpfs "$DIR"
cp "$SRC" "$DIR/netapp.db"
fallocate -l $(( $(stat -f -c '%a*%S' "$DIR") - $SLACK )) "$DIR/filler" 2>/dev/null || \
  head -c $(( $(stat -f -c '%a*%S' "$DIR") - $SLACK )) /dev/zero > "$DIR/filler"
set +e
"$PY" -m netapp --db "$DIR/netapp.db" forget "$PID" --yes; echo "forget=$?"
rm "$DIR/filler"
"$PY" -m netapp --db "$DIR/netapp.db" person list > /dev/null; echo "next=$?"
cp "$DIR/netapp.db" "$OUT"
"""


@needs_tmpfs
@pytest.mark.parametrize("slack", [4096 * k for k in (4, 12, *range(20, 30, 2), 40)])
def test_forget_on_a_full_disk_is_one_line_and_finishes_later(
    db_path: Path, tmp_path: Path, slack: int
) -> None:
    """On a nearly full disk forget either works or stops with one line (no traceback); the
    next start, with space again, leaves no trace of the person in the file."""
    pid = _setup(db_path)
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    out = tmp_path / "after.db"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SIZE": "2m",
        "DIR": str(mnt),
        "SRC": str(db_path),
        "SLACK": str(slack),
        "PY": sys.executable,
        "PID": str(pid),
        "OUT": str(out),
    }
    proc = subprocess.run(
        ["unshare", "-rm", "sh", "-c", FULL_DISK], env=env, capture_output=True, text=True
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "next=0" in proc.stdout, proc.stdout + proc.stderr
    if "forget=0" not in proc.stdout:
        errors = [line for line in proc.stderr.splitlines() if line.startswith("netapp: error")]
        assert len(errors) == 1 and "disk is full" in errors[0], proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert _leaks(out) == [] or "forget=1" in proc.stdout and not _person_gone(out, pid)


def _person_gone(db: Path, pid: int) -> bool:
    with Store(db) as s:
        return not s.people.exists(pid)
