"""Check a parsed TOML document and build its model, noting every problem with its place."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from issmanifest.manifest import defaults, fields
from issmanifest.manifest.model import (
    DAY,
    EPOCH,
    Agency,
    AgencyName,
    Agreement,
    Expedition,
    Flight,
    Manifest,
    Person,
    Relocation,
    Station,
    Vehicle,
    When,
    canonical_agency,
    parse_instant,
)
from issmanifest.manifest.problems import Problem, did_you_mean

FORMATS = (1,)
EARLIEST = When.of(datetime(1957, 10, 4, tzinfo=UTC))
LATEST = When.of(datetime(3000, 1, 1, tzinfo=UTC))


def date_range() -> str:
    """The range every date must lie in, as messages say it."""
    return f"from {EARLIEST.iso()[:10]} to {When(LATEST.seconds - DAY, True).iso()}"


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COUNTRIES = frozenset(fields.COUNTRIES)

TOP_KEYS = fields.names(fields.TOP)
STATION_KEYS = fields.names(fields.STATION)
AGENCY_KEYS = fields.names(fields.AGENCY)
FORMER_NAME_KEYS = fields.names(fields.FORMER_NAME)
VEHICLE_KEYS = fields.names(fields.VEHICLE)
LIFEBOATS = fields.LIFEBOATS
PERSON_KEYS = fields.names(fields.PERSON)
# The order messages list a flight's keys in ("allowed: ..."), kept as it was; the keys are those of fields.FLIGHT.
FLIGHT_KEYS = (
    "id",
    "vehicle",
    "launch",
    "dock",
    "port",
    "relocations",
    "undock",
    "landing",
    "up",
    "down",
    "grounded",
    "note",
    "tentative",
    "uncertain",
    "agencies",
)
RELOCATION_KEYS = fields.names(fields.RELOCATION)
AGREEMENT_KEYS = fields.names(fields.AGREEMENT)
UNCERTAIN_FIELDS = fields.UNCERTAIN
MAX_SEATS = int(fields.field(fields.VEHICLE, "seats").high or 0)
MAX_CREW = fields.field(fields.STATION, "max_crew")
DOCKED_DAYS = fields.field(fields.VEHICLE, "max_docked_days")

Path_ = tuple[str | int, ...]
T = TypeVar("T")


def build_manifest(document: dict[str, Any], text: str, name: str) -> Manifest | list[Problem]:
    """The model of a parsed document, or every problem with it, located in `text`.

    The document's flights are dropped from it as they are read.
    """
    reader = _Reader(name)
    manifest = reader.manifest(document)
    if reader.problems or manifest is None:
        return reader.located(text)
    return manifest


_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "a boolean"),
    (str, "a string"),
    (int, "an integer"),
    (float, "a number"),
    (datetime, "a date-time"),
    (date, "a date"),
    (time, "a time of day"),
    (list, "an array"),
    (dict, "a table"),
)


def _kind(value: object) -> str:
    for kind, name in _KINDS:
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _show(value: object) -> str:
    """A scalar as TOML writes it; arrays and tables are not repeated back."""
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 60 else value[:57] + "...", ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    return ""


class _Reader:
    """Turns a parsed TOML document into a Manifest, noting each problem on the way."""

    def __init__(self, name: str) -> None:
        self.name = name
        # Declared, but with problems of their own: a reference to one is not another problem.
        self.broken: set[tuple[str, str]] = set()
        self.problems: list[tuple[Path_, str, str, str | None, str | None]] = []

    def problem(
        self, path: Path_, place: str, message: str, hint: str | None = None, needle: str | None = None
    ) -> None:
        self.problems.append((path, place, message, hint, needle))

    def located(self, text: str) -> list[Problem]:
        from issmanifest.manifest.sourcemap import SourceMap

        source = SourceMap(text)
        return [
            Problem(self.name, message, place=place, line=source.line_of(path, needle), hint=hint)
            for path, place, message, hint, needle in self.problems
        ]

    # -- values ---------------------------------------------------------

    def typed(self, value: object, kind: type[T], path: Path_, place: str, what: str) -> T | None:
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return value
        self.problem(path, place, f"expected {what}, found {_kind(value)} {_show(value)}".rstrip())
        return None

    def text(self, value: object, path: Path_, place: str) -> str | None:
        result = self.typed(value, str, path, place, "a string")
        if result is not None and not result.strip():
            self.problem(path, place, "is empty")
            return None
        return result

    def strings(self, value: object, path: Path_, place: str) -> list[str] | None:
        items = self.typed(value, list, path, place, "an array of strings")
        if items is None:
            return None
        good = [item for index, item in enumerate(items) if self.text(item, (*path, index), place) is not None]
        return good if len(good) == len(items) else None

    def when(self, value: object, path: Path_, place: str) -> When | None:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                self.problem(
                    path,
                    place,
                    f"date-time {value.isoformat()} has no time zone",
                    f"add Z for UTC: {value.isoformat()}Z",
                )
                return None
            result = When.of(value)
        elif isinstance(value, date):
            result = When.of(value)
        elif isinstance(value, str):
            hint = "write it without quotes"
            with contextlib.suppress(ValueError):
                moment = parse_instant(value)
                zoned = moment.date_only or re.search(r"(Z|z|[+-]\d\d:?\d\d)\s*$", value) is not None
                hint += f": {path[-1]} = {moment.iso()}" + ("" if zoned else ", if that time is UTC")
            self.problem(path, place, f"expected a date or date-time, found a string {_show(value)}", hint)
            return None
        else:
            fix = f"add the date, for example: 2022-09-21T{value.isoformat()}Z" if isinstance(value, time) else None
            self.problem(path, place, f"expected a date or date-time, found {_kind(value)} {_show(value)}", fix)
            return None
        if not EARLIEST.seconds <= result.seconds < LATEST.seconds:
            self.problem(path, place, f"{result} is out of range", date_range())
            return None
        return result

    def table(self, value: object, path: Path_, place: str) -> dict[str, Any] | None:
        return self.typed(value, dict, path, place, "a table")

    def keys(self, table: Mapping[str, object], allowed: tuple[str, ...], path: Path_, place: str) -> None:
        for key in table:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or "allowed: " + ", ".join(allowed)
                self.problem((*path, key), _join(place, key), f'unknown key "{key}"', hint)

    def required(self, table: Mapping[str, object], key: str, path: Path_, place: str) -> object | None:
        if key not in table:
            self.problem(path, place, f'missing "{key}"')
            return None
        return table[key]

    def slug(self, value: str, path: Path_, place: str, what: str) -> bool:
        if SLUG.fullmatch(value):
            return True
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        hint = f'for example "{suggestion}"' if suggestion else "lowercase letters, digits and hyphens"
        self.problem(path, place, f"{what} {_show(value)} is not a lowercase slug", hint, needle=value)
        return False

    # -- sections --------------------------------------------------------

    def manifest(self, document: dict[str, Any]) -> Manifest | None:
        self.keys(document, TOP_KEYS, (), "")
        version = document.get("format")
        if version is None:
            self.problem((), "", 'missing "format"', "a manifest starts with: format = 1")
        known = version is not None and self.typed(version, int, ("format",), "format", "an integer") is not None
        if known and version not in FORMATS:
            readable = ", ".join(str(number) for number in FORMATS)
            hint = f"this release of issmanifest reads format {readable}"
            self.problem(("format",), "format", f"unknown format version {version}", hint)
            return None
        agencies = self.agencies(document.get("agencies", {}))
        vehicles = self.vehicles(document.get("vehicles", {}), agencies)
        station = self.station(document.get("station", {}), agencies)
        people = self.people(document.get("people", {}), agencies)
        flights = self.flights(document.get("flights", []), vehicles, people, agencies)
        if self.problems or version is None:
            return None
        # Flights in time order, whatever order the file lists them in: reordering is no change.
        order = sorted(
            range(len(flights)), key=lambda i: (flights[i].launch.seconds, flights[i].dock.seconds, flights[i].id)
        )
        expeditions = self.expeditions(document.get("expeditions", {}), flights)
        agreements = self.agreements(document.get("agreements", []), flights, agencies, station)
        sorted_flights = tuple(flights[i] for i in order)
        manifest = Manifest(1, station, agencies, vehicles, people, sorted_flights, self.name, expeditions, agreements)
        from issmanifest.engine.stays import pair_stays  # the one import from the engine: see engine/stays.py

        for problem in pair_stays(manifest).problems:
            self.problem(
                ("flights", order[problem.flight_index], problem.field),
                f"flights[{problem.flight}].{problem.field}",
                problem.message,
                problem.hint,
                needle=f'"{problem.person}"',
            )
        return None if self.problems else manifest

    def expeditions(self, value: object, flights: Sequence[Flight]) -> tuple[Expedition, ...]:
        """`[expeditions]`: number = the flight whose undocking began it, `{ docked = flight }`, or a time."""
        table = self.table(value, ("expeditions",), "expeditions") or {}
        by_id = {flight.id: flight for flight in flights}
        result: list[Expedition] = []
        for key, entry in table.items():
            path, place = ("expeditions", key), f"expeditions.{key}"
            if not key.isdigit() or int(key) < 1:
                self.problem(path, place, f'"{key}" is not an expedition number', "number them 1, 2, 3, ...")
                continue
            started = self.expedition_start(entry, by_id, path, place)
            if started is not None:
                result.append(Expedition(int(key), *started))
        result.sort(key=lambda expedition: expedition.number)
        for earlier, later in itertools.pairwise(result):
            if later.start.seconds <= earlier.start.seconds:
                self.problem(
                    ("expeditions", str(later.number)),
                    f"expeditions.{later.number}",
                    f"begins at {later.start}, not after Expedition {earlier.number} ({earlier.start})",
                )
        return tuple(result)

    def agreements(
        self, value: object, flights: Sequence[Flight], agencies: Mapping[str, Agency], station: Station
    ) -> tuple[Agreement, ...]:
        """`[[agreements]]`: seat swaps between core partners, covering a period or named flights."""
        known = {flight.id for flight in flights}
        result: list[Agreement] = []
        items = self.typed(value, list, ("agreements",), "agreements", "an array of tables") or []
        for index, entry in enumerate(items):
            path, place = ("agreements", index), f"agreements[{index}]"
            table = self.table(entry, path, place)
            if table is None:
                continue
            self.keys(table, AGREEMENT_KEYS, path, place)
            name = self.required(table, "name", path, place)
            if name is not None:
                name = self.text(name, (*path, "name"), f"{place}.name")
                if name is not None:
                    place = f"agreements[{name}]"
            parties: list[str] = []
            if self.required(table, "parties", path, place) is not None:
                written = self.strings(table["parties"], (*path, "parties"), f"{place}.parties") or []
                for item in written:
                    key = self.agency_name(item, agencies, (*path, "parties"), f"{place}.parties")
                    if key is not None and key not in station.core_partners:
                        self.problem(
                            (*path, "parties"),
                            f"{place}.parties",
                            f'"{item}" is not a core partner',
                            "parties are agencies of [station] core_partners",
                            needle=f'"{item}"',
                        )
                    elif key is not None and key not in parties:
                        parties.append(key)
                if written and len(parties) < 2 and len(parties) == len(written):
                    self.problem((*path, "parties"), f"{place}.parties", "needs two core partners at least")
            moments: dict[str, When | None] = {}
            for key in ("signed", "from", "until"):
                moments[key] = None
                if key in table:
                    moments[key] = self.when(table[key], (*path, key), f"{place}.{key}")
            if self.required(table, "signed", path, place) is None:
                moments["signed"] = None
            start, until = moments["from"], moments["until"]
            if start is not None and until is not None and until.seconds < start.seconds:
                self.problem((*path, "until"), f"{place}.until", f"{until} is before from ({start})")
            covered: list[str] = []
            if "flights" in table:
                for item in self.strings(table["flights"], (*path, "flights"), f"{place}.flights") or []:
                    if item not in known:
                        hint = did_you_mean(item, known) or "name a flight of this manifest"
                        self.problem(
                            (*path, "flights"), f"{place}.flights", f'unknown flight "{item}"', hint, needle=f'"{item}"'
                        )
                    elif item not in covered:
                        covered.append(item)
            note = self.text(table["note"], (*path, "note"), f"{place}.note") if "note" in table else None
            doubts: list[str] = []
            if "uncertain" in table:
                for item in self.strings(table["uncertain"], (*path, "uncertain"), f"{place}.uncertain") or []:
                    if item not in fields.AGREEMENT_UNCERTAIN:
                        allowed = ", ".join(fields.AGREEMENT_UNCERTAIN)
                        self.problem(
                            (*path, "uncertain"),
                            f"{place}.uncertain",
                            f'"{item}" is not a field of an agreement',
                            f"allowed: {allowed}",
                            needle=f'"{item}"',
                        )
                    elif item not in doubts:
                        doubts.append(item)
            signed = moments["signed"]
            if name is not None and signed is not None:
                result.append(
                    Agreement(name, tuple(parties), signed, start, until, tuple(covered), note, tuple(doubts))
                )
        return tuple(result)

    def expedition_start(
        self, entry: object, flights: Mapping[str, Flight], path: Path_, place: str
    ) -> tuple[When, str] | None:
        if isinstance(entry, str | dict):
            docked = isinstance(entry, dict)
            flight_id: object = entry
            if isinstance(entry, dict):
                table = self.table(entry, path, place) or {}
                self.keys(table, ("docked",), path, place)
                flight_id = table.get("docked")
            if not isinstance(flight_id, str):
                self.problem(path, place, 'expected { docked = "flight-id" }')
                return None
            flight = flights.get(flight_id)
            if flight is None:
                hint = did_you_mean(flight_id, flights) or "name a flight of this manifest"
                self.problem(path, place, f'unknown flight "{flight_id}"', hint, needle=f'"{flight_id}"')
                return None
            if docked:
                return flight.dock, f"{flight.id} docked"
            if flight.undock is None:
                self.problem(path, place, f"{flight.id} has no undock", 'write { docked = "..." } or a date-time')
                return None
            return flight.undock, f"{flight.id} undocked"
        moment = self.when(entry, path, place)
        return None if moment is None else (moment, "")

    def station(self, value: object, agencies: Mapping[str, Agency]) -> Station:
        table = self.table(value, ("station",), "station") or {}
        self.keys(table, STATION_KEYS, ("station",), "station")
        base = Station()
        name = base.name
        if "name" in table:
            name = self.text(table["name"], ("station", "name"), "station.name") or name
        partners = base.core_partners
        if "core_partners" in table:
            path, place = ("station", "core_partners"), "station.core_partners"
            written = self.strings(table["core_partners"], path, place)
            if written is not None:
                if not written:
                    self.problem(
                        path, place, "is empty", 'name at least one agency, as in core_partners = ["NASA", "Roscosmos"]'
                    )
                resolved = [self.agency_name(item, agencies, path, place) for item in written]
                partners = tuple(item for item in resolved if item is not None)
                seen: dict[str, str] = {}
                for item, key in zip(written, resolved, strict=True):
                    if key is not None and key in seen:
                        self.problem(path, place, f'"{seen[key]}" and "{item}" are the same agency', needle=f'"{item}"')
                    elif key is not None:
                        seen[key] = item
        max_crew = None
        if "max_crew" in table:
            max_crew = self.count(
                table["max_crew"],
                ("station", "max_crew"),
                "station.max_crew",
                int(MAX_CREW.low or 0),
                int(MAX_CREW.high or 0),
            )
        return Station(name, partners, max_crew)

    def count(self, value: object, path: Path_, place: str, low: int, high: int) -> int | None:
        number = self.typed(value, int, path, place, "an integer")
        if number is not None and not low <= number <= high:
            self.problem(path, place, f"{number} is out of range", f"from {low} to {high}")
            return None
        return number

    def agency_name(self, name: str, agencies: Mapping[str, Agency], path: Path_, place: str) -> str | None:
        key = canonical_agency(agencies, name)
        if key is None:
            hint = did_you_mean(name, agencies) or "declare it under [agencies]"
            self.problem(path, place, f'unknown agency "{name}"', hint, needle=f'"{name}"')
        return key

    def agencies(self, value: object) -> dict[str, Agency]:
        agencies = dict(defaults.AGENCIES)
        for key, entry in (self.table(value, ("agencies",), "agencies") or {}).items():
            path, place = ("agencies", key), _join("agencies", key)
            table = self.table(entry, path, place)
            if table is None:
                continue
            self.keys(table, AGENCY_KEYS, path, place)
            country = None
            if "country" in table:
                country = self.country(table["country"], (*path, "country"), f"{place}.country")
            aliases: tuple[str, ...] = ()
            if "aliases" in table:
                aliases = tuple(
                    sorted(set(self.strings(table["aliases"], (*path, "aliases"), f"{place}.aliases") or ()))
                )
            former: list[AgencyName] = []
            if "former_names" in table:
                former = self.former_names(table["former_names"], (*path, "former_names"), f"{place}.former_names")
            agencies[key] = Agency(key, country, aliases, tuple(former))
        return agencies

    def former_names(self, value: object, path: Path_, place: str) -> list[AgencyName]:
        names: list[AgencyName] = []
        for index, entry in enumerate(self.typed(value, list, path, place, "an array of tables") or []):
            table = self.table(entry, (*path, index), place)
            if table is None:
                continue
            self.keys(table, FORMER_NAME_KEYS, (*path, index), place)
            name = self.required(table, "name", (*path, index), place)
            until = self.required(table, "until", (*path, index), place)
            name = self.text(name, (*path, index, "name"), f"{place}.name") if name is not None else None
            until = self.when(until, (*path, index, "until"), f"{place}.until") if until is not None else None
            if name is not None and until is not None:
                if names and until <= names[-1].until:
                    earlier = names[-1]
                    if until == earlier.until:
                        message = f'"{name}" and "{earlier.name}" both end on {until}'
                    else:
                        message = f'"{name}" (until {until}) must come before "{earlier.name}" (until {earlier.until})'
                    self.problem((*path, index), place, message, "list former names oldest first", needle=name)
                names.append(AgencyName(name, until))
        return names

    def country(self, value: object, path: Path_, place: str) -> str | None:
        code = self.text(value, path, place)
        if code is not None and code not in COUNTRIES:
            hint = (
                f'did you mean "{code.upper()}"?'
                if code.upper() in COUNTRIES
                else "an ISO 3166-1 alpha-2 code such as US or RU"
            )
            self.problem(path, place, f'"{code}" is not a country code', hint)
            return None
        return code

    def vehicles(self, value: object, agencies: Mapping[str, Agency]) -> dict[str, Vehicle]:
        vehicles = dict(defaults.VEHICLES)
        for key, entry in (self.table(value, ("vehicles",), "vehicles") or {}).items():
            path, place = ("vehicles", key), _join("vehicles", key)
            table = self.table(entry, path, place)
            if table is None:
                self.broken.add(("vehicles", key))
                continue
            self.keys(table, VEHICLE_KEYS, path, place)
            base = defaults.VEHICLES.get(key)
            seats_value = table.get("seats", base.seats if base else None)
            if seats_value is None:
                self.problem(path, place, 'missing "seats"')
                continue
            seats = self.count(seats_value, (*path, "seats"), f"{place}.seats", 1, MAX_SEATS)
            lifeboat = table.get("lifeboat", base.lifeboat if base else "any")
            if lifeboat not in LIFEBOATS:
                self.problem(
                    (*path, "lifeboat"),
                    f"{place}.lifeboat",
                    f'expected "any" or "assigned", found {_kind(lifeboat)} {_show(lifeboat)}',
                )
            docked_days = table.get("max_docked_days", base.max_docked_days if base else None)
            days_place = f"{place}.max_docked_days"
            if docked_days is not None and (isinstance(docked_days, bool) or not isinstance(docked_days, int | float)):
                self.problem(
                    (*path, "max_docked_days"),
                    days_place,
                    f"expected a number of days, found {_kind(docked_days)} {_show(docked_days)}",
                )
                docked_days = None
            elif docked_days is not None and not (DOCKED_DAYS.above or 0) < docked_days <= (DOCKED_DAYS.high or 0):
                self.problem(
                    (*path, "max_docked_days"),
                    days_place,
                    f"{docked_days} is out of range",
                    f"more than {DOCKED_DAYS.above:g}, up to {DOCKED_DAYS.high:g} days",
                )
                docked_days = None
            provider = base.provider if base else None
            if "provider" in table:
                written = self.text(table["provider"], (*path, "provider"), f"{place}.provider")
                provider = None
                if written is not None:
                    provider = self.agency_name(written, agencies, (*path, "provider"), f"{place}.provider")
            if seats is not None and lifeboat in LIFEBOATS:
                days = None if docked_days is None else float(docked_days)
                vehicles[key] = Vehicle(key, seats, str(lifeboat), days, provider)
            else:
                self.broken.add(("vehicles", key))
        return vehicles

    def people(self, value: object, agencies: Mapping[str, Agency]) -> dict[str, Person]:
        people: dict[str, Person] = {}
        for key, entry in (self.table(value, ("people",), "people") or {}).items():
            path, place = ("people", key), _join("people", key)
            self.slug(key, path, place, "person key")
            table = self.table(entry, path, place)
            if table is None:
                self.broken.add(("people", key))
                continue
            self.keys(table, PERSON_KEYS, path, place)
            name = agency = nationality = None
            if self.required(table, "name", path, place) is not None:
                name = self.text(table["name"], (*path, "name"), f"{place}.name")
            if self.required(table, "agency", path, place) is not None:
                agency = self.text(table["agency"], (*path, "agency"), f"{place}.agency")
                if (
                    agency is not None
                    and self.agency_name(agency, agencies, (*path, "agency"), f"{place}.agency") is None
                ):
                    agency = None
            if self.required(table, "nationality", path, place) is not None:
                nationality = self.country(table["nationality"], (*path, "nationality"), f"{place}.nationality")
            if name is not None and agency is not None and nationality is not None:
                people[key] = Person(key, name, agency, nationality)
            else:
                self.broken.add(("people", key))
        return people

    def flights(
        self,
        value: object,
        vehicles: Mapping[str, Vehicle],
        people: Mapping[str, Person],
        agencies: Mapping[str, Agency],
    ) -> tuple[Flight, ...]:
        if isinstance(value, dict):
            self.problem(
                ("flights",),
                "flights",
                "expected an array of tables, found a table",
                "write [[flights]], not [flights]",
            )
            return ()
        entries = self.typed(value, list, ("flights",), "flights", "an array of tables ([[flights]])") or []
        flights: list[Flight] = []
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            flight = _plain_flight(entry, vehicles, people) or self.flight(entry, index, vehicles, people, agencies)
            entries[index] = None  # the document is consumed as it is read: a big one need not be held twice
            if flight is None:
                continue
            if flight.id in seen:
                self.problem(
                    ("flights", index, "id"),
                    f"flights[{flight.id}].id",
                    f'duplicate flight id "{flight.id}"',
                    f"flight #{seen[flight.id] + 1} has it too",
                )
                continue
            seen[flight.id] = index
            flights.append(flight)
        return tuple(flights)

    def flight(
        self,
        entry: object,
        index: int,
        vehicles: Mapping[str, Vehicle],
        people: Mapping[str, Person],
        agencies: Mapping[str, Agency],
    ) -> Flight | None:
        path: Path_ = ("flights", index)
        place = f"flights[#{index + 1}]"
        table = self.table(entry, path, place)
        if table is None:
            return None
        before = len(self.problems)
        flight_id = table.get("id")
        if isinstance(flight_id, str) and flight_id.strip():
            place = f"flights[{flight_id}]"
        self.keys(table, FLIGHT_KEYS, path, place)

        def field(key: str, read: Callable[[object, Path_, str], T | None]) -> T | None:
            return read(table[key], (*path, key), f"{place}.{key}") if key in table else None

        if self.required(table, "id", path, place) is not None:
            flight_id = self.text(table["id"], (*path, "id"), f"{place}.id")
            if flight_id is not None:
                self.slug(flight_id, (*path, "id"), f"{place}.id", "flight id")
        vehicle = None
        if self.required(table, "vehicle", path, place) is not None:
            vehicle = self.text(table["vehicle"], (*path, "vehicle"), f"{place}.vehicle")
            if vehicle is not None and vehicle not in vehicles and ("vehicles", vehicle) not in self.broken:
                hint = did_you_mean(vehicle, vehicles) or "declare it under [vehicles] with its seats"
                self.problem((*path, "vehicle"), f"{place}.vehicle", f'unknown vehicle "{vehicle}"', hint)
                vehicle = None
        launch = (
            self.when(table["launch"], (*path, "launch"), f"{place}.launch")
            if self.required(table, "launch", path, place) is not None
            else None
        )
        dock = field("dock", self.when) or launch
        undock = field("undock", self.when)
        landing = field("landing", self.when)
        grounded = field("grounded", self.when)
        port = field("port", self.text)
        note = field("note", self.text)
        tentative = field("tentative", lambda v, p, pl: self.typed(v, bool, p, pl, "true or false")) or False
        uncertain = field("uncertain", self.strings) or []
        for name in uncertain:
            if name not in UNCERTAIN_FIELDS:
                hint = did_you_mean(name, UNCERTAIN_FIELDS) or "one of " + ", ".join(UNCERTAIN_FIELDS)
                self.problem(
                    (*path, "uncertain"), f"{place}.uncertain", f'unknown field "{name}"', hint, needle=f'"{name}"'
                )
        up = self.crew(table, "up", path, place, people)
        down = self.crew(table, "down", path, place, people) if "down" in table else up
        relocations = field("relocations", lambda v, p, pl: self.relocations(v, p, pl, people)) or ()
        trip_agencies = field("agencies", lambda v, p, pl: self.trip_agencies(v, p, pl, up or [], agencies)) or {}

        order = [("launch", launch), ("dock", dock), ("undock", undock), ("landing", landing)]
        known = [(key, moment) for key, moment in order if moment is not None and (key != "dock" or "dock" in table)]
        for (first, early), (second, late) in itertools.pairwise(known):
            if _before(late, early):
                self.problem((*path, second), f"{place}.{second}", f"{second} {late} is before {first} {early}")
        if dock is not None:
            self.relocations_in_order(relocations, dock, undock, path, place)
        if vehicle is not None and up is not None and down is not None:
            seats = vehicles[vehicle].seats
            for key, crew in (("up", up), ("down", down)):
                if len(crew) > seats and key in table:
                    self.problem(
                        (*path, key), f"{place}.{key}", f"{len(crew)} people, but a {vehicle} has {seats} seats"
                    )
        if len(self.problems) > before:
            return None
        assert flight_id is not None and vehicle is not None and launch is not None and dock is not None
        assert up is not None and down is not None
        return Flight(
            flight_id,
            vehicle,
            launch,
            dock,
            undock,
            landing,
            port,
            tuple(relocations),
            tuple(up),
            tuple(down),
            grounded,
            note,
            bool(tentative),
            tuple(sorted(set(uncertain))),
            tuple(sorted(trip_agencies.items())),
        )

    def crew(
        self, table: Mapping[str, object], key: str, path: Path_, place: str, people: Mapping[str, Person]
    ) -> list[str] | None:
        if key not in table:
            return []
        path, place = (*path, key), f"{place}.{key}"
        names = self.strings(table[key], path, place)
        if names is None:
            return None
        ok = True
        for name in names:
            if name not in people and ("people", name) not in self.broken:
                hint = did_you_mean(name, people) or "add them under [people]"
                self.problem(path, place, f'unknown person "{name}"', hint, needle=f'"{name}"')
                ok = False
        for name in sorted({name for name in names if names.count(name) > 1}):
            self.problem(path, place, f'"{name}" is listed twice', needle=f'"{name}"')
            ok = False
        return names if ok else None

    def trip_agencies(
        self, value: object, path: Path_, place: str, up: list[str], agencies: Mapping[str, Agency]
    ) -> dict[str, str] | None:
        table = self.table(value, path, place)
        if table is None:
            return None
        result: dict[str, str] = {}
        for person, agency in table.items():
            if person not in up:
                self.problem(
                    (*path, person),
                    f"{place}.{person}",
                    f'"{person}" is not in this flight\'s up',
                    "a trip's agency is given for the people it brings up",
                )
                continue
            name = self.text(agency, (*path, person), f"{place}.{person}")
            if name is not None and self.agency_name(name, agencies, (*path, person), f"{place}.{person}") is not None:
                result[person] = name
        return result

    def relocations(
        self, value: object, path: Path_, place: str, people: Mapping[str, Person]
    ) -> list[Relocation] | None:
        items = self.typed(value, list, path, place, "an array of tables")
        if items is None:
            return None
        result: list[Relocation] = []
        for index, item in enumerate(items):
            where, at = (*path, index), f"{place}[{index}]"
            table = self.table(item, where, at)
            if table is None:
                continue
            self.keys(table, RELOCATION_KEYS, where, at)
            start = (
                self.when(table["start"], (*where, "start"), f"{at}.start")
                if self.required(table, "start", where, at) is not None
                else None
            )
            end = (
                self.when(table["end"], (*where, "end"), f"{at}.end")
                if self.required(table, "end", where, at) is not None
                else None
            )
            port = self.text(table["port"], (*where, "port"), f"{at}.port") if "port" in table else None
            crew = self.crew(table, "crew", where, at, people) if "crew" in table else None
            if start is not None and end is not None:
                if _before(end, start) or (end == start and not end.date_only):
                    self.problem((*where, "end"), f"{at}.end", f"end {end} is not after start {start}")
                result.append(Relocation(start, end, port, None if crew is None else tuple(crew)))
        return result

    def relocations_in_order(
        self,
        relocations: tuple[Relocation, ...] | list[Relocation],
        dock: When,
        undock: When | None,
        path: Path_,
        place: str,
    ) -> None:
        previous = dock
        for index, relocation in enumerate(relocations):
            where, at = (*path, "relocations", index), f"{place}.relocations[{index}]"
            if _before(relocation.start, previous):
                after = "the dock" if previous is dock else "the previous relocation"
                self.problem(where, at, f"starts at {relocation.start}, before {after} ({previous})")
            previous = relocation.end
        if undock is not None and relocations and _before(undock, relocations[-1].end):
            self.problem(
                (*path, "relocations"), f"{place}.relocations", f"the last relocation ends after the undock ({undock})"
            )


def _before(late: When, early: When) -> bool:
    """Whether `late` is certainly earlier than `early`, given the open day of a bare date."""
    return late.latest - (1 if late.date_only else 0) < early.earliest


def _join(place: str, key: str) -> str:
    """A place in the document, quoting keys that are not bare TOML keys: `vehicles."Soyuz MS"`."""
    written = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)
    return f"{place}.{written}" if place else written


_FLIGHT_KEYS = frozenset(FLIGHT_KEYS)
_UNCERTAIN = frozenset(UNCERTAIN_FIELDS)


def _plain_when(value: object) -> When | None:
    """A date-time or date as `_Reader.when` reads it, or None where that would have a problem."""
    kind = type(value)
    if kind is datetime:
        if value.tzinfo is None:  # type: ignore[attr-defined]
            return None
        result = When(int((value - EPOCH).total_seconds()))  # type: ignore[operator]
    elif kind is date:
        result = When.of(value)  # type: ignore[arg-type]
    else:
        return None
    return result if EARLIEST.seconds <= result.seconds < LATEST.seconds else None


def _plain_crew(value: object, people: Mapping[str, Person], seats: int) -> tuple[str, ...] | None:
    if type(value) is not list or len(value) > seats:
        return None
    for name in value:
        if type(name) is not str or name not in people:
            return None
    return tuple(value) if len(set(value)) == len(value) else None


def _plain_text(value: object) -> str | None:
    return value if type(value) is str and value.strip() else None


def _plain_flight(entry: object, vehicles: Mapping[str, Vehicle], people: Mapping[str, Person]) -> Flight | None:
    """The flight of an ordinary [[flights]] table, straight; None for anything the full check must look at.

    Most flights are plain: known keys of the right types, no relocations or trip agencies. They
    are built here without the bookkeeping that a problem would need. Whatever this returns,
    `_Reader.flight` returns too (a test holds them to that); everything else goes to it.
    """
    if type(entry) is not dict or not entry.keys() <= _FLIGHT_KEYS or "relocations" in entry or "agencies" in entry:
        return None
    flight_id, vehicle = entry.get("id"), entry.get("vehicle")
    if type(flight_id) is not str or not SLUG.fullmatch(flight_id) or type(vehicle) is not str:
        return None
    kind = vehicles.get(vehicle)
    launch = _plain_when(entry.get("launch"))
    if kind is None or launch is None:
        return None
    dock = _plain_when(entry["dock"]) if "dock" in entry else launch
    if dock is None:
        return None
    optional: list[When | None] = []
    for key in ("undock", "landing", "grounded"):
        if key in entry:
            moment = _plain_when(entry[key])
            if moment is None:
                return None
            optional.append(moment)
        else:
            optional.append(None)
    undock, landing, grounded = optional
    up = _plain_crew(entry.get("up", []), people, kind.seats)
    down = up if "down" not in entry else _plain_crew(entry["down"], people, kind.seats)
    if up is None or down is None:
        return None
    order = [moment for moment in (launch, dock if "dock" in entry else None, undock, landing) if moment is not None]
    if any(_before(late, early) for early, late in itertools.pairwise(order)):
        return None
    port = note = None
    if "port" in entry and (port := _plain_text(entry["port"])) is None:
        return None
    if "note" in entry and (note := _plain_text(entry["note"])) is None:
        return None
    tentative = entry.get("tentative", False)
    uncertain = entry.get("uncertain", [])
    if type(tentative) is not bool or type(uncertain) is not list or not set(uncertain) <= _UNCERTAIN:
        return None
    if any(type(name) is not str for name in uncertain):
        return None
    return Flight(
        flight_id,
        vehicle,
        launch,
        dock,
        undock,
        landing,
        port,
        (),
        up,
        down,
        grounded,
        note,
        tentative,
        tuple(sorted(set(uncertain))),
        (),
    )
