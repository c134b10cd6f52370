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
    stays: list[Stay] = []
    problems = _pair(manifest, stays)
    return Pairing(tuple(stays), problems)


def stay_problems(manifest: Manifest) -> tuple[StayProblem, ...]:
    """The problems of `pair_stays`, without making the stays (validation needs only these)."""
    return _pair(manifest, None)


def _pair(manifest: Manifest, stays: list[Stay] | None) -> tuple[StayProblem, ...]:
    """Pair the stays into `stays` (unless None) and say what is wrong."""
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
    add = None if stays is None else stays.append
    problems: list[StayProblem] = []
    people = manifest.people
    for person in sorted(ups.keys() | downs.keys()):
        arrivals = sorted(ups.get(person, ()))  # by (time, place in the manifest); a tie is the same flight
        departures = sorted(downs.get(person, ()))
        later, count = 0, len(departures)
        previous: tuple[Flight, Flight | None] | None = None  # the last stay's flights up and home
        overlaps: list[tuple[Flight, Flight | None, Flight]] = []
        default_agency = people[person].agency
        for dock, _, arrival in arrivals:
            while later < count and departures[later][0] <= dock:
                _orphan(departures[later], person, problems, flies=True)
                later += 1
            departure = None
            if later < count:
                departure = departures[later][2]
                later += 1
            if add is not None:
                agency = (arrival.agency_for(person) if arrival.agencies else None) or default_agency
                if departure is not None:
                    add(Stay(person, agency, arrival.id, departure.id, arrival.dock, departure.undock))
                else:
                    add(Stay(person, agency, arrival.id, None, arrival.dock, None))
            if previous is not None:
                home = previous[1]
                if home is None or home.undock is None or home.undock.seconds > dock:
                    overlaps.append((*previous, arrival))
            previous = (arrival, departure)
        for unmatched in departures[later:]:
            _orphan(unmatched, person, problems, flies=bool(arrivals))
        for first, home, second in overlaps:
            index = next(i for i, flight in enumerate(manifest.flights) if flight.id == second.id)
            back = f"returns on {home.id}" if home is not None else "no flight home"
            problems.append(
                StayProblem(
                    second.id,
                    index,
                    "up",
                    person,
                    f'"{person}" is already aboard (arrived on {first.id}, {back})',
                    "list them in the down of the flight that brings them home first",
                )
            )
    return tuple(problems)


def _orphan(departure: tuple[float, int, Flight], person: str, problems: list[StayProblem], *, flies: bool) -> None:
    _, index, flight = departure
    if flies:
        message = f'"{person}" comes down on {flight.id} with no stay left to end'
        hint = "each stay ends at the first flight after its up that lists them in down"
    else:
        message = f'"{person}" comes down on {flight.id} but never goes up'
        hint = "list them in the up of an earlier flight, or remove them here"
    problems.append(StayProblem(flight.id, index, "down", person, message, hint))
