"""Today: the engine's agenda (what to do, and why) and the coming meetings of your groups.

Ctrl+D (or Done) marks the selected step done, which logs the matching interaction; for an
ask the user picks the outcome. Ctrl+E asks how long to snooze the step. Enter opens the person.
The agenda spans everyone, so it is worked out on the engine worker's thread
(:mod:`ui.workers`). At start the worker first shows the agenda from the cached statuses (well
under a second at 100,000 people), then the full pass refines it. After Done or a snooze,
only the people written to are worked out again, on the GUI thread (a few milliseconds), and
their steps replace theirs in the list: no pass over everyone (issue 20).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from netapp import engine
from netapp.domain import Topic
from netapp.engine import agenda_now
from netapp.engine.ladder import load_ladder
from netapp.engine.wording import step_words
from netapp.store import Store, occasions
from netapp.store.occasions import Occasion
from ui import step_actions
from ui.context import AppContext
from ui.models.agenda import FOCUS, AgendaModel
from ui.pages.today_words import WORKING, heading
from ui.theme import warning_color
from ui.widgets.tables import compact
from ui.workers import EngineWorker, is_open

# Names and asks listed per coming meeting; the rest are counted ("and 12 more"), so that the
# panel stays short (and quick to lay out) at any number of people.
SHOWN = 8
# The agenda list shows the most urgent steps only; the summary line counts them all.
SHOW_AT_MOST = 500
MEETING_DAYS = 14  # the coming meetings listed
# Up to this many people written to at once are worked out again on the GUI thread; more (an
# import, say) and the whole agenda is recomputed on the worker.
INLINE_LIMIT = 50
# What the agenda changes with. INTERACTIONS and SNOOZES touch the people they name only.
_TOPICS = {
    Topic.INTERACTIONS,
    Topic.SNOOZES,
    Topic.PEOPLE,
    Topic.MEETINGS,
    Topic.CAPTURES,
    Topic.SETTINGS,
}
_PER_PERSON = {Topic.INTERACTIONS, Topic.SNOOZES}


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class TodayPage(QWidget):
    def __init__(self, ctx: AppContext, today: date | None = None) -> None:
        super().__init__()
        self.setObjectName("page-today")
        self.setAccessibleName("Today")
        self.ctx = ctx
        self.store = ctx.store
        self.today = today or ctx.today()

        split = QSplitter()
        split.addWidget(self._build_agenda_pane())
        split.addWidget(self._build_meetings_pane())
        split.setChildrenCollapsible(False)
        split.setSizes([720, 360])
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        self._wire()
        self._dirty = False
        self._request: int | None = None  # the full pass asked for
        self._quick: int | None = None  # the agenda from the cached statuses, asked for first
        self._result: TodayResult | None = None  # what is shown
        self._touched: set[int] = set()  # people written to while the full pass runs
        self.worker = EngineWorker(self.store, self)
        self.worker.done.connect(self._on_result)
        self.worker.failed.connect(self._on_failed)
        self.ctx.signals.changed.connect(self._on_changed)
        self.refresh()

    def _build_agenda_pane(self) -> QWidget:
        """Left: heading, summary, the agenda table and its buttons."""
        self.heading = QLabel()
        self.summary = QLabel()
        self.summary.setAccessibleName("Agenda summary")
        self.summary.setWordWrap(True)
        self.model = AgendaModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Agenda")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        compact(self.table, (115, 150, 200))
        # Click a heading to sort (Due: by how late); the engine's order until then.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.why = QLabel()
        self.why.setAccessibleName("Why this step")
        self.why.setWordWrap(True)
        self.why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = self._build_buttons()
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.heading)
        ll.addWidget(self.summary)
        ll.addLayout(self._build_filter())
        ll.addWidget(self.table, 1)
        ll.addWidget(self.why)
        ll.addLayout(buttons)
        return left

    def _build_filter(self) -> QHBoxLayout:
        """Fi&lter: keep the steps whose person, step or reason contain what is typed."""
        self.filter = QLineEdit(placeholderText="Person, step or reason (e.g. coffee, Ann)")
        self.filter.setAccessibleName("Filter steps")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        label = QLabel("Fi&lter")
        label.setBuddy(self.filter)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.filter, 1)
        return row

    def _filter_changed(self, text: str) -> None:
        self.model.set_filter(text)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._show_why()

    def _show_why(self, *_: object) -> None:
        """The selected step's reason in full, under the table."""
        step = self.current_step()
        self.why.setText(
            f"<b>{_esc(step.display_name)}</b>: {_esc(step.reason)}" if step is not None else ""
        )

    def _build_buttons(self) -> QHBoxLayout:
        """Done, Snooze a week, Open person, and a status line."""
        self.done_button = QPushButton("&Done")
        self.done_button.setToolTip("Mark the selected step done and log it (Ctrl+D)")
        self.done_button.setAccessibleName("Mark step done")
        self.snooze_button = QPushButton("S&nooze…")
        self.snooze_button.setToolTip(
            "Hide this step for a day, a week, a month or until a date (Ctrl+E)"
        )
        self.snooze_button.setAccessibleName("Snooze step")
        self.open_button = QPushButton("&Open person")
        self.open_button.setAccessibleName("Open person")
        self.status = QLabel()
        self.status.setAccessibleName("Today status")
        buttons = QHBoxLayout()
        buttons.addWidget(self.done_button)
        buttons.addWidget(self.snooze_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.status, 1)
        return buttons

    def _build_meetings_pane(self) -> QWidget:
        """Right: the coming meetings, scrolling."""
        self.meetings = QLabel()
        self.meetings.setAccessibleName("Upcoming meetings")
        self.meetings.setWordWrap(True)
        self.meetings.setTextFormat(Qt.TextFormat.RichText)
        self.meetings.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.meetings.setContentsMargins(8, 4, 8, 4)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.meetings)
        scroll.setAccessibleName("Upcoming meetings")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.occasions = QLabel()
        self.occasions.setAccessibleName("Birthdays and reminders")
        self.occasions.setWordWrap(True)
        self.occasions.setTextFormat(Qt.TextFormat.RichText)
        self.occasions.setContentsMargins(8, 0, 8, 8)
        self.occasions.linkActivated.connect(self._open_link)
        self.occasions.hide()
        rl.addWidget(self.occasions)
        rl.addWidget(QLabel("<h3 style='margin:0'>Coming meetings</h3>"))
        rl.addWidget(scroll, 1)
        return right

    def _open_link(self, link: str) -> None:
        """``person:ID`` links in the birthdays and reminders open that person."""
        if link.startswith("person:"):
            self.open_person_id(int(link.split(":", 1)[1]))

    def _show_occasions(self, occasions: list[Occasion]) -> None:
        """Reminders due ("remind me on") and birthdays today or in the next days."""
        if not occasions:
            self.occasions.hide()
            return
        lines = []
        for o in occasions:
            who = f"<a href='person:{o.person_id}'>{_esc(o.display_name)}</a>"
            if o.kind == "reminder":
                since = "" if o.on == self.today else f" (since {o.on.strftime('%d %b')})"
                lines.append(f"• Remember {who}{since}")
            else:
                when = "today" if o.on == self.today else o.on.strftime("%A %d %b")
                age = f", turning {o.age}" if o.age else ""
                lines.append(f"• {who}: birthday {when}{age}")
        self.occasions.setText(
            "<h3 style='margin:0'>Birthdays and reminders</h3>" + "<br>".join(lines)
        )
        self.occasions.show()

    def _wire(self) -> None:
        """Buttons, Enter on a step, Ctrl+D and Ctrl+E."""
        self.done_button.clicked.connect(self.mark_done)
        self.snooze_button.clicked.connect(lambda: self.snooze())
        self.open_button.clicked.connect(self.open_person)
        self.table.activated.connect(lambda _i: self.open_person())
        self.table.selectionModel().currentChanged.connect(self._show_why)
        self.model.layoutChanged.connect(self._show_why)
        for seq, handler in (("Ctrl+D", self.mark_done), ("Ctrl+E", lambda: self.snooze())):
            sc = QShortcut(QKeySequence(seq), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(handler)

    # -- content -------------------------------------------------------------------------

    def ask_labels(self) -> dict[str, str]:
        return {a.id: a.label for a in load_ladder(self.store)}

    def is_busy(self) -> bool:
        """True while the agenda is being worked out off the GUI thread."""
        return self._request is not None

    def refresh(self) -> None:
        """Ask the engine worker for the agenda and the coming meetings; show them when they
        arrive (a result older than the latest request is dropped)."""
        self.heading.setText(heading(self.today))
        as_of = self.today
        self.worker.cancel_all()
        self._touched.clear()
        self._quick = None
        if self._result is None:
            self.summary.setText(WORKING)
            self.meetings.setText("Working out who is likely to be there…")
            self._quick = self.worker.submit(lambda store, _c: _compute_quick(store, as_of))
        self._request = self.worker.submit(lambda store, cancel: _compute(store, as_of, cancel))

    def _on_result(self, number: int, result: object) -> None:
        if number == self._quick and self._request is not None:
            self._quick = None  # the first agenda, from the cache; the full pass follows
            if isinstance(result, TodayResult) and is_open(self.store):
                self._show(result)
                self._update_people(set(self._touched))
            return
        if number != self._request or not isinstance(result, TodayResult):
            return
        self._request = None
        if not is_open(self.store):
            return  # the window closed while the worker was busy
        touched, self._touched = self._touched, set()
        self._show(result)
        self._update_people(touched)  # written to after the pass read them
        self.store.db.release_memory()  # the day's passes are done: see Database.release_memory

    def _update_people(self, ids: set[int]) -> None:
        """Work out the agenda of ``ids`` again and put their steps in the list shown."""
        r = self._result
        if r is None or not ids:
            return
        people = agenda_now.plan_people(self.store, self.today, sorted(ids), r.days, MEETING_DAYS)
        plan = agenda_now.merge_people(r.plan, people, ids, SHOW_AT_MOST)
        self._show(replace(r, plan=plan), keep_row=self.table.currentIndex().row())

    def _on_failed(self, number: int, message: str) -> None:
        if number != self._request:
            return
        self._request = None
        self.summary.setText(f"The agenda could not be worked out: {_esc(message)}")

    def _show(self, r: TodayResult, keep_row: int = 0) -> None:
        keep = self.current_step()
        self._result = r
        steps = r.plan.steps
        self.model.set_steps(steps, r.labels, self.today)
        overdue, total = r.plan.overdue, r.plan.total
        more = f" Showing the {len(steps):,} most urgent." if total > len(steps) else ""
        self.summary.setText(
            f"{total:,} steps in the next {r.days} days"
            + (
                f", <b style='color:{warning_color().name()}'>{overdue:,} overdue</b>"
                if overdue
                else ""
            )
            + "."
            + more
            + f" <b>The first {min(FOCUS, len(steps))} matter most today</b> (most urgent "
            "first; among steps over a month late, your most trusted contacts lead); the rest "
            "are greyed until you get to them. Click Due to sort by how late."
            if steps
            else "Nothing due. Log a meeting with Capture (Ctrl+N) to get started."
        )
        shown = [self.model.step(n) for n in range(self.model.rowCount())]
        if shown:
            row = min(max(keep_row, 0), len(shown) - 1)
            if keep is not None:
                for n, s in enumerate(shown):
                    if s is not None and (s.person_id, s.kind) == (keep.person_id, keep.kind):
                        row = n
                        break
            self.table.selectRow(row)
        self._show_why()
        if not r.quick:  # the first agenda, from the cache, has no meetings yet
            self._show_meetings(r)
        self._show_occasions(r.occasions)

    def _show_meetings(self, r: TodayResult) -> None:
        if not r.plan.meetings:
            self.meetings.setText("No group meetings in the next two weeks.")
            return
        parts = []
        for m, (who, count) in zip(r.plan.meetings, r.regulars, strict=True):
            when = "today" if m.date == self.today else m.date.strftime("%a %d %b")
            shown = ", ".join(_esc(n) for n in who)
            more = f" and {count - len(who)} more" if count > len(who) else ""
            text = (
                f"<p><b>{_esc(m.group_name)}</b> — {when}"
                + (f" at {_esc(m.venue)}" if m.venue else "")
                + "<br>"
                + (f"Likely there: {shown}{more}" if who else "No regulars yet")
            )
            for st in m.steps[:SHOWN]:
                text += f"<br>→ {_esc(st.display_name)}: {_esc(step_words(st, r.labels))}"
            if len(m.steps) > SHOWN:
                text += f"<br>→ and {len(m.steps) - SHOWN} more asks timed to this meeting"
            if m.reconnect:
                hello = ", ".join(_esc(st.display_name) for st in m.reconnect[:SHOWN])
                extra = f" and {len(m.reconnect) - SHOWN} more" if len(m.reconnect) > SHOWN else ""
                text += f"<br><i>Say hello again if they come</i>: {hello}{extra}"
            parts.append(text + "</p>")
        self.meetings.setText("".join(parts))

    def current_step(self) -> engine.Step | None:
        index = self.table.currentIndex()
        return self.model.step(index.row()) if index.isValid() else None

    # -- actions -------------------------------------------------------------------------

    def mark_done(self, outcome: str | None = None) -> int | None:
        """Log the selected step as done. For an ask, ``outcome`` (or the user's pick) is kept."""
        step = self.current_step()
        if step is None:
            return None
        title = f"{step.display_name}: {step_words(step, self.ask_labels())}"
        return step_actions.mark_done(
            self.ctx, self, step, self.today, self.status.setText, outcome, title
        )

    def snooze(self, until: date | None = None) -> date | None:
        """Hide the selected step until a day the user picks (a day, a week, a month, a date)."""
        step = self.current_step()
        if step is None:
            return None
        return step_actions.snooze(self.ctx, self, step, self.today, self.status.setText, until)

    def open_person(self) -> None:
        step = self.current_step()
        if step is not None:
            self.open_person_id(step.person_id)

    def open_person_id(self, person_id: int) -> None:
        nav = self.ctx.navigate
        if not callable(nav):
            return
        page: Any = nav("people")
        select = getattr(page, "select_person", None)
        if callable(select):
            select(person_id)

    def _on_changed(self, topic: str, person_ids: object) -> None:
        if topic not in _TOPICS:
            return
        ids = set(person_ids) if isinstance(person_ids, frozenset | set) else set()
        shown_or_coming = self._result is not None or self._request is not None
        if topic in _PER_PERSON and 0 < len(ids) <= INLINE_LIMIT and shown_or_coming:
            # A Done or a snooze: those people only (redone again after a running pass).
            if self._request is not None:
                self._touched |= ids
            if not self._dirty:
                self._update_people(ids)
            return
        # The agenda covers everyone: recompute it now only if it is on screen.
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event: Any) -> None:
        if self._dirty:
            self._dirty = False
            self.refresh()
        super().showEvent(event)


@dataclass(frozen=True)
class TodayResult:
    """What the worker hands back: plain data, no store objects."""

    days: int
    plan: engine.TodayPlan  # the most urgent steps, the coming meetings, the counts
    labels: dict[str, str]
    # Per meeting (in order): the first SHOWN regulars' names, sorted, and how many there are.
    regulars: list[tuple[list[str], int]]
    occasions: list[Occasion] = field(default_factory=list)  # reminders due, birthdays near
    quick: bool = False  # from the cached statuses: no meetings yet, the full pass follows


def _compute(store: Store, as_of: date, cancel: Callable[[], bool]) -> TodayResult:
    """Runs on the engine worker's thread, with the worker's own store."""
    days = int(store.settings["agenda.days"])
    plan = engine.today_plan(
        store, as_of, days=days, meeting_days=MEETING_DAYS, limit=SHOW_AT_MOST, cancel=cancel
    )
    meetings = plan.meetings
    ids = sorted({pid for m in meetings for pid in m.regulars})
    names = store.people.names(ids) if ids else {}
    # Sorted here, off the GUI thread: a group can have thousands of regulars at 100k people.
    regulars = [
        (sorted((names.get(p, "?") for p in m.regulars), key=str.casefold)[:SHOWN], len(m.regulars))
        for m in meetings
    ]
    labels = {a.id: a.label for a in load_ladder(store)}
    near = occasions.upcoming(store.db, as_of, int(store.settings["today.birthday_days"]))
    # The status refresh's checkpoint cannot copy back the pages written after this pass began
    # reading: copy them now, off the GUI thread, or the next write in the window pays for it
    # (the first Done after the morning refresh at 100,000 people: 76 ms of about 100).
    store.db.checkpoint()
    return TodayResult(days, plan, labels, regulars, near)


def _compute_quick(store: Store, as_of: date) -> TodayResult | None:
    """The first agenda, from the cached statuses (None when some are missing)."""
    days = int(store.settings["agenda.days"])
    plan = agenda_now.cached_plan(store, as_of, days, SHOW_AT_MOST)
    if plan is None:
        return None
    labels = {a.id: a.label for a in load_ladder(store)}
    near = occasions.upcoming(store.db, as_of, int(store.settings["today.birthday_days"]))
    return TodayResult(days, plan, labels, [], near, quick=True)


def build(ctx: AppContext) -> QWidget:
    return TodayPage(ctx)
