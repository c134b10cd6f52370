"""Nothing quadratic: the work grows with the number of flights, not with its square.

Two sizes are compared in one run (times as a ratio, so a slow machine does not matter), and the
sweep's own steps are counted.
"""

from __future__ import annotations

import sys
import time

from conftest import ROOT

from issmanifest.engine import timeline as engine
from issmanifest.engine.rules import check_continuity
from issmanifest.manifest.loading import parse_manifest
from issmanifest.reports.snapshot import take_snapshot

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate


def analyse(flights: int) -> tuple[float, int, int]:
    """Seconds for check --all and show on a synthetic manifest (parsing not counted), events, steps."""
    manifest = parse_manifest(generate(flights, seed=7), f"{flights}.toml")
    steps = [0]
    apply = engine.State.apply

    def counted(self: engine.State, *args: object) -> None:
        steps[0] += 1
        apply(self, *args)  # type: ignore[arg-type]

    engine.State.apply = counted  # type: ignore[method-assign]
    try:
        best = float("inf")
        for _ in range(3):
            steps[0] = 0
            start = time.perf_counter()
            check_continuity(manifest, manifest.first, manifest.horizon)
            take_snapshot(manifest, manifest.flights[len(manifest.flights) // 2].dock.seconds)
            best = min(best, time.perf_counter() - start)
    finally:
        engine.State.apply = apply  # type: ignore[method-assign]
    events = len(engine.build_timeline(manifest).events)
    return best, events, steps[0]


def test_ten_times_the_flights_costs_about_ten_times_as_much() -> None:
    small, small_events, _ = analyse(600)
    large, large_events, steps = analyse(6000)
    assert large_events > 9 * small_events  # about 20,000 stays' worth of events
    # n log n gives about 12; a rescan per event would give about 100.
    assert large / small < 30, (small, large)
    # Each event is applied a bounded number of times: once per sweep and placement, plus replays
    # from checkpoints, never once per segment.
    assert steps < 8 * large_events, (steps, large_events)
