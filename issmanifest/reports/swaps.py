"""The seat swap: who rode another core partner's vehicle, under which agreement, and what it gave.

A cross-ride is a core partner's person flying up or down on a vehicle another core
partner provides. Under an agreement it is a swap seat; otherwise (NASA's purchased
Soyuz seats, cosmonauts on the Shuttle) it is listed as outside any agreement.
"""

import itertools
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from issmanifest.engine.agreements import partner_of, provider_of
from issmanifest.engine.analysis import Analysis
from issmanifest.engine.stays import Stay
from issmanifest.manifest.model import DAY, Agreement, Flight, Manifest, When, iso_date

OUTSIDE = "outside any agreement"
ONLY_OTHER = "only-other-vehicle"  # a partner aboard, every one of them riding home on another partner's vehicle
NO_CROSS_RIDE = "no-cross-ride"  # nobody aboard rides home on another core partner's vehicle


class Ride(NamedTuple):
    """One person's trip up or down on a vehicle of another core partner."""

    flight: str
    vehicle: str
    provider: str
    person: str
    name: str
    agency: str
    direction: str  # "up" or "down"
    when: When | None  # the launch going up, the undocking coming down (None: not yet known)
    agreement: str | None  # None: outside any agreement
    unconfirmed: tuple[str, ...]  # "ride" (the flight's dates or crew), "agreement" (which one covers it)
    planned: bool  # after `now`


class Balance(NamedTuple):
    """Seats one partner provided another in a calendar year under an agreement.

    Counted over the whole record whatever the window (which picks the years shown); `net` runs
    from the first swap to the end of the year.
    """

    agreement: str
    year: int
    provider: str
    receiver: str
    up: int
    down: int
    net: int  # up seats provider gave receiver minus those receiver gave provider, up to the year's end


class EmptySeat(NamedTuple):
    """A flight under an agreement that launched with seats to spare, and the manifest's note on why."""

    flight: str
    vehicle: str
    provider: str
    agreement: str
    seats: int
    crew: int
    swap_riders: int  # of those, people of another party
    note: str | None


class Exposure(NamedTuple):
    """An interval of one kind: `agency` aboard only by the other's vehicle, or no cross-ride aboard at all."""

    kind: str
    agency: str | None
    start: int
    end: int

    @property
    def days(self) -> float:
        return (self.end - self.start) / DAY


class Upcoming(NamedTuple):
    """A planned flight with swap seats, and the balance after it."""

    flight: str
    launch: When
    provider: str
    riders: tuple[str, ...]
    net: tuple[tuple[str, str, int], ...]  # (provider, receiver, net) for each pair of parties after it


class Swaps(NamedTuple):
    start: int | None
    end: int | None
    agreements: tuple[Agreement, ...]
    rides: tuple[Ride, ...]
    balance: tuple[Balance, ...]
    empty_seats: tuple[EmptySeat, ...]
    exposure: tuple[Exposure, ...]
    upcoming: tuple[Upcoming, ...]


def _carries_party(manifest: Manifest, flight: Flight, parties: Iterable[str], stays: Iterable[Stay]) -> bool:
    wanted = set(parties)
    for stay in stays:
        if flight.id in (stay.arrived_on, stay.returns_on) and partner_of(manifest, stay.agency) in wanted:
            return True
    return False


def agreement_of(manifest: Manifest, flight: Flight, stays: tuple[Stay, ...]) -> Agreement | None:
    """The agreement a flight falls under: one listing it, else the latest signed whose period holds its launch.

    A flight falls under a period only if it carries a party's person (not a private mission).
    """
    for agreement in manifest.agreements:
        if flight.id in agreement.flights:
            return agreement
    candidates = [
        agreement
        for agreement in manifest.agreements
        if agreement.start is not None or agreement.until is not None or not agreement.flights
        if (agreement.start or agreement.signed).seconds <= flight.launch.seconds
        and (agreement.until is None or flight.launch.seconds < agreement.until.latest)
    ]
    candidates = [a for a in candidates if _carries_party(manifest, flight, a.parties, stays)]
    return max(candidates, key=lambda agreement: agreement.signed.seconds, default=None)


def _doubt(agreement: Agreement | None, flight: Flight) -> bool:
    if agreement is None:
        return False
    if flight.id in agreement.flights:
        return "flights" in agreement.uncertain
    bounds = {"from", "until"} if agreement.start is not None else {"signed", "until"}
    return bool(bounds & set(agreement.uncertain))


def list_swaps(
    manifest: Manifest,
    *,
    start: int | None = None,
    end: int | None = None,
    now: int | None = None,
    analysis: Analysis | None = None,
) -> Swaps:
    """Every cross-ride in [start, end), the balance per agreement and year, empty seats, exposure, what comes next."""
    analysis = analysis or Analysis.of(manifest)
    stays = analysis.stays
    flights = {flight.id: flight for flight in manifest.flights}
    covering = {flight.id: agreement_of(manifest, flight, stays) for flight in manifest.flights}
    every: list[Ride] = []
    for stay in stays:
        agency = partner_of(manifest, stay.agency)
        if agency is None:
            continue
        trips = [("up", flights[stay.arrived_on])]
        if stay.returns_on is not None:
            trips.append(("down", flights[stay.returns_on]))
        for direction, flight in trips:
            provider = provider_of(manifest, flight)
            if provider is None or provider == agency or provider not in manifest.station.core_partners:
                continue
            agreement = covering[flight.id]
            if agreement is not None and not {agency, provider} <= set(agreement.parties):
                agreement = None
            when = flight.launch if direction == "up" else flight.undock
            unsure = flight.unsure_of("launch", "up") if direction == "up" else flight.unsure_of("undock", "down")
            doubts = (("ride",) if unsure else ()) + (("agreement",) if _doubt(agreement, flight) else ())
            every.append(
                Ride(
                    flight=flight.id,
                    vehicle=flight.vehicle,
                    provider=provider,
                    person=stay.person,
                    name=manifest.people[stay.person].name,
                    agency=agency,
                    direction=direction,
                    when=when,
                    agreement=None if agreement is None else agreement.name,
                    unconfirmed=doubts,
                    planned=now is not None and (when is None or when.seconds > now),
                )
            )
    every.sort(key=_order)
    rides = tuple(ride for ride in every if _within(ride.when, start, end))
    return Swaps(
        start=start,
        end=end,
        agreements=manifest.agreements,
        rides=rides,
        balance=tuple(row for row in _balance(tuple(every)) if _year_within(row.year, start, end)),
        empty_seats=_empty_seats(manifest, covering, rides, start, end),
        exposure=tuple(exposure(manifest, stays, _exposure_start(manifest, start), end)),
        upcoming=_upcoming(manifest, every, now),
    )


def _order(ride: Ride) -> tuple[float, int, str, str]:
    moment = float("inf") if ride.when is None else ride.when.seconds
    return (moment, 0 if ride.direction == "down" else 1, ride.flight, ride.person)


def _within(when: When | None, start: int | None, end: int | None) -> bool:
    if when is None:
        return end is None
    return (start is None or when.seconds >= start) and (end is None or when.seconds < end)


def _year_within(year: int, start: int | None, end: int | None) -> bool:
    """Whether a calendar year overlaps [start, end)."""
    first = None if start is None else int(iso_date(start)[:4])
    last = None if end is None else int(iso_date(end - 1)[:4])
    return (first is None or year >= first) and (last is None or year <= last)


def _year(when: When | None) -> int | None:
    return None if when is None else int(iso_date(when.seconds)[:4])


def _balance(rides: tuple[Ride, ...]) -> tuple[Balance, ...]:
    counts: dict[tuple[str, int, str, str], list[int]] = defaultdict(lambda: [0, 0])
    order: list[tuple[str, int, str, str]] = []
    for ride in rides:
        year = _year(ride.when)
        if ride.agreement is None or year is None:
            continue
        key = (ride.agreement, year, ride.provider, ride.agency)
        if key not in counts:
            order.append(key)
        counts[key][0 if ride.direction == "up" else 1] += 1
    order.sort(key=lambda key: (key[1], key[0], key[2], key[3]))
    result: list[Balance] = []
    # `net` is up to the end of the row's year: add the rows year by year.
    running: dict[tuple[str, str], int] = defaultdict(int)
    by_year: dict[int, list[tuple[str, int, str, str]]] = defaultdict(list)
    for key in order:
        by_year[key[1]].append(key)
    for year in sorted(by_year):
        for key in by_year[year]:
            running[(key[2], key[3])] += counts[key][0]
        for key in by_year[year]:
            agreement, _, provider, receiver = key
            net = running[(provider, receiver)] - running[(receiver, provider)]
            result.append(Balance(agreement, year, provider, receiver, counts[key][0], counts[key][1], net))
    return tuple(result)


def _empty_seats(
    manifest: Manifest,
    covering: dict[str, Agreement | None],
    rides: tuple[Ride, ...],
    start: int | None,
    end: int | None,
) -> tuple[EmptySeat, ...]:
    result: list[EmptySeat] = []
    for flight in manifest.flights:
        agreement = covering[flight.id]
        provider = provider_of(manifest, flight)
        if agreement is None or provider not in agreement.parties or not _within(flight.launch, start, end):
            continue
        seats = manifest.vehicles[flight.vehicle].seats
        if len(flight.up) >= seats:
            continue
        riders = sum(1 for ride in rides if ride.flight == flight.id and ride.direction == "up")
        result.append(
            EmptySeat(flight.id, flight.vehicle, provider, agreement.name, seats, len(flight.up), riders, flight.note)
        )
    return tuple(result)


def _exposure_start(manifest: Manifest, start: int | None) -> int | None:
    began = min(((a.start or a.signed).seconds for a in manifest.agreements), default=None)
    if began is None:
        return None
    return began if start is None else max(began, start)


def state_at(manifest: Manifest, stays: Iterable[Stay], moment: int, horizon: int) -> dict[str, tuple[int, int]]:
    """Each core partner's (people aboard, of them riding home on another core partner's vehicle) at an instant."""
    flights = {flight.id: flight for flight in manifest.flights}
    result = {partner: (0, 0) for partner in manifest.station.core_partners}
    for stay in stays:
        end = horizon if stay.end is None else stay.end.seconds
        agency = partner_of(manifest, stay.agency)
        if agency is None or not stay.start.seconds <= moment < end:
            continue
        home = None if stay.returns_on is None else provider_of(manifest, flights[stay.returns_on])
        other = home is not None and home != agency and home in manifest.station.core_partners
        aboard, crossing = result[agency]
        result[agency] = (aboard + 1, crossing + int(other))
    return result


def exposure(manifest: Manifest, stays: tuple[Stay, ...], start: int | None, end: int | None) -> list[Exposure]:
    """The intervals in [start, end) (up to the last known event) of each exposure kind.

    `only-other-vehicle`: a core partner had people aboard and every one of them rode home on
    another core partner's vehicle. `no-cross-ride`: nobody aboard rode home on another's vehicle.
    """
    horizon = manifest.horizon
    if start is None or horizon is None:
        return []
    stop = horizon if end is None else min(end, horizon)
    edges = {start, stop}
    for stay in stays:
        for moment in (stay.start.seconds, horizon if stay.end is None else stay.end.seconds):
            if start < moment < stop:
                edges.add(moment)
    points = sorted(edges)
    found: list[Exposure] = []
    for low, high in itertools.pairwise(points):
        state = state_at(manifest, stays, low, horizon)
        kinds: list[tuple[str, str | None]] = []
        for partner, (aboard, crossing) in state.items():
            if aboard and crossing == aboard:
                kinds.append((ONLY_OTHER, partner))
        if not any(crossing for _, crossing in state.values()):
            kinds.append((NO_CROSS_RIDE, None))
        for kind, agency in kinds:
            last = next((e for e in reversed(found) if e.kind == kind and e.agency == agency), None)
            if last is not None and last.end == low:
                found[found.index(last)] = last._replace(end=high)
            else:
                found.append(Exposure(kind, agency, low, high))
    found.sort(key=lambda e: (e.start, e.kind, e.agency or ""))
    return found


def _upcoming(manifest: Manifest, rides: list[Ride], now: int | None) -> tuple[Upcoming, ...]:
    if now is None:
        return ()
    running: dict[tuple[str, str], int] = defaultdict(int)
    result: list[Upcoming] = []
    pairs = sorted({(r.provider, r.agency) for r in rides if r.agreement is not None})
    by_flight: dict[str, list[Ride]] = defaultdict(list)
    for ride in rides:
        if ride.agreement is not None and ride.direction == "up":
            by_flight[ride.flight].append(ride)
    for flight in manifest.flights:
        taken = by_flight.get(flight.id, [])
        for ride in taken:
            running[(ride.provider, ride.agency)] += 1
        if taken and flight.launch.seconds > now:
            net = tuple((a, b, running[(a, b)] - running[(b, a)]) for a, b in pairs)
            provider = taken[0].provider
            result.append(Upcoming(flight.id, flight.launch, provider, tuple(r.person for r in taken), net))
    return tuple(result)
