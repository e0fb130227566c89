"""The Return-on-Trust engine: relationship stage, trust, and the timing of every ask.

Pure Python over histories loaded in bulk; never reads the clock (``as_of`` is passed in).
See docs/trust-model.md for the rules and docs/DEVELOPING.md for the API contract.
"""

from __future__ import annotations

from netapp.engine.core import (
    Cancelled,
    TodayPlan,
    agenda,
    compute,
    has_follow_up_tag,
    mark_done,
    next_text,
    refresh_status,
    snooze,
    status,
    statuses,
    today,
    today_plan,
    undo_done,
    upcoming_meetings,
)
from netapp.engine.history import (
    Context,
    History,
    Rules,
    iter_histories,
    load_context,
    load_histories,
)
from netapp.engine.ladder import log_interaction
from netapp.engine.library import library_stats
from netapp.engine.model import (
    STEP_KINDS,
    BlockedAsk,
    ItemStats,
    PersonStatus,
    Step,
    UpcomingMeeting,
)

__all__ = [
    "STEP_KINDS",
    "BlockedAsk",
    "Cancelled",
    "Context",
    "History",
    "ItemStats",
    "PersonStatus",
    "Rules",
    "Step",
    "TodayPlan",
    "UpcomingMeeting",
    "agenda",
    "compute",
    "has_follow_up_tag",
    "iter_histories",
    "library_stats",
    "load_context",
    "load_histories",
    "log_interaction",
    "mark_done",
    "next_text",
    "refresh_status",
    "snooze",
    "status",
    "statuses",
    "today",
    "today_plan",
    "undo_done",
    "upcoming_meetings",
]
