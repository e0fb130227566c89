"""``netapp sync devices``: sync this database with your other devices through a folder;
``netapp sync status``: how each kind of sync stands."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from netapp.cli import open_store


def register(kinds: Any) -> None:
    p = kinds.add_parser(
        "devices",
        help="sync with your other devices through a folder you sync (Syncthing, Nextcloud, …)",
        description="With --folder: join that folder (this device's history goes there at "
        "the next sync). Without: sync now.",
    )
    p.add_argument("--folder", default="", help="join this folder (created if missing)")
    p.add_argument("--name", default="", help="this device's name (default: the computer's)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=cmd_devices)
    s = kinds.add_parser(
        "status", help="device sync and CardDAV: this device, the others, last sync"
    )
    s.add_argument("--json", action="store_true", help="print as JSON")
    s.set_defaults(handler=cmd_status)


def cmd_devices(args: argparse.Namespace) -> int:
    from netapp.sync.devices import run

    with open_store(args) as store:
        if args.folder:
            me = run.join(store, args.folder, args.name)
            print(f"this device ({me.name}) joined {me.folder}; syncing now")
        summary = run.sync(store)
    if args.json:
        print(json.dumps(summary.to_json(), indent=2))
        return 0
    print(summary.line())
    for line in (*summary.warnings, *summary.flags):
        print(f"  {line}", file=sys.stderr)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from netapp.sync.devices import info as device_info  # the status only: no pycrdt

    with open_store(args) as store:
        info = device_info.status(store)
        acc = store.carddav.account()
    if args.json:
        carddav = None if acc is None else {"book": acc.book, "last_sync": acc.last_sync}
        print(json.dumps({"devices": info, "carddav": carddav}, indent=2))
        return 0
    for line in device_info.status_lines(info):
        print(line)
    if acc is None:
        print("carddav: not set up")
    else:
        print(f"carddav: {acc.book}, last sync {acc.last_sync or 'never'}")
    return 0
