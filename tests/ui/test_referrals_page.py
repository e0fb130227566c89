"""The Referrals page: status flow through the buttons, undo, closing the loop, the new-referral form."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from netapp import referrals
from netapp.domain import Person, Referral
from netapp.store import Store
from ui.dialogs.referral import ReferralDialog, WonDialog
from ui.main_window import MainWindow
from ui.models.referrals_table import FILTERS, ReferralsModel
from ui.pages.referrals import ReferralsPage
from ui.pages.reports import ReportsPage

TODAY = date(2026, 6, 30)


def _window(qtbot: QtBot, store: Store) -> MainWindow:
    window = MainWindow(store, None)
    qtbot.addWidget(window)
    return window


def test_referral_from_new_to_won_credits_value_shown_in_reports(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marking a received referral contacted then won (1,500) credits Ann, and Reports shows it."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    rid = referrals.record(
        store,
        Referral(referrer_id=ann, prospect_name="Bo Chen", prospect_agreed=True, date="2026-06-01"),
    )
    window = _window(qtbot, store)
    page = window.show_page("referrals")
    assert isinstance(page, ReferralsPage)
    page.select(rid)
    assert page.contacted_button.isEnabled() and page.won_button.isEnabled()
    page.contacted_button.click()
    assert store.db.scalar("SELECT status FROM referrals WHERE id = ?", [rid]) == "contacted"
    assert not page.contacted_button.isEnabled()
    typed: list[str] = []

    def type_value(dialog: WonDialog) -> int:
        for text in ("", "lots", "1,500"):  # empty and unreadable are refused at the field
            dialog.amount.setText(text)
            dialog.save()
            typed.append(dialog.error.text() if dialog.error.isVisibleTo(dialog) else "ok")
        return int(dialog.result())

    monkeypatch.setattr(WonDialog, "exec", type_value)
    page.won_button.click()
    assert typed == [
        "A won referral needs the value of the business",
        "'lots' is not an amount",
        "ok",
    ]
    assert store.db.query("SELECT status, value FROM referrals WHERE id = ?", [rid]) == [
        {"status": "won", "value": 1500.0}
    ]
    assert not page.won_button.isEnabled() and not page.lost_button.isEnabled()
    reports_page = window.show_page("reports")
    assert isinstance(reports_page, ReportsPage)
    reports_page.as_of = TODAY
    reports_page.show_report("value")
    reports_page.refresh()
    qtbot.waitUntil(lambda: not reports_page.is_busy(), timeout=30_000)
    model = reports_page.model
    cells = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert cells == [["Ann Lee", "0", "1,500", "1,500"]]


def test_cancelled_won_dialog_changes_nothing(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelling the value prompt leaves the referral as it was."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    rid = referrals.record(
        store,
        Referral(referrer_id=ann, prospect_name="Bo Chen", prospect_agreed=True, date="2026-06-01"),
    )
    window = _window(qtbot, store)
    page = window.show_page("referrals")
    assert isinstance(page, ReferralsPage)
    page.select(rid)
    monkeypatch.setattr(WonDialog, "exec", lambda self: int(QDialog.DialogCode.Rejected))
    page.won_button.click()
    assert store.db.scalar("SELECT status FROM referrals WHERE id = ?", [rid]) == "new"


def test_status_change_can_be_undone_and_redone(qtbot: QtBot, store: Store) -> None:
    """Edit ▸ Undo puts the referral back to new; Redo marks it lost again."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    rid = referrals.record(
        store,
        Referral(referrer_id=ann, prospect_name="Bo Chen", prospect_agreed=True, date="2026-06-01"),
    )
    window = _window(qtbot, store)
    page = window.show_page("referrals")
    assert isinstance(page, ReferralsPage)
    page.select(rid)
    page.lost_button.click()
    status = lambda: store.db.scalar("SELECT status FROM referrals WHERE id = ?", [rid])  # noqa: E731
    assert status() == "lost"
    window.undo_stack.undo()
    assert status() == "new"
    window.undo_stack.redo()
    assert status() == "lost"


def _gave(store: Store, provider: int, prospect: str, day: str) -> int:
    """A referral the user gave to ``provider`` on ``day`` (the prospect agreed)."""
    return referrals.record(
        store,
        Referral(provider_id=provider, prospect_name=prospect, prospect_agreed=True, date=day),
    )


def test_closing_the_loop_banner_and_filter(qtbot: QtBot, store: Store) -> None:
    """A quiet referral you gave is announced, and the loop filter lists only it."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    bob = store.people.add(Person(display_name="Bob Ray"))
    quiet = _gave(store, ann, "P One", "2026-05-01")
    _gave(store, bob, "P Two", "2026-06-25")
    window = _window(qtbot, store)
    page = window.show_page("referrals")
    assert isinstance(page, ReferralsPage)
    page.as_of = TODAY
    page.refresh()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)  # read on a worker
    assert "1 referral you gave has had no update" in page.loop_label.text()
    assert "Ann Lee" in page.loop_label.text()
    page.loop_button.click()
    assert [page.model.id_at(r) for r in range(page.model.rowCount())] == [quiet]


def test_new_referral_form_shows_errors_at_the_field(qtbot: QtBot, store: Store) -> None:
    """Without agreement the form stays open with the message under the checkbox; then it saves."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    dialog = ReferralDialog(store)
    qtbot.addWidget(dialog)
    dialog.person.setText("Ann Lee")
    dialog.prospect.setText("Bo Chen")
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "agree" in dialog.errors["prospect_agreed"].text()
    assert not dialog.errors["prospect_agreed"].isHidden()
    assert store.db.scalar("SELECT count(*) FROM referrals") == 0
    dialog.person.setText("Nobody Here")
    dialog.agreed.setChecked(True)
    dialog.save()
    assert "Nobody Here" in dialog.errors["person"].text()
    dialog.person.setText(f"Ann Lee (#{ann})")
    dialog.save()
    assert dialog.referral_id is not None
    row = store.db.query("SELECT referrer_id, prospect_name, prospect_agreed FROM referrals")[0]
    assert row == {"referrer_id": ann, "prospect_name": "Bo Chen", "prospect_agreed": 1}


def test_referrals_model_passes_qtmodeltester(qtmodeltester, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    """The referrals model obeys Qt's model contract under every filter, with small batches."""
    total = demo_store.db.scalar("SELECT count(*) FROM referrals")
    for key in FILTERS:
        model = ReferralsModel(demo_store)
        model.BATCH = 3
        model.as_of = date(2026, 11, 23)
        model.set_filter(key)
        qtmodeltester.check(model, force_py=True)
    model = ReferralsModel(demo_store)
    model.refresh()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == total > 0


def test_a_new_referral_can_be_undone_and_redone(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New referral… goes on the undo stack: Ctrl+Z takes it back, redo puts it back."""
    ann = store.people.add(Person(display_name="Ann Lee"))
    window = _window(qtbot, store)
    page = window.show_page("referrals")
    assert isinstance(page, ReferralsPage)

    def fill_and_save(dialog: ReferralDialog) -> int:
        dialog.person.setText(f"Ann Lee (#{ann})")
        dialog.prospect.setText("Bo Chen")
        dialog.agreed.setChecked(True)
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(ReferralDialog, "exec", fill_and_save)
    rid = page.new_referral()
    assert rid is not None and store.db.scalar("SELECT count(*) FROM referrals") == 1
    window.undo_stack.undo()
    assert store.db.scalar("SELECT count(*) FROM referrals") == 0
    window.undo_stack.redo()
    assert store.db.query("SELECT id, prospect_name FROM referrals") == [
        {"id": rid, "prospect_name": "Bo Chen"}
    ]


def test_close_the_loop_is_checked_on_a_worker_and_the_newest_check_wins(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening Referrals says it is checking, before the line is worked out (on a worker); the
    user leaves the page before it comes and it arrives all the same. Of two checks asked in a
    row (the older not cancelled, so its result still comes), the newer's line is shown."""
    from ui.workers import EngineWorker

    _gave(store, store.people.add(Person(display_name="Ann Lee")), "P One", "2026-05-01")
    window = _window(qtbot, store)
    page = window.show_page("referrals")
    assert isinstance(page, ReferralsPage)
    assert page.is_busy() and "Checking" in page.loop_label.text()
    assert not page.loop_button.isVisibleTo(page)  # nothing to show yet
    assert not any(
        b.isEnabled() for b in (page.contacted_button, page.won_button, page.lost_button)
    )
    window.show_page("people")
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    assert "1 referral you gave has had no update" in page.loop_label.text()

    monkeypatch.setattr(EngineWorker, "cancel", lambda self, number: None)
    shown: list[str] = []
    real_set = page.loop_label.setText
    monkeypatch.setattr(page.loop_label, "setText", lambda t: (shown.append(t), real_set(t)))
    page.model.as_of = TODAY  # as of June 30th: Ann's referral is quiet
    page._show_loop()
    page.model.as_of = date(2026, 5, 2)  # the day after it: not quiet yet
    page._show_loop()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    qtbot.wait(100)
    assert len(shown) == 1 and "Every referral you gave has had news" in shown[0]
    assert not page.loop_button.isVisibleTo(page)
