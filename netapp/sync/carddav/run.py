"""One CardDAV sync: read what changed on both sides, merge per card, write the server, then
write netapp in one transaction.

Order, so that a server that goes away mid-sync leaves nothing half-applied in netapp:

1. **Read.** What changed on the server since the stored sync token (``sync-collection``; a
   full listing with ETag comparison when the token is refused or the server has no such
   report), fetched with multiget; what changed in netapp since the last sync (each linked
   person's fields against the fields stored at that sync); people removed from netapp.
2. **Plan.** Per card, the three-way merge (:mod:`.merge`) of the last synced fields, netapp's
   and the server's; a card new on the server is matched to a person without a card (same UID,
   then one shared email, then one shared phone) or becomes a new person.
3. **Server.** Conditional PUTs and DELETEs. On 412 (the card changed between our read and our
   write) the card is fetched again, merged again and sent again.
4. **netapp.** Every local change, the links and the new sync token in one ``BEGIN
   IMMEDIATE`` transaction. A person edited in netapp since step 1 is left for the next sync.

Any error in steps 1 to 3 raises before step 4, so netapp is untouched; what the server
already received is recognised by the next sync (by ETag and UID) and not applied twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from netapp.domain import Person, Topic
from netapp.store import Store
from netapp.store import carddav as repo
from netapp.sync.carddav import cards as C
from netapp.sync.carddav.dav import (
    Card,
    DavClient,
    DavError,
    InvalidSyncToken,
    PreconditionFailed,
)
from netapp.sync.carddav.merge import Conflict, Fields, merge

Progress = Callable[[str, int, int], None]  # (what is being done, done, total)
RETRIES = 3  # sends of one card after a 412, before it is left for the next sync
# A PUT answered with one of these refuses that card only (invalid, too large, not allowed):
# it is skipped and named; other errors (auth, a missing book, the server down) stop the sync.
REFUSED = frozenset({400, 403, 409, 413, 415, 422})
SOURCE = "carddav"


@dataclass
class Summary:
    """What a sync did (or, dry, would do)."""

    sent: int = 0  # cards created or updated on the server
    received: int = 0  # people created or updated in netapp from the server
    merged: int = 0  # cards changed on both sides, merged
    conflicts: int = 0  # fields changed on both sides differently (the newer kept)
    unlinked: int = 0  # cards deleted on the server: the person stays, unlinked
    deleted: int = 0  # cards deleted on the server for people removed from netapp
    skipped: list[str] = field(default_factory=list)  # cards not read, with the reason
    postponed: int = 0  # people edited in netapp during the sync: left for the next one
    dry_run: bool = False
    full_listing: bool = False  # the server could not give a delta

    def to_json(self) -> dict[str, Any]:
        return {
            "sent": self.sent, "received": self.received, "merged": self.merged,
            "conflicts": self.conflicts, "unlinked": self.unlinked, "deleted": self.deleted,
            "skipped": list(self.skipped), "postponed": self.postponed,
            "dry_run": self.dry_run, "full_listing": self.full_listing,
        }  # fmt: skip

    def line(self) -> str:
        parts = [
            f"{self.sent} sent",
            f"{self.received} received",
            f"{self.merged} merged",
            f"{self.conflicts} conflict{'s' if self.conflicts != 1 else ''}",
            f"{self.unlinked} unlinked",
        ]
        if self.deleted:
            parts.append(f"{self.deleted} deleted on the server")
        if self.skipped:
            parts.append(f"{len(self.skipped)} card{'s' if len(self.skipped) != 1 else ''} skipped")
        if self.postponed:
            parts.append(f"{self.postponed} left for the next sync")
        return ("would be: " if self.dry_run else "") + ", ".join(parts)


@dataclass
class _Item:
    """The plan for one card / person."""

    href: str
    person: Person | None  # netapp's person (None: a new one from the server)
    read: Fields | None  # the person's fields as read in step 1 (to detect edits meanwhile)
    base: Fields | None
    remote: C.ServerCard | None  # the server card as fetched (None: not fetched, or new)
    etag: str  # the server card's ETag ("" for a card to create)
    result: Fields | None = None  # the merged fields
    conflicts: list[Conflict] = field(default_factory=list)
    send: bytes | None = None  # the card to PUT
    delete: bool = False  # DELETE on the server (the person was removed from netapp)
    unlink: bool = False  # the card was deleted on the server
    drop: bool = False  # forget the link
    sent_etag: str = ""
    card: bytes = b""  # the card as the server now holds it (for the link)
    remote_time: datetime | None = None


class CardDavSync:
    """A sync of one store with one address book (see the module's docstring)."""

    def __init__(
        self,
        store: Store,
        client: DavClient,
        account: repo.Account,
        *,
        include_note: bool = False,
        dry_run: bool = False,
        progress: Progress | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.account = account
        self.book = account.book
        self.note = include_note
        self.region = str(store.settings["phone.region"])
        self.summary = Summary(dry_run=dry_run)
        # Something left for the next sync: the sync token is not moved on, so that the next
        # delta lists its card again (a card never linked would otherwise be seen no more).
        self.left = False
        self.progress = progress or (lambda _what, _done, _total: None)
        self.now = datetime.now(UTC)

    # -- 1. read ------------------------------------------------------------------------------

    def run(self) -> Summary:
        links = self.store.carddav.links()
        changed, deleted, token = self._remote_changes(links)
        fetch = set(changed) | {h for h, link in links.items() if not link.card}
        fetch -= deleted
        cards = self._fetch(fetch)
        people = self.store.carddav.people()
        items = self._plan(links, cards, deleted, people)
        if self.summary.dry_run:
            self._tally(items)
            return self.summary
        self._send(items)
        self._apply(items, token)
        return self.summary

    def _remote_changes(self, links: dict[str, repo.Link]) -> tuple[dict[str, str], set[str], str]:
        """(href -> ETag of cards new or changed on the server, hrefs deleted there, new token)."""
        self.progress("Asking the server what changed", 0, 0)
        book = self.client.address_book(self.book)
        token = self.account.token
        if book.sync:
            # A refused token is followed by a request without one: the whole listing with
            # ETags and a fresh token in one answer, so the next sync is a delta again.
            for since in dict.fromkeys([token, ""]):
                try:
                    delta = self.client.sync_collection(self.book, since)
                except InvalidSyncToken:
                    self.summary.full_listing = True
                    continue
                gone = delta.deleted if since else set(links) - set(delta.changed)
                return self._new(delta.changed, links), gone & set(links), delta.token
        self.summary.full_listing = True
        listing = self.client.list_cards(self.book)
        return self._new(listing, links), set(links) - set(listing), ""

    @staticmethod
    def _new(listing: dict[str, str], links: dict[str, repo.Link]) -> dict[str, str]:
        return {h: e for h, e in listing.items() if h not in links or links[h].etag != e}

    def _fetch(self, hrefs: set[str]) -> dict[str, Card]:
        out: dict[str, Card] = {}
        total = len(hrefs)
        for card in self.client.multiget(self.book, sorted(hrefs)):
            out[card.href] = card
            self.progress("Fetching cards", len(out), total)
        return out

    # -- 2. plan ------------------------------------------------------------------------------

    def _plan(
        self,
        links: dict[str, repo.Link],
        cards: dict[str, Card],
        deleted: set[str],
        people: dict[str, Person],
    ) -> list[_Item]:
        items: list[_Item] = []
        linked = {link.person_uuid for link in links.values()}
        for href, link in links.items():
            person = people.get(link.person_uuid)
            if href in deleted:
                items.append(self._deleted_remotely(href, person))
            elif person is None:
                items.append(_Item(href, None, None, None, None, link.etag, delete=True))
                self.summary.deleted += 1
            elif href in cards or link.card:
                item = self._linked(href, link, person, cards.get(href))
                if item is not None:
                    items.append(item)
        matcher = _Matcher([p for u, p in people.items() if u not in linked])
        for href in sorted(set(cards) - set(links)):
            item = self._incoming(href, cards[href], matcher)
            if item is not None:
                items.append(item)
        gone = self.store.carddav.unlinked()
        for person in matcher.left():
            if person.uuid not in gone:
                items.append(self._outgoing(person))
        return items

    def _deleted_remotely(self, href: str, person: Person | None) -> _Item:
        item = _Item(href, person, None, None, None, "", drop=True)
        if person is not None:
            item.unlink = True
            self.summary.unlinked += 1
        return item

    def _read(self, card: Card) -> C.ServerCard | None:
        try:
            parsed = C.parse(card.data, self.region, card.href)
        except C.CardError as exc:
            self.summary.skipped.append(f"{card.href}: {exc}")
            return None
        return parsed

    def _linked(
        self, href: str, link: repo.Link, person: Person, card: Card | None
    ) -> _Item | None:
        """A linked person: merge when either side changed since the last sync."""
        read = C.fields_of(person, self.note)
        local_changed = link.local is None or read != link.local or link.base is None
        if card is None and not local_changed:
            return None
        etag = card.etag if card is not None else link.etag
        data = card.data if card is not None else link.card
        remote = self._read(Card(href, etag, data, card.modified if card else ""))
        if remote is None:
            return None
        item = _Item(href, person, read, link.base, remote, etag)
        item.remote_time = C.edit_time(remote, card.modified if card else "")
        self._merge(item)
        return item

    def _incoming(self, href: str, card: Card, matcher: _Matcher) -> _Item | None:
        remote = self._read(card)
        if remote is None:
            return None
        person = matcher.take(remote)
        read = C.fields_of(person, self.note) if person is not None else None
        item = _Item(href, person, read, None, remote, card.etag)
        item.remote_time = C.edit_time(remote, card.modified)
        self._merge(item)
        return item

    def _outgoing(self, person: Person) -> _Item:
        href = self.client.key(self.book, f"{person.uuid}.vcf")
        read = C.fields_of(person, self.note)
        item = _Item(href, person, read, None, None, "")
        item.result = C.canon(read, self.region)
        item.send = C.render(item.result, "3.0", person.uuid)
        return item

    def _merge(self, item: _Item) -> None:
        """item.result, conflicts and the card to send, from base, netapp and the server."""
        assert item.remote is not None
        remote = item.remote.fields(self.note, self.region)
        if item.person is None:  # a new person from the server
            item.result = remote
            return
        assert item.read is not None
        local = C.canon(item.read, self.region)
        local_time = C.parse_time(item.person.updated_at)
        newer = item.remote_time is None or (
            local_time is not None and local_time > item.remote_time
        )
        merged = merge(item.base, local, remote, local_newer=newer)
        item.result = C.canon(merged.fields, self.region)
        item.conflicts = merged.conflicts
        changed = {k for k in item.result if item.result[k] != remote.get(k)}
        item.send = C.patch(item.remote, item.result, changed, self.region) if changed else None
        both = item.base is None or (local != item.base and remote != item.base)
        if both and local != remote:
            self.summary.merged += 1

    def _tally(self, items: list[_Item]) -> None:
        """A dry run's summary: what the plan would send and change."""
        for item in items:
            self.summary.sent += item.send is not None
            self.summary.conflicts += len(item.conflicts)
            if item.result is None or item.drop or item.delete:
                continue
            if item.read is None or C.changes(C.canon(item.read, self.region), item.result):
                self.summary.received += 1

    # -- 3. server ----------------------------------------------------------------------------

    def _send(self, items: list[_Item]) -> None:
        todo = [i for i in items if i.send is not None or i.delete]
        for n, item in enumerate(todo, start=1):
            self.progress("Sending changes", n, len(todo))
            if item.delete:
                self._delete(item)
            else:
                self._put(item)
        self._read_back([i for i in todo if i.sent_etag])

    def _read_back(self, sent: list[_Item]) -> None:
        """The cards as the server stored them (servers reorder and refold what they get), so
        the next patch starts from the server's bytes. A card changed again meanwhile is left
        unknown: the next sync fetches it."""
        by_href = {i.href: i for i in sent}
        for card in self.client.multiget(self.book, list(by_href)):
            item = by_href.get(card.href)
            if item is not None:
                item.card = card.data if card.etag == item.sent_etag else b""

    def _put(self, item: _Item) -> None:
        for _ in range(RETRIES):
            assert item.send is not None
            try:
                item.sent_etag = self.client.put(self.book, item.href, item.send, item.etag or None)
            except DavError as exc:
                if not isinstance(exc, PreconditionFailed):
                    self._refused(item, exc)
                    return
                if not self._refetch(item):
                    return
                if item.send is None:  # the server already holds the merged result
                    return
                continue
            if not item.sent_etag:  # the server did not say: read it back
                again = self.client.get(self.book, item.href)
                if again is not None:
                    item.sent_etag = again.etag
            self.summary.sent += 1
            return
        item.send, item.result = None, None  # left for the next sync
        self.left = True

    def _refused(self, item: _Item, exc: DavError) -> None:
        """The server refused this one card: named in the summary, left for the next sync."""
        if exc.status not in REFUSED:
            raise exc
        who = item.person.display_name if item.person is not None else item.href
        self.summary.skipped.append(f"{who}: not sent: {exc}")
        item.send, item.result = None, None
        self.left = True

    def _refetch(self, item: _Item) -> bool:
        """The card changed on the server meanwhile: read it again and merge again."""
        card = self.client.get(self.book, item.href)
        if card is None:  # deleted meanwhile: send it as a new card
            item.etag = ""
            return True
        remote = self._read(card)
        if remote is None:
            item.result, item.send = None, None
            self.left = True
            return False
        item.etag, item.remote = card.etag, remote
        item.remote_time = C.edit_time(remote, card.modified)
        self._merge(item)
        return True

    def _delete(self, item: _Item) -> None:
        try:
            self.client.delete(self.book, item.href, item.etag)
        except PreconditionFailed:  # edited on the server meanwhile: removed from netapp wins
            card = self.client.get(self.book, item.href)
            if card is not None:
                self.client.delete(self.book, item.href, card.etag)
        item.drop = True

    # -- 4. netapp ----------------------------------------------------------------------------

    def _apply(self, items: list[_Item], token: str) -> None:
        when = self.now.isoformat(timespec="seconds")
        total = len(items)
        with self.store.atomic():
            current = self.store.carddav.people([i.person.uuid for i in items if i.person])
            for n, item in enumerate(items, start=1):
                if n % 200 == 0:
                    self.progress("Saving in netapp", n, total)
                self._apply_one(item, current, when)
            acc = self.account
            if not self.left:
                acc.token = token
            acc.last_sync, acc.last_result = when, self.summary.line()
            self.store.carddav.save_account(acc)
            self.store.changed(
                Topic.PEOPLE, [i.person.id for i in items if i.person and i.person.id]
            )

    def _apply_one(self, item: _Item, current: dict[str, Person], when: str) -> None:
        if item.drop:
            if item.unlink and item.person is not None:
                self.store.carddav.unlink(item.href, item.person.uuid, when)
            else:
                self.store.carddav.drop_link(item.href)
            return
        if item.result is None:
            return
        person = item.person
        if person is not None:
            now = current.get(person.uuid)
            if now is None or C.fields_of(now, self.note) != item.read:
                self.summary.postponed += 1  # edited (or removed) in netapp during the sync
                self.left = True
                return
            stored = self._update(now, item)
        else:
            stored = self._create(item)
        etag = item.sent_etag or item.etag
        card = item.card or (b"" if item.remote is None else b"\r\n".join(item.remote.lines))
        link = repo.Link(item.href, stored.uuid, etag, item.result,
                         C.fields_of(stored, self.note), card, when)  # fmt: skip
        self.store.carddav.put_link(link)
        for conflict in item.conflicts:
            self._record(stored, conflict, when)

    def _update(self, person: Person, item: _Item) -> Person:
        assert item.result is not None and item.read is not None
        writes = C.changes(C.canon(item.read, self.region), item.result)
        if not writes:
            return person
        assert person.id is not None
        stored = self.store.people.update(person.id, phone_region=self.region, **writes)
        self.summary.received += 1
        return stored

    def _create(self, item: _Item) -> Person:
        assert item.result is not None
        new = C.with_fields(Person(source="carddav"), item.result)
        pid = self.store.people.add(new, phone_region=self.region)
        self.summary.received += 1
        return self.store.people.get(pid)

    def _record(self, person: Person, conflict: Conflict, when: str) -> None:
        """The losing value of a conflict, in the person's timeline."""
        assert person.id is not None
        what = C.FIELD_NAMES.get(conflict.field, conflict.field)
        kept, other = ("netapp", "the server") if conflict.kept_local else ("the server", "netapp")
        text = (
            f"{what} changed on both sides: kept {_show(conflict.kept)} from {kept} (newer); "
            f"{other} had {_show(conflict.lost)}"
        )
        self.store.carddav.add_event(person.id, when, SOURCE, text)
        self.summary.conflicts += 1


def _show(value: Any) -> str:
    if isinstance(value, list):
        parts = [_show(v) for v in value if v not in ("", None, [])]
        return " / ".join(parts) if parts else "(empty)"
    return repr(value) if value not in ("", None) else "(empty)"


class _Matcher:
    """People without a card, found by a new card's UID, then one shared email or phone."""

    def __init__(self, people: list[Person]) -> None:
        self.free = {p.uuid: p for p in people}
        self.emails: dict[str, list[str]] = {}
        self.phones: dict[str, list[str]] = {}
        for p in people:
            for e in p.emails:
                self.emails.setdefault(e.address.casefold(), []).append(p.uuid)
            for ph in p.phones:
                if ph.valid:
                    self.phones.setdefault(ph.number, []).append(p.uuid)

    def take(self, card: C.ServerCard) -> Person | None:
        uid = card.uid.removeprefix("urn:uuid:").lower()
        found = uid if uid in self.free else None
        for index, keys in (
            (self.emails, [e.address.casefold() for e in card.person.emails]),
            (self.phones, [ph.number for ph in card.person.phones if ph.valid]),
        ):
            for key in keys:
                if found is None:
                    owners = [u for u in dict.fromkeys(index.get(key, [])) if u in self.free]
                    found = owners[0] if len(owners) == 1 else None
        return self.free.pop(found) if found else None

    def left(self) -> list[Person]:
        return list(self.free.values())
