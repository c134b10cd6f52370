"""Bad input never crashes issmanifest, never fools the terminal, and never loses a file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import flight, manifest_text

from issmanifest.manifest import files, loading
from issmanifest.manifest.problems import ManifestError

GOOD = manifest_text(flight("a", "2022-01-01T00:00:00Z", "2022-06-01T00:00:00Z", ["ru1", "nasa1"]))


# -- files ------------------------------------------------------------------


def test_missing_file(cli, tmp_path: Path) -> None:
    run = cli("check", str(tmp_path / "nope.toml"))
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", f"{tmp_path / 'nope.toml'}: no such file\n")


def test_a_directory(cli, tmp_path: Path) -> None:
    run = cli("show", str(tmp_path))
    assert (run.exit_code, run.stderr) == (2, f"{tmp_path}: is a directory, not a manifest file\n")


def test_an_unreadable_file(cli, write, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(GOOD)
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: make the open fail as it would for anyone else
        real_open = Path.open

        def refuse(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            if self == path:
                raise PermissionError(13, "Permission denied")
            return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Path, "open", refuse)
    run = cli("check", str(path))
    assert (run.exit_code, run.stderr) == (2, f"{path}: permission denied\n")


def test_an_empty_file(cli, write) -> None:
    path = write("")
    run = cli("check", str(path))
    assert (run.exit_code, run.stderr) == (2, f"{path}: empty file (a manifest starts with: format = 1)\n")
    assert (
        cli("check", str(write("\n  \n", "blank.toml"))).stderr
        == f"{path.parent / 'blank.toml'}: empty file (a manifest starts with: format = 1)\n"
    )


def test_not_utf8(cli, tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'format = 1\n[people]\nx = { name = "Jos\xe9", agency = "NASA", nationality = "US" }\n')
    run = cli("check", str(path))
    assert (run.exit_code, run.stderr) == (2, f"{path}:3: not UTF-8 text (byte 0xe9) (save the file as UTF-8)\n")


def test_a_utf8_byte_order_mark_and_crlf_line_ends_are_read(cli, tmp_path: Path) -> None:
    path = tmp_path / "windows.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    assert cli("check", str(path), "--all", "--format", "json").json()["ok"] is True
    broken = tmp_path / "broken.toml"
    text = GOOD.replace('"ru1", "nasa1"', '"ru1", "nsaa1"')
    line = text.splitlines().index('up = ["ru1", "nsaa1"]') + 1
    broken.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    run = cli("check", str(broken))
    assert run.stderr == f'{broken}:{line}: flights[a].up: unknown person "nsaa1" (did you mean "nasa1"?)\n'


def test_a_very_large_file(cli, write, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "MAX_BYTES", 1024 * 1024)
    path = write("# padding\n" * 120_000)
    run = cli("check", str(path))
    assert (run.exit_code, run.stderr) == (2, f"{path}: too large to be a manifest (over 1 MiB)\n")


def test_standard_input(cli) -> None:
    assert cli("check", "-", "--all", input=GOOD).exit_code == 0
    run = cli("check", "-", input="format = 1\n[station]\nname = 3\n")
    assert (run.exit_code, run.stderr) == (2, "<stdin>:3: station.name: expected a string, found an integer 3\n")
    assert cli("check", "-", input="").stderr == "<stdin>: empty file (a manifest starts with: format = 1)\n"


def test_problems_past_twenty_are_counted(cli, write) -> None:
    people = "".join(f'p{i} = {{ name = "P", agency = "XX", nationality = "US" }}\n' for i in range(25))
    run = cli("check", str(write(f"format = 1\n[people]\n{people}")))
    lines = run.stderr.splitlines()
    assert run.exit_code == 2 and len(lines) == 21
    assert lines[0].endswith(':3: people.p0.agency: unknown agency "XX" (declare it under [agencies])')
    assert lines[-1] == "... and 5 more"


# -- internal errors ----------------------------------------------------------


def test_an_internal_error_is_one_line_that_says_it_is_a_bug(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import issmanifest.reports.snapshot

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(issmanifest.reports.snapshot, "take_snapshot", broken)
    run = cli("show")
    assert run.exit_code == 70
    assert run.stderr.splitlines() == [
        "issmanifest: internal error: ZeroDivisionError: division by zero",
        "This is a bug in issmanifest; run again with --debug (or ISSMANIFEST_DEBUG=1) for the traceback.",
    ]
    assert "Traceback" not in run.stderr


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    code = (
        "import issmanifest.reports.snapshot as s\n"
        "def broken(*a, **k): raise ZeroDivisionError('boom')\n"
        "s.take_snapshot = broken\n"
        "from issmanifest.cli import main\n"
        "main()\n"
    )
    for args, env in ((["--debug", "show"], {}), (["show"], {"ISSMANIFEST_DEBUG": "1"})):
        result = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, env={**os.environ, **env}, check=False
        )
        assert result.returncode != 0
        assert "Traceback (most recent call last)" in result.stderr and "ZeroDivisionError: boom" in result.stderr


# -- the terminal is not the manifest's ---------------------------------------------

HOSTILE_NAME = "[bold red]Evil[/] [link=https://example.invalid]x[/link] \x1b[31mred\x1b[0m \x07bell\rcr\x08 \u202egnp.exe \x9b2J \u2028ls\u2029"
HOSTILE = manifest_text(
    flight(
        "a", "2022-01-01T00:00:00Z", "2022-06-01T00:00:00Z", ["ru1", "nasa1", "evil"], port="Port [red]\x1b]8;;x\x07"
    ),
    people='[people]\nru1 = { name = "R", agency = "Roscosmos", nationality = "RU" }\n'
    'nasa1 = { name = "N", agency = "NASA", nationality = "US" }\n'
    f'evil = {{ name = {json.dumps(HOSTILE_NAME)}, agency = "NASA", nationality = "US" }}\n',
)
UNSAFE = ("\x1b", "\x07", "\r", "\x08", "\u202e", "\x9b", "\u2028", "\u2029")  # the last two break lines


@pytest.mark.parametrize("format", ["table", "text", "csv"])
def test_markup_and_escape_sequences_are_printed_harmlessly(cli, write, format: str) -> None:
    path = write(HOSTILE)
    run = cli("show", str(path), "--at", "2022-02-01", "--format", format)
    assert run.exit_code == 0, run.stderr
    for char in UNSAFE:
        assert char not in run.stdout
    assert "[bold red]Evil[/]" in run.stdout and "[link=https://example.invalid]x[/link]" in run.stdout
    assert "\\x1b[31mred\\x1b[0m" in run.stdout and "\\u202egnp.exe" in run.stdout and "\\x9b2J" in run.stdout
    assert "\\u2028ls\\u2029" in run.stdout


def test_json_stays_valid_and_escapes_what_could_drive_a_terminal(cli, write) -> None:
    path = write(HOSTILE)
    run = cli("show", str(path), "--at", "2022-02-01", "--format", "json")
    for char in UNSAFE:
        assert char not in run.stdout
    names = [member["name"] for member in json.loads(run.stdout)["aboard"]]
    assert HOSTILE_NAME in names


def test_hostile_text_in_error_messages_is_escaped(cli, write) -> None:
    path = write(GOOD.replace('up = ["ru1", "nasa1"]', 'up = ["ru1", "\\u001b[2Jx"]'))
    run = cli("check", str(path))
    assert run.exit_code == 2
    assert "\x1b" not in run.stderr and '"\\x1b[2Jx"' in run.stderr


# -- writes --------------------------------------------------------------------


def test_atomic_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.toml"
    files.write_atomic(target, "one\n")
    assert target.read_text() == "one\n"
    with pytest.raises(ManifestError) as raised:
        files.write_atomic(target, "two\n")
    assert str(raised.value) == f"{target}: already exists (use --force to replace it)"
    files.write_atomic(target, "two\n", overwrite=True)
    assert target.read_text() == "two\n"
    assert [path.name for path in tmp_path.iterdir()] == ["out.toml"]


def test_a_file_with_no_room_for_a_temporary_beside_it_says_so(cli) -> None:
    """/proc/version is a regular file, but nothing can be made in /proc: the message names the temporary file,
    not a missing file (it exists)."""
    if not Path("/proc/version").is_file():
        pytest.skip("no /proc/version here")
    run = cli("slip", "soyuz-ms-29", "14", str(loading.bundled_manifest()), "-o", "/proc/version")
    assert run.exit_code == 2
    assert run.stderr == (
        "/proc/version: cannot write: no temporary file can be made beside it (No such file or directory)\n"
    )


def test_a_failure_mid_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.toml"
    target.write_text("old\n")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ManifestError) as raised:
        files.write_atomic(target, "new\n" * 1000, overwrite=True)
    assert str(raised.value) == f"{target}: cannot write: No space left on device"
    assert target.read_text() == "old\n"
    assert [path.name for path in tmp_path.iterdir()] == ["out.toml"]


def test_an_interrupt_mid_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.toml"
    target.write_text("old\n")

    def interrupted(source: object, destination: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(target, "new\n", overwrite=True)
    assert target.read_text() == "old\n"
    assert [path.name for path in tmp_path.iterdir()] == ["out.toml"]
