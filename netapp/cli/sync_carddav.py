"""``netapp sync carddav``: set up, run and remove two-way sync with a CardDAV address book."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import Any

from netapp.cli import open_store
from netapp.errors import NetappError


def register(kinds: Any) -> None:
    p = kinds.add_parser(
        "carddav",
        help="two-way sync of people with a CardDAV address book (run it: sync now)",
        description="With no action: sync now. Set up first with `netapp sync carddav add`.",
    )
    p.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=cmd_sync)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    a = actions.add_parser("add", help="connect to a server and pick (or create) an address book")
    a.add_argument("url", help="the server, e.g. https://cloud.example.org/ (or an address book)")
    a.add_argument("--user", required=True, help="your user name on the server")
    a.add_argument("--book", default="", help="the address book's name (created if missing)")
    a.add_argument("--allow-http", action="store_true",
                   help="allow plain http to another machine (the password crosses in clear)")  # fmt: skip
    a.add_argument("--ca-file", default="", help="trust the certificates signed by this CA file")
    a.set_defaults(handler=cmd_add)
    r = actions.add_parser("remove", help="stop syncing (people stay; cards stay on the server)")
    r.set_defaults(handler=cmd_remove)
    s = actions.add_parser("status", help="the account, the last sync and its result")
    s.add_argument("--json", action="store_true", help="print as JSON")
    s.set_defaults(handler=cmd_status)


def _password(user: str, url: str) -> str:
    from netapp.sync.carddav.account import PASSWORD_ENV

    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise NetappError(f"set {PASSWORD_ENV} or run the command in a terminal")
    return getpass.getpass(f"Password for {user} at {url}: ")


def cmd_add(args: argparse.Namespace) -> int:
    from netapp.sync.carddav.account import Connection, add_account

    password = _password(args.user, args.url)
    conn = Connection(args.url, args.user, password, args.allow_http, args.ca_file)
    with open_store(args) as store:
        acc = add_account(store, conn, book=args.book)
    print(f"syncing with {acc.book} as {acc.user}; run `netapp sync carddav` to sync now")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from netapp.sync.carddav.account import remove_account

    with open_store(args) as store:
        remove_account(store)
    print("CardDAV sync removed; your people and the cards on the server are as they were")
    return 0


def cmd_status(args: argparse.Namespace) -> int:

    with open_store(args) as store:
        acc = store.carddav.account()
        linked = store.carddav.count_links()
    if args.json:
        data = None if acc is None else {
            "server": acc.server, "book": acc.book, "user": acc.user, "linked": linked,
            "last_sync": acc.last_sync, "last_result": acc.last_result,
        }  # fmt: skip
        print(json.dumps(data, indent=2))
    elif acc is None:
        print("CardDAV sync is not set up (netapp sync carddav add URL --user NAME)")
    else:
        print(f"address book: {acc.book}\nuser: {acc.user}\npeople linked: {linked}")
        print(f"last sync: {acc.last_sync or 'never'}  {acc.last_result}".rstrip())
    return 0


def _progress(what: str, done: int, total: int) -> None:
    if sys.stderr.isatty():
        count = f" {done}/{total}" if total else ""
        print(f"\r{what}{count}\033[K", end="", file=sys.stderr, flush=True)


def cmd_sync(args: argparse.Namespace) -> int:
    from netapp.sync.carddav.account import sync

    with open_store(args) as store:
        summary = sync(store, dry_run=args.dry_run, progress=_progress)
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr)
    if args.json:
        print(json.dumps(summary.to_json(), indent=2))
        return 0
    print(summary.line())
    for reason in summary.skipped:
        print(f"  skipped {reason}")
    return 0
