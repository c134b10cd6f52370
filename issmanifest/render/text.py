"""Plain text: one tab-separated line per fact, stable for scripts, grep and cut."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from issmanifest.engine.rules import Check, Finding
from issmanifest.manifest.model import When, iso
from issmanifest.render import verdict, window_note
from issmanifest.render.escape import clean_line

if TYPE_CHECKING:
    from issmanifest.engine.margins import Margin, Margins
    from issmanifest.reports.chart import Chart
    from issmanifest.reports.crosscheck import CrossChecks
    from issmanifest.reports.diff import ManifestDiff
    from issmanifest.reports.snapshot import Snapshot, Stations
    from issmanifest.reports.stats import Stats
    from issmanifest.reports.swaps import Swaps


def line(*fields: object) -> str:
    return "\t".join(clean_line("" if field is None else str(field)).replace("\t", "\\t") for field in fields)


def lines(rows: Iterable[str]) -> str:
    return "".join(row + "\n" for row in rows)


def _when(value: When | None) -> str:
    return "-" if value is None else value.iso()


def show(snapshot: Snapshot) -> str:
    known = snapshot.known_until
    rows = [line("at", iso(snapshot.at))]
    rows.append(line("known_until", _when(known), "as_of" if snapshot.as_of is not None else "latest-confirmed"))
    reach = "past-last-event" if snapshot.past_last_event else "beyond-facts" if snapshot.beyond_facts else "facts"
    rows.append(line("confirmed", snapshot.confirmed, len(snapshot.aboard), reach))
    for member in snapshot.aboard:
        rows.append(
            line(
                "aboard",
                member.person,
                member.name,
                member.nationality,
                member.agency,
                member.arrived_on,
                member.arrived.iso(),
                member.returns_on or "-",
                _when(member.returns),
                member.days_aboard,
                _state(member.unsure),
                _state(member.arrival_unconfirmed),
                _state(member.return_unconfirmed),
                "-" if member.past_docked_life is None else member.past_docked_life,
                member.cross_ride or "-",
            )
        )
    rows += [
        line("docked", d.flight, d.vehicle, d.port or "-", d.docked.iso(), d.lifeboat, _state(d.unconfirmed))
        for d in snapshot.docked
    ]
    rows += [line("nationality", code, count) for code, count in snapshot.by_nationality.items()]
    rows += [
        line("partner", partner, "aboard" if present else "absent")
        for partner, present in snapshot.core_partners.items()
    ]
    rows += [finding_line(gap, "gap") for gap in snapshot.gaps]
    if snapshot.margin is not None:
        rows.append(margin_line(snapshot.margin))
    for rotation in snapshot.rotations:
        rows.append(
            line(
                rotation.event,
                rotation.flight.id,
                rotation.flight.vehicle,
                _when(rotation.when),
                ",".join(rotation.people) or "-",
                _state(rotation.unsure),
            )
        )
    rows += [line("plan", event.flight, event.event, event.when.iso()) for event in snapshot.plans_since]
    rows += [line("overdue", event.flight, event.event, event.when.iso()) for event in snapshot.overdue]
    return lines(rows)


def stations(result: Stations) -> str:
    """Every station at the instant: its count, who is aboard, its partners and gaps (each line naming it), then the
    counts by nationality across the stations."""
    rows = [line("at", iso(result.at)), line("number", result.number)]
    for snapshot in result.snapshots:
        name = snapshot.manifest.station.name
        rows.append(line("station", name, len(snapshot.aboard)))
        rows += [
            line("aboard", name, m.person, m.name, m.nationality, m.agency, m.arrived_on, m.returns_on or "-")
            for m in snapshot.aboard
        ]
        rows += [
            line("partner", name, partner, "aboard" if present else "absent")
            for partner, present in snapshot.core_partners.items()
        ]
        until = _when(snapshot.continuity.horizon)
        rows.append(line("continuity", name, "represented" if snapshot.stays_represented else "gap", until))
        rows += [finding_line(gap, "gap", name) for gap in snapshot.gaps]
    rows += [line("nationality", code, count) for code, count in result.by_nationality.items()]
    return lines(rows)


def _state(unconfirmed: bool) -> str:  # noqa: FBT001  (one flag, worded)
    return "unconfirmed" if unconfirmed else "confirmed"


def margin_line(margin: Margin) -> str:
    return line(
        "margin",
        margin.flight,
        margin.event,
        margin.direction,
        margin.scheduled.iso(),
        "-" if margin.days is None else str(margin.days),
        margin.rule or "-",
        margin.message or "-",
        "unconfirmed" if margin.unsure else "-",
    )


def margins(result: Margins) -> str:
    """An `at` line, then a `margin` line per event and direction; days, or - when nothing binds."""
    rows = [line("at", iso(result.at), "handover" if result.handover else "as-scheduled")]
    rows += [margin_line(margin) for margin in result.margins]
    return lines(rows)


def finding_line(finding: Finding, *lead: str) -> str:
    return line(
        *lead,
        finding.severity,
        finding.rule,
        iso(finding.start),
        "-" if finding.end is None else iso(finding.end),
        finding.subject,
        finding.message,
    )


def check(result: Check) -> str:
    rows = [line("verdict", verdict(result)), line("window", window_note(result))]
    if result.rests_on:
        rows.append(line("unconfirmed", ",".join(result.rests_on)))
    rows += [finding_line(finding) for finding in result.findings]
    return lines(rows)


def _plain(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ",".join(item if isinstance(item, str) else json.dumps(item, sort_keys=True) for item in value) or "-"
    return str(value)


def diff(result: ManifestDiff) -> str:
    """One line per change: kind, flight, person or subject, field, old, new, shift in days."""
    rows = []
    for change in result.changes:
        shift = "-" if change.shift_days is None else f"{change.shift_days:+g}"
        who = change.person or change.subject or "-"
        rows.append(
            line(
                change.kind,
                change.flight or "-",
                who,
                change.field or "-",
                _plain(change.old),
                _plain(change.new),
                shift,
            )
        )
    impact = result.continuity
    rows += [finding_line(finding, "introduced") for finding in impact.introduced]
    rows += [finding_line(finding, "resolved") for finding in impact.resolved]
    for old, new in impact.changed:
        rows.append(
            line(
                "changed",
                new.severity,
                new.rule,
                iso(old.start),
                _end(old.end),
                iso(new.start),
                _end(new.end),
                new.subject,
                new.message,
            )
        )
    return lines(rows)


def _end(end: int | None) -> str:
    return "-" if end is None else iso(end)


def timeline(chart: Chart) -> str:
    """One line per stay (`bar`), then the gaps and the seat shortfalls."""
    rows = [line("span", iso(chart.start), iso(chart.end), chart.by)]
    for bar in chart.bars:
        rows.append(
            line(
                "bar",
                bar.group,
                bar.person,
                bar.name,
                bar.agency,
                bar.partner or "-",
                iso(bar.start),
                _end(bar.end),
                "unconfirmed" if bar.unsure else "-",
            )
        )
    rows += [finding_line(gap, "gap") for gap in chart.gaps]
    rows += [finding_line(shortfall, "shortfall") for shortfall in chart.shortfalls]
    return lines(rows)


def stats(result: Stats) -> str:
    """A `period` line per period, then its `nationality`, `agency` and `exposure` lines; days throughout."""
    rows = [line("span", iso(result.start), iso(result.end), result.by)]
    for period in result.periods:
        rows.append(
            line(
                "period",
                period.label,
                iso(period.start),
                iso(period.end),
                f"{period.days:.3f}",
                f"{period.crewed_days:.3f}",
                f"{period.mean_crew:.3f}",
                period.peak_crew,
                f"{period.shortfall_days:.3f}",
                ",".join(period.rests_on) or "-",
            )
        )
        rows += [
            line("nationality", period.label, code, f"{days:.3f}")
            for code, days in period.person_days_by_nationality.items()
        ]
        rows += [
            line("agency", period.label, name, f"{days:.3f}") for name, days in period.person_days_by_agency.items()
        ]
        rows += [
            line("exposure", period.label, partner, f"{days:.3f}") for partner, days in period.exposure_days.items()
        ]
    return lines(rows)


def swaps(result: Swaps) -> str:
    """A `ride` line per cross-ride, then `balance`, `empty`, `exposure` and `upcoming` lines."""
    rows = [
        line(
            "ride",
            _when(ride.when),
            ride.flight,
            ride.vehicle,
            ride.provider,
            ride.person,
            ride.name,
            ride.agency,
            ride.direction,
            ride.agreement or "outside any agreement",
            ",".join(ride.unconfirmed) or "confirmed",
            "planned" if ride.planned else "flown",
        )
        for ride in result.rides
    ]
    rows += [
        line("balance", row.agreement, row.year, row.provider, row.receiver, row.up, row.down, row.net)
        for row in result.balance
    ]
    rows += [
        line("empty", seat.flight, seat.vehicle, seat.provider, seat.agreement, seat.seats, seat.crew, seat.note or "")
        for seat in result.empty_seats
    ]
    rows += [
        line("exposure", item.kind, item.agency or "-", iso(item.start), iso(item.end), f"{item.days:.3f}")
        for item in result.exposure
    ]
    for item in result.upcoming:
        net = ",".join(f"{a}>{b}={n}" for a, b, n in item.net)
        rows.append(line("upcoming", item.flight, item.launch.iso(), item.provider, ",".join(item.riders), net))
    return lines(rows)


def crosscheck(result: CrossChecks) -> str:
    """Per feed a `feed` line (source, kind, agrees or the count, headline), then its `disagree` and `note` lines."""
    rows = []
    for item in result.results:
        rows.append(
            line("feed", item.feed.source, item.feed.kind, "agrees" if item.agrees else "disagrees", item.headline)
        )
        rows += [
            line(
                "disagree",
                found.subject,
                found.about,
                found.feed,
                found.manifest,
                found.lags,
                found.reason,
                found.record or "-",
            )
            for found in item.disagreements
        ]
        rows += [line("note", note.subject, note.about, note.text, note.record or "-") for note in item.notes]
    return lines(rows)
