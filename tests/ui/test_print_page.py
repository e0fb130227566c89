"""The Print page: live preview, errors, Save PDF and Print… with the dialogs mocked."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from netapp.printing import cards
from netapp.store import Store
from tests.netapp.printing.helpers import decode_all, page_text, set_profile
from tests.ui.test_long_work import Gate, Ticks
from ui.pages.print_page import PrintPage

TODAY = date(2026, 11, 23)
WAIT = 30_000


def _page(qtbot: QtBot, store: Store) -> PrintPage:
    page = PrintPage(store, today=lambda: TODAY)
    qtbot.addWidget(page)
    return page


def _preview(qtbot: QtBot, page: PrintPage) -> None:
    """Ask for the preview now and wait until the worker has built it."""
    page.refresh_preview()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)


def _choose(qtbot: QtBot, page: PrintPage, key: str) -> None:
    page.what.setCurrentIndex(page.what.findData(key))
    _preview(qtbot, page)


def test_preview_shows_cards_and_every_sheet(qtbot: QtBot, demo_store: Store) -> None:
    """Each choice renders a preview document with at least one page and no error."""
    set_profile(demo_store)
    page = _page(qtbot, demo_store)
    for key in ("optin", "contact", "followups", "agenda", "briefing", "calibration"):
        _choose(qtbot, page, key)
        assert page.page_count >= 1, key
        assert page.save_button.isEnabled(), (key, page.message.text())


def test_bad_url_shows_a_named_error_and_disables_output(qtbot: QtBot, demo_store: Store) -> None:
    """Typing a bad opt-in URL shows the error naming the field and disables Print/Save."""
    set_profile(demo_store)
    page = _page(qtbot, demo_store)
    _choose(qtbot, page, "optin")
    page.url.setText("not a url")
    _preview(qtbot, page)
    assert page.message.text().startswith("url:")
    assert not page.print_button.isEnabled() and not page.save_button.isEnabled()


def test_save_pdf_records_the_batch_and_writes_decodable_cards(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Save PDF… writes the file the dialog names, records the batch, and every QR on it
    carries a recorded code."""
    set_profile(demo_store)
    out = tmp_path / "cards.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF"))
    page = _page(qtbot, demo_store)
    _choose(qtbot, page, "optin")
    page.campaign.setText("Spring fair")
    page.count.setValue(3)
    page.save_pdf()
    codes = {r["code"] for r in demo_store.db.query("SELECT code FROM cards")}
    refs = {parse_qs(urlsplit(d.text).query)["ref"][0] for d in decode_all(out)}
    assert len(refs) == 3 and refs <= codes
    assert "Batch" in page.message.text()


def test_print_sends_pages_to_the_printer(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Print… (dialog accepted) paints every page of the sheet to the printer."""
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QPrintDialog.DialogCode.Accepted)
    page = _page(qtbot, demo_store)
    _choose(qtbot, page, "briefing")
    out = tmp_path / "printed.pdf"
    page.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    page.printer.setOutputFileName(str(out))
    page.print_()
    assert out.exists() and out.stat().st_size > 1000
    assert len(page_text(out)) == page.page_count
    assert "Sent to the printer" in page.message.text()


def test_an_offer_that_does_not_fit_is_refused_under_the_form(
    qtbot: QtBot, demo_store: Store
) -> None:
    """The Offer field takes no more than every card prints whole, and an offer crowded out
    by a long name and business shows why, with Print and Save off."""
    from netapp.settings import MAX_OFFER

    set_profile(
        demo_store,
        profile__name="Maximiliane Wolkenstein-Oberhollenzer",
        profile__business="Wolkenstein Oberhollenzer Unternehmensberatung und Coaching GmbH",
    )
    page = _page(qtbot, demo_store)
    _choose(qtbot, page, "contact")
    qtbot.keyClicks(page.offer, "W" * (MAX_OFFER + 5))
    assert len(page.offer.text()) == MAX_OFFER
    _preview(qtbot, page)
    assert page.message.text().startswith("offer: does not fit"), page.message.text()
    assert "shorten your name or business" in page.message.text()
    assert not page.print_button.isEnabled() and not page.save_button.isEnabled()


def test_the_page_shows_at_once_and_the_preview_arrives_from_the_worker(
    qtbot: QtBot, demo_store: Store
) -> None:
    """The page shows "Preparing the preview…" while the PDF is built on the worker and the
    event loop keeps turning (a timer ticks); then the preview arrives with its pages."""
    set_profile(demo_store)
    page = _page(qtbot, demo_store)
    gate = Gate(page.worker)
    page.show()
    qtbot.waitUntil(lambda: page._job is not None, timeout=WAIT)  # the first request
    ticks = Ticks()
    qtbot.waitUntil(lambda: ticks.count >= 3, timeout=WAIT)
    assert page.is_busy() and page.message.text() == "Preparing the preview…"
    assert page.page_count == 0
    gate.open()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    assert page.page_count == 1 and page.message.text().startswith("Preview (first page")


def test_a_newer_preview_request_replaces_one_still_waiting(
    qtbot: QtBot, demo_store: Store
) -> None:
    """Opt-in cards asked for, then the calibration page before the first was built: only
    the calibration page is shown, whatever order the worker finishes in."""
    set_profile(demo_store)
    page = _page(qtbot, demo_store)
    gate = Gate(page.worker)
    page.what.setCurrentIndex(page.what.findData("optin"))
    page.refresh_preview()
    page.what.setCurrentIndex(page.what.findData("calibration"))
    page.refresh_preview()
    gate.open()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    qtbot.wait(50)  # anything stale still on its way would arrive now
    assert page.message.text() == "Preview."
    (text,) = page_text(bytes(page._data.data()))
    assert text.lstrip().startswith("Calibration page")


def test_the_same_choices_give_the_same_preview(qtbot: QtBot, demo_store: Store) -> None:
    """Opt-in cards' sample codes are the same every time, so two previews of the same
    choices are the same PDF, byte for byte (screenshots do not churn)."""
    set_profile(demo_store)
    first, second = _page(qtbot, demo_store), _page(qtbot, demo_store)
    for page in (first, second):
        _choose(qtbot, page, "optin")
    assert first.page_count == 1 and bytes(first._data.data()) == bytes(second._data.data())
    assert cards.sample_codes(5) == cards.sample_codes(5) and len(set(cards.sample_codes(50))) == 50
