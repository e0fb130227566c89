"""Engine commands: status, agenda, library add|list."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from netapp.cli import bounded_int, date_arg, open_store
from netapp.domain import LibraryKind, Outcome, values


def _on(args: argparse.Namespace) -> date:
    """The ``--on`` date, or today: the command line is where the clock is read."""
    from netapp.fields import parse_date

    return date.fromisoformat(parse_date("on", args.on)) if args.on else date.today()


def register(sub: Any) -> None:
    p = sub.add_parser("status", help="where a relationship stands and the next step")
    p.add_argument("person", help="id or exact name")
    p.add_argument("--on", type=date_arg("on"), help="as of this date (YYYY-MM-DD); default today")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("agenda", help="every due next step, most urgent first")
    p.add_argument("--on", type=date_arg("on"), help="as of this date (YYYY-MM-DD); default today")
    p.add_argument(
        "--days",
        type=bounded_int(1, 3660, "days"),
        help="horizon in days (default: the agenda.days setting)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_agenda)
    steps = p.add_subparsers(dest="agenda_command", metavar="ACTION")
    s = steps.add_parser(
        "done", help="log a person's next step as done (as Today's Done button does)"
    )
    s.add_argument("person", metavar="STEP", help="the person whose step it is (id or exact name)")
    s.add_argument("--on", help="the day it was done (YYYY-MM-DD); default today")
    s.add_argument("--outcome", metavar="|".join(o.value for o in Outcome), help="how an ask went")
    s.set_defaults(handler=cmd_agenda_done)
    s = steps.add_parser("snooze", help="hide a person's next step until a date")
    s.add_argument("person", metavar="STEP", help="the person whose step it is (id or exact name)")
    s.add_argument("--until", required=True, help="YYYY-MM-DD")
    s.add_argument("--on", help="as of this date (YYYY-MM-DD); default today")
    s.set_defaults(handler=cmd_agenda_snooze)

    lib = sub.add_parser("library", help="the value library: things worth giving").add_subparsers(
        dest="library_command", metavar="ACTION", required=True
    )
    p = lib.add_parser("add", help="add an item; prints the new id")
    p.add_argument("title")
    p.add_argument("--kind", required=True, choices=values(LibraryKind))
    p.add_argument("--url", default="")
    p.add_argument("--description", default="")
    p.add_argument("--tag", action="append", default=[])
    p.set_defaults(handler=cmd_library_add)
    p = lib.add_parser("list", help="list items with how often each was given and worked")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="include retired items")
    p.set_defaults(handler=cmd_library_list)


def cmd_status(args: argparse.Namespace) -> int:
    from netapp import engine
    from netapp.engine.wording import ask_labels, ask_words, step_words

    as_of = _on(args)
    with open_store(args) as store:
        person = store.people.find(args.person)
        s = engine.status(store, int(person.id or 0), as_of)
        labels = ask_labels(store)
    step = s.next_step
    if args.json:  # the stable ids, and the words people read beside them
        out = s.to_json()
        out["next_step"]["words"] = step_words(step, labels)
        out["allowed_ask_words"] = [ask_words(a, labels) for a in s.allowed_asks]
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print(f"{s.display_name} (#{s.person_id}) as of {as_of.isoformat()}")
    print(f"  stage: {s.stage.value} ({s.stage_reason})")
    if s.stage_note:
        print(f"  today: {s.current_stage.value}: {s.stage_note}")
    if s.stage_history:
        print(f"  stage history: {s.history_line()}")
    print(f"  trust: {s.trust:g}/100")
    if s.flags:
        print(f"  flags: {', '.join(s.flags)}")
    print(f"  meetings together: {s.repeat_contacts} ({s.repeat_contacts_6m} in 6 months)")
    print(f"  given:asked: {s.given}:{s.asked}")
    print(f"  value 12 months: {s.value_12m:,.2f}  forecast: {s.forecast_12m:,.2f}")
    allowed = ", ".join(ask_words(a, labels) for a in s.allowed_asks)
    print(f"  may ask: {allowed or 'nothing yet'}")
    for b in s.blocked_asks:
        print(f"  not yet: {ask_words(b.ask, labels)}: {b.reason}")
    due = step.due.isoformat() if step.due else "-"
    print(f"  next: {step_words(step, labels)}, due {due}{' (overdue)' if step.overdue else ''}")
    print(f"        {step.reason}")
    print("  evidence:")
    for e in s.evidence:
        print(f"    - {e}")
    return 0


def cmd_agenda(args: argparse.Namespace) -> int:
    from netapp import engine
    from netapp.engine.wording import ask_labels, step_words
    from netapp.errors import ValidationError

    as_of = _on(args)
    with open_store(args) as store:
        days = args.days if args.days is not None else int(store.settings["agenda.days"])
        if not 0 <= days <= 3650:
            raise ValidationError("days", "must be between 0 and 3650")
        steps = engine.agenda(store, as_of, days=days)
        labels = ask_labels(store)
    if args.json:  # the stable ids (kind, ask), and the words people read beside them
        rows = [{**s.to_json(), "words": step_words(s, labels)} for s in steps]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for s in steps:
        what = step_words(s, labels)
        flag = "OVERDUE " if s.overdue else ""
        due = s.due.isoformat() if s.due else ""
        print(f"{due}\t{flag}{what}\t{s.display_name} (#{s.person_id})\t{s.reason}")
    return 0


def _current_step(store: Any, ref: str, as_of: date) -> Any:
    """The person's next step as of ``as_of``; an error naming them when nothing is due."""
    from netapp import engine
    from netapp.errors import ValidationError

    person = store.people.find(ref)
    step = engine.status(store, int(person.id or 0), as_of).next_step
    if step.kind == "none":
        raise ValidationError("step", f"{person.display_name} has no next step to do or snooze")
    return step


def cmd_agenda_done(args: argparse.Namespace) -> int:
    from netapp import engine
    from netapp.engine.wording import ask_labels, step_words
    from netapp.errors import ValidationError

    as_of = _on(args)
    if args.outcome is not None and args.outcome not in {o.value for o in Outcome}:
        raise ValidationError(
            "outcome", f"{args.outcome!r} is not one of {', '.join(o.value for o in Outcome)}"
        )
    with open_store(args) as store:
        step = _current_step(store, args.person, as_of)
        labels = ask_labels(store)
        if step.kind != "ask" and args.outcome:
            raise ValidationError("outcome", f"only an ask has an outcome; this is a {step.kind}")
        iid = engine.mark_done(
            store,
            step.person_id,
            step.kind,
            as_of,
            ask=step.ask,
            outcome=args.outcome if step.kind == "ask" else None,
            item_id=step.item_id,
        )
    what = step_words(step, labels)  # as Today words it: "Ask: Join your email list"
    print(f"{iid}\tdone: {what}\t{step.display_name} (#{step.person_id})")
    return 0


def cmd_agenda_snooze(args: argparse.Namespace) -> int:
    from netapp import engine
    from netapp.errors import ValidationError
    from netapp.fields import parse_date

    as_of = _on(args)
    until = date.fromisoformat(parse_date("until", args.until))
    if until <= as_of:
        raise ValidationError("until", f"{until.isoformat()} is not after {as_of.isoformat()}")
    with open_store(args) as store:
        step = _current_step(store, args.person, as_of)
        engine.snooze(store, step.person_id, step.kind, until)
    print(f"snoozed {step.kind} until {until.isoformat()}\t{step.display_name} (#{step.person_id})")
    return 0


def cmd_library_add(args: argparse.Namespace) -> int:
    from netapp.domain import LibraryItem

    with open_store(args) as store:
        iid = store.library.add(
            LibraryItem(
                title=args.title,
                kind=LibraryKind(args.kind),
                url=args.url,
                description=args.description,
                tags=args.tag,
            )
        )
    print(iid)
    return 0


def cmd_library_list(args: argparse.Namespace) -> int:
    from netapp import engine

    with open_store(args) as store:
        items = store.library.all(include_retired=args.all)
        stats = {s.item_id: s for s in engine.library_stats(store)}
    rows: list[dict[str, Any]] = []
    for it in items:
        st = stats.get(int(it.id or 0))
        rows.append(
            {
                "id": it.id,
                "title": it.title,
                "kind": it.kind.value,
                "url": it.url,
                "description": it.description,
                "tags": it.tags,
                "retired": it.retired_at is not None,
                "given": st.given if st else 0,
                "followed_by_accept": st.followed_by_accept if st else 0,
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        print(
            f"{r['id']}\t{r['kind']}\t{r['title']}\t{r['url']}\t{','.join(r['tags'])}\t"
            f"given {r['given']}, accepted ask after {r['followed_by_accept']}"
        )
    return 0
