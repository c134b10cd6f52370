"""The sweep against brute force: every rule evaluated at every event boundary and between them."""

from __future__ import annotations

import itertools
import os

import pytest
from brute import violations, within
from conftest import examples
from hypothesis import HealthCheck, given, settings
from strategies import manifest_documents, manifest_texts

from issmanifest.engine.analysis import Analysis
from issmanifest.engine.rules import check_continuity
from issmanifest.engine.stays import pair_stays
from issmanifest.engine.timeline import build_timeline
from issmanifest.manifest.loading import parse_manifest
from issmanifest.manifest.model import Manifest


@settings(
    max_examples=int(os.environ.get("ORACLE_EXAMPLES", examples(300))),
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
    for x in _samples(manifest, start, end):
        engine = {
            (f.rule, f.subject.casefold() if f.rule == "port-conflict" else f.subject)
            for f in result.findings
            if within(f.start, f.end, x)
        }
        assert engine == violations(manifest, stays, x), f"at {x}"


def _samples(manifest: Manifest, start: int, end: int) -> list[int]:
    """Every event boundary in [start, end), and the midpoint between each two."""
    moments = {f.dock.seconds for f in manifest.flights} | {f.undock.seconds for f in manifest.flights if f.undock}
    moments |= {g.seconds for f in manifest.flights if (g := f.grounded)}
    moments |= {r.start.seconds for f in manifest.flights for r in f.relocations}
    moments |= {r.end.seconds for f in manifest.flights for r in f.relocations}
    bounds = sorted(m for m in moments | {start, end} if start <= m <= end)
    samples = set(bounds[:-1]) | {(a + b) // 2 for a, b in itertools.pairwise(bounds)}
    return sorted(x for x in samples if start <= x < end)


@pytest.mark.slow  # the other oracles run by default; CI runs this one too
@settings(
    max_examples=int(os.environ.get("ORACLE_EXAMPLES", 100)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(manifest_texts())
def test_sweeps_that_start_from_checkpoints_agree_with_brute_force(text: str) -> None:
    """A checkpoint every 2 events: each later sweep and each instant asked about starts from one."""
    manifest = parse_manifest(text, "random.toml")
    analysis = Analysis.of(manifest, stride=2)
    timeline = analysis.nominal()
    start, end = timeline.first, timeline.horizon
    assert start is not None and end is not None
    check_continuity(manifest, start, end, analysis)  # the first sweep lays the checkpoints
    plain = build_timeline(manifest)  # checkpoints every 512 events: none in a manifest this small
    for x in _samples(manifest, start, end):
        found = check_continuity(manifest, x, end, analysis).findings
        engine = {
            (f.rule, f.subject.casefold() if f.rule == "port-conflict" else f.subject)
            for f in found
            if within(f.start, f.end, x)
        }
        assert engine == violations(manifest, analysis.stays, x), f"at {x}"
        aboard = sorted((stay.person, stay.arrived_on) for stay in timeline.aboard_at(x))
        assert aboard == sorted((stay.person, stay.arrived_on) for stay in plain.aboard_at(x)), f"at {x}"


ERROR_RULES = {"partner-presence", "lifeboat-seats", "port-conflict"}


@settings(
    max_examples=int(os.environ.get("ORACLE_EXAMPLES", examples(200))),
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
            if within(f.start, f.end, x) and f.rule in ERROR_RULES
        ]
        possible = violations(manifest, stays, x, True) | violations(manifest, stays, x, False)
        certain = violations(manifest, stays, x, True) & violations(manifest, stays, x, False)
        possible = {v for v in possible if v[0] in ERROR_RULES}
        assert {(rule, subject) for rule, subject, severity in found if severity == "error"} <= certain, f"at {x}"
        assert possible <= {(rule, subject) for rule, subject, _ in found}, f"at {x}"
