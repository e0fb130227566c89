"""The replication document between syncs: appended to in the database, saved whole after a
forget, and kept in memory by the app (``KeptDoc``) only while the database still holds it."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from netapp.domain import Email, Interaction, Kind, Person
from netapp.safety.forget import forget
from netapp.store import Store
from netapp.sync.devices import files, run, saved
from netapp.sync.devices.replica import Replica
from netapp.sync.devices.saved import KeptDoc
from netapp.sync.devices.tables import BY_NAME
from tests.netapp.sync.fleet import Fleet, check_invariants, snapshot


@pytest.fixture
def fleet(tmp_path: Path) -> Iterator[Fleet]:
    fleet = Fleet(tmp_path, 3)
    yield fleet
    fleet.close()


def _pid(store: Store, name: str) -> int:
    return int(store.db.scalar("SELECT id FROM people WHERE display_name = ?", [name]))


def _loaded(store: Store) -> Replica:
    """The document as a fresh process would load it from the database."""
    me = store.devices.me()
    assert me is not None
    return saved.load(store, me)[0]


def _state(replica: Replica) -> dict[int, int]:
    """A document's state vector, decoded (its bytes come in no set order)."""
    return files.decode_state_vector(replica.state_vector())


def _kept(kept: KeptDoc, store: Store) -> Replica:
    me = store.devices.me()
    assert me is not None and kept.held()
    replica = kept.take(store, me)
    assert replica is not None
    kept.keep(me, store.devices.doc_generation(), replica)
    return replica


def _saved_bytes(store: Store) -> bytes:
    stored = store.devices.stored_doc()
    assert stored is not None
    return b"".join(zlib.decompress(d) if packed else d for packed, d in stored.parts)


def test_a_file_written_between_two_kept_syncs_is_applied(fleet: Fleet) -> None:
    """The app's kept document takes in a file another device wrote after its last sync."""
    kept = KeptDoc()
    fleet[0].people.add(Person(display_name="Ann Lee"))
    run.sync(fleet[0], refresh=False, kept=kept)
    fleet.sync(1, 2)
    run.sync(fleet[0], refresh=False, kept=kept)
    fleet[1].people.update(_pid(fleet[1], "Ann Lee"), title="Chair")
    fleet[1].interactions.add(
        Interaction(person_id=_pid(fleet[1], "Ann Lee"), date="2026-03-03", kind=Kind.CALL)
    )
    fleet.sync(1)
    assert kept.held()
    summary = run.sync(fleet[0], refresh=False, kept=kept)
    assert summary.read == 1
    assert fleet[0].people.get(_pid(fleet[0], "Ann Lee")).title == "Chair"
    assert fleet[0].db.scalar("SELECT count(*) FROM interactions") == 1
    assert _state(_kept(kept, fleet[0])) == _state(_loaded(fleet[0]))
    fleet.settle()
    assert snapshot(fleet[0]) == snapshot(fleet[1]) == snapshot(fleet[2])


def test_a_kept_document_is_dropped_when_another_process_synced(fleet: Fleet) -> None:
    """A sync by another process (the command line) changes the saved document: the app's
    kept one is not used again, and what that sync applied is not lost."""
    kept = KeptDoc()
    fleet[0].people.add(Person(display_name="Ann Lee"))
    run.sync(fleet[0], refresh=False, kept=kept)
    fleet.sync(1)
    fleet[1].people.update(_pid(fleet[1], "Ann Lee"), org="Acme")
    fleet.sync(1)
    run.sync(fleet[0], refresh=False)  # another process: reads device 1's file
    fleet[1].people.update(_pid(fleet[1], "Ann Lee"), title="Chair")
    fleet.sync(1)
    run.sync(fleet[0], refresh=False, kept=kept)
    person = fleet[0].people.get(_pid(fleet[0], "Ann Lee"))
    assert (person.org, person.title) == ("Acme", "Chair")
    assert _state(_kept(kept, fleet[0])) == _state(_loaded(fleet[0]))


def test_a_kept_document_is_dropped_after_joining_again(fleet: Fleet) -> None:
    """Joining a folder again starts a new document: the kept one is not used."""
    kept = KeptDoc()
    fleet[0].people.add(Person(display_name="Ann Lee"))
    run.sync(fleet[0], refresh=False, kept=kept)
    me = fleet[0].devices.me()
    assert me is not None
    run.join(fleet[0], me.folder, "again")
    me = fleet[0].devices.me()
    assert me is not None
    assert kept.take(fleet[0], me) is None


def test_forget_with_kept_documents_leaves_no_trace(fleet: Fleet) -> None:
    """A forget while every device keeps its document: no trace in any saved document (whole
    or appended parts), any kept document, or any file."""
    kepts = [KeptDoc() for _ in fleet.stores]

    def settle() -> None:
        for _ in range(3):
            for i, store in enumerate(fleet.stores):
                run.sync(store, refresh=False, kept=kepts[i])

    pid = fleet[0].people.add(
        Person(display_name="Zelda Quux", emails=[Email("zelda@quux.example")], note="secretnote")
    )
    fleet[0].people.add(Person(display_name="Ann Lee"))
    settle()
    fleet[1].people.update(_pid(fleet[1], "Zelda Quux"), title="Zeldatitle")
    run.sync(fleet[1], refresh=False, kept=kepts[1])  # appended to device 1's saved document
    forget(fleet[0], pid)
    settle()
    for i, store in enumerate(fleet.stores):
        assert store.db.scalar("SELECT count(*) FROM people") == 1
        for secret in (b"Zelda", b"zelda@quux", b"secretnote", b"Zeldatitle"):
            assert secret not in _saved_bytes(store)
            assert secret not in _kept(kepts[i], store).encode()
        check_invariants(store)
    folder = b"".join(
        files.unpack(p.read_bytes(), p.parent.name, int(p.stem), lambda _d: None).update
        for p in fleet.folders[0].rglob("*.update")
    )
    assert b"Zelda" not in folder and b"zelda@quux" not in folder


def test_small_syncs_append_and_the_document_is_saved_whole_again(fleet: Fleet) -> None:
    """A small sync appends its update to the saved document (which loads to the same state);
    once the appended updates outgrow half the whole, it is saved whole again."""
    for n in range(60):  # enough for updates of one row to be small against the whole
        fleet[0].people.add(Person(display_name=f"Person {n}", org=f"Org {n * 7919 % 1000}"))
    fleet[0].people.add(Person(display_name="Ann Lee"))
    fleet.settle()
    appended, compacted = False, False
    for n in range(40):
        fleet[0].people.update(_pid(fleet[0], "Ann Lee"), title=f"Title number {n}")
        before = fleet[0].devices.stored_doc()
        fleet.sync(0)
        after = fleet[0].devices.stored_doc()
        assert before is not None and after is not None
        appended |= after.parts[:-1] == before.parts and not after.parts[-1][0]
        compacted |= len(before.parts) > 1 and after.parts == [after.parts[0]]
        loaded = _loaded(fleet[0])
        key = fleet[0].db.scalar("SELECT uuid FROM people WHERE display_name = 'Ann Lee'")
        assert loaded.merged(BY_NAME["people"], key).values["title"] == f"Title number {n}"
    assert appended and compacted
    fleet.settle()
    assert snapshot(fleet[0]) == snapshot(fleet[1]) == snapshot(fleet[2])
    assert fleet[2].people.get(_pid(fleet[2], "Ann Lee")).title == "Title number 39"


def _ndoc1(state: bytes) -> bytes:
    """The format of the morning of 2026-12-07: a zlib'd first frame, plain ones after (here
    the same update again: applying an update twice changes nothing)."""
    first = zlib.compress(state, 1)
    frames = len(first).to_bytes(4, "big") + first + len(state).to_bytes(4, "big") + state
    return b"NDOC1" + b"\0" * 8 + frames


@pytest.mark.parametrize("old", ["zlib", "ndoc1"])
def test_a_document_saved_by_an_earlier_netapp_loads(fleet: Fleet, old: str) -> None:
    """A document saved in an earlier format (zlib alone; zlib'd then plain frames) loads, and
    is saved again in the current one at the next sync."""
    fleet[0].people.add(Person(display_name="Ann Lee"))
    fleet.settle()
    state = _loaded(fleet[0]).encode()
    blob = zlib.compress(state, 1) if old == "zlib" else _ndoc1(state)
    fleet[0].db.conn.execute("UPDATE devices_doc SET state = ?", [blob])
    assert fleet[0].devices.doc_generation() is None
    assert _state(_loaded(fleet[0])) == files.decode_state_vector(
        Replica(1, "x", state).state_vector()
    )
    fleet[1].people.update(_pid(fleet[1], "Ann Lee"), title="Chair")
    fleet.settle()
    assert fleet[0].people.get(_pid(fleet[0], "Ann Lee")).title == "Chair"
    assert fleet[0].devices.doc_generation() is not None


def test_a_new_device_saves_its_document_as_received(fleet: Fleet) -> None:
    """A device joining a folder with history saves the updates it applied (zlib'd, not the
    whole encoded again), then its own changes appended: loaded, that is the document."""
    for n in range(30):
        fleet[0].people.add(Person(display_name=f"Person {n}", emails=[Email(f"p{n}@x.example")]))
    fleet.settle()
    late = fleet.add_device()
    late.people.add(Person(display_name="Late Comer"))
    kept = KeptDoc()
    run.sync(late, refresh=False, kept=kept)
    stored = late.devices.stored_doc()
    assert stored is not None
    assert [packed for packed, _ in stored.parts] == [True] * (len(stored.parts) - 1) + [False]
    assert len(stored.parts) >= 2
    assert _state(_kept(kept, late)) == _state(_loaded(late))
    fleet.settle()
    assert snapshot(late) == snapshot(fleet[0])
    assert late.db.scalar("SELECT count(*) FROM people") == 31


def test_a_first_sync_of_thousands_of_rows_reads_the_document_in_chunks(tmp_path: Path) -> None:
    """Past 1,000 rows a sync reads the document a chunk at a time (and writes SQLite through
    staged statements): two devices still end with the same rows, sets and notes."""
    from bench.devsync import build

    build(tmp_path / "a.db", 1_200, 2_400)
    fleet = Fleet(tmp_path, 0)
    try:
        a = Store(tmp_path / "a.db")
        run.join(a, tmp_path / "folder", "a")
        fleet.stores.append(a)
        fleet.folders.append(tmp_path / "folder")
        b = fleet.add_device()
        fleet.sync()
        assert b.db.scalar("SELECT count(*) FROM person_emails") == 1_200
        for pid in range(1, 1_200, 7):
            a.people.update(pid, title="Chair", emails=[Email(f"new{pid}@x.example")])
        fleet.sync()
        assert snapshot(a) == snapshot(b)
        check_invariants(b)
    finally:
        fleet.close()


def test_a_failed_sync_drops_the_kept_document(fleet: Fleet) -> None:
    """A sync that fails after applying a file rolls back; the kept document (which did apply
    it) is dropped, so the next sync applies the file again and its person arrives."""
    kept = KeptDoc()
    run.sync(fleet[0], refresh=False, kept=kept)
    fleet[1].people.add(Person(display_name="Ann Lee"))
    fleet.sync(1)
    fleet[0].db.conn.execute(  # the database refuses to mark the file read: the sync fails
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON devices_files "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with pytest.raises(Exception, match="refused"):
        run.sync(fleet[0], refresh=False, kept=kept)
    assert not kept.held()
    assert fleet[0].db.scalar("SELECT count(*) FROM people") == 0
    fleet[0].db.conn.execute("DROP TRIGGER temp.refuse")
    assert run.sync(fleet[0], refresh=False, kept=kept).read == 1
    assert fleet[0].db.scalar("SELECT count(*) FROM people") == 1
