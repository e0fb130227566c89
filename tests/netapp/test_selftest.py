"""``netapp --self-test``: one line per check, the right exit code, nothing outside a temp dir."""

from __future__ import annotations

import io
import sys

import pytest

from netapp import selftest
from netapp.cli import main


def _lines(text: str) -> list[list[str]]:
    return [line.split(None, 2) for line in text.splitlines()]


def test_every_check_runs_and_passes_here() -> None:
    """With the full dev install (decoder included) every core check runs and reports ok."""
    out = io.StringIO()
    assert selftest.run_self_test(out) == 0
    lines = _lines(out.getvalue())
    assert [(v, n) for v, n, _ in lines[:-1]] == [("ok", name) for name, _ in selftest.CHECKS]
    assert "decoded its 4 QR codes" in lines[4][2]
    assert "self-test passed" in lines[-1][2]


def test_cli_flag_prints_the_report_and_touches_no_user_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`netapp --self-test` runs the report and leaves the user's data directory untouched."""
    from netapp.paths import data_dir, default_db_path

    before = sorted(data_dir().rglob("*")) if data_dir().exists() else []
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out
    assert out.count("\nok ") + out.startswith("ok ") == len(selftest.CHECKS)
    assert not default_db_path().exists()
    assert (sorted(data_dir().rglob("*")) if data_dir().exists() else []) == before


def test_a_missing_resource_fails_its_check_and_the_exit_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A resource file missing from the install gives a FAIL line naming it and exit code 1."""
    monkeypatch.setattr(selftest, "RESOURCES", (*selftest.RESOURCES, "icons/not-shipped.png"))
    out = io.StringIO()
    assert selftest.run_self_test(out) == 1
    by_name = {n: (v, d) for v, n, d in _lines(out.getvalue())[:-1]}
    assert by_name["resources"][0] == "FAIL"
    assert "icons/not-shipped.png" in by_name["resources"][1]
    assert by_name["cards"][0] == "ok"  # the other checks still ran
    assert "FAILED" in out.getvalue().splitlines()[-1]


def test_without_a_qr_decoder_the_card_check_is_skipped_not_failed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When zxing-cpp is not installed the card sheet is still rendered, the decode is 'skip'."""
    monkeypatch.setitem(sys.modules, "zxingcpp", None)  # import raises ImportError
    out = io.StringIO()
    assert selftest.run_self_test(out) == 0
    cards = next(line for line in _lines(out.getvalue()) if line[1] == "cards")
    assert cards[0] == "skip"
    assert "no QR decoder" in cards[2]
