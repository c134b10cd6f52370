"""Rich tables for people at a terminal. Every piece of manifest text enters as `Text`, never markup."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from rich import box
from rich.console import ConsoleOptions, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from issmanifest.engine.agreements import partner_of, provider_of
from issmanifest.engine.rules import ERROR, Check
from issmanifest.engine.words import duration_text
from issmanifest.manifest.model import DAY, EPOCH, Flight, Manifest, When
from issmanifest.render import (
    aboard_headline,
    day,
    facts_note,
    margin_sentence,
    minute,
    outstayed_note,
    overdue_sentence,
    planned_sentence,
    screen,
)
from issmanifest.render.draw import as_rich
from issmanifest.render.escape import clean_line
from issmanifest.render.screen import ERROR_STYLE, WARNING_STYLE

if TYPE_CHECKING:
    from issmanifest.engine.margins import Margins
    from issmanifest.reports.chart import Chart
    from issmanifest.reports.crosscheck import CrossChecks
    from issmanifest.reports.diff import ManifestDiff
    from issmanifest.reports.snapshot import DockedVehicle, Snapshot, Stations
    from issmanifest.reports.stats import Stats
    from issmanifest.reports.swaps import Swaps

UNSURE = "?"
CROSS = "⇄"  # rides another core partner's vehicle: an integrated crew
ROTATIONS_SHOWN = 8


def text(value: object, style: str = "") -> Text:
    """Untrusted text as one line of a table: controls and newlines shown as escapes."""
    return Text(clean_line("" if value is None else str(value)), style=style)


def _table(*columns: str, title: str | None = None) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD, title=text(title, "bold") if title else None, title_justify="left", pad_edge=False
    )
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _when(value: When | None, *, unsure: bool = False) -> str:
    return ("not scheduled" if value is None else minute(value.seconds)) + (UNSURE if unsure else "")


def _day(value: When | None) -> str:
    return "not scheduled" if value is None else day(value.seconds)


def _swappers(manifest: Manifest, people: tuple[str, ...], flight: Flight) -> set[str]:
    """Those of the people who are a core partner's and ride another core partner's vehicle."""
    provider = provider_of(manifest, flight)
    if provider not in manifest.station.core_partners:
        return set()
    partners = {person: partner_of(manifest, manifest.people[person].agency) for person in people}
    return {person for person, partner in partners.items() if partner is not None and partner != provider}


def _people(snapshot: Snapshot, people: tuple[str, ...], flight: Flight | None = None) -> Text:
    """People grouped by nationality: `RU Prokopyev, Petelin; US Rubio`; with the flight they ride, those
    of a core partner on another core partner's vehicle marked (the seat swap)."""
    swappers = set() if flight is None else _swappers(snapshot.manifest, people, flight)
    groups: dict[str, list[str]] = defaultdict(list)
    for person in people:
        member = snapshot.manifest.people[person]
        groups[member.nationality].append(member.name + (f" {CROSS}" if person in swappers else ""))
    return text("; ".join(f"{code} {', '.join(names)}" for code, names in sorted(groups.items())) or "none listed")


def show(snapshot: Snapshot) -> RenderableType:
    manifest = snapshot.manifest
    parts: list[RenderableType] = []
    title = f"{manifest.station.name} at {minute(snapshot.at)} UTC: {aboard_headline(snapshot)}"
    parts.append(_aboard(snapshot, title))
    parts += [text(line, WARNING_STYLE) for line in outstayed_note(snapshot)]
    parts += [_docked(vehicle) for vehicle in snapshot.docked]
    parts.append(_knowledge(snapshot))

    if snapshot.by_nationality:
        parts.append(_nationalities(snapshot))

    parts.append(_partner_flag(snapshot))
    if snapshot.margin is not None:
        line = Text()
        line.append("Margin: ", "bold")
        line.append_text(text(margin_sentence(snapshot.margin), ERROR_STYLE if snapshot.margin.seconds == 0 else ""))
        parts.append(line)
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
            text(_when(rotation.when, unsure=rotation.unsure)),
            text(rotation.flight.id),
            text(rotation.flight.vehicle),
            text("up" if rotation.event == "arrival" else "down"),
            _people(snapshot, rotation.people, rotation.flight),
        )
    if snapshot.rotations:
        parts.append(rotations)
        more = len(snapshot.rotations) - ROTATIONS_SHOWN
        if more > 0:
            parts.append(text(f"... and {more} more after these (--format json lists them all)", "dim"))
    else:
        parts.append(text("No rotations scheduled after this instant."))
    shown = snapshot.rotations[:ROTATIONS_SHOWN]
    if any(member.cross_ride for member in snapshot.aboard) or any(
        _swappers(snapshot.manifest, r.people, r.flight) for r in shown
    ):
        parts.append(text(f"{CROSS} integrated crew: rides another core partner's vehicle (the seat swap)", "dim"))
    if (
        any(member.unsure for member in snapshot.aboard)
        or any(r.unsure for r in snapshot.rotations[:ROTATIONS_SHOWN])
        or any(vehicle.unconfirmed for vehicle in snapshot.docked)
    ):
        parts.append(
            text(
                f"{UNSURE} not confirmed: a tentative flight, a value marked uncertain or not scheduled,"
                " or a plan after the facts end",
                "dim",
            )
        )
    return Group(*parts)


_LIFEBOAT = {
    "any": "a lifeboat",
    "assigned": "a lifeboat for its crew",
    "grounded": "grounded, no lifeboat",
    "none": "no seats",
}


def _docked(vehicle: DockedVehicle) -> Text:
    """`Docked: crew-5 (Crew Dragon) at Harmony forward, 2022-10-06: a lifeboat`."""
    line = Text()
    line.append("Docked: ", "bold")
    port = vehicle.port or "no named port"
    since = _day(vehicle.docked) + (UNSURE if vehicle.unconfirmed else "")
    words = _LIFEBOAT.get(vehicle.lifeboat, vehicle.lifeboat)
    line.append_text(text(f"{vehicle.flight} ({vehicle.vehicle}) at {port}, {since}: {words}"))
    return line


def _aboard(snapshot: Snapshot, title: str) -> RenderableType:
    """Who is aboard a station, each value that rests on a plan marked where it shows."""
    partners = snapshot.manifest.station.core_partners
    aboard = _table("Person", "Nat.", "Agency", "Arrived on", "Returns on", "Days", title=title)
    for member in snapshot.aboard:
        home = "unknown" if member.returns_on is None else f"{member.returns_on} {_day(member.returns)}"
        arrival = UNSURE if member.arrival_unconfirmed else ""
        aboard.add_row(
            text(member.name),
            text(member.nationality + (f" {CROSS}" if member.cross_ride else "")),  # within the header's width
            text(member.agency, _partner_style(member.partner, partners)),
            text(f"{member.arrived_on} {_day(member.arrived)}{arrival}"),
            text(home + (UNSURE if member.return_unconfirmed else "")),
            text(f"{member.days_aboard}{UNSURE if arrival or snapshot.past_last_event else ''}"),
        )
    return aboard


def stations(result: Stations) -> RenderableType:
    """Every station at the instant: a table of who is aboard each, the count by nationality across them, and each
    station's partners and continuity."""
    parts: list[RenderableType] = [
        text(f"In space at {minute(result.at)} UTC: {result.number} aboard {len(result.snapshots)} stations", "bold"),
        Text(),
    ]
    for snapshot in result.snapshots:
        parts.append(_aboard(snapshot, f"{snapshot.manifest.station.name}: {aboard_headline(snapshot)}"))
    if result.by_nationality:
        line = Text()
        line.append("By nationality, all stations: ", "bold")
        line.append_text(text("; ".join(f"{code} {count}" for code, count in result.by_nationality.items())))
        parts.append(line)
    for snapshot in result.snapshots:
        line = text(f"{snapshot.manifest.station.name}: ", "bold")
        line.append_text(_partner_flag(snapshot))
        parts.append(line)
        parts.append(_knowledge(snapshot))
    if any(member.unsure for snapshot in result.snapshots for member in snapshot.aboard):
        parts.append(
            text(f"{UNSURE} not confirmed by the sources: a tentative flight or a value marked uncertain", "dim")
        )
    return Group(*parts)


def _knowledge(snapshot: Snapshot) -> Text:
    """Until when the facts run; past it, the plans that fell since and the plans overdue before it."""
    line = Text()
    line.append_text(text(facts_note(snapshot), "dim"))
    if snapshot.plans_since:
        line.append("\nPlans since then, unconfirmed: ", "bold")
        shown = [planned_sentence(event) for event in snapshot.plans_since[:ROTATIONS_SHOWN]]
        more = len(snapshot.plans_since) - ROTATIONS_SHOWN
        line.append_text(text("; ".join(shown) + (f"; and {more} more" if more > 0 else "")))
    for event in snapshot.overdue:
        line.append("\nOverdue: ", WARNING_STYLE)
        line.append_text(text(overdue_sentence(event)))
    return line


def _nationalities(snapshot: Snapshot) -> Text:
    """`By nationality: JP 1 (JAXA); RU 3 (Roscosmos)`: a line, as the table above lists the people."""
    groups = []
    for code, count in snapshot.by_nationality.items():
        agencies = sorted({member.agency for member in snapshot.aboard if member.nationality == code})
        groups.append(f"{code} {count} ({', '.join(agencies)})")
    line = Text()
    line.append("By nationality: ", "bold")
    line.append_text(text("; ".join(groups)))
    return line


def _partner_flag(snapshot: Snapshot) -> Text:
    partners = snapshot.manifest.station.core_partners
    flag = Text()
    flag.append("Core partner: " if len(partners) == 1 else "Core partners: ", "bold")
    for index, (partner, present) in enumerate(snapshot.core_partners.items()):
        if index:
            flag.append(", ")
        flag.append(text(partner, _partner_style(partner, partners)))
        flag.append(" aboard" if present else " ABSENT", "" if present else ERROR_STYLE)
    continuity = snapshot.continuity
    if continuity.empty:
        flag.append(". Nothing is scheduled after this instant.")
        return flag
    assert continuity.end is not None
    gaps = snapshot.gaps
    certain = [gap for gap in gaps if gap.severity == ERROR]
    if not certain:
        stays = "All stay" if len(partners) != 1 else f"{partners[0]} stays"
        flag.append(f". {stays} represented through {minute(continuity.end)}, the last scheduled event.")
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


def _partner_style(partner: str | None, partners: tuple[str, ...]) -> str:
    """Core partners in the colours of their bars in the timeline; others plain."""
    if partner is None or partner not in partners:
        return ""
    return "bold " + PARTNER_STYLES[partners.index(partner) % len(PARTNER_STYLES)]


def check(result: Check) -> RenderableType:
    return as_rich(screen.check(result))


def diff(result: ManifestDiff) -> RenderableType:
    return as_rich(screen.diff(result))


PARTNER_STYLES = ("bright_blue", "bright_red", "green")
OTHER_STYLE = "grey62"
# Block and box characters, and ASCII for an output whose encoding lacks them (as Rich draws its tables).
GLYPHS = {
    "bars": "█▓▒",  # a bar for each core partner, in turn
    "other": "░",
    "now": "┊",
    "gap": "×",
    "here": "▲",
    "rule": "─",
    "tick": "┬",
    "between": " · ",
}
ASCII_GLYPHS = {
    "bars": "#=%",
    "other": ".",
    "now": ":",
    "gap": "x",
    "here": "^",
    "rule": "-",
    "tick": "+",
    "between": "; ",
}
LABEL = 20


def _glyphs(options: ConsoleOptions) -> dict[str, str]:
    return ASCII_GLYPHS if options.ascii_only else GLYPHS


def _bars(partners: tuple[str, ...], glyphs: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Each core partner's bar character and style."""
    count = len(PARTNER_STYLES)
    return {partner: (glyphs["bars"][i % count], PARTNER_STYLES[i % count]) for i, partner in enumerate(partners)}


class _Picture:
    """The timeline drawn to the width it is given: one row per stay, marker rows, an axis."""

    def __init__(self, chart: Chart) -> None:
        self.chart = chart

    def __rich_console__(self, console: object, options: ConsoleOptions) -> Iterator[Text]:
        chart = self.chart
        columns = max(options.max_width - LABEL - 1, 10)
        step = max((chart.end - chart.start) / columns, 1.0)

        def column(moment: int) -> int:
            return min(max(int((moment - chart.start) / step), 0), columns - 1)

        def span(start: int, end: int | None) -> range:
            first = column(start)
            last = columns - 1 if end is None else max(first, column(end - 1))
            return range(first, last + 1)

        today = column(chart.now) if chart.start <= chart.now < chart.end else None
        glyphs = _glyphs(options)
        bars = _bars(chart.partners, glyphs)
        other = (glyphs["other"], OTHER_STYLE)
        days = (chart.end - chart.start) / DAY / columns
        yield text(
            f"{chart.station}, {day(chart.start)} to {day(chart.end)}: one column = {days:.3g} days, by {chart.by}",
            "bold",
        )
        for group in chart.groups:
            yield text(group[: options.max_width], "bold")
            for bar in (bar for bar in chart.bars if bar.group == group):
                char, style = bars.get(bar.partner or "", other)
                cells = [(" ", "")] * columns
                if today is not None:
                    cells[today] = (glyphs["now"], "dim")
                for index in span(bar.start, bar.end):
                    cells[index] = (char, style)
                mark = UNSURE if bar.unsure else ""
                yield self._row("  " + bar.name[: LABEL - 3 - len(mark)] + mark, cells)
        for partner in chart.partners:
            cells = [(" ", "")] * columns
            for gap in (gap for gap in chart.gaps if gap.partner == partner):
                for index in span(gap.start, gap.end):
                    cells[index] = (glyphs["gap"], ERROR_STYLE if gap.severity == ERROR else WARNING_STYLE)
            yield self._row(f"no {partner}", cells)
        cells = [(" ", "")] * columns
        for shortfall in chart.shortfalls:
            for index in span(shortfall.start, shortfall.end):
                cells[index] = ("!", ERROR_STYLE if shortfall.severity == ERROR else WARNING_STYLE)
        yield self._row("seats short", cells)
        yield self._row("", self._axis(columns, step, glyphs))
        if today is not None:
            yield self._row("", [(" ", "")] * today + [(f"{glyphs['here']} now", "bold")])
        legend = Text()
        for partner, (char, style) in bars.items():
            legend.append(char, style)
            legend.append_text(text(f" {partner}  "))
        legend.append(*other)
        legend.append(" others  ")
        legend.append(glyphs["gap"], ERROR_STYLE)
        legend.append(" no one of a partner  ")
        legend.append("!", ERROR_STYLE)
        legend.append(f" seats short  {glyphs['now']} now  ? unconfirmed")
        yield legend

    def _row(self, label: str, cells: list[tuple[str, str]]) -> Text:
        row = text(label[: LABEL - 1].ljust(LABEL))
        for char, style in cells:
            row.append(char, style)
        return row

    def _axis(self, columns: int, step: float, glyphs: dict[str, str]) -> list[tuple[str, str]]:
        """A rule with a tick and label at each month, quarter or year, as many as fit."""
        chart = self.chart
        cells = [(glyphs["rule"], "dim")] * columns
        span_months = (chart.end - chart.start) / DAY / 30.44
        months = next((m for m in (1, 3, 6, 12, 24, 60, 120) if span_months / m * 9 <= columns), 240)
        first = EPOCH + timedelta(seconds=chart.start)
        index = first.year * 12 + first.month  # the month after the start
        free = 0
        while True:
            year, month = divmod(index, 12)
            index += 1
            if (year * 12 + month) % months:
                continue
            moment = int((datetime(year, month + 1, 1, tzinfo=UTC) - EPOCH).total_seconds())
            position = int((moment - chart.start) / step)
            label = f"{year}" if months >= 12 else f"{year}-{month + 1:02d}"
            if moment >= chart.end or position + len(label) >= columns:
                break
            if position < free:
                continue
            cells[position] = (glyphs["tick"], "dim")
            for offset, char in enumerate(label, start=1):
                cells[position + offset] = (char, "dim")
            free = position + len(label) + 2
        return cells


def timeline(chart: Chart) -> RenderableType:
    return _Picture(chart)


def stats(result: Stats) -> RenderableType:
    """A table of the figures per period, person-days by nationality, and a chart of the exposure."""
    title = f"{'Years' if result.by == 'year' else 'Expeditions'} {day(result.start)} to {day(result.end)} (days)"
    figures = Table(box=box.SIMPLE_HEAD, title=text(title, "bold"), title_justify="left", pad_edge=False)
    for column in ("Period", "Crewed", "Mean crew", "Peak"):
        figures.add_column(column, justify="right" if column != "Period" else "left", no_wrap=True)
    for partner in result.partners:
        figures.add_column(text(f"{partner} on one vehicle"), justify="right")
    figures.add_column("Seats short", justify="right")
    for period in result.periods:
        figures.add_row(
            text(period.label + (f" {UNSURE}" if period.unconfirmed else "")),
            text(f"{period.crewed_days:.0f}"),
            text(f"{period.mean_crew:.1f}"),
            text(period.peak_crew),
            *(text(f"{period.exposure_days[partner]:.0f}") for partner in result.partners),
            text(_days(period.shortfall_days)),
        )
    parts: list[RenderableType] = [figures]
    resting = tuple(dict.fromkeys(flight for period in result.periods for flight in period.rests_on))
    if resting:
        count = len(resting)
        note = f"{UNSURE} the period's figures rest on unconfirmed flights ({count} in all; the JSON and CSV name them)"
        parts.append(text(note, "dim"))
    return Group(*parts, _PersonDays(result), _ExposureChart(result))


class _PersonDays:
    """The person-days of each period by nationality, in a table."""

    def __init__(self, result: Stats) -> None:
        self.result = result

    def __rich_console__(self, console: object, options: ConsoleOptions) -> Iterator[Table]:
        between = _glyphs(options)["between"]
        people = _table("Period", "Person-days by nationality", title="Person-days")
        for period in self.result.periods:
            shares = between.join(f"{code} {days:,.0f}" for code, days in period.person_days_by_nationality.items())
            people.add_row(text(period.label), text(shares or "-"))
        yield people


def margins(result: Margins) -> RenderableType:
    """A line per event and direction, how far it can move; under it, what breaks one minute past that."""
    model = "crews wait for their relief" if result.handover else "everything else as scheduled"
    parts: list[RenderableType] = [text(f"Margins from {minute(result.at)} UTC ({model})", "bold")]
    if not result.margins:
        parts.append(text(f"No arrivals or departures scheduled after {minute(result.at)} UTC."))
    for item in result.margins:
        verb = ("docks" if item.event == "arrival" else "leaves") + (
            " later" if item.direction == "delay" else " earlier"
        )
        line = Text("\n")
        line.append_text(text(f"{_when(item.scheduled, unsure=item.unsure):<17} {item.flight} {verb}: "))
        if item.seconds is None:
            line.append("no limit", "green")
            parts.append(line)
            continue
        amount = duration_text(item.seconds) if item.seconds else "not at all"
        line.append_text(
            text(amount, ERROR_STYLE if item.seconds == 0 else WARNING_STYLE if item.seconds < 7 * DAY else "")
        )
        worse = " (broken already; any move makes it worse)" if item.already else ""
        parts += [line, Padding(text(f"then {item.rule}{worse}: {item.message}"), (0, 0, 0, 4))]
    parts.append(Text())
    note = "Margin: the largest move that opens no error, nor lengthens one the schedule has. No limit: nothing"
    note += " breaks up to the last scheduled event (moving earlier: back to the start). ?: the event is unconfirmed."
    parts.append(text(note, "dim"))
    return Group(*parts)


def _days(days: float) -> str:
    """Days to one decimal; a sliver of a day as such, not as nothing."""
    if not days:
        return "0"
    return f"{days:.1f}" if days >= 0.05 else "<0.1"


class _ExposureChart:
    """Bars of the days each core partner rode home on a single vehicle, period by period."""

    def __init__(self, result: Stats) -> None:
        self.result = result

    def __rich_console__(self, console: object, options: ConsoleOptions) -> Iterator[Text]:
        result = self.result
        yield text("Days a core partner rode home on a single vehicle (vehicle-loss exposure)", "bold")
        label = max((len(period.label) for period in result.periods), default=4) + 1
        name = max((len(partner) for partner in result.partners), default=4) + 1
        width = max(options.max_width - label - name - 6, 10)
        most = max((days for period in result.periods for days in period.exposure_days.values()), default=0.0)
        bars = _bars(result.partners, _glyphs(options))
        for period in result.periods:
            for index, partner in enumerate(result.partners):
                days = period.exposure_days[partner]
                char, style = bars[partner]
                row = text((period.label if index == 0 else "").ljust(label) + partner.ljust(name))
                row.append(char * (round(days / most * width) if most else 0), style)
                row.append_text(text(f" {days:.0f}"))
                yield row


class _BalanceChart:
    """Bars of the net seats up one partner has given the other, at the end of each year."""

    def __init__(self, result: Swaps) -> None:
        self.result = result

    def __rich_console__(self, console: object, options: ConsoleOptions) -> Iterator[Text]:
        rows = self.result.balance
        giver, taker = sorted((rows[0].provider, rows[0].receiver))
        nets = {row.year: row.net for row in rows if (row.provider, row.receiver) == (giver, taker)}
        nets |= {row.year: -row.net for row in rows if (row.provider, row.receiver) == (taker, giver)}
        yield text(f"Net seats up {giver} has given {taker}, at each year's end", "bold")
        char, style = _bars((giver,), _glyphs(options))[giver]
        most = max((abs(net) for net in nets.values()), default=0)
        width = max(min(options.max_width - 12, most * 4), 1)
        for year in sorted(nets):
            net = nets[year]
            row = text(f"{year}  {net:+d}  ")
            row.append(char * (round(abs(net) / most * width) if most else 0), style if net >= 0 else "red")
            yield row


def swaps(result: Swaps) -> RenderableType:
    """The ledger of cross-rides, the balance per agreement and year, empty swap seats and exposure."""
    rides = _table("When (UTC)", "Flight", "Provider", "Person", "Agency", "Dir", "Agreement", title="Cross-rides")
    for ride in result.rides:
        rides.add_row(
            text(_day(ride.when) + (UNSURE if "ride" in ride.unconfirmed else "")),
            text(ride.flight),
            text(ride.provider),
            text(ride.name),
            text(ride.agency),
            text(ride.direction),
            text((ride.agreement or "outside any agreement") + (UNSURE if "agreement" in ride.unconfirmed else "")),
        )
    parts: list[RenderableType] = [rides]
    if result.balance:
        balance = _table("Agreement", "Year", "Seats of", "For", "Up", "Down", "Net", title="Balance")
        for row in result.balance:
            balance.add_row(*(text(value) for value in row))
        parts += [balance, _BalanceChart(result)]
    if result.empty_seats:
        empty = _table("Flight", "Provider", "Crew", "Swap riders", "Why", title="Launched with seats to spare")
        for seat in result.empty_seats:
            empty.add_row(
                text(seat.flight),
                text(seat.provider),
                text(f"{seat.crew}/{seat.seats}"),
                text(seat.swap_riders),
                text(seat.note or "-"),
            )
        parts.append(empty)
    if result.exposure:
        exposure = _table("Kind", "Agency", "From", "Until", "Days", title="Exposure")
        for item in result.exposure:
            exposure.add_row(
                text(item.kind),
                text(item.agency or "-"),
                text(minute(item.start)),
                text(minute(item.end)),
                text(f"{item.days:.1f}"),
            )
        parts.append(exposure)
    if result.upcoming:
        upcoming = _table("Flight", "Launch", "Provider", "Riders", "Net after", title="Next rotations")
        for next_flight in result.upcoming:
            net = ", ".join(f"{a} to {b} {n:+d}" for a, b, n in next_flight.net)
            upcoming.add_row(
                text(next_flight.flight),
                text(_day(next_flight.launch)),
                text(next_flight.provider),
                text(", ".join(next_flight.riders)),
                text(net),
            )
        parts.append(upcoming)
    return Group(*parts)


def crosscheck(result: CrossChecks) -> RenderableType:
    """Per feed its headline, a table of disagreements (the feed, the manifest, the record command) and its notes."""
    parts: list[RenderableType] = []
    for item in result.results:
        style = "bold green" if item.agrees else ERROR_STYLE
        parts.append(text(item.headline, style))
        if item.disagreements:
            found = _table("Subject", "About", "Feed says", "Manifest says", "Lags", "Why")
            for d in item.disagreements:
                found.add_row(
                    text(d.subject), text(d.about), text(d.feed), text(d.manifest), text(d.lags), text(d.reason)
                )
            parts.append(found)
            commands = [d.record for d in item.disagreements if d.record]
            if commands:
                parts.append(text("To take the feed's facts:"))
                parts += [text(f"  {command}") for command in commands]
        if item.notes:
            notes = _table("Note", "About", "", title="Notes")
            for n in item.notes:
                notes.add_row(text(n.subject), text(n.about), text(n.text))
            parts.append(notes)
    return Group(*parts)
