"""Who is aboard at an instant, who comes next, and whether every core partner stays aboard."""

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

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
    days_aboard: int
    unsure: bool  # the flight up or home is tentative or has unconfirmed values


class Rotation(NamedTuple):
    """A flight still to dock, or a docked one still to leave, after the instant."""

    flight: Flight
    event: str  # "arrival" or "departure"
    when: When | None  # None: a departure not yet scheduled
    people: tuple[str, ...]  # who goes up on an arrival, who comes down on a departure

    @property
    def unsure(self) -> bool:
        return self.flight.arrival_unsure if self.event == "arrival" else self.flight.departure_unsure


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
    aboard = tuple(
        sorted(
            (_crewmember(timeline, stay, at) for stay in timeline.aboard_at(at)),
            key=lambda c: (c.nationality, c.person),
        )
    )
    partners = {
        partner: any(member.partner == partner for member in aboard) for partner in manifest.station.core_partners
    }
    upcoming = tuple(
        sorted((f for f in manifest.flights if f.dock.seconds > at), key=lambda f: (f.launch.seconds, f.id))
    )
    rotations = [Rotation(flight, "arrival", flight.dock, flight.up) for flight in upcoming]
    for flight in manifest.flights:
        if flight.undock is None or flight.undock.seconds > at:
            rotations.append(Rotation(flight, "departure", flight.undock, flight.down))
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
    )


def _crewmember(timeline: Timeline, stay: Stay, at: int) -> Crewmember:
    manifest = timeline.manifest
    person = manifest.people[stay.person]
    home = timeline.flights.get(stay.returns_on) if stay.returns_on else None
    unsure = timeline.flights[stay.arrived_on].arrival_unsure or (home is not None and home.departure_unsure)
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
        unsure,
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
