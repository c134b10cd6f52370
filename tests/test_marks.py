"""Issue 15, sections 1 and 2 for check, timeline, stats and margins: what rests on unconfirmed flights says so."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import BUNDLED, PEOPLE, Run, flight, manifest_text

# The cli fixture's now is 2026-11-26T12:00:00Z. "conf" is confirmed throughout; "plan" is a tentative
# flight whose day has passed without the manifest saying it happened; "next" is a plan still ahead.
CONF = flight("conf", "2026-01-01T00:00:00Z", "2026-12-01T00:00:00Z", ["nasa1", "ru1"])
PLAN = flight("plan", "2026-09-15", None, ["nasa2", "ru2"], vehicle="Crew Dragon", tentative=True)
NEXT = flight(
    "next", "2027-01-10T00:00:00Z", "2027-01-20T00:00:00Z", ["nasa3"], vehicle="Crew Dragon", uncertain=["dock"]
)
LONG = PEOPLE + 'long = { name = "Alexandra Konstantinopolskaya", agency = "NASA", nationality = "US" }\n'

Cli = Callable[..., Run]
Write = Callable[..., Path]


def _overdue(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [finding for finding in data["findings"] if finding["rule"] == "overdue"]


def _file(write: Write, *flights: str, header: str = "", people: str = PEOPLE) -> str:
    return str(write(manifest_text(*flights, header=header, people=people)))


def test_check_names_the_plans_the_world_has_passed_and_what_the_verdict_rests_on(cli: Cli, write: Write) -> None:
    path = _file(write, CONF, PLAN)
    result = cli("check", path, "--format", "text")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "verdict\tNASA and Roscosmos both aboard without a break from 2026-11-26 12:00 through 2026-12-01;"
        " 0 errors, 1 warning; on the manifest's plans: rests on 1 unconfirmed flight: plan",
        "window\tChecked 2026-11-26 12:00 to 2026-12-01 UTC. People stay aboard past 2026-12-01,"
        " the last event the manifest knows; nothing after it is known.",
        "unconfirmed\tplan",
        "warning\toverdue\t2026-09-15T00:00:00Z\t2026-11-26T12:00:00Z\tplan"
        "\tplan was to launch and dock 2026-09-15; the manifest does not say it did",
    ]
    data = cli("check", path, "--format", "json").json()
    assert (data["unconfirmed"], data["rests_on"]) == (True, ["plan"])
    assert [(f["rule"], f["severity"], f["flight"]) for f in data["findings"]] == [("overdue", "warning", "plan")]
    table = cli("check", path, "--format", "table").stdout
    assert "on the manifest's plans: rests on 1 unconfirmed flight: plan" in " ".join(table.split())
    csv_rows = cli("check", path, "--format", "csv").stdout.splitlines()
    assert csv_rows[0].endswith(",message,unconfirmed") and csv_rows[1].endswith(",true")
    assert cli("check", path, "--strict").exit_code == 1  # amber fails a strict CI job


def test_a_confirmed_manifest_rests_on_nothing(cli: Cli, write: Write) -> None:
    data = cli("check", _file(write, CONF), "--format", "json").json()
    assert (data["unconfirmed"], data["rests_on"], _overdue(data)) == (False, [], [])
    text = cli("check", _file(write, CONF), "--format", "text").stdout
    assert "plans" not in text and "unconfirmed" not in text


def test_as_of_bounds_what_is_overdue(cli: Cli, write: Write) -> None:
    before = _file(write, CONF, PLAN, header="as_of = 2026-09-01\n")
    assert _overdue(cli("check", before, "--format", "json").json()) == []
    after = _file(write, CONF, PLAN, header="as_of = 2026-10-01\n")
    (found,) = _overdue(cli("check", after, "--format", "json").json())
    assert (found["start"], found["end"]) == ("2026-09-15T00:00:00Z", "2026-11-26T12:00:00Z")
    assert found["message"] == (
        "plan was to launch and dock 2026-09-15; the manifest does not say it did (its facts run to 2026-10-01)"
    )


def test_an_unconfirmed_value_older_than_a_confirmed_fact_is_not_overdue(cli: Cli, write: Write) -> None:
    old = flight("old", "2025-01-01T00:00:00Z", "2025-06-01T00:00:00Z", ["nasa3"], uncertain=["launch", "dock"])
    data = cli("check", _file(write, old, CONF), "--all", "--format", "json").json()
    assert _overdue(data) == []
    assert data["rests_on"] == ["old"]  # its verdict still rests on it


def test_overdue_plans_outside_the_window_are_left_out(cli: Cli, write: Write) -> None:
    path = _file(write, CONF, PLAN)
    data = cli("check", path, "--from", "2026-02-01", "--until", "2026-03-01", "--format", "json").json()
    assert (_overdue(data), data["rests_on"]) == ([], [])


def test_timeline_keeps_the_mark_when_it_cuts_a_name(cli: Cli, write: Write) -> None:
    path = _file(write, CONF, flight("plan", "2026-09-15", None, ["long"], tentative=True), people=LONG)
    rows = cli("timeline", path, "--format", "table").stdout.splitlines()
    assert any(row.startswith("  Alexandra Konsta? ") for row in rows), rows
    assert any(row.startswith("  Ann Able          ") for row in rows), rows
    bars = [row.split("\t") for row in cli("timeline", path, "--format", "text").stdout.splitlines()]
    assert [(row[2], row[-1]) for row in bars if row[0] == "bar"] == [
        ("nasa1", "-"),
        ("ru1", "-"),
        ("long", "unconfirmed"),
    ]


def test_stats_periods_say_they_rest_on_unconfirmed_flights(cli: Cli, write: Write) -> None:
    early = flight("early", "2025-03-01T00:00:00Z", "2026-01-01T00:00:00Z", ["nasa4", "ru4"])
    path = _file(write, early, CONF, PLAN)
    window = ("--from", "2025-06-01", "--until", "2027-01-01")
    periods = cli("stats", path, *window, "--format", "json").json()["periods"]
    assert [(p["period"], p["unconfirmed"], p["rests_on"]) for p in periods] == [
        ("2025", False, []),
        ("2026", True, ["plan"]),
    ]
    table = cli("stats", path, *window, "--format", "table").stdout
    assert " 2026 ? " in table and " 2025 ? " not in table
    assert "? the period's figures rest on unconfirmed flights (1 in all; the JSON and CSV name them)" in table
    csv_rows = cli("stats", path, *window, "--format", "csv").stdout.splitlines()
    assert csv_rows[0].endswith(",unconfirmed,rests_on")
    assert csv_rows[1].endswith(",false,") and csv_rows[2].endswith(",true,plan")
    text = [row.split("\t") for row in cli("stats", path, *window, "--format", "text").stdout.splitlines()]
    assert [row[-1] for row in text if row[0] == "period"] == ["-", "plan"]


def test_margins_mark_unconfirmed_events(cli: Cli, write: Write) -> None:
    path = _file(write, CONF, PLAN, NEXT)
    margins = cli("margins", path, "--format", "json").json()["margins"]
    assert [(m["flight"], m["event"], m["unconfirmed"]) for m in margins if m["direction"] == "delay"] == [
        ("conf", "departure", False),
        ("next", "arrival", True),
        ("next", "departure", False),
    ]
    table = cli("margins", path, "--format", "table").stdout
    assert "2027-01-10?       next docks later" in table and "2026-12-01        conf leaves later" in table
    text = [row.split("\t") for row in cli("margins", path, "--format", "text").stdout.splitlines()]
    assert [row[-1] for row in text if row[0] == "margin" and row[3] == "delay"] == ["-", "unconfirmed", "-"]
    csv_rows = cli("margins", path, "--format", "csv").stdout.splitlines()
    assert csv_rows[0].endswith(",already_broken,unconfirmed")


def test_the_bundled_record_check_rests_on_its_plans_and_names_the_overdue_ones(cli: Cli) -> None:
    data = cli("check", str(BUNDLED), "--format", "json").json()
    assert data["unconfirmed"] is True
    assert data["rests_on"] == ["soyuz-ms-29", "crew-13", "crew-14", "ax-5", "soyuz-ms-30"]
    overdue = {f["flight"]: f["message"] for f in data["findings"] if f["rule"] == "overdue"}
    # the 2026 update's medium-graded values before as_of (2026-10-08) stay uncertain, so overdue
    assert overdue["crew-13"] == (
        "crew-13 was to launch 2026-10-01T15:10:00Z and dock 2026-10-01T23:05:00Z;"
        " the manifest does not say it did (its facts run to 2026-10-08)"
    )
    assert overdue["crew-12"] == (
        "crew-12 was to undock 2026-10-07; the manifest does not say it did (its facts run to 2026-10-08)"
    )
    assert set(overdue) == {"crew-12", "soyuz-ms-28", "soyuz-ms-29", "crew-13"}
    assert all(f["end"] == "2026-11-26T12:00:00Z" for f in data["findings"] if f["rule"] == "overdue")
