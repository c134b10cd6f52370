"""`issmanifest record`: write down what happened, changing only the lines that say it."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from issmanifest.manifest.loading import load_manifest

pytestmark = pytest.mark.slow  # left to CI by default: see conftest.py

# The bundled record as it stood before the 2026 update (docs/history.md): what these tests
# write down (Crew-12's return, Crew-13's flight, MS-29's port) is still open in it.
BUNDLED = ROOT / "tests" / "records" / "iss-before-2026-update.toml"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the record before the 2026 update to edit."""
    path = tmp_path / "iss.toml"
    path.write_bytes(BUNDLED.read_bytes())
    return path


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed and the lines added, as difflib finds them."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return [line[2:] for line in diff if line[:2] == "- "], [line[2:] for line in diff if line[:2] == "+ "]


def test_a_record_in_place_changes_only_its_lines_byte_for_byte(cli, copy: Path) -> None:
    before = copy.read_text(encoding="utf-8")
    run = cli(
        "record",
        "soyuz-ms-28",
        str(copy),
        "--undock",
        "2026-07-26T07:05:00Z",
        "--landing",
        "2026-07-26T10:30:00Z",
        "--confirmed",
        "--source",
        "NASA ISS blog, 2026-07-26",
        "--in-place",
    )
    assert run.exit_code == 0, run.stderr
    assert run.stdout == ""
    after = copy.read_text(encoding="utf-8")
    assert changed_lines(before, after) == (
        [
            "undock = 2026-07-26T07:02:00Z   # from one public dataset only, not yet confirmed by a news page",
            "landing = 2026-07-26T10:27:00Z  # from one public dataset only, not yet confirmed by a news page",
            'uncertain = ["undock", "landing"]',
        ],
        [
            "undock = 2026-07-26T07:05:00Z   # NASA ISS blog, 2026-07-26",
            "landing = 2026-07-26T10:30:00Z  # NASA ISS blog, 2026-07-26",
        ],
    )
    # Every other byte as it was: the line ends too.
    assert len(after.splitlines(keepends=True)) == len(before.splitlines(keepends=True)) - 1
    flight = load_manifest(copy).flight("soyuz-ms-28")
    assert flight.uncertain == () and not flight.tentative
    assert flight.undock is not None and flight.undock.iso() == "2026-07-26T07:05:00Z"
    assert run.stderr.endswith(f"wrote {copy}\n")


def test_the_stderr_summary_is_the_diff_of_the_manifests(cli, copy: Path) -> None:
    run = cli(
        "record", "soyuz-ms-28", str(copy), "--undock", "2026-07-25T07:02:00Z", "-o", str(copy.with_suffix(".new"))
    )
    assert run.exit_code == 0, run.stderr
    assert run.stderr.splitlines() == [
        # MS-28's undocking begins Expedition 75 in the record.
        "expedition-changed\t-\t75\tstart\t2026-07-26T07:02:00Z\t2026-07-25T07:02:00Z\t-",
        "flight-changed\tsoyuz-ms-28\t-\tundock\t2026-07-26T07:02:00Z\t2026-07-25T07:02:00Z\t-1",
        f"wrote {copy.with_suffix('.new')}",
    ]
    # Without --confirmed the value keeps the flight's state: still uncertain.
    assert load_manifest(copy.with_suffix(".new")).flight("soyuz-ms-28").uncertain == ("landing", "undock")


def test_without_output_the_record_goes_to_stdout(cli, copy: Path) -> None:
    before = copy.read_text(encoding="utf-8")
    run = cli("record", "soyuz-ms-29", str(copy), "--port", "Prichal")
    assert run.exit_code == 0, run.stderr
    assert copy.read_text(encoding="utf-8") == before
    assert changed_lines(before, run.stdout) == (
        ["# port left out: unknown (Rassvet was occupied by MS-28, so probably Prichal, unconfirmed)"],
        ['port = "Prichal"'],
    )
    assert run.stderr == "flight-changed\tsoyuz-ms-29\t-\tport\t-\tPrichal\t-\n"


def test_every_option_of_a_flight(cli, copy: Path) -> None:
    run = cli(
        "record",
        "crew-12",
        str(copy),
        "--launch",
        "2026-02-13T10:15:00Z",
        "--dock",
        "2026-02-14T20:15:00Z",
        "--port",
        "Harmony forward",
        "--undock",
        "2026-10-07",
        "--landing",
        "2026-10-08T08:00:00+02:00",
        "--up",
        "meir, hathaway,adenot,fedyaev",
        "--down",
        "meir,hathaway,adenot",
        "--grounded",
        "2026-10-07T12:00:00Z",
        "--note",
        "Freedom. Came home after the Crew-13 handover.",
        "--source",
        "NASA",
        "--force",
    )
    assert run.exit_code == 0, run.stderr
    removed, added = changed_lines(BUNDLED.read_text(encoding="utf-8"), run.stdout)
    # A value given as it stands keeps its line but gets the source: it is what the source says.
    assert added == [
        "launch = 2026-02-13T10:15:00Z  # NASA",
        "dock = 2026-02-14T20:15:00Z  # NASA",
        'port = "Harmony forward"  # NASA',
        "undock = 2026-10-07            # NASA",
        "landing = 2026-10-08T06:00:00Z  # NASA",
        'up = ["meir", "hathaway", "adenot", "fedyaev"]  # NASA',
        'down = ["meir", "hathaway", "adenot"]  # NASA',
        "grounded = 2026-10-07T12:00:00Z  # NASA",
        'note = "Freedom. Came home after the Crew-13 handover."  # NASA',
    ]
    assert removed == [
        "launch = 2026-02-13T10:15:00Z",
        "dock = 2026-02-14T20:15:00Z",
        'port = "Harmony zenith"',
        "undock = 2026-09-20            # assumed: 5 days after Crew-13 docks (the usual Dragon handover); "
        "not confirmed",
        "# landing left out: no return found in the sources",
        'up = ["meir", "hathaway", "adenot", "fedyaev"]',
        "note = \"Freedom. Launch advanced after Crew-11's early return; about 34 h rendezvous; restored a crew of "
        "seven. Planned stay about 8 months. The return is assumed from the usual Dragon handover (5 days after "
        'Crew-13 docks) and is not confirmed."',
    ]


def test_an_edit_that_makes_the_manifest_invalid_writes_nothing(cli, copy: Path) -> None:
    before = copy.read_bytes()
    run = cli("record", "soyuz-ms-28", str(copy), "--undock", "2025-11-01", "--in-place")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == (
        f"{copy}:1871: flights[soyuz-ms-28].undock: undock 2025-11-01 is before dock 2025-11-27T12:34:00Z\n"
        "issmanifest: the record would make the manifest invalid; nothing written\n"
    )
    assert copy.read_bytes() == before
    assert [p.name for p in copy.parent.iterdir()] == [copy.name]


def test_confirmed_lifts_tentative_and_the_edited_fields_uncertainty(cli, copy: Path) -> None:
    before = copy.read_text(encoding="utf-8")
    run = cli(
        "record",
        "crew-13",
        str(copy),
        "--launch",
        "2026-10-01T16:00:00Z",
        "--dock",
        "2026-10-01T22:00:00Z",
        "--port",
        "Harmony forward",
        "--confirmed",
        "--in-place",
    )
    assert run.exit_code == 0, run.stderr
    removed, added = changed_lines(before, copy.read_text(encoding="utf-8"))
    assert removed == [
        "launch = 2026-09-15            # NET 2026-09 (mid-September, per NASA in April 2026): the day is a placeholder",
        "# dock left out: not known (the launch value stands for it)",
        '# port left out: the reference says only "Harmony ?"',
        "tentative = true",
    ]
    assert added == ["launch = 2026-10-01T16:00:00Z", "dock = 2026-10-01T22:00:00Z", 'port = "Harmony forward"']
    assert "flight-changed\tcrew-13\t-\ttentative\tTrue\tFalse\t-" in run.stderr.splitlines()
    # MS-29: only the field recorded leaves `uncertain`.
    run = cli("record", "soyuz-ms-29", str(copy), "--dock", "2026-07-14T17:52:00Z", "--confirmed", "--in-place")
    assert run.exit_code == 0, run.stderr
    assert load_manifest(copy).flight("soyuz-ms-29").uncertain == ("launch",)


def test_confirmed_alone_confirms_the_flight_as_written(cli, copy: Path) -> None:
    run = cli("record", "soyuz-ms-28", str(copy), "--confirmed")
    assert run.exit_code == 0, run.stderr
    removed, added = changed_lines(BUNDLED.read_text(encoding="utf-8"), run.stdout)
    assert removed == ['uncertain = ["undock", "landing"]'] and added == []


def test_replacing_a_confirmed_value_needs_force(cli, copy: Path) -> None:
    before = copy.read_bytes()
    refused = cli("record", "soyuz-ms-22", str(copy), "--undock", "2023-03-28T10:00:00Z", "--in-place")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "issmanifest: Invalid value for --undock: the undock of soyuz-ms-22 is set and confirmed "
        "(2023-03-28T09:57:00Z); give --force to replace it\n"
    )
    assert copy.read_bytes() == before
    forced = cli("record", "soyuz-ms-22", str(copy), "--undock", "2023-03-28T10:00:00Z", "--force", "--in-place")
    assert forced.exit_code == 0, forced.stderr
    assert load_manifest(copy).flight("soyuz-ms-22").undock.iso() == "2023-03-28T10:00:00Z"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("flight", "option", "value"),
    [
        ("soyuz-ms-22", "--landing", "2023-03-28T11:44:00Z"),  # in `uncertain`
        ("crew-13", "--up", "watkins,delaney,kutryk"),  # the flight is tentative
        ("soyuz-ms-29", "--undock", "2027-04-01"),  # missing
        ("soyuz-ms-22", "--undock", "2023-03-28T09:57:00Z"),  # the same value
        ("soyuz-ms-22", "--grounded", "2022-12-14T11:00:00Z"),  # a time of day within the date given
    ],
)
def test_force_is_not_needed_for_an_unconfirmed_missing_or_unchanged_value(cli, copy, flight, option, value) -> None:
    run = cli("record", flight, str(copy), option, value)
    assert run.exit_code == 0, run.stderr


def test_a_new_flight_goes_in_time_order_tentative_unless_confirmed(cli, copy: Path) -> None:
    run = cli(
        "record",
        "soyuz-ms-30",
        str(copy),
        "--new",
        "--vehicle",
        "Soyuz MS",
        "--launch",
        "2027-07-14",
        "--port",
        "Rassvet",
        "--note",
        "Planned.",
        "--source",
        "Roscosmos plan",
    )
    assert run.exit_code == 0, run.stderr
    removed, added = changed_lines(BUNDLED.read_text(encoding="utf-8"), run.stdout)
    assert removed == []
    assert added == [
        "[[flights]]",
        'id = "soyuz-ms-30"  # Roscosmos plan',
        'vehicle = "Soyuz MS"',
        "launch = 2027-07-14",
        'port = "Rassvet"',
        "up = []",
        "tentative = true",
        'note = "Planned."',
        "",
    ]
    flight = load_manifest(_saved(copy, run.stdout)).flight("soyuz-ms-30")
    assert flight.tentative and flight.dock == flight.launch
    assert "flight-added\tsoyuz-ms-30" in run.stderr or "soyuz-ms-30" in run.stderr
    confirmed = cli(
        "record", "soyuz-ms-30", str(copy), "--new", "--vehicle", "Soyuz MS", "--launch", "2027-07-14", "--confirmed"
    )
    assert "tentative" not in changed_lines(BUNDLED.read_text(encoding="utf-8"), confirmed.stdout)[1]


def _saved(path: Path, text: str) -> Path:
    saved = path.with_name("saved.toml")
    saved.write_text(text, encoding="utf-8")
    return saved


def test_a_new_flight_needs_a_vehicle_and_a_launch_and_a_free_id(cli, copy: Path) -> None:
    assert cli("record", "x-1", str(copy), "--new", "--launch", "2027-01-01").stderr == (
        "issmanifest: Invalid value for --new: a new flight needs --vehicle and --launch\n"
    )
    assert cli("record", "x-1", str(copy), "--new", "--vehicle", "Soyuz MS").exit_code == 2
    taken = cli("record", "crew-13", str(copy), "--new", "--vehicle", "Crew Dragon", "--launch", "2027-01-01")
    assert taken.exit_code == 2 and 'there is already a flight "crew-13"' in taken.stderr
    assert cli("record", "crew-13", str(copy), "--vehicle", "Crew Dragon").exit_code == 2


def test_an_unknown_crew_member_asks_for_the_person(cli, copy: Path) -> None:
    run = cli("record", "crew-13", str(copy), "--up", "watkins,newbie")
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr == (
        'issmanifest: Invalid value for --up: unknown person "newbie"; to add them, give --person newbie '
        "--name NAME --agency AGENCY --nationality CC\n"
    )


def test_a_person_added_with_a_flight_edit(cli, copy: Path) -> None:
    run = cli(
        "record",
        "crew-13",
        str(copy),
        "--up",
        "watkins,delaney,kutryk,newbie",
        "--person",
        "newbie",
        "--name",
        "Nell Newbie",
        "--agency",
        "NASA",
        "--nationality",
        "US",
    )
    assert run.exit_code == 0, run.stderr
    removed, added = changed_lines(BUNDLED.read_text(encoding="utf-8"), run.stdout)
    assert removed == ['up = ["watkins", "delaney", "kutryk", "teteryatnikov"]']
    assert added == [
        'newbie = { name = "Nell Newbie", agency = "NASA", nationality = "US" }',
        'up = ["watkins", "delaney", "kutryk", "newbie"]',
    ]
    lines = run.stderr.splitlines()
    assert "person-added\t-\tnewbie\t-\t-\tNell Newbie\t-" in lines
    assert "crew-changed\tcrew-13\tnewbie\tup\t-\tcrew-13\t-" in lines


def test_a_person_alone(cli, copy: Path) -> None:
    run = cli("record", "--person", "zed", "--name", "Zed Zed", "--agency", "ESA", "--nationality", "FR", str(copy))
    assert run.exit_code == 0, run.stderr
    assert changed_lines(BUNDLED.read_text(encoding="utf-8"), run.stdout) == (
        [],
        ['zed = { name = "Zed Zed", agency = "ESA", nationality = "FR" }'],
    )
    assert run.stderr == "person-added\t-\tzed\t-\t-\tZed Zed\t-\n"
    partial = cli("record", "--person", "zed", "--name", "Zed Zed", str(copy))
    assert partial.exit_code == 2 and "--person KEY --name NAME --agency AGENCY --nationality CC" in partial.stderr
    bad = cli("record", "--person", "zed", "--name", "Z", "--agency", "ESA", "--nationality", "XX", str(copy))
    assert bad.exit_code == 2 and "nothing written" in bad.stderr


def test_misuse(cli, copy: Path) -> None:
    nothing = cli("record", "crew-13", str(copy))
    assert nothing.exit_code == 2 and "nothing to record" in nothing.stderr
    unknown = cli("record", "crew-99", str(copy), "--port", "Poisk")
    assert unknown.exit_code == 2 and 'no flight "crew-99"' in unknown.stderr
    bad_date = cli("record", "crew-13", str(copy), "--launch", "2026-13-01")
    assert bad_date.exit_code == 2 and "--launch" in bad_date.stderr
    bundled = cli("record", "crew-13", "--port", "Poisk", "--in-place")
    assert bundled.exit_code == 2
    assert "cannot replace the bundled manifest; write a copy with --output" in bundled.stderr
    stdin = cli("record", "crew-13", "-", "--port", "Poisk", "--in-place", input=copy.read_text(encoding="utf-8"))
    assert stdin.exit_code == 2 and "cannot replace standard input" in stdin.stderr


def test_concurrent_records_in_place_all_land(copy: Path) -> None:
    """Each record holds the file's lock from before it reads to after the rename: none is lost."""
    command = [sys.executable, "-m", "issmanifest", "record", "--in-place"]
    env = {**os.environ, "ISSMANIFEST_NOW": "2026-11-26"}
    runs = [
        subprocess.Popen(
            [
                *command,
                "--person",
                f"zz{n}",
                "--name",
                f"Person {n}",
                "--agency",
                "ESA",
                "--nationality",
                "FR",
                str(copy),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in range(4)
    ]
    for run in runs:
        _, error = run.communicate(timeout=60)
        assert run.returncode == 0, error
    assert {f"zz{n}" for n in range(4)} <= set(load_manifest(copy).people)
