"""Stays: each person's time aboard, paired from the flights that bring them up and down."""

from collections import defaultdict
from typing import NamedTuple

from issmanifest.manifest.model import Flight, Manifest, When


class Entity:
    """A record told apart by identity, as the sweep's dictionaries of stays, dockings and rides need.

    The built-in identity hash is the fastest there is. Nothing changes a record after it is made.
    """

    __slots__: tuple[str, ...] = ()

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"


class Stay(Entity):
    """One person's time aboard: from the dock of `arrived_on` to the undock of `returns_on`."""

    __slots__ = ("agency", "arrived_on", "end", "person", "returns_on", "start")

    def __init__(
        self, person: str, agency: str, arrived_on: str, returns_on: str | None, start: When, end: When | None
    ) -> None:
        self.person = person
        self.agency = agency  # as written, for this trip
        self.arrived_on = arrived_on
        self.returns_on = returns_on  # None: no flight brings them down yet
        self.start = start
        self.end = end  # None: the flight home has no undock date yet, or there is none


class StayProblem(NamedTuple):
    flight: str
    flight_index: int  # the flight's place in the manifest
    field: str
    person: str
    message: str
    hint: str | None = None


class Pairing(NamedTuple):
    stays: tuple[Stay, ...]
    problems: tuple[StayProblem, ...]


def pair_stays(manifest: Manifest) -> Pairing:
    """Match each `up` listing with the first `down` listing of that person after it.

    A `down` that no stay reaches, and two stays of one person at once, are problems.
    """
    ups: dict[str, list[tuple[int, int, Flight]]] = defaultdict(list)
    downs: dict[str, list[tuple[float, int, Flight]]] = defaultdict(list)
    never = float("inf")
    for index, flight in enumerate(manifest.flights):
        if flight.up:
            going_up = (flight.dock.seconds, index, flight)  # one tuple for the whole crew
            for person in flight.up:
                ups[person].append(going_up)
        if flight.down:
            coming_down = (never if flight.undock is None else flight.undock.seconds, index, flight)
            for person in flight.down:
                downs[person].append(coming_down)
    stays: list[Stay] = []
    add = stays.append
    problems: list[StayProblem] = []
    people = manifest.people
    for person in sorted(ups.keys() | downs.keys()):
        arrivals = sorted(ups.get(person, ()))  # by (time, place in the manifest); a tie is the same flight
        departures = sorted(downs.get(person, ()))
        later, count = 0, len(departures)
        previous: Stay | None = None
        overlaps: list[tuple[Stay, Stay]] = []
        default_agency = people[person].agency
        for dock, _, arrival in arrivals:
            agency = (arrival.agency_for(person) if arrival.agencies else None) or default_agency
            while later < count and departures[later][0] <= dock:
                _orphan(departures[later], person, problems, flies=True)
                later += 1
            if later < count:
                departure = departures[later][2]
                stay = Stay(person, agency, arrival.id, departure.id, arrival.dock, departure.undock)
                later += 1
            else:
                stay = Stay(person, agency, arrival.id, None, arrival.dock, None)
            if previous is not None and (previous.end is None or previous.end.seconds > dock):
                overlaps.append((previous, stay))
            add(stay)
            previous = stay
        for unmatched in departures[later:]:
            _orphan(unmatched, person, problems, flies=bool(arrivals))
        for first, second in overlaps:
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
    return Pairing(tuple(stays), tuple(problems))


def _orphan(departure: tuple[float, int, Flight], person: str, problems: list[StayProblem], *, flies: bool) -> None:
    _, index, flight = departure
    if flies:
        message = f'"{person}" comes down on {flight.id} with no stay left to end'
        hint = "each stay ends at the first flight after its up that lists them in down"
    else:
        message = f'"{person}" comes down on {flight.id} but never goes up'
        hint = "list them in the up of an earlier flight, or remove them here"
    problems.append(StayProblem(flight.id, index, "down", person, message, hint))
