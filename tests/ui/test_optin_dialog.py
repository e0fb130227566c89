"""Record opt-in…: from a printed card code or for a person picked by name, against a real
database; errors are shown at the field they are about and nothing is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog

from netapp import card_codes as codes
from netapp.domain import ConsentMethod, Email, Person
from netapp.printing import cards
from netapp.store import Store
from ui.dialogs.optin_dialog import OptinDialog


def count_consents(store: Store) -> int:
    return int(store.db.scalar("SELECT count(*) FROM consents"))


@pytest.fixture
def printed(store: Store, tmp_path: Path) -> tuple[int, list[str]]:
    """A meeting and the codes of a real printed batch of opt-in cards for it, as
    ``netapp cards --meeting`` records them."""
    store.settings.update(
        {
            "profile.name": "Zoë Żak",
            "profile.offer": "Free e-book: 10 referral habits",
            "profile.optin_url": "https://example.com/join",
        }
    )
    mid = store.meetings.add("Breakfast club", "2026-03-03")
    plan = cards.plan_cards(store, meeting=mid, count=3)
    result = cards.print_cards(store, plan, tmp_path / "cards.pdf", "2026-03-02T18:00:00+00:00")
    return mid, result.codes


def mistype(code: str) -> str:
    """The code with its first character changed: the check character catches it."""
    other = next(ch for ch in codes.ALPHABET if ch != code[0])
    return other + code[1:]


def dialog(qtbot, store: Store) -> OptinDialog:  # type: ignore[no-untyped-def]
    dlg = OptinDialog(store)
    qtbot.addWidget(dlg)
    return dlg


def test_card_code_from_a_printed_batch_records_consent_with_its_meeting(
    qtbot, store: Store, printed: tuple[int, list[str]]
) -> None:  # type: ignore[no-untyped-def]
    """A printed code typed as people do is matched to its meeting; the consent keeps both."""
    mid, printed_codes = printed
    code = printed_codes[1]
    pid = store.people.add(Person(display_name="Ann Able", emails=[Email("ann@a.example")]))
    dlg = dialog(qtbot, store)
    qtbot.keyClicks(dlg.code, codes.display(code).lower())
    assert dlg.code_note.text() == (
        f"Card {codes.display(code)}: handed out at Breakfast club (2026-03-03)"
    )
    assert not dlg.code_note.is_error
    qtbot.keyClicks(dlg.email, "ANN@a.example")
    assert dlg.email_note.text() == "The opt-in is recorded for Ann Able."
    dlg.day.setDate(QDate(2026, 3, 3))
    qtbot.mouseClick(dlg.record_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    (c,) = store.consents.for_person(pid)
    assert (c.card_code, c.meeting_id, c.method, c.obtained_at) == (
        code,
        mid,
        ConsentMethod.CARD,
        "2026-03-03",
    )
    assert c.wording == "Free e-book: 10 referral habits"
    assert [r.card_code for r in dlg.results] == [code]


def test_mistyped_code_is_refused_at_the_field(
    qtbot, store: Store, printed: tuple[int, list[str]]
) -> None:  # type: ignore[no-untyped-def]
    """One wrong character fails the check: the message is under the code, nothing is saved."""
    bad = mistype(printed[1][0])
    dlg = dialog(qtbot, store)
    qtbot.keyClicks(dlg.code, bad)
    assert "check the code: it doesn't add up" in dlg.code_note.text()
    assert dlg.code_note.is_error
    expected = dlg.code_note.text()
    qtbot.keyClicks(dlg.email, "ann@a.example")
    qtbot.mouseClick(dlg.record_button, Qt.MouseButton.LeftButton)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert not dlg.code_note.isHidden()
    assert dlg.code_note.text() == expected
    assert (count_consents(store), store.people.count()) == (0, 0)


def test_code_not_printed_here_and_code_used_twice_are_refused(
    qtbot, store: Store, printed: tuple[int, list[str]]
) -> None:  # type: ignore[no-untyped-def]
    """A valid code this netapp never printed, and a card already used, are refused at the code."""
    stranger = next(c for c in (codes.new_code() for _ in range(100)) if c not in printed[1])
    dlg = dialog(qtbot, store)
    dlg.code.setText(stranger)
    dlg.email.setText("ann@a.example")
    assert dlg.record() is None
    assert dlg.code_note.text() == (
        f"card code {codes.display(stranger)} was not printed by this netapp"
    )
    code = printed[1][0]
    dlg.code.setText(code)
    assert dlg.record(keep_open=True) is not None
    dlg.code.setText(code)
    dlg.email.setText("ben@b.example")
    assert dlg.record() is None
    assert dlg.code_note.is_error
    assert dlg.code_note.text().startswith(f"card {codes.display(code)} was already used for ")
    assert count_consents(store) == 1


def test_card_without_email_is_refused_at_the_email(
    qtbot, store: Store, printed: tuple[int, list[str]]
) -> None:  # type: ignore[no-untyped-def]
    """A card opt-in needs the address written on it; the message is under Email."""
    dlg = dialog(qtbot, store)
    dlg.code.setText(printed[1][0])
    qtbot.mouseClick(dlg.record_button, Qt.MouseButton.LeftButton)
    assert (dlg.email_note.text(), dlg.email_note.is_error) == (
        "a card opt-in needs the email written on the card",
        True,
    )
    assert not dlg.code_note.is_error
    assert count_consents(store) == 0


def test_record_and_next_adds_a_new_person_then_clears_the_form(
    qtbot, store: Store, printed: tuple[int, list[str]]
) -> None:  # type: ignore[no-untyped-def]
    """Reading back a sheet: an unknown address becomes a new person and the form is ready again."""
    mid, printed_codes = printed
    dlg = dialog(qtbot, store)
    dlg.code.setText(printed_codes[0])
    dlg.email.setText("nia@n.example")
    assert dlg.email_note.text() == "Not in netapp yet: a new person is added."
    dlg.name.setText("Nia New")
    qtbot.mouseClick(dlg.record_next, Qt.MouseButton.LeftButton)
    assert (dlg.code.text(), dlg.email.text(), dlg.name.text()) == ("", "", "")
    assert dlg.message.text() == (
        f"Recorded: Nia New (new person), card {codes.display(printed_codes[0])}. Next one:"
    )
    dlg.code.setText(printed_codes[2])
    dlg.email.setText("nia@n.example")  # the same person again, from another card
    assert dlg.email_note.text() == "The opt-in is recorded for Nia New."
    qtbot.mouseClick(dlg.record_next, Qt.MouseButton.LeftButton)
    assert store.people.ids_by_name("Nia New") == [dlg.results[0].person_id]
    assert [
        (c.card_code, c.meeting_id) for c in store.consents.for_person(dlg.results[0].person_id)
    ] == [
        (printed_codes[0], mid),
        (printed_codes[2], mid),
    ]
    assert dlg.result() != QDialog.DialogCode.Accepted  # still open for the next one


def test_person_picked_from_the_completer_without_email_must_give_one(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Typing a name lists matches; a picked person without email is asked for one at Email."""
    pid = store.people.add(Person(display_name="Bo Brennan", org="Brennan Bakery"))
    store.people.add(Person(display_name="Bob Other"))
    dlg = dialog(qtbot, store)
    dlg.show()
    qtbot.mouseClick(dlg.by_person, Qt.MouseButton.LeftButton)
    assert dlg.method.currentData() == "verbal"
    qtbot.keyClicks(dlg.person, "Brennan")
    completer = dlg.person.completer()
    assert [completer.model().index(r, 0).data() for r in range(completer.model().rowCount())] == [
        "Bo Brennan — Brennan Bakery"
    ]
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    popup.setCurrentIndex(completer.completionModel().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert (dlg.person_id, dlg.person.text()) == (pid, "Bo Brennan")
    assert dlg.email_note.text() == ("Bo Brennan has no email address: type the one they gave you.")
    dlg.record()
    assert (dlg.email_note.text(), dlg.email_note.is_error) == (
        "Bo Brennan has no email address: type the one they gave you.",
        True,
    )
    assert count_consents(store) == 0
    dlg.email.setText("bo@bakery.example")
    dlg.method.setCurrentIndex(dlg.method.findData("paper"))
    dlg.day.setDate(QDate(2026, 2, 1))
    dlg.wording.setText("Monthly tips by email")
    assert dlg.record() is not None
    (c,) = store.consents.for_person(pid)
    assert (c.email, c.method, c.obtained_at, c.card_code, c.wording) == (
        "bo@bakery.example",
        ConsentMethod.PAPER,
        "2026-02-01",
        "",
        "Monthly tips by email",
    )
    assert [e.address for e in store.people.get(pid).emails] == ["bo@bakery.example"]


def test_person_typed_in_full_is_found_and_defaults_to_their_address(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """A name typed exactly (not picked) is used; their first address is the consent's; today."""
    pid = store.people.add(Person(display_name="Cara Cole", emails=[Email("cara@c.example")]))
    dlg = dialog(qtbot, store)
    dlg.by_person.setChecked(True)
    qtbot.keyClicks(dlg.person, "cara cole")
    assert dlg.record() is not None
    (c,) = store.consents.for_person(pid)
    assert (c.email, c.method) == ("cara@c.example", ConsentMethod.VERBAL)
    assert c.obtained_at.startswith(date.today().isoformat()[:4])  # today, with the time
    assert "T" in c.obtained_at


def test_unknown_or_ambiguous_name_is_refused_at_the_person(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """A name nobody has, or two people share, asks to pick from the list; nothing is saved."""
    store.people.add(Person(display_name="Dan Dee", emails=[Email("d1@d.example")]))
    store.people.add(Person(display_name="Dan Dee", emails=[Email("d2@d.example")]))
    dlg = dialog(qtbot, store)
    dlg.by_person.setChecked(True)
    dlg.person.setText("Nobody Here")
    assert dlg.record() is None
    assert dlg.person_note.text() == "No one is named “Nobody Here”: pick someone from the list."
    dlg.person.setText("Dan Dee")
    assert dlg.record() is None
    assert (
        dlg.person_note.text() == "More than one person is named “Dan Dee”: pick one from the list."
    )
    assert count_consents(store) == 0


def test_menu_action_records_and_reports_on_the_status_bar(
    qtbot, store: Store, printed: tuple[int, list[str]], monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """File ▸ Record opt-in… opens the dialog; what it recorded is said on the status bar."""
    from ui.main_window import MainWindow

    win = MainWindow(store)
    qtbot.addWidget(win)
    code = printed[1][0]

    def fill_and_record(self: OptinDialog) -> int:
        self.code.setText(code)
        self.email.setText("eve@e.example")
        self.record()
        return int(self.result())

    monkeypatch.setattr(OptinDialog, "exec", fill_and_record)
    win.ctx.actions["io.optin"].trigger()
    assert win.statusBar().currentMessage() == (
        f"Opt-in recorded: eve@e.example (new person), card {codes.display(code)}"
    )
    assert count_consents(store) == 1


def test_code_typed_full_width_with_an_en_dash_and_nbsp_is_recognised(
    qtbot, store: Store, printed: tuple[int, list[str]]
) -> None:  # type: ignore[no-untyped-def]
    """Typed with an East Asian keyboard's full-width letters, an en dash and a no-break
    space, the printed code is found and its meeting shown at the field."""
    code = printed[1][0]
    typed = "".join(chr(ord(ch) + 0xFEE0) for ch in code[:3]) + "\u2013" + code[3:5]
    typed += "\u00a0" + code[5:]
    dlg = dialog(qtbot, store)
    for ch in typed:  # QTest.keyClicks maps characters to keys and aborts outside Latin-1
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            QApplication.sendEvent(dlg.code, event)
    assert dlg.code.text() == typed
    assert not dlg.code_note.is_error
    assert dlg.code_note.text().startswith(f"Card {codes.display(code)}: handed out at")
