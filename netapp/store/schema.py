"""Schema migrations. Append new migrations at the end; never edit a released one.

Every released schema version has a fixture database under ``tests/fixtures/schemas``
so that a test can open it with the current code.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from netapp.store.versions import MIGRATION_NAMES, MIGRATION_SET, known_migrations

migrations = Migrations(MIGRATION_SET)

# The FTS row for one person: names, organisation, title, notes, tags and emails.
FTS_ROW_SQL = """
INSERT INTO people_fts(rowid, display_name, org, title, note, tags, emails)
SELECT p.id, p.display_name, p.org || ' ' || p.department, p.title, p.note,
       COALESCE((SELECT group_concat(tag, ' ') FROM person_tags WHERE person_id = p.id), ''),
       COALESCE((SELECT group_concat(email, ' ') FROM person_emails WHERE person_id = p.id), '')
FROM people p WHERE p.id = {pid};
"""


def _fts_refresh(pid: str) -> str:
    return f"DELETE FROM people_fts WHERE rowid = {pid};\n" + FTS_ROW_SQL.format(pid=pid)


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            given_name TEXT NOT NULL DEFAULT '',
            family_name TEXT NOT NULL DEFAULT '',
            org TEXT NOT NULL DEFAULT '',
            department TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            website TEXT NOT NULL DEFAULT '',
            links TEXT NOT NULL DEFAULT '[]',
            birthday TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            photo BLOB,
            photo_type TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
            capture_id INTEGER REFERENCES captures(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX people_name ON people(display_name COLLATE NOCASE, id);
        CREATE INDEX people_org ON people(org COLLATE NOCASE, id);
        CREATE INDEX people_batch ON people(import_batch_id);

        CREATE TABLE person_emails (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            email TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX person_emails_person ON person_emails(person_id);
        CREATE INDEX person_emails_email ON person_emails(email COLLATE NOCASE);

        CREATE TABLE person_phones (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            phone TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            valid INTEGER NOT NULL DEFAULT 1,
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX person_phones_person ON person_phones(person_id);
        CREATE INDEX person_phones_phone ON person_phones(phone);

        CREATE TABLE person_tags (
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (person_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX person_tags_tag ON person_tags(tag, person_id);

        CREATE TABLE groups (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            recurrence TEXT NOT NULL DEFAULT 'none'
                CHECK (recurrence IN ('none', 'weekly', 'fortnightly', 'monthly')),
            weekday INTEGER CHECK (weekday BETWEEN 0 AND 6),
            venue TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );

        CREATE TABLE captures (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER,
            created_at TEXT NOT NULL
        );

        CREATE TABLE import_batches (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL DEFAULT '',
            format TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        );

        CREATE TABLE meetings (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            group_id INTEGER REFERENCES groups(id) ON DELETE SET NULL,
            name TEXT NOT NULL,
            date TEXT NOT NULL,
            venue TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX meetings_date ON meetings(date);
        CREATE INDEX meetings_group ON meetings(group_id, date);

        CREATE TABLE attendance (
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            capture_id INTEGER REFERENCES captures(id) ON DELETE SET NULL,
            PRIMARY KEY (meeting_id, person_id)
        ) WITHOUT ROWID;
        CREATE INDEX attendance_person ON attendance(person_id, meeting_id);

        CREATE TABLE library_items (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            kind TEXT NOT NULL
                CHECK (kind IN ('article', 'video', 'ebook', 'sample', 'template', 'intro')),
            url TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            retired_at TEXT,
            created_at TEXT NOT NULL
        );

        CREATE TABLE referrals (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            referrer_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
            provider_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
            prospect_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
            prospect_name TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'contacted', 'won', 'lost')),
            value REAL,
            prospect_agreed INTEGER NOT NULL DEFAULT 0,
            date TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (referrer_id IS NULL OR provider_id IS NULL)
        );
        CREATE INDEX referrals_referrer ON referrals(referrer_id);
        CREATE INDEX referrals_provider ON referrals(provider_id);
        CREATE INDEX referrals_prospect ON referrals(prospect_id);

        CREATE TABLE interactions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('met', 'one-to-one', 'call', 'email',
                'message', 'value-given', 'value-received', 'ask', 'referral-given',
                'referral-received', 'business')),
            note TEXT NOT NULL DEFAULT '',
            ask_type TEXT,
            outcome TEXT CHECK (outcome IS NULL OR outcome IN
                ('accepted', 'declined', 'pending', 'ignored')),
            amount REAL,
            library_item_id INTEGER REFERENCES library_items(id) ON DELETE SET NULL,
            meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
            referral_id INTEGER REFERENCES referrals(id) ON DELETE SET NULL,
            capture_id INTEGER REFERENCES captures(id) ON DELETE SET NULL,
            import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            CHECK (kind != 'ask' OR ask_type IS NOT NULL)
        );
        CREATE INDEX interactions_person ON interactions(person_id, date);
        CREATE INDEX interactions_kind ON interactions(kind, date);
        CREATE INDEX interactions_item ON interactions(library_item_id);

        CREATE TABLE consents (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            email TEXT NOT NULL DEFAULT '',
            method TEXT NOT NULL CHECK (method IN ('card', 'paper', 'verbal', 'web', 'import')),
            obtained_at TEXT NOT NULL,
            meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
            card_code TEXT NOT NULL DEFAULT '',
            wording TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            withdrawn_at TEXT
        );
        CREATE INDEX consents_person ON consents(person_id);

        CREATE TABLE card_batches (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
            campaign TEXT NOT NULL DEFAULT '',
            offer TEXT NOT NULL DEFAULT '',
            layout TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'optin' CHECK (kind IN ('optin', 'contact')),
            count INTEGER NOT NULL,
            url TEXT NOT NULL DEFAULT '',
            printed_at TEXT NOT NULL
        );

        CREATE TABLE cards (
            code TEXT PRIMARY KEY,
            batch_id INTEGER NOT NULL REFERENCES card_batches(id) ON DELETE CASCADE,
            position INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX cards_batch ON cards(batch_id);

        -- Snoozed or dismissed agenda steps: hidden until ``until``.
        CREATE TABLE snoozes (
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            until TEXT NOT NULL,
            PRIMARY KEY (person_id, kind)
        ) WITHOUT ROWID;

        -- The engine's derived status per person, cached so that the people list can sort
        -- and filter in SQL. Always recomputable from the evidence; never the source of truth.
        CREATE TABLE person_status (
            person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            stage_rank INTEGER NOT NULL,
            trust REAL NOT NULL,
            repeat_contacts INTEGER NOT NULL,
            last_touch TEXT,
            next_kind TEXT NOT NULL DEFAULT 'none',
            next_due TEXT,
            next_text TEXT NOT NULL DEFAULT '',
            flags TEXT NOT NULL DEFAULT '',
            as_of TEXT NOT NULL
        );
        CREATE INDEX person_status_stage ON person_status(stage_rank, person_id);
        CREATE INDEX person_status_trust ON person_status(trust, person_id);
        CREATE INDEX person_status_repeat ON person_status(repeat_contacts, person_id);
        CREATE INDEX person_status_touch ON person_status(last_touch, person_id);
        CREATE INDEX person_status_next ON person_status(next_due, person_id);

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        -- Unsaved work (the capture grid) that must survive a crash.
        CREATE TABLE drafts (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE VIRTUAL TABLE people_fts USING fts5(
            display_name, org, title, note, tags, emails,
            tokenize = "unicode61 remove_diacritics 2"
        );
        """
    )
    triggers = {
        "people_ai": ("AFTER INSERT ON people", _fts_refresh("new.id")),
        "people_au": ("AFTER UPDATE ON people", _fts_refresh("new.id")),
        "people_ad": ("AFTER DELETE ON people", "DELETE FROM people_fts WHERE rowid = old.id;"),
        "tags_ai": ("AFTER INSERT ON person_tags", _fts_refresh("new.person_id")),
        "tags_ad": ("AFTER DELETE ON person_tags", _fts_refresh("old.person_id")),
        "emails_ai": ("AFTER INSERT ON person_emails", _fts_refresh("new.person_id")),
        "emails_ad": ("AFTER DELETE ON person_emails", _fts_refresh("old.person_id")),
    }
    for name, (when, body) in triggers.items():
        db.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


# Text columns holding names, normalised to NFC by m002 (new text is normalised on entry).
NFC_COLUMNS: dict[str, tuple[str, ...]] = {
    "people": ("display_name", "given_name", "family_name", "org", "department", "title"),
    "referrals": ("prospect_name",),
}


@migrations()
def m002_nfc_names(db: Database) -> None:
    """Names typed decomposed (NFD, as pasted from some Mac contacts) become NFC, so that
    "José Núñez" is one person however it was typed. Rows already in NFC are left alone."""
    import unicodedata

    for table, columns in NFC_COLUMNS.items():
        cols = ", ".join(columns)
        for row in db.execute(f"SELECT id, {cols} FROM {table}").fetchall():
            old = row[1:]
            new = tuple(unicodedata.normalize("NFC", v) if isinstance(v, str) else v for v in old)
            if new != old:
                sets = ", ".join(f"{c} = ?" for c in columns)
                db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*new, row[0]])


@migrations()
def m003_person_kind(db: Database) -> None:
    """People can be organisations (issue 21): ``kind`` is 'person' or 'organisation'."""
    db.executescript(
        """
        ALTER TABLE people ADD COLUMN kind TEXT NOT NULL DEFAULT 'person'
            CHECK (kind IN ('person', 'organisation'));
        CREATE INDEX people_kind ON people(kind, display_name COLLATE NOCASE, id);
        """
    )


# The engine's cached status (person_status) goes stale in the transaction of the write that
# makes it stale, whoever writes (the app, the command line, an import, a sync): these triggers
# drop the rows of the people a write touches. Settings outside these families and the value
# library can change anyone's next step: they mark every row stale (as_of = '') instead, so the
# list keeps showing the old values until the engine's next refresh recomputes them.
NOT_ENGINE_SETTINGS = ("profile.*", "print.*", "backup.*", "demo.*")
_PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "person_tags": ("person_id",),
    "attendance": ("person_id",),
    "interactions": ("person_id",),
    "consents": ("person_id",),
    "snoozes": ("person_id",),
    "referrals": ("referrer_id", "provider_id", "prospect_id"),
}
_DROP = "DELETE FROM person_status WHERE person_id IN ({});"
_STALE_ALL = "UPDATE person_status SET as_of = '' WHERE as_of != '';"


def _status_triggers() -> dict[str, tuple[str, str]]:
    triggers: dict[str, tuple[str, str]] = {}
    for table, cols in _PERSON_COLUMNS.items():
        for event, rows in (("INSERT", ("new",)), ("DELETE", ("old",)), ("UPDATE", ("old", "new"))):
            ids = ", ".join(f"{row}.{col}" for row in rows for col in cols)
            triggers[f"status_{table}_{event.lower()}"] = (
                f"AFTER {event} ON {table}",
                _DROP.format(ids),
            )
    triggers["status_people_update"] = ("AFTER UPDATE ON people", _DROP.format("new.id"))
    triggers["status_meetings_update"] = (
        "AFTER UPDATE ON meetings",
        _DROP.format("SELECT person_id FROM attendance WHERE meeting_id = new.id"),
    )
    triggers["status_groups_update"] = (
        "AFTER UPDATE ON groups",
        _DROP.format(
            "SELECT a.person_id FROM attendance a JOIN meetings m ON m.id = a.meeting_id "
            "WHERE m.group_id = new.id"
        ),
    )
    engine_key = " AND ".join(f"{{row}}.key NOT GLOB '{g}'" for g in NOT_ENGINE_SETTINGS)
    for event, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")):
        triggers[f"status_settings_{event.lower()}"] = (
            f"AFTER {event} ON settings WHEN {engine_key.format(row=row)}",
            _STALE_ALL,
        )
        triggers[f"status_library_{event.lower()}"] = (
            f"AFTER {event} ON library_items",
            _STALE_ALL,
        )
    return triggers


@migrations()
def m004_status_cache(db: Database) -> None:
    """Triggers that keep the engine's cached status honest (see _status_triggers)."""
    for name, (when, body) in _status_triggers().items():
        db.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


@migrations()
def m005_carddav(db: Database) -> None:
    """CardDAV sync (issue 18): the account, one row per linked card, people whose card was
    deleted on the server, and sync events (a conflict's losing value) in people's timelines.

    A person deleted or forgotten keeps their card's row (href, ETag, their uuid) so that the
    next sync deletes the card on the server, but the row's copy of the card and the last
    synced fields are erased at once by a trigger: nothing of the person stays in the file."""
    db.executescript(
        """
        CREATE TABLE carddav_account (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            server TEXT NOT NULL,
            book TEXT NOT NULL,
            user TEXT NOT NULL,
            allow_http INTEGER NOT NULL DEFAULT 0,
            ca_file TEXT NOT NULL DEFAULT '',
            token TEXT NOT NULL DEFAULT '',
            last_sync TEXT NOT NULL DEFAULT '',
            last_result TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE carddav_cards (
            href TEXT PRIMARY KEY,
            person_uuid TEXT NOT NULL UNIQUE,
            etag TEXT NOT NULL,
            base TEXT NOT NULL DEFAULT '',
            local TEXT NOT NULL DEFAULT '',
            card BLOB NOT NULL DEFAULT x'',
            synced_at TEXT NOT NULL
        );
        CREATE TABLE carddav_unlinked (
            person_uuid TEXT PRIMARY KEY,
            unlinked_at TEXT NOT NULL
        );
        CREATE TABLE sync_events (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            source TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX sync_events_person ON sync_events(person_id, at);
        CREATE TRIGGER carddav_person_gone AFTER DELETE ON people BEGIN
            UPDATE carddav_cards SET base = '', local = '', card = x'' WHERE person_uuid = old.uuid;
            DELETE FROM carddav_unlinked WHERE person_uuid = old.uuid;
        END;
        """
    )


@migrations()
def m006_capture_journal(db: Database) -> None:
    """Capture's undo journal gets a table of its own (it lived in ``drafts``, which backups
    leave out): per capture, whether it created its meeting and, per repeat contact, what it
    added to them (emails, phones, tags as JSON), so undoing a capture takes back exactly
    that. Journals already in ``drafts`` move over."""
    db.executescript(
        """
        CREATE TABLE capture_journal (
            capture_id INTEGER PRIMARY KEY REFERENCES captures(id) ON DELETE CASCADE,
            created_meeting INTEGER NOT NULL DEFAULT 0,
            added TEXT NOT NULL DEFAULT '[]'
        );
        INSERT INTO capture_journal (capture_id, created_meeting, added)
            SELECT CAST(substr(d.key, 9) AS INTEGER),
                   CASE WHEN json_valid(d.value)
                        THEN COALESCE(json_extract(d.value, '$.created_meeting'), 0) ELSE 0 END,
                   CASE WHEN json_valid(d.value)
                             AND json_type(d.value, '$.added') = 'array'
                        THEN json_extract(d.value, '$.added') ELSE '[]' END
            FROM drafts d
            WHERE d.key LIKE 'capture:%'
              AND CAST(substr(d.key, 9) AS INTEGER) IN (SELECT id FROM captures);
        DELETE FROM drafts WHERE key LIKE 'capture:%';
        """
    )


# Device sync (issue 19): which rows a local write touched, named by their sync key. The
# triggers write only once this database has joined a devices folder, and stand aside while
# the sync applies other devices' changes (devices_self.applying, cleared in a finally).
_UUID_TABLES = (
    "people",
    "groups",
    "meetings",
    "interactions",
    "referrals",
    "consents",
    "library_items",
    "card_batches",
)
_PUUID = "(SELECT uuid FROM people WHERE id = {row}.person_id)"
_CHILD_KEYS: dict[str, tuple[str, str]] = {
    # table: (outbox table name, the key of the row as SQL over ``{row}``)
    "person_emails": ("person_emails", _PUUID),
    "person_phones": ("person_phones", _PUUID),
    "person_tags": ("person_tags", _PUUID),
    "attendance": (
        "attendance",
        "(SELECT uuid FROM meetings WHERE id = {row}.meeting_id) || '/' || " + _PUUID,
    ),
    "snoozes": ("snoozes", _PUUID + " || '/' || {row}.kind"),
    "cards": ("card_batches", "(SELECT uuid FROM card_batches WHERE id = {row}.batch_id)"),
    "settings": ("settings", "{row}.key"),
}
_CAPTURING = "EXISTS (SELECT 1 FROM devices_self WHERE applying = 0)"


def _outbox_triggers() -> dict[str, tuple[str, str]]:
    keys = {t: (t, "{row}.uuid") for t in _UUID_TABLES} | _CHILD_KEYS
    triggers: dict[str, tuple[str, str]] = {}
    for table, (name, key) in keys.items():
        for event, rows in (("INSERT", ("new",)), ("DELETE", ("old",)), ("UPDATE", ("old", "new"))):
            body = "".join(
                f"INSERT INTO devices_outbox(tbl, key) VALUES ('{name}', {key.format(row=row)});"
                for row in rows
            )
            triggers[f"devices_{table}_{event.lower()}"] = (
                f"AFTER {event} ON {table} WHEN {_CAPTURING}",
                body,
            )
    return triggers


@migrations()
def m007_devices(db: Database) -> None:
    """Device sync (issue 19; netapp/sync/devices): this device, its outbox of local changes,
    the replication document, the update files already read and those not yet written."""
    db.executescript(
        """
        CREATE TABLE devices_self (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            device TEXT NOT NULL,
            name TEXT NOT NULL,
            client INTEGER NOT NULL,
            folder TEXT NOT NULL,
            applying INTEGER NOT NULL DEFAULT 0,
            next_number INTEGER NOT NULL DEFAULT 1,
            joined_at TEXT NOT NULL,
            last_sync TEXT NOT NULL DEFAULT '',
            last_result TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE devices_outbox (
            seq INTEGER PRIMARY KEY,
            tbl TEXT NOT NULL,
            key TEXT,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now'))
        );
        CREATE TABLE devices_doc (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            state BLOB NOT NULL
        );
        CREATE TABLE devices_files (
            device TEXT NOT NULL,
            number INTEGER NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            written_at TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (device, number)
        ) WITHOUT ROWID;
        CREATE TABLE devices_unsent (
            number INTEGER PRIMARY KEY,
            data BLOB NOT NULL
        );
        """
    )
    for name, (when, body) in _outbox_triggers().items():
        db.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


# Search everywhere (issue 17): one FTS5 table per kind of record, its rowid the record's id,
# kept by triggers like people_fts. Kind -> (table, indexed columns).
SEARCH_FTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "meetings_fts": ("meetings", ("name", "venue", "note")),
    "groups_fts": ("groups", ("name", "venue")),
    "referrals_fts": ("referrals", ("prospect_name", "note")),
    "library_fts": ("library_items", ("title", "description", "url", "tags")),
    "notes_fts": ("notes", ("text",)),
    "interactions_fts": ("interactions", ("note",)),
}


def _search_fts(db: Database) -> None:
    """Create and fill the search tables, with their triggers."""
    for fts, (table, cols) in SEARCH_FTS.items():
        names = ", ".join(cols)
        new = ", ".join(f"new.{c}" for c in cols)
        db.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, "
            'tokenize = "unicode61 remove_diacritics 2")'
        )
        db.execute(f"INSERT INTO {fts}(rowid, {names}) SELECT id, {names} FROM {table}")
        insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"
        delete = f"DELETE FROM {fts} WHERE rowid = old.id;"
        for name, when, body in (
            ("ai", "AFTER INSERT", insert),
            ("au", "AFTER UPDATE", delete + insert),
            ("ad", "AFTER DELETE", delete),
        ):
            db.execute(f"CREATE TRIGGER {fts}_{name} {when} ON {table} BEGIN {body} END")


# Preferences that change no one's status, besides NOT_ENGINE_SETTINGS (m004's triggers).
NOT_ENGINE_SETTINGS_2 = (*NOT_ENGINE_SETTINGS, "notify.*", "today.*")


@migrations()
def m008_journal_notes(db: Database) -> None:
    """Issue 17: journal notes (a dated, multi-line note on a person), a "remind me on" date on
    each person, search tables over meetings, groups, referrals, library items and timeline
    notes, the notification/Today preferences left out of the status triggers, notes in the
    device sync's outbox (m007), and chapter
    attendance: each attendance row's role (a member, a visitor ``brought_by`` a member, or a
    substitute standing in for the member ``brought_by``)."""
    db.executescript(
        """
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            date TEXT NOT NULL
                CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX notes_person ON notes(person_id, date);
        ALTER TABLE people ADD COLUMN remind_on TEXT NOT NULL DEFAULT ''
            CHECK (remind_on = '' OR remind_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
        CREATE INDEX people_remind_on ON people(remind_on) WHERE remind_on != '';
        ALTER TABLE attendance ADD COLUMN role TEXT NOT NULL DEFAULT 'member'
            CHECK (role IN ('member', 'visitor', 'substitute'));
        ALTER TABLE attendance ADD COLUMN brought_by INTEGER
            REFERENCES people(id) ON DELETE SET NULL;
        """
    )
    _search_fts(db)
    for event, rows in (("INSERT", ("new",)), ("DELETE", ("old",)), ("UPDATE", ("old", "new"))):
        body = "".join(
            f"INSERT INTO devices_outbox(tbl, key) VALUES ('notes', {r}.uuid);" for r in rows
        )
        db.execute(
            f"CREATE TRIGGER devices_notes_{event.lower()} AFTER {event} ON notes "
            f"WHEN {_CAPTURING} BEGIN {body} END"
        )
    engine_key = " AND ".join(f"{{row}}.key NOT GLOB '{g}'" for g in NOT_ENGINE_SETTINGS_2)
    for event, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")):
        name = f"status_settings_{event.lower()}"
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON settings "
            f"WHEN {engine_key.format(row=row)} BEGIN {_STALE_ALL} END"
        )


@migrations()
def m009_status_changes_on(db: Database) -> None:
    """What the incremental status refresh needs (issue 20): per cached row, the first day its
    advice may change with the date alone (``changes_on``; '9999-12-31' for never, NULL for
    unknown: recomputed) and the trust its evidence earned before the recency factor
    (``earned``), so that a day on which nothing but the date moved only re-ages trust."""
    db.executescript(
        """
        ALTER TABLE person_status ADD COLUMN changes_on TEXT;
        ALTER TABLE person_status ADD COLUMN earned REAL;
        """
    )


@migrations()
def m010_foreign_key_indexes(db: Database) -> None:
    """An index led by every foreign key column that had none. Deleting a row checks each
    child table for rows pointing at it: without an index, a scan of the whole child table per
    row deleted. Undoing a capture of 2,000 new people at 100,000 people took 103 s (every
    person deleted scanned 470,000 attendance rows for ``brought_by``); 0.9 s with these. The
    columns are mostly NULL, so the indexes are partial: they hold only the rows that point."""
    for table, column in _UNINDEXED_FOREIGN_KEYS:
        db.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_{column} ON {table}({column}) "
            f"WHERE {column} IS NOT NULL"
        )


_UNINDEXED_FOREIGN_KEYS = (
    ("attendance", "brought_by"),
    ("attendance", "capture_id"),
    ("people", "capture_id"),
    ("interactions", "capture_id"),
    ("interactions", "import_batch_id"),
    ("interactions", "referral_id"),
    ("interactions", "meeting_id"),
    ("consents", "meeting_id"),
    ("card_batches", "meeting_id"),
)


# versions.MIGRATION_NAMES lets a database be checked without importing this module.
if tuple(m.name for m in migrations._migrations) != MIGRATION_NAMES:  # pragma: no cover
    raise RuntimeError("netapp.store.versions.MIGRATION_NAMES is out of step with schema.py")

__all__ = ["FTS_ROW_SQL", "MIGRATION_SET", "known_migrations", "migrations"]
