"""The engine's results: a person's status, a next step, an upcoming meeting, library stats."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from netapp.domain import Stage, StepKind

# What a step asks the user to do (netapp.domain.StepKind). ``none``: nothing is due.
STEP_KINDS: tuple[str, ...] = tuple(StepKind)
# Tie-break between steps due the same day: lower comes first.
KIND_RANK: dict[str, int] = {
    StepKind.FOLLOW_UP: 0,
    StepKind.ASK: 1,
    StepKind.GIVE_VALUE: 2,
    StepKind.KEEP_IN_TOUCH: 3,
    StepKind.NONE: 9,
}


@dataclass(slots=True)  # the agenda holds tens of thousands at 100k people: no __dict__ each
class Step:
    """One next step for one person.

    ``priority`` sorts the agenda: lower is more urgent (days until due x 10 + kind rank,
    so an overdue step has a negative priority).
    """

    person_id: int
    display_name: str
    kind: str
    ask: str | None
    due: date | None
    overdue: bool
    reason: str
    priority: int = 0
    item_id: int | None = None
    item_title: str | None = None
    group_id: int | None = None  # the group meeting an ask (or a reconnection) is timed to
    # A follow-up more than a cadence overdue: a lower-priority keep-in-touch, "reconnect".
    reconnect: bool = False
    # Met once, no contact for longer than the dormancy window: off the daily agenda, listed
    # under a coming meeting of a group where you met them.
    dormant: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "display_name": self.display_name,
            "kind": self.kind,
            "ask": self.ask,
            "due": self.due.isoformat() if self.due else None,
            "overdue": self.overdue,
            "reason": self.reason,
        }


@dataclass
class BlockedAsk:
    ask: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"ask": self.ask, "reason": self.reason}


@dataclass
class PersonStatus:
    """Where a relationship stands, what may be asked now, and the next step."""

    person_id: int
    display_name: str
    as_of: date
    stage: Stage
    trust: float
    flags: list[str]
    repeat_contacts: int
    repeat_contacts_6m: int
    last_touch: date | None
    given: int
    asked: int
    value_12m: float
    forecast_12m: float
    allowed_asks: list[str]
    blocked_asks: list[BlockedAsk]
    next_step: Step
    evidence: list[str] = field(default_factory=list)
    stage_reason: str = ""
    trust_parts: dict[str, float] = field(default_factory=dict)
    # The stage as it stands today (it gates the asks); ``stage`` is the best it reached.
    current_stage: Stage = Stage.MET
    stage_history: list[tuple[Stage, date]] = field(default_factory=list)
    quiet_since: date | None = None  # the last two-way contact, when older than the window
    stage_note: str = ""  # how today differs from the stage's history, in words
    # The first later day the advice may change with the date alone (see timing.changes_on).
    changes_on: date | None = None

    def stage_line(self) -> str:
        """The stage in plain words, as it stands today: "credibility", "was at credibility;
        quiet since 14 Mar 2026: reconnect first", "visibility again (was at credibility)"."""
        from netapp.engine.stage import fmt

        if self.quiet_since is not None:
            was = self.stage.value if self.stage is Stage.MET else f"was at {self.stage.value}"
            return f"{was}; quiet since {fmt(self.quiet_since)}: reconnect first"
        if self.current_stage is not self.stage:
            return f"{self.current_stage.value} again (was at {self.stage.value})"
        return self.stage.value

    def history_line(self) -> str:
        """When each stage was reached: "met 11 Jun 2026 · visibility 12 Jun 2026 · …"."""
        from netapp.engine.stage import fmt

        return " · ".join(f"{st.value} {fmt(since)}" for st, since in self.stage_history)

    def to_json(self) -> dict[str, Any]:
        """The ``netapp status --json`` shape."""
        return {
            "person_id": self.person_id,
            "stage": self.stage.value,
            "trust": self.trust,
            "flags": list(self.flags),
            "repeat_contacts": self.repeat_contacts,
            "repeat_contacts_6m": self.repeat_contacts_6m,
            "last_touch": self.last_touch.isoformat() if self.last_touch else None,
            "given": self.given,
            "asked": self.asked,
            "value_12m": self.value_12m,
            "forecast_12m": self.forecast_12m,
            "allowed_asks": list(self.allowed_asks),
            "blocked_asks": [b.to_json() for b in self.blocked_asks],
            "next_step": {
                "kind": self.next_step.kind,
                "ask": self.next_step.ask,
                "due": self.next_step.due.isoformat() if self.next_step.due else None,
                "reason": self.next_step.reason,
            },
            # Added by principle 1 (after the original keys, which keep their order).
            "current_stage": self.current_stage.value,
            "stage_history": [
                {"stage": st.value, "since": since.isoformat()} for st, since in self.stage_history
            ],
            "quiet_since": self.quiet_since.isoformat() if self.quiet_since else None,
        }


@dataclass
class UpcomingMeeting:
    """A group meeting expected from its recurrence (or recorded ahead of time)."""

    group_id: int
    group_name: str
    date: date
    venue: str
    regulars: list[int] = field(default_factory=list)  # people who attend it regularly
    steps: list[Step] = field(default_factory=list)  # asks timed to this meeting
    reconnect: list[Step] = field(default_factory=list)  # dormant contacts met in this group


@dataclass
class ItemStats:
    """How often a library item was given and how often an accepted ask followed in 30 days."""

    item_id: int
    title: str
    kind: str
    retired: bool
    given: int
    followed_by_accept: int

    @property
    def accept_rate(self) -> float:
        return self.followed_by_accept / self.given if self.given else 0.0
