"""The transport: numbered, immutable update files, one subfolder per device.

``<folder>/<device>/<number>.update`` is written once (a temporary file, then an atomic
rename) and never changed, so no file-sync tool can see it conflict or tear. Layout of a file::

    NETAPP-DEVICES 1\\n
    {"device": ..., "number": ..., "encrypted": ..., "size": ..., "sha256": ...}\\n
    body

The body is zlib-compressed ``{"name", "written_at", "deps"}\\n<Yjs update>``; when the
database is encrypted it is sealed with AES-256-GCM under a key derived (scrypt) from the
database's passphrase and the writing device's id, the header line being the associated data
(so a file cannot be renamed, renumbered or truncated unnoticed). A file that does not check
out is skipped with a warning and read again at the next sync (it may still be arriving).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"NETAPP-DEVICES 1\n"
SUFFIX = ".update"
_NAME = re.compile(r"^(\d{1,12})\.update$")
_DEVICE = re.compile(r"^[0-9a-f]{8,32}$")
MAX_FILE = 512 * 1024 * 1024


class BadFile(Exception):
    """An update file that cannot be read (the message says why, in plain words)."""


@dataclass(frozen=True)
class Update:
    """One update file, read and checked."""

    device: str
    number: int
    name: str
    written_at: str
    deps: bytes
    update: bytes


def key_for(passphrase: str, device: str) -> bytes:
    """The AEAD key of one device's files: scrypt of the passphrase, salted by the device."""
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=b"netapp-devices:" + device.encode(), length=32, n=2**14, r=8, p=1)
    return kdf.derive(passphrase.encode())


def pack(
    device: str,
    number: int,
    meta: Mapping[str, object],
    deps: bytes,
    update: bytes,
    key: bytes | None,
) -> bytes:
    inner = json.dumps({**meta, "deps": base64.b64encode(deps).decode()}).encode() + b"\n"
    body = zlib.compress(inner + update, 6)
    header: dict[str, object] = {"device": device, "number": number, "encrypted": key is not None}
    if key is not None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = secrets.token_bytes(12)
        head = json.dumps(header, sort_keys=True).encode()
        body = nonce + AESGCM(key).encrypt(nonce, body, head)
    header["size"] = len(body)
    header["sha256"] = hashlib.sha256(body).hexdigest()
    return MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + body


def unpack(data: bytes, device: str, number: int, key: Callable[[str], bytes | None]) -> Update:
    """Check and open one file of ``device``; ``key(device)`` gives its key (None: plain)."""
    if not data.startswith(MAGIC):
        raise BadFile("not a netapp update file")
    head, sep, body = data[len(MAGIC) :].partition(b"\n")
    try:
        header = json.loads(head) if sep else None
    except ValueError:
        header = None
    if not isinstance(header, dict):
        raise BadFile("its header is damaged")
    if header.get("device") != device or header.get("number") != number:
        raise BadFile("its header names another file")
    if header.get("size") != len(body) or header.get("sha256") != hashlib.sha256(body).hexdigest():
        raise BadFile(f"it is incomplete or damaged ({len(body)} of {header.get('size')} bytes)")
    if header.get("encrypted"):
        body = _open(header, body, key(device))
    try:
        inner = zlib.decompress(body)
        meta_line, _, update = inner.partition(b"\n")
        meta = json.loads(meta_line)
        deps = base64.b64decode(meta["deps"])
        return Update(device, number, str(meta["name"]), str(meta["written_at"]), deps, update)
    except (zlib.error, ValueError, KeyError, TypeError) as exc:
        raise BadFile("its content is damaged") from exc


def _open(header: dict[str, object], body: bytes, key: bytes | None) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if key is None:
        raise BadFile("it is encrypted: open an encrypted database with the folder's passphrase")
    clear = {k: v for k, v in header.items() if k not in ("size", "sha256")}
    head = json.dumps(clear, sort_keys=True).encode()
    try:
        return AESGCM(key).decrypt(body[:12], body[12:], head)
    except InvalidTag:
        raise BadFile("it does not open with this database's passphrase") from None


def write(folder: Path, device: str, number: int, data: bytes) -> Path:
    """Write one file of this device: a temporary file, flushed, then renamed into place."""
    target_dir = folder / device
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{number:08d}{SUFFIX}"
    tmp = target_dir / f".{target.name}.{secrets.token_hex(4)}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target


def listing(folder: Path, skip: str) -> list[tuple[str, int, Path]]:
    """The update files of the other devices: (device, number, path), oldest first."""
    found: list[tuple[str, int, Path]] = []
    if not folder.is_dir():
        return found
    for sub in folder.iterdir():
        if sub.name == skip or not _DEVICE.match(sub.name) or not sub.is_dir():
            continue
        for path in sub.iterdir():
            m = _NAME.match(path.name)
            if m:
                found.append((sub.name, int(m.group(1)), path))
    return sorted(found, key=lambda f: (f[1], f[0]))


def own_files(folder: Path, device: str) -> list[tuple[int, Path]]:
    sub = folder / device
    if not sub.is_dir():
        return []
    return sorted(
        (int(m.group(1)), p) for p in sub.iterdir() if (m := _NAME.match(p.name)) is not None
    )


def decode_state_vector(data: bytes) -> dict[int, int]:
    """A Yjs state vector (lib0 var-uints: count, then client and clock pairs)."""
    pos = 0

    def uint() -> int:
        nonlocal pos
        value = shift = 0
        while True:
            if pos >= len(data):
                raise BadFile("its dependencies are damaged")
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    return {uint(): uint() for _ in range(uint())}


def covered(deps: bytes, have: bytes) -> bool:
    """Whether a document at state ``have`` holds everything a file was written after."""
    mine = decode_state_vector(have)
    return all(mine.get(client, 0) >= clock for client, clock in decode_state_vector(deps).items())
