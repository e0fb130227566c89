"""Two-way CardDAV sync against a real Radicale server: every case issue 18 lists."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from netapp.domain import Email, Person, Phone
from netapp.safety.forget import forget_person
from netapp.store import Store
from netapp.store import carddav as repo
from netapp.sync.carddav import dav
from netapp.sync.carddav.account import Connection, add_account, sync
from netapp.sync.carddav.dav import DavClient
from netapp.sync.carddav.run import Summary
from tests.netapp.sync.conftest import Account
from tests.netapp.sync.radicale import RadicaleServer

PHONE_CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\n"
    "UID:{uid}\r\nN:{family};{given};;;\r\nFN:{given} {family}\r\n"
    "item1.EMAIL;type=INTERNET;type=pref:{email}\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n"
    "TEL;type=CELL;type=VOICE;type=pref:+1 (415) 555-0{n:03d}\r\n"
    "item2.ADR;type=HOME;type=pref:;;1 Market St;San Francisco;CA;94105;USA\r\n"
    "item2.X-ABADR:us\r\nX-SOCIALPROFILE;type=twitter:https://twitter.com/{given}\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLD\r\n"
    " BkSEx8UFh0aHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8=\r\n"
    "X-ANNIVERSARY:2010-06-01\r\nREV:{rev}\r\nEND:VCARD\r\n"
)


def phone_card(
    uid: str, given: str, family: str, n: int, rev: str = "2020-01-01T00:00:00Z"
) -> bytes:
    email = f"{given.lower()}@phone.example"
    return PHONE_CARD.format(
        uid=uid, given=given, family=family, email=email, n=n, rev=rev
    ).encode()


def content_lines(data: bytes) -> list[bytes]:
    """A card's content lines, unfolded, without line endings (as a server may re-send them)."""
    return re.sub(rb"\r?\n[ \t]", b"", data.replace(b"\r\n", b"\n")).split(b"\n")


class Setup:
    """netapp's store linked to a fresh address book, and the 'phone': a second client."""

    def __init__(self, store: Store, account: Account) -> None:
        self.store = store
        self.account = account
        conn = Connection(account.url, account.user, account.password)
        self.book = add_account(store, conn, book="contacts", keep_password=False).book
        self.phone = DavClient(account.url, account.user, account.password)

    def sync(self, **kw: Any) -> Summary:
        return sync(self.store, password=self.account.password, **kw)

    def key(self, name: str) -> str:
        return self.phone.key(self.book, name)

    def put(self, name: str, data: bytes) -> str:
        return self.phone.put(self.book, self.key(name), data, None)

    def card(self, key: str) -> dav.Card:
        got = self.phone.get(self.book, key)
        assert got is not None, key
        return got

    def cards(self) -> dict[str, bytes]:
        keys = self.phone.list_cards(self.book)
        return {c.href: c.data for c in self.phone.multiget(self.book, keys)}

    def link_of(self, pid: int) -> repo.Link:
        uuid = self.store.people.get(pid).uuid
        return next(
            link for link in self.store.carddav.links().values() if link.person_uuid == uuid
        )

    def edit(self, key: str, old: bytes, new: bytes) -> None:
        card = self.card(key)
        assert old in card.data, (old, card.data)
        self.phone.put(self.book, key, card.data.replace(old, new), card.etag)


@pytest.fixture
def linked(store: Store, account: Account) -> Setup:
    return Setup(store, account)


def add(store: Store, name: str, **kw: Any) -> int:
    return store.people.add(Person(display_name=name, **kw))


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'people_fts%'"
            " AND name NOT LIKE 'sqlite_%'")]  # fmt: skip
        return {
            t: sorted(map(tuple, conn.execute(f'SELECT * FROM "{t}"')), key=repr) for t in tables
        }
    finally:
        conn.close()


def test_first_sync_goes_both_ways_then_a_second_sync_does_nothing(linked: Setup) -> None:
    """netapp's people become cards, the phone's cards become people; again: nothing moves."""
    ann = add(linked.store, "Ann Lee", org="Acme", title="CEO", emails=[Email("ann@acme.example")],
              phones=[Phone("+14155550100", "mobile")], tags=["bni"], birthday="1980-02-03")  # fmt: skip
    add(linked.store, "Bo Chen")
    linked.put("phone-1.vcf", phone_card("phone-1", "Cara", "Diaz", 1))
    first = linked.sync()
    assert (first.sent, first.received, first.conflicts, first.unlinked) == (2, 1, 0, 0)
    cards = linked.cards()
    assert len(cards) == 3
    ann_card = cards[linked.key(f"{linked.store.people.get(ann).uuid}.vcf")]
    for line in (b"FN:Ann Lee", b"ORG:Acme", b"TITLE:CEO", b"CATEGORIES:bni", b"BDAY:1980-02-03"):
        assert line in content_lines(ann_card)
    assert b"ann@acme.example" in ann_card and b"+14155550100" in ann_card
    cara = linked.store.people.find("Cara Diaz")
    assert cara.emails == [Email("cara@phone.example", "other")]
    assert [p.number for p in cara.phones] == ["+14155550001"] and cara.source == "carddav"
    second = linked.sync()
    assert (second.sent, second.received, second.merged, second.conflicts) == (0, 0, 0, 0)
    assert linked.cards() == cards


def test_an_edit_in_netapp_reaches_the_card_and_leaves_the_rest_byte_for_byte(
    linked: Setup,
) -> None:
    """Only the changed property's lines are replaced: photo, address, X- fields, labels and
    the untouched synced fields keep the exact bytes the server held."""
    key = linked.key("phone-1.vcf")
    linked.put("phone-1.vcf", phone_card("phone-1", "Cara", "Diaz", 1))
    held = linked.card(key).data  # as the server stored it (Radicale reorders properties)
    linked.sync()
    assert linked.card(key).data == held  # nothing changed: nothing sent
    cara = linked.store.people.find("Cara Diaz")
    assert cara.id is not None
    linked.store.people.update(cara.id, title="Head of Partnerships")
    summary = linked.sync()
    assert (summary.sent, summary.received) == (1, 0)
    now = linked.card(key).data
    assert b"TITLE:Head of Partnerships" in content_lines(now)
    before = [line for line in held.splitlines() if not line.startswith(b"REV:")]
    after = now.splitlines()
    assert all(line in after for line in before)
    assert sorted(line.split(b":")[0] for line in after if line not in before) == [b"REV", b"TITLE"]


def test_an_edit_on_the_phone_reaches_netapp(linked: Setup) -> None:
    """A title, a second email and a tag added on the phone are written to the person."""
    pid = add(linked.store, "Ann Lee", emails=[Email("ann@acme.example")])
    linked.sync()
    key = linked.key(f"{linked.store.people.get(pid).uuid}.vcf")
    linked.edit(key, b"END:VCARD", b"TITLE:Founder\r\nEMAIL;TYPE=home:ann@home.example\r\n"
                b"CATEGORIES:golf\r\nX-PHONE-ONLY:yes\r\nEND:VCARD")  # fmt: skip
    summary = linked.sync()
    assert (summary.sent, summary.received, summary.conflicts) == (0, 1, 0)
    ann = linked.store.people.get(pid)
    assert ann.title == "Founder" and ann.tags == ["golf"]
    assert [e.address for e in ann.emails] == ["ann@acme.example", "ann@home.example"]
    assert linked.sync().received == 0


def test_different_fields_edited_on_each_side_both_survive(linked: Setup) -> None:
    """netapp changes the title, the phone the organisation: the card and the person get both."""
    pid = add(linked.store, "Ann Lee", org="Acme", title="CEO")
    linked.sync()
    key = linked.key(f"{linked.store.people.get(pid).uuid}.vcf")
    linked.store.people.update(pid, title="Chair")
    linked.edit(key, b"ORG:Acme", b"ORG:Acme Holdings")
    summary = linked.sync()
    assert (summary.merged, summary.conflicts, summary.sent, summary.received) == (1, 0, 1, 1)
    ann = linked.store.people.get(pid)
    assert (ann.org, ann.title) == ("Acme Holdings", "Chair")
    lines = content_lines(linked.card(key).data)
    assert b"ORG:Acme Holdings" in lines and b"TITLE:Chair" in lines


@pytest.mark.parametrize("phone_newer", [True, False])
def test_the_same_field_on_both_sides_keeps_the_newer_and_records_the_other(
    linked: Setup, phone_newer: bool
) -> None:
    """Conflict: the newer edit wins on both sides; the loser is in the person's timeline."""
    pid = add(linked.store, "Ann Lee", title="CEO")
    linked.sync()
    key = linked.key(f"{linked.store.people.get(pid).uuid}.vcf")
    linked.store.people.update(pid, title="Chair")
    rev = "2999-01-01T00:00:00Z" if phone_newer else "2001-01-01T00:00:00Z"
    card = linked.card(key)
    edited = re.sub(rb"REV:[^\r\n]*", f"REV:{rev}".encode(), card.data)
    linked.phone.put(linked.book, key, edited.replace(b"TITLE:CEO", b"TITLE:Founder"), card.etag)
    summary = linked.sync()
    assert summary.conflicts == 1
    winner, loser = ("Founder", "Chair") if phone_newer else ("Chair", "Founder")
    assert linked.store.people.get(pid).title == winner
    assert f"TITLE:{winner}".encode() in content_lines(linked.card(key).data)
    [event] = linked.store.carddav.events(pid)
    assert f"kept '{winner}'" in event["text"] and f"'{loser}'" in event["text"]
    assert event["source"] == "carddav"


def test_a_card_deleted_on_the_phone_unlinks_the_person_and_keeps_them(linked: Setup) -> None:
    """The person and their history stay; they are not sent back; the summary says unlinked."""
    pid = add(linked.store, "Ann Lee")
    linked.sync()
    key = linked.key(f"{linked.store.people.get(pid).uuid}.vcf")
    linked.phone.delete(linked.book, key, linked.card(key).etag)
    summary = linked.sync()
    assert summary.unlinked == 1 and "1 unlinked" in summary.line()
    assert linked.store.people.get(pid).display_name == "Ann Lee"
    linked.store.people.update(pid, title="Still here")
    assert linked.sync().sent == 0 and linked.cards() == {}


def test_a_person_forgotten_in_netapp_is_deleted_on_the_server(linked: Setup) -> None:
    """Forget removes the person; the next sync deletes their card (and keeps the others)."""
    pid = add(linked.store, "Ann Lee", emails=[Email("ann@acme.example")])
    add(linked.store, "Bo Chen")
    linked.sync()
    key = linked.key(f"{linked.store.people.get(pid).uuid}.vcf")
    forget_person(linked.store, pid)
    row = linked.store.db.query("SELECT base, local, card FROM carddav_cards WHERE href = ?", [key])
    assert row == [{"base": "", "local": "", "card": b""}]  # nothing of Ann stays in the file
    summary = linked.sync()
    assert summary.deleted == 1
    assert key not in linked.cards() and len(linked.cards()) == 1
    assert linked.store.carddav.count_links() == 1


def test_a_refused_sync_token_falls_back_to_a_full_listing(linked: Setup) -> None:
    """With a token the server no longer knows, changes are found by ETag, nothing duplicated."""
    pid = add(linked.store, "Ann Lee", title="CEO")
    linked.sync()
    key = linked.key(f"{linked.store.people.get(pid).uuid}.vcf")
    acc = linked.store.carddav.account()
    assert acc is not None and acc.token
    acc.token = acc.token[:-8] + "00000000"
    linked.store.carddav.save_account(acc)
    linked.edit(key, b"TITLE:CEO", b"TITLE:Chair")
    linked.put("new.vcf", phone_card("new", "Eve", "Fox", 5))
    summary = linked.sync()
    assert summary.full_listing and (summary.received, summary.sent) == (2, 0)
    assert linked.store.people.get(pid).title == "Chair"
    assert linked.store.people.count() == 2
    fresh = linked.store.carddav.account()
    assert fresh is not None and fresh.token and fresh.token != acc.token  # a delta next time
    again = linked.sync()
    assert not again.full_listing and again.received == 0


def test_an_edit_on_the_server_between_read_and_write_is_merged_not_lost(linked: Setup) -> None:
    """412 race: the phone edits the card after netapp read it; netapp fetches, merges, retries."""
    pid = add(linked.store, "Ann Lee", org="Acme", title="CEO")
    linked.sync()
    key = linked.key(f"{linked.store.people.get(pid).uuid}.vcf")
    linked.store.people.update(pid, title="Chair")
    raced: list[int] = []

    def progress(what: str, done: int, total: int) -> None:
        if what.startswith("Sending") and not raced:
            linked.edit(key, b"ORG:Acme", b"ORG:Acme Holdings")
            raced.append(1)

    summary = linked.sync(progress=progress)
    assert raced and summary.sent == 1
    lines = content_lines(linked.card(key).data)
    assert b"ORG:Acme Holdings" in lines and b"TITLE:Chair" in lines
    ann = linked.store.people.get(pid)
    assert (ann.org, ann.title) == ("Acme Holdings", "Chair")
    assert linked.sync().sent == 0


def test_a_wrong_password_changes_nothing(linked: Setup, db_path: Path) -> None:
    """401: AuthFailed naming the user; the database is exactly as before."""
    add(linked.store, "Ann Lee")
    before = dump(db_path)
    with pytest.raises(dav.AuthFailed, match=linked.account.user):
        sync(linked.store, password="wrong")
    assert dump(db_path) == before


def test_a_dry_run_says_what_would_happen_and_changes_nothing(linked: Setup, db_path: Path) -> None:
    """--dry-run: the summary counts the plan; neither side is written."""
    add(linked.store, "Ann Lee")
    linked.put("phone-1.vcf", phone_card("phone-1", "Cara", "Diaz", 1))
    before = dump(db_path)
    summary = linked.sync(dry_run=True)
    assert summary.dry_run and (summary.sent, summary.received) == (1, 1)
    assert summary.line().startswith("would be: 1 sent, 1 received")
    assert dump(db_path) == before and len(linked.cards()) == 1


def test_a_new_phone_card_is_matched_to_the_same_person_by_email(linked: Setup) -> None:
    """First sync of an address book that already has the person: one person, one card."""
    pid = add(linked.store, "Cara Diaz", emails=[Email("cara@phone.example")], title="CTO")
    linked.put("phone-1.vcf", phone_card("phone-1", "Cara", "Diaz", 1))
    summary = linked.sync()
    assert linked.store.people.count() == 1 and len(linked.cards()) == 1
    assert summary.merged == 1 and summary.sent == 1
    cara = linked.store.people.get(pid)
    assert cara.title == "CTO" and [p.number for p in cara.phones] == ["+14155550001"]
    assert b"TITLE:CTO" in content_lines(linked.card(linked.key("phone-1.vcf")).data)


def test_a_person_edited_during_their_first_link_is_linked_next_time_not_doubled(
    linked: Setup,
) -> None:
    """Edited in netapp mid-sync: postponed, the token kept; the next sync links, no duplicate."""
    pid = add(linked.store, "Cara Diaz", emails=[Email("cara@phone.example")])
    add(linked.store, "Bo Chen")  # sent: the sync has something to send while Cara is edited
    linked.put("phone-1.vcf", phone_card("phone-1", "Cara", "Diaz", 1))

    def progress(what: str, _done: int, _total: int) -> None:
        if what.startswith("Sending") and linked.store.people.get(pid).org != "Acme":
            linked.store.people.update(pid, org="Acme")

    first = linked.sync(progress=progress)
    assert (first.postponed, first.sent) == (1, 1) and len(linked.store.carddav.links()) == 1
    assert not linked.store.carddav.account().token  # type: ignore[union-attr]
    second = linked.sync()
    assert second.postponed == 0 and second.sent == 1
    assert linked.store.people.count() == 2 and len(linked.cards()) == 2
    data = content_lines(linked.card(linked.key("phone-1.vcf")).data)
    assert b"ORG:Acme" in data and b"FN:Cara Diaz" in data
    assert linked.store.people.get(pid).phones[0].number == "+14155550001"
    assert linked.sync().line().startswith("0 sent, 0 received")


def test_the_note_stays_in_netapp_unless_included(linked: Setup) -> None:
    """Notes are not sent by default; with carddav.include_note they are."""
    pid = add(linked.store, "Ann Lee", note="Owes me a call about the referral")
    linked.sync()
    key = linked.key(f"{linked.store.people.get(pid).uuid}.vcf")
    assert b"NOTE" not in linked.card(key).data
    linked.store.settings.set("carddav.include_note", True)
    linked.sync()
    assert b"NOTE:Owes me a call about the referral" in content_lines(linked.card(key).data)


def test_a_group_card_and_a_broken_card_are_skipped_and_left_alone(linked: Setup) -> None:
    """A contact group is not a person: reported, not imported, not deleted."""
    group = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:g\r\nFN:Friends\r\nN:Friends;;;;\r\n"
             b"X-ADDRESSBOOKSERVER-KIND:group\r\nEND:VCARD\r\n")  # fmt: skip
    linked.put("group.vcf", group)
    summary = linked.sync()
    assert linked.store.people.count() == 0 and len(summary.skipped) == 1
    assert "group" in summary.skipped[0]
    assert linked.card(linked.key("group.vcf")).data == group


def test_a_server_that_goes_away_mid_sync_leaves_netapp_untouched(
    store: Store, own_radicale: RadicaleServer, db_path: Path
) -> None:
    """The server stops while netapp sends: nothing is applied locally; once it is back, the
    next sync completes without duplicates on either side."""
    own_radicale.add_user("ann", "pw")
    account = Account(own_radicale.url, "ann", "pw")
    linked = Setup(store, account)
    for n in range(6):
        add(store, f"Person {n}")
    linked.put("phone-1.vcf", phone_card("phone-1", "Cara", "Diaz", 1))
    before = dump(db_path)

    def progress(what: str, done: int, total: int) -> None:
        if what.startswith("Sending") and done == 3:
            own_radicale.stop()

    with pytest.raises(dav.Unreachable):
        linked.sync(progress=progress)
    assert dump(db_path) == before
    own_radicale.start(port=own_radicale.port)
    summary = linked.sync()
    assert summary.received == 1
    assert store.people.count() == 7 and len(linked.cards()) == 7
    assert linked.sync().sent == 0
