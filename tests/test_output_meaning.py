"""Output says what it means: escaped names, one date rule, true messages, consistent refusals, tidy help."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections import Counter

import pytest
from conftest import BUNDLED, PEOPLE, ROOT, flight, manifest_text
from typer.main import get_command

from issmanifest.cli.commands import app

BASE = manifest_text(
    flight("a", "2022-01-01T00:00:00Z", "2022-06-01T00:00:00Z", ["ru1", "nasa1"], down=["ru1", "nasa1"])
)

# "home" brings Ann and Ivan down; "up" brings them up ten days before "home" leaves; "base" keeps both partners aboard.
RIDE = manifest_text(
    flight("base", "2029-11-01T00:00:00Z", "2030-12-01T00:00:00Z", ["nasa2", "ru2"], down=["nasa2", "ru2"]),
    flight("home", "2029-12-01T00:00:00Z", "2030-01-20T00:00:00Z", [], down=["nasa1", "ru1"]),
    flight("up", "2030-01-10T00:00:00Z", "2030-06-01T00:00:00Z", ["nasa1", "ru1"], down=[]),
)


# -- names -------------------------------------------------------------------------


def test_check_of_several_manifests_escapes_the_file_names_it_heads(cli, tmp_path) -> None:
    hostile = tmp_path / "\x1b]0;PWN\x07.toml"
    hostile.write_text(BASE, encoding="utf-8")
    plain = tmp_path / "plain.toml"
    plain.write_text(BASE, encoding="utf-8")
    run = cli("check", str(hostile), str(plain), "--all", "--format", "text")
    assert run.exit_code == 0, run.stderr
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    assert f"== {tmp_path}/\\x1b]0;PWN\\x07.toml\n" in run.stdout


def test_a_newline_in_a_name_is_shown_escaped_in_a_table(cli, write) -> None:
    people = PEOPLE.replace('"Ann Able"', '"Ann\\nAble"')
    path = write(
        manifest_text(flight("a", "2022-01-01T00:00:00Z", "2022-06-01T00:00:00Z", ["ru1", "nasa1"]), people=people)
    )
    run = cli("show", str(path), "--at", "2022-02-01", "--format", "table")
    assert run.exit_code == 0, run.stderr
    assert "Ann\\nAble" in run.stdout


# -- JSON and CSV ------------------------------------------------------------------------


def test_a_bare_date_of_the_manifest_stays_a_date_in_every_field_that_shows_it(cli) -> None:
    # The bundled record's last event is soyuz-ms-30's docking, written 2027-03-15; crew-14's, next, 2027-01-01.
    shown = cli("show", "--at", "2026-12-01", "--format", "json").json()
    assert shown["continuity"]["until"] == "2027-03-15"
    assert shown["margin"]["scheduled"] == "2027-01-01"
    assert cli("check", "--format", "json").json()["horizon"] == "2027-03-15"
    assert cli("margins", "--format", "json").json()["horizon"] == "2027-03-15"
    # A window is an instant worked out, always a date-time.
    assert cli("check", "--format", "json").json()["until"] == "2027-03-15T00:00:00Z"


def test_year_one_is_written_with_four_digits() -> None:
    # The command line now refuses dates before 1957-10-04; the writer of instants must still write any year in full.
    from datetime import UTC, datetime

    from issmanifest.manifest.model import iso, iso_date

    year_one = int(datetime(1, 1, 1, tzinfo=UTC).timestamp())
    assert iso(year_one) == "0001-01-01T00:00:00Z"
    assert iso_date(year_one) == "0001-01-01"


def test_an_expedition_change_names_the_expedition_and_field_and_is_documented(cli, write) -> None:
    old = BASE + "\n[expeditions]\n1 = 2022-01-01T00:00:00Z\n"
    new = BASE + "\n[expeditions]\n1 = 2022-01-02T00:00:00Z\n"
    run = cli("diff", str(write(old, "old.toml")), str(write(new, "new.toml")), "--format", "table")
    assert run.exit_code == 1, run.stderr
    assert "Expedition 1: start 2022-01-01T00:00:00Z -> 2022-01-02T00:00:00Z" in run.stdout
    assert "| `expedition-changed` |" in (ROOT / "docs" / "json.md").read_text(encoding="utf-8")


def test_timeline_csv_has_the_group_and_unconfirmed_columns(cli) -> None:
    text = cli("timeline", "--from", "2022-12-01", "--until", "2023-03-01", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == "group,person,name,agency,partner,arrived_on,start,returns_on,end,unconfirmed"
    rubio = next(row for row in rows if row["person"] == "rubio")
    assert (rubio["group"], rubio["unconfirmed"]) == ("soyuz-ms-22", "false")


def test_lists_in_csv_cells_are_joined_one_way(cli, write) -> None:
    findings = list(csv.DictReader(io.StringIO(cli("check", "--all", "--format", "csv").stdout)))
    assert any("; " in row["people"] for row in findings)
    assert not any("," in row["people"] for row in findings)
    margins = list(csv.DictReader(io.StringIO(cli("margins", "--at", "2025-11-01", "--format", "csv").stdout)))
    assert margins[0]["people"] == "kud-sverchkov; mikayev; williams-christopher"
    periods = cli("stats", "--from", "2023-01-01", "--until", "2024-01-01", "--format", "csv").stdout
    assert "AE=184.18; DK=126.45" in periods


def test_a_schedule_margin_names_the_whole_crew_by_name(cli, write) -> None:
    run = cli("margins", str(write(RIDE)), "--at", "2030-01-01", "--format", "json")
    assert run.exit_code == 0, run.stderr
    up = next(m for m in run.json()["margins"] if m["flight"] == "up" and m["event"] == "arrival")
    assert up["rule"] == "schedule"
    assert up["days"] == 10.0
    assert up["message"] == "Ann Able and Ivan Ivanov would miss their ride home: home leaves by the time up docks"
    assert up["people"] == ["nasa1", "ru1"]


# -- messages ------------------------------------------------------------------------------


def test_a_lone_cr_is_said_to_be_no_line_ending(cli, write) -> None:
    path = write("format = 1\r[people]\r")
    run = cli("check", str(path))
    assert run.exit_code == 2
    assert run.stderr == f"{path}:1:11: TOML syntax: a lone CR is not a TOML line ending (end lines with LF or CR LF)\n"


def test_the_range_of_dates_is_said_right(cli, write) -> None:
    path = write(manifest_text(flight("a", "3000-01-01", "3000-02-01", ["ru1", "nasa1"], launch="2999-12-31")))
    run = cli("check", str(path))
    assert run.exit_code == 2
    assert "flights[a].dock: 3000-01-01 is out of range (from 1957-10-04 to 2999-12-31)" in run.stderr


def test_slip_of_a_missing_undock_blames_the_field(cli) -> None:
    run = cli("slip", "crew-13", "10", "--field", "undock")
    assert run.exit_code == 2
    assert run.stderr == "issmanifest: Invalid value for --field: crew-13 has no undock to move\n"


def test_check_of_an_empty_name_says_it_is_no_file(cli) -> None:
    run = cli("check", "")
    assert run.exit_code == 2
    assert run.stderr == '"": an empty name is not a file\n'


def test_a_margin_of_a_rule_broken_already_says_so(cli) -> None:
    run = cli("show", "--at", "2022-12-20", "--format", "json")
    margin = run.json()["margin"]
    assert (margin["flight"], margin["rule"], margin["days"], margin["already_broken"]) == (
        "soyuz-ms-23",
        "lifeboat-seats",
        0.0,
        True,
    )
    table = cli("show", "--at", "2022-12-20", "--format", "table").stdout
    assert "lifeboat-seats is broken already then and any delay makes it worse" in " ".join(table.split())
    assert "any delay breaks" not in table


def test_a_margin_before_anyone_is_aboard_says_the_station_is_uncrewed(cli) -> None:
    margin = cli("show", "--at", "2000-01-01", "--format", "json").json()["margin"]
    assert margin["flight"] == "soyuz-tm-31" and margin["already_broken"]
    assert margin["message"] == "no crew aboard until soyuz-tm-31 arrives: the station is uncrewed"
    text = " ".join(cli("show", "--at", "2000-01-01", "--format", "table").stdout.split())
    assert "no NASA crew aboard for 1 min" not in text


# -- consistency ---------------------------------------------------------------------------


def test_a_reversed_window_is_refused_alike_by_check_timeline_and_stats(cli) -> None:
    refusals = [
        cli(command, "--from", "2023-01-01", "--until", "2022-01-01") for command in ("check", "timeline", "stats")
    ]
    assert [run.exit_code for run in refusals] == [2, 2, 2]
    expected = "issmanifest: Invalid value for --from/--until: --from must come before --until\n"
    assert [run.stderr for run in refusals] == [expected] * 3


def test_check_refuses_standard_input_twice_as_diff_does(cli) -> None:
    run = cli("check", "-", "-", input=BASE)
    assert run.exit_code == 2
    assert run.stderr == "issmanifest: Invalid value for MANIFEST: only one MANIFEST can be - (standard input)\n"
    assert run.stdout == ""


def test_a_manifest_with_no_flights_has_nothing_aboard_to_check(cli, write) -> None:
    path = str(write("format = 1\n"))
    run = cli("check", path, "--all", "--format", "text")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[0] == "verdict\tNothing aboard to check: the manifest has no flights"
    shown = cli("show", path, "--format", "json").json()
    assert shown["core_partners"] == {"NASA": False, "Roscosmos": False}
    assert shown["continuity"]["represented_throughout"] is False


# -- help and usage ------------------------------------------------------------------------

COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def _help(*args: str) -> str:
    env = {**os.environ, "COLUMNS": "80", "TERM": "dumb"}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "issmanifest", *args, "--help"], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("name", COMMANDS)
def test_help_at_80_columns_breaks_no_word_nor_choice(name: str) -> None:
    command = get_command(app).commands[name]  # type: ignore[attr-defined]
    shown = _help(name)
    assert max(len(line) for line in shown.splitlines()) <= 80
    # Every word the help is made of, as often as it is used, must be in the output whole.
    words = Counter((command.help or "").split())
    for param in command.params:
        words.update((getattr(param, "help", None) or "").split())
        if getattr(param, "metavar", None) is None:
            words.update(str(choice) for choice in getattr(param.type, "choices", ()))
    for word, count in words.items():
        assert shown.count(word.strip("[]")) >= count, f"{word!r} is broken in the help of {name}"
    for line in (command.help or "").splitlines():
        if line.startswith("Example:"):
            assert line in shown


@pytest.mark.slow
@pytest.mark.parametrize("name", COMMANDS)
def test_usage_placeholders_are_written_one_way(name: str) -> None:
    usage = next(line for line in _help(name).splitlines() if "Usage:" in line).split("[OPTIONS]", 1)[1].split()
    for placeholder in usage:
        bare = placeholder.strip("[]{}.")
        assert bare == bare.upper() and bare.replace("-", "").isalpha(), f"{placeholder} in {name}"


def test_a_usage_error_is_one_line_on_stderr(cli) -> None:
    run = cli("show", "--format", "yaml")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == (
        "issmanifest: Invalid value for '--format' / '-f': 'yaml' is not one of "
        "'table', 'text', 'json', 'csv', 'open-notify' (see issmanifest show --help)\n"
    )
    missing = cli("slip")
    assert (missing.exit_code, missing.stderr) == (
        2,
        "issmanifest: Missing argument 'FLIGHT' (see issmanifest slip --help)\n",
    )


def test_a_usage_error_of_the_real_program_is_one_line(tmp_path) -> None:
    env = {**os.environ, "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "issmanifest", "check", str(BUNDLED), "--frm", "2022"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("issmanifest: No such option: --frm")
