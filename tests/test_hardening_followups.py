"""What an adversarial tester still found after issue 13: empty output names, a forged cache, closed pipes, messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BUNDLED, ROOT, Run

from issmanifest.manifest import cache
from issmanifest.manifest.files import locked, write_output
from issmanifest.manifest.loading import load_manifest
from issmanifest.manifest.problems import ManifestError

pytestmark = pytest.mark.slow  # left to CI by default: see conftest.py

EMPTY = '"": an empty name is not a file\n'

# -- 1. an empty output name is no file, said as reading says it --


@pytest.mark.parametrize(
    "args",
    [
        ("slip", "crew-13", "1", "-o", ""),
        ("slip", "crew-13", "1", "--output", ""),
        ("ground", "crew-13", "2026-12-01", "-o", ""),
        ("timeline", "--svg", ""),
        ("stats", "--html", ""),
        ("new", ""),
    ],
)
def test_an_empty_output_name_is_not_a_file(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli(*args)
    assert run.exit_code == 2
    assert run.stderr == EMPTY
    assert list(tmp_path.iterdir()) == []


def test_an_empty_manifest_name_to_edit_in_place_is_not_a_file(cli: Callable[..., Run]) -> None:
    run = cli("slip", "crew-13", "1", "", "--in-place")
    assert run.exit_code == 2
    assert run.stderr == EMPTY


def test_the_library_refuses_an_empty_name_to_write_or_lock() -> None:
    with pytest.raises(ManifestError) as written:
        write_output("", "x", replace=True)
    assert str(written.value.problems[0].detail) == "an empty name is not a file"
    with pytest.raises(ManifestError) as lock, locked(""):
        pass
    assert str(lock.value.problems[0].detail) == "an empty name is not a file"


# -- 2. a cache entry is rebuilt only from values of the types the model needs --


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ISSMANIFEST_CACHE", raising=False)
    monkeypatch.setenv("ISSMANIFEST_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _forge(path: Path, change: Callable[[list], None]) -> None:
    """Rewrite the cache entry of `path`, as someone who can write the folder could, with a changed model."""
    load_manifest(path)
    key = cache._key(path.read_bytes())
    entry = cache._entry(key)
    assert entry is not None and entry.exists()
    header = cache._header(key)
    content = entry.read_bytes()
    assert content.startswith(header)
    model = json.loads(content[len(header) :])
    change(model)
    entry.write_bytes(header + json.dumps(model).encode())


def _record(tmp_path: Path) -> Path:
    path = tmp_path / "iss.toml"
    path.write_bytes(BUNDLED.read_bytes())
    return path


def _vehicles(model: list) -> dict:
    return model[3]


def _people(model: list) -> dict:
    return model[4]


def _flights(model: list) -> list:
    return model[5]


def _seats_as_text(model: list) -> None:
    for vehicle in _vehicles(model).values():
        vehicle[1] = str(vehicle[1])


def _crew_as_text(model: list) -> None:
    _flights(model)[-1][8] = "delaney"  # a string where the list of who flew up belongs


def _date_as_text(model: list) -> None:
    _flights(model)[0][3] = ["2000-11-02", False]


def _flag_as_number(model: list) -> None:
    _flights(model)[0][12] = 1  # tentative: a bool, not a number


def _unknown_vehicle(model: list) -> None:
    _flights(model)[0][1] = "Nowhere Shuttle"


def _unknown_person(model: list) -> None:
    _flights(model)[0][8] = ["nobody-at-all"]


def _name_as_number(model: list) -> None:
    _people(model)["kutryk"][1] = 7


@pytest.mark.parametrize(
    "change",
    [_seats_as_text, _crew_as_text, _date_as_text, _flag_as_number, _unknown_vehicle, _unknown_person, _name_as_number],
)
def test_an_entry_with_values_the_model_cannot_hold_is_a_miss(
    cli: Callable[..., Run], folder: Path, tmp_path: Path, change: Callable[[list], None]
) -> None:
    path = _record(tmp_path)
    _forge(path, change)
    assert cache.fetch(path.read_bytes()) is None
    for args in (("show", str(path), "--at", "2026-10-04"), ("check", str(path), "--all")):
        run = cli(*args)
        assert run.exit_code in (0, 1), run.stderr
        assert "internal error" not in run.stderr
    assert "Joshua Kutryk" in cli("show", str(path), "--at", "2026-10-04").stdout  # crew-13 docked 2026-10-01 23:05


def test_a_well_formed_entry_is_still_a_hit(folder: Path, tmp_path: Path) -> None:
    path = _record(tmp_path)
    fresh = load_manifest(path)
    _forge(path, lambda model: None)
    assert cache.fetch(path.read_bytes()) == fresh


# -- 3. a relative ISSMANIFEST_CACHE_DIR is no cache, as a relative XDG_CACHE_HOME is ignored --


def test_a_relative_cache_dir_means_no_cache_and_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "repo"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("ISSMANIFEST_CACHE", raising=False)
    monkeypatch.setenv("ISSMANIFEST_CACHE_DIR", "cache")
    assert cache.folder() is None
    load_manifest(_record(tmp_path))
    assert list(work.iterdir()) == []


# -- 4. a reader that goes away: silent, and the exit code the command would have had --


def _issmanifest(*args: str, stdout: int | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "ISSMANIFEST_NOW": "2026-11-26T12:00:00Z", "ISSMANIFEST_CACHE": "off"}
    script = "from issmanifest.cli.commands import main; main()"
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("dump",),
        ("slip", "soyuz-ms-22", "1"),
        ("check", "--all", "--format", "json"),
        ("check", "--all", "--format", "text"),
        ("show",),
        ("timeline", "--format", "csv"),
    ],
)
def test_a_closed_pipe_stops_every_command_the_same_way(args: tuple[str, ...]) -> None:
    read, written = os.pipe()
    os.close(read)  # the reader is gone before the first byte, as with `| true`
    try:
        closed = _issmanifest(*args, stdout=written)
    finally:
        os.close(written)
    read_through = _issmanifest(*args)
    assert read_through.stdout, "the command prints something to lose"
    assert closed.stderr == b""
    assert closed.returncode == read_through.returncode


def test_a_closed_pipe_after_part_of_the_output_is_silent_too() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", "from issmanifest.cli.commands import main; main()", "dump"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "ISSMANIFEST_CACHE": "off"},
        cwd=ROOT,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline()
        process.stdout.close()  # as `| head -1` does
        error = process.stderr.read()
        assert process.wait(timeout=120) == 0
    assert error == b""


# -- 5. the command suggested after `new` can be pasted into a shell --


def test_new_suggests_a_shell_quoted_command(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("new", "my file.toml")
    assert run.exit_code == 0, run.stderr
    assert run.stderr == "wrote my file.toml; check it with: issmanifest check 'my file.toml' --all\n"
    run = cli("new", "--", "-dash.toml")
    assert run.exit_code == 0, run.stderr
    assert run.stderr == "wrote -dash.toml; check it with: issmanifest check ./-dash.toml --all\n"
    assert (tmp_path / "-dash.toml").is_file()


# -- 6. stats of a manifest with no flights blames no option --


def test_stats_of_a_manifest_without_flights_says_so(cli: Callable[..., Run], write: Callable[..., Path]) -> None:
    path = write("format = 1\n", "empty.toml")
    run = cli("stats", str(path))
    assert run.exit_code == 2
    assert run.stderr == f"issmanifest: nothing to count: {path} has no flights\n"


# -- 7. DAYS: one style, the value as typed, and no slip smaller than a minute --


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("0x10", "0x10 is not a number of days"),
        ("ten", "ten is not a number of days"),
        ("nan", "nan is not a finite number"),
        ("3650000", "3650000 is out of range (from -380672 to 380672, the span of a manifest's dates)"),
        ("1e-7", "1e-7 days is less than a minute (a manifest is kept to the minute)"),
        ("-0.0005", "-0.0005 days is less than a minute (a manifest is kept to the minute)"),
    ],
)
def test_days_errors_are_said_one_way_with_the_value_as_typed(cli: Callable[..., Run], days: str, message: str) -> None:
    run = cli("slip", "soyuz-ms-29", days)
    assert run.exit_code == 2
    assert run.stderr == f"issmanifest: Invalid value for DAYS: {message}\n"


def test_a_slip_of_whole_minutes_and_negative_days_still_work(cli: Callable[..., Run]) -> None:
    assert cli("slip", "soyuz-ms-29", "0.0007").exit_code == 0  # about a minute
    assert cli("slip", "soyuz-ms-29", "-2").exit_code == 0


# -- 8. git-diff of an added or deleted manifest says so first --


def _git_args(old: str, new: str) -> list[str]:
    return ["iss.toml", old, "1" * 40 if old != os.devnull else ".", "100644", new, "2" * 40, "100644"]


def test_git_diff_of_an_added_manifest_says_it_was_added(cli: Callable[..., Run]) -> None:
    run = cli("git-diff", *_git_args(os.devnull, str(BUNDLED)))
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[:2] == ["issmanifest diff a/iss.toml b/iss.toml", "issmanifest: iss.toml is a new file"]
    assert "soyuz-tm-31 (Soyuz TM) added" in run.stdout  # and the rest, as before


def test_git_diff_of_a_deleted_manifest_says_it_was_deleted(cli: Callable[..., Run]) -> None:
    run = cli("git-diff", *_git_args(str(BUNDLED), os.devnull))
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[:2] == ["issmanifest diff a/iss.toml b/iss.toml", "issmanifest: iss.toml was deleted"]
    assert "soyuz-tm-31 (Soyuz TM) removed" in run.stdout


def test_git_diff_of_a_changed_manifest_has_no_such_line(cli: Callable[..., Run]) -> None:
    run = cli("git-diff", *_git_args(str(BUNDLED), str(BUNDLED)))
    assert "new file" not in run.stdout and "deleted" not in run.stdout


# -- 9. a device is written as a stream, so `new` needs no --force there --


def test_new_writes_to_a_device_without_force_and_the_readme_says_why(cli: Callable[..., Run]) -> None:
    run = cli("new", os.devnull)
    assert run.exit_code == 0, run.stderr
    assert run.stderr.startswith(f"wrote {os.devnull};")
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "so `new` needs no `--force` there" in readme
