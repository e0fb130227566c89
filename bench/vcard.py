"""Importing a 10,000-contact vCard file.

Figure: ``netapp.interchange.importer.import_files`` on one vCard 3.0 file of 10,000
contacts (names, organisation, title, email, phone, note; some non-ASCII, some folded
lines) into an empty database: read, parse, validate, normalise phones, match duplicates,
write in one transaction. Floor (issue 20): vobject, the reference Python vCard parser,
parsing the same file in the same run (``vobject.readComponents``, every card read); goal
≤ 0.5×. Reading the file and splitting it into cards stays as an informational row. Each
run imports into a new empty database, created outside the timing.
"""

from __future__ import annotations

import gc
import random
import re
import tempfile
import time
from pathlib import Path

from bench.harness import Config, Figure, median, ms

TITLE = "vcard import"
GOAL = 0.5  # of vobject's parse of the same file
ACCENTED = ("Zoë", "Łukasz", "Renée", "Søren", "José", "Ngọc", "Ärne")


def available(cfg: Config) -> str:
    try:
        from netapp.interchange import importer

        return "" if hasattr(importer, "import_files") else "no import_files yet"
    except ImportError as exc:
        return f"netapp.interchange is not ready ({exc})"


def write_file(path: Path, count: int, seed: int = 1) -> None:
    """A deterministic vCard 3.0 file of ``count`` contacts."""
    from netapp import assets

    names = assets.read_json("demo", "names.json")
    rng = random.Random(seed)
    out: list[str] = []
    for n in range(count):
        given = rng.choice(ACCENTED) if rng.random() < 0.05 else rng.choice(names["given"])
        family = rng.choice(names["family"])
        org = rng.choice(names["orgs"])
        local = "".join(ch for ch in f"{given}.{family}".lower() if ch.isascii() and ch != "'")
        note = "Met at the spring fair; interested in the referral workshop and the e-book. " * (
            1 + n % 3
        )
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"N:{family};{given};;;",
            f"FN:{given} {family}",
            f"ORG:{org}",
            f"TITLE:{rng.choice(names['titles'])}",
            f"EMAIL;TYPE=INTERNET,WORK:{local}{n}@example.com",
            f"TEL;TYPE=CELL:+1 202 555 {rng.randrange(10000):04d}",
            f"NOTE:{note.strip()}",
            "END:VCARD",
        ]
        for line in lines:  # fold at 75 octets the way exporters do
            while len(line.encode()) > 75:
                out.append(line[:70])
                line = " " + line[70:]
            out.append(line)
    path.write_bytes(("\r\n".join(out) + "\r\n").encode("utf-8"))


def vobject_parse(path: Path) -> int:
    """vobject parsing the file: every card read (its lines parsed into components)."""
    import vobject

    text = path.read_bytes().decode("utf-8")
    return sum(1 for _card in vobject.readComponents(text))


def split_cards(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8")
    return [c for c in re.split(r"(?m)^END:VCARD\r?$", text) if c.strip()]


def _cold_caches() -> None:
    """Forget the addresses and numbers checked by the run before: each run imports the same
    file, and a warm cache would time a second import of it, not a first."""
    from netapp import fields

    fields._validate_email.cache_clear()
    fields._normalize_phone.cache_clear()


def run(cfg: Config) -> list[Figure]:
    from netapp.interchange import importer
    from netapp.store import Store

    count = 1_000 if cfg.quick else 10_000
    repeats = 3 if not cfg.quick else max(1, min(3, cfg.repeats))
    with tempfile.TemporaryDirectory(prefix="netapp-bench-vcard-") as tmp:
        file = Path(tmp) / "contacts.vcf"
        write_file(file, count)
        if len(split_cards(file)) != count:
            raise AssertionError("the generated vCard file does not split into its cards")
        imports: list[float] = []
        splits: list[float] = []
        parses: list[float] = []
        added = 0
        for n in range(repeats + 1):  # the first run is a warm-up
            store = Store(Path(tmp) / f"import{n}.db")
            try:
                _cold_caches()
                gc.collect()
                t0 = time.perf_counter()
                importer.import_files(store, [file], region="US")
                took = time.perf_counter() - t0
                added = int(store.db.scalar("SELECT count(*) FROM people"))
            finally:
                store.close()
            t0 = time.perf_counter()
            split_cards(file)
            split = time.perf_counter() - t0
            gc.collect()
            t0 = time.perf_counter()
            parsed = vobject_parse(file)
            parse = time.perf_counter() - t0
            if parsed != count:
                raise AssertionError(f"vobject read {parsed} cards of {count}")
            if n:
                imports.append(took)
                splits.append(split)
                parses.append(parse)
        if added != count:
            raise AssertionError(f"imported {added} people of {count}")
        size = file.stat().st_size
    return [
        Figure(
            "vCard import vs vobject's parse",
            ms(median(imports)),
            "ms",
            ms(median(parses)),
            GOAL,
            size=f"{count:,} contacts",
            floor_desc="vobject.readComponents over the same file (every card parsed)",
            detail={
                "file_bytes": size,
                "import_ms": [round(ms(x), 1) for x in imports],
                "vobject_ms": [round(ms(x), 1) for x in parses],
            },
        ),
        Figure(
            "vCard import vs read-and-split (informational)",
            ms(median(imports)),
            "ms",
            ms(median(splits)),
            float("inf"),
            size=f"{count:,} contacts",
            floor_desc="reading the file and splitting it into cards",
            detail={"split_ms": [round(ms(x), 1) for x in splits]},
        ),
    ]
