"""Follow-up and briefing sheets: what to do per person, printed to take along.

Both sheets read the engine (``engine.statuses``, ``engine.agenda``,
``engine.upcoming_meetings``) for stage, last touch, the next step and which asks the
relationship allows now; they never decide anything themselves. ``as_of`` is passed in.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from netapp.errors import ValidationError
from netapp.printing import fonts
from netapp.printing.layouts import A4, LETTER, MM, PRINTER_MARGIN
from netapp.printing.logo import Logo, draw_logo

if TYPE_CHECKING:
    from netapp.engine import PersonStatus
    from netapp.store import Store

PAPERS = {"a4": A4, "letter": LETTER}
VALUE_KINDS = ("value-given", "value-received", "referral-given", "referral-received", "business")
MAX_DAYS = 366


@dataclass
class Entry:
    """One person's block on a sheet."""

    person_id: int
    name: str
    org: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    contact: str = ""  # phone and email, as printed under the name
    face: bool = False  # print the face (the photo, or initials on a disc) beside the notes
    photo: bytes | None = None


@dataclass
class Sheet:
    title: str
    subtitle: str
    entries: list[Entry]
    empty_text: str = "Nobody to list."

    def warning(self) -> str:
        """One line naming characters that will be left out (no shipped font has them)."""
        texts = {"the title": self.title}
        for e in self.entries:
            texts[e.name] = " ".join([e.name, e.org, e.contact, *(t for _, t in e.lines)])
        return fonts.missing_warning(texts)


def default_paper(store: Store) -> str:
    """The paper setting (A4 or Letter; its default comes from the user's region)."""
    return str(store.settings["print.paper"])


def _fmt(d: date | str | None) -> str:
    if d is None or d == "":
        return "—"
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.day} {d:%b %Y}"


def _labels(store: Store) -> dict[str, str]:
    from netapp.engine.ladder import load_ladder

    return {a.id: a.label for a in load_ladder(store)}


def _sizes(store: Store) -> dict[str, int]:
    from netapp.engine.ladder import load_ladder

    return {a.id: a.size for a in load_ladder(store)}


def _first_met(store: Store, pids: list[int]) -> dict[int, str]:
    """Where and when each person was first met (earliest meeting attended, else 'met' log)."""
    out: dict[int, str] = {}
    if not pids:
        return out
    marks = ",".join("?" * len(pids))
    for r in store.db.query(
        f"""SELECT a.person_id, m.name, m.date, m.venue FROM attendance a
            JOIN meetings m ON m.id = a.meeting_id
            WHERE a.person_id IN ({marks}) ORDER BY m.date DESC, m.id DESC""",
        pids,
    ):
        venue = f", {r['venue']}" if r["venue"] else ""
        out[r["person_id"]] = f"{r['name']}{venue}, {_fmt(r['date'])}"
    for r in store.db.query(
        f"""SELECT person_id, min(date) AS d FROM interactions
            WHERE person_id IN ({marks}) GROUP BY person_id""",
        pids,
    ):
        out.setdefault(r["person_id"], f"first logged {_fmt(r['d'])}")
    return out


def _people(store: Store, pids: list[int]) -> dict[int, dict[str, Any]]:
    if not pids:
        return {}
    marks = ",".join("?" * len(pids))
    return {
        r["id"]: r
        for r in store.db.query(
            f"""SELECT p.id, p.display_name, p.org,
                (SELECT phone FROM person_phones WHERE person_id = p.id
                 ORDER BY position, id LIMIT 1) AS phone,
                (SELECT email FROM person_emails WHERE person_id = p.id
                 ORDER BY position, id LIMIT 1) AS email
                FROM people p WHERE p.id IN ({marks})""",
            pids,
        )
    }


def _phone(number: str | None) -> str:
    """An E.164 number grouped as people write it (+44 20 7946 0018); others as typed."""
    from netapp import fields as F

    if not number or not F.is_e164(number.split(";")[0]):
        return number or ""
    import phonenumbers

    main, _, ext = number.partition(";ext=")
    shown = phonenumbers.format_number(
        phonenumbers.parse(main), phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return f"{shown} ext. {ext}" if ext else shown


def _contact(p: dict[str, Any]) -> str:
    return "  ·  ".join(v for v in (_phone(p.get("phone")), p.get("email")) if v)


def _ask_line(st: PersonStatus, labels: dict[str, str], sizes: dict[str, int]) -> str:
    step = st.next_step
    if step.kind == "ask" and step.ask:
        return f"{labels.get(step.ask, step.ask)} — {step.reason}"
    if step.reconnect:
        return "none yet — " + (
            st.stage_line() if st.quiet_since else "reconnect first: they have not answered"
        )
    if st.allowed_asks:
        best = max(st.allowed_asks, key=lambda a: (sizes.get(a, 0), st.allowed_asks.index(a)))
        why = f"allowed at {st.current_stage.value}"
        if st.blocked_asks:
            b = st.blocked_asks[0]
            why += f"; not yet “{labels.get(b.ask, b.ask)}” ({b.reason})"
        return f"{labels.get(best, best)} — {why}"
    if st.blocked_asks:
        b = st.blocked_asks[0]
        return f"none yet — {labels.get(b.ask, b.ask)}: {b.reason}"
    return "none yet — give value first"


def _give_line(st: PersonStatus) -> str:
    step = st.next_step
    if step.kind == "give-value":
        return f"“{step.item_title}”" if step.item_title else step.reason
    if step.reconnect:
        return "reconnect first: " + step.reason
    return {
        "follow-up": "follow up first: " + step.reason,
        "keep-in-touch": "keep in touch: " + step.reason,
        "ask": "value given recently; the ask below is timed",
    }.get(step.kind, "—")


def followup_sheet(
    store: Store,
    as_of: date,
    *,
    meeting: int | str | None = None,
    on: date | None = None,
    days: int = 7,
) -> Sheet:
    """People from a meeting, or from the agenda for ``on`` … ``on + days``."""
    from netapp import engine

    if meeting is not None:
        m = store.meetings.get(meeting)
        pids = store.meetings.attendees(int(m.id or 0))
        title = f"Follow-up: {m.name}, {_fmt(m.date)}"
        empty = "Nobody is recorded as attending this meeting yet."
    else:
        if isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
            raise ValidationError("days", f"must be between 1 and {MAX_DAYS} (got {days})")
        start = on or as_of
        steps = engine.agenda(store, start, days=days)
        pids = list(dict.fromkeys(s.person_id for s in steps))
        end = start + timedelta(days=days - 1)
        title = f"Follow-up: agenda {_fmt(start)} – {_fmt(end)}"
        empty = "The agenda has nothing due in these days."
        as_of = start
    statuses = engine.statuses(store, as_of, person_ids=pids) if pids else {}
    people = _people(store, pids)
    met = _first_met(store, pids)
    labels, sizes = _labels(store), _sizes(store)
    entries = []
    for pid in pids:
        st = statuses.get(pid)
        p = people.get(pid)
        if st is None or p is None:
            continue
        e = Entry(pid, p["display_name"], p["org"], contact=_contact(p))
        e.lines.append(("Met", met.get(pid, "—")))
        e.lines.append(
            (
                "Stage",
                f"{st.stage_line()} · last touch {_fmt(st.last_touch)} · trust {st.trust:.0f}",
            )
        )
        e.lines.append(("Give next", _give_line(st)))
        e.lines.append(("Ask now", _ask_line(st, labels, sizes)))
        entries.append(e)
    sub = f"{len(entries)} people · as of {_fmt(as_of)}"
    return Sheet(title, sub, entries, empty)


def briefing_sheet(store: Store, as_of: date, *, meeting: int | str) -> Sheet:  # noqa: C901  split in #22
    """Who is likely at a coming meeting, and per person what is pending, which ask is timed
    for it, and the value exchanged recently."""
    from netapp import engine

    m = store.meetings.get(meeting)
    when = date.fromisoformat(m.date)
    mid = int(m.id or 0)
    last_n = int(store.settings["regular.last_meetings"])
    counts: dict[int, int] = {}
    n_prev = 0
    if m.group_id is not None:
        prev = [
            r["id"]
            for r in store.db.query(
                "SELECT id FROM meetings WHERE group_id = ? AND date < ? AND id != ? "
                "ORDER BY date DESC LIMIT ?",
                [m.group_id, m.date, mid, last_n],
            )
        ]
        n_prev = len(prev)
        if prev:
            marks = ",".join("?" * len(prev))
            for r in store.db.query(
                f"SELECT person_id, count(*) AS n FROM attendance WHERE meeting_id IN ({marks}) "
                "GROUP BY person_id",
                prev,
            ):
                if r["n"] >= 2:
                    counts[r["person_id"]] = r["n"]
    regulars: set[int] = set()
    timed: dict[int, Any] = {}
    if m.group_id is not None and when >= as_of:
        for um in engine.upcoming_meetings(store, as_of, days=(when - as_of).days):
            if um.group_id == m.group_id and um.date == when:
                regulars.update(um.regulars)
                timed.update({s.person_id: s for s in um.steps})
    recorded = set(store.meetings.attendees(mid))
    pids = sorted(
        recorded | set(counts) | regulars,
        key=lambda p: (p not in recorded, -counts.get(p, 0), p),
    )
    statuses = engine.statuses(store, as_of, person_ids=pids) if pids else {}
    for pid, status in statuses.items():
        nxt = status.next_step
        if nxt.kind == "ask" and nxt.group_id == m.group_id and nxt.due == when:
            timed.setdefault(pid, nxt)
    people = _people(store, pids)
    labels = _labels(store)
    pending = _pending(store, pids)
    recent = _recent_value(store, pids, as_of)
    journal = store.notes.latest(pids, per_person=2)
    born = _birthdays_near(store, pids, when)
    entries = []
    for pid in pids:
        p, st = people.get(pid), statuses.get(pid)
        if p is None or st is None:
            continue
        e = Entry(pid, p["display_name"], p["org"], contact=_contact(p), face=True)
        e.photo = store.people.photo(pid)
        why = []
        if pid in recorded:
            why.append("on the attendance list")
        if pid in counts:
            why.append(f"came to {counts[pid]} of the last {n_prev}")
        elif pid in regulars:
            why.append("a regular")
        e.lines.append(("Likely", "; ".join(why) or "—"))
        e.lines.append(("Stage", f"{st.stage_line()} · last touch {_fmt(st.last_touch)}"))
        e.lines.append(("Pending", "; ".join(pending.get(pid, [])) or "nothing pending"))
        step = timed.get(pid)
        if step is not None:
            ask = labels.get(step.ask or "", step.ask or "")
            e.lines.append(("Ask here", f"{ask} — {step.reason}"))
        else:
            e.lines.append(("Ask here", "no ask timed for this meeting"))
        e.lines.append(("Recent value", "; ".join(recent.get(pid, [])) or "none in 90 days"))
        if pid in born:
            e.lines.append(("Birthday", born[pid]))
        for note in journal.get(pid, []):
            text = " ".join(note.text.split())
            e.lines.append(("Journal", f"{_fmt(note.date)}: {text[:300]}"))
        entries.append(e)
    venue = f" at {m.venue}" if m.venue else ""
    title = f"Briefing: {m.name}, {_fmt(m.date)}{venue}"
    sub = f"{len(entries)} likely attendees · as of {_fmt(as_of)}"
    return Sheet(title, sub, entries, "No regulars or recorded attendees for this meeting.")


def _birthdays_near(store: Store, pids: list[int], when: date) -> dict[int, str]:
    """Birthdays from three days before the meeting to a week after, of these people."""
    from netapp.store.occasions import birthdays

    wanted = set(pids)
    out: dict[int, str] = {}
    for o in birthdays(store.db, when - timedelta(days=3), 10):
        if o.person_id in wanted:
            out[o.person_id] = _fmt(o.on) + (f", turning {o.age}" if o.age else "")
    return out


def _pending(store: Store, pids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if not pids:
        return out
    labels = _labels(store)
    marks = ",".join("?" * len(pids))
    for r in store.db.query(
        f"""SELECT person_id, ask_type, date FROM interactions
            WHERE person_id IN ({marks}) AND kind = 'ask' AND outcome = 'pending'
            ORDER BY date""",
        pids,
    ):
        ask = labels.get(r["ask_type"], r["ask_type"])
        out.setdefault(r["person_id"], []).append(f"asked “{ask}” on {_fmt(r['date'])}")
    for r in store.db.query(
        f"""SELECT coalesce(referrer_id, provider_id) AS pid, prospect_name, status, date
            FROM referrals WHERE status IN ('new', 'contacted')
            AND coalesce(referrer_id, provider_id) IN ({marks}) ORDER BY date""",
        pids,
    ):
        who = f" ({r['prospect_name']})" if r["prospect_name"] else ""
        out.setdefault(r["pid"], []).append(f"referral{who} {r['status']} since {_fmt(r['date'])}")
    return out


def _recent_value(store: Store, pids: list[int], as_of: date) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if not pids:
        return out
    marks = ",".join("?" * len(pids))
    kinds = ",".join("?" * len(VALUE_KINDS))
    since = (as_of - timedelta(days=90)).isoformat()
    rows = store.db.query(
        f"""SELECT i.person_id, i.kind, i.date, i.note, l.title FROM interactions i
            LEFT JOIN library_items l ON l.id = i.library_item_id
            WHERE i.person_id IN ({marks}) AND i.kind IN ({kinds})
            AND i.date >= ? AND i.date <= ? ORDER BY i.date DESC""",
        [*pids, *VALUE_KINDS, since, as_of.isoformat()],
    )
    for r in rows:
        items = out.setdefault(r["person_id"], [])
        if len(items) < 3:
            what = r["title"] or r["note"] or ""
            what = f": {what[:60]}" if what else ""
            items.append(f"{r['kind']} {_fmt(r['date'])}{what}")
    return out


# -- drawing ---------------------------------------------------------------------------------

MARGIN = 12 * MM  # printers leave 4-6 mm blank; the footer sits between the two
FOOTER = PRINTER_MARGIN + 2 * MM  # the page number's baseline, from the paper's bottom edge
BODY = 9.0  # points: every line of text on a sheet
LEADING = 1.15
RULE_GAP = 7 * MM  # writing lines, three a person
WRITING_LINES = 3
NOTES = 0.76  # the writing lines start at this fraction of the width (about 40 mm of lines)
GAP = 14.0  # between two short items sharing a line


@dataclass
class _Block:
    """One person laid out: whether the contact needs its own line, the notes as visual
    lines of (label, text) segments, and the block's height."""

    contact_own_line: bool
    lines: list[list[tuple[str, str]]]
    height: float


def _segment_width(label: str, text: str) -> float:
    return fonts.width(label, BODY, bold=True) + 4 + fonts.width(text, BODY)


def _notes(e: Entry, text_w: float) -> list[list[tuple[str, str]]]:
    """The labelled notes wrapped to ``text_w``: a short item shares the line of the one
    before when both fit; a long one wraps under its run-in bold label."""
    out: list[list[tuple[str, str]]] = []
    used = text_w  # nothing to share with yet
    for label, text in e.lines:
        w = _segment_width(label, text)
        if out and len(out[-1]) and used + GAP + w <= text_w:
            out[-1].append((label, text))
            used += GAP + w
            continue
        if w <= text_w:
            out.append([(label, text)])
            used = w
            continue
        wrapped = fonts.wrap(f"{label}  {text}", text_w - 8, BODY)
        first = wrapped[0][len(label) :].strip() if wrapped[0].startswith(label) else wrapped[0]
        out.append([(label, first)])
        out += [[("", line)] for line in wrapped[1:]]
        used = text_w
    return out


def _head_fits(e: Entry, width: float) -> bool:
    name_w = fonts.width(e.name, 11, bold=True)
    org_w = fonts.width(f"  {e.org}", BODY) if e.org else 0.0
    return name_w + org_w + fonts.width(e.contact, BODY) + 16 <= width - 16


FACE = 26.0  # points: a face on the briefing sheet


def _block(e: Entry, width: float) -> _Block:
    lines = _notes(e, width * NOTES - 16 - 10 - (FACE + 6 if e.face else 0))
    own_line = bool(e.contact) and not _head_fits(e, width)
    head = 14 + (BODY * 1.4 if own_line else 0) + 2
    text_h = max(len(lines) * BODY * LEADING, FACE + 4 if e.face else 0)
    return _Block(own_line, lines, head + max(text_h, WRITING_LINES * RULE_GAP) + 6)


def _draw_face(c: Any, e: Entry, cx: float, cy: float) -> None:
    """The person's photo cut round, or their initials on a coloured disc."""
    import colorsys

    from netapp.fields import disc_hue, initials

    r = FACE / 2
    if e.photo:
        try:
            from reportlab.lib.utils import ImageReader

            image = ImageReader(io.BytesIO(e.photo))
            iw, ih = image.getSize()
            scale = FACE / min(iw, ih)
            c.saveState()
            path = c.beginPath()
            path.circle(cx, cy, r)
            c.clipPath(path, stroke=0, fill=0)
            c.drawImage(image, cx - iw * scale / 2, cy - ih * scale / 2, iw * scale, ih * scale)
            c.restoreState()
            return
        except Exception:  # noqa: BLE001  an undecodable photo falls back to the initials
            pass
    red, green, blue = colorsys.hsv_to_rgb(disc_hue(e.name) / 360, 110 / 255, 175 / 255)
    c.saveState()
    c.setFillColorRGB(red, green, blue)
    c.circle(cx, cy, r, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    fonts.draw(c, cx, cy - 3.5, initials(e.name), 10, bold=True, align="center")
    c.restoreState()


def _draw_head(c: Any, e: Entry, block: _Block, x: float, y: float, width: float) -> float:
    """The checkbox, the name in bold, the organisation, and the phone and email (on the
    same line when they fit); returns the next baseline."""
    c.setLineWidth(0.8)
    c.rect(x, y - 9, 9, 9, stroke=1, fill=0)
    name_room = width - 16
    if not block.contact_own_line and e.contact:
        name_room -= fonts.width(e.contact, BODY) + 16
        fonts.draw(c, x + width, y - 8.5, e.contact, BODY, align="right")
    name, size = fonts.fit(e.name, name_room, 11, BODY, 1, bold=True)
    nw = fonts.draw(c, x + 16, y - 8.5, name[0], size, bold=True, rtl=fonts.direction(e.name))
    if e.org:
        org = fonts.fit(e.org, max(name_room - nw - 8, 40), BODY, BODY, 1)[0][0]
        fonts.draw(c, x + 16 + nw + 8, y - 8.5, org, BODY, rtl=fonts.direction(e.org))
    y -= 14
    if block.contact_own_line:
        fonts.draw(c, x + 16, y - BODY * 0.75, e.contact, BODY)
        y -= BODY * 1.4
    return y - 2


def _draw_entry(c: Any, e: Entry, block: _Block, x: float, y: float, width: float) -> None:
    """The head line; below, the notes (run-in bold labels) on the left and three ruled
    writing lines on the right."""
    top = y = _draw_head(c, e, block, x, y, width)
    if e.face:
        _draw_face(c, e, x + width * NOTES - 6 - FACE / 2, top - 2 - FACE / 2)
    y -= BODY
    for segments in block.lines:
        at = x + 16
        for label, text in segments:
            if label:
                at += fonts.draw(c, at, y, label, BODY, bold=True) + 4
            at += fonts.draw(c, at, y, text, BODY, rtl=fonts.direction(text)) + GAP
        y -= BODY * LEADING
    c.saveState()
    c.setLineWidth(0.4)
    c.setStrokeColorRGB(0.55, 0.55, 0.55)
    for n in range(1, WRITING_LINES + 1):
        c.line(x + width * NOTES, top - n * RULE_GAP, x + width, top - n * RULE_GAP)
    c.restoreState()


def render_for(store: Store, sheet: Sheet, paper: str | None = None) -> bytes:
    """``sheet`` as a PDF with the user's paper (unless ``paper``), accent colour and logo."""
    from netapp.printing.logo import load_logo

    s = store.settings
    logo = load_logo(s["print.logo"]) if s["print.logo"] else None
    return render_sheet(sheet, paper or default_paper(store), s["print.accent"], logo)


def render_sheet(
    sheet: Sheet, paper: str = "a4", accent: str = "#2f6fb2", logo: Logo | None = None
) -> bytes:
    """The sheet as a PDF: a header, then one block per person; blocks never split across
    pages, text is never cut."""
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas

    if paper not in PAPERS:
        raise ValidationError("paper", f"unknown paper {paper!r}; use a4 or letter")
    w, h = PAPERS[paper]
    width = w - 2 * MARGIN
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(w, h), pageCompression=1, invariant=1)
    c.setTitle(sheet.title)
    c.setAuthor("netapp")
    page = 1

    def header() -> float:
        """The first page: the title at 14 pt, the subtitle, the logo; later pages repeat
        the title at 10 pt (wrapped, never cut) with a smaller logo, to leave room for
        people."""
        first = page == 1
        size, leading = (14.0, 17.0) if first else (10.0, 12.0)
        y = h - MARGIN - size * 0.85
        title_w = width
        if logo is not None:
            lw, lh = logo.fit(40 * MM, 11 * MM) if first else logo.fit(24 * MM, 6 * MM)
            draw_logo(c, logo, w - MARGIN - lw, h - MARGIN - lh, lw, lh)
            title_w -= lw + 4 * MM
        for line in fonts.wrap(sheet.title, title_w, size, bold=True):
            fonts.draw(c, MARGIN, y, line, size, bold=True, rtl=fonts.direction(sheet.title))
            y -= leading
        if first:
            y += 3
            fonts.draw(c, MARGIN, y, sheet.subtitle, BODY)
            y -= 7
        else:
            y += leading - 5
        c.saveState()
        c.setStrokeColor(HexColor(accent))
        c.setLineWidth(1.2)
        c.line(MARGIN, y, w - MARGIN, y)
        c.restoreState()
        return y - 12

    def footer() -> None:
        fonts.draw(c, w - MARGIN, FOOTER, f"page {page}", BODY, align="right")

    y = header()
    if not sheet.entries:
        fonts.draw(c, MARGIN, y, sheet.empty_text, 10)
    for e in sheet.entries:
        block = _block(e, width)
        if y - block.height < MARGIN:
            footer()
            c.showPage()
            page += 1
            y = header()
        _draw_entry(c, e, block, MARGIN, y, width)
        y -= block.height
    footer()
    c.showPage()
    c.save()
    return buf.getvalue()
