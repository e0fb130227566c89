"""Issue 15 (10, 12): on a full disk every writing command says "the disk is full" in one line
(never a traceback, "backup failed (…)" or "not a usable netapp database"), and the database
stays sound. The disk is a real small tmpfs, mounted in a user namespace (unshare -rm)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from netapp.demo import generate
from netapp.store import Store
from tests.netapp.safety.tmpfs import needs_tmpfs

ROOT = Path(__file__).resolve().parents[3]


SCRIPT = """
set -e
mount -t tmpfs -o size=2m tmpfs "$DIR"
cp "$SRC" "$DIR/netapp.db"
head -c $(( $(stat -f -c '%a*%S' "$DIR") - $SLACK )) /dev/zero > "$DIR/filler" 2>/dev/null || true
set +e
"$PY" -m netapp --db "$DIR/netapp.db" $COMMAND > /dev/null 2> "$ERR"
echo "rc=$?"
rm "$DIR/filler"
"$PY" -c "import sqlite3,sys; print('ok=' + sqlite3.connect(sys.argv[1]).execute(
    'PRAGMA integrity_check').fetchone()[0])" "$DIR/netapp.db"
"""

COMMANDS = [
    "backup",
    "person add Zed",
    "group add Club",
    "import {vcf}",
    "export --format json -o {dir}/out.json",
]


@needs_tmpfs
@pytest.mark.parametrize("slack", [8192, 60_000, 200_000])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.split()[0])
def test_a_full_disk_is_named_in_one_line(command: str, slack: int, tmp_path: Path) -> None:
    """Each writing command on a nearly full disk works or says the disk is full."""
    src = tmp_path / "src.db"
    with Store(src) as s:
        generate(s, people=150, seed=1, today="2026-01-05")
    vcf = tmp_path / "c.vcf"
    vcf.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:New Person\r\nEND:VCARD\r\n")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    err = tmp_path / "err.txt"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DIR": str(mnt),
        "SRC": str(src),
        "SLACK": str(slack),
        "PY": sys.executable,
        "ERR": str(err),
        "COMMAND": command.format(vcf=vcf, dir=mnt),
        "NETAPP_HOME": str(tmp_path / "home"),
    }
    proc = subprocess.run(
        ["unshare", "-rm", "sh", "-c", SCRIPT], env=env, capture_output=True, text=True
    )
    said = err.read_text()
    assert "rc=0" in proc.stdout or "rc=1" in proc.stdout, proc.stdout + proc.stderr
    assert "ok=ok" in proc.stdout, proc.stdout + proc.stderr
    if "rc=1" in proc.stdout:
        lines = said.strip().splitlines()
        assert len(lines) == 1 and "the disk is full" in lines[0], said
