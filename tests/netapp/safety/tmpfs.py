"""A small real filesystem for full-disk tests: a tmpfs mounted in a private namespace."""

from __future__ import annotations

import shutil
import subprocess

import pytest


def unshare_ok() -> bool:
    """Whether ``unshare -rm`` may mount a tmpfs here (not in every container)."""
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
    )
    return probe.returncode == 0


needs_tmpfs = pytest.mark.skipif(
    not unshare_ok(), reason="needs unshare -rm to mount a small tmpfs"
)
