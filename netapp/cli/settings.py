"""Preference commands: settings list|get|set|reset over the declared settings, ladder show|set|reset.

Both go through the same core calls as the Settings page (``store.settings.set`` validates
against the declaration in :mod:`netapp.settings`; the ladder through
:mod:`netapp.engine.ladder`), so a value the app refuses is refused here with the same line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from netapp.cli import open_store


def register(sub: Any) -> None:
    settings = sub.add_parser("settings", help="list, read and change preferences").add_subparsers(
        dest="settings_command", metavar="ACTION", required=True
    )
    p = settings.add_parser("list", help="every setting with its value and default")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_settings_list)
    p = settings.add_parser("get", help="print one setting's value")
    p.add_argument("key")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_settings_get)
    p = settings.add_parser("set", help="change one setting (checked as the app checks it)")
    p.add_argument("key")
    p.add_argument("value", help="the new value (lists and objects as JSON)")
    p.set_defaults(handler=cmd_settings_set)
    p = settings.add_parser("reset", help="put one setting back to its default")
    p.add_argument("key")
    p.set_defaults(handler=cmd_settings_reset)

    ladder = sub.add_parser("ladder", help="show or replace the ask ladder").add_subparsers(
        dest="ladder_command", metavar="ACTION", required=True
    )
    p = ladder.add_parser("show", help="the asks, smallest first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_ladder_show)
    p = ladder.add_parser("set", help="replace the ladder with a JSON file (- reads stdin)")
    p.add_argument("file", metavar="FILE.json")
    p.set_defaults(handler=cmd_ladder_set)
    p = ladder.add_parser("reset", help="go back to the ladder netapp ships with")
    p.set_defaults(handler=cmd_ladder_reset)


def _text(value: Any) -> str:
    """A value as the user would type it back into ``settings set``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _row(store: Any, key: str) -> dict[str, Any]:
    from netapp.settings import declaration

    decl = declaration(key)
    row: dict[str, Any] = {
        "key": key,
        "value": store.settings[key],
        "default": decl.default,
        "type": decl.type.__name__,
        "label": decl.label,
    }
    if decl.choices is not None:
        row["choices"] = list(decl.choices)
    if decl.minimum is not None:
        row["minimum"] = decl.minimum
    if decl.maximum is not None:
        row["maximum"] = decl.maximum
    return row


def cmd_settings_list(args: argparse.Namespace) -> int:
    from netapp.settings import SETTINGS

    with open_store(args) as store:
        rows = [_row(store, s.key) for s in SETTINGS]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        changed = "" if r["value"] == r["default"] else "  (changed)"
        print(f"{r['key']}\t{_text(r['value'])}\t{r['label']}{changed}")
    return 0


def cmd_settings_get(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        row = _row(store, args.key)
    if args.json:
        print(json.dumps(row, ensure_ascii=False, indent=1))
    else:
        print(_text(row["value"]))
    return 0


def cmd_settings_set(args: argparse.Namespace) -> int:
    from netapp.errors import ValidationError
    from netapp.settings import declaration

    decl = declaration(args.key)
    value: Any = args.value
    if decl.type in (list, dict):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValidationError(args.key, f"is not valid JSON ({exc.msg})") from None
    with open_store(args) as store:
        stored = store.settings.set(args.key, value)
    print(f"{args.key}\t{_text(stored)}")
    return 0


def cmd_settings_reset(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        store.settings.reset(args.key)
        value = store.settings[args.key]
    print(f"{args.key}\t{_text(value)}")
    return 0


def cmd_ladder_show(args: argparse.Namespace) -> int:
    from netapp.engine.ladder import load_ladder

    with open_store(args) as store:
        ladder = load_ladder(store)
    if args.json:
        print(json.dumps([a.to_json() for a in ladder], ensure_ascii=False, indent=1))
        return 0
    for a in ladder:
        needs = f"\tneeds {', '.join(a.requires)}" if a.requires else ""
        print(f"{a.size}\t{a.id}\t{a.label}\tfrom {a.min_stage.value}, trust {a.min_trust}{needs}")
    return 0


def _read_json(name: str) -> Any:
    """A JSON document from a file (or stdin for ``-``); one line naming the file when bad."""
    from netapp.errors import FileAccessError, ValidationError

    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileAccessError(
            f"{name}: cannot read it ({getattr(exc, 'strerror', None) or exc})"
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(name, f"line {exc.lineno}: not valid JSON ({exc.msg})") from None


def cmd_ladder_set(args: argparse.Namespace) -> int:
    from netapp.engine.ladder import parse_ladder, save_ladder

    ladder = parse_ladder(_read_json(args.file))
    with open_store(args) as store:
        save_ladder(store, ladder)
    print(f"{len(ladder)} asks: {', '.join(a.id for a in ladder)}")
    return 0


def cmd_ladder_reset(args: argparse.Namespace) -> int:
    from netapp.engine.ladder import load_ladder, reset_ladder

    with open_store(args) as store:
        reset_ladder(store)
        ladder = load_ladder(store)
    print(f"{len(ladder)} asks: {', '.join(a.id for a in ladder)}")
    return 0
