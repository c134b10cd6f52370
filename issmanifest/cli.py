"""The command line: each command reads its options, calls the core, renders, and picks the exit code."""

from __future__ import annotations

import enum
import functools
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from . import __version__
from .model import Manifest, parse_instant
from .output import clean_line, complain, stdout_is_terminal, write
from .problems import ManifestError, Problem, report_lines

if TYPE_CHECKING:
    from .diff import ManifestDiff

EXIT_OK, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2

app = typer.Typer(
    name="issmanifest",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

P = ParamSpec("P")
R = TypeVar("R")


class Settings:
    debug = os.environ.get("ISSMANIFEST_DEBUG", "") not in ("", "0")


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Turn every failure into one clean line on stderr and exit code 2; `--debug` shows tracebacks."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ManifestError as error:
            complain(report_lines(error.problems))
            raise typer.Exit(EXIT_TROUBLE) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt, BrokenPipeError):
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
            raise typer.Exit(EXIT_TROUBLE) from None

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
    """Who is aboard the International Space Station, and do NASA and Roscosmos both stay aboard.

    Reads TOML manifests of crewed flights (default: the bundled record of the station's crews).
    Exit codes: 0 fine; 1 error findings (check) or changes (diff); 2 invalid input or misuse.
    """
    if debug:
        Settings.debug = True


class TableFormat(enum.StrEnum):
    table = "table"
    text = "text"
    json = "json"


def _format(chosen: TableFormat | None) -> TableFormat:
    """The format asked for, else a table on a terminal and plain text elsewhere."""
    if chosen is not None:
        return chosen
    return TableFormat.table if stdout_is_terminal() else TableFormat.text


def _instant(text: str | None, name: str) -> int | None:
    if text is None:
        return None
    if text.strip().lower() == "now":
        return now()
    try:
        return parse_instant(text).seconds
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint=name) from None


def now() -> int:
    """The current instant; ISSMANIFEST_NOW fixes it for reproducible output."""
    fixed = os.environ.get("ISSMANIFEST_NOW")
    if fixed:
        return parse_instant(fixed).seconds
    return int(time.time())


def _load(source: str | None, name: str | None = None) -> Manifest:
    """A manifest file, the bundled one for None, or an empty one for /dev/null (as git passes for a new file)."""
    from .loading import bundled_manifest, load_manifest, parse_manifest

    if source == os.devnull:
        return parse_manifest("format = 1\n", name or source)
    return load_manifest(bundled_manifest() if source is None else source, name)


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


def _print(renderable: object, color: bool | None) -> None:
    from .output import make_console

    make_console(color).print(renderable)


ManifestArg = Annotated[
    str | None,
    typer.Argument(
        metavar="MANIFEST",
        help="Manifest file; - reads standard input. Default: the bundled ISS manifest.",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    TableFormat | None,
    typer.Option(
        "--format", "-f", help="Output format. Default: table on a terminal, text otherwise.", show_default=False
    ),
]
ColorOpt = Annotated[
    bool | None,
    typer.Option(
        "--color/--no-color", help="Colour tables; default: on a terminal unless NO_COLOR is set.", show_default=False
    ),
]


@app.command()
@guarded
def show(
    manifest: ManifestArg = None,
    *,
    at: Annotated[
        str | None, typer.Option("--at", help="Date or date-time (UTC); default: now.", show_default=False)
    ] = None,
    format: FormatOpt = None,
    color: ColorOpt = None,
) -> None:
    """Show who is aboard at an instant, per nationality, and the rotations to come.

    Example: issmanifest show --at 2022-07-28
    """
    from .snapshot import take_snapshot

    snapshot = take_snapshot(_load(manifest), _instant(at, "--at") or now())
    chosen = _format(format)
    if chosen is TableFormat.json:
        from .render import json

        write(json.show(snapshot))
    elif chosen is TableFormat.text:
        from .render import text

        write(text.show(snapshot))
    else:
        from .render import table

        _print(table.show(snapshot), color)


@app.command()
@guarded
def check(
    manifest: ManifestArg = None,
    *,
    start: Annotated[
        str | None, typer.Option("--from", help="Start of the window; default: now.", show_default=False)
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="End of the window; default: the manifest's last event.", show_default=False),
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Check from the first docking.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    format: FormatOpt = None,
    color: ColorOpt = None,
) -> None:
    """Check continuity over a window: both core partners aboard, a seat home for everyone.

    Exit codes: 0 no error findings; 1 at least one error (with --strict, any finding);
    2 the manifest is invalid or the command was misused.

    Example: issmanifest check --all
    """
    from .rules import Timelines, check_continuity, default_window

    loaded = _load(manifest)
    timelines = Timelines(loaded)
    window = default_window(
        timelines.nominal(), now(), _instant(start, "--from"), _instant(until, "--until"), everything
    )
    result = check_continuity(loaded, *window, timelines)
    ok = result.ok(strict)
    partners = loaded.station.core_partners
    chosen = _format(format)
    if chosen is TableFormat.json:
        from .render import json

        write(json.check(result, ok))
    elif chosen is TableFormat.text:
        from .render import text

        write(text.check(result, partners))
    else:
        from .render import table

        _print(table.check(result, partners), color)
    raise typer.Exit(EXIT_OK if ok else EXIT_FINDINGS)


class DiffFormat(enum.StrEnum):
    table = "table"
    text = "text"
    json = "json"


@app.command()
@guarded
def diff(
    old: Annotated[str, typer.Argument(help="The manifest before; - reads standard input.", show_default=False)],
    new: Annotated[str, typer.Argument(help="The manifest after; - reads standard input.", show_default=False)],
    *,
    format: Annotated[
        DiffFormat | None,
        typer.Option(
            "--format", "-f", help="Output format. Default: table on a terminal, text otherwise.", show_default=False
        ),
    ] = None,
    color: ColorOpt = None,
) -> None:
    """Say what changed between two manifests and what it does to continuity.

    Exit codes, as diff(1): 0 no semantic change; 1 changes; 2 trouble (invalid manifest, missing file).

    Example: git show HEAD~1:manifests/iss.toml | issmanifest diff - manifests/iss.toml
    """
    if old == new == "-":
        raise typer.BadParameter("only one of OLD and NEW can be - (standard input)", param_hint="OLD NEW")
    from .diff import diff_manifests

    result = diff_manifests(*_load_both(old, new))
    chosen = format or (DiffFormat.table if stdout_is_terminal() else DiffFormat.text)
    _print_diff(result, chosen, color)
    raise typer.Exit(EXIT_OK if result.empty else EXIT_FINDINGS)


def _print_diff(result: ManifestDiff, chosen: DiffFormat, color: bool | None) -> None:
    if chosen is DiffFormat.json:
        from .render import json

        write(json.diff(result))
    elif chosen is DiffFormat.text:
        from .render import text

        write(text.diff(result))
    else:
        from .render import table

        _print(table.diff(result), color)


@app.command()
@guarded
def dump(
    manifest: ManifestArg = None,
    *,
    lenient: Annotated[
        bool, typer.Option("--lenient", help="Print an invalid manifest as it is (exit 0), as git's textconv needs.")
    ] = False,
) -> None:
    """Print a manifest as canonical facts, one per line, sorted, in UTC: the form to diff with git.

    Example: issmanifest dump manifests/iss.toml | grep soyuz-ms-22
    """
    from .canonical import dump_lines

    try:
        loaded = _load(manifest)
    except ManifestError:
        if not lenient or manifest is None:
            raise
        from .loading import read_source

        write(read_source(manifest)[1])
        return
    write("".join(clean_line(line) + "\n" for line in dump_lines(loaded)))


@app.command("git-diff", context_settings={"ignore_unknown_options": True})
@guarded
def git_diff(
    args: Annotated[
        list[str],
        typer.Argument(
            help="The seven arguments git passes: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE."
        ),
    ],
    *,
    color: ColorOpt = None,
) -> None:
    """Act as git's external diff driver (diff.<driver>.command): print the semantic diff of a manifest.

    Exits 0 when the manifests differ too, since git stops the whole diff otherwise.

    Example: git config diff.issmanifest.command "issmanifest git-diff"
    """
    if len(args) == 1:
        write(f"issmanifest: {args[0]} is unmerged; no semantic diff")
        return
    if len(args) not in (7, 9):
        raise typer.BadParameter(f"git passes 7 arguments, got {len(args)}", param_hint="ARGS")
    path, old_file, new_file = args[0], args[1], args[4]
    renamed = args[7] if len(args) == 9 else path
    old, new = _load_both(old_file, new_file, (f"a/{path}", f"b/{renamed}"))
    from .diff import diff_manifests

    write(f"issmanifest diff a/{path} b/{renamed}")
    _print_diff(diff_manifests(old, new), DiffFormat.table, color)


def main() -> None:
    """The `issmanifest` entry point."""
    try:
        app()
    except BrokenPipeError:
        # The reader went away (`issmanifest show | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)
