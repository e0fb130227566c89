"""Referral commands: referral add|list|set, through the same rules as the Referrals page
(:mod:`netapp.referrals`: the prospect's agreement, counting once, the status flow)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from netapp.cli import UsageError, open_store

LIST_COLUMNS = (
    "id",
    "date",
    "direction",
    "referrer",
    "prospect",
    "provider",
    "status",
    "value",
    "prospect_agreed",
    "last_update",
)


def register(sub: Any) -> None:
    ref = sub.add_parser("referral", help="record and follow referrals").add_subparsers(
        dest="referral_command", metavar="ACTION", required=True
    )
    p = ref.add_parser(
        "add",
        help="record a referral; prints the new id",
        description="--to PERSON: you introduced the prospect to PERSON (given). "
        "--from PERSON: PERSON introduced the prospect to you (received).",
    )
    p.add_argument("prospect", help="the name of the person referred")
    p.add_argument("--to", dest="provider", metavar="PERSON", help="you referred them to PERSON")
    p.add_argument("--from", dest="referrer", metavar="PERSON", help="PERSON referred them to you")
    p.add_argument(
        "--agreed",
        action="store_true",
        help="the prospect agreed to be contacted (required: the app asks the same)",
    )
    p.add_argument("--date", help="the day of the introduction (YYYY-MM-DD); default today")
    p.add_argument("--note", default="")
    p.set_defaults(handler=cmd_referral_add)

    p = ref.add_parser("list", help="referrals given and received")
    p.add_argument(
        "--filter",
        default="all",
        metavar="all|given|received|open|loop",
        help="loop: ones you gave that had no news for two weeks",
    )
    p.add_argument("--on", help="as of this date for --filter loop (YYYY-MM-DD); default today")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_referral_list)

    p = ref.add_parser("set", help="move a referral along: new, contacted, won, lost")
    p.add_argument("referral", type=int, metavar="ID")
    p.add_argument("--status", required=True, metavar="contacted|won|lost")
    p.add_argument("--value", help="the value of the business (needed for won)")
    p.add_argument("--on", help="the day it happened (YYYY-MM-DD); default today")
    p.set_defaults(handler=cmd_referral_set)


def cmd_referral_add(args: argparse.Namespace) -> int:
    from datetime import date

    from netapp import referrals
    from netapp.domain import Referral
    from netapp.fields import parse_date

    if not args.provider and not args.referrer:
        raise UsageError("referral add: say --to PERSON (given) or --from PERSON (received)")
    day = parse_date("date", args.date) if args.date else date.today().isoformat()
    with open_store(args) as store:
        provider = store.people.find(args.provider).id if args.provider else None
        referrer = store.people.find(args.referrer).id if args.referrer else None
        rid = referrals.record(
            store,
            Referral(
                referrer_id=referrer,
                provider_id=provider,
                prospect_name=args.prospect,
                prospect_agreed=args.agreed,
                date=day,
                note=args.note,
            ),
        )
    print(rid)
    return 0


def cmd_referral_list(args: argparse.Namespace) -> int:
    from netapp.cli.engine import _on
    from netapp.errors import ValidationError
    from netapp.referrals import ReferralsList

    filters = ("all", "given", "received", "open", "loop")
    if args.filter not in filters:
        raise ValidationError("filter", f"{args.filter!r} is not one of {', '.join(filters)}")
    with open_store(args) as store:
        query = ReferralsList(store.db)
        query.filter = args.filter
        query.as_of = _on(args)
        rows = [dict(zip(LIST_COLUMNS, r, strict=True)) for r in query.page(0, 10**9, "date")]
    for r in rows:
        r["direction"] = r["direction"].lower()
        r["prospect_agreed"] = bool(r["prospect_agreed"])
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        value = f"{r['value']:,.2f}" if r["value"] is not None else ""
        print(
            f"{r['id']}\t{r['date']}\t{r['direction']}\t{r['referrer']} → {r['prospect']} → "
            f"{r['provider']}\t{r['status']}\t{value}"
        )
    return 0


def cmd_referral_set(args: argparse.Namespace) -> int:
    from netapp import referrals
    from netapp.cli.engine import _on

    value = referrals.parse_value(args.value) if args.value is not None else None
    with open_store(args) as store:
        referrals.set_status(store, args.referral, args.status, value, on=_on(args))
    shown = f"\t{value:,.2f}" if value is not None else ""
    print(f"{args.referral}\t{args.status}{shown}")
    return 0
