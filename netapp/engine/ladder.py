"""The ask ladder: which asks exist, how big each is, and what it needs before it is proportionate.

The default ships in ``resources/ask_ladder.json``; a user's edited copy lives in the
``ask_ladder`` setting. The engine reads :func:`load_ladder` every time, so edits apply at once.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from netapp import assets
from netapp.domain import Interaction, Kind, Stage, parse_enum
from netapp.errors import ValidationError

if TYPE_CHECKING:
    from netapp.store import Store

# Evidence an ask can require on top of its minimum stage.
REQUIREMENTS: dict[str, str] = {
    "value_given": "at least one piece of value given",
    "customer": "they have bought from you",
    "opted_in": "they are on your email list",
    "opted_in_or_customer": "they are on your email list (or have bought from you)",
    "one_to_one": "you have had a one-to-one",
    "recent_contact": "two-way contact lately (within the two-way contact window)",
}

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


@dataclass
class Ask:
    id: str
    label: str
    size: int
    min_stage: Stage
    requires: list[str] = field(default_factory=list)
    # The trust score (0-100) the relationship needs today: a decayed relationship earns the
    # larger asks again (principle 1 of docs/trust-model.md).
    min_trust: int = 0

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["min_stage"] = self.min_stage.value
        return d


def parse_ladder(data: Any) -> list[Ask]:
    """Validate a ladder given as a list of dicts (or ``{"asks": [...]}``)."""
    items = data.get("asks") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise ValidationError("ask_ladder", "must be a non-empty list of asks")
    out: list[Ask] = []
    seen: set[str] = set()
    for n, raw in enumerate(items, 1):
        if not isinstance(raw, dict):
            raise ValidationError(f"ask_ladder[{n}]", "must be an object")
        ask_id = str(raw.get("id", "")).strip()
        if not _ID.match(ask_id):
            raise ValidationError(
                f"ask_ladder[{n}].id", f"{ask_id!r} must be lowercase letters, digits and dashes"
            )
        if ask_id in seen:
            raise ValidationError(f"ask_ladder[{n}].id", f"{ask_id!r} appears twice")
        seen.add(ask_id)
        label = " ".join(str(raw.get("label", "")).split())[:100] or ask_id
        stage = parse_enum(Stage, raw.get("min_stage", "met"), f"ask_ladder[{n}].min_stage")
        try:
            size = int(raw.get("size", n))
        except (TypeError, ValueError):
            raise ValidationError(f"ask_ladder[{n}].size", "must be a whole number") from None
        requires = list(raw.get("requires", []) or [])
        for req in requires:
            if req not in REQUIREMENTS:
                raise ValidationError(
                    f"ask_ladder[{n}].requires", f"{req!r} is not one of {', '.join(REQUIREMENTS)}"
                )
        out.append(Ask(ask_id, label, size, stage, requires, _min_trust(raw, n)))
    return out


def _min_trust(raw: dict[str, Any], n: int) -> int:
    value = raw.get("min_trust", 0)
    try:
        if isinstance(value, bool) or float(value) != int(float(value)):
            raise ValueError(value)
        out = int(float(value))
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(f"ask_ladder[{n}].min_trust", "must be a whole number") from None
    if not 0 <= out <= 100:
        raise ValidationError(f"ask_ladder[{n}].min_trust", "must be between 0 and 100")
    return out


def default_ladder() -> list[Ask]:
    return parse_ladder(assets.read_json("ask_ladder.json"))


def load_ladder(store: Store) -> list[Ask]:
    """The user's ladder, or the default when none is saved (or the saved one is unusable)."""
    saved = store.settings["ask_ladder"]
    if saved:
        try:
            return parse_ladder(saved)
        except ValidationError:
            pass
    return default_ladder()


def save_ladder(store: Store, ladder: list[Ask]) -> None:
    data = [a.to_json() for a in ladder]
    parse_ladder(data)
    store.settings.set("ask_ladder", data)


def reset_ladder(store: Store) -> None:
    store.settings.reset("ask_ladder")


def check_ask_type(store: Store, ask_type: str | None) -> None:
    """An ask must name an ask on the user's ladder (the store checks only that it names one)."""
    if not ask_type:
        return
    ids = {a.id for a in load_ladder(store)}
    if ask_type not in ids:
        raise ValidationError(
            "ask", f"{ask_type!r} is not on the ask ladder ({', '.join(sorted(ids))})"
        )


def log_interaction(store: Store, interaction: Interaction, **links: int | None) -> int:
    """Record an interaction as the user logs it: an ask must be on the ask ladder. Returns
    its id. ``links`` are the store's ``capture_id`` / ``import_batch_id``."""
    if interaction.kind == Kind.ASK:
        check_ask_type(store, (interaction.ask_type or "").strip())
    return store.interactions.add(interaction, **links)
