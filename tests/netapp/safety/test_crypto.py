"""Encryption at rest with SQLCipher: open, wrong passphrase, convert both ways, backups."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from netapp.domain import Email, Person
from netapp.errors import DatabaseError, NetappError, ValidationError
from netapp.safety import crypto
from netapp.safety import file_backups as B
from netapp.store import Store, sqlcipher
from netapp.store.sqlcipher import PassphraseError

PASS = "correct horse 'battery' staple"


def _fill(store: Store, n: int = 20) -> None:
    with store.atomic():
        for i in range(n):
            store.people.add(
                Person(
                    display_name=f"Quentin Zephyr{i}",
                    org="Marmalade Ltd",
                    note=f"secret note {i}",
                    emails=[Email(f"qz{i}@x.example")],
                    tags=["breakfast"],
                )
            )


def test_new_database_with_passphrase_is_encrypted(db_path: Path) -> None:
    """A Store created with a passphrase writes a file with no plain SQLite header or text."""
    s = Store(db_path, passphrase=PASS)
    _fill(s)
    assert s.is_encrypted
    s.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    raw = db_path.read_bytes()
    assert not raw.startswith(sqlcipher.SQLITE_MAGIC)
    assert b"Zephyr" not in raw and b"Marmalade" not in raw and b"zephyr" not in raw
    again = Store(db_path, passphrase=PASS)
    try:
        assert again.people.count() == 20
        assert again.people.search("zephyr3")[0]["display_name"] == "Quentin Zephyr3"
    finally:
        again.close()


def test_wrong_or_missing_passphrase_is_a_clear_error(db_path: Path) -> None:
    """A wrong passphrase and a missing one raise PassphraseError with a plain message."""
    Store(db_path, passphrase=PASS).close()
    with pytest.raises(PassphraseError, match="wrong passphrase") as wrong:
        Store(db_path, passphrase="nope")
    assert not wrong.value.missing
    assert isinstance(wrong.value, DatabaseError)
    with pytest.raises(PassphraseError, match="encrypted") as missing:
        Store(db_path)
    assert missing.value.missing


def test_encrypted_store_raises_sqlite3_errors(db_path: Path) -> None:
    """Errors on an encrypted connection are sqlite3 exceptions with their codes, as on a plain one."""
    s = Store(db_path, passphrase=PASS)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            s.db.conn.execute("INSERT INTO settings (key, value) VALUES ('k', NULL)")
        with pytest.raises(sqlite3.OperationalError):
            s.db.conn.execute("SELECT * FROM no_such_table")
        # Through a transaction, the error is classified by its code as on a plain connection.
        with pytest.raises(ValidationError, match="^key: ") as caught, s.atomic():
            s.db.conn.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
            s.db.conn.execute("INSERT INTO settings (key, value) VALUES ('a', '2')")
        assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
        assert s.db.scalar("SELECT count(*) FROM settings WHERE key = 'a'") == 0
    finally:
        s.close()


def test_encrypt_then_decrypt_round_trip(store: Store) -> None:
    """encrypt and decrypt convert in place, keep a backup, and lose no row or FTS entry."""
    _fill(store)
    store.people.add(Person(display_name="Plain Polly"))
    path = store.path
    before = store.db.query("SELECT * FROM people ORDER BY id")
    store.close()
    kept = crypto.encrypt(path, PASS)
    assert sqlcipher.is_encrypted_file(path)
    assert kept.exists() and sqlcipher.is_encrypted_file(kept)
    enc = Store(path, passphrase=PASS)
    try:
        assert enc.db.query("SELECT * FROM people ORDER BY id") == before
        assert enc.people.search("polly")[0]["display_name"] == "Plain Polly"
        assert enc.db.scalar("PRAGMA journal_mode") == "wal"
    finally:
        enc.close()
    back = crypto.decrypt(path, PASS)
    assert sqlcipher.is_encrypted_file(back)
    assert not sqlcipher.is_encrypted_file(path)
    plain = Store(path)
    try:
        assert plain.db.query("SELECT * FROM people ORDER BY id") == before
        assert plain.people.search("zephyr1")
    finally:
        plain.close()


def test_encrypt_leaves_no_plain_backup(store: Store) -> None:
    """After encrypt, every backup next to the database is encrypted too."""
    _fill(store, 3)
    B.backup_now(store)
    B.daily_backup(store)
    store.close()
    crypto.encrypt(store.path, PASS)
    backups = B.list_backups(store.path)
    assert len(backups) == 3
    for b in backups:
        assert sqlcipher.is_encrypted_file(b.path)
        assert b"Zephyr" not in b.path.read_bytes()
        assert B.check_file(b.path, PASS) >= 1


def test_encrypt_refuses_while_the_database_is_open(store: Store) -> None:
    """Converting while another connection has the database open fails cleanly and changes nothing."""
    _fill(store, 2)
    with pytest.raises(DatabaseError, match="in use"):
        crypto.encrypt(store.path, PASS)
    assert not sqlcipher.is_encrypted_file(store.path)
    assert store.people.count() == 2


def test_encrypt_twice_and_decrypt_plain_are_refused(store: Store) -> None:
    """encrypt on an encrypted file and decrypt on a plain one are errors, not no-ops."""
    store.close()
    with pytest.raises(DatabaseError, match="not encrypted"):
        crypto.decrypt(store.path, PASS)
    crypto.encrypt(store.path, PASS)
    with pytest.raises(DatabaseError, match="already encrypted"):
        crypto.encrypt(store.path, PASS)
    with pytest.raises(PassphraseError):
        crypto.decrypt(store.path, "wrong")
    with pytest.raises(PassphraseError):
        crypto.encrypt(Path(str(store.path) + "x"), "")


def test_backups_of_an_encrypted_database_are_encrypted(db_path: Path) -> None:
    """backup_now on an encrypted store writes an encrypted, checkable backup; restore works."""
    s = Store(db_path, passphrase=PASS)
    _fill(s, 5)
    path = B.backup_now(s)
    assert sqlcipher.is_encrypted_file(path)
    assert B.check_file(path, PASS) == s.db.schema_version()
    with pytest.raises(PassphraseError):
        B.check_file(path)
    s.people.add(Person(display_name="Later Lee"))
    B.restore(db_path, path, PASS)
    assert s.people.count() == 5
    s.close()


def test_restore_refuses_mixing_plain_and_encrypted(store: Store, tmp_path: Path) -> None:
    """Restoring an encrypted backup over a plain database asks to encrypt first."""
    other = Store(tmp_path / "enc.db", passphrase=PASS)
    enc_backup = B.backup_now(other)
    other.close()
    with pytest.raises(NetappError, match="netapp encrypt"):
        B.restore(store.path, enc_backup, PASS)


def test_change_passphrase(db_path: Path) -> None:
    """change_passphrase re-keys: the old passphrase stops working, the new one opens the data."""
    s = Store(db_path, passphrase=PASS)
    _fill(s, 2)
    s.close()
    crypto.change_passphrase(db_path, PASS, "new one")
    with pytest.raises(PassphraseError):
        Store(db_path, passphrase=PASS)
    s = Store(db_path, passphrase="new one")
    assert s.people.count() == 2
    s.close()


def test_cli_passphrase_from_env_and_errors(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """NETAPP_PASSPHRASE wins; an encrypted file without it and without a terminal is an error."""
    assert crypto.cli_passphrase(db_path) is None
    monkeypatch.setenv("NETAPP_PASSPHRASE", "from env")
    assert crypto.cli_passphrase(db_path) == "from env"
    Store(db_path, passphrase="from env").close()
    monkeypatch.delenv("NETAPP_PASSPHRASE")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(PassphraseError, match="NETAPP_PASSPHRASE"):
        crypto.cli_passphrase(db_path)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    assert crypto.cli_passphrase(db_path, prompt=lambda _msg: "typed") == "typed"


def test_plain_file_ignores_a_passphrase(store: Store) -> None:
    """An existing plain database opened with a passphrase stays plain (env set for other files)."""
    _fill(store, 1)
    other = Store(store.path, passphrase=PASS)
    try:
        assert not other.is_encrypted
        assert other.people.count() == 1
    finally:
        other.close()
    assert not sqlcipher.is_encrypted_file(store.path)


@pytest.mark.parametrize(
    ("first", "again", "fault"),
    [("", "", "empty"), ("long enough", "long enuogh", "differ"), ("short", "short", "at least")],
)
def test_a_new_passphrase_must_match_and_be_long_enough(first: str, again: str, fault: str) -> None:
    """check_new_passphrase names the passphrase field and the rule it broke."""
    from netapp.errors import ValidationError
    from netapp.safety.crypto import check_new_passphrase

    with pytest.raises(ValidationError, match=fault) as exc:
        check_new_passphrase(first, again)
    assert exc.value.field == "passphrase"
    check_new_passphrase("correct horse", "correct horse")  # a good one passes
