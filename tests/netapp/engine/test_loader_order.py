"""The history loader's interaction order: SQLite sorts the rows by person only and the loader
puts each person's rows in (date, id) order; held equal to SQLite's own (date, id) order."""

from __future__ import annotations

import tempfile
import uuid
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netapp.domain import Person
from netapp.engine.history import iter_histories
from netapp.store import Store

AS_OF = date(2026, 6, 1)
# Dates around as_of, some with a time (hand-edited or imported text), so that equal days
# and text that sorts differently from its day both occur.
date_text = st.builds(
    lambda day, time: f"2026-{5 + day // 30:02d}-{1 + day % 30:02d}{time}",
    st.integers(0, 59),
    st.sampled_from(["", "", "T09:00", "T18:30:00", " 07:00"]),
)
rows = st.lists(st.tuples(st.integers(0, 3), date_text, st.integers(1, 10**6)), max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows, st.booleans())
def test_property_histories_list_interactions_in_sqlite_date_id_order(
    made: list[tuple[int, str, int]], subset: bool
) -> None:
    """Each history's interactions are exactly the person's rows dated up to as_of, in the
    order SQLite's ORDER BY date, id gives, whatever order the ids were given in; for a full
    load and for a load of some people."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "t.db")
        try:
            ids = [store.people.add(Person(display_name=f"P{n}")) for n in range(4)]
            seen: set[int] = set()
            for who, when, rid in made:
                if rid in seen:
                    continue
                seen.add(rid)
                store.db.conn.execute(
                    "INSERT INTO interactions (id, uuid, person_id, date, kind, created_at) "
                    "VALUES (?, ?, ?, ?, 'call', '2026-01-01T00:00:00')",
                    [rid, str(uuid.uuid4()), ids[who], when],
                )
            asked = ids[1:3] if subset else None
            got = {
                h.person_id: [e.id for e in h.events] for h in iter_histories(store, AS_OF, asked)
            }
            assert sorted(got) == sorted(asked or ids)
            for pid, events in got.items():
                want = store.db.conn.execute(
                    "SELECT id FROM interactions WHERE person_id = ? AND date <= ? "
                    "ORDER BY date, id",
                    [pid, AS_OF.isoformat()],
                ).fetchall()
                assert events == [r[0] for r in want]
        finally:
            store.close()
