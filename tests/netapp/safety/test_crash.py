"""Crash safety: SIGKILL a child in the middle of a large import or a capture save, 30+ times.

After every kill the database passes ``PRAGMA integrity_check`` and each import batch or
capture is wholly there or wholly absent. Children are forked from the test process (the
modules are already imported, so a cycle takes a fraction of a second) and several databases
are worked on at once, so the whole test stays well under a minute.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import select
import signal
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork"), reason="SIGKILL crash tests need fork (POSIX)"
)

KILLS = 30
SLOTS = 3
IMPORT_PEOPLE = 150
CAPTURE_ROWS = 12


def _vcards(k: int, n: int) -> str:
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kay{k} Person{i}\r\nN:Person{i};Kay{k};;;\r\n"
        f"EMAIL:k{k}p{i}@x.example\r\nTEL:+1415555{i:04d}\r\nORG:Org {i % 7}\r\n"
        "NOTE:imported in one transaction\r\nEND:VCARD\r\n"
        for i in range(n)
    )


def _import_child(db: Path, seq: int, ready: int) -> None:
    from netapp.interchange.importer import import_files
    from netapp.store import Store

    store = Store(db)
    os.write(ready, b"r")
    k = seq * 1000
    while True:
        path = db.parent / f"batch-{k}.vcf"
        path.write_text(_vcards(k, IMPORT_PEOPLE))
        import_files(store, [path])
        k += 1


def _capture_child(db: Path, seq: int, ready: int) -> None:
    from netapp.capture import CaptureMeeting, CaptureRow, save_capture
    from netapp.store import Store

    store = Store(db)
    os.write(ready, b"r")
    k = seq * 1000
    while True:
        rows = [
            CaptureRow(
                name=f"Cap{k} Row{j}",
                org="Acme",
                contact=f"c{k}r{j}@x.example",
                note=f"met at capture {k}",
                tags="breakfast",
                gave_value=True,
            )
            for j in range(CAPTURE_ROWS)
        ]
        save_capture(store, CaptureMeeting(name=f"Meeting {k}", date="2026-02-03"), rows)
        k += 1


def _run_child(target: Callable[[Path, int, int], None], db: Path, seq: int, ready: int) -> None:
    try:
        target(db, seq, ready)
    finally:
        os._exit(3)


def _check_common(conn: sqlite3.Connection) -> None:
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.execute("INSERT INTO people_fts(people_fts) VALUES ('integrity-check')")
    fts = conn.execute("SELECT count(*) FROM people_fts").fetchone()[0]
    assert fts == conn.execute("SELECT count(*) FROM people").fetchone()[0]


def _check_import(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        _check_common(conn)
        batches = conn.execute(
            "SELECT b.id, b.source, count(p.id) FROM import_batches b "
            "LEFT JOIN people p ON p.import_batch_id = b.id GROUP BY b.id"
        ).fetchall()
        for bid, source, n in batches:
            assert n == IMPORT_PEOPLE, f"batch {bid} ({source}) holds {n} people"
        total = conn.execute("SELECT count(*) FROM people").fetchone()[0]
        assert total == IMPORT_PEOPLE * len(batches), "people outside any whole batch"
        emails = conn.execute("SELECT count(*) FROM person_emails").fetchone()[0]
        assert emails == total
        return len(batches)
    finally:
        conn.close()


def _check_capture(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        _check_common(conn)
        caps = conn.execute("SELECT id, meeting_id FROM captures").fetchall()
        for cid, mid in caps:
            people = conn.execute(
                "SELECT count(*) FROM people WHERE capture_id = ?", [cid]
            ).fetchone()[0]
            present = conn.execute(
                "SELECT count(*) FROM attendance WHERE capture_id = ? AND meeting_id = ?",
                [cid, mid],
            ).fetchone()[0]
            logged = conn.execute(
                "SELECT count(*) FROM interactions WHERE capture_id = ?", [cid]
            ).fetchone()[0]
            journal = conn.execute(
                "SELECT count(*) FROM capture_journal WHERE capture_id = ?", [cid]
            ).fetchone()[0]
            assert (people, present, logged, journal) == (
                CAPTURE_ROWS,
                CAPTURE_ROWS,
                2 * CAPTURE_ROWS,
                1,
            ), f"capture {cid} is partial"
        assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == CAPTURE_ROWS * len(caps)
        assert conn.execute("SELECT count(*) FROM meetings").fetchone()[0] == len(caps)
        return len(caps)
    finally:
        conn.close()


@dataclass
class Slot:
    db: Path
    proc: Any = None
    ready_r: int = -1
    started: bool = False
    kill_at: float = 0.0
    kills: int = 0
    committed: list[int] = field(default_factory=list)


def _kill_loop(
    tmp_path: Path,
    target: Callable[[Path, int, int], None],
    check: Callable[[Path], int],
    max_delay: float,
) -> tuple[int, list[int]]:
    ctx = multiprocessing.get_context("fork")
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    slots = [Slot(tmp_path / f"slot{i}" / "netapp.db") for i in range(SLOTS)]
    for s in slots:
        s.db.parent.mkdir()
        from netapp.store import Store

        Store(s.db).close()
    kills = 0
    seq = 0
    while kills < KILLS or any(s.proc is not None for s in slots):
        for s in slots:
            if s.proc is None:
                if kills + sum(1 for x in slots if x.proc is not None) >= KILLS:
                    continue
                seq += 1
                r, w = os.pipe()
                s.proc = ctx.Process(target=_run_child, args=(target, s.db, seq, w))
                s.proc.start()
                os.close(w)
                s.ready_r, s.started = r, False
                continue
            if not s.started:
                ready, _, _ = select.select([s.ready_r], [], [], 0)
                if ready:
                    os.read(s.ready_r, 1)
                    s.started = True
                    s.kill_at = time.monotonic() + rng.uniform(0.0, max_delay)
                elif not s.proc.is_alive():
                    pytest.fail(f"child died before it was ready (exit {s.proc.exitcode})")
                continue
            if time.monotonic() >= s.kill_at:
                assert s.proc.is_alive(), f"child stopped on its own (exit {s.proc.exitcode})"
                os.kill(s.proc.pid, signal.SIGKILL)
                s.proc.join()
                os.close(s.ready_r)
                assert s.proc.exitcode == -signal.SIGKILL
                s.proc = None
                kills += 1
                s.kills += 1
                try:
                    s.committed.append(check(s.db))
                except AssertionError as exc:
                    raise AssertionError(f"after kill {kills} (seed {seed}): {exc}") from None
        time.sleep(0.005)
    return kills, [s.committed[-1] for s in slots if s.committed]


def test_sigkill_during_large_import_never_leaves_half_a_batch(tmp_path: Path) -> None:
    """30 SIGKILLs at random moments of a 150-person import: db ok, every batch whole or absent."""
    kills, committed = _kill_loop(tmp_path, _import_child, _check_import, max_delay=2.5)
    assert kills >= KILLS
    assert sum(committed) > 0, "no import ever committed: the test did not exercise anything"


def test_sigkill_during_capture_save_never_leaves_half_a_capture(tmp_path: Path) -> None:
    """30 SIGKILLs at random moments of capture saves: db ok, every capture whole or absent."""
    kills, committed = _kill_loop(tmp_path, _capture_child, _check_capture, max_delay=0.4)
    assert kills >= KILLS
    assert sum(committed) > 0, "no capture ever committed: the test did not exercise anything"
