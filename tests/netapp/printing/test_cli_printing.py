"""The cards and sheet commands end to end, through netapp.cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netapp.cli import main
from netapp.printing import cards
from netapp.store import Store
from tests.netapp.printing.helpers import decode_all, page_text, set_profile


def test_cards_json_prints_batch_and_codes_that_the_pdf_carries(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`netapp cards --json` prints the batch id and codes; each code is in its card's QR."""
    with Store(db_path) as store:
        set_profile(store)
        mid = store.meetings.add("BNI", "2026-01-02")
    out = tmp_path / "c.pdf"
    rc = main(
        [
            "--db",
            str(db_path),
            "cards",
            "--meeting",
            str(mid),
            "--count",
            "4",
            "--layout",
            "avery-c32011",
            "--url",
            "https://x.example/a?b=1",
            "--json",
            "-o",
            str(out),
        ]
    )
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    refs = [d.text.rsplit("ref=", 1)[1] for d in decode_all(out)]
    assert refs == data["codes"]
    with Store(db_path) as store:
        assert store.card_batches.lookup(data["codes"][0])[0].id == data["batch_id"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["cards", "--campaign", "X", "--count", "0"], "count"),
        (["cards", "--campaign", "X", "--count", "100000"], "count"),
        (["cards", "--campaign", "X", "--url", "nope"], "url"),
        (["cards", "--meeting", "77"], "meeting 77 not found"),
        (["cards"], "--meeting ID or --campaign NAME"),
        (["sheet", "briefing", "--meeting", "77"], "meeting 77 not found"),
    ],
)
def test_bad_command_lines_fail_with_one_named_line(
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    """Bad counts, URLs and unknown meetings exit 1 with one `netapp: error:` line naming the
    problem, and write no file."""
    with Store(db_path) as store:
        set_profile(store)
    out = tmp_path / "x.pdf"
    assert main(["--db", str(db_path), *argv, "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("netapp: error:") and message in err[0]
    assert not out.exists()


def test_sheet_commands_write_pdfs(demo_store: Store, db_path: Path, tmp_path: Path) -> None:
    """`sheet followups` and `sheet briefing` write readable PDFs naming the people."""
    mid = demo_store.db.scalar("SELECT id FROM meetings ORDER BY date DESC LIMIT 1")
    name = demo_store.db.scalar(
        "SELECT p.display_name FROM attendance a JOIN people p ON p.id = a.person_id "
        "WHERE a.meeting_id = ? ORDER BY p.id LIMIT 1",
        [mid],
    )
    f = tmp_path / "f.pdf"
    assert (
        main(["--db", str(db_path), "sheet", "followups", "--meeting", str(mid), "-o", str(f)]) == 0
    )
    assert name in "\n".join(page_text(f))
    b = tmp_path / "b.pdf"
    args = [
        "--db",
        str(db_path),
        "sheet",
        "briefing",
        "--meeting",
        str(mid),
        "--today",
        "2026-11-01",
    ]
    assert main([*args, "-o", str(b)]) == 0
    assert page_text(b)[0].startswith("Briefing")


def test_calibration_page_command(db_path: Path, tmp_path: Path) -> None:
    """`cards --calibration` writes the calibration page without recording a batch."""
    out = tmp_path / "cal.pdf"
    assert (
        main(["--db", str(db_path), "cards", "--calibration", "--layout", "letter", "-o", str(out)])
        == 0
    )
    assert "Calibration page" in page_text(out)[0]
    with Store(db_path) as store:
        assert store.db.scalar("SELECT count(*) FROM card_batches") == 0


def _printed_code(db_path: Path, tmp_path: Path) -> str:
    with Store(db_path) as store:
        set_profile(store)
        plan = cards.plan_cards(store, campaign="Fair", count=1)
        return cards.print_cards(store, plan, tmp_path / "c.pdf", "2026-01-01T00:00:00").codes[0]


def test_optin_accepts_a_code_typed_with_full_width_forms_dashes_and_nbsp(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`netapp optin ＡＢＣ–ＤＥ FG` (full-width, an en dash, a no-break space) records the card."""
    code = _printed_code(db_path, tmp_path)
    typed = "".join(chr(ord(ch) + 0xFEE0) for ch in code[:3]) + "\u2013" + code[3:5]
    typed += "\u00a0" + code[5:].lower()
    rc = main(["--db", str(db_path), "optin", typed, "--email", "ann@a.example", "--json"])
    assert rc == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["card_code"] == code


def test_optin_with_a_mistyped_code_says_the_code_does_not_add_up(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A code with one wrong character is reported as a code that doesn't add up, not as an
    unknown person; nothing is recorded."""
    code = _printed_code(db_path, tmp_path)
    bad = next(ch for ch in "23456789ABCDEFGHJK" if ch != code[0]) + code[1:]
    rc = main(["--db", str(db_path), "optin", bad, "--email", "ann@a.example"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "check the code: it doesn't add up" in err and "no person" not in err
    with Store(db_path) as store:
        assert store.db.scalar("SELECT count(*) FROM consents") == 0


def test_optin_for_a_person_whose_name_looks_like_a_code_finds_the_person(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A seven-letter name made of code characters ("Stewart") still names the person."""
    from netapp.domain import Email, Person

    with Store(db_path) as store:
        store.people.add(Person(display_name="Stewart", emails=[Email("s@x.example")]))
    rc = main(["--db", str(db_path), "optin", "Stewart", "--method", "verbal"])
    assert rc == 0, capsys.readouterr().err


def test_optin_takes_a_code_typed_unquoted_with_a_space(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`netapp optin abc defg` (two shell words, as people type what the card shows) is the
    code."""
    code = _printed_code(db_path, tmp_path)
    argv = ["--db", str(db_path), "optin", code[:3].lower(), code[3:], "--email", "a@a.example"]
    rc = main([*argv, "--json"])
    assert rc == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["card_code"] == code


@pytest.mark.parametrize("how", ["short", "long", "zero", "i"])
def test_optin_with_a_code_missing_a_character_says_check_the_code(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    """A code with a character left out or doubled, or a 0 / I typed in it, is reported as a
    code to check (saying what is wrong), not only as an unknown person; nothing recorded."""
    code = _printed_code(db_path, tmp_path)
    typed = {
        "short": f"{code[:3]}-{code[3:6]}",
        "long": f"{code[:3]}-{code[3:]}{code[-1]}",
        "zero": f"{code[:3]}-0{code[4:]}",
        "i": f"{code[:3]}-I{code[4:]}",
    }[how]
    rc = main(["--db", str(db_path), "optin", typed, "--email", "ann@a.example"])
    err = capsys.readouterr().err
    assert rc == 1 and err.count("\n") == 1, err
    assert "check the code" in err
    assert ("characters" in err) if how in ("short", "long") else ("never use" in err)
    with Store(db_path) as store:
        assert store.db.scalar("SELECT count(*) FROM consents") == 0
