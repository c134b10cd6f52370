"""Every bundled station: `--station`, `show --all-stations`, and the Open Notify feed across stations."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import BUNDLED, ROOT, flight, manifest_text

TIANGONG = ROOT / "manifests" / "tiangong.toml"

# Each command that reads one manifest, with what it needs besides it (ids of Tiangong flights).
COMMANDS = {
    "show": ("show", "--at", "2025-11-20", "--format", "text"),
    "check": ("check", "--all", "--format", "text"),
    "timeline": ("timeline", "--from", "2025-01-01", "--until", "2026-01-01", "--format", "text"),
    "stats": ("stats", "--format", "text"),
    "margins": ("margins", "--at", "2025-11-01", "--format", "text"),
    "dump": ("dump",),
    "slip": ("slip", "shenzhou-23", "14"),
    "ground": ("ground", "shenzhou-21", "2026-01-01"),
    "record": ("record", "shenzhou-24", "--note", "Not launched as of the test."),
    "swaps": ("swaps", "--format", "json"),
}


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("station", ["tiangong", "css", "Tiangong-Space-Station"])
def test_station_reads_the_bundled_record_as_if_named(cli, name: str, station: str) -> None:
    args = COMMANDS[name]
    named = cli(*args, str(TIANGONG))
    chosen = cli(*args, "--station", station)
    assert chosen.exit_code == named.exit_code, chosen.stderr
    assert chosen.stdout == named.stdout
    if name == "swaps":  # one core partner: nobody to swap seats with
        assert chosen.json()["rides"] == []
    else:
        assert "shenzhou" in chosen.stdout or "CMSA" in chosen.stdout


ON_THE_ISS = {
    **COMMANDS,
    "slip": ("slip", "soyuz-ms-22", "14"),
    "ground": ("ground", "soyuz-ms-22", "2022-12-15"),
    "record": ("record", "ax-5", "--note", "Not launched as of the test."),
}


# Commands that edit read the whole file with tomlkit (about a second each): left to CI by default.
EDITS = ("slip", "ground", "record")


@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=pytest.mark.slow) if name in EDITS else name for name in ON_THE_ISS]
)
@pytest.mark.parametrize("station", ["iss", "international-space-station"])
def test_station_iss_is_the_default(cli, name: str, station: str) -> None:
    args = ON_THE_ISS[name]
    default = cli(*args)
    chosen = cli(*args, "--station", station)
    assert chosen.exit_code == default.exit_code, chosen.stderr
    assert chosen.exit_code in (0, 1) and chosen.stdout == default.stdout


def test_a_manifest_wins_over_station(cli) -> None:
    run = cli("show", str(BUNDLED), "--station", "tiangong", "--at", "2025-11-20", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["station"] == "International Space Station"


def test_an_unknown_station_is_one_line_naming_the_choices(cli) -> None:
    run = cli("show", "--station", "mir")
    assert run.exit_code == 2
    assert run.stdout == ""
    (line,) = run.stderr.splitlines()
    assert 'no bundled station "mir"' in line and "iss" in line and "tiangong" in line and "css" in line


def test_completion_offers_the_station_names_and_aliases() -> None:
    from issmanifest.cli.commands import _complete_station

    assert _complete_station("") == [
        "iss",
        "international-space-station",
        "tiangong",
        "css",
        "china-space-station",
        "tiangong-space-station",
    ]
    assert _complete_station("t") == ["tiangong", "tiangong-space-station"]


def test_bundled_manifest_finds_each_station_by_name_or_alias() -> None:
    from issmanifest.manifest.loading import bundled_manifest, station_named

    assert bundled_manifest().resolve() == BUNDLED
    assert bundled_manifest("tiangong").resolve() == TIANGONG
    assert station_named("CSS").name == "tiangong"
    with pytest.raises(ValueError, match="no bundled station"):
        station_named("skylab")


def test_show_station_tiangong_on_2025_11_20_lists_the_three_aboard(cli) -> None:
    run = cli("show", "--station", "tiangong", "--at", "2025-11-20", "--format", "json")
    assert run.exit_code == 0, run.stderr
    result = run.json()
    assert result["station"] == "Tiangong"
    assert sorted(member["name"] for member in result["aboard"]) == ["Wu Fei", "Zhang Hongzhang", "Zhang Lu"]


def test_check_station_tiangong_reports_the_lifeboat_gap_until_shenzhou_22(cli) -> None:
    run = cli("check", "--station", "tiangong", "--from", "2025-11-01", "--until", "2025-12-01", "--format", "json")
    assert run.exit_code == 1, run.stderr
    errors = [f for f in run.json()["findings"] if f["severity"] == "error"]
    assert [(f["rule"], f["start"], f["end"]) for f in errors] == [
        ("lifeboat-seats", "2025-11-04T00:00:00Z", "2025-11-25T07:50:00Z")
    ]


def test_check_station_tiangong_all_tells_the_uncrewed_spells_in_words_for_one_partner(cli) -> None:
    run = cli("check", "--station", "tiangong", "--all", "--format", "text")
    assert run.exit_code == 1, run.stderr
    assert "CMSA has no one aboard from 2021-09-16 00:56" in run.stdout
    assert "NASA" not in run.stdout and "Roscosmos" not in run.stdout and "partners" not in run.stdout


def test_open_notify_counts_everyone_on_every_station(cli) -> None:
    # The public feed in April 2026: 10 people, 7 on the ISS and 3 on Tiangong (tests/feeds/ has its copy).
    run = cli("show", "--format", "open-notify", "--at", "2026-04-20")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    # The feed's keys, and what tells plans from facts (docs/json.md): per station when there are several.
    assert set(data) == {"message", "number", "people", "number_confirmed", "stations"}
    assert [(s["craft"], s["number"]) for s in data["stations"]] == [("ISS", 7), ("Tiangong", 3)]
    assert data["number"] == 10 == len(data["people"])
    assert Counter(person["craft"] for person in data["people"]) == {"ISS": 7, "Tiangong": 3}
    assert {"Zhang Lu", "Jessica Meir"} <= {person["name"] for person in data["people"]}


def test_open_notify_with_a_station_or_a_manifest_is_that_station_alone(cli, write) -> None:
    tiangong = cli("show", "--station", "tiangong", "--format", "open-notify", "--at", "2026-04-20").json()
    assert tiangong["number"] == 3 and {p["craft"] for p in tiangong["people"]} == {"Tiangong"}
    iss = cli("show", str(BUNDLED), "--format", "open-notify", "--at", "2026-04-20").json()
    assert iss["number"] == 7 and {p["craft"] for p in iss["people"]} == {"ISS"}

    # Any other station is named as its manifest names it: a one-partner station of the tests.
    solo = write(
        manifest_text(
            flight("esa-1", "2030-01-01", "2030-06-01", up=["esa1"], down=["esa1"]),
            header='[station]\nname = "Solo"\ncore_partners = ["ESA"]\n',
        )
    )
    data = cli("show", str(solo), "--format", "open-notify", "--at", "2030-02-01").json()
    assert data == {
        "message": "success",
        "number": 1,
        "people": [{"name": "Eva Eder", "craft": "Solo", "unconfirmed": False}],
        "number_confirmed": 1,
        "as_of": None,
        "known_until": "2030-06-01",
        "beyond_known": False,
        "past_last_event": False,
    }


def test_all_stations_json_lists_each_station_and_counts_across_them(cli) -> None:
    run = cli("show", "--all-stations", "--at", "2026-04-20", "--format", "json")
    assert run.exit_code == 0, run.stderr
    result = run.json()
    assert set(result) == {"version", "at", "number", "by_nationality", "stations"}
    assert result["number"] == 10 and result["at"] == "2026-04-20T00:00:00Z"
    assert result["by_nationality"] == {"CN": 3, "FR": 1, "RU": 3, "US": 3}
    assert [s["station"] for s in result["stations"]] == ["International Space Station", "Tiangong"]
    assert [len(s["aboard"]) for s in result["stations"]] == [7, 3]
    assert "version" not in result["stations"][0]
    assert result["stations"][1]["core_partners"] == {"CMSA": True}
    assert result["stations"][1]["continuity"]["represented_throughout"] is True
    # Without --all-stations, JSON stays one station: the ISS, as `show` gives it.
    alone = cli("show", "--at", "2026-04-20", "--format", "json").json()
    assert alone == {"version": 1, **result["stations"][0]}


def test_all_stations_table_shows_both_stations_and_their_continuity(cli) -> None:
    run = cli("show", "--all-stations", "--at", "2025-11-20", "--format", "table")
    assert run.exit_code == 0, run.stderr
    out = run.stdout
    assert "In space at 2025-11-20 UTC: 10 aboard 2 stations" in out
    assert "International Space Station: 7 aboard" in out and "Tiangong: 3 aboard" in out
    assert "By nationality, all stations: CN 3;" in out
    assert "Tiangong: Core partner: CMSA aboard. CMSA stays represented through 2026-10-15" in out


def test_all_stations_text_and_csv_name_the_station_on_each_line(cli) -> None:
    text = cli("show", "--all-stations", "--at", "2025-11-20", "--format", "text").stdout.splitlines()
    assert "number\t10" in text
    assert "station\tTiangong\t3" in text
    assert "aboard\tTiangong\tzhang-lu\tZhang Lu\tCN\tCMSA\tshenzhou-21\tshenzhou-22" in text
    assert "continuity\tTiangong\trepresented\t2026-10-15" in text
    assert "partner\tInternational Space Station\tRoscosmos\taboard" in text
    assert "nationality\tCN\t3" in text
    csv = cli("show", "--all-stations", "--at", "2025-11-20", "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("station,person,name,nationality")
    assert sum(row.startswith("Tiangong,") for row in csv) == 3 and len(csv) == 11


@pytest.mark.parametrize("extra", [("--station", "iss"), (str(BUNDLED),)])
def test_all_stations_refuses_a_manifest_or_a_station(cli, extra: tuple[str, ...]) -> None:
    run = cli("show", "--all-stations", *extra)
    assert run.exit_code == 2
    assert run.stderr == (
        "issmanifest: Invalid value for --all-stations: shows every bundled station: give no MANIFEST or --station\n"
    )
