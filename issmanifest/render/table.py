"""Rich tables for people at a terminal. Every piece of manifest text enters as `Text`, never markup."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from issmanifest.model import When
from issmanifest.output import clean
from issmanifest.render import day, describe, headline, minute, verdict, window_note
from issmanifest.rules import ERROR, Check, Finding, duration_text
from issmanifest.snapshot import Snapshot

if TYPE_CHECKING:
    from issmanifest.diff import Change, ManifestDiff

PARTNER_STYLE = "bold cyan"
ERROR_STYLE = "bold red"
WARNING_STYLE = "yellow"
UNSURE = "?"
ROTATIONS_SHOWN = 8


def text(value: object, style: str = "") -> Text:
    return Text(clean("" if value is None else str(value)), style=style)


def _table(*columns: str, title: str | None = None) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD, title=text(title, "bold") if title else None, title_justify="left", pad_edge=False
    )
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _when(value: When | None, unsure: bool = False) -> str:
    if value is None:
        return "not scheduled"
    return minute(value.seconds) + (UNSURE if unsure else "")


def _day(value: When | None) -> str:
    return "not scheduled" if value is None else day(value.seconds)


def _people(snapshot: Snapshot, people: tuple[str, ...]) -> Text:
    """People grouped by nationality: `RU Prokopyev, Petelin; US Rubio`."""
    groups: dict[str, list[str]] = defaultdict(list)
    for person in people:
        member = snapshot.manifest.people[person]
        groups[member.nationality].append(member.name)
    return text("; ".join(f"{code} {', '.join(names)}" for code, names in sorted(groups.items())) or "none listed")


def show(snapshot: Snapshot) -> RenderableType:
    manifest = snapshot.manifest
    parts: list[RenderableType] = []
    title = f"{manifest.station.name} at {minute(snapshot.at)} UTC: {len(snapshot.aboard)} aboard"
    aboard = _table("Person", "Nat.", "Agency", "Arrived on", "Returns on", "Days", title=title)
    for member in snapshot.aboard:
        home = "unknown" if member.returns_on is None else f"{member.returns_on} {_day(member.returns)}"
        style = PARTNER_STYLE if member.partner else ""
        aboard.add_row(
            text(member.name),
            text(member.nationality),
            text(member.agency, style),
            text(f"{member.arrived_on} {_day(member.arrived)}"),
            text(home + (UNSURE if member.unsure else "")),
            text(member.days_aboard),
        )
    parts.append(aboard)

    nationalities = _table("Nat.", "Count", "People", "Agencies", title="By nationality")
    for code, count in snapshot.by_nationality.items():
        members = [member for member in snapshot.aboard if member.nationality == code]
        agencies = sorted({member.agency for member in members})
        nationalities.add_row(
            text(code), text(count), text(", ".join(m.name for m in members)), text(", ".join(agencies))
        )
    if snapshot.by_nationality:
        parts.append(nationalities)

    parts.append(_partner_flag(snapshot))
    parts.append(Text())

    rotations = Table(
        box=box.SIMPLE_HEAD, title=text("Upcoming rotations", "bold"), title_justify="left", pad_edge=False
    )
    rotations.add_column("When (UTC)", no_wrap=True)
    rotations.add_column("Flight", no_wrap=True)
    rotations.add_column("Vehicle")
    rotations.add_column("", no_wrap=True)
    rotations.add_column("People", overflow="fold", ratio=1)
    for rotation in snapshot.rotations[:ROTATIONS_SHOWN]:
        rotations.add_row(
            text(_when(rotation.when, rotation.unsure)),
            text(rotation.flight.id),
            text(rotation.flight.vehicle),
            text("up" if rotation.event == "arrival" else "down"),
            _people(snapshot, rotation.people),
        )
    if snapshot.rotations:
        parts.append(rotations)
        more = len(snapshot.rotations) - ROTATIONS_SHOWN
        if more > 0:
            parts.append(text(f"... and {more} more after these (--format json lists them all)", "dim"))
    else:
        parts.append(text("No rotations scheduled after this instant."))
    if any(member.unsure for member in snapshot.aboard) or any(r.unsure for r in snapshot.rotations[:ROTATIONS_SHOWN]):
        parts.append(
            text(f"{UNSURE} not confirmed by the sources: a tentative flight or a value marked uncertain", "dim")
        )
    return Group(*parts)


def _partner_flag(snapshot: Snapshot) -> Text:
    flag = Text()
    flag.append("Core partners: ", "bold")
    for index, (partner, present) in enumerate(snapshot.core_partners.items()):
        if index:
            flag.append(", ")
        flag.append(text(partner, PARTNER_STYLE))
        flag.append(" aboard" if present else " ABSENT", "" if present else ERROR_STYLE)
    continuity = snapshot.continuity
    if continuity.empty:
        flag.append(". Nothing is scheduled after this instant.")
        return flag
    assert continuity.end is not None
    gaps = snapshot.gaps
    certain = [gap for gap in gaps if gap.severity == ERROR]
    if not certain:
        flag.append(f". All stay represented through {minute(continuity.end)}, the last scheduled event.")
    for gap in gaps:
        until = "the horizon" if gap.end is None else minute(gap.end)
        flag.append("\n  ")
        flag.append(
            text(
                f"{gap.partner}: no one aboard from {minute(gap.start)} to {until}",
                ERROR_STYLE if gap.severity == ERROR else WARNING_STYLE,
            )
        )
        if gap.duration is not None:
            flag.append(text(f" ({duration_text(gap.duration)})"))
        if gap.date_only:
            flag.append(" possible only because a date has no time of day", "dim")
    return flag


def _severity(finding: Finding) -> Text:
    return text(finding.severity, ERROR_STYLE if finding.severity == ERROR else WARNING_STYLE)


def check(result: Check, partners: tuple[str, ...]) -> RenderableType:
    ok = not result.errors
    head = Text()
    head.append("OK  " if ok else "FAIL  ", "bold green" if ok else ERROR_STYLE)
    head.append(text(verdict(result, partners)))
    parts: list[RenderableType] = [head, text(window_note(result), "dim")]
    for finding in result.findings:
        parts.append(_finding(finding))
    return Group(*parts)


def _finding(finding: Finding) -> RenderableType:
    """Severity, rule and window; then the sentence, indented."""
    line = Text("\n")
    line.append_text(_severity(finding))
    line.append(f"  {finding.rule}  ", "bold")
    end = "open" if finding.end is None else minute(finding.end)
    line.append(f"{minute(finding.start)} to {end}")
    if finding.duration is not None:
        line.append(f" ({duration_text(finding.duration)})")
    return Group(line, Padding(text(finding.message), (0, 0, 0, 4)))


def diff(result: ManifestDiff) -> RenderableType:
    """The headline, the changes grouped by flight in time order, then the continuity impact."""
    impact = result.continuity
    head = Text()
    alarm = bool(impact.introduced_errors) or any(new.severity == ERROR for _, new in impact.changed)
    head.append_text(text(headline(result), ERROR_STYLE if alarm else "bold"))
    parts: list[RenderableType] = [head]
    by_flight: dict[str, list[Change]] = defaultdict(list)
    others: list[Change] = []
    for change in result.changes:
        if change.flight is not None:
            by_flight[change.flight].append(change)
        else:
            others.append(change)
    for flight in sorted(by_flight, key=lambda flight_id: result.order.get(flight_id, -1)):
        parts.append(Text())
        parts.append(text(flight, "bold"))
        parts += [Padding(text(describe(change)), (0, 0, 0, 2)) for change in by_flight[flight]]
    if others:
        parts.append(Text())
        parts.append(text("Station, agencies, vehicles and people", "bold"))
        parts += [Padding(text(describe(change)), (0, 0, 0, 2)) for change in others]
    if impact.introduced or impact.resolved or impact.changed:
        parts.append(Text())
        parts.append(text("Continuity", "bold"))
        for label, findings in (("introduced", impact.introduced), ("resolved", impact.resolved)):
            for finding in findings:
                parts.append(Padding(_impact(label, finding), (0, 0, 0, 2)))
        for old, new in impact.changed:
            moved = _impact("changed", new)
            moved.append(text(f" (was {minute(old.start)} to {_end(old.end)})", "dim"))
            parts.append(Padding(moved, (0, 0, 0, 2)))
    return Group(*parts)


def _end(end: int | None) -> str:
    return "open" if end is None else minute(end)


def _impact(label: str, finding: Finding) -> Text:
    line = Text()
    line.append(f"{label} ", "bold")
    line.append_text(_severity(finding))
    line.append(f" {finding.rule} {minute(finding.start)} to {_end(finding.end)}: ")
    line.append_text(text(finding.message))
    return line
