"""CardDAV sync state (tables ``carddav_account``, ``carddav_cards``, ``carddav_unlinked``)
and sync events in people's timelines (``sync_events``): ``store.carddav``.

A *link* ties one card on the server (its href, the key the client uses) to one person (by
uuid, so that it survives undo and never follows a reused row id), with the card's ETag, the
card as last seen (to patch it without fetching it again), the fields both sides agreed on at
the last sync (the base of the three-way merge) and the person's fields as netapp stored them
then (to see cheaply whether netapp changed them since). The link writes run inside the
caller's ``atomic()`` (a sync writes everything in one transaction).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from netapp.domain import ContactKind, Email, Person, Phone, Topic, detail_fields
from netapp.store.db import Database


@dataclass
class Account:
    server: str  # the URL the user gave
    book: str  # the address book's URL
    user: str
    allow_http: bool = False
    ca_file: str = ""
    token: str = ""  # the sync token of the last complete sync
    last_sync: str = ""  # when it ended (ISO, UTC)
    last_result: str = ""  # its summary, one line


@dataclass
class Link:
    href: str
    person_uuid: str
    etag: str
    base: dict[str, Any] | None  # None: unknown (first link, or erased with the person)
    local: dict[str, Any] | None  # the person's fields as netapp stored them at that sync
    card: bytes  # b"" when unknown
    synced_at: str


_ACCOUNT_COLS = ("server", "book", "user", "allow_http", "ca_file", "token", "last_sync",
                 "last_result")  # fmt: skip

# The details sync reads, from the one declaration (netapp.domain.ContactDetails): the
# people table's own columns but the photo, the website, the source and "remind me on" (not
# in a vCard: a server's card must never clear it).
_SYNCED = tuple(
    n
    for n in detail_fields(stored="column")
    if n not in ("photo", "photo_type", "website", "source", "remind_on")
)
_PEOPLE_SQL = f"""
SELECT p.id, p.uuid, {", ".join(f"p.{c}" for c in _SYNCED)}, p.updated_at,
       (SELECT json_group_array(json_array(email, label)) FROM
           (SELECT email, label FROM person_emails WHERE person_id = p.id
            ORDER BY position, id)) AS emails,
       (SELECT json_group_array(json_array(phone, label, valid)) FROM
           (SELECT phone, label, valid FROM person_phones WHERE person_id = p.id
            ORDER BY position, id)) AS phones,
       (SELECT json_group_array(tag) FROM
           (SELECT tag FROM person_tags WHERE person_id = p.id ORDER BY tag)) AS tags
FROM people p
"""


def _json(text: str) -> dict[str, Any] | None:
    return json.loads(text) if text else None


def _text(value: dict[str, Any] | None) -> str:
    return json.dumps(value, ensure_ascii=False) if value is not None else ""


class CardDav:
    """The CardDAV sync state repository: ``store.carddav``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- the account ----------------------------------------------------------------------------

    def account(self) -> Account | None:
        cols = ", ".join(_ACCOUNT_COLS)
        rows = self.db.query(f"SELECT {cols} FROM carddav_account WHERE id = 1")
        if not rows:
            return None
        return Account(**{**rows[0], "allow_http": bool(rows[0]["allow_http"])})

    def save_account(self, acc: Account) -> None:
        values = [getattr(acc, c) for c in _ACCOUNT_COLS]
        values[3] = int(acc.allow_http)
        with self.db.atomic():
            self.db.conn.execute(
                f"INSERT OR REPLACE INTO carddav_account (id, {', '.join(_ACCOUNT_COLS)}) "
                f"VALUES (1, {', '.join('?' * len(_ACCOUNT_COLS))})",
                values,
            )
            self.db.changed(Topic.SYNC)

    def remove_account(self) -> None:
        """Forget the account and every link (the people stay)."""
        with self.db.atomic():
            for table in ("carddav_account", "carddav_cards", "carddav_unlinked"):
                self.db.conn.execute(f"DELETE FROM {table}")
            self.db.changed(Topic.SYNC)

    # -- links ----------------------------------------------------------------------------------

    def links(self) -> dict[str, Link]:
        out: dict[str, Link] = {}
        for href, uuid, etag, base, local, card, synced in self.db.conn.execute(
            "SELECT href, person_uuid, etag, base, local, card, synced_at FROM carddav_cards"
        ):
            out[href] = Link(href, uuid, etag, _json(base), _json(local), bytes(card), synced)
        return out

    def count_links(self) -> int:
        return int(self.db.scalar("SELECT count(*) FROM carddav_cards"))

    def put_link(self, link: Link) -> None:
        conn = self.db.conn
        conn.execute("DELETE FROM carddav_cards WHERE person_uuid = ? AND href != ?",
                     [link.person_uuid, link.href])  # fmt: skip
        conn.execute(
            "INSERT OR REPLACE INTO carddav_cards (href, person_uuid, etag, base, local, card, "
            "synced_at) VALUES (?,?,?,?,?,?,?)",
            [
                link.href,
                link.person_uuid,
                link.etag,
                _text(link.base),
                _text(link.local),
                link.card,
                link.synced_at,
            ],  # fmt: skip
        )
        conn.execute("DELETE FROM carddav_unlinked WHERE person_uuid = ?", [link.person_uuid])

    def drop_link(self, href: str) -> None:
        self.db.conn.execute("DELETE FROM carddav_cards WHERE href = ?", [href])

    def unlink(self, href: str, person_uuid: str, when: str) -> None:
        """The card was deleted on the server: the person stays, and is not sent again."""
        self.drop_link(href)
        self.db.conn.execute(
            "INSERT OR REPLACE INTO carddav_unlinked (person_uuid, unlinked_at) VALUES (?, ?)",
            [person_uuid, when],
        )

    def unlinked(self) -> set[str]:
        return {r[0] for r in self.db.conn.execute("SELECT person_uuid FROM carddav_unlinked")}

    # -- timeline events ------------------------------------------------------------------------

    def add_event(self, person_id: int, when: str, source: str, text: str) -> None:
        self.db.conn.execute(
            "INSERT INTO sync_events (person_id, at, source, text) VALUES (?,?,?,?)",
            [person_id, when, source, text],
        )

    def events(self, person_id: int) -> list[dict[str, Any]]:
        return self.db.query(
            "SELECT at, source, text FROM sync_events WHERE person_id = ? ORDER BY at, id",
            [person_id],
        )

    # -- people, as sync reads them -------------------------------------------------------------

    def people(self, uuids: list[str] | None = None) -> dict[str, Person]:
        """People by uuid with the fields sync reads (no photo, website or links), one query."""
        sql, params = _PEOPLE_SQL, []
        if uuids is not None:
            sql += " WHERE p.uuid IN (SELECT value FROM json_each(?))"
            params = [json.dumps(uuids)]
        return {row["uuid"]: _person(row) for row in self.db.query(sql, params)}


def _person(row: dict[str, Any]) -> Person:
    details: dict[str, Any] = {c: row[c] for c in _SYNCED}
    details["kind"] = ContactKind(details["kind"])
    return Person(
        **details,
        id=row["id"],
        uuid=row["uuid"],
        updated_at=row["updated_at"],
        emails=[Email(a, label) for a, label in json.loads(row["emails"])],
        phones=[Phone(n, label, bool(v)) for n, label, v in json.loads(row["phones"])],
        tags=json.loads(row["tags"]),
    )
