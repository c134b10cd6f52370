"""What changed between two manifests, in the manifest's own terms, and what it does to continuity."""

from collections import defaultdict
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import NamedTuple, TypeVar

from issmanifest.engine.rules import ERROR, Check, Finding, check_continuity
from issmanifest.engine.stays import Stay, pair_stays
from issmanifest.manifest.canonical import Value, agency_facts, expedition_facts, flight_facts, value_of, vehicle_facts
from issmanifest.manifest.model import DAY, Flight, Manifest, When

T = TypeVar("T")
TIME_FIELDS = ("launch", "dock", "undock", "landing", "grounded")
CREW_FIELDS = ("up", "down")


class ChangeKind(StrEnum):
    """What sort of change; the values are what the JSON and CSV outputs print."""

    STATION_CHANGED = "station-changed"
    AGENCY_CHANGED = "agency-changed"
    VEHICLE_CHANGED = "vehicle-changed"
    PERSON_ADDED = "person-added"
    PERSON_REMOVED = "person-removed"
    PERSON_CHANGED = "person-changed"
    EXPEDITION_CHANGED = "expedition-changed"
    FLIGHT_ADDED = "flight-added"
    FLIGHT_REMOVED = "flight-removed"
    FLIGHT_CHANGED = "flight-changed"
    CREW_CHANGED = "crew-changed"


class Change(NamedTuple):
    """One semantic change; `kind` says what sort, the other fields which and how."""

    kind: ChangeKind
    flight: str | None = None
    person: str | None = None
    subject: str | None = None  # the agency or vehicle changed
    field: str | None = None
    old: Value = None
    new: Value = None
    shift_days: float | None = None


class Impact(NamedTuple):
    """Findings of the rules that the change brings, removes, or moves."""

    introduced: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    changed: tuple[tuple[Finding, Finding], ...]
    start: int | None
    end: int | None

    @property
    def introduced_errors(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.introduced if finding.severity == ERROR)


class ManifestDiff(NamedTuple):
    changes: tuple[Change, ...]
    continuity: Impact
    order: dict[str, int]  # flight id -> its place in time, for grouping changes

    @property
    def empty(self) -> bool:
        return not self.changes


def diff_manifests(old: Manifest, new: Manifest) -> ManifestDiff:
    """The semantic changes from `old` to `new`, and the continuity findings they bring or remove."""
    changes: list[Change] = []
    changes += _station_changes(old, new)
    changes += _table_changes(ChangeKind.AGENCY_CHANGED, old.agencies, new.agencies, agency_facts)
    changes += _table_changes(ChangeKind.VEHICLE_CHANGED, old.vehicles, new.vehicles, vehicle_facts)
    changes += _people_changes(old, new)
    changes += _table_changes(
        ChangeKind.EXPEDITION_CHANGED,
        {str(e.number): e for e in old.expeditions},
        {str(e.number): e for e in new.expeditions},
        expedition_facts,
    )
    renamed = _renamed_flights(old, new)
    changes += [
        Change(ChangeKind.FLIGHT_CHANGED, flight=new_id, field="id", old=old_id, new=new_id)
        for old_id, new_id in renamed.items()
    ]
    changes += _flight_changes(old, new, renamed)
    order = {flight.id: index for index, flight in enumerate(sorted((*old.flights, *new.flights), key=_when))}
    return ManifestDiff(tuple(changes), continuity_impact(old, new), order)


def _when(flight: Flight) -> tuple[int, str]:
    return (flight.launch.seconds, flight.id)


def _station_changes(old: Manifest, new: Manifest) -> list[Change]:
    changes = []
    for field in ("name", "core_partners", "max_crew"):
        before, after = value_of(getattr(old.station, field)), value_of(getattr(new.station, field))
        if before != after:
            changes.append(Change(ChangeKind.STATION_CHANGED, field=field, old=before, new=after))
    before, after = value_of(old.as_of), value_of(new.as_of)
    if before != after:  # the date of knowledge belongs to the manifest, told with the station's facts
        changes.append(Change(ChangeKind.STATION_CHANGED, field="as_of", old=before, new=after))
    return changes


def _table_changes(
    kind: ChangeKind, old: Mapping[str, T], new: Mapping[str, T], facts: Callable[[T], dict[str, Value]]
) -> list[Change]:
    changes = []
    for name in sorted(set(old) | set(new)):
        before = facts(old[name]) if name in old else {}
        after = facts(new[name]) if name in new else {}
        if name not in old or name not in new:
            changes.append(
                Change(kind, subject=name, old=None if name not in old else name, new=None if name not in new else name)
            )
            continue
        changes += [
            Change(kind, subject=name, field=field, old=before[field], new=after[field])
            for field in before
            if before[field] != after[field]
        ]
    return changes


def _people_changes(old: Manifest, new: Manifest) -> list[Change]:
    changes = []
    for key in sorted(set(old.people) | set(new.people)):
        if key not in new.people:
            changes.append(Change(ChangeKind.PERSON_REMOVED, person=key, old=old.people[key].name))
        elif key not in old.people:
            changes.append(Change(ChangeKind.PERSON_ADDED, person=key, new=new.people[key].name))
        else:
            for field in ("name", "agency", "nationality"):
                before, after = getattr(old.people[key], field), getattr(new.people[key], field)
                if before != after:
                    changes.append(Change(ChangeKind.PERSON_CHANGED, person=key, field=field, old=before, new=after))
    return changes


def _renamed_flights(old: Manifest, new: Manifest) -> dict[str, str]:
    """Flights whose id alone changed: old id -> new id."""
    new_ids = {flight.id for flight in new.flights}
    old_ids = {flight.id for flight in old.flights}
    unmatched_new: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for flight in new.flights:
        if flight.id not in old_ids:
            unmatched_new[_content(flight)].append(flight.id)
    renamed = {}
    for flight in old.flights:
        if flight.id not in new_ids and unmatched_new.get(_content(flight)):
            renamed[flight.id] = unmatched_new[_content(flight)].pop(0)
    return renamed


def _content(flight: Flight) -> tuple[object, ...]:
    facts = flight_facts(flight)
    return tuple(repr(facts[field]) for field in sorted(facts))


def _flight_changes(old: Manifest, new: Manifest, renamed: dict[str, str]) -> list[Change]:
    before = {renamed.get(flight.id, flight.id): flight for flight in old.flights}
    after = {flight.id: flight for flight in new.flights}
    changes: list[Change] = []
    for flight_id in sorted(set(before) - set(after), key=lambda fid: _when(before[fid])):
        changes.append(Change(ChangeKind.FLIGHT_REMOVED, flight=flight_id, old=before[flight_id].vehicle))
    for flight_id in sorted(set(after) - set(before), key=lambda fid: _when(after[fid])):
        changes.append(Change(ChangeKind.FLIGHT_ADDED, flight=flight_id, new=after[flight_id].vehicle))
    for flight_id in sorted(set(before) & set(after), key=lambda fid: _when(after[fid])):
        if before[flight_id] == after[flight_id]:
            continue
        old_facts, new_facts = flight_facts(before[flight_id]), flight_facts(after[flight_id])
        for field in old_facts:
            if field in CREW_FIELDS or old_facts[field] == new_facts[field]:
                continue
            shift = None
            if field in TIME_FIELDS:
                shift = _shift(getattr(before[flight_id], field), getattr(after[flight_id], field))
            changes.append(
                Change(
                    ChangeKind.FLIGHT_CHANGED,
                    flight=flight_id,
                    field=field,
                    old=old_facts[field],
                    new=new_facts[field],
                    shift_days=shift,
                )
            )
    changes += _crew_changes(before, after)
    return changes


def _shift(old: When | None, new: When | None) -> float | None:
    if old is None or new is None:
        return None
    return round((new.seconds - old.seconds) / DAY, 2)


def _crew_changes(before: dict[str, Flight], after: dict[str, Flight]) -> list[Change]:
    """People added to or removed from a crew; one taken off a flight and put on another is one move."""
    changes: list[Change] = []
    both = set(before) & set(after)
    for field in CREW_FIELDS:
        removed: dict[str, list[str]] = defaultdict(list)
        added: dict[str, list[str]] = defaultdict(list)
        for flight_id, flight in before.items():
            for person in getattr(flight, field):
                if flight_id not in after or person not in getattr(after[flight_id], field):
                    removed[person].append(flight_id)
        for flight_id, flight in after.items():
            for person in getattr(flight, field):
                if flight_id not in before or person not in getattr(before[flight_id], field):
                    added[person].append(flight_id)
        for person in sorted(set(removed) | set(added)):
            gone, came = removed.get(person, []), added.get(person, [])
            while gone and came:
                was, now = gone.pop(0), came.pop(0)
                changes.append(
                    Change(ChangeKind.CREW_CHANGED, flight=now, person=person, field=field, old=was, new=now)
                )
            # A person on a flight that itself came or went is part of that change, not another.
            changes += [
                Change(ChangeKind.CREW_CHANGED, flight=f, person=person, field=field, old=f) for f in gone if f in both
            ]
            changes += [
                Change(ChangeKind.CREW_CHANGED, flight=f, person=person, field=field, new=f) for f in came if f in both
            ]
        for flight_id in sorted(both):
            old_crew, new_crew = list(getattr(before[flight_id], field)), list(getattr(after[flight_id], field))
            if old_crew != new_crew and sorted(old_crew) == sorted(new_crew):
                changes.append(
                    Change(ChangeKind.CREW_CHANGED, flight=flight_id, field=field, old=old_crew, new=new_crew)
                )
    return changes


def continuity_impact(old: Manifest, new: Manifest) -> Impact:
    """The rules run on both manifests over the union of their windows, compared finding by finding.

    Where the two are alike up to some instant in the later half of the window and no finding of either
    spans the second after the last event before it, the findings before that second are the same in both
    and are left out of the comparison unjudged: the rules run from there on (a one-line change of the
    last rotation judges months, not decades).
    """
    firsts = [t for t in (old.first, new.first) if t is not None]
    horizons = [t for t in (old.horizon, new.horizon) if t is not None]
    start, end = (min(firsts), max(horizons)) if firsts and horizons else (None, None)
    cut = _alike_until(old, new, start, end)
    if cut is not None:
        before, after = check_continuity(old, cut, end), check_continuity(new, cut, end)
        if not any(finding.start == cut for finding in (*before.findings, *after.findings)):
            return compare_findings(before, after)._replace(start=start, end=end)
    before = check_continuity(old, start, end)
    after = check_continuity(new, start, end)
    return compare_findings(before, after)


_TRIED_AFTER = 0.5  # the part of the window a cut must lie past to be tried


def _alike_until(old: Manifest, new: Manifest, start: int | None, end: int | None) -> int | None:
    """A second in the later half of [start, end) before which the two manifests make the same station, just
    after an event and at no instant anything happens; None where there is none."""
    if start is None or end is None:
        return None
    if _context(old) != _context(new):
        return None  # people, vehicles, agencies, the station or agreements changed: they count everywhere
    before = {flight.id: flight for flight in old.flights}
    after = {flight.id: flight for flight in new.flights}
    differ = [
        flight
        for flight_id in before.keys() | after.keys()
        if before.get(flight_id) != after.get(flight_id)
        for flight in (before.get(flight_id), after.get(flight_id))
        if flight is not None
    ]
    if not differ:
        return None
    alike_until = min(min(flight.launch.earliest, flight.dock.earliest) for flight in differ)
    if alike_until - start < (end - start) * _TRIED_AFTER:
        return None  # most of the window is judged anyway: not worth the risk of judging it twice
    # A changed crew pairs its people's stays anew: one that began earlier and now ends elsewhere counts
    # from its start. Everyone else's flights, and so their stays, are the same.
    people = {person for flight in differ for person in (*flight.up, *flight.down)}
    for key in _stays_of(old, people) ^ _stays_of(new, people):
        alike_until = min(alike_until, key[4].earliest)
    instants = {
        point
        for manifest in (old, new)
        for flight in manifest.flights
        for when in _moments(flight)
        for point in (when.earliest, when.latest)
    }
    instants |= {
        point
        for agreement in old.agreements
        for when in (agreement.start, agreement.until)
        if when is not None
        for point in (when.earliest, when.latest)
    }
    last = max((point for point in instants if start <= point < alike_until), default=None)
    if last is None or last + 1 in instants:
        return None
    return last + 1


def _stays_of(manifest: Manifest, people: set[str]) -> set[tuple[str, str, str, str | None, When, When | None]]:
    """These people's stays, as values: paired on their flights alone (each person's pairing is their own)."""
    flights = tuple(
        flight._replace(
            up=tuple(person for person in flight.up if person in people),
            down=tuple(person for person in flight.down if person in people),
        )
        for flight in manifest.flights
        if people.intersection(flight.up) or people.intersection(flight.down)
    )
    return {_stay_key(stay) for stay in pair_stays(manifest._replace(flights=flights)).stays}


def _context(manifest: Manifest) -> tuple[object, ...]:
    """What the rules read besides the flights (not the expeditions, which follow from them, nor the source)."""
    return (
        manifest.format,
        manifest.station,
        manifest.agencies,
        manifest.vehicles,
        manifest.people,
        manifest.agreements,
    )


def _moments(flight: Flight) -> list[When]:
    found = [flight.launch, flight.dock]
    found += [when for when in (flight.undock, flight.landing, flight.grounded) if when is not None]
    found += [when for relocation in flight.relocations for when in (relocation.start, relocation.end)]
    return found


def _stay_key(stay: Stay) -> tuple[str, str, str, str | None, When, When | None]:
    return (stay.person, stay.agency, stay.arrived_on, stay.returns_on, stay.start, stay.end)


def compare_findings(before: Check, after: Check) -> Impact:
    """Findings only in `after` are introduced, only in `before` resolved; overlapping ones that moved are changed.

    A finding is the same when its rule, subject, window and severity are; its wording may differ.
    """
    by_subject: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in before.findings:
        by_subject[(finding.rule, finding.subject)].append(finding)
    used: set[int] = set()
    introduced: list[Finding] = []
    changed: list[tuple[Finding, Finding]] = []
    for finding in after.findings:
        candidates = [f for f in by_subject.get((finding.rule, finding.subject), ()) if id(f) not in used]
        same = next((f for f in candidates if _identity(f) == _identity(finding)), None)
        moved = same or next((f for f in candidates if _overlap(f, finding)), None)
        if moved is None:
            introduced.append(finding)
            continue
        used.add(id(moved))
        if same is None:
            changed.append((moved, finding))
    resolved = tuple(finding for finding in before.findings if id(finding) not in used)
    return Impact(tuple(introduced), resolved, tuple(changed), after.start, after.end)


def _identity(finding: Finding) -> tuple[str, str, int, int | None, str]:
    return (finding.rule, finding.subject, finding.start, finding.end, finding.severity)


def _overlap(one: Finding, other: Finding) -> bool:
    return (other.end is None or one.start < other.end) and (one.end is None or other.start < one.end)
