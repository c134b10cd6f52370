"""Public feeds about who is aboard, read into plain records: Open Notify, corquaid's JSON, Launch Library 2.

Each feed says less than a manifest, in its own shape; `read_feed` recognises the
shape from the content and keeps what a manifest can be compared with: the people
aboard, the vehicles docked and their ports, docking events, and a crew count. The
shapes are those of real responses (docs/crosscheck.md lists them, with the fixtures
under tests/feeds/). Nothing here touches the network.
"""

import enum
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from issmanifest.manifest.model import EPOCH
from issmanifest.manifest.problems import ManifestError, Problem

ISS = "ISS"  # how the records name the International Space Station, whatever the feed calls it


class FeedKind(enum.StrEnum):
    """The shapes `read_feed` knows."""

    OPEN_NOTIFY = "open-notify"  # astros.json: {message, number, people: [{name, craft}]}
    PEOPLE_IN_SPACE = "people-in-space"  # corquaid's people-in-space.json
    DOCKED_SPACECRAFT = "docked-spacecraft"  # corquaid's iss-docked-spacecraft.json
    LL2_STATIONS = "ll2-stations"  # Launch Library 2 space stations, a list or one, 2.2.0 or 2.3.0
    LL2_DOCKING_EVENTS = "ll2-docking-events"  # Launch Library 2 docking events, 2.1.0 and later


EXPECTED = {
    FeedKind.OPEN_NOTIFY: 'Open Notify astros.json ({"message", "number", "people": [{"name", "craft"}]})',
    FeedKind.PEOPLE_IN_SPACE: 'people-in-space.json ({"number", "people": [{"name", "spacecraft", "iss"}]})',
    FeedKind.DOCKED_SPACECRAFT: 'iss-docked-spacecraft.json ({"number", "spacecraft": [{"name", "docking_port"}]})',
    FeedKind.LL2_STATIONS: "a Launch Library 2 space station, or a list of them, with docking_location",
    FeedKind.LL2_DOCKING_EVENTS: "a Launch Library 2 docking event list ({results: [{docking, departure}]})",
}


class Aboard(NamedTuple):
    """A person a feed has aboard a station."""

    name: str  # as the feed spells it
    station: str  # ISS, or the other station's name as the feed gives it ("Tiangong")
    spacecraft: str | None = None  # the vehicle the feed ties them to: "Soyuz MS-22", "Crew-6 Dragon"
    agency: str | None = None


class DockedVehicle(NamedTuple):
    """A vehicle a feed has docked at the ISS now."""

    name: str  # the feed's name for it: "Soyuz MS-28", "Crew-12 Dragon", "Crew Dragon Freedom"
    port: str | None  # "Rassvet nadir"
    docked: int | None  # when it docked (at this port, in LL2), seconds since the epoch
    crewed: bool | None  # True a crew vehicle, False cargo, None the feed does not say
    mission: str | None = None  # LL2's launch name for the flight: "Crew-12", "Soyuz MS-29"
    crew: tuple[str, ...] = ()  # the names the feed lists aboard it


class DockingEvent(NamedTuple):
    """One docking at a station and its departure (LL2 records a relocation as a new docking)."""

    vehicle: str  # LL2's spacecraft name: "Soyuz MS-17", "Crew Dragon Resilience", "Space Shuttle Atlantis"
    docking: int
    departure: int | None  # None: still docked when the feed was made
    port: str | None
    station: str | None  # where: "International Space Station", "Mir", None when not given
    crewed: bool | None
    serial: str | None = None
    mission: str | None = None  # the launch name, where the event carries it


class Feed(NamedTuple):
    """What one feed says, normalised. Empty tuples where the feed does not carry a fact."""

    kind: FeedKind
    source: str
    version: str | None  # the LL2 API version, read from its URLs
    timestamp: int | None  # the feed's own time, when it has one
    people: tuple[Aboard, ...]
    lists_everyone: bool  # whether `people` claims to be everyone aboard (not only named crews)
    docked: tuple[DockedVehicle, ...]
    lists_docked: bool  # whether the feed carries the docked vehicles at all
    events: tuple[DockingEvent, ...]
    crew_count: int | None  # LL2's onboard_crew for the ISS

    @property
    def iss_people(self) -> tuple[Aboard, ...]:
        return tuple(person for person in self.people if person.station == ISS)

    @property
    def elsewhere(self) -> tuple[Aboard, ...]:
        """People the feed has on other stations (Tiangong), counted apart."""
        return tuple(person for person in self.people if person.station != ISS)


def read_feed(data: bytes | str, *, kind: FeedKind | None = None, source: str) -> Feed:
    """Read a feed's JSON, recognising its kind from the content unless `kind` says it.

    `source` names the feed in messages. Anything that is not one of the known shapes
    raises `ManifestError` with one problem naming what was expected.

        >>> read_feed('{"message": "success", "number": 0, "people": []}', source="astros.json").kind
        <FeedKind.OPEN_NOTIFY: 'open-notify'>
    """
    document = _parse_json(data, source)
    found = kind or recognise(document)
    if found is None:
        expected = "; ".join(EXPECTED.values())
        raise ManifestError([Problem(source, "not a feed issmanifest knows", hint=f"expected {expected}")])
    try:
        return _READERS[found](document, source)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        raise ManifestError(
            [Problem(source, f"not a {found} feed ({_why(error)})", hint=f"expected {EXPECTED[found]}")]
        ) from None


def recognise(document: Any) -> FeedKind | None:
    """The kind of feed a parsed JSON document is, from its keys; None if none fits."""
    if isinstance(document, dict):
        people = document.get("people")
        if isinstance(people, list) and "number" in document:
            first = people[0] if people and isinstance(people[0], dict) else {}
            if "message" in document or "craft" in first:
                return FeedKind.OPEN_NOTIFY
            if not people or "spacecraft" in first or "iss" in first:
                return FeedKind.PEOPLE_IN_SPACE
        spacecraft = document.get("spacecraft")
        if (
            isinstance(spacecraft, list)
            and "number" in document
            and (not spacecraft or (isinstance(spacecraft[0], dict) and "docking_port" in spacecraft[0]))
        ):
            return FeedKind.DOCKED_SPACECRAFT
        if _is_station(document):
            return FeedKind.LL2_STATIONS
        results = document.get("results")
        if isinstance(results, list):
            return _list_kind(results)
    elif isinstance(document, list):
        return _list_kind(document)
    return None


def _list_kind(items: list[Any]) -> FeedKind | None:
    if items and all(_is_station(item) for item in items):
        return FeedKind.LL2_STATIONS
    if items and all(_is_docking_event(item) for item in items):
        return FeedKind.LL2_DOCKING_EVENTS
    return None


def _is_station(item: Any) -> bool:
    return isinstance(item, dict) and "name" in item and ("docking_location" in item or "orbit" in item)


def _is_docking_event(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and "docking" in item
        and ("flight_vehicle" in item or "flight_vehicle_chaser" in item or "flight_vehicle_target" in item)
    )


def _parse_json(data: bytes | str, source: str) -> Any:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ManifestError([Problem(source, f"not UTF-8 text (byte 0x{data[error.start]:02x})")]) from None
    try:
        return json.loads(data)
    except json.JSONDecodeError as error:
        problem = Problem(source, f"not valid JSON: {error.msg}", line=error.lineno, column=error.colno)
        raise ManifestError([problem]) from None


def _why(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"no {error.args[0]!r}"
    return str(error) or type(error).__name__


def instant(text: str | None) -> int | None:
    """An LL2 time ("2024-08-06T07:11:00Z") as seconds since the epoch."""
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return int((moment - EPOCH).total_seconds())


def _seconds(value: Any) -> int | None:
    """corquaid's unix seconds (an int, sometimes a float, null when unknown)."""
    return None if value is None else int(value)


def _read_open_notify(document: Mapping[str, Any], source: str) -> Feed:
    people = tuple(Aboard(name=person["name"], station=_station(person.get("craft"))) for person in document["people"])
    timestamp = document.get("timestamp")
    return _feed(FeedKind.OPEN_NOTIFY, source, people=people, timestamp=_seconds(timestamp))


def _read_people_in_space(document: Mapping[str, Any], source: str) -> Feed:
    people = []
    for person in document["people"]:
        on_iss = person.get("iss")
        station = ISS if on_iss else _other_station(person.get("spacecraft"))
        people.append(
            Aboard(
                name=person["name"],
                station=station,
                spacecraft=person.get("spacecraft") or None,
                agency=person.get("agency") or None,
            )
        )
    return _feed(FeedKind.PEOPLE_IN_SPACE, source, people=tuple(people))


def _read_docked_spacecraft(document: Mapping[str, Any], source: str) -> Feed:
    docked: list[DockedVehicle] = []
    people: list[Aboard] = []
    for vehicle in document["spacecraft"]:
        if vehicle.get("iss") is False:
            continue
        mission_type = (vehicle.get("mission_type") or "").casefold()
        crew = tuple(vehicle.get("crew") or ())
        docked.append(
            DockedVehicle(
                name=vehicle["name"],
                port=vehicle.get("docking_port") or None,
                docked=_seconds(vehicle.get("docked")),
                crewed=True if mission_type == "crew" else False if mission_type == "cargo" else None,
                crew=crew,
            )
        )
        people.extend(Aboard(name=name, station=ISS, spacecraft=vehicle["name"]) for name in crew)
    return _feed(
        FeedKind.DOCKED_SPACECRAFT,
        source,
        people=tuple(people),
        lists_everyone=False,
        docked=tuple(docked),
        lists_docked=True,
    )


def _read_ll2_stations(document: Any, source: str) -> Feed:
    stations = document if isinstance(document, list) else document.get("results", [document])
    people: list[Aboard] = []
    docked: list[DockedVehicle] = []
    crew_count = None
    lists_docked = lists_everyone = False
    for station in stations:
        iss = _is_iss(station)
        where = ISS if iss else _short_station(station["name"])
        for expedition in station.get("active_expeditions") or ():
            crew = expedition.get("crew")
            if crew is None:
                continue  # 2.3.0 and the normal mode give expeditions without their crews
            lists_everyone = lists_everyone or iss
            for member in crew:
                astronaut = member["astronaut"]
                agency = (astronaut.get("agency") or {}).get("name")
                people.append(Aboard(name=astronaut["name"], station=where, agency=agency))
        if not iss:
            continue
        crew_count = station.get("onboard_crew")
        locations = station.get("docking_location")
        if locations is None:
            continue  # the normal mode has no ports
        lists_docked = True
        for location in locations:
            event = location.get("docked") or location.get("currently_docked")
            if event:
                docked.append(_docked_from_event(event, location["name"]))
    return _feed(
        FeedKind.LL2_STATIONS,
        source,
        version=_version(document),
        people=tuple(people),
        lists_everyone=lists_everyone,
        docked=tuple(docked),
        lists_docked=lists_docked,
        crew_count=crew_count,
    )


def _docked_from_event(event: Mapping[str, Any], port: str) -> DockedVehicle:
    flight = event.get("flight_vehicle") or event.get("flight_vehicle_chaser") or {}
    spacecraft = flight.get("spacecraft") or {}
    return DockedVehicle(
        name=spacecraft.get("name") or "?",
        port=port,
        docked=instant(event.get("docking")),
        crewed=_crewed(spacecraft),
        mission=_mission(flight.get("launch")),
    )


def _read_ll2_events(document: Any, source: str) -> Feed:
    items = document if isinstance(document, list) else document["results"]
    events = []
    for item in items:
        flight = item.get("flight_vehicle") or item.get("flight_vehicle_chaser") or {}
        spacecraft = flight.get("spacecraft") or {}
        location = item.get("docking_location") or {}
        station = flight.get("destination") or (item.get("space_station_target") or {}).get("name")
        station = station or (location.get("spacestation") or {}).get("name")
        docking = instant(item["docking"])
        if docking is None:
            continue  # not docked yet
        events.append(
            DockingEvent(
                vehicle=spacecraft.get("name") or "?",
                docking=docking,
                departure=instant(item.get("departure")),
                port=location.get("name"),
                station=station,
                crewed=_crewed(spacecraft),
                serial=spacecraft.get("serial_number"),
                mission=_mission(flight.get("launch")),
            )
        )
    return _feed(FeedKind.LL2_DOCKING_EVENTS, source, version=_version(document), events=tuple(events))


def _feed(
    kind: FeedKind,
    source: str,
    *,
    version: str | None = None,
    timestamp: int | None = None,
    people: tuple[Aboard, ...] = (),
    lists_everyone: bool = True,
    docked: tuple[DockedVehicle, ...] = (),
    lists_docked: bool = False,
    events: tuple[DockingEvent, ...] = (),
    crew_count: int | None = None,
) -> Feed:
    return Feed(
        kind=kind,
        source=source,
        version=version,
        timestamp=timestamp,
        people=people,
        lists_everyone=lists_everyone,
        docked=docked,
        lists_docked=lists_docked,
        events=events,
        crew_count=crew_count,
    )


_READERS: dict[FeedKind, Callable[[Any, str], Feed]] = {
    FeedKind.OPEN_NOTIFY: _read_open_notify,
    FeedKind.PEOPLE_IN_SPACE: _read_people_in_space,
    FeedKind.DOCKED_SPACECRAFT: _read_docked_spacecraft,
    FeedKind.LL2_STATIONS: _read_ll2_stations,
    FeedKind.LL2_DOCKING_EVENTS: _read_ll2_events,
}

_CARGO = ("cargo", "progress", "cygnus", "htv", "kounotori", "atv", "dream chaser")


def _crewed(spacecraft: Mapping[str, Any]) -> bool | None:
    """Whether LL2's spacecraft is a crew vehicle: from its configuration's type, else its name."""
    config = spacecraft.get("spacecraft_config") or {}
    kind = ((config.get("type") or {}).get("name") or "").casefold()
    if kind == "cargo resupply":
        return False
    names = f"{spacecraft.get('name') or ''} {config.get('name') or ''}".casefold()
    if any(word in names for word in _CARGO) or re.search(r"\bdragon (1|c1\d\d)\b", names):
        return False
    if any(word in names for word in ("soyuz", "shuttle", "crew dragon", "starliner", "shenzhou")):
        return True
    return None


def _mission(launch: Any) -> str | None:
    """The flight's own name from LL2's launch name: "Falcon 9 Block 5 | Crew-8" is "Crew-8"."""
    if not isinstance(launch, dict) or not launch.get("name"):
        return None
    name: str = launch["name"]
    return name.rsplit("|", 1)[-1].strip()


def _version(document: Any) -> str | None:
    match = re.search(r"/(\d+\.\d+\.\d+)/", json.dumps(document)[:20_000])
    return match.group(1) if match else None


def _is_iss(station: Mapping[str, Any]) -> bool:
    return station.get("id") == 4 or "international space station" in str(station.get("name", "")).casefold()


def _station(craft: str | None) -> str:
    return ISS if (craft or "").strip().casefold() in ("iss", "international space station") else craft or "?"


def _short_station(name: str) -> str:
    return "Tiangong" if "tiangong" in name.casefold() else name


def _other_station(spacecraft: str | None) -> str:
    """people-in-space's `iss: false` crews: Shenzhou flies to Tiangong; another vehicle names itself."""
    return "Tiangong" if spacecraft and "shenzhou" in spacecraft.casefold() else spacecraft or "elsewhere"


def kinds() -> Sequence[str]:
    """The kind names, for a `--kind` choice."""
    return [kind.value for kind in FeedKind]
