"""Check a parsed TOML document and build its model, noting every problem with its place."""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any, NamedTuple, TypeVar

from issmanifest.manifest import defaults, fields
from issmanifest.manifest.model import (
    EARLIEST,
    LATEST,
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
    date_range,
    parse_instant,
)
from issmanifest.manifest.problems import Problem, did_you_mean

FORMATS = (1,)
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


class Where(NamedTuple):
    """A place in the document: the path its line is found by, and (`shown`) the name messages give it.

    The name is derived from the path (`people.rubio.name`, `flights[x].relocations[0]`) from
    `start` on, after `head`: a name of its own (a flight's) or the place an array's items are
    named as. It is worked out only when a message needs it.
    """

    path: Path_
    head: str | Where = ""
    start: int = 0

    def key(self, key: str) -> Where:
        return Where((*self.path, key), self.head, self.start)

    def item(self, index: int, *, as_array: bool = False) -> Where:
        """An item of an array: `place[index]`, or named as the array itself."""
        path = (*self.path, index)
        return Where(path, self, len(path)) if as_array else Where(path, self.head, self.start)

    @property
    def shown(self) -> str:
        shown = self.head if isinstance(self.head, str) else self.head.shown
        for part in self.path[self.start :]:
            shown = f"{shown}[{part}]" if isinstance(part, int) else _join(shown, part)
        return shown


TOP = Where(())
# Words a message uses for a field where its kind alone does not say enough.
UNITS = {"max_docked_days": "days"}
CHOICE_NAMES = {"uncertain": "field"}

Then = Callable[[Any, Where], Any]


_WRONG = object()


def _plain(value: object, field: fields.Field) -> Any:
    """The value of a field when it is plainly right (as most are), else `_WRONG`: `_Reader.value` then says why.

    Only the commonest kinds are looked at; whatever this returns, `_Reader.value` returns too.
    """
    kind = field.kind
    if kind in ("text", "slug", "country"):
        if isinstance(value, str) and (
            SLUG.fullmatch(value) if kind == "slug" else value in COUNTRIES if kind == "country" else value.strip()
        ):
            return value
    elif kind == "time":
        if (isinstance(value, datetime) and value.tzinfo is not None) or type(value) is date:
            moment = When.of(value)
            if EARLIEST.seconds <= moment.seconds < LATEST.seconds:
                return moment
    elif kind == "list":
        if isinstance(value, list) and all(
            isinstance(item, str) and item.strip() and (not field.choices or item in field.choices) for item in value
        ):
            return value
    elif kind == "boolean" and isinstance(value, bool):
        return value
    return _WRONG


_FIELDS: dict[int, tuple[tuple[str, fields.Field], ...]] = {}


def _fields(table: tuple[fields.Field, ...]) -> tuple[tuple[str, fields.Field], ...]:
    """A table's fields by name, remembered: the tables are the module's constants, read for every entry."""
    named = _FIELDS.get(id(table))
    if named is None:
        named = _FIELDS[id(table)] = tuple((field.name, field) for field in table)
    return named


_NAMES: dict[int, tuple[str, ...]] = {}


def _names(table: tuple[fields.Field, ...]) -> tuple[str, ...]:
    names = _NAMES.get(id(table))
    if names is None:
        names = _NAMES[id(table)] = fields.names(table)
    return names


def _flight_place(index: int, flight_id: object) -> Where:
    """A flight as messages name it: by its id where it has a usable one, else by its number in the file."""
    shown = f"flights[{flight_id}]" if isinstance(flight_id, str) and flight_id.strip() else f"flights[#{index + 1}]"
    return Where(("flights", index), shown, 2)


class _Reader:
    """Turns a parsed TOML document into a Manifest, noting each problem on the way."""

    def __init__(self, name: str) -> None:
        self.name = name
        # Declared, but with problems of their own: a reference to one is not another problem.
        self.broken: set[tuple[str, str]] = set()
        self.problems: list[tuple[Where, str, str | None, str | None]] = []

    def problem(self, where: Where, message: str, hint: str | None = None, needle: str | None = None) -> None:
        self.problems.append((where, message, hint, needle))

    def located(self, text: str) -> list[Problem]:
        from issmanifest.manifest.sourcemap import SourceMap

        source = SourceMap(text)
        return [
            Problem(self.name, message, place=where.shown, line=source.line_of(where.path, needle), hint=hint)
            for where, message, hint, needle in self.problems
        ]

    # -- a described table ----------------------------------------------------------------

    def read(
        self,
        value: object,
        table: tuple[fields.Field, ...],
        where: Where,
        *,
        noun: str = "",
        allowed: tuple[str, ...] = (),
        need: tuple[str, ...] = (),
        then: Mapping[str, Then] | None = None,
        values: dict[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """The fields of a table as `table` describes them; None if `value` is no table.

        Each field written is checked by its kind (its value in the result, None if it is wrong),
        then by its cross-field rule in `then`, if any, which sees the earlier fields in `values`;
        a field not written is absent from the result. `need` names fields required here that the
        description leaves optional; `allowed` is the order messages list the keys in.
        """
        entries = self.table(value, where)
        if entries is None:
            return None
        self.keys(entries, allowed or _names(table), where)
        values = {} if values is None else values
        for name, field in _fields(table):
            if name not in entries:
                if field.required or name in need:
                    self.problem(where, f'missing "{name}"')
                continue
            result = _plain(entries[name], field)
            if result is _WRONG:
                result = self.value(entries[name], field, where.key(name), noun)
            if result is not None and then and name in then:
                result = then[name](result, where.key(name))
            values[name] = result
        return values

    def value(self, value: object, field: fields.Field, where: Where, noun: str) -> Any:
        """One value of a field's kind, or None after noting why not; tables are only checked to be tables."""
        kind = field.kind
        if kind == "time":
            return self.when(value, where)
        if kind == "country":
            return self.country(value, where)
        if kind in ("text", "slug"):
            text = self.text(value, where)
            if text is not None and kind == "slug" and not self.slug(text, where, f"{noun} {field.name}"):
                return None
            return text
        if kind == "integer":
            number = self.typed(value, int, where, "an integer")
            return number if number is not None and self.bounded(number, field, where) else None
        if kind == "number":
            unit = UNITS.get(field.name, "")
            if isinstance(value, bool) or not isinstance(value, int | float):
                what = f"a number of {unit}" if unit else "a number"
                self.problem(where, f"expected {what}, found {_kind(value)} {_show(value)}")
                return None
            return value if self.bounded(value, field, where) else None
        if kind == "boolean":
            return self.typed(value, bool, where, "true or false")
        if kind == "choice":
            if value not in field.choices:
                either = " or ".join(f'"{choice}"' for choice in field.choices)
                self.problem(where, f"expected {either}, found {_kind(value)} {_show(value)}")
                return None
            return value
        if kind == "list":
            return self.strings(value, where, field)
        if kind == "tables":
            return self.typed(value, list, where, "an array of tables")
        return self.table(value, where)

    def bounded(self, number: float, field: fields.Field, where: Where) -> bool:
        """Whether a number is within the field's bounds, noting it if not."""
        low, above, high = field.low, field.above, field.high
        if (low is None or number >= low) and (above is None or number > above) and (high is None or number <= high):
            return True
        span = f"from {low:g}" if low is not None else f"more than {above:g}" if above is not None else ""
        if high is not None:
            span += f" to {high:g}" if low is not None else f", up to {high:g}" if span else f"up to {high:g}"
        unit = UNITS.get(field.name, "")
        self.problem(where, f"{number} is out of range", f"{span} {unit}".strip())
        return False

    # -- values ---------------------------------------------------------

    def typed(self, value: object, kind: type[T], where: Where, what: str) -> T | None:
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return value
        self.problem(where, f"expected {what}, found {_kind(value)} {_show(value)}".rstrip())
        return None

    def text(self, value: object, where: Where) -> str | None:
        result = self.typed(value, str, where, "a string")
        if result is not None and not result.strip():
            self.problem(where, "is empty")
            return None
        return result

    def strings(self, value: object, where: Where, field: fields.Field | None = None) -> list[str] | None:
        """An array of strings (its items named as the array is), each one of the field's choices if it has any."""
        items = self.typed(value, list, where, "an array of strings")
        if items is None:
            return None
        good = [
            item for index, item in enumerate(items) if self.text(item, where.item(index, as_array=True)) is not None
        ]
        if len(good) != len(items):
            return None
        choices = field.choices if field else ()
        for name in good if choices else ():
            if name not in choices:
                hint = did_you_mean(name, choices) or "one of " + ", ".join(choices)
                what = CHOICE_NAMES.get(field.name, "value") if field else "value"
                self.problem(where, f'unknown {what} "{name}"', hint, needle=f'"{name}"')
        return good

    def when(self, value: object, where: Where) -> When | None:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                self.problem(
                    where,
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
                hint += f": {where.path[-1]} = {moment.iso()}" + ("" if zoned else ", if that time is UTC")
            self.problem(where, f"expected a date or date-time, found a string {_show(value)}", hint)
            return None
        else:
            fix = f"add the date, for example: 2022-09-21T{value.isoformat()}Z" if isinstance(value, time) else None
            self.problem(where, f"expected a date or date-time, found {_kind(value)} {_show(value)}", fix)
            return None
        if not EARLIEST.seconds <= result.seconds < LATEST.seconds:
            self.problem(where, f"{result} is out of range", date_range())
            return None
        return result

    def table(self, value: object, where: Where) -> dict[str, Any] | None:
        return self.typed(value, dict, where, "a table")

    def keys(self, table: Mapping[str, object], allowed: tuple[str, ...], where: Where) -> None:
        for key in table:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or "allowed: " + ", ".join(allowed)
                self.problem(where.key(key), f'unknown key "{key}"', hint)

    def slug(self, value: str, where: Where, what: str) -> bool:
        if SLUG.fullmatch(value):
            return True
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        hint = f'for example "{suggestion}"' if suggestion else "lowercase letters, digits and hyphens"
        self.problem(where, f"{what} {_show(value)} is not a lowercase slug", hint, needle=value)
        return False

    def country(self, value: object, where: Where) -> str | None:
        code = self.text(value, where)
        if code is not None and code not in COUNTRIES:
            hint = (
                f'did you mean "{code.upper()}"?'
                if code.upper() in COUNTRIES
                else "an ISO 3166-1 alpha-2 code such as US or RU"
            )
            self.problem(where, f'"{code}" is not a country code', hint)
            return None
        return code

    def agency_name(self, name: str, agencies: Mapping[str, Agency], where: Where) -> str | None:
        key = canonical_agency(agencies, name)
        if key is None:
            hint = did_you_mean(name, agencies) or "declare it under [agencies]"
            self.problem(where, f'unknown agency "{name}"', hint, needle=f'"{name}"')
        return key

    def named(self, value: object, section: str) -> list[tuple[str, object, Where]]:
        """The entries of a table of tables by key (`[vehicles]`, `[people]`), each with its place."""
        where = TOP.key(section)
        return [(key, entry, where.key(key)) for key, entry in (self.table(value, where) or {}).items()]

    # -- sections --------------------------------------------------------

    def manifest(self, document: dict[str, Any]) -> Manifest | None:
        self.keys(document, TOP_KEYS, TOP)
        version = document.get("format")
        if version is None:
            self.problem(TOP, 'missing "format"', "a manifest starts with: format = 1")
        known = version is not None and self.typed(version, int, TOP.key("format"), "an integer") is not None
        if known and version not in FORMATS:
            readable = ", ".join(str(number) for number in FORMATS)
            hint = f"this release of issmanifest reads format {readable}"
            self.problem(TOP.key("format"), f"unknown format version {version}", hint)
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
        as_of = None if "as_of" not in document else self.when(document["as_of"], TOP.key("as_of"))
        agreements = self.agreements(document.get("agreements", []), flights, agencies, station)
        if self.problems:
            return None
        sorted_flights = tuple(flights[i] for i in order)
        manifest = Manifest(
            1, station, agencies, vehicles, people, sorted_flights, self.name, expeditions, agreements, as_of
        )
        from issmanifest.engine.stays import stay_problems  # the one import from the engine: see engine/stays.py

        for problem in stay_problems(manifest):
            where = _flight_place(order[problem.flight_index], problem.flight).key(problem.field)
            self.problem(where, problem.message, problem.hint, needle=f'"{problem.person}"')
        return None if self.problems else manifest

    def expeditions(self, value: object, flights: Sequence[Flight]) -> tuple[Expedition, ...]:
        """`[expeditions]`: number = the flight whose undocking began it, `{ docked = flight }`, or a time."""
        by_id = {flight.id: flight for flight in flights}
        result: list[Expedition] = []
        for key, entry, where in self.named(value, "expeditions"):
            if not key.isdigit() or int(key) < 1:
                self.problem(where, f'"{key}" is not an expedition number', "number them 1, 2, 3, ...")
                continue
            started = self.expedition_start(entry, by_id, where)
            if started is not None:
                result.append(Expedition(int(key), *started))
        result.sort(key=lambda expedition: expedition.number)
        for earlier, later in itertools.pairwise(result):
            if later.start.seconds <= earlier.start.seconds:
                self.problem(
                    TOP.key("expeditions").key(str(later.number)),
                    f"begins at {later.start}, not after Expedition {earlier.number} ({earlier.start})",
                )
        return tuple(result)

    def agreements(
        self, value: object, flights: Sequence[Flight], agencies: Mapping[str, Agency], station: Station
    ) -> tuple[Agreement, ...]:
        """`[[agreements]]`: seat swaps between core partners, covering a period or named flights."""
        known = {flight.id for flight in flights}

        def parties(written: list[str], where: Where) -> tuple[str, ...]:
            resolved: list[str] = []
            for item in written:
                key = self.agency_name(item, agencies, where)
                if key is not None and key not in station.core_partners:
                    hint = "parties are agencies of [station] core_partners"
                    self.problem(where, f'"{item}" is not a core partner', hint, needle=f'"{item}"')
                elif key is not None and key not in resolved:
                    resolved.append(key)
            if written and len(resolved) < 2 and len(resolved) == len(written):
                self.problem(where, "needs two core partners at least")
            return tuple(resolved)

        def covered(written: list[str], where: Where) -> tuple[str, ...]:
            for item in written:
                if item not in known:
                    hint = did_you_mean(item, known) or "name a flight of this manifest"
                    self.problem(where, f'unknown flight "{item}"', hint, needle=f'"{item}"')
            return tuple(item for item in written if item in known)

        result: list[Agreement] = []
        section = TOP.key("agreements")
        for index, entry in enumerate(self.typed(value, list, section, "an array of tables") or []):
            named = entry.get("name") if isinstance(entry, dict) else None
            shown = f"agreements[{named}]" if isinstance(named, str) and named.strip() else f"agreements[{index}]"
            where = Where(("agreements", index), shown, 2)
            values = self.read(entry, fields.AGREEMENT, where, then={"parties": parties, "flights": covered})
            if values is None:
                continue
            start, until = values.get("from"), values.get("until")
            if start is not None and until is not None and until.seconds < start.seconds:
                self.problem(where.key("until"), f"{until} is before from ({start})")
            name, signed, partners = values.get("name"), values.get("signed"), values.get("parties")
            if name is not None and signed is not None and partners is not None:
                agreement = Agreement(
                    name,
                    tuple(partners),
                    signed,
                    start,
                    until,
                    tuple(values.get("flights") or ()),
                    values.get("note"),
                    tuple(values.get("uncertain") or ()),
                )
                result.append(agreement)
        return tuple(result)

    def expedition_start(self, entry: object, flights: Mapping[str, Flight], where: Where) -> tuple[When, str] | None:
        if isinstance(entry, str | dict):
            docked = isinstance(entry, dict)
            flight_id: object = entry
            if isinstance(entry, dict):
                table = self.table(entry, where) or {}
                self.keys(table, ("docked",), where)
                flight_id = table.get("docked")
            if not isinstance(flight_id, str):
                self.problem(where, 'expected { docked = "flight-id" }')
                return None
            flight = flights.get(flight_id)
            if flight is None:
                hint = did_you_mean(flight_id, flights) or "name a flight of this manifest"
                self.problem(where, f'unknown flight "{flight_id}"', hint, needle=f'"{flight_id}"')
                return None
            if docked:
                return flight.dock, f"{flight.id} docked"
            if flight.undock is None:
                self.problem(where, f"{flight.id} has no undock", 'write { docked = "..." } or a date-time')
                return None
            return flight.undock, f"{flight.id} undocked"
        moment = self.when(entry, where)
        return None if moment is None else (moment, "")

    def station(self, value: object, agencies: Mapping[str, Agency]) -> Station:
        def partners(written: list[str], where: Where) -> tuple[str, ...]:
            if not written:
                self.problem(where, "is empty", 'name at least one agency, as in core_partners = ["NASA", "Roscosmos"]')
            resolved = [self.agency_name(item, agencies, where) for item in written]
            seen: dict[str, str] = {}
            for item, key in zip(written, resolved, strict=True):
                if key is not None and key in seen:
                    self.problem(where, f'"{seen[key]}" and "{item}" are the same agency', needle=f'"{item}"')
                elif key is not None:
                    seen[key] = item
            return tuple(key for key in resolved if key is not None)

        values = self.read(value, fields.STATION, TOP.key("station"), then={"core_partners": partners}) or {}
        base = Station()
        return Station(
            values.get("name") or base.name, values.get("core_partners") or base.core_partners, values.get("max_crew")
        )

    def agencies(self, value: object) -> dict[str, Agency]:
        agencies = dict(defaults.AGENCIES)
        for key, entry, where in self.named(value, "agencies"):
            values = self.read(entry, fields.AGENCY, where, then={"former_names": self.former_names})
            if values is not None:
                aliases = tuple(sorted(set(values.get("aliases") or ())))
                agencies[key] = Agency(key, values.get("country"), aliases, tuple(values.get("former_names") or ()))
        return agencies

    def former_names(self, entries: list[object], where: Where) -> list[AgencyName]:
        """Former names, oldest first; each is named in messages as the array is."""
        names: list[AgencyName] = []
        for index, entry in enumerate(entries):
            at = where.item(index, as_array=True)
            values = self.read(entry, fields.FORMER_NAME, at) or {}
            name, until = values.get("name"), values.get("until")
            if name is not None and until is not None:
                if names and until <= names[-1].until:
                    earlier = names[-1]
                    if until == earlier.until:
                        message = f'"{name}" and "{earlier.name}" both end on {until}'
                    else:
                        message = f'"{name}" (until {until}) must come before "{earlier.name}" (until {earlier.until})'
                    self.problem(at, message, "list former names oldest first", needle=name)
                names.append(AgencyName(name, until))
        return names

    def vehicles(self, value: object, agencies: Mapping[str, Agency]) -> dict[str, Vehicle]:
        vehicles = dict(defaults.VEHICLES)
        for key, entry, where in self.named(value, "vehicles"):
            base = defaults.VEHICLES.get(key)  # an entry for a built-in vehicle changes what it writes
            values = self.read(entry, fields.VEHICLE, where, need=() if base else ("seats",))
            if values is None:
                self.broken.add(("vehicles", key))
                continue
            if base is None and "seats" not in values:
                continue  # missing: a flight naming it is told to declare it
            seats = values.get("seats", base.seats if base else None)
            lifeboat = values.get("lifeboat", base.lifeboat if base else "any")
            days = values.get("max_docked_days", base.max_docked_days if base else None)
            provider = base.provider if base else None
            if "provider" in values:
                written = values["provider"]
                provider = None if written is None else self.agency_name(written, agencies, where.key("provider"))
            if seats is not None and lifeboat is not None:
                vehicles[key] = Vehicle(key, seats, lifeboat, None if days is None else float(days), provider)
            else:
                self.broken.add(("vehicles", key))
        return vehicles

    def people(self, value: object, agencies: Mapping[str, Agency]) -> dict[str, Person]:
        def known(agency: str, where: Where) -> str | None:
            return agency if self.agency_name(agency, agencies, where) is not None else None

        people: dict[str, Person] = {}
        for key, entry, where in self.named(value, "people"):
            self.slug(key, where, "person key")
            values = self.read(entry, fields.PERSON, where, then={"agency": known}) or {}
            name, agency, nationality = values.get("name"), values.get("agency"), values.get("nationality")
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
                TOP.key("flights"), "expected an array of tables, found a table", "write [[flights]], not [flights]"
            )
            return ()
        entries = self.typed(value, list, TOP.key("flights"), "an array of tables ([[flights]])") or []
        flights: list[Flight] = []
        seen: dict[str, int] = {}
        ports: dict[str, str] = {}
        for index, entry in enumerate(entries):
            flight = _plain_flight(entry, vehicles, people, ports) or self.flight(
                entry, index, vehicles, people, agencies
            )
            entries[index] = None  # the document is consumed as it is read: a big one need not be held twice
            if flight is None:
                continue
            if flight.id in seen:
                self.problem(
                    _flight_place(index, flight.id).key("id"),
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
        where = _flight_place(index, entry.get("id") if isinstance(entry, dict) else None)
        before = len(self.problems)
        values: dict[str, Any] = {}

        def vehicle(name: str, at: Where) -> str | None:
            if name not in vehicles and ("vehicles", name) not in self.broken:
                hint = did_you_mean(name, vehicles) or "declare it under [vehicles] with its seats"
                self.problem(at, f'unknown vehicle "{name}"', hint)
                return None
            return name if name in vehicles else None

        def trip_agencies(table: dict[str, object], at: Where) -> dict[str, str]:
            up = values.get("up") or ()
            result: dict[str, str] = {}
            for person, agency in table.items():
                if person not in up:
                    self.problem(
                        at.key(person),
                        f'"{person}" is not in this flight\'s up',
                        "a trip's agency is given for the people it brings up",
                    )
                    continue
                name = self.text(agency, at.key(person))
                if name is not None and self.agency_name(name, agencies, at.key(person)) is not None:
                    result[person] = name
            return result

        crew = functools.partial(self.crew, people=people)
        then: dict[str, Then] = {
            "vehicle": vehicle,
            "relocations": functools.partial(self.relocations, crew=crew),
            "up": crew,
            "down": crew,
            "agencies": trip_agencies,
        }
        if self.read(entry, fields.FLIGHT, where, noun="flight", allowed=FLIGHT_KEYS, then=then, values=values) is None:
            return None
        launch, undock, landing = values.get("launch"), values.get("undock"), values.get("landing")
        dock = values.get("dock") or launch
        up = values.get("up", [])
        down = values.get("down", up)
        relocations = values.get("relocations") or ()
        vehicle_name = values.get("vehicle")

        order = [("launch", launch), ("dock", values.get("dock")), ("undock", undock), ("landing", landing)]
        known = [(key, moment) for key, moment in order if moment is not None]
        for (first, early), (second, late) in itertools.pairwise(known):
            if _before(late, early):
                self.problem(where.key(second), f"{second} {late} is before {first} {early}")
        if dock is not None:
            self.relocations_in_order(relocations, dock, undock, where)
        if vehicle_name is not None and up is not None and down is not None:
            seats = vehicles[vehicle_name].seats
            for key, people_on in (("up", up), ("down", down)):
                if len(people_on) > seats and key in values:
                    self.problem(where.key(key), f"{len(people_on)} people, but a {vehicle_name} has {seats} seats")
        if len(self.problems) > before:
            return None
        assert vehicle_name is not None and launch is not None and dock is not None
        assert up is not None and down is not None
        return Flight(
            id=values["id"],
            vehicle=vehicle_name,
            launch=launch,
            dock=dock,
            undock=undock,
            landing=landing,
            port=values.get("port"),
            relocations=tuple(relocations),
            up=tuple(up),
            down=tuple(down),
            grounded=values.get("grounded"),
            note=values.get("note"),
            tentative=bool(values.get("tentative")),
            uncertain=tuple(sorted(set(values.get("uncertain") or ()))),
            agencies=tuple(sorted((values.get("agencies") or {}).items())),
        )

    def crew(self, names: list[str], where: Where, people: Mapping[str, Person]) -> list[str] | None:
        """People keys: each known, none twice."""
        ok = True
        for name in names:
            if name not in people and ("people", name) not in self.broken:
                hint = did_you_mean(name, people) or "add them under [people]"
                self.problem(where, f'unknown person "{name}"', hint, needle=f'"{name}"')
                ok = False
        for name in sorted({name for name in names if names.count(name) > 1}):
            self.problem(where, f'"{name}" is listed twice', needle=f'"{name}"')
            ok = False
        return names if ok else None

    def relocations(self, entries: list[object], where: Where, crew: Then) -> list[Relocation]:
        result: list[Relocation] = []
        for index, entry in enumerate(entries):
            at = where.item(index)
            values = self.read(entry, fields.RELOCATION, at, then={"crew": crew})
            if values is None:
                continue
            start, end, crew_names = values.get("start"), values.get("end"), values.get("crew")
            if start is not None and end is not None:
                if _before(end, start) or (end == start and not end.date_only):
                    self.problem(at.key("end"), f"end {end} is not after start {start}")
                result.append(
                    Relocation(start, end, values.get("port"), None if crew_names is None else tuple(crew_names))
                )
        return result

    def relocations_in_order(
        self, relocations: Sequence[Relocation], dock: When, undock: When | None, where: Where
    ) -> None:
        previous = dock
        for index, relocation in enumerate(relocations):
            if _before(relocation.start, previous):
                after = "the dock" if previous is dock else "the previous relocation"
                self.problem(
                    where.key("relocations").item(index), f"starts at {relocation.start}, before {after} ({previous})"
                )
            previous = relocation.end
        if undock is not None and relocations and _before(undock, relocations[-1].end):
            self.problem(where.key("relocations"), f"the last relocation ends after the undock ({undock})")


def _before(late: When, early: When) -> bool:
    """Whether `late` is certainly earlier than `early`, given the open day of a bare date."""
    return late.latest - (1 if late.date_only else 0) < early.earliest


def _join(place: str, key: str) -> str:
    """A place in the document, quoting keys that are not bare TOML keys: `vehicles."Soyuz MS"`."""
    written = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)
    return f"{place}.{written}" if place else written


# The plain path takes the flight keys of simple kinds; one with tables in it goes the full way.
_PLAIN_KEYS = frozenset(field.name for field in fields.FLIGHT if field.kind not in ("tables", "table", "map", "named"))
_UNCERTAIN = frozenset(UNCERTAIN_FIELDS)


def _plain_when(value: object) -> When | None:
    """A date-time or date as `_Reader.when` reads it, or None where that would have a problem."""
    kind = type(value)
    if kind is datetime:
        if value.tzinfo is None:  # type: ignore[attr-defined]
            return None
        # What When.of counts, (value - EPOCH).total_seconds(), in one call; a When made without its __new__.
        seconds = int(value.timestamp())  # type: ignore[attr-defined]
        return _new_when(When, (seconds, False)) if _EARLIEST <= seconds < _LATEST else None
    if kind is date:
        result = When.of(value)  # type: ignore[arg-type]
        return result if _EARLIEST <= result.seconds < _LATEST else None
    return None


_new_when = tuple.__new__
_EARLIEST, _LATEST = EARLIEST.seconds, LATEST.seconds


def _plain_crew(value: object, people: Mapping[str, Person], seats: int) -> tuple[str, ...] | None:
    if type(value) is not list or len(value) > seats:
        return None
    for name in value:
        if type(name) is not str or name not in people:
            return None
    # Each person's key as [people] holds it, not the document's copy of it: one string for all their flights.
    return tuple([people[name].id for name in value]) if len(set(value)) == len(value) else None


def _plain_text(value: object) -> str | None:
    return value if type(value) is str and value.strip() else None


def _plain_flight(
    entry: object, vehicles: Mapping[str, Vehicle], people: Mapping[str, Person], ports: dict[str, str] | None = None
) -> Flight | None:
    """The flight of an ordinary [[flights]] table, straight; None for anything the full check must look at.

    Most flights are plain: known keys of the right types, no relocations or trip agencies. They
    are built here without the bookkeeping that a problem would need. Whatever this returns,
    `_Reader.flight` returns too (a test holds them to that); everything else goes to it.
    Names that repeat (the vehicle, the port, the crew) are kept once, not once a flight: `ports`
    holds the ports seen so far.
    """
    if type(entry) is not dict or not entry.keys() <= _PLAIN_KEYS:
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
    order = (launch, dock, undock, landing) if "dock" in entry else (launch, undock, landing)
    if launch.date_only or dock.date_only or (undock or launch).date_only or (landing or launch).date_only:
        written = [moment for moment in order if moment is not None]
        if any(_before(late, early) for early, late in itertools.pairwise(written)):
            return None
    else:  # to the second: in order when no value is earlier than the one before it
        last = launch.seconds
        for moment in order:
            if moment is not None:
                if moment.seconds < last:
                    return None
                last = moment.seconds
    port = note = None
    if "port" in entry:
        if (port := _plain_text(entry["port"])) is None:
            return None
        if ports is not None:
            port = ports.setdefault(port, port)
    if "note" in entry and (note := _plain_text(entry["note"])) is None:
        return None
    tentative = entry.get("tentative", False)
    uncertain = entry.get("uncertain", [])
    if type(tentative) is not bool or type(uncertain) is not list or not set(uncertain) <= _UNCERTAIN:
        return None
    if any(type(name) is not str for name in uncertain):
        return None
    # The Flight made without its Python __new__, its fields in their order.
    return _new_flight(
        Flight,
        (
            flight_id,
            kind.name if kind.name == vehicle else vehicle,
            launch,
            dock,
            undock,
            landing,
            port,
            (),  # relocations
            up,
            down,
            grounded,
            note,
            tentative,
            tuple(sorted(set(uncertain))) if uncertain else (),
            (),  # agencies
        ),
    )


_new_flight = tuple.__new__  # tests/test_loading.py holds the plain path to what the full check builds
