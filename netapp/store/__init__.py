"""The store: one open database (:mod:`netapp.store.db`) and one small repository per record
type. ``Store`` only holds them together::

    store = Store(path)                       # or netapp.safety.opener.open_store(path)
    with store.atomic():                      # one transaction; nested = savepoint
        pid = store.people.add(Person(display_name="Ann Lee"))
        store.interactions.add(Interaction(person_id=pid, date="2026-01-02", kind=Kind.CALL))
    store.db.query(sql, params)               # read-only SQL, for query/report modules

Each repository takes the database (and the repositories it builds on) in its constructor.
"""

from __future__ import annotations

import os
from pathlib import Path

from netapp.store.captures import Captures
from netapp.store.card_batches import CardBatches
from netapp.store.carddav import CardDav
from netapp.store.consents import Consents
from netapp.store.db import (
    PRE_MIGRATION,
    BackupHook,
    DamageAdvice,
    Database,
    Listener,
    new_uuid,
    now_iso,
)
from netapp.store.devices import Devices
from netapp.store.drafts import Drafts
from netapp.store.interactions import Interactions
from netapp.store.library import Library
from netapp.store.meetings import Groups, Meetings
from netapp.store.notes import Notes
from netapp.store.people import People, fts_query
from netapp.store.referrals import Referrals
from netapp.store.settings import Settings
from netapp.store.status import StatusCache

__all__ = [
    "PRE_MIGRATION",
    "BackupHook",
    "DamageAdvice",
    "Database",
    "Listener",
    "Store",
    "fts_query",
    "new_uuid",
    "now_iso",
]


class Store:
    """One netapp database file and its repositories (see the module's docstring)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        migrate: bool = True,
        passphrase: str | None = None,
        backup: BackupHook | None = None,
        verify: bool = False,
        damage_advice: DamageAdvice | None = None,
        sniff: bool = True,
    ) -> None:
        """Open (or create) the database; see :class:`netapp.store.db.Database`."""
        self.db = db = Database(
            path,
            migrate=migrate,
            passphrase=passphrase,
            backup=backup,
            verify=verify,
            damage_advice=damage_advice,
            sniff=sniff,
        )
        self.settings = Settings(db)
        self.people = People(db, self.settings)
        self.groups = Groups(db)
        self.meetings = Meetings(db, self.groups)
        self.interactions = Interactions(db)
        self.referrals = Referrals(db, self.interactions)
        self.consents = Consents(db)
        self.library = Library(db)
        self.notes = Notes(db)
        self.drafts = Drafts(db)
        self.captures = Captures(db)
        self.card_batches = CardBatches(db, self.meetings)
        self.status = StatusCache(db)
        self.carddav = CardDav(db)
        self.devices = Devices(db)
        # The unit of work and the change notification, used with every repository.
        self.atomic = db.atomic
        self.changed = db.changed
        self.subscribe = db.subscribe
        self.unsubscribe = db.unsubscribe
        self.backup = db.backup

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def passphrase(self) -> str | None:
        return self.db.passphrase

    @property
    def is_encrypted(self) -> bool:
        return self.db.is_encrypted

    def close(self, *, optimize: bool = True) -> None:
        """Close the connection. ``optimize=False`` for a second connection while the app's
        own is open (a worker's, a backup's): ``PRAGMA optimize`` may run ANALYZE, which
        writes ``sqlite_stat1``, a schema change under the other connection (see
        :meth:`netapp.store.db.Database.close`)."""
        self.db.close(optimize=optimize)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
