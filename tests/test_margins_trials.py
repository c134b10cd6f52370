"""Margins judge each trial on the schedule's own timelines; a cut of the manifest, checked anew, is the reference.

The two must agree on every margin, message and all: the timeline path is an optimisation, never a change.
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

from issmanifest.engine import margins as margins_module
from issmanifest.engine.margins import upcoming_margins
from issmanifest.manifest.loading import bundled_manifest, load_manifest, parse_manifest
from issmanifest.manifest.model import When, parse_instant

MINUTE = 60


def on_cuts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every trial judged on a cut of the manifest, as before the timeline path existed."""
    monkeypatch.setattr(margins_module._Trial, "_errors", lambda self, shift, low, high: None)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[str, int, bool]:
    bare = draw(st.booleans())
    document = draw(manifest_documents(max_flights=6, bare_dates=bare, spacing=2))
    handover = draw(st.booleans())
    if handover:
        document["vehicles"] = {
            name: {"max_docked_days": draw(st.sampled_from([1, 2, 3]))} for name in ("Soyuz MS", "Crew Dragon")
        }
    at = When.of(BASE).seconds + MINUTE * draw(st.integers(-10, 8000))
    return tomli_w.dumps(document), at, handover


@settings(
    max_examples=int(os.environ.get("ORACLE_EXAMPLES", examples(150))),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(scenarios())
def test_trials_on_the_timeline_give_what_trials_on_cuts_give(
    monkeypatch: pytest.MonkeyPatch, scenario: tuple[str, int, bool]
) -> None:
    text, at, handover = scenario
    manifest = parse_manifest(text, "random.toml")
    fast = upcoming_margins(manifest, at, handover=handover)
    with monkeypatch.context() as patch:
        on_cuts(patch)
        reference = upcoming_margins(manifest, at, handover=handover)
    assert fast == reference


SLOW = pytest.mark.slow


@pytest.mark.parametrize(
    "at", [pytest.param("2001-06-01", marks=SLOW), pytest.param("2023-01-15", marks=SLOW), "2025-11-01"]
)
@pytest.mark.parametrize("handover", [False, True])
def test_the_record_gives_the_same_margins_either_way(monkeypatch: pytest.MonkeyPatch, at: str, handover: bool) -> None:
    manifest = load_manifest(bundled_manifest())
    seconds = parse_instant(at).seconds
    fast = upcoming_margins(manifest, seconds, handover=handover)
    on_cuts(monkeypatch)
    assert fast == upcoming_margins(manifest, seconds, handover=handover)


@SLOW
@pytest.mark.parametrize("handover", [False, True])
def test_a_generated_decade_gives_the_same_margins_either_way(monkeypatch: pytest.MonkeyPatch, handover: bool) -> None:
    """Stays overlapping four to six deep, bare dates and a grounding now and then (benchmarks/generate.py)."""
    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    from generate import generate

    manifest = parse_manifest(generate(120, seed=7), "generated.toml")
    assert any(flight.dock.date_only for flight in manifest.flights)
    at = manifest.flights[0].dock.seconds - 1
    fast = upcoming_margins(manifest, at, handover=handover)
    on_cuts(monkeypatch)
    assert fast == upcoming_margins(manifest, at, handover=handover)
