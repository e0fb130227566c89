"""Setting up a CardDAV account, its password, and running a sync: what the CLI and the app call.

The password is never stored in the database: it comes from ``NETAPP_CARDDAV_PASSWORD`` when
that is set, else from the OS keyring (``keyring``), under the service ``netapp-carddav`` and
the name ``user@server``. Nothing here opens a connection unless an account is set up.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass

from netapp.errors import NetappError
from netapp.store import Store
from netapp.store import carddav as repo
from netapp.sync.carddav.dav import AddressBook, DavClient, check_url
from netapp.sync.carddav.run import CardDavSync, Progress, Summary

PASSWORD_ENV = "NETAPP_CARDDAV_PASSWORD"
KEYRING_SERVICE = "netapp-carddav"
DEFAULT_BOOK = "netapp"


class NotSetUp(NetappError):
    """No CardDAV account is set up in this database."""

    def __init__(self) -> None:
        super().__init__("CardDAV sync is not set up: netapp sync carddav add URL --user NAME")


class NoPassword(NetappError):
    """Neither the environment nor the keyring has the password."""


class ChooseBook(NetappError):
    """The server has several address books and none was named."""

    def __init__(self, books: list[AddressBook]) -> None:
        self.books = books
        names = ", ".join(repr(b.name) for b in books)
        super().__init__(f"the server has several address books ({names}); choose one by name")


def _keyring_name(user: str, server: str) -> str:
    return f"{user}@{server}"


def get_password(user: str, server: str) -> str:
    """The password from the environment, else the keyring. NoPassword when neither has it."""
    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            found = keyring.get_password(KEYRING_SERVICE, _keyring_name(user, server))
        except KeyringError as exc:
            raise NoPassword(f"the OS keyring cannot be read ({exc}); set {PASSWORD_ENV}") from None
    except ImportError:  # pragma: no cover - keyring is a dependency
        found = None
    if not found:
        raise NoPassword(
            f"no password for {user} at {server} in the OS keyring; set {PASSWORD_ENV}"
        )
    return found


def save_password(user: str, server: str, password: str) -> None:
    """Keep the password in the OS keyring. NoPassword when there is no usable keyring."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, _keyring_name(user, server), password)
    except KeyringError as exc:
        raise NoPassword(
            f"the password cannot be kept: no OS keyring ({exc}); set {PASSWORD_ENV} instead"
        ) from None


def delete_password(user: str, server: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    with contextlib.suppress(KeyringError):
        keyring.delete_password(KEYRING_SERVICE, _keyring_name(user, server))


@dataclass(frozen=True)
class Connection:
    """What the user types to connect: the server, the user, and how to trust it."""

    url: str
    user: str
    password: str
    allow_http: bool = False
    ca_file: str = ""

    def client(self) -> DavClient:
        return DavClient(self.url, self.user, self.password, allow_http=self.allow_http,
                         ca_file=self.ca_file)  # fmt: skip


def test_connection(conn: Connection) -> list[AddressBook]:
    """Discover the address books; raises a DavError saying what is wrong."""
    with conn.client() as client:
        return client.discover()[1]


def add_account(
    store: Store, conn: Connection, book: str = "", keep_password: bool = True
) -> repo.Account:
    """Connect, pick the address book named ``book`` (created when missing), save the account.

    With no name: the only address book, or a new one named "netapp" when there is none;
    ChooseBook when there are several."""
    check_url(conn.url, conn.allow_http)
    with conn.client() as client:
        home, books = client.discover()
        chosen = _pick(client, home, books, book)
    if keep_password and not os.environ.get(PASSWORD_ENV):
        save_password(conn.user, conn.url, conn.password)
    acc = repo.Account(conn.url, chosen.url, conn.user, conn.allow_http, conn.ca_file)
    with store.atomic():
        old = store.carddav.account()
        if old is not None and (old.book, old.user) != (acc.book, acc.user):
            store.carddav.remove_account()  # another address book: links to the old one mean nothing
        store.carddav.save_account(acc)
    return acc


def _pick(client: DavClient, home: str, books: list[AddressBook], name: str) -> AddressBook:
    if name:
        for b in books:
            if name in (b.name, b.url) or b.url.rstrip("/").endswith("/" + name.strip("/")):
                return b
        return client.create_address_book(home, name)
    if len(books) == 1:
        return books[0]
    if not books:
        return client.create_address_book(home, DEFAULT_BOOK)
    raise ChooseBook(books)


def remove_account(store: Store) -> None:
    acc = store.carddav.account()
    store.carddav.remove_account()
    if acc is not None:
        delete_password(acc.user, acc.server)


def account(store: Store) -> repo.Account | None:
    return store.carddav.account()


def sync(
    store: Store,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    password: str | None = None,
) -> Summary:
    """Sync the store with its address book. NotSetUp when there is no account."""
    acc = store.carddav.account()
    if acc is None:
        raise NotSetUp()
    secret = password if password is not None else get_password(acc.user, acc.server)
    conn = Connection(acc.book, acc.user, secret, acc.allow_http, acc.ca_file)
    include_note = bool(store.settings["carddav.include_note"])
    with conn.client() as client:
        return CardDavSync(
            store, client, acc, include_note=include_note, dry_run=dry_run, progress=progress
        ).run()
