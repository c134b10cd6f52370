"""The growth guard: no command's work grows faster than n log n between two generated sizes.

Work is counted, not timed, so a busy machine cannot make it flake: the lines of issmanifest's own
code executed after parsing (a trace hook that follows only the package's frames), a stand-in for
instructions that sees every loop, including a scan of every flight made once per flight, which a
count of timeline events or rule evaluations would miss. Parsing is left out (tomllib's own work, and
the same for every command). The sizes are small, to keep the suite quick: the larger is four to ten
times the smaller, and the bound is 1.5 times what n log n gives for that step.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from conftest import ROOT

import issmanifest
from issmanifest.api import run_check
from issmanifest.engine.margins import upcoming_margins
from issmanifest.engine.rules import ERROR, PARTNER_PRESENCE, WARNING, Finding, split_by_certainty
from issmanifest.engine.timeline import Placement
from issmanifest.manifest.loading import parse_manifest
from issmanifest.manifest.model import DAY, Manifest
from issmanifest.reports.diff import diff_manifests
from issmanifest.reports.snapshot import take_snapshot
from issmanifest.reports.stats import station_stats

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate

pytestmark = pytest.mark.slow  # left to CI by default: see conftest.py

PACKAGE = str(Path(issmanifest.__file__).parent)


def lines_run(work: Callable[[], object]) -> int:
    """The lines of issmanifest's code that `work` executes (calls and returns count as one each)."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        count += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if frame.f_code.co_filename.startswith(PACKAGE):
            count += 1
            return local
        return None

    sys.settrace(calls)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


def manifest(flights: int, shift: int = 0) -> Manifest:
    return parse_manifest(generate(flights, seed=11, shift=shift), f"{flights}.toml")


def _check(m: Manifest) -> object:
    return run_check(m, m.first, m.horizon, now=m.first, everything=True)


def _show(m: Manifest) -> object:
    return take_snapshot(m, m.flights[len(m.flights) // 2].dock.seconds)


def _stats(m: Manifest) -> object:
    return station_stats(m, m.first, m.horizon)


def _margins(m: Manifest) -> object:
    return upcoming_margins(m, m.first - 1)


COMMANDS: dict[str, tuple[Callable[[Manifest], object], int, int]] = {
    "check": (_check, 100, 1000),
    "show": (_show, 100, 1000),
    "stats": (_stats, 100, 1000),
    "margins": (_margins, 20, 80),
}


def within_n_log_n(small: int, large: int, small_work: int, large_work: int) -> tuple[float, float]:
    """The growth in work and its bound: 1.5 times the growth of n log n."""
    return large_work / small_work, 1.5 * (large * math.log(large)) / (small * math.log(small))


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_work_grows_no_faster_than_n_log_n(command: str) -> None:
    work, small, large = COMMANDS[command]
    counts = [lines_run(partial(work, manifest(size))) for size in (small, large)]
    growth, bound = within_n_log_n(small, large, *counts)
    assert growth <= bound, (command, counts, growth, bound)


def test_diff_work_grows_no_faster_than_n_log_n() -> None:
    counts = []
    for size in (100, 1000):
        old, new = manifest(size), manifest(size, shift=size // 20)
        counts.append(lines_run(partial(diff_manifests, old, new)))
    growth, bound = within_n_log_n(100, 1000, *counts)
    assert growth <= bound, (counts, growth, bound)


def test_the_count_sees_a_scan_once_per_flight() -> None:
    """The guard itself: a loop over every flight for each flight is counted as the square it is."""

    def quadratic(m: Manifest) -> int:
        return sum(m.flight(flight.id) is flight for flight in m.flights)

    counts = [lines_run(partial(quadratic, manifest(size))) for size in (30, 120)]
    growth, bound = within_n_log_n(30, 120, *counts)
    assert growth > bound, (counts, growth, bound)


def _findings(count: int, offset: int) -> list[Finding]:
    """`count` disjoint error findings of one rule about one subject, an hour long, a day apart."""
    return [
        Finding("partner-presence", ERROR, day * DAY + offset, day * DAY + offset + 3600, "NASA", "no NASA crew")
        for day in range(count)
    ]


def test_splitting_findings_by_certainty_grows_no_faster_than_n_log_n() -> None:
    """Many findings of one rule and subject, found half an hour apart under the two placements of bare dates:
    each is matched with the spans that meet it, not with every span."""

    def split(count: int) -> int:
        found = {Placement.LONG: _findings(count, 0), Placement.SHORT: _findings(count, 1800)}
        return lines_run(lambda: split_by_certainty((PARTNER_PRESENCE,), found))

    counts = [split(size) for size in (100, 1000)]
    growth, bound = within_n_log_n(100, 1000, *counts)
    assert growth <= bound, (counts, growth, bound)
    # And what it finds: the half hours both placements share are certain, the rest possible.
    findings = split_by_certainty(
        (PARTNER_PRESENCE,), {Placement.LONG: _findings(2, 0), Placement.SHORT: _findings(2, 1800)}
    )
    spans = sorted((finding.start, finding.end, finding.severity) for finding in findings)
    assert spans == [
        (0, 1800, WARNING),
        (1800, 3600, ERROR),
        (3600, 5400, WARNING),
        (DAY, DAY + 1800, WARNING),
        (DAY + 1800, DAY + 3600, ERROR),
        (DAY + 3600, DAY + 5400, WARNING),
    ]
