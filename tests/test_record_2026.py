"""The bundled record, current to 2026-10-08: who was aboard, written by hand from the reference
(../shared/reference/iss-2026-update: flights.tsv, crew.tsv and NOTES.md)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import Run

CREW_12 = {"Jessica Meir", "Jack Hathaway", "Sophie Adenot", "Andrey Fedyaev"}
SOYUZ_MS_28 = {"Sergey Kud-Sverchkov", "Sergey Mikayev", "Christopher Williams"}
SOYUZ_MS_29 = {"Pyotr Dubrov", "Anna Kikina", "Anil Menon"}
CREW_13 = {"Jessica Watkins", "Luke Delaney", "Joshua Kutryk", "Sergey Teteryatnikov"}


@pytest.mark.parametrize(
    ("at", "flights", "expected"),
    [
        # MS-29 docked 2026-07-14 17:52; MS-28 still aboard until 2026-07-26
        ("2026-07-20", {"crew-12", "soyuz-ms-28", "soyuz-ms-29"}, CREW_12 | SOYUZ_MS_28 | SOYUZ_MS_29),
        # Expedition 75 from 2026-07-26: NASA's roster of seven
        ("2026-08-15", {"crew-12", "soyuz-ms-29"}, CREW_12 | SOYUZ_MS_29),
        # Crew-13 docked 2026-10-01 23:05; NASA: 11 aboard until Crew-12 undocked on 2026-10-07
        ("2026-10-04", {"crew-12", "soyuz-ms-29", "crew-13"}, CREW_12 | SOYUZ_MS_29 | CREW_13),
        # Crew-12 splashed down 2026-10-08
        ("2026-10-20", {"soyuz-ms-29", "crew-13"}, SOYUZ_MS_29 | CREW_13),
    ],
)
def test_who_is_aboard_in_2026(cli: Callable[..., Run], at: str, flights: set[str], expected: set[str]) -> None:
    run = cli("show", "--at", at, "--format", "json")
    assert run.exit_code == 0, run.stderr
    aboard = run.json()["aboard"]
    assert {member["name"] for member in aboard} == expected
    assert len(aboard) == len(expected)
    assert {member["arrived_on"] for member in aboard} == flights


def test_the_counts_the_issue_names(cli: Callable[..., Run]) -> None:
    counts = [len(cli("show", "--at", at, "--format", "json").json()["aboard"]) for at in AT]
    assert counts == [10, 7, 11, 7]


AT = ("2026-07-20", "2026-08-15", "2026-10-04", "2026-10-20")


def test_facts_run_to_crew_12s_splashdown(cli: Callable[..., Run]) -> None:
    data = cli("show", "--at", "2026-10-20", "--format", "json").json()
    assert (data["as_of"], data["known_until"]) == ("2026-10-08", "2026-10-08")
    assert data["beyond_known"] is True
    # every value after June 2026 rests on secondary sources (medium or low): none is confirmed
    assert data["number_confirmed"] == 0
    assert all(member["unconfirmed"] for member in data["aboard"])


def test_planned_flights_stay_tentative(cli: Callable[..., Run]) -> None:
    data = cli("show", "--at", "2026-10-20", "--format", "json").json()
    upcoming = {(item["flight"], item["launch"]) for item in data["upcoming"]}
    # Crew-14: "NET 2027", the day a placeholder; Ax-5 NET 2027-01; Soyuz MS-30 NET 2027-03
    assert {("crew-14", "2027-01-01"), ("ax-5", "2027-01-15"), ("soyuz-ms-30", "2027-03-15")} <= upcoming
    assert all(item["unconfirmed"] for item in data["upcoming"])
    tentative = {item["flight"] for item in data["upcoming"] if item["tentative"]}
    assert {"crew-14", "ax-5", "soyuz-ms-30"} <= tentative
    crew14 = next(item for item in data["upcoming"] if item["flight"] == "crew-14")
    assert crew14["up"] == ["barron", "birch", "suwa", "kiviryan"]


def test_check_tells_the_moves_of_the_three_corrections(cli: Callable[..., Run]) -> None:
    data = cli("check", "--all", "--format", "json").json()
    # while a crew rode its own vehicle between ports, the other vehicle's riders were each
    # partner's only people aboard: MS-23 Poisk -> Prichal 2023-04-06 08:45-09:22 (Crew-6 left),
    # Crew-8 forward -> zenith 2024-05-02 12:57-13:46 (MS-25 left), Crew-9 2024-11-03 11:35-12:25 (MS-26 left)
    moves = {
        ("2023-04-06T08:45:00Z", "2023-04-06T09:22:00Z", "crew-6"),
        ("2024-05-02T12:57:00Z", "2024-05-02T13:46:00Z", "soyuz-ms-25"),
        ("2024-11-03T11:35:00Z", "2024-11-03T12:25:00Z", "soyuz-ms-26"),
    }
    found = {(f["start"], f["end"], f["flight"], f["partner"]) for f in data["findings"] if f["rule"] == "vehicle-loss"}
    for start, end, flight in moves:
        assert {(start, end, flight, "NASA"), (start, end, flight, "Roscosmos")} <= found
    assert not [f for f in data["findings"] if f["rule"] == "port-conflict"]
    assert [f["severity"] for f in data["findings"]].count("error") == 3


def test_the_seat_swap_counts_crew_14(cli: Callable[..., Run]) -> None:
    data = cli("swaps", "--from", "2022-07-15", "--format", "json").json()
    rides = data["rides"]
    assert len(rides) == 34
    assert sum(ride["direction"] == "up" for ride in rides) == 17
    assert sum(ride["when"] is None for ride in rides) == 3  # crew-13, crew-14 and soyuz-ms-29 home: not scheduled
    kiviryan = [(ride["flight"], ride["direction"]) for ride in rides if ride["person"] == "kiviryan"]
    assert kiviryan == [("crew-14", "up"), ("crew-14", "down")]
