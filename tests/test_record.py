"""The whole record since 2000: who was aboard, the Shuttle era, relocations, renamed agencies, statistics."""

from __future__ import annotations

import pytest
from conftest import build, flight, manifest_text, t

from issmanifest.reports.stats import station_stats

# Who was aboard, worked out from the reference tables (../shared/reference), not from the tool:
# a person is aboard from the docking of their ascent flight to the undocking of their descent flight.
REFERENCE = [
    ("2000-12-01", ["gidzenko", "krikalev", "shepherd"]),
    # STS-102 docked with Expedition 2 while Expedition 1 was still aboard...
    (
        "2001-03-15",
        [
            "gidzenko",
            "helms",
            "kelly-james",
            "krikalev",
            "richards",
            "shepherd",
            "thomas",
            "usachev",
            "voss",
            "wetherbee",
        ],
    ),
    # ...and took Expedition 1 home.
    ("2001-03-20", ["helms", "usachev", "voss"]),
    # A taxi flight: Soyuz TM-32 brought Tito and its crew up; they went home on the old Soyuz TM-31.
    ("2001-05-01", ["baturin", "helms", "musabayev", "tito", "usachev", "voss"]),
    ("2005-04-20", ["chiao", "krikalev", "phillips", "sharipov", "vittori"]),
    (
        "2010-04-10",
        [
            "anderson",
            "caldwell-dyson",
            "creamer",
            "dutton",
            "kornienko",
            "kotov",
            "mastracchio",
            "metcalf-lindenburger",
            "noguchi",
            "poindexter",
            "skvortsov",
            "wilson",
            "yamazaki",
        ],
    ),
    ("2015-08-01", ["kelly-scott", "kononenko", "kornienko", "lindgren", "padalka", "yui"]),
    ("2019-06-01", ["hague", "koch", "kononenko", "mcclain", "ovchinin", "saint-jacques"]),
]


@pytest.mark.parametrize(("at", "people"), REFERENCE)
def test_show_at_any_date_lists_the_crew_the_reference_gives(cli, at: str, people: list[str]) -> None:
    run = cli("show", "--at", at, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert sorted(member["person"] for member in run.json()["aboard"]) == people


def test_a_shuttle_exchange_carries_expedition_crews_both_ways(cli) -> None:
    during = {m["person"]: m for m in cli("show", "--at", "2001-03-15", "--format", "json").json()["aboard"]}
    assert (during["shepherd"]["arrived_on"], during["shepherd"]["returns_on"]) == ("soyuz-tm-31", "sts-102")
    assert (during["usachev"]["arrived_on"], during["usachev"]["returns_on"]) == ("sts-102", "sts-105")
    assert (during["wetherbee"]["arrived_on"], during["wetherbee"]["returns_on"]) == ("sts-102", "sts-102")


def test_the_crew_riding_a_relocation_is_off_the_station(cli) -> None:
    riding = {m["person"] for m in cli("show", "--at", "2009-07-02T21:40:00Z", "--format", "json").json()["aboard"]}
    back = {m["person"] for m in cli("show", "--at", "2009-07-02T22:00:00Z", "--format", "json").json()["aboard"]}
    assert {"padalka", "barratt"} & riding == set()
    assert back - riding == {"padalka", "barratt"}


def test_the_russian_agency_is_shown_by_its_name_at_the_time(cli) -> None:
    def agency(at: str, person: str) -> str:
        aboard = cli("show", "--at", at, "--format", "json").json()["aboard"]
        return next(m["agency"] for m in aboard if m["person"] == person)

    assert agency("2001-01-01", "krikalev") == "Rosaviakosmos"
    assert agency("2005-04-20", "krikalev") == "Federal Space Agency"
    assert agency("2022-07-28", "artemyev") == "Roscosmos"
    # One core partner throughout: Roscosmos is present in every era.
    for at in ("2001-01-01", "2005-04-20", "2022-07-28"):
        assert cli("show", "--at", at, "--format", "json").json()["core_partners"]["Roscosmos"] is True


def test_the_record_has_no_continuity_error_but_what_happened(cli) -> None:
    findings = cli("check", "--all", "--format", "json").json()["findings"]
    gaps = [f for f in findings if f["rule"] == "partner-presence"]
    # Every gap in 26 years: a crew riding its Soyuz to another port, or a relocation known only to the day.
    assert gaps and all(f["severity"] == "warning" and "moves between ports" in f["message"] for f in gaps)
    assert not [f for f in findings if f["rule"] == "port-conflict"]


# -- stats ----------------------------------------------------------------------------------

TWO_FLIGHTS = [
    # A Soyuz with two cosmonauts and a NASA astronaut for ten days...
    flight("soyuz", "2030-01-01T00:00:00Z", "2030-01-11T00:00:00Z", ["ru1", "ru2", "nasa1"]),
    # ...joined for four days by a Dragon with two NASA astronauts and a JAXA one.
    flight("dragon", "2030-01-05T00:00:00Z", "2030-01-09T00:00:00Z", ["nasa2", "nasa3", "jp1"], vehicle="Crew Dragon"),
]


def test_stats_add_up_a_period_by_hand() -> None:
    manifest = build(*TWO_FLIGHTS)
    (period,) = station_stats(manifest, t("2030-01-01"), t("2030-01-21"), "year").periods
    assert (period.label, period.days, period.crewed_days, period.peak_crew) == ("2030", 20.0, 10.0, 6)
    assert period.mean_crew == pytest.approx((3 * 10 + 3 * 4) / 20)
    assert period.person_days_by_nationality == {"RU": 20.0, "US": 18.0, "JP": 4.0}
    assert period.person_days_by_agency == {"Roscosmos": 20.0, "NASA": 18.0, "JAXA": 4.0}
    # Roscosmos rides home on the Soyuz alone all ten days; NASA only while the Dragon is away (6 days).
    assert period.exposure_days == {"NASA": 6.0, "Roscosmos": 10.0}
    assert period.shortfall_days == 0.0


def test_stats_split_at_years_and_count_seat_shortfalls() -> None:
    manifest = build(
        flight("soyuz", "2030-12-30T00:00:00Z", "2031-01-03T00:00:00Z", ["ru1", "ru2", "nasa1"], grounded="2031-01-01"),
    )
    first, second = station_stats(manifest, t("2030-12-30"), t("2031-01-03"), "year").periods
    assert (first.label, first.days, first.shortfall_days) == ("2030", 2.0, 0.0)
    assert (second.label, second.days, second.shortfall_days) == ("2031", 2.0, 2.0)


def test_stats_by_expedition_use_the_manifests_expeditions(cli, write) -> None:
    text = (
        manifest_text(*TWO_FLIGHTS)
        + '\n[expeditions]\n1 = 2030-01-01T00:00:00Z\n2 = { docked = "dragon" }\n3 = "dragon"\n'
    )
    data = cli("stats", str(write(text)), "--by", "expedition", "--format", "json").json()
    assert [(p["period"], p["start"], p["end"]) for p in data["periods"]] == [
        ("Expedition 1", "2030-01-01T00:00:00Z", "2030-01-05T00:00:00Z"),
        ("Expedition 2", "2030-01-05T00:00:00Z", "2030-01-09T00:00:00Z"),
        ("Expedition 3", "2030-01-09T00:00:00Z", "2030-01-11T00:00:00Z"),
    ]
    assert [p["peak_crew"] for p in data["periods"]] == [3, 6, 3]
    without = cli("stats", str(write(manifest_text(*TWO_FLIGHTS), "plain.toml")), "--by", "expedition")
    assert without.exit_code == 2 and "the manifest names no [expeditions]" in without.stderr


def test_stats_on_the_record_show_the_seat_swap(cli) -> None:
    years = {p["period"]: p for p in cli("stats", "--format", "json").json()["periods"]}
    # Before the swap a partner rode home on one vehicle for months of each year; after it, only while a
    # crewed vehicle moved between ports with its crew (minutes), until Crew-11's early return in January 2026.
    assert years["2021"]["exposure_days"]["Roscosmos"] > 150
    minutes = {"2023": 37, "2024": 49 + 50, "2025": 0}  # MS-23 08:45-09:22; Crew-8 12:57-13:46, Crew-9 11:35-12:25
    for year, moved in minutes.items():
        exposure = pytest.approx(moved / 1440, abs=0.0001)
        assert years[year]["exposure_days"] == {"NASA": exposure, "Roscosmos": exposure}
    assert years["2026"]["exposure_days"]["NASA"] == pytest.approx(30.9, abs=0.1)
    assert years["2022"]["shortfall_days"] == 18.0  # MS-22's leak: 14 to 31 December 2022
    assert years["2009"]["peak_crew"] == 13


def test_stats_formats(cli) -> None:
    text = cli("stats", "--from", "2022-01-01", "--until", "2024-01-01", "--format", "text").stdout.splitlines()
    assert text[0] == "span\t2022-01-01T00:00:00Z\t2024-01-01T00:00:00Z\tyear"
    assert [line.split("\t")[1] for line in text if line.startswith("period")] == ["2022", "2023"]
    csv_lines = cli("stats", "--from", "2022-01-01", "--until", "2024-01-01", "--format", "csv").stdout.splitlines()
    assert csv_lines[0].startswith("period,start,end,days,crewed_days,mean_crew,peak_crew,exposure_days_NASA")
    table = cli("stats", "--from", "2022-01-01", "--until", "2024-01-01", "--format", "table").stdout
    assert "Days a core partner rode home on a single vehicle" in table and "▓" in table
