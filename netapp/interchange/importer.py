"""Import contacts: read files into a plan (preview), then commit the plan in one transaction.

``plan_import`` reads and validates every file and decides, per record, whether it is new,
merges into someone (an existing person, or an earlier record of the same import) or is
skipped, with line numbers and reasons. Nothing is written. ``commit_import`` writes the plan
in one transaction, tagged with one ``import_batches`` row per file, so that
``undo_import`` can take the whole file back out later. Both take a progress callback
``(done, total)`` and a cancel check; cancelling raises :class:`Cancelled` and writes nothing.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netapp import fields as F
from netapp.domain import ContactKind, Person, Topic
from netapp.errors import NetappError, NotFoundError
from netapp.interchange import json_backup
from netapp.interchange.dedupe import (
    Index,
    Match,
    combine,
    person_fields,
    person_state,
    restore_state,
)
from netapp.interchange.records import (
    MAX_FILE_BYTES,
    CancelFn,
    Cancelled,
    ImportFileError,
    NeedsMapping,
    Parsed,
    ProgressFn,
    Record,
    Skip,
)
from netapp.store import Store, new_uuid, now_iso

CHECK_EVERY = 100


@dataclass
class PlanItem:
    line: int
    action: str  # "new", "merge", or "unchanged" (it matched someone and adds nothing)
    person: Person  # for a merge into a person: the combined result
    target: int | None = None  # person id merged into
    into_line: int | None = None  # merged into an earlier record of this file (line)
    reason: str = ""
    linkedin: str = ""
    suggestions: list[tuple[int, str]] = field(default_factory=list)  # (person id, reason)
    warnings: list[str] = field(default_factory=list)
    before: dict[str, Any] | None = None  # the merged person's fields before, for undo
    # For a merge into a stored person: the records merged in, so that the commit combines
    # them with the person *as stored then* (an edit made after the preview is kept).
    incoming: list[Person] = field(default_factory=list)


@dataclass
class FilePlan:
    file: str
    format: str = ""
    items: list[PlanItem] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    error: str | None = None
    headers: list[str] = field(default_factory=list)  # set when a column mapping is needed
    samples: list[str] = field(default_factory=list)  # the first row, for a CSV without header
    needs_mapping: bool = False
    backup_doc: dict[str, Any] | None = None
    batch_id: int | None = None
    encoding: str = ""

    @property
    def imported(self) -> int:
        if self.backup_doc is not None:
            return len(self.backup_doc["tables"].get("people", {}).get("rows", []))
        return sum(1 for i in self.items if i.action == "new")

    @property
    def merged(self) -> int:
        return sum(1 for i in self.items if i.action == "merge")

    @property
    def unchanged(self) -> int:
        return sum(1 for i in self.items if i.action == "unchanged")

    def warnings(self) -> list[dict[str, Any]]:
        """Per record, in line order: what it could not keep, with the record's line."""
        return [
            {"line": i.line, "name": i.person.display_name, "message": w}
            for i in sorted(self.items, key=lambda x: x.line)
            for w in i.warnings
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "encoding": self.encoding,
            "imported": self.imported,
            "merged": self.merged,
            "unchanged": self.unchanged,
            "skipped": [s.to_json() for s in self.skipped],
            "warnings": self.warnings(),
            "error": self.error,
        }


@dataclass
class ImportPlan:
    files: list[FilePlan]
    region: str

    def to_json(self) -> dict[str, Any]:
        return {"files": [f.to_json() for f in self.files]}

    @property
    def rejected(self) -> bool:
        return any(f.error for f in self.files)

    def counts(self) -> dict[str, int]:
        return {
            "imported": sum(f.imported for f in self.files if not f.error),
            "merged": sum(f.merged for f in self.files if not f.error),
            "unchanged": sum(f.unchanged for f in self.files if not f.error),
            "skipped": sum(len(f.skipped) for f in self.files),
            "warnings": sum(len(f.warnings()) for f in self.files if not f.error),
            "rejected": sum(1 for f in self.files if f.error),
        }


# The longest line (bytes between line breaks) a contacts file may have: a vCard's folded
# photo or a CSV row is far shorter (a 5 MB field still reaches the per-field check, which
# skips that record only). /dev/zero or a binary file stops here, not at memory.
MAX_LINE_BYTES = 16 * 1024 * 1024
_CHUNK = 1024 * 1024


def read_file(path: str | Path) -> bytes:
    """The bytes of a file to import, read in bounded chunks: refused past
    ``MAX_FILE_BYTES`` in all or ``MAX_LINE_BYTES`` without a line break, whatever the file
    claims its size is (a device, a pipe or a growing file says 0)."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            return _read_bounded(fh, str(path))
    except IsADirectoryError:
        raise ImportFileError(str(path), "is a folder, not a file") from None
    except FileNotFoundError:
        raise ImportFileError(str(path), "no such file") from None
    except OSError as exc:
        raise ImportFileError(str(path), f"cannot be read ({exc.strerror or exc})") from None


def _read_bounded(fh: Any, name: str) -> bytes:
    parts: list[bytes] = []
    total = 0
    run = 0  # bytes since the last line break
    while chunk := fh.read(_CHUNK):
        total += len(chunk)
        if total > MAX_FILE_BYTES:
            raise ImportFileError(name, f"is larger than the limit of {MAX_FILE_BYTES} bytes")
        breaks = [i for i in (chunk.find(b"\n"), chunk.find(b"\r")) if i >= 0]
        longest = run + min(breaks) if breaks else run + len(chunk)
        last = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        run = len(chunk) - last - 1 if breaks else longest
        if max(longest, run) > MAX_LINE_BYTES:
            line = sum(c.count(b"\n") for c in parts) + 1
            raise ImportFileError(
                name,
                f"line {line} is longer than {MAX_LINE_BYTES} bytes with no line break; "
                "not a contacts file",
            )
        parts.append(chunk)
    return b"".join(parts)


def parse_file(
    file: str, data: bytes, region: str, mapping: dict[str, str] | None = None
) -> Parsed | dict[str, Any]:
    """A parsed contacts file, or a loaded backup document for a netapp JSON backup."""
    from netapp.interchange.detect import detect_format

    fmt = "csv" if mapping is not None else detect_format(file, data)
    if fmt == "vcard":
        from netapp.interchange.vcard import parse_vcards

        return parse_vcards(data, file, region)
    if fmt == "json":
        return json_backup.load(data, file)
    from netapp.interchange.csvformats import parse_csv

    return parse_csv(data, file, region, mapping)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while an import reads, matches and writes.

    An import makes tens of objects per contact and holds them until they are written, so
    the collector ran hundreds of times over the records it held (about a tenth of a
    10,000-contact import, issue 20) and found nothing to free: an import leaves no
    reference cycles (a test checks it), and reference counting frees its objects as usual.
    The collector is on again when the import ends, failed or not, unless it was off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check(cancel: CancelFn | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled("import cancelled; nothing was imported")


@_collector_paused()
def plan_import(
    store: Store,
    paths: list[str | Path],
    *,
    region: str | None = None,
    mappings: dict[str, dict[str, str]] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportPlan:
    """Read, validate and match every file against the database. Writes nothing."""
    region = (region or store.settings["phone.region"] or "US").upper()
    plan = ImportPlan([], region)
    parsed_files: list[tuple[FilePlan, Parsed]] = []
    for path in paths:
        _check(cancel)
        fp = FilePlan(str(path))
        plan.files.append(fp)
        parsed = _read_one(store, fp, region, (mappings or {}).get(str(path)))
        if parsed is not None:
            parsed_files.append((fp, parsed))
    planner = _Planner(store)
    total = sum(len(p.records) for _, p in parsed_files)
    done = 0
    for fp, parsed in parsed_files:
        for rec in parsed.records:
            if done % CHECK_EVERY == 0:
                _check(cancel)
                if progress:
                    progress(done, total)
            done += 1
            planner.place(fp, rec)
    if progress:
        progress(total, total)
    return plan


def _read_one(
    store: Store, fp: FilePlan, region: str, mapping: dict[str, str] | None
) -> Parsed | None:
    """Read one file into ``fp`` (its format, skips, or its error). The parsed records, or
    None when there is nothing to match (an error, or a backup)."""
    try:
        data = read_file(fp.file)
        result = parse_file(fp.file, data, region, mapping)
    except NeedsMapping as exc:
        fp.format, fp.error, fp.headers, fp.needs_mapping = "csv", str(exc), exc.headers, True
        fp.samples = exc.samples
        return None
    except NetappError as exc:
        fp.error = str(exc)
        return None
    if isinstance(result, dict):
        fp.format, fp.backup_doc = "json", result
        if not json_backup.is_empty(store):
            fp.error = str(
                ImportFileError(
                    fp.file,
                    "a netapp backup restores into an empty database only; "
                    "create a new database (--db NEW.db) and import the backup there",
                )
            )
        return None
    fp.format, fp.skipped, fp.encoding = result.format, list(result.skipped), result.encoding
    return result


# Fields of which a merge keeps the person's own value: a different one in the file is reported.
_KEPT_FIELDS = ("display_name", "org", "department", "title", "website", "birthday")


class _Planner:
    """Decides, record by record, whether it is new, merges into someone or changes nothing.

    A record merges into a person automatically when the file gives the person's UID (netapp's
    own exports do), or when the name and an email, phone or LinkedIn profile match."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index = Index.from_store(store)
        self.uuids = {
            str(r[0]): int(r[1]) for r in store.db.conn.execute("SELECT uuid, id FROM people")
        }
        self.by_key: dict[int, PlanItem] = {}  # index key -> the plan item holding that person
        self.new_uuids: dict[str, int] = {}  # a UID given by a new record -> its index key

    def place(self, fp: FilePlan, rec: Record) -> None:
        auto = self._uid_match(rec)
        matches: list[Match] = []
        if auto is None:  # matched once: the automatic merge, else the suggestions
            matches = self.index.match(rec.person, rec.linkedin)
            auto = next((m for m in matches if m.auto), None)
        if auto is None:
            self._new(fp, rec, matches)
            return
        holder = self.by_key.get(auto.key)
        if holder is not None:  # an earlier record of this import: fold into it
            holder.person = combine(holder.person, rec.person)
            holder.incoming.append(rec.person)
            holder.warnings += _differences(holder.person, rec.person)
            if holder.action == "unchanged":
                holder.action = "merge"
            fp.items.append(
                PlanItem(
                    rec.line,
                    "merge",
                    rec.person,
                    target=holder.target,
                    into_line=holder.line,
                    reason=auto.reason,
                    linkedin=rec.linkedin,
                    warnings=rec.warnings,
                )
            )
            self.index.add(auto.key, rec.person, rec.linkedin, name=False)
            return
        self._merge_existing(fp, rec, auto)

    def _uid_match(self, rec: Record) -> Match | None:
        uid = rec.person.uuid
        if not uid:
            return None
        if uid in self.uuids:
            return Match(self.uuids[uid], "same UID", True)
        if uid in self.new_uuids:
            return Match(self.new_uuids[uid], "same UID", True)
        return None

    def _new(self, fp: FilePlan, rec: Record, matches: list[Match]) -> None:
        key = -(len(self.by_key) + 1)
        item = PlanItem(
            rec.line,
            "new",
            rec.person,
            linkedin=rec.linkedin,
            suggestions=[(m.key, m.reason) for m in matches if not m.auto and m.key > 0],
            warnings=rec.warnings,
        )
        fp.items.append(item)
        self.by_key[key] = item
        if rec.person.uuid:
            self.new_uuids[rec.person.uuid] = key
        # Only people already stored are suggested (key > 0): a new record is matched later by
        # its email, phone or LinkedIn, not scored as a similar name (most of a large import).
        self.index.add(key, rec.person, rec.linkedin, similar=False)

    def _merge_existing(self, fp: FilePlan, rec: Record, auto: Match) -> None:
        try:
            existing = self.store.people.get(auto.key)
        except NotFoundError:
            fp.skipped.append(Skip(rec.line, "matched a person who no longer exists"))
            return
        merged = combine(existing, rec.person)
        same = person_fields(merged) == person_fields(existing)
        holder = PlanItem(
            rec.line,
            "unchanged" if same else "merge",
            merged,
            target=auto.key,
            reason=auto.reason,
            linkedin=rec.linkedin,
            warnings=[*rec.warnings, *_differences(existing, rec.person)],
            incoming=[rec.person],
        )
        fp.items.append(holder)
        self.by_key[auto.key] = holder
        self.index.add(auto.key, rec.person, rec.linkedin, name=False)


def _differences(kept: Person, extra: Person) -> list[str]:
    """Values of the file that a merge does not keep because the person has another one."""
    out = []
    for name in _KEPT_FIELDS:
        mine, theirs = getattr(kept, name), getattr(extra, name)
        if mine and theirs and F.fold(str(mine)) != F.fold(str(theirs)):
            label = name.replace("_", " ").replace("org", "organisation")
            out.append(f"{label} {theirs!r} not kept: {kept.display_name} has {mine!r}")
    return out


def _merged_now(store: Store, item: PlanItem) -> Person:
    """A merge recomputed inside the commit's transaction from the person as stored now (the
    plan's result is from when the preview was made)."""
    if not item.incoming or item.target is None:
        return item.person
    merged = store.people.get(item.target)
    for extra in item.incoming:
        merged = combine(merged, extra)
    return merged


def _as_stored(store: Store, item: PlanItem, region: str) -> Person:
    """A new record as the store keeps it. The import cleaned it with the store's own field
    rules (:func:`netapp.interchange.records.make_record`), so the store need not clean it
    again (issue 20: that was a seventh of a large import), except where the store does more:
    a name typed as one string is split into given and family names, and a record that later
    ones of the file were folded into (a joined note may pass its limit) is checked whole."""
    p = item.person
    if not item.incoming and _kept_as_is(p):
        return p
    return store.people.clean(p, region)


def _kept_as_is(p: Person) -> bool:
    """Whether the store's clean gives a record of the import back unchanged (a hypothesis
    test holds this for every record make_record builds): it has a name, and the name is
    not one the store would split (no given or family name of a person)."""
    return bool(p.display_name) and bool(
        p.given_name or p.family_name or p.kind == ContactKind.ORGANISATION
    )


@_collector_paused()
def commit_import(
    store: Store,
    plan: ImportPlan,
    *,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    backup_first: bool = True,
) -> list[int]:
    """Write the plan in one transaction; one import batch per file. Returns the batch ids.

    Files with an error are left out. Raises Cancelled (nothing written) when cancelled.
    A database that already holds people is backed up first (``pre-import``): an import
    can be undone, but a backup also covers a merge that went wrong."""
    files = [f for f in plan.files if not f.error]
    if backup_first and files and store.people.count():
        store.backup("pre-import")
    total = sum(len(f.items) for f in files) or 1
    done = 0
    batches: list[int] = []
    with store.atomic():
        for fp in sorted(files, key=lambda f: f.backup_doc is None):
            if fp.backup_doc is not None:
                json_backup.restore(store, fp.backup_doc, fp.file)
                continue
            cur = store.db.conn.execute(
                "INSERT INTO import_batches (uuid, source, format, summary, created_at) "
                "VALUES (?,?,?,?,?)",
                [new_uuid(), Path(fp.file).name, fp.format, "{}", now_iso()],
            )
            batch = int(cur.lastrowid or 0)
            fp.batch_id = batch
            batches.append(batch)
            merged_before: list[dict[str, Any]] = []

            def new_people(
                items: list[PlanItem], merged_before: list[dict[str, Any]]
            ) -> Iterator[Person]:
                """The new records, for one bulk insert; merges are written on the way
                (they update people who were there before, so the order does not matter)."""
                nonlocal done
                for item in items:
                    if done % CHECK_EVERY == 0:
                        _check(cancel)
                        if progress:
                            progress(done, total)
                    done += 1
                    if item.action == "new":
                        yield _as_stored(store, item, plan.region)
                    elif item.action == "merge" and item.into_line is None and item.target:
                        merged_before.append(
                            {"id": item.target, "before": person_state(store, item.target)}
                        )
                        store.people.update(
                            item.target,
                            phone_region=plan.region,
                            **person_fields(_merged_now(store, item)),
                        )

            store.people.add_many(
                new_people(fp.items, merged_before),
                import_batch_id=batch,
                phone_region=plan.region,
                cleaned=True,
            )
            summary = fp.to_json()
            summary["merged_before"] = merged_before
            store.db.conn.execute(
                "UPDATE import_batches SET summary = ? WHERE id = ?",
                [json.dumps(summary, ensure_ascii=False), batch],
            )
        _check(cancel)
    if progress:
        progress(total, total)
    return batches


def list_batches(store: Store) -> list[dict[str, Any]]:
    """Import batches, newest first, with how many people each still holds."""
    rows = store.db.query(
        "SELECT b.id, b.source, b.format, b.created_at, "
        "(SELECT count(*) FROM people p WHERE p.import_batch_id = b.id) AS people "
        "FROM import_batches b ORDER BY b.id DESC"
    )
    return rows


def undo_preview(store: Store, batch_id: int) -> dict[str, Any]:
    """What :func:`undo_import` would do, for a confirmation. Writes nothing.

    ``people``: the people the import added who are still there; going with them (deleted
    in cascade) the ``interactions``, ``attendance``, ``consents`` and ``referrals`` recorded
    for them since. ``restored``: people the import merged into whose earlier details would
    be put back (edits made to them since the import are lost)."""
    rows = store.db.query(
        "SELECT source, format, created_at, summary FROM import_batches WHERE id = ?", [batch_id]
    )
    if not rows:
        raise NotFoundError(f"import {batch_id} not found")
    summary = json.loads(rows[0]["summary"] or "{}")
    ids = "SELECT id FROM people WHERE import_batch_id = :b"
    merged = {int(e["id"]) for e in summary.get("merged_before", []) if e.get("before")}
    still = 0
    if merged:
        marks = ",".join("?" * len(merged))
        still = int(
            store.db.scalar(f"SELECT count(*) FROM people WHERE id IN ({marks})", list(merged))
        )
    out: dict[str, Any] = {
        "id": batch_id,
        "source": rows[0]["source"],
        "format": rows[0]["format"],
        "created_at": rows[0]["created_at"],
        "restored": still,
    }
    b = {"b": batch_id}
    out["people"] = int(store.db.scalar(f"SELECT count(*) FROM ({ids})", b))
    for key, table in (
        ("interactions", "interactions"),
        ("attendance", "attendance"),
        ("consents", "consents"),
    ):
        out[key] = int(
            store.db.scalar(f"SELECT count(*) FROM {table} WHERE person_id IN ({ids})", b)
        )
    out["referrals"] = int(
        store.db.scalar(
            f"SELECT count(*) FROM referrals WHERE referrer_id IN ({ids}) "
            f"OR provider_id IN ({ids})",
            b,
        )
    )
    return out


def undo_import(store: Store, batch_id: int) -> dict[str, int]:
    """Take an import back out in one transaction: delete the people it added and put back
    the fields of the people it merged into. Returns counts."""
    rows = store.db.query("SELECT summary FROM import_batches WHERE id = ?", [batch_id])
    if not rows:
        raise NotFoundError(f"import {batch_id} not found")
    summary = json.loads(rows[0]["summary"] or "{}")
    with store.atomic():
        ids = [
            r[0]
            for r in store.db.conn.execute(
                "SELECT id FROM people WHERE import_batch_id = ?", [batch_id]
            )
        ]
        restored = 0
        for entry in reversed(summary.get("merged_before", [])):
            if restore_state(store, int(entry["id"]), entry["before"]):
                restored += 1
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            store.db.conn.execute(
                f"DELETE FROM people WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
        store.db.conn.execute("DELETE FROM import_batches WHERE id = ?", [batch_id])
        store.changed(Topic.PEOPLE, ids)
    return {"removed": len(ids), "restored": restored}


def import_files(
    store: Store,
    paths: list[str | Path],
    *,
    region: str | None = None,
    dry_run: bool = False,
    mappings: dict[str, dict[str, str]] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportPlan:
    """Plan and (unless ``dry_run``) commit. The plan's ``to_json`` is the CLI's output."""
    plan = plan_import(
        store, paths, region=region, mappings=mappings, progress=progress, cancel=cancel
    )
    if not dry_run:
        commit_import(store, plan, progress=progress, cancel=cancel)
    return plan
