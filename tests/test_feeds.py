"""Reading public feeds: each real shape recognised, --kind overriding, and one-line errors for the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from issmanifest.manifest.model import parse_instant
from issmanifest.manifest.problems import ManifestError
from issmanifest.reports.feeds import ISS, FeedKind, read_feed

FEEDS = Path(__file__).parent / "feeds"


def read(name: str, kind: FeedKind | None = None):  # type: ignore[no-untyped-def]
    return read_feed((FEEDS / name).read_bytes(), kind=kind, source=name)


def t(text: str) -> int:
    return parse_instant(text).seconds


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("open-notify-astros-by-hand-20260428.json", FeedKind.OPEN_NOTIFY),
        ("20230313T0936Z-people-in-space.json", FeedKind.PEOPLE_IN_SPACE),
        ("20260428T0713Z-people-in-space.json", FeedKind.PEOPLE_IN_SPACE),
        ("20240907T1627Z-iss-docked-spacecraft.json", FeedKind.DOCKED_SPACECRAFT),
        ("2.2.0-spacestation-detailed-all-20240909.json", FeedKind.LL2_STATIONS),
        ("2.2.0-spacestation-detailed-all-20260715.json", FeedKind.LL2_STATIONS),
        ("2.3.0-space_stations-detailed-all-20260715.json", FeedKind.LL2_STATIONS),
        ("2.3.0-space_stations-normal-active-iss-tiangong.json", FeedKind.LL2_STATIONS),
        ("2.1.0-docking_event-list-all-242.json", FeedKind.LL2_DOCKING_EVENTS),
    ],
)
def test_each_kind_is_recognised(name: str, kind: FeedKind) -> None:
    assert read(name).kind is kind


def test_open_notify_people_by_station() -> None:
    feed = read("open-notify-astros-by-hand-20260428.json")
    assert [person.name for person in feed.iss_people] == [
        "Sergey Kud-Sverchkov",
        "Sergey Mikayev",
        "Christoper Williams",
        "Jessica Meir",
        "Jack Hathaway",
        "Sophie Adenot",
        "Andrey Fedyaev",
    ]
    assert {person.station for person in feed.elsewhere} == {"Tiangong"}
    assert feed.lists_everyone and not feed.lists_docked


def test_people_in_space_keeps_spacecraft_and_agency() -> None:
    feed = read("20230313T0936Z-people-in-space.json")
    rubio = next(person for person in feed.people if person.name == "Frank Rubio")
    assert (rubio.station, rubio.spacecraft, rubio.agency) == (ISS, "Soyuz MS-22", "NASA")
    assert len(feed.elsewhere) == 3  # Shenzhou 15 on Tiangong


def test_docked_spacecraft_ports_times_and_crew() -> None:
    feed = read("20230313T0936Z-iss-docked-spacecraft.json")
    by_name = {vehicle.name: vehicle for vehicle in feed.docked}
    assert by_name["Soyuz MS-22"].port == "Rassvet nadir"
    assert by_name["Soyuz MS-22"].docked == 1663772760  # as the feed has it (2 h early, see docs/crosscheck.md)
    assert by_name["Soyuz MS-22"].crew == ("Sergey Prokopyev", "Dmitry Petelin", "Frank Rubio")
    assert by_name["Soyuz MS-23"].crewed is True and by_name["Soyuz MS-23"].crew == ()
    assert by_name["Cygnus NG-18"].crewed is False
    assert not feed.lists_everyone  # the crews of docked vehicles, not a roster


def test_ll2_station_detail_2_2_0() -> None:
    feed = read("2.2.0-spacestation-detailed-all-20240909.json")
    assert feed.version == "2.2.0"
    assert feed.crew_count == 9
    assert len(feed.iss_people) == 9 and "Jeanette J. Epps" in {person.name for person in feed.iss_people}
    # docked_vehicles says 0 in this response; the ports say five
    endeavour = next(vehicle for vehicle in feed.docked if vehicle.name == "Crew Dragon Endeavour")
    assert (endeavour.port, endeavour.docked, endeavour.mission, endeavour.crewed) == (
        "Harmony zenith",
        t("2024-05-02T13:46:00Z"),
        "Crew-8",
        True,
    )
    assert len(feed.docked) == 5


def test_ll2_station_detail_2_3_0_has_no_crews() -> None:
    feed = read("2.3.0-space_stations-detailed-all-20260715.json")
    assert feed.version == "2.3.0"
    assert feed.people == () and not feed.lists_everyone
    assert {(vehicle.mission, vehicle.port) for vehicle in feed.docked if vehicle.crewed} == {
        ("Crew-12", "Harmony zenith"),
        ("Soyuz MS-29", "Prichal nadir"),
        ("Soyuz MS-28", "Rassvet nadir"),
    }
    normal = read("2.3.0-space_stations-normal-active-iss-tiangong.json")
    assert not normal.lists_docked and normal.crew_count is None


def test_ll2_docking_events_2_1_0() -> None:
    feed = read("2.1.0-docking_event-list-all-242.json")
    assert len(feed.events) == 242
    iss = [event for event in feed.events if event.station == "International Space Station"]
    assert len(iss) == 157
    crew1 = next(event for event in iss if event.vehicle == "Crew Dragon Resilience")
    assert (crew1.docking, crew1.departure, crew1.port) == (t("2020-11-17T04:01:00Z"), None, "Harmony forward")


def test_kind_overrides_recognition() -> None:
    with pytest.raises(ManifestError) as caught:
        read("20230313T0936Z-people-in-space.json", kind=FeedKind.DOCKED_SPACECRAFT)
    [problem] = caught.value.problems
    assert problem.message == "not a docked-spacecraft feed (no 'spacecraft')"
    # an Open Notify document is also read as people-in-space when told so
    feed = read("open-notify-astros-by-hand-20260428.json", kind=FeedKind.PEOPLE_IN_SPACE)
    assert feed.kind is FeedKind.PEOPLE_IN_SPACE


def test_json_that_is_no_feed_names_what_was_expected() -> None:
    with pytest.raises(ManifestError) as caught:
        read("2.1.0-expedition-list-all-137.json")
    [problem] = caught.value.problems
    text = str(problem)
    assert text.startswith("2.1.0-expedition-list-all-137.json: not a feed issmanifest knows (expected Open Notify")
    assert "docking event list" in text and "\n" not in text


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(ManifestError) as caught:
        read_feed(b'{"message": "success",\n  "number": 3,,\n}', source="astros.json")
    [problem] = caught.value.problems
    assert str(problem) == "astros.json:2:15: not valid JSON: Expecting property name enclosed in double quotes"
