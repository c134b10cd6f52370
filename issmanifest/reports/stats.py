"""Figures per year or per expedition: time crewed, crew sizes, person-days, exposure, shortfalls."""

from collections import defaultdict
from datetime import UTC, datetime
from enum import StrEnum
from typing import NamedTuple

from issmanifest.engine.analysis import Analysis
from issmanifest.engine.rules import LIFEBOAT_SEATS, VEHICLE_LOSS, rests_on_each
from issmanifest.manifest.model import DAY, EPOCH, Manifest


class PeriodKind(StrEnum):
    """What a period is: a calendar year, or an expedition."""

    YEAR = "year"
    EXPEDITION = "expedition"


PERIODS = tuple(PeriodKind)


class Period(NamedTuple):
    """One year or expedition of the station, clipped to the span asked about. Durations in days."""

    label: str
    start: int
    end: int
    days: float
    crewed_days: float
    mean_crew: float  # people aboard, averaged over the whole period
    peak_crew: int
    person_days_by_nationality: dict[str, float]
    person_days_by_agency: dict[str, float]
    exposure_days: dict[str, float]  # a core partner riding home on one vehicle
    shortfall_days: float  # more people aboard than seats home
    rests_on: tuple[str, ...] = ()  # unconfirmed flights at the station in the period: its figures rest on them

    @property
    def unconfirmed(self) -> bool:
        return bool(self.rests_on)


class Stats(NamedTuple):
    by: PeriodKind
    start: int
    end: int
    partners: tuple[str, ...]
    periods: tuple[Period, ...]


def bounds(manifest: Manifest, start: int, end: int, by: PeriodKind) -> list[tuple[str, int, int]]:
    """The periods overlapping [start, end), clipped to it: (label, start, end)."""
    if by == PeriodKind.YEAR:
        first, last = _year(start), _year(end - 1)
        edges = [(str(year), _jan1(year), _jan1(year + 1)) for year in range(first, last + 1)]
    elif by == PeriodKind.EXPEDITION:
        starts = [(expedition.number, expedition.start.seconds) for expedition in manifest.expeditions]
        edges = [
            (f"Expedition {number}", moment, starts[index + 1][1] if index + 1 < len(starts) else end)
            for index, (number, moment) in enumerate(starts)
        ]
    else:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}")
    return [(label, max(low, start), min(high, end)) for label, low, high in edges if low < end and high > start]


def station_stats(
    manifest: Manifest, start: int, end: int, by: PeriodKind = PeriodKind.YEAR, analysis: Analysis | None = None
) -> Stats:
    """Sweep [start, end) once (bare dates at 00:00 UTC) and add up each period's figures.

    `analysis`: the manifest's, for questions from the first period on (made here if not given).
    """
    periods = bounds(manifest, start, end, by)
    analysis = analysis or Analysis.of(manifest, periods[0][1] if periods else start)
    timeline = analysis.nominal()
    partners = manifest.station.core_partners
    agency_of = {name: manifest.agency_named(name).name for name in timeline.partner_of}
    exposed_in, short_in = VEHICLE_LOSS.probe, LIFEBOAT_SEATS.probe
    result: list[Period] = []
    unconfirmed = rests_on_each(manifest, [(low, high - 1) for _, low, high in periods])
    for (label, low, high), resting in zip(periods, unconfirmed, strict=True):
        person: dict[str, float] = defaultdict(float)
        nationality: dict[str, float] = defaultdict(float)
        agency: dict[str, float] = defaultdict(float)
        exposure: dict[str, float] = dict.fromkeys(partners, 0.0)
        crewed = shortfall = 0.0
        peak = 0
        for segment_start, segment_end, state in timeline.sweep(low, high):
            length = ((high if segment_end is None else segment_end) - segment_start) / DAY
            aboard = len(state.aboard)
            peak = max(peak, aboard)
            if aboard:
                crewed += length
            for stay in state.aboard:
                person[stay.person] += length
                agency[agency_of[stay.agency]] += length
            for exposed, _ in exposed_in(timeline, state) or ():
                exposure[exposed] += length
            if short_in(timeline, state):
                shortfall += length
        for key, days in person.items():
            nationality[manifest.people[key].nationality] += days
        span = (high - low) / DAY
        result.append(
            Period(
                label=label,
                start=low,
                end=high,
                days=span,
                crewed_days=crewed,
                mean_crew=sum(person.values()) / span if span else 0.0,
                peak_crew=peak,
                person_days_by_nationality=dict(sorted(nationality.items(), key=lambda item: -item[1])),
                person_days_by_agency=dict(sorted(agency.items(), key=lambda item: -item[1])),
                exposure_days=exposure,
                shortfall_days=shortfall,
                rests_on=resting,
            )
        )
    return Stats(by, start, end, partners, tuple(result))


def _year(seconds: int) -> int:
    return datetime.fromtimestamp(seconds, UTC).year


def _jan1(year: int) -> int:
    return int((datetime(year, 1, 1, tzinfo=UTC) - EPOCH).total_seconds())
