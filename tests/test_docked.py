"""`show` lists the vehicles docked at the instant: port (relocations applied), arrival, and lifeboat."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BUNDLED, flight, manifest_text

FLIGHTS = (
    flight(
        "s1",
        "2030-01-01T00:00:00Z",
        "2030-06-01T00:00:00Z",
        ["ru1", "ru2", "nasa1"],
        down=["ru1", "ru2", "nasa1"],
        port="Rassvet",
        relocations='[{ start = 2030-02-01T00:00:00Z, end = 2030-02-01T01:00:00Z, port = "Poisk" }]',
        grounded="2030-03-01T00:00:00Z",
    ),
    flight(
        "d1",
        "2030-01-10T00:00:00Z",
        "2030-05-01T00:00:00Z",
        ["nasa2", "nasa3"],
        down=["nasa2", "nasa3"],
        vehicle="Crew Dragon",
        port="Harmony forward",
        tentative=True,
    ),
    flight(
        "sh",
        "2030-02-10T00:00:00Z",
        "2030-02-20T00:00:00Z",
        ["nasa4"],
        down=["nasa4"],
        vehicle="Space Shuttle",
    ),
)


def _manifest(tmp_path: Path) -> str:
    path = tmp_path / "m.toml"
    path.write_text(manifest_text(*FLIGHTS), encoding="utf-8")
    return str(path)


def test_json_lists_each_docked_vehicle_with_its_port_after_a_relocation(cli, tmp_path: Path) -> None:
    run = cli("show", _manifest(tmp_path), "--at", "2030-02-15", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["docked"] == [
        {
            "flight": "s1",
            "vehicle": "Soyuz MS",
            "port": "Poisk",
            "docked": "2030-01-01T00:00:00Z",
            "lifeboat": "any",
            "unconfirmed": False,
        },
        {
            "flight": "d1",
            "vehicle": "Crew Dragon",
            "port": "Harmony forward",
            "docked": "2030-01-10T00:00:00Z",
            "lifeboat": "any",
            "unconfirmed": True,
        },
        {
            "flight": "sh",
            "vehicle": "Space Shuttle",
            "port": None,
            "docked": "2030-02-10T00:00:00Z",
            "lifeboat": "assigned",
            "unconfirmed": False,
        },
    ]


def test_before_the_relocation_the_first_port_and_after_the_grounding_no_lifeboat(cli, tmp_path: Path) -> None:
    path = _manifest(tmp_path)
    before = cli("show", path, "--at", "2030-01-15", "--format", "json").json()["docked"]
    assert [(d["flight"], d["port"], d["lifeboat"]) for d in before] == [
        ("s1", "Rassvet", "any"),
        ("d1", "Harmony forward", "any"),
    ]
    grounded = cli("show", path, "--at", "2030-03-15", "--format", "json").json()["docked"]
    assert [(d["flight"], d["port"], d["lifeboat"]) for d in grounded] == [
        ("s1", "Poisk", "grounded"),
        ("d1", "Harmony forward", "any"),
    ]
    assert cli("show", path, "--at", "2030-12-01", "--format", "json").json()["docked"] == []


def test_text_gives_one_docked_line_per_vehicle(cli, tmp_path: Path) -> None:
    run = cli("show", _manifest(tmp_path), "--at", "2030-03-15", "--format", "text")
    assert run.exit_code == 0, run.stderr
    docked = [line for line in run.stdout.splitlines() if line.startswith("docked\t")]
    assert docked == [
        "docked\ts1\tSoyuz MS\tPoisk\t2030-01-01T00:00:00Z\tgrounded\tconfirmed",
        "docked\td1\tCrew Dragon\tHarmony forward\t2030-01-10T00:00:00Z\tany\tunconfirmed",
    ]


def test_table_gives_one_line_per_vehicle_under_the_people_within_80_columns(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    run = cli("show", _manifest(tmp_path), "--at", "2030-02-15", "--format", "table")
    assert run.exit_code == 0, run.stderr
    lines = [line.rstrip() for line in run.stdout.splitlines()]
    docked = [index for index, line in enumerate(lines) if line.startswith("Docked: ")]
    assert [lines[index] for index in docked] == [
        "Docked: s1 (Soyuz MS) at Poisk, 2030-01-01: a lifeboat",
        "Docked: d1 (Crew Dragon) at Harmony forward, 2030-01-10?: a lifeboat",
        "Docked: sh (Space Shuttle) at no named port, 2030-02-10: a lifeboat for its crew",
    ]
    people = next(index for index, line in enumerate(lines) if line.lstrip().startswith("Person"))
    rotations = lines.index("Upcoming rotations")
    assert people < docked[0] and docked[-1] < rotations
    assert all(len(line) <= 80 for line in lines)


def test_bundled_record_on_2022_12_20_soyuz_ms_22_grounded_at_rassvet(cli) -> None:
    run = cli("show", str(BUNDLED), "--at", "2022-12-20", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["docked"] == [
        {
            "flight": "soyuz-ms-22",
            "vehicle": "Soyuz MS",
            "port": "Rassvet",
            "docked": "2022-09-21T17:06:00Z",
            "lifeboat": "grounded",
            "unconfirmed": False,
        },
        {
            "flight": "crew-5",
            "vehicle": "Crew Dragon",
            "port": "Harmony forward",
            "docked": "2022-10-06T21:01:00Z",
            "lifeboat": "any",
            "unconfirmed": False,
        },
    ]
