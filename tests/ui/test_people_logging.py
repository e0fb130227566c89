"""Logging from the People page's detail pane: value from the library, referrals under the
Referrals page's rules, the kinds behind "More…", and a pending ask's outcome set later.

Each flow runs against a real database file and is checked in the database, then undone.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog
from pytestqt.qtbot import QtBot

from netapp import referrals
from netapp.domain import (
    Interaction,
    Kind,
    LibraryItem,
    Outcome,
    Person,
    Referral,
    ReferralStatus,
)
from netapp.engine.ladder import load_ladder
from netapp.errors import ValidationError
from netapp.store import Store
from ui.dialogs.give_value import GiveValueDialog
from ui.dialogs.referral import ReferralDialog
from ui.main_window import MainWindow
from ui.pages.people import MORE_KINDS, LogDialog, PeoplePage
from ui.pages.referrals import ReferralsPage

TODAY = date(2026, 1, 20)


@pytest.fixture
def window(qtbot: QtBot, store: Store) -> Iterator[MainWindow]:
    w = MainWindow(store, None)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: not w.is_busy(), timeout=60_000)  # the worker's first pass
    yield w
    qtbot.waitUntil(lambda: not w.is_busy(), timeout=60_000)
    w.close()
    # A status pass superseded on the worker thread leaves its history reader to the garbage
    # collector; collect it while the database is still open.
    gc.collect()


def people_page(qtbot: QtBot, window: MainWindow, person_id: int) -> PeoplePage:
    page = PeoplePage(window.ctx, today=TODAY)
    qtbot.addWidget(page)
    assert page.select_person(person_id)
    return page


def interactions(store: Store, pid: int) -> list[dict[str, Any]]:
    return store.db.query(
        "SELECT kind, note, library_item_id, outcome FROM interactions WHERE person_id = ? "
        "ORDER BY id",
        [pid],
    )


def run_dialog(
    monkeypatch: pytest.MonkeyPatch, cls: type[QDialog], fill: Callable[[Any], None]
) -> list[Any]:
    """Make ``cls.exec`` run ``fill`` on the dialog instead of waiting for the user; returns
    the dialogs opened."""
    opened: list[Any] = []

    def fake_exec(self: Any) -> int:
        opened.append(self)
        fill(self)
        return int(self.result())

    monkeypatch.setattr(cls, "exec", fake_exec)
    return opened


# -- value given ---------------------------------------------------------------------------


@pytest.fixture
def ann_and_library(store: Store) -> tuple[int, dict[str, int]]:
    """Ann (of a bakery) after a one-to-one, and a library of which she has had one item.

    Made before the window: each library write asks for a full status pass."""
    ann = store.people.add(Person(display_name="Ann Lee", org="Harbour Bakery"))
    items = {
        "had": store.library.add(LibraryItem(title="Had it", kind="article")),
        "aardvark": store.library.add(LibraryItem(title="Aardvark facts", kind="article")),
        "bakers": store.library.add(
            LibraryItem(title="Zest for bakers", kind="article", tags=["bakery"])
        ),
        "retired": store.library.add(
            LibraryItem(title="Old news", kind="video", retired_at="2025-01-01")
        ),
    }
    store.interactions.add(Interaction(person_id=ann, date="2025-12-01", kind=Kind.ONE_TO_ONE))
    store.interactions.add(
        Interaction(
            person_id=ann, date="2025-12-02", kind=Kind.VALUE_GIVEN, library_item_id=items["had"]
        )
    )
    store.interactions.add(
        Interaction(person_id=ann, date="2026-01-05", kind=Kind.ASK, ask_type="read-article")
    )
    return ann, items


def test_value_given_button_offers_items_not_yet_had_engine_pick_first_and_undoes(
    qtbot: QtBot,
    ann_and_library: tuple[int, dict[str, int]],
    window: MainWindow,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "Value given…" opens the library dialog (not-yet-had items, the engine's pick first);
    the logged value-given names the item, and Ctrl+Z takes it back."""
    ann, items = ann_and_library
    page = people_page(qtbot, window, ann)
    offered: list[list[int]] = []

    def choose_first(dlg: GiveValueDialog) -> None:
        offered.append(
            [dlg.items.item(r).data(Qt.ItemDataRole.UserRole) for r in range(dlg.items.count())]
        )
        assert dlg.from_library.isChecked() and "(suggested)" in dlg.items.item(0).text()
        dlg.day.setDate(dlg.day.date().fromString("2026-01-19", "yyyy-MM-dd"))
        dlg.give()

    run_dialog(monkeypatch, GiveValueDialog, choose_first)
    before = interactions(store, ann)
    page.detail.log_buttons[Kind.VALUE_GIVEN].click()
    # The engine matches "bakery" in her organisation; alphabetically Aardvark would be first.
    assert offered == [[items["bakers"], items["aardvark"]]]
    after = interactions(store, ann)
    assert after[:-1] == before
    assert after[-1]["kind"] == "value-given" and after[-1]["library_item_id"] == items["bakers"]
    assert store.db.scalar("SELECT date FROM interactions ORDER BY id DESC LIMIT 1") == "2026-01-19"
    window.undo_stack.undo()
    assert interactions(store, ann) == before
    window.undo_stack.redo()
    assert interactions(store, ann)[-1]["library_item_id"] == items["bakers"]


def test_value_given_something_else_needs_words_and_logs_them(
    qtbot: QtBot,
    ann_and_library: tuple[int, dict[str, int]],
    window: MainWindow,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "Something else" with nothing typed is refused at the dialog; with a description it
    logs value given without a library item, and Ctrl+Z takes it back."""
    ann, _items = ann_and_library
    page = people_page(qtbot, window, ann)
    before = interactions(store, ann)

    def empty_then_cancel(dlg: GiveValueDialog) -> None:
        dlg.something_else.setChecked(True)
        dlg.give()
        assert not dlg.error.isHidden() and "what else you gave" in dlg.error.text()
        assert dlg.result() != QDialog.DialogCode.Accepted

    run_dialog(monkeypatch, GiveValueDialog, empty_then_cancel)
    assert page.detail.give_value() is None
    assert interactions(store, ann) == before

    def describe(dlg: GiveValueDialog) -> None:
        dlg.other.setText("Introduced her to my accountant")
        dlg.other.textEdited.emit(dlg.other.text())  # as typing does: picks "Something else"
        dlg.note.setText("over coffee")
        dlg.give()

    run_dialog(monkeypatch, GiveValueDialog, describe)
    assert page.detail.give_value() is not None
    last = interactions(store, ann)[-1]
    assert last == {
        "kind": "value-given",
        "note": "Introduced her to my accountant — over coffee",
        "library_item_id": None,
        "outcome": None,
    }
    window.undo_stack.undo()
    assert interactions(store, ann) == before


# -- referrals -----------------------------------------------------------------------------


def test_referral_button_uses_the_referral_rules_and_undoes(
    qtbot: QtBot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Referral…" opens the Referrals page's dialog for this person: no agreement is
    refused, the agreed referral is recorded without a value, the same introduction is
    refused, and Ctrl+Z / redo take it back and put the same rows back."""
    ann = store.people.add(Person(display_name="Ann Lee", org="Lee & Co"))
    store.people.add(Person(display_name="Ann Lee", org="Elsewhere"))  # a namesake
    page = people_page(qtbot, window, ann)
    seen: list[str] = []

    def fill(dlg: ReferralDialog) -> None:
        seen.append(dlg.person.text())
        dlg.prospect.setText("Bo Chen")
        dlg.day.setDate(dlg.day.date().fromString("2026-01-10", "yyyy-MM-dd"))
        dlg.save()  # agreement not ticked: refused at the checkbox
        assert dlg.result() != QDialog.DialogCode.Accepted
        assert "agree" in dlg.errors["prospect_agreed"].text()
        assert store.db.scalar("SELECT count(*) FROM referrals") == 0
        dlg.agreed.setChecked(True)
        dlg.save()

    run_dialog(monkeypatch, ReferralDialog, fill)
    rid = page.detail.referral()
    assert rid is not None and seen == [f"Ann Lee — Lee & Co (#{ann})"]
    row = store.db.query("SELECT * FROM referrals WHERE id = ?", [rid])[0]
    assert (row["referrer_id"], row["provider_id"], row["prospect_name"]) == (ann, None, "Bo Chen")
    assert (row["status"], row["value"], row["prospect_agreed"]) == ("new", None, 1)
    recorded = store.db.query("SELECT * FROM interactions WHERE referral_id = ?", [rid])
    assert [(r["person_id"], r["kind"]) for r in recorded] == [(ann, "referral-received")]

    def again(dlg: ReferralDialog) -> None:
        dlg.prospect.setText("bo  chen")
        dlg.agreed.setChecked(True)
        dlg.save()
        assert "counts once" in dlg.general_error.text()

    run_dialog(monkeypatch, ReferralDialog, again)
    depth = window.undo_stack.count()
    assert page.detail.referral() is None
    assert store.db.scalar("SELECT count(*) FROM referrals") == 1
    assert window.undo_stack.count() == depth

    window.undo_stack.undo()
    assert store.db.scalar("SELECT count(*) FROM referrals") == 0
    assert store.db.scalar("SELECT count(*) FROM interactions WHERE person_id = ?", [ann]) == 0
    window.undo_stack.redo()
    assert store.db.query("SELECT * FROM referrals") == [row]
    assert store.db.query("SELECT * FROM interactions WHERE referral_id = ?", [rid]) == recorded


def test_referral_redo_after_the_same_introduction_was_recorded_again_is_refused(
    store: Store,
) -> None:
    """Reinstating an undone referral refuses when the same introduction was recorded
    meanwhile (a referral counts once), and takes a new id when its old one was reused."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    ref = Referral(
        referrer_id=ann, prospect_name="Bo Chen", prospect_agreed=True, date="2026-01-10"
    )
    rid = referrals.record(store, ref)
    snap = referrals.remove(store, rid)
    again = referrals.record(
        store,
        Referral(referrer_id=ann, prospect_name="Bo Chen", prospect_agreed=True, date="2026-01-11"),
    )
    with pytest.raises(ValidationError, match="counts once"):
        referrals.reinstate(store, snap)
    referrals.remove(store, again)
    other = referrals.record(
        store,
        Referral(referrer_id=ann, prospect_name="Cy Dee", prospect_agreed=True, date="2026-01-12"),
    )
    assert other == rid  # SQLite reused the id
    back = referrals.reinstate(store, snap)
    assert back != rid
    assert store.db.scalar("SELECT prospect_name FROM referrals WHERE id = ?", [back]) == "Bo Chen"
    assert store.db.scalar("SELECT count(*) FROM interactions WHERE referral_id = ?", [back]) == 1


# -- the other kinds -----------------------------------------------------------------------


def test_more_menu_logs_value_received_call_email_and_message_undoably(
    qtbot: QtBot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each "More…" entry opens the log dialog for its kind and logs it; Ctrl+Z takes each
    back, and the button and its entries are named for assistive technology and keys."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    page = people_page(qtbot, window, ann)
    detail = page.detail
    assert detail.more_button.menu() is not None
    assert detail.more_button.accessibleName() and detail.more_button.focusPolicy() != (
        Qt.FocusPolicy.NoFocus
    )
    assert [a.text() for a in detail.more_button.menu().actions()] == [t for _k, t in MORE_KINDS]
    assert all("&" in t for _k, t in MORE_KINDS)  # each has a mnemonic

    def fill(dlg: LogDialog) -> None:
        dlg.note.setText(f"about {dlg.kind.value}")
        dlg.date.setDate(dlg.date.date().fromString("2026-01-15", "yyyy-MM-dd"))
        dlg.accept()

    opened = run_dialog(monkeypatch, LogDialog, fill)
    for kind, _text in MORE_KINDS:
        detail.more_actions[kind].trigger()
    assert [d.kind for d in opened] == [k for k, _t in MORE_KINDS]
    assert [(r["kind"], r["note"]) for r in interactions(store, ann)] == [
        (k.value, f"about {k.value}") for k, _t in MORE_KINDS
    ]
    for _ in MORE_KINDS:
        window.undo_stack.undo()
    assert interactions(store, ann) == []


def test_value_received_moves_the_stage_shown_in_the_detail(
    qtbot: QtBot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Logging value received through "More…" is seen by the engine: a person only met
    moves to visibility in the detail, and back on undo."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    page = people_page(qtbot, window, ann)
    before = page.detail.stage.text()
    assert before.startswith("<b>Met</b>")

    def fill(dlg: LogDialog) -> None:
        dlg.date.setDate(dlg.date.date().fromString("2026-01-10", "yyyy-MM-dd"))
        dlg.accept()

    run_dialog(monkeypatch, LogDialog, fill)
    page.detail.more_actions[Kind.VALUE_RECEIVED].trigger()
    assert interactions(store, ann)[-1]["kind"] == "value-received"
    assert page.detail.stage.text().startswith("<b>Visibility</b>")
    assert "they gave you value" in page.detail.stage.text()
    window.undo_stack.undo()
    assert page.detail.stage.text() == before


# -- a pending ask's outcome ---------------------------------------------------------------


def select_timeline_row(page: PeoplePage, key: str) -> None:
    model = page.detail.timeline_model
    rows = [
        r
        for r in range(model.rowCount())
        if model.index(r, 0).data(Qt.ItemDataRole.UserRole) == key
    ]
    assert rows, key
    page.detail.timeline.selectRow(rows[0])


def test_pending_ask_outcome_is_set_from_the_timeline_and_undone(
    qtbot: QtBot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Selecting a pending ask enables "Set outcome…" (not for other rows); choosing
    Accepted records it, and Ctrl+Z puts it back to pending."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    ask_type = load_ladder(store)[0].id
    call = store.interactions.add(Interaction(person_id=ann, date="2026-01-02", kind=Kind.CALL))
    ask = store.interactions.add(
        Interaction(person_id=ann, date="2026-01-05", kind=Kind.ASK, ask_type=ask_type)
    )
    done = store.interactions.add(
        Interaction(
            person_id=ann,
            date="2026-01-06",
            kind=Kind.ASK,
            ask_type=ask_type,
            outcome=Outcome.DECLINED,
        )
    )
    page = people_page(qtbot, window, ann)
    detail = page.detail
    for key in (f"i{call}", f"i{done}"):
        select_timeline_row(page, key)
        assert not detail.outcome_button.isEnabled() and not detail.outcome_action.isEnabled()
    select_timeline_row(page, f"i{ask}")
    assert detail.outcome_button.isEnabled() and detail.outcome_action.isEnabled()
    offered: list[list[str]] = []

    def pick(*args: Any) -> tuple[str, bool]:
        offered.append(list(args[3]))
        return "Accepted", True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    detail.outcome_button.click()
    assert offered == [["Accepted", "Declined", "Ignored"]]
    outcome = lambda: store.db.scalar("SELECT outcome FROM interactions WHERE id = ?", [ask])  # noqa: E731
    assert outcome() == "accepted"
    assert not detail.outcome_button.isEnabled()  # nothing pending is selected now
    window.undo_stack.undo()
    assert outcome() == "pending"
    window.undo_stack.redo()
    assert outcome() == "accepted"


def test_cancelling_the_outcome_choice_changes_nothing(
    qtbot: QtBot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelling the outcome question (from the timeline's context action) leaves the ask
    pending and the undo stack as it was."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    ask = store.interactions.add(
        Interaction(
            person_id=ann, date="2026-01-05", kind=Kind.ASK, ask_type=load_ladder(store)[0].id
        )
    )
    page = people_page(qtbot, window, ann)
    select_timeline_row(page, f"i{ask}")
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a: ("Accepted", False))
    depth = window.undo_stack.count()
    page.detail.outcome_action.trigger()
    assert store.db.scalar("SELECT outcome FROM interactions WHERE id = ?", [ask]) == "pending"
    assert window.undo_stack.count() == depth


# -- the Referrals page's won value --------------------------------------------------------


def test_won_value_box_starts_empty_and_reads_what_is_typed(
    qtbot: QtBot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Mark won…" opens with an empty value (nothing is recorded by pressing OK at once)
    and reads an amount as people type it."""
    from ui.dialogs.referral import WonDialog

    ann = store.people.add(Person(display_name="Ann Lee"))
    rid = referrals.record(
        store,
        Referral(referrer_id=ann, prospect_name="Bo Chen", prospect_agreed=True, date="2026-01-10"),
    )
    page = window.show_page("referrals")
    assert isinstance(page, ReferralsPage)
    page.select(rid)

    def ok_at_once_then_type(dialog: WonDialog) -> int:
        assert dialog.amount.text() == ""
        dialog.save()
        assert dialog.result() != QDialog.DialogCode.Accepted  # refused: no value yet
        dialog.amount.setText("€ 2 500")
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(WonDialog, "exec", ok_at_once_then_type)
    assert page.mark(ReferralStatus.WON)
    assert store.db.query("SELECT status, value FROM referrals WHERE id = ?", [rid]) == [
        {"status": "won", "value": 2500.0}
    ]


def test_a_log_refused_by_the_core_says_why_under_the_field_at_fault(
    qtbot: QtBot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A one-to-one typed as 9999-12-31 and OK: the dialog comes back with the reason under
    its Date field (the dialog's FieldForm), and nothing is written; Cancel then leaves."""
    pid = store.people.add(Person(display_name="Ann Lee"))
    page = people_page(qtbot, window, pid)
    shown: list[dict[str, str]] = []

    def fill(dlg: LogDialog) -> None:
        if not shown and not dlg.form.shown_errors():
            dlg.date.setFocus()
            dlg.date.selectAll()
            qtbot.keyClicks(dlg.date, "9999-12-31")
            dlg.accept()
            return
        shown.append(dlg.form.shown_errors())
        dlg.reject()

    opened = run_dialog(monkeypatch, LogDialog, fill)
    page.detail.log_dialog(Kind.ONE_TO_ONE)
    assert len(opened) == 2 and opened[0] is opened[1] and len(shown) == 1  # one dialog, twice
    assert list(shown[0]) == ["date"] and "9999-12-31 is in the future" in shown[0]["date"]
    assert interactions(store, pid) == []
