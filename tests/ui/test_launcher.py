"""The `netapp` command (ui.launcher): the core command line with the desktop app plugged in."""

from __future__ import annotations

from pathlib import Path

import pytest

from netapp import selftest
from netapp.cli import main as core_main
from netapp.store import Store
from ui import launcher


def test_self_test_adds_the_window_check_to_the_core_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`netapp --self-test` runs every core check, then opens and closes the main window."""
    assert launcher.main(["--self-test"]) == 0
    lines = [line.split(None, 2) for line in capsys.readouterr().out.splitlines()]
    names = [name for _, name, _ in lines[:-1]]
    assert names == [name for name, _ in selftest.CHECKS] + ["window"]
    assert all(verdict == "ok" for verdict, name, _ in lines[:-1] if name != "cards")
    window = next(line for line in lines if line[1] == "window")
    assert "opened and closed the main window" in window[2]


def test_no_command_starts_the_app_on_the_chosen_database(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`netapp` with no command starts the desktop app on --db (the app's loop is the edge)."""
    import ui.app

    started: list[Path] = []
    monkeypatch.setattr(ui.app, "run_app", lambda path, argv: started.append(path) or 0)
    assert launcher.main(["--db", str(db_path)]) == 0
    assert launcher.main(["--db", str(db_path), "gui"]) == 0
    assert started == [db_path, db_path]


def test_gui_screenshot_renders_a_page(db_path: Path, tmp_path: Path) -> None:
    """`netapp gui --screenshot` writes a PNG of the chosen page."""
    Store(db_path).close()
    out = tmp_path / "people.png"
    code = launcher.main(
        ["--db", str(db_path), "gui", "--screenshot", str(out), "--view", "people"]
    )
    assert code == 0 and out.read_bytes().startswith(b"\x89PNG")


def test_the_core_command_line_alone_says_where_the_app_is(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the desktop app plugged in, `gui` and no command fail with a clear message."""
    for argv in ([], ["gui"]):
        assert core_main(["--db", str(db_path), *argv]) != 0
        assert "start it with the `netapp` command" in capsys.readouterr().err


def test_gui_screenshot_is_private_and_never_replaces_the_database(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The screenshot goes through the safe writer: a PNG readable only by the user, and
    `--screenshot <the database>` is refused with one line, the database unchanged."""
    import stat

    Store(db_path).close()
    before = db_path.read_bytes()
    assert launcher.main(["--db", str(db_path), "gui", "--screenshot", str(db_path)]) == 1
    assert "output:" in capsys.readouterr().err
    assert db_path.read_bytes() == before
    out = tmp_path / "today.png"
    assert launcher.main(["--db", str(db_path), "gui", "--screenshot", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
