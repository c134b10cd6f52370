"""CSV for spreadsheets: a header row, one row per item, through the standard library's writer.

Text from the manifest is made safe twice over: control characters are shown
escaped, and a cell that a spreadsheet would run as a formula is quoted with '.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from issmanifest.engine.rules import Check
from issmanifest.manifest.model import iso
from issmanifest.render.escape import clean_line

LIST_SEPARATOR = "; "

if TYPE_CHECKING:
    from issmanifest.engine.margins import Margins
    from issmanifest.reports.chart import Chart
    from issmanifest.reports.crosscheck import CrossChecks
    from issmanifest.reports.diff import ManifestDiff
    from issmanifest.reports.snapshot import Snapshot, Stations
    from issmanifest.reports.stats import Stats
    from issmanifest.reports.swaps import Swaps


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = joined(value)
    text = clean_line(str(value))
    if text[:1] in ("=", "+", "@", "-") and not _number(text):
        return "'" + text
    return text


def joined(items: Iterable[object]) -> str:
    """A list in one cell, joined the one way every CSV cell joins a list."""
    return LIST_SEPARATOR.join(str(item) for item in items)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def show(snapshot: Snapshot) -> str:
    return table(_SHOW_HEADER, _show_rows(snapshot))


_SHOW_HEADER = (
    "person",
    "name",
    "nationality",
    "agency",
    "arrived_on",
    "arrived",
    "returns_on",
    "returns",
    "days_aboard",
    "unconfirmed",
    "arrival_unconfirmed",
    "return_unconfirmed",
    "past_docked_life_days",
    "cross_ride",
)


def _show_rows(snapshot: Snapshot) -> Iterable[tuple[object, ...]]:
    return (
        (
            m.person,
            m.name,
            m.nationality,
            m.agency,
            m.arrived_on,
            m.arrived.iso(),
            m.returns_on,
            m.returns.iso() if m.returns else None,
            m.days_aboard,
            m.unsure,
            m.arrival_unconfirmed,
            m.return_unconfirmed,
            m.past_docked_life,
            m.cross_ride,
        )
        for m in snapshot.aboard
    )


def stations(result: Stations) -> str:
    """Everyone aboard every station: `show`'s columns after the station's name."""
    rows = ((s.manifest.station.name, *row) for s in result.snapshots for row in _show_rows(s))
    return table(("station", *_SHOW_HEADER), rows)


def check(result: Check) -> str:
    return table(
        (
            "rule",
            "severity",
            "start",
            "end",
            "subject",
            "partner",
            "flight",
            "people",
            "date_only",
            "message",
            "unconfirmed",
        ),
        (
            (
                f.rule,
                f.severity,
                iso(f.start),
                None if f.end is None else iso(f.end),
                f.subject,
                f.partner,
                f.flight,
                f.people,
                f.date_only,
                f.message,
                f.flight in result.rests_on or f.rule == "overdue",
            )
            for f in result.findings
        ),
    )


def diff(result: ManifestDiff) -> str:
    return table(
        ("kind", "flight", "person", "subject", "field", "old", "new", "shift_days"),
        ((c.kind, c.flight, c.person, c.subject, c.field, c.old, c.new, c.shift_days) for c in result.changes),
    )


def timeline(chart: Chart) -> str:
    return table(
        ("group", "person", "name", "agency", "partner", "arrived_on", "start", "returns_on", "end", "unconfirmed"),
        (
            (
                bar.group,
                bar.person,
                bar.name,
                bar.agency,
                bar.partner,
                bar.arrived_on,
                iso(bar.start),
                bar.returns_on,
                _end(bar.end),
                bar.unsure,
            )
            for bar in chart.bars
        ),
    )


def _end(end: int | None) -> str | None:
    return None if end is None else iso(end)


def stats(result: Stats) -> str:
    partners = result.partners
    exposure = [f"exposure_days_{partner}" for partner in partners]
    header = (
        "period",
        "start",
        "end",
        "days",
        "crewed_days",
        "mean_crew",
        "peak_crew",
        *exposure,
        "shortfall_days",
        "person_days",
        "unconfirmed",
        "rests_on",
    )
    return table(
        header,
        (
            (
                period.label,
                iso(period.start),
                iso(period.end),
                f"{period.days:.4f}",
                f"{period.crewed_days:.4f}",
                f"{period.mean_crew:.4f}",
                period.peak_crew,
                *(f"{period.exposure_days[partner]:.4f}" for partner in partners),
                f"{period.shortfall_days:.4f}",
                [f"{code}={days:.2f}" for code, days in period.person_days_by_nationality.items()],
                period.unconfirmed,
                period.rests_on,
            )
            for period in result.periods
        ),
    )


def margins(result: Margins) -> str:
    return table(
        (
            "flight",
            "event",
            "direction",
            "scheduled",
            "days",
            "rule",
            "message",
            "people",
            "already_broken",
            "unconfirmed",
        ),
        (
            (
                item.flight,
                item.event,
                item.direction,
                item.scheduled.iso(),
                None if item.days is None else str(item.days),
                item.rule,
                item.message,
                item.people,
                item.already,
                item.unsure,
            )
            for item in result.margins
        ),
    )


def swaps(result: Swaps) -> str:
    """One row per cross-ride (the ledger; the balance and exposure are in the other formats)."""
    header = (
        "when",
        "flight",
        "vehicle",
        "provider",
        "person",
        "name",
        "agency",
        "direction",
        "agreement",
        "unconfirmed",
        "planned",
    )
    rows = [
        (
            None if ride.when is None else ride.when.iso(),
            ride.flight,
            ride.vehicle,
            ride.provider,
            ride.person,
            ride.name,
            ride.agency,
            ride.direction,
            ride.agreement or "outside any agreement",
            list(ride.unconfirmed),
            ride.planned,
        )
        for ride in result.rides
    ]
    return table(header, rows)


def crosscheck(result: CrossChecks) -> str:
    """One row per disagreement and per note, each naming its feed; `kind` says which it is."""
    header = ("feed", "kind", "subject", "about", "feed_says", "manifest_says", "lags", "reason", "record")
    rows: list[tuple[object, ...]] = []
    for item in result.results:
        source = item.feed.source
        rows += [
            (source, "disagreement", d.subject, d.about, d.feed, d.manifest, d.lags, d.reason, d.record)
            for d in item.disagreements
        ]
        rows += [(source, "note", n.subject, n.about, n.text, None, None, None, n.record) for n in item.notes]
    return table(header, rows)
