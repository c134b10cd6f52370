"""Margins: how far an arrival or departure can move, against brute force and on the real record."""

from __future__ import annotations

import os
from textwrap import dedent

import pytest
from brute import violations
from conftest import examples
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from strategies import BASE, manifest_documents

from issmanifest.engine.margins import ADVANCE, ARRIVAL, DELAY, DEPARTURE, margin, next_margin, upcoming_margins
from issmanifest.engine.stays import pair_stays
from issmanifest.manifest.loading import bundled_manifest, load_manifest, parse_manifest
from issmanifest.manifest.model import DAY, Flight, Manifest, When, parse_instant

ERROR_RULES = {"partner-presence", "lifeboat-seats", "port-conflict"}
MINUTE = 60
ORIGIN = When.of(BASE).seconds


# -- the brute force: shift, then look at every instant that matters ---------------------------


def instants(flight: Flight) -> list[int]:
    found = [flight.dock.seconds]
    found += [when.seconds for when in (flight.undock, flight.grounded) if when is not None]
    found += [when.seconds for r in flight.relocations for when in (r.start, r.end)]
    return found


def relief(manifest: Manifest, departure: Flight) -> Flight | None:
    """The same kind of vehicle, docking while the departure is there and staying after it; the latest such."""
    assert departure.undock is not None
    candidates = [
        f
        for f in manifest.flights
        if f.id != departure.id
        and f.vehicle == departure.vehicle
        and departure.dock.seconds < f.dock.seconds <= departure.undock.seconds
        and (f.undock is None or f.undock.seconds > departure.undock.seconds)
    ]
    return max(candidates, key=lambda f: f.dock.seconds, default=None)


def moved(manifest: Manifest, flight_id: str, event: str, shift: int, at: int, handover: bool) -> dict[str, Flight]:
    flight = manifest.flight(flight_id)
    if event == ARRIVAL:
        changed = {
            flight_id: flight._replace(
                launch=When(flight.launch.seconds + shift), dock=When(flight.dock.seconds + shift)
            )
        }
        if handover and shift > 0:
            for other in manifest.flights:
                if (
                    other.undock is not None
                    and other.undock.seconds > at
                    and (r := relief(manifest, other))
                    and r.id == flight_id
                ):
                    changed[other.id] = other._replace(undock=When(other.undock.seconds + shift))
        return changed
    assert flight.undock is not None
    return {flight_id: flight._replace(undock=When(flight.undock.seconds + shift))}


def broken(manifest: Manifest, flight_id: str, event: str, shift: int, at: int, handover: bool) -> set[str]:
    """Every reason the shift is not allowed: the rules it newly breaks, an impossible schedule, a docked life passed."""
    changed = moved(manifest, flight_id, event, shift, at, handover)
    reasons = set()
    for flight in changed.values():
        if flight.undock is not None and flight.undock.seconds < flight.dock.seconds:
            reasons.add("schedule")
        moves = [(r.start.seconds, r.end.seconds) for r in flight.relocations]
        if moves and (moves[0][0] < flight.dock.seconds or (flight.undock and flight.undock.seconds < moves[-1][1])):
            reasons.add("schedule")  # a move between ports outside the docking
    now = {f.id: changed.get(f.id, f) for f in manifest.flights}
    stays = pair_stays(manifest).stays
    for stay in stays:
        if (
            stay.returns_on
            and (ride := now[stay.returns_on].undock)
            and ride.seconds <= now[stay.arrived_on].dock.seconds
        ):
            reasons.add("schedule")  # the crew would miss their ride home
        for later in stays:
            if later.person == stay.person and later.start.seconds > stay.start.seconds and stay.returns_on:
                ride = now[stay.returns_on].undock
                if ride is not None and ride.seconds > now[later.arrived_on].dock.seconds:
                    reasons.add("schedule")  # still aboard when the next flight brings them up
    if handover and shift > 0:
        for flight_id_, flight in changed.items():
            original = manifest.flight(flight_id_)
            life = manifest.vehicles[flight.vehicle].max_docked_days
            if life is not None and flight.undock is not None and original.undock is not None:
                allowed = max(life * DAY, original.undock.seconds - original.dock.seconds)
                if flight.undock.seconds - flight.dock.seconds > allowed:
                    reasons.add("docked-life")
    trial = manifest._replace(flights=tuple(changed.get(f.id, f) for f in manifest.flights))
    horizon = manifest.horizon
    assert horizon is not None
    end = max([horizon, *(point for f in changed.values() for point in instants(f))])
    points = sorted({x for f in (*manifest.flights, *changed.values()) for x in instants(f) if at <= x < end} | {at})
    samples = set(points) | {(a + b) // 2 for a, b in zip(points, [*points[1:], end], strict=True)}
    old_stays, new_stays = pair_stays(manifest).stays, pair_stays(trial).stays
    for x in samples:
        before = {v for v in violations(manifest, old_stays, x, riding_apart=True) if v[0] in ERROR_RULES}
        after = {v for v in violations(trial, new_stays, x, riding_apart=True) if v[0] in ERROR_RULES}
        reasons |= {rule for rule, _ in after - before}
    return reasons


def shifts_to_try(manifest: Manifest, flight_id: str, event: str, sign: int, at: int, handover: bool) -> set[int]:
    """Every shift at which a moved instant lands on another one, and a minute past it."""
    flight = manifest.flight(flight_id)
    changed = moved(manifest, flight_id, event, 0, at, handover and sign > 0)
    start = flight.dock if event == ARRIVAL else flight.undock
    assert start is not None
    moving = [start.seconds] + [f.undock.seconds for key, f in changed.items() if key != flight_id and f.undock]
    others = {x for f in manifest.flights for x in instants(f)}
    found = {sign * (x - p) + step for x in others for p in moving for step in (0, MINUTE)}
    if handover:
        day_lengths = {round(d * DAY) for d in (1, 2, 3)}
        found |= {
            f.dock.seconds + life - f.undock.seconds + step
            for f in changed.values()
            if f.undock
            for life in day_lengths
            for step in (0, MINUTE)
        }
    return {shift for shift in found if shift >= 0}


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Manifest, int, bool, int]:
    # Two minutes apart at least, so that one minute past a crossing is never the next crossing.
    document = draw(manifest_documents(max_flights=5, spacing=2))
    handover = draw(st.booleans())
    if handover:
        document["vehicles"] = {
            name: {"max_docked_days": draw(st.sampled_from([1, 2, 3]))} for name in ("Soyuz MS", "Crew Dragon")
        }
    import tomli_w

    manifest = parse_manifest(tomli_w.dumps(document), "random.toml")
    at = ORIGIN + MINUTE * draw(st.integers(-10, 8000))
    return manifest, at, handover, draw(st.integers(0, 10**6))


@settings(
    max_examples=int(os.environ.get("ORACLE_EXAMPLES", examples(200))),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(scenarios())
def test_a_margin_is_clear_and_one_minute_more_breaks_the_named_rule(scenario: tuple[Manifest, int, bool, int]) -> None:
    manifest, at, handover, pick = scenario
    margins = upcoming_margins(manifest, at, handover=handover).margins
    if not margins:
        event("no events after at")
        return
    found = margins[pick % len(margins)]
    event(f"{found.direction} {found.rule or 'nothing binds'}{' (handover)' if handover else ''}")
    sign = 1 if found.direction == DELAY else -1
    scheduled = found.scheduled.seconds
    limit = None if sign > 0 else scheduled - at
    tried = shifts_to_try(manifest, found.flight, found.event, sign, at, handover)
    if found.seconds is None:
        # Nothing breaks: not at any crossing, nor far beyond them all (nor, for an advance, all the way back to `at`).
        last = max(tried, default=0) + DAY
        tried |= {last} if limit is None else {limit}
        for shift in sorted(s for s in tried if limit is None or s <= limit):
            assert not broken(manifest, found.flight, found.event, sign * shift, at, handover), shift
        return
    assert found.rule is not None and found.message
    assert not broken(manifest, found.flight, found.event, sign * found.seconds, at, handover)
    assert found.rule in broken(manifest, found.flight, found.event, sign * (found.seconds + MINUTE), at, handover)
    for shift in sorted(s for s in tried if s < found.seconds):
        assert not broken(manifest, found.flight, found.event, sign * shift, at, handover), shift


# -- examples a planner can check by hand ----------------------------------------------------------

HEAD = """\
format = 1

[people]
nasa1 = { name = "N One", agency = "NASA", nationality = "US" }
nasa2 = { name = "N Two", agency = "NASA", nationality = "US" }
ros1 = { name = "R One", agency = "Roscosmos", nationality = "RU" }
ros2 = { name = "R Two", agency = "Roscosmos", nationality = "RU" }
"""

ROTATION = HEAD + dedent("""
    [vehicles]
    "Soyuz MS" = { max_docked_days = 200 }

    [[flights]]
    id = "soyuz-a"
    vehicle = "Soyuz MS"
    launch = 2030-01-01T00:00:00Z
    dock = 2030-01-01T03:00:00Z
    undock = 2030-06-01T00:00:00Z
    up = ["nasa1", "ros1"]
    down = ["nasa1", "ros1"]

    [[flights]]
    id = "soyuz-b"
    vehicle = "Soyuz MS"
    launch = 2030-05-25T00:00:00Z
    dock = 2030-05-25T03:00:00Z
    up = ["nasa2", "ros2"]
    down = ["nasa2", "ros2"]
    """)


def at(text: str) -> int:
    return parse_instant(text).seconds


def test_a_relief_that_slips_past_the_departure_opens_a_gap_for_both_partners() -> None:
    manifest = parse_manifest(ROTATION, "rotation.toml")
    found = margin(manifest, "soyuz-b", ARRIVAL, DELAY, at("2030-03-01"))
    # soyuz-a leaves 2030-06-01T00:00, 6 days 21 hours after soyuz-b docks.
    assert found.seconds == 6 * DAY + 21 * 3600 and found.days == pytest.approx(6.875)
    assert found.rule == "partner-presence"
    assert "after soyuz-a leaves, until soyuz-b arrives" in (found.message or "")
    assert set(found.people) >= {"nasa2", "ros2"}


def test_with_handover_the_departing_crew_waits_until_its_docked_life_runs_out() -> None:
    manifest = parse_manifest(ROTATION, "rotation.toml")
    found = margin(manifest, "soyuz-b", ARRIVAL, DELAY, at("2030-03-01"), handover=True)
    # soyuz-a docked 2030-01-01T03:00; 200 days later is 2030-07-20T03:00, 49 days 3 hours past its undock.
    assert found.rule == "docked-life"
    assert found.seconds == 49 * DAY + 3 * 3600
    assert found.message == "soyuz-a would stay docked past the 200-day docked life of a Soyuz MS"


def test_a_departure_can_come_early_only_until_the_relief_is_aboard() -> None:
    manifest = parse_manifest(ROTATION, "rotation.toml")
    found = margin(manifest, "soyuz-a", DEPARTURE, ADVANCE, at("2030-03-01"))
    assert found.seconds == 6 * DAY + 21 * 3600 and found.rule == "partner-presence"
    later = margin(manifest, "soyuz-a", DEPARTURE, DELAY, at("2030-03-01"))
    assert later.seconds is None and later.rule is None  # nothing else docks; staying longer breaks no rule


def test_a_flight_already_scheduled_past_its_docked_life_has_no_handover_slack() -> None:
    text = ROTATION.replace("max_docked_days = 200", "max_docked_days = 100")
    found = margin(parse_manifest(text, "rotation.toml"), "soyuz-b", ARRIVAL, DELAY, at("2030-03-01"), handover=True)
    assert found.seconds == 0 and found.rule == "docked-life"
    assert found.message == (
        "soyuz-a would stay docked longer than its scheduled 150.9 days, already past the 100-day docked life of a Soyuz MS"
    )


def test_an_existing_shortfall_may_stay_but_not_grow() -> None:
    """During Soyuz MS-22's grounding, delaying Soyuz MS-23 lengthens the seat shortfall at once."""
    record = load_manifest(bundled_manifest())
    moment = at("2023-01-15")
    found = margin(record, "soyuz-ms-23", ARRIVAL, DELAY, moment)
    assert found.seconds == 0 and found.rule == "lifeboat-seats"
    unrelated = margin(record, "crew-6", ARRIVAL, DELAY, moment)
    assert unrelated.seconds is not None and unrelated.seconds > 0


def test_bare_dates_cross_as_whole_days() -> None:
    text = ROTATION.replace("undock = 2030-06-01T00:00:00Z", "undock = 2030-06-01")
    found = margin(parse_manifest(text, "rotation.toml"), "soyuz-b", ARRIVAL, DELAY, at("2030-03-01"))
    # soyuz-a may leave any time on 2030-06-01: a gap is certain (an error) only once soyuz-b docks after that day.
    assert found.seconds == 7 * DAY + 21 * 3600 and found.rule == "partner-presence"


def test_the_record_in_january_2026_matches_what_happened_next() -> None:
    """Crew-11 came home early on 2026-01-14; Soyuz MS-28 could have slipped until then, and no further."""
    record = load_manifest(bundled_manifest())
    margins = {(m.flight, m.event, m.direction): m for m in upcoming_margins(record, at("2025-11-01")).margins}
    ms28 = margins["soyuz-ms-28", ARRIVAL, DELAY]
    assert ms28.rule == "partner-presence"
    assert ms28.scheduled.seconds + (ms28.seconds or 0) == record.flight("crew-11").undock.seconds  # type: ignore[union-attr]


def test_only_events_still_to_come_have_margins() -> None:
    manifest = parse_manifest(ROTATION, "rotation.toml")
    with pytest.raises(ValueError, match="no departure scheduled after"):
        margin(manifest, "soyuz-a", DEPARTURE, ADVANCE, at("2030-07-01"))
    with pytest.raises(ValueError, match="no departure scheduled after"):
        margin(manifest, "soyuz-b", DEPARTURE, DELAY, at("2030-03-01"))


def test_next_margin_is_that_of_the_first_event_to_come() -> None:
    manifest = parse_manifest(ROTATION, "rotation.toml")
    found = next_margin(manifest, at("2030-03-01"))
    assert found is not None and (found.flight, found.event, found.direction) == ("soyuz-b", ARRIVAL, DELAY)
    assert next_margin(manifest, at("2031-01-01")) is None
