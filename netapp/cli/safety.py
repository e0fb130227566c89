"""Data-safety commands: backup, restore, encrypt, decrypt, check."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from netapp.cli import db_path, open_store
from netapp.errors import NetappError


class SafetyError(NetappError):
    """A data-safety command could not go ahead."""


def register(sub: Any) -> None:
    p = sub.add_parser("backup", help="back up the database now (or list the backups)")
    p.add_argument("--list", action="store_true", help="list the backups, newest first")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="replace the database with a backup (backs it up first)")
    p.add_argument("file", type=Path, help="the backup file")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("encrypt", help="encrypt the database with a passphrase (SQLCipher)")
    p.set_defaults(handler=cmd_encrypt)

    p = sub.add_parser("decrypt", help="turn an encrypted database back into a plain one")
    p.set_defaults(handler=cmd_decrypt)

    p = sub.add_parser("check", help="check the database file for damage")
    p.add_argument("--file", type=Path, help="check this file (e.g. a backup) instead")
    p.set_defaults(handler=cmd_check)


def _passphrase(path: Path) -> str | None:
    from netapp.safety.crypto import cli_passphrase

    return cli_passphrase(path)


def _new_passphrase() -> str:
    env = os.environ.get("NETAPP_PASSPHRASE")
    if env:
        return env
    if not sys.stdin.isatty():
        raise SafetyError("set NETAPP_PASSPHRASE or run the command in a terminal")
    first = getpass.getpass("New passphrase: ")
    if len(first) < 8:
        raise SafetyError("the passphrase must have at least 8 characters")
    if getpass.getpass("Repeat it: ") != first:
        raise SafetyError("the two passphrases differ; nothing was changed")
    return first


def cmd_backup(args: argparse.Namespace) -> int:
    from netapp.safety.file_backups import backup_now, list_backups

    if args.list:
        for b in list_backups(db_path(args)):
            print(f"{b.path}\t{b.kind}\t{b.taken:%Y-%m-%d %H:%M:%S}\t{b.size} bytes")
        return 0
    store = open_store(args)
    try:
        path = backup_now(store, "manual")
    finally:
        store.close()
    print(path)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from netapp.safety.file_backups import check_file, restore

    path = db_path(args)
    passphrase = _passphrase(Path(args.file))
    check_file(args.file, passphrase)
    if not args.yes:
        if not sys.stdin.isatty():
            raise SafetyError("restore replaces the database: add --yes to confirm")
        answer = input(f"Replace {path} with {args.file}? [y/N] ")
        if answer.strip().lower() not in {"y", "yes"}:
            print("nothing was changed")
            return 1
    saved = restore(path, args.file, passphrase)
    print(f"restored {path} from {args.file}")
    if saved is not None:
        print(f"the previous database was saved as {saved}")
    return 0


def cmd_encrypt(args: argparse.Namespace) -> int:
    from netapp.safety.crypto import encrypt, encrypt_remaining
    from netapp.store.sqlcipher import is_encrypted_file

    path = db_path(args)
    if not path.exists():
        raise SafetyError(f"{path}: no such database")
    if is_encrypted_file(path):
        # Already encrypted: finish an interrupted encrypt (the backups still plain).
        passphrase = _passphrase(path)
        if not passphrase:
            raise SafetyError("a passphrase is needed")
        n = encrypt_remaining(path, passphrase)
        print(
            f"{path} is already encrypted; encrypted the {n} remaining plain backup(s)"
            if n
            else f"{path} is already encrypted, and so is every backup"
        )
        return 0
    backup = encrypt(path, _new_passphrase())
    print(f"encrypted {path}; a backup (also encrypted) is at {backup}")
    print("If you lose the passphrase, the data cannot be recovered by anyone.")
    return 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    from netapp.safety.crypto import decrypt
    from netapp.store.sqlcipher import is_encrypted_file

    path = db_path(args)
    if not is_encrypted_file(path):
        raise SafetyError(f"{path} is not encrypted")
    passphrase = _passphrase(path)
    if not passphrase:
        raise SafetyError("a passphrase is needed")
    backup = decrypt(path, passphrase)
    print(f"decrypted {path}; the encrypted backup is at {backup}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from netapp.safety.file_backups import check_file
    from netapp.store.schema import known_migrations

    path = Path(args.file) if args.file else db_path(args)
    version = check_file(path, _passphrase(path))
    current = len(known_migrations())
    note = "current" if version == current else f"older ({version} of {current}; migrates on open)"
    print(f"{path}: ok (schema {note})")
    return 0
