"""Who is aboard when: the station's state between events, from the stays (engine/stays.py) and dockings.

A timeline sorts every arrival, departure, docking, relocation and grounding
once. A sweep over those events keeps the station's state up to date as it
goes (who is aboard, which vehicles are docked where, how many seats can fly,
how many of each core partner are aboard and on which vehicle they go home),
so that each span between two events, a segment, is answered in constant time:
nothing is rescanned per instant. Every question (who is aboard at an instant,
what the rules find) is answered by one sweep; checkpoints taken along the way
let a later sweep start near where it is needed.
"""

import bisect
import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple, TypeVar

from issmanifest.engine.stays import Entity, Stay, pair_stays
from issmanifest.manifest.model import Flight, Manifest, When, canonical_agency


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


class Docked(Entity):
    """A vehicle at a port for a span of time (relocations split a docking into several)."""

    __slots__ = ("end", "flight", "port", "start")

    def __init__(self, flight: Flight, port: str | None, start: int, end: int | None) -> None:
        self.flight, self.port, self.start, self.end = flight, port, start, end


class Ride(Entity):
    """People off the station in their vehicle while it moves between ports."""

    __slots__ = ("end", "flight", "relocation", "riders", "start")

    def __init__(self, flight: str, relocation: int, riders: tuple[Stay, ...], start: int, end: int) -> None:
        self.flight, self.relocation, self.riders, self.start, self.end = flight, relocation, riders, start, end


class Segment(NamedTuple):
    """The state of the station from `start` until `end` (None: for ever after), frozen."""

    start: int
    end: int | None
    aboard: tuple[Stay, ...]
    docked: tuple[Docked, ...]
    riding: tuple[Stay, ...]
    rides: tuple[Ride, ...]

    def grounded(self, docked: Docked) -> bool:
        grounded = docked.flight.grounded
        return grounded is not None and grounded.seconds <= self.start


Item = Stay | Ride | Docked | Flight


class State:
    """The station between two events, kept up to date event by event by a sweep.

    Read it while the sweep yields it; it changes at the next event. `frozen()` copies it out.
    """

    __slots__ = (
        "aboard",
        "assigned",
        "conflicts",
        "counted",
        "docked",
        "docked_flights",
        "going_home",
        "homes",
        "members",
        "moment",
        "partner_of",
        "ports",
        "presence",
        "riders",
        "rides",
        "riding",
        "seats",
        "vehicles",
    )

    def __init__(self, timeline: "Timeline") -> None:
        partners = timeline.manifest.station.core_partners
        self.partner_of = timeline.partner_of
        self.vehicles = timeline.manifest.vehicles
        self.moment = 0
        self.presence: dict[Stay, int] = {}  # a stay riding a relocation counts one less
        self.aboard: dict[Stay, None] = {}
        self.riding: dict[Stay, None] = {}
        self.rides: dict[Ride, None] = {}
        self.docked: dict[Docked, None] = {}
        self.docked_flights: dict[str, int] = {}
        self.members = dict.fromkeys(partners, 0)  # core partner -> people aboard
        self.riders = dict.fromkeys(partners, 0)  # core partner -> people riding a relocation
        self.homes: dict[str, dict[str | None, int]] = {partner: {} for partner in partners}  # -> flight home -> people
        self.going_home: dict[str | None, int] = {}  # flight home -> people aboard
        self.seats = 0  # seats of docked vehicles that can fly and take anyone
        self.counted: dict[Docked, int] = {}  # seats each docking adds to `seats`
        self.assigned: dict[str, int] = {}  # docked "assigned" lifeboats that can fly -> their seats
        self.ports: dict[str, dict[str, None]] = {}  # port (case folded) -> flights at it
        self.conflicts: dict[str, None] = {}  # ports with two or more flights

    def copy(self, timeline: "Timeline") -> "State":
        other = State(timeline)
        for name in (
            "presence",
            "aboard",
            "riding",
            "rides",
            "docked",
            "docked_flights",
            "members",
            "riders",
            "going_home",
            "counted",
            "assigned",
            "conflicts",
        ):
            setattr(other, name, dict(getattr(self, name)))
        other.homes = {partner: dict(homes) for partner, homes in self.homes.items()}
        other.ports = {port: dict(flights) for port, flights in self.ports.items()}
        other.seats, other.moment = self.seats, self.moment
        return other

    def capacity(self) -> int:
        """Seats home in docked vehicles that can fly; an "assigned" lifeboat only for its own people."""
        seats = self.seats
        for flight, places in self.assigned.items():
            seats += min(places, self.going_home.get(flight, 0))
        return seats

    def apply(self, moment: int, on: bool, item: Item) -> None:  # noqa: FBT001 (the sweep's inner call: positional is faster)
        self.moment = moment
        if isinstance(item, Stay):  # most events: `_presence` written out, a call less
            presence = self.presence
            before = presence.get(item, 0)
            after = before + 1 if on else before - 1
            if after:
                presence[item] = after
            else:
                del presence[item]
            if before <= 0 < after:
                self._enter(item)
            elif after <= 0 < before:
                self._leave(item)
        elif isinstance(item, Docked):
            self._dock(item, on)
        elif isinstance(item, Ride):
            if on:
                self.rides[item] = None
            else:
                del self.rides[item]
            for stay in item.riders:
                partner = self.partner_of[stay.agency]
                if on:
                    self.riding[stay] = None
                else:
                    self.riding.pop(stay, None)
                if partner is not None:
                    self.riders[partner] += 1 if on else -1
                self._presence(stay, -1 if on else 1)
        else:
            self._ground(item)

    def _presence(self, stay: Stay, step: int) -> None:
        before = self.presence.get(stay, 0)
        after = before + step
        if after:
            self.presence[stay] = after
        else:
            del self.presence[stay]
        if before <= 0 < after:
            self._enter(stay)
        elif after <= 0 < before:
            self._leave(stay)

    def _enter(self, stay: Stay) -> None:
        self.aboard[stay] = None
        home = stay.returns_on
        self.going_home[home] = self.going_home.get(home, 0) + 1
        partner = self.partner_of[stay.agency]
        if partner is not None:
            self.members[partner] += 1
            homes = self.homes[partner]
            homes[home] = homes.get(home, 0) + 1

    def _leave(self, stay: Stay) -> None:
        del self.aboard[stay]
        home = stay.returns_on
        _decrement(self.going_home, home)
        partner = self.partner_of[stay.agency]
        if partner is not None:
            self.members[partner] -= 1
            _decrement(self.homes[partner], home)

    def _dock(self, docked: Docked, on: bool) -> None:  # noqa: FBT001 (called from `apply`, as fast)
        flight = docked.flight
        if on:
            self.docked[docked] = None
            self.docked_flights[flight.id] = self.docked_flights.get(flight.id, 0) + 1
            if flight.grounded is None or flight.grounded.seconds > self.moment:
                vehicle = self.vehicles[flight.vehicle]
                if vehicle.lifeboat == "assigned":
                    self.assigned[flight.id] = vehicle.seats
                else:
                    self.counted[docked] = vehicle.seats
                    self.seats += vehicle.seats
            if docked.port is not None:
                port = docked.port.casefold()
                flights = self.ports.setdefault(port, {})
                flights[flight.id] = None
                if len(flights) > 1:
                    self.conflicts[port] = None
        else:
            del self.docked[docked]
            _decrement(self.docked_flights, flight.id)
            self.seats -= self.counted.pop(docked, 0)
            self.assigned.pop(flight.id, None)
            if docked.port is not None:
                port = docked.port.casefold()
                flights = self.ports[port]
                flights.pop(flight.id, None)
                if len(flights) < 2:
                    self.conflicts.pop(port, None)

    def _ground(self, flight: Flight) -> None:
        for docked in self.docked:
            if docked.flight is flight:
                self.seats -= self.counted.pop(docked, 0)
                self.assigned.pop(flight.id, None)

    def frozen(self, start: int, end: int | None) -> Segment:
        return Segment(start, end, tuple(self.aboard), tuple(self.docked), tuple(self.riding), tuple(self.rides))


T = TypeVar("T")


def _decrement(counts: dict[T, int], key: T) -> None:
    count = counts[key] - 1
    if count:
        counts[key] = count
    else:
        del counts[key]


STRIDE = 512  # events between checkpoints, by default


class Timeline:
    """The sorted events of a manifest's stays and dockings, under one placement of bare dates.

    `stride`: events between the checkpoints a sweep keeps (tests make it small to exercise them); 0 keeps none.
    """

    def __init__(
        self,
        manifest: Manifest,
        placement: Placement,
        stays: tuple[Stay, ...],
        events: list[tuple[int, bool, Item]],
        *,
        stride: int = STRIDE,
    ) -> None:
        self.manifest = manifest
        self.placement = placement
        self.stays = stays
        self.events = events
        self.stride = stride
        self.flights = {flight.id: flight for flight in manifest.flights}
        self.partner_of = core_partners(manifest, stays)
        self._checkpoints: list[tuple[int, int, State]] = []  # (time, events applied, state)
        self._times: list[int] = []
        self._instants: list[int] | None = None  # each event's instant, when first asked for a window

    def partner(self, stay: Stay) -> str | None:
        """The core partner a stay counts for, if any."""
        return self.partner_of[stay.agency]

    def _replay_to(self, moment: int | None) -> tuple[State, int]:
        """The state with every event before `moment` applied, from the nearest checkpoint."""
        index = -1 if moment is None else bisect.bisect_left(self._times, moment) - 1
        if index >= 0:
            _, applied, saved = self._checkpoints[index]
            state = saved.copy(self)
        else:
            state, applied = State(self), 0
        events = self.events
        while applied < len(events) and moment is not None and events[applied][0] < moment:
            applied = self._apply_batch(state, applied)
        return state, applied

    def _apply_batch(self, state: State, index: int) -> int:
        """Apply the events at the time of events[index]; record a checkpoint now and then."""
        events = self.events
        count = len(events)
        apply = state.apply
        moment = events[index][0]
        while index < count:
            time, on, item = events[index]
            if time != moment:
                break
            apply(moment, on, item)
            index += 1
        if (
            self.stride
            and index // self.stride > len(self._checkpoints) - 1
            and (not self._times or moment > self._times[-1])
            and index < len(events)
        ):
            self._checkpoints.append((events[index][0], index, state.copy(self)))
            self._times.append(events[index][0])
        return index

    def sweep(
        self, start: int | None = None, end: int | None = None, state: State | None = None
    ) -> Iterator[tuple[int, int | None, State]]:
        """Each segment overlapping [start, end), clipped to it: (start, end, state).

        From `start` (default: the first event), including the empty time before the first event.
        `state`: the station just before `start`, to go on from; it changes as the sweep goes, and is left
        just before `end` (what happens at `end` is not applied), where a sweep of what follows can take it on.
        """
        events = self.events
        if start is None:
            if not events:
                return
            start = events[0][0]
        if state is None:
            state, index = self._replay_to(start)
        else:
            index = bisect.bisect_left(events, start, key=_time)
        while index < len(events) and events[index][0] == start:
            index = self._apply_batch(state, index)
        current = start
        while end is None or current < end:
            upcoming = events[index][0] if index < len(events) else None
            stop = upcoming if end is None else end if upcoming is None else min(upcoming, end)
            yield current, stop, state
            if upcoming is None or stop != upcoming or stop == end:
                return
            index = self._apply_batch(state, index)
            current = upcoming

    def window(self, low: int, high: int) -> list["Event"]:
        """The events from `low` through `high`, both included, in order."""
        if self._instants is None:
            self._instants = [event[0] for event in self.events]
        instants = self._instants
        return self.events[bisect.bisect_left(instants, low) : bisect.bisect_right(instants, high)]

    def variant(self, events: list["Event"]) -> "Timeline":
        """This timeline with other events (sorted): a what-if over a short window, swept once from a state
        given to `sweep`, sharing this timeline's manifest and partners."""
        other = object.__new__(Timeline)
        other.manifest, other.placement, other.stays = self.manifest, self.placement, self.stays
        other.flights, other.partner_of = self.flights, self.partner_of
        other.events, other.stride, other._checkpoints, other._times, other._instants = events, 0, [], [], None
        return other

    def state_at(self, seconds: int) -> State:
        """The station at an instant, every event up to it applied (a copy: the caller may keep it)."""
        return self._replay_to(seconds + 1)[0]

    def at(self, seconds: int) -> Segment | None:
        """The station at an instant; None before anything has docked."""
        events = self.events
        if not events or seconds < events[0][0]:
            return None
        state, index = self._replay_to(seconds + 1)
        start = events[index - 1][0]
        return state.frozen(start, events[index][0] if index < len(events) else None)

    def changes_at(self, seconds: int) -> list[tuple[bool, Item]]:
        """The events at an instant: (on, item), where on is False for what ends then."""
        return [(on, item) for _, on, item in self.window(seconds, seconds)]

    def aboard_at(self, seconds: int) -> tuple[Stay, ...]:
        segment = self.at(seconds)
        return segment.aboard if segment else ()

    @property
    def segments(self) -> list[Segment]:
        """Every segment, frozen: for inspection and tests; the engine reads `sweep`."""
        return [state.frozen(start, end) for start, end, state in self.sweep()]

    @property
    def first(self) -> int | None:
        return self.manifest.first

    @property
    def horizon(self) -> int | None:
        return self.manifest.horizon

    @property
    def open_ended(self) -> bool:
        """Whether anyone is still aboard after the last known event: a stay with no end."""
        return any(stay.end is None for stay in self.stays)


def core_partners(manifest: Manifest, stays: tuple[Stay, ...]) -> dict[str, str | None]:
    """For each agency name the stays use, the core partner it is (None: not a core partner)."""
    partners = set(manifest.station.core_partners)
    result: dict[str, str | None] = {}
    for stay in stays:
        if stay.agency not in result:
            agency = canonical_agency(manifest.agencies, stay.agency)
            result[stay.agency] = agency if agency in partners else None
    return result


Event = tuple[int, bool, Item]


class ExactEvents(NamedTuple):
    """The sorted events of everything known to the minute: the same under every placement of bare dates."""

    events: list[Event]
    bare_stays: list[Stay]  # what has a bare date, to be placed and merged in per placement
    bare_flights: list[Flight]


def build_timeline(
    manifest: Manifest,
    placement: Placement = Placement.NOMINAL,
    since: int | None = None,
    *,
    stays: tuple[Stay, ...] | None = None,
    exact: ExactEvents | None = None,
    stride: int = STRIDE,
) -> Timeline:
    """Sort every arrival, departure, relocation and grounding once.

    With `since`, stays and dockings over before it are left out: the state from `since` on
    is the same, and a question about the present need not sweep the whole history. The events
    of values known to the minute are the same under every placement of bare dates: given
    `exact` (from `exact_events` with the same `since`), only the few with bare dates are placed
    and merged in. `stays`: the manifest's pairing, if already made.
    """
    if stays is None:
        stays = pair_stays(manifest).stays
    if exact is None:
        exact = exact_events(manifest, stays, since)
    if not exact.bare_stays and not exact.bare_flights:
        return Timeline(manifest, placement, stays, exact.events, stride=stride)
    extra: list[Event] = []
    _stay_events(extra.append, exact.bare_stays, placement)
    _flight_events(extra.append, exact.bare_flights, placement, stays)
    events = exact.events + extra
    events.sort(key=_time)  # two sorted runs: merged in linear time, exact ones first at ties
    return Timeline(manifest, placement, stays, events, stride=stride)


def exact_events(manifest: Manifest, stays: tuple[Stay, ...], since: int | None) -> ExactEvents:
    """The sorted events of everything known to the minute, and the stays and flights with bare dates."""

    def over(end: When | None) -> bool:
        return since is not None and end is not None and end.latest < since

    exact_stays: list[Stay] = []
    bare_stays: list[Stay] = []
    for stay in stays:
        if not over(stay.end):
            bare = stay.start.date_only or (stay.end is not None and stay.end.date_only)
            (bare_stays if bare else exact_stays).append(stay)
    exact_flights: list[Flight] = []
    bare_flights: list[Flight] = []
    for flight in manifest.flights:
        if not over(flight.undock):
            (bare_flights if has_bare_date(flight) else exact_flights).append(flight)
    events: list[Event] = []
    _stay_events(events.append, exact_stays, Placement.NOMINAL)
    _flight_events(events.append, exact_flights, Placement.NOMINAL, stays)
    events.sort(key=_time)  # stable: at one instant, stays first, then dockings, as added
    return ExactEvents(events, bare_stays, bare_flights)


def has_bare_date(flight: Flight) -> bool:
    """Whether the flight's docking, undocking or a relocation is known only to the day."""
    return (
        flight.dock.date_only
        or (flight.undock is not None and flight.undock.date_only)
        or any(relocation.start.date_only or relocation.end.date_only for relocation in flight.relocations)
    )


def has_bare_dates(manifest: Manifest) -> bool:
    """Whether any docking, undocking or relocation is known only to the day."""
    return any(has_bare_date(flight) for flight in manifest.flights)


def _stay_events(append: Callable[[tuple[int, bool, Item]], None], stays: Iterable[Stay], placement: Placement) -> None:
    start_of, end_of = placement.start, placement.end
    for stay in stays:
        begin = start_of(stay.start)
        if stay.end is None:
            append((begin, True, stay))
        else:
            finish = end_of(stay.end)
            if begin < finish:
                append((begin, True, stay))
                append((finish, False, stay))


def _flight_events(
    append: Callable[[tuple[int, bool, Item]], None],
    flights: Iterable[Flight],
    placement: Placement,
    stays: tuple[Stay, ...],
) -> None:
    """A docking (split by relocations, each a ride for those aboard) and a grounding, for each flight."""
    start_of, end_of = placement.start, placement.end
    riders_of: dict[str, list[Stay]] | None = None
    for flight in flights:
        port, begin = flight.port, start_of(flight.dock)
        for number, relocation in enumerate(flight.relocations):
            if riders_of is None:
                riders_of = _riders_index(stays)
            leave, back = end_of(relocation.start), start_of(relocation.end)
            _add(append, begin, leave, Docked(flight, port, begin, leave))
            if relocation.crew is None:
                candidates = riders_of.get(flight.id, [])
            else:
                candidates = [stay for person in relocation.crew for stay in riders_of.get("@" + person, [])]
            riders = tuple(_active(candidates, relocation.start.seconds))
            _add(append, leave, back, Ride(flight.id, number, riders, leave, back))
            port, begin = relocation.port, back
        undocked = None if flight.undock is None else end_of(flight.undock)
        _add(append, begin, undocked, Docked(flight, port, begin, undocked))
        if flight.grounded is not None:
            append((flight.grounded.seconds, True, flight))


def _riders_index(stays: tuple[Stay, ...]) -> dict[str, list[Stay]]:
    """Stays by the flight that brings them home, and by person (keys "@person")."""
    index: dict[str, list[Stay]] = defaultdict(list)
    for stay in stays:
        index["@" + stay.person].append(stay)
        if stay.returns_on is not None:
            index[stay.returns_on].append(stay)
    return index


def _time(event: tuple[int, bool, Item]) -> int:
    return event[0]


def _add(append: Callable[[tuple[int, bool, Item]], None], start: int, end: int | None, item: Item) -> None:
    if end is None or start < end:
        append((start, True, item))
        if end is not None:
            append((end, False, item))


def _active(stays: list[Stay], moment: int) -> list[Stay]:
    return [stay for stay in stays if stay.start.seconds <= moment and (stay.end is None or moment < stay.end.seconds)]
