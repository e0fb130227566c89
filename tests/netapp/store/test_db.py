"""The connection layer: SQLite errors are named by their result codes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netapp.domain import Person
from netapp.errors import (
    DamagedDatabaseError,
    DiskFullError,
    FileAccessError,
    LockedError,
    ValidationError,
)
from netapp.store import Store
from netapp.store.db import classify, new_uuids, uuid4_text


def _error(cls: type[sqlite3.Error], message: str, code: int, name: str) -> sqlite3.Error:
    exc = cls(message)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]  # set as SQLite sets it
    exc.sqlite_errorname = name  # type: ignore[attr-defined]
    return exc


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        (5, "SQLITE_BUSY", LockedError),
        (6, "SQLITE_LOCKED", LockedError),
        (517, "SQLITE_BUSY_SNAPSHOT", LockedError),
        (11, "SQLITE_CORRUPT", DamagedDatabaseError),
        (26, "SQLITE_NOTADB", DamagedDatabaseError),
        (13, "SQLITE_FULL", DiskFullError),
        (8, "SQLITE_READONLY", FileAccessError),
        (14, "SQLITE_CANTOPEN", FileAccessError),
        (3, "SQLITE_PERM", FileAccessError),
        (522, "SQLITE_IOERR_SHORT_READ", FileAccessError),
        (2067, "SQLITE_CONSTRAINT_UNIQUE", ValidationError),
    ],
)
def test_errors_are_classified_by_code_not_by_message(
    code: int, name: str, expected: type[Exception]
) -> None:
    """The result code decides the named error; the message text plays no part."""
    named = classify(_error(sqlite3.OperationalError, "something odd", code, name), "x.db")
    assert isinstance(named, expected)
    assert "x.db" in str(named) or isinstance(named, ValidationError)


def test_an_error_that_is_a_bug_stays_raw_whatever_its_message_says() -> None:
    """A plain SQLITE_ERROR is not a condition, even when its text says 'locked'."""
    assert (
        classify(_error(sqlite3.OperationalError, "database is locked", 1, "SQLITE_ERROR"), "x")
        is None
    )
    assert classify(sqlite3.OperationalError("database is locked"), "x") is None


def test_a_constraint_names_the_column_at_fault(store: Store) -> None:
    """A UNIQUE violation inside a transaction is a ValidationError naming the column; nothing is written."""
    store.groups.add("Breakfast club")
    with pytest.raises(ValidationError) as caught, store.atomic():
        store.db.conn.execute(
            "INSERT INTO groups (uuid, name, created_at) VALUES ('u', 'Breakfast club', 'now')"
        )
    assert caught.value.field == "name"
    assert store.db.scalar("SELECT count(*) FROM groups") == 1


def test_a_full_disk_is_a_named_error_and_writes_nothing(store: Store) -> None:
    """SQLITE_FULL (here: a page limit) becomes DiskFullError naming the file; the write rolls back."""
    store.people.add(Person(display_name="Before"))
    pages = store.db.scalar("PRAGMA page_count")
    store.db.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFullError, match=str(store.path)):
        store.people.add_many(Person(display_name=f"P{i}", note="x" * 5000) for i in range(50))
    assert store.people.count() == 1


def test_a_read_only_database_is_a_named_error(store: Store) -> None:
    """A write refused as read-only becomes FileAccessError naming the file."""
    store.db.conn.execute("PRAGMA query_only = ON")
    with pytest.raises(FileAccessError, match=str(store.path)):
        store.people.add(Person(display_name="Nobody"))


def test_a_damaged_file_is_named_when_opened(tmp_path: Path) -> None:
    """A file with SQLite's header and garbage after it opens as DamagedDatabaseError, naming it."""
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"this is not a database, not even close" * 100)
    with pytest.raises(DamagedDatabaseError, match="notes.db"):
        Store(bad)


@given(st.binary(min_size=16, max_size=16))
def test_a_bulk_uuid_is_the_text_uuid_gives_for_the_same_bytes(data: bytes) -> None:
    """uuid4_text (new_uuids' fast path) writes 16 bytes as uuid.UUID(version=4) does."""
    import uuid

    assert uuid4_text(data) == str(uuid.UUID(bytes=data, version=4))


def test_new_uuids_are_distinct_version_4_uuids() -> None:
    """new_uuids gives as many distinct version-4 UUIDs as asked, in uuid's own text form."""
    import uuid

    made = new_uuids(500)
    assert len(set(made)) == 500
    assert all(str(uuid.UUID(u)) == u and uuid.UUID(u).version == 4 for u in made)
    assert new_uuids(0) == []


def test_release_memory_keeps_the_data_and_is_quiet_once_closed(tmp_path: Path) -> None:
    """Freeing the page cache changes nothing read afterwards; a closed store ignores it."""
    store = Store(tmp_path / "a.db")
    pid = store.people.add(Person(display_name="Ada Lovelace"))
    before = store.db.conn.execute("SELECT * FROM people").fetchall()
    store.db.release_memory()
    assert store.db.conn.execute("SELECT * FROM people").fetchall() == before
    assert store.people.get(pid).display_name == "Ada Lovelace"
    store.close()
    store.db.release_memory()
