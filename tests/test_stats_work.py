"""`stats` looks at each flight a bounded number of times, however many periods it reports.

Each period's unconfirmed flights (`rests_on`) used to be found by a scan of every flight per
period; a year per few hundred flights made that quadratic (182 s after parsing at 100,000 flights).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from conftest import ROOT, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from issmanifest.engine.rules import rests_on, rests_on_each
from issmanifest.manifest.loading import parse_manifest
from issmanifest.manifest.model import Flight, Manifest, Station, When
from issmanifest.reports.stats import PeriodKind, station_stats

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate


class CountedFlights(tuple[Flight, ...]):
    """The manifest's flights, counting every flight handed out by a loop over them."""

    handed = 0

    def __iter__(self) -> Iterator[Flight]:
        for flight in super().__iter__():
            CountedFlights.handed += 1
            yield flight


def test_stats_reads_the_flights_a_bounded_number_of_times_whatever_the_years() -> None:
    manifest = parse_manifest(generate(600, seed=5), "600.toml")
    flights = manifest.flights
    # Some unconfirmed flights, so that the periods have something to rest on.
    flights = tuple(
        flight._replace(tentative=True) if index % 50 == 0 else flight for index, flight in enumerate(flights)
    )
    counted = manifest._replace(flights=CountedFlights(flights))
    CountedFlights.handed = 0
    result = station_stats(counted, manifest.first or 0, manifest.horizon or 0)
    years = len(result.periods)
    assert years >= 5
    assert any(period.rests_on for period in result.periods)
    # About four passes (pairing, events, the timeline); the old code made one more for each year.
    assert CountedFlights.handed <= 6 * len(flights), (CountedFlights.handed, years)


def test_stats_names_the_same_unconfirmed_flights_per_year_as_rests_on() -> None:
    manifest = parse_manifest(generate(300, seed=7), "300.toml")
    flights = tuple(
        flight._replace(tentative=True) if index % 7 == 0 else flight for index, flight in enumerate(manifest.flights)
    )
    manifest = manifest._replace(flights=flights)
    result = station_stats(manifest, manifest.first or 0, manifest.horizon or 0, PeriodKind.YEAR)
    assert len(result.periods) >= 2
    for period in result.periods:
        assert period.rests_on == rests_on(manifest, period.start, period.end - 1)
    assert sum(len(period.rests_on) for period in result.periods) >= len(result.periods)


@st.composite
def flights_and_windows(draw: st.DrawFn) -> tuple[Manifest, list[tuple[int, int]]]:
    flights = []
    for number in range(draw(st.integers(0, 12))):
        dock = draw(st.integers(0, 100))
        undock = draw(st.none() | st.integers(dock, 120))
        uncertain = draw(st.sampled_from([(), ("port",), ("note",), ("up", "launch")]))
        flights.append(
            Flight(
                f"f{number}",
                "Soyuz",
                When(dock),
                When(dock),
                None if undock is None else When(undock),
                tentative=draw(st.booleans()),
                uncertain=uncertain,
            )
        )
    windows = draw(st.lists(st.tuples(st.integers(0, 120), st.integers(0, 60)), max_size=8))
    manifest = Manifest(1, Station(), {}, {}, {}, tuple(flights))
    return manifest, [(start, start + length) for start, length in windows]


@settings(max_examples=examples(300))
@given(flights_and_windows())
def test_rests_on_each_is_rests_on_for_every_window(case: tuple[Manifest, list[tuple[int, int]]]) -> None:
    manifest, windows = case
    assert rests_on_each(manifest, windows) == [rests_on(manifest, start, end) for start, end in windows]
