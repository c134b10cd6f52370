"""The top-level `--help` as Typer (0.28, the version tested) prints it with Rich 15, drawn by `render.draw`
without either (Typer builds every command's parameters first, and Rich's console costs 87 M instructions).

Typer's `rich_format_help` prints, for a group: the usage in bold, padded by one
cell all round; the callback's help (its first paragraph plain, the others dim),
padded; an "Options" panel (a rounded box) holding a grid of each option's long
and short names and help; a "Commands" panel holding a grid of each command's
name (bold cyan, as wide as the longest) and the first paragraph of its help.
Option-like words are highlighted as Typer's `OptionHighlighter` does. Where
this module is not sure to match (markup or emoji codes in a help, very narrow
terminals), it raises `Unsupported` and Typer prints the help.
tests/test_help_screen.py compares the two.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from issmanifest.render.draw import (
    Para,
    Segment,
    Unsupported,
    _collapse,
    _column_width,
    _merged,
    _ratio_reduce,
    _wrap,
    cell_len,
    sgr,
)

Option = tuple[str, str, str]  # long names, short names, help
Command = tuple[str, str]  # name, help

# Typer's OptionHighlighter, in its order (a later span is drawn over an earlier one), and its theme.
_HIGHLIGHTS = (
    (re.compile(r"(^|\W)(?P<switch>\-\w+)(?![a-zA-Z0-9])"), "bold green"),
    (re.compile(r"(^|\W)(?P<option>\-\-[\w\-]+)(?![a-zA-Z0-9])"), "bold cyan"),
    (re.compile(r"(?P<types>\<[^\>]+\>)"), "bold yellow"),
    (re.compile(r"(?P<usage>Usage: )"), "yellow"),
)
_GROUPS = ("switch", "option", "types", "usage")
_EMOJI = re.compile(r"(:(\S*?)(?:(?:\-)(emoji|text))?:)")  # Rich's emoji codes, which from_markup replaces
BORDER = "dim"


def highlighted(text: str, style: str = "", *, markup: bool = True) -> Para:
    """`highlighter(Text.from_markup(text, style=style))`: overlapping spans flattened into runs at their bounds."""
    if markup and ("[" in text or _EMOJI.search(text) or "\x1b[" in text):
        raise Unsupported("markup or emoji codes: Rich's to read")
    spans: list[tuple[int, int, str]] = []
    for (pattern, theme), name in zip(_HIGHLIGHTS, _GROUPS, strict=True):
        for match in pattern.finditer(text):
            start, end = match.span(name)
            if start > -1 and end > start:
                spans.append((start, end, theme))
    bounds = sorted({0, len(text), *(at for start, end, _ in spans for at in (start, end))})
    runs: list[tuple[str, str | None]] = []
    for low, high in pairwise(bounds):
        active = " ".join(theme for start, end, theme in spans if start <= low and high <= end)
        runs.append((text[low:high], active or None))
    return Para(runs, style)


def draw_help(
    usage: str, help_text: str, options: list[Option], commands: list[Command], *, width: int, colour: bool
) -> str:
    """The help at `width` as Typer prints it (with Rich's escape codes when `colour`)."""
    if width < 40:
        raise Unsupported("a narrow terminal")
    lines = _usage(usage, width) + _help(help_text, width)
    lines += _panel("Options", _options(options, width - 4), width)
    lines += _panel("Commands", _commands(commands, width - 4), width)
    out: list[str] = []
    for line in lines:
        for chunk, style in line:
            codes = sgr(style) if colour and style else ""
            out.append(f"\x1b[{codes}m{chunk}\x1b[0m" if codes and chunk else chunk)
        out.append("\n")
    return "".join(out) + "\n"  # Click echoes the empty help Typer leaves it


def _usage(usage: str, width: int) -> list[list[Segment]]:
    """`console.print(Padding(highlighter(usage), 1), style="bold")`."""
    blank = [(" " * width, "bold")]
    lines = [blank]
    para = highlighted(usage, markup=False)
    for line in _wrap(para, width - 2):
        segments = [(chunk, _bold(span)) for chunk, span in line]
        rest = width - 2 - sum(cell_len(chunk) for chunk, _ in line)
        lines.append([(" ", "bold"), *segments, *([(" " * rest, "bold")] if rest else []), (" ", "bold")])
    return [*lines, blank]


def _bold(style: str | None) -> str:
    return f"bold {style}" if style else "bold"


def _help(help_text: str, width: int) -> list[list[Segment]]:
    """Typer's `_get_help_text` in `Padding(Align(..., pad=False), (0, 1, 1, 1))`."""
    first, *rest = help_text.split("\n\n")
    texts = [highlighted(first.replace("\n", " ").strip())]
    if rest:
        texts += [Para(), highlighted("\n\n".join(rest).strip(), "dim")]
    longest = max((cell_len(line) for text in texts for line in text.plain.splitlines()), default=0)
    inner = min(longest, width - 2)  # Align measures the group, and renders it no wider
    if inner < 1:
        raise Unsupported("no help text")
    lines = []
    for text in texts:
        for line in _wrap(text, inner):
            rest_width = width - 1 - sum(cell_len(chunk) for chunk, _ in line)
            lines.append(
                [(" ", ""), *((chunk, _join(text.style, span)) for chunk, span in line), (" " * rest_width, "")]
            )
    return [*lines, [(" " * width, "")]]


def _join(base: str, span: str | None) -> str:
    return f"{base} {span}".strip() if span else base


def _panel(title: str, body: list[list[Segment]], width: int) -> list[list[Segment]]:
    """Rich's `Panel(body, border_style="dim", title=title, title_align="left")` (box.ROUNDED, padding (0, 1))."""
    label = f" {title} "
    if width - 4 <= len(label):
        raise Unsupported("a title as wide as the panel")
    top = [("╭─", BORDER), (label, BORDER), ("─" * (width - 4 - len(label)), BORDER), ("─╮", BORDER)]
    lines = [top]
    for line in body:
        lines.append([("│", BORDER), (" ", ""), *line, (" ", ""), ("│", BORDER)])
    return [*lines, [("╰" + "─" * (width - 2) + "╯", BORDER)]]


def _options(options: list[Option], most: int) -> list[list[Segment]]:
    """Typer's options grid: long names, short names, two columns of negative names and one of types (all empty
    here), and the help (a `Columns`, which Rich measures as wide as it is let be); expanded to `most`."""
    rows = [
        (highlighted(long, markup=False), highlighted(short, markup=False), Para(), Para(), Para(), highlighted(text))
        for long, short, text in options
    ]
    pads = [(0, 1), (1, 1), (1, 1), (1, 1), (1, 1), (1, 0)]
    longest = [max(_longest(row[index]) for row in rows) for index in range(5)] + [most]
    widths = _grid_widths(longest, [left + right for left, right in pads], most, wrapable=[True] * 6)
    if sum(widths) < most:  # expand: the room left shared in proportion to the widths
        widths = [each + extra for each, extra in zip(widths, _distribute(most - sum(widths), widths), strict=True)]
    return _rows(rows, widths, pads, [""] * 6, no_wrap=[False] * 6)


def _commands(commands: list[Command], most: int) -> list[list[Segment]]:
    """Typer's commands grid: the names as wide as the longest, bold cyan; the help (ratio 10) takes the rest."""
    name_width = max(len(name) for name, _ in commands)
    first = min(name_width + 1, most)
    widths = [first, max(2, most - first)]
    if sum(widths) > most or widths[1] < 3:
        raise Unsupported("a commands grid too narrow")
    rows = [(Para(((name, None),)), highlighted(text.split("\n\n")[0].strip())) for name, text in commands]
    return _rows(rows, widths, [(0, 1), (1, 0)], ["bold cyan", ""], no_wrap=[True, False])


def _longest(para: Para) -> int:
    lines = para.plain.splitlines()
    return max(cell_len(line) for line in lines) if lines else 0


def _grid_widths(longest: list[int], pads: list[int], most: int, *, wrapable: list[bool]) -> list[int]:
    """Rich's `Table._calculate_column_widths` with no ratios, before expanding."""
    widths = [_column_width(each, pad, most) or 1 for each, pad in zip(longest, pads, strict=True)]
    if sum(widths) > most:
        widths = _collapse(widths, wrapable, most)
        if sum(widths) > most:
            widths = _ratio_reduce(sum(widths) - most, [1] * len(widths), widths, widths)
        widths = [_column_width(each, pad, width) for each, pad, width in zip(longest, pads, widths, strict=True)]
    return widths


def _distribute(total: int, ratios: list[int]) -> list[int]:
    """Rich's `rich._ratio.ratio_distribute` without minimums."""
    total_ratio = sum(ratios)
    if total_ratio <= 0:
        raise Unsupported("nothing to share the room by")
    remaining, out = total, []
    for ratio in ratios:
        share = -(-ratio * remaining // total_ratio) if total_ratio > 0 else remaining
        out.append(share)
        total_ratio -= ratio
        remaining -= share
    return out


def _rows(
    rows: Sequence[tuple[Para, ...]],
    widths: list[int],
    pads: list[tuple[int, int]],
    styles: list[str],
    *,
    no_wrap: list[bool],
) -> list[list[Segment]]:
    """A grid without box or header: each cell wrapped, padded and styled, the rows' cells top-aligned."""
    lines: list[list[Segment]] = []
    for row in rows:
        cells: list[list[list[Segment]]] = []
        for cell, width, (left, right), style, fixed in zip(row, widths, pads, styles, no_wrap, strict=True):
            inner = width - left - right
            if inner < 0 or (inner == 0 and cell.plain):
                raise Unsupported("a column narrower than its padding")
            drawn = []
            for line in _wrap(cell, inner, justify="left", overflow="ellipsis", no_wrap=fixed):
                segments = [(" " * left, "")] if left else []
                segments += [(chunk, _join(cell.style, span)) for chunk, span in _merged(line)]
                segments += [(" " * right, "")] if right else []
                drawn.append([(chunk, _join(style, each)) for chunk, each in segments])
            cells.append(drawn)
        height = max(len(drawn) for drawn in cells)
        for drawn, width, style in zip(cells, widths, styles, strict=True):
            drawn += [[(" " * width, style)]] * (height - len(drawn))
        lines += [[segment for drawn in cells for segment in drawn[number]] for number in range(height)]
    return lines
