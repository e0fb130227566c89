"""Chapter commands: chapter (a chapter's figures over a period, as a table, --json, or a
one-page PDF summary) and meeting attend (a member, a visitor or a substitute at a meeting)."""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from netapp.cli import db_path, open_store


def register(sub: Any) -> None:
    p = sub.add_parser(
        "chapter",
        help="a chapter's figures per member (TYFCB, referrals, one-to-ones, visitors, attendance)",
    )
    p.add_argument("group", help="the chapter: a group's id or name")
    p.add_argument("--from", dest="start", help="first day (YYYY-MM-DD); default a year ago")
    p.add_argument("--to", dest="end", help="last day (YYYY-MM-DD); default today")
    p.add_argument("--json", action="store_true")
    p.add_argument("-o", "--output", type=Path, metavar="FILE.pdf", help="a one-page summary")
    p.add_argument("--paper", metavar="a4|letter", help="default: the print.paper setting")
    p.set_defaults(handler=cmd_chapter)


def register_attend(meeting: Any) -> None:
    """``meeting attend`` (called by the meeting command's registration)."""
    m = meeting.add_parser(
        "attend", help="record someone at a meeting: member, visitor, substitute"
    )
    m.add_argument("meeting", help="the meeting's id")
    m.add_argument("person", help="id or exact name")
    who = m.add_mutually_exclusive_group()
    who.add_argument("--visitor-of", metavar="MEMBER", help="a visitor this member brought")
    who.add_argument("--substitute-for", metavar="MEMBER", help="stood in for this member")
    who.add_argument("--visitor", action="store_true", help="a visitor you brought")
    m.set_defaults(handler=cmd_meeting_attend)


def cmd_meeting_attend(args: argparse.Namespace) -> int:
    from netapp.domain import AttendanceRole

    with open_store(args) as store:
        mid = int(store.meetings.get(args.meeting).id or 0)
        person = store.people.find(args.person)
        role, by = AttendanceRole.MEMBER, None
        if args.visitor_of or args.visitor:
            role = AttendanceRole.VISITOR
            by = store.people.find(args.visitor_of).id if args.visitor_of else None
        elif args.substitute_for:
            role = AttendanceRole.SUBSTITUTE
            by = store.people.find(args.substitute_for).id
        added = store.meetings.attend(mid, int(person.id or 0), role=role, brought_by=by)
    print(f"{mid}\t{person.display_name}\t{role.value}{'' if added else ' (already recorded)'}")
    return 0


def _check_output(args: argparse.Namespace) -> Path:
    """The PDF's path, checked by the one safe writer (never the database, its files, a
    backup or another database; the folder must exist)."""
    from netapp.files import check_output

    return check_output(args.output, database=db_path(args))


def cmd_chapter(args: argparse.Namespace) -> int:
    from netapp.store.chapter import chapter_figures

    end = args.end or date.today().isoformat()
    start = args.start
    if start is None:
        from netapp.store.chapter import check_period

        check_period(end, end)
        start = (date.fromisoformat(end) - timedelta(days=364)).isoformat()
    out = _check_output(args) if args.output else None
    with open_store(args) as store:
        group = store.groups.get(args.group)
        figures = chapter_figures(store.db, int(group.id or 0), start, end)
        data = _render(store, figures, args.paper) if out is not None else None
    if out is not None and data is not None:
        from netapp.printing.cards import write_pdf

        write_pdf(data, out, database=db_path(args))
        print(f"{args.output}: {figures.group_name}, {len(figures.members) - 1} members")
    if args.json:
        print(json.dumps(figures.to_json(), ensure_ascii=False, indent=1))
    elif out is None:
        _print_table(figures)
    return 0


def _render(store: Any, figures: Any, paper: str | None) -> bytes:
    from netapp.printing.chapter import render_chapter_summary
    from netapp.printing.logo import load_logo
    from netapp.printing.sheets import default_paper

    s = store.settings
    logo = load_logo(s["print.logo"]) if s["print.logo"] else None
    return render_chapter_summary(figures, paper or default_paper(store), s["print.accent"], logo)


def _print_table(figures: Any) -> None:
    from netapp.reports import CHAPTER_COLUMNS, chapter_rows

    print(f"{figures.group_name}: {figures.start} to {figures.end}, {figures.meetings} meetings")
    print("\t".join(CHAPTER_COLUMNS[1:]))
    for row in chapter_rows(figures):
        print(
            "\t".join(
                "-" if v is None else f"{v:g}" if isinstance(v, float) else str(v) for v in row[1:]
            )
        )
