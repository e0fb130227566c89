"""The one way the command line and the app open a database: with the data-safety hooks.

The store sits below the safety features, so it cannot take backups itself; this opener hands
it :func:`take_backup` as its ``backup`` hook. The store calls it before a migration changes an
existing file (``pre-migration``); features call it through ``Store.backup`` before a risky
step (``pre-import``, ``pre-demo-removal``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from netapp.errors import DamagedDatabaseError, NetappError
from netapp.safety import forget, recovery
from netapp.safety.file_backups import backup_file, keep_counts, restore_advice, rotate
from netapp.store import PRE_MIGRATION, Database, Store
from netapp.store.settings import Settings

log = logging.getLogger(__name__)


def take_backup(db: Database, kind: str) -> Path:
    """Back up the open database and rotate the backups. Before a migration only the copy is
    made: rotating reads the settings, whose table may not yet have the shape this code reads.
    A damaged database is not backed up: its copy would push a good backup out."""
    if db.damaged:
        raise DamagedDatabaseError(db.damaged)
    path = backup_file(db.path, kind=kind, passphrase=db.passphrase, conn=db.conn)
    if kind != PRE_MIGRATION:
        rotate(db.path, *keep_counts(Settings(db)))
    return path


def open_store(
    path: str | os.PathLike[str], *, passphrase: str | None = None, migrate: bool = True
) -> Store:
    """Open (or create) the database at ``path`` with the backup hook; see :class:`Store`.

    Opened to migrate (the app's and the command line's main opening), the file is checked
    first (``quick_check``): a damaged one opens read-only, with the latest good backup named
    in every refusal. Secondary openings (``migrate=False``: the app's workers, while the
    main opening holds the file) skip it, and do not read the file's bytes either (their
    ``passphrase`` is the main opening's, which says whether the file is encrypted): see
    ``sniff`` in :class:`netapp.store.db.Database`.
    The main opening also cleans up after interrupted operations and finishes an interrupted
    encrypt (:mod:`netapp.safety.recovery`)."""
    if migrate:
        recovery.recover(Path(path))
    store = Store(
        path,
        passphrase=passphrase,
        migrate=migrate,
        backup=take_backup,
        verify=migrate,  # the opening that may change the file's shape checks it first
        damage_advice=lambda db_path: restore_advice(db_path, passphrase),
        sniff=migrate,
    )
    if migrate and not store.db.damaged:
        if store.passphrase:
            recovery.finish_quietly(store.path, store.passphrase)
        _finish_forget(store)
    return store


def _finish_forget(store: Store) -> None:
    """A forget whose clean-up was stopped (crash, full disk) is finished on the next start."""
    try:
        if forget.pending(store):
            forget.finish_forget(store)
    except NetappError as exc:
        log.warning("could not finish forgetting yet: %s", exc)
