"""Backups: one-step copies, daily rotation, restore with checks."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from netapp.domain import Email, Person
from netapp.errors import DatabaseError, NewerSchemaError
from netapp.paths import backup_dir
from netapp.safety import file_backups as B
from netapp.store import Store


def _names(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT display_name FROM people")}
    finally:
        conn.close()


def test_backup_now_copies_every_row_and_is_private(store: Store) -> None:
    """backup_now writes a checked copy holding every person, readable only by the user."""
    for i in range(25):
        store.people.add(Person(display_name=f"Person {i}", emails=[Email(f"p{i}@x.example")]))
    path = B.backup_now(store)
    assert path.parent == backup_dir(store.path)
    assert _names(path) == {f"Person {i}" for i in range(25)}
    assert B.check_file(path) == store.db.schema_version()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert not Path(str(path) + "-wal").exists()


def test_backup_sees_committed_data_while_another_connection_writes(store: Store) -> None:
    """A backup taken while another connection holds an open write transaction has the committed rows only."""
    store.people.add(Person(display_name="Committed Carla"))
    other = Store(store.path)
    try:
        other.db.conn.execute("BEGIN IMMEDIATE")
        other.db.conn.execute(
            "INSERT INTO people (uuid, display_name, created_at, updated_at) "
            "VALUES ('u-1', 'Uncommitted Uma', 'x', 'x')"
        )
        path = B.backup_now(store)
        other.db.conn.execute("ROLLBACK")
    finally:
        other.close()
    assert _names(path) == {"Committed Carla"}


def test_daily_backup_once_a_day(store: Store) -> None:
    """The start-up backup runs once a day and records the day in backup.last_daily."""
    day = date(2026, 3, 2)
    first = B.daily_backup(store, day)
    assert first is not None and first.exists()
    assert store.settings["backup.last_daily"] == "2026-03-02"
    assert B.daily_backup(store, day) is None
    assert B.daily_backup(store, day + timedelta(days=1)) is not None
    assert [b.kind for b in B.list_backups(store.path)] == ["daily", "daily"]


def test_rotation_keeps_seven_daily_and_four_weekly(store: Store) -> None:
    """After 60 daily backups, the newest 7 days plus one backup for each of 4 earlier weeks remain."""
    start = datetime(2026, 1, 1, 9, 0, 0)
    for n in range(60):
        B.backup_now(store, "daily", now=start + timedelta(days=n))
    kept = B.list_backups(store.path)
    days = [b.taken.date() for b in kept]
    newest = (start + timedelta(days=59)).date()
    assert days[:7] == [newest - timedelta(days=i) for i in range(7)]
    older = days[7:]
    assert len(older) == 4
    weeks = [d.isocalendar()[:2] for d in older]
    assert len(set(weeks)) == 4
    # Each weekly backup is the newest one of its week that was not already a daily one.
    for d in older:
        later_same_week = [
            newest - timedelta(days=i)
            for i in range(60)
            if (newest - timedelta(days=i)).isocalendar()[:2] == d.isocalendar()[:2]
            and newest - timedelta(days=i) > d
        ]
        assert all(x in days[:7] for x in later_same_week)


def test_rotation_follows_settings_and_keeps_event_backups_apart(store: Store) -> None:
    """keep_daily/keep_weekly settings are honoured and event backups are never counted as daily ones."""
    store.settings.update({"backup.keep_daily": 2, "backup.keep_weekly": 0})
    start = datetime(2026, 5, 1, 8, 0, 0)
    B.backup_now(store, "pre-import", now=start)
    for n in range(5):
        B.backup_now(store, "daily", now=start + timedelta(days=n + 1))
    kinds = [(b.kind, b.taken.day) for b in B.list_backups(store.path)]
    assert kinds == [("daily", 6), ("daily", 5), ("pre-import", 1)]


def test_event_backups_rotate_after_ten(store: Store) -> None:
    """Only the newest KEEP_EVENTS backups of the non-daily kinds are kept."""
    start = datetime(2026, 5, 1, 8, 0, 0)
    for n in range(B.KEEP_EVENTS + 3):
        B.backup_now(store, "manual", now=start + timedelta(minutes=n))
    kept = B.list_backups(store.path)
    assert len(kept) == B.KEEP_EVENTS
    assert kept[-1].taken == start + timedelta(minutes=3)


def test_restore_brings_back_the_backup_and_saves_the_current_state(store: Store) -> None:
    """restore puts the backup's data back and first keeps a pre-restore backup of what it replaces."""
    store.people.add(Person(display_name="Before Bea"))
    snapshot = B.backup_now(store)
    store.people.add(Person(display_name="After Abe"))
    saved = B.restore(store.path, snapshot)
    assert saved is not None and saved.exists()
    assert _names(saved) == {"Before Bea", "After Abe"}
    # The open store sees the restored data at once: the backup API wrote through SQLite.
    assert {r["display_name"] for r in store.db.query("SELECT display_name FROM people")} == {
        "Before Bea"
    }
    reopened = Store(store.path)
    try:
        assert reopened.people.count() == 1
        assert reopened.people.search("Bea")[0]["display_name"] == "Before Bea"
    finally:
        reopened.close()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(store: Store, tmp_path: Path) -> None:
    """A damaged backup is refused with a message naming it; the database is untouched."""
    store.people.add(Person(display_name="Safe Sam"))
    good = B.backup_now(store)
    bad = tmp_path / "bad.db"
    data = bytearray(good.read_bytes())
    data[4096 * 2 : 4096 * 2 + 2000] = os.urandom(2000)
    bad.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="bad.db"):
        B.restore(store.path, bad)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DatabaseError, match="garbage.db"):
        B.restore(store.path, garbage)
    assert store.people.count() == 1
    assert [b.kind for b in B.list_backups(store.path)] == ["manual"]


def test_restore_refuses_a_non_netapp_database(store: Store, tmp_path: Path) -> None:
    """A valid SQLite file that is not a netapp database is refused."""
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (a)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="not a netapp database"):
        B.restore(store.path, other)


def test_restore_refuses_a_newer_schema(store: Store) -> None:
    """A backup written by a newer netapp (unknown migration) is refused, naming the step."""
    path = B.backup_now(store)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('netapp', 'm999_future', 'x')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(NewerSchemaError, match="m999_future"):
        B.restore(store.path, path)


def test_restore_into_a_missing_database(store: Store, tmp_path: Path) -> None:
    """Restoring onto a path with no database creates it from the backup."""
    store.people.add(Person(display_name="Moved Mo"))
    path = B.backup_now(store)
    target = tmp_path / "new" / "netapp.db"
    assert B.restore(target, path) is None
    assert _names(target) == {"Moved Mo"}


def test_migration_takes_a_backup_first(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening a database with a pending migration backs it up (pre-migration) before migrating."""
    from netapp.safety.opener import open_store
    from netapp.store import schema, versions

    s = Store(db_path)
    s.people.add(Person(display_name="Old Olga"))
    s.close()
    seen: list[set[str]] = []

    def m999_test_step(db: object) -> None:
        backups = B.list_backups(db_path)
        seen.append(_names(backups[0].path) if backups else set())

    step = schema.migrations._Migration("m999_test_step", m999_test_step, True)
    monkeypatch.setattr(schema.migrations, "_migrations", [*schema.migrations._migrations, step])
    monkeypatch.setattr(versions, "MIGRATION_NAMES", (*versions.MIGRATION_NAMES, step.name))
    migrated = open_store(db_path)
    try:
        assert migrated.db.pending_migrations() == []
    finally:
        migrated.close()
    assert seen == [{"Old Olga"}]
    assert [b.kind for b in B.list_backups(db_path)] == ["pre-migration"]
    assert B.list_backups(db_path)[0].path.exists()


def test_new_database_takes_no_migration_backup(db_path: Path) -> None:
    """Creating a brand-new database is not a migration of user data: no backup is taken."""
    Store(db_path).close()
    assert B.list_backups(db_path) == []
