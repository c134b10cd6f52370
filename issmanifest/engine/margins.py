"""How far each upcoming arrival and departure can move before continuity breaks.

A shift changes what the rules see only where a moved boundary crosses another
one, so the verdict is the same everywhere between two such crossings. The
candidates are the shifts at which the moved event (and, with `handover`, the
departures it drags along) meets every other boundary, or a vehicle reaches
its docked life; the rules run once inside each stretch between consecutive
candidates, in order, until one breaks. The margin is the crossing that opens
the first broken stretch: exact, with no stepping day by day.

"Breaks" means an error finding the schedule as written does not have: where
the schedule already has an error, a shift may keep it but not lengthen it.
"""

import heapq
import itertools
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from issmanifest.engine.analysis import Analysis
from issmanifest.engine.rules import ERROR, RULES, Finding, check_continuity, evaluate, split_by_certainty
from issmanifest.engine.stays import Stay
from issmanifest.engine.timeline import Docked, Placement, State, Timeline, has_bare_date
from issmanifest.engine.timeline import Event as Change
from issmanifest.manifest.model import DAY, Flight, Manifest, When


class Event(StrEnum):
    ARRIVAL = "arrival"
    DEPARTURE = "departure"


class Direction(StrEnum):
    DELAY = "delay"
    ADVANCE = "advance"


ARRIVAL, DEPARTURE = Event.ARRIVAL, Event.DEPARTURE
DELAY, ADVANCE = Direction.DELAY, Direction.ADVANCE
MINUTE = 60
_BEYOND = 3660 * DAY  # how far past its last event the schedule as written is judged: beyond any shift tried
_STRIDE = 16  # events between the checkpoints a trial starts from, when many margins are asked
_ERROR_RULES = tuple(rule for rule in RULES if rule.severity == ERROR)
_QUIET_BOUNDARIES = 16  # how many boundaries a first judgement of a long move looks over (see `_Trial._quiet`)


class Margin(NamedTuple):
    flight: str
    event: Event
    direction: Direction
    scheduled: When
    seconds: int | None  # None: nothing breaks however far it moves (up to --at, for an advance)
    rule: str | None  # what binds: an error rule, "docked-life" or "schedule"
    message: str | None  # what one minute more would break
    people: tuple[str, ...] = ()
    already: bool = False  # the rule is broken already as scheduled, and the least move makes it worse
    unsure: bool = False  # the event (its flight's arrival or departure) is unconfirmed

    @property
    def days(self) -> float | None:
        return None if self.seconds is None else round(self.seconds / DAY, 4)


class Margins(NamedTuple):
    source: str
    at: int
    horizon: When | None  # the last event the manifest knows, as it writes it
    handover: bool
    margins: tuple[Margin, ...]


class _Broken(NamedTuple):
    rule: str
    message: str
    people: tuple[str, ...] = ()
    subject: str | None = None  # the finding's subject, for an error rule


def upcoming_margins(
    manifest: Manifest, at: int, *, handover: bool = False, analysis: Analysis | None = None
) -> Margins:
    """The margins of every arrival and departure after `at`, in time order; departures both ways.

    `analysis`: the manifest's, for questions from `at` on (made here if not given).
    """
    schedule = _Schedule(manifest, at, analysis, whole=True)
    result: list[Margin] = []
    for _, event, flight in _upcoming_events(manifest, at):
        result.append(schedule.margin(flight.id, event, DELAY, handover=handover))
        if event == DEPARTURE:
            result.append(schedule.margin(flight.id, event, ADVANCE, handover=handover))
    return Margins(manifest.source, at, manifest.last_event, handover, tuple(result))


def next_margin(manifest: Manifest, at: int, analysis: Analysis | None = None) -> Margin | None:
    """How far the next arrival or departure can slip, as scheduled otherwise; None when nothing is scheduled."""
    for _, event, flight in _upcoming_events(manifest, at):
        return _Schedule(manifest, at, analysis).margin(flight.id, event, DELAY)
    return None


def _upcoming_events(manifest: Manifest, at: int) -> list[tuple[int, Event, Flight]]:
    events = [(flight.dock.seconds, ARRIVAL, flight) for flight in manifest.flights if flight.dock.seconds > at]
    events += [
        (flight.undock.seconds, DEPARTURE, flight)
        for flight in manifest.flights
        if flight.undock is not None and flight.undock.seconds > at
    ]
    return sorted(events, key=lambda item: (item[0], item[1] != DEPARTURE, item[2].id))


def margin(
    manifest: Manifest, flight_id: str, event: Event, direction: Direction, at: int, *, handover: bool = False
) -> Margin:
    """The largest shift of one event after `at` that breaks no error rule from `at` on."""
    return _Schedule(manifest, at).margin(flight_id, event, direction, handover=handover)


class _Schedule:
    """The schedule as written, from `at` on: what every shift is judged against."""

    def __init__(self, manifest: Manifest, at: int, analysis: Analysis | None = None, *, whole: bool = False) -> None:
        """`whole`: many margins will be asked, so judge the whole schedule once rather than each stretch tried."""
        self.at, self.manifest, self.whole = at, manifest, whole
        if analysis is None or analysis.manifest is not manifest or analysis.since != at:
            analysis = Analysis.of(manifest, at, stride=_STRIDE)
        elif whole and analysis.stride > _STRIDE:
            analysis = analysis.restrided(_STRIDE)
        self.analysis = analysis
        self.cutter = _Cutter(manifest, analysis.stays, at - DAY)
        # Each person's stays that reach past `since`, in order; and the moves between ports.
        self.by_person: dict[str, list[Stay]] = {}
        for _, _, stay in self.cutter.stays:
            self.by_person.setdefault(stay.person, []).append(stay)
        self._places: dict[str, dict[str, list[int]]] = {}  # see `places`
        self.moves = sorted((r.start.earliest, r.end.latest) for f in manifest.flights for r in f.relocations)
        self.moves_ended = list(itertools.accumulate((end for _, end in self.moves), max))
        self.bare = sorted(
            point
            for flight in manifest.flights
            if has_bare_date(flight)
            for when in (flight.dock, flight.undock, *(w for r in flight.relocations for w in (r.start, r.end)))
            if when is not None and when.date_only
            for point in (when.earliest, when.latest)
        )
        # Every instant where a flight still docked at `at` or later changes the station, sorted, each with
        # what it belongs to: (instant, flight, ARRIVAL / DEPARTURE / None for a grounding or a move).
        live = (flight for flight in manifest.flights if flight.undock is None or flight.undock.latest >= at)
        self.boundaries = sorted((item for flight in live for item in _boundaries(flight)), key=lambda item: item[0])
        self.points = [point for point, _, _ in self.boundaries]
        self._errors: dict[tuple[str, str], list[Finding]] | None = None

    def places(self, person: str) -> dict[str, list[int]]:
        """Where each flight's stays are among a person's (made when first asked: one margin asks of a few)."""
        found = self._places.get(person)
        if found is None:
            found = self._places[person] = {}
            for index, stay in enumerate(self.by_person[person]):
                for flight_id in {stay.arrived_on, stay.returns_on}:
                    if flight_id is not None:
                        found.setdefault(flight_id, []).append(index)
        return found

    def errors(self) -> dict[tuple[str, str], list[Finding]]:
        """The schedule's error findings from `at` on, past its horizon too, by (rule, subject)."""
        if self._errors is None:
            end = max(self.manifest.horizon or self.at, self.points[-1] if self.points else self.at) + _BEYOND
            self._errors = {}
            for error in check_continuity(self.manifest, self.at, end, self.analysis).errors:
                self._errors.setdefault((error.rule, error.subject), []).append(error)
        return self._errors

    def written(self, low: int, high: int) -> dict[tuple[str, str], list[Finding]]:
        """The errors of the schedule as written over [low, high] (or more of it), by (rule, subject)."""
        if self.whole:
            return self.errors()
        found: dict[tuple[str, str], list[Finding]] = {}
        for error in check_continuity(self.cutter.cut(low, high), low, high).errors:
            found.setdefault((error.rule, error.subject), []).append(error)
        return found

    def already(self, broken: _Broken, moment: int) -> bool:
        """Whether the schedule as written has this error in force when the event is due (then any move worsens it)."""
        if broken.subject is None:
            return False
        horizon = self.manifest.horizon
        # As written, the schedule is judged up to its horizon: what starts there comes of no move.
        return horizon is not None and any(
            error.start <= moment and error.start < horizon and (error.end is None or moment <= error.end)
            for error in self.errors().get((broken.rule, broken.subject), ())
        )

    def near_bare(self, low: int, high: int) -> bool:
        """Whether a bare date's day meets [low, high]: there placements of bare dates differ."""
        index = bisect_left(self.bare, low - DAY)
        return index < len(self.bare) and self.bare[index] <= high + DAY

    def clear_of_bare(self, moment: int, sign: int) -> float:
        """How far from `moment` (later with `sign` 1, earlier with -1) a window stays clear of `near_bare`."""
        bare = self.bare
        if sign > 0:
            index = bisect_left(bare, moment - DAY)
            return bare[index] - DAY - 1 - moment if index < len(bare) else math.inf
        index = bisect_right(bare, moment + DAY) - 1
        return moment - bare[index] - DAY - 1 if index >= 0 else math.inf

    def relocating(self, low: int, high: int) -> bool:
        """Whether a move between ports meets [low, high]: who rides along then is settled by the pairing."""
        index = bisect_left(self.moves_ended, low)
        return index < len(self.moves) and self.moves[index][0] <= high

    def uncrewed(self, moment: int) -> bool:
        """Whether no one at all is aboard just before `moment`."""
        return not any(start < moment <= end for start, end, _ in self.cutter.stays)

    def margin(self, flight_id: str, event: Event, direction: Direction, *, handover: bool = False) -> Margin:
        at = self.at
        flight = self.cutter.by_id[flight_id]
        scheduled = flight.dock if event == ARRIVAL else flight.undock
        if scheduled is None or scheduled.seconds <= at:
            raise ValueError(f"{flight_id} has no {event} scheduled after the instant asked about")
        sign = 1 if direction == DELAY else -1
        dragged = _relieved_by(self.cutter, flight, at) if handover and event == ARRIVAL and sign > 0 else ()
        trial = _Trial(self, flight, event, dragged, handover=handover)
        limit = None if sign > 0 else scheduled.seconds - at
        candidates = _crossings(self, trial, scheduled, sign, limit)
        unsure = flight.arrival_unsure if event == ARRIVAL else flight.departure_unsure

        def found(shift: int, broken: _Broken) -> Margin:
            already = shift == 0 and self.already(broken, scheduled.seconds)
            message = broken.message
            if already and broken.rule == "partner-presence" and event == ARRIVAL and self.uncrewed(scheduled.seconds):
                message = f"no crew aboard until {flight_id} arrives: the station is uncrewed"
            return Margin(
                flight=flight_id,
                event=event,
                direction=direction,
                scheduled=scheduled,
                seconds=shift,
                rule=broken.rule,
                message=message,
                people=broken.people,
                already=already,
                unsure=unsure,
            )

        for low, high in itertools.pairwise(itertools.chain(candidates, [limit])):
            assert low is not None
            if high is None or high - low >= 2:
                probe = low + MINUTE if high is None or high - low > MINUTE else (low + high) // 2
                broken = trial.broken(sign * probe)
                if broken is not None:
                    return found(low, broken)
            # At a crossing itself boundaries coincide, which can differ from both sides (a crew that
            # arrives as its ride home leaves has no ride home): then the margin stops a second short.
            if high is not None and (broken := trial.broken(sign * high)) is not None:
                return found(high - 1, broken)
        return Margin(flight_id, event, direction, scheduled, seconds=None, rule=None, message=None, unsure=unsure)


class _Trial:
    """The schedule with one event shifted, judged against the schedule as written."""

    def __init__(
        self, schedule: _Schedule, flight: Flight, event: Event, dragged: tuple[Flight, ...], *, handover: bool
    ) -> None:
        self.schedule, self.manifest, self.at = schedule, schedule.manifest, schedule.at
        self.flight, self.event, self.dragged, self.handover = flight, event, dragged, handover
        moment = flight.dock if event == ARRIVAL else flight.undock
        assert moment is not None
        self.moment = moment
        self._clear = 0  # the furthest shift found clear so far
        riders = schedule.cutter.riders
        involved = {stay.person for f in (flight, *dragged) for stay in riders.get(f.id, ())}
        # For everyone who rides a moved flight up or home, those stays and the ones either side, in order.
        moving = (flight.id, *(f.id for f in dragged))
        self._stays = [
            _around(
                schedule.by_person[person],
                [index for flight_id in moving for index in schedule.places(person).get(flight_id, ())],
            )
            for person in sorted(involved)
        ]
        every = schedule.cutter.by_id
        self._rode = {flight_id: every[flight_id] for own in self._stays for flight_id in _rides(own)}  # as written
        self._changed: dict[Placement, list[Change] | None] = {}  # see `_changes`
        # Where the last trial judged on the schedule's timelines ended, and the station just before then under
        # each placement: a delay tried further starts there, so the station need not be replayed.
        self._reached: tuple[int, dict[Placement, State]] | None = None
        # Where the last trial judged on the schedule's timeline began, if nothing but the move happened there.
        self._began: int | None = None
        self._keeps = self._shifts_keeping_rides()
        # How far the move can go each way with the error rules sure to find nothing, and over how many
        # boundaries that was judged, if the judgement stopped short of what the schedule allows (see `_quiet`).
        self._quiet_reach: dict[int, tuple[int, int | None]] = {}

    def _shifts_keeping_rides(self) -> tuple[float, float]:
        """The shifts `moved` allows, as an open interval (low, high): each of its conditions, and each of
        `_rides_kept`'s, compares two instants that move with the shift or stay, so each holds on a half-line."""
        low, high = -math.inf, math.inf
        flight = self.flight

        def breaks_at_most(bound: int) -> None:  # the condition `shift <= bound` breaks the schedule
            nonlocal low
            low = max(low, bound)

        def breaks_above(bound: int) -> None:  # `shift > bound` breaks it
            nonlocal high
            high = min(high, bound + 1)

        if self.event == ARRIVAL:
            if flight.undock is not None:
                breaks_above(flight.undock.seconds - flight.dock.seconds)
            if flight.relocations:
                breaks_above(flight.relocations[0].start.seconds - flight.dock.seconds)
        else:
            assert flight.undock is not None
            breaks_at_most(flight.dock.seconds - flight.undock.seconds - 1)
            if flight.relocations:
                breaks_at_most(flight.relocations[-1].end.seconds - flight.undock.seconds - 1)
        docks = {flight.id} if self.event == ARRIVAL else set()
        undocks = {f.id for f in self.dragged} | ({flight.id} if self.event == DEPARTURE else set())

        def later(ride: Flight, arrival: Flight) -> tuple[int, int] | None:
            """ride's undocking less arrival's docking, as (at no shift, per second of shift); None: no undocking."""
            if ride.undock is None:
                return None
            return ride.undock.seconds - arrival.dock.seconds, (ride.id in undocks) - (arrival.id in docks)

        flights = self._rode
        for own in self._stays:
            conditions: list[tuple[tuple[int, int] | None, bool]] = []  # (difference, whether <= 0 breaks)
            for stay in own:
                if stay.returns_on:
                    conditions.append((later(flights[stay.returns_on], flights[stay.arrived_on]), True))
            for first, second in itertools.pairwise(own):
                if first.returns_on:
                    conditions.append((later(flights[first.returns_on], flights[second.arrived_on]), False))
            for difference, at_most in conditions:
                if difference is None:
                    continue
                base, rate = difference
                # The difference is base + rate * shift; `at_most`: it breaks at <= 0, else at > 0.
                if rate == 0:
                    if (base <= 0) == at_most:
                        return (0.0, 0.0)
                elif at_most:
                    breaks_at_most(-base) if rate > 0 else breaks_above(base - 1)
                else:
                    breaks_above(-base) if rate > 0 else breaks_at_most(base - 1)
        return low, high

    def moved(self, shift: int) -> dict[str, Flight] | _Broken:
        """The flights as they would be, or why the shift cannot be."""
        flight = self.flight
        if self.event == ARRIVAL:
            dock = _plus(flight.dock, shift)
            if flight.undock is not None and dock.seconds > flight.undock.seconds:
                return _Broken("schedule", f"{flight.id} would dock after it is due to leave", flight.up)
            if flight.relocations and dock.seconds > flight.relocations[0].start.seconds:
                return _Broken("schedule", f"{flight.id} would dock after it is due to move between ports", flight.up)
            changed = {flight.id: flight._replace(launch=_plus(flight.launch, shift), dock=dock)}
        else:
            assert flight.undock is not None
            if flight.undock.seconds + shift < flight.dock.seconds:
                return _Broken("schedule", f"{flight.id} would leave before it docks", flight.down)
            if flight.relocations and flight.undock.seconds + shift < flight.relocations[-1].end.seconds:
                return _Broken("schedule", f"{flight.id} would leave before its move between ports ends", flight.down)
            changed = {flight.id: _leaving(flight, shift)}
        for departure in self.dragged:
            changed[departure.id] = _leaving(departure, shift)
        return self._rides_kept(changed) or changed

    def _rides_kept(self, changed: dict[str, Flight]) -> _Broken | None:
        """Why a crew of the moved flights would no longer ride up and home as the manifest says, if so."""
        flights = self._rode | {flight_id: flight for flight_id, flight in changed.items() if flight_id in self._rode}
        # Everyone broken the same way is named together: (how, the flights involved) -> who.
        missed: dict[tuple[str, str, str], list[str]] = {}
        for own in self._stays:
            for stay in own:
                arrival = flights[stay.arrived_on]
                ride = flights[stay.returns_on] if stay.returns_on else None
                if ride is not None and ride.undock is not None and ride.undock.seconds <= arrival.dock.seconds:
                    how = "miss" if ride is not arrival else "same"
                    missed.setdefault((how, ride.id, arrival.id), []).append(stay.person)
            for first, second in itertools.pairwise(own):
                ride = flights[first.returns_on] if first.returns_on else None
                if (
                    ride is not None
                    and ride.undock is not None
                    and ride.undock.seconds > flights[second.arrived_on].dock.seconds
                ):
                    missed.setdefault(("again", ride.id, second.arrived_on), []).append(first.person)
        if not missed:
            return None
        (how, ride_id, other), people = next(iter(missed.items()))
        names = _and([self.manifest.people[person].name for person in people])
        if how == "miss":
            message = f"{names} would miss their ride home: {ride_id} leaves by the time {other} docks"
        elif how == "same" and self.event == ARRIVAL:
            message = f"{ride_id} would dock no earlier than it is due to leave, with {names} aboard"
        elif how == "same":
            message = f"{ride_id} would leave no later than it docks, with {names} aboard"
        else:
            message = f"{names} would still be aboard, due home on {ride_id}, when {other} brings them up"
        return _Broken("schedule", message, tuple(people))

    def broken(self, shift: int) -> _Broken | None:
        if not self.handover and self._keeps[0] < shift < self._keeps[1] and abs(shift) <= self._quiet(shift):
            # Nothing the rules could find, and the rides kept: clear, with no trial.
            if abs(shift) > abs(self._clear):
                self._clear = shift
            self._reached = self._began = None
            return None
        changed = self.moved(shift)
        if isinstance(changed, _Broken):
            return changed
        if self.handover:
            for original in (self.flight, *self.dragged):
                too_long = self._past_docked_life(original, changed[original.id])
                if too_long is not None:
                    return too_long
        # The station differs from the schedule only between where the moved events were and where
        # they would be: the rules run there alone, on the flights that matter there.
        ends = [
            point
            for original in (self.flight, *self.dragged)
            for name in (("dock",) if original is self.flight and self.event == ARRIVAL else ("undock",))
            for moment in (getattr(original, name), getattr(changed[original.id], name))
            for point in _ends(moment)
        ]
        low, high = max(self.at, min(ends)), max(ends)
        if not self.dragged and abs(shift) > abs(self._clear) and shift * self._clear > 0:
            # One event moved further the same way: up to where it was when last found clear, the
            # station is as it was then, so only the rest needs the rules.
            reached = _ends(_plus(self.moment, self._clear))
            low, high = (max(low, min(reached)), high) if shift > 0 else (low, min(high, max(reached)))
        if high <= low:
            return None
        # Who rides along on a move between ports is settled when it starts, and holds until it ends.
        while later := [end for start, end in self.schedule.moves if low <= start < high < end]:
            high = max(later)
        # What the schedule as written already has there: its own findings, which the cut's would be clipped from.
        before = self.schedule.written(low, high)
        errors = self._errors(shift, low, high)
        if errors is None:
            errors = list(check_continuity(self.schedule.cutter.cut(low, high, changed), low, high).errors)
        for finding in errors:
            if not any(_covers(old, finding) for old in before.get((finding.rule, finding.subject), ())):
                crew = self.flight.up if self.event == ARRIVAL else self.flight.down
                people = tuple(dict.fromkeys((*finding.people, *crew)))
                return _Broken(finding.rule, finding.message, people, finding.subject)
        if abs(shift) > abs(self._clear):
            self._clear = shift
        return None

    def _quiet(self, shift: int) -> int:
        """How far the event can move this shift's way with the error rules sure to find nothing in the window.

        Moved by a shift, the event leaves the station as it is with the move made all the way (the flight and
        its crew absent, or there longer) from where the event was to where it would be: so one judgement of
        a long move, as far as the schedule allows or over the next boundaries, tells every shorter one. The
        first finding there that the schedule as written does not have bounds them. Asked past a judgement
        that stopped at a number of boundaries, it judges again over twice as many.
        """
        sign = 1 if shift > 0 else -1
        reach, boundaries = self._quiet_reach.get(sign, (0, _QUIET_BOUNDARIES // 2))
        while abs(shift) > reach and boundaries is not None:
            reach, boundaries = self._quiet_reach[sign] = self._quietly_reached(sign, boundaries * 2)
        return reach

    def _quietly_reached(self, sign: int, boundaries: int) -> tuple[int, int | None]:
        schedule = self.schedule
        if self.dragged or self._changes(Placement.LONG) is None:
            return 0, None
        moment, points = self.moment.seconds, schedule.points
        if sign > 0:
            bound = self._keeps[1] - 1
            ahead = bisect_right(points, moment) + boundaries
            capped = points[ahead] - moment if ahead < len(points) else math.inf
        else:
            bound = min(-self._keeps[0] - 1, moment - self.at)
            behind = bisect_left(points, moment) - boundaries - 1
            capped = moment - points[behind] if behind >= 0 else math.inf
        if bound == math.inf and capped == math.inf:  # a delay with nothing ahead to stop it: past the last boundary
            bound = points[-1] - moment + 1 if points and points[-1] >= moment else 0
        boundaries_used = boundaries if capped < bound else None
        bound = min(bound, capped)
        clear = schedule.clear_of_bare(moment, sign)
        if clear < bound:
            bound, boundaries_used = clear, None
        if not 0 < bound < math.inf:
            return 0, None
        reach = int(bound)
        low, high = (moment, moment + reach) if sign > 0 else (max(self.at, moment - reach), moment)
        self._reached = self._began = None
        findings = self._errors(sign * reach, low, high)
        self._reached = self._began = None
        if findings is None:
            return 0, None
        written = schedule.errors() if schedule.whole else {}
        judged = boundaries_used
        for finding in findings:
            # A shorter move sees the part of this finding its window holds, which the schedule as written may
            # already have (see `broken`): the shortest move that sees a part it does not have.
            olds = written.get((finding.rule, finding.subject), ())
            end = math.inf if finding.end is None else finding.end
            if sign > 0:  # the window's part: from the finding's start to the shorter of its end and the window's
                covered = max(
                    (math.inf if old.end is None else old.end for old in olds if old.start <= finding.start),
                    default=-math.inf,
                )
                if covered < end:
                    reach, judged = min(reach, int(max(finding.start, covered)) - moment), None
            else:  # from the later of the finding's start and the window's, to the finding's end
                covered = min((old.start for old in olds if old.end is None or old.end >= end), default=math.inf)
                if covered > finding.start:
                    reach, judged = min(reach, moment - int(min(end, covered))), None
        return max(reach, 0), judged

    def _moving_changes(self, timeline: Timeline) -> list[Change] | None:
        """A timeline's events that the move shifts: each moved flight's docking and its crew's stays, as
        (instant, on, item). None where bare dates, moves between ports or empty stays make them other than
        one docking and the stays the pairing says: trials are then judged on a cut of the manifest."""
        found: list[Change] = []
        for flight, event in ((self.flight, self.event), *((departure, DEPARTURE) for departure in self.dragged)):
            when = flight.dock if event == ARRIVAL else flight.undock
            if when is None or when.date_only or flight.relocations:
                return None
            on = event == ARRIVAL
            crew = {
                stay
                for stay in self.schedule.cutter.riders.get(flight.id, ())
                if (stay.arrived_on if on else stay.returns_on) == flight.id
            }
            changes = [item for happened, item in timeline.changes_at(when.seconds) if happened is on]
            docked = [item for item in changes if isinstance(item, Docked) and item.flight.id == flight.id]
            stays = {item for item in changes if isinstance(item, Stay) and item in crew}
            if len(docked) != 1 or stays != crew:
                return None
            found += [(when.seconds, on, item) for item in docked]
            found += [(when.seconds, on, item) for item in stays]
        if len({id(item) for _, _, item in found}) < len(found):
            return None  # a stay that both ends of the move touch
        return found

    def _errors(self, shift: int, low: int, high: int) -> list[Finding] | None:
        """The error findings over [low, high) with the move made, judged on the schedule's own timelines: the
        state at `low`, the events there with the moved ones swapped; where bare dates are near, under both
        placements, split as `check` splits them. None where that cannot be (see `_moving_changes`)."""
        reached, self._reached = self._reached, None
        began, self._began = self._began, None
        schedule = self.schedule
        reach = [moment for change in self._changes(Placement.LONG) or () for moment in (change[0], change[0] + shift)]
        lowest, highest = min(low, *reach, high), max(low, *reach, high)
        if schedule.relocating(lowest, highest):
            return None
        bare = schedule.near_bare(lowest, highest)
        changes, quiet, others = self._changes(Placement.LONG), False, None
        if not bare and changes is not None:
            others = _others(schedule.analysis[Placement.LONG], changes, low, high)
            if began == high and all(change[0] == low for change in others):
                # An advance: the last trial, just after this window, found clear the segment it began with;
                # this window is that segment, what happens at `low` included. Clear again, with no sweep.
                self._began = low
                return []
            quiet = not any(change[0] == low for change in others)
        found: dict[Placement, list[Finding]] = {}
        states: dict[Placement, State] = {}
        for placement in (Placement.LONG, Placement.SHORT) if bare else (Placement.LONG,):
            going_on = reached[1].get(placement) if reached is not None and reached[0] == low else None
            judged = self._judge(schedule.analysis[placement], shift, low, high, going_on, others)
            if judged is None:
                return None
            found[placement], states[placement] = judged
        self._reached = (high, states)  # if this trial is clear, the next one further the same way starts here
        if not bare and quiet:
            self._began = low
        if bare:
            findings = sorted(split_by_certainty(_ERROR_RULES, found), key=lambda f: (f.start, f.rule, f.subject))
        else:
            findings = found[Placement.LONG]
        return [finding for finding in findings if finding.severity == ERROR]

    def _changes(self, placement: Placement) -> list[Change] | None:
        if placement not in self._changed:
            self._changed[placement] = self._moving_changes(self.schedule.analysis[placement])
        return self._changed[placement]

    def _judge(
        self, timeline: Timeline, shift: int, low: int, high: int, state: State | None, others: list[Change] | None
    ) -> tuple[list[Finding], State] | None:
        """The error rules' findings over [low, high) on one timeline with the move made, and the station it
        leaves just before `high`. `state`: the station just before `low` left by the last trial, if it ended there.
        `others`: the timeline's events over the window but the moved ones, where no bare date is near."""
        changes = self._changes(timeline.placement)
        if changes is None:
            return None
        moved = [(moment + shift, on, item) for moment, on, item in changes]
        placement = timeline.placement
        for moment, on, item in moved:
            assert isinstance(item, Docked | Stay)
            if isinstance(item, Docked):
                start, end = item.start, item.end
            else:
                start, end = placement.start(item.start), None if item.end is None else placement.end(item.end)
            start, end = (moment, end) if on else (start, moment)
            if end is not None and start >= end:
                return None  # an empty stay or docking leaves no events at all
        events = _others(timeline, changes, low, high) if others is None else list(others)
        if state is None:
            state = timeline.state_at(low - 1)
            for moment, on, item in changes:
                if moment < low:  # in force in the schedule by `low`; moved, it is not yet
                    state.apply(low - 1, not on, item)
        elif others is not None and all(change[0] == high for change in others):
            # The last trial found this segment clear, and it goes on unchanged: so do the schedule's own
            # findings, which end only where the schedule has an event. Clear again, with no sweep.
            return [], state
        events += [change for change in moved if low <= change[0] <= high]
        events.sort(key=_instant)
        state.moment = low - 1  # nothing has happened yet at `low`: a run open there names no one as leaving
        return evaluate(timeline.variant(events), _ERROR_RULES, low, high, state), state

    def _past_docked_life(self, original: Flight, moved: Flight) -> _Broken | None:
        allowed = _allowed_docked(self.manifest, original)
        if allowed is None or moved.undock is None or moved.undock.seconds - moved.dock.seconds <= allowed:
            return None
        life = self.manifest.vehicles[original.vehicle].max_docked_days
        assert original.undock is not None and life is not None
        scheduled = (original.undock.seconds - original.dock.seconds) / DAY
        if scheduled > life:
            message = (
                f"{original.id} would stay docked longer than its scheduled {scheduled:.1f} days, "
                f"already past the {life:g}-day docked life of a {original.vehicle}"
            )
        else:
            message = f"{original.id} would stay docked past the {life:g}-day docked life of a {original.vehicle}"
        return _Broken("docked-life", message, original.down)


def _around(stays: list[Stay], places: list[int]) -> list[Stay]:
    """The stays at these places of a person's stays (in order), with the stay before and after each."""
    near = {index + step for index in places for step in (-1, 0, 1)}
    return [stays[index] for index in sorted(near) if 0 <= index < len(stays)]


def _others(timeline: Timeline, changes: list[Change], low: int, high: int) -> list[Change]:
    """The timeline's events from `low` through `high` but the moved ones."""
    shifted = {(id(item), on) for _, on, item in changes}
    return [change for change in timeline.window(low, high) if (id(change[2]), change[1]) not in shifted]


def _instant(change: Change) -> int:
    return change[0]


def _and(names: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _rides(stays: Iterable[Stay]) -> Iterator[str]:
    for stay in stays:
        yield stay.arrived_on
        if stay.returns_on is not None:
            yield stay.returns_on


def _covers(old: Finding, new: Finding) -> bool:
    """Whether a finding of the schedule as written already has all of `new`."""
    return (
        old.rule == new.rule
        and old.subject == new.subject
        and old.start <= new.start
        and (old.end is None or (new.end is not None and new.end <= old.end))
    )


def _allowed_docked(manifest: Manifest, flight: Flight) -> int | None:
    """How long a flight may stay docked, in seconds: its vehicle's docked life, or longer where it is scheduled so."""
    life = manifest.vehicles[flight.vehicle].max_docked_days
    if life is None or flight.undock is None:
        return None
    return max(round(life * DAY), flight.undock.seconds - flight.dock.seconds)


def relief_of(manifest: Manifest, departure: Flight, among: Iterable[Flight] | None = None) -> Flight | None:
    """The flight that relieves a departing crew: the last of its kind to dock while it is there and stay after.

    `among`: the flights that may (in the manifest's order), when fewer than all of them.
    """
    if departure.undock is None:
        return None
    found = None
    for flight in manifest.flights if among is None else among:
        if (
            flight is not departure
            and flight.vehicle == departure.vehicle
            and departure.dock.seconds < flight.dock.seconds <= departure.undock.seconds
            and (flight.undock is None or flight.undock.seconds > departure.undock.seconds)
            and (found is None or flight.dock.seconds > found.dock.seconds)
        ):
            found = flight
    return found


def _relieved_by(cutter: "_Cutter", arrival: Flight, at: int) -> tuple[Flight, ...]:
    """The departures still to come that wait for this arrival, when it slips and crews hand over."""
    docked = [
        flight
        for flight in cutter.docked(arrival.dock.seconds - 1, arrival.dock.seconds)
        if flight.undock is not None
        and flight.undock.seconds > at
        and flight.dock.seconds < arrival.dock.seconds <= flight.undock.seconds
    ]
    return tuple(
        flight
        for flight in docked
        if flight.undock is not None
        and relief_of(
            cutter.manifest, flight, cutter.docked(flight.dock.seconds - DAY, flight.undock.seconds, docking=True)
        )
        is arrival
    )


def _crossings(schedule: _Schedule, trial: _Trial, scheduled: When, sign: int, limit: int | None) -> Iterator[int]:
    """Shifts at which a moved boundary meets another or a vehicle reaches its docked life: where verdicts change.

    In order, each once, made as they are asked for (the search mostly stops at the first few).
    """
    moving = {(trial.flight.id, trial.event), *((flight.id, DEPARTURE) for flight in trial.dragged)}
    starts = set(_ends(scheduled))
    for departure in trial.dragged:
        assert departure.undock is not None
        starts |= set(_ends(departure.undock))
    extra = {0}
    if trial.handover and sign > 0:
        for departure in (trial.flight, *trial.dragged):
            allowed = _allowed_docked(schedule.manifest, departure)
            if allowed is not None and departure.undock is not None:
                extra.add(departure.dock.seconds + allowed - departure.undock.seconds)
    boundaries, points = schedule.boundaries, schedule.points

    def away(start: int) -> Iterator[int]:
        """The shifts that bring `start` onto each fixed boundary the way it moves, nearest first."""
        if sign > 0:
            indices: Iterable[int] = range(bisect_left(points, start), len(points))
        else:
            indices = range(bisect_right(points, start) - 1, -1, -1)
        for index in indices:
            point, flight_id, event = boundaries[index]
            if (flight_id, event) not in moving:
                yield sign * (point - start)

    previous = None
    for shift in heapq.merge(sorted(extra), *(away(start) for start in sorted(starts))):
        if limit is not None and shift > limit:
            return
        if shift >= 0 and shift != previous:
            previous = shift
            yield shift


def _boundaries(flight: Flight) -> Iterator[tuple[int, str, Event | None]]:
    """The instants where a flight changes the station, with the event each belongs to (None: neither end)."""
    for point in _ends(flight.dock):
        yield point, flight.id, ARRIVAL
    if flight.undock is not None:
        for point in _ends(flight.undock):
            yield point, flight.id, DEPARTURE
    if flight.grounded is not None:
        for point in _ends(flight.grounded):
            yield point, flight.id, None
    for relocation in flight.relocations:
        for point in (*_ends(relocation.start), *_ends(relocation.end)):
            yield point, flight.id, None


def _ends(when: When) -> Iterable[int]:
    return (when.earliest, when.latest) if when.date_only else (when.seconds,)


def _leaving(flight: Flight, shift: int) -> Flight:
    assert flight.undock is not None
    return flight._replace(undock=_plus(flight.undock, shift), landing=flight.landing and _plus(flight.landing, shift))


def _plus(when: When, seconds: int) -> When:
    """A moment moved; a bare date stays a day-long span, wherever it starts."""
    return When(when.seconds + seconds, when.date_only)


class _Cutter:
    """Cuts a manifest to what matters over a stretch of time after `since`: the flights docked then, and
    the stays that touch it (or ride a changed flight), each with the flights up and home that make it.
    Everyone else is left off those flights' crews, so the cut pairs into exactly those stays."""

    def __init__(self, manifest: Manifest, stays: Iterable[Stay], since: int) -> None:
        never = float("inf")
        self.manifest = manifest
        self.order = {flight.id: index for index, flight in enumerate(manifest.flights)}
        self.by_id = {flight.id: flight for flight in manifest.flights}
        flights = [(f.dock.earliest, f.undock.latest if f.undock else never, f.id) for f in manifest.flights]
        self.flights = sorted((item for item in flights if item[1] >= since), key=lambda item: item[0])
        self.docks = [item[0] for item in self.flights]
        # The latest undocking so far, in dock order: everything before the first that reaches `low` is gone by then.
        self.gone = list(itertools.accumulate((item[1] for item in self.flights), max))
        spans = [
            (stay.start.earliest, stay.end.latest if stay.end else never, stay)
            for stay in stays
            if stay.end is None or stay.end.latest >= since
        ]
        self.stays = sorted(spans, key=lambda item: item[0])
        self.starts = [item[0] for item in self.stays]
        self.ended = list(itertools.accumulate((item[1] for item in self.stays), max))
        self.riders: dict[str, list[Stay]] = {}  # flight -> the stays that begin or end with it
        for _, _, stay in self.stays:
            for flight in (stay.arrived_on, stay.returns_on):
                if flight is not None:
                    self.riders.setdefault(flight, []).append(stay)

    def docked(self, after: int, by: int, *, docking: bool = False) -> list[Flight]:
        """The flights (still there after `since`) that may dock by `by` and leave after `after`, in the manifest's
        order; with `docking`, only those that may dock after `after` (bare dates count as either end of their day)."""
        first = bisect_right(self.docks, after) if docking else bisect_right(self.gone, after)
        found = [flight for _, undock, flight in self.flights[first : bisect_right(self.docks, by)] if undock > after]
        return [self.by_id[flight_id] for flight_id in sorted(found, key=self.order.__getitem__)]

    def cut(self, low: int, high: float, changed: Mapping[str, Flight] = MappingProxyType({})) -> Manifest:
        """The manifest, with `changed` flights as they would be, cut to [low, high] (its ends included, so
        that what happens there can be named)."""
        kept = set(changed)
        first, last = bisect_left(self.gone, low), bisect_right(self.docks, high)
        kept.update(flight for _, undock, flight in self.flights[first:last] if undock >= low)
        first, last = bisect_left(self.ended, low), bisect_right(self.starts, high)
        stays = {stay for _, end, stay in self.stays[first:last] if end >= low}
        for flight_id in changed:
            stays.update(self.riders.get(flight_id, ()))
        ups = {(stay.person, stay.arrived_on) for stay in stays}
        downs = {(stay.person, stay.returns_on) for stay in stays}
        kept.update(arrival for _, arrival in ups)
        kept.update(ride for _, ride in downs if ride is not None)
        flights: list[Flight] = []
        for flight_id in sorted(kept, key=self.order.__getitem__):
            flight = changed.get(flight_id) or self.by_id[flight_id]
            up = tuple(person for person in flight.up if (person, flight_id) in ups)
            down = tuple(person for person in flight.down if (person, flight_id) in downs)
            flights.append(flight if (up, down) == (flight.up, flight.down) else flight._replace(up=up, down=down))
        return self.manifest._replace(flights=tuple(flights))
