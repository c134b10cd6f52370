"""`issmanifest --help` is drawn without Typer building the commands and without Rich, byte for byte as Typer
prints it (docs/performance.md, start-up)."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest
import typer.rich_utils
from conftest import IMPORTS_PROBE, imported_modules

from issmanifest.cli.commands import app, top_commands, top_help

WIDTHS = (60, 80, 100, 120, 200)


def typer_prints(monkeypatch: pytest.MonkeyPatch, *, width: int, colour: bool) -> str:
    """Typer's own top-level help at that width, coloured as on a terminal or plain as into a pipe."""
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in ("NO_COLOR", "FORCE_COLOR", "COLORTERM", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(typer.rich_utils, "FORCE_TERMINAL", True if colour else None)
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    with pytest.raises(SystemExit) as stopped:
        app(["--help"], prog_name="issmanifest")
    assert stopped.value.code in (0, None)
    return out.getvalue()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("colour", [True, False])
def test_the_help_is_drawn_as_typer_prints_it(monkeypatch: pytest.MonkeyPatch, width: int, colour: bool) -> None:
    expected = typer_prints(monkeypatch, width=width, colour=colour)
    assert ("\x1b[1;36m" in expected) is colour  # the comparison is of the coloured help, and of the plain
    assert top_help(width=width, colour=colour) == expected


def test_every_command_is_listed_with_the_first_line_of_its_help() -> None:
    drawn = top_help(width=200, colour=False)
    listed = top_commands()
    assert len(listed) == len([command for command in app.registered_commands if not command.hidden]) > 10
    for name, text in listed:
        first = text.split("\n\n")[0].splitlines()[0].strip()
        assert f"│ {name.ljust(10)}  {first}" in drawn, name
    assert [name for name, _ in listed][:3] == ["show", "check", "diff"]


def on_terminal(argv: list[str], env: dict[str, str], columns: int = 100) -> tuple[bytes, str]:
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    err = subprocess.PIPE
    child = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=follower, stderr=err)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    _, stderr = child.communicate()
    os.close(leader)
    return b"".join(chunks), stderr.decode()


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_the_help_on_a_terminal_loads_neither_rich_nor_typers_help(flag: str) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")}
    env |= {"TERM": "xterm-256color", "PYTHONIOENCODING": "utf-8"}
    out, err = on_terminal([sys.executable, "-c", IMPORTS_PROBE, flag], env, columns=90)
    assert not imported_modules(err) & {"rich.console", "typer.rich_utils"}
    assert out.replace(b"\r\n", b"\n").decode() == top_help(width=90, colour=True)


def test_under_a_setting_only_typer_knows_typer_prints_the_help() -> None:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "90", "TERM": "xterm-256color", "PYTHONIOENCODING": "utf-8"}
    out, err = on_terminal([sys.executable, "-c", IMPORTS_PROBE, "--help"], env, columns=90)
    assert {"rich.console", "typer.rich_utils"} <= imported_modules(err)
    assert b"Commands" in out
