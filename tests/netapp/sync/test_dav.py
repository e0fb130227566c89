"""The CardDAV protocol client against a real Radicale server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from netapp.sync.carddav import dav
from netapp.sync.carddav.dav import DavClient
from tests.netapp.sync.conftest import Account
from tests.netapp.sync.radicale import RadicaleServer, free_port


def card(uid: str, name: str, extra: str = "") -> bytes:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:;{name};;;\r\n{extra}"
        "END:VCARD\r\n"
    ).encode()


@pytest.fixture
def client(account: Account) -> DavClient:
    return DavClient(account.url, account.user, account.password)


@pytest.fixture
def book(client: DavClient) -> str:
    home, _ = client.discover()
    return client.create_address_book(home, "Contacts").url


def test_discovery_from_the_server_root_finds_the_home_and_new_books(client: DavClient) -> None:
    """From the bare server URL: principal, address-book home; a created book is listed there."""
    home, books = client.discover()
    assert home.endswith(f"/{client.user}/") and books == []
    made = client.create_address_book(home, "netapp people")
    assert made.sync and made.name == "netapp people"
    assert client.discover() == (home, [made])


def test_an_address_book_url_is_used_as_given(client: DavClient, book: str) -> None:
    """A URL that is already an address book is that book (no guessing of another one)."""
    other = DavClient(book, client.user, client._password)
    _, books = other.discover()
    assert [b.url for b in books] == [book]


def test_creating_a_book_that_exists_says_so(client: DavClient, book: str) -> None:
    """A second MKCOL of the same name is refused with a sentence, not an HTTP code."""
    home, _ = client.discover()
    with pytest.raises(dav.DavError, match="already exists"):
        client.create_address_book(home, "Contacts")


def test_sync_collection_gives_the_whole_book_then_deltas(client: DavClient, book: str) -> None:
    """No token: every card; with the token: only what changed and what was deleted since."""
    keys = [client.key(book, f"{n}.vcf") for n in range(3)]
    etags = [client.put(book, k, card(str(n), f"P{n}"), None) for n, k in enumerate(keys)]
    first = client.sync_collection(book, "")
    assert first.changed == dict(zip(keys, etags, strict=True)) and not first.deleted
    new_etag = client.put(book, keys[0], card("0", "P0 changed"), etags[0])
    client.delete(book, keys[1], etags[1])
    delta = client.sync_collection(book, first.token)
    assert delta.changed == {keys[0]: new_etag} and delta.deleted == {keys[1]}
    assert client.sync_collection(book, delta.token).changed == {}


def test_a_refused_sync_token_is_its_own_error(client: DavClient, book: str) -> None:
    """A token the server does not know raises InvalidSyncToken (the caller lists in full)."""
    with pytest.raises(dav.InvalidSyncToken):
        client.sync_collection(book, "http://radicale.org/ns/sync/0000")


def test_full_listing_and_multiget_in_batches(client: DavClient, book: str) -> None:
    """PROPFIND lists every card with its ETag; multiget fetches them, two per request."""
    keys = [client.key(book, f"c{n}.vcf") for n in range(5)]
    for n, key in enumerate(keys):
        client.put(book, key, card(f"c{n}", f"Card {n}"), None)
    listing = client.list_cards(book)
    assert sorted(listing) == sorted(keys)
    before = client.requests
    got = {c.href: c for c in client.multiget(book, keys, batch=2)}
    assert client.requests - before == 3
    assert {k: c.etag for k, c in got.items()} == listing
    assert b"FN:Card 3" in got[keys[3]].data


def test_writes_are_conditional(client: DavClient, book: str) -> None:
    """Create refuses to overwrite (If-None-Match: *); update and delete need the current ETag."""
    key = client.key(book, "x.vcf")
    etag = client.put(book, key, card("x", "First"), None)
    with pytest.raises(dav.PreconditionFailed):
        client.put(book, key, card("x", "Second"), None)
    newer = client.put(book, key, card("x", "Second"), etag)
    with pytest.raises(dav.PreconditionFailed):
        client.put(book, key, card("x", "Third"), etag)
    with pytest.raises(dav.PreconditionFailed):
        client.delete(book, key, etag)
    got = client.get(book, key)
    assert got is not None and got.etag == newer and b"FN:Second" in got.data
    client.delete(book, key, newer)
    assert client.get(book, key) is None


def test_hrefs_with_spaces_and_non_ascii_round_trip(client: DavClient, book: str) -> None:
    """A card named with a space and an accent is stored, listed and fetched under one key."""
    key = client.key(book, "Zoë Ann.vcf")
    client.put(book, key, card("z", "Zoë"), None)
    assert list(client.list_cards(book)) == [key]
    assert [c.href for c in client.multiget(book, [key])] == [key]


def test_a_wrong_password_is_named(account: Account) -> None:
    """401 becomes AuthFailed naming the user, not an HTTP code."""
    bad = DavClient(account.url, account.user, "not-the-password")
    with pytest.raises(dav.AuthFailed, match=f"password for user '{account.user}'"):
        bad.discover()


def test_an_unreachable_server_is_named() -> None:
    """Nothing listening on the port: Unreachable naming host and port."""
    port = free_port()
    with pytest.raises(dav.Unreachable, match=f"cannot reach 127.0.0.1:{port}"):
        DavClient(f"http://127.0.0.1:{port}/", "u", "p").discover()


def test_plain_http_to_another_machine_is_refused() -> None:
    """The password would cross the network in clear: refused unless allowed."""
    with pytest.raises(dav.DavError, match="not encrypted"):
        dav.check_url("http://dav.example.org/")
    assert dav.check_url("http://dav.example.org/x", allow_http=True) == "http://dav.example.org/x/"
    assert dav.check_url("http://127.0.0.1:5232") == "http://127.0.0.1:5232/"
    with pytest.raises(dav.DavError, match="not a server address"):
        dav.check_url("dav.example.org")


def test_xml_with_a_dtd_is_refused() -> None:
    """Entity expansion is not attempted: a multistatus declaring a DTD is refused."""
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><multistatus xmlns="DAV:"/>'
    with pytest.raises(dav.DavError, match="DTD"):
        dav.parse_multistatus(bomb, "REPORT")
    with pytest.raises(dav.DavError, match="not valid XML"):
        dav.parse_multistatus(b"<multistatus", "REPORT")


@pytest.fixture
def tls_radicale(tmp_path: Path) -> Iterator[tuple[RadicaleServer, Path]]:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert.private_key_pem.write_to_path(str(tmp_path / "key.pem"))
    cert.cert_chain_pems[0].write_to_path(str(tmp_path / "cert.pem"))
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    server = RadicaleServer(tmp_path / "srv", cert=(tmp_path / "cert.pem", tmp_path / "key.pem"))
    server.add_user("ann", "pw")
    server.start()
    yield server, tmp_path / "ca.pem"
    server.stop()


def test_an_untrusted_certificate_is_named_and_a_given_ca_is_trusted(
    tls_radicale: tuple[RadicaleServer, Path],
) -> None:
    """A certificate from an unknown authority: CertificateProblem; with its CA file: works."""
    server, ca = tls_radicale
    with pytest.raises(dav.CertificateProblem, match="cannot be trusted"):
        DavClient(server.url, "ann", "pw").discover()
    home, _ = DavClient(server.url, "ann", "pw", ca_file=str(ca)).discover()
    assert home.startswith("https://127.0.0.1")
