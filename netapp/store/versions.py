"""The names of the schema migrations, in order, without importing sqlite-utils.

Opening a database only has to compare these names with the ``_sqlite_migrations`` table;
sqlite-utils (and its ``Migrations``) is imported when a migration actually has to run or a
transaction starts, which keeps it off the app's start-up path. ``netapp.store.schema``
checks at import that this list matches the migrations it defines.
"""

from __future__ import annotations

MIGRATION_SET = "netapp"
MIGRATIONS_TABLE = "_sqlite_migrations"
MIGRATION_NAMES: tuple[str, ...] = (
    "m001_initial",
    "m002_nfc_names",
    "m003_person_kind",
    "m004_status_cache",
    "m005_carddav",
    "m006_capture_journal",
    "m007_devices",
    "m008_journal_notes",
    "m009_status_changes_on",
    "m010_foreign_key_indexes",
)


def known_migrations() -> list[str]:
    """Names of every migration this version of netapp knows, in order."""
    return list(MIGRATION_NAMES)
