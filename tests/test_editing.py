"""Edits of a manifest's text that change only the lines they must: editing.py, and slip and ground through it."""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, examples
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import manifest_texts

from issmanifest.manifest.editing import add_flight, add_person, edit_flight, ground_flight, shift_flight
from issmanifest.manifest.loading import parse_manifest
from issmanifest.manifest.model import DAY, Flight, Person, Relocation, When, parse_instant
from issmanifest.manifest.problems import ManifestError
from issmanifest.manifest.writing import dumps_manifest
from issmanifest.reports.whatif import SLIP_FIELDS, ground, slip

pytestmark = pytest.mark.slow  # left to CI by default: see conftest.py

# The bundled record as it stood before the 2026 update: the edits tested here are still open in it.
BEFORE = ROOT / "tests" / "records" / "iss-before-2026-update.toml"
RECORD = BEFORE.read_text(encoding="utf-8")


def changed(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines only `before` has and the lines only `after` has; every other line is the same, byte for byte."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def block(text: str, flight_id: str) -> list[str]:
    """The lines of one [[flights]] table, from its id to the blank line that ends it."""
    lines = text.splitlines()
    start = lines.index(f'id = "{flight_id}"')
    return lines[start : lines.index("", start)]


def comment_lines(text: str) -> int:
    return sum("#" in line for line in text.splitlines())


def at(text: str) -> When:
    return parse_instant(text)


# -- recording what happened ---------------------------------------------------------------------------


def test_recording_a_return_changes_only_its_lines_byte_for_byte() -> None:
    after = edit_flight(
        RECORD,
        "crew-12",
        {"undock": at("2026-10-07"), "landing": at("2026-10-08")},
        confirm=True,
        comment="NASA Crew-12 splashdown release",
        source="iss.toml",
    )
    assert changed(RECORD, after) == (
        [
            "undock = 2026-09-20            # assumed: 5 days after Crew-13 docks (the usual Dragon handover); not confirmed\n",
            "# landing left out: no return found in the sources\n",
            'uncertain = ["undock"]\n',
            "tentative = true\n",
        ],
        [
            "undock = 2026-10-07            # NASA Crew-12 splashdown release\n",
            "landing = 2026-10-08  # NASA Crew-12 splashdown release\n",
        ],
    )
    flight = parse_manifest(after, "after.toml").flight("crew-12")
    assert (flight.undock, flight.landing) == (at("2026-10-07"), at("2026-10-08"))
    assert not flight.tentative and flight.uncertain == ()


def test_without_confirm_the_values_keep_the_flights_state() -> None:
    after = edit_flight(RECORD, "soyuz-ms-28", {"undock": at("2026-07-26T07:05:00Z")})
    assert changed(RECORD, after) == (
        ["undock = 2026-07-26T07:02:00Z   # from one public dataset only, not yet confirmed by a news page\n"],
        ["undock = 2026-07-26T07:05:00Z\n"],
    )
    flight = parse_manifest(after).flight("soyuz-ms-28")
    assert flight.uncertain == ("landing", "undock")
    tentative = edit_flight(RECORD, "crew-13", {"port": "Harmony forward"})
    assert parse_manifest(tentative).flight("crew-13").tentative


def test_confirm_lifts_tentative_and_only_the_edited_fields_leave_uncertain() -> None:
    after = edit_flight(
        RECORD, "soyuz-ms-29", {"launch": at("2026-07-14T14:47:43Z")}, confirm=True, comment="Roscosmos"
    )
    assert changed(RECORD, after) == (
        [
            "launch = 2026-07-14T14:47:00Z   # from one public dataset only (14:47:43Z), not confirmed by a news page\n",
            'uncertain = ["launch", "dock"]\n',
        ],
        ["launch = 2026-07-14T14:47:43Z   # Roscosmos\n", 'uncertain = ["dock"]\n'],
    )
    launched = edit_flight(
        RECORD, "crew-13", {"launch": at("2026-10-01T12:00:00Z"), "dock": at("2026-10-01T20:00:00Z")}, confirm=True
    )
    assert block(launched, "crew-13") == [
        'id = "crew-13"',
        'vehicle = "Crew Dragon"',
        "launch = 2026-10-01T12:00:00Z",
        "dock = 2026-10-01T20:00:00Z",
        '# port left out: the reference says only "Harmony ?"',
        "# undock left out: return not scheduled",
        'up = ["watkins", "delaney", "kutryk", "teteryatnikov"]',
        'note = "Planned: NET mid-September 2026 (advanced from November); the day is a placeholder. Crew announced about 2026-04. Whether it has launched is not confirmed by any source found."',
    ]
    assert not parse_manifest(launched).flight("crew-13").tentative


def test_a_new_key_goes_where_the_formats_order_puts_it() -> None:
    after = edit_flight(RECORD, "crew-9", {"grounded": at("2024-12-15")})
    assert block(after, "crew-9")[7:11] == [
        'up = ["hague", "gorbunov"]',
        'down = ["hague", "gorbunov", "wilmore", "williams-sunita"]',
        "grounded = 2024-12-15",
        'uncertain = ["port"]',
    ]
    assert changed(RECORD, after) == ([], ["grounded = 2024-12-15\n"])


def test_a_key_said_to_be_left_out_takes_that_comments_place() -> None:
    after = edit_flight(RECORD, "ax-5", {"port": "Harmony zenith"})
    assert block(after, "ax-5")[:6] == [
        'id = "ax-5"',
        'vehicle = "Crew Dragon"',
        "launch = 2027-01-15            # NET 2027-01: the day is a placeholder",
        "# dock, undock left out: not known",
        'port = "Harmony zenith"',
        "up = []                        # crew not announced",
    ]
    landed = edit_flight(RECORD, "ax-5", {"landing": at("2027-01-30")})
    assert block(landed, "ax-5")[3:5] == ["# dock, port, undock left out: not known", "landing = 2027-01-30"]


def test_removing_a_field_removes_its_line_and_its_uncertainty() -> None:
    after = edit_flight(RECORD, "boe-cft", {"landing": None})
    assert changed(RECORD, after) == (
        [
            "landing = 2024-09-07T04:01:00Z  # from memory in the reference (unconfirmed)\n",
            'uncertain = ["undock", "landing"]\n',
        ],
        ['uncertain = ["undock"]\n'],
    )
    assert parse_manifest(after).flight("boe-cft").landing is None
    plain = edit_flight(RECORD, "crew-12", {"uncertain": (), "tentative": False})
    assert changed(RECORD, plain) == (['uncertain = ["undock"]\n', "tentative = true\n"], [])


def test_other_comments_on_a_changed_line_are_kept_and_a_note_goes_before_them() -> None:
    kept = edit_flight(RECORD, "soyuz-ms-22", {"landing": at("2023-03-28T11:46:00Z")})
    assert changed(RECORD, kept)[1] == [
        "landing = 2023-03-28T11:46:00Z  # uncrewed landing: the sources give 11:42 to 11:46Z\n"
    ]
    noted = edit_flight(RECORD, "soyuz-ms-22", {"landing": at("2023-03-28T11:46:00Z")}, comment="NASA", confirm=True)
    assert changed(RECORD, noted) == (
        [
            "landing = 2023-03-28T11:45:00Z  # uncrewed landing: the sources give 11:42 to 11:46Z\n",
            'uncertain = ["landing"]\n',
        ],
        ["landing = 2023-03-28T11:46:00Z  # NASA; uncrewed landing: the sources give 11:42 to 11:46Z\n"],
    )


def test_every_kind_of_value_is_written_as_the_format_writes_it() -> None:
    moves = (Relocation(at("2026-06-01T10:00:00Z"), at("2026-06-01T10:30:00Z"), "Harmony zenith", ("meir",)),)
    after = edit_flight(
        RECORD,
        "crew-12",
        {
            "relocations": moves,
            "down": ("meir", "hathaway", "adenot", "fedyaev"),
            "agencies": (("adenot", "ESA"),),
            "note": 'Freedom; "Crew-12"',
        },
    )
    lines = block(after, "crew-12")
    assert (
        lines[5]
        == 'relocations = [{ start = 2026-06-01T10:00:00Z, end = 2026-06-01T10:30:00Z, port = "Harmony zenith", crew = ["meir"] }]'
    )
    assert 'down = ["meir", "hathaway", "adenot", "fedyaev"]' in lines
    assert 'agencies = { adenot = "ESA" }' in lines
    assert lines[-1] == 'note = "Freedom; \\"Crew-12\\""'
    flight = parse_manifest(after).flight("crew-12")
    assert flight.relocations == moves and flight.note == 'Freedom; "Crew-12"'


def test_literal_strings_line_endings_and_a_missing_last_newline_are_kept() -> None:
    text = "format = 1\r\n[people]\r\na = { name = 'A', agency = 'NASA', nationality = 'US' }\r\n\r\n"
    text += "[[flights]]\r\nid = 'f'\r\nvehicle = 'Soyuz MS'\r\nlaunch = 2030-01-01\r\nport = 'Rassvet'\r\nup = ['a']"
    after = edit_flight(text, "f", {"port": "Poisk", "undock": at("2030-02-01")})
    assert after.endswith("\r\nlaunch = 2030-01-01\r\nport = 'Poisk'\r\nundock = 2030-02-01\r\nup = ['a']")
    assert "\n" not in after.replace("\r\n", "")


def test_an_unknown_flight_or_a_text_that_is_not_toml_is_one_problem() -> None:
    with pytest.raises(ManifestError) as unknown:
        edit_flight(RECORD, "ax-", {"port": "Poisk"}, source="iss.toml")
    assert [str(problem) for problem in unknown.value.problems] == [
        'iss.toml: no flight "ax-" (did you mean one of "ax-1", "ax-2", "ax-3", "ax-4", "ax-5"?)'
    ]
    with pytest.raises(ManifestError) as broken:
        ground_flight(
            'format = 1\n[[flights]]\nid = "a"\nlaunch = 2022-13-45\n', "a", at("2022-01-01"), source="m.toml"
        )
    (problem,) = broken.value.problems
    assert (problem.file, problem.line, problem.place) == ("m.toml", 4, "TOML syntax")
    with pytest.raises(TypeError):
        edit_flight(RECORD, "crew-12", {"undock": "2026-10-07"})  # type: ignore[dict-item]


# -- adding a flight and a person ------------------------------------------------------------------------


def test_a_new_flight_goes_in_time_order_and_the_comments_after_the_last_one_follow_it() -> None:
    planned = Flight(
        id="soyuz-ms-30",
        vehicle="Soyuz MS",
        launch=at("2027-07-14"),
        dock=at("2027-07-14"),
        tentative=True,
        note="Planned: NET 2027-07; the day is a placeholder.",
    )
    after = add_flight(RECORD, planned)
    removed, added = changed(RECORD, after)
    assert removed == []
    assert added == [
        "[[flights]]\n",
        'id = "soyuz-ms-30"\n',
        'vehicle = "Soyuz MS"\n',
        "launch = 2027-07-14\n",
        "up = []\n",
        "tentative = true\n",
        'note = "Planned: NET 2027-07; the day is a placeholder."\n',
        "\n",
    ]
    lines = after.splitlines()
    note = lines.index('note = "Planned: NET 2027-07; the day is a placeholder."')
    assert lines[note + 1 : note + 3] == ["", "# " + "-" * 75]
    assert parse_manifest(after).flight("soyuz-ms-30").tentative


def test_a_new_flight_between_two_others() -> None:
    flight = Flight(
        id="progress-test", vehicle="Soyuz MS", launch=at("2026-07-20T00:00:00Z"), dock=at("2026-07-20T03:00:00Z")
    )
    after = add_flight(RECORD, flight)
    lines = after.splitlines()
    start = lines.index('id = "progress-test"')
    assert lines[start - 3 : start] == ['note = "' + lines[start - 3][8:], "", "[[flights]]"]
    assert lines[start - 3].startswith('note = "Expedition 75;')  # the end of soyuz-ms-29, launched 2026-07-14
    assert lines[start + 4 : start + 8] == ["up = []", "", "[[flights]]", 'id = "crew-13"']
    assert [f.id for f in parse_manifest(after).flights][-4:] == ["soyuz-ms-29", "progress-test", "crew-13", "ax-5"]
    with pytest.raises(ManifestError, match='already a flight "crew-13"'):
        add_flight(RECORD, flight._replace(id="crew-13"))


def test_a_new_person_goes_in_alphabetical_order_in_the_files_style() -> None:
    after = add_person(RECORD, Person("kent", "Clark Kent", "NASA", "US"))
    assert changed(RECORD, after) == ([], ['kent = { name = "Clark Kent", agency = "NASA", nationality = "US" }\n'])
    lines = after.splitlines()
    kent = lines.index('kent = { name = "Clark Kent", agency = "NASA", nationality = "US" }')
    assert lines[kent - 1].startswith("kelly-scott = ") and lines[kent + 1].startswith("kikina = ")
    flight = Flight(id="x-1", vehicle="Crew Dragon", launch=at("2027-03-01"), dock=at("2027-03-01"), up=("kent",))
    manifest = parse_manifest(add_flight(after, flight._replace(down=("kent",))))
    assert manifest.people["kent"].name == "Clark Kent" and manifest.flight("x-1").up == ("kent",)
    with pytest.raises(ManifestError, match='already a person "kikina"'):
        add_person(RECORD, Person("kikina", "Anna Kikina", "Roscosmos", "RU"))


def test_adding_to_a_manifest_with_no_flights_or_people() -> None:
    text = add_person("format = 1\n", Person("a", "Ann", "NASA", "US"))
    text = add_flight(
        text, Flight(id="f", vehicle="Soyuz MS", launch=at("2030-01-01"), dock=at("2030-01-01"), up=("a",), down=("a",))
    )
    manifest = parse_manifest(text)
    assert manifest.flight("f").up == ("a",) and manifest.people["a"].name == "Ann"


# -- slip and ground keep every comment ----------------------------------------------------------------------


def test_slip_changes_only_the_moved_dates_and_keeps_every_comment(cli) -> None:
    run = cli("slip", "soyuz-ms-29", "14", str(BEFORE))
    assert run.exit_code == 0, run.stderr
    assert comment_lines(run.stdout) == comment_lines(RECORD)
    assert changed(RECORD, run.stdout) == (
        [
            "launch = 2026-07-14T14:47:00Z   # from one public dataset only (14:47:43Z), not confirmed by a news page\n",
            "dock = 2026-07-14T17:52:00Z     # from one public dataset only (launch + 3:04:43), not confirmed by a news page\n",
        ],
        [
            "launch = 2026-07-28T14:47:00Z   # from one public dataset only (14:47:43Z), not confirmed by a news page\n",
            "dock = 2026-07-28T17:52:00Z     # from one public dataset only (launch + 3:04:43), not confirmed by a news page\n",
        ],
    )


def test_slip_of_all_dates_moves_the_relocations_and_keeps_the_comments_inside(cli) -> None:
    run = cli("slip", "soyuz-tm-32", "1", str(BEFORE), "--field", "all")
    assert run.exit_code == 0, run.stderr
    assert comment_lines(run.stdout) == comment_lines(RECORD)
    assert changed(RECORD, run.stdout)[1] == [
        "launch = 2001-04-29T07:37:00Z\n",
        "dock = 2001-05-01T07:58:00Z  # 07:57:47Z\n",
        '    { start = 2001-10-20T10:48:00Z, end = 2001-10-20T11:04:00Z, port = "Pirs", crew = ["culbertson", "dezhurov", "tyurin"] },\n',
        "undock = 2001-11-01T01:38:00Z\n",
        "landing = 2001-11-01T04:59:00Z  # 04:59:25Z (Wikipedia 05:00)\n",
    ]


def test_ground_changes_or_adds_one_line_and_keeps_every_comment(cli) -> None:
    again = cli("ground", "soyuz-ms-22", "2022-12-15", str(BEFORE))
    assert again.exit_code == 0, again.stderr
    assert changed(RECORD, again.stdout) == (
        ["grounded = 2022-12-14           # coolant leak from the external radiator, 2022-12-14/15\n"],
        ["grounded = 2022-12-15           # coolant leak from the external radiator, 2022-12-14/15\n"],
    )
    new = cli("ground", "crew-12", "2026-05-01T10:00:00Z", str(BEFORE))
    assert new.exit_code == 0, new.stderr
    assert comment_lines(new.stdout) == comment_lines(RECORD)
    assert changed(RECORD, new.stdout) == ([], ["grounded = 2026-05-01T10:00:00Z\n"])
    assert block(new.stdout, "crew-12")[7:10] == [
        'up = ["meir", "hathaway", "adenot", "fedyaev"]',
        "grounded = 2026-05-01T10:00:00Z",
        'uncertain = ["undock"]',
    ]


def test_in_place_edits_a_copy_of_the_record_keeping_its_comments(cli, tmp_path: Path) -> None:
    copy = tmp_path / "iss.toml"
    copy.write_text(RECORD, encoding="utf-8")
    run = cli("slip", "crew-13", "-3", str(copy), "--in-place")
    assert run.exit_code == 0, run.stderr
    assert run.stderr == f"wrote {copy}\n"
    assert changed(RECORD, copy.read_text(encoding="utf-8")) == (
        [
            "launch = 2026-09-15            # NET 2026-09 (mid-September, per NASA in April 2026): the day is a placeholder\n"
        ],
        [
            "launch = 2026-09-12            # NET 2026-09 (mid-September, per NASA in April 2026): the day is a placeholder\n"
        ],
    )


def test_show_and_check_do_not_import_tomlkit() -> None:
    for command in (["show"], ["check"]):
        run = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "issmanifest", *command],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert run.returncode in (0, 1), run.stderr
        assert "tomlkit" not in run.stderr and "issmanifest.manifest.editing" not in run.stderr


# -- the edited text reads as the model the what-ifs compute ------------------------------------------------


def _same_or_both_invalid(edited: str, expected_text: str) -> None:
    try:
        expected = parse_manifest(expected_text, "m.toml")
    except ManifestError:
        with pytest.raises(ManifestError):
            parse_manifest(edited, "m.toml")
        return
    assert parse_manifest(edited, "m.toml") == expected


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=manifest_texts(bare_dates=True),
    pick=st.integers(0, 100),
    field=st.sampled_from(sorted(SLIP_FIELDS)),
    days=st.integers(-400, 400),
)
def test_a_slip_of_the_text_reads_as_the_slipped_model(text: str, pick: int, field: str, days: int) -> None:
    manifest = parse_manifest(text, "m.toml")
    flight = manifest.flights[pick % len(manifest.flights)]
    assume(field != "undock" or flight.undock is not None)
    edited = shift_flight(text, flight.id, SLIP_FIELDS[field], days * DAY)
    _same_or_both_invalid(edited, dumps_manifest(slip(manifest, flight.id, days * DAY, field)))


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=manifest_texts(), pick=st.integers(0, 100), minutes=st.integers(-3000, 3000))
def test_a_slip_to_the_minute_and_a_grounding_read_as_the_model(text: str, pick: int, minutes: int) -> None:
    manifest = parse_manifest(text, "m.toml")
    flight = manifest.flights[pick % len(manifest.flights)]
    edited = shift_flight(text, flight.id, SLIP_FIELDS["all"], minutes * 60)
    _same_or_both_invalid(edited, dumps_manifest(slip(manifest, flight.id, minutes * 60, "all")))
    when = When(flight.dock.seconds + minutes * 60)
    _same_or_both_invalid(ground_flight(text, flight.id, when), dumps_manifest(ground(manifest, flight.id, when)))


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=manifest_texts(bare_dates=True), pick=st.integers(0, 100))
def test_writing_a_flights_own_values_back_changes_nothing_it_means(text: str, pick: int) -> None:
    manifest = parse_manifest(text, "m.toml")
    flight = manifest.flights[pick % len(manifest.flights)]
    fields = ("launch", "dock", "port", "relocations", "undock", "up", "down", "grounded")
    changes = {field: getattr(flight, field) for field in fields if getattr(flight, field) not in (None, ())}
    assert parse_manifest(edit_flight(text, flight.id, changes), "m.toml") == manifest
