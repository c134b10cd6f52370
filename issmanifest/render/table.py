"""Rich tables for people at a terminal. Every piece of manifest text enters as `Text`, never markup."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from rich import box
from rich.console import ConsoleOptions, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from issmanifest.engine.rules import ERROR, Check
from issmanifest.engine.words import duration_text
from issmanifest.manifest.model import DAY, EPOCH
from issmanifest.render import (
    day,
    minute,
    screen,
)
from issmanifest.render.draw import as_rich
from issmanifest.render.escape import clean_line
from issmanifest.render.screen import (
    ERROR_STYLE,
    PARTNER_STYLES,
    UNSURE,
    WARNING_STYLE,
    day_of,
    scheduled,
)

if TYPE_CHECKING:
    from issmanifest.engine.margins import Margins
    from issmanifest.reports.chart import Chart
    from issmanifest.reports.crosscheck import CrossChecks
    from issmanifest.reports.diff import ManifestDiff
    from issmanifest.reports.snapshot import Snapshot, Stations
    from issmanifest.reports.stats import Stats
    from issmanifest.reports.swaps import Swaps


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


def show(snapshot: Snapshot) -> RenderableType:
    return as_rich(screen.show(snapshot))


def stations(result: Stations) -> RenderableType:
    return as_rich(screen.stations(result))


def check(result: Check) -> RenderableType:
    return as_rich(screen.check(result))


def diff(result: ManifestDiff) -> RenderableType:
    return as_rich(screen.diff(result))


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
        line.append_text(text(f"{scheduled(item.scheduled, unsure=item.unsure):<17} {item.flight} {verb}: "))
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
            text(day_of(ride.when) + (UNSURE if "ride" in ride.unconfirmed else "")),
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
                text(day_of(next_flight.launch)),
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
