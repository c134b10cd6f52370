"""The seat swap beyond `swaps`: `show` marks integrated crews, `check` warns of a swap gap."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from issmanifest.engine.rules import WARNING, check_continuity
from issmanifest.engine.stays import pair_stays
from issmanifest.manifest.model import Manifest
from tests.conftest import build, examples, flight, t

AGREEMENT = """
[[agreements]]
name = "Swap"
parties = ["NASA", "Roscosmos"]
signed = 2022-07-15
from = 2022-07-15
until = 2023-12-31
note = "test"
"""


def gaps(manifest: Manifest, start: str, end: str) -> list[tuple[int, int | None, str]]:
    found = check_continuity(manifest, t(start), t(end)).findings
    return [(f.start, f.end, f.subject) for f in found if f.rule == "swap-gap" and f.severity == WARNING]


def test_a_swap_gap_runs_from_the_agreement_until_each_partner_has_a_rider_home_on_the_other_vehicle() -> None:
    manifest = build(
        flight("soyuz-a", "2022-09-21T00:00:00Z", "2023-03-28T00:00:00Z", ["ru1", "ru2", "nasa1"]),
        flight("dragon-a", "2022-10-06T00:00:00Z", "2023-03-11T00:00:00Z", ["nasa2", "ru3"], vehicle="Crew Dragon"),
        header=AGREEMENT,
    )
    # NASA's rider (nasa1, home on a Soyuz) docks 09-21; Roscosmos's (ru3, home on a Dragon) 10-06 and leaves
    # 03-11; after 03-28 nobody is aboard at all, which is also a gap for both, to the end of the window.
    assert sorted(gaps(manifest, "2022-07-01", "2023-04-30")) == [
        (t("2022-07-15"), t("2022-09-21T00:00:00Z"), "NASA"),
        (t("2022-07-15"), t("2022-10-06T00:00:00Z"), "Roscosmos"),
        (t("2023-03-11T00:00:00Z"), t("2023-04-30"), "Roscosmos"),
        (t("2023-03-28T00:00:00Z"), t("2023-04-30"), "NASA"),
    ]
    message = next(
        f.message for f in check_continuity(manifest, t("2023-03-01"), t("2023-03-20")).findings if f.rule == "swap-gap"
    )
    assert message == (
        "no Roscosmos crew aboard rides home on a NASA vehicle for 9 days under Swap, after dragon-a leaves"
    )


def test_no_agreement_no_swap_gap_and_nothing_before_the_agreement() -> None:
    crews = (
        flight("soyuz-a", "2022-01-01T00:00:00Z", "2022-06-01T00:00:00Z", ["ru1", "nasa1"]),
        flight("dragon-a", "2022-01-02T00:00:00Z", "2022-06-01T00:00:00Z", ["nasa2"], vehicle="Crew Dragon"),
    )
    assert gaps(build(*crews), "2022-01-01", "2022-06-01") == []
    assert gaps(build(*crews, header=AGREEMENT), "2022-01-01", "2022-06-01") == []


def test_a_crew_home_on_another_vehicle_counts_by_its_ride_home() -> None:
    # nasa1 goes up on a Dragon and comes home on the Soyuz; ru3 rides the Dragon both ways.
    manifest = build(
        flight(
            "dragon-a",
            "2022-08-01T00:00:00Z",
            "2022-12-01T00:00:00Z",
            ["nasa1", "ru3"],
            vehicle="Crew Dragon",
            down=["ru3"],
        ),
        flight("soyuz-a", "2022-08-10T00:00:00Z", "2023-01-01T00:00:00Z", ["ru1"], down=["ru1", "nasa1"]),
        header=AGREEMENT,
    )
    # Its ride home is the Soyuz even before the Soyuz docks (as for Rubio and Soyuz MS-23): NASA never lacks one.
    assert sorted(gaps(manifest, "2022-08-01", "2022-12-31")) == [(t("2022-12-01"), t("2022-12-31"), "Roscosmos")]


def test_show_marks_integrated_crews_per_person(cli, write) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import manifest_text

    path = write(
        manifest_text(
            flight("soyuz-a", "2022-09-21T00:00:00Z", "2023-03-28T00:00:00Z", ["ru1", "nasa1"]),
            flight("dragon-a", "2022-10-06T00:00:00Z", "2023-03-11T00:00:00Z", ["nasa2", "ru3"], vehicle="Crew Dragon"),
            header=AGREEMENT,
        ),
    )
    run = cli("show", str(path), "--at", "2022-12-01", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert {m["person"]: m["cross_ride"] for m in run.json()["aboard"]} == {
        "ru1": None,
        "nasa1": "Roscosmos",
        "nasa2": None,
        "ru3": "NASA",
    }
    csv = cli("show", str(path), "--at", "2022-12-01", "--format", "csv")
    header, *rows = csv.stdout.splitlines()
    assert header.endswith(",cross_ride")
    assert sorted(row.rsplit(",", 1)[1] for row in rows) == ["", "", "NASA", "Roscosmos"]
    table = cli("show", str(path), "--at", "2022-12-01", "--format", "table")
    assert "US ⇄" in table.stdout and "integrated crew" in table.stdout


# -- the swap-gap rule against brute force ---------------------------------------------------

DAY = 86400
BASE = t("2022-07-20")


def _brute(manifest: Manifest, x: int) -> set[str]:
    """The core partners with nobody aboard at x whose ride home is the other partner's vehicle."""
    provider = {"Soyuz MS": "Roscosmos", "Crew Dragon": "NASA"}
    vehicles = {f.id: f.vehicle for f in manifest.flights}
    agency = {"NASA": "NASA", "Roscosmos": "Roscosmos"}
    covered = set()
    for stay in pair_stays(manifest).stays:
        end = None if stay.end is None else stay.end.seconds
        if stay.start.seconds <= x and (end is None or x < end) and stay.returns_on is not None:
            partner = agency.get(manifest.people[stay.person].agency)
            if partner is not None and provider[vehicles[stay.returns_on]] != partner:
                covered.add(partner)
    return {"NASA", "Roscosmos"} - covered


crews = st.lists(
    st.tuples(
        st.sampled_from(["Soyuz MS", "Crew Dragon"]),
        st.integers(0, 200),
        st.integers(1, 200),
        st.sets(st.sampled_from(["nasa1", "nasa2", "ru1", "ru2", "esa1"]), min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=examples(100), deadline=None)
@given(crews)
def test_swap_gap_agrees_with_brute_force(plan: list[tuple[str, int, int, set[str]]]) -> None:
    used: set[str] = set()
    flights = []
    for index, (vehicle, dock, length, people) in enumerate(plan):
        up = sorted(people - used)
        used |= people
        start, end = BASE + dock * DAY, BASE + (dock + length) * DAY
        iso = "%Y-%m-%dT%H:%M:%SZ"
        import time

        flights.append(
            flight(
                f"f{index}",
                time.strftime(iso, time.gmtime(start)),
                time.strftime(iso, time.gmtime(end)),
                up,
                vehicle=vehicle,
            )
        )
    manifest = build(*flights, header=AGREEMENT)
    window = (t("2022-07-15"), t("2023-12-31T23:59:59Z") + 1)
    found = check_continuity(manifest, *window).findings
    moments = (
        {window[0]}
        | {f.dock.seconds for f in manifest.flights}
        | {f.undock.seconds for f in manifest.flights if f.undock}
    )
    bounds = sorted(m for m in moments if window[0] <= m < window[1])
    samples = set(bounds) | {(a + b) // 2 for a, b in itertools.pairwise([*bounds, window[1]])}
    for x in sorted(samples):
        engine = {f.subject for f in found if f.rule == "swap-gap" and f.start <= x and (f.end is None or x < f.end)}
        assert engine == _brute(manifest, x), f"at {x}"
