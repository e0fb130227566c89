"""Issue 15 (10, 11): no traceback, ever, from the command line. A seeded fuzz test over every
command's arguments (bounded by example count) plus the named edge cases: bad and extreme
dates, ids beyond 64 bits, demo twice, a dangling symlink or folder as --db, endless input."""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from netapp.cli import build_parser, main
from netapp.store import Store

ROOT = Path(__file__).resolve().parents[3]
# Commands that reach a network server are left out: they are fuzzed against the real test
# servers in tests/netapp/sync.
NETWORK = {("sync", "carddav"), ("sync", "carddav", "add")}

HOSTILE = [
    "",
    " ",
    "-1",
    "0",
    "1",
    "2",
    "18446744073709551617",
    "-9223372036854775809",
    "99999999999999999999999999999",
    "1e400",
    "nan",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-13-45",
    "10000-01-01",
    "0000-00-00",
    "2026-01-05",
    "yesterday",
    "Ann Lee",
    "a" * 5000,
    "\u202e\u0000\ud7ff",
    "👩‍👩‍👧‍👦",
    "x=y",
    "=",
    "a4",
    "optin",
    "weekly",
    "monday",
    "12x12",
    "0x0",
    "99999x99999",
]


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[Any]:
    """Every runnable command: (words, its parser)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [(path, parser)]
    out = []
    for name, child in subs[0].choices.items():
        out += _leaves(child, (*path, name))
    return out


COMMANDS = [(words, p) for words, p in _leaves(build_parser()) if words and words not in NETWORK]


@st.composite
def command_lines(draw: st.DrawFn, files: list[str]) -> list[str]:
    words, parser = draw(st.sampled_from(COMMANDS))
    values = st.sampled_from(HOSTILE + files)
    argv = list(words)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        required = action.required or not action.option_strings
        if not required and not draw(st.booleans()):
            continue
        if action.choices and draw(st.booleans()):
            value = str(draw(st.sampled_from(list(action.choices))))
        else:
            value = draw(values)
        if not action.option_strings:
            n = 1 if action.nargs in (None, "?") else draw(st.integers(1, 2))
            argv += [value] + [draw(values) for _ in range(n - 1)]
        elif action.nargs == 0:
            argv.append(action.option_strings[0])
        else:
            argv += [action.option_strings[0], value]
    return argv


@pytest.fixture(scope="module")
def fuzz_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("fuzz")
    db = home / "netapp.db"
    from netapp.demo import generate

    with Store(db) as s:
        generate(s, people=20, seed=3, today="2026-01-05")
    (home / "contacts.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Val\r\nEND:VCARD\r\n")
    (home / "folder").mkdir()
    (home / "dangling").symlink_to(home / "nowhere")
    return home


@seed(15)
@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_no_command_line_ends_in_a_traceback(
    fuzz_home: Path, data: st.DataObject, capsys: pytest.CaptureFixture[str]
) -> None:
    """400 generated command lines over every command (hostile values, existing files, the
    database itself, folders, dangling links): each exits 0, 1 or 2 with at most one error
    line, never an exception or an 'unexpected problem'."""
    db = fuzz_home / "netapp.db"
    files = [
        str(db),
        str(fuzz_home / "contacts.vcf"),
        str(fuzz_home / "folder"),
        str(fuzz_home / "dangling"),
        str(fuzz_home / "out.csv"),
        "/dev/null",
    ]
    argv = data.draw(command_lines(files))
    here = Path.cwd()
    os.chdir(fuzz_home / "folder")  # relative file names land in the test's folder
    try:
        code = main(["--db", str(db), *argv])
    except SystemExit as exc:  # argparse's own usage errors: exit 2 with a usage line
        code = int(exc.code or 0)
    finally:
        os.chdir(here)
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, err)
    assert "Traceback" not in err and "unexpected problem" not in err, (argv, err)
    if code == 1:
        assert err.count("netapp: error:") <= 1, (argv, err)
    if db.exists():
        assert db.read_bytes()[:16] == b"SQLite format 3\x00", argv


EDGES = [
    ["export", "--format", "ics", "--today", "2026-13-45", "-o", "{tmp}/x.ics"],
    ["export", "--format", "ics", "--today", "9999-12-31", "-o", "{tmp}/x.ics"],
    ["export", "--format", "ics", "--today", "0001-01-01", "-o", "{tmp}/x.ics"],
    ["log", "1", "call", "--date", "0001-01-01"],
    ["log", "1", "call", "--date", "9999-12-31"],
    ["agenda", "--on", "9999-12-31"],
    ["agenda", "--on", "0001-01-01"],
    ["agenda", "--on", "0001-01-01", "--days", "99999999999999999999"],
    ["status", "1", "--on", "9999-12-31"],
    ["person", "show", "18446744073709551617"],
    ["status", "99999999999999999999999"],
    ["group", "set", "18446744073709551617", "--venue", "x"],
    ["import", "--undo", "18446744073709551617"],
    ["cards", "--meeting", "18446744073709551617", "-o", "{tmp}/c.pdf"],
    ["sheet", "briefing", "--meeting", "99999999999999999999", "-o", "{tmp}/c.pdf"],
    ["demo", "--people", "3", "--seed", "5", "--today", "2026-01-05"],
    ["demo", "--people", "3", "--seed", "5", "--today", "2026-01-05"],
    ["demo", "--today", "9999-12-31", "--people", "2"],
    ["meeting", "add", "M", "--date", "9999-12-31"],
]


@pytest.mark.parametrize("argv", EDGES, ids=lambda a: " ".join(a[:4]))
def test_named_edge_cases_are_one_line(
    argv: list[str], db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each edge case of the issue either works or says what is wrong in one line."""
    assert main(["--db", str(db_path), "person", "add", "Ann Lee"]) == 0
    capsys.readouterr()
    for _ in range(2 if argv[0] == "demo" else 1):
        try:
            code = main(["--db", str(db_path), *[a.format(tmp=tmp_path) for a in argv]])
        except SystemExit as exc:  # a usage error: exit 2, one line
            code = int(exc.code or 0)
        err = capsys.readouterr().err
        assert code in (0, 1, 2), err
        assert "Traceback" not in err and "unexpected problem" not in err, err
        assert err.count("\n") <= 1, err


@pytest.mark.parametrize("kind", ["dangling", "folder", "missing-parent"])
def test_a_bad_db_path_is_one_line(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dangling symlink, a folder or a path in a missing folder as --db: one line naming it."""
    if kind == "dangling":
        db = tmp_path / "link.db"
        db.symlink_to(tmp_path / "gone" / "netapp.db")
    elif kind == "folder":
        db = tmp_path / "adir"
        db.mkdir()
    else:
        db = tmp_path / "file.txt" / "netapp.db"
        (tmp_path / "file.txt").write_text("x")
    code = main(["--db", str(db), "person", "list"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("netapp: error:") and err.count("\n") == 1, err
    assert str(db) in err or db.name in err


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("source", ["/dev/zero", "long-line"])
def test_endless_input_stops_with_a_clear_error(source: str, db_path: Path, tmp_path: Path) -> None:
    """import of /dev/zero (or a file with no line break) stops with one line, well inside a
    1 GB address-space limit, instead of growing memory without bound."""
    if source == "long-line":
        path = tmp_path / "one-line.csv"
        with path.open("wb") as fh:
            for _ in range(17):
                fh.write(b"a" * (1 << 20))
        source = str(path)
    Store(db_path).close()
    proc = subprocess.run(
        [sys.executable, "-m", "netapp", "--db", str(db_path), "import", source],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limited,
    )
    said = (proc.stdout + proc.stderr).strip()
    assert proc.returncode == 1, said[-2000:]
    assert "\n" not in said and "line 1 is longer" in said, said[-2000:]


def test_an_unexpected_error_is_one_line_and_logged(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug (any exception that is not a NetappError) still gives one line, which names the
    log file holding the traceback."""
    import netapp.cli.core as core

    def broken(args: argparse.Namespace) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(core, "cmd_person_list", broken)
    code = main(["--db", str(db_path), "person", "list"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "unexpected problem" in err, err
    from netapp.safety.logging import log_path, teardown_logging

    teardown_logging()
    assert "RuntimeError: a bug" in log_path().read_text()
