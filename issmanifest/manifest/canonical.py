"""A manifest as canonical facts: one line per fact, sorted, UTC times, for `git diff` and for comparing.

Two manifests that load to equal models have the same facts, whatever their
layout, comments, key order or way of writing a date.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from issmanifest.manifest import fields
from issmanifest.manifest.model import Agency, Agreement, Expedition, Flight, Manifest, Vehicle, When

Value = str | int | float | bool | list[str] | list[dict[str, str]] | None


def value_of(value: object) -> Value:
    """A field's value in plain, JSON-ready form: times as ISO 8601 UTC, tuples as lists."""
    if isinstance(value, When):
        return value.iso()
    if isinstance(value, tuple):
        return [item if isinstance(item, str) else str(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"no plain form for {type(value).__name__}")


FLIGHT_FIELDS = fields.names(fields.FLIGHT)[1:]  # the id names the flight in each fact


def flight_facts(flight: Flight) -> dict[str, Value]:
    """Each field of a flight in plain form; relocations and trip agencies as lists of tables."""
    facts: dict[str, Value] = {}
    for name in FLIGHT_FIELDS:
        raw = getattr(flight, name)
        if name == "relocations":
            facts[name] = [
                {
                    key: text
                    for key, text in (
                        ("start", relocation.start.iso()),
                        ("end", relocation.end.iso()),
                        ("port", relocation.port),
                        ("crew", None if relocation.crew is None else ",".join(relocation.crew)),
                    )
                    if text is not None
                }
                for relocation in raw
            ]
        elif name == "agencies":
            facts[name] = [{"person": person, "agency": agency} for person, agency in raw]
        else:
            facts[name] = value_of(raw)
    return facts


def agency_facts(agency: Agency) -> dict[str, Value]:
    return {
        "country": agency.country,
        "aliases": list(agency.aliases),
        "former_names": [{"name": former.name, "until": former.until.iso()} for former in agency.former_names],
    }


def vehicle_facts(vehicle: Vehicle) -> dict[str, Value]:
    return {
        "seats": vehicle.seats,
        "lifeboat": vehicle.lifeboat,
        "max_docked_days": vehicle.max_docked_days,
        "provider": vehicle.provider,
    }


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._+-]*")


def _text(value: Value) -> str:
    """A value as written in a fact: simple tokens (ids, times, codes) bare, anything else as JSON."""
    if isinstance(value, str) and _TOKEN.fullmatch(value) and value not in ("true", "false", "null"):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _line(*parts: str, value: Value) -> str | None:
    """One fact; None for a value that says nothing (absent, empty, false)."""
    if value is None or value == [] or value is False:
        return None
    return " ".join((*parts, _text(value)))


def dump_lines(manifest: Manifest) -> Iterator[str]:
    """The canonical facts of a manifest, one per line: `flight soyuz-ms-22 dock 2022-09-21T17:06:00Z`.

    Made as they are read: at 100,000 flights the list of every fact outweighed the manifest.
    """
    return (fact for fact in _facts(manifest) if fact is not None)


def _facts(manifest: Manifest) -> Iterator[str | None]:
    yield _line("format", value=manifest.format)
    yield _line("as_of", value=value_of(manifest.as_of))
    station = manifest.station
    yield _line("station", "name", value=station.name)
    yield _line("station", "core_partners", value=list(station.core_partners))
    yield _line("station", "max_crew", value=station.max_crew)
    for name in sorted(manifest.agencies):
        for key, value in agency_facts(manifest.agencies[name]).items():
            yield _line("agency", _text(name), key, value=value)
    for name in sorted(manifest.vehicles):
        for key, value in vehicle_facts(manifest.vehicles[name]).items():
            yield _line("vehicle", _text(name), key, value=value)
    for key in sorted(manifest.people):
        person = manifest.people[key]
        for field in fields.names(fields.PERSON):
            yield _line("person", key, field, value=getattr(person, field))
    for flight in manifest.flights:
        for field, value in flight_facts(flight).items():
            yield _line("flight", flight.id, field, value=value)
    for expedition in manifest.expeditions:
        for key, value in expedition_facts(expedition).items():
            yield _line("expedition", str(expedition.number), key, value=value)
    for agreement in manifest.agreements:
        for key, value in agreement_facts(agreement).items():
            yield _line("agreement", _text(agreement.name), key, value=value)


def agreement_facts(agreement: Agreement) -> dict[str, Value]:
    return {
        "parties": list(agreement.parties),
        "signed": agreement.signed.iso(),
        "from": None if agreement.start is None else agreement.start.iso(),
        "until": None if agreement.until is None else agreement.until.iso(),
        "flights": list(agreement.flights),
        "note": agreement.note,
        "uncertain": list(agreement.uncertain),
    }


def expedition_facts(expedition: Expedition) -> dict[str, Value]:
    return {"start": expedition.start.iso(), "began": expedition.began or None}
