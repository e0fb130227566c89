"""``netapp --self-test``: check that this installation works, in about a second.

Each check prints one line (``ok``, ``skip`` or ``FAIL``, its name and what it found); the exit
code is non-zero when any check failed. Everything happens in a temporary directory: the user's
database, settings and data directory are never touched.

The checks, in order: a temporary database; a person, a meeting and an interaction; the person's
status from the engine; the shipped resources (ask ladder, icons, fonts, demo data); a card sheet
rendered to PDF and, when a decoder is installed (pypdfium2 and zxing-cpp), its QR codes read
back. The ``netapp`` command (``ui.launcher``) adds the main window opened and closed
(offscreen when there is no display): this package never imports Qt.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from netapp.store import Store

AS_OF = date(2026, 1, 15)  # a fixed day: the self-test never depends on the clock
RESOURCES = ("ask_ladder.json", "icons/netapp.svg", "icons/netapp-256.png", "demo/names.json")
FONTS = ("fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf")


class Skip(Exception):
    """A check that cannot run here (an optional library is not installed)."""


@dataclass
class Run:
    """State shared by the checks of one self-test run."""

    workdir: Path
    store: Store | None = None
    person_id: int = 0
    results: list[tuple[str, str, str]] = field(default_factory=list)


def _check_database(run: Run) -> str:
    from netapp.safety.opener import open_store

    path = run.workdir / "netapp.db"
    run.store = open_store(path)
    tables = run.store.db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
    if not path.is_file() or not tables:
        raise AssertionError(f"{path} was not created")
    return f"created a temporary database (schema {run.store.db.schema_version()}, {tables} tables)"


def require_store(run: Run) -> Store:
    """The run's database, for a check that needs it (fails when the database check did)."""
    if run.store is None:
        raise AssertionError("no database (the database check failed)")
    return run.store


def _check_person(run: Run) -> str:
    from netapp.domain import Email, Interaction, Kind, Outcome, Person

    store = require_store(run)
    with store.atomic():
        pid = store.people.add(
            Person(
                display_name="Ada Self-Test",
                org="Self-test Ltd",
                emails=[Email("ada@selftest.example")],
                source="self-test",
            )
        )
        mid = store.meetings.add("Self-test breakfast", "2026-01-08", attendee_ids=[pid])
        store.interactions.add(
            Interaction(person_id=pid, date="2026-01-09", kind=Kind.ONE_TO_ONE, note="coffee")
        )
        store.interactions.add(
            Interaction(
                person_id=pid,
                date="2026-01-10",
                kind=Kind.ASK,
                ask_type="read-article",
                outcome=Outcome.ACCEPTED,
            )
        )
    run.person_id = pid
    found = store.people.find("Ada Self-Test")
    kinds = sorted(i.kind.value for i in store.interactions.for_person(pid))
    if found.id != pid or store.meetings.attendees(mid) != [pid] or "one-to-one" not in kinds:
        raise AssertionError(f"read back person {found.id}, interactions {kinds}")
    return f"added person {pid}, meeting {mid} and {len(kinds)} interactions ({', '.join(kinds)})"


def _check_status(run: Run) -> str:
    from netapp import engine

    store = require_store(run)
    if not run.person_id:
        raise AssertionError("no person (the person check failed)")
    st = engine.status(store, run.person_id, AS_OF)
    if st.person_id != run.person_id or st.last_touch is None:
        raise AssertionError(f"status has no history: {st.to_json()}")
    written = engine.refresh_status(store, AS_OF)
    return (
        f"stage {st.stage.value}, trust {st.trust:.2f}, next step {st.next_step.kind}"
        f" ({written} status row cached)"
    )


def _check_resources(run: Run) -> str:
    from netapp import assets
    from netapp.engine.ladder import load_ladder

    missing = [p for p in (*RESOURCES, *FONTS) if not assets.files(*p.split("/")).is_file()]
    if missing:
        raise AssertionError(f"missing resource files: {', '.join(missing)}")
    rungs = load_ladder(require_store(run))
    names = assets.read_json("demo", "names.json")
    if not rungs or not names:
        raise AssertionError("the ask ladder or the demo names are empty")
    return f"ask ladder ({len(rungs)} rungs), icons, fonts and demo data present"


def _decoder() -> tuple[Any, Any] | None:
    try:
        import pypdfium2
        import zxingcpp
    except ImportError:
        return None
    return pypdfium2, zxingcpp


def _check_cards(run: Run) -> str:
    from netapp.printing.cards import plan_cards, render_cards, sample_codes

    store = require_store(run)
    store.settings.update(
        {
            "profile.name": "Ada Self-Test",
            "profile.offer": "Free e-book: ten ways to give first",
            "profile.optin_url": "https://selftest.example/join",
        }
    )
    plan = plan_cards(store, campaign="Self-test", count=4, kind="optin")
    codes = sample_codes(plan.count)
    pdf = render_cards(plan, codes)
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf[-64:]:
        raise AssertionError("the card sheet is not a complete PDF")
    decoder = _decoder()
    if decoder is None:
        raise Skip(f"rendered a {len(pdf) // 1024} kB card sheet; no QR decoder installed")
    pdfium, zxingcpp = decoder
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[0].render(scale=3).to_pil().convert("L")
    finally:
        doc.close()
    read = {b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)}
    want = {plan.payload(c) for c in codes}
    if read != want:
        raise AssertionError(f"decoded {len(read & want)} of {len(want)} QR codes correctly")
    return f"rendered a card sheet and decoded its {len(read)} QR codes"


CHECKS: tuple[tuple[str, Callable[[Run], str]], ...] = (
    ("database", _check_database),
    ("person", _check_person),
    ("status", _check_status),
    ("resources", _check_resources),
    ("cards", _check_cards),
)
Check = Callable[[Run], str]


def run_self_test(out: IO[str] | None = None, extra: Sequence[tuple[str, Check]] = ()) -> int:
    """Run every check, then ``extra`` ones (the desktop app adds its window check: see
    ``ui.launcher``), print one line each; 0 when none failed, 1 otherwise."""
    stream = out or sys.stdout
    failed = 0
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="netapp-selftest-") as tmp:
        run = Run(Path(tmp))
        try:
            for name, check in (*CHECKS, *extra):
                t1 = time.perf_counter()
                try:
                    verdict, detail = "ok", check(run)
                except Skip as exc:
                    verdict, detail = "skip", str(exc)
                except ModuleNotFoundError as exc:
                    verdict, detail = "FAIL", f"module {exc.name!r} is missing from this install"
                    failed += 1
                except Exception as exc:
                    verdict, detail = "FAIL", f"{type(exc).__name__}: {exc}"
                    failed += 1
                    if os.environ.get("NETAPP_DEBUG"):
                        traceback.print_exc()
                ms = (time.perf_counter() - t1) * 1000
                run.results.append((verdict, name, detail))
                print(f"{verdict:<4} {name:<9} {detail} [{ms:.0f} ms]", file=stream, flush=True)
        finally:
            if run.store is not None:
                run.store.close()
    from netapp import __version__

    total = time.perf_counter() - t0
    counts = {v: sum(1 for r in run.results if r[0] == v) for v in ("ok", "skip", "FAIL")}
    print(
        f"netapp {__version__} self-test {'FAILED' if failed else 'passed'}: {counts['ok']} ok,"
        f" {counts['skip']} skipped, {counts['FAIL']} failed, in {total:.1f} s",
        file=stream,
        flush=True,
    )
    return 1 if failed else 0
