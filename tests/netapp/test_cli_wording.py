"""One wording everywhere (issue 16, item 8): ``netapp status`` and ``netapp agenda`` print a
step and an ask in the words Today and People use ("Keep in touch", "Ask: Join your email
list"), from the same core functions; ``--json`` keeps the stable ids and adds the words."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from netapp import engine
from netapp.engine.wording import ask_labels, next_step_words, step_words
from netapp.store import Store
from tests.conftest import DEMO_TODAY
from tests.netapp.test_cli_crm import Cap, ok

IDS = ("keep-in-touch", "follow-up", "give-value", "ask ")


def _agenda(capsys: Cap, db: Path, *more: str) -> str:
    return ok(capsys, db, "agenda", "--on", DEMO_TODAY, "--days", "60", *more)


def test_agenda_prints_todays_words_and_its_json_keeps_the_ids(
    capsys: Cap, demo_store: Store
) -> None:
    """Each agenda line names its step in Today's words, never an internal id; the JSON rows
    keep kind and ask as ids and carry the same words."""
    rows = json.loads(_agenda(capsys, demo_store.path, "--json"))
    lines = _agenda(capsys, demo_store.path).splitlines()
    assert rows and len(lines) == len(rows)
    labels = ask_labels(demo_store)
    kinds = {r["kind"] for r in rows}
    assert {"follow-up", "keep-in-touch"} & kinds  # the demo has steps in both forms
    for row, line in zip(rows, lines, strict=True):
        what = line.split("\t")[1].removeprefix("OVERDUE ")
        assert what == row["words"] and not what.startswith(IDS), line
        assert row["kind"] in {"follow-up", "give-value", "ask", "keep-in-touch"}
        if row["kind"] == "ask":
            assert row["words"] == f"Ask: {labels.get(row['ask'], row['ask'])}"


def test_status_prints_the_next_step_and_the_asks_in_todays_words(
    capsys: Cap, demo_store: Store
) -> None:
    """status names the next step as Today does and the asks by their ladder labels (the
    ids stay in --json, with the words beside them)."""
    labels = ask_labels(demo_store)
    asked = 0
    for pid in [int(r["id"]) for r in demo_store.db.query("SELECT id FROM people")][:25]:
        on = ("--on", DEMO_TODAY)
        data = json.loads(ok(capsys, demo_store.path, "status", str(pid), "--json", *on))
        text = ok(capsys, demo_store.path, "status", str(pid), *on)
        status = engine.status(demo_store, pid, date.fromisoformat(DEMO_TODAY))
        words = step_words(status.next_step, labels)
        assert data["next_step"]["kind"] == status.next_step.kind  # the id, as before
        assert data["next_step"]["words"] == words
        assert f"  next: {words}, due" in text
        allowed = [labels.get(a, a) for a in status.allowed_asks]
        assert data["allowed_ask_words"] == allowed
        assert f"  may ask: {', '.join(allowed) or 'nothing yet'}\n" in text
        for b in status.blocked_asks:
            assert f"  not yet: {labels.get(b.ask, b.ask)}: " in text
        asked += bool(status.allowed_asks or status.blocked_asks)
    assert asked  # some of them may ask, or are told why not yet


def test_the_people_list_and_today_read_a_step_the_same() -> None:
    """The people list's short form and Today's step give the same words for each kind."""
    labels = {"email-optin": "Join your email list"}
    for short, step_kind, ask, title in (
        ("ask: email-optin", "ask", "email-optin", None),
        ("keep-in-touch", "keep-in-touch", None, None),
        ("follow-up", "follow-up", None, None),
        ("give: Guide", "give-value", None, "Guide"),
    ):
        step = engine.Step(1, "Ann", step_kind, ask, None, False, "", item_title=title)
        assert next_step_words(short, labels) == step_words(step, labels), short
    assert next_step_words("ask: email-optin", labels) == "Ask: Join your email list"
