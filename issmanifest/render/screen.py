"""The table format's views that are lines of text and simple tables (`check`, `diff`, `show`, `stations`),
described for `render.draw`: drawn without Rich on a plain terminal, by Rich elsewhere. The table format's other
views are Rich's (`render.table`)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from issmanifest.engine.words import duration_text
from issmanifest.render import (
    aboard_headline,
    day,
    describe,
    facts_note,
    headline,
    margin_sentence,
    minute,
    outstayed_note,
    overdue_sentence,
    planned_sentence,
    verdict,
    window_note,
)
from issmanifest.render.draw import Column, Grid, Para
from issmanifest.render.escape import clean_line

if TYPE_CHECKING:
    from issmanifest.engine.rules import Check, Finding
    from issmanifest.manifest.model import Flight, Manifest, When
    from issmanifest.reports.diff import Change, ManifestDiff
    from issmanifest.reports.snapshot import DockedVehicle, Snapshot, Stations

View = list[Para | Grid]

ERROR_STYLE = "bold red"
WARNING_STYLE = "yellow"
PARTNER_STYLES = ("bright_blue", "bright_red", "green")
UNSURE = "?"
CROSS = "⇄"  # rides another core partner's vehicle: an integrated crew
ROTATIONS_SHOWN = 8


def text(value: object, style: str = "") -> Para:
    """Untrusted text as one line: controls and newlines shown as escapes."""
    return Para(((clean_line("" if value is None else str(value)), None),), style)


def severity(finding: Finding) -> Para:
    from issmanifest.engine.rules import ERROR

    return text(finding.severity, ERROR_STYLE if finding.severity == ERROR else WARNING_STYLE)


def check(result: Check) -> list[Para]:
    ok = result.passed
    head = Para().add("OK  " if ok else "FAIL  ", "bold green" if ok else ERROR_STYLE).extend(text(verdict(result)))
    parts = [head, text(window_note(result), "dim")]
    for finding in result.findings:
        parts += _finding(finding)
    return parts


def _finding(finding: Finding) -> list[Para]:
    """Severity, rule and window; then the sentence, indented."""
    line = Para((("\n", None),)).extend(severity(finding)).add(f"  {finding.rule}  ", "bold")
    end = "open" if finding.end is None else minute(finding.end)
    line = line.add(f"{minute(finding.start)} to {end}")
    if finding.duration is not None:
        line = line.add(f" ({duration_text(finding.duration)})")
    return [line, text(finding.message).indented(4)]


def diff(result: ManifestDiff) -> list[Para]:
    """The headline, the changes grouped by flight in time order, then the continuity impact."""
    from issmanifest.engine.rules import ERROR

    impact = result.continuity
    alarm = bool(impact.introduced_errors) or any(new.severity == ERROR for _, new in impact.changed)
    parts = [Para().extend(text(headline(result), ERROR_STYLE if alarm else "bold"))]
    by_flight: dict[str, list[Change]] = defaultdict(list)
    others: list[Change] = []
    for change in result.changes:
        if change.flight is not None:
            by_flight[change.flight].append(change)
        else:
            others.append(change)
    for flight in sorted(by_flight, key=lambda flight_id: result.order.get(flight_id, -1)):
        parts += [Para(), text(flight, "bold")]
        parts += [text(describe(change)).indented(2) for change in by_flight[flight]]
    if others:
        parts += [Para(), text("Station, agencies, vehicles, people and expeditions", "bold")]
        parts += [text(describe(change)).indented(2) for change in others]
    if impact.introduced or impact.resolved or impact.changed:
        parts += [Para(), text("Continuity", "bold")]
        for label, findings in (("introduced", impact.introduced), ("resolved", impact.resolved)):
            parts += [_impact(label, finding).indented(2) for finding in findings]
        for old, new in impact.changed:
            moved = _impact("changed", new).extend(text(f" (was {minute(old.start)} to {_end(old.end)})", "dim"))
            parts.append(moved.indented(2))
    return parts


def _end(end: int | None) -> str:
    return "open" if end is None else minute(end)


def _impact(label: str, finding: Finding) -> Para:
    line = Para().add(f"{label} ", "bold").extend(severity(finding))
    line = line.add(f" {finding.rule} {minute(finding.start)} to {_end(finding.end)}: ")
    return line.extend(text(finding.message))


def scheduled(value: When | None, *, unsure: bool = False) -> str:
    return ("not scheduled" if value is None else minute(value.seconds)) + (UNSURE if unsure else "")


def day_of(value: When | None) -> str:
    return "not scheduled" if value is None else day(value.seconds)


def _swappers(manifest: Manifest, people: tuple[str, ...], flight: Flight) -> set[str]:
    """Those of the people who are a core partner's and ride another core partner's vehicle."""
    from issmanifest.engine.agreements import partner_of, provider_of

    provider = provider_of(manifest, flight)
    if provider not in manifest.station.core_partners:
        return set()
    partners = {person: partner_of(manifest, manifest.people[person].agency) for person in people}
    return {person for person, partner in partners.items() if partner is not None and partner != provider}


def _people(snapshot: Snapshot, people: tuple[str, ...], flight: Flight | None = None) -> Para:
    """People grouped by nationality: `RU Prokopyev, Petelin; US Rubio`; with the flight they ride, those
    of a core partner on another core partner's vehicle marked (the seat swap)."""
    swappers = set() if flight is None else _swappers(snapshot.manifest, people, flight)
    groups: dict[str, list[str]] = defaultdict(list)
    for person in people:
        member = snapshot.manifest.people[person]
        groups[member.nationality].append(member.name + (f" {CROSS}" if person in swappers else ""))
    return text("; ".join(f"{code} {', '.join(names)}" for code, names in sorted(groups.items())) or "none listed")


ROTATION_COLUMNS = (
    Column("When (UTC)", no_wrap=True),
    Column("Flight", no_wrap=True),
    Column("Vehicle"),
    Column("", no_wrap=True),
    Column("People", overflow="fold"),
)


def show(snapshot: Snapshot) -> View:
    manifest = snapshot.manifest
    title = f"{manifest.station.name} at {minute(snapshot.at)} UTC: {aboard_headline(snapshot)}"
    parts: View = [_aboard(snapshot, title)]
    parts += [text(line, WARNING_STYLE) for line in outstayed_note(snapshot)]
    parts += [_docked(vehicle) for vehicle in snapshot.docked]
    parts.append(_knowledge(snapshot))
    if snapshot.by_nationality:
        parts.append(_nationalities(snapshot))
    parts.append(_partner_flag(snapshot))
    if snapshot.margin is not None:
        style = ERROR_STYLE if snapshot.margin.seconds == 0 else ""
        parts.append(Para().add("Margin: ", "bold").extend(text(margin_sentence(snapshot.margin), style)))
    parts.append(Para())
    shown = snapshot.rotations[:ROTATIONS_SHOWN]
    if snapshot.rotations:
        rows = tuple(
            (
                text(scheduled(rotation.when, unsure=rotation.unsure)),
                text(rotation.flight.id),
                text(rotation.flight.vehicle),
                text("up" if rotation.event == "arrival" else "down"),
                _people(snapshot, rotation.people, rotation.flight),
            )
            for rotation in shown
        )
        parts.append(Grid(ROTATION_COLUMNS, rows, text("Upcoming rotations", "bold")))
        more = len(snapshot.rotations) - ROTATIONS_SHOWN
        if more > 0:
            parts.append(text(f"... and {more} more after these (--format json lists them all)", "dim"))
    else:
        parts.append(text("No rotations scheduled after this instant."))
    if any(member.cross_ride for member in snapshot.aboard) or any(
        _swappers(snapshot.manifest, r.people, r.flight) for r in shown
    ):
        parts.append(text(f"{CROSS} integrated crew: rides another core partner's vehicle (the seat swap)", "dim"))
    if (
        any(member.unsure for member in snapshot.aboard)
        or any(r.unsure for r in shown)
        or any(vehicle.unconfirmed for vehicle in snapshot.docked)
    ):
        note = f"{UNSURE} not confirmed: a tentative flight, a value marked uncertain or not scheduled,"
        parts.append(text(note + " or a plan after the facts end", "dim"))
    return parts


_LIFEBOAT = {
    "any": "a lifeboat",
    "assigned": "a lifeboat for its crew",
    "grounded": "grounded, no lifeboat",
    "none": "no seats",
}


def _docked(vehicle: DockedVehicle) -> Para:
    """`Docked: crew-5 (Crew Dragon) at Harmony forward, 2022-10-06: a lifeboat`."""
    port = vehicle.port or "no named port"
    since = day_of(vehicle.docked) + (UNSURE if vehicle.unconfirmed else "")
    words = _LIFEBOAT.get(vehicle.lifeboat, vehicle.lifeboat)
    return (
        Para().add("Docked: ", "bold").extend(text(f"{vehicle.flight} ({vehicle.vehicle}) at {port}, {since}: {words}"))
    )


ABOARD_COLUMNS = tuple(
    Column(name, overflow="fold") for name in ("Person", "Nat.", "Agency", "Arrived on", "Returns on", "Days")
)


def _aboard(snapshot: Snapshot, title: str) -> Grid:
    """Who is aboard a station, each value that rests on a plan marked where it shows."""
    partners = snapshot.manifest.station.core_partners
    rows = []
    for member in snapshot.aboard:
        home = "unknown" if member.returns_on is None else f"{member.returns_on} {day_of(member.returns)}"
        arrival = UNSURE if member.arrival_unconfirmed else ""
        rows.append(
            (
                text(member.name),
                text(member.nationality + (f" {CROSS}" if member.cross_ride else "")),  # within the header's width
                text(member.agency, partner_style(member.partner, partners)),
                text(f"{member.arrived_on} {day_of(member.arrived)}{arrival}"),
                text(home + (UNSURE if member.return_unconfirmed else "")),
                text(f"{member.days_aboard}{UNSURE if arrival or snapshot.past_last_event else ''}"),
            )
        )
    return Grid(ABOARD_COLUMNS, tuple(rows), text(title, "bold") if title else None)


def stations(result: Stations) -> View:
    """Every station at the instant: a table of who is aboard each, the count by nationality across them, and each
    station's partners and continuity."""
    heading = f"In space at {minute(result.at)} UTC: {result.number} aboard {len(result.snapshots)} stations"
    parts: View = [text(heading, "bold"), Para()]
    for snapshot in result.snapshots:
        parts.append(_aboard(snapshot, f"{snapshot.manifest.station.name}: {aboard_headline(snapshot)}"))
    if result.by_nationality:
        counts = "; ".join(f"{code} {count}" for code, count in result.by_nationality.items())
        parts.append(Para().add("By nationality, all stations: ", "bold").extend(text(counts)))
    for snapshot in result.snapshots:
        parts.append(text(f"{snapshot.manifest.station.name}: ", "bold").extend(_partner_flag(snapshot)))
        parts.append(_knowledge(snapshot))
    if any(member.unsure for snapshot in result.snapshots for member in snapshot.aboard):
        note = f"{UNSURE} not confirmed by the sources: a tentative flight or a value marked uncertain"
        parts.append(text(note, "dim"))
    return parts


def _knowledge(snapshot: Snapshot) -> Para:
    """Until when the facts run; past it, the plans that fell since and the plans overdue before it."""
    line = Para().extend(text(facts_note(snapshot), "dim"))
    if snapshot.plans_since:
        line = line.add("\nPlans since then, unconfirmed: ", "bold")
        shown = [planned_sentence(event) for event in snapshot.plans_since[:ROTATIONS_SHOWN]]
        more = len(snapshot.plans_since) - ROTATIONS_SHOWN
        line = line.extend(text("; ".join(shown) + (f"; and {more} more" if more > 0 else "")))
    for event in snapshot.overdue:
        line = line.add("\nOverdue: ", WARNING_STYLE).extend(text(overdue_sentence(event)))
    return line


def _nationalities(snapshot: Snapshot) -> Para:
    """`By nationality: JP 1 (JAXA); RU 3 (Roscosmos)`: a line, as the table above lists the people."""
    groups = []
    for code, count in snapshot.by_nationality.items():
        agencies = sorted({member.agency for member in snapshot.aboard if member.nationality == code})
        groups.append(f"{code} {count} ({', '.join(agencies)})")
    return Para().add("By nationality: ", "bold").extend(text("; ".join(groups)))


def _partner_flag(snapshot: Snapshot) -> Para:
    from issmanifest.engine.rules import ERROR

    partners = snapshot.manifest.station.core_partners
    flag = Para().add("Core partner: " if len(partners) == 1 else "Core partners: ", "bold")
    for index, (partner, present) in enumerate(snapshot.core_partners.items()):
        if index:
            flag = flag.add(", ")
        flag = flag.extend(text(partner, partner_style(partner, partners)))
        flag = flag.add(" aboard" if present else " ABSENT", "" if present else ERROR_STYLE)
    continuity = snapshot.continuity
    if continuity.empty:
        return flag.add(". Nothing is scheduled after this instant.")
    assert continuity.end is not None
    gaps = snapshot.gaps
    if not any(gap.severity == ERROR for gap in gaps):
        stays = "All stay" if len(partners) != 1 else f"{partners[0]} stays"
        flag = flag.add(f". {stays} represented through {minute(continuity.end)}, the last scheduled event.")
    for gap in gaps:
        until = "the horizon" if gap.end is None else minute(gap.end)
        flag = flag.add("\n  ")
        style = ERROR_STYLE if gap.severity == ERROR else WARNING_STYLE
        flag = flag.extend(text(f"{gap.partner}: no one aboard from {minute(gap.start)} to {until}", style))
        if gap.duration is not None:
            flag = flag.extend(text(f" ({duration_text(gap.duration)})"))
        if gap.date_only:
            flag = flag.add(" possible only because a date has no time of day", "dim")
    return flag


def partner_style(partner: str | None, partners: tuple[str, ...]) -> str:
    """Core partners in the colours of their bars in the timeline; others plain."""
    if partner is None or partner not in partners:
        return ""
    return "bold " + PARTNER_STYLES[partners.index(partner) % len(PARTNER_STYLES)]
