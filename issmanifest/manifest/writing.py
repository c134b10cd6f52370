"""A manifest written anew as TOML (format 1), and the table of one flight as a new one is written.

The document says what the model says and no more: built-in agencies and
vehicles only where the manifest changed them, `dock` only where it differs
from `launch`, `down` only where it differs from `up`. Comments and layout of
the file it was read from are not kept (`editing` edits a file in place and
keeps them); reading the result gives an equal model.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from issmanifest.manifest import defaults, fields
from issmanifest.manifest.model import (
    Agency,
    Agreement,
    Expedition,
    Flight,
    Manifest,
    Relocation,
    Station,
    Vehicle,
    When,
)


def manifest_document(manifest: Manifest) -> dict[str, Any]:
    """The manifest as a TOML-ready dict."""
    document: dict[str, Any] = {"format": manifest.format}
    if manifest.as_of is not None:
        document["as_of"] = manifest.as_of.to_value()
    document["station"] = _station(manifest.station)
    agencies = {
        name: _agency(agency) for name, agency in manifest.agencies.items() if defaults.AGENCIES.get(name) != agency
    }
    vehicles = {
        name: _vehicle(vehicle) for name, vehicle in manifest.vehicles.items() if defaults.VEHICLES.get(name) != vehicle
    }
    if agencies:
        document["agencies"] = agencies
    if vehicles:
        document["vehicles"] = vehicles
    document["people"] = {
        key: {name: getattr(person, name) for name in fields.names(fields.PERSON)}
        for key, person in manifest.people.items()
    }
    document["flights"] = [flight_table(flight) for flight in manifest.flights]
    if manifest.expeditions:
        document["expeditions"] = {str(e.number): _expedition(e) for e in manifest.expeditions}
    if manifest.agreements:
        document["agreements"] = [_agreement(agreement) for agreement in manifest.agreements]
    return document


def dumps_manifest(manifest: Manifest, header: str = "") -> str:
    """The manifest as TOML text, after `header` (comment lines, each starting with #)."""
    import tomli_w

    return header + tomli_w.dumps(manifest_document(manifest), multiline_strings=False)


def _station(station: Station) -> dict[str, Any]:
    table: dict[str, Any] = {"name": station.name, "core_partners": list(station.core_partners)}
    if station.max_crew is not None:
        table["max_crew"] = station.max_crew
    return table


def _agency(agency: Agency) -> dict[str, Any]:
    table: dict[str, Any] = {}
    if agency.country is not None:
        table["country"] = agency.country
    if agency.aliases:
        table["aliases"] = list(agency.aliases)
    if agency.former_names:
        table["former_names"] = [
            {"name": former.name, "until": former.until.to_value()} for former in agency.former_names
        ]
    return table


def _vehicle(vehicle: Vehicle) -> dict[str, Any]:
    table: dict[str, Any] = {"seats": vehicle.seats, "lifeboat": vehicle.lifeboat}
    if vehicle.max_docked_days is not None:
        days = vehicle.max_docked_days
        table["max_docked_days"] = int(days) if days == int(days) else days
    base = defaults.VEHICLES.get(vehicle.name)
    # An entry for a built-in vehicle keeps its provider unless it names another.
    if vehicle.provider is not None and (base is None or base.provider != vehicle.provider):
        table["provider"] = vehicle.provider
    return table


def _agreement(agreement: Agreement) -> dict[str, Any]:
    table: dict[str, Any] = {"name": agreement.name, "parties": list(agreement.parties)}
    table["signed"] = agreement.signed.to_value()
    if agreement.start is not None:
        table["from"] = agreement.start.to_value()
    if agreement.until is not None:
        table["until"] = agreement.until.to_value()
    if agreement.flights:
        table["flights"] = list(agreement.flights)
    if agreement.note is not None:
        table["note"] = agreement.note
    if agreement.uncertain:
        table["uncertain"] = list(agreement.uncertain)
    return table


def flight_table(flight: Flight) -> dict[str, Any]:
    """A flight as a TOML-ready dict, its keys in the format's order."""
    table: dict[str, Any] = {}
    for name in fields.names(fields.FLIGHT):
        value = getattr(flight, name)
        # `dock` and `down` are written where they differ from what their absence means; `up` always.
        if name == "dock" or name == "down":
            if value == (flight.launch if name == "dock" else flight.up):
                continue
        elif name != "up" and (value is None or value is False or value == ()):
            continue
        table[name] = _written(name, value)
    return table


def _written(name: str, value: Any) -> Any:
    """A flight field's value as TOML writes it."""
    if isinstance(value, When):
        return value.to_value()
    if name == "relocations":
        return [relocation_table(relocation) for relocation in value]
    if name == "agencies":
        return dict(value)
    return list(value) if isinstance(value, tuple) else value


def relocation_table(relocation: Relocation) -> dict[str, Any]:
    """A move between ports as a TOML-ready dict."""
    return {
        "start": relocation.start.to_value(),
        "end": relocation.end.to_value(),
        **({"port": relocation.port} if relocation.port is not None else {}),
        **({"crew": list(relocation.crew)} if relocation.crew is not None else {}),
    }


def _expedition(expedition: Expedition) -> str | dict[str, str] | datetime | date:
    if not expedition.began:
        return expedition.start.to_value()
    flight, event = expedition.began.rsplit(" ", 1)
    return {"docked": flight} if event == "docked" else flight
