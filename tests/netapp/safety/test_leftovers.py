"""Issue 15 (6, 7, 8): no plain-text copy left behind. A backup, encrypt or decrypt killed
with SIGKILL (a real child process) leaves only temporary files that have the final file's
protection and are cleaned up on the next start; an interrupted encrypt is finished on the
next start (or by running encrypt again); encrypting through a symlinked --db encrypts the
real file."""

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
from netapp.safety import file_backups as B
from netapp.store import Store
from netapp.store.sqlcipher import file_kind, is_encrypted_file

pytest.importorskip("sqlcipher3")

PASS = "correct horse battery"
ROOT = Path(__file__).resolve().parents[3]

# Run the command line in a child that SIGKILLs itself at the moment a temporary file whose
# name contains argv[1] is about to be renamed into place (argv[2]: "before" or "after").
CHILD = """
import os, signal, sys
marker, when = sys.argv[1], sys.argv[2]
real = os.replace
def replace(src, dst, *a, **k):
    if marker in os.fspath(src):
        if when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        real(src, dst, *a, **k)
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst, *a, **k)
os.replace = replace
from netapp.cli import main
sys.exit(main(sys.argv[3:]))
"""


def _killed(marker: str, when: str, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NETAPP_PASSPHRASE": PASS}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, marker, when, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr


def _hidden(folder: Path) -> list[Path]:
    own = (".lock", ".verified")  # the open-file lock and the clean-close stamp hold no data
    return sorted(
        p for p in folder.iterdir() if p.name.startswith(".") and not p.name.endswith(own)
    )


def _db_with_backups(db_path: Path, passphrase: str | None = None, backups: int = 3) -> None:
    with Store(db_path, passphrase=passphrase) as s:
        s.people.add(Person(display_name="Secret Sarah", note="very private"))
    for _ in range(backups):
        B.backup_file(db_path, kind="manual", passphrase=passphrase)


def _plain_backups(db_path: Path) -> list[Path]:
    return [b.path for b in B.list_backups(db_path) if not is_encrypted_file(b.path)]


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_killed_backup_leaves_a_protected_partial_cleaned_on_next_start(
    db_path: Path, encrypted: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The partial copy of a killed backup is 0600, encrypted when the database is, and gone
    after the next command; it was never listed as a backup."""
    passphrase = PASS if encrypted else None
    _db_with_backups(db_path, passphrase, backups=1)
    _killed(".partial", "before", "--db", str(db_path), "backup")
    partial = _hidden(db_path.parent / "backups")
    assert len(partial) == 1
    assert stat.S_IMODE(partial[0].stat().st_mode) == 0o600
    assert file_kind(partial[0]) == ("encrypted" if encrypted else "sqlite")
    monkeypatch.setenv("NETAPP_PASSPHRASE", PASS)
    assert main(["--db", str(db_path), "person", "list"]) == 0
    assert _hidden(db_path.parent / "backups") == []
    assert len(B.list_backups(db_path)) == 1


def test_a_killed_decrypt_leaves_no_plain_copy_after_the_next_start(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """decrypt killed just before its plain copy replaces the database: the copy is 0600 and
    the next start removes it; the database is still the encrypted original."""
    _db_with_backups(db_path, PASS, backups=1)
    _killed(".decrypt.tmp", "before", "--db", str(db_path), "decrypt")
    left = [p for p in _hidden(db_path.parent) if ".decrypt.tmp" in p.name]
    assert left and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in left)
    monkeypatch.setenv("NETAPP_PASSPHRASE", PASS)
    assert main(["--db", str(db_path), "person", "list"]) == 0
    assert [p for p in _hidden(db_path.parent) if "decrypt" in p.name] == []
    assert is_encrypted_file(db_path)


def test_an_encrypt_killed_while_encrypting_backups_is_finished_on_next_start(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """encrypt killed after the database and the first backup are encrypted: the next start
    (with the passphrase) encrypts the remaining backups; none stays plain."""
    _db_with_backups(db_path, backups=3)
    _killed(".enc.partial", "after", "--db", str(db_path), "encrypt")
    assert is_encrypted_file(db_path)
    assert _plain_backups(db_path)  # the interruption left plain backups …
    monkeypatch.setenv("NETAPP_PASSPHRASE", PASS)
    assert main(["--db", str(db_path), "person", "list"]) == 0
    assert _plain_backups(db_path) == []  # … until the next start finished the job
    assert _hidden(db_path.parent) == [] and _hidden(db_path.parent / "backups") == []
    for b in B.list_backups(db_path):
        assert B.check_file(b.path, PASS) >= 1


def test_encrypt_again_encrypts_the_remaining_backups(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second `encrypt` on an encrypted database with plain backups does not refuse: it
    encrypts the remaining backups (the offer the issue asks for)."""
    _db_with_backups(db_path, backups=3)
    _killed(".enc.partial", "after", "--db", str(db_path), "encrypt")
    monkeypatch.setenv("NETAPP_PASSPHRASE", PASS)
    assert main(["--db", str(db_path), "encrypt"]) == 0
    assert "remaining" in capsys.readouterr().out
    assert _plain_backups(db_path) == []


def test_an_encrypt_killed_before_the_swap_rolls_back(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """encrypt killed before the encrypted copy replaces the database: the next start removes
    the copy; the database is plain and intact, and encrypt then works."""
    _db_with_backups(db_path, backups=1)
    _killed(".encrypt.tmp", "before", "--db", str(db_path), "encrypt")
    assert not is_encrypted_file(db_path)
    assert main(["--db", str(db_path), "person", "list"]) == 0
    assert _hidden(db_path.parent) == []
    monkeypatch.setenv("NETAPP_PASSPHRASE", PASS)
    assert main(["--db", str(db_path), "encrypt"]) == 0
    assert is_encrypted_file(db_path) and _plain_backups(db_path) == []


def test_encrypt_through_a_symlink_encrypts_the_real_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--db a symlink: the file it points to is encrypted and the link stays a link."""
    real = tmp_path / "data" / "netapp.db"
    real.parent.mkdir()
    _db_with_backups(real, backups=1)
    link = tmp_path / "link.db"
    link.symlink_to(real)
    monkeypatch.setenv("NETAPP_PASSPHRASE", PASS)
    assert main(["--db", str(link), "encrypt"]) == 0
    assert link.is_symlink() and link.resolve() == real
    assert is_encrypted_file(real)
    assert b"Secret Sarah" not in real.read_bytes()
    assert _plain_backups(real) == []


def _forge_leftovers(db_path: Path, exports: Path) -> list[Path]:
    """A decrypt's copy beside ``db_path`` and a killed export's copy in ``exports``, with its
    marker beside the database, as a killed process leaves them."""
    from netapp.files import TEMP_PREFIX, pending_marker

    copy = db_path.with_name(f".{db_path.name}.decrypt.tmp")
    copy.write_bytes(b"plain copy")
    exports.mkdir(exist_ok=True)
    tmp = exports / f"{TEMP_PREFIX}0123456789abcdef.tmp"
    tmp.write_bytes(b"half an export")
    pending_marker(db_path, tmp).write_bytes(os.fsencode(tmp))
    return [copy, tmp]


@pytest.mark.parametrize("linked", [False, True], ids=["file", "link"])
def test_a_start_lists_the_database_folder_once_and_still_removes_every_leftover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, linked: bool
) -> None:
    """recover() reads the database's folder once (not once per kind of leftover) and removes
    both a decrypt's copy and a killed export's copy; through a link into another folder it
    still finds the export's marker beside the real file."""
    from netapp.safety import recovery

    real = tmp_path / "data" / "netapp.db"
    real.parent.mkdir()
    Store(real).close()
    db_path = real
    if linked:
        db_path = tmp_path / "here" / "netapp.db"
        db_path.parent.mkdir()
        db_path.symlink_to(real)
    copy, export = _forge_leftovers(db_path, tmp_path / "exports")
    if linked:  # the export's marker is beside the real file, the decrypt's copy beside the link
        assert not list(db_path.parent.glob("*.pending-output"))
    listed: list[Path] = []
    real_listdir, real_scandir = os.listdir, os.scandir

    def listdir(path: object = ".") -> list[str]:
        listed.append(Path(os.fsdecode(path)).resolve())  # type: ignore[arg-type]
        return real_listdir(path)  # type: ignore[arg-type]

    def scandir(path: object = ".") -> object:
        listed.append(Path(os.fsdecode(path)).resolve())  # type: ignore[arg-type]
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setattr(os, "scandir", scandir)
    removed = recovery.recover(db_path)
    monkeypatch.undo()
    assert sorted(removed) == sorted([copy, export])
    assert not copy.exists() and not export.exists()
    assert list(real.parent.glob("*.pending-output")) == []
    assert listed.count(db_path.parent.resolve()) == 1
    assert listed.count(real.parent.resolve()) == 1
