""" "Forget this person": the guarantee that their text is gone from the database file.

:func:`forget_person` deletes the records (people, children,
referrals naming them, import-batch undo state). This module adds what makes the deletion
real on disk:

- unsaved drafts (the capture grid) that mention the person are scrubbed;
- the FTS5 index is merged (``optimize``), because FTS5 keeps deleted tokens in old index
  segments until they are merged (the ``secure-delete`` FTS5 option would avoid that, but it
  needs SQLite 3.42 and makes the file unreadable by older versions);
- ``PRAGMA secure_delete`` (always on in the Store) zeroes the freed pages;
- the WAL is checkpointed and truncated, so old page images leave the ``-wal`` file.

Older backups still hold the person until they rotate out (see docs/data-safety.md).
"""

from __future__ import annotations

import json
from typing import Any

from netapp.domain import Topic
from netapp.errors import DiskFullError, NetappError
from netapp.store import Store


def _words(store: Store, pid: int) -> list[str]:
    person = store.people.get(pid)
    words = [person.display_name, *(e.address for e in person.emails)]
    words += [p.number for p in person.phones]
    return [w.casefold() for w in words if w and len(w.strip()) >= 3]


def _mentions(value: Any, pid: int, words: list[str]) -> bool:
    if isinstance(value, dict):
        if value.get("person_id") == pid:
            return True
        return any(_mentions(v, pid, words) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, pid, words) for v in value)
    if isinstance(value, str):
        low = value.casefold()
        return any(w in low for w in words)
    return False


def _scrub(value: Any, pid: int, words: list[str]) -> Any:
    """Drop every list element (a draft row, a journal entry) that mentions the person."""
    if isinstance(value, dict):
        return {k: _scrub(v, pid, words) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, pid, words) for v in value if not _mentions(v, pid, words)]
    return value


def scrub_drafts(store: Store, pid: int, words: list[str] | None = None) -> int:
    """Remove the person from every saved draft; returns how many drafts changed."""
    words = _words(store, pid) if words is None else words
    changed = 0
    with store.atomic():
        for key, raw in store.db.conn.execute("SELECT key, value FROM drafts").fetchall():
            try:
                value = json.loads(raw)
            except ValueError:
                value = raw
            if not _mentions(value, pid, words):
                continue
            cleaned = _scrub(value, pid, words)
            if isinstance(cleaned, (dict, list)) and not _mentions(cleaned, pid, words):
                store.db.conn.execute(
                    "UPDATE drafts SET value = ? WHERE key = ?", [json.dumps(cleaned), key]
                )
            else:
                store.db.conn.execute("DELETE FROM drafts WHERE key = ?", [key])
            changed += 1
    return changed


def forget_person(store: Store, pid: int) -> dict[str, int]:
    """Erase a person and every trace of them, in one transaction: their record, emails, phones,
    tags, interactions, attendance, consents, snoozes and cached status (cascade), their name in
    referrals where they were the prospect, and their saved state in import batches (kept for
    undo). Deleted pages are overwritten (``secure_delete``) and the WAL is truncated."""
    person = store.people.get(pid)
    with store.atomic():
        # The referral's note was copied into the referrer's automatic interaction: erase
        # that copy as well as the referral's own.
        store.db.conn.execute(
            "UPDATE interactions SET note = '' WHERE referral_id IN "
            "(SELECT id FROM referrals WHERE prospect_id = ?)",
            [pid],
        )
        named = store.db.conn.execute(
            "UPDATE referrals SET prospect_name = '', prospect_id = NULL, note = '' "
            "WHERE prospect_id = ?",
            [pid],
        ).rowcount
        scrubbed = 0
        for bid, summary in store.db.conn.execute(
            "SELECT id, summary FROM import_batches WHERE summary LIKE '%merged_before%'"
        ).fetchall():
            data = json.loads(summary or "{}")
            before = data.get("merged_before", [])
            kept = [e for e in before if int(e.get("id", 0)) != pid]
            if len(kept) != len(before):
                data["merged_before"] = kept
                store.db.conn.execute(
                    "UPDATE import_batches SET summary = ? WHERE id = ?",
                    [json.dumps(data, ensure_ascii=False), bid],
                )
                scrubbed += 1
        store.devices.record_forget(person.uuid)  # device sync forgets them everywhere
        store.db.conn.execute("DELETE FROM people WHERE id = ?", [pid])
        store.changed(Topic.PEOPLE, [pid])
        store.changed(Topic.CONSENTS, [pid])
    if not store.db.conn.in_transaction:  # inside safety.forget, that one checkpoints after
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    del person
    return {"referrals_cleared": named, "import_batches_scrubbed": scrubbed}


PENDING = "safety:forget-pending"


class ForgetUnfinished(NetappError):
    """The person is gone, but the clean-up of the file failed; the next start finishes it."""


def purge_traces(store: Store) -> bool:
    """Make deleted text unrecoverable from the file. Returns False if another connection
    kept the WAL from being truncated (the text then leaves the ``-wal`` file later)."""
    store.db.conn.execute("PRAGMA secure_delete = ON")
    from netapp.store.schema import SEARCH_FTS

    with store.atomic():
        for fts in ("people_fts", *SEARCH_FTS):
            store.db.conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")
        store.db.conn.execute("DELETE FROM drafts WHERE key = ?", [PENDING])
    busy, _log, _done = store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy


def finish_forget(store: Store) -> bool:
    """The resumable second step of :func:`forget`: merge the search index (FTS5 keeps
    deleted tokens in old segments until then), close the forget journal and empty the WAL."""
    return purge_traces(store)


def pending(store: Store) -> bool:
    """Whether a forget's clean-up is still owed (its journal committed with the deletion)."""
    return store.db.scalar("SELECT 1 FROM drafts WHERE key = ?", [PENDING]) is not None


def forget(store: Store, pid: int) -> dict[str, int]:
    """Forget a person everywhere: records, derived copies, drafts, FTS index, WAL.

    One transaction deletes the person and every copy of their text (drafts, the referral
    note copied to the referrer's interaction, import-batch state) and records a forget
    journal; the clean-up of the file (:func:`finish_forget`) runs after it, and if it is
    stopped (a full disk, a crash) the next start finishes it (``netapp.safety.opener``).
    Returns what was done."""
    words = _words(store, pid)
    with store.atomic():  # drafts, records and the journal go together, or not at all
        drafts = scrub_drafts(store, pid, words)
        result = dict(forget_person(store, pid))
        store.drafts.save(PENDING, {"clean_up": "fts-and-wal"})  # the forget journal
    result["drafts_scrubbed"] = drafts
    try:
        result["wal_truncated"] = int(finish_forget(store))
    except NetappError as exc:
        reason = "the disk is full" if isinstance(exc, DiskFullError) else str(exc)
        raise ForgetUnfinished(
            f"the person was erased, but wiping their text from the file stopped ({reason}); "
            "it finishes the next time netapp opens the database"
        ) from None
    return result


def forget_many(store: Store, pids: list[int]) -> dict[str, int]:
    """Forget several people at once (the People page's selection): every record of every
    one of them in one transaction, then the traces once. Returns the counts added up."""
    ids = sorted({int(p) for p in pids})
    words = {pid: _words(store, pid) for pid in ids}  # NotFoundError before anything is written
    total: dict[str, int] = {"people": len(ids), "drafts_scrubbed": 0}
    with store.atomic():
        for pid in ids:
            total["drafts_scrubbed"] += scrub_drafts(store, pid, words[pid])
            for key, n in forget_person(store, pid).items():
                total[key] = total.get(key, 0) + n
    total["wal_truncated"] = int(purge_traces(store))
    return total
