"""The station over a span of time, ready to draw: one bar per stay, grouped, with gaps and shortfalls."""

from enum import StrEnum
from typing import NamedTuple

from issmanifest.engine.analysis import Analysis
from issmanifest.engine.rules import LIFEBOAT_SEATS, PARTNER_PRESENCE, Finding, check_continuity
from issmanifest.manifest.model import DAY, Manifest


class Grouping(StrEnum):
    """What a chart's bars are grouped by: the flight that brought each stay, or its agency."""

    VEHICLE = "vehicle"
    AGENCY = "agency"


GROUPINGS = tuple(Grouping)


class Bar(NamedTuple):
    """One person's stay, clipped to the chart."""

    group: str
    person: str
    name: str
    agency: str  # as named when the stay began
    partner: str | None
    arrived_on: str
    returns_on: str | None
    start: int
    end: int | None  # None: beyond the end of the chart
    unsure: bool


class Chart(NamedTuple):
    station: str
    start: int
    end: int
    now: int
    by: Grouping
    partners: tuple[str, ...]
    bars: tuple[Bar, ...]
    gaps: tuple[Finding, ...]  # a core partner with no one aboard
    shortfalls: tuple[Finding, ...]  # more people aboard than seats home

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(bar.group for bar in self.bars))


def default_span(manifest: Manifest, now: int) -> tuple[int, int]:
    """A year back from now to the last known event (at least three months ahead)."""
    horizon = manifest.horizon or now
    return now - 365 * DAY, max(horizon, now + 90 * DAY)


def chart_station(
    manifest: Manifest,
    start: int,
    end: int,
    now: int,
    by: Grouping = Grouping.VEHICLE,
    analysis: Analysis | None = None,
) -> Chart:
    """The stays overlapping [start, end), grouped by the flight that brought them or by agency."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    analysis = analysis or Analysis.of(manifest, start)
    timeline = analysis.nominal()
    flights = timeline.flights
    bars = []
    for stay in timeline.stays:
        stay_end = None if stay.end is None else stay.end.seconds
        if stay.start.seconds >= end or (stay_end is not None and stay_end <= start):
            continue
        agency = manifest.agency_named(stay.agency)
        arrival = flights[stay.arrived_on]
        home = flights.get(stay.returns_on) if stay.returns_on else None
        bars.append(
            Bar(
                group=stay.arrived_on if by == Grouping.VEHICLE else agency.name,
                person=stay.person,
                name=manifest.people[stay.person].name,
                agency=agency.name_at(stay.start.seconds),
                partner=timeline.partner(stay),
                arrived_on=stay.arrived_on,
                returns_on=stay.returns_on,
                start=max(stay.start.seconds, start),
                end=None if stay_end is None or stay_end >= end else stay_end,
                unsure=arrival.arrival_unsure or (home is not None and home.departure_unsure),
            )
        )
    order = {flight.id: index for index, flight in enumerate(manifest.flights)}
    bars.sort(key=lambda bar: (order.get(bar.group, -1), bar.group, bar.start, bar.person))
    found = check_continuity(manifest, start, end, analysis, (PARTNER_PRESENCE, LIFEBOAT_SEATS)).findings
    return Chart(
        station=manifest.station.name,
        start=start,
        end=end,
        now=now,
        by=by,
        partners=manifest.station.core_partners,
        bars=tuple(bars),
        gaps=tuple(finding for finding in found if finding.rule == PARTNER_PRESENCE.name),
        shortfalls=tuple(finding for finding in found if finding.rule == LIFEBOAT_SEATS.name),
    )
