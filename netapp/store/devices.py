"""Device sync's local state (tables from ``m007_devices``): ``store.devices``.

This device's identity and folder, the outbox of local changes (filled by triggers), the
replication document, the other devices' update files already read, and this device's own
update files not yet written to the folder. The sync itself is ``netapp.sync.devices``.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from netapp.store.db import Database

# The tables whose rows are synced, with the SQL that names every row's sync key (a join puts
# all of them in the outbox); ``at`` is when the row last changed, so an older copy of a row
# loses to a newer edit made elsewhere.
_ALL_ROWS: dict[str, str] = {
    "groups": "SELECT uuid AS k, created_at AS a FROM groups",
    "library_items": "SELECT uuid AS k, created_at AS a FROM library_items",
    "people": "SELECT uuid AS k, updated_at AS a FROM people",
    **{
        table: f"SELECT DISTINCT p.uuid AS k, p.updated_at AS a FROM {table} e "
        "JOIN people p ON p.id = e.person_id"
        for table in ("person_emails", "person_phones", "person_tags")
    },
    "meetings": "SELECT uuid AS k, created_at AS a FROM meetings",
    "referrals": "SELECT uuid AS k, updated_at AS a FROM referrals",
    "interactions": "SELECT uuid AS k, created_at AS a FROM interactions",
    "consents": "SELECT uuid AS k, COALESCE(withdrawn_at, obtained_at) AS a FROM consents",
    "card_batches": "SELECT uuid AS k, printed_at AS a FROM card_batches",
    "attendance": "SELECT m.uuid || '/' || p.uuid AS k, m.created_at AS a FROM attendance t "
    "JOIN meetings m ON m.id = t.meeting_id JOIN people p ON p.id = t.person_id",
    "snoozes": "SELECT p.uuid || '/' || s.kind AS k, '' AS a FROM snoozes s "
    "JOIN people p ON p.id = s.person_id",
    "settings": "SELECT key AS k, '' AS a FROM settings",
}


# The saved document: magic, generation (8 random bytes, new at every save), then frames: a
# 4-byte length, a kind byte (z: zlib'd, r: plain) and a Yjs update. Applied in order into an
# empty document, they give the document. A blob without the magic is one zlib'd update (netapp
# before 2026-12-07); "NDOC1" (that day) had a zlib'd first frame, then plain ones, no kinds.
_DOC_MAGIC = b"NDOC2"
_DOC_HEAD = len(_DOC_MAGIC) + 8
_PACKED, _PLAIN = b"z", b"r"


@dataclass(frozen=True)
class StoredDoc:
    generation: bytes  # b"": saved by an earlier netapp (saved whole again at the next sync)
    parts: list[tuple[bool, bytes]]  # (zlib'd, update), in the order to apply them


def _frame(kind: bytes, data: bytes) -> bytes:
    return (len(data) + 1).to_bytes(4, "big") + kind + data


@dataclass(frozen=True)
class Me:
    """This device, as joined to a folder."""

    device: str
    name: str
    client: int
    folder: str
    next_number: int
    joined_at: str
    last_sync: str
    last_result: str


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    tbl: str
    key: str | None
    at: str


class Devices:
    """The device-sync repository: ``store.devices``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def me(self) -> Me | None:
        rows = self.db.query(
            "SELECT device, name, client, folder, next_number, joined_at, last_sync, "
            "last_result FROM devices_self"
        )
        return Me(**rows[0]) if rows else None

    def join(self, device: str, name: str, client: int, folder: str, now: str) -> None:
        """Become a device of ``folder``: every synced row goes into the outbox."""
        with self.db.atomic():
            c = self.db.conn
            c.execute("DELETE FROM devices_self")
            c.execute("DELETE FROM devices_doc")
            c.execute("DELETE FROM devices_files")
            c.execute("DELETE FROM devices_unsent")
            c.execute("DELETE FROM devices_outbox")
            c.execute(
                "INSERT INTO devices_self (id, device, name, client, folder, joined_at) "
                "VALUES (1, ?, ?, ?, ?, ?)",
                [device, name, client, folder, now],
            )
            for table, sql in _ALL_ROWS.items():
                c.execute(
                    f"INSERT INTO devices_outbox (tbl, key, at) "
                    f"SELECT '{table}', k, COALESCE(NULLIF(a, ''), '0') FROM ({sql})"
                )

    def leave(self) -> None:
        with self.db.atomic():
            for table in ("devices_self", "devices_doc", "devices_files", "devices_unsent"):
                self.db.conn.execute(f"DELETE FROM {table}")
            self.db.conn.execute("DELETE FROM devices_outbox")

    def rotate(self, device: str, client: int) -> None:
        """Continue as a new device (a restored or copied database must not reuse the
        identity whose later files are already in the folder)."""
        with self.db.atomic():
            self.db.conn.execute(
                "UPDATE devices_self SET device = ?, client = ?, next_number = 1", [device, client]
            )
            self.db.conn.execute("DELETE FROM devices_unsent")

    def rename(self, name: str) -> None:
        with self.db.atomic():
            self.db.conn.execute("UPDATE devices_self SET name = ?", [name])

    @contextmanager
    def applying(self) -> Iterator[None]:
        """Inside a transaction: the outbox triggers stand aside (the flag always cleared)."""
        self.db.conn.execute("UPDATE devices_self SET applying = 1")
        try:
            yield
        finally:
            self.db.conn.execute("UPDATE devices_self SET applying = 0")

    def outbox(self) -> list[OutboxRow]:
        rows = self.db.conn.execute(
            "SELECT seq, tbl, key, at FROM devices_outbox ORDER BY seq"
        ).fetchall()
        return [OutboxRow(*r) for r in rows]

    def clear_outbox(self, upto: int) -> None:
        self.db.conn.execute("DELETE FROM devices_outbox WHERE seq <= ?", [upto])

    def record_forget(self, uuid: str) -> None:
        """A person is being forgotten (safety.forget): the sync forgets them everywhere."""
        self.db.conn.execute(
            "INSERT INTO devices_outbox (tbl, key) SELECT 'forget', ? "
            "WHERE EXISTS (SELECT 1 FROM devices_self WHERE applying = 0)",
            [uuid],
        )

    def doc(self) -> bytes | None:
        """Everything saved of the replication document, as one zlib stream."""
        stored = self.stored_doc()
        if stored is None:
            return None
        return zlib.compress(b"".join(zlib.decompress(d) if z else d for z, d in stored.parts))

    def stored_doc(self) -> StoredDoc | None:
        """The replication document as saved: the updates to apply, in order."""
        value = self.db.scalar("SELECT state FROM devices_doc WHERE id = 1")
        if value is None:
            return None
        data = bytes(value)
        if not data.startswith((_DOC_MAGIC, b"NDOC1")):  # one zlib'd update
            return StoredDoc(b"", [(True, data)])
        kinds = data.startswith(_DOC_MAGIC)
        parts, at = [], _DOC_HEAD
        while at + 4 <= len(data):
            size = int.from_bytes(data[at : at + 4], "big")
            frame = data[at + 4 : at + 4 + size]
            if kinds:
                parts.append((frame[:1] == _PACKED, frame[1:]))
            else:
                parts.append((not parts, frame))
            at += 4 + size
        if at != len(data) or not parts:
            raise ValueError("the saved replication document is truncated")
        return StoredDoc(data[len(_DOC_MAGIC) : _DOC_HEAD] if kinds else b"", parts)

    def doc_generation(self) -> bytes | None:
        """What changes at every save of the document (None: none saved)."""
        value = self.db.scalar(
            "SELECT substr(state, 1, ?) FROM devices_doc WHERE id = 1", [_DOC_HEAD]
        )
        if value is None or not bytes(value).startswith(_DOC_MAGIC):
            return None
        return bytes(value)[len(_DOC_MAGIC) :]

    def save_doc(self, packed: list[bytes]) -> bytes:
        """Replace the saved document by ``packed`` (zlib'd updates making the whole of it,
        in order); returns its generation."""
        generation = os.urandom(8)  # what secrets.token_bytes(8) returns
        state = _DOC_MAGIC + generation + b"".join(_frame(_PACKED, p) for p in packed)
        self.db.conn.execute(
            "INSERT INTO devices_doc (id, state) VALUES (1, ?) "
            "ON CONFLICT(id) DO UPDATE SET state = excluded.state",
            [state],
        )
        return generation

    def append_doc(self, update: bytes) -> bytes:
        """Append a plain update to the saved document (which must be of this format: its
        generation is not None); returns the new generation. SQLite concatenates: the
        document is not read back into Python, nor encoded again."""
        generation = os.urandom(8)  # what secrets.token_bytes(8) returns
        self.db.conn.execute(
            "UPDATE devices_doc SET state = CAST(? || substr(state, ?) || ? AS BLOB) WHERE id = 1",
            [_DOC_MAGIC + generation, _DOC_HEAD + 1, _frame(_PLAIN, update)],
        )
        return generation

    def files_read(self) -> set[tuple[str, int]]:
        rows = self.db.conn.execute("SELECT device, number FROM devices_files").fetchall()
        return {(str(d), int(n)) for d, n in rows}

    def mark_read(self, device: str, number: int, name: str, written_at: str) -> None:
        self.db.conn.execute(
            "INSERT OR REPLACE INTO devices_files (device, number, name, written_at) "
            "VALUES (?, ?, ?, ?)",
            [device, number, name, written_at],
        )

    def peers(self) -> list[dict[str, str]]:
        """The other devices seen in the folder: name and when their newest file was written."""
        return self.db.query(
            "SELECT device, name, written_at AS last_seen FROM devices_files f "
            "WHERE number = (SELECT max(number) FROM devices_files g WHERE g.device = f.device) "
            "ORDER BY name, device"
        )

    def add_unsent(self, data: bytes) -> int:
        """Keep an update file to write (written to the folder after the commit)."""
        number = int(self.db.scalar("SELECT next_number FROM devices_self"))
        self.db.conn.execute("UPDATE devices_self SET next_number = next_number + 1")
        self.db.conn.execute(
            "INSERT INTO devices_unsent (number, data) VALUES (?, ?)", [number, data]
        )
        return number

    def unsent(self) -> list[tuple[int, bytes]]:
        rows = self.db.conn.execute(
            "SELECT number, data FROM devices_unsent ORDER BY number"
        ).fetchall()
        return [(int(n), bytes(d)) for n, d in rows]

    def sent(self, number: int) -> None:
        with self.db.atomic():
            self.db.conn.execute("DELETE FROM devices_unsent WHERE number = ?", [number])

    def finished(self, when: str, result: str) -> None:
        with self.db.atomic():
            self.db.conn.execute(
                "UPDATE devices_self SET last_sync = ?, last_result = ?", [when, result]
            )
