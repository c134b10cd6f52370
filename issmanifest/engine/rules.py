"""The continuity rules, evaluated together in one sweep over the timeline.

Each rule looks at the station's state in one segment at a time (in constant
time: the sweep keeps the counts it needs) and names what is wrong in it; runs
of consecutive segments with the same subject become one finding. A rule is
evaluated where bare dates fall most in its favour: what it still finds is
certain. Evaluated where they fall against it, anything more it finds exists
only because a date has no time of day, and is a warning that says so.
"""

from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Sequence
from enum import StrEnum
from typing import Any, NamedTuple, cast

from issmanifest.engine.agreements import covered, partner_of, provider_of, window_of, without
from issmanifest.engine.analysis import Analysis
from issmanifest.engine.stays import Stay
from issmanifest.engine.timeline import Placement, Ride, State, Timeline
from issmanifest.engine.words import duration_text
from issmanifest.manifest.model import Flight, Manifest, When


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


ERROR, WARNING = Severity.ERROR, Severity.WARNING


class Finding(NamedTuple):
    rule: str
    severity: Severity
    start: int
    end: int | None
    subject: str  # what the finding is about: a partner, a vehicle, a port, the station
    message: str
    partner: str | None = None
    flight: str | None = None
    people: tuple[str, ...] = ()
    date_only: bool = False
    sized: bool = False  # the message names the span's length ("for 25 min"), which a part of it must say anew

    @property
    def duration(self) -> int | None:
        return None if self.end is None else self.end - self.start

    def clipped(self, start: int, end: int | None) -> "Finding":
        """The finding over a part of its span."""
        message = (
            self.message.replace(_length(self.start, self.end), _length(start, end), 1) if self.sized else self.message
        )
        return self._replace(start=start, end=end, message=message)


class Check(NamedTuple):
    """What the rules found over a window of time."""

    start: int | None
    end: int | None
    findings: tuple[Finding, ...]
    horizon: When | None  # the last event the manifest knows, as it writes it
    open_ended: bool  # people are aboard past the horizon, where nothing is known
    partners: tuple[str, ...] = ()  # the station's core partners
    strict: bool = False  # whether warnings fail the check too
    rests_on: tuple[str, ...] = ()  # the unconfirmed flights at the station in the window: the verdict rests on them

    @property
    def unconfirmed(self) -> bool:
        """Whether the verdict rests on flights the manifest does not confirm."""
        return bool(self.rests_on)

    @property
    def passed(self) -> bool:
        """No error findings (with `strict`, no findings at all): exit code 0."""
        return self.ok(strict=self.strict)

    @property
    def empty(self) -> bool:
        return self.start is None or self.end is None or self.start >= self.end

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.severity == ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.severity == WARNING)

    def ok(self, *, strict: bool = False) -> bool:
        return not (self.findings if strict else self.errors)


class Run:
    """Consecutive segments in which a rule names the same subject: one finding to be (the sweep extends it)."""

    __slots__ = ("details", "end", "key", "opened", "start")

    def __init__(self, key: Hashable, start: int, end: int | None, opened: Any) -> None:
        self.key, self.start, self.end = key, start, end
        self.opened = opened  # what the rule noted when the run began
        self.details: list[Any] = []  # what it noted in each segment


Probe = Callable[[Timeline, State], dict[Any, Any] | None]
Finish = Callable[[Timeline, Run], Finding]


class Rule(NamedTuple):
    name: str
    severity: Severity
    favourable: Placement  # where bare dates fall to find only certain findings (warnings: where stays are longest)
    probe: Probe  # what is wrong in the current segment: {subject key: detail}, or None
    open: Callable[[Timeline, State, Any], Any]  # what to note when a run begins
    finish: Finish  # the finding a run becomes


def evaluate(
    timeline: Timeline, rules: Iterable[Rule], start: int | None, end: int | None, state: State | None = None
) -> list[Finding]:
    """Run the rules over [start, end) in one sweep; each rule's runs of segments become its findings.

    `state`: the station just before `start`, when the timeline does not have it (see `Timeline.sweep`).
    """
    rules = tuple(rules)
    open_runs: list[dict[Hashable, Run]] = [{} for _ in rules]
    findings: list[Finding] = []
    for low, high, now in timeline.sweep(start, end, state):
        for rule, runs in zip(rules, open_runs, strict=True):
            hits = rule.probe(timeline, now)
            if runs:
                for key in [key for key in runs if not hits or key not in hits]:
                    findings.append(rule.finish(timeline, runs.pop(key)))
            if hits:
                for key, detail in hits.items():
                    run = runs.get(key)
                    if run is None:
                        run = runs[key] = Run(key, low, high, rule.open(timeline, now, key))
                    run.end = high
                    run.details.append(detail)
    for rule, runs in zip(rules, open_runs, strict=True):
        findings += [rule.finish(timeline, run) for run in runs.values()]
    findings.sort(key=lambda finding: (finding.start, finding.rule, finding.subject))
    return findings


def _names(timeline: Timeline, people: Iterable[str]) -> str:
    names = [timeline.manifest.people[person].name for person in people]
    return ", ".join(names)


def _nothing(timeline: Timeline, state: State, key: Any) -> None:
    return None


# -- partner-presence ----------------------------------------------------------------


def _presence_probe(timeline: Timeline, state: State) -> dict[tuple[str, bool], None] | None:
    hits: dict[tuple[str, bool], None] | None = None
    for partner, count in state.members.items():
        if not count:
            hits = hits or {}
            hits[(partner, state.riders[partner] > 0)] = None
    return hits


def _presence_open(timeline: Timeline, state: State, key: tuple[str, bool]) -> tuple[list[str], list[Ride]]:
    partner = key[0]
    left = _moved(timeline, state.moment, partner, on=False)
    rides = [ride for ride in state.rides if any(timeline.partner(stay) == partner for stay in ride.riders)]
    return left, rides


def _moved(timeline: Timeline, moment: int, partner: str, *, on: bool) -> list[str]:
    """The flights a partner's people left on (or arrived on) at an instant."""
    return sorted(
        {
            (item.returns_on or item.arrived_on) if not on else item.arrived_on
            for happened, item in timeline.changes_at(moment)
            if happened is on and isinstance(item, Stay) and timeline.partner(item) == partner
        }
    )


def _presence_finish(timeline: Timeline, run: Run) -> Finding:
    partner, riding = cast(tuple[str, bool], run.key)
    left, rides = run.opened
    came = _moved(timeline, run.end, partner, on=True) if run.end is not None else []
    if riding:
        moving = sorted({ride.flight for ride in rides})
        riders = tuple(sorted({stay.person for ride in rides for stay in ride.riders}))
        names = _names(timeline, riders)

        message = (
            f"no {partner} crew inside the station {_length(run.start, run.end)} while {' and '.join(moving)}"
            f" moves between ports with {names} aboard"
        )
        flight = moving[0] if moving else None
        return Finding(
            "partner-presence", WARNING, run.start, run.end, partner, message, partner, flight, riders, sized=True
        )

    message = f"no {partner} crew aboard {_length(run.start, run.end)}"
    if left:
        message += f", after {', '.join(left)} leaves"
    if came:
        message += f", until {', '.join(came)} arrives"
    flight = next(iter(left or came), None)
    return Finding("partner-presence", ERROR, run.start, run.end, partner, message, partner, flight, sized=True)


def _length(start: int, end: int | None) -> str:
    return f"for {duration_text(end - start)}" if end is not None else "with no one due"


# -- lifeboat-seats --------------------------------------------------------------------


def _lifeboat_probe(timeline: Timeline, state: State) -> dict[str, tuple[int, int]] | None:
    aboard = len(state.aboard)
    if aboard <= state.seats:
        return None
    seats = state.capacity()
    return {"station": (aboard, seats)} if aboard > seats else None


def _lifeboat_open(timeline: Timeline, state: State, key: str) -> list[str]:
    return sorted(
        docked.flight.id
        for docked in state.docked
        if docked.flight.grounded is not None and docked.flight.grounded.seconds <= state.moment
    )


def _lifeboat_finish(timeline: Timeline, run: Run) -> Finding:
    aboard, seats = max(run.details, key=lambda detail: detail[0] - detail[1])
    grounded = run.opened
    reason = f"; {', '.join(grounded)} grounded" if grounded else ""
    message = f"{aboard} aboard but {seats} seat{'s' * (seats != 1)} home in docked vehicles{reason}"
    flight = grounded[0] if grounded else None
    return Finding("lifeboat-seats", ERROR, run.start, run.end, "station", message, flight=flight)


# -- vehicle-loss -----------------------------------------------------------------------


def _loss_probe(timeline: Timeline, state: State) -> dict[tuple[str, str], None] | None:
    hits: dict[tuple[str, str], None] | None = None
    for partner, homes in state.homes.items():
        if len(homes) == 1:
            (home,) = homes
            if home is not None and home in state.docked_flights:
                hits = hits or {}
                hits[(partner, home)] = None
    return hits


def _loss_open(timeline: Timeline, state: State, key: tuple[str, str]) -> tuple[str, ...]:
    partner = key[0]
    return tuple(sorted(stay.person for stay in state.aboard if timeline.partner(stay) == partner))


def _loss_finish(timeline: Timeline, run: Run) -> Finding:
    partner, flight = cast(tuple[str, str], run.key)
    people = run.opened
    verb = "rides" if len(people) == 1 else "ride"
    names = _names(timeline, people)
    message = f"if {flight} had to leave, {partner} would have no one aboard: {names} {verb} home on it"
    return Finding("vehicle-loss", WARNING, run.start, run.end, f"{flight}/{partner}", message, partner, flight, people)


# -- port-conflict -------------------------------------------------------------------------


def _port_probe(timeline: Timeline, state: State) -> dict[str, None] | None:
    return dict.fromkeys(state.conflicts) if state.conflicts else None


def _port_open(timeline: Timeline, state: State, port: str) -> tuple[str, ...]:
    return tuple(sorted(state.ports[port]))


def _port_finish(timeline: Timeline, run: Run) -> Finding:
    flights = run.opened
    name = _port_name(timeline, flights, str(run.key))
    unsure = any({"port", "relocations"} & set(timeline.flights[flight].uncertain) for flight in flights)
    message = f"{' and '.join(flights)} both at {name}" + (" (a port the sources could not confirm)" if unsure else "")
    severity = WARNING if unsure else ERROR
    return Finding("port-conflict", severity, run.start, run.end, name, message, flight=flights[0])


def _port_name(timeline: Timeline, flights: tuple[str, ...], folded: str) -> str:
    for flight_id in flights:
        flight = timeline.flights[flight_id]
        for port in (flight.port, *(relocation.port for relocation in flight.relocations)):
            if port is not None and port.casefold() == folded:
                return port
    return folded


# -- crew-capacity --------------------------------------------------------------------------


def _capacity_probe(timeline: Timeline, state: State) -> dict[str, int] | None:
    limit = timeline.manifest.station.max_crew
    aboard = len(state.aboard)
    return {"station": aboard} if limit is not None and aboard > limit else None


def _capacity_finish(timeline: Timeline, run: Run) -> Finding:
    limit = timeline.manifest.station.max_crew
    message = f"{max(run.details)} aboard, more than the station's {limit}"
    return Finding("crew-capacity", WARNING, run.start, run.end, "station", message)


PARTNER_PRESENCE = Rule("partner-presence", ERROR, Placement.LONG, _presence_probe, _presence_open, _presence_finish)
LIFEBOAT_SEATS = Rule("lifeboat-seats", ERROR, Placement.LONG, _lifeboat_probe, _lifeboat_open, _lifeboat_finish)
VEHICLE_LOSS = Rule("vehicle-loss", WARNING, Placement.LONG, _loss_probe, _loss_open, _loss_finish)
PORT_CONFLICT = Rule("port-conflict", ERROR, Placement.SHORT, _port_probe, _port_open, _port_finish)
CREW_CAPACITY = Rule("crew-capacity", WARNING, Placement.LONG, _capacity_probe, _nothing, _capacity_finish)
RULES = (PARTNER_PRESENCE, LIFEBOAT_SEATS, VEHICLE_LOSS, PORT_CONFLICT, CREW_CAPACITY)


def default_window(
    manifest: Manifest, now: int, start: int | None = None, end: int | None = None, *, everything: bool = False
) -> tuple[int | None, int | None]:
    """The window `check` looks at: from now (or the first docking) to the horizon, unless given."""
    if start is None:
        start = manifest.first if everything else now
    if end is None:
        end = manifest.horizon
    return start, end


# -- swap-gap (per window, not in the sweep: an agreement's bounds are not events) ------------

SWAP_GAP = "swap-gap"


def swap_gaps(timeline: Timeline, start: int, end: int) -> list[Finding]:
    """Where, in a window under an agreement, a core partner party to it has nobody aboard whose ride home is
    another party's vehicle: the swap no longer does what it is for. One warning per partner and stretch."""
    manifest, placement, flights = timeline.manifest, timeline.placement, timeline.flights
    findings = []
    for partner in manifest.station.core_partners:
        agreements = [a for a in manifest.agreements if partner in {partner_of(manifest, p) for p in a.parties}]
        others = {partner_of(manifest, p) for a in agreements for p in a.parties} - {partner, None}
        if not others:
            continue
        windows = {a.name: window_of(a, flights) for a in agreements}
        crossing = [
            stay
            for stay in timeline.stays
            if timeline.partner(stay) == partner
            and stay.returns_on is not None
            and provider_of(manifest, flights[stay.returns_on]) in others
        ]
        spans = [(placement.start(s.start), None if s.end is None else placement.end(s.end)) for s in crossing]
        for low, high in without(covered(windows.values(), start, end), covered(spans, start, end)):
            names = [name for name, (a, b) in windows.items() if a < high and (b is None or b > low)]
            left = sorted({s.returns_on or "" for s, (_, b) in zip(crossing, spans, strict=True) if b == low})
            came = sorted({s.arrived_on for s, (a, _) in zip(crossing, spans, strict=True) if a == high})
            vehicle = " or ".join(sorted(str(other) for other in others))
            message = f"no {partner} crew aboard rides home on a {vehicle} vehicle {_length(low, high)}"
            message += f" under {' and '.join(names)}"
            if left:
                message += f", after {', '.join(left)} leaves"
            if came:
                message += f", until {', '.join(came)} arrives"
            flight = next(iter(left or came), None)
            findings.append(Finding(SWAP_GAP, WARNING, low, high, partner, message, partner, flight, sized=True))
    return findings


# -- overdue (per flight, not in the sweep) -------------------------------------------------

OVERDUE = "overdue"
_STATION_FIELDS = ("dock", "undock", "port", "relocations", "up", "down", "grounded")
_VERBS = {
    "launch": "launch",
    "dock": "dock",
    "relocations": "move between ports",
    "undock": "undock",
    "landing": "land",
    "grounded": "be grounded",
}


def rests_on(manifest: Manifest, start: int, end: int) -> tuple[str, ...]:
    """The flights at the station at some moment from `start` through `end` whose docking, stay, port or crew
    the manifest does not confirm: a verdict over the window rests on them."""
    return tuple(
        flight.id
        for flight in manifest.flights
        if (flight.tentative or flight.uncertain)
        and flight.unsure_of(*_STATION_FIELDS)
        and flight.dock.seconds <= end
        and (flight.undock is None or flight.undock.seconds > start)
    )


def rests_on_each(manifest: Manifest, windows: Sequence[tuple[int, int]]) -> list[tuple[str, ...]]:
    """`rests_on` for each window (start, end), in one pass over the flights: a scan of every flight per
    window made `stats` quadratic, a year per few hundred flights."""
    unsure = sorted(
        (flight.dock.seconds, index, flight)
        for index, flight in enumerate(manifest.flights)
        if (flight.tentative or flight.uncertain) and flight.unsure_of(*_STATION_FIELDS)
    )
    order = sorted(range(len(windows)), key=lambda index: windows[index][1])
    later_start = [windows[index][0] for index in order]  # the earliest start of this window and those after it
    for position in reversed(range(len(order) - 1)):
        later_start[position] = min(later_start[position], later_start[position + 1])
    result: list[tuple[str, ...]] = [()] * len(windows)
    active: list[tuple[int, Flight]] = []
    added = 0
    for position, index in enumerate(order):
        start, end = windows[index]
        while added < len(unsure) and unsure[added][0] <= end:
            active.append(unsure[added][1:])
            added += 1
        # A flight gone before every window still to come is dropped: each is looked at a bounded number of times.
        active = [item for item in active if item[1].undock is None or item[1].undock.seconds > later_start[position]]
        found = [item for item in active if item[1].undock is None or item[1].undock.seconds > start]
        result[index] = tuple(flight.id for _, flight in sorted(found, key=lambda item: item[0]))
    return result


def overdue(manifest: Manifest, start: int, end: int, now: int) -> list[Finding]:
    """The plans the world has passed: a flight's unconfirmed events dated before now (and before its `as_of`,
    if it has one) and after the last event the manifest confirms before then; one warning per flight, from
    its first such event to now (it stays overdue until the manifest says what happened), where that span
    meets the window [start, end].
    """
    deadline = now if manifest.as_of is None else min(now, manifest.as_of.seconds)
    # An unconfirmed value older than a confirmed fact is a detail the record has moved past, not a plan it missed.
    # Most flights are sure of everything: the cheap test first (a sure flight has no plan to miss).
    after = max(
        (
            when.seconds
            for flight in manifest.flights
            for field, when in flight.events()
            if when.seconds < deadline and not (flight.tentative or field in flight.uncertain)
        ),
        default=None,
    )
    findings = []
    for flight in manifest.flights:
        if not (flight.tentative or flight.uncertain):
            continue
        late: dict[When, list[str]] = {}
        for field, when in flight.events():
            if flight.unsure_of(field) and (after is None or when.seconds > after) and when.seconds < deadline:
                verbs = late.setdefault(when, [])
                if _VERBS[field] not in verbs:
                    verbs.append(_VERBS[field])
        if not late:
            continue
        first = min(when.seconds for when in late)
        if first > end or now < start:
            continue
        plans = [f"{' and '.join(verbs)} {when.iso()}" for when, verbs in late.items()]
        listed = ", ".join(plans[:-1]) + " and " + plans[-1] if len(plans) > 1 else plans[0]
        message = f"{flight.id} was to {listed}; the manifest does not say it did"
        if manifest.as_of is not None and manifest.as_of.seconds < now:
            message += f" (its facts run to {manifest.as_of.iso()})"
        date_only = any(when.date_only for when in late)
        findings.append(
            Finding(OVERDUE, WARNING, first, now, flight.id, message, flight=flight.id, date_only=date_only)
        )
    return findings


def check_continuity(
    manifest: Manifest,
    start: int | None,
    end: int | None,
    analysis: Analysis | None = None,
    rules: Iterable[Rule] = RULES,
    *,
    strict: bool = False,
    now: int | None = None,
    swap_gap: bool = True,
) -> Check:
    """Evaluate every rule over [start, end), in one sweep per placement of bare dates.

    `analysis`: the manifest's, if one is at hand (its timelines must answer questions from `start` on).
    `now`: the present, to name the plans it has passed (the `overdue` warning); None leaves them out.
    `swap_gap`: whether to look for the `swap-gap` warning (where stays are longest, as the other warnings).
    """
    if analysis is None:
        analysis = Analysis.of(manifest, start)
    elif analysis.manifest is not manifest:
        raise ValueError("the analysis is of another manifest")
    open_ended = analysis.open_ended
    check = Check(start, end, (), manifest.last_event, open_ended, manifest.station.core_partners, strict)
    if check.empty:
        return check
    assert start is not None and end is not None
    rules = tuple(rules)
    if not analysis.bare:  # every placement is the same timeline: one sweep for every rule
        findings = evaluate(analysis.nominal(), rules, start, end)
    else:
        # Warnings where stays are longest, in the same sweep as the errors' view from there;
        # errors also where stays are shortest, and split into certain and possible.
        split = tuple(rule for rule in rules if rule.severity == ERROR)
        names = {rule.name for rule in split}
        longest = evaluate(analysis[Placement.LONG], rules, start, end)
        findings = [finding for finding in longest if finding.rule not in names]
        if split:
            found = {
                Placement.LONG: [finding for finding in longest if finding.rule in names],
                Placement.SHORT: evaluate(analysis[Placement.SHORT], split, start, end),
            }
            findings += split_by_certainty(split, found)
    if swap_gap and manifest.agreements:
        findings += swap_gaps(analysis[Placement.LONG] if analysis.bare else analysis.nominal(), start, end)
    if now is not None:
        findings += overdue(manifest, start, end, now)
    findings.sort(key=lambda finding: (finding.start, finding.rule, finding.subject))
    return check._replace(findings=tuple(findings), rests_on=rests_on(manifest, start, end))


Span = tuple[int, int | None]
NEVER = float("inf")


def split_by_certainty(rules: tuple[Rule, ...], found: dict[Placement, list[Finding]]) -> list[Finding]:
    """The rules' findings where bare dates can fall anywhere in their day.

    Found both where stays are longest and where they are shortest, a finding is
    certain and keeps the rule's severity; found in only one, it is a warning.
    """
    placements = (Placement.LONG, Placement.SHORT)
    favourable = {rule.name: rule.favourable for rule in rules}
    grouped: dict[tuple[str, str], dict[Placement, list[Finding]]] = {}
    for placement in placements:
        for finding in found[placement]:
            grouped.setdefault((finding.rule, finding.subject), {p: [] for p in placements})[placement].append(finding)
    result: list[Finding] = []
    for (name, _), by_placement in sorted(grouped.items(), key=lambda item: item[0]):
        spans = {p: [(f.start, f.end) for f in by_placement[p]] for p in placements}
        both = _intersect(spans[Placement.LONG], spans[Placement.SHORT])
        ends: list[float] = [NEVER if high is None else high for _, high in both]
        result += _clip(by_placement[favourable[name]], both)
        for placement in placements:
            only = [piece for low, high in spans[placement] for piece in _uncovered(low, high, both, ends)]
            result += [
                finding._replace(
                    severity=WARNING,
                    date_only=True,
                    message=finding.message + " (possible only because a date has no time of day)",
                )
                for finding in _clip(by_placement[placement], only)
            ]
    return result


def _clip(findings: list[Finding], spans: list[Span]) -> list[Finding]:
    """The parts of the findings within the spans (the spans sorted and disjoint, so their ends are sorted too)."""
    ends = [NEVER if high is None else high for _, high in spans]
    parts = []
    for finding in findings:
        # The first span that ends after the finding starts, then on until one starts after it ends.
        for index in range(bisect_right(ends, finding.start), len(spans)):
            low, high = spans[index]
            if finding.end is not None and low >= finding.end:
                break
            start = max(low, finding.start)
            ends_here = [end for end in (high, finding.end) if end is not None]
            end = min(ends_here) if ends_here else None
            if end is None or start < end:
                parts.append(finding if (start, end) == (finding.start, finding.end) else finding.clipped(start, end))
    return parts


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


def _uncovered(start: int, end: int | None, covered: list[Span], ends: list[float] | None = None) -> list[Span]:
    """The parts of [start, end) outside every covered interval (None: no end); `covered` sorted and disjoint.

    `ends`: the covered intervals' ends (None as infinity), when the caller asks of the same ones many times.
    """
    if ends is None:
        ends = [NEVER if high is None else high for _, high in covered]
    pieces: list[Span] = []
    low: int | None = start
    for index in range(bisect_right(ends, start), len(covered)):
        cover_start, cover_end = covered[index]
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
