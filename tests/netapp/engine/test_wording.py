"""The new reasons in plain words where people read them: `netapp status` and the follow-up
sheet (issue 23: "quiet since 14 Mar: reconnect first")."""

from __future__ import annotations

from pathlib import Path

import pytest

from netapp.cli import main
from netapp.printing import sheets
from netapp.store import Store
from tests.netapp.engine.helpers import Builder, d


def quiet(b: Builder) -> int:
    """Credibility by mid-March (two meetings, a one-to-one), then nothing."""
    pid = b.person("Quinn Quiet")
    b.meet(pid, "2026-03-05")
    b.meet(pid, "2026-03-12")
    b.log(pid, "2026-03-14", "one-to-one")
    return pid


def test_followup_sheet_says_quiet_since_and_reconnect_first(b: Builder) -> None:
    """The follow-up sheet's stage line and ask line say the relationship went quiet, since
    when, and that the next thing is to reconnect, not an ask."""
    pid = quiet(b)
    sheet = sheets.followup_sheet(b.store, d("2026-11-23"), on=d("2026-11-23"), days=7)
    (entry,) = [e for e in sheet.entries if e.person_id == pid]
    lines = dict(entry.lines)
    assert lines["Stage"].startswith("was at credibility; quiet since 14 Mar 2026: reconnect first")
    assert (
        lines["Ask now"]
        == "none yet — was at credibility; quiet since 14 Mar 2026: reconnect first"
    )
    assert lines["Give next"].startswith("reconnect first: ")


def test_followup_sheet_says_when_a_relationship_is_back_at_a_lower_stage(b: Builder) -> None:
    """Back in touch after the silence, the sheet says the stage holds again only in part."""
    pid = quiet(b)
    b.log(pid, "2026-11-20", "call")
    sheet = sheets.followup_sheet(b.store, d("2026-11-23"), meeting=1)
    (entry,) = sheet.entries
    assert dict(entry.lines)["Stage"].startswith("visibility again (was at credibility)")


def test_cli_status_text_shows_today_and_the_stage_history(
    capsys: pytest.CaptureFixture[str], store: Store, db_path: Path
) -> None:
    """`netapp status` prints the stage as it stands today and when each stage was reached."""
    quiet(Builder(store))
    store.close()
    assert main(["--db", str(db_path), "status", "Quinn Quiet", "--on", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert "  today: visibility: quiet since 14 Mar 2026: no two-way contact for 254 days" in out
    assert (
        "  stage history: met 5 Mar 2026 · visibility 12 Mar 2026 · credibility 14 Mar 2026" in out
    )
    assert "reconnect first" in out
