"""Brute force: what the rules forbid at one instant, worked out from the manifest alone, for the oracle tests."""

from __future__ import annotations

from issmanifest.engine.stays import Stay
from issmanifest.manifest.model import Flight, Manifest, When

PARTNERS = {"NASA": "NASA", "Roscosmos": "Roscosmos"}


def within(start: int, end: int | None, x: int) -> bool:
    return start <= x and (end is None or x < end)


def _relocating(flight: Flight, x: int) -> bool:
    return any(r.start.seconds <= x < r.end.seconds for r in flight.relocations)


def _port(flight: Flight, x: int) -> str | None:
    port = flight.port
    for relocation in flight.relocations:
        if relocation.end.seconds <= x:
            port = relocation.port
    return port


def violations(
    manifest: Manifest, stays: tuple[Stay, ...], x: int, long: bool | None = None, riding_apart: bool = False
) -> set[tuple[str, str]]:
    """What the rules forbid at instant x, worked out from the manifest alone.

    Bare dates stand at 00:00, or (long True/False) where stays and dockings are longest/shortest.
    With `riding_apart`, a partner absent only because its people ride a vehicle between ports
    (a warning, not an error) is named "partner-riding".
    """

    def begin(when: When) -> int:
        return when.seconds + (86400 if when.date_only and long is False else 0)

    def finish(when: When | None) -> int | None:
        return None if when is None else when.seconds + (86400 if when.date_only and long else 0)

    def partner(stay: Stay) -> str | None:
        return PARTNERS.get(manifest.people[stay.person].agency)

    def active(stay: Stay, at: int) -> bool:
        return within(begin(stay.start), finish(stay.end), at)

    riding = set()
    for flight in manifest.flights:
        for relocation in flight.relocations:
            if relocation.start.seconds <= x < relocation.end.seconds:
                riding |= {s for s in stays if s.returns_on == flight.id and active(s, relocation.start.seconds)}
    aboard = [s for s in stays if active(s, x) and s not in riding]
    docked = [f for f in manifest.flights if within(begin(f.dock), finish(f.undock), x) and not _relocating(f, x)]
    found: set[tuple[str, str]] = set()
    for name in PARTNERS:
        if not any(partner(s) == name for s in aboard):
            apart = riding_apart and any(partner(s) == name for s in riding)
            found.add(("partner-riding" if apart else "partner-presence", name))
        members = [s for s in aboard if partner(s) == name]
        for flight in docked:
            if members and all(s.returns_on == flight.id for s in members):
                found.add(("vehicle-loss", f"{flight.id}/{name}"))
    seats = 0
    for flight in docked:
        if flight.grounded is not None and flight.grounded.seconds <= x:
            continue
        vehicle = manifest.vehicles[flight.vehicle]
        assigned = sum(1 for s in aboard if s.returns_on == flight.id)
        seats += min(vehicle.seats, assigned) if vehicle.lifeboat == "assigned" else vehicle.seats
    if len(aboard) > seats:
        found.add(("lifeboat-seats", "station"))
    ports: dict[str, int] = {}
    for flight in docked:
        port = _port(flight, x)
        if port is not None:
            ports[port.casefold()] = ports.get(port.casefold(), 0) + 1
    found |= {("port-conflict", port) for port, count in ports.items() if count > 1}
    return found
