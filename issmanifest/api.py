"""The Python API: load a manifest and ask it what the commands ask, without the CLI (docs/api.md).

Cheap to import, as every call of the CLI imports the package: each function
imports the modules it needs when called.
"""

from __future__ import annotations

import os
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from issmanifest.manifest.model import EARLIEST, LATEST, Manifest, When, date_range, parse_instant

if TYPE_CHECKING:
    from issmanifest.engine.rules import Check
    from issmanifest.results import CheckResult, DiffResult, MarginsResult, SnapshotResult, StatsResult

Instant = datetime | date | str
"""An aware `datetime`, a `date` (00:00 UTC), or ISO 8601 text ("2022-07-28", "2022-07-28T12:00:00Z", "now")."""


def load(source: str | Path) -> Manifest:
    """A checked manifest from a file, or from TOML text.

    A `Path` is a file; so is a `str`, unless it holds a line break or starts with
    `format` (as every manifest's text does), when it is the manifest itself.
    Raises `ManifestError` (its `problems` name file, line and what is wrong) on an invalid manifest.

    Example: `load("manifests/iss.toml")`, `load('format = 1\\n')`
    """
    from issmanifest.manifest.loading import load_manifest, parse_manifest

    if isinstance(source, str) and ("\n" in source or source.lstrip().startswith("format")):
        return parse_manifest(source, "<text>")
    return load_manifest(source)


def snapshot(manifest: Manifest, at: Instant | None = None) -> SnapshotResult:
    """Who is aboard at an instant (default: now), as `issmanifest show` answers."""
    from issmanifest.reports.snapshot import take_snapshot
    from issmanifest.results import SnapshotResult

    return SnapshotResult._make(take_snapshot(manifest, seconds(at, "at")))


def check(
    manifest: Manifest,
    start: Instant | None = None,
    until: Instant | None = None,
    *,
    everything: bool = False,
    strict: bool = False,
) -> CheckResult:
    """The continuity rules' findings from `start` (default: now; the first docking with `everything`) to `until`
    (default: the last event the manifest knows), as `issmanifest check` answers.
    """
    from issmanifest.results import CheckResult

    window = _window(start, until)
    return CheckResult.of(run_check(manifest, *window, now=seconds(None, "now"), everything=everything, strict=strict))


def run_check(
    manifest: Manifest,
    start: int | None,
    until: int | None,
    *,
    now: int,
    everything: bool = False,
    strict: bool = False,
) -> Check:
    """The check both `check()` and the CLI run: the default window, then every rule over it."""
    from issmanifest.engine.analysis import Analysis
    from issmanifest.engine.rules import check_continuity, default_window

    window = default_window(manifest, now, start, until, everything=everything)
    return check_continuity(manifest, *window, Analysis.of(manifest, window[0]), strict=strict, now=now)


def diff(old: Manifest, new: Manifest) -> DiffResult:
    """What changed from `old` to `new`, and what it does to continuity, as `issmanifest diff` answers."""
    from issmanifest.reports.diff import diff_manifests
    from issmanifest.results import DiffResult

    return DiffResult._make(diff_manifests(old, new))


def margins(manifest: Manifest, at: Instant | None = None, *, handover: bool = False) -> MarginsResult:
    """How far each arrival and departure after `at` (default: now) can move, as `issmanifest margins` answers."""
    from issmanifest.engine.margins import upcoming_margins
    from issmanifest.results import MarginsResult

    return MarginsResult._make(upcoming_margins(manifest, seconds(at, "at"), handover=handover))


def stats(
    manifest: Manifest, start: Instant | None = None, until: Instant | None = None, *, by: str = "year"
) -> StatsResult:
    """Each year (or expedition, `by="expedition"`) added up, from `start` (default: the first docking) to `until`
    (default: the last event), as `issmanifest stats` answers. Raises `ValueError` on an empty or reversed span.
    """
    from issmanifest.reports.stats import station_stats
    from issmanifest.results import StatsResult

    first, last = _window(start, until)
    first = manifest.first if first is None else first
    last = manifest.horizon if last is None else last
    if first is None or last is None:
        raise ValueError("the span is empty: the manifest has no flights")
    if first >= last:
        raise ValueError("start must come before until")
    if by not in ("year", "expedition"):
        raise ValueError(f'by must be "year" or "expedition", not {by!r}')
    if by == "expedition" and not manifest.expeditions:
        raise ValueError("the manifest names no [expeditions]")
    from issmanifest.reports.stats import PeriodKind

    return StatsResult._make(station_stats(manifest, first, last, PeriodKind(by)))


def _window(start: Instant | None, until: Instant | None) -> tuple[int | None, int | None]:
    window = (
        None if start is None else seconds(start, "start"),
        None if until is None else seconds(until, "until"),
    )
    if window[0] is not None and window[1] is not None and window[0] >= window[1]:
        raise ValueError("start must come before until")
    return window


def seconds(value: Instant | None, name: str) -> int:
    """An instant as seconds since the epoch; None (and "now") is now, which ISSMANIFEST_NOW fixes as for the CLI."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "now"):
        fixed = os.environ.get("ISSMANIFEST_NOW")
        return _in_range(parse_instant(fixed), "ISSMANIFEST_NOW") if fixed else int(time.time())
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name}: a datetime needs a time zone (tzinfo=UTC, for example)")
        return _in_range(When.of(value), name)
    if isinstance(value, date):
        return _in_range(When.of(value), name)
    if isinstance(value, str):
        try:
            moment = parse_instant(value)
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
        return _in_range(moment, name)
    raise TypeError(f"{name}: a datetime, a date or ISO 8601 text, not {type(value).__name__}")


def _in_range(moment: When, name: str) -> int:
    if not EARLIEST.seconds <= moment.seconds < LATEST.seconds:
        raise ValueError(f"{name}: {moment.iso()} is out of range ({date_range()})")
    return moment.seconds
