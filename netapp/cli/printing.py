"""Printing commands: ``cards`` (QR opt-in / contact cards, or a calibration page) and
``sheet followups`` / ``sheet briefing``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from netapp.cli import UsageError, bounded_int, date_arg, open_store
from netapp.domain import CardKind, CardLayout, values

LAYOUT_CHOICES = values(CardLayout)


def _date(field: str) -> Callable[[str], date]:
    check = date_arg(field)
    return lambda text: date.fromisoformat(check(text))


def register(sub: Any) -> None:
    p = sub.add_parser("cards", help="print QR opt-in or contact cards (records the batch)")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--meeting", help="meeting id the cards are for")
    src.add_argument("--campaign", help="campaign name the cards are for")
    p.add_argument("--offer", help="the offer printed on the cards (default: profile.offer)")
    p.add_argument("--layout", choices=LAYOUT_CHOICES, help="default: setting print.layout")
    p.add_argument("--count", type=bounded_int(1, 10_000, "count"), default=10)
    p.add_argument("--kind", choices=values(CardKind), default=CardKind.OPTIN.value)
    p.add_argument("--url", help="opt-in URL for this batch (default: profile.optin_url)")
    p.add_argument(
        "--calibration", action="store_true", help="print the calibration page for --layout"
    )
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    p.add_argument("--json", action="store_true", help="print the batch id and card codes")
    p.set_defaults(handler=cmd_cards)

    sheet = sub.add_parser("sheet", help="print follow-up and briefing sheets").add_subparsers(
        dest="sheet_command", metavar="SHEET", required=True
    )
    s = sheet.add_parser("followups", help="per person: next value, allowed ask, notes")
    s.add_argument("--meeting", help="the people met at this meeting (id)")
    s.add_argument("--on", type=_date("on"), help="agenda from this date (default: today)")
    s.add_argument(
        "--days", type=bounded_int(1, 3660, "days"), default=7, help="agenda days (default 7)"
    )
    s.add_argument("--paper", choices=("a4", "letter"))
    s.add_argument("--today", type=_date("today"), help=argparse.SUPPRESS)
    s.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    s.set_defaults(handler=cmd_sheet_followups)
    s = sheet.add_parser("briefing", help="who is likely at a coming meeting, what to raise")
    s.add_argument("--meeting", required=True, help="meeting id")
    s.add_argument("--paper", choices=("a4", "letter"))
    s.add_argument("--today", type=_date("today"), help=argparse.SUPPRESS)
    s.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    s.set_defaults(handler=cmd_sheet_briefing)


def cmd_cards(args: argparse.Namespace) -> int:
    from netapp.files import check_output
    from netapp.printing import cards
    from netapp.store import now_iso

    with open_store(args) as store:
        check_output(args.output, database=store.path)  # before any work: never the database
        if args.calibration:
            layout = args.layout or store.settings["print.layout"]
            data = cards.calibration_page(
                layout, store.settings["print.offset_x_mm"], store.settings["print.offset_y_mm"]
            )
            cards.write_pdf(data, args.output, database=store.path)
            print(args.output)
            return 0
        if args.meeting is None and args.campaign is None:
            raise UsageError("cards: give --meeting ID or --campaign NAME")
        plan = cards.plan_cards(
            store,
            meeting=args.meeting,
            campaign=args.campaign,
            offer=args.offer,
            layout=args.layout,
            count=args.count,
            kind=args.kind,
            url=args.url,
        )
        _warn(plan.warning())
        res = cards.print_cards(store, plan, args.output, now_iso())
    if args.json:
        print(json.dumps({"batch_id": res.batch_id, "codes": res.codes, "pages": res.pages}))
    else:
        print(f"{res.path}: batch {res.batch_id}, {plan.count} cards on {res.pages} page(s)")
    return 0


def _warn(line: str) -> None:
    if line:
        print(f"netapp: warning: {line}", file=sys.stderr)


def _today(args: argparse.Namespace) -> date:
    return args.today or date.today()


def cmd_sheet_followups(args: argparse.Namespace) -> int:
    from netapp.files import check_output
    from netapp.printing import cards, sheets

    if args.meeting is not None and args.on is not None:
        raise UsageError("sheet followups: give --meeting or --on/--days, not both")
    with open_store(args) as store:
        check_output(args.output, database=store.path)
        sheet = sheets.followup_sheet(
            store, _today(args), meeting=args.meeting, on=args.on, days=args.days
        )
        data = sheets.render_for(store, sheet, args.paper)
    _warn(sheet.warning())
    cards.write_pdf(data, args.output, database=store.path)
    print(f"{args.output}: {len(sheet.entries)} people")
    return 0


def cmd_sheet_briefing(args: argparse.Namespace) -> int:
    from netapp.files import check_output
    from netapp.printing import cards, sheets

    with open_store(args) as store:
        check_output(args.output, database=store.path)
        sheet = sheets.briefing_sheet(store, _today(args), meeting=args.meeting)
        data = sheets.render_for(store, sheet, args.paper)
    _warn(sheet.warning())
    cards.write_pdf(data, args.output, database=store.path)
    print(f"{args.output}: {len(sheet.entries)} people")
    return 0
