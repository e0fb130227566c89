"""The words a step reads in, the same everywhere: Today, People, ``netapp status`` and
``netapp agenda``. The engine's ids ("keep-in-touch", "ask: email-optin") stay the stable
form for data and ``--json``; people read "Keep in touch" and "Ask: Join your email list"
(an ask's label from the ask ladder in the settings).
"""

from __future__ import annotations

from netapp.engine.ladder import load_ladder
from netapp.engine.model import Step
from netapp.store import Store

KIND_WORDS = {
    "follow-up": "Follow up",
    "give-value": "Give value",
    "ask": "Ask",
    "keep-in-touch": "Keep in touch",
    "none": "Nothing to do",
}


def ask_labels(store: Store) -> dict[str, str]:
    """Each ask's label by its id, from the ask ladder ("email-optin": "Join your email list")."""
    return {a.id: a.label for a in load_ladder(store)}


def ask_words(ask: str, labels: dict[str, str]) -> str:
    """An ask by its label; an ask no longer on the ladder keeps its id."""
    return labels.get(ask, ask)


def step_words(step: Step, labels: dict[str, str]) -> str:
    """A step as Today shows it: "Ask: Join your email list", "Reconnect", "Give: Guide"."""
    if step.kind == "ask" and step.ask:
        return f"Ask: {ask_words(step.ask, labels)}"
    if step.dormant and step.kind != "none":
        return "Dormant"
    if step.reconnect:
        return "Reconnect"
    if step.kind == "give-value":
        return f"Give: {step.item_title}" if step.item_title else "Give: an introduction"
    return KIND_WORDS.get(step.kind, step.kind)


def next_step_words(text: str, labels: dict[str, str]) -> str:
    """The people list's next step (the engine's short form, ``next_text``: "ask:
    email-optin", "keep-in-touch", "dormant") in the same words as :func:`step_words`."""
    kind, _, rest = text.partition(": ")
    if kind == "ask" and rest:
        return f"Ask: {ask_words(rest, labels)}"
    if kind == "give" and rest:
        return f"Give: {rest}"
    return KIND_WORDS.get(text, text.replace("-", " ").capitalize())
