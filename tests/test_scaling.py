"""Nothing quadratic: the sweep applies each event a bounded number of times, whatever the size.

Counted, not timed (tests/test_growth.py counts whole commands the same way), so a busy machine
cannot make it fail.
"""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT

from issmanifest.engine import timeline as engine
from issmanifest.engine.rules import check_continuity
from issmanifest.manifest.loading import parse_manifest
from issmanifest.reports.snapshot import take_snapshot

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate


def analyse(flights: int) -> tuple[int, int]:
    """The events of check --all and show on a synthetic manifest, and the steps the sweep took for them."""
    manifest = parse_manifest(generate(flights, seed=7), f"{flights}.toml")
    steps = [0]
    apply = engine.State.apply

    def counted(self: engine.State, *args: object) -> None:
        steps[0] += 1
        apply(self, *args)  # type: ignore[arg-type]

    engine.State.apply = counted  # type: ignore[method-assign]
    try:
        check_continuity(manifest, manifest.first, manifest.horizon)
        take_snapshot(manifest, manifest.flights[len(manifest.flights) // 2].dock.seconds)
    finally:
        engine.State.apply = apply  # type: ignore[method-assign]
    return len(engine.build_timeline(manifest).events), steps[0]


@pytest.mark.slow  # large generated manifests; tests/test_growth.py's counts guard the same in CI
def test_each_event_is_applied_a_bounded_number_of_times() -> None:
    small_events, small_steps = analyse(300)
    large_events, large_steps = analyse(3000)
    assert large_events > 9 * small_events  # about 10,000 stays' worth of events
    # Once per sweep and placement, plus replays from checkpoints, never once per segment: the steps
    # per event stay bounded as the manifest grows ten times.
    assert large_steps < 8 * large_events, (large_steps, large_events)
    assert large_steps / large_events < 1.5 * small_steps / small_events, (small_steps, large_steps)
