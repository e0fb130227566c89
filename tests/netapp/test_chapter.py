"""Chapter figures (#17): per member TYFCB given/received, referrals, one-to-ones, visitors
and attendance (present, absent, substitute) over a chosen period; CLI and one-page PDF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netapp.cli import main
from netapp.domain import AttendanceRole, Interaction, Kind, Person, Referral
from netapp.errors import NotFoundError, ValidationError
from netapp.printing.chapter import render_chapter_summary
from netapp.reports import chapter_report
from netapp.store import Store
from netapp.store.chapter import chapter_figures
from tests.netapp.printing.helpers import clock_moving_a_day_per_read, page_text, render_pages

DAYS = ["2026-11-05", "2026-11-12", "2026-11-19", "2026-11-26"]


def chapter(store: Store) -> dict[str, int]:
    """Four weekly meetings: Ann at every one but the last, Bob once and a substitute once,
    Cara from the third on; Vic visits twice (brought by Ann, then by you)."""
    gid = store.groups.add("BNI Riverside", "weekly", "thu", "")
    ids = {
        n: store.people.add(Person(display_name=n)) for n in ("Ann", "Bob", "Cara", "Vic", "Sam")
    }
    mids = [store.meetings.add("Breakfast", d, group_id=gid) for d in DAYS]
    for mid in mids[:3]:
        store.meetings.attend(mid, ids["Ann"])
    store.meetings.attend(mids[0], ids["Bob"])
    store.meetings.attend(
        mids[1], ids["Sam"], role=AttendanceRole.SUBSTITUTE, brought_by=ids["Bob"]
    )
    for mid in mids[2:]:
        store.meetings.attend(mid, ids["Cara"])
    store.meetings.attend(mids[1], ids["Vic"], role=AttendanceRole.VISITOR, brought_by=ids["Ann"])
    store.meetings.attend(mids[3], ids["Vic"], role=AttendanceRole.VISITOR)
    r1 = store.referrals.add(
        Referral(
            referrer_id=ids["Ann"], prospect_name="P1", prospect_agreed=True, date="2026-11-06"
        )
    )
    store.referrals.set_status(r1, "won", 2500.0)
    r2 = store.referrals.add(
        Referral(
            provider_id=ids["Bob"], prospect_name="P2", prospect_agreed=True, date="2026-11-10"
        )
    )
    store.referrals.set_status(r2, "won", 800.0)
    store.referrals.add(
        Referral(
            referrer_id=ids["Ann"], prospect_name="Old", prospect_agreed=True, date="2026-10-01"
        )
    )
    for who, day in (("Ann", "2026-11-07"), ("Cara", "2026-11-14"), ("Cara", "2026-12-02")):
        store.interactions.add(Interaction(person_id=ids[who], date=day, kind=Kind.ONE_TO_ONE))
    return {"group": gid, **ids}


def by_name(
    store: Store, gid: int, start: str = "2026-11-01", end: str = "2026-11-30"
) -> dict[str, tuple]:
    f = chapter_figures(store.db, gid, start, end)
    return {
        m.name: (m.tyfcb_given, m.tyfcb_received, m.referrals_given, m.referrals_received,
                 m.one_to_ones, m.visitors, m.present, m.absent, m.substitute)
        for m in f.members
    }  # fmt: skip


def test_each_members_figures(store: Store) -> None:
    """TYFCB, referrals, one-to-ones, visitors and attendance per member, counted as defined."""
    ids = chapter(store)
    got = by_name(store, ids["group"])
    assert set(got) == {"You", "Ann", "Bob", "Cara"}  # members only: not the visitor or substitute
    # name:   TYFCB given, received, referrals given, received, 1-2-1s, visitors, P, A, S
    assert got["You"] == (2500.0, 800.0, 1, 1, 2, 1, None, None, None)
    assert got["Ann"] == (0.0, 2500.0, 1, 0, 1, 1, 3, 1, 0)
    assert got["Bob"] == (800.0, 0.0, 0, 1, 0, 0, 1, 2, 1)
    assert got["Cara"] == (0.0, 0.0, 0, 0, 1, 0, 2, 0, 0)


def test_the_period_chooses_what_counts(store: Store) -> None:
    """A shorter period counts only its meetings, referrals and one-to-ones."""
    ids = chapter(store)
    got = by_name(store, ids["group"], "2026-11-01", "2026-11-12")
    assert got["Ann"] == (0.0, 2500.0, 1, 0, 1, 1, 2, 0, 0)
    assert got["Bob"][6:] == (1, 0, 1)
    assert "Cara" not in got  # not yet a member then
    wide = by_name(store, ids["group"], "2026-09-01", "2026-12-31")
    assert wide["Ann"][2] == 2 and wide["Cara"][4] == 2


def test_totals_count_each_one_to_one_once(store: Store) -> None:
    """Totals add the members up; a one-to-one (yours with a member) is counted once."""
    ids = chapter(store)
    t = chapter_figures(store.db, ids["group"], "2026-11-01", "2026-11-30").totals()
    assert (t.tyfcb_given, t.tyfcb_received, t.referrals_given, t.referrals_received) == (
        3300.0,
        3300.0,
        2,
        2,
    )
    assert (t.one_to_ones, t.visitors, t.present, t.absent, t.substitute) == (2, 2, 6, 3, 1)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("2026-11-30", "2026-11-01", "to"),
        ("yesterday", "2026-11-01", "from"),
        ("2000-01-01", "2026-01-01", "to"),
    ],
)
def test_bad_periods_name_the_field(store: Store, start: str, end: str, field: str) -> None:
    """A reversed, unreadable or over-long period is refused naming from or to."""
    gid = store.groups.add("G")
    with pytest.raises(ValidationError) as exc:
        chapter_figures(store.db, gid, start, end)
    assert exc.value.field == field


def test_attendance_roles_are_checked(store: Store) -> None:
    """A substitute must name the member; nobody brings themselves; roles are the vocabulary."""
    ids = chapter(store)
    mid = store.meetings.add("Extra", "2026-11-27", group_id=ids["group"])
    with pytest.raises(ValidationError):
        store.meetings.attend(mid, ids["Sam"], role=AttendanceRole.SUBSTITUTE)
    with pytest.raises(ValidationError):
        store.meetings.attend(mid, ids["Sam"], role="guest")
    with pytest.raises(ValidationError):
        store.meetings.attend(mid, ids["Vic"], role=AttendanceRole.VISITOR, brought_by=ids["Vic"])
    with pytest.raises(NotFoundError):
        store.meetings.attend(mid, ids["Vic"], role=AttendanceRole.VISITOR, brought_by=999)
    assert store.meetings.attendees(mid) == []


def test_the_report_lists_every_chapter(store: Store) -> None:
    """The Reports page's chapter table has a row per member of each group, you first."""
    from datetime import date

    ids = chapter(store)
    table = chapter_report(store, date(2026, 11, 30))
    assert [r[1] for r in table.rows] == ["You", "Ann", "Bob", "Cara"]
    assert table.rows[1][table.columns.index("TYFCB received")] == 2500.0
    assert ids


def test_one_page_summary_reads_back(store: Store) -> None:
    """The summary is one page with every member, their figures and the totals."""
    ids = chapter(store)
    pdf = render_chapter_summary(
        chapter_figures(store.db, ids["group"], "2026-11-01", "2026-11-30")
    )
    assert len(render_pages(pdf)) == 1
    text = page_text(pdf)[0]
    for expected in (
        "Chapter summary: BNI Riverside",
        "Ann",
        "Bob",
        "Cara",
        "Total",
        "3,300",
        "2,500",
    ):
        assert expected in text


def test_the_same_chapter_makes_the_same_pdf(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary of the same figures printed twice gives the same bytes, whatever the clock
    says between the two (docs/samples/chapter-summary.pdf regenerates without churn)."""
    ids = chapter(store)
    figures = chapter_figures(store.db, ids["group"], "2026-11-01", "2026-11-30")
    clock_moving_a_day_per_read(monkeypatch)
    assert render_chapter_summary(figures) == render_chapter_summary(figures)


def test_a_chapter_too_big_for_a_page_stays_on_one_page(store: Store) -> None:
    """Members that do not fit are counted in a last line, and the page count stays one."""
    gid = store.groups.add("Big")
    mid = store.meetings.add("M", "2026-11-05", group_id=gid)
    for n in range(90):
        store.meetings.attend(mid, store.people.add(Person(display_name=f"Member {n:02d}")))
    pdf = render_chapter_summary(chapter_figures(store.db, gid, "2026-11-01", "2026-11-30"))
    assert len(render_pages(pdf)) == 1
    assert "more members (in the totals)" in page_text(pdf)[0]


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_chapter_json_pdf_and_errors(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    """netapp chapter gives the figures (--json), writes the PDF, and fails in one line."""
    with Store(db_path) as store:
        chapter(store)
    code, out, err = run(
        capsys,
        db_path,
        "chapter",
        "BNI Riverside",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["meetings"] == 4 and [m["name"] for m in data["members"]] == [
        "You",
        "Ann",
        "Bob",
        "Cara",
    ]
    assert data["totals"]["one_to_ones"] == 2
    pdf = tmp_path / "summary.pdf"
    code, out, err = run(
        capsys,
        db_path,
        "chapter",
        "1",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "-o",
        str(pdf),
    )
    assert code == 0, err and pdf.read_bytes().startswith(b"%PDF")
    for args, named in (
        (("chapter", "Nope"), "Nope"),
        (("chapter", "1", "--from", "2026-12-01", "--to", "2026-11-01"), "to"),
        (("chapter", "1", "-o", str(db_path)), "database"),
        (("chapter", "1", "-o", str(tmp_path / "none" / "x.pdf")), "does not exist"),
    ):
        code, _out, err = run(capsys, db_path, *args)
        assert code == 1 and named in err and err.count("\n") == 1, err


def test_cli_meeting_attend_roles(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    """meeting attend records a member, a visitor of a member, or a substitute for one."""
    for name in ("Ann", "Vic", "Sam"):
        run(capsys, db_path, "person", "add", name)
    run(capsys, db_path, "group", "add", "G")
    run(capsys, db_path, "meeting", "add", "M", "--date", "2026-11-05", "--group", "G")
    assert run(capsys, db_path, "meeting", "attend", "1", "Ann")[0] == 0
    assert run(capsys, db_path, "meeting", "attend", "1", "Vic", "--visitor-of", "Ann")[0] == 0
    assert run(capsys, db_path, "meeting", "attend", "1", "Sam", "--substitute-for", "Ann")[0] == 0
    code, _o, err = run(capsys, db_path, "meeting", "attend", "1", "Sam", "--substitute-for", "Zed")
    assert code == 1 and "Zed" in err
    with Store(db_path) as store:
        rows = store.db.query(
            "SELECT person_id, role, brought_by FROM attendance ORDER BY person_id"
        )
    assert [(r["person_id"], r["role"], r["brought_by"]) for r in rows] == [
        (1, "member", None), (2, "visitor", 1), (3, "substitute", 1)
    ]  # fmt: skip


def test_merging_a_member_moves_their_visitors_and_undo_splits_them_back(store: Store) -> None:
    """A visitor brought by a duplicate is brought by the kept person after a merge; undoing
    the merge gives them back to the duplicate (attendance.brought_by follows the person)."""
    from netapp.interchange.dedupe import merge_people_undoable

    gid = store.groups.add("G")
    keep, dup, vic = (store.people.add(Person(display_name=n)) for n in ("Ann", "Ann L", "Vic"))
    mid = store.meetings.add("M", "2026-11-05", group_id=gid, attendee_ids=[keep])
    store.meetings.attend(mid, vic, role=AttendanceRole.VISITOR, brought_by=dup)
    change = merge_people_undoable(store, keep, dup)
    assert store.meetings.attendance_rows(mid, [vic])[0]["brought_by"] == keep
    change.undo()
    assert store.meetings.attendance_rows(mid, [vic])[0]["brought_by"] == dup
