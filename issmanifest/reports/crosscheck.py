"""Hold a manifest against a public feed: who is aboard, what is docked where and when.

`crosscheck(manifest, feed, at)` compares what the manifest says at the instant `at`
with what the feed says (a docking-event list carries its own times), and returns
typed disagreements, each saying which side the facts suggest lags, and notes
(spellings matched loosely, people on other stations, facts only one side has).
The matching rules (names of people, flights, ports) are in this module, each in one
function, and documented in docs/crosscheck.md.
"""

import enum
import re
import shlex
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from issmanifest.engine.stays import Stay, pair_stays
from issmanifest.engine.timeline import Placement, build_timeline
from issmanifest.manifest.model import DAY, Flight, Manifest, When, iso
from issmanifest.reports.feeds import Aboard, DockedVehicle, DockingEvent, Feed, FeedKind

HOUR = 3600
RECENT = 2 * DAY  # feeds are edited hours to a day after an event: a change this recent may not be in them yet
NEAR = DAY  # how far outside a flight's docked span a feed's time may fall and still be matched to it


class Side(enum.StrEnum):
    """Which side the facts suggest is behind or wrong."""

    FEED = "feed"
    MANIFEST = "manifest"
    UNCLEAR = "unclear"


class Subject(enum.StrEnum):
    PERSON = "person"  # aboard on one side only
    SPACECRAFT = "spacecraft"  # the vehicle the feed ties a person to
    VEHICLE = "vehicle"  # a flight docked on one side only
    PORT = "port"
    CREW_COUNT = "crew-count"
    DOCK = "dock"  # a docking time
    UNDOCK = "undock"  # an undocking time
    RELOCATION = "relocation"  # a move between ports
    SPELLING = "spelling"  # a name matched only loosely (notes only)
    ELSEWHERE = "elsewhere"  # people on another station (notes only)
    PRECISION = "precision"  # a time the manifest knows only to the day (notes only)


class Disagreement(NamedTuple):
    """One fact on which the feed and the manifest differ."""

    subject: Subject
    about: str  # the person, the flight id, or the feed's vehicle name
    feed: str  # what the feed says
    manifest: str  # what the manifest says
    lags: Side  # which side the facts suggest is behind or wrong
    reason: str  # the facts behind `lags`
    flight: str | None = None  # the manifest flight concerned
    record: str | None = None  # the `issmanifest record` command that takes the feed's fact, where it carries one

    def __str__(self) -> str:
        return (
            f"{self.subject} {self.about}: feed {self.feed}; manifest {self.manifest} ({self.lags} lags: {self.reason})"
        )


class Note(NamedTuple):
    """Something worth knowing that is not a disagreement."""

    subject: Subject
    about: str
    text: str
    flight: str | None = None
    record: str | None = None

    def __str__(self) -> str:
        return f"{self.subject} {self.about}: {self.text}"


class CrossCheck(NamedTuple):
    feed: Feed
    at: int
    tolerance: int
    disagreements: tuple[Disagreement, ...]
    notes: tuple[Note, ...]
    matched: tuple[tuple[str, str], ...]  # (the feed's vehicle or event name, flight id) pairs it matched

    @property
    def agrees(self) -> bool:
        return not self.disagreements

    @property
    def headline(self) -> str:
        count = len(self.disagreements)
        if not count:
            return f"the manifest agrees with {self.feed.source}"
        return f"{count} disagreement{'s' if count != 1 else ''} with {self.feed.source}"


# -- names of people --------------------------------------------------------------------------


def fold_name(name: str) -> str:
    """A name compared loosely: no case, diacritics, punctuation or one-letter initials; spaces single."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    words = re.sub(r"[^0-9a-z]+", " ", text).split()
    return " ".join(word for word in words if len(word) > 1 or word.isdigit())


def edit_distance(first: str, second: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions."""
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i]
        for j, b in enumerate(second, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


def _close(first: str, second: str) -> bool:
    """Two words a typo apart: one edit in a short word, two from eight letters."""
    return edit_distance(first, second) <= (2 if min(len(first), len(second)) >= 8 else 1)


class NameMatch(NamedTuple):
    person: str  # the manifest's person id
    exact: bool  # False: matched by family name and edit distance only (a spelling note)


def match_person(name: str, candidates: dict[str, str]) -> NameMatch | None:
    """The manifest person (id -> name in `candidates`) a feed's name stands for.

    First the names as `fold_name` reads them, with or without the spaces; then the family
    name (the last word) a typo apart, and when that leaves several, the given name too
    (a typo apart, or one the start of the other: "Suni" for "Sunita").
    """
    folded = fold_name(name)
    for person, other in candidates.items():
        theirs = fold_name(other)
        if folded == theirs or folded.replace(" ", "") == theirs.replace(" ", ""):
            return NameMatch(person, exact=True)
    words = folded.split()
    if not words:
        return None
    family = [
        person
        for person, other in candidates.items()
        if (family_name := fold_name(other).split()[-1:]) and _close(words[-1], family_name[0])
    ]
    if len(family) > 1:
        given = words[0]
        family = [
            person
            for person in family
            if (first := fold_name(candidates[person]).split()[0])
            and (_close(given, first) or first.startswith(given) or given.startswith(first))
        ]
    return NameMatch(family[0], exact=False) if len(family) == 1 else None


# -- flights ------------------------------------------------------------------------------------

_FAMILIES = (
    ("space shuttle", "Space Shuttle"),
    ("shuttle", "Space Shuttle"),
    ("crew dragon", "Crew Dragon"),
    ("starliner", "Starliner"),
    ("soyuz", "Soyuz"),
    ("shenzhou", "Shenzhou"),
)
_ORBITERS = ("atlantis", "discovery", "endeavour", "columbia", "challenger")


def flight_slug(name: str) -> str:
    """A feed's flight or vehicle name as a manifest id would spell it.

    "Soyuz MS-17" is soyuz-ms-17, "Crew-12 Dragon" crew-12, "SpaceX Crew-1" crew-1,
    "Axiom Mission 3" ax-3; leading zeros of numbers are dropped on both sides.
    """
    text = fold_name(name).replace(" ", "-")
    text = re.sub(r"^spacex-", "", text)
    text = re.sub(r"-dragon$", "", text)
    text = re.sub(r"^axiom-mission-", "ax-", text)
    return re.sub(r"(?<![0-9])0+(?=[0-9])", "", text)


def vehicle_family(name: str) -> str | None:
    """The crew vehicle a feed's name is of: Soyuz, Space Shuttle, Crew Dragon, Starliner; None otherwise."""
    folded = name.casefold()
    if re.match(r"crew-\d+ dragon", folded):
        return "Crew Dragon"
    for word, family in _FAMILIES:
        if word in folded:
            return family
    if any(orbiter in folded for orbiter in _ORBITERS) and "crew dragon" not in folded:
        return "Space Shuttle"
    return None


def match_flight(
    manifest: Manifest, names: Sequence[str | None], *, around: int | None = None, crewed: bool | None = None
) -> Flight | None:
    """The manifest flight a feed's vehicle stands for: the one place the flight-matching rules live.

    1. A name (LL2's launch name "Crew-8", its spacecraft "Soyuz MS-25", corquaid's "Crew-12 Dragon")
       that spells a flight id (`flight_slug`).
    2. Otherwise, for a vehicle named by its craft rather than its flight ("Crew Dragon Resilience",
       "Space Shuttle Atlantis", a Starliner): the flight of that vehicle docked at `around` (within a day of its
       docked span), the nearest docking first.
    Cargo (`crewed` False) matches nothing.
    """
    if crewed is False:
        return None
    by_slug = {flight_slug(flight.id): flight for flight in manifest.flights}
    for name in names:
        if name and (found := by_slug.get(flight_slug(name))) is not None:
            return found
    if around is None:
        return None
    families = {family for name in names if name and (family := vehicle_family(name))}
    if not families <= {"Space Shuttle", "Crew Dragon", "Starliner"} or any(
        name and re.match(r"(crew|ax)-\d+$", flight_slug(name)) for name in names
    ):
        return None  # a Soyuz, or a Dragon named by its flight, is named for its flight: no guessing by time
    candidates = [
        flight
        for flight in manifest.flights
        if any(flight.vehicle.startswith(family) for family in families)
        and flight.dock.seconds - NEAR <= around
        and (flight.undock is None or around <= flight.undock.latest + NEAR)
    ]
    return min(candidates, key=lambda flight: abs(flight.dock.seconds - around), default=None)


# -- ports --------------------------------------------------------------------------------------

_MODULES = {
    "node 1": "unity",
    "node 2": "harmony",
    "node 3": "tranquility",
    "mrm1": "rassvet",
    "mrm 1": "rassvet",
    "mrm2": "poisk",
    "mrm 2": "poisk",
    "sm": "zvezda",
    "service module": "zvezda",
    "fgb": "zarya",
    "dc1": "pirs",
    "dc 1": "pirs",
    "mlm": "nauka",
    "nodal module": "prichal",
}
_SIDES = {"space facing": "zenith", "earth facing": "nadir", "aft": "aft", "rear": "aft", "front": "forward"}
_SIDE_WORDS = ("forward", "aft", "zenith", "nadir", "port", "starboard")


def split_port(port: str) -> tuple[str, str | None]:
    """A port as (module, side): "Rassvet nadir" is ("rassvet", "nadir"), "Rassvet" ("rassvet", None)."""
    text = re.sub(r"[^0-9a-z]+", " ", port.casefold()).strip()
    for phrase, word in _SIDES.items():
        text = re.sub(rf"\b{phrase}\b", word, text)
    words = text.split()
    side = words.pop() if len(words) > 1 and words[-1] in _SIDE_WORDS else None
    module = " ".join(words)
    return _MODULES.get(module, module), side


def same_port(first: str, second: str) -> bool:
    """Whether two ports can be the same, as specific as each side knows: "Rassvet" is "Rassvet nadir"."""
    (module, side), (other_module, other_side) = split_port(first), split_port(second)
    return module == other_module and (side is None or other_side is None or side == other_side)


# -- the comparison -------------------------------------------------------------------------------


class Berth(NamedTuple):
    """A flight at one port, from a docking (or the end of a relocation) to an undocking (or a move)."""

    port: str | None
    start: When
    end: When | None
    start_field: str  # "dock" or "relocations"
    end_field: str  # "undock" or "relocations"


def berths(flight: Flight) -> list[Berth]:
    """The flight's stays at its ports, relocations splitting its docking."""
    result = []
    port, start, start_field = flight.port, flight.dock, "dock"
    for relocation in flight.relocations:
        result.append(Berth(port, start, relocation.start, start_field, "relocations"))
        port, start, start_field = relocation.port, relocation.end, "relocations"
    result.append(Berth(port, start, flight.undock, start_field, "undock"))
    return result


def record_command(flight: str, **values: str) -> str:
    """The `issmanifest record` command that writes these values into the flight."""
    options = " ".join(f"--{name} {shlex.quote(value)}" for name, value in values.items())
    return f"issmanifest record {shlex.quote(flight)} {options}"


def central_european_offset(seconds: int) -> int:
    """The offset of Central European time (UTC+1, UTC+2 in summer, EU rules) at an instant."""
    moment = datetime.fromtimestamp(seconds, UTC)
    start = _last_sunday(moment.year, 3)
    end = _last_sunday(moment.year, 10)
    return 2 * HOUR if start <= moment < end else HOUR


def _last_sunday(year: int, month: int) -> datetime:
    last = datetime(year, month, 31, 1, tzinfo=UTC)
    return last - timedelta(days=(last.weekday() + 1) % 7)


class _Checker:
    """One comparison: gathers findings as it goes."""

    def __init__(self, manifest: Manifest, feed: Feed, at: int, tolerance: int) -> None:
        self.manifest, self.feed, self.at, self.tolerance = manifest, feed, at, tolerance
        self.disagreements: list[Disagreement] = []
        self.notes: list[Note] = []
        self.matched: list[tuple[str, str]] = []
        self.flights = {flight.id: flight for flight in manifest.flights}

    def disagree(
        self,
        subject: Subject,
        about: str,
        feed: str,
        manifest: str,
        lags: Side,
        reason: str,
        *,
        flight: str | None = None,
        record: str | None = None,
    ) -> None:
        self.disagreements.append(Disagreement(subject, about, feed, manifest, lags, reason, flight, record))

    def note(
        self, subject: Subject, about: str, text: str, *, flight: str | None = None, record: str | None = None
    ) -> None:
        self.notes.append(Note(subject, about, text, flight, record))

    # -- the instant: people, vehicles, ports, the count

    def snapshot(self) -> None:
        feed = self.feed
        segment = build_timeline(self.manifest, Placement.NOMINAL, since=self.at).at(self.at)
        aboard = () if segment is None else (*segment.aboard, *segment.riding)
        docked = () if segment is None else segment.docked
        if feed.people:
            self.people(aboard)
        elsewhere = feed.elsewhere
        if elsewhere:
            stations = sorted({person.station for person in elsewhere})
            self.note(
                Subject.ELSEWHERE,
                ", ".join(stations),
                f"{len(elsewhere)} people on {', '.join(stations)} in the feed, counted apart",
            )
        if feed.lists_docked:
            self.vehicles({docking.flight.id: docking.port for docking in docked})
        if feed.crew_count is not None:
            self.crew_count(len({stay.person for stay in aboard}))

    def people(self, aboard: Iterable[Stay]) -> None:
        stays = {stay.person: stay for stay in aboard}
        names = {person: self.manifest.people[person].name for person in stays}
        unmatched = dict(names)
        for person in self.feed.iss_people:
            match = match_person(person.name, unmatched)
            if match is None:
                self.person_not_in_manifest(person)
                continue
            del unmatched[match.person]
            if not match.exact:
                self.note(
                    Subject.SPELLING,
                    person.name,
                    f'"{person.name}" in the feed is {names[match.person]} ({match.person}) in the manifest',
                )
            if person.spacecraft:
                self.spacecraft(person, stays[match.person])
        if self.feed.lists_everyone:
            for missing in unmatched:
                self.person_not_in_feed(stays[missing])

    def person_not_in_manifest(self, person: Aboard) -> None:
        everyone = {key: value.name for key, value in self.manifest.people.items()}
        match = match_person(person.name, everyone)
        stays = [stay for stay in pair_stays(self.manifest).stays if match and stay.person == match.person]
        before = [stay for stay in stays if stay.end is not None and stay.end.seconds <= self.at]
        after = [stay for stay in stays if stay.start.seconds > self.at]
        lags, reason = Side.MANIFEST, "no flight in the manifest has them aboard then"
        if match is None:
            reason = "the manifest does not know them"
        elif after and (not before or after[0].start.seconds - self.at < self.at - before[-1].end.seconds):  # type: ignore[union-attr]
            stay = after[0]
            if self.flights[stay.arrived_on].arrival_unsure:
                reason = f"the manifest has them arriving on {stay.arrived_on} at {stay.start} (unconfirmed)"
            else:
                lags = Side.FEED
                reason = f"the manifest has them arriving on {stay.arrived_on} at {stay.start} (confirmed)"
        elif before:
            stay = before[-1]
            home = self.flights[stay.returns_on] if stay.returns_on else None
            left = f"leaving on {stay.returns_on} at {stay.end}"
            if home is not None and home.departure_unsure:
                reason = f"the manifest has them {left} (unconfirmed)"
            else:
                lags = Side.FEED
                reason = f"the manifest has them {left} (confirmed): the feed was not updated"
        self.disagree(Subject.PERSON, person.name, "aboard", "not aboard", lags, reason)

    def person_not_in_feed(self, stay: Stay) -> None:
        name = self.manifest.people[stay.person].name
        arrival = self.flights[stay.arrived_on]
        home = self.flights[stay.returns_on] if stay.returns_on else None
        since = self.at - stay.start.seconds
        if since < RECENT:
            lags = Side.FEED
            reason = (
                f"arrived on {stay.arrived_on} at {stay.start}, {_span(since)} before: the feed was not updated yet"
            )
        elif home is None or home.departure_unsure:
            lags = Side.MANIFEST
            reason = "the manifest's flight home is not confirmed: they may have left"
        elif arrival.arrival_unsure:
            lags = Side.MANIFEST
            reason = f"the manifest's arrival on {stay.arrived_on} is not confirmed"
        else:
            lags = Side.FEED
            reason = f"the manifest's arrival on {stay.arrived_on} and return on {home.id} are confirmed"
        self.disagree(
            Subject.PERSON, name, "not aboard", f"aboard ({stay.arrived_on})", lags, reason, flight=stay.arrived_on
        )

    def spacecraft(self, person: Aboard, stay: Stay) -> None:
        assert person.spacecraft is not None
        flight = match_flight(self.manifest, [person.spacecraft], around=self.at)
        if flight is not None and flight.id in (stay.arrived_on, stay.returns_on):
            return
        home = stay.returns_on or "no flight yet"
        self.disagree(
            Subject.SPACECRAFT,
            person.name,
            person.spacecraft,
            f"up on {stay.arrived_on}, home on {home}",
            Side.FEED if flight is not None else Side.UNCLEAR,
            "the feed's vehicle is neither their flight up nor their flight home"
            if flight is not None
            else "no manifest flight has the feed's name",
            flight=stay.arrived_on,
        )

    def vehicles(self, docked: dict[str, str | None]) -> None:
        seen: set[str] = set()
        for vehicle in self.feed.docked:
            names = [vehicle.mission, vehicle.name]
            flight = match_flight(self.manifest, names, around=vehicle.docked or self.at, crewed=vehicle.crewed)
            if flight is None:
                self.unmatched_vehicle(vehicle, docked)
                continue
            self.matched.append((vehicle.name, flight.id))
            seen.add(flight.id)
            if flight.id not in docked:
                self.vehicle_not_in_manifest(vehicle, flight)
            else:
                self.docked_vehicle(vehicle, flight)
        for flight_id in docked:
            if flight_id not in seen:
                self.vehicle_not_in_feed(self.flights[flight_id])

    def unmatched_vehicle(self, vehicle: DockedVehicle, docked: dict[str, str | None]) -> None:
        if vehicle.crewed or (vehicle.crewed is None and vehicle_family(vehicle.name)):
            self.disagree(
                Subject.VEHICLE,
                vehicle.name,
                f"docked at {vehicle.port or 'a port it does not name'}",
                "no such flight",
                Side.MANIFEST,
                "no manifest flight has that name, nor docked then with that vehicle",
            )
            return
        if vehicle.port is None:
            return
        for flight_id, port in docked.items():
            if port is not None and same_port(port, vehicle.port):
                self.disagree(
                    Subject.PORT,
                    vehicle.name,
                    f"{vehicle.name} (cargo) at {vehicle.port}",
                    f"{flight_id} at {port}",
                    Side.UNCLEAR,
                    "a cargo vehicle on the port of a crewed one: one side has the wrong port",
                    flight=flight_id,
                )

    def vehicle_not_in_manifest(self, vehicle: DockedVehicle, flight: Flight) -> None:
        if flight.dock.seconds > self.at:
            what = f"docks at {flight.dock}"
            unsure = flight.unsure_of("launch", "dock")
            record = record_command(flight.id, dock=iso(vehicle.docked)) if vehicle.docked and unsure else None
        else:
            what = f"undocked at {flight.undock}"
            unsure = flight.unsure_of("undock")
            record = None
        lags = Side.MANIFEST if unsure else Side.FEED
        reason = f"the manifest's time is {'unconfirmed' if unsure else 'confirmed'}"
        self.disagree(
            Subject.VEHICLE, flight.id, f"docked at {vehicle.port}", what, lags, reason, flight=flight.id, record=record
        )

    def vehicle_not_in_feed(self, flight: Flight) -> None:
        since = self.at - flight.dock.seconds
        if since < RECENT:
            lags, reason = Side.FEED, f"docked at {flight.dock}, {_span(since)} before: the feed was not updated yet"
        elif flight.unsure_of("undock"):
            lags, reason = Side.MANIFEST, "the manifest's undocking is not confirmed: it may have left"
        else:
            lags, reason = Side.FEED, "the manifest's docking and undocking are confirmed"
        self.disagree(
            Subject.VEHICLE, flight.id, "not docked", f"docked since {flight.dock}", lags, reason, flight=flight.id
        )

    def docked_vehicle(self, vehicle: DockedVehicle, flight: Flight) -> None:
        """A vehicle docked on both sides: its port, and when it came to it."""
        spans = berths(flight)
        current = next(
            (
                index
                for index, berth in enumerate(spans)
                if berth.start.seconds <= self.at and (berth.end is None or self.at < berth.end.latest)
            ),
            len(spans) - 1,
        )
        berth = spans[current]
        when = vehicle.docked
        earlier = [
            index
            for index, other in enumerate(spans[:current])
            if when is not None and (self.close(when, other.start) or self.zone_slip(when, other.start))
        ]
        if earlier and berth.port is not None and vehicle.port is not None and not same_port(vehicle.port, berth.port):
            first = spans[earlier[0]]
            self.disagree(
                Subject.PORT,
                flight.id,
                f"{vehicle.port}, docked {iso(when)}" if when else vehicle.port,
                f"{berth.port} since {berth.start}",
                Side.FEED,
                f"the manifest has it moved from {first.port} to {berth.port} at {berth.start}: "
                "the feed still shows its earlier docking",
                flight=flight.id,
            )
            return
        if (
            when is not None
            and when > berth.start.latest + NEAR
            and (berth.port is None or vehicle.port is None or not same_port(vehicle.port, berth.port))
        ):
            self.disagree(
                Subject.RELOCATION,
                flight.id,
                f"at {vehicle.port} since {iso(when)}",
                f"at {berth.port or 'a port it does not name'} since {berth.start}",
                Side.MANIFEST,
                f"the feed has it arrive at its port {_span(when - berth.start.seconds)} after the manifest does: "
                "a relocation the manifest lacks",
                flight=flight.id,
            )
            return
        self.port(vehicle.port, flight, berth.port, current)
        if when is not None and not earlier:
            self.time(Subject.DOCK if current == 0 else Subject.RELOCATION, flight, when, berth.start)

    def port(self, port: str | None, flight: Flight, ours: str | None, berth: int) -> None:
        if port is None:
            return
        if ours is None:
            record = record_command(flight.id, port=port) if berth == 0 else None
            self.disagree(
                Subject.PORT, flight.id, port, "no port", Side.MANIFEST, "the manifest does not give the port",
                flight=flight.id, record=record,
            )  # fmt: skip
        elif not same_port(port, ours):
            unsure = flight.unsure_of("port" if berth == 0 else "relocations")
            self.disagree(
                Subject.PORT,
                flight.id,
                port,
                ours,
                Side.MANIFEST if unsure else Side.UNCLEAR,
                "the manifest's port is unconfirmed" if unsure else "both sides name a port",
                flight=flight.id,
                record=record_command(flight.id, port=port) if berth == 0 else None,
            )

    def close(self, seconds: int, when: When) -> bool:
        return when.seconds - self.tolerance <= seconds <= when.latest + self.tolerance

    def zone_slip(self, seconds: int, when: When) -> int | None:
        """corquaid's hours early (the UTC time written as Central European time), if that explains a time."""
        if self.feed.kind not in (FeedKind.PEOPLE_IN_SPACE, FeedKind.DOCKED_SPACECRAFT):
            return None
        offset = central_european_offset(when.seconds)
        return offset if self.close(seconds + offset, when) else None

    def time(
        self,
        subject: Subject,
        flight: Flight,
        seconds: int,
        ours: When | None,
    ) -> None:
        """A docking or undocking time on both sides (`ours` None: the manifest has none)."""
        field = {Subject.DOCK: "dock", Subject.UNDOCK: "undock"}.get(subject)
        record = record_command(flight.id, **{field: iso(seconds)}) if field else None
        if ours is None:
            self.disagree(
                subject, flight.id, iso(seconds), "none", Side.MANIFEST, "the manifest does not have it yet",
                flight=flight.id, record=record,
            )  # fmt: skip
            return
        if self.close(seconds, ours):
            if ours.date_only:
                self.note(
                    Subject.PRECISION,
                    flight.id,
                    f"the feed gives the {subject} time {iso(seconds)}; the manifest has the day only ({ours})",
                    flight=flight.id,
                    record=record,
                )
            return
        field_name = field or "relocations"
        unsure = flight.unsure_of(field_name)
        lags, reason = (
            (Side.MANIFEST, "the manifest's time is unconfirmed")
            if unsure
            else (Side.UNCLEAR, "both sides give a time")
        )
        offset = self.zone_slip(seconds, ours)
        if offset is not None:
            lags = Side.FEED
            reason = (
                f"the feed's time is {_span(offset)} early: the UTC time written as Central European time "
                "(a known corquaid error)"
            )
        self.disagree(
            subject, flight.id, iso(seconds), f"{ours} ({_signed(seconds - ours.seconds)} apart)", lags, reason,
            flight=flight.id, record=None if lags is Side.FEED else record,
        )  # fmt: skip

    def crew_count(self, ours: int) -> None:
        count = self.feed.crew_count
        if count is None or count == ours:
            return
        recent = [
            stay
            for stay in pair_stays(self.manifest).stays
            if 0 <= self.at - stay.start.seconds < RECENT
            or (stay.end is not None and 0 <= self.at - stay.end.seconds < RECENT)
        ]
        if recent and abs(count - ours) <= len(recent):
            flights = sorted(
                {stay.arrived_on if stay.start.seconds <= self.at else str(stay.returns_on) for stay in recent}
            )
            lags, reason = Side.FEED, f"{len(recent)} people came or went in the two days before ({', '.join(flights)})"
        else:
            lags, reason = Side.UNCLEAR, "no arrival or departure in the two days before explains it"
        self.disagree(Subject.CREW_COUNT, "onboard crew", str(count), str(ours), lags, reason)

    # -- docking events: each flight's dockings over time

    def events(self) -> None:
        by_flight: dict[str, list[DockingEvent]] = {}
        begins = min((flight.dock.seconds for flight in self.manifest.flights), default=0) - NEAR
        before = []
        for event in self.feed.events:
            if event.station and "international space station" not in event.station.casefold():
                continue
            if event.docking < begins:
                before.append(event)
                continue
            flight = match_flight(
                self.manifest, [event.mission, event.vehicle], around=event.docking, crewed=event.crewed
            )
            if flight is None:
                if event.crewed or (event.crewed is None and vehicle_family(event.vehicle)):
                    self.disagree(
                        Subject.VEHICLE,
                        event.vehicle,
                        f"docked at {event.port} {iso(event.docking)}",
                        "no such flight",
                        Side.UNCLEAR,
                        "no manifest flight has that name, nor docked then with that vehicle "
                        "(the manifest lists crewed flights)",
                    )
                continue
            self.matched.append((event.vehicle, flight.id))
            by_flight.setdefault(flight.id, []).append(event)
        if before:
            self.note(
                Subject.VEHICLE,
                "before the manifest",
                f"{len(before)} docking(s) before the manifest's first flight, not compared: "
                + ", ".join(f"{event.vehicle} {iso(event.docking)}" for event in before),
            )
        for flight_id, events in by_flight.items():
            self.flight_events(self.flights[flight_id], sorted(events, key=lambda event: event.docking))

    def flight_events(self, flight: Flight, events: list[DockingEvent]) -> None:
        spans = berths(flight)
        if len(events) == 1 and len(spans) > 1:
            event = events[0]
            self.note(
                Subject.RELOCATION,
                flight.id,
                f"the feed has one docking ({event.port}) where the manifest has {len(spans) - 1} relocation(s)",
                flight=flight.id,
            )
            self.port(event.port, flight, spans[0].port, 0)
            self.time(Subject.DOCK, flight, event.docking, spans[0].start)
            if event.departure is not None:
                self.time(Subject.UNDOCK, flight, event.departure, flight.undock)
            return
        pairs: list[tuple[DockingEvent, Berth | None, int]] = []
        if len(events) == len(spans):
            pairs = [(event, spans[index], index) for index, event in enumerate(events)]
        else:
            free = list(range(len(spans)))
            for event in events:
                index = min(free, key=lambda i: abs(spans[i].start.seconds - event.docking), default=None)
                if index is not None and (len(events) < len(spans) or self.close(event.docking, spans[index].start)):
                    free.remove(index)
                    pairs.append((event, spans[index], index))
                else:
                    pairs.append((event, None, -1))
        for event, berth, index in pairs:
            if berth is None:
                self.disagree(
                    Subject.RELOCATION,
                    flight.id,
                    f"at {event.port} from {iso(event.docking)}",
                    f"{len(spans) - 1} relocation(s)",
                    Side.MANIFEST,
                    "the feed has a docking the manifest lacks: a relocation",
                    flight=flight.id,
                )
                continue
            self.port(event.port, flight, berth.port, index)
            self.time(Subject.DOCK if index == 0 else Subject.RELOCATION, flight, event.docking, berth.start)
            if event.departure is not None:
                last = index == len(spans) - 1
                self.time(Subject.UNDOCK if last else Subject.RELOCATION, flight, event.departure, berth.end)


def crosscheck(manifest: Manifest, feed: Feed, at: int, tolerance: int = 600) -> CrossCheck:
    """Compare a manifest at the instant `at` (seconds, UTC) with a feed; times agree within `tolerance` seconds.

    A docking-event list is compared over all its times; `at` is used for the rest.

        >>> result = crosscheck(load_manifest("manifests/iss.toml"), read_feed(data, source="astros.json"), at)
        >>> result.agrees, [str(d) for d in result.disagreements]
    """
    checker = _Checker(manifest, feed, at, tolerance)
    if feed.people or feed.lists_docked or feed.crew_count is not None:
        checker.snapshot()
    if feed.events:
        checker.events()
    return CrossCheck(
        feed=feed,
        at=at,
        tolerance=tolerance,
        disagreements=tuple(checker.disagreements),
        notes=tuple(checker.notes),
        matched=tuple(checker.matched),
    )


def _span(seconds: int) -> str:
    seconds = abs(seconds)
    if seconds >= 2 * DAY:
        return f"{seconds // DAY} days"
    if seconds >= 2 * HOUR:
        return f"{seconds // HOUR} h"
    if seconds >= HOUR:
        hours, minutes = divmod(seconds // 60, 60)
        return f"{hours} h" if not minutes else f"{hours} h {minutes} min"
    return f"{seconds // 60} min"


def _signed(seconds: int) -> str:
    return ("+" if seconds >= 0 else "-") + _span(seconds)


class CrossChecks(NamedTuple):
    """One manifest held against several feeds, each compared on its own."""

    at: int
    results: tuple[CrossCheck, ...]

    @property
    def agrees(self) -> bool:
        return all(result.agrees for result in self.results)

    @property
    def disagreeing(self) -> int:
        return sum(len(result.disagreements) for result in self.results)


def record_values(command: str) -> tuple[str, dict[str, str]]:
    """The flight and the options (without their dashes) of a command `record_command` wrote."""
    words = shlex.split(command)
    options = words[3:]
    return words[2], {name.removeprefix("--"): value for name, value in zip(options[::2], options[1::2], strict=True)}
