"""CardDAV sync against a real Radicale on 127.0.0.1 (issue 18).

Figures, each next to a floor measured in the same run against the same server:

* **first sync** of 5,000 people into an empty address book (every card created with
  ``If-None-Match: *``, one PUT each, as CardDAV requires). Floor: a bare httpx client PUTting
  the same 5,000 cards, already rendered, into another empty address book: what the server
  itself costs.
* **no-change sync**: nothing changed on either side. Floor: the one ``sync-collection``
  REPORT with the current token that any client must send to learn that nothing changed.
* **delta sync**: the titles of 50 cards edited on the phone since the last sync; netapp takes
  them in (50 people updated in one transaction). Floor: that REPORT plus one
  ``addressbook-multiget`` of the 50 cards (the least a client must fetch).

The first sync is timed once (5,000 PUTs take minutes on this server); the no-change and delta
figures reuse its store and address book.

Radicale is the test server (``pip install radicale``, a test dependency); the module is
skipped where it is missing. ``--quick`` uses 200 people.
"""

from __future__ import annotations

import itertools
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import Config, Figure, measure_pair, median, ms

TITLE = "carddav sync"
GOALS = {"first": 1.5, "nochange": 25.0, "delta": 6.0}
EDITS = 50


def available(cfg: Config) -> str:
    try:
        import radicale  # noqa: F401

        from tests.netapp.sync.radicale import RadicaleServer  # noqa: F401
    except ImportError as exc:
        return f"radicale is not installed ({exc})"
    return ""


def _people(count: int) -> list[Any]:
    from netapp.domain import Email, Person, Phone

    return [
        Person(
            display_name=f"Bench Person{n:05d}",
            org=f"Org {n % 300}",
            title="Director" if n % 3 else "Owner",
            emails=[Email(f"person{n}@bench.example", "work")],
            phones=[Phone(f"+1415555{n % 10000:04d}", "mobile")],
            tags=["bni"] if n % 4 == 0 else [],
        )
        for n in range(count)
    ]


class _Bench:
    """One Radicale, a user per measured run, and a netapp store per first sync."""

    def __init__(self, tmp: Path, count: int) -> None:
        from tests.netapp.sync.radicale import RadicaleServer

        self.tmp, self.count = tmp, count
        self.server = RadicaleServer(tmp / "radicale").start()
        self.users = itertools.count(1)
        self.people = _people(count)

    def user(self) -> tuple[str, str]:
        name = f"bench{next(self.users)}"
        self.server.add_user(name, "pw")
        return name, "pw"

    def linked_store(self) -> tuple[Any, str, str]:
        """A new store with the people, set up with a fresh user's address book."""
        from netapp.store import Store
        from netapp.sync.carddav.account import Connection, add_account

        user, password = self.user()
        store = Store(self.tmp / f"{user}.db")
        store.people.add_many(self.people)
        add_account(store, Connection(self.server.url, user, password), keep_password=False)
        return store, user, password

    def bare_book(self) -> tuple[Any, str]:
        """A bare httpx client on a fresh user's new, empty address book."""
        import httpx

        from netapp.sync.carddav.dav import DavClient

        user, password = self.user()
        client = DavClient(self.server.url, user, password)
        home, _ = client.discover()
        book = client.create_address_book(home, "floor").url
        client.close()
        return httpx.Client(auth=(user, password)), book


def _first(bench: _Bench) -> tuple[Figure, _Synced]:
    """The first sync, timed once against the floor; the synced store is kept for the others
    (a 5,000-card upload takes minutes on this server: it is done twice, not once per figure)."""
    from netapp.sync.carddav import cards as C
    from netapp.sync.carddav.account import sync

    rendered = [
        (p.uuid or f"bench-{n}", C.render(C.fields_of(p, False), "3.0", f"bench-{n}"))
        for n, p in enumerate(bench.people)
    ]
    synced = _Synced(*bench.linked_store())  # set up, not timed: the sync alone is

    def figure() -> None:
        summary = sync(synced.store, password=synced.password)
        if summary.sent != bench.count:
            raise AssertionError(f"first sync sent {summary.sent} of {bench.count}")

    def floor() -> None:
        client, book = bench.bare_book()
        with client:
            for name, data in rendered:
                answer = client.put(f"{book}{name}.vcf", content=data,
                                    headers={"If-None-Match": "*", "Content-Type": "text/vcard"})  # fmt: skip
                answer.raise_for_status()

    runs, floors = measure_pair(figure, floor, 1, 0)
    fig = Figure("CardDAV first sync", ms(median(runs)), "ms", ms(median(floors)),
                 GOALS["first"], size=f"{bench.count:,} people",
                 floor_desc="a bare client PUTting the same cards, one request each",
                 detail={"runs_ms": [round(ms(x)) for x in runs]})  # fmt: skip
    return fig, synced


def _report(client: Any, book: str, token: str) -> str:
    import re

    body = (
        '<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:">'
        f"<d:sync-token>{token}</d:sync-token><d:sync-level>1</d:sync-level>"
        "<d:prop><d:getetag/></d:prop></d:sync-collection>"
    )
    answer = client.request("REPORT", book, content=body, headers={"Depth": "0"})
    answer.raise_for_status()
    found = re.search(r"<[^>]*sync-token>([^<]+)<", answer.text)
    return found[1] if found else token


class _Synced:
    """A store after its first sync, and a bare client on the same address book."""

    def __init__(self, store: Any, user: str, password: str) -> None:
        import httpx

        self.store, self.user, self.password = store, user, password
        self.client = httpx.Client(auth=(user, password))

    @property
    def book(self) -> str:
        return str(self.store.carddav.account().book)

    @property
    def token(self) -> str:
        return str(self.store.carddav.account().token)

    def close(self) -> None:
        self.client.close()
        self.store.close()


def _nochange(synced: _Synced, count: int, repeats: int, warmup: int) -> Figure:
    from netapp.sync.carddav.account import sync

    sync(synced.store, password=synced.password)  # takes in the first sync's own writes
    token = synced.token  # the current token: the floor's REPORT then lists nothing

    def figure() -> None:
        summary = sync(synced.store, password=synced.password)
        if summary.sent or summary.received:
            raise AssertionError(f"a no-change sync moved cards: {summary.line()}")

    def floor() -> None:
        _report(synced.client, synced.book, token)

    runs, floors = measure_pair(figure, floor, repeats, warmup)
    return Figure("CardDAV no-change sync", ms(median(runs)), "ms", ms(median(floors)),
                  GOALS["nochange"], size=f"{count:,} people",
                  floor_desc="one sync-collection REPORT with the current token",
                  detail={"runs_ms": [round(ms(x), 1) for x in runs]})  # fmt: skip


def _delta(bench: _Bench, synced: _Synced, repeats: int) -> Figure:
    """The phone changes the title of EDITS cards; the sync brings them into netapp."""
    import re

    from netapp.sync.carddav.account import sync
    from netapp.sync.carddav.dav import DavClient

    phone = DavClient(bench.server.url, synced.user, synced.password)
    book = synced.book
    hrefs = sorted(synced.store.carddav.links())[:EDITS]
    runs: list[float] = []
    floors: list[float] = []
    try:
        for n in range(1, repeats + 1):
            token = synced.token
            for card in list(phone.multiget(book, hrefs)):
                data = re.sub(rb"(?m)^TITLE:[^\r\n]*", f"TITLE:Bench {n}".encode(), card.data)
                phone.put(book, card.href, data, card.etag)
            t0 = time.perf_counter()
            _report(synced.client, book, token)
            list(phone.multiget(book, hrefs))
            floors.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            summary = sync(synced.store, password=synced.password)
            runs.append(time.perf_counter() - t0)
            if (summary.received, summary.sent) != (EDITS, 0):
                raise AssertionError(f"a delta of {EDITS} titles: {summary.line()}")
    finally:
        phone.close()
    return Figure("CardDAV delta sync", ms(median(runs)), "ms", ms(median(floors)),
                  GOALS["delta"], size=f"{EDITS} of {bench.count:,} cards edited",
                  floor_desc="that REPORT plus one multiget of the edited cards",
                  detail={"runs_ms": [round(ms(x), 1) for x in runs]})  # fmt: skip


def run(cfg: Config) -> list[Figure]:
    count = 200 if cfg.quick else 5_000
    with tempfile.TemporaryDirectory(prefix="netapp-bench-carddav-") as tmp:
        bench = _Bench(Path(tmp), count)
        synced: _Synced | None = None
        try:
            first, synced = _first(bench)
            return [
                first,
                _nochange(synced, count, max(1, cfg.repeats), cfg.warmup),
                _delta(bench, synced, max(1, min(cfg.repeats, 5))),
            ]
        finally:
            if synced is not None:
                synced.close()
            bench.server.stop()
