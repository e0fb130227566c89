"""The Print page: live preview, errors, Save PDF and Print… with the dialogs mocked."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from netapp.store import Store
from tests.netapp.printing.helpers import decode_all, page_text, set_profile
from ui.pages.print_page import PrintPage

TODAY = date(2026, 11, 23)


def _page(qtbot: QtBot, store: Store) -> PrintPage:
    page = PrintPage(store, today=lambda: TODAY)
    qtbot.addWidget(page)
    return page


def _choose(page: PrintPage, key: str) -> None:
    page.what.setCurrentIndex(page.what.findData(key))
    page.refresh_preview()


def test_preview_shows_cards_and_every_sheet(qtbot: QtBot, demo_store: Store) -> None:
    """Each choice renders a preview document with at least one page and no error."""
    set_profile(demo_store)
    page = _page(qtbot, demo_store)
    for key in ("optin", "contact", "followups", "agenda", "briefing", "calibration"):
        _choose(page, key)
        assert page.page_count >= 1, key
        assert page.save_button.isEnabled(), (key, page.message.text())


def test_bad_url_shows_a_named_error_and_disables_output(qtbot: QtBot, demo_store: Store) -> None:
    """Typing a bad opt-in URL shows the error naming the field and disables Print/Save."""
    set_profile(demo_store)
    page = _page(qtbot, demo_store)
    _choose(page, "optin")
    page.url.setText("not a url")
    page.refresh_preview()
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
    _choose(page, "optin")
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
    _choose(page, "briefing")
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
    _choose(page, "contact")
    qtbot.keyClicks(page.offer, "W" * (MAX_OFFER + 5))
    assert len(page.offer.text()) == MAX_OFFER
    page.refresh_preview()
    assert page.message.text().startswith("offer: does not fit"), page.message.text()
    assert "shorten your name or business" in page.message.text()
    assert not page.print_button.isEnabled() and not page.save_button.isEnabled()
