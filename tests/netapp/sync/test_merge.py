"""The per-card three-way merge and the card codec it works on, without a server."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from netapp.sync.carddav import cards as C
from netapp.sync.carddav.merge import SETS, merge

words = st.sampled_from(["", "Ann", "Acme", "CEO", "Chair", "Zoë", "Ünïcode"])
labels = st.sampled_from(["", "work", "home", "mobile"])
addresses = st.sampled_from(["a@x.example", "b@x.example", "c@y.example", "d@z.example"])
numbers = st.sampled_from(["+14155550100", "+14155550101", "+442079460000"])
tag_words = st.sampled_from(["bni", "golf", "chamber", "vip"])


def _unique(items: list[list[str]]) -> list[list[str]]:
    seen: dict[str, list[str]] = {}
    for item in items:
        seen.setdefault(item[0], item)
    return list(seen.values())


fields = st.fixed_dictionaries(
    {
        "name": st.tuples(words, words, words).map(list),
        "org": st.tuples(words, words).map(list),
        "title": words,
        "emails": st.lists(st.tuples(addresses, labels).map(list), max_size=3).map(_unique),
        "phones": st.lists(st.tuples(numbers, labels).map(list), max_size=3).map(_unique),
        "birthday": st.sampled_from(["", "1980-02-03", "--06-01"]),
        "tags": st.lists(tag_words, max_size=3, unique=True).map(sorted),
    }
)


def keys(items: list[Any]) -> set[str]:
    return {i[0] if isinstance(i, list) else i for i in items}


@given(fields, fields)
def test_a_change_on_one_side_only_is_taken_whole(base: dict, other: dict) -> None:
    """Unchanged local: the result is the server's; unchanged server: netapp's. No conflict."""
    for newer in (True, False):
        taken = merge(base, base, other, local_newer=newer)
        assert taken.fields == other and not taken.conflicts
        kept = merge(base, other, base, local_newer=newer)
        assert kept.fields == other and not kept.conflicts


@given(fields, fields, fields, st.booleans())
def test_merge_rules_hold_field_by_field(
    base: dict, local: dict, remote: dict, newer: bool
) -> None:
    """Per field: one-sided change wins; same change is that change; a true conflict gives the
    newer side's value and is reported. Sets: additions from either side kept, removals on one
    side (other side unchanged item) applied."""
    out = merge(base, local, remote, local_newer=newer)
    conflicted = {c.field for c in out.conflicts}
    for name in local:
        b, lo, re_, got = base[name], local[name], remote[name], out.fields[name]
        if name in SETS:
            added = (keys(lo) - keys(b)) | (keys(re_) - keys(b))
            removed = (keys(b) - keys(lo)) | (keys(b) - keys(re_))
            assert added <= keys(got)
            assert not (removed & keys(got))
            assert keys(got) <= keys(lo) | keys(re_)
        elif lo == re_ or re_ == b:
            assert got == lo and name not in conflicted
        elif lo == b:
            assert got == re_ and name not in conflicted
        else:
            assert got == (lo if newer else re_) and name in conflicted
    again = merge(out.fields, out.fields, out.fields, local_newer=newer)
    assert again.fields == out.fields and not again.conflicts


@given(fields, fields)
def test_a_first_link_unites_and_fills_in(local: dict, remote: dict) -> None:
    """No base: every email, phone and tag of both sides; an empty field takes the other's."""
    out = merge(None, local, remote, local_newer=True)
    for name in SETS:
        assert keys(out.fields[name]) == keys(local[name]) | keys(remote[name])
    if local["title"] == "":
        assert out.fields["title"] == remote["title"]
    assert {c.field for c in out.conflicts} <= {"name", "org", "title", "birthday"}


@given(fields)
def test_canonical_fields_survive_a_card_round_trip(f: dict) -> None:
    """canon is idempotent: a card written from canonical fields reads back the same."""
    if not any(f["name"]):
        f["name"] = ["Ann Lee", "", ""]
    once = C.canon(f, "US")
    assert C.canon(once, "US") == once
    assert C.parse(C.render(once, "4.0", "u-1"), "US").fields(False, "US") == once


def test_patch_replaces_only_the_changed_fields_lines() -> None:
    """New lines take item groups no kept line uses (item1 is freed with the old email, item2
    is the address's); unknown lines keep their bytes."""
    data = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:abc\r\nFN:Ann Lee\r\nN:Lee;Ann;;;\r\n"
        b"item1.EMAIL;TYPE=INTERNET:ann@x.example\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n"
        b"item2.ADR:;;1 Road;Town;;;\r\nitem2.X-ABLabel:cottage\r\n"
        b"PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQ\r\n"
        b" NDAsLDBkSEx8UFh0aHx8fHx8fHx8fHx8f\r\nX-CUSTOM;FOO=bar:keep me\r\nREV:2020-01-01T00:00:00Z\r\n"
        b"END:VCARD\r\n"
    )
    card = C.parse(data, "US")
    f = card.fields(False, "US")
    f["emails"] = [["ann@new.example", "Assistant"], *f["emails"]]
    out = C.patch(card, f, {"emails"}, "US")
    lines = out.split(b"\r\n")
    for kept in data.split(b"\r\n"):
        if not kept.startswith((b"REV:", b"item1.")):
            assert kept in lines
    assert b"item1.EMAIL:ann@new.example" in lines and b"item1.X-ABLabel:Assistant" in lines
    assert not any(line.startswith(b"item2.") and b"new" in line for line in lines)
    assert C.parse(out, "US").fields(False, "US")["emails"] == f["emails"]


def test_times_in_every_form_servers_send() -> None:
    """REV basic and extended, with offsets, and HTTP dates, all as UTC; junk is None."""
    a = C.parse_time("20240102T030405Z")
    assert a is not None and a.isoformat() == "2024-01-02T03:04:05+00:00"
    assert C.parse_time("2024-01-02T05:04:05+02:00") == a
    assert C.parse_time("Tue, 02 Jan 2024 03:04:05 GMT") == a
    assert C.parse_time("2024-01-02T03:04:05+00:00") == a
    assert C.parse_time("yesterday") is None and C.parse_time("") is None
