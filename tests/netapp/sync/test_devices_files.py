"""The update files of device sync: their checks, their sealing and their dependencies."""

from __future__ import annotations

from pathlib import Path

import pytest
from pycrdt import Doc, Map

from netapp.sync.devices import files

DEVICE = "0123456789abcdef"


def _plain(device: str) -> bytes | None:
    return None


def test_a_file_reads_back_as_written(tmp_path: Path) -> None:
    """pack then unpack gives back the name, time, dependencies and update."""
    data = files.pack(DEVICE, 3, {"name": "Laptop", "written_at": "t"}, b"\x00", b"upd", None)
    got = files.unpack(data, DEVICE, 3, _plain)
    assert (got.name, got.written_at, got.deps, got.update) == ("Laptop", "t", b"\x00", b"upd")


def test_a_renamed_or_renumbered_file_is_refused() -> None:
    """A file put under another device's name or number is refused (its header says whose)."""
    data = files.pack(DEVICE, 3, {"name": "x", "written_at": ""}, b"\x00", b"u", None)
    with pytest.raises(files.BadFile, match="another file"):
        files.unpack(data, DEVICE, 4, _plain)
    with pytest.raises(files.BadFile, match="another file"):
        files.unpack(data, "fedcba9876543210", 3, _plain)


def test_a_sealed_file_opens_only_with_its_key() -> None:
    """Encrypted with the passphrase's key: the same passphrase opens it, another does not,
    and a database without a passphrase is told to open an encrypted one."""
    key = files.key_for("correct horse", DEVICE)
    data = files.pack(DEVICE, 1, {"name": "x", "written_at": ""}, b"\x00", b"secret", key)
    assert b"secret" not in data
    assert files.unpack(data, DEVICE, 1, lambda d: key).update == b"secret"
    other = files.key_for("battery staple", DEVICE)
    with pytest.raises(files.BadFile, match="passphrase"):
        files.unpack(data, DEVICE, 1, lambda d: other)
    with pytest.raises(files.BadFile, match="encrypted"):
        files.unpack(data, DEVICE, 1, _plain)


def test_a_flipped_byte_in_a_sealed_file_is_caught() -> None:
    """Any change to a sealed file's body is caught before anything is applied."""
    key = files.key_for("pw", DEVICE)
    data = bytearray(files.pack(DEVICE, 1, {"name": "x", "written_at": ""}, b"\x00", b"s", key))
    data[-5] ^= 0x01
    with pytest.raises(files.BadFile):
        files.unpack(bytes(data), DEVICE, 1, lambda d: key)


def test_dependencies_are_met_only_by_a_document_that_has_them() -> None:
    """A file written after another device's changes waits until those have arrived."""
    a, b = Doc(client_id=11), Doc(client_id=22)
    a.get("m", type=Map)["k"] = "1"
    b.apply_update(a.get_update())
    deps = b.get_state()
    b.get("m", type=Map)["j"] = "2"
    fresh = Doc(client_id=33)
    assert not files.covered(deps, fresh.get_state())
    fresh.apply_update(a.get_update())
    assert files.covered(deps, fresh.get_state())
    assert files.decode_state_vector(a.get_state()) == {11: 1}


def test_the_listing_skips_this_device_and_stray_files(tmp_path: Path) -> None:
    """Only other devices' numbered files are listed; temporary and foreign files are not."""
    files.write(tmp_path, DEVICE, 1, b"x")
    files.write(tmp_path, "aaaaaaaaaaaaaaaa", 2, b"y")
    (tmp_path / "aaaaaaaaaaaaaaaa" / ".00000003.update.1234.tmp").write_bytes(b"z")
    (tmp_path / "aaaaaaaaaaaaaaaa" / "notes.txt").write_text("hi")
    (tmp_path / "Not A Device").mkdir()
    listed = files.listing(tmp_path, DEVICE)
    assert [(d, n) for d, n, _ in listed] == [("aaaaaaaaaaaaaaaa", 2)]
