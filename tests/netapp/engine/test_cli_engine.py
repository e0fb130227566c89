"""The engine's commands: status, agenda and library, their JSON shapes and their failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netapp.cli import main


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _seed(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    run(capsys, db, "person", "add", "Ann Lee", "--tag", "legal")
    run(capsys, db, "meeting", "add", "Breakfast", "--date", "2026-01-01", "--attendee", "Ann Lee")
    run(capsys, db, "meeting", "add", "Breakfast", "--date", "2026-01-08", "--attendee", "Ann Lee")


def test_status_json_shape_and_values(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    """`status PERSON --on D --json` prints the documented keys with the computed values; the
    keys added later (today's stage, the stage's history; the asks in words) come after the
    original ones, and the next step keeps its ids with its words beside them."""
    _seed(capsys, db_path)
    code, out, err = run(capsys, db_path, "status", "Ann Lee", "--on", "2026-01-10", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == [
        "person_id", "stage", "trust", "flags", "repeat_contacts", "repeat_contacts_6m",
        "last_touch", "given", "asked", "value_12m", "forecast_12m", "allowed_asks",
        "blocked_asks", "next_step", "current_stage", "stage_history", "quiet_since",
        "allowed_ask_words",
    ]  # fmt: skip
    assert set(data["next_step"]) == {"kind", "ask", "due", "reason", "words"}
    assert (data["stage"], data["repeat_contacts"], data["last_touch"]) == (
        "visibility",
        2,
        "2026-01-08",
    )
    assert data["next_step"]["kind"] == "give-value"
    assert {"ask", "reason"} == set(data["blocked_asks"][0])
    code, out, _ = run(capsys, db_path, "status", "1", "--on", "2026-01-10")
    assert code == 0 and "stage: visibility" in out and "evidence:" in out


def test_agenda_json_lists_due_steps(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    """`agenda --on D --days N --json` lists steps with the documented keys (the ids, and
    the step in the words Today uses)."""
    _seed(capsys, db_path)
    code, out, err = run(capsys, db_path, "agenda", "--on", "2026-02-01", "--days", "7", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["display_name"] for r in rows] == ["Ann Lee"]
    assert set(rows[0]) == {
        "person_id", "display_name", "kind", "ask", "due", "overdue", "reason", "words",
    }  # fmt: skip
    assert (rows[0]["kind"], rows[0]["words"]) == ("give-value", "Give: an introduction")
    assert rows[0]["due"] == "2026-01-29" and rows[0]["overdue"] is True
    code, out, _ = run(capsys, db_path, "agenda", "--on", "2025-12-01", "--json")
    assert json.loads(out) == []


def test_library_add_list_and_log_item(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    """`library add` prints an id; `log --item` links it; `library list --json` counts it."""
    _seed(capsys, db_path)
    code, out, err = run(
        capsys, db_path, "library", "add", "GDPR guide", "--kind", "ebook", "--tag", "Legal",
        "--url", "https://example.com/gdpr",
    )  # fmt: skip
    assert code == 0, err
    item = int(out)
    code, _, err = run(
        capsys,
        db_path,
        "log",
        "Ann Lee",
        "value-given",
        "--item",
        str(item),
        "--date",
        "2026-01-09",
    )
    assert code == 0, err
    code, out, _ = run(capsys, db_path, "library", "list", "--json")
    (row,) = json.loads(out)
    assert (row["id"], row["kind"], row["tags"], row["given"]) == (item, "ebook", ["legal"], 1)


def test_engine_commands_fail_with_one_clear_line(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    """Bad dates, unknown people, bad horizons and empty titles give one error line, exit 1."""
    _seed(capsys, db_path)
    for args, needle in (
        (("status", "Ann Lee", "--on", "2026-13-01"), "on:"),
        (("status", "Nobody"), "no person named"),
        (("agenda", "--days", "-3"), "days"),
        (("library", "add", "   ", "--kind", "video"), "title"),
    ):
        code, out, err = run(capsys, db_path, *args)
        assert code == 1 and out == ""
        assert err.startswith("netapp: error:") and needle in err and err.count("\n") == 1
