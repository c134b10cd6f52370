"""The bundled Tiangong record, and a station with one core partner."""

from __future__ import annotations

from issmanifest.manifest import defaults
from issmanifest.manifest.loading import load_manifest
from tests.conftest import ROOT, flight, manifest_text

TIANGONG = ROOT / "manifests" / "tiangong.toml"

SOLO = '[station]\nname = "Solo"\ncore_partners = ["ESA"]\n'


def test_the_tiangong_record_loads_with_its_station_vehicle_and_agency() -> None:
    manifest = load_manifest(TIANGONG)
    assert manifest.station.name == "Tiangong"
    assert manifest.station.core_partners == ("CMSA",)
    assert [f.id for f in manifest.flights] == [f"shenzhou-{n}" for n in range(12, 25)]
    assert {f.vehicle for f in manifest.flights} == {"Shenzhou"}
    lifeboat = next(f for f in manifest.flights if f.id == "shenzhou-22")
    assert lifeboat.up == () and lifeboat.down == ("zhang-lu", "wu", "zhang-hongzhang")
    assert manifest.vehicles["Shenzhou"].seats == 3 and manifest.vehicles["Shenzhou"].lifeboat == "any"
    assert defaults.AGENCIES["CMSA"].country == "CN" and defaults.AGENCIES["CNSA"].country == "CN"


def test_show_on_2025_11_20_lists_the_three_left_aboard(cli) -> None:
    run = cli("show", str(TIANGONG), "--at", "2025-11-20", "--format", "json")
    assert run.exit_code == 0, run.stderr
    result = run.json()
    assert result["station"] == "Tiangong"
    assert {member["name"] for member in result["aboard"]} == {"Zhang Lu", "Wu Fei", "Zhang Hongzhang"}
    assert {member["returns_on"] for member in result["aboard"]} == {"shenzhou-22"}
    assert result["core_partners"] == {"CMSA": True}


def test_show_table_names_the_one_core_partner_in_the_singular(cli) -> None:
    run = cli("show", str(TIANGONG), "--at", "2025-11-20", "--format", "table")
    assert run.exit_code == 0, run.stderr
    assert "Tiangong at 2025-11-20 UTC: 3 aboard" in run.stdout
    assert "Core partner: CMSA aboard. CMSA stays represented through 2026-10-15" in run.stdout
    assert "Core partners" not in run.stdout and "All stay" not in run.stdout


def test_check_reports_the_shenzhou_20_lifeboat_gap_until_shenzhou_22_docked(cli) -> None:
    run = cli("check", str(TIANGONG), "--from", "2025-11-01", "--until", "2025-12-01", "--format", "json")
    assert run.exit_code == 1, run.stdout + run.stderr
    errors = [finding for finding in run.json()["findings"] if finding["severity"] == "error"]
    assert len(errors) == 1
    (gap,) = errors
    # Grounded on the day the crack was found (2025-11-04), through the Shenzhou-20 crew's return on
    # Shenzhou-21 (2025-11-14), until the uncrewed Shenzhou-22 docked (2025-11-25 15:50 BJT).
    assert gap["rule"] == "lifeboat-seats" and gap["flight"] == "shenzhou-20"
    assert (gap["start"], gap["end"]) == ("2025-11-04T00:00:00Z", "2025-11-25T07:50:00Z")
    assert gap["message"] == "6 aboard but 3 seats home in docked vehicles; shenzhou-20 grounded"


def test_check_all_finds_the_two_uncrewed_spells_and_the_lifeboat_gap(cli) -> None:
    run = cli("check", str(TIANGONG), "--all", "--format", "json")
    assert run.exit_code == 1, run.stdout + run.stderr
    errors = [(f["rule"], f["start"], f["end"]) for f in run.json()["findings"] if f["severity"] == "error"]
    assert errors == [
        ("partner-presence", "2021-09-16T00:56:00Z", "2021-10-15T22:56:00Z"),  # Shenzhou-12 left, 13 came
        ("partner-presence", "2022-04-15T16:44:00Z", "2022-06-05T09:42:00Z"),  # Shenzhou-13 left, 14 came
        ("lifeboat-seats", "2025-11-04T00:00:00Z", "2025-11-25T07:50:00Z"),
    ]


def test_a_station_with_one_core_partner_checks_that_one(cli, write) -> None:
    # ESA's astronaut leaves a JAXA astronaut alone for ten days; nobody from NASA or Roscosmos ever flies.
    path = write(
        manifest_text(
            flight("a", "2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z", ["esa1"]),
            flight("b", "2030-01-15T00:00:00Z", "2030-03-01T00:00:00Z", ["jp1"]),
            flight("c", "2030-02-11T00:00:00Z", "2030-04-01T00:00:00Z", ["esa1"]),
            header=SOLO,
        )
    )
    run = cli("check", str(path), "--all", "--format", "json")
    assert run.exit_code == 1, run.stdout + run.stderr
    gaps = [(f["rule"], f["subject"], f["start"], f["end"], f["message"]) for f in run.json()["findings"]]
    assert (
        "partner-presence",
        "ESA",
        "2030-02-01T00:00:00Z",
        "2030-02-11T00:00:00Z",
        "no ESA crew aboard for 10 days, after a leaves, until c arrives",
    ) in gaps
    assert not [gap for gap in gaps if gap[1] in ("NASA", "Roscosmos")]
    verdict = cli("check", str(path), "--all", "--format", "table").stdout.splitlines()[0]
    assert verdict.startswith("FAIL  ESA has no one aboard from 2030-02-01 for 10 days")

    whole = cli("check", str(path), "--from", "2030-02-11", "--until", "2030-03-01", "--format", "table")
    assert whole.exit_code == 0, whole.stdout
    assert whole.stdout.startswith("OK  ESA aboard without a break from 2030-02-11 through 2030-03-01")
    assert "both" not in whole.stdout and "NASA" not in whole.stdout

    shown = cli("show", str(path), "--at", "2030-02-05", "--format", "table").stdout
    assert "Core partner: ESA ABSENT" in shown
    assert "ESA: no one aboard from 2030-02-05 to 2030-02-11" in shown
    shown = cli("show", str(path), "--at", "2030-02-20", "--format", "table").stdout
    assert "Core partner: ESA aboard. ESA stays represented through 2030-04-01" in shown
