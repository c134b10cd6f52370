"""`issmanifest show`: who is aboard, per nationality, what comes next, and the core-partner flag."""

from __future__ import annotations

import pytest
from conftest import BUNDLED, build, flight, manifest_text, t

from issmanifest.reports.snapshot import take_snapshot

SEVEN_IN_JULY_2022 = {"artemyev", "matveev", "korsakov", "lindgren", "hines", "cristoforetti", "watkins"}


def test_bundled_manifest_on_2022_07_28_lists_the_seven_aboard(cli) -> None:
    run = cli("show", "--at", "2022-07-28", "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert data["at"] == "2022-07-28T00:00:00Z"
    assert {member["person"] for member in data["aboard"]} == SEVEN_IN_JULY_2022
    assert data["by_nationality"] == {"IT": 1, "RU": 3, "US": 3}
    assert data["core_partners"] == {"NASA": True, "Roscosmos": True}
    artemyev = next(m for m in data["aboard"] if m["person"] == "artemyev")
    assert artemyev == {
        "person": "artemyev",
        "name": "Oleg Artemyev",
        "nationality": "RU",
        "agency": "Roscosmos",
        "arrived_on": "soyuz-ms-21",
        "arrived": "2022-03-18T19:12:00Z",
        "returns_on": "soyuz-ms-21",
        "returns": "2022-09-29T07:34:00Z",
        "days_aboard": 131,
        "unconfirmed": False,
        "arrival_unconfirmed": False,
        "return_unconfirmed": False,
        "past_docked_life_days": None,
        "cross_ride": None,
    }
    upcoming = [flight["flight"] for flight in data["upcoming"]]
    assert upcoming[:3] == ["soyuz-ms-22", "crew-5", "soyuz-ms-23"]
    assert data["upcoming"][0] == {
        "flight": "soyuz-ms-22",
        "vehicle": "Soyuz MS",
        "launch": "2022-09-21T13:54:00Z",
        "dock": "2022-09-21T17:06:00Z",
        "up": ["prokopyev", "petelin", "rubio"],
        "down": [],
        "tentative": False,
        "uncertain": ["landing"],
        "unconfirmed": False,
    }


@pytest.mark.parametrize(
    ("at", "people"),
    [
        # Vande Hei and Dubrov stayed on after MS-18 left with the film crew.
        ("2021-10-20", {"shkaplerov", "dubrov", "vande-hei", "kimbrough", "mcarthur-megan", "hoshide", "pesquet"}),
        # MS-22's crew waited for MS-23 after the coolant leak; Crew-5 alongside.
        ("2022-12-20", {"prokopyev", "petelin", "rubio", "mann", "cassada", "wakata", "kikina"}),
        # Starliner's crew stayed behind when it left uncrewed.
        (
            "2024-09-10",
            {
                "kononenko",
                "chub",
                "caldwell-dyson",
                "dominick",
                "barratt",
                "epps",
                "grebenkin",
                "wilmore",
                "williams-sunita",
            },
        ),
        # After Crew-11's early return: three aboard, all on Soyuz MS-28.
        ("2026-01-20", {"kud-sverchkov", "mikayev", "williams-christopher"}),
    ],
)
def test_bundled_manifest_lists_who_was_really_aboard(cli, at: str, people: set[str]) -> None:
    run = cli("show", "--at", at, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert {member["person"] for member in run.json()["aboard"]} == people


def test_text_format_is_one_tab_separated_line_per_fact(cli) -> None:
    run = cli("show", "--at", "2022-07-28", "--format", "text")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "at\t2022-07-28T00:00:00Z"
    assert (
        "aboard\tartemyev\tOleg Artemyev\tRU\tRoscosmos\tsoyuz-ms-21\t2022-03-18T19:12:00Z"
        "\tsoyuz-ms-21\t2022-09-29T07:34:00Z\t131\tconfirmed\tconfirmed\tconfirmed\t-\t-"
    ) in lines
    assert [line for line in lines if line.startswith(("nationality", "partner"))] == [
        "nationality\tIT\t1",
        "nationality\tRU\t3",
        "nationality\tUS\t3",
        "partner\tNASA\taboard",
        "partner\tRoscosmos\taboard",
    ]
    assert "arrival\tsoyuz-ms-22\tSoyuz MS\t2022-09-21T17:06:00Z\tprokopyev,petelin,rubio\tconfirmed" in lines


def test_piped_output_defaults_to_text_and_table_is_plain(cli) -> None:
    assert cli("show", "--at", "2022-07-28").stdout.startswith("at\t2022-07-28T00:00:00Z\n")
    table = cli("show", "--at", "2022-07-28", "--format", "table").stdout
    assert "\x1b[" not in table
    assert "7 aboard" in table and "Samantha Cristoforetti" in table
    assert "Core partners: NASA aboard, Roscosmos aboard. All stay represented through" in table


def test_show_reads_standard_input(cli) -> None:
    text = manifest_text(flight("a", "2022-01-01", "2022-06-01", ["nasa1", "ru1"]))
    run = cli("show", "-", "--at", "2022-02-01", "--format", "json", input=text)
    assert run.exit_code == 0, run.stderr
    assert [member["person"] for member in run.json()["aboard"]] == ["ru1", "nasa1"]


def test_a_bad_at_is_a_usage_error(cli) -> None:
    run = cli("show", "--at", "last tuesday")
    assert run.exit_code == 2
    assert run.stderr == (
        "issmanifest: Invalid value for --at: "
        '"last tuesday" is not a date or date-time (write 2022-07-28 or 2022-07-28T12:00:00Z)\n'
    )


def test_a_missing_manifest_is_one_line_and_exit_2(cli, tmp_path) -> None:
    run = cli("show", str(tmp_path / "nope.toml"))
    assert run.exit_code == 2
    assert run.stderr == f"{tmp_path / 'nope.toml'}: no such file\n"
    assert run.stdout == ""


def test_the_flag_says_when_a_partner_gap_starts_and_ends() -> None:
    manifest = build(
        flight("a", "2022-01-01T00:00:00Z", "2022-03-01T00:00:00Z", ["ru1", "nasa1"]),
        flight("b", "2022-02-01T00:00:00Z", "2022-06-01T00:00:00Z", ["nasa2"]),
        flight("c", "2022-03-04T06:00:00Z", "2022-06-01T00:00:00Z", ["ru2"]),
    )
    snapshot = take_snapshot(manifest, t("2022-02-15"))
    assert snapshot.core_partners == {"NASA": True, "Roscosmos": True}
    assert not snapshot.stays_represented
    (gap,) = snapshot.gaps
    assert (gap.partner, gap.start, gap.end) == ("Roscosmos", t("2022-03-01"), t("2022-03-04T06:00:00Z"))
    assert gap.message == "no Roscosmos crew aboard for 3 days 6 h, after a leaves, until c arrives"


def test_rotations_list_arrivals_and_departures_in_time_order() -> None:
    manifest = build(
        flight("a", "2022-01-01", "2022-03-01", ["ru1", "nasa1"]),
        flight("b", "2022-02-20", None, ["ru2", "nasa2"]),
    )
    snapshot = take_snapshot(manifest, t("2022-02-01"))
    assert [(r.event, r.flight.id) for r in snapshot.rotations] == [
        ("arrival", "b"),
        ("departure", "a"),
        ("departure", "b"),
    ]
    assert [f.id for f in snapshot.upcoming] == ["b"]


def test_agency_is_shown_as_named_at_the_time() -> None:
    people = '[people]\nkrikalev = { name = "Sergei Krikalev", agency = "Rosaviakosmos", nationality = "RU" }\n'
    manifest = build(flight("tm-31", "2000-11-02", "2001-03-19", ["krikalev"]), people=people)
    (member,) = take_snapshot(manifest, t("2001-01-01")).aboard
    assert member.agency == "Rosaviakosmos" and member.partner == "Roscosmos"


def test_bundled_manifest_file_is_where_the_package_finds_it() -> None:
    from issmanifest.manifest.loading import bundled_manifest

    assert bundled_manifest().resolve() == BUNDLED
