"""Fuzzing: random bytes, mutated files, huge values and odd Unicode never crash netapp.

Every entry point either works or raises a NetappError subclass naming what is wrong, in
bounded time (the hypothesis deadline), and never leaves part of a record behind.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netapp.errors import NetappError
from netapp.store import Store

ODD = [
    "\u202e",  # right-to-left override
    "\u202d",
    "\u200d",  # zero-width joiner
    "\u200b",
    "\ufeff",
    "e\u0301\u0301\u0301",  # stacked combining marks
    "\u0000",
    "\r\n",
    "👩‍👩‍👧‍👦",
    "\ud7ff",
    "ﷺ",
    "𒐫",
]
odd_text = st.lists(
    st.one_of(st.sampled_from(ODD), st.text(max_size=20)), min_size=0, max_size=12
).map("".join)
huge_text = st.integers(min_value=10_000, max_value=300_000).map(lambda n: "x" * n)
field_text = st.one_of(odd_text, huge_text, st.text(max_size=200))

FUZZ = settings(
    max_examples=40,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

VCARD = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Valid Val\r\nN:Val;Valid;;;\r\n"
    b"EMAIL;TYPE=work:val@x.example\r\nTEL;TYPE=cell:+14155550123\r\nORG:Acme;Sales\r\n"
    b"NOTE:line one\\nline two\r\nCATEGORIES:a,b\r\nEND:VCARD\r\n"
)
CSV = (
    b"First Name,Last Name,E-mail Address,Mobile Phone,Company,Notes\r\n"
    b"Csv,Carl,carl@x.example,+14155550124,Acme,hello\r\n"
)


def _counts(store: Store) -> tuple[int, ...]:
    return tuple(
        int(store.db.scalar(f"SELECT count(*) FROM {t}"))
        for t in ("people", "person_emails", "person_phones", "person_tags", "import_batches")
    )


def _whole(store: Store) -> None:
    """No person without a name, no child row without its person, no batch half-imported."""
    assert store.db.scalar("SELECT count(*) FROM people WHERE trim(display_name) = ''") == 0
    assert store.db.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert store.db.scalar("SELECT count(*) FROM people") == store.db.scalar(
        "SELECT count(*) FROM people_fts"
    )


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    buf = bytearray(data)
    for pos, cut, insert in edits:
        at = pos % (len(buf) + 1)
        buf[at : at + cut] = insert
    return bytes(buf)


edits = st.lists(
    st.tuples(st.integers(0, 10_000), st.integers(0, 8), st.binary(max_size=12)), max_size=8
)


def _import(store: Store, path: Path, data: bytes) -> None:
    from netapp.interchange.importer import import_files

    path.write_bytes(data)
    before = _counts(store)
    try:
        plan = import_files(store, [path])
    except NetappError:
        assert _counts(store) == before
        return
    summary: dict[str, Any] = plan.to_json() if hasattr(plan, "to_json") else {}
    assert isinstance(summary, dict)
    _whole(store)


@FUZZ
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".vcf", ".csv", ".json", ".txt"]))
def test_importers_survive_random_bytes(
    store: Store, tmp_path: Path, data: bytes, suffix: str
) -> None:
    """Random bytes in a file of any contacts type: imported, or a NetappError; never half."""
    _import(store, tmp_path / f"random{suffix}", data)


@FUZZ
@given(base=st.sampled_from([(VCARD, ".vcf"), (CSV, ".csv")]), changes=edits)
def test_importers_survive_mutated_files(
    store: Store, tmp_path: Path, base: tuple[bytes, str], changes: list[Any]
) -> None:
    """A valid vCard or CSV with random bytes cut and inserted never crashes the importer."""
    data, suffix = base
    _import(store, tmp_path / f"mutated{suffix}", _mutate(data, changes))


@FUZZ
@given(name=field_text, note=field_text, org=field_text)
def test_importers_survive_odd_values(
    store: Store, tmp_path: Path, name: str, note: str, org: str
) -> None:
    """Odd Unicode and huge values inside an otherwise valid vCard import or are refused cleanly."""
    card = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nORG:{org}\r\nNOTE:{note}\r\nEND:VCARD\r\n"
    _import(store, tmp_path / "odd.vcf", card.encode("utf-8", "surrogatepass"))


@FUZZ
@given(
    name=field_text,
    org=field_text,
    note=field_text,
    email=field_text,
    phone=field_text,
    tag=field_text,
    birthday=field_text,
)
def test_add_person_fields(
    store: Store, name: str, org: str, note: str, email: str, phone: str, tag: str, birthday: str
) -> None:
    """add_person with any text in any field stores the person whole or raises a NetappError."""
    from netapp.domain import Email, Person, Phone

    before = _counts(store)
    try:
        pid = store.people.add(
            Person(
                display_name=name,
                org=org,
                note=note,
                emails=[Email(email)],
                phones=[Phone(phone, valid=False)],
                tags=[tag],
                birthday=birthday,
            )
        )
    except NetappError:
        assert _counts(store) == before
        return
    person = store.people.get(pid)
    assert person.display_name.strip()
    _whole(store)


@FUZZ
@given(pid_text=field_text, note=field_text)
def test_update_person_and_log(store: Store, pid_text: str, note: str) -> None:
    """update_person and log with odd text either apply whole or raise a NetappError."""
    from netapp.domain import Interaction, Kind, Person

    pid = store.people.add(Person(display_name="Fuzz Target"))
    before = store.people.get(pid)
    try:
        store.people.update(pid, note=note, title=pid_text)
    except NetappError:
        assert store.people.get(pid) == before
    n = store.db.scalar("SELECT count(*) FROM interactions")
    try:
        store.interactions.add(Interaction(person_id=pid, date=pid_text, kind=Kind.MET, note=note))
    except NetappError:
        assert store.db.scalar("SELECT count(*) FROM interactions") == n
    _whole(store)


@FUZZ
@given(
    key=st.sampled_from(["profile.name", "trust.half_life_days", "backup.keep_daily"]),
    value=st.one_of(field_text, st.integers(), st.floats(), st.booleans(), st.none()),
)
def test_settings_values(store: Store, key: str, value: Any) -> None:
    """Any value for a setting is stored coerced or refused with a NetappError."""
    from netapp.settings import declaration

    before = store.settings[key]
    try:
        stored = store.settings.set(key, value)
    except NetappError:
        assert store.settings[key] == before
        return
    assert store.settings[key] == stored
    assert isinstance(stored, declaration(key).type)


@FUZZ
@given(rows=st.lists(st.tuples(field_text, field_text, field_text, field_text), max_size=5))
def test_capture_rows(store: Store, rows: list[tuple[str, str, str, str]]) -> None:
    """save_capture with odd rows writes the whole capture or nothing."""
    from netapp.capture import CaptureMeeting, CaptureRow, save_capture

    before = _counts(store) + (int(store.db.scalar("SELECT count(*) FROM captures")),)
    try:
        save_capture(
            store,
            CaptureMeeting(name="Fuzz meeting", date="2026-01-05"),
            [CaptureRow(name=a, org=b, contact=c, note=d) for a, b, c, d in rows],
        )
    except NetappError:
        after = _counts(store) + (int(store.db.scalar("SELECT count(*) FROM captures")),)
        assert after == before
        return
    _whole(store)
