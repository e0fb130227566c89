"""One device sync, and joining a folder: what the command line and the app call.

A sync (:func:`sync`):

1. reads and checks the other devices' new update files (outside any transaction; a damaged
   or half-copied file is skipped with a warning and read again next time);
2. in one transaction: loads the document; captures the outbox (local writes since the last
   sync) as this device's registers and keeps the resulting update to write; applies the
   other devices' updates in causal order (a file waits until what it was written after has
   arrived); removes what forget reaches; writes the changed rows into SQLite with the
   outbox triggers standing aside; saves the document; marks the files read;
3. after the commit, writes this device's update file into its subfolder (or, after a
   forget, one file with the whole compacted document, deleting its older files) and
   recomputes the engine's status of the people touched.

On a device that has never synced, step 2 applies the others' history first and captures
after: a device joining an existing folder starts from the others' history.
"""

from __future__ import annotations

import logging
import secrets
import socket
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from netapp.domain import Referral, Topic
from netapp.errors import NetappError
from netapp.store import Store
from netapp.store.devices import Me
from netapp.sync.devices import files, saved
from netapp.sync.devices.capture import capture
from netapp.sync.devices.materialise import Applied, materialise
from netapp.sync.devices.replica import FORGOTTEN, Replica
from netapp.sync.devices.saved import KeptDoc
from netapp.sync.devices.tables import BY_NAME, SETS_BY_NAME, Rows

log = logging.getLogger(__name__)


class NotJoined(NetappError):
    def __init__(self) -> None:
        super().__init__(
            "this database syncs with no devices folder yet: run "
            "`netapp sync devices --folder PATH` first"
        )


class FolderMissing(NetappError):
    def __init__(self, folder: str) -> None:
        super().__init__(
            f"the devices folder {folder} is not there (is its drive connected?); "
            "nothing was changed"
        )


@dataclass
class Summary:
    """What one sync did."""

    read: int = 0  # other devices' files applied
    waiting: int = 0  # files waiting for files they were written after
    written: int = 0  # own files written
    rows_written: int = 0
    rows_deleted: int = 0
    captured: int = 0  # local rows and sets sent
    warnings: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (
            f"{self.captured} local changes sent, {self.read} updates received "
            f"({self.rows_written} rows written, {self.rows_deleted} removed)"
        )
        if self.waiting:
            text += f", {self.waiting} waiting for earlier updates"
        if self.warnings:
            text += f", {len(self.warnings)} files skipped"
        return text

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def join(store: Store, folder: str | Path, name: str = "") -> Me:
    """Make this database a device of ``folder`` (created if missing). Its history goes
    there at the next sync; the other devices' history comes from there."""
    path = Path(folder).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NetappError(f"cannot use {path} as the devices folder: {exc.strerror}") from None
    device = secrets.token_hex(8)
    client = secrets.randbits(31) + 1
    store.devices.join(
        device, name or socket.gethostname() or "this device", client, str(path), now_iso()
    )
    (path / device).mkdir(exist_ok=True)
    me = store.devices.me()
    assert me is not None
    return me


class _Keys:
    """The AEAD key of each device's files (None for a plain database), derived once."""

    def __init__(self, passphrase: str | None) -> None:
        self.passphrase = passphrase
        self.cache: dict[str, bytes | None] = {}

    def __call__(self, device: str) -> bytes | None:
        if device not in self.cache:
            self.cache[device] = files.key_for(self.passphrase, device) if self.passphrase else None
        return self.cache[device]


def _read_new(
    folder: Path, me: Me, seen: set[tuple[str, int]], keys: _Keys, summary: Summary
) -> list[files.Update]:
    out = []
    for device, number, path in files.listing(folder, me.device):
        if (device, number) in seen:
            continue
        try:
            data = path.read_bytes() if path.stat().st_size <= files.MAX_FILE else b""
            out.append(files.unpack(data, device, number, keys))
        except (OSError, files.BadFile) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            summary.warnings.append(f"skipped {path}: {reason}")
            log.warning("device sync skipped %s: %s", path, reason)
    return out


def _apply_remote(
    replica: Replica,
    pending: list[files.Update],
    changed: dict[str, set[str]],
    warnings: list[str],
    fresh: saved.Received | None = None,
) -> list[files.Update]:
    """Apply the files whose dependencies are met, repeatedly, taking them out of
    ``pending`` (what is left waits); returns those applied (their content let go).
    ``fresh``: the document was empty, and keeps what is applied to save it."""
    applied = []
    with replica.watching(everything=fresh is not None) as seen:
        progress = True
        while progress and pending:
            progress = False
            for update in list(pending):
                if files.covered(update.deps, replica.state_vector()):
                    pending.remove(update)
                    try:
                        replica.apply(update.update)
                    except ValueError as exc:  # checks out, but is no Yjs update
                        warnings.append(f"skipped update {update.number} of {update.name}: {exc}")
                        log.warning("device sync skipped %s", warnings[-1])
                        continue
                    if fresh is not None:
                        fresh.add(update.update)
                    applied.append(replace(update, update=b""))
                    progress = True
    for table, keys in seen.items():
        changed[table].update(keys)
    return applied


def sync(
    store: Store, today: date | None = None, refresh: bool = True, kept: KeptDoc | None = None
) -> Summary:
    """Run one sync (see the module's docstring). ``refresh``: recompute engine status;
    ``kept``: the document kept in memory from this process's previous sync (the app's)."""
    me = store.devices.me()
    if me is None:
        raise NotJoined()
    folder = Path(me.folder)
    if not folder.is_dir():
        raise FolderMissing(me.folder)
    summary = Summary()
    me, rotated = _check_identity(store, me, folder, summary)
    _flush(store, me, folder)
    keys = _Keys(store.passphrase)
    incoming = _read_new(folder, me, store.devices.files_read(), keys, summary)
    kept = kept or KeptDoc()
    with store.atomic():
        replica, generation = _document(store, me, kept)
        result, compact = _merge(store, me, replica, incoming, keys, summary, rotated)
        if replica.local_ops or result.applied or replica.is_empty():
            # after a forget (here or arriving), only the whole, encoded again, has no trace
            generation = saved.save(store, replica, whole=compact or result.forgot)
    kept.keep(me, generation, replica)
    del incoming
    _flush(store, me, folder, compact)
    people = sorted(result.people)
    if compact or summary.flags:
        from netapp.safety.forget import purge_traces

        purge_traces(store)
    if refresh and people:
        from netapp import engine

        engine.refresh_status(store, today or date.today(), person_ids=people)
    store.devices.finished(now_iso(), summary.line())
    if result.written or result.deleted:
        store.changed(Topic.PEOPLE, people)
    return summary


def _document(store: Store, me: Me, kept: KeptDoc) -> tuple[Replica, bytes | None]:
    """The document as the database holds it: kept from the last sync, or loaded."""
    replica = kept.take(store, me)
    if replica is not None:
        return replica, store.devices.doc_generation()
    return saved.load(store, me)


def _merge(
    store: Store,
    me: Me,
    replica: Replica,
    incoming: list[files.Update],
    keys: _Keys,
    summary: Summary,
    rotated: bool = False,
) -> tuple[Applied, bool]:
    """Step 2 of a sync, inside its transaction, up to saving the document. Returns what was
    written and whether to compact this device's files (a forget happened)."""
    rows = Rows(store.db.conn)
    outbox = store.devices.outbox()
    changed: dict[str, set[str]] = defaultdict(set)
    fresh = replica.is_empty() and not store.devices.files_read()
    applied: list[files.Update] = []
    waiting = incoming  # the files applied are taken out of it
    if fresh:
        received = saved.Received()
        applied = _apply_remote(replica, waiting, changed, summary.warnings, received)
        if applied:  # saved as received; the sync's own changes are appended
            received.save(store, replica)
    before = replica.state_vector()
    replica.register()
    touched = capture(rows, replica, outbox)
    purged = replica.purge(set(touched.get("forget", ())))
    # A device's first sync always writes a file: the others learn its name from it.
    announce = me.next_number == 1
    local = replica.update_since(before) if replica.local_ops or announce else None
    summary.captured = sum(len(v) for k, v in touched.items() if k != "forget")
    if not fresh:
        applied = _apply_remote(replica, waiting, changed, summary.warnings)
    _purge_remote(replica, changed, purged, bool(applied))
    _settle_changes(replica, me, changed, touched, purged)
    with store.devices.applying():
        from netapp.safety.forget import forget_person

        result = materialise(rows, replica, changed, lambda pid: forget_person(store, pid))
    _flag(store, rows, result, summary)
    result.applied = len(applied)
    result.forgot = bool(changed.get(FORGOTTEN) or touched.get("forget"))
    if local is not None:
        meta = {"name": me.name, "written_at": now_iso()}
        store.devices.add_unsent(
            files.pack(me.device, _next(store), meta, before, local, keys(me.device))
        )
    for update in applied:
        store.devices.mark_read(update.device, update.number, update.name, update.written_at)
    if outbox:
        store.devices.clear_outbox(outbox[-1].seq)
    summary.read, summary.waiting = len(applied), len(waiting)
    summary.rows_written, summary.rows_deleted = result.written, result.deleted
    # A forget learned here also compacts when nothing was left to purge: this device's
    # older files may still carry the person (the forgetting device's update deleted them
    # from the document, not from those files).
    compact = any(purged.values()) or (result.forgot and me.next_number > 1)
    if compact or rotated:  # the whole compacted document replaces this device's files
        full = {"name": me.name, "written_at": now_iso(), "full": True}
        store.devices.add_unsent(
            files.pack(me.device, _next(store), full, b"\x00", replica.encode(), keys(me.device))
        )
    return result, compact


def _check_identity(store: Store, me: Me, folder: Path, summary: Summary) -> tuple[Me, bool]:
    """A database restored from a backup, or copied from another device, is behind the files
    its identity already wrote: it continues as a new device (whose first file holds its whole
    document) and reads its old identity's files back like another device's."""
    own = files.own_files(folder, me.device)
    if not own or own[-1][0] < me.next_number:
        return me, False
    store.devices.rotate(secrets.token_hex(8), secrets.randbits(31) + 1)
    text = (
        f"this database is behind what it already wrote to {folder} (restored from a backup, "
        "or copied from another device): it goes on as a new device and takes its later "
        "changes back from the folder"
    )
    summary.warnings.append(text)
    log.warning("device sync: %s", text)
    new = store.devices.me()
    assert new is not None
    return new, True


def _purge_remote(
    replica: Replica,
    changed: dict[str, set[str]],
    purged: dict[str, set[str]],
    applied: bool,
) -> None:
    """People forgotten on another device go from the document here too, and so does what
    an update brought about people forgotten earlier (an edit made before its device knew)."""
    if not (changed.get(FORGOTTEN) or (applied and replica.forgotten())):
        return
    newly = set(changed.get(FORGOTTEN, ()))
    later = replica.purge(replica.forgotten() - newly, only=changed)
    for table, ks in (*replica.purge(newly).items(), *later.items()):
        purged[table].update(ks)


def _settle_changes(
    replica: Replica,
    me: Me,
    changed: dict[str, set[str]],
    touched: dict[str, set[str]],
    purged: dict[str, set[str]],
) -> None:
    """The rows to materialise: what updates and purges changed, and the local rows whose
    merge may differ from what SQLite holds (those other devices also wrote)."""
    for table, ks in purged.items():
        changed[table].update(ks)
    for table, ks in touched.items():
        if table in BY_NAME:
            ks = {k for k in ks if replica.devices_of(table, k) - {me.device}}
        elif table in SETS_BY_NAME:
            continue  # capture made the document's set what SQLite holds
        changed[table].update(ks)


def _next(store: Store) -> int:
    return int(store.db.scalar("SELECT next_number FROM devices_self"))


def _flag(store: Store, rows: Rows, result: Applied, summary: Summary) -> None:
    """The referral rules a merge can break, said in the timeline of the people concerned:
    won and lost at once (the later is kept), and one introduction recorded on two devices
    (it counts once: both are kept for the user to delete one)."""
    from netapp.referrals import first_introduction

    found = [(key, "won-and-lost") for key, flag in result.flags if flag == "won-and-lost"]
    for key in sorted(result.new_referrals):
        ref = store.db.query("SELECT * FROM referrals WHERE uuid = ?", [key])
        if ref:
            fields = {k: ref[0][k] for k in ("id", "prospect_id", "provider_id", "prospect_name")}
            first = first_introduction(store, Referral(**fields))
            if first is not None and first["id"] != ref[0]["id"]:
                found.append((key, "twice"))
    for key, flag in found:
        row = store.db.query(
            "SELECT referrer_id, provider_id, prospect_id, status FROM referrals WHERE uuid = ?",
            [key],
        )
        if not row:
            continue
        text = (
            "Sync conflict: a referral was marked won on one device and lost on another; "
            f"kept '{row[0]['status']}' (the later). Check which is right."
            if flag == "won-and-lost"
            else "Sync: this introduction was recorded on two devices; it counts once. "
            "Delete one of the two referrals."
        )
        summary.flags.append(text)
        for col in ("referrer_id", "provider_id", "prospect_id"):
            pid = row[0][col]
            if pid is not None and not store.db.scalar(
                "SELECT 1 FROM sync_events WHERE person_id = ? AND source = 'devices' AND text = ?",
                [pid, text],
            ):
                store.db.conn.execute(
                    "INSERT INTO sync_events (person_id, at, source, text) VALUES (?, ?, ?, ?)",
                    [pid, now_iso(), "devices", text],
                )
                result.people.add(pid)


def _flush(store: Store, me: Me, folder: Path, compact: bool = False) -> None:
    """Write this device's update files kept in the database; after a compaction, only the
    last (the whole document) is written and this device's older files are deleted."""
    unsent = store.devices.unsent()
    if not unsent:
        return
    if compact:
        number, data = unsent[-1]
        files.write(folder, me.device, number, data)
        for n, path in files.own_files(folder, me.device):
            if n < number:
                path.unlink(missing_ok=True)
        for n, _ in unsent:
            store.devices.sent(n)
        return
    for number, data in unsent:
        files.write(folder, me.device, number, data)
        store.devices.sent(number)
