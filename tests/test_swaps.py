"""`issmanifest swaps`: cross-rides, agreements, the balance, empty seats and exposure."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from issmanifest.manifest.loading import load_manifest
from issmanifest.manifest.problems import ManifestError
from issmanifest.manifest.writing import dumps_manifest
from issmanifest.reports.swaps import NO_CROSS_RIDE, ONLY_OTHER, list_swaps
from tests.conftest import BUNDLED, Run, build, examples, flight, manifest_text, parse_manifest, t

AGREEMENT = """
[[agreements]]
name = "Swap"
parties = ["NASA", "Roscosmos"]
signed = 2022-07-15
from = 2022-07-15
until = 2023-12-31
note = "test"
"""


def rides(manifest_source: object) -> list[tuple[str, str, str, str | None]]:
    swaps = list_swaps(manifest_source)  # type: ignore[arg-type]
    return [(ride.flight, ride.person, ride.direction, ride.agreement) for ride in swaps.rides]


def test_a_swap_is_two_rides_each_way_under_the_agreement() -> None:
    manifest = build(
        flight("soyuz-a", "2022-09-21T00:00:00Z", "2023-03-28T00:00:00Z", ["ru1", "ru2", "nasa1"]),
        flight(
            "dragon-a", "2022-10-06T00:00:00Z", "2023-03-11T00:00:00Z", ["nasa2", "nasa3", "ru3"], vehicle="Crew Dragon"
        ),
        header=AGREEMENT,
    )
    assert rides(manifest) == [
        ("soyuz-a", "nasa1", "up", "Swap"),
        ("dragon-a", "ru3", "up", "Swap"),
        ("dragon-a", "ru3", "down", "Swap"),
        ("soyuz-a", "nasa1", "down", "Swap"),
    ]
    balance = {
        (row.year, row.provider, row.receiver): (row.up, row.down, row.net) for row in list_swaps(manifest).balance
    }
    # 2022: one seat each way up; 2023: one each way down; the exchange stays even.
    assert balance == {
        (2022, "Roscosmos", "NASA"): (1, 0, 0),
        (2022, "NASA", "Roscosmos"): (1, 0, 0),
        (2023, "NASA", "Roscosmos"): (0, 1, 0),
        (2023, "Roscosmos", "NASA"): (0, 1, 0),
    }


def test_an_unbalanced_exchange_shows_in_the_running_net() -> None:
    manifest = build(
        flight("soyuz-a", "2022-09-21T00:00:00Z", "2022-12-01T00:00:00Z", ["ru1", "nasa1"]),
        flight("soyuz-b", "2022-11-01T00:00:00Z", "2023-01-10T00:00:00Z", ["ru2", "nasa2"]),
        flight("dragon-a", "2022-10-06T00:00:00Z", "2023-01-11T00:00:00Z", ["nasa3", "ru3"], vehicle="Crew Dragon"),
        header=AGREEMENT,
    )
    balance = list_swaps(manifest).balance
    up_2022 = {(row.provider, row.receiver): (row.up, row.net) for row in balance if row.year == 2022}
    # Roscosmos gave NASA two seats up, NASA gave Roscosmos one: Roscosmos is one seat ahead.
    assert up_2022 == {("Roscosmos", "NASA"): (2, 1), ("NASA", "Roscosmos"): (1, -1)}


def test_a_crew_returning_on_another_vehicle_has_both_rides() -> None:
    manifest = build(
        flight("soyuz-a", "2022-09-21T00:00:00Z", "2023-03-28T00:00:00Z", ["ru1", "ru2", "nasa1"], down=[]),
        flight("soyuz-b", "2023-02-26T00:00:00Z", "2023-09-27T00:00:00Z", [], down=["ru1", "ru2", "nasa1"]),
        header=AGREEMENT,
    )
    swaps = list_swaps(manifest)
    assert [(r.flight, r.person, r.direction) for r in swaps.rides] == [
        ("soyuz-a", "nasa1", "up"),
        ("soyuz-b", "nasa1", "down"),
    ]
    # soyuz-b launched uncrewed under the agreement: an empty swap seat, with its note.
    assert [(seat.flight, seat.crew, seat.swap_riders) for seat in swaps.empty_seats] == [("soyuz-b", 0, 0)]


def test_a_cross_ride_outside_any_agreement_is_listed_as_such(
    cli: Callable[..., Run], write: Callable[[str], Path]
) -> None:
    path = write(
        manifest_text(
            flight("soyuz-old", "2010-04-04T00:00:00Z", "2010-09-25T00:00:00Z", ["ru1", "ru2", "nasa1"]),
            flight(
                "shuttle", "2010-04-07T00:00:00Z", "2010-04-17T00:00:00Z", ["nasa2", "ru3"], vehicle="Space Shuttle"
            ),
            header=AGREEMENT,
        )
    )
    result = cli("swaps", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert [(r["flight"], r["person"], r["direction"], r["agreement"]) for r in data["rides"]] == [
        ("soyuz-old", "nasa1", "up", None),
        ("shuttle", "ru3", "up", None),
        ("shuttle", "ru3", "down", None),
        ("soyuz-old", "nasa1", "down", None),
    ]
    assert data["balance"] == []  # seats outside any agreement are no swap
    text = cli("swaps", str(path), "--format", "text")
    assert "\toutside any agreement\t" in text.stdout.splitlines()[0]


def test_a_vehicle_provider_can_be_overridden() -> None:
    header = '[vehicles."Soyuz MS"]\nprovider = "NASA"\n' + AGREEMENT
    manifest = build(flight("soyuz-a", "2022-09-21T00:00:00Z", "2023-03-28T00:00:00Z", ["ru1", "nasa1"]), header=header)
    assert rides(manifest) == [("soyuz-a", "ru1", "up", "Swap"), ("soyuz-a", "ru1", "down", "Swap")]
    again = parse_manifest(dumps_manifest(manifest), "again.toml")
    assert again.vehicles["Soyuz MS"].provider == "NASA"
    assert again.agreements == manifest.agreements


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('flights = ["soyuz-x"]', 'test.toml:{line}: agreements[Swap].flights: unknown flight "soyuz-x"'),
        ('parties = ["NASA", "ESA"]', 'test.toml:{line}: agreements[Swap].parties: "ESA" is not a core partner'),
        (
            'uncertain = ["day"]',
            'test.toml:{line}: agreements[Swap].uncertain: unknown field "day"',
        ),  # as a flight's uncertain says it
    ],
)
def test_a_bad_agreement_is_one_located_problem(entry: str, message: str) -> None:
    header = (
        '[[agreements]]\nname = "Swap"\nsigned = 2022-07-15\n'
        + (entry if entry.startswith("parties") else 'parties = ["NASA", "Roscosmos"]\n' + entry)
        + "\n"
    )
    text = manifest_text(flight("soyuz-a", "2022-09-21T00:00:00Z", None, ["ru1"]), header=header)
    line = next(number for number, row in enumerate(text.splitlines(), 1) if row.startswith(entry.split(" =")[0]))
    with pytest.raises(ManifestError) as caught:
        parse_manifest(text, "test.toml")
    assert [str(problem).split(" (")[0] for problem in caught.value.problems] == [message.format(line=line)]


def test_the_bundled_record_begins_with_rubio_and_kikina(cli: Callable[..., Run]) -> None:
    result = cli("swaps", "--from", "2022-07-15", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    first = [(r["flight"], r["name"], r["provider"], r["agency"], r["direction"]) for r in data["rides"][:2]]
    assert first == [
        ("soyuz-ms-22", "Frank Rubio", "Roscosmos", "NASA", "up"),
        ("crew-5", "Anna Kikina", "NASA", "Roscosmos", "up"),
    ]
    rubio = [(r["flight"], r["direction"]) for r in data["rides"] if r["person"] == "rubio"]
    assert rubio == [("soyuz-ms-22", "up"), ("soyuz-ms-23", "down")]
    assert all(r["agreement"] is not None for r in data["rides"])
    empty = [seat["flight"] for seat in data["empty_seats"]]
    assert "soyuz-ms-23" in empty and "crew-9" in empty
    crew9 = next(seat for seat in data["empty_seats"] if seat["flight"] == "crew-9")
    assert (crew9["crew"], crew9["seats"], crew9["swap_riders"]) == (2, 4, 1)
    assert "Wilmore and Williams" in crew9["note"]
    # From Crew-11's early return to Crew-12's docking, NASA's only person aboard (Williams) rode home on a Soyuz.
    nasa_only = [(e["start"], e["end"]) for e in data["exposure"] if e["kind"] == ONLY_OTHER and e["agency"] == "NASA"]
    assert ("2026-01-14T22:20:00Z", "2026-02-14T20:15:00Z") in nasa_only


def test_the_bundled_record_before_the_agreement_has_purchased_seats() -> None:
    swaps = list_swaps(load_manifest(BUNDLED), end=t("2022-07-15"))
    assert swaps.rides and all(ride.agreement is None for ride in swaps.rides)
    assert any(
        ride.provider == "NASA" and ride.agency == "Roscosmos" for ride in swaps.rides
    )  # cosmonauts on the Shuttle


# -- exposure, against a brute force -----------------------------------------------------

PEOPLE3 = """
[people]
nasa1 = { name = "Ann Able", agency = "NASA", nationality = "US" }
nasa2 = { name = "Bob Baker", agency = "NASA", nationality = "US" }
ru1 = { name = "Ivan Ivanov", agency = "Roscosmos", nationality = "RU" }
"""
BASE = datetime(2022, 7, 15, tzinfo=UTC)


def _at(day: int) -> str:
    return (BASE + timedelta(days=day)).strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def scenarios(draw: st.DrawFn) -> list[tuple[str, int, int, list[str], list[str]]]:
    count = draw(st.integers(1, 4))
    flights = []
    for index in range(count):
        dock = draw(st.integers(1, 40))
        flights.append(
            [
                f"f{index}",
                draw(st.sampled_from(["Soyuz MS", "Crew Dragon"])),
                dock,
                dock + draw(st.integers(1, 40)),
                [],
                [],
            ]
        )
    for person in ("nasa1", "nasa2", "ru1"):
        if draw(st.integers(0, 3)) == 0:
            continue
        up = draw(st.integers(0, count - 1))
        later = [i for i in range(count) if flights[i][3] > flights[up][2]]
        down = draw(st.sampled_from(later))
        flights[up][4].append(person)
        flights[down][5].append(person)
    return [tuple(item) for item in flights]  # type: ignore[misc]


@settings(max_examples=examples(200), deadline=None)
@given(scenarios())
def test_exposure_matches_a_brute_force(scenario: list[tuple[str, str, int, int, list[str], list[str]]]) -> None:
    tables = [
        flight(id_, _at(dock), _at(undock), up, vehicle=vehicle, down=down)
        for id_, vehicle, dock, undock, up, down in scenario
    ]
    manifest = build(*tables, header=AGREEMENT.replace("until = 2023-12-31\n", ""), people=PEOPLE3)
    found = list_swaps(manifest).exposure
    provider = {"Soyuz MS": "Roscosmos", "Crew Dragon": "NASA"}
    agency = {"nasa1": "NASA", "nasa2": "NASA", "ru1": "Roscosmos"}
    horizon = max(max(dock, undock) for _, _, dock, undock, _, _ in scenario)
    start = t(_at(0))
    # Every event falls at 00:00 of a day: one instant per day (noon) sees every state there is.
    for day in range(horizon):
        moment = start + day * 86_400 + 43_200
        aboard: dict[str, list[bool]] = {"NASA": [], "Roscosmos": []}  # per person: rides home on the other's vehicle
        for _, _, dock, _, up, _ in scenario:
            for person in up:
                home = next(item for item in scenario if person in item[5])
                if start + dock * 86_400 <= moment < start + home[3] * 86_400:
                    aboard[agency[person]].append(provider[home[1]] != agency[person])
        for partner, homes in aboard.items():
            expected = bool(homes) and all(homes)
            inside = any(e.kind == ONLY_OTHER and e.agency == partner and e.start <= moment < e.end for e in found)
            assert inside == expected, (partner, day)
        no_cross = not any(any(homes) for homes in aboard.values())
        inside = any(e.kind == NO_CROSS_RIDE and e.start <= moment < e.end for e in found)
        assert inside == no_cross, day


def test_the_table_charts_the_net_by_year(cli: Callable[..., Run], write: Callable[[str], Path]) -> None:
    path = write(
        manifest_text(
            flight("soyuz-a", "2022-09-21T00:00:00Z", "2022-12-01T00:00:00Z", ["ru1", "nasa1"]),
            flight("soyuz-b", "2023-02-01T00:00:00Z", "2023-06-10T00:00:00Z", ["ru2", "nasa2"]),
            flight("dragon-a", "2022-10-06T00:00:00Z", "2023-06-11T00:00:00Z", ["nasa3", "ru3"], vehicle="Crew Dragon"),
            header=AGREEMENT,
        )
    )
    result = cli("swaps", str(path), "--format", "table")
    assert result.exit_code == 0, result.stderr
    rows = [row.rstrip() for row in result.stdout.splitlines()]
    chart = rows.index("Net seats up NASA has given Roscosmos, at each year's end")
    # NASA gave one seat in 2022 for one received: even; in 2023 Roscosmos gave another: NASA one behind.
    assert [row.split()[:2] for row in rows[chart + 1 : chart + 3]] == [["2022", "+0"], ["2023", "-1"]]
