"""Deterministic, realistic demo data: groups with recurring meetings over the past year,
repeat attendance, interactions of every kind, asks with outcomes, referrals and consents.

The same ``seed``, ``people`` and ``today`` always give the same database. It scales to
100,000 people for the benchmarks, so rows are written in bulk inside one transaction.
"""

from __future__ import annotations

import json
import random
import unicodedata
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from netapp import assets
from netapp.domain import Topic
from netapp.errors import ValidationError
from netapp.store import Store, new_uuid, now_iso

PROFILE = {
    "profile.name": "Alex Morgan",
    "profile.business": "Morgan Growth Coaching",
    "profile.offer": "Free e-book: 10 referral habits that work",
    "profile.optin_url": "https://example.com/newsletter?list=main",
    "profile.email": "alex@example.com",
    "profile.phone": "+12025550143",
    "profile.website": "https://example.com",
}

# Each person gets a relationship "warmth" that shapes how much history they have.
WARMTH = (("cold", 0.40), ("warm", 0.30), ("trusted", 0.20), ("partner", 0.10))


# Letters NFKD does not take apart: an address keeps them as their usual spelling.
_FOLD = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


def _ascii(text: str) -> str:
    """``text`` as an address part: lower case, accents taken off ("Søren Ødegaard" ->
    "soren.odegaard"), only ASCII letters, digits and dots kept."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c == "."))


def _uuid(rng: random.Random) -> str:
    return str(uuidlib.UUID(int=rng.getrandbits(128), version=4))


def _meeting_dates(recurrence: str, weekday: int, start: date, end: date) -> list[date]:
    d = start + timedelta(days=(weekday - start.weekday()) % 7)
    out: list[date] = []
    while d <= end:
        if recurrence == "monthly":
            if d.day <= 7:  # first <weekday> of the month
                out.append(d)
            d += timedelta(days=7)
        else:
            out.append(d)
            d += timedelta(days=14 if recurrence == "fortnightly" else 7)
    return out


def generate(
    store: Store,
    people: int = 120,
    seed: int = 1,
    today: str | None = None,
    interactions_per_person: float | None = None,
) -> dict[str, Any]:
    """Fill ``store`` with demo data. Returns counts of what was written.

    ``interactions_per_person`` (for the benchmarks) tops the history up with routine
    contacts until there are about that many interactions per person on average. The
    extra rows come from their own random stream, so the default output is unchanged.
    """
    if people < 1 or people > 1_000_000:
        raise ValidationError("people", "must be between 1 and 1,000,000")
    end = date.fromisoformat(today) if today else date.today()
    with store.atomic():
        profile_keys = [k for k in PROFILE if not store.settings[k]]
        store.settings.update({k: PROFILE[k] for k in profile_keys})
        demo = _Demo(store, random.Random(seed), end)
        demo.library()
        demo.groups()
        for n in range(people):
            demo.person(demo.base_person + n + 1)
        if interactions_per_person is not None:
            _top_up(
                demo.rows.interactions,
                round(people * interactions_per_person),
                demo.base_person,
                people,
                demo.start,
                end,
                demo.item_ids,
                random.Random(f"{seed}-density"),
                demo.stamp,
            )
        demo.rows.write(store)
        _personal_touches(store, demo, random.Random(f"{seed}-touches"))
        _remember(store, demo, profile_keys)
        store.changed(Topic.PEOPLE)
        store.changed(Topic.MEETINGS)
        store.changed(Topic.INTERACTIONS)
        store.db.conn.execute("DELETE FROM person_status")
    return demo.counts()


JOURNAL = (
    "Talked about her daughter's exams in June",
    "Training for the city half marathon; ask how it went",
    "Moving the office to the harbour in spring",
    "Looking for a good bookkeeper",
    "Back from two weeks in Portugal",
)


def _personal_touches(store: Store, demo: _Demo, rng: random.Random) -> None:
    """Birthdays on about one person in six (two of them today and tomorrow), a few journal
    notes, and one "remind me on" date that has come: what Today, search and the briefing
    sheet show. Their own random stream, so the rest of the demo is unchanged."""
    ids = [r[0] for r in demo.rows.people]
    if not ids:
        return
    end = demo.end
    rows = []
    for pid in ids:
        if rng.random() < 1 / 6:
            day = date(2000, 1, 1) + timedelta(days=rng.randrange(366))
            year = rng.choice((None, rng.randrange(1960, 2000)))
            md = f"{day.month:02d}-{day.day:02d}"
            rows.append((f"{year}-{md}" if year else f"--{md}", pid))
    for n, pid in enumerate(ids[:2]):
        on = end + timedelta(days=n)
        rows.append((f"{rng.randrange(1965, 1995)}-{on.month:02d}-{on.day:02d}", pid))
    store.db.conn.executemany("UPDATE people SET birthday = ? WHERE id = ?", rows)
    store.db.conn.execute(
        "UPDATE people SET remind_on = ? WHERE id = ?",
        [(end - timedelta(days=2)).isoformat(), ids[-1]],
    )
    for text, pid in zip(JOURNAL, rng.sample(ids, min(len(ids), len(JOURNAL))), strict=False):
        when = (end - timedelta(days=rng.randrange(3, 60))).isoformat()
        store.db.conn.execute(
            "INSERT INTO notes (uuid, person_id, date, text, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [new_uuid(), pid, when, text, demo.stamp, demo.stamp],
        )


@dataclass
class _Rows:
    """What the demo writes, gathered first and inserted in bulk (fast at 100,000 people)."""

    people: list[tuple[Any, ...]] = field(default_factory=list)
    emails: list[tuple[Any, ...]] = field(default_factory=list)
    phones: list[tuple[Any, ...]] = field(default_factory=list)
    tags: list[tuple[int, str]] = field(default_factory=list)
    attendance: list[tuple[int, int]] = field(default_factory=list)
    interactions: list[tuple[Any, ...]] = field(default_factory=list)
    referrals: list[tuple[Any, ...]] = field(default_factory=list)
    consents: list[tuple[Any, ...]] = field(default_factory=list)

    def write(self, store: Store) -> None:
        c = store.db.conn
        c.executemany(
            """INSERT INTO people (id, uuid, display_name, given_name, family_name, org, title, note,
               source, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
            self.people,
        )
        c.executemany(
            "INSERT INTO person_emails (person_id, email, label, position) VALUES (?,?,?,?)",
            self.emails,
        )
        c.executemany(
            "INSERT INTO person_phones (person_id, phone, label, valid, position) VALUES (?,?,?,?,?)",
            self.phones,
        )
        c.executemany("INSERT INTO person_tags (person_id, tag) VALUES (?,?)", self.tags)
        c.executemany(
            "INSERT OR IGNORE INTO attendance (meeting_id, person_id) VALUES (?,?)",
            self.attendance,
        )
        c.executemany(
            """INSERT INTO interactions (uuid, person_id, date, kind, note, ask_type, outcome, amount,
               library_item_id, meeting_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
            self.interactions,
        )
        c.executemany(
            """INSERT INTO referrals (uuid, referrer_id, provider_id, prospect_id, prospect_name, status,
               value, prospect_agreed, date, note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
            self.referrals,
        )
        c.executemany(
            """INSERT INTO consents (uuid, person_id, email, method, obtained_at, meeting_id, card_code,
               wording, source) VALUES (?,?,?,?,?,?,?,?,?)""",
            self.consents,
        )


_NOTES = (
    "",
    "",
    "Looking for introductions to local solicitors.",
    "Prefers email over calls.",
    "Met through the chamber.",
    "Interested in our workshop series.",
)
_ATTENDANCE_RATE = {"cold": 0.0, "warm": 0.35, "trusted": 0.6, "partner": 0.75}


class _Demo:
    """One run of :func:`generate`: the random stream, the names, and the rows so far. Every
    step draws from the one stream in a fixed order, so a seed always gives the same data."""

    def __init__(self, store: Store, rng: random.Random, end: date) -> None:
        self.store, self.rng, self.end = store, rng, end
        self.data = assets.read_json("demo", "names.json")
        self.start = end - timedelta(days=364)
        self.stamp = now_iso()
        self.base_person = int(store.db.scalar("SELECT COALESCE(max(id), 0) FROM people"))
        self.base_meeting = int(store.db.scalar("SELECT COALESCE(max(id), 0) FROM meetings"))
        self.item_ids: list[int] = []
        self.new_groups: list[int] = []
        self.meeting_rows: list[tuple[Any, ...]] = []
        self.group_meetings: list[list[tuple[int, date]]] = []
        self.rows = _Rows()
        self.emails_seen: set[str] = set()

    def counts(self) -> dict[str, int]:
        r = self.rows
        return {
            "people": len(r.people),
            "meetings": len(self.meeting_rows),
            "attendance": len(r.attendance),
            "interactions": len(r.interactions),
            "referrals": len(r.referrals),
            "consents": len(r.consents),
            "library_items": len(self.item_ids),
        }

    # -- the shared things: library, groups, meetings ----------------------------------------

    def library(self) -> None:
        for item in self.data["library"]:
            cur = self.store.db.conn.execute(
                "INSERT INTO library_items (uuid, title, kind, url, description, tags, created_at) VALUES (?,?,?,?,?,?,?)",
                [
                    _uuid(self.rng),
                    item["title"],
                    item["kind"],
                    f"https://example.com/{item['kind']}/{len(self.item_ids) + 1}",
                    "",
                    json.dumps(item["tags"]),
                    self.stamp,
                ],
            )
            self.item_ids.append(int(cur.lastrowid or 0))

    def groups(self) -> None:
        """The groups (kept when they exist) and their meetings over the past year."""
        next_mid = self.base_meeting
        for g in self.data["groups"]:
            gid = self.store.db.scalar("SELECT id FROM groups WHERE name = ?", [g["name"]])
            if not gid:
                gid = self.store.db.conn.execute(
                    "INSERT INTO groups (uuid, name, recurrence, weekday, venue, created_at) VALUES (?,?,?,?,?,?)",
                    [
                        _uuid(self.rng),
                        g["name"],
                        g["recurrence"],
                        g["weekday"],
                        g["venue"],
                        self.stamp,
                    ],
                ).lastrowid
                self.new_groups.append(int(gid or 0))
            ms = []
            for d in _meeting_dates(g["recurrence"], g["weekday"], self.start, self.end):
                next_mid += 1
                self.meeting_rows.append(
                    (
                        next_mid,
                        _uuid(self.rng),
                        gid,
                        g["name"],
                        d.isoformat(),
                        g["venue"],
                        "",
                        self.stamp,
                    )
                )
                ms.append((next_mid, d))
            self.group_meetings.append(ms)
        self.store.db.conn.executemany(
            "INSERT INTO meetings (id, uuid, group_id, name, date, venue, note, created_at) VALUES (?,?,?,?,?,?,?,?)",
            self.meeting_rows,
        )

    # -- one person ------------------------------------------------------------------------------

    def person(self, pid: int) -> None:
        """A person, their contact details, the meetings they came to and their history,
        which grows with their warmth."""
        email, warmth = self._contact(pid)
        attended = self._attendance(pid, warmth)
        p = _Person(pid, email, attended, self.rng, self.end)
        if warmth == "cold":
            if self.rng.random() < 0.3:
                self.interact(pid, p.first_day + timedelta(days=1), "email", "Nice to meet you")
            return
        self._warm(p)
        if warmth == "warm":
            return
        self._trusted(p)
        if warmth == "trusted":
            if self.rng.random() < 0.4:
                outcome = self.rng.choice(["pending", "accepted"])
                self.interact(pid, p.last_day, "ask", ask="referral", outcome=outcome)
            return
        self._partner(p)

    def _contact(self, pid: int) -> tuple[str, str]:
        rng, data = self.rng, self.data
        given = rng.choice(data["given"])
        family = rng.choice(data["family"])
        org = rng.choice(data["orgs"])
        title = rng.choice(data["titles"])
        tags = sorted(set(rng.sample(data["tags"], rng.choice((0, 1, 1, 2)))))
        warmth = rng.choices([w for w, _ in WARMTH], [p for _, p in WARMTH])[0]
        local = _ascii(f"{given}.{family}") or "contact"
        domain = _ascii(org).replace(".", "")[:63] + ".example"
        email = f"{local}@{domain}"
        if email in self.emails_seen:
            email = f"{local}{pid}@{domain}"
        self.emails_seen.add(email)
        note = rng.choice(_NOTES)
        stamp = self.stamp
        self.rows.people.append(
            (pid, _uuid(rng), f"{given} {family}", given, family, org, title, note, "demo")
            + (stamp, stamp)
        )
        self.rows.emails.append((pid, email, "work", 0))
        if rng.random() < 0.8:
            self.rows.phones.append((pid, f"+1202555{rng.randrange(10000):04d}", "mobile", 1, 0))
        self.rows.tags.extend((pid, t) for t in tags)
        return email, warmth

    def _attendance(self, pid: int, warmth: str) -> list[tuple[int, date]]:
        """A home group, attended with a probability that grows with warmth."""
        rng = self.rng
        ms = self.group_meetings[rng.randrange(len(self.group_meetings))]
        rate = _ATTENDANCE_RATE[warmth]
        first_idx = rng.randrange(max(1, len(ms)))
        attended = [ms[first_idx]] + [m for m in ms[first_idx + 1 :] if rng.random() < rate]
        self.rows.attendance.extend((mid, pid) for mid, _ in attended)
        return attended

    def _warm(self, p: _Person) -> None:
        """Warm and above: conversations, value given, an ask proportionate to the relationship."""
        rng, pid = self.rng, p.pid
        for _ in range(rng.randint(1, 3)):
            self.interact(pid, p.some_day(), rng.choice(["call", "email", "message"]))
        for _ in range(rng.randint(1, 3)):
            day = p.some_day()
            self.interact(
                pid, day, "value-given", "Sent something useful", item=rng.choice(self.item_ids)
            )
        if rng.random() < 0.5:
            self.interact(pid, p.some_day(), "value-received", "They shared a useful contact")
        day = p.some_day()
        ask = rng.choice(["read-article", "watch-video", "download-ebook"])
        outcome = rng.choice(["accepted", "accepted", "ignored", "pending"])
        self.interact(pid, day, "ask", ask=ask, outcome=outcome)

    def _trusted(self, p: _Person) -> None:
        """Trusted and above: a one-to-one, the newsletter ask (often a consent), a bigger ask."""
        rng, pid = self.rng, p.pid
        self.interact(pid, p.some_day(), "one-to-one", "Coffee at the hotel")
        day = p.some_day()
        outcome = rng.choice(["accepted", "accepted", "declined"])
        self.interact(pid, day, "ask", ask="email-optin", outcome=outcome)
        if rng.random() < 0.7:
            uid = _uuid(rng)
            method = rng.choice(["card", "paper", "verbal"])
            when = p.some_day().isoformat() + "T09:00:00+00:00"
            self.rows.consents.append(
                (uid, pid, p.email, method, when, p.attended[0][0], "")
                + ("Yes, send me the monthly newsletter", "demo")
            )
        day = p.some_day()
        self.interact(
            pid, day, "ask", ask=rng.choice(["one-to-one", "free-sample"]), outcome="accepted"
        )

    def _partner(self, p: _Person) -> None:
        """Partners: referrals and business flow both ways."""
        rng, pid, data = self.rng, p.pid, self.data
        day = p.some_day()
        self.interact(pid, day, "referral-received", "Introduced a client")
        uid = _uuid(rng)
        prospect = f"{rng.choice(data['given'])} {rng.choice(data['family'])}"
        status = rng.choice(["new", "contacted", "won", "won", "lost"])
        value = float(rng.choice([500, 1200, 2500, 4000]))
        value_if_won = value if status == "won" else None  # as the user guide teaches
        self.rows.referrals.append(
            (uid, pid, None, None, prospect, status, value_if_won, 1, day.isoformat(), "")
            + (self.stamp, self.stamp)
        )
        if rng.random() < 0.6:
            day = p.some_day()
            amount = float(rng.choice([300, 750, 1500, 3000]))
            self.interact(pid, day, "business", "Signed up for coaching", amount=amount)
        if rng.random() < 0.5:
            d2 = p.some_day()
            self.interact(pid, d2, "referral-given", "Introduced them to a prospect")
            uid = _uuid(rng)
            prospect = f"{rng.choice(data['given'])} {rng.choice(data['family'])}"
            status = rng.choice(["new", "contacted", "won"])
            won = float((500, 1200, 2500, 4000)[pid % 4]) if status == "won" else None  # no draw
            self.rows.referrals.append(
                (uid, None, pid, None, prospect, status, won, 1, d2.isoformat(), "")
                + (self.stamp, self.stamp)
            )

    def interact(
        self,
        pid: int,
        d: date,
        kind: str,
        note: str = "",
        ask: str | None = None,
        outcome: str | None = None,
        amount: float | None = None,
        item: int | None = None,
    ) -> None:
        d = min(d, self.end)
        self.rows.interactions.append(
            (_uuid(self.rng), pid, d.isoformat(), kind, note, ask, outcome, amount, item, None)
            + (self.stamp,)
        )


@dataclass
class _Person:
    """One demo person while their history is drawn: when they first and last came."""

    pid: int
    email: str
    attended: list[tuple[int, date]]
    rng: random.Random
    end: date

    @property
    def first_day(self) -> date:
        return self.attended[0][1]

    @property
    def last_day(self) -> date:
        return self.attended[-1][1]

    def some_day(self) -> date:
        """A day between their first meeting and today."""
        span = max(1, (self.end - self.first_day).days)
        return self.first_day + timedelta(days=self.rng.randrange(max(1, span)))


def _remember(store: Store, demo: _Demo, profile_keys: list[str]) -> None:
    """Note what the demo created, so :func:`remove` can take exactly that out again."""
    before = store.settings["demo.created"] or {}
    store.settings.set(
        "demo.created",
        {
            "groups": [*before.get("groups", []), *demo.new_groups],
            "meetings": [*before.get("meetings", []), *(r[0] for r in demo.meeting_rows)],
            "library": [*before.get("library", []), *demo.item_ids],
            "profile": sorted({*before.get("profile", []), *profile_keys}),
        },
    )


def has_demo(store: Store) -> bool:
    """Whether the database holds demo data that :func:`remove` can take out."""
    return bool(
        store.db.scalar("SELECT 1 FROM people WHERE source = 'demo' LIMIT 1")
        or store.settings["demo.created"]
    )


def remove(store: Store) -> dict[str, int]:
    """Take the demo data out again, in one transaction, after a backup (``pre-demo-removal``).

    Removes the demo people (with their history, attendance, consents and the referrals they
    gave or received), and the demo's groups, meetings and library items unless something of
    the user's now uses them (a meeting someone real attended, an item given to someone real,
    a group with such a meeting stay). Profile fields the demo filled in and the user has not
    changed are cleared. Returns counts of what went.
    """
    created: dict[str, Any] = store.settings["demo.created"] or {}
    if store.people.count():
        store.backup("pre-demo-removal")
    with store.atomic():
        c = store.db.conn
        people = c.execute("DELETE FROM people WHERE source = 'demo'").rowcount
        meetings = c.execute(
            """DELETE FROM meetings WHERE id IN (SELECT value FROM json_each(?))
               AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.meeting_id = meetings.id)
               AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.meeting_id = meetings.id)
               AND NOT EXISTS (SELECT 1 FROM consents k WHERE k.meeting_id = meetings.id)
               AND NOT EXISTS (SELECT 1 FROM card_batches b WHERE b.meeting_id = meetings.id)""",
            [json.dumps(created.get("meetings", []))],
        ).rowcount
        groups = c.execute(
            """DELETE FROM groups WHERE id IN (SELECT value FROM json_each(?))
               AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.group_id = groups.id)""",
            [json.dumps(created.get("groups", []))],
        ).rowcount
        items = c.execute(
            """DELETE FROM library_items WHERE id IN (SELECT value FROM json_each(?))
               AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.library_item_id = library_items.id)""",
            [json.dumps(created.get("library", []))],
        ).rowcount
        cleared = [k for k in created.get("profile", []) if store.settings[k] == PROFILE.get(k)]
        for key in cleared:
            c.execute("DELETE FROM settings WHERE key = ?", [key])
        c.execute("DELETE FROM settings WHERE key = 'demo.created'")
        for topic in (
            Topic.PEOPLE,
            Topic.MEETINGS,
            Topic.INTERACTIONS,
            Topic.REFERRALS,
            Topic.CONSENTS,
            Topic.LIBRARY,
        ):
            store.changed(topic)
        store.changed(Topic.SETTINGS)
    return {
        "people": people,
        "meetings": meetings,
        "groups": groups,
        "library_items": items,
        "profile_fields": len(cleared),
    }


def _top_up(
    rows: list[tuple[Any, ...]],
    target: int,
    base_person: int,
    people: int,
    start: date,
    end: date,
    item_ids: list[int],
    rng: random.Random,
    stamp: str,
) -> None:
    """Append routine interactions to ``rows`` until there are ``target`` of them."""
    days = (end - start).days + 1
    kinds = ("call", "email", "email", "message", "message", "value-given", "value-received")
    asks = ("read-article", "watch-video", "download-ebook")
    outcomes = ("accepted", "accepted", "ignored", "pending")
    for _ in range(max(0, target - len(rows))):
        pid = base_person + 1 + rng.randrange(people)
        day = (start + timedelta(days=rng.randrange(days))).isoformat()
        kind = rng.choice(kinds) if rng.random() < 0.93 else "ask"
        ask = rng.choice(asks) if kind == "ask" else None
        outcome = rng.choice(outcomes) if kind == "ask" else None
        item = rng.choice(item_ids) if kind == "value-given" and item_ids else None
        rows.append((_uuid(rng), pid, day, kind, "", ask, outcome, None, item, None, stamp))
