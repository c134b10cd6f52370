"""The command line: each command reads its options, calls the core, renders, and picks the exit code.

No `from __future__ import annotations` here: Typer reads the commands'
annotations on every call, and strings would be compiled anew each time.
"""

import contextlib
import copy
import enum
import functools
import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar, cast

import typer
import typer.core
import typer.main

from issmanifest import __version__
from issmanifest.cli.output import (
    OutputError,
    clean_line,
    complain,
    stdout_is_terminal,
    write,
    write_lines,
    write_pieces,
)
from issmanifest.manifest.model import EARLIEST, LATEST, Manifest, When, date_range, parse_instant
from issmanifest.manifest.problems import ManifestError, Problem, report_lines
from issmanifest.render.formats import (
    CHECK,
    CHECK_FORMATS,
    CROSSCHECK,
    DIFF,
    LIST_FORMATS,
    MARGINS,
    SHOW,
    SHOW_FORMATS,
    STATS,
    SWAPS,
    TIMELINE,
    Format,
)
from issmanifest.render.formats import STATIONS as STATIONS_VIEW

if TYPE_CHECKING:
    from issmanifest.engine.rules import Check
    from issmanifest.render.formats import Renderers, View
    from issmanifest.reports.crosscheck import CrossChecks

EXIT_OK, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2
EXIT_BUG = 70  # EX_SOFTWARE of sysexits.h: scripts can tell a bug from bad input


class _Commands(typer.core.TyperGroup):
    """The commands, with the usage errors Typer finds said in one line, as every other error."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from typer._click.exceptions import ClickException  # Typer 0.26 to 0.28 carry their own Click here

        if not kwargs.get("standalone_mode", True):
            return super().main(*args, **kwargs)
        try:
            code = super().main(*args, **{**kwargs, "standalone_mode": False})
        except ClickException as error:
            if type(error).__name__ != "NoArgsIsHelpError":  # the help is printed already
                context = getattr(error, "ctx", None)
                see = f" (see {context.command_path} --help)" if context is not None else ""
                complain([f"issmanifest: {error.format_message().rstrip('.')}{see}"])
            sys.exit(EXIT_TROUBLE)
        except typer.Abort:
            complain(["issmanifest: aborted"])
            sys.exit(EXIT_FINDINGS)
        sys.exit(code if isinstance(code, int) else EXIT_OK)


app = typer.Typer(
    name="issmanifest",
    cls=_Commands,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
Out = TypeVar("Out")


class Settings:
    debug = os.environ.get("ISSMANIFEST_DEBUG", "") not in ("", "0")


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Turn every failure into one clean line on stderr and exit code 2 (70 for a bug); `--debug` shows tracebacks."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        # The collector would walk every object of the manifest again each time a few thousand more are made (a
        # quarter of check's time at 100,000 flights) and find nothing: the commands make no reference cycles
        # (tests/test_lean.py holds it), so counting references frees all they drop. Any cycle made (Typer's, the
        # standard library's) is collected once the collector is back on.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return command(*args, **kwargs)
        except ManifestError as error:
            complain(report_lines(error.problems))
            raise typer.Exit(EXIT_TROUBLE) from None
        except typer.BadParameter as error:
            complain([f"issmanifest: {error.format_message()}"])
            raise typer.Exit(EXIT_TROUBLE) from None
        except OutputError as error:
            complain([f"issmanifest: {error}"])
            raise typer.Exit(EXIT_TROUBLE) from None
        except BrokenPipeError:
            # Written past `write` (-o /dev/stdout into a closed pipe): as the rest of the output.
            from issmanifest.cli.output import reader_gone

            reader_gone()
            raise typer.Exit(EXIT_OK) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            if Settings.debug:
                raise
            complain(
                [
                    f"issmanifest: internal error: {type(error).__name__}: {error}",
                    "This is a bug in issmanifest; run again with --debug (or ISSMANIFEST_DEBUG=1) for the traceback.",
                ]
            )
            raise typer.Exit(EXIT_BUG) from None
        finally:
            if collecting:
                gc.enable()

    return run


def _version(value: bool) -> None:
    if value:
        write(f"issmanifest {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors (also ISSMANIFEST_DEBUG=1).")
    ] = False,
) -> None:
    """Who is aboard a space station, and does every core partner stay aboard with a seat home for everyone.

    Reads TOML manifests of crewed flights (default: the bundled record of the ISS; --station tiangong for China's).
    Exit codes: 0 fine; 1 error findings (check) or changes (diff); 2 invalid input or misuse; 70 an internal error.
    """
    if debug:
        Settings.debug = True


# -- shared pieces -------------------------------------------------------------


def _chosen(format: Format | None) -> Format:
    """The format asked for, else a table on a terminal and plain text elsewhere."""
    if format is not None:
        return Format(format)
    return Format.TABLE if stdout_is_terminal() else Format.TEXT


def _emit(
    view: "View[T]",
    result: T,
    format: Format | None,
    *,
    color: bool | None,
    svg: str | Path | None = None,
    html: str | Path | None = None,
) -> None:
    """Render `result` with the renderer of the chosen format, and save the table view as SVG or HTML if asked."""
    from issmanifest.render import formats

    if svg is not None or html is not None:
        from issmanifest.manifest.files import check_name

        for name in (svg, html):
            if name is not None:
                check_name(name)  # before anything is printed

    chosen = _chosen(format)
    lines = view.pick(formats.lines()) if chosen is Format.TABLE else None
    if lines is not None:
        from issmanifest.cli.output import write_drawn

        write_drawn(lines(result), color=color)
    elif chosen is Format.TABLE:
        from issmanifest.cli.output import write_rich

        write_rich(_renderer(view, formats.table())(result), color=color)
    elif chosen is Format.JSON:  # written as it is made: a large report's text is never held whole
        write_pieces(_renderer(view, formats.json_pieces())(result), json_text=True)
    else:
        text = _renderer(view, formats.TEXT_FORMATS[chosen]())(result)
        write(text, json_text=chosen is Format.OPEN_NOTIFY)
    if svg is not None or html is not None:
        _export(view, result, svg, html)


def _renderer(view: "View[T]", renderers: "Renderers[Out]") -> Callable[[T], Out]:
    renderer = view.pick(renderers)
    assert renderer is not None, f"no renderer for {view.name}"  # each command offers only formats that have one
    return renderer


def _export(view: "View[T]", result: T, svg: str | Path | None, html: str | Path | None) -> None:
    import io

    from rich.console import Console

    from issmanifest.manifest.files import write_output
    from issmanifest.render.formats import table

    console = Console(
        file=io.StringIO(),
        record=True,
        width=100,
        force_terminal=True,
        color_system="truecolor",
        markup=False,
        highlight=False,
        emoji=False,
    )
    console.print(_renderer(view, table())(result))
    if svg is not None:
        write_output(svg, console.export_svg(title=f"issmanifest {view.name}", clear=False), replace=True)
    if html is not None:
        write_output(html, console.export_html(clear=False), replace=True)


def _instant(text: str | None, name: str) -> int | None:
    return None if text is None else _moment(text, name).seconds


def _moment(text: str, name: str) -> When:
    """A date (the whole day), a date-time, or now, from the command line."""
    if text.strip().lower() == "now":
        return When(now())
    return _dated(text, name)


def _dated(text: str, name: str) -> When:
    """A date or date-time, in the range a manifest's dates must be in (no computing past the year 9999)."""
    try:
        moment = parse_instant(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint=name) from None
    if not EARLIEST.seconds <= moment.seconds < LATEST.seconds:
        raise typer.BadParameter(f'"{text}" is out of range ({date_range()})', param_hint=name)
    return moment


def now() -> int:
    """The current instant; ISSMANIFEST_NOW fixes it for reproducible output."""
    fixed = os.environ.get("ISSMANIFEST_NOW")
    if fixed:
        return _dated(fixed, "ISSMANIFEST_NOW").seconds
    return int(time.time())


def _ordered(start: int, until: int) -> None:
    """Refuse a window that ends before it starts, in the same words for every command."""
    if start >= until:
        raise typer.BadParameter("--from must come before --until", param_hint="--from/--until")


def _load(source: str | None, name: str | None = None, station: str | None = None) -> Manifest:
    """A manifest file, the bundled one of `station` (default the ISS) for None, or an empty one for /dev/null."""
    from issmanifest.manifest.loading import load_manifest, parse_manifest

    if source == os.devnull:  # as git passes for a new file
        return parse_manifest("format = 1\n", name or source)
    return load_manifest(_source(source, station), name)


def _source(source: str | None, station: str | None) -> str | Path:
    """The file a command reads: MANIFEST when given (it wins over --station), else the station's bundled record."""
    from issmanifest.manifest.loading import DEFAULT_STATION, bundled_manifest

    return bundled_manifest(station or DEFAULT_STATION) if source is None else source


def _load_both(old: str, new: str, names: tuple[str | None, str | None] = (None, None)) -> tuple[Manifest, Manifest]:
    """Both manifests, or every problem of both."""
    loaded: list[Manifest] = []
    problems: list[Problem] = []
    for source, name in zip((old, new), names, strict=True):
        try:
            loaded.append(_load(source, name))
        except ManifestError as error:
            problems += error.problems
    if problems:
        raise ManifestError(problems)
    return loaded[0], loaded[1]


def _complete_manifest(incomplete: str) -> list[str]:
    return ["-", *sorted(str(path) for path in Path().glob(f"{incomplete}*.toml"))]


ManifestArg = Annotated[
    str | None,
    typer.Argument(
        metavar="MANIFEST",
        help="Manifest file; - reads standard input. Default: the bundled record of --station (the ISS).",
        show_default=False,
        autocompletion=_complete_manifest,
    ),
]


def _station_names() -> list[str]:
    from issmanifest.manifest.loading import STATIONS

    return [name for station in STATIONS for name in (station.name, *station.aliases)]


def _complete_station(incomplete: str) -> list[str]:
    return [name for name in _station_names() if name.startswith(incomplete.casefold())]


def _station(value: str | None) -> str | None:
    """The bundled station --station names, by its name or an alias."""
    if value is None:
        return None
    from issmanifest.manifest.loading import station_named

    try:
        return station_named(value).name
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


StationOpt = Annotated[
    str | None,
    typer.Option(
        "--station",
        metavar="STATION",
        help="The bundled record to read when no MANIFEST is given: iss (the default; also "
        "international-space-station) or tiangong (also css, china-space-station, tiangong-space-station). "
        "A MANIFEST wins over it.",
        show_default=False,
        callback=_station,
        autocompletion=_complete_station,
    ),
]
ColorOpt = Annotated[
    bool | None,
    typer.Option(
        "--color/--no-color",
        help="Colour tables. Default: on a terminal, unless NO_COLOR is set (FORCE_COLOR forces it).",
        show_default=False,
    ),
]
SvgOpt = Annotated[
    str | None,
    typer.Option("--svg", metavar="FILE", help="Also save the table view as SVG to FILE.", show_default=False),
]
HtmlOpt = Annotated[
    str | None,
    typer.Option("--html", metavar="FILE", help="Also save the table view as HTML to FILE.", show_default=False),
]
AtOpt = Annotated[
    str | None,
    typer.Option("--at", metavar="WHEN", help="Date or date-time (UTC); default: now.", show_default=False),
]
UntilOpt = Annotated[
    str | None,
    typer.Option(
        "--until", metavar="WHEN", help="End (date or date-time, UTC); default: the last event.", show_default=False
    ),
]


def _from_option(default: str) -> Any:
    return typer.Option(
        "--from", metavar="WHEN", help=f"Start (date or date-time, UTC); default: {default}.", show_default=False
    )


def _choices(formats: tuple[Format, ...]) -> str:
    """The choices of an option, in words: `table, text, json or csv`."""
    names = [str(member) for member in formats]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _format_option(formats: tuple[Format, ...]) -> Any:
    # The choices go in the help text, which wraps between words; as a metavar Rich folds them mid-word.
    # One Format enum for every command; the choice list says which of its formats this command offers.
    return typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help=f"Output format: {_choices(formats)}. Default: table on a terminal, text otherwise.",
        show_default=False,
    )


def _offered(name: str, formats: tuple[Format, ...]) -> type[Format]:
    """The formats a command offers, as Typer needs a choice list: an enum of their own, equal to Format's by value."""
    return cast(type[Format], enum.StrEnum(name, [(member.name, member.value) for member in formats]))


# Each command's choice list is a subset of the one Format; to mypy (and in `==`) its members are Format's.
if TYPE_CHECKING:
    ShowFormat = Format
    CheckFormat = Format
    ListFormat = Format
else:
    ShowFormat = _offered("ShowFormat", SHOW_FORMATS)
    CheckFormat = _offered("CheckFormat", CHECK_FORMATS)
    ListFormat = _offered("ListFormat", LIST_FORMATS)


# -- commands --------------------------------------------------------------------


@app.command()
@guarded
def show(
    manifest: ManifestArg = None,
    *,
    station: StationOpt = None,
    all_stations: Annotated[
        bool,
        typer.Option(
            "--all-stations", help="Every bundled station at once: who is aboard each, counted across them all."
        ),
    ] = False,
    at: AtOpt = None,
    format: Annotated[ShowFormat | None, _format_option(SHOW_FORMATS)] = None,
    color: ColorOpt = None,
    svg: SvgOpt = None,
    html: HtmlOpt = None,
) -> None:
    """Show who is aboard at an instant, per nationality, and the rotations to come.

    --format open-notify prints the Open Notify people-in-space JSON, for dashboards that read that feed:
    everyone aboard every bundled station (craft "ISS", "Tiangong"), or one station's people with a MANIFEST
    or --station.

    Example: issmanifest show --at 2022-07-28
    """
    from issmanifest.reports.snapshot import take_snapshot, take_snapshots

    moment = _instant(at, "--at") or now()
    if all_stations and (manifest is not None or station is not None):
        raise typer.BadParameter(
            "shows every bundled station: give no MANIFEST or --station", param_hint="--all-stations"
        )
    if all_stations or (format == Format.OPEN_NOTIFY and manifest is None and station is None):
        from issmanifest.manifest.loading import STATIONS

        stations = take_snapshots([_load(None, station=bundled.name) for bundled in STATIONS], moment)
        _emit(STATIONS_VIEW, stations, format, color=color, svg=svg, html=html)
        return
    _emit(SHOW, take_snapshot(_load(manifest, station=station), moment), format, color=color, svg=svg, html=html)


ManifestsArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[MANIFEST]...",
        help="Manifest files; - reads standard input. Default: the bundled ISS manifest.",
        show_default=False,
        autocompletion=_complete_manifest,
    ),
]


@app.command()
@guarded
def check(
    manifests: ManifestsArg = None,
    *,
    station: StationOpt = None,
    start: Annotated[str | None, _from_option("now")] = None,
    until: UntilOpt = None,
    everything: Annotated[bool, typer.Option("--all", help="Check from the first docking.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    format: Annotated[CheckFormat | None, _format_option(CHECK_FORMATS)] = None,
    color: ColorOpt = None,
    svg: SvgOpt = None,
    html: HtmlOpt = None,
) -> None:
    """Check continuity over a window: every core partner aboard, a seat home for everyone.

    Exit codes: 0 no error findings; 1 at least one error (with --strict, any finding);
    2 a manifest is invalid or the command was misused. With several manifests, the worst of them.
    --format github prints GitHub Actions annotations.

    Example: issmanifest check --all
    """
    sources: list[str | None] = list(manifests) if manifests else [None]
    if len(sources) > 1 and (format in (Format.JSON, Format.CSV) or svg or html):
        raise typer.BadParameter("--format json or csv, --svg and --html take one manifest", param_hint="MANIFEST")
    if sources.count("-") > 1:
        raise typer.BadParameter("only one MANIFEST can be - (standard input)", param_hint="MANIFEST")
    if start is not None and until is not None:
        _ordered(_moment(start, "--from").seconds, _moment(until, "--until").seconds)
    worst = EXIT_OK
    for source in sources:
        if len(sources) > 1 and format != Format.GITHUB:
            write(f"== {clean_line(str(source))}")
        try:
            result = _check_one(source, station, start, until, everything=everything, strict=strict)
        except ManifestError as error:
            if format == Format.GITHUB:
                from issmanifest.render import github

                write(github.problems(error.problems))
            complain(report_lines(error.problems))
            worst = EXIT_TROUBLE
            continue
        if format == Format.GITHUB:
            _annotate(result, _source(source, station))
        else:
            _emit(CHECK, result, format, color=color, svg=svg, html=html)
        worst = max(worst, EXIT_OK if result.passed else EXIT_FINDINGS)
    raise typer.Exit(worst)


def _check_one(
    source: str | None, station: str | None, start: str | None, until: str | None, *, everything: bool, strict: bool
) -> "Check":
    from issmanifest.api import run_check

    loaded = _load(source, station=station)
    window = (_instant(start, "--from"), _instant(until, "--until"))
    return run_check(loaded, *window, now=now(), everything=everything, strict=strict)


def _annotate(result: "Check", source: str | Path) -> None:
    from issmanifest.manifest.loading import read_source
    from issmanifest.manifest.sourcemap import flight_lines
    from issmanifest.render import github

    path = str(source)
    name, text = read_source(path) if path != "-" else ("<stdin>", "")
    write(github.check(result, name, flight_lines(text)))


@app.command()
@guarded
def diff(
    old: Annotated[
        str, typer.Argument(metavar="OLD", help="The manifest before; - reads standard input.", show_default=False)
    ],
    new: Annotated[
        str, typer.Argument(metavar="NEW", help="The manifest after; - reads standard input.", show_default=False)
    ],
    *,
    format: Annotated[ListFormat | None, _format_option(LIST_FORMATS)] = None,
    color: ColorOpt = None,
) -> None:
    """Say what changed between two manifests and what it does to continuity.

    Exit codes, as diff(1): 0 no semantic change; 1 changes; 2 trouble (invalid manifest, missing file).

    Example: git show HEAD~1:iss.toml | issmanifest diff - iss.toml
    """
    if old == new == "-":
        raise typer.BadParameter("only one of OLD and NEW can be - (standard input)", param_hint="OLD NEW")
    from issmanifest.reports.diff import diff_manifests

    result = diff_manifests(*_load_both(old, new))
    _emit(DIFF, result, format, color=color)
    raise typer.Exit(EXIT_OK if result.empty else EXIT_FINDINGS)


@app.command()
@guarded
def dump(
    manifest: ManifestArg = None,
    *,
    station: StationOpt = None,
    lenient: Annotated[
        bool,
        typer.Option(
            "--lenient",
            help="Print a manifest that does not load as a note and its raw lines (exit 0), as git's textconv needs.",
        ),
    ] = False,
) -> None:
    """Print a manifest as canonical facts, one per line, sorted, in UTC: the form to diff with git.

    With --lenient, a manifest that does not load prints as a note of its problem and its lines as they are.

    Example: issmanifest dump manifests/iss.toml | grep soyuz-ms-22
    """
    from issmanifest.manifest.canonical import dump_lines

    if lenient and manifest is not None:
        from issmanifest.manifest.revision import load_revision

        revision = load_revision(manifest, manifest)
        if revision.manifest is None:
            note = f"# issmanifest: this revision does not load: {revision.problem}"
            write("".join(clean_line(line) + "\n" for line in (note, *revision.lines)))
            return
        loaded = revision.manifest
    else:
        loaded = _load(manifest, station=station)
    write_lines(clean_line(line) for line in dump_lines(loaded))


@app.command("git-diff", context_settings={"ignore_unknown_options": True})
@guarded
def git_diff(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="ARGS...",
            help="The seven arguments git passes: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE.",
        ),
    ],
    *,
    color: ColorOpt = None,
) -> None:
    """Act as git's external diff driver (diff.<driver>.command): print the semantic diff of a manifest.

    Exits 0 also when they differ or one does not load (a note, then a diff of its lines): git stops otherwise.

    Example: git config diff.issmanifest.command "issmanifest git-diff"
    """
    if len(args) == 1:
        write(f"issmanifest: {clean_line(args[0])} is unmerged; no semantic diff")
        return
    if len(args) not in (7, 9):
        raise typer.BadParameter(f"git passes 7 arguments, got {len(args)}", param_hint="ARGS")
    path, old_file, new_file = args[0], args[1], args[4]
    renamed = args[7] if len(args) == 9 else path
    from issmanifest.manifest.revision import load_revision, raw_diff

    sides = ((old_file, f"a/{path}"), (new_file, f"b/{renamed}"))
    old, new = (load_revision(file, name) for file, name in sides)
    write(clean_line(f"issmanifest diff a/{path} b/{renamed}"))
    if old.manifest is not None and new.manifest is not None:
        from issmanifest.reports.diff import diff_manifests

        if old_file == os.devnull or new_file == os.devnull:  # git's side of a file added or deleted
            write(clean_line(f"issmanifest: {path} " + ("is a new file" if old_file == os.devnull else "was deleted")))

        _emit(DIFF, diff_manifests(old.manifest, new.manifest), Format.TABLE, color=color)
        return
    # A side that does not load has no facts to compare: say why, and show how its lines changed.
    notes = [
        f"# issmanifest: {name} does not load: {revision.problem}"
        for revision, (_, name) in zip((old, new), sides, strict=True)
        if revision.problem
    ]
    headers = [os.devnull if file == os.devnull else name for file, name in sides]
    lines = raw_diff(old.lines, new.lines, *headers)
    write("".join(clean_line(line) + "\n" for line in (*notes, *lines)))


# The library's Grouping and PeriodKind, again: importing theirs here would slow every command's start.
class Grouping(enum.StrEnum):
    vehicle = "vehicle"
    agency = "agency"


@app.command()
@guarded
def timeline(
    manifest: ManifestArg = None,
    *,
    station: StationOpt = None,
    start: Annotated[str | None, _from_option("a year ago")] = None,
    until: UntilOpt = None,
    by: Annotated[
        Grouping,
        typer.Option(
            "--by", metavar="GROUPING", help="Group the stays by the vehicle that brought them, or by agency."
        ),
    ] = Grouping.vehicle,
    format: Annotated[ListFormat | None, _format_option(LIST_FORMATS)] = None,
    color: ColorOpt = None,
    svg: SvgOpt = None,
    html: HtmlOpt = None,
) -> None:
    """Draw the station over time: a bar per stay, core partners in colour, gaps and seat shortfalls marked.

    Example: issmanifest timeline --from 2022-06-01 --by agency
    """
    from issmanifest.reports.chart import Grouping as Grouped
    from issmanifest.reports.chart import chart_station, default_span

    loaded = _load(manifest, station=station)
    moment = now()
    first, last = default_span(loaded, moment)
    span = (_instant(start, "--from") or first, _instant(until, "--until") or last)
    _ordered(*span)
    chart = chart_station(loaded, *span, moment, Grouped(by))
    _emit(TIMELINE, chart, format, color=color, svg=svg, html=html)


class PeriodKind(enum.StrEnum):
    year = "year"
    expedition = "expedition"


@app.command()
@guarded
def stats(
    manifest: ManifestArg = None,
    *,
    station: StationOpt = None,
    start: Annotated[str | None, _from_option("the first docking")] = None,
    until: UntilOpt = None,
    by: Annotated[
        PeriodKind, typer.Option("--by", metavar="PERIOD", help="Periods: year (calendar years) or expedition.")
    ] = PeriodKind.year,
    format: Annotated[ListFormat | None, _format_option(LIST_FORMATS)] = None,
    color: ColorOpt = None,
    svg: SvgOpt = None,
    html: HtmlOpt = None,
) -> None:
    """Add up each year or expedition: days crewed, crew sizes, person-days, exposure and seat shortfalls.

    Example: issmanifest stats --by year
    """
    from issmanifest.reports.stats import PeriodKind as Periods
    from issmanifest.reports.stats import station_stats

    loaded = _load(manifest, station=station)
    span = (_instant(start, "--from") or loaded.first, _instant(until, "--until") or loaded.horizon)
    if span[0] is None or span[1] is None:
        complain([f"issmanifest: nothing to count: {loaded.source} has no flights"])
        raise typer.Exit(EXIT_TROUBLE)
    _ordered(span[0], span[1])
    if by is PeriodKind.expedition and not loaded.expeditions:
        raise typer.BadParameter("the manifest names no [expeditions]", param_hint="--by expedition")
    _emit(STATS, station_stats(loaded, span[0], span[1], Periods(by)), format, color=color, svg=svg, html=html)


@app.command()
@guarded
def margins(
    manifest: ManifestArg = None,
    *,
    station: StationOpt = None,
    at: AtOpt = None,
    handover: Annotated[
        bool,
        typer.Option(
            "--handover", help="Crews stay until their relief arrives, up to their vehicle's max_docked_days."
        ),
    ] = False,
    format: Annotated[ListFormat | None, _format_option(LIST_FORMATS)] = None,
    color: ColorOpt = None,
) -> None:
    """How far each arrival and departure to come can move before an error rule breaks.

    For each arrival, the largest delay; for each departure, the largest delay and advance;
    each with the rule that breaks one minute past it. Exit 0, or 2 on an invalid manifest.

    Example: issmanifest margins --at 2025-11-01 --handover
    """
    from issmanifest.engine.margins import upcoming_margins

    result = upcoming_margins(_load(manifest, station=station), _instant(at, "--at") or now(), handover=handover)
    _emit(MARGINS, result, format, color=color)


class SlipField(enum.StrEnum):
    launch = "launch"
    dock = "dock"
    undock = "undock"
    all = "all"


def _complete_flight(ctx: typer.Context, incomplete: str) -> list[str]:
    with contextlib.suppress(Exception):
        loaded = _load(ctx.params.get("manifest"), station=ctx.params.get("station"))
        return [flight.id for flight in loaded.flights if flight.id.startswith(incomplete)]
    return []


FlightArg = Annotated[
    str,
    typer.Argument(
        metavar="FLIGHT",
        help="The id of a flight in the manifest.",
        autocompletion=_complete_flight,
        show_default=False,
    ),
]
OutOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the manifest to FILE instead of standard output.",
        show_default=False,
    ),
]
InPlaceOpt = Annotated[
    bool, typer.Option("--in-place", help="Replace MANIFEST itself (its comments and layout are kept).")
]


@app.command(context_settings={"ignore_unknown_options": True})
@guarded
def slip(
    ctx: typer.Context,
    flight: FlightArg,
    days: Annotated[
        str,
        typer.Argument(metavar="DAYS", help="Days to move it; negative moves it earlier.", show_default=False),
    ],
    manifest: ManifestArg = None,
    *,
    station: StationOpt = None,
    field: Annotated[
        SlipField,
        typer.Option(
            "--field",
            metavar="FIELD",
            help="What moves: launch (launch and dock), dock, undock (undock and landing) or all (all its dates).",
        ),
    ] = SlipField.launch,
    output: OutOpt = None,
    in_place: InPlaceOpt = False,
) -> None:
    """Write the manifest with one flight slipped, to check or diff as any other.

    Only the moved dates' lines change: comments and layout are kept.

    Example: issmanifest slip soyuz-ms-29 14 | issmanifest diff iss.toml -
    """
    from issmanifest.manifest.editing import shift_flight
    from issmanifest.manifest.model import DAY
    from issmanifest.reports.whatif import SLIP_FIELDS
    from issmanifest.reports.whatif import slip as slip_flight

    moved = _days(days)
    loaded, text = _load_to_edit(ctx, manifest, station, in_place=in_place)
    _known_flight(loaded, flight)
    if field is SlipField.undock and loaded.flight(flight).undock is None:
        raise typer.BadParameter(f"{flight} has no undock to move", param_hint="--field")
    seconds = round(moved * DAY)
    try:
        slip_flight(loaded, flight, seconds, str(field))
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="DAYS") from None
    what = f"{flight} {field} {moved:+g} days"
    edited = shift_flight(text, flight, SLIP_FIELDS[field], seconds, source=loaded.source)
    _write_whatif(edited, manifest, output, what, in_place=in_place)


def _days(typed: str) -> float:
    """A finite number of days, at least a minute (a manifest is kept to the minute), within the span of its dates."""
    import math

    from issmanifest.manifest.model import DAY

    try:
        days = float(typed)
    except ValueError:
        raise typer.BadParameter(f"{typed} is not a number of days", param_hint="DAYS") from None
    if not math.isfinite(days):
        raise typer.BadParameter(f"{typed} is not a finite number", param_hint="DAYS")
    span = (LATEST.seconds - EARLIEST.seconds) // DAY
    if abs(days) > span:
        raise typer.BadParameter(
            f"{typed} is out of range (from -{span} to {span}, the span of a manifest's dates)", param_hint="DAYS"
        )
    if days and abs(days * DAY) < 60:
        raise typer.BadParameter(
            f"{typed} days is less than a minute (a manifest is kept to the minute)", param_hint="DAYS"
        )
    return days


@app.command()
@guarded
def ground(
    ctx: typer.Context,
    flight: FlightArg,
    when: Annotated[
        str, typer.Argument(metavar="WHEN", help="From when (date or date-time, UTC; or now).", show_default=False)
    ],
    manifest: ManifestArg = None,
    *,
    station: StationOpt = None,
    output: OutOpt = None,
    in_place: InPlaceOpt = False,
) -> None:
    """Write the manifest with one flight grounded: from WHEN on it is no lifeboat.

    Only the grounded line changes: comments and layout are kept.

    Example: issmanifest ground crew-12 2026-05-01 | issmanifest check -
    """
    from issmanifest.manifest.editing import ground_flight

    loaded, text = _load_to_edit(ctx, manifest, station, in_place=in_place)
    _known_flight(loaded, flight)
    edited = ground_flight(text, flight, _moment(when, "WHEN"), source=loaded.source)
    _write_whatif(edited, manifest, output, f"{flight} grounded {when}", in_place=in_place)


def _load_text(source: str | None, station: str | None = None) -> tuple[Manifest, str]:
    """A manifest and the text it was read from, for a command that writes an edited copy."""
    from issmanifest.manifest.loading import parse_manifest, read_source

    if source == os.devnull:
        return _load(source), "format = 1\n"
    name, text = read_source(_source(source, station))
    return parse_manifest(text, name), text


def _known_flight(manifest: Manifest, flight: str) -> None:
    ids = [f.id for f in manifest.flights]
    if flight not in ids:
        from issmanifest.manifest.problems import did_you_mean

        hint = did_you_mean(flight, ids)
        raise typer.BadParameter(
            f'no flight "{flight}" in {manifest.source}' + (f" ({hint})" if hint else ""), param_hint="FLIGHT"
        )


def _load_to_edit(
    ctx: typer.Context, source: str | None, station: str | None = None, *, in_place: bool
) -> tuple[Manifest, str]:
    """The manifest a what-if changes and its text; with --in-place, locked from before it is read to the end."""
    if in_place and source not in (None, "-"):
        from issmanifest.manifest.files import locked

        # Held by the command's context, so the new content is renamed into place under the lock.
        ctx.with_resource(locked(source))
    return _load_text(source, station)


def _write_whatif(text: str, source: str | None, output: str | None, what: str, *, in_place: bool) -> None:
    """Check the what-if manifest and write it: to standard output, OUTPUT, or over the source with --in-place."""
    from issmanifest.manifest.files import write_output
    from issmanifest.manifest.loading import parse_manifest

    target = _whatif_target(source, output, in_place=in_place)
    try:
        parse_manifest(text, target or "<what-if>")
    except ManifestError as error:
        # The what-if text exists nowhere else, so its line numbers would only mislead.
        details = "; ".join(problem.detail for problem in error.problems)
        complain([f"issmanifest: {what} would make the manifest invalid: {details}"])
        raise typer.Exit(EXIT_TROUBLE) from None
    if target is None:
        write(text)
        return
    write_output(target, text, replace=True)
    complain([f"wrote {target}"])


def _whatif_target(source: str | None, output: str | None, *, in_place: bool) -> str | None:
    if in_place:
        if output is not None:
            raise typer.BadParameter("give --in-place or --output, not both", param_hint="--in-place")
        if source is None or source == "-":
            where = "the bundled manifest" if source is None else "standard input"
            raise typer.BadParameter(f"cannot replace {where}; write a copy with --output", param_hint="--in-place")
        return source
    if output is None or output == "-":
        return None
    from issmanifest.manifest.files import check_name

    check_name(output)  # before a Path makes "." of it
    if source not in (None, "-") and Path(output).exists() and Path(source).resolve() == Path(output).resolve():
        raise typer.BadParameter("--output is the manifest itself; use --in-place to replace it", param_hint="--output")
    return output


def _when_option(name: str, what: str) -> Any:
    return typer.Option(f"--{name}", metavar="WHEN", help=f"{what} (date or date-time, UTC).", show_default=False)


def _text_option(name: str, metavar: str, what: str) -> Any:
    return typer.Option(f"--{name}", metavar=metavar, help=what, show_default=False)


@app.command()
@guarded
def record(
    ctx: typer.Context,
    flight: Annotated[
        str | None,
        typer.Argument(
            metavar="[FLIGHT]",
            help="The flight to write down (left out with --person alone).",
            autocompletion=_complete_flight,
            show_default=False,
        ),
    ] = None,
    manifest: ManifestArg = None,
    *,
    station: StationOpt = None,
    launch: Annotated[str | None, _when_option("launch", "When it launched")] = None,
    dock: Annotated[str | None, _when_option("dock", "When it docked")] = None,
    undock: Annotated[str | None, _when_option("undock", "When it undocked")] = None,
    landing: Annotated[str | None, _when_option("landing", "When it landed")] = None,
    port: Annotated[str | None, _text_option("port", "PORT", "The port it docked at.")] = None,
    up: Annotated[str | None, _text_option("up", "PEOPLE", "Who flew up: person keys, comma-separated.")] = None,
    down: Annotated[
        str | None, _text_option("down", "PEOPLE", "Who came home on it: person keys, comma-separated; '' for none.")
    ] = None,
    grounded: Annotated[str | None, _when_option("grounded", "From when it is no lifeboat")] = None,
    note: Annotated[str | None, _text_option("note", "TEXT", "The flight's note.")] = None,
    source: Annotated[
        str | None, _text_option("source", "TEXT", "Where the facts come from: a comment on each changed line.")
    ] = None,
    confirmed: Annotated[
        bool, typer.Option("--confirmed", help="The sources confirm it: lift tentative and the fields' uncertainty.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace values that are set and confirmed.")] = False,
    new: Annotated[
        bool, typer.Option("--new", help="Add FLIGHT as a new flight (with --vehicle and --launch).")
    ] = False,
    vehicle: Annotated[str | None, _text_option("vehicle", "NAME", "The new flight's vehicle.")] = None,
    person: Annotated[str | None, _text_option("person", "KEY", "Add a person to the people table, under KEY.")] = None,
    name: Annotated[str | None, _text_option("name", "NAME", "The new person's name.")] = None,
    agency: Annotated[str | None, _text_option("agency", "AGENCY", "The new person's agency.")] = None,
    nationality: Annotated[
        str | None, _text_option("nationality", "CC", "The new person's nationality (ISO 3166 alpha-2).")
    ] = None,
    output: OutOpt = None,
    in_place: InPlaceOpt = False,
) -> None:
    """Write down what happened to a flight: set its dates, port or crews, add a flight or a person.

    Only the changed lines change. The result is checked before it is written; what changed goes to standard error.

    --confirmed lifts tentative and the edited fields' uncertainty; replacing a confirmed value needs --force.

    Example: issmanifest record crew-13 m.toml --dock 2026-10-01 --confirmed
    """
    from issmanifest.manifest.model import Person
    from issmanifest.manifest.recording import Refused
    from issmanifest.manifest.recording import record as record_text

    changes: dict[str, Any] = {}
    for field, text in (("launch", launch), ("dock", dock), ("undock", undock), ("landing", landing)):
        if text is not None:
            changes[field] = _dated(text, f"--{field}")
    if port is not None:
        changes["port"] = port
    for field, people in (("up", up), ("down", down)):
        if people is not None:
            changes[field] = tuple(key.strip() for key in people.split(",") if key.strip())
    if grounded is not None:
        changes["grounded"] = _dated(grounded, "--grounded")
    if note is not None:
        changes["note"] = note
    newcomer = _newcomer(person, name, agency, nationality)
    edits_flight = bool(changes) or new or confirmed
    if not edits_flight:
        if newcomer is None:
            raise typer.BadParameter(
                "nothing to record: give a value (--launch, --dock, --undock, --landing, --port, --up, --down,"
                " --grounded, --note), --confirmed, --new or --person",
                param_hint="FLIGHT",
            )
        if manifest is not None:
            raise typer.BadParameter(f"nothing to record for {flight}: --person alone takes MANIFEST only")
        flight, manifest = None, flight
    elif flight is None:
        raise typer.BadParameter("which flight? give its id", param_hint="FLIGHT")
    if new and (vehicle is None or "launch" not in changes):
        raise typer.BadParameter("a new flight needs --vehicle and --launch", param_hint="--new")
    if vehicle is not None and not new:
        raise typer.BadParameter("--vehicle is for a new flight: give --new too", param_hint="--vehicle")
    target = _whatif_target(manifest, output, in_place=in_place)
    loaded, text = _load_to_edit(ctx, manifest, station, in_place=in_place)
    if flight is not None and not new:
        _known_flight(loaded, flight)
    try:
        edited = record_text(
            text,
            loaded,
            flight,
            changes,
            vehicle=vehicle,
            person=Person(*newcomer) if newcomer else None,
            confirm=confirmed,
            force=force,
            comment=source,
        )
    except Refused as error:
        raise typer.BadParameter(str(error), param_hint=error.option) from None
    _write_record(loaded, edited, target)


def _newcomer(*values: str | None) -> tuple[str, str, str, str] | None:
    """--person KEY --name NAME --agency AGENCY --nationality CC: all of them, or none."""
    if all(value is None for value in values):
        return None
    key, name, agency, nationality = values
    if key is None or name is None or agency is None or nationality is None:
        raise typer.BadParameter(
            "a new person needs all of --person KEY --name NAME --agency AGENCY --nationality CC", param_hint="--person"
        )
    return key, name, agency, nationality


def _write_record(loaded: Manifest, text: str, target: str | None) -> None:
    """Check the recorded manifest, write it, and say on standard error what changed, as diff says it."""
    from issmanifest.manifest.files import write_output
    from issmanifest.manifest.loading import parse_manifest
    from issmanifest.render.text import diff as diff_lines
    from issmanifest.reports.diff import diff_manifests

    try:
        recorded = parse_manifest(text, loaded.source)
    except ManifestError as error:
        complain(
            [*report_lines(error.problems), "issmanifest: the record would make the manifest invalid; nothing written"]
        )
        raise typer.Exit(EXIT_TROUBLE) from None
    changes = diff_manifests(loaded, recorded)
    if target is None:
        write(text)
    else:
        write_output(target, text, replace=True)
    if changes.empty:
        complain(["issmanifest: nothing changed"])
    elif sys.stderr is not None:
        sys.stderr.write(diff_lines(changes))  # made safe by the renderer, tabs and all
    if target is not None:
        complain([f"wrote {target}"])


@app.command()
@guarded
def schema() -> None:
    """Print the JSON Schema of the manifest format, for editors and check-jsonschema.

    Example: issmanifest schema > manifest-1.schema.json
    """
    from issmanifest.manifest.fields import schema_text

    write(schema_text())


@app.command()
@guarded
def new(
    path: Annotated[
        str, typer.Argument(metavar="PATH", help="Where to write it; - for standard output.", show_default=True)
    ] = "manifest.toml",
    *,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Write a small, valid, commented starter manifest to edit.

    Example: issmanifest new my-station.toml
    """
    from issmanifest.manifest.files import write_output
    from issmanifest.manifest.resources import resource

    starter = resource("manifest", "starter.toml").read_text(encoding="utf-8")
    if path == "-":
        write(starter)
        return
    write_output(path, starter, replace=force)
    import shlex

    typed = f"./{path}" if path.startswith("-") else path  # not taken for an option
    complain([f"wrote {path}; check it with: issmanifest check {shlex.quote(typed)} --all"])


@app.command()
@guarded
def swaps(
    manifest: ManifestArg = None,
    *,
    station: StationOpt = None,
    start: Annotated[str | None, _from_option("the first flight")] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until", metavar="WHEN", help="End (date or date-time, UTC); default: none.", show_default=False
        ),
    ] = None,
    format: Annotated[ListFormat | None, _format_option(LIST_FORMATS)] = None,
    color: ColorOpt = None,
    svg: SvgOpt = None,
    html: HtmlOpt = None,
) -> None:
    """List the seat swap: every ride on another core partner's vehicle, the balance, empty seats and exposure.

    Example: issmanifest swaps --from 2022-07-15
    """
    from issmanifest.reports.swaps import list_swaps

    loaded = _load(manifest, station=station)
    span = (_instant(start, "--from"), _instant(until, "--until"))
    if span[0] is not None and span[1] is not None:
        _ordered(span[0], span[1])
    result = list_swaps(loaded, start=span[0], end=span[1], now=now())
    _emit(SWAPS, result, format, color=color, svg=svg, html=html)


class FeedName(enum.StrEnum):
    ll2 = "ll2"
    corquaid = "corquaid"
    open_notify = "open-notify"


class FeedKindChoice(enum.StrEnum):
    open_notify = "open-notify"
    people_in_space = "people-in-space"
    docked_spacecraft = "docked-spacecraft"
    ll2_stations = "ll2-stations"
    ll2_docking_events = "ll2-docking-events"


@app.command()
@guarded
def crosscheck(
    ctx: typer.Context,
    feeds: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[FEED]...",
            help="A feed's JSON: a file, - for standard input, or an http(s) URL.",
            show_default=False,
        ),
    ] = None,
    *,
    manifest: Annotated[
        str | None,
        typer.Option(
            "--manifest",
            "-m",
            metavar="MANIFEST",
            help="The manifest to hold against the feeds. Default: the bundled record of --station (the ISS).",
            show_default=False,
        ),
    ] = None,
    station: StationOpt = None,
    fetch: Annotated[
        list[FeedName] | None,
        typer.Option(
            "--fetch",
            metavar="NAME",
            help="Fetch a public feed by name: ll2, corquaid (both files) or open-notify; kept an hour.",
            show_default=False,
        ),
    ] = None,
    refresh: Annotated[bool, typer.Option("--refresh", help="Fetch again, even if fetched within the hour.")] = False,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="WHEN",
            help="The instant the feed describes (UTC); default: the feed's own time, else now.",
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        FeedKindChoice | None,
        typer.Option("--kind", metavar="KIND", help="Read every FEED as this kind.", show_default=False),
    ] = None,
    tolerance: Annotated[
        int,
        typer.Option("--tolerance", metavar="MINUTES", min=0, help="Times this close agree."),
    ] = 10,
    format: Annotated[ListFormat | None, _format_option(LIST_FORMATS)] = None,
    color: ColorOpt = None,
    apply: Annotated[
        bool,
        typer.Option(
            "--apply", help="Write the facts the manifest lacks or holds unconfirmed (-o FILE or --in-place)."
        ),
    ] = False,
    output: OutOpt = None,
    in_place: InPlaceOpt = False,
) -> None:
    """Hold a manifest against public feeds: who is aboard, what is docked where, and when.

    Exit 0 when they agree, 1 when they disagree. Each disagreement says which side the facts
    suggest lags and, where the feed carries the fact, the issmanifest record command that takes it.

    Example: issmanifest crosscheck --fetch corquaid
    """
    from issmanifest.reports.crosscheck import CrossChecks
    from issmanifest.reports.crosscheck import crosscheck as compare
    from issmanifest.reports.feeds import FeedKind, read_feed

    if not feeds and not fetch:
        raise typer.BadParameter("give a FEED (a file, - or a URL) or --fetch NAME", param_hint="FEED")
    target = None
    if apply:
        if output in (None, "-") and not in_place:
            raise typer.BadParameter("--apply writes a manifest: give -o FILE or --in-place", param_hint="--apply")
        target = _whatif_target(manifest, output, in_place=in_place)
    elif output is not None or in_place:
        raise typer.BadParameter("-o and --in-place are for --apply", param_hint="--apply")
    loaded, text = _load_to_edit(ctx, manifest, station, in_place=in_place) if apply else (None, "")
    loaded = loaded or _load(manifest, station=station)
    read = [
        read_feed(data, kind=None if kind is None else FeedKind(kind), source=source)
        for source, data in _feed_bytes(feeds or [], fetch or [], refresh=refresh)
    ]
    moment = _instant(at, "--at")
    results = tuple(compare(loaded, feed, moment or feed.timestamp or now(), tolerance * 60) for feed in read)
    result = CrossChecks(moment or now(), results)
    _emit(CROSSCHECK, result, format, color=color)
    if apply:
        _apply_feeds(loaded, text, result, target)
    if not result.agrees:
        raise typer.Exit(EXIT_FINDINGS)


def _feed_bytes(feeds: list[str], names: "list[FeedName]", *, refresh: bool) -> list[tuple[str, bytes]]:
    """Each feed's name and bytes: files, standard input, URLs, and the well-known feeds by name."""
    from issmanifest.reports import fetching

    found: list[tuple[str, bytes]] = []
    for feed in feeds:
        if feed == "-":
            found.append(("<stdin>", sys.stdin.buffer.read()))
        elif fetching.is_url(feed):
            found.append((feed, fetching.download(feed)))
        else:
            try:
                found.append((feed, Path(feed).read_bytes()))
            except OSError as error:
                raise ManifestError([Problem(feed, f"cannot read it ({error.strerror or error})")]) from None
    for name in names:
        found += [(url, fetching.fetch(url, refresh=refresh)) for url in fetching.urls(str(name))]
    return found


def _apply_feeds(loaded: Manifest, text: str, result: "CrossChecks", target: str | None) -> None:
    """Write the feeds' facts the manifest lacks or holds unconfirmed, each line marked with its feed and date."""
    from issmanifest.manifest.model import iso
    from issmanifest.manifest.recording import Refused
    from issmanifest.manifest.recording import record as record_text
    from issmanifest.reports.crosscheck import Side, record_values

    taken: set[tuple[str, str]] = set()
    for item in result.results:
        comment = f"from {item.feed.source} ({iso(item.feed.timestamp or item.at)[:10]})"
        commands = [d.record for d in item.disagreements if d.record and d.lags is Side.MANIFEST]
        commands += [note.record for note in item.notes if note.record]
        for command in commands:
            flight, values = record_values(command)
            for field, value in values.items():
                if (flight, field) in taken:
                    continue  # an earlier feed gave it
                change: Any = _dated(value, f"--{field}") if field in ("dock", "undock") else value
                try:
                    text = record_text(text, loaded, flight, {field: change}, comment=comment)
                except Refused as error:
                    complain([f"issmanifest: kept {flight} {field}: {error}"])
                    continue
                taken.add((flight, field))
    _write_record(loaded, text, target)


def for_command(argv: list[str]) -> typer.Typer:
    """The app with only the command `argv` names, when it names one.

    Typer builds the parameters of every registered command on each call, about
    a millisecond apiece; the one being run is all a call needs. Anything else
    (no command, a misspelt one, `--help`) gets the whole app.
    """
    name = next((arg for arg in argv if not arg.startswith("-")), None)
    if name is None and "--version" in argv and not {"-h", "--help"} & set(argv):
        # `--version` is eager and exits while the options are read, before any command is looked up.
        narrow = copy.copy(app)
        narrow.registered_commands = []
        return narrow
    chosen = [
        command
        for command in app.registered_commands
        if name == (command.name or typer.main.get_command_name(getattr(command.callback, "__name__", "")))
    ]
    if not chosen:
        return app
    narrow = copy.copy(app)
    narrow.registered_commands = chosen
    return narrow


# The options of the top-level help: the callback's, then Typer's own (tests/test_help_screen.py holds them to Typer's).
TOP_OPTIONS = [
    ("--version", "", "Print the version and exit."),
    ("--debug", "", "Show tracebacks of internal errors (also ISSMANIFEST_DEBUG=1)."),
    ("--install-completion", "", "Install completion for the current shell."),
    ("--show-completion", "", "Show completion for the current shell, to copy it or customize the installation."),
    ("--help", "-h", "Show this message and exit."),
]
TOP_USAGE = "Usage: issmanifest [OPTIONS] COMMAND [ARGS]..."
# Settings under which Typer's or Rich's console decides what this drawing does not know.
_HELP_SETTINGS = (
    "FORCE_COLOR",
    "NO_COLOR",
    "PY_COLORS",
    "GITHUB_ACTIONS",
    "_TYPER_FORCE_DISABLE_TERMINAL",
    "TERMINAL_WIDTH",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
)


def top_commands() -> list[tuple[str, str]]:
    """Each command the top-level help lists, and its help, as Typer takes them (without building any)."""
    import inspect

    listed = []
    for command in app.registered_commands:
        callback = command.callback
        if command.hidden or command.deprecated or callback is None:
            continue
        name = command.name or typer.main.get_command_name(callback.__name__)
        text = command.short_help or (inspect.cleandoc(command.help) if command.help else inspect.getdoc(callback))
        listed.append((name, inspect.cleandoc(text or "")))
    return listed


def top_help(*, width: int, colour: bool) -> str:
    """`issmanifest --help` drawn as Typer prints it; `Unsupported` where only Typer knows."""
    import inspect

    from issmanifest.render.draw import Unsupported
    from issmanifest.render.helpscreen import draw_help

    callback = app.registered_callback.callback if app.registered_callback else None
    text = inspect.getdoc(callback) if callback else None
    if not text or "\f" in text or "\b" in text:
        raise Unsupported("a help Typer trims")
    commands = top_commands()
    if not commands or any("\b" in help_text for _, help_text in commands):
        raise Unsupported("no commands, or a help Typer trims")
    return draw_help(TOP_USAGE, text, TOP_OPTIONS, commands, width=width, colour=colour)


def _drawn_help(argv: list[str]) -> bool:
    """Print the top-level help without Typer and Rich, where it can be drawn as they would; whether it was."""
    if argv not in (["--help"], ["-h"]) or any(os.environ.get(name) is not None for name in _HELP_SETTINGS):
        return False
    from issmanifest.render.draw import Unsupported, plain_terminal

    terminal = plain_terminal(color=None)
    if terminal is None:
        return False
    try:
        text = top_help(width=terminal[0], colour=terminal[1])
    except Unsupported:
        return False
    write(text)
    return True


def main() -> None:
    """The `issmanifest` entry point."""
    from issmanifest.cli.output import flush, prepare_streams

    prepare_streams()
    try:
        try:
            if not _drawn_help(sys.argv[1:]):
                for_command(sys.argv[1:])(prog_name="issmanifest")
        finally:
            flush()
    except OutputError as error:
        complain([f"issmanifest: {error}"])
        sys.exit(EXIT_TROUBLE)
    except BrokenPipeError:
        # The reader went away (`issmanifest show | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)
