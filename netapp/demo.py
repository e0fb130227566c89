"""Deterministic, realistic demo data: groups with recurring meetings over the past year,
repeat attendance, interactions of every kind, asks with outcomes, referrals and consents.

The same ``seed``, ``people`` and ``today`` always give the same database. It scales to
100,000 people for the benchmarks, so rows are written in bulk inside one transaction.
"""

from __future__ import annotations

import json
import random
import uuid as uuidlib
from datetime import date, timedelta
from typing import Any

from netapp import assets
from netapp.domain import Topic
from netapp.store import Store, now_iso

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


def generate(  # noqa: C901  split in #14
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
        from netapp.errors import ValidationError

        raise ValidationError("people", "must be between 1 and 1,000,000")
    rng = random.Random(seed)
    data = assets.read_json("demo", "names.json")
    end = date.fromisoformat(today) if today else date.today()
    start = end - timedelta(days=364)
    stamp = now_iso()
    counts: dict[str, int] = {}

    with store.atomic():
        profile_keys = [k for k in PROFILE if not store.settings[k]]
        store.settings.update({k: PROFILE[k] for k in profile_keys})
        new_groups: list[int] = []
        base_person = int(store.db.scalar("SELECT COALESCE(max(id), 0) FROM people"))
        base_meeting = int(store.db.scalar("SELECT COALESCE(max(id), 0) FROM meetings"))

        # Library items.
        item_ids: list[int] = []
        for item in data["library"]:
            item_ids.append(
                int(
                    store.db.conn.execute(
                        "INSERT INTO library_items (uuid, title, kind, url, description, tags, created_at) VALUES (?,?,?,?,?,?,?)",
                        [
                            _uuid(rng),
                            item["title"],
                            item["kind"],
                            f"https://example.com/{item['kind']}/{len(item_ids) + 1}",
                            "",
                            json.dumps(item["tags"]),
                            stamp,
                        ],
                    ).lastrowid
                    or 0
                )
            )

        # Groups and their meetings over the past year.
        group_meetings: list[list[tuple[int, date]]] = []
        next_mid = base_meeting
        meeting_rows = []
        for g in data["groups"]:
            existing = store.db.scalar("SELECT id FROM groups WHERE name = ?", [g["name"]])
            gid = existing
            if not gid:
                gid = store.db.conn.execute(
                    "INSERT INTO groups (uuid, name, recurrence, weekday, venue, created_at) VALUES (?,?,?,?,?,?)",
                    [_uuid(rng), g["name"], g["recurrence"], g["weekday"], g["venue"], stamp],
                ).lastrowid
                new_groups.append(int(gid or 0))
            ms = []
            for d in _meeting_dates(g["recurrence"], g["weekday"], start, end):
                next_mid += 1
                meeting_rows.append(
                    (next_mid, _uuid(rng), gid, g["name"], d.isoformat(), g["venue"], "", stamp)
                )
                ms.append((next_mid, d))
            group_meetings.append(ms)
        store.db.conn.executemany(
            "INSERT INTO meetings (id, uuid, group_id, name, date, venue, note, created_at) VALUES (?,?,?,?,?,?,?,?)",
            meeting_rows,
        )

        person_rows: list[tuple[Any, ...]] = []
        email_rows: list[tuple[Any, ...]] = []
        phone_rows: list[tuple[Any, ...]] = []
        tag_rows: list[tuple[int, str]] = []
        attendance_rows: list[tuple[int, int]] = []
        interaction_rows: list[tuple[Any, ...]] = []
        referral_rows: list[tuple[Any, ...]] = []
        consent_rows: list[tuple[Any, ...]] = []
        warmth_names = [w for w, _ in WARMTH]
        warmth_weights = [p for _, p in WARMTH]
        emails_seen: set[str] = set()

        def interact(
            pid: int,
            d: date,
            kind: str,
            note: str = "",
            ask: str | None = None,
            outcome: str | None = None,
            amount: float | None = None,
            item: int | None = None,
            meeting: int | None = None,
        ) -> None:
            if d > end:
                d = end
            interaction_rows.append(
                (
                    _uuid(rng),
                    pid,
                    d.isoformat(),
                    kind,
                    note,
                    ask,
                    outcome,
                    amount,
                    item,
                    meeting,
                    stamp,
                )
            )

        for n in range(people):
            pid = base_person + n + 1
            given = rng.choice(data["given"])
            family = rng.choice(data["family"])
            org = rng.choice(data["orgs"])
            title = rng.choice(data["titles"])
            tags = sorted(set(rng.sample(data["tags"], rng.choice((0, 1, 1, 2)))))
            warmth = rng.choices(warmth_names, warmth_weights)[0]
            local = f"{given}.{family}".lower().replace("'", "")
            local = (
                "".join(c for c in local if c.isascii() and (c.isalnum() or c == ".")) or "contact"
            )
            domain = "".join(c for c in org.lower() if c.isalnum())[:18] + ".example"
            email = f"{local}@{domain}"
            if email in emails_seen:
                email = f"{local}{pid}@{domain}"
            emails_seen.add(email)
            note = rng.choice(
                [
                    "",
                    "",
                    "Looking for introductions to local solicitors.",
                    "Prefers email over calls.",
                    "Met through the chamber.",
                    "Interested in our workshop series.",
                ]
            )
            person_rows.append(
                (
                    pid,
                    _uuid(rng),
                    f"{given} {family}",
                    given,
                    family,
                    org,
                    title,
                    note,
                    "demo",
                    stamp,
                    stamp,
                )
            )
            email_rows.append((pid, email, "work", 0))
            if rng.random() < 0.8:
                phone_rows.append((pid, f"+1202555{rng.randrange(10000):04d}", "mobile", 1, 0))
            tag_rows.extend((pid, t) for t in tags)

            # Meetings: a home group, attended with a probability that grows with warmth.
            g = rng.randrange(len(group_meetings))
            rate = {"cold": 0.0, "warm": 0.35, "trusted": 0.6, "partner": 0.75}[warmth]
            ms = group_meetings[g]
            first_idx = rng.randrange(max(1, len(ms)))
            attended = [ms[first_idx]] + [m for m in ms[first_idx + 1 :] if rng.random() < rate]
            attendance_rows.extend((mid, pid) for mid, _ in attended)
            first_day = attended[0][1]
            last_day = attended[-1][1]
            span = max(1, (end - first_day).days)

            def some_day(after: date = first_day, span: int = span) -> date:
                return after + timedelta(days=rng.randrange(max(1, span)))

            if warmth == "cold":
                if rng.random() < 0.3:
                    interact(pid, first_day + timedelta(days=1), "email", "Nice to meet you")
                continue
            # Warm and above: conversations, value given, asks proportionate to the relationship.
            for _ in range(rng.randint(1, 3)):
                interact(pid, some_day(), rng.choice(["call", "email", "message"]))
            for _ in range(rng.randint(1, 3)):
                interact(
                    pid,
                    some_day(),
                    "value-given",
                    "Sent something useful",
                    item=rng.choice(item_ids),
                )
            if rng.random() < 0.5:
                interact(pid, some_day(), "value-received", "They shared a useful contact")
            interact(
                pid,
                some_day(),
                "ask",
                ask=rng.choice(["read-article", "watch-video", "download-ebook"]),
                outcome=rng.choice(["accepted", "accepted", "ignored", "pending"]),
            )
            if warmth == "warm":
                continue
            interact(pid, some_day(), "one-to-one", "Coffee at the hotel")
            interact(
                pid,
                some_day(),
                "ask",
                ask="email-optin",
                outcome=rng.choice(["accepted", "accepted", "declined"]),
            )
            if rng.random() < 0.7:
                consent_rows.append(
                    (
                        _uuid(rng),
                        pid,
                        email,
                        rng.choice(["card", "paper", "verbal"]),
                        some_day().isoformat() + "T09:00:00+00:00",
                        attended[0][0],
                        "",
                        "Yes, send me the monthly newsletter",
                        "demo",
                    )
                )
            interact(
                pid,
                some_day(),
                "ask",
                ask=rng.choice(["one-to-one", "free-sample"]),
                outcome="accepted",
            )
            if warmth == "trusted":
                if rng.random() < 0.4:
                    interact(
                        pid,
                        last_day,
                        "ask",
                        ask="referral",
                        outcome=rng.choice(["pending", "accepted"]),
                    )
                continue
            # Partners: referrals and business flow both ways.
            day = some_day()
            interact(pid, day, "referral-received", "Introduced a client")
            referral_rows.append(
                (
                    _uuid(rng),
                    pid,
                    None,
                    None,
                    f"{rng.choice(data['given'])} {rng.choice(data['family'])}",
                    rng.choice(["new", "contacted", "won", "won", "lost"]),
                    float(rng.choice([500, 1200, 2500, 4000])),
                    1,
                    day.isoformat(),
                    "",
                    stamp,
                    stamp,
                )
            )
            if rng.random() < 0.6:
                interact(
                    pid,
                    some_day(),
                    "business",
                    "Signed up for coaching",
                    amount=float(rng.choice([300, 750, 1500, 3000])),
                )
            if rng.random() < 0.5:
                d2 = some_day()
                interact(pid, d2, "referral-given", "Introduced them to a prospect")
                referral_rows.append(
                    (
                        _uuid(rng),
                        None,
                        pid,
                        None,
                        f"{rng.choice(data['given'])} {rng.choice(data['family'])}",
                        rng.choice(["new", "contacted", "won"]),
                        None,
                        1,
                        d2.isoformat(),
                        "",
                        stamp,
                        stamp,
                    )
                )

        if interactions_per_person is not None:
            _top_up(
                interaction_rows,
                round(people * interactions_per_person),
                base_person,
                people,
                start,
                end,
                item_ids,
                random.Random(f"{seed}-density"),
                stamp,
            )

        c = store.db.conn
        c.executemany(
            """INSERT INTO people (id, uuid, display_name, given_name, family_name, org, title, note,
               source, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
            person_rows,
        )
        c.executemany(
            "INSERT INTO person_emails (person_id, email, label, position) VALUES (?,?,?,?)",
            email_rows,
        )
        c.executemany(
            "INSERT INTO person_phones (person_id, phone, label, valid, position) VALUES (?,?,?,?,?)",
            phone_rows,
        )
        c.executemany("INSERT INTO person_tags (person_id, tag) VALUES (?,?)", tag_rows)
        c.executemany(
            "INSERT OR IGNORE INTO attendance (meeting_id, person_id) VALUES (?,?)", attendance_rows
        )
        c.executemany(
            """INSERT INTO interactions (uuid, person_id, date, kind, note, ask_type, outcome, amount,
               library_item_id, meeting_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
            interaction_rows,
        )
        c.executemany(
            """INSERT INTO referrals (uuid, referrer_id, provider_id, prospect_id, prospect_name, status,
               value, prospect_agreed, date, note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
            referral_rows,
        )
        c.executemany(
            """INSERT INTO consents (uuid, person_id, email, method, obtained_at, meeting_id, card_code,
               wording, source) VALUES (?,?,?,?,?,?,?,?,?)""",
            consent_rows,
        )
        counts = {
            "people": len(person_rows),
            "meetings": len(meeting_rows),
            "attendance": len(attendance_rows),
            "interactions": len(interaction_rows),
            "referrals": len(referral_rows),
            "consents": len(consent_rows),
            "library_items": len(item_ids),
        }
        before = store.settings["demo.created"] or {}
        store.settings.set(
            "demo.created",
            {
                "groups": [*before.get("groups", []), *new_groups],
                "meetings": [*before.get("meetings", []), *(r[0] for r in meeting_rows)],
                "library": [*before.get("library", []), *item_ids],
                "profile": sorted({*before.get("profile", []), *profile_keys}),
            },
        )
        store.changed(Topic.PEOPLE)
        store.changed(Topic.MEETINGS)
        store.changed(Topic.INTERACTIONS)
        store.db.conn.execute("DELETE FROM person_status")
    return counts


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
