"""Several devices of one person, each a real database under tmp_path, syncing through folders.

``Fleet(shared=True)``: one folder for all (as a synced folder looks once the sync tool
caught up). ``shared=False``: each device has its own copy of the folder and the test moves
files between them (late, out of order, twice), as a file-sync tool would.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from netapp.store import Store
from netapp.sync.devices import files, run
from netapp.sync.devices.tables import SETS, SPECS, Rows, device_local

KEYS_SQL = {
    "attendance": "SELECT m.uuid || '/' || p.uuid FROM attendance t "
    "JOIN meetings m ON m.id = t.meeting_id JOIN people p ON p.id = t.person_id",
    "snoozes": "SELECT p.uuid || '/' || s.kind FROM snoozes s JOIN people p ON p.id = s.person_id",
    "settings": "SELECT key FROM settings",
}


class Fleet:
    def __init__(
        self, tmp_path: Path, n: int = 3, *, shared: bool = True, passphrase: str | None = None
    ) -> None:
        self.root = tmp_path
        self.shared = shared
        self.stores: list[Store] = []
        self.folders: list[Path] = []
        for _ in range(n):
            self.add_device(passphrase)

    def add_device(self, passphrase: str | None = None) -> Store:
        i = len(self.stores)
        store = Store(self.root / f"device{i}.db", passphrase=passphrase)
        folder = self.root / ("folder" if self.shared else f"folder{i}")
        run.join(store, folder, f"device {i}")
        self.stores.append(store)
        self.folders.append(folder)
        return store

    def __getitem__(self, i: int) -> Store:
        return self.stores[i]

    def sync(self, *which: int) -> list[run.Summary]:
        return [run.sync(self.stores[i], refresh=False) for i in which or range(len(self.stores))]

    def device(self, i: int) -> str:
        me = self.stores[i].devices.me()
        assert me is not None
        return me.device

    def files_of(self, i: int) -> list[Path]:
        """Device ``i``'s own update files, in its own folder."""
        return [p for _, p in files.own_files(self.folders[i], self.device(i))]

    def deliver(self, path: Path, to: int) -> None:
        """Copy one update file into device ``to``'s folder (again, if it is there)."""
        target = self.folders[to] / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)

    def deliver_all(self) -> None:
        """Every file everywhere; files their writer deleted (compaction) go too."""
        if self.shared:
            return
        for i in range(len(self.stores)):
            own = {p.name for p in self.files_of(i)}
            for j in range(len(self.stores)):
                if j == i:
                    continue
                sub = self.folders[j] / self.device(i)
                for p in sub.glob("*.update") if sub.is_dir() else ():
                    if p.name not in own:
                        p.unlink()
                for p in self.files_of(i):
                    self.deliver(p, j)

    def settle(self) -> None:
        """Deliver and sync until every device has everything."""
        for _ in range(3):
            self.deliver_all()
            self.sync()

    def close(self) -> None:
        for store in self.stores:
            store.close()


def snapshot(store: Store) -> dict[str, Any]:
    """Every synced table of a device in doc form (UUIDs, never ids), sorted: comparable."""
    rows = Rows(store.db.conn)
    out: dict[str, Any] = {}
    for spec in SPECS:
        if spec.key == ("uuid",):
            keys = [r[0] for r in store.db.conn.execute(f"SELECT uuid FROM {spec.name}")]
        else:
            keys = [r[0] for r in store.db.conn.execute(KEYS_SQL[spec.name])]
        if spec.name == "settings":
            keys = [k for k in keys if not device_local(k)]
        got = rows.read(spec, keys)
        out[spec.name] = sorted(repr(sorted(v.items())) for v in got.values())
    people = [r[0] for r in store.db.conn.execute("SELECT uuid FROM people")]
    out["notes"] = sorted(store.db.conn.execute("SELECT uuid, note FROM people").fetchall())
    for sspec in SETS:
        out[sspec.name] = sorted(
            (p, repr(sorted(sorted(i.items()) for i in rows.read_set(sspec, p) or [])))
            for p in people
        )
    return out


def check_invariants(store: Store) -> None:
    """Foreign keys, the schema's checks, referral and consent rules hold on a device."""
    conn = store.db.conn
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert (
        conn.execute(
            "SELECT count(*) FROM referrals WHERE referrer_id IS NOT NULL AND provider_id IS NOT NULL"
        ).fetchone()[0]
        == 0
    )
    assert (
        conn.execute(
            "SELECT count(*) FROM person_status WHERE person_id NOT IN (SELECT id FROM people)"
        ).fetchone()[0]
        == 0
    )
    assert (
        conn.execute(
            "SELECT count(*) FROM referrals WHERE status = 'won' AND value IS NULL"
        ).fetchone()[0]
        == 0
    )
    assert (
        conn.execute(
            "SELECT count(*) FROM consents c WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = c.person_id)"
        ).fetchone()[0]
        == 0
    )
    assert conn.execute("SELECT applying FROM devices_self").fetchone()[0] == 0
