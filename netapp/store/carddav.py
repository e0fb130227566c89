"""CardDAV sync state (tables ``carddav_account``, ``carddav_cards``, ``carddav_unlinked``)
and sync events in people's timelines (``sync_events``).

A *link* ties one card on the server (its href, the key the client uses) to one person (by
uuid, so that it survives undo and never follows a reused row id), with the card's ETag, the
card as last seen (to patch it without fetching it again) and the fields both sides agreed on
at the last sync (the base of the three-way merge). Callers write inside ``store.atomic()``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from netapp.domain import ContactKind, Email, Person, Phone

if TYPE_CHECKING:
    from netapp.store import Store


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


def account(store: Store) -> Account | None:
    rows = store.query(f"SELECT {', '.join(_ACCOUNT_COLS)} FROM carddav_account WHERE id = 1")
    if not rows:
        return None
    row = rows[0]
    return Account(**{**row, "allow_http": bool(row["allow_http"])})


def save_account(store: Store, acc: Account) -> None:
    values = [getattr(acc, c) for c in _ACCOUNT_COLS]
    values[3] = int(acc.allow_http)
    with store.atomic():
        store.conn.execute(
            f"INSERT OR REPLACE INTO carddav_account (id, {', '.join(_ACCOUNT_COLS)}) "
            f"VALUES (1, {', '.join('?' * len(_ACCOUNT_COLS))})",
            values,
        )
        store.changed("sync")


def remove_account(store: Store) -> None:
    """Forget the account and every link (the people stay)."""
    with store.atomic():
        for table in ("carddav_account", "carddav_cards", "carddav_unlinked"):
            store.conn.execute(f"DELETE FROM {table}")
        store.changed("sync")


def links(store: Store) -> dict[str, Link]:
    out: dict[str, Link] = {}
    for href, uuid, etag, base, local, card, synced in store.conn.execute(
        "SELECT href, person_uuid, etag, base, local, card, synced_at FROM carddav_cards"
    ):
        out[href] = Link(href, uuid, etag, _json(base), _json(local), bytes(card), synced)
    return out


def _json(text: str) -> dict[str, Any] | None:
    return json.loads(text) if text else None


def _text(value: dict[str, Any] | None) -> str:
    return json.dumps(value, ensure_ascii=False) if value is not None else ""


def put_link(store: Store, link: Link) -> None:
    store.conn.execute("DELETE FROM carddav_cards WHERE person_uuid = ? AND href != ?",
                       [link.person_uuid, link.href])  # fmt: skip
    store.conn.execute(
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
    store.conn.execute("DELETE FROM carddav_unlinked WHERE person_uuid = ?", [link.person_uuid])


def drop_link(store: Store, href: str) -> None:
    store.conn.execute("DELETE FROM carddav_cards WHERE href = ?", [href])


def unlink(store: Store, href: str, person_uuid: str, when: str) -> None:
    """The card was deleted on the server: the person stays, and is not sent again."""
    drop_link(store, href)
    store.conn.execute(
        "INSERT OR REPLACE INTO carddav_unlinked (person_uuid, unlinked_at) VALUES (?, ?)",
        [person_uuid, when],
    )


def unlinked(store: Store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT person_uuid FROM carddav_unlinked")}


def count_links(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM carddav_cards"))


def add_event(store: Store, person_id: int, when: str, source: str, text: str) -> None:
    store.conn.execute(
        "INSERT INTO sync_events (person_id, at, source, text) VALUES (?,?,?,?)",
        [person_id, when, source, text],
    )


def events(store: Store, person_id: int) -> list[dict[str, Any]]:
    return store.query(
        "SELECT at, source, text FROM sync_events WHERE person_id = ? ORDER BY at, id",
        [person_id],
    )


_PEOPLE_SQL = """
SELECT p.id, p.uuid, p.display_name, p.given_name, p.family_name, p.org, p.department,
       p.title, p.birthday, p.note, p.kind, p.updated_at,
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


def people(store: Store, uuids: list[str] | None = None) -> dict[str, Person]:
    """People by uuid with the fields sync reads (no photo, website or links), in one query."""
    sql, params = _PEOPLE_SQL, []
    if uuids is not None:
        sql += " WHERE p.uuid IN (SELECT value FROM json_each(?))"
        params = [json.dumps(uuids)]
    out: dict[str, Person] = {}
    for row in store.query(sql, params):
        out[row["uuid"]] = Person(
            id=row["id"],
            uuid=row["uuid"],
            display_name=row["display_name"],
            given_name=row["given_name"],
            family_name=row["family_name"],
            org=row["org"],
            department=row["department"],
            title=row["title"],
            birthday=row["birthday"],
            note=row["note"],
            kind=ContactKind(row["kind"]),
            updated_at=row["updated_at"],
            emails=[Email(a, label) for a, label in json.loads(row["emails"])],
            phones=[Phone(n, label, bool(v)) for n, label, v in json.loads(row["phones"])],
            tags=json.loads(row["tags"]),
        )
    return out
