"""Loading: every validation problem is reported with file, line, place and a hint."""

from __future__ import annotations

from datetime import UTC as _UTC
from datetime import date, timedelta
from datetime import datetime as _datetime
from textwrap import dedent

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from issmanifest.manifest import defaults
from issmanifest.manifest.loading import parse_manifest
from issmanifest.manifest.model import Person, When
from issmanifest.manifest.problems import ManifestError
from issmanifest.manifest.validation import _plain_flight, _Reader

HEAD = """\
format = 1

[people]
rubio = { name = "Frank Rubio", agency = "NASA", nationality = "US" }
petelin = { name = "Dmitry Petelin", agency = "Roscosmos", nationality = "RU" }
"""
# HEAD is five lines; a flight appended after a blank line starts on line 7.


def problems(text: str) -> list[str]:
    with pytest.raises(ManifestError) as raised:
        parse_manifest(dedent(text), "m.toml")
    return [str(problem) for problem in raised.value.problems]


def test_a_valid_manifest_loads_into_frozen_values() -> None:
    manifest = parse_manifest(
        HEAD
        + dedent("""
        [[flights]]
        id = "soyuz-ms-22"
        vehicle = "Soyuz MS"
        launch = 2022-09-21T13:54:00Z
        dock = 2022-09-21T20:06:00+03:00
        port = "Rassvet"
        up = ["rubio", "petelin"]
        down = []
        grounded = 2022-12-14
        note = "Coolant leak."
        """),
        "m.toml",
    )
    (flight,) = manifest.flights
    assert flight.dock == When.of(
        __import__("datetime").datetime(2022, 9, 21, 17, 6, tzinfo=__import__("datetime").UTC)
    )
    assert flight.grounded is not None and flight.grounded.date_only
    assert flight.up == ("rubio", "petelin") and flight.down == ()
    assert flight.undock is None and flight.port == "Rassvet"
    assert manifest.station.core_partners == ("NASA", "Roscosmos")
    with pytest.raises(AttributeError):
        flight.id = "other"  # type: ignore[misc]


def test_dock_defaults_to_launch_and_down_to_up() -> None:
    manifest = parse_manifest(
        HEAD + '\n[[flights]]\nid = "crew-9"\nvehicle = "Crew Dragon"\nlaunch = 2026-09-15\nup = ["rubio"]\n', "m.toml"
    )
    (flight,) = manifest.flights
    assert flight.dock == flight.launch == When(flight.launch.seconds, True)
    assert flight.down == ("rubio",)


def test_unknown_person_names_file_line_place_and_the_likely_key() -> None:
    text = HEAD + '\n[[flights]]\nid = "soyuz-ms-22"\nvehicle = "Soyuz MS"\nlaunch = 2022-09-21\nup = ["rubioo"]\n'
    assert problems(text) == ['m.toml:11: flights[soyuz-ms-22].up: unknown person "rubioo" (did you mean "rubio"?)']


def test_unknown_person_in_a_multiline_array_points_at_its_own_line() -> None:
    text = HEAD + dedent("""
        [[flights]]
        id = "soyuz-ms-22"
        vehicle = "Soyuz MS"
        launch = 2022-09-21
        up = [
          "rubio",
          "petelni",
        ]
        """)
    assert problems(text) == ['m.toml:13: flights[soyuz-ms-22].up: unknown person "petelni" (did you mean "petelin"?)']


def test_toml_syntax_error_gives_line_and_column() -> None:
    assert problems('format = 1\n[station]\nname "ISS"\n') == [
        'm.toml:3:6: TOML syntax: missing "=" after name (write name = "ISS")'
    ]


def test_a_key_set_twice_names_the_key_and_its_second_line() -> None:
    assert problems('format = 1\n[station]\nname = "A"\nmax_crew = 7\nname = "B"\n') == [
        "m.toml:5: TOML syntax: station.name is set twice"
    ]


def test_missing_format_and_unknown_version() -> None:
    assert problems('[station]\nname = "ISS"\n') == ['m.toml:1: missing "format" (a manifest starts with: format = 1)']
    assert problems("format = 2\n") == [
        "m.toml:1: format: unknown format version 2 (this release of issmanifest reads format 1)"
    ]
    assert problems('format = "1"\n') == ['m.toml:1: format: expected an integer, found a string "1"']


def test_missing_and_mistyped_fields_are_all_reported_at_once() -> None:
    text = HEAD + dedent("""
        [[flights]]
        id = "soyuz-ms-22"
        up = "rubio"

        [vehicles]
        "Soyuz X" = { seats = "three" }
        """)
    assert problems(text) == [
        'm.toml:12: vehicles."Soyuz X".seats: expected an integer, found a string "three"',
        'm.toml:7: flights[soyuz-ms-22]: missing "vehicle"',
        'm.toml:7: flights[soyuz-ms-22]: missing "launch"',
        'm.toml:9: flights[soyuz-ms-22].up: expected an array of strings, found a string "rubio"',
    ]


def test_unknown_keys_suggest_the_right_one() -> None:
    text = HEAD + '\n[[flights]]\nid = "x-1"\nvehicle = "Soyuz MS"\nlauch = 2022-09-21\n'
    assert problems(text) == [
        'm.toml:10: flights[x-1].lauch: unknown key "lauch" (did you mean "launch"?)',
        'm.toml:7: flights[x-1]: missing "launch"',
    ]
    assert problems("format = 1\nflight = []\n") == ['m.toml:2: flight: unknown key "flight" (did you mean "flights"?)']


def test_unknown_agency_and_vehicle() -> None:
    text = dedent("""\
        format = 1
        [people]
        a = { name = "A", agency = "NASAA", nationality = "US" }
        [[flights]]
        id = "x-1"
        vehicle = "Soyuz M"
        launch = 2022-09-21
        """)
    assert problems(text) == [
        'm.toml:3: people.a.agency: unknown agency "NASAA" (did you mean "NASA"?)',
        'm.toml:6: flights[x-1].vehicle: unknown vehicle "Soyuz M" (did you mean "Soyuz MS"?)',
    ]


def test_duplicate_flight_ids() -> None:
    flight = '\n[[flights]]\nid = "crew-5"\nvehicle = "Crew Dragon"\nlaunch = 2022-10-05\n'
    assert problems(HEAD + flight + flight) == [
        'm.toml:13: flights[crew-5].id: duplicate flight id "crew-5" (flight #1 has it too)'
    ]


def test_dates_out_of_order() -> None:
    text = HEAD + dedent("""
        [[flights]]
        id = "crew-5"
        vehicle = "Crew Dragon"
        launch = 2022-10-05T16:00:00Z
        dock = 2022-10-04T21:01:00Z
        undock = 2023-03-11T07:19:00Z
        landing = 2023-03-10
        """)
    assert problems(text) == [
        "m.toml:11: flights[crew-5].dock: dock 2022-10-04T21:01:00Z is before launch 2022-10-05T16:00:00Z",
        "m.toml:13: flights[crew-5].landing: landing 2023-03-10 is before undock 2023-03-11T07:19:00Z",
    ]


def test_a_bare_date_on_the_same_day_is_not_out_of_order() -> None:
    text = HEAD + '\n[[flights]]\nid = "x"\nvehicle = "Soyuz MS"\nlaunch = 2022-10-05T16:00:00Z\ndock = 2022-10-05\n'
    assert parse_manifest(text, "m.toml").flights[0].dock.date_only


def test_more_people_than_seats() -> None:
    text = dedent("""\
        format = 1
        [people]
        a = { name = "A", agency = "NASA", nationality = "US" }
        b = { name = "B", agency = "NASA", nationality = "US" }
        [vehicles]
        Pod = { seats = 1 }
        [[flights]]
        id = "pod-1"
        vehicle = "Pod"
        launch = 2022-09-21
        up = ["a", "b"]
        """)
    assert problems(text) == ["m.toml:11: flights[pod-1].up: 2 people, but a Pod has 1 seats"]


def test_a_person_aboard_twice_at_once() -> None:
    text = HEAD + dedent("""
        [[flights]]
        id = "soyuz-ms-22"
        vehicle = "Soyuz MS"
        launch = 2022-09-21
        up = ["rubio"]
        down = []

        [[flights]]
        id = "crew-5"
        vehicle = "Crew Dragon"
        launch = 2022-10-05
        up = ["rubio"]
        """)
    assert problems(text) == [
        'm.toml:18: flights[crew-5].up: "rubio" is already aboard (arrived on soyuz-ms-22, returns on crew-5)'
        " (list them in the down of the flight that brings them home first)"
    ]


def test_a_person_coming_down_who_never_went_up() -> None:
    text = HEAD + dedent("""
        [[flights]]
        id = "crew-5"
        vehicle = "Crew Dragon"
        launch = 2022-10-05
        undock = 2023-03-11
        up = ["rubio"]
        down = ["rubio", "petelin"]
        """)
    assert problems(text) == [
        'm.toml:13: flights[crew-5].down: "petelin" comes down on crew-5 but never goes up'
        " (list them in the up of an earlier flight, or remove them here)"
    ]


def test_each_down_closes_the_first_stay_before_it() -> None:
    # soyuz-ms-21 undocks after soyuz-ms-22 docks, so it ends rubio's stay; soyuz-ms-22's own
    # down (omitted, so the same as its up) then has no stay left to end.
    text = HEAD + dedent("""
        [[flights]]
        id = "soyuz-ms-21"
        vehicle = "Soyuz MS"
        launch = 2022-03-18
        undock = 2022-09-29
        up = []
        down = ["rubio"]

        [[flights]]
        id = "soyuz-ms-22"
        vehicle = "Soyuz MS"
        launch = 2022-09-21
        up = ["rubio"]
        """)
    assert problems(text) == [
        'm.toml:19: flights[soyuz-ms-22].down: "rubio" comes down on soyuz-ms-22 with no stay left to end'
        " (each stay ends at the first flight after its up that lists them in down)"
    ]


def test_naive_date_time_is_rejected_with_the_fix() -> None:
    text = HEAD + '\n[[flights]]\nid = "x"\nvehicle = "Soyuz MS"\nlaunch = 2022-10-05T16:00:00\n'
    assert problems(text) == [
        "m.toml:10: flights[x].launch: date-time 2022-10-05T16:00:00 has no time zone (add Z for UTC: 2022-10-05T16:00:00Z)"
    ]


def test_people_keys_and_flight_ids_must_be_slugs() -> None:
    text = dedent("""\
        format = 1
        [people]
        Rubio = { name = "Frank Rubio", agency = "NASA", nationality = "us" }
        [[flights]]
        id = "Soyuz MS 22"
        vehicle = "Soyuz MS"
        launch = 2022-09-21
        """)
    assert problems(text) == [
        'm.toml:3: people.Rubio: person key "Rubio" is not a lowercase slug (for example "rubio")',
        'm.toml:3: people.Rubio.nationality: "us" is not a country code (did you mean "US"?)',
        'm.toml:5: flights[Soyuz MS 22].id: flight id "Soyuz MS 22" is not a lowercase slug (for example "soyuz-ms-22")',
    ]


def test_a_person_listed_twice_in_one_crew() -> None:
    text = HEAD + '\n[[flights]]\nid = "x"\nvehicle = "Soyuz MS"\nlaunch = 2022-10-05\nup = ["rubio", "rubio"]\n'
    assert problems(text) == ['m.toml:11: flights[x].up: "rubio" is listed twice']


def test_agencies_match_by_alias_and_former_name() -> None:
    text = dedent("""\
        format = 1
        [station]
        core_partners = ["NASA", "RKA"]
        [people]
        a = { name = "A", agency = "Rosaviakosmos", nationality = "RU" }
        """)
    manifest = parse_manifest(text, "m.toml")
    assert manifest.station.core_partners == ("NASA", "Roscosmos")
    agency = manifest.agency_named(manifest.people["a"].agency)
    assert agency.name == "Roscosmos"
    assert agency.name_at(When.of(date(2001, 1, 1)).seconds) == "Rosaviakosmos"
    assert agency.name_at(When.of(date(2010, 1, 1)).seconds) == "Federal Space Agency"
    assert agency.name_at(When.of(date(2020, 1, 1)).seconds) == "Roscosmos"


# -- the plain path for ordinary flights agrees with the full check ---------------------------

_PEOPLE = {key: Person(key, key, "NASA", "US") for key in ("a", "b", "c", "d", "e")}
_values = st.one_of(
    st.sampled_from(["x-1", "Soyuz MS", "Crew Dragon", "Space Shuttle", "a", "b", "", " ", "Bad Id", "port"]),
    st.datetimes(min_value=_datetime(1950, 1, 1), max_value=_datetime(3100, 1, 1), timezones=st.just(_UTC) | st.none()),
    st.dates(min_value=_datetime(1950, 1, 1).date(), max_value=_datetime(3100, 1, 1).date()),
    st.booleans(),
    st.integers(-3, 3),
    st.lists(st.sampled_from(["a", "b", "c", "d", "e", "z", "launch", "port", 1]), max_size=5),
)
_keys = st.sampled_from(
    [
        "id",
        "vehicle",
        "launch",
        "dock",
        "undock",
        "landing",
        "grounded",
        "port",
        "note",
        "tentative",
        "uncertain",
        "up",
        "down",
        "extra",
    ]
)


@st.composite
def _flight_entries(draw: st.DrawFn) -> dict:
    """A valid [[flights]] table, then up to two random edits that may or may not break it."""
    launch = draw(
        st.datetimes(min_value=_datetime(2000, 1, 1), max_value=_datetime(2030, 1, 1), timezones=st.just(_UTC))
    )
    entry: dict = {"id": "x-1", "vehicle": draw(st.sampled_from(["Soyuz MS", "Crew Dragon"])), "launch": launch}
    if draw(st.booleans()):
        entry["dock"] = launch + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)))
    if draw(st.booleans()):
        entry["undock"] = launch + timedelta(days=draw(st.integers(4, 200)))
    entry["up"] = draw(st.lists(st.sampled_from(list(_PEOPLE)), unique=True, max_size=3))
    for key, value in (
        ("down", st.lists(st.sampled_from(list(_PEOPLE)), unique=True, max_size=3)),
        ("port", st.sampled_from(["Rassvet", "Poisk"])),
        ("note", st.just("n")),
        ("tentative", st.booleans()),
        ("uncertain", st.lists(st.sampled_from(["dock", "port"]), max_size=2)),
    ):
        if draw(st.booleans()):
            entry[key] = draw(value)
    for _ in range(draw(st.integers(0, 2))):
        key = draw(_keys)
        if draw(st.booleans()):
            entry.pop(key, None)
        else:
            entry[key] = draw(_values)
    return entry


@settings(max_examples=examples(500), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_flight_entries())
def test_the_plain_path_builds_exactly_what_the_full_check_builds(entry: dict) -> None:
    plain = _plain_flight(entry, defaults.VEHICLES, _PEOPLE)
    reader = _Reader("m.toml")
    full = reader.flight(entry, 0, defaults.VEHICLES, _PEOPLE, defaults.AGENCIES)
    if plain is not None:
        assert not reader.problems and full == plain
    elif full is not None:
        # The plain path may leave a valid flight to the full check, never the other way round.
        assert not reader.problems


def test_expeditions_name_flights_and_begin_in_order() -> None:
    text = HEAD + dedent("""
        [[flights]]
        id = "soyuz-ms-22"
        vehicle = "Soyuz MS"
        launch = 2022-09-21T13:54:00Z
        undock = 2023-03-28T09:57:00Z
        up = ["rubio", "petelin"]

        [[flights]]
        id = "crew-5"
        vehicle = "Crew Dragon"
        launch = 2022-10-05T16:00:00Z
        up = []

        [expeditions]
        68 = "soyuz-ms-22"
        69 = "soyuz-ms-2"
        70 = { docked = "crew-5" }
        71 = "crew-5"
        x = 2022-01-01
        """)
    assert problems(text) == [
        'm.toml:22: expeditions.69: unknown flight "soyuz-ms-2" (did you mean "soyuz-ms-22"?)',
        'm.toml:24: expeditions.71: crew-5 has no undock (write { docked = "..." } or a date-time)',
        'm.toml:25: expeditions.x: "x" is not an expedition number (number them 1, 2, 3, ...)',
        "m.toml:23: expeditions.70: begins at 2022-10-05T16:00:00Z, not after Expedition 68 (2023-03-28T09:57:00Z)",
    ]
