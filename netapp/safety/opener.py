"""The one way the command line and the app open a database: with the data-safety hooks.

The store sits below the safety features, so it cannot take backups itself; this opener hands
it :func:`take_backup` as its ``backup`` hook. The store calls it before a migration changes an
existing file (``pre-migration``); features call it through ``Store.backup`` before a risky
step (``pre-import``, ``pre-demo-removal``).
"""

from __future__ import annotations

import os
from pathlib import Path

from netapp.safety.file_backups import backup_file, backup_now
from netapp.store import PRE_MIGRATION, Store


def take_backup(store: Store, kind: str) -> Path:
    """Back up the open store. Before a migration only the copy is made: rotating reads the
    settings, whose table is not yet in the shape this code expects."""
    if kind == PRE_MIGRATION:
        return backup_file(store.path, kind=kind, passphrase=store.passphrase, conn=store.conn)
    return backup_now(store, kind)


def open_store(
    path: str | os.PathLike[str], *, passphrase: str | None = None, migrate: bool = True
) -> Store:
    """Open (or create) the database at ``path`` with the backup hook; see :class:`Store`."""
    return Store(path, passphrase=passphrase, migrate=migrate, backup=take_backup)
