"""Commands: import, export, optin, optout, forget, duplicates."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from netapp.cli import ID_ARG, UsageError, date_arg, open_store
from netapp.domain import ConsentMethod, values


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import",
        help="import contacts: vCard, LinkedIn/Google/Outlook CSV, or a netapp JSON backup",
    )
    p.add_argument("files", nargs="*", metavar="FILE")
    p.add_argument("--region", help="default phone region for this import (e.g. GB)")
    p.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="map a column of an unknown CSV layout to a field (repeat for each column)",
    )
    p.add_argument("--undo", type=ID_ARG, metavar="BATCH", help="take an earlier import back out")
    p.add_argument("--list", action="store_true", help="list earlier imports")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("export", help="export contacts, opt-ins, follow-ups or a full backup")
    p.add_argument(
        "--format", required=True, choices=["vcard", "vcard3", "csv", "optins", "ics", "json"]
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--person", action="append", default=[], help="only these people (id or name)")
    p.add_argument(
        "--today", type=date_arg("today"), help="the date follow-ups are counted from (YYYY-MM-DD)"
    )
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("optin", help="record consent to email (card code, paper, verbal, web)")
    p.add_argument(
        "ref",
        nargs="*",
        metavar="CODE_OR_PERSON",
        help="a card code as printed (ABC-DEFG; any dash, spaces or case) or a person",
    )
    p.add_argument("--email")
    # "import" is what an import records; a person cannot say it was given that way.
    p.add_argument("--method", choices=[m for m in values(ConsentMethod) if m != "import"])
    p.add_argument("--date", type=str, help="when consent was given (YYYY-MM-DD); default now")
    p.add_argument("--name", help="name for a new person created from a card")
    p.add_argument("--wording", default="", help="the wording the person agreed to")
    p.add_argument(
        "--subscribers", metavar="FILE", help="attach an email tool's subscriber export (CSV)"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_optin)

    p = sub.add_parser("optout", help="withdraw a person's consent to email")
    p.add_argument("person", help="id, exact name or email address")
    p.add_argument("--date", type=str)
    p.set_defaults(handler=cmd_optout)

    p = sub.add_parser("forget", help="erase a person and every trace of them")
    p.add_argument("person", help="id or exact name")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=cmd_forget)

    p = sub.add_parser("duplicates", help="list people who may be the same person")
    p.add_argument("--json", action="store_true")
    p.add_argument("--merge-auto", action="store_true", help="merge the certain ones")
    p.set_defaults(handler=cmd_duplicates)


class ProgressBar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        pct = min(100, done * 100 // total)
        if pct == self.last:
            return
        self.last = pct
        width = 30
        fill = width * pct // 100
        sys.stderr.write(f"\r{self.label} [{'#' * fill}{'.' * (width - fill)}] {pct:3d}%")
        if pct >= 100:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _mapping(specs: list[str]) -> dict[str, str] | None:
    if not specs:
        return None
    out: dict[str, str] = {}
    for spec in specs:
        col, sep, fld = spec.partition("=")
        if not sep:
            raise UsageError(f"--map {spec!r}: write COLUMN=FIELD")
        out[col] = fld.strip()
    return out


def cmd_import(args: argparse.Namespace) -> int:
    from netapp.interchange.importer import import_files, list_batches, undo_import

    with open_store(args) as store:
        if args.list:
            rows = list_batches(store)
            if args.json:
                print(json.dumps(rows, ensure_ascii=False, indent=1))
            for r in rows:
                print(f"{r['id']}\t{r['created_at']}\t{r['format']}\t{r['people']}\t{r['source']}")
            return 0
        if args.undo is not None:
            result = undo_import(store, args.undo)
            print(
                f"import {args.undo} undone: {result['removed']} people removed, "
                f"{result['restored']} merged people put back"
            )
            return 0
        if not args.files:
            raise UsageError("name at least one FILE to import")
        mapping = _mapping(args.map)
        mappings = {f: mapping for f in args.files} if mapping else None
        plan = import_files(
            store,
            args.files,
            region=args.region,
            dry_run=args.dry_run,
            mappings=mappings,
            progress=ProgressBar("importing"),
        )
    if args.json:
        print(json.dumps(plan.to_json(), ensure_ascii=False, indent=1))
    else:
        _print_plan(plan, args.dry_run)
    return 1 if plan.rejected else 0


def _print_plan(plan: Any, dry_run: bool) -> None:
    """Per file: what was (or would be) imported, then every skipped record and every value a
    record could not keep, each with its line."""
    verb = "would import" if dry_run else "imported"
    for f in plan.files:
        if f.error:
            print(f"{f.file}: rejected: {f.error}")
            continue
        unchanged = f", unchanged {f.unchanged}" if f.unchanged else ""
        print(
            f"{f.file} ({f.format}): {verb} {f.imported}, merged {f.merged}{unchanged}, "
            f"skipped {len(f.skipped)}"
        )
        for s in f.skipped:
            print(f"  line {s.line}: {s.reason}")
        for w in f.warnings():
            print(f"  line {w['line']}: {w['name']}: {w['message']}")


def cmd_export(args: argparse.Namespace) -> int:
    from netapp.files import check_output
    from netapp.interchange.export import export_to_file, is_encrypted

    as_of = date.fromisoformat(args.today) if args.today else date.today()
    with open_store(args) as store:
        check_output(args.output, database=store.path)  # before any work: never the database
        ids = [int(store.people.find(p).id or 0) for p in args.person] or None
        if is_encrypted(store):
            print(
                f"netapp: warning: the database is encrypted, but {args.output} is a plain, "
                "unencrypted file; keep it somewhere safe",
                file=sys.stderr,
            )
        written = export_to_file(store, args.format, args.output, ids=ids, as_of=as_of)
    print(f"wrote {args.output} ({written.bytes} bytes)")
    return 0


def cmd_optin(args: argparse.Namespace) -> int:
    from netapp.interchange.consent import import_subscribers, record_optin

    with open_store(args) as store:
        if args.subscribers:
            sub = import_subscribers(store, args.subscribers)
            if args.json:
                print(json.dumps(sub.to_json(), ensure_ascii=False, indent=1))
            else:
                print(f"{sub.file}: {sub.matched} opt-ins recorded, {len(sub.skipped)} skipped")
                for s in sub.skipped:
                    print(f"  line {s.line}: {s.reason}")
            return 0
        if not args.ref:
            raise UsageError("name a card code or a person, or give --subscribers FILE")
        result = record_optin(
            store,
            " ".join(args.ref),  # `netapp optin ABC DEFG`, unquoted, is one code
            email=args.email,
            method=args.method,
            when=args.date,
            name=args.name,
            wording=args.wording,
        )
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        extra = " (new person)" if result.created_person else ""
        print(f"opt-in recorded for {result.display_name} (person {result.person_id}){extra}")
    return 0


def cmd_optout(args: argparse.Namespace) -> int:
    from netapp.interchange.consent import withdraw

    with open_store(args) as store:
        pid, n = withdraw(store, args.person, args.date)
    print(f"person {pid}: {n} consent(s) withdrawn")
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    from netapp.safety.forget import forget

    with open_store(args) as store:
        person = store.people.find(args.person)
        if not args.yes:
            if not sys.stdin.isatty():
                raise UsageError("forgetting cannot be undone; add --yes to confirm")
            answer = input(f"Erase {person.display_name} and every trace of them? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                print("nothing was changed")
                return 1
        result = forget(store, int(person.id or 0))
    print(f"{person.display_name} was erased")
    if not result.get("wal_truncated", 1):
        print(
            "netapp: note: another program has the database open; the erased text leaves "
            "its write-ahead log when that program closes",
            file=sys.stderr,
        )
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    from netapp.interchange.dedupe import find_duplicates, merge_many

    with open_store(args) as store:
        found = find_duplicates(store)
        merged = 0
        if args.merge_auto:
            merged = merge_many(store, [(c.keep_id, c.other_id) for c in found if c.auto])
    if args.json:
        print(
            json.dumps(
                {"candidates": [c.to_json() for c in found], "merged": merged},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        for c in found:
            mark = "auto" if c.auto else "check"
            print(f"{c.keep_id}\t{c.other_id}\t{mark}\t{c.keep_name} / {c.other_name}: {c.reason}")
        if args.merge_auto:
            print(f"merged {merged}")
    return 0
