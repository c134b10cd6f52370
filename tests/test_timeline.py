"""The timeline engine: stays, handovers, bare dates, repeat flyers, crews coming home on another vehicle."""

from __future__ import annotations

from conftest import build, flight, t

from issmanifest.engine.timeline import Placement, build_timeline


def aboard(manifest_: object, at: str, placement: Placement = Placement.NOMINAL) -> list[str]:
    timeline = build_timeline(manifest_, placement)  # type: ignore[arg-type]
    return sorted(stay.person for stay in timeline.aboard_at(t(at)))


def test_a_stay_runs_from_dock_to_undock_half_open() -> None:
    manifest = build(flight("a", "2022-01-01T10:00:00Z", "2022-02-01T10:00:00Z", ["nasa1", "ru1"]))
    assert aboard(manifest, "2022-01-01T09:59:59Z") == []
    assert aboard(manifest, "2022-01-01T10:00:00Z") == ["nasa1", "ru1"]
    assert aboard(manifest, "2022-02-01T09:59:59Z") == ["nasa1", "ru1"]
    assert aboard(manifest, "2022-02-01T10:00:00Z") == []


def test_a_handover_at_the_same_instant_leaves_no_gap() -> None:
    manifest = build(
        flight("a", "2022-01-01T00:00:00Z", "2022-03-01T12:00:00Z", ["ru1"]),
        flight("b", "2022-03-01T12:00:00Z", "2022-06-01T00:00:00Z", ["ru2"]),
    )
    timeline = build_timeline(manifest)
    assert [sorted(s.person for s in seg.aboard) for seg in timeline.segments] == [["ru1"], ["ru2"], []]
    assert aboard(manifest, "2022-03-01T12:00:00Z") == ["ru2"]


def test_crew_returning_on_another_vehicle() -> None:
    manifest = build(
        flight("soyuz-ms-22", "2022-09-21T17:06:00Z", "2023-03-28T09:57:00Z", ["ru1", "ru2", "nasa1"], down=[]),
        flight("soyuz-ms-23", "2023-02-26T00:58:00Z", "2023-09-27T07:54:00Z", [], down=["ru1", "ru2", "nasa1"]),
    )
    timeline = build_timeline(manifest)
    assert {(s.person, s.arrived_on, s.returns_on) for s in timeline.stays} == {
        ("ru1", "soyuz-ms-22", "soyuz-ms-23"),
        ("ru2", "soyuz-ms-22", "soyuz-ms-23"),
        ("nasa1", "soyuz-ms-22", "soyuz-ms-23"),
    }
    assert aboard(manifest, "2023-04-01") == ["nasa1", "ru1", "ru2"]
    assert aboard(manifest, "2023-09-27T07:54:00Z") == []


def test_people_who_fly_twice_have_two_stays() -> None:
    manifest = build(
        flight("a", "2020-01-01", "2020-06-01", ["ru1"]),
        flight("b", "2021-01-01", "2021-06-01", ["ru1", "nasa1"]),
    )
    timeline = build_timeline(manifest)
    assert [(s.arrived_on, s.returns_on) for s in timeline.stays if s.person == "ru1"] == [("a", "a"), ("b", "b")]
    assert aboard(manifest, "2020-09-01") == []
    assert aboard(manifest, "2021-02-01") == ["nasa1", "ru1"]


def test_taxi_flight_visitors_go_home_on_the_old_vehicle() -> None:
    manifest = build(
        flight("old", "2002-01-01", "2002-05-10", ["ru1", "nasa1"], down=["ru2", "esa1"]),
        flight("taxi", "2002-05-01", "2002-11-01", ["ru2", "esa1"], down=["ru1", "nasa1"]),
    )
    assert aboard(manifest, "2002-05-05") == ["esa1", "nasa1", "ru1", "ru2"]
    assert aboard(manifest, "2002-05-11") == ["nasa1", "ru1"]


def test_an_open_ended_stay_lasts_past_the_horizon() -> None:
    manifest = build(flight("crew-12", "2026-02-14T20:15:00Z", None, ["nasa1", "ru1"]))
    timeline = build_timeline(manifest)
    (stay,) = [s for s in timeline.stays if s.person == "nasa1"]
    assert stay.returns_on == "crew-12" and stay.end is None
    assert aboard(manifest, "2030-01-01") == ["nasa1", "ru1"]
    assert timeline.open_ended and timeline.horizon == t("2026-02-14T20:15:00Z")


def test_bare_dates_stand_at_midnight_and_stretch_a_day_when_placed_long() -> None:
    manifest = build(
        flight("a", "2026-07-14", "2026-07-26", ["ru1"]),
        flight("b", "2026-07-26", None, ["ru2"]),
    )
    assert aboard(manifest, "2026-07-26T12:00:00Z") == ["ru2"]
    assert aboard(manifest, "2026-07-26T12:00:00Z", Placement.LONG) == ["ru1", "ru2"]
    assert aboard(manifest, "2026-07-26T12:00:00Z", Placement.SHORT) == []
    assert aboard(manifest, "2026-07-14T12:00:00Z", Placement.SHORT) == []
    assert aboard(manifest, "2026-07-15T00:00:00Z", Placement.SHORT) == ["ru1"]


def test_riders_of_a_relocation_are_off_the_station_meanwhile() -> None:
    relocation = '[{ start = 2009-07-02T21:29:00Z, end = 2009-07-02T21:54:00Z, port = "Zvezda aft" }]'
    manifest = build(
        flight("tma-14", "2009-03-28", "2009-10-11", ["ru1", "nasa1"], port="Zarya nadir", relocations=relocation),
        flight("tma-15", "2009-05-29", "2009-12-01", ["ru2", "esa1"]),
    )
    timeline = build_timeline(manifest)
    assert aboard(manifest, "2009-07-02T21:40:00Z") == ["esa1", "ru2"]
    assert aboard(manifest, "2009-07-02T21:54:00Z") == ["esa1", "nasa1", "ru1", "ru2"]
    segment = timeline.at(t("2009-07-02T21:40:00Z"))
    assert segment is not None
    assert sorted(s.person for s in segment.riding) == ["nasa1", "ru1"]
    assert [d.flight.id for d in segment.docked] == ["tma-15"]
    after = timeline.at(t("2009-07-03"))
    assert after is not None and {d.flight.id: d.port for d in after.docked}["tma-14"] == "Zvezda aft"


def test_named_riders_override_the_descent_crew() -> None:
    relocation = (
        '[{ start = 2001-02-24T10:06:00Z, end = 2001-02-24T10:37:00Z, port = "Zarya nadir", crew = ["ru1", "nasa1"] }]'
    )
    manifest = build(
        flight(
            "tm-31",
            "2000-11-02",
            "2001-05-06",
            ["ru1", "nasa1"],
            down=["ru2"],
            port="Zvezda aft",
            relocations=relocation,
        ),
        flight("sts-102", "2001-03-10", "2001-03-19", ["ru2"], down=["ru1", "nasa1"], vehicle="Space Shuttle"),
    )
    assert aboard(manifest, "2001-02-24T10:10:00Z") == []
    assert aboard(manifest, "2001-02-24T10:37:00Z") == ["nasa1", "ru1"]


def test_segments_are_built_by_one_sweep_and_cover_time_without_holes() -> None:
    manifest = build(
        flight("a", "2022-01-01", "2022-03-01", ["ru1"]),
        flight("b", "2022-02-01", "2022-04-01", ["nasa1"], grounded="2022-02-15"),
    )
    timeline = build_timeline(manifest)
    starts = [segment.start for segment in timeline.segments]
    assert (
        starts
        == sorted(starts)
        == [t(x) for x in ("2022-01-01", "2022-02-01", "2022-02-15", "2022-03-01", "2022-04-01")]
    )
    for before, after in zip(timeline.segments, timeline.segments[1:], strict=False):
        assert before.end == after.start
    assert timeline.segments[-1].end is None
