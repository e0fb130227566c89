"""The people list's count: its fast path (people alone, where no filter reads the status)
equals a COUNT over the list's own query, whatever the filters, sort and missing rows."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netapp import engine
from netapp.store import Store
from netapp.store.lists import PeopleList

AS_OF = date(2026, 11, 23)


def _query_count(q: PeopleList) -> int:
    """The reference: a COUNT over exactly the rows the list's query returns."""
    sql, params = q.base()
    return int(q.db.scalar(f"SELECT count(*) FROM ({sql})", params) or 0)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    search=st.sampled_from(["", "a", "lee", "zzzz", "ann OR bob", '"']),
    stage=st.sampled_from(["", "met", "visibility"]),
    tag=st.sampled_from(["", "*", "no-such-tag"]),
    group=st.sampled_from([None, 1, 2, 999]),
    flag=st.sampled_from(["", "overdue", "quiet", "customer"]),
    kind=st.sampled_from(["", "person", "organisation"]),
    sort=st.sampled_from(sorted(PeopleList.sort_sql)),
    missing=st.integers(min_value=0, max_value=3),
)
def test_the_count_equals_a_count_over_the_lists_query(
    demo_store: Store,
    search: str,
    stage: str,
    tag: str,
    group: int | None,
    flag: str,
    kind: str,
    sort: str,
    missing: int,
) -> None:
    """For any filters, sort column (which picks the join) and people without a status row,
    count() is the number of rows the list's query holds."""
    if demo_store.db.scalar("SELECT count(*) FROM person_status") == 0:
        engine.refresh_status(demo_store, AS_OF)
    if missing:  # a few people whose status row is missing (refilled by the engine later)
        demo_store.db.conn.execute(
            "DELETE FROM person_status WHERE person_id IN "
            "(SELECT person_id FROM person_status ORDER BY person_id DESC LIMIT ?)",
            [missing],
        )
    if tag == "*":  # a tag some people have
        tag = str(demo_store.db.scalar("SELECT min(tag) FROM person_tags") or "")
    q = PeopleList(demo_store.db)
    q.search, q.stage, q.tag, q.group_id, q.flag, q.kind = search, stage, tag, group, flag, kind
    q.page(0, 5, sort)  # the first page picks the join, as the model's refresh does
    assert q.count() == _query_count(q)
    assert q.count() == len(q.page(0, 10_000, sort))
