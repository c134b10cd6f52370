"""The seat swap as the engine sees it: whose vehicle a person rides, and when a swap leaves a partner uncovered."""

from collections.abc import Iterable, Mapping

from issmanifest.engine.stays import Stay
from issmanifest.manifest.model import Agreement, Flight, Manifest, canonical_agency


def provider_of(manifest: Manifest, flight: Flight) -> str | None:
    vehicle = manifest.vehicles.get(flight.vehicle)
    if vehicle is None or vehicle.provider is None:
        return None
    return canonical_agency(manifest.agencies, vehicle.provider) or vehicle.provider


def partner_of(manifest: Manifest, agency: str) -> str | None:
    """The core partner an agency name stands for, or None."""
    key = canonical_agency(manifest.agencies, agency) or agency
    return key if key in manifest.station.core_partners else None


def cross_ride(manifest: Manifest, stay: Stay, flights: Mapping[str, Flight]) -> str | None:
    """The provider of the vehicle a core partner's person rides home on (else, with no ride home yet, came up
    on), when it is another core partner: the seat swap, or a purchased seat."""
    agency = partner_of(manifest, stay.agency)
    if agency is None:
        return None
    flight = flights.get(stay.returns_on or stay.arrived_on)
    provider = None if flight is None else provider_of(manifest, flight)
    if provider is None or provider == agency or provider not in manifest.station.core_partners:
        return None
    return provider


def window_of(agreement: Agreement, flights: Mapping[str, Flight]) -> tuple[int, int | None]:
    """The time under an agreement: from its start (or signing) or its first listed flight's launch, to the end of
    its `until` day or its last listed flight's undocking, whichever is later (None: open-ended)."""
    listed = [flights[flight] for flight in agreement.flights if flight in flights]
    start = min([(agreement.start or agreement.signed).seconds, *(flight.launch.seconds for flight in listed)])
    ends: list[int | None] = [None if flight.undock is None else flight.undock.seconds for flight in listed]
    if agreement.until is not None:
        ends.append(agreement.until.latest)
    if not ends or None in ends:
        return start, None
    return start, max(end for end in ends if end is not None)


def covered(windows: Iterable[tuple[int, int | None]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of [start, end) inside any of the windows, sorted and merged."""
    pieces = sorted((max(low, start), end if high is None else min(high, end)) for low, high in windows)
    merged: list[tuple[int, int]] = []
    for low, high in pieces:
        if low >= high:
            continue
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def without(spans: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of sorted disjoint spans outside sorted disjoint holes."""
    result: list[tuple[int, int]] = []
    index = 0
    for low, high in spans:
        while index < len(holes) and holes[index][1] <= low:
            index += 1
        cursor, scan = low, index
        while scan < len(holes) and holes[scan][0] < high:
            if holes[scan][0] > cursor:
                result.append((cursor, holes[scan][0]))
            cursor = max(cursor, holes[scan][1])
            scan += 1
        if cursor < high:
            result.append((cursor, high))
    return result
