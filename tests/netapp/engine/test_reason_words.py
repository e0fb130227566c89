"""One wording everywhere (issue 16, item 8): the engine's reasons (Today's Why column, the
People detail, the briefing sheet, ``netapp status``) name an ask by its label on the user's
ask ladder, the words Today's Next column uses; the id only for an ask no longer on it."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest

from netapp import engine
from netapp.engine.ladder import default_ladder, load_ladder, save_ladder
from netapp.store import Store
from tests.conftest import DEMO_TODAY
from tests.netapp.engine.helpers import Builder, d
from tests.netapp.test_cli_crm import Cap, ok

# A reason's words for an ask by its id, as the engine wrote them before: "a watch-video ask",
# "your email-optin ask", "(read-article, accepted)", "ask (read-article)".
OLD_FORMS = (
    r"\b(?:an?|your) ({ids}) ask\b",
    r"\(({ids})[,)]",
    r"\bask \(({ids})\)",
)


def reasons(s: engine.PersonStatus) -> list[str]:
    """Every sentence the engine writes for a person: stage, note, step, evidence, waits."""
    return [
        s.stage_reason,
        s.stage_note,
        s.next_step.reason,
        *s.evidence,
        *(b.reason for b in s.blocked_asks),
    ]


def ids_in(text: str, labels: dict[str, str]) -> list[str]:
    """The ladder ids a text names an ask by, where the ladder has a label for it. Ids that
    are not words ("watch-video") must not appear at all; word-like ones ("one-to-one",
    "referral") must not stand where an ask is named."""
    ids = [i for i, label in labels.items() if label != i]
    found = [i for i in ids if "-" in i and i != "one-to-one" and re.search(_token(i), text)]
    alternation = "|".join(re.escape(i) for i in ids)
    for form in OLD_FORMS:
        found += re.findall(form.format(ids=alternation), text)
    return found


def _token(ask_id: str) -> str:
    return rf"(?<![\w-]){re.escape(ask_id)}(?![\w-])"


def test_no_demo_reason_names_an_ask_by_its_ladder_id(demo_store: Store) -> None:
    """Run over every demo person, today and on later days, no reason the engine writes (and
    no agenda step's reason) names an ask by its ladder id where the ladder has a label; and
    the labels do appear, so the check has asks to read."""
    labels = {a.id: a.label for a in load_ladder(demo_store)}
    quoted = {f"\u201c{label}\u201d" for label in labels.values()}
    seen_labels = 0
    for later in (0, 20, 60):
        on = date.fromisoformat(DEMO_TODAY) + timedelta(days=later)
        texts = [t for s in engine.statuses(demo_store, on).values() for t in reasons(s)]
        texts += [s.reason for s in engine.agenda(demo_store, on, days=60)]
        assert texts
        for text in texts:
            assert not ids_in(text, labels), text
            seen_labels += any(q in text for q in quoted)
    assert seen_labels > 20  # the demo's asks are named, by their labels


def test_the_id_check_catches_the_old_sentences() -> None:
    """The check above fails on each form the engine used to write (so it can fail)."""
    labels = {a.id: a.label for a in default_ladder()}
    for old in (
        "last ask 74 days ago (watch-video, ignored)",
        "accepted a watch-video ask on 20 Jan 2026",
        "the next ask (email-optin) comes on 3 Dec 2026",
        "the ask (read-article) due on 6 Jan 2026 went stale",
        "your one-to-one ask of 2 Jan 2026 is still open",
        "they declined a referral ask on 2 Jan 2026",
    ):
        assert ids_in(old, labels), old
    assert not ids_in("had 2 one-to-ones; ask over a one-to-one", labels)


def _rename(store: Store, ask_id: str, label: str) -> None:
    ladder = load_ladder(store)
    for a in ladder:
        if a.id == ask_id:
            a.label = label
    save_ladder(store, ladder)


def test_a_renamed_rung_names_the_ask_in_every_reason(b: Builder) -> None:
    """Renaming a rung in Settings renames the ask in the stage reason, the evidence, the
    waits and the next step's reason at once; the decisions and the ids stay the same."""
    pid = b.person()
    b.visible(pid)
    b.log(pid, "2026-01-10", "value-given")
    b.ask(pid, "2026-01-20", "watch-video", "accepted")
    b.ask(pid, "2026-01-25", "free-sample", "declined")
    before = engine.status(b.store, pid, d("2026-02-01"))
    _rename(b.store, "watch-video", "Watch my two-minute demo")
    _rename(b.store, "free-sample", "Taste the new blend")
    after = engine.status(b.store, pid, d("2026-02-01"))
    text = " | ".join(reasons(after))
    assert "\u201cWatch my two-minute demo\u201d" in after.stage_reason
    assert "accepted your ask \u201cWatch my two-minute demo\u201d on 20 Jan 2026" in text
    assert "declined your ask \u201cTaste the new blend\u201d on 25 Jan 2026" in text
    assert "Watch a short video" not in text and "Try a free sample" not in text
    assert after.stage is before.stage and after.allowed_asks == before.allowed_asks
    assert [x.ask for x in after.blocked_asks] == [x.ask for x in before.blocked_asks]
    keys = ("kind", "ask", "due", "priority", "group_id", "reconnect", "dormant")
    assert [getattr(after.next_step, k) for k in keys] == [
        getattr(before.next_step, k) for k in keys
    ]


def test_an_ask_no_longer_on_the_ladder_keeps_its_id(b: Builder) -> None:
    """An ask whose rung was removed from the ladder is still named, by its id."""
    pid = b.person()
    b.visible(pid)
    b.ask(pid, "2026-01-20", "like-page", "declined")
    save_ladder(b.store, [a for a in default_ladder() if a.id != "like-page"])
    s = engine.status(b.store, pid, d("2026-02-01"))
    assert "declined your ask \u201clike-page\u201d on 20 Jan 2026" in " | ".join(reasons(s))


@pytest.mark.parametrize("as_json", [False, True])
def test_a_renamed_rung_reaches_netapp_status_and_marks_the_cache_stale(
    capsys: Cap, demo_store: Store, as_json: bool
) -> None:
    """After the cache is filled, renaming a rung marks every cached status stale, and
    ``netapp status`` then words the person's reasons with the new label; ``--json`` keeps
    the ask ids as they were."""
    on = date.fromisoformat(DEMO_TODAY)
    named = [
        (pid, a)
        for pid, s in engine.statuses(demo_store, on).items()
        for a in load_ladder(demo_store)
        # "last ask 49 days ago (“Read an article”, accepted)": in the text and the JSON
        if f"(\u201c{a.label}\u201d, " in s.next_step.reason
    ]
    assert named
    pid, ask = named[0]
    args = ("status", str(pid), "--on", DEMO_TODAY, *(("--json",) if as_json else ()))
    before = ok(capsys, demo_store.path, *args)
    engine.refresh_status(demo_store, on)
    stale = "SELECT count(*) AS n FROM person_status WHERE as_of = ''"
    assert demo_store.db.query(stale)[0]["n"] == 0
    _rename(demo_store, ask.id, "Come see the workshop")
    assert demo_store.db.query(stale)[0]["n"] > 0  # the ladder change reaches the cache
    after = ok(capsys, demo_store.path, *args)
    assert f"\u201c{ask.label}\u201d" in before and f"\u201c{ask.label}\u201d" not in after
    assert "\u201cCome see the workshop\u201d" in after
    if as_json:
        old, new = json.loads(before), json.loads(after)
        assert new["next_step"]["kind"] == old["next_step"]["kind"]
        assert new["next_step"]["ask"] == old["next_step"]["ask"]
        assert new["allowed_asks"] == old["allowed_asks"]
