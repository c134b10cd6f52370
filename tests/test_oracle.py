"""The sweep against brute force: every rule evaluated at every event boundary and between them."""

from __future__ import annotations

import itertools
import os

from hypothesis import HealthCheck, given, settings
from strategies import manifest_documents, manifest_texts

from issmanifest.loading import parse_manifest
from issmanifest.model import Flight, Manifest, When
from issmanifest.rules import check_continuity
from issmanifest.timeline import Stay, build_timeline, pair_stays

PARTNERS = {"NASA": "NASA", "Roscosmos": "Roscosmos"}


def _in(start: int, end: int | None, x: int) -> bool:
    return start <= x and (end is None or x < end)


def _relocating(flight: Flight, x: int) -> bool:
    return any(r.start.seconds <= x < r.end.seconds for r in flight.relocations)


def _port(flight: Flight, x: int) -> str | None:
    port = flight.port
    for relocation in flight.relocations:
        if relocation.end.seconds <= x:
            port = relocation.port
    return port


def violations(manifest: Manifest, stays: tuple[Stay, ...], x: int, long: bool | None = None) -> set[tuple[str, str]]:
    """What the rules forbid at instant x, worked out from the manifest alone.

    Bare dates stand at 00:00, or (long True/False) where stays and dockings are longest/shortest.
    """

    def begin(when: When) -> int:
        return when.seconds + (86400 if when.date_only and long is False else 0)

    def finish(when: When | None) -> int | None:
        return None if when is None else when.seconds + (86400 if when.date_only and long else 0)

    def partner(stay: Stay) -> str | None:
        return PARTNERS.get(manifest.people[stay.person].agency)

    def active(stay: Stay, at: int) -> bool:
        return _in(begin(stay.start), finish(stay.end), at)

    riding = set()
    for flight in manifest.flights:
        for relocation in flight.relocations:
            if relocation.start.seconds <= x < relocation.end.seconds:
                riding |= {s for s in stays if s.returns_on == flight.id and active(s, relocation.start.seconds)}
    aboard = [s for s in stays if active(s, x) and s not in riding]
    docked = [f for f in manifest.flights if _in(begin(f.dock), finish(f.undock), x) and not _relocating(f, x)]
    found: set[tuple[str, str]] = set()
    for name in PARTNERS:
        if not any(partner(s) == name for s in aboard):
            found.add(("partner-presence", name))
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


@settings(
    max_examples=int(os.environ.get("ORACLE_EXAMPLES", 300)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(manifest_texts())
def test_the_sweep_agrees_with_brute_force_at_every_boundary_and_between(text: str) -> None:
    manifest = parse_manifest(text, "random.toml")
    timeline = build_timeline(manifest)
    start, end = timeline.first, timeline.horizon
    assert start is not None and end is not None
    result = check_continuity(manifest, start, end)
    stays = pair_stays(manifest).stays
    moments = {f.dock.seconds for f in manifest.flights} | {f.undock.seconds for f in manifest.flights if f.undock}
    moments |= {g.seconds for f in manifest.flights if (g := f.grounded)}
    moments |= {r.start.seconds for f in manifest.flights for r in f.relocations}
    moments |= {r.end.seconds for f in manifest.flights for r in f.relocations}
    bounds = sorted(m for m in moments | {start, end} if start <= m <= end)
    samples = set(bounds[:-1]) | {(a + b) // 2 for a, b in itertools.pairwise(bounds)}
    for x in sorted(samples):
        if not start <= x < end:
            continue
        engine = {
            (f.rule, f.subject.casefold() if f.rule == "port-conflict" else f.subject)
            for f in result.findings
            if _in(f.start, f.end, x)
        }
        assert engine == violations(manifest, stays, x), f"at {x}"


ERROR_RULES = {"partner-presence", "lifeboat-seats", "port-conflict"}


@settings(
    max_examples=int(os.environ.get("ORACLE_EXAMPLES", 200)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(manifest_documents(bare_dates=True))
def test_bare_dates_make_warnings_never_errors_and_miss_nothing(document: dict) -> None:
    import tomli_w

    manifest = parse_manifest(tomli_w.dumps(document), "random.toml")
    timeline = build_timeline(manifest)
    start, end = timeline.first, timeline.horizon
    assert start is not None and end is not None
    result = check_continuity(manifest, start, end)
    stays = pair_stays(manifest).stays
    for x in range(start, end, 6 * 3600):
        found = [
            (f.rule, f.subject.casefold() if f.rule == "port-conflict" else f.subject, f.severity)
            for f in result.findings
            if _in(f.start, f.end, x) and f.rule in ERROR_RULES
        ]
        possible = violations(manifest, stays, x, True) | violations(manifest, stays, x, False)
        certain = violations(manifest, stays, x, True) & violations(manifest, stays, x, False)
        possible = {v for v in possible if v[0] in ERROR_RULES}
        assert {(rule, subject) for rule, subject, severity in found if severity == "error"} <= certain, f"at {x}"
        assert possible <= {(rule, subject) for rule, subject, _ in found}, f"at {x}"
