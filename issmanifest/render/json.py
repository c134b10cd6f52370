"""JSON output: the machine contracts of docs/json.md (sorted keys, a version key, UTC times)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from issmanifest.engine.rules import Check, Finding
from issmanifest.manifest.model import When, iso

if TYPE_CHECKING:
    from issmanifest.engine.margins import Margin, Margins
    from issmanifest.reports.chart import Chart
    from issmanifest.reports.crosscheck import CrossCheck, CrossChecks
    from issmanifest.reports.diff import ManifestDiff
    from issmanifest.reports.snapshot import PlannedEvent, Snapshot, Stations
    from issmanifest.reports.stats import Stats
    from issmanifest.reports.swaps import Ride, Swaps

VERSION = 1

# json.dumps escapes C0 controls; these it leaves raw, and a terminal may act on them.
_UNSAFE = re.compile("[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def dumps(data: dict[str, Any], *, version: bool = True) -> str:
    value = document(data) if version else data
    try:
        return "".join(_safe(_chunks(value)))
    except RecursionError:  # nested past what the writer's recursion allows: the standard encoder says so
        return _UNSAFE.sub(_escaped, _encoded(value))


def pieces(data: dict[str, Any], *, version: bool = True) -> Iterator[str]:
    """`dumps(data)` in pieces of a few thousand tokens, each made when asked for: the CLI writes them as they
    come, so that a large report's text, and the pieces it would be joined from, are not held at once."""
    return _safe(_chunks(document(data) if version else data))


def _safe(chunks: Iterable[str]) -> Iterator[str]:
    return (_UNSAFE.sub(_escaped, chunk) for chunk in chunks)


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _encoded(value: object) -> str:
    # json.dumps with an indent makes a string of every token and keeps them all until it joins them: at
    # 100,000 flights that list outweighs the manifest. Joining as it goes keeps a few thousand.
    encoder = json.JSONEncoder(indent=2, sort_keys=True, ensure_ascii=False, default=_listed)
    parts: list[str] = []
    tokens: list[str] = []
    for token in encoder.iterencode(value):
        tokens.append(token)
        if len(tokens) == 4096:
            parts.append("".join(tokens))
            tokens.clear()
    tokens.append("\n")
    parts.append("".join(tokens))
    return "".join(parts)


class Each:
    """A list written item by item as the writer reaches it, each item made then and dropped after.

    For the long lists of a report (every ride of `swaps`): their objects, all made at once, took more
    memory than the report itself. Anything else that reads it sees the list (`list(each)`).
    """

    __slots__ = ("items", "make")

    def __init__(self, items: Sequence[Any], make: Callable[[Any], Any]) -> None:
        self.items, self.make = items, make

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return map(self.make, self.items)


def _listed(value: object) -> list[Any]:
    """What the standard encoder writes for an `Each`: its list."""
    if isinstance(value, Each):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_ESCAPE = json.encoder.encode_basestring  # how JSONEncoder(ensure_ascii=False) writes a string (in C)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (_INFINITY, -_INFINITY):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _scalar(value: object) -> str:
    """A plain value of a subclass (an enum) as JSONEncoder writes it, tested in the encoder's order."""
    if isinstance(value, str):
        return _ESCAPE(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _key(key: object) -> str:
    """A key as JSONEncoder writes it, with its separator: a string, or a number, boolean or null as one."""
    if isinstance(key, str):
        text = key
    elif isinstance(key, float):
        text = _float(key)
    elif key is True or key is False or key is None:
        text = "true" if key is True else "false" if key is False else "null"
    elif isinstance(key, int):
        text = int.__repr__(key)
    else:
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
    return _ESCAPE(text) + ": "


_INFINITY = float("inf")
_WRITERS: dict[type, Any] = {
    str: _ESCAPE,
    int: int.__repr__,
    bool: lambda value: "true" if value else "false",
    type(None): lambda value: "null",
    float: _float,
}
_LISTS = (list, tuple, Each)


def _indented(value: object) -> str:
    """`json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)` and a line break, byte for byte."""
    return "".join(_chunks(value))


def _chunks(value: object) -> Iterator[str]:
    """`_indented(value)` in pieces of a few thousand tokens, made as they are asked for.

    The standard encoder with an indent is pure Python, a generator per level and a string per token;
    this writes a key and its plain value, or a list of plain values, in one string, recursively, and
    hands out what it has after each item of the lists at the top of the document (where the long ones are).
    """
    out: list[str] = []
    write = _writer(out)
    if isinstance(value, dict) and value:
        between = "{\n  "
        for key, item in sorted(value.items()):
            out.append(between + _key(key))
            between = ",\n  "
            if not isinstance(item, _LISTS) or not item:
                write(item, "\n  ")
                continue
            separator = "[\n    "
            for element in item:
                writer = _WRITERS.get(type(element))
                if writer is not None:
                    out.append(separator + writer(element))
                else:
                    out.append(separator)
                    write(element, "\n    ")
                separator = ",\n    "
                if len(out) > 4096:
                    yield "".join(out)
                    out.clear()
            out.append("\n  ]")
        out.append("\n}")
    else:
        write(value, "\n")
    out.append("\n")
    yield "".join(out)


def _writer(out: list[str]) -> Callable[[object, str], None]:
    """Write a value into `out`, its lines indented from `level` (a line break and the indent of its own line)."""
    append = out.append
    names: dict[str, str] = {}  # a key -> as written, with its separator
    writers = _WRITERS

    def write(value: object, level: str) -> None:
        if isinstance(value, dict):
            if not value:
                append("{}")
                return
            inner = level + "  "
            separator = "," + inner
            between = "{" + inner
            for key, item in sorted(value.items()):
                if type(key) is str:
                    name = names.get(key)
                    if name is None:
                        name = names[key] = _ESCAPE(key) + ": "
                else:
                    name = _key(key)
                writer = writers.get(type(item))
                if writer is not None:
                    append(between + name + writer(item))
                else:
                    append(between + name)
                    write(item, inner)
                between = separator
            append(level + "}")
        elif isinstance(value, _LISTS):
            if not value:
                append("[]")
                return
            inner = level + "  "
            separator = "," + inner
            if not isinstance(value, Each):
                try:
                    append("[" + inner + separator.join([writers[type(item)](item) for item in value]) + level + "]")
                    return
                except KeyError:
                    pass
            between = "[" + inner
            for item in value:
                writer = writers.get(type(item))
                if writer is not None:
                    append(between + writer(item))
                else:
                    append(between)
                    write(item, inner)
                between = separator
            append(level + "]")
        else:
            writer = writers.get(type(value))
            append(writer(value) if writer is not None else _scalar(value))

    return write


def document(data: dict[str, Any]) -> dict[str, Any]:
    """A command's JSON object as docs/json.md describes it: the data with its version key."""
    return {"version": VERSION, **data}


# The Open Notify feed's names for stations, where they differ from the manifest's `[station] name`.
OPEN_NOTIFY_CRAFTS = {"International Space Station": "ISS"}


def open_notify(result: Snapshot | Stations) -> str:
    """Who is aboard in the shape of the Open Notify people-in-space feed, for the dashboards that read it.

    One station's snapshot, or several (`number` counts everyone), each person's `craft` the station as the feed
    names it: "ISS", "Tiangong". Keys the feed lacks tell plans from facts: per person `unconfirmed`; for one
    station its date of knowledge at the top level, for several a `stations` list with each one's.
    """
    from issmanifest.reports.snapshot import Stations

    snapshots = result.snapshots if isinstance(result, Stations) else (result,)
    people = []
    knowledge = []
    for snapshot in snapshots:
        name = snapshot.manifest.station.name
        craft = OPEN_NOTIFY_CRAFTS.get(name, name)
        people += [
            {"name": member.name, "craft": craft, "unconfirmed": snapshot.beyond_facts or member.arrival_unconfirmed}
            for member in snapshot.aboard
        ]
        knowledge.append({"craft": craft, "number": len(snapshot.aboard), **_knowledge(snapshot)})
    data: dict[str, Any] = {"message": "success", "number": len(people), "people": people}
    data["number_confirmed"] = sum(snapshot.confirmed for snapshot in snapshots)
    if isinstance(result, Stations):
        data["stations"] = knowledge
    else:
        data.update(_knowledge(result))
    return dumps(data, version=False)


def _knowledge(snapshot: Snapshot) -> dict[str, Any]:
    """What tells a reader plans from facts: the manifest's date of knowledge and whether `at` lies past it."""
    return {
        "as_of": _when(snapshot.as_of),
        "known_until": _when(snapshot.known_until),
        "beyond_known": snapshot.beyond_facts,
        "past_last_event": snapshot.past_last_event,
    }


def _planned(event: PlannedEvent) -> dict[str, Any]:
    return {"flight": event.flight, "event": event.event, "when": event.when.iso()}


def _when(value: When | None) -> str | None:
    return None if value is None else value.iso()


def finding(item: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": item.rule,
        "severity": item.severity,
        "start": iso(item.start),
        "end": None if item.end is None else iso(item.end),
        "message": item.message,
        "subject": item.subject,
    }
    if item.partner is not None:
        data["partner"] = item.partner
    if item.flight is not None:
        data["flight"] = item.flight
    if item.people:
        data["people"] = list(item.people)
    if item.date_only:
        data["date_only"] = True
    return data


def show_object(snapshot: Snapshot) -> dict[str, Any]:
    """What `show --format json` prints, as a Python object."""
    arrivals = {rotation.flight.id: rotation for rotation in snapshot.rotations if rotation.event == "arrival"}
    arrivals_in_order = [arrivals[flight.id] for flight in snapshot.upcoming]
    return document(
        {
            "at": iso(snapshot.at),
            "station": snapshot.manifest.station.name,
            "aboard": [
                {
                    "person": member.person,
                    "name": member.name,
                    "nationality": member.nationality,
                    "agency": member.agency,
                    "arrived_on": member.arrived_on,
                    "arrived": _when(member.arrived),
                    "returns_on": member.returns_on,
                    "returns": _when(member.returns),
                    "days_aboard": member.days_aboard,
                    "unconfirmed": member.unsure,
                    "arrival_unconfirmed": member.arrival_unconfirmed,
                    "return_unconfirmed": member.return_unconfirmed,
                    "past_docked_life_days": member.past_docked_life,
                    "cross_ride": member.cross_ride,
                }
                for member in snapshot.aboard
            ],
            "docked": [
                {
                    "flight": vehicle.flight,
                    "vehicle": vehicle.vehicle,
                    "port": vehicle.port,
                    "docked": vehicle.docked.iso(),
                    "lifeboat": vehicle.lifeboat,
                    "unconfirmed": vehicle.unconfirmed,
                }
                for vehicle in snapshot.docked
            ],
            "number_confirmed": snapshot.confirmed,
            **_knowledge(snapshot),
            "plans_since": [_planned(event) for event in snapshot.plans_since],
            "overdue": [_planned(event) for event in snapshot.overdue],
            "by_nationality": snapshot.by_nationality,
            "core_partners": snapshot.core_partners,
            "continuity": {
                "until": _when(snapshot.continuity.horizon),
                "represented_throughout": snapshot.stays_represented,
                "gaps": [finding(gap) for gap in snapshot.gaps],
            },
            "upcoming": [
                {
                    "flight": flight.id,
                    "vehicle": flight.vehicle,
                    "launch": flight.launch.iso(),
                    "dock": flight.dock.iso(),
                    "up": list(flight.up),
                    "down": list(flight.down),
                    "tentative": flight.tentative,
                    "uncertain": list(flight.uncertain),
                    "unconfirmed": rotation.unconfirmed,
                }
                for flight, rotation in zip(snapshot.upcoming, arrivals_in_order, strict=True)
            ],
            "departures": [
                {
                    "flight": rotation.flight.id,
                    "undock": _when(rotation.when),
                    "down": list(rotation.people),
                    "unconfirmed": rotation.unconfirmed,
                }
                for rotation in snapshot.rotations
                if rotation.event == "departure"
            ],
            "margin": None if snapshot.margin is None else margin(snapshot.margin),
        }
    )


def show(snapshot: Snapshot) -> str:
    return dumps(show_object(snapshot), version=False)


def stations_object(result: Stations) -> dict[str, Any]:
    """What `show --all-stations --format json` prints: each station as `show` gives it, and the counts across."""
    return document(
        {
            "at": iso(result.at),
            "number": result.number,
            "by_nationality": result.by_nationality,
            "stations": [
                {key: value for key, value in show_object(snapshot).items() if key != "version"}
                for snapshot in result.snapshots
            ],
        }
    )


def stations(result: Stations) -> str:
    return dumps(stations_object(result), version=False)


def margin(item: Margin) -> dict[str, Any]:
    return {
        "flight": item.flight,
        "event": item.event,
        "direction": item.direction,
        "scheduled": item.scheduled.iso(),
        "days": item.days,
        "rule": item.rule,
        "message": item.message,
        "people": list(item.people),
        "already_broken": item.already,
        "unconfirmed": item.unsure,
    }


def margins_object(result: Margins) -> dict[str, Any]:
    """What `margins --format json` prints, as a Python object."""
    return document(
        {
            "at": iso(result.at),
            "handover": result.handover,
            "horizon": _when(result.horizon),
            "margins": [margin(item) for item in result.margins],
        }
    )


def margins(result: Margins) -> str:
    return dumps(margins_object(result), version=False)


def check_object(result: Check) -> dict[str, Any]:
    """What `check --format json` prints, as a Python object."""
    return document(
        {
            "ok": result.passed,
            "from": None if result.start is None else iso(result.start),
            "until": None if result.end is None else iso(result.end),
            "horizon": _when(result.horizon),
            "open_ended": result.open_ended,
            "findings": [finding(item) for item in result.findings],
            "unconfirmed": result.unconfirmed,
            "rests_on": list(result.rests_on),
        }
    )


def check(result: Check) -> str:
    return dumps(check_object(result), version=False)


def diff_object(result: ManifestDiff) -> dict[str, Any]:
    """What `diff --format json` prints, as a Python object."""
    impact = result.continuity
    return document(
        {
            "changes": [
                {key: value for key, value in change._asdict().items() if value is not None}
                for change in result.changes
            ],
            "continuity": {
                "from": None if impact.start is None else iso(impact.start),
                "until": None if impact.end is None else iso(impact.end),
                "introduced": [finding(item) for item in impact.introduced],
                "resolved": [finding(item) for item in impact.resolved],
                "changed": [{"old": finding(old), "new": finding(new)} for old, new in impact.changed],
            },
        }
    )


def diff(result: ManifestDiff) -> str:
    return dumps(diff_object(result), version=False)


def timeline_object(chart: Chart) -> dict[str, Any]:
    """What `timeline --format json` prints, as a Python object."""
    return document(
        {
            "from": iso(chart.start),
            "until": iso(chart.end),
            "now": iso(chart.now),
            "by": chart.by,
            "bars": [
                {
                    "group": bar.group,
                    "person": bar.person,
                    "name": bar.name,
                    "agency": bar.agency,
                    "partner": bar.partner,
                    "arrived_on": bar.arrived_on,
                    "returns_on": bar.returns_on,
                    "start": iso(bar.start),
                    "end": None if bar.end is None else iso(bar.end),
                    "unconfirmed": bar.unsure,
                }
                for bar in chart.bars
            ],
            "gaps": [finding(item) for item in chart.gaps],
            "shortfalls": [finding(item) for item in chart.shortfalls],
        }
    )


def timeline(chart: Chart) -> str:
    return dumps(timeline_object(chart), version=False)


def stats_object(result: Stats) -> dict[str, Any]:
    """What `stats --format json` prints, as a Python object."""
    return document(
        {
            "by": result.by,
            "from": iso(result.start),
            "until": iso(result.end),
            "periods": [
                {
                    "period": period.label,
                    "start": iso(period.start),
                    "end": iso(period.end),
                    "days": round(period.days, 4),
                    "crewed_days": round(period.crewed_days, 4),
                    "mean_crew": round(period.mean_crew, 4),
                    "peak_crew": period.peak_crew,
                    "person_days": {
                        "nationality": {
                            code: round(days, 4) for code, days in period.person_days_by_nationality.items()
                        },
                        "agency": {name: round(days, 4) for name, days in period.person_days_by_agency.items()},
                    },
                    "exposure_days": {partner: round(days, 4) for partner, days in period.exposure_days.items()},
                    "shortfall_days": round(period.shortfall_days, 4),
                    "unconfirmed": period.unconfirmed,
                    "rests_on": list(period.rests_on),
                }
                for period in result.periods
            ],
        }
    )


def stats(result: Stats) -> str:
    return dumps(stats_object(result), version=False)


def swaps_object(result: Swaps) -> dict[str, Any]:
    return {
        "from": None if result.start is None else iso(result.start),
        "until": None if result.end is None else iso(result.end),
        "agreements": [
            {
                "name": agreement.name,
                "parties": list(agreement.parties),
                "signed": agreement.signed.iso(),
                "from": _when(agreement.start),
                "until": _when(agreement.until),
                "flights": list(agreement.flights),
                "note": agreement.note,
                "uncertain": list(agreement.uncertain),
            }
            for agreement in result.agreements
        ],
        "rides": Each(result.rides, _ride),
        "balance": [row._asdict() for row in result.balance],
        "empty_seats": [seat._asdict() for seat in result.empty_seats],
        "exposure": [
            {
                "kind": item.kind,
                "agency": item.agency,
                "start": iso(item.start),
                "end": iso(item.end),
                "days": round(item.days, 3),
            }
            for item in result.exposure
        ],
        "upcoming": [
            {
                "flight": item.flight,
                "launch": item.launch.iso(),
                "provider": item.provider,
                "riders": list(item.riders),
                "net": [{"provider": a, "receiver": b, "net": n} for a, b, n in item.net],
            }
            for item in result.upcoming
        ],
    }


def _ride(ride: Ride) -> dict[str, Any]:
    return {
        "flight": ride.flight,
        "vehicle": ride.vehicle,
        "provider": ride.provider,
        "person": ride.person,
        "name": ride.name,
        "agency": ride.agency,
        "direction": ride.direction,
        "when": _when(ride.when),
        "agreement": ride.agreement,
        "unconfirmed": list(ride.unconfirmed),
        "planned": ride.planned,
    }


def swaps(result: Swaps) -> str:
    return dumps(swaps_object(result))


def crosscheck_result(result: CrossCheck) -> dict[str, Any]:
    """One feed's comparison: its kind, its headline, each disagreement and note."""
    feed = result.feed
    return {
        "source": feed.source,
        "kind": str(feed.kind),
        "api_version": feed.version,
        "timestamp": None if feed.timestamp is None else iso(feed.timestamp),
        "at": iso(result.at),
        "tolerance_minutes": result.tolerance // 60,
        "agrees": result.agrees,
        "headline": result.headline,
        "disagreements": [
            {
                "subject": str(item.subject),
                "about": item.about,
                "feed": item.feed,
                "manifest": item.manifest,
                "lags": str(item.lags),
                "reason": item.reason,
                "flight": item.flight,
                "record": item.record,
            }
            for item in result.disagreements
        ],
        "notes": [
            {
                "subject": str(item.subject),
                "about": item.about,
                "text": item.text,
                "flight": item.flight,
                "record": item.record,
            }
            for item in result.notes
        ],
        "matched": [{"feed": name, "flight": flight} for name, flight in result.matched],
    }


def crosscheck_object(result: CrossChecks) -> dict[str, Any]:
    return {
        "at": iso(result.at),
        "agrees": result.agrees,
        "disagreements": result.disagreeing,
        "feeds": [crosscheck_result(item) for item in result.results],
    }


def crosscheck(result: CrossChecks) -> str:
    return dumps(crosscheck_object(result))
