"""What-ifs on the command line: margins, slip and ground; manifests written anew with tomli-w, or edited in place."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import BUNDLED, ROOT, flight, manifest_text

from issmanifest.manifest.loading import load_manifest, parse_manifest
from issmanifest.manifest.writing import dumps_manifest
from issmanifest.reports.whatif import ground, slip

ROTATION = manifest_text(
    flight("soyuz-a", "2030-01-01T03:00:00Z", "2030-06-01T00:00:00Z", ["nasa1", "ru1"], port="Rassvet"),
    flight("soyuz-b", "2030-05-25T03:00:00Z", None, ["nasa2", "ru2"], port="Prichal"),
    header='[vehicles]\n"Soyuz MS" = { max_docked_days = 200 }\n',
)


# -- writing a manifest back ------------------------------------------------------------------------


def test_the_bundled_record_written_back_reads_as_the_same_manifest() -> None:
    record = load_manifest(BUNDLED)
    again = parse_manifest(dumps_manifest(record), "again.toml")
    assert again == record.named("again.toml")
    assert again.expeditions == record.expeditions and again.vehicles == record.vehicles


def test_only_what_differs_from_the_defaults_and_shorthands_is_written() -> None:
    document = tomllib.loads(dumps_manifest(parse_manifest(ROTATION, "r.toml")))
    assert document["vehicles"] == {"Soyuz MS": {"seats": 3, "lifeboat": "any", "max_docked_days": 200}}
    assert "agencies" not in document
    first = document["flights"][0]
    assert "dock" not in first and "down" not in first  # the same as launch and up: left to the defaults


def test_untrusted_text_stays_data_in_the_toml() -> None:
    text = manifest_text(flight("a", "2030-01-01T00:00:00Z", None, ["nasa1"], note='evil "\x1b[2J" [bold]x[/]'))
    written = dumps_manifest(parse_manifest(text, "m.toml"))
    assert "\x1b" not in written
    assert parse_manifest(written, "again.toml").flights[0].note == 'evil "\x1b[2J" [bold]x[/]'


# -- slip and ground as a library --------------------------------------------------------------------


def test_slip_moves_the_fields_asked_for_and_nothing_else() -> None:
    manifest = parse_manifest(ROTATION, "r.toml")
    day = 86_400
    arrival = slip(manifest, "soyuz-a", 2 * day).flight("soyuz-a")
    original = manifest.flight("soyuz-a")
    assert arrival.launch.seconds == original.launch.seconds + 2 * day
    assert arrival.dock.seconds == original.dock.seconds + 2 * day
    assert arrival.undock == original.undock
    departure = slip(manifest, "soyuz-a", -day, "undock").flight("soyuz-a")
    assert departure.dock == original.dock and departure.undock.seconds == original.undock.seconds - day  # type: ignore[union-attr]
    assert slip(manifest, "soyuz-a", 0) == manifest
    with pytest.raises(ValueError, match="has no undock"):
        slip(manifest, "soyuz-b", day, "undock")


def test_a_bare_date_slips_only_by_whole_days() -> None:
    text = ROTATION.replace("undock = 2030-06-01T00:00:00Z", "undock = 2030-06-01")
    manifest = parse_manifest(text, "r.toml")
    assert slip(manifest, "soyuz-a", 86_400, "undock").flight("soyuz-a").undock.iso() == "2030-06-02"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="date without a time of day"):
        slip(manifest, "soyuz-a", 43_200, "undock")


def test_ground_marks_the_flight_grounded_from_then_on() -> None:
    manifest = parse_manifest(ROTATION, "r.toml")
    grounded = ground(manifest, "soyuz-a", manifest.flight("soyuz-b").dock)
    assert grounded.flight("soyuz-a").grounded == manifest.flight("soyuz-b").dock
    assert grounded.flight("soyuz-b") == manifest.flight("soyuz-b")


# -- the commands --------------------------------------------------------------------------------------


def test_slip_by_zero_writes_a_manifest_diff_finds_identical(cli) -> None:
    written = cli("slip", "soyuz-ms-29", "0")
    assert written.exit_code == 0, written.stderr
    assert written.stdout == BUNDLED.read_text(encoding="utf-8")  # the file itself, comments and all
    compared = cli("diff", str(BUNDLED), "-", "--format", "json", input=written.stdout)
    assert compared.exit_code == 0, compared.stdout
    assert compared.json()["changes"] == []


def test_a_slip_piped_into_diff_shows_the_slip_and_what_it_costs(cli) -> None:
    slipped = cli("slip", "soyuz-ms-29", "14")
    assert slipped.exit_code == 0, slipped.stderr
    compared = cli("diff", str(BUNDLED), "-", "--format", "json", input=slipped.stdout)
    assert compared.exit_code == 1
    changes = compared.json()["changes"]
    assert {(c["flight"], c["field"], c["shift_days"]) for c in changes} == {
        ("soyuz-ms-29", "launch", 14),
        ("soyuz-ms-29", "dock", 14),
    }
    # Soyuz MS-28 leaves on 2026-07-26 while MS-29 now docks on 07-28: Crew-12 alone carries both partners home,
    # and for those two days no NASA astronaut aboard rides home on a Soyuz (the swap's gap).
    introduced = compared.json()["continuity"]["introduced"]
    assert {(f["rule"], f["subject"]) for f in introduced} == {
        ("vehicle-loss", "crew-12/NASA"),
        ("vehicle-loss", "crew-12/Roscosmos"),
        ("swap-gap", "NASA"),
    }


def test_a_negative_slip_needs_no_double_dash(cli, write) -> None:
    path = write(ROTATION)
    run = cli("slip", "soyuz-b", "-2", str(path))
    assert run.exit_code == 0, run.stderr
    assert parse_manifest(run.stdout, "x").flight("soyuz-b").dock.iso() == "2030-05-23T03:00:00Z"


def test_slip_refuses_what_it_cannot_do_in_one_line(cli, write) -> None:
    path = str(write(ROTATION))
    unknown = cli("slip", "soyuz", "1", path)
    assert unknown.exit_code == 2
    assert (
        unknown.stderr
        == f'issmanifest: Invalid value for FLIGHT: no flight "soyuz" in {path} (did you mean one of "soyuz-a", "soyuz-b"?)\n'
    )
    invalid = cli("slip", "soyuz-a", "200", path)
    assert invalid.exit_code == 2 and invalid.stdout == ""
    assert invalid.stderr == (
        "issmanifest: soyuz-a launch +200 days would make the manifest invalid: flights[soyuz-a].undock: "
        "undock 2030-06-01T00:00:00Z is before dock 2030-07-20T03:00:00Z\n"
    )
    bundled = cli("slip", "crew-12", "1", "--in-place")
    assert bundled.exit_code == 2
    assert "cannot replace the bundled manifest; write a copy with --output" in bundled.stderr


def test_in_place_replaces_the_file_atomically_and_keeps_its_comments(cli, write) -> None:
    path = write("# planning copy\n" + ROTATION)
    same = cli("slip", "soyuz-b", "3", str(path), "-o", str(path))
    assert same.exit_code == 2 and "use --in-place" in same.stderr
    run = cli("slip", "soyuz-b", "3", str(path), "--in-place")
    assert run.exit_code == 0, run.stderr
    assert run.stderr == f"wrote {path}\n"
    text = path.read_text(encoding="utf-8")
    assert text == ("# planning copy\n" + ROTATION).replace("2030-05-25T03:00:00Z", "2030-05-28T03:00:00Z")
    assert parse_manifest(text, "m").flight("soyuz-b").dock.iso() == "2030-05-28T03:00:00Z"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


def test_output_goes_to_a_new_file(cli, write, tmp_path: Path) -> None:
    path = write(ROTATION)
    out = tmp_path / "whatif.toml"
    run = cli("ground", "soyuz-a", "2030-03-01", str(path), "-o", str(out))
    assert run.exit_code == 0 and run.stdout == ""
    grounded = load_manifest(out).flight("soyuz-a").grounded
    assert grounded is not None and grounded.iso() == "2030-03-01"


def test_grounding_shows_in_check(cli, write) -> None:
    path = write(ROTATION)
    grounded = cli("ground", "soyuz-a", "2030-03-01T00:00:00Z", str(path))
    assert grounded.exit_code == 0, grounded.stderr
    checked = cli("check", "-", "--from", "2030-03-01", "--format", "json", input=grounded.stdout)
    assert checked.exit_code == 1
    rules = {(f["rule"], f["start"]) for f in checked.json()["findings"] if f["severity"] == "error"}
    assert ("lifeboat-seats", "2030-03-01T00:00:00Z") in rules


def test_margins_json_follows_the_documented_contract(cli, write) -> None:
    path = write(ROTATION)
    run = cli("margins", str(path), "--at", "2030-03-01", "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    documented = _documented("issmanifest margins --format json")
    assert data.keys() == documented.keys()
    assert all(entry.keys() == documented["margins"][0].keys() for entry in data["margins"])
    assert [(m["flight"], m["event"], m["direction"]) for m in data["margins"]] == [
        ("soyuz-b", "arrival", "delay"),
        ("soyuz-a", "departure", "delay"),
        ("soyuz-a", "departure", "advance"),
    ]
    first = data["margins"][0]
    assert first["days"] == pytest.approx(6.875) and first["rule"] == "partner-presence"
    assert data["margins"][1]["days"] is None and data["margins"][1]["rule"] is None


def _documented(heading: str) -> dict:
    """The example JSON under a heading of docs/json.md."""
    text = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    section = text.split(f"## `{heading}`", 1)[1]
    return json.loads(section.split("```json", 1)[1].split("```", 1)[0])


def test_the_documented_examples_are_what_the_bundled_record_gives(cli) -> None:
    shown = cli("show", "--at", "2022-07-28", "--format", "json").json()
    assert shown["margin"] == _documented("issmanifest show --format json")["margin"]
    given = cli("margins", "--at", "2025-11-01", "--format", "json").json()
    documented = _documented("issmanifest margins --format json")
    assert given["margins"][0] == documented["margins"][0]
    assert documented["margins"][1] in given["margins"]
    assert {key: given[key] for key in ("at", "handover", "horizon")} == {
        key: documented[key] for key in ("at", "handover", "horizon")
    }


def test_margins_with_handover_name_the_docked_life(cli, write) -> None:
    run = cli("margins", str(write(ROTATION)), "--at", "2030-03-01", "--handover", "--format", "text")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "at\t2030-03-01T00:00:00Z\thandover"
    assert lines[1] == (
        "margin\tsoyuz-b\tarrival\tdelay\t2030-05-25T03:00:00Z\t49.125\tdocked-life\t"
        "soyuz-a would stay docked past the 200-day docked life of a Soyuz MS\t-"
    )


def test_margins_table_and_csv(cli, write) -> None:
    path = str(write(ROTATION))
    table = cli("margins", path, "--at", "2030-03-01", "--format", "table")
    assert "soyuz-b docks later: 6 days 21 h" in table.stdout
    assert "then partner-presence: no NASA crew aboard" in table.stdout
    csv = cli("margins", path, "--at", "2030-03-01", "--format", "csv")
    assert (
        csv.stdout.splitlines()[0]
        == "flight,event,direction,scheduled,days,rule,message,people,already_broken,unconfirmed"
    )
    assert csv.stdout.splitlines()[2].startswith("soyuz-a,departure,delay,2030-06-01T00:00:00Z,,,,")


def test_show_puts_the_margin_of_the_next_rotation_next_to_the_verdict(cli, write) -> None:
    path = str(write(ROTATION))
    table = cli("show", path, "--at", "2030-03-01", "--format", "table")
    assert "Margin: soyuz-b arrival can slip 6 days 21 h before partner-presence breaks" in table.stdout.replace(
        "\n", " "
    )
    data = cli("show", path, "--at", "2030-03-01", "--format", "json").json()
    assert data["margin"]["flight"] == "soyuz-b" and data["margin"]["days"] == pytest.approx(6.875)
    text = cli("show", path, "--at", "2030-03-01", "--format", "text").stdout
    assert "margin\tsoyuz-b\tarrival\tdelay\t2030-05-25T03:00:00Z\t6.875\tpartner-presence\t" in text


def test_flight_ids_complete_from_the_manifest(cli, write) -> None:
    from issmanifest.cli.commands import _complete_flight

    ctx = SimpleNamespace(params={"manifest": str(write(ROTATION))})
    assert _complete_flight(ctx, "soyuz-") == ["soyuz-a", "soyuz-b"]  # type: ignore[arg-type]
    assert "soyuz-ms-29" in _complete_flight(SimpleNamespace(params={}), "soyuz-ms-2")  # type: ignore[arg-type]
