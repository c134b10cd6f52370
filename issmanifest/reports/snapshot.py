"""Who is aboard at an instant, who comes next, and whether every core partner stays aboard."""

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from issmanifest.engine.agreements import cross_ride
from issmanifest.engine.analysis import Analysis
from issmanifest.engine.margins import Margin, next_margin
from issmanifest.engine.rules import ERROR, Check, Finding, check_continuity
from issmanifest.engine.stays import Stay
from issmanifest.engine.timeline import Placement, Timeline
from issmanifest.manifest.model import DAY, Flight, Manifest, When


class Crewmember(NamedTuple):
    person: str
    name: str
    nationality: str
    agency: str  # as the agency was named at the instant
    partner: str | None  # the core partner they belong to, if any
    arrived_on: str
    arrived: When
    returns_on: str | None
    returns: When | None  # the undock of the flight home, when scheduled
    days_aboard: int  # counted from `arrived`: a placeholder when the arrival is unconfirmed
    arrival_unconfirmed: bool  # the flight up is tentative, its launch, dock or crew uncertain, or after the facts end
    return_unconfirmed: bool  # no return date, or the flight home is tentative, uncertain or after the facts end
    past_docked_life: int | None = None  # with no return date: whole days the flight home has outstayed its vehicle
    cross_ride: str | None = None  # the other core partner whose vehicle brings them home (or, none yet, took them up)

    @property
    def unsure(self) -> bool:
        """The arrival or the return rests on a plan rather than a confirmed fact."""
        return self.arrival_unconfirmed or self.return_unconfirmed


class Rotation(NamedTuple):
    """A flight still to dock, or a docked one still to leave, after the instant."""

    flight: Flight
    event: str  # "arrival" or "departure"
    when: When | None  # None: a departure not yet scheduled
    people: tuple[str, ...]  # who goes up on an arrival, who comes down on a departure
    unconfirmed: bool = False  # not scheduled, tentative, uncertain, or after the manifest's facts end

    @property
    def unsure(self) -> bool:
        return self.unconfirmed


class PlannedEvent(NamedTuple):
    """An instant a flight names that the manifest's facts do not confirm."""

    flight: str
    event: str  # the field that names it: launch, dock, relocations, undock, landing or grounded
    when: When


class DockedVehicle(NamedTuple):
    """A vehicle docked at the instant: where (relocations applied), since when, whether it can bring anyone home."""

    flight: str
    vehicle: str
    port: str | None  # as the manifest names it; None when it names none
    docked: When  # the flight's arrival at the station, not at its current port
    lifeboat: str  # "any", "assigned" (only for its own crew), "grounded", or "none" (no seats)
    unconfirmed: bool  # the arrival or the current port rests on a plan, not a fact

    @property
    def usable(self) -> bool:
        return self.lifeboat in ("any", "assigned")


class Snapshot(NamedTuple):
    manifest: Manifest
    at: int
    aboard: tuple[Crewmember, ...]
    by_nationality: dict[str, int]
    core_partners: dict[str, bool]
    upcoming: tuple[Flight, ...]  # not yet docked at `at`, in launch order
    rotations: tuple[Rotation, ...]  # arrivals and departures after `at`, in time order
    continuity: Check  # the rules from `at` to the horizon
    margin: Margin | None = None  # how far the next rotation can slip before an error rule breaks
    known_until: When | None = None  # the manifest's facts run to here (`as_of`, else its latest confirmed event)
    plans_since: tuple[PlannedEvent, ...] = ()  # events after `known_until`, up to `at`: plans, not facts
    overdue: tuple[PlannedEvent, ...] = ()  # unconfirmed events before `known_until` that bear on `at`
    docked: tuple[DockedVehicle, ...] = ()  # vehicles docked at `at`, in order of arrival

    @property
    def as_of(self) -> When | None:
        """The manifest's own date of knowledge, if it gives one."""
        return self.manifest.as_of

    @property
    def beyond_facts(self) -> bool:
        """`at` lies after the manifest's facts end: whatever it says there is a plan."""
        return self.known_until is None or self.at > self.known_until.seconds

    @property
    def past_last_event(self) -> bool:
        """`at` lies past every event the manifest knows and past its facts: nothing is known there."""
        horizon = self.manifest.horizon
        return self.beyond_facts and horizon is not None and self.at > horizon

    @property
    def confirmed(self) -> int:
        """How many aboard the facts confirm: none past `known_until`, else those whose arrival is confirmed."""
        if self.beyond_facts:
            return 0
        return sum(not member.arrival_unconfirmed for member in self.aboard)

    @property
    def gaps(self) -> tuple[Finding, ...]:
        """Times ahead when a core partner has no one aboard."""
        return tuple(finding for finding in self.continuity.findings if finding.rule == "partner-presence")

    @property
    def stays_represented(self) -> bool:
        """No certain gap from `at` to the horizon; with nothing left to check, every partner aboard at `at`."""
        if self.continuity.empty:
            return all(self.core_partners.values())
        return not any(gap.severity == ERROR for gap in self.gaps)


def take_snapshot(manifest: Manifest, at: int, analysis: Analysis | None = None) -> Snapshot:
    """Who is aboard at `at` (seconds since the epoch, UTC) and what comes after.

    `analysis`: the manifest's, for questions from `at` on (made here if not given).
    """
    analysis = analysis or Analysis.of(manifest, at)
    timeline = analysis[Placement.NOMINAL]
    known = manifest.known_until
    aboard = tuple(
        sorted(
            (_crewmember(timeline, stay, at, known) for stay in timeline.aboard_at(at)),
            key=lambda c: (c.nationality, c.person),
        )
    )
    partners = {
        partner: any(member.partner == partner for member in aboard) for partner in manifest.station.core_partners
    }
    upcoming = tuple(
        sorted((f for f in manifest.flights if f.dock.seconds > at), key=lambda f: (f.launch.seconds, f.id))
    )
    rotations = [
        Rotation(flight, "arrival", flight.dock, flight.up, flight.arrival_unsure or _after(flight.dock, known))
        for flight in upcoming
    ]
    for flight in manifest.flights:
        if flight.undock is None or flight.undock.seconds > at:
            unconfirmed = flight.undock is None or flight.departure_unsure or _after(flight.undock, known)
            rotations.append(Rotation(flight, "departure", flight.undock, flight.down, unconfirmed))
    rotations.sort(key=lambda r: (r.when is None, r.when.seconds if r.when else 0, r.event != "departure", r.flight.id))
    horizon = manifest.horizon
    continuity = check_continuity(manifest, at, horizon, analysis)
    return Snapshot(
        manifest,
        at,
        aboard,
        dict(sorted(Counter(member.nationality for member in aboard).items())),
        partners,
        upcoming,
        tuple(rotations),
        continuity,
        next_margin(manifest, at, analysis),
        known,
        *_plans(manifest, at, known),
        _docked(timeline, at, known),
    )


def _docked(timeline: Timeline, at: int, known: When | None) -> tuple[DockedVehicle, ...]:
    segment = timeline.at(at)
    if segment is None:
        return ()
    vehicles = timeline.manifest.vehicles
    found = []
    for docking in segment.docked:
        flight = docking.flight
        vehicle = vehicles.get(flight.vehicle)
        if flight.grounded is not None and flight.grounded.seconds <= at:
            lifeboat = "grounded"
        elif vehicle is None or vehicle.seats <= 0:
            lifeboat = "none"
        else:
            lifeboat = vehicle.lifeboat
        moved = docking.start > flight.dock.seconds  # at a port it relocated to
        unconfirmed = (
            flight.arrival_unsure
            or _after(flight.dock, known)
            or (moved and (flight.unsure_of("relocations") or known is None or docking.start > known.seconds))
        )
        found.append(DockedVehicle(flight.id, flight.vehicle, docking.port, flight.dock, lifeboat, unconfirmed))
    return tuple(sorted(found, key=lambda d: (d.docked.seconds, d.flight)))


def _after(when: When | None, known: When | None) -> bool:
    """Whether a value lies after the manifest's facts end, so it can only be a plan."""
    return when is not None and (known is None or when.seconds > known.seconds)


def _plans(
    manifest: Manifest, at: int, known: When | None
) -> tuple[tuple[PlannedEvent, ...], tuple[PlannedEvent, ...]]:
    """The plans between the end of the facts and `at`, and the unconfirmed plans before that end.

    Both empty when `at` is within the facts. Overdue plans are those of flights docked (as planned)
    at some time from the end of the facts to `at`: an old uncertain value of a flight long gone is
    a doubt about history, not a plan the manifest fell behind on.
    """
    if known is not None and at <= known.seconds:
        return (), ()
    since: list[tuple[int, str, int, PlannedEvent]] = []  # in time order, a flight's events in their own order
    overdue: list[tuple[int, str, int, PlannedEvent]] = []
    start = known.seconds if known is not None else None
    for flight in manifest.flights:
        in_play = flight.dock.seconds <= at and (
            start is None or flight.undock is None or flight.undock.seconds >= start
        )
        for index, (field, when) in enumerate(flight.events()):
            if start is None or when.seconds > start:
                if when.seconds <= at:
                    since.append((when.seconds, flight.id, index, PlannedEvent(flight.id, field, when)))
            elif in_play and flight.unsure_of(field):
                overdue.append((when.seconds, flight.id, index, PlannedEvent(flight.id, field, when)))
    return tuple(item[-1] for item in sorted(since)), tuple(item[-1] for item in sorted(overdue))


def _crewmember(timeline: Timeline, stay: Stay, at: int, known: When | None) -> Crewmember:
    manifest = timeline.manifest
    person = manifest.people[stay.person]
    home = timeline.flights.get(stay.returns_on) if stay.returns_on else None
    arrival = timeline.flights[stay.arrived_on].arrival_unsure or _after(stay.start, known)
    departure = stay.end is None or (home is not None and home.departure_unsure) or _after(stay.end, known)
    outstayed = None
    if stay.end is None and home is not None:
        limit = manifest.vehicles[home.vehicle].max_docked_days if home.vehicle in manifest.vehicles else None
        past = (at - home.dock.seconds) // DAY - limit if limit is not None else None
        outstayed = int(past) if past is not None and past > 0 else None
    return Crewmember(
        person.id,
        person.name,
        person.nationality,
        manifest.agency_named(stay.agency).name_at(at),
        timeline.partner(stay),
        stay.arrived_on,
        stay.start,
        stay.returns_on,
        stay.end,
        max(0, (at - stay.start.seconds) // DAY),
        arrival,
        departure,
        outstayed,
        cross_ride(manifest, stay, timeline.flights),
    )


class Stations(NamedTuple):
    """Everyone aboard several stations at one instant: each station's snapshot, and the counts across them."""

    at: int
    snapshots: tuple[Snapshot, ...]  # in the order the manifests were given
    by_nationality: dict[str, int]  # across every station

    @property
    def number(self) -> int:
        return sum(len(snapshot.aboard) for snapshot in self.snapshots)


def take_snapshots(manifests: Sequence[Manifest], at: int) -> Stations:
    """A snapshot of each manifest's station at `at`, and who is aboard by nationality across all of them."""
    snapshots = tuple(take_snapshot(manifest, at) for manifest in manifests)
    counts = Counter(member.nationality for snapshot in snapshots for member in snapshot.aboard)
    return Stations(at, snapshots, dict(sorted(counts.items())))
