"""The ``netapp`` command line. Each module in COMMAND_MODULES registers its sub-commands.

Modules import their heavy dependencies inside the handlers, so ``netapp --version`` and the
desktop app's start-up stay fast. The core never imports Qt: the ``netapp`` command itself is
``ui.launcher.main``, which passes the desktop app in as a :class:`Frontend` (starting the
window, rendering a screenshot, the self-test's window check). ``python -m netapp`` is the
core command line alone.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from netapp import __version__
from netapp.errors import NetappError

if TYPE_CHECKING:
    from netapp.selftest import Check
    from netapp.store import Store

COMMAND_MODULES: tuple[str, ...] = (
    "netapp.cli.core",
    "netapp.cli.engine",
    "netapp.cli.interchange",
    "netapp.cli.printing",
    "netapp.cli.safety",
    "netapp.cli.sync",
    "netapp.cli.settings",
    "netapp.cli.referrals",
    "netapp.cli.journal",
    "netapp.cli.chapter",
    "netapp.cli.completion",
)


class UsageError(NetappError):
    """The command line was used wrongly (a bad combination of options)."""


@dataclass(frozen=True)
class Frontend:
    """What the desktop app adds to the command line (see ``ui.launcher``)."""

    run_app: Callable[[Path], int]  # start the window on this database
    # Render one page offscreen to a PNG: (database, file, view, "WIDTHxHEIGHT").
    screenshot: Callable[[Path, str, str, str], int]
    checks: tuple[tuple[str, Check], ...] = ()  # extra self-test checks


NO_FRONTEND = (
    "the desktop app is not part of netapp's core command line; "
    "start it with the `netapp` command (or python -m ui)"
)


class Parser(argparse.ArgumentParser):
    """argparse with a usage error in one line (``netapp log: error: argument --date: …``);
    ``-h`` still shows the whole usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} -h)\n")


def date_arg(field: str) -> Callable[[str], str]:
    """An argument that is a date netapp works with, as ``YYYY-MM-DD``. A bad one is a
    ValidationError naming ``field`` (exit 1, one line), raised while the line is parsed."""
    from netapp.fields import bounded_date

    def parse(text: str) -> str:
        return bounded_date(field, text)

    return parse


def bounded_int(low: int, high: int, field: str = "number") -> Callable[[str], int]:
    """An argument that is a whole number from ``low`` to ``high`` (else a ValidationError
    naming ``field``)."""
    from netapp.errors import ValidationError

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValidationError(field, f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise ValidationError(field, f"{value} is not between {low} and {high}")
        return value

    return parse


ID_ARG = bounded_int(1, 2**63 - 1, "id")  # a record id: SQLite's positive integers


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="netapp",
        description="netapp: log the people you meet, build trust, and ask at the right time.",
    )
    parser.add_argument("--version", action="version", version=f"netapp {__version__}")
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="database file (default: $NETAPP_DB or netapp.db in the user data directory)",
    )
    parser.add_argument(
        "--self-test", action="store_true", help="check that this installation works"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def db_path(args: argparse.Namespace) -> Path:
    from netapp.paths import default_db_path

    path = Path(args.db) if args.db else default_db_path()
    if path.is_symlink() and not path.exists():
        raise UsageError(f"{path} is a symlink to {os.readlink(path)}, which does not exist")
    # A symlinked database: the file it points to is the database (encrypt, restore and the
    # backups folder work on it, and the link stays a link).
    return path.resolve()


def open_store(args: argparse.Namespace) -> Store:
    """The database the command names, opened with the data-safety hooks."""
    from netapp.safety import opener
    from netapp.safety.crypto import cli_passphrase

    path = db_path(args)
    return opener.open_store(path, passphrase=cli_passphrase(path))


def fail(message: str) -> int:
    print(f"netapp: error: {message}", file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None, frontend: Frontend | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        args.frontend = frontend
        if args.self_test:
            from netapp.selftest import run_self_test

            return run_self_test(extra=frontend.checks if frontend else ())
        if not args.command:
            if frontend is None:
                parser.print_help(sys.stderr)
                return fail(NO_FRONTEND)
            return frontend.run_app(db_path(args))
        _start_log()  # a command (not --self-test, which touches no user data) is logged
        return int(args.handler(args) or 0)
    except NetappError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted; nothing was written by the unfinished step")
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # a bug: still one line; the traceback goes to the log file
        named = _named_sqlite_error(exc, argv)
        return fail(str(named)) if named is not None else unexpected(exc)


def _named_sqlite_error(exc: Exception, argv: Sequence[str] | None) -> NetappError | None:
    """A SQLite condition (damage, a full disk, a busy file) met outside a transaction, named
    as the connection layer names it."""
    import sqlite3

    if not isinstance(exc, sqlite3.Error) and not type(exc).__module__.startswith("sqlcipher"):
        return None
    from netapp.store.db import classify

    args = list(sys.argv[1:] if argv is None else argv)
    where = args[args.index("--db") + 1] if "--db" in args[:-1] else "the database"
    return classify(exc, where)


def _start_log() -> None:
    """The log file records what the command line does too (every backup, conversion and
    restore); a log that cannot be written does not stop the command."""
    from contextlib import suppress

    with suppress(Exception):
        from netapp.safety.logging import setup_logging

        setup_logging()


def unexpected(exc: BaseException) -> int:
    """Report a bug in one line naming the log file that holds its traceback; exit 2."""
    import logging

    where = "the log file"
    try:
        from netapp.safety.logging import setup_logging

        where = str(setup_logging())
        logging.getLogger("netapp.cli").error("unexpected problem", exc_info=exc)
    except Exception:  # noqa: BLE001, S110  the one line below must come out whatever happens
        pass
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    print(
        f"netapp: error: unexpected problem ({detail}); the details are in {where}",
        file=sys.stderr,
    )
    return 2
