"""Margins spare trials they can answer without one: the shifts that keep every ride, worked out in closed form,
and the stretch a single judgement of a long move shows the error rules to be quiet over.

Both are optimisations: test_margins_trials.py checks the margins against trials on cuts (where neither applies);
these tests check each shortcut against the trial it stands for.
"""

import os
import sys
from pathlib import Path

import pytest
import tomli_w
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import BASE, manifest_documents

from issmanifest.engine.margins import (
    ARRIVAL,
    DEPARTURE,
    _Broken,
    _relieved_by,
    _Schedule,
    _Trial,
    upcoming_margins,
)
from issmanifest.engine.rules import Finding
from issmanifest.manifest.loading import bundled_manifest, load_manifest, parse_manifest
from issmanifest.manifest.model import When, parse_instant

MINUTE = 60


@st.composite
def trials(draw: st.DrawFn) -> tuple[_Trial, list[int]]:
    document = draw(manifest_documents(max_flights=6, bare_dates=draw(st.booleans()), spacing=2))
    manifest = parse_manifest(tomli_w.dumps(document), "random.toml")
    at = When.of(BASE).seconds + MINUTE * draw(st.integers(-10, 8000))
    flight = draw(st.sampled_from(manifest.flights))
    events = [event for event, when in ((ARRIVAL, flight.dock), (DEPARTURE, flight.undock)) if when is not None]
    event = draw(st.sampled_from(events))
    handover = draw(st.booleans())
    schedule = _Schedule(manifest, at)
    dragged = _relieved_by(schedule.cutter, flight, at) if handover and event == ARRIVAL else ()
    trial = _Trial(schedule, flight, event, dragged, handover=handover)
    # Shifts around every instant of the manifest, as seen from the moved event: where conditions flip.
    moment = (flight.dock if event == ARRIVAL else flight.undock).seconds  # type: ignore[union-attr]
    instants = [*schedule.points, *(f.dock.seconds for f in manifest.flights)]
    near = [instant - moment + step for instant in instants for step in (-1, 0, 1)]
    shifts = draw(st.lists(st.sampled_from(near) | st.integers(-4000 * MINUTE, 4000 * MINUTE), max_size=12))
    return trial, [0, *near, *shifts]


@settings(
    max_examples=examples(200),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(trials())
def test_the_shifts_that_keep_every_ride_are_those_the_trial_lets_through(scenario: tuple[_Trial, list[int]]) -> None:
    trial, shifts = scenario
    low, high = trial._keeps
    for shift in shifts:
        assert (low < shift < high) == (not isinstance(trial.moved(shift), _Broken)), shift


def test_a_ride_missed_at_a_known_shift_on_the_record() -> None:
    """Soyuz MS-27's crew rides home on it: its docking may slip up to its own undocking and no further."""
    manifest = load_manifest(bundled_manifest())
    flight = next(flight for flight in manifest.flights if flight.id == "soyuz-ms-27")
    assert flight.undock is not None
    at = parse_instant("2025-01-01").seconds
    trial = _Trial(_Schedule(manifest, at), flight, ARRIVAL, (), handover=False)
    stay = flight.undock.seconds - flight.dock.seconds
    assert trial._keeps[1] <= stay  # docking as it leaves: the crew would have no ride home
    assert isinstance(trial.moved(stay), _Broken)
    assert not isinstance(trial.moved(trial._keeps[1] - 1), _Broken)


@settings(
    max_examples=int(os.environ.get("ORACLE_EXAMPLES", examples(150))),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(trials(), st.sampled_from([1, -1]))
def test_a_shift_inside_the_quiet_stretch_is_clear_when_judged_in_full(
    scenario: tuple[_Trial, list[int]], sign: int
) -> None:
    trial, shifts = scenario
    if trial.event == ARRIVAL and sign < 0:
        return  # arrivals are only delayed
    farthest = max((abs(shift) for shift in shifts), default=0)
    reach = trial._quiet(sign * farthest) if farthest else 0
    inside = sorted({abs(shift) for shift in shifts if 0 < abs(shift) <= reach})
    for shift in inside:
        # A fresh trial with the shortcut off: every window judged by the rules from the schedule's state.
        full = _Trial(trial.schedule, trial.flight, trial.event, trial.dragged, handover=trial.handover)
        full._quiet_reach = {sign: (0, None)}
        broken = full.broken(sign * shift)
        assert broken is None or broken.rule == "schedule", (shift, broken)


def test_the_quiet_stretch_spares_most_trials_of_a_long_schedule(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut is used where it matters: on a generated schedule of overlapping stays (benchmarks/generate.py),
    most trials asked need no judgement (the rides home bind, far past where the rules would find anything)."""
    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    from generate import generate

    manifest = parse_manifest(generate(60, seed=7), "generated.toml")
    asked: list[int] = []
    judged: list[int] = []
    broken, errors = _Trial.broken, _Trial._errors

    def asking(self: _Trial, shift: int) -> _Broken | None:
        asked.append(shift)
        return broken(self, shift)

    def judging(self: _Trial, shift: int, low: int, high: int) -> list[Finding] | None:
        judged.append(shift)
        return errors(self, shift, low, high)

    monkeypatch.setattr(_Trial, "broken", asking)
    monkeypatch.setattr(_Trial, "_errors", judging)
    upcoming_margins(manifest, manifest.flights[0].dock.seconds - 1)
    assert asked and len(judged) < len(asked) / 2, (len(judged), len(asked))
