"""Who is aboard when: stays built from flights, and the station's state between events.

The timeline is built once, with one sort and one sweep, into segments: spans of
time in which nobody arrives or leaves and no vehicle docks, moves or is
grounded. Every question (who is aboard at an instant, when a partner is
represented, what the rules find) is answered from those segments.
"""

from __future__ import annotations

import bisect
import enum
import itertools
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from .model import Flight, Manifest, When, canonical_agency


@dataclass(frozen=True, slots=True)
class Stay:
    """One person's time aboard: from the dock of `arrived_on` to the undock of `returns_on`."""

    person: str
    agency: str  # as written, for this trip
    arrived_on: str
    returns_on: str | None  # None: no flight brings them down yet
    start: When
    end: When | None  # None: the flight home has no undock date yet, or there is none


@dataclass(frozen=True, slots=True)
class StayProblem:
    flight: str
    index: int
    field: str
    person: str
    message: str
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class Pairing:
    stays: tuple[Stay, ...]
    problems: tuple[StayProblem, ...]


def pair_stays(manifest: Manifest) -> Pairing:
    """Match each `up` listing with the first `down` listing of that person after it.

    A `down` that no stay reaches, and two stays of one person at once, are problems.
    """
    ups: dict[str, list[tuple[int, int, Flight]]] = defaultdict(list)
    downs: dict[str, list[tuple[float, int, Flight]]] = defaultdict(list)
    for index, flight in enumerate(manifest.flights):
        for person in flight.up:
            ups[person].append((flight.dock.seconds, index, flight))
        undock = float("inf") if flight.undock is None else flight.undock.seconds
        for person in flight.down:
            downs[person].append((undock, index, flight))
    stays: list[Stay] = []
    problems: list[StayProblem] = []
    for person in sorted(set(ups) | set(downs)):
        arrivals = sorted(ups.get(person, ()), key=lambda item: item[:2])
        departures = sorted(downs.get(person, ()), key=lambda item: item[:2])
        later = 0
        own: list[Stay] = []
        default_agency = manifest.people[person].agency
        for dock, _, arrival in arrivals:
            agency = arrival.agency_for(person) or default_agency
            while later < len(departures) and departures[later][0] <= dock:
                _orphan(departures[later], person, bool(arrivals), problems)
                later += 1
            if later < len(departures):
                departure = departures[later][2]
                own.append(Stay(person, agency, arrival.id, departure.id, arrival.dock, departure.undock))
                later += 1
            else:
                own.append(Stay(person, agency, arrival.id, None, arrival.dock, None))
        for unmatched in departures[later:]:
            _orphan(unmatched, person, bool(arrivals), problems)
        for first, second in itertools.pairwise(own):
            if first.end is None or first.end.seconds > second.start.seconds:
                index = next(i for i, flight in enumerate(manifest.flights) if flight.id == second.arrived_on)
                home = f"returns on {first.returns_on}" if first.returns_on else "no flight home"
                problems.append(
                    StayProblem(
                        second.arrived_on,
                        index,
                        "up",
                        person,
                        f'"{person}" is already aboard (arrived on {first.arrived_on}, {home})',
                        "list them in the down of the flight that brings them home first",
                    )
                )
        stays.extend(own)
    return Pairing(tuple(stays), tuple(problems))


def _orphan(departure: tuple[float, int, Flight], person: str, flies: bool, problems: list[StayProblem]) -> None:
    _, index, flight = departure
    if flies:
        message = f'"{person}" comes down on {flight.id} with no stay left to end'
        hint = "each stay ends at the first flight after its up that lists them in down"
    else:
        message = f'"{person}" comes down on {flight.id} but never goes up'
        hint = "list them in the up of an earlier flight, or remove them here"
    problems.append(StayProblem(flight.id, index, "down", person, message, hint))


class Placement(enum.Enum):
    """Where a bare date stands within its day.

    NOMINAL reads it as 00:00 UTC. LONG makes every stay and docking as long as the
    dates allow (arrivals at the start of their day, departures at its end);
    SHORT as short as they allow. A rule evaluated under both sees which of its
    findings are certain and which exist only because a date has no time.
    """

    NOMINAL = "nominal"
    LONG = "long"
    SHORT = "short"

    def start(self, when: When) -> int:
        return when.latest if self is Placement.SHORT else when.seconds

    def end(self, when: When) -> int:
        return when.latest if self is Placement.LONG else when.seconds


@dataclass(frozen=True, slots=True)
class Docked:
    """A vehicle at a port for a span of time (relocations split a docking into several)."""

    flight: Flight
    port: str | None
    start: int
    end: int | None


@dataclass(frozen=True, slots=True)
class Ride:
    """People off the station in their vehicle while it moves between ports."""

    flight: str
    relocation: int
    riders: tuple[Stay, ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """The state of the station from `start` until `end` (None: for ever after)."""

    start: int
    end: int | None
    aboard: tuple[Stay, ...]
    docked: tuple[Docked, ...]
    riding: tuple[Stay, ...]
    rides: tuple[Ride, ...]

    def grounded(self, docked: Docked) -> bool:
        grounded = docked.flight.grounded
        return grounded is not None and grounded.seconds <= self.start


@dataclass(eq=False)
class Timeline:
    manifest: Manifest
    placement: Placement
    stays: tuple[Stay, ...]
    segments: list[Segment]
    partner_of: Mapping[str, str | None]  # agency as written -> the core partner it is, if any
    flights: Mapping[str, Flight]

    def partner(self, stay: Stay) -> str | None:
        """The core partner a stay counts for, if any."""
        return self.partner_of[stay.agency]

    def __post_init__(self) -> None:
        self._starts = [segment.start for segment in self.segments]

    def at(self, seconds: int) -> Segment | None:
        """The segment holding an instant; None before anything has docked."""
        index = bisect.bisect_right(self._starts, seconds) - 1
        return self.segments[index] if index >= 0 else None

    def aboard_at(self, seconds: int) -> tuple[Stay, ...]:
        segment = self.at(seconds)
        return segment.aboard if segment else ()

    def between(self, start: int | None, end: int | None) -> Iterator[Segment]:
        """The segments overlapping [start, end), clipped to it; an empty one for any time before the first."""
        first = self.segments[0].start if self.segments else None
        if start is not None and (first is None or start < first) and (end is None or start < end):
            yield Segment(start, first if end is None or (first is not None and first < end) else end, (), (), (), ())
        index = 0 if start is None else max(bisect.bisect_right(self._starts, start) - 1, 0)
        for segment in self.segments[index:]:
            if end is not None and segment.start >= end:
                return
            if start is not None and segment.end is not None and segment.end <= start:
                continue
            low = segment.start if start is None else max(segment.start, start)
            high = end if segment.end is None else (segment.end if end is None else min(segment.end, end))
            if low == segment.start and high == segment.end:
                yield segment
            else:
                yield Segment(low, high, segment.aboard, segment.docked, segment.riding, segment.rides)

    @property
    def first(self) -> int | None:
        return self.manifest.first

    @property
    def horizon(self) -> int | None:
        return self.manifest.horizon

    @property
    def open_ended(self) -> bool:
        """Whether anyone is still aboard after the last known event."""
        return bool(self.segments) and bool(self.segments[-1].aboard)


def core_partners(manifest: Manifest, stays: tuple[Stay, ...]) -> dict[str, str | None]:
    """For each agency name the stays use, the core partner it is (None: not a core partner)."""
    partners = set(manifest.station.core_partners)
    result: dict[str, str | None] = {}
    for stay in stays:
        if stay.agency not in result:
            agency = canonical_agency(manifest.agencies, stay.agency)
            result[stay.agency] = agency if agency in partners else None
    return result


def build_timeline(manifest: Manifest, placement: Placement = Placement.NOMINAL, since: int | None = None) -> Timeline:
    """Sort every arrival, departure, relocation and grounding once and sweep them into segments.

    With `since`, stays and dockings over before it are left out: the segments from `since` on
    are the same, and a question about the present need not sweep the whole history.
    """
    stays = pair_stays(manifest).stays
    flights = {flight.id: flight for flight in manifest.flights}
    going_home: dict[str, list[Stay]] = defaultdict(list)
    by_person: dict[str, list[Stay]] = defaultdict(list)
    for stay in stays:
        by_person[stay.person].append(stay)
        if stay.returns_on is not None:
            going_home[stay.returns_on].append(stay)

    # An event switches an item on or off: a stay, a ride (its riders leave the station), a
    # docking at a port, or a grounding (which only starts a new segment).
    events: list[tuple[int, bool, Stay | Ride | Docked | Flight]] = []

    def add(start: int, end: int | None, item: Stay | Ride | Docked | Flight) -> None:
        if end is None or start < end:
            events.append((start, True, item))
            if end is not None:
                events.append((end, False, item))

    def over(end: When | None) -> bool:
        return since is not None and end is not None and end.latest < since

    for stay in stays:
        if not over(stay.end):
            add(placement.start(stay.start), None if stay.end is None else placement.end(stay.end), stay)
    for flight in manifest.flights:
        if over(flight.undock):
            continue
        port, start = flight.port, placement.start(flight.dock)
        for number, relocation in enumerate(flight.relocations):
            leave, back = placement.end(relocation.start), placement.start(relocation.end)
            add(start, leave, Docked(flight, port, start, leave))
            if relocation.crew is None:
                candidates = going_home.get(flight.id, [])
            else:
                candidates = [stay for person in relocation.crew for stay in by_person.get(person, [])]
            add(leave, back, Ride(flight.id, number, tuple(_active(candidates, relocation.start.seconds)), leave, back))
            port, start = relocation.port, back
        end = None if flight.undock is None else placement.end(flight.undock)
        add(start, end, Docked(flight, port, start, end))
        if flight.grounded is not None:
            add(flight.grounded.seconds, None, flight)
    events.sort(key=lambda event: event[0])  # stable: ties keep the order above

    aboard: dict[Stay, int] = {}
    riding: dict[Stay, None] = {}
    rides: dict[Ride, None] = {}
    docked: dict[Docked, None] = {}
    moments: list[int] = []
    states: list[tuple[tuple[Stay, ...], tuple[Docked, ...], tuple[Stay, ...], tuple[Ride, ...]]] = []
    for index, (moment, on, item) in enumerate(events):
        if isinstance(item, Stay):
            _count(aboard, item, 1 if on else -1)
        elif isinstance(item, Ride):
            _toggle(rides, item, on)
            for rider in item.riders:
                _count(aboard, rider, -1 if on else 1)
                _toggle(riding, rider, on)
        elif isinstance(item, Docked):
            _toggle(docked, item, on)
        if index + 1 == len(events) or events[index + 1][0] != moment:
            moments.append(moment)
            states.append((tuple(s for s, n in aboard.items() if n > 0), tuple(docked), tuple(riding), tuple(rides)))
    ends: list[int | None] = [*moments[1:], None] if moments else []
    segments = [Segment(start, end, *state) for start, end, state in zip(moments, ends, states, strict=True)]
    return Timeline(manifest, placement, stays, segments, core_partners(manifest, stays), flights)


def _active(stays: list[Stay], moment: int) -> list[Stay]:
    return [stay for stay in stays if stay.start.seconds <= moment and (stay.end is None or moment < stay.end.seconds)]


def _count(counts: dict[Stay, int], stay: Stay, step: int) -> None:
    count = counts.get(stay, 0) + step
    if count:
        counts[stay] = count
    else:
        del counts[stay]


K = TypeVar("K")


def _toggle(items: dict[K, None], item: K, on: bool) -> None:
    if on:
        items[item] = None
    else:
        items.pop(item, None)
