"""The continuity rules, evaluated over the timeline's segments.

Each rule looks at one segment at a time and names what is wrong in it; runs of
consecutive segments with the same subject become one finding. A rule is
evaluated where bare dates fall most in its favour: what it still finds is
certain. Evaluated where they fall against it, anything more it finds exists
only because a date has no time of day, and is a warning that says so.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar

from .model import Manifest, iso
from .timeline import Placement, Ride, Segment, Timeline, build_timeline

ERROR = "error"
WARNING = "warning"

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str
    start: int
    end: int | None
    subject: str  # what the finding is about: a partner, a vehicle, a port, the station
    message: str
    partner: str | None = None
    flight: str | None = None
    people: tuple[str, ...] = ()
    date_only: bool = False

    @property
    def duration(self) -> int | None:
        return None if self.end is None else self.end - self.start


@dataclass(frozen=True, slots=True)
class Check:
    """What the rules found over a window of time."""

    start: int | None
    end: int | None
    findings: tuple[Finding, ...]
    horizon: int | None
    open_ended: bool  # people are aboard past the horizon, where nothing is known
    partners: tuple[str, ...] = ()  # the station's core partners
    strict: bool = False  # whether warnings fail the check too

    @property
    def passed(self) -> bool:
        """No error findings (with `strict`, no findings at all): exit code 0."""
        return self.ok(self.strict)

    @property
    def empty(self) -> bool:
        return self.start is None or self.end is None or self.start >= self.end

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.severity == ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.severity == WARNING)

    def ok(self, strict: bool = False) -> bool:
        return not (self.findings if strict else self.errors)


@dataclass
class _Run(Generic[K, T]):
    key: K
    start: int
    end: int | None
    details: list[T] = field(default_factory=list)


def _runs(segments: Iterable[Segment], probe: Callable[[Segment], dict[K, T]]) -> list[_Run[K, T]]:
    """Merge consecutive segments in which `probe` names the same key into runs."""
    open_runs: dict[K, _Run[K, T]] = {}
    done: list[_Run[K, T]] = []
    for segment in segments:
        hits = probe(segment)
        for key in [key for key, run in open_runs.items() if key not in hits or run.end != segment.start]:
            done.append(open_runs.pop(key))
        for key, detail in hits.items():
            run = open_runs.get(key)
            if run is None:
                run = open_runs[key] = _Run(key, segment.start, segment.end)
            run.end = segment.end
            run.details.append(detail)
    done.extend(open_runs.values())
    done.sort(key=lambda run: (run.start, str(run.key)))
    return done


def duration_text(seconds: int) -> str:
    """A duration for people: `3 days 4 h`, `2 h 5 min`, `1 min`."""
    minutes = seconds // 60
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' * (days != 1)}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    return f"{minutes} min" if minutes else f"{seconds} s"


def _names(timeline: Timeline, people: Iterable[str]) -> str:
    names = [timeline.manifest.people[person].name for person in people]
    return ", ".join(names)


# -- the rules ------------------------------------------------------------


def partner_presence(timeline: Timeline, segments: list[Segment]) -> list[Finding]:
    """Each core partner has someone aboard at every instant."""
    partners = timeline.manifest.station.core_partners

    def probe(segment: Segment) -> dict[tuple[str, bool], tuple[Ride, ...]]:
        hits: dict[tuple[str, bool], tuple[Ride, ...]] = {}
        for partner in partners:
            if any(timeline.partner(stay) == partner for stay in segment.aboard):
                continue
            rides = tuple(
                ride for ride in segment.rides if any(timeline.partner(stay) == partner for stay in ride.riders)
            )
            hits[(partner, bool(rides))] = rides
        return hits

    findings = []
    for run in _runs(segments, probe):
        partner, riding = run.key
        before = timeline.at(run.start - 1)
        after = timeline.at(run.end) if run.end is not None else None
        left = sorted(
            {
                stay.returns_on or stay.arrived_on
                for stay in (before.aboard if before else ())
                if timeline.partner(stay) == partner
            }
        )
        came = sorted(
            {stay.arrived_on for stay in (after.aboard if after else ()) if timeline.partner(stay) == partner}
        )
        length = f"for {duration_text(run.end - run.start)}" if run.end is not None else "with no one due"
        if riding:
            rides = {ride.flight: ride for detail in run.details for ride in detail}
            riders = tuple(sorted({stay.person for ride in rides.values() for stay in ride.riders}))
            message = (
                f"no {partner} crew inside the station {length} while {' and '.join(sorted(rides))} moves between ports"
                f" with {_names(timeline, riders)} aboard"
            )
            findings.append(
                Finding("partner-presence", WARNING, run.start, run.end, partner, message, partner, min(rides), riders)
            )
            continue
        message = f"no {partner} crew aboard {length}"
        if left:
            message += f", after {', '.join(left)} leaves"
        if came:
            message += f", until {', '.join(came)} arrives"
        findings.append(
            Finding(
                "partner-presence", ERROR, run.start, run.end, partner, message, partner, next(iter(left or came), None)
            )
        )
    return findings


def _capacity(timeline: Timeline, segment: Segment) -> int:
    seats = 0
    for docked in segment.docked:
        if segment.grounded(docked):
            continue
        vehicle = timeline.manifest.vehicles[docked.flight.vehicle]
        if vehicle.lifeboat == "assigned":
            assigned = sum(1 for stay in segment.aboard if stay.returns_on == docked.flight.id)
            seats += min(vehicle.seats, assigned)
        else:
            seats += vehicle.seats
    return seats


def lifeboat_seats(timeline: Timeline, segments: list[Segment]) -> list[Finding]:
    """Everyone aboard fits in the seats of docked vehicles that can fly."""

    def probe(segment: Segment) -> dict[str, tuple[int, int, Segment]]:
        seats = _capacity(timeline, segment)
        return {"station": (len(segment.aboard), seats, segment)} if len(segment.aboard) > seats else {}

    findings = []
    for run in _runs(segments, probe):
        aboard, seats, segment = max(run.details, key=lambda detail: detail[0] - detail[1])
        grounded = sorted(docked.flight.id for docked in segment.docked if segment.grounded(docked))
        reason = f"; {', '.join(grounded)} grounded" if grounded else ""
        message = f"{aboard} aboard but {seats} seat{'s' * (seats != 1)} home in docked vehicles{reason}"
        findings.append(
            Finding(
                "lifeboat-seats",
                ERROR,
                run.start,
                run.end,
                "station",
                message,
                flight=grounded[0] if grounded else None,
            )
        )
    return findings


def vehicle_loss(timeline: Timeline, segments: list[Segment]) -> list[Finding]:
    """No core partner rides home on a single vehicle: losing it would leave them unrepresented."""

    def probe(segment: Segment) -> dict[tuple[str, str], tuple[str, ...]]:
        homes: dict[str, set[str | None]] = {}
        members: dict[str, list[str]] = {}
        for stay in segment.aboard:
            partner = timeline.partner(stay)
            if partner is not None:
                homes.setdefault(partner, set()).add(stay.returns_on)
                members.setdefault(partner, []).append(stay.person)
        docked = {docked.flight.id for docked in segment.docked}
        return {
            (partner, flight): tuple(sorted(members[partner]))
            for partner, flights in homes.items()
            if len(flights) == 1 and (flight := next(iter(flights))) in docked
        }

    findings = []
    for run in _runs(segments, probe):
        partner, flight = run.key
        people = tuple(sorted({person for detail in run.details for person in detail}))
        verb = "rides" if len(people) == 1 else "ride"
        names = _names(timeline, people)
        message = f"if {flight} had to leave, {partner} would have no one aboard: {names} {verb} home on it"
        findings.append(
            Finding(
                "vehicle-loss", WARNING, run.start, run.end, f"{flight}/{partner}", message, partner, flight, people
            )
        )
    return findings


def port_conflict(timeline: Timeline, segments: list[Segment]) -> list[Finding]:
    """No two vehicles on one port at once."""

    def probe(segment: Segment) -> dict[str, tuple[str, ...]]:
        ports: dict[str, list[str]] = {}
        for docked in segment.docked:
            if docked.port is not None:
                ports.setdefault(docked.port.casefold(), []).append(docked.flight.id)
        return {port: tuple(sorted(flights)) for port, flights in ports.items() if len(flights) > 1}

    findings = []
    for run in _runs(segments, probe):
        flights = run.details[0]
        name = _port_name(timeline, flights, str(run.key))
        unsure = any({"port", "relocations"} & set(timeline.flights[flight].uncertain) for flight in flights)
        message = f"{' and '.join(flights)} both at {name}" + (
            " (a port the sources could not confirm)" if unsure else ""
        )
        findings.append(
            Finding("port-conflict", WARNING if unsure else ERROR, run.start, run.end, name, message, flight=flights[0])
        )
    return findings


def _port_name(timeline: Timeline, flights: tuple[str, ...], folded: str) -> str:
    for flight_id in flights:
        flight = timeline.flights[flight_id]
        for port in (flight.port, *(relocation.port for relocation in flight.relocations)):
            if port is not None and port.casefold() == folded:
                return port
    return folded


def crew_capacity(timeline: Timeline, segments: list[Segment]) -> list[Finding]:
    """No more people aboard than the station's `max_crew`."""
    limit = timeline.manifest.station.max_crew
    if limit is None:
        return []
    runs = _runs(segments, lambda segment: {"station": len(segment.aboard)} if len(segment.aboard) > limit else {})
    return [
        Finding(
            "crew-capacity",
            WARNING,
            run.start,
            run.end,
            "station",
            f"{max(run.details)} aboard, more than the station's {limit}",
        )
        for run in runs
    ]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    severity: str
    favourable: Placement  # where bare dates fall to find only certain findings (warnings: where they are written)
    evaluate: Callable[[Timeline, list[Segment]], list[Finding]]


RULES = (
    Rule("partner-presence", ERROR, Placement.LONG, partner_presence),
    Rule("lifeboat-seats", ERROR, Placement.LONG, lifeboat_seats),
    Rule("vehicle-loss", WARNING, Placement.NOMINAL, vehicle_loss),
    Rule("port-conflict", ERROR, Placement.SHORT, port_conflict),
    Rule("crew-capacity", WARNING, Placement.NOMINAL, crew_capacity),
)


def has_bare_dates(manifest: Manifest) -> bool:
    """Whether any docking, undocking or relocation is known only to the day."""
    return any(
        flight.dock.date_only
        or (flight.undock is not None and flight.undock.date_only)
        or any(relocation.start.date_only or relocation.end.date_only for relocation in flight.relocations)
        for flight in manifest.flights
    )


class Timelines:
    """The timelines of one manifest under each placement of bare dates, built when first asked for."""

    def __init__(self, manifest: Manifest, since: int | None = None) -> None:
        """`since`: only questions about that instant and after will be asked."""
        self.manifest = manifest
        self.since = since
        self.bare = has_bare_dates(manifest)
        self._built: dict[Placement, Timeline] = {}

    def nominal(self) -> Timeline:
        return self[Placement.NOMINAL]

    def __getitem__(self, placement: Placement) -> Timeline:
        if not self.bare:
            placement = next(iter(self._built), Placement.NOMINAL)
        if placement not in self._built:
            self._built[placement] = build_timeline(self.manifest, placement, self.since)
        return self._built[placement]


def default_window(
    manifest: Manifest, now: int, start: int | None = None, end: int | None = None, everything: bool = False
) -> tuple[int | None, int | None]:
    """The window `check` looks at: from now (or the first docking) to the horizon, unless given."""
    if start is None:
        start = manifest.first if everything else now
    if end is None:
        end = manifest.horizon
    return start, end


def check_continuity(
    manifest: Manifest,
    start: int | None,
    end: int | None,
    timelines: Timelines | None = None,
    rules: Iterable[Rule] = RULES,
    strict: bool = False,
) -> Check:
    """Evaluate every rule over [start, end)."""
    timelines = timelines or Timelines(manifest, start)
    nominal = timelines[Placement.NOMINAL]
    check = Check(start, end, (), manifest.horizon, nominal.open_ended, manifest.station.core_partners, strict)
    if check.empty:
        return check
    findings: list[Finding] = []
    for rule in rules:
        favourable = timelines[rule.favourable]
        if not timelines.bare or rule.severity != ERROR:
            findings.extend(rule.evaluate(favourable, list(favourable.between(start, end))))
            continue
        assert start is not None and end is not None  # not empty
        findings.extend(_split_by_certainty(rule, timelines, start, end))
    findings.sort(key=lambda finding: (finding.start, finding.rule, finding.subject))
    return replace(check, findings=tuple(findings))


Span = tuple[int, int | None]


def _split_by_certainty(rule: Rule, timelines: Timelines, start: int, end: int) -> list[Finding]:
    """A rule's findings where bare dates can fall anywhere in their day.

    Found both where stays are longest and where they are shortest, a finding is
    certain and keeps the rule's severity; found in only one, it is a warning.
    """
    placements = (Placement.LONG, Placement.SHORT)
    found = {
        placement: rule.evaluate(timelines[placement], list(timelines[placement].between(start, end)))
        for placement in placements
    }
    result: list[Finding] = []

    def evaluate(placement: Placement, subject: str, spans: list[Span]) -> list[Finding]:
        timeline = timelines[placement]
        return [
            finding
            for low, high in spans
            for finding in rule.evaluate(timeline, list(timeline.between(low, high)))
            if finding.subject == subject
        ]

    for subject in sorted({finding.subject for findings in found.values() for finding in findings}):
        spans = {p: [(f.start, f.end) for f in found[p] if f.subject == subject] for p in placements}
        both = _intersect(spans[Placement.LONG], spans[Placement.SHORT])
        result.extend(evaluate(rule.favourable, subject, both))
        for placement in placements:
            only = [piece for low, high in spans[placement] for piece in _uncovered(low, high, both)]
            result.extend(
                replace(
                    finding,
                    severity=WARNING,
                    date_only=True,
                    message=finding.message + " (possible only because a date has no time of day)",
                )
                for finding in evaluate(placement, subject, only)
            )
    return result


def _intersect(ones: list[Span], others: list[Span]) -> list[Span]:
    """Where two sorted lists of disjoint half-open spans (None: no end) overlap, in one merge."""
    result: list[Span] = []
    i = j = 0
    while i < len(ones) and j < len(others):
        low = max(ones[i][0], others[j][0])
        one_end, other_end = ones[i][1], others[j][1]
        high = other_end if one_end is None else one_end if other_end is None else min(one_end, other_end)
        if high is None or low < high:
            result.append((low, high))
        if other_end is None or (one_end is not None and one_end <= other_end):
            i += 1
        else:
            j += 1
    return result


def _uncovered(start: int, end: int | None, covered: list[tuple[int, int | None]]) -> list[tuple[int, int | None]]:
    """The parts of [start, end) outside every covered interval (None: no end)."""
    pieces: list[tuple[int, int | None]] = []
    low: int | None = start
    for cover_start, cover_end in sorted(covered):
        if low is None or (end is not None and cover_start >= end):
            break
        if cover_end is not None and cover_end <= low:
            continue
        if cover_start > low:
            pieces.append((low, cover_start))
        low = cover_end
    if low is not None and (end is None or low < end):
        pieces.append((low, end))
    return pieces


def window_text(check: Check) -> str:
    start = "the beginning" if check.start is None else iso(check.start)
    end = "the end" if check.end is None else iso(check.end)
    return f"{start} to {end}"
