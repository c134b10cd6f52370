"""Inputs and surroundings that once ended in "internal error ... bug": each now gets a message, or works."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import ROOT

from issmanifest.manifest.model import iso, parse_instant

pytestmark = pytest.mark.slow  # left to CI by default: see conftest.py

RANGE = "(from 1957-10-04 to 2999-12-31)"
BUG = "This is a bug in issmanifest; run again with --debug (or ISSMANIFEST_DEBUG=1) for the traceback."


def run_module(
    *args: str,
    env: dict[str, str] | None = None,
    close: Sequence[int] = (),
    stdout: int | None = subprocess.PIPE,
) -> subprocess.CompletedProcess[bytes]:
    """`python -m issmanifest ARGS` in a real process, with the file descriptors in `close` closed."""

    def closing() -> None:
        for fd in close:
            os.close(fd)

    return subprocess.run(
        [sys.executable, "-m", "issmanifest", *args],
        stdin=subprocess.DEVNULL if 0 not in close else None,
        stdout=stdout if 1 not in close else None,
        stderr=subprocess.PIPE,
        env={**os.environ, "ISSMANIFEST_NOW": "2026-11-26T12:00:00Z", "COLUMNS": "100", **(env or {})},
        preexec_fn=closing if close else None,
        cwd=ROOT,
        check=False,
    )


# -- instants out of range -----------------------------------------------------------


def test_iso_writes_instants_past_the_years_a_date_can_hold() -> None:
    assert iso(parse_instant("0001-01-01T00:00:00+01:00").seconds) == "0000-12-31T23:00:00Z"
    assert iso(parse_instant("9999-12-31T23:59:59-01:00").seconds) == "10000-01-01T00:59:59Z"
    assert iso(parse_instant("2022-09-21T13:54:00+03:00").seconds) == "2022-09-21T10:54:00Z"


@pytest.mark.parametrize(
    ("args", "name", "value"),
    [
        (("stats", "--until", "9999-12-31"), "--until", "9999-12-31"),
        (("stats", "--from", "0001-01-01"), "--from", "0001-01-01"),
        (("show", "--at", "9999-12-31T23:59:59-01:00"), "--at", "9999-12-31T23:59:59-01:00"),
        (("show", "--at", "0001-01-01T00:00:00+01:00"), "--at", "0001-01-01T00:00:00+01:00"),
        (("check", "--from", "2020-01-01", "--until", "3000-01-01"), "--until", "3000-01-01"),
        (("margins", "--at", "1957-10-03"), "--at", "1957-10-03"),
        (("ground", "soyuz-ms-22", "9999-01-01"), "WHEN", "9999-01-01"),
    ],
)
def test_an_instant_out_of_range_is_a_usage_error(cli, args: tuple[str, ...], name: str, value: str) -> None:
    run = cli(*args)
    assert run.exit_code == 2, run.stderr
    assert run.stderr == f'issmanifest: Invalid value for {name}: "{value}" is out of range {RANGE}\n'
    assert run.stdout == ""


@pytest.mark.parametrize("command", ["timeline", "show", "check", "margins"])
def test_an_issmanifest_now_far_in_the_future_is_refused(cli, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.setenv("ISSMANIFEST_NOW", "9999-12-31")
    run = cli(command)
    assert run.exit_code == 2, run.stderr
    assert run.stderr == f'issmanifest: Invalid value for ISSMANIFEST_NOW: "9999-12-31" is out of range {RANGE}\n'


def test_an_issmanifest_now_that_is_no_date_is_refused(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISSMANIFEST_NOW", "garbage")
    run = cli("show")
    assert run.exit_code == 2, run.stderr
    assert run.stderr == (
        'issmanifest: Invalid value for ISSMANIFEST_NOW: "garbage" is not a date or date-time'
        " (write 2022-07-28 or 2022-07-28T12:00:00Z)\n"
    )


def test_the_edges_of_the_range_are_accepted(cli) -> None:
    assert cli("show", "--at", "1957-10-04", "--format", "json").exit_code == 0
    assert cli("show", "--at", "2999-12-31T23:59:59Z", "--format", "json").exit_code == 0


# -- slip by a number of days that is no number of days ------------------------------


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("nan", "nan is not a finite number"),
        ("inf", "inf is not a finite number"),
        ("-inf", "-inf is not a finite number"),
        ("1e10", "1e10 is out of range (from -380672 to 380672, the span of a manifest's dates)"),
        ("-1e10", "-1e10 is out of range (from -380672 to 380672, the span of a manifest's dates)"),
        ("380673", "380673 is out of range (from -380672 to 380672, the span of a manifest's dates)"),
    ],
)
def test_slip_needs_a_finite_number_of_days_in_range(cli, days: str, message: str) -> None:
    run = cli("slip", "soyuz-ms-29", "--", days) if days.startswith("-") else cli("slip", "soyuz-ms-29", days)
    assert run.exit_code == 2, run.stderr
    assert run.stderr == f"issmanifest: Invalid value for DAYS: {message}\n"
    assert run.stdout == ""


def test_a_slip_within_range_that_leaves_the_range_says_so(cli) -> None:
    run = cli("slip", "soyuz-ms-29", "380672")
    assert run.exit_code == 2, run.stderr
    assert run.stderr.startswith("issmanifest: soyuz-ms-29 launch +380672 days would make the manifest invalid: ")
    assert "is out of range" in run.stderr and len(run.stderr.splitlines()) == 1


# -- nesting too deep for the TOML reader ---------------------------------------------


def test_dump_lenient_prints_a_manifest_nested_too_deeply_as_it_is(cli) -> None:
    path = ROOT / "tests" / "broken" / "nested-arrays-500-deep.toml"
    run = cli("dump", "--lenient", str(path))
    assert run.exit_code == 0, run.stderr
    note = "# issmanifest: this revision does not load: line 3: TOML syntax: arrays or inline tables nested 500 deep, too deep to read\n"
    assert run.stdout == note + path.read_text(encoding="utf-8")


def test_a_manifest_nested_too_deeply_is_located_when_read_from_standard_input(cli) -> None:
    text = "format = 1\n\nx = [1, [2, " + "[" * 600 + "]" * 600 + "]]\n"
    run = cli("check", "-", input=text)
    assert run.exit_code == 2, run.stderr
    assert run.stderr == "<stdin>:3:5: TOML syntax: arrays or inline tables nested 602 deep, too deep to read\n"


# -- standard streams that cannot be used -----------------------------------------------


def test_a_closed_standard_input_is_one_line() -> None:
    result = run_module("check", "-", close=[0])
    assert result.returncode == 2, result.stderr
    assert result.stderr.decode() == "<stdin>: standard input is closed\n"


@pytest.mark.parametrize("args", [["show"], ["--version"], ["schema"], ["show", "--format", "table"]])
def test_a_closed_standard_output_is_one_line(args: list[str]) -> None:
    result = run_module(*args, close=[1])
    assert result.returncode == 2, result.stderr
    assert result.stderr.decode() == "issmanifest: cannot write to standard output: it is closed\n"


def test_a_command_that_prints_nothing_works_with_standard_output_closed(tmp_path: Path) -> None:
    target = tmp_path / "new.toml"
    result = run_module("new", str(target), close=[1])
    assert result.returncode == 0, result.stderr
    assert target.exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["show"], ["--version"], ["schema"], ["dump"], ["show", "--format", "table"]])
def test_a_full_device_is_one_line(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        result = run_module(*args, stdout=full.fileno())
    assert result.returncode == 2, result.stderr
    assert result.stderr.decode() == "issmanifest: cannot write to standard output: No space left on device\n"


def test_a_reader_that_goes_away_is_still_no_error() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "issmanifest", "dump"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()
        assert process.wait() == 0
        assert process.stderr.read() == b""


# -- output encodings that lack the tool's characters -------------------------------------


def test_check_all_on_an_ascii_stream_escapes_what_ascii_lacks() -> None:
    result = run_module("check", "--all", "--format", "text", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode in (0, 1), result.stderr
    assert result.stderr == b""
    text = result.stdout.decode("ascii")
    assert "Serena Au\\xf1\\xf3n-Chancellor" in text
    assert "Traceback" not in text


def test_json_on_an_ascii_stream_is_the_same_json_in_json_escapes() -> None:
    plain = run_module("show", "--at", "2018-10-01", "--format", "json")
    ascii_ = run_module("show", "--at", "2018-10-01", "--format", "json", env={"PYTHONIOENCODING": "ascii"})
    assert ascii_.returncode == 0, ascii_.stderr
    assert "Serena Au\\u00f1\\u00f3n-Chancellor" in ascii_.stdout.decode("ascii")
    assert json.loads(ascii_.stdout.decode("ascii")) == json.loads(plain.stdout.decode("utf-8"))


def on_a_terminal(*args: str, encoding: str, env: dict[str, str] | None = None) -> tuple[int, bytes, bytes]:
    """Run issmanifest with standard output on a pseudo-terminal whose encoding is `encoding` (or `env`'s locale)."""
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "issmanifest", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env={
            **{key: value for key, value in os.environ.items() if not key.startswith(("LC_", "PYTHONIOENCODING"))},
            **(env or {"PYTHONIOENCODING": encoding}),
            "ISSMANIFEST_NOW": "2026-11-26T12:00:00Z",
            "COLUMNS": "100",
            "TERM": "xterm",
        },
        cwd=ROOT,
    ) as process:
        os.close(follower)
        output = b""
        while True:
            try:
                piece = os.read(leader, 65536)
            except OSError:  # the terminal is gone: the process has ended
                break
            if not piece:
                break
            output += piece
        os.close(leader)
        assert process.stderr is not None
        return process.wait(), output, process.stderr.read()


TERMINAL_COMMANDS: list[tuple[str, ...]] = [
    ("timeline", "--no-color"),
    ("stats", "--no-color"),
    ("dump",),
    ("show", "--at", "2018-10-01", "--no-color"),
    ("check", "--all", "--no-color"),
]


@pytest.mark.parametrize("args", TERMINAL_COMMANDS, ids=lambda args: args[0])
@pytest.mark.parametrize("encoding", ["iso8859-1", "ascii"])
def test_a_terminal_in_a_narrow_encoding_gets_ascii_drawings(args: tuple[str, ...], encoding: str) -> None:
    code, output, errors = on_a_terminal(*args, encoding=encoding)
    assert code in (0, 1), errors
    assert errors == b""
    output.decode(encoding)  # everything written is in the terminal's encoding
    if args[0] == "timeline":
        assert b"#" in output and b"^ now" in output
    if args[0] == "stats":
        assert b"##" in output


@pytest.fixture(scope="module")
def latin1_locale(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a real ISO-8859-1 locale, compiled into a temporary folder."""
    folder = tmp_path_factory.mktemp("locale")
    try:
        made = subprocess.run(
            ["localedef", "-i", "en_US", "-f", "ISO-8859-1", str(folder / "en_US.ISO-8859-1")],
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        pytest.skip("needs localedef")
    if made.returncode != 0 or not (folder / "en_US.ISO-8859-1").exists():
        pytest.skip("cannot compile an ISO-8859-1 locale here")
    return {"LOCPATH": str(folder), "LC_ALL": "en_US.ISO-8859-1"}


@pytest.mark.parametrize("args", TERMINAL_COMMANDS[:3], ids=lambda args: args[0])
def test_a_terminal_in_an_iso_8859_1_locale_gets_ascii_drawings(args: tuple[str, ...], latin1_locale) -> None:
    code, output, errors = on_a_terminal(*args, encoding="", env=latin1_locale)
    assert code == 0, errors
    assert errors == b""
    if args[0] == "dump":
        assert "Léopold Eyharts".encode("iso8859-1") in output  # in the locale's encoding
        assert b"Alper Gezeravc\\u0131" in output  # dotless i is not in ISO-8859-1
    if args[0] == "timeline":
        assert b"#" in output and b"^ now" in output
    if args[0] == "stats":
        assert b"##" in output


def test_a_utf8_terminal_keeps_its_bars() -> None:
    code, output, errors = on_a_terminal(*TERMINAL_COMMANDS[0], encoding="utf-8")
    assert code == 0, errors
    assert "█".encode() in output and "▲ now".encode() in output


# -- internal errors --------------------------------------------------------------------------


def test_an_internal_error_exits_70(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import issmanifest.reports.snapshot

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the core broke")

    monkeypatch.setattr(issmanifest.reports.snapshot, "take_snapshot", broken)
    run = cli("show")
    assert run.exit_code == 70, run.stderr
    assert run.stderr.splitlines() == ["issmanifest: internal error: RuntimeError: the core broke", BUG]


def test_the_exit_codes_are_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "exit code is 70" in readme
    from issmanifest.cli import commands as cli

    assert cli.main_options.__doc__ is not None and "70 an internal error" in cli.main_options.__doc__
