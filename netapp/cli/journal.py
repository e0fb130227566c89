"""Journal notes, search everywhere and the day's reminders: note add|list|set|delete, search,
reminders (what the app's desktop notification says, for a script or a cron job)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from netapp.cli import open_store
from netapp.domain import SearchKind


def register(sub: Any) -> None:
    notes = sub.add_parser("note", help="dated journal notes on a person").add_subparsers(
        dest="note_command", metavar="ACTION", required=True
    )
    p = notes.add_parser("add", help="add a note to a person; prints the new id")
    p.add_argument("person", help="id or exact name")
    p.add_argument("text", help="the note (- reads it from stdin; may have several lines)")
    p.add_argument("--date", help="the day it is about (YYYY-MM-DD); default today")
    p.set_defaults(handler=cmd_note_add)
    p = notes.add_parser("list", help="a person's notes, newest first")
    p.add_argument("person", help="id or exact name")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_note_list)
    p = notes.add_parser("set", help="change a note's text or date")
    p.add_argument("note", type=int, metavar="ID")
    p.add_argument("--text")
    p.add_argument("--date")
    p.set_defaults(handler=cmd_note_set)
    p = notes.add_parser("delete", help="delete a note")
    p.add_argument("note", type=int, metavar="ID")
    p.set_defaults(handler=cmd_note_delete)

    p = sub.add_parser(
        "search", help="find people, meetings, groups, referrals, library items and notes"
    )
    p.add_argument("text")
    p.add_argument("--kind", action="append", metavar="|".join(SearchKind), help="only these")
    p.add_argument("--limit", type=int, default=20, help="results per kind (default 20)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("reminders", help="the day's reminders, as the desktop notification says")
    p.add_argument("--on", help="as of this date (YYYY-MM-DD); default today")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_reminders)


def _text(arg: str) -> str:
    return sys.stdin.read() if arg == "-" else arg


def cmd_note_add(args: argparse.Namespace) -> int:
    from netapp.domain import Note

    day = args.date or date.today().isoformat()
    text = _text(args.text)
    with open_store(args) as store:
        person = store.people.find(args.person)
        print(store.notes.add(Note(person_id=int(person.id or 0), date=day, text=text)))
    return 0


def cmd_note_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        person = store.people.find(args.person)
        notes = store.notes.for_person(int(person.id or 0))
    if args.json:
        print(json.dumps([n.to_json() for n in notes], ensure_ascii=False, indent=1))
        return 0
    for n in notes:
        first, *rest = n.text.splitlines() or [""]
        print(f"{n.id}\t{n.date}\t{first}")
        for line in rest:
            print(f"\t\t{line}")
    return 0


def cmd_note_set(args: argparse.Namespace) -> int:
    from netapp.cli import UsageError

    if args.text is None and args.date is None:
        raise UsageError("note set: say what to change (--text, --date)")
    text = _text(args.text) if args.text is not None else None
    with open_store(args) as store:
        store.notes.update(args.note, date=args.date, text=text)
        n = store.notes.get(args.note)
    print(f"{n.id}\t{n.date}")
    return 0


def cmd_note_delete(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        row = store.notes.delete(args.note)
    print(f"deleted note {row['id']}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from netapp.errors import ValidationError
    from netapp.store.search import search

    kinds: tuple[SearchKind, ...] | None = None
    if args.kind:
        try:
            kinds = tuple(SearchKind(k) for k in args.kind)
        except ValueError:
            raise ValidationError(
                "kind", f"choose from {', '.join(SearchKind)}, not {args.kind!r}"
            ) from None
    if not 1 <= args.limit <= 10_000:
        raise ValidationError("limit", "must be between 1 and 10000")
    with open_store(args) as store:
        hits = search(store.db, args.text, per_kind=args.limit, kinds=kinds)
    if args.json:
        print(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=1))
        return 0
    for h in hits:
        print(f"{h.kind.value}\t{h.id}\t{h.title}\t{h.detail}")
    return 0


def cmd_reminders(args: argparse.Namespace) -> int:
    from netapp.cli.engine import _on
    from netapp.reminders import notices

    as_of = _on(args)
    with open_store(args) as store:
        out = notices(store, as_of)
    if args.json:
        print(json.dumps([n.to_json() for n in out], ensure_ascii=False, indent=1))
        return 0
    for n in out:
        print(n.title)
        for line in n.body.splitlines():
            print(f"  {line}")
    return 0
