"""One wording everywhere (issue 16, item 8), past the reasons: the calendar export's event
titles and ``netapp agenda done``'s confirmation name an ask by its ladder label."""

from __future__ import annotations

from datetime import date

from netapp import engine
from netapp.engine.ladder import load_ladder
from netapp.interchange.export import to_ics
from netapp.store import Store
from tests.conftest import DEMO_TODAY
from tests.netapp.test_cli_crm import Cap, ok


def test_calendar_titles_name_an_ask_by_its_label(demo_store: Store) -> None:
    """Each ask in the ICS export reads "Ask <name>: <label>", never the ladder id."""
    from icalendar import Calendar

    labels = {a.id: a.label for a in load_ladder(demo_store)}
    on = date.fromisoformat(DEMO_TODAY)
    asks = [s for s in engine.agenda(demo_store, on, days=30) if s.kind == "ask" and s.due]
    assert asks  # the demo has asks on its agenda
    titles = {
        str(e["summary"]) for e in Calendar.from_ical(to_ics(demo_store, on, 30)).walk("VEVENT")
    }
    for s in asks:
        assert f"Ask {s.display_name}: {labels[str(s.ask)]}" in titles
        assert f"Ask {s.display_name}: {s.ask}" not in titles


def test_agenda_done_confirms_an_ask_in_todays_words(capsys: Cap, demo_store: Store) -> None:
    """Marking an ask done prints it as Today does ("Ask: Join your email list")."""
    labels = {a.id: a.label for a in load_ladder(demo_store)}
    on = date.fromisoformat(DEMO_TODAY)
    step = next(s for s in engine.agenda(demo_store, on, days=30) if s.kind == "ask")
    out = ok(capsys, demo_store.path, "agenda", "done", str(step.person_id), "--on", DEMO_TODAY)
    assert f"\tdone: Ask: {labels[str(step.ask)]}\t{step.display_name}" in out
    assert str(step.ask) not in out.replace(labels[str(step.ask)], "")
