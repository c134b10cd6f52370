"""`issmanifest diff`, `dump` and `git-diff`: semantic changes, their continuity impact, and git."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w
from conftest import BUNDLED, PEOPLE, build, examples, flight, manifest_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import manifest_documents

from issmanifest.manifest.canonical import dump_lines
from issmanifest.manifest.loading import parse_manifest
from issmanifest.reports.diff import Change, diff_manifests

BASE = [
    flight(
        "soyuz-ms-22",
        "2022-09-21T17:06:00Z",
        "2023-03-28T09:57:00Z",
        ["ru1", "ru2", "nasa1"],
        down=[],
        grounded="2022-12-14",
    ),
    flight(
        "crew-5",
        "2022-10-06T21:01:00Z",
        "2023-03-11T07:19:00Z",
        ["nasa2", "nasa3", "jp1", "ru3"],
        vehicle="Crew Dragon",
    ),
    flight("soyuz-ms-23", "2023-02-26T00:58:00Z", "2023-09-27T07:54:00Z", [], down=["ru1", "ru2", "nasa1"]),
]


def changes(old: list[str], new: list[str], header_old: str = "", header_new: str = "") -> list[Change]:
    return list(diff_manifests(build(*old, header=header_old), build(*new, header=header_new)).changes)


def test_a_manifest_has_no_changes_against_itself() -> None:
    assert changes(BASE, BASE) == []


def test_a_slip_is_a_field_change_with_its_shift_in_days() -> None:
    slipped = [BASE[0], BASE[1], BASE[2].replace("2023-02-26T00:58:00Z", "2023-03-10T00:58:00Z")]
    assert changes(BASE, slipped) == [
        Change(
            "flight-changed",
            flight="soyuz-ms-23",
            field="launch",
            old="2023-02-26T00:58:00Z",
            new="2023-03-10T00:58:00Z",
            shift_days=12.0,
        ),
        Change(
            "flight-changed",
            flight="soyuz-ms-23",
            field="dock",
            old="2023-02-26T00:58:00Z",
            new="2023-03-10T00:58:00Z",
            shift_days=12.0,
        ),
    ]


def test_added_removed_and_renamed_flights() -> None:
    extra = flight("ax-1", "2022-04-09T12:29:00Z", "2022-04-25T01:10:00Z", ["esa1"], vehicle="Crew Dragon")
    assert changes(BASE, [*BASE, extra]) == [Change("flight-added", flight="ax-1", new="Crew Dragon")]
    assert changes([*BASE, extra], BASE) == [Change("flight-removed", flight="ax-1", old="Crew Dragon")]
    renamed = [BASE[0], BASE[1].replace('id = "crew-5"', 'id = "spacex-crew-5"'), BASE[2]]
    assert changes(BASE, renamed) == [
        Change("flight-changed", flight="spacex-crew-5", field="id", old="crew-5", new="spacex-crew-5")
    ]


def test_a_person_moved_to_another_flight_is_one_move() -> None:
    old = [
        flight("soyuz-ms-22", "2022-09-21T17:06:00Z", "2023-03-28T09:57:00Z", ["ru1", "ru2", "nasa1"]),
        BASE[1],
    ]
    result = changes(old, BASE)
    assert Change("flight-added", flight="soyuz-ms-23", new="Soyuz MS") in result
    moves = [change for change in result if change.kind == "crew-changed"]
    assert moves == [
        Change(
            "crew-changed", flight="soyuz-ms-23", person="nasa1", field="down", old="soyuz-ms-22", new="soyuz-ms-23"
        ),
        Change("crew-changed", flight="soyuz-ms-23", person="ru1", field="down", old="soyuz-ms-22", new="soyuz-ms-23"),
        Change("crew-changed", flight="soyuz-ms-23", person="ru2", field="down", old="soyuz-ms-22", new="soyuz-ms-23"),
    ]


def test_people_added_to_and_removed_from_a_crew() -> None:
    swapped = [BASE[0], BASE[1].replace('"jp1"', '"esa1"'), BASE[2]]
    assert changes(BASE, swapped) == [
        Change("crew-changed", flight="crew-5", person="esa1", field="up", new="crew-5"),
        Change("crew-changed", flight="crew-5", person="jp1", field="up", old="crew-5"),
        Change("crew-changed", flight="crew-5", person="esa1", field="down", new="crew-5"),
        Change("crew-changed", flight="crew-5", person="jp1", field="down", old="crew-5"),
    ]


def test_people_station_vehicle_and_agency_changes() -> None:
    people = PEOPLE.replace(
        'esa1 = { name = "Eva Eder", agency = "ESA", nationality = "DE" }',
        'esa1 = { name = "Eva Eder", agency = "ESA", nationality = "FR" }',
    )
    people = people.replace(
        'jp1 = { name = "Jun Jo", agency = "JAXA", nationality = "JP" }\n',
        'kim = { name = "Kim Ko", agency = "KARI", nationality = "KR" }\n',
    )
    header = '[station]\nmax_crew = 7\n[vehicles]\n"Soyuz MS" = { seats = 4 }\n[agencies]\nKARI = { country = "KR" }\n'
    result = list(diff_manifests(build(*BASE[:1]), build(*BASE[:1], header=header, people=people)).changes)
    assert result == [
        Change("station-changed", field="max_crew", old=None, new=7),
        Change("agency-changed", subject="KARI", new="KARI"),
        Change("vehicle-changed", subject="Soyuz MS", field="seats", old=3, new=4),
        Change("person-changed", person="esa1", field="nationality", old="DE", new="FR"),
        Change("person-removed", person="jp1", old="Jun Jo"),
        Change("person-added", person="kim", new="Kim Ko"),
    ]


def test_reordering_comments_and_equal_values_written_differently_are_no_change() -> None:
    original = manifest_text(*BASE)
    reordered = manifest_text(BASE[2], BASE[0], BASE[1])
    rewritten = (
        original.replace("2022-09-21T17:06:00Z", "2022-09-21T20:06:00+03:00")
        .replace("2023-03-11T07:19:00Z", "2023-03-11T07:19:00+00:00")
        .replace("format = 1\n", "# a comment\nformat   =   1  # trailing\n")
        .replace('nasa1 = { name = "Ann Able", agency = "NASA", nationality = "US" }\n', "")
        + '\n[people.nasa1]\nnationality = "US"\nname = "Ann Able"\nagency = "NASA"\n'
    )
    for other in (reordered, rewritten):
        assert diff_manifests(parse_manifest(original, "a"), parse_manifest(other, "b")).empty


def test_a_slip_that_opens_a_gap_says_so_first(cli, write) -> None:
    old = write(
        manifest_text(
            flight("a", "2022-01-01T00:00:00Z", "2022-03-01T12:00:00Z", ["ru1", "nasa1"]),
            flight("b", "2022-02-01T00:00:00Z", "2022-06-01T00:00:00Z", ["nasa2", "ru3"]),
            flight("c", "2022-02-20T00:00:00Z", "2022-06-01T00:00:00Z", ["ru2", "nasa3"]),
        ),
        "old.toml",
    )
    text = old.read_text().replace(
        'undock = 2022-06-01T00:00:00Z\nup = ["nasa2", "ru3"]', 'undock = 2022-06-01T00:00:00Z\nup = ["nasa2"]'
    )
    text = text.replace("2022-02-20T00:00:00Z", "2022-03-04T06:00:00Z")
    new = write(text.replace('people = ""', ""), "new.toml")
    run = cli("diff", str(old), str(new), "--format", "table")
    assert run.exit_code == 1, run.stderr
    top = " ".join(line.strip() for line in run.stdout.splitlines()[:2])
    assert top.startswith(
        "Opens a Roscosmos gap from 2022-03-01 12:00 for 2 days 18 h; 4 changes; introduces 1 continuity error"
    )
    data = cli("diff", str(old), str(new), "--format", "json").json()
    (gap,) = [f for f in data["continuity"]["introduced"] if f["severity"] == "error"]
    assert (gap["rule"], gap["start"], gap["end"]) == (
        "partner-presence",
        "2022-03-01T12:00:00Z",
        "2022-03-04T06:00:00Z",
    )
    # And the fix closes it again: resolved.
    back = cli("diff", str(new), str(old), "--format", "json").json()["continuity"]
    assert [f["rule"] for f in back["resolved"] if f["severity"] == "error"] == ["partner-presence"]
    assert [f for f in back["introduced"] if f["severity"] == "error"] == []


def test_a_moved_finding_is_changed_not_introduced(cli, write) -> None:
    old = write(manifest_text(*BASE), "old.toml")
    new = write(
        manifest_text(BASE[0], BASE[1], BASE[2].replace("2023-02-26T00:58:00Z", "2023-03-01T00:58:00Z")), "new.toml"
    )
    impact = cli("diff", str(old), str(new), "--format", "json").json()["continuity"]
    lifeboat = [pair for pair in impact["changed"] if pair["new"]["rule"] == "lifeboat-seats"]
    assert [(p["old"]["end"], p["new"]["end"]) for p in lifeboat] == [("2023-02-26T00:58:00Z", "2023-03-01T00:58:00Z")]


def test_diff_text_and_json_formats(cli, write) -> None:
    old = write(manifest_text(*BASE), "old.toml")
    new = write(
        manifest_text(BASE[0], BASE[1].replace("2023-03-11T07:19:00Z", "2023-03-12T19:19:00Z"), BASE[2]), "new.toml"
    )
    run = cli("diff", str(old), str(new), "--format", "text")
    assert run.exit_code == 1
    assert (
        run.stdout.splitlines()[0]
        == "flight-changed\tcrew-5\t-\tundock\t2023-03-11T07:19:00Z\t2023-03-12T19:19:00Z\t+1.5"
    )
    data = cli("diff", str(old), str(new), "--format", "json").json()
    assert data["changes"] == [
        {
            "kind": "flight-changed",
            "flight": "crew-5",
            "field": "undock",
            "old": "2023-03-11T07:19:00Z",
            "new": "2023-03-12T19:19:00Z",
            "shift_days": 1.5,
        }
    ]
    assert set(data["continuity"]) == {"from", "until", "introduced", "resolved", "changed"}


def test_diff_exit_codes_and_standard_input(cli, write, tmp_path: Path) -> None:
    path = write(manifest_text(*BASE))
    text = path.read_text()
    assert cli("diff", str(path), str(path)).exit_code == 0
    assert cli("diff", str(path), str(path)).stdout == ""
    assert cli("diff", "-", str(path), input=text).exit_code == 0
    assert (
        cli("diff", str(path), "-", input=text.replace("2023-09-27T07:54:00Z", "2023-09-28T07:54:00Z")).exit_code == 1
    )
    missing = cli("diff", str(path), str(tmp_path / "gone.toml"))
    assert (missing.exit_code, missing.stderr) == (2, f"{tmp_path / 'gone.toml'}: no such file\n")
    both = cli("diff", str(tmp_path / "a.toml"), str(tmp_path / "b.toml"))
    assert both.stderr.splitlines() == [f"{tmp_path / 'a.toml'}: no such file", f"{tmp_path / 'b.toml'}: no such file"]
    assert cli("diff", "-", "-", input=text).exit_code == 2


def test_dump_is_one_canonical_fact_per_line(cli) -> None:
    run = cli("dump")
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert "flight soyuz-ms-22 dock 2022-09-21T17:06:00Z" in lines
    assert "flight soyuz-ms-22 grounded 2022-12-14" in lines
    assert 'flight soyuz-ms-23 down ["prokopyev", "petelin", "rubio"]' in lines
    assert 'person rubio name "Frank Rubio"' in lines
    assert lines[0] == "format 1"


def test_dump_lenient_passes_an_invalid_manifest_through(cli, write) -> None:
    path = write("format = 1\n[people]\nx = 1\n")
    assert cli("dump", str(path)).exit_code == 2
    run = cli("dump", str(path), "--lenient")
    note = "# issmanifest: this revision does not load: line 3: people.x: expected a table, found an integer 1\n"
    assert (run.exit_code, run.stdout) == (0, note + "format = 1\n[people]\nx = 1\n")


def _shuffled_toml(document: dict, seed: int) -> str:
    """The same manifest with flights, people and keys in another order, some tables written inline."""
    rng = random.Random(seed)
    flights = [dict(rng.sample(list(table.items()), len(table))) for table in document["flights"]]
    rng.shuffle(flights)
    people = dict(rng.sample(list(document["people"].items()), len(document["people"])))
    shuffled = {"flights": flights, "people": people, "format": 1}
    return tomli_w.dumps(dict(rng.sample(list(shuffled.items()), 3)), multiline_strings=bool(seed % 2))


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifest_documents(), st.integers(0, 10**6))
def test_a_permutation_of_tables_is_no_change(document: dict, seed: int) -> None:
    one = parse_manifest(tomli_w.dumps(document), "one")
    two = parse_manifest(_shuffled_toml(document, seed), "two")
    result = diff_manifests(one, two)
    assert result.empty and not result.continuity.introduced and not result.continuity.resolved
    assert one == two.named("one")


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifest_documents(max_flights=4), manifest_documents(max_flights=4))
def test_diff_is_empty_exactly_when_the_models_are_equal(first: dict, second: dict) -> None:
    a, b = parse_manifest(tomli_w.dumps(first), "m"), parse_manifest(tomli_w.dumps(second), "m")
    assert diff_manifests(a, a).empty
    assert diff_manifests(a, b).empty == (a == b) == (list(dump_lines(a)) == list(dump_lines(b)))


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifest_documents(max_flights=4), st.data())
def test_a_single_edit_is_always_seen(document: dict, data: st.DataObject) -> None:
    a = parse_manifest(tomli_w.dumps(document), "a")
    index = data.draw(st.integers(0, len(document["flights"]) - 1))
    field = data.draw(st.sampled_from(["port", "tentative", "note"]))
    edited = {**document, "flights": list(document["flights"])}
    edited["flights"][index] = {**edited["flights"][index], field: {"port": "Z", "tentative": True, "note": "n"}[field]}
    result = diff_manifests(a, parse_manifest(tomli_w.dumps(edited), "b"))
    assert [(c.kind, c.flight, c.field) for c in result.changes] == [("flight-changed", f"f{index}", field)]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_textconv_and_external_diff_in_a_real_repository(tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(tmp_path),
    }

    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
        return result.stdout

    git("init", "-q")
    git("config", "user.email", "test@example.invalid")
    git("config", "user.name", "test")
    manifest = tmp_path / "iss.toml"
    manifest.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".gitattributes").write_text("*.toml diff=issmanifest\n")
    git("add", ".")
    git("commit", "-qm", "one")
    text = manifest.read_text(encoding="utf-8")
    slipped = text.replace("launch = 2026-07-14T14:47:00Z", "launch = 2026-07-28T14:47:00Z")
    manifest.write_text(slipped.replace("dock = 2026-07-14T17:52:00Z", "dock = 2026-07-28T17:52:00Z"), encoding="utf-8")

    git("config", "diff.issmanifest.textconv", "issmanifest dump --lenient")
    textconv = git("diff")
    changed = [line for line in textconv.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        "-flight soyuz-ms-29 launch 2026-07-14T14:47:00Z",
        "-flight soyuz-ms-29 dock 2026-07-14T17:52:00Z",
        "+flight soyuz-ms-29 launch 2026-07-28T14:47:00Z",
        "+flight soyuz-ms-29 dock 2026-07-28T17:52:00Z",
    ]

    git("config", "diff.issmanifest.command", "issmanifest git-diff")
    external = git("diff")
    assert external.splitlines()[:2] == [
        "issmanifest diff a/iss.toml b/iss.toml",
        "2 changes; no continuity error introduced or resolved",
    ]
    assert "launch +14 days" in external
    # A new manifest: git passes /dev/null for the side that does not exist.
    (tmp_path / "new.toml").write_text(manifest_text(*BASE), encoding="utf-8")
    git("add", "new.toml")
    added = git("diff", "--cached", "--", "new.toml")
    # Ten people and three flights added; the empty side had both partners missing throughout.
    assert added.splitlines()[:3] == [
        "issmanifest diff a/new.toml b/new.toml",
        "issmanifest: new.toml is a new file",
        "13 changes; introduces 1 continuity error; resolves 2 continuity errors",
    ]
