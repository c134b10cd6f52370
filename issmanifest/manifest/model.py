"""A manifest as plain values: what the file says, checked, with no I/O.

Values are immutable records, `NamedTuple`s rather than frozen dataclasses: on
Python 3.11 a frozen dataclass compiles its methods at import, about 0.7 ms a
class, and some thirty of them were a fifth of the start-up of every call
(docs/performance.md); a `NamedTuple` is made in a fraction of that, with the
same immutability, equality, hashing and repr. Modules that define them do
without `from __future__ import annotations`, because `NamedTuple` compiles
every annotation written as a string.
"""

import functools
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

DAY = 86_400
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class When(NamedTuple):
    """A moment as a manifest writes it: to the second, or only to the day.

    `seconds` counts from the Unix epoch, UTC; a date alone stands at 00:00 UTC
    of that day and leaves the whole day open.
    """

    seconds: int
    date_only: bool = False

    @classmethod
    def of(cls, value: datetime | date) -> "When":
        if isinstance(value, datetime):
            return cls(int((value - EPOCH).total_seconds()))
        return cls(
            int((datetime(value.year, value.month, value.day, tzinfo=UTC) - EPOCH).total_seconds()), date_only=True
        )

    @property
    def earliest(self) -> int:
        return self.seconds

    @property
    def latest(self) -> int:
        """The last moment the value may stand for: the end of its day when only the date is known."""
        return self.seconds + DAY if self.date_only else self.seconds

    def to_datetime(self) -> datetime:
        return EPOCH + timedelta(seconds=self.seconds)

    def to_value(self) -> datetime | date:
        """The value as TOML writes it back: a date, or a UTC date-time."""
        moment = self.to_datetime()
        return moment.date() if self.date_only else moment

    def iso(self) -> str:
        return iso_date(self.seconds) if self.date_only else iso(self.seconds)

    def __str__(self) -> str:
        return self.iso()


EARLIEST = When.of(datetime(1957, 10, 4, tzinfo=UTC))
LATEST = When.of(datetime(3000, 1, 1, tzinfo=UTC))


def date_range() -> str:
    """The range every date must lie in, as messages say it."""
    return f"from {EARLIEST.iso()[:10]} to {When(LATEST.seconds - DAY, date_only=True).iso()}"


def iso(seconds: int) -> str:
    """ISO 8601 in UTC with a Z, to the second: `2022-09-21T13:54:00Z`."""
    if seconds in _FOUR_DIGITS:  # by hand, a fifth of strftime's time: JSON output writes one per event
        day, rest = divmod(seconds, DAY)
        hour, rest = divmod(rest, 3600)
        minute, second = divmod(rest, 60)
        return f"{_day(day)}T{_TWO[hour]}:{_TWO[minute]}:{_TWO[second]}Z"
    return _utc(seconds, "%Y-%m-%dT%H:%M:%SZ")


def iso_date(seconds: int) -> str:
    if seconds in _FOUR_DIGITS:
        return _day(seconds // DAY)
    return _utc(seconds, "%Y-%m-%d")


_TWO = tuple(f"{number:02d}" for number in range(60))
_EPOCH_DAY = EPOCH.date().toordinal()


@functools.lru_cache(maxsize=4096)
def _day(day: int) -> str:
    """The date of a day counted from the epoch, `2022-09-21` (years 1000 to 9999)."""
    return date.fromordinal(_EPOCH_DAY + day).isoformat()


_CYCLE = 146_097 * DAY  # the Gregorian calendar repeats every 400 years
_FOUR_DIGITS = range(-30_610_224_000, 253_402_300_800)  # 1000-01-01 to the end of 9999, in seconds


def _utc(seconds: int, form: str) -> str:
    if seconds in _FOUR_DIGITS:
        return (EPOCH + timedelta(seconds=seconds)).strftime(form)
    # Through a date of the same 400-year cycle from 1970, with the year written by hand: years past
    # the 1 to 9999 that datetime holds (a date-time with an offset may be there in UTC) are written
    # too, and years before 1000 with their zeros, which strftime leaves out.
    cycles = seconds // _CYCLE
    moment = EPOCH + timedelta(seconds=seconds - cycles * _CYCLE)
    return moment.strftime(form.replace("%Y", f"{moment.year + 400 * cycles:04d}"))


class AgencyName(NamedTuple):
    """A name an agency went by until a date (`until` is the first day of the next name)."""

    name: str
    until: When


class Agency(NamedTuple):
    name: str
    country: str | None = None
    aliases: tuple[str, ...] = ()
    former_names: tuple[AgencyName, ...] = ()

    def name_at(self, seconds: int) -> str:
        """The name the agency went by at an instant."""
        for former in self.former_names:
            if seconds < former.until.seconds:
                return former.name
        return self.name


class Vehicle(NamedTuple):
    name: str
    seats: int
    lifeboat: str = "any"  # "any": a seat for anyone aboard; "assigned": only for its own descent crew
    max_docked_days: float | None = None
    provider: str | None = None  # the agency whose vehicle it is: who provides a seat on it


class Person(NamedTuple):
    id: str
    name: str
    agency: str  # as the manifest writes it: a name, an alias or a former name
    nationality: str


class Relocation(NamedTuple):
    """A move between ports: the vehicle is off the station from `start` to `end`."""

    start: When
    end: When
    port: str | None = None
    crew: tuple[str, ...] | None = None  # who rode along; None: those coming down on the flight


class Flight(NamedTuple):
    id: str
    vehicle: str
    launch: When
    dock: When
    undock: When | None = None
    landing: When | None = None
    port: str | None = None
    relocations: tuple[Relocation, ...] = ()
    up: tuple[str, ...] = ()
    down: tuple[str, ...] = ()
    grounded: When | None = None
    note: str | None = None
    tentative: bool = False
    uncertain: tuple[str, ...] = ()  # fields whose values the sources could not confirm
    agencies: tuple[tuple[str, str], ...] = ()  # (person, agency) for this trip, where it differs from [people]

    def agency_for(self, person: str) -> str | None:
        """The agency a person flew up for on this flight, if the flight says."""
        for who, agency in self.agencies:
            if who == person:
                return agency
        return None

    @property
    def unsure(self) -> bool:
        """Whether any date, port or crew of the flight is unconfirmed."""
        return self.tentative or bool(self.uncertain)

    def events(self) -> Iterator[tuple[str, When]]:
        """Each instant the flight names, with the field that names it."""
        yield "launch", self.launch
        yield "dock", self.dock
        for relocation in self.relocations:
            yield "relocations", relocation.start
            yield "relocations", relocation.end
        for name in ("undock", "landing", "grounded"):
            when = getattr(self, name)
            if when is not None:
                yield name, when

    def unsure_of(self, *fields: str) -> bool:
        """Whether any of these fields is unconfirmed (a tentative flight is unconfirmed throughout)."""
        return self.tentative or any(field in self.uncertain for field in fields)

    @property
    def arrival_unsure(self) -> bool:
        return self.unsure_of("launch", "dock", "up")

    @property
    def departure_unsure(self) -> bool:
        return self.unsure_of("undock", "down")


class Expedition(NamedTuple):
    """An expedition of the station's crew, from `start` until the next one begins."""

    number: int
    start: When
    began: str  # what began it: "sts-102 undocked", "soyuz-tma-15 docked", or "" for a date given outright


class Agreement(NamedTuple):
    """An agreement between core partners to fly each other's crews (the seat swap).

    A flight falls under it if `flights` lists it, or if it launched from `start` (the
    signing when omitted) to `until`; a flight some agreement lists falls under that one.
    """

    name: str
    parties: tuple[str, ...]
    signed: When
    start: When | None = None  # the TOML key "from"
    until: When | None = None
    flights: tuple[str, ...] = ()
    note: str | None = None
    uncertain: tuple[str, ...] = ()  # fields whose values the sources could not confirm


class Station(NamedTuple):
    name: str = "International Space Station"
    core_partners: tuple[str, ...] = ("NASA", "Roscosmos")
    max_crew: int | None = None


class Manifest(NamedTuple):
    """A whole manifest. Equal manifests were also read from the same `source`: compare `named()` copies for content."""

    format: int
    station: Station
    agencies: Mapping[str, Agency]
    vehicles: Mapping[str, Vehicle]
    people: Mapping[str, Person]
    flights: tuple[Flight, ...]
    source: str = "<manifest>"  # where it was read from
    expeditions: tuple[Expedition, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    as_of: When | None = None  # when its facts were last checked against sources

    @property
    def known_until(self) -> When | None:
        """Until when the manifest's facts are known: `as_of`, else its latest confirmed event."""
        if self.as_of is not None:
            return self.as_of
        confirmed = [
            when
            for flight in self.flights
            if not flight.tentative
            for name, when in flight.events()
            if name not in flight.uncertain
        ]
        return max(confirmed, key=lambda when: (when.seconds, not when.date_only), default=None)

    @property
    def first(self) -> int | None:
        """The first docking: the first instant some flight has certainly docked (a bare date's day is over)."""
        return min((flight.dock.latest for flight in self.flights), default=None)

    @property
    def horizon(self) -> int | None:
        """The last docking or undocking the manifest knows of."""
        moments = [flight.dock.seconds for flight in self.flights]
        moments += [flight.undock.seconds for flight in self.flights if flight.undock is not None]
        return max(moments, default=None)

    @property
    def last_event(self) -> When | None:
        """The last docking or undocking, as the manifest writes it (a bare date stays a date)."""
        moments = [flight.dock for flight in self.flights]
        moments += [flight.undock for flight in self.flights if flight.undock is not None]
        return max(moments, key=lambda when: (when.seconds, not when.date_only), default=None)

    def named(self, source: str) -> "Manifest":
        """The same manifest, as read from `source`."""
        return self._replace(source=source)

    def agency_named(self, name: str) -> Agency:
        """The agency that goes by `name`, whichever of its names the manifest used."""
        return self.agencies[canonical_agency(self.agencies, name) or name]

    def flight(self, flight_id: str) -> Flight:
        for flight in self.flights:
            if flight.id == flight_id:
                return flight
        raise KeyError(flight_id)


def canonical_agency(agencies: Mapping[str, Agency], name: str) -> str | None:
    """The key of the agency that goes by `name` (its key, an alias or a former name)."""
    if name in agencies:
        return name
    folded = name.casefold()
    for key, agency in agencies.items():
        names = (key, *agency.aliases, *(former.name for former in agency.former_names))
        if any(folded == other.casefold() for other in names):
            return key
    return None


_INSTANT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?)?"
)


def parse_instant(text: str) -> When:
    """Read a date (00:00 UTC) or a date-time (UTC unless it names an offset), as on the command line."""
    match = _INSTANT.fullmatch(text.strip())
    if not match:
        raise ValueError(f'"{text}" is not a date or date-time (write 2022-07-28 or 2022-07-28T12:00:00Z)')
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        if hour is None:
            return When.of(date(int(year), int(month), int(day)))
        offset = 0
        if zone and zone not in "Zz":
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            if int(digits[:2]) > 23 or int(digits[2:]) > 59:
                raise ValueError(f"time zone offset {zone} is out of range")
            offset = sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=UTC)
        # In seconds, not datetimes: in UTC the moment may fall outside the years datetime holds.
        return When(When.of(moment).seconds - offset)
    except ValueError as error:
        raise ValueError(f'"{text}" is not a valid date: {error}') from None
