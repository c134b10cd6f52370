"""The API's results: the core's records, each with `to_json()` and datetimes beside the seconds.

Each is a subclass of the record a command renders, so every field and property
of that record is there, typed; `to_json()` builds what the command's
`--format json` prints when asked, not before.
"""

from datetime import datetime
from typing import Any

from issmanifest.engine.margins import Margins
from issmanifest.engine.rules import Check, Finding
from issmanifest.manifest.model import EPOCH
from issmanifest.render import json
from issmanifest.reports.diff import ManifestDiff
from issmanifest.reports.snapshot import Snapshot
from issmanifest.reports.stats import Stats


def moment(seconds: int) -> datetime:
    """Seconds since the epoch as an aware UTC `datetime`."""
    return datetime.fromtimestamp(seconds, EPOCH.tzinfo)


class Found(Finding):
    """A rule's finding over [start, end) (seconds since the epoch; `end` None: past the last known event)."""

    __slots__ = ()

    @property
    def start_time(self) -> datetime:
        return moment(self.start)

    @property
    def end_time(self) -> datetime | None:
        return None if self.end is None else moment(self.end)


class CheckResult(Check):
    """What `issmanifest check` finds: `findings` (each a `Found`), `errors`, `warnings`, `passed`."""

    __slots__ = ()

    @classmethod
    def of(cls, check: Check) -> "CheckResult":
        return cls._make(check._replace(findings=tuple(Found._make(finding) for finding in check.findings)))

    def to_json(self) -> dict[str, Any]:
        return json.check_object(self)


class SnapshotResult(Snapshot):
    """What `issmanifest show` says: `aboard`, `by_nationality`, `core_partners`, `upcoming`, `continuity`..."""

    __slots__ = ()

    @property
    def at_time(self) -> datetime:
        return moment(self.at)

    def to_json(self) -> dict[str, Any]:
        return json.show_object(self)


class DiffResult(ManifestDiff):
    """What `issmanifest diff` says: `changes`, and `continuity` (findings introduced, resolved, changed)."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return json.diff_object(self)


class MarginsResult(Margins):
    """What `issmanifest margins` says: `margins`, one per arrival and direction of each departure to come."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return json.margins_object(self)


class StatsResult(Stats):
    """What `issmanifest stats` says: `periods`, each year's or expedition's figures."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return json.stats_object(self)
