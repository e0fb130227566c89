"""Foundation commands: demo, person, group, meeting, log, gui."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from netapp.cli import ID_ARG, bounded_int, date_arg, open_store
from netapp.domain import LOGGABLE_KINDS, Email, Interaction, Kind, Outcome, Person, Phone, values
from netapp.fields import WEEKDAYS


def _today() -> str:
    return date.today().isoformat()


def register(sub: Any) -> None:
    """The core verbs: demo, person, group, meeting, log, gui."""
    _register_demo(sub)
    _register_person(sub)
    _register_group(sub)
    _register_meeting(sub)
    _register_log(sub)
    p = sub.add_parser("gui", help="start the desktop app (or render a screenshot)")
    p.add_argument("--screenshot", metavar="FILE.png")
    p.add_argument("--view", default="today")
    p.add_argument("--size", default="1280x800")
    p.set_defaults(handler=cmd_gui)


def _register_demo(sub: Any) -> None:
    p = sub.add_parser("demo", help="fill the database with realistic demo data")
    p.add_argument("--people", type=bounded_int(0, 100_000, "people"), default=120)
    p.add_argument("--seed", type=bounded_int(0, 2**32, "seed"), default=1)
    p.add_argument(
        "--today",
        type=date_arg("today"),
        help="the demo's 'today' (YYYY-MM-DD); default: the real today",
    )
    p.add_argument(
        "--remove",
        action="store_true",
        help="take the demo data out again (backs the database up first)",
    )
    p.set_defaults(handler=cmd_demo)


def _register_person(sub: Any) -> None:
    person = sub.add_parser("person", help="add, list and show people").add_subparsers(
        dest="person_command", metavar="ACTION", required=True
    )
    p = person.add_parser("add", help="add a person; prints the new id")
    p.add_argument("name")
    p.add_argument("--org", default="")
    p.add_argument("--title", default="")
    p.add_argument("--email", action="append", default=[])
    p.add_argument("--phone", action="append", default=[])
    p.add_argument("--tag", action="append", default=[])
    p.add_argument("--note", default="")
    p.add_argument("--birthday", default="")
    p.add_argument("--website", default="")
    p.add_argument("--remind-on", dest="remind_on", default="", metavar="YYYY-MM-DD")
    p.set_defaults(handler=cmd_person_add)
    p = person.add_parser("list", help="list people, optionally matching a search")
    p.add_argument("--search", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_person_list)
    p = person.add_parser("show", help="show one person")
    p.add_argument("person")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_person_show)
    _register_person_edits(person)


def _register_group(sub: Any) -> None:
    group = sub.add_parser("group", help="add, change and list groups and their schedules")
    actions = group.add_subparsers(dest="group_command", metavar="ACTION", required=True)
    g = actions.add_parser("add", help="add a group; prints the new id")
    g.add_argument("name")
    _schedule_options(g)
    g.set_defaults(handler=cmd_group_add)
    g = actions.add_parser("set", help="change a group's name, schedule or usual venue")
    g.add_argument("group", help="id or name")
    g.add_argument("--name", help="rename the group")
    _schedule_options(g)
    g.set_defaults(handler=cmd_group_set)
    g = actions.add_parser("list", help="list groups with their schedule and next meeting")
    g.add_argument(
        "--on", type=date_arg("on"), help="next meetings from this date (YYYY-MM-DD); default today"
    )
    g.add_argument("--json", action="store_true")
    g.set_defaults(handler=cmd_group_list)


def _register_meeting(sub: Any) -> None:
    p = sub.add_parser("meeting", help="record meetings").add_subparsers(
        dest="meeting_command", metavar="ACTION", required=True
    )
    m = p.add_parser("add", help="record a meeting and who was there")
    m.add_argument("name")
    m.add_argument("--date", required=True, type=str)
    m.add_argument("--group")
    m.add_argument("--venue", default="")
    m.add_argument("--attendee", action="append", default=[])
    m.set_defaults(handler=cmd_meeting_add)
    m = p.add_parser("list", help="list meetings")
    m.add_argument("--json", action="store_true")
    m.set_defaults(handler=cmd_meeting_list)
    from netapp.cli.chapter import register_attend

    register_attend(p)
    m = p.add_parser("show", help="show one meeting and who was there")
    m.add_argument("meeting", help="the meeting's id (see meeting list)")
    m.add_argument("--json", action="store_true")
    m.set_defaults(handler=cmd_meeting_show)


def _register_log(sub: Any) -> None:
    p = sub.add_parser("log", help="log an interaction with a person")
    p.add_argument("person")
    p.add_argument("kind", choices=[k.value for k in LOGGABLE_KINDS])
    p.add_argument("--date", default=None, type=str)
    p.add_argument("--note", default="")
    p.add_argument("--ask", dest="ask_type")
    p.add_argument("--outcome", choices=values(Outcome))
    p.add_argument("--amount", type=float)
    p.add_argument("--item", type=ID_ARG, help="the library item given (value-given)")
    p.set_defaults(handler=cmd_log)


def _register_person_edits(person: Any) -> None:
    p = person.add_parser(
        "set",
        help="change a person's details",
        description="Change only what is named. --email and --phone replace the person's "
        "addresses or numbers with the ones given (give --email '' to clear them); --tag adds "
        "a tag, --untag takes one off.",
    )
    p.add_argument("person", help="id or exact name")
    p.add_argument("--name", dest="display_name")
    p.add_argument("--org")
    p.add_argument("--title")
    p.add_argument("--email", action="append")
    p.add_argument("--phone", action="append")
    p.add_argument("--tag", action="append", default=[])
    p.add_argument("--untag", action="append", default=[])
    p.add_argument("--note")
    p.add_argument(
        "--birthday", help="YYYY-MM-DD, or without the year --birthday=--MM-DD ('' clears it)"
    )
    p.add_argument("--website")
    p.add_argument(
        "--remind-on", dest="remind_on", metavar="YYYY-MM-DD", help="remind me on ('' clears it)"
    )
    p.set_defaults(handler=cmd_person_set)
    for verb, text in (("tag", "give a tag to"), ("untag", "take a tag off")):
        p = person.add_parser(verb, help=f"{text} several people at once (one transaction)")
        p.add_argument("tag")
        p.add_argument("people", nargs="+", metavar="PERSON", help="ids or exact names")
        p.set_defaults(handler=cmd_person_tag, untag=verb == "untag")
    p = person.add_parser(
        "delete", help="delete a person and their whole history (backs the database up first)"
    )
    p.add_argument("person", help="id or exact name")
    p.set_defaults(handler=cmd_person_delete)
    p = person.add_parser(
        "merge", help="merge OTHER into KEEP (the same person twice) and delete OTHER"
    )
    p.add_argument("keep", help="id or exact name of the record to keep")
    p.add_argument("other", help="id or exact name of the duplicate")
    p.set_defaults(handler=cmd_person_merge)


def cmd_demo(args: argparse.Namespace) -> int:
    from netapp.demo import generate, remove

    with open_store(args) as store:
        if args.remove:
            summary = remove(store)
        else:
            summary = generate(store, people=args.people, seed=args.seed, today=args.today)
    print(json.dumps(summary))
    return 0


def cmd_person_add(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        person = Person(
            display_name=args.name,
            org=args.org,
            title=args.title,
            emails=[Email(e) for e in args.email],
            phones=[Phone(p, valid=False) for p in args.phone],
            tags=args.tag,
            note=args.note,
            birthday=args.birthday,
            website=args.website,
            remind_on=args.remind_on,
            source="cli",
        )
        print(store.people.add(person))
    return 0


def cmd_person_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if args.search:
            ids = [r["id"] for r in store.people.search(args.search, limit=1_000_000)]
        else:
            ids = [
                r["id"]
                for r in store.db.query(
                    "SELECT id FROM people ORDER BY display_name COLLATE NOCASE, id"
                )
            ]
        people = [store.people.get(i) for i in ids]
    if args.json:
        json.dump([p.to_json() for p in people], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for p in people:
            print(f"{p.id}\t{p.display_name}\t{p.org}")
    return 0


def cmd_person_show(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        p = store.people.find(args.person)
    if args.json:
        print(json.dumps(p.to_json(), ensure_ascii=False, indent=1))
    else:
        for key, value in p.to_json().items():
            if isinstance(value, list):
                value = ", ".join(value)
            print(f"{key:>13}: {value if value is not None else ''}")
    return 0


def _person_changes(args: argparse.Namespace, current: Person) -> dict[str, Any]:
    """What ``person set`` asks to change, as ``store.people.update`` takes it."""
    changes: dict[str, Any] = {
        key: getattr(args, key)
        for key in ("display_name", "org", "title", "note", "birthday", "website", "remind_on")
        if getattr(args, key) is not None
    }
    for key, given in (("emails", args.email), ("phones", args.phone)):
        if given is not None:
            changes[key] = [v for v in given if v.strip()]
    if args.tag or args.untag:
        drop = {t.strip().casefold() for t in args.untag}
        tags = [t for t in current.tags if t.casefold() not in drop]
        have = {t.casefold() for t in tags}
        for t in args.tag:
            if t.strip() and t.strip().casefold() not in have:
                tags.append(t.strip())
                have.add(t.strip().casefold())
        changes["tags"] = tags
    return changes


def cmd_person_set(args: argparse.Namespace) -> int:
    from netapp.cli import UsageError

    with open_store(args) as store:
        current = store.people.find(args.person)
        changes = _person_changes(args, current)
        if not changes:
            raise UsageError(
                "person set: say what to change (--name, --org, --title, --email, --phone, "
                "--tag, --untag, --note, --birthday, --website, --remind-on)"
            )
        p = store.people.update(int(current.id or 0), **changes)
    print(f"{p.id}\t{p.display_name}\t{p.org}")
    return 0


def cmd_person_tag(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        ids = [int(store.people.find(ref).id or 0) for ref in args.people]
        write = store.people.untag_many if args.untag else store.people.tag_many
        changed = write(ids, args.tag)
    verb = "untagged" if args.untag else "tagged"
    print(f"{verb} {len(changed)} of {len(set(ids))}")
    return 0


def cmd_person_delete(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        p = store.people.find(args.person)
        store.backup("pre-delete")
        store.people.delete(int(p.id or 0))
    print(f"deleted {p.id}\t{p.display_name}")
    return 0


def cmd_person_merge(args: argparse.Namespace) -> int:
    from netapp.interchange.dedupe import merge_people

    with open_store(args) as store:
        keep = store.people.find(args.keep)
        other = store.people.find(args.other)
        store.backup("pre-merge")
        p = merge_people(store, int(keep.id or 0), int(other.id or 0))
    print(f"{p.id}\t{p.display_name}\t{p.org}")
    return 0


def _schedule_options(p: argparse.ArgumentParser) -> None:
    # No argparse choices: the core checks the values, so a mistake gets one line naming it.
    p.add_argument(
        "--every",
        metavar="none|weekly|fortnightly|monthly",
        help="how often the group meets (monthly: the first WEEKDAY of the month)",
    )
    p.add_argument("--weekday", metavar="mon..sun", help="the day of the week it meets on")
    p.add_argument("--venue", help="where it usually meets")


def _schedule(recurrence: str, weekday: int | None) -> str:

    if recurrence == "none" or weekday is None:
        return ""
    day = WEEKDAYS[weekday].capitalize()
    return f"monthly, first {day}" if recurrence == "monthly" else f"{recurrence}, {day}"


def cmd_group_add(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        print(store.groups.add(args.name, args.every or "none", args.weekday, args.venue or ""))
    return 0


def cmd_group_set(args: argparse.Namespace) -> int:
    from netapp.cli import UsageError

    changes = {
        key: value
        for key, value in (
            ("name", args.name),
            ("recurrence", args.every),
            ("weekday", args.weekday),
            ("venue", args.venue),
        )
        if value is not None
    }
    if not changes:
        raise UsageError("group set: say what to change (--name, --every, --weekday, --venue)")
    with open_store(args) as store:
        g = store.groups.update(args.group, **changes)
    print(f"{g.id}\t{g.name}\t{_schedule(g.recurrence, g.weekday)}\t{g.venue}")
    return 0


def cmd_group_list(args: argparse.Namespace) -> int:
    from netapp.cli.engine import _on
    from netapp.engine import load_context
    from netapp.engine.timing import next_meeting

    as_of = _on(args)
    with open_store(args) as store:
        rows = store.groups.stats()
        groups = load_context(store, as_of).groups
    out = []
    for r in rows:
        info = groups.get(r["id"])
        coming = next_meeting(info, as_of) if info is not None else None
        day = r["weekday"]
        out.append(
            {
                "id": r["id"],
                "name": r["name"],
                "recurrence": r["recurrence"],
                "weekday": WEEKDAYS[day] if day is not None else None,
                "venue": r["venue"],
                "meetings": r["meetings"],
                "last_meeting": r["last_meeting"],
                "next_meeting": coming.isoformat() if coming else None,
            }
        )
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        for g, r in zip(out, rows, strict=True):
            print(
                f"{g['id']}\t{g['name']}\t{_schedule(r['recurrence'], r['weekday']) or '-'}"
                f"\t{g['venue']}\t{g['meetings']} meetings\tnext {g['next_meeting'] or '-'}"
            )
    return 0


def cmd_meeting_add(args: argparse.Namespace) -> int:
    from netapp.errors import AmbiguousError
    from netapp.fields import parse_date

    parse_date("date", args.date)  # fail before any write
    with open_store(args) as store, store.atomic():
        group_id = store.groups.ensure(args.group) if args.group else None
        attendee_ids = []
        for name in args.attendee:
            ids = store.people.ids_by_name(name)
            if len(ids) > 1:
                raise AmbiguousError(
                    f"attendee {name!r} matches {len(ids)} people; use `netapp person` to tell them apart"
                )
            attendee_ids.append(
                ids[0] if ids else store.people.add(Person(display_name=name, source="meeting"))
            )
        mid = store.meetings.add(
            args.name, args.date, group_id=group_id, venue=args.venue, attendee_ids=attendee_ids
        )
    print(mid)
    return 0


def cmd_meeting_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        rows = store.db.query(
            """SELECT m.id, m.name, m.date, g.name AS "group", m.venue,
                      (SELECT count(*) FROM attendance a WHERE a.meeting_id = m.id) AS attendees
               FROM meetings m LEFT JOIN groups g ON g.id = m.group_id ORDER BY m.date DESC, m.id DESC"""
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(f"{r['id']}\t{r['date']}\t{r['name']}\t{r['group'] or ''}\t{r['attendees']}")
    return 0


def cmd_meeting_show(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        m = store.meetings.get(args.meeting)
        group = store.groups.get(m.group_id).name if m.group_id is not None else None
        ids = store.meetings.attendees(int(m.id or 0))
        names = store.people.names(ids)
    attendees = [{"id": i, "display_name": names.get(i, "")} for i in ids]
    data: dict[str, Any] = {
        "id": m.id,
        "name": m.name,
        "date": m.date,
        "group": group,
        "venue": m.venue,
        "note": m.note,
        "attendees": attendees,
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    print(f"{m.name} (#{m.id}) on {m.date}")
    for label, value in (("group", group), ("venue", m.venue), ("note", m.note)):
        if value:
            print(f"  {label}: {value}")
    print(f"  attendees ({len(ids)}):")
    for a in sorted(attendees, key=lambda a: str(a["display_name"]).casefold()):
        print(f"    {a['id']}\t{a['display_name']}")
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    from netapp.engine.ladder import log_interaction

    with open_store(args) as store:
        person = store.people.find(args.person)
        iid = log_interaction(
            store,
            Interaction(
                person_id=int(person.id or 0),
                date=args.date or _today(),
                kind=Kind(args.kind),
                note=args.note,
                ask_type=args.ask_type,
                outcome=Outcome(args.outcome) if args.outcome else None,
                amount=args.amount,
                library_item_id=args.item,
            ),
        )
    print(iid)
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from netapp.cli import NO_FRONTEND, UsageError, db_path

    frontend = args.frontend
    if frontend is None:
        raise UsageError(NO_FRONTEND)
    if args.screenshot:
        return int(frontend.screenshot(db_path(args), args.screenshot, args.view, args.size))
    return int(frontend.run_app(db_path(args)))
