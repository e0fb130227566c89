"""Search everywhere (Ctrl+K, ``netapp search``): people, meetings, groups, referrals, library
items, journal notes and interaction notes, through the FTS5 table of each (``people_fts``
from m001, the others from m008), grouped by kind, best match first within a kind.

Read-only. Each hit names its kind, the record's id, a title and a detail line, and the person
it belongs to (notes, interactions) so the app can open the right page at the right row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from netapp.domain import SearchKind
from netapp.store.db import Database
from netapp.store.people import fts_query

_SNIPPET = "snippet({fts}, -1, '', '', '…', 12)"

# Kind -> SQL returning (id, title, detail, person_id, date) for ``MATCH ?`` ``LIMIT ?``.
_QUERIES: dict[SearchKind, str] = {
    SearchKind.PERSON: """SELECT p.id, p.display_name, trim(p.org || ' ' || p.title), p.id, ''
        FROM people_fts JOIN people p ON p.id = people_fts.rowid
        WHERE people_fts MATCH ? ORDER BY rank LIMIT ?""",
    SearchKind.MEETING: """SELECT m.id, m.name, trim(m.date || ' ' || COALESCE(g.name, '')
            || ' ' || m.venue), NULL, m.date
        FROM meetings_fts JOIN meetings m ON m.id = meetings_fts.rowid
        LEFT JOIN groups g ON g.id = m.group_id
        WHERE meetings_fts MATCH ? ORDER BY rank LIMIT ?""",
    SearchKind.GROUP: """SELECT g.id, g.name, g.venue, NULL, ''
        FROM groups_fts JOIN groups g ON g.id = groups_fts.rowid
        WHERE groups_fts MATCH ? ORDER BY rank LIMIT ?""",
    SearchKind.REFERRAL: """SELECT r.id, COALESCE(pp.display_name, r.prospect_name),
            r.date || ' ' || r.status || ': ' || COALESCE(ref.display_name, 'you') || ' → '
            || COALESCE(prov.display_name, 'you'), NULL, r.date
        FROM referrals_fts JOIN referrals r ON r.id = referrals_fts.rowid
        LEFT JOIN people ref ON ref.id = r.referrer_id
        LEFT JOIN people prov ON prov.id = r.provider_id
        LEFT JOIN people pp ON pp.id = r.prospect_id
        WHERE referrals_fts MATCH ? ORDER BY rank LIMIT ?""",
    SearchKind.LIBRARY: """SELECT l.id, l.title, l.kind || ' ' || l.url, NULL, ''
        FROM library_fts JOIN library_items l ON l.id = library_fts.rowid
        WHERE library_fts MATCH ? ORDER BY rank LIMIT ?""",
    SearchKind.NOTE: f"""SELECT n.id, p.display_name, n.date || ': ' || {_SNIPPET.format(fts="notes_fts")},
            n.person_id, n.date
        FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid
        JOIN people p ON p.id = n.person_id
        WHERE notes_fts MATCH ? ORDER BY rank LIMIT ?""",
    SearchKind.INTERACTION: f"""SELECT i.id, p.display_name,
            i.date || ' ' || i.kind || ': ' || {_SNIPPET.format(fts="interactions_fts")},
            i.person_id, i.date
        FROM interactions_fts JOIN interactions i ON i.id = interactions_fts.rowid
        JOIN people p ON p.id = i.person_id
        WHERE interactions_fts MATCH ? ORDER BY rank LIMIT ?""",
}


@dataclass(frozen=True)
class Hit:
    """One search result: ``kind`` and ``id`` of the record, what to show, whose it is."""

    kind: SearchKind
    id: int
    title: str
    detail: str
    person_id: int | None = None
    date: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "id": self.id,
            "title": self.title,
            "detail": self.detail,
            "person_id": self.person_id,
            "date": self.date or None,
        }


def search(
    db: Database, text: str, *, per_kind: int = 20, kinds: tuple[SearchKind, ...] | None = None
) -> list[Hit]:
    """Every kind's best ``per_kind`` matches for ``text`` (each word a prefix), grouped by
    kind in the order of :class:`SearchKind`. Nothing for an empty or punctuation-only text."""
    q = fts_query(text)
    if not q:
        return []
    hits: list[Hit] = []
    for kind in kinds or tuple(SearchKind):
        for row in db.conn.execute(_QUERIES[kind], [q, per_kind]).fetchall():
            rid, title, detail, pid, day = row
            hits.append(
                Hit(kind, int(rid), str(title or ""), " ".join(str(detail or "").split()), pid, day)
            )
    return hits
