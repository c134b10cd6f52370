"""The output formats, and which renderer draws each view in each of them.

A renderer module is imported only when its format is chosen (Rich, behind the
table, is slow to import): each format has a small function that imports its
module and returns its renderers, typed so that mypy checks every pairing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from rich.console import RenderableType

    from issmanifest.engine.margins import Margins
    from issmanifest.engine.rules import Check
    from issmanifest.render.draw import Grid, Para
    from issmanifest.reports.chart import Chart
    from issmanifest.reports.crosscheck import CrossChecks
    from issmanifest.reports.diff import ManifestDiff
    from issmanifest.reports.snapshot import Snapshot, Stations
    from issmanifest.reports.stats import Stats
    from issmanifest.reports.swaps import Swaps

Out = TypeVar("Out")
T = TypeVar("T")


class Format(StrEnum):
    """Every output format; each command accepts some of them."""

    TABLE = "table"
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    GITHUB = "github"
    OPEN_NOTIFY = "open-notify"


# The formats every report command offers; `show` and `check` add one each.
LIST_FORMATS = (Format.TABLE, Format.TEXT, Format.JSON, Format.CSV)
SHOW_FORMATS = (*LIST_FORMATS, Format.OPEN_NOTIFY)
CHECK_FORMATS = (*LIST_FORMATS, Format.GITHUB)


class Renderers(Generic[Out]):
    """One format's renderer of each view; None where the format has none.

    A plain class, not a `NamedTuple`: under `from __future__ import annotations` a
    `NamedTuple` compiles each field's annotation at import, on every call of the CLI.
    """

    __slots__ = ("check", "crosscheck", "diff", "margins", "show", "stations", "stats", "swaps", "timeline")

    def __init__(
        self,
        show: Callable[[Snapshot], Out] | None = None,
        check: Callable[[Check], Out] | None = None,
        diff: Callable[[ManifestDiff], Out] | None = None,
        timeline: Callable[[Chart], Out] | None = None,
        stats: Callable[[Stats], Out] | None = None,
        margins: Callable[[Margins], Out] | None = None,
        stations: Callable[[Stations], Out] | None = None,
        swaps: Callable[[Swaps], Out] | None = None,
        crosscheck: Callable[[CrossChecks], Out] | None = None,
    ) -> None:
        self.show, self.check, self.diff, self.timeline = show, check, diff, timeline
        self.stats, self.margins, self.stations, self.swaps = stats, margins, stations, swaps
        self.crosscheck = crosscheck


class View(Generic[T]):
    """What a command shows: its name, and how to find its renderer among a format's."""

    __slots__ = ("name", "pick")

    def __init__(self, name: str, pick: Callable[[Renderers[Any]], Callable[[T], Any] | None]) -> None:
        self.name, self.pick = name, pick


SHOW: View[Snapshot] = View("show", lambda renderers: renderers.show)
CHECK: View[Check] = View("check", lambda renderers: renderers.check)
DIFF: View[ManifestDiff] = View("diff", lambda renderers: renderers.diff)
TIMELINE: View[Chart] = View("timeline", lambda renderers: renderers.timeline)
STATS: View[Stats] = View("stats", lambda renderers: renderers.stats)
MARGINS: View[Margins] = View("margins", lambda renderers: renderers.margins)
STATIONS: View[Stations] = View("stations", lambda renderers: renderers.stations)
SWAPS: View[Swaps] = View("swaps", lambda renderers: renderers.swaps)
CROSSCHECK: View[CrossChecks] = View("crosscheck", lambda renderers: renderers.crosscheck)


def table() -> Renderers[RenderableType]:
    from issmanifest.render import table

    return Renderers(
        table.show,
        table.check,
        table.diff,
        table.timeline,
        table.stats,
        table.margins,
        table.stations,
        table.swaps,
        table.crosscheck,
    )


def lines() -> Renderers[Sequence[Para | Grid]]:
    """The table format's views that are lines and simple tables, which `render.draw` draws without Rich where it
    can."""
    from issmanifest.render import screen

    return Renderers(check=screen.check, diff=screen.diff, show=screen.show, stations=screen.stations)


def text() -> Renderers[str]:
    from issmanifest.render import text

    return Renderers(
        text.show,
        text.check,
        text.diff,
        text.timeline,
        text.stats,
        text.margins,
        text.stations,
        text.swaps,
        text.crosscheck,
    )


def json() -> Renderers[str]:
    from issmanifest.render import json

    return Renderers(
        json.show,
        json.check,
        json.diff,
        json.timeline,
        json.stats,
        json.margins,
        json.stations,
        json.swaps,
        json.crosscheck,
    )


def csv() -> Renderers[str]:
    from issmanifest.render import csv

    return Renderers(
        csv.show, csv.check, csv.diff, csv.timeline, csv.stats, csv.margins, csv.stations, csv.swaps, csv.crosscheck
    )


def json_pieces() -> Renderers[Iterable[str]]:
    """The JSON renderers' text in pieces made as they are written: what the CLI prints, so that a large
    report's text is never held whole (each joined is what `json()`'s renderer returns)."""
    from issmanifest.render import json

    return Renderers(
        lambda result: json.pieces(json.show_object(result), version=False),
        lambda result: json.pieces(json.check_object(result), version=False),
        lambda result: json.pieces(json.diff_object(result), version=False),
        lambda result: json.pieces(json.timeline_object(result), version=False),
        lambda result: json.pieces(json.stats_object(result), version=False),
        lambda result: json.pieces(json.margins_object(result), version=False),
        lambda result: json.pieces(json.stations_object(result), version=False),
        lambda result: json.pieces(json.swaps_object(result)),
        lambda result: json.pieces(json.crosscheck_object(result)),
    )


def open_notify() -> Renderers[str]:
    from issmanifest.render import json

    return Renderers(show=json.open_notify, stations=json.open_notify)


# The formats written as plain text (the table is drawn by Rich; github annotations need the file's lines).
TEXT_FORMATS: dict[Format, Callable[[], Renderers[str]]] = {
    Format.TEXT: text,
    Format.JSON: json,
    Format.CSV: csv,
    Format.OPEN_NOTIFY: open_notify,
}
