"""The replication document between syncs: saved in the database, and kept in memory by the app.

Saving the whole document (encoding it and compressing it: about half a second at 20,000
people) is most of what a small sync costs. So a sync saves only what changed since the last
save, the update from that save's state vector, appended to the saved document
(``store.devices.append_doc``); the whole is saved again when the appended updates grow to
half its size, and always after a forget (the saved base still holds the forgotten person:
only the whole, encoded again after the purge, leaves no trace). Loading applies the base and
then the updates.

The app's timer syncs run in one process: :class:`KeptDoc` keeps the document in memory from
one sync to the next, so a sync with nothing new loads nothing. It is used only while the
database holds what it holds: every save writes a new *generation*, and a kept document whose
generation is not the saved one (another process synced, the device joined again or went on
as a new device) is dropped and the saved one loaded. A sync that fails drops it too (its
transaction rolled back; the document in memory did not). The command line syncs once per
process and keeps nothing.
"""

from __future__ import annotations

import zlib

from netapp.errors import NetappError
from netapp.store import Store
from netapp.store.devices import Me
from netapp.sync.devices.replica import Replica

# Save the whole document again once the updates appended since the last whole save reach
# this fraction of its size (loading applies them one by one, after the base).
COMPACT_AT = 0.5


class KeptDoc:
    """One database's replication document, kept between the syncs of one process."""

    def __init__(self) -> None:
        self._held: tuple[tuple[str, int], bytes, Replica] | None = None

    def take(self, store: Store, me: Me) -> Replica | None:
        """The kept document if it is still what the database holds (it is no longer kept:
        :meth:`keep` it again after the sync's commit)."""
        held, self._held = self._held, None
        if held is None or held[0] != (me.device, me.client):
            return None
        if store.devices.doc_generation() != held[1]:
            return None
        replica = held[2]
        replica.local_ops = 0
        return replica

    def keep(self, me: Me, generation: bytes | None, replica: Replica) -> None:
        if generation is None:
            self._held = None
            return
        replica.trim()
        self._held = ((me.device, me.client), generation, replica)

    def drop(self) -> None:
        self._held = None

    def held(self) -> bool:
        return self._held is not None


def load(store: Store, me: Me) -> tuple[Replica, bytes | None]:
    """The saved document (empty if none) and its generation."""
    try:
        stored = store.devices.stored_doc()
        if stored is None:
            return Replica(me.client, me.device), None
        parts = iter(stored.parts)
        first = _open(*next(parts))
        replica = Replica(me.client, me.device, first, (_open(*p) for p in parts))
        del first
    except (ValueError, zlib.error):
        raise NetappError(
            f"the device sync state in {store.path} is damaged; your records are not: join "
            "the folder again (netapp sync devices --folder PATH) to rebuild it"
        ) from None
    replica.base_size = sum(len(d) for z, d in stored.parts if z)
    replica.logged = sum(len(d) for z, d in stored.parts if not z)
    if stored.generation:  # a document saved by an earlier netapp is saved whole again
        replica.saved_sv = replica.state_vector()
    return replica, stored.generation or None


def _open(packed: bool, data: bytes) -> bytes:
    return zlib.decompress(data) if packed else data


def save(store: Store, replica: Replica, whole: bool = False) -> bytes:
    """Save what changed since the last save (or the whole document); returns the new
    generation."""
    if not whole and replica.saved_sv is not None:
        update = replica.update_since(replica.saved_sv)
        if replica.logged + len(update) <= COMPACT_AT * replica.base_size:
            generation = store.devices.append_doc(update)
            replica.logged += len(update)
            replica.saved_sv = replica.state_vector()
            return generation
    replica.trim()  # the texts read so far: memory the encoding needs more
    return _saved(store, replica, [zlib.compress(replica.encode(), 1)])  # a quarter the size


def _saved(store: Store, replica: Replica, packed: list[bytes]) -> bytes:
    generation = store.devices.save_doc(packed)
    replica.base_size, replica.logged = sum(len(p) for p in packed), 0
    replica.saved_sv = replica.state_vector()
    return generation


class Received:
    """A first sync's document, saved as the updates it applied into an empty document
    (each zlib'd as soon as applied): no encoding of the whole, which would hold a second copy
    of it in memory (about 110 MB more at 20,000 people)."""

    def __init__(self) -> None:
        self.packed: list[bytes] = []

    def add(self, update: bytes) -> None:
        self.packed.append(zlib.compress(update, 1))

    def save(self, store: Store, replica: Replica) -> bytes:
        return _saved(store, replica, self.packed)
