"""``netapp sync``: the kinds of sync, each with its own verbs (CardDAV: ``netapp sync carddav``)."""

from __future__ import annotations

import importlib
from typing import Any

# Each module registers one kind of sync under ``netapp sync``.
SYNC_MODULES: tuple[str, ...] = ("netapp.cli.sync_carddav", "netapp.cli.sync_devices")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "sync", help="sync with your other devices (a folder) or an address book (CardDAV)"
    )
    kinds = p.add_subparsers(dest="sync_kind", metavar="KIND", required=True)
    for name in SYNC_MODULES:
        importlib.import_module(name).register(kinds)
