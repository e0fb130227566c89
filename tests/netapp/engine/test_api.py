"""The engine's entry points: bulk statuses, the cached status table, agenda, mark done, snooze."""

from __future__ import annotations

from datetime import timedelta

import pytest

from netapp import engine
from netapp.domain import LibraryItem
from netapp.errors import NotFoundError, ValidationError
from netapp.store import Store
from tests.netapp.engine.helpers import Builder, d

AS_OF = d("2026-02-01")


def _count_queries(store: Store, fn: object) -> int:
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        fn()  # type: ignore[operator]
    finally:
        store.db.conn.set_trace_callback(None)
    return sum(1 for s in seen if s.lstrip().upper().startswith("SELECT"))


def _people(b: Builder, n: int, start: int = 0) -> list[int]:
    ids = []
    for i in range(start, start + n):
        pid = b.person(f"Person {i}")
        b.meet(pid, "2026-01-01")
        b.log(pid, "2026-01-03", "call")
        ids.append(pid)
    return ids


def test_statuses_run_a_fixed_number_of_queries_whatever_the_people(b: Builder) -> None:
    """Bulk statuses and the agenda do not run one query per person."""
    _people(b, 3)
    small = _count_queries(b.store, lambda: engine.statuses(b.store, AS_OF))
    small_agenda = _count_queries(b.store, lambda: engine.agenda(b.store, AS_OF))
    _people(b, 30, start=3)
    assert _count_queries(b.store, lambda: engine.statuses(b.store, AS_OF)) == small
    assert _count_queries(b.store, lambda: engine.agenda(b.store, AS_OF)) == small_agenda
    assert len(engine.statuses(b.store, AS_OF)) == 33


def test_status_of_unknown_person_is_not_found(b: Builder) -> None:
    """status() of a missing id raises NotFoundError, not a crash."""
    with pytest.raises(NotFoundError):
        engine.status(b.store, 999, AS_OF)


def test_status_json_has_the_cli_shape(b: Builder) -> None:
    """PersonStatus.to_json() has exactly the keys of `netapp status --json`: the original
    ones, plus (principle 1) the stage as it stands today and the stage's history."""
    pid = b.person()
    b.visible(pid)
    data = engine.status(b.store, pid, AS_OF).to_json()
    assert set(data) == {
        "person_id", "stage", "trust", "flags", "repeat_contacts", "repeat_contacts_6m",
        "last_touch", "given", "asked", "value_12m", "forecast_12m", "allowed_asks",
        "blocked_asks", "next_step", "current_stage", "stage_history", "quiet_since",
    }  # fmt: skip
    assert data["stage_history"] == [
        {"stage": "met", "since": "2026-01-01"},
        {"stage": "visibility", "since": "2026-01-05"},
    ]
    assert (data["current_stage"], data["quiet_since"]) == ("visibility", None)
    assert set(data["next_step"]) == {"kind", "ask", "due", "reason"}
    assert data["last_touch"] == "2026-01-05"


def test_person_without_history_has_no_step(b: Builder) -> None:
    """Someone with no meeting or contact gets kind `none` and stays off the agenda."""
    pid = b.person()
    s = engine.status(b.store, pid, AS_OF)
    assert s.next_step.kind == "none" and s.next_step.due is None
    assert engine.agenda(b.store, AS_OF) == []


def test_refresh_status_fills_missing_rows_and_skips_fresh_ones(b: Builder) -> None:
    """refresh_status writes rows for missing/outdated people only, and writes go stale."""
    ids = _people(b, 4)
    assert engine.refresh_status(b.store, AS_OF) == 4
    assert engine.refresh_status(b.store, AS_OF) == 0
    row = b.store.db.query("SELECT * FROM person_status WHERE person_id = ?", [ids[0]])[0]
    s = engine.status(b.store, ids[0], AS_OF)
    assert (row["stage"], row["trust"], row["next_kind"]) == (
        s.stage.value,
        s.trust,
        s.next_step.kind,
    )
    assert row["stage_rank"] == 1 and row["as_of"] == "2026-02-01"
    b.log(ids[1], "2026-01-20", "one-to-one")  # the store drops the stale row
    assert engine.refresh_status(b.store, AS_OF) == 1
    assert engine.refresh_status(b.store, AS_OF + timedelta(days=1), person_ids=[ids[2]]) == 1
    assert (
        b.store.db.scalar("SELECT as_of FROM person_status WHERE person_id = ?", [ids[2]])
        == "2026-02-02"
    )


def test_agenda_sorted_by_priority_with_overdue_flagged_and_horizon(b: Builder) -> None:
    """The agenda lists steps due within the horizon, overdue first and flagged."""
    late = b.person("Late")
    b.meet(late, "2026-01-20")  # follow-up due 22 Jan: overdue on 1 Feb
    soon = b.person("Soon")
    b.meet(soon, "2026-02-02")  # follow-up due 4 Feb
    far = b.person("Far")
    b.meet(far, "2026-01-01")
    b.log(far, "2026-01-31", "one-to-one")
    b.log(far, "2026-01-31", "value-given")
    b.ask(far, "2026-01-31", "referral", "accepted")
    b.log(far, "2026-01-31", "value-given")  # next: keep in touch, 14 days on
    steps = engine.agenda(b.store, d("2026-02-02"), days=7)
    assert [s.person_id for s in steps] == [late, soon]
    assert [s.overdue for s in steps] == [True, False]
    assert steps[0].priority < steps[1].priority
    assert far in {s.person_id for s in engine.agenda(b.store, d("2026-02-02"), days=30)}
    with pytest.raises(ValidationError):
        engine.agenda(b.store, AS_OF, days=-1)


def test_snooze_hides_step_until_the_date(b: Builder) -> None:
    """A snoozed step leaves the agenda until the snooze date, then comes back."""
    pid = b.person()
    b.meet(pid, "2026-01-30")
    engine.snooze(b.store, pid, "follow-up", d("2026-02-05"))
    assert engine.agenda(b.store, AS_OF) == []
    assert [s.person_id for s in engine.agenda(b.store, d("2026-02-05"))] == [pid]
    with pytest.raises(ValidationError):
        engine.snooze(b.store, pid, "nap", d("2026-02-05"))
    with pytest.raises(NotFoundError):
        engine.snooze(b.store, 999, "ask", d("2026-02-05"))


def test_mark_done_logs_the_matching_interaction(b: Builder) -> None:
    """Each step kind is logged as the right interaction, and the step moves on."""
    item = b.store.library.add(LibraryItem(title="Pitch video", kind="video"))
    pid = b.person()
    b.meet(pid, "2026-01-30")
    engine.snooze(b.store, pid, "follow-up", d("2026-03-01"))
    iid = engine.mark_done(b.store, pid, "follow-up", AS_OF)
    got = b.store.interactions.for_person(pid)[0]
    assert (got.id, got.kind.value, got.date) == (iid, "email", "2026-02-01")
    assert b.store.db.scalar("SELECT count(*) FROM snoozes") == 0
    assert engine.status(b.store, pid, AS_OF).next_step.kind == "give-value"
    engine.mark_done(b.store, pid, "give-value", AS_OF, item_id=item)
    got = b.store.interactions.for_person(pid)[0]
    assert (got.kind.value, got.library_item_id) == ("value-given", item)
    assert "Pitch video" in got.note
    engine.mark_done(b.store, pid, "ask", AS_OF, ask="read-article", outcome="accepted")
    got = b.store.interactions.for_person(pid)[0]
    assert (got.kind.value, got.ask_type, got.outcome) == ("ask", "read-article", "accepted")
    engine.mark_done(b.store, pid, "keep-in-touch", AS_OF, via="call")
    assert b.store.interactions.for_person(pid)[0].kind.value == "call"


def test_mark_done_rejects_bad_input_without_writing(b: Builder) -> None:
    """A missing ask type, an unknown step or a stray outcome is refused and nothing is logged."""
    pid = b.person()
    with pytest.raises(ValidationError, match="ask"):
        engine.mark_done(b.store, pid, "ask", AS_OF)
    with pytest.raises(ValidationError, match="step"):
        engine.mark_done(b.store, pid, "none", AS_OF)
    with pytest.raises(ValidationError, match="outcome"):
        engine.mark_done(b.store, pid, "follow-up", AS_OF, outcome="accepted")
    with pytest.raises(ValidationError, match="ask"):
        engine.mark_done(b.store, pid, "ask", AS_OF, ask="marry-me")
    assert b.store.interactions.for_person(pid) == []


def test_upcoming_meetings_list_regulars_and_timed_asks(b: Builder) -> None:
    """Upcoming group meetings come from recurrence, with regulars and the asks timed to them."""
    gid = b.store.groups.add("Thursday Breakfast", "weekly", 3)
    pid = b.person()
    for day in ("2026-01-01", "2026-01-08", "2026-01-15", "2026-01-22"):
        b.meet(pid, day, group=gid, name="Thursday Breakfast")
    b.log(pid, "2026-01-23", "one-to-one")
    b.consent(pid, "2026-01-23")
    b.log(pid, "2026-01-24", "value-given")
    meetings = engine.upcoming_meetings(b.store, d("2026-02-02"), days=14)
    assert [m.date for m in meetings] == [d("2026-02-05"), d("2026-02-12")]
    assert meetings[0].regulars == [pid]
    assert [(s.person_id, s.ask) for s in meetings[0].steps] == [(pid, "referral")]
    assert meetings[1].steps == []


def test_demo_data_gives_every_person_a_consistent_status(demo_store: Store) -> None:
    """On the demo database every status is well formed and the agenda is sorted."""
    as_of = d("2026-11-23")
    all_ = engine.statuses(demo_store, as_of)
    assert len(all_) == 60
    for s in all_.values():
        assert 0 <= s.trust <= 100
        assert set(s.allowed_asks).isdisjoint(b.ask for b in s.blocked_asks)
        assert s.next_step.reason
    steps = engine.agenda(demo_store, as_of)
    assert steps and all(a.priority <= c.priority for a, c in zip(steps, steps[1:], strict=False))


def test_hand_edited_bad_dates_are_skipped_not_a_crash(b: Builder) -> None:
    """Rows with unreadable dates (edited outside netapp) are left out of the history."""
    pid = b.person()
    b.visible(pid)
    iid = b.log(pid, "2026-01-10", "call")
    b.store.db.conn.execute("UPDATE interactions SET date = '2026-01-32' WHERE id = ?", [iid])
    b.consent(pid, "2026-01-06")
    b.store.db.conn.execute("UPDATE consents SET obtained_at = '2026-01-3x'")
    b.store.db.conn.execute(
        "INSERT INTO snoozes (person_id, kind, until) VALUES (?, 'ask', 'soon')", [pid]
    )
    s = engine.status(b.store, pid, AS_OF)
    assert s.flags == [] and s.last_touch == d("2026-01-05")
    assert engine.agenda(b.store, AS_OF, days=60)


def test_agenda_long_overdue_steps_are_ordered_by_trust(b: Builder) -> None:
    """Steps overdue by more than 30 days share a tier in which the more trusted come first."""
    cold = b.person("Cold")
    b.meet(cold, "2025-09-01")
    b.meet(cold, "2025-09-08")  # visibility, no value given: give value due 29 Sep, 5 months late
    warm = b.person("Warm")
    b.credible(warm)
    b.log(warm, "2026-01-11", "call")  # keep in touch due 25 Jan; 37 days overdue on 3 Mar
    steps = engine.agenda(b.store, d("2026-03-03"))
    assert [s.person_id for s in steps] == [warm, cold]
    assert steps[0].priority == steps[1].priority and all(s.overdue for s in steps)


def test_mark_done_of_a_follow_up_removes_the_follow_up_mark_in_one_write(b: Builder) -> None:
    """Done on a follow-up takes the capture's `follow-up` tag off; undo_done puts it back."""
    pid = b.person(tags=("follow-up", "legal"))
    b.meet(pid, "2026-01-30")
    assert engine.has_follow_up_tag(b.store, pid)
    heard: list[tuple[str, frozenset[int]]] = []
    b.store.subscribe(lambda topic, ids: heard.append((topic, ids)))
    iid = engine.mark_done(b.store, pid, "follow-up", AS_OF)
    assert b.store.people.get(pid).tags == ["legal"]
    assert ("people", frozenset({pid})) in heard and ("interactions", frozenset({pid})) in heard
    assert engine.status(b.store, pid, AS_OF).next_step.kind != "follow-up"
    engine.undo_done(b.store, iid, follow_up_tag=True)
    assert b.store.people.get(pid).tags == ["follow-up", "legal"]
    assert b.store.interactions.for_person(pid) == []
    with pytest.raises(NotFoundError):
        engine.undo_done(b.store, iid)


def test_mark_done_of_other_steps_keeps_the_follow_up_mark(b: Builder) -> None:
    """Only a follow-up answers the follow-up mark."""
    pid = b.person(tags=("follow-up",))
    b.meet(pid, "2026-01-30")
    engine.mark_done(b.store, pid, "keep-in-touch", AS_OF)
    assert b.store.people.get(pid).tags == ["follow-up"]


def test_today_is_the_agenda_and_the_coming_meetings_from_one_load(b: Builder) -> None:
    """engine.today gives exactly agenda() and upcoming_meetings(), with fewer queries."""
    gid = b.store.groups.add("Thursday Breakfast", "weekly", 3)
    for n in range(4):
        pid = b.person(f"P{n}")
        for day in ("2026-01-01", "2026-01-08", "2026-01-15", "2026-01-22"):
            b.meet(pid, day, group=gid, name="Thursday Breakfast")
        b.log(pid, "2026-01-24", "value-given")
    steps, meetings = engine.today(b.store, AS_OF, days=7, meeting_days=14)
    assert steps == engine.agenda(b.store, AS_OF, days=7)
    assert meetings == engine.upcoming_meetings(b.store, AS_OF, days=14)
    both = _count_queries(b.store, lambda: engine.today(b.store, AS_OF))
    apart = _count_queries(
        b.store,
        lambda: (engine.agenda(b.store, AS_OF), engine.upcoming_meetings(b.store, AS_OF)),
    )
    assert both < apart


def test_long_computations_stop_when_cancelled(b: Builder) -> None:
    """A cancel callback that turns true stops today() and refresh_status() before writing."""
    _people(b, 3)
    with pytest.raises(engine.Cancelled):
        engine.today(b.store, AS_OF, cancel=lambda: True)
    with pytest.raises(engine.Cancelled):
        engine.refresh_status(b.store, AS_OF, cancel=lambda: True)
    assert b.store.db.scalar("SELECT count(*) FROM person_status") == 0


def test_refresh_status_rewrites_only_rows_that_changed(b: Builder) -> None:
    """A new day moves on the as_of of unchanged rows and replaces only the changed ones."""
    ids = _people(b, 2)
    far = b.person("Far")  # nothing recorded: the same status whatever the day
    assert engine.refresh_status(b.store, AS_OF) == 3
    replaced: list[int] = []
    b.store.db.conn.create_function("noted", 1, replaced.append)
    b.store.db.conn.execute(
        "CREATE TEMP TRIGGER seen AFTER INSERT ON person_status "
        "BEGIN SELECT noted(new.person_id); END"
    )
    later = AS_OF + timedelta(days=30)
    assert engine.refresh_status(b.store, later) == 3
    assert sorted(replaced) == sorted(ids)  # trust decayed for them; Far did not change
    rows = b.store.db.query("SELECT person_id, as_of FROM person_status ORDER BY person_id")
    assert {r["as_of"] for r in rows} == {later.isoformat()} and len(rows) == 3
    assert far not in replaced


def test_agenda_sorted_in_chunks_keeps_the_same_order(
    b: Builder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chunked sort-and-merge (for long agendas) gives exactly the one-sort order."""
    import netapp.engine.core as core

    for n, day in enumerate(["2026-01-30", "2026-01-20", "2026-01-31", "2026-01-25", "2026-01-29"]):
        pid = b.person(f"P{n}")
        b.meet(pid, day)
        if n % 2:
            b.log(pid, day, "call")
    whole = engine.agenda(b.store, AS_OF, days=30)
    monkeypatch.setattr(core, "SORT_CHUNK", 2)
    chunked = engine.agenda(b.store, AS_OF, days=30)
    assert len(whole) == 5
    assert [s.person_id for s in chunked] == [s.person_id for s in whole]


def test_streamed_histories_match_a_query_per_person(demo_store: Store) -> None:
    """The merge-join loader gives each person exactly their own rows, gaps included."""
    from netapp.domain import Person
    from netapp.engine.history import iter_histories

    demo_store.people.add(Person(display_name="No History Nell"))  # a person with no rows
    as_of = d("2026-11-23")
    # Snoozes on every other person: rows in that table for some people and not others.
    ids = [int(r[0]) for r in demo_store.db.conn.execute("SELECT id FROM people ORDER BY id")]
    for pid in ids[::2]:
        engine.snooze(demo_store, pid, "keep-in-touch", d("2026-12-01"))
    seen = 0
    for h in iter_histories(demo_store, as_of):
        pid = h.person_id
        q = demo_store.db.conn.execute
        events = q(
            "SELECT id FROM interactions WHERE person_id = ? AND date <= ? ORDER BY date, id",
            [pid, as_of.isoformat()],
        ).fetchall()
        assert [e.id for e in h.events] == [r[0] for r in events]
        met = q(
            "SELECT m.id FROM attendance a JOIN meetings m ON m.id = a.meeting_id "
            "WHERE a.person_id = ? AND m.date <= ? ORDER BY m.date, m.id",
            [pid, as_of.isoformat()],
        ).fetchall()
        assert [m.meeting_id for m in h.meetings] == [r[0] for r in met]
        tags = q("SELECT tag FROM person_tags WHERE person_id = ? ORDER BY tag", [pid]).fetchall()
        assert h.tags == [r[0] for r in tags]
        refs = q(
            "SELECT id FROM referrals WHERE referrer_id = ? AND date <= ? ORDER BY date, id",
            [pid, as_of.isoformat()],
        ).fetchall()
        assert [r.id for r in h.referrals_from] == [r[0] for r in refs]
        refs_to = q(
            "SELECT id FROM referrals WHERE provider_id = ? AND date <= ? ORDER BY date, id",
            [pid, as_of.isoformat()],
        ).fetchall()
        assert [r.id for r in h.referrals_to] == [r[0] for r in refs_to]
        n = q("SELECT count(*) FROM consents WHERE person_id = ?", [pid]).fetchone()[0]
        assert len(h.consents) == n
        snoozed = q("SELECT kind FROM snoozes WHERE person_id = ? ORDER BY kind", [pid]).fetchall()
        assert sorted(h.snoozes) == [r[0] for r in snoozed]
        seen += 1
    assert seen == demo_store.people.count()


def test_stopping_early_closes_the_loader_queries(demo_store: Store) -> None:
    """A caller that stops after one history leaves no statement open on the connection."""
    from netapp.engine.history import iter_histories

    histories = iter_histories(demo_store, d("2026-11-23"))
    next(histories)
    histories.close()
    busy, _log, _done = demo_store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0


@pytest.mark.parametrize("limit", [1, 5, 17, 10_000])
def test_today_plan_keeps_the_most_urgent_steps_of_the_full_agenda(
    demo_store: Store, limit: int
) -> None:
    """With a limit, Today keeps exactly the first steps of the full agenda, worded the same,
    and counts all of them."""
    as_of = d("2026-11-23")
    steps, meetings = engine.today(demo_store, as_of, days=7, meeting_days=14)
    plan = engine.today_plan(demo_store, as_of, days=7, meeting_days=14, limit=limit)
    assert len(steps) > 17  # the demo data gives the limit something to cut
    assert [s.to_json() for s in plan.steps] == [s.to_json() for s in steps[:limit]]
    assert (plan.total, plan.overdue) == (len(steps), sum(s.overdue for s in steps))
    assert [m.date for m in plan.meetings] == [m.date for m in meetings]
    assert [len(m.steps) for m in plan.meetings] == [len(m.steps) for m in meetings]
    with pytest.raises(ValidationError, match="limit"):
        engine.today_plan(demo_store, as_of, limit=0)
