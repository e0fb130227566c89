"""The same client and sync against sabre/dav's ways (Nextcloud, Baïkal), replayed on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from netapp.domain import Email, Person
from netapp.store import Store
from netapp.sync.carddav.account import Connection, add_account, sync
from netapp.sync.carddav.dav import DavClient
from tests.netapp.sync.sabre import PRODID, SabreLike


@pytest.fixture
def sabre() -> Iterator[SabreLike]:
    server = SabreLike(page=2).start()
    yield server
    server.stop()


def card(uid: str, name: str) -> bytes:
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Phone//EN\r\nUID:{uid}\r\nFN:{name}\r\n"
            f"N:{name.split()[-1]};{name.split()[0]};;;\r\nX-PHONE:kept\r\nEND:VCARD\r\n").encode()  # fmt: skip


def test_discovery_follows_the_well_known_redirect(sabre: SabreLike) -> None:
    """From the bare server: /.well-known/carddav -> /remote.php/dav/ -> principal -> home."""
    home, books = DavClient(sabre.url, "ann", "pw").discover()
    assert home.endswith("/remote.php/dav/addressbooks/users/ann/")
    assert [(b.name, b.sync) for b in books] == [("Contacts", True)]
    assert "PROPFIND /.well-known/carddav" in sabre.requests


def test_sync_collection_follows_truncation_to_the_end(sabre: SabreLike) -> None:
    """Five cards, two per answer (507): three requests give all five and one token."""
    for n in range(5):
        sabre.change(f"c{n}.vcf", card(f"c{n}", f"Card N{n}"))
    client = DavClient(sabre.url, "ann", "pw")
    book = sabre.url.rstrip("/") + sabre.book
    before = len(sabre.requests)
    delta = client.sync_collection(book, "")
    assert len(delta.changed) == 5 and len(sabre.requests) - before == 3
    sabre.change("c1.vcf", None)
    sabre.change("c2.vcf", card("c2", "Card Two"))
    sabre.change("c9.vcf", card("c9", "Card Nine"))
    again = client.sync_collection(book, delta.token)
    assert again.deleted == {sabre.book + "c1.vcf"}
    assert set(again.changed) == {sabre.book + "c2.vcf", sabre.book + "c9.vcf"}


def test_a_full_sync_against_sabre_quirks(store: Store, sabre: SabreLike) -> None:
    """Both ways, '@' in hrefs, PUTs answered without ETag, a refused token: all converge."""
    sabre.change("ann@phone.vcf", card("ann-phone", "Ann Phone"))
    for n in range(3):
        store.people.add(Person(display_name=f"Net Person{n}", emails=[Email(f"p{n}@x.example")]))
    add_account(store, Connection(sabre.url, "ann", "pw"), keep_password=False)
    first = sync(store, password="pw")
    assert (first.sent, first.received) == (3, 1)
    assert len(sabre.cards) == 4 and store.people.count() == 4
    links = store.carddav.links()
    assert all(link.card == sabre.cards[h.rsplit("/", 1)[-1]] for h, link in links.items())
    assert sync(store, password="pw").line().startswith("0 sent, 0 received")
    ann = store.people.find("Ann Phone")
    assert ann.id is not None
    store.people.update(ann.id, title="Chair")
    acc = store.carddav.account()
    assert acc is not None
    acc.token = "http://sabre.io/ns/sync/999999"
    store.carddav.save_account(acc)
    third = sync(store, password="pw")
    assert third.full_listing and third.sent == 1
    data = sabre.cards["ann@phone.vcf"]
    assert b"TITLE:Chair" in data and b"X-PHONE:kept" in data and data.count(b"PRODID") == 1
    assert not sync(store, password="pw").full_listing


def test_a_server_without_sync_collection_is_synced_by_etags(store: Store) -> None:
    """No sync-collection: a full listing compared by ETag finds edits and deletes both ways."""
    server = SabreLike(sync=False).start()
    try:
        server.change("phone-ann.vcf", card("ann-phone", "Ann Phone"))
        server.change("phone-bob.vcf", card("bob-phone", "Bob Phone"))
        store.people.add(Person(display_name="Net Nora", emails=[Email("nora@x.example")]))
        add_account(store, Connection(server.url, "ann", "pw"), keep_password=False)
        first = sync(store, password="pw")
        assert (first.sent, first.received, first.full_listing) == (1, 2, True)
        quiet = sync(store, password="pw")
        assert (quiet.sent, quiet.received, quiet.unlinked) == (0, 0, 0)
        server.change("phone-ann.vcf", card("ann-phone", "Ann Phone").replace(
            b"X-PHONE:kept", b"TITLE:Chair\r\nX-PHONE:kept"))  # fmt: skip
        server.change("phone-bob.vcf", None)
        nora = store.people.find("Net Nora")
        assert nora.id is not None
        store.people.update(nora.id, org="Acme")
        after = sync(store, password="pw")
        assert (after.sent, after.received, after.unlinked) == (1, 1, 1)
        assert store.people.find("Ann Phone").title == "Chair"
        assert store.people.find("Bob Phone").id is not None  # unlinked, kept
        (nora_card,) = [d for n, d in server.cards.items() if not n.startswith("phone-")]
        assert b"ORG:Acme" in nora_card
        assert not store.carddav.account().token  # type: ignore[union-attr]
    finally:
        server.stop()


def test_a_card_the_server_refuses_is_named_and_the_rest_synced(
    store: Store, sabre: SabreLike
) -> None:
    """403 on one PUT: that person is named in the summary, the others are sent, nothing fails."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    store.people.add(Person(display_name="Bo Chen"))
    sabre.refuse.add(f"{store.people.get(ann).uuid}.vcf")
    add_account(store, Connection(sabre.url, "ann", "pw"), keep_password=False)
    first = sync(store, password="pw")
    assert first.sent == 1 and len(sabre.cards) == 1
    (reason,) = first.skipped
    assert reason.startswith("Ann Lee: not sent: 127.0.0.1:") and "403 Forbidden to PUT" in reason
    assert len(store.carddav.links()) == 1
    sabre.refuse.clear()
    second = sync(store, password="pw")
    assert (second.sent, second.skipped) == (1, []) and len(sabre.cards) == 2
    assert len(store.carddav.links()) == 2


def test_prodid_fixture_is_what_the_server_adds() -> None:
    """The fixture's rewrite is a PRODID line, as sabre/vobject adds to cards without one."""
    assert PRODID.startswith(b"PRODID:-//Sabre//Sabre VObject")
