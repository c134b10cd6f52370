"""Lines of styled text and simple tables drawn as Rich draws them, without importing Rich's console (87 M
instructions).

A view of lines and tables (`check`, `diff`, `show`) is described here as `Para`s
(a paragraph's runs of text and style, and an indent) and `Grid`s (a table's
columns and cells). `draw` lays them out at a width byte for byte as Rich's
`Console.print` of the same `Text`s, `Padding`s and `Table`s does (Rich 13 to
15: tests/test_draw.py and tests/test_draw_tables.py compare the two); `as_rich`
builds those Rich objects, for where the plain drawing does not apply
(`plain_terminal`, or `Unsupported`).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

# Rich's SGR codes of the attributes and standard colours the renderers use.
_ATTRIBUTES = {"bold": "1", "dim": "2", "italic": "3", "underline": "4"}
_COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_CODES = {name: str(30 + number) for number, name in enumerate(_COLOURS)}
_CODES |= {f"bright_{name}": str(90 + number) for number, name in enumerate(_COLOURS)}

Run = tuple[str, str | None]  # text, and the style of its span (None: outside any span, the paragraph's own style)
Segment = tuple[str, str]  # text, and its whole style ("": none)


class Unsupported(ValueError):
    """What this module does not lay out as Rich would: Rich prints it instead."""


class Para:
    """A Rich `Text` (base style, spans that do not overlap), indented as `Padding(text, (0, 0, 0, indent))`."""

    __slots__ = ("indent", "runs", "style")

    def __init__(self, runs: tuple[Run, ...] | list[Run] = (), style: str = "", indent: int = 0) -> None:
        merged: list[Run] = []
        for chunk, given in runs:
            span = given or None  # Rich makes no span of an empty style
            if chunk and merged and span is None and merged[-1][1] is None:  # Rich's one run outside spans
                merged[-1] = (merged[-1][0] + chunk, None)
            elif chunk:
                merged.append((chunk, span))
        self.runs = tuple(merged)
        self.style, self.indent = style, indent

    def add(self, chunk: str, style: str | None = None) -> Para:
        """Rich's `Text.append`: a span when styled, else text in the paragraph's own style."""
        return Para((*self.runs, (chunk, style or None)), self.style, self.indent)

    def extend(self, other: Para) -> Para:
        """Rich's `Text.append_text`: the other's own style becomes a span over its plain runs."""
        runs = [(chunk, _join(other.style, span) if span else other.style or None) for chunk, span in other.runs]
        return Para((*self.runs, *runs), self.style, self.indent)

    def indented(self, indent: int) -> Para:
        return Para(self.runs, self.style, indent)


class Column(NamedTuple):
    """A Rich `Column` of that header, justification ("left" or "right"), wrapping and overflow."""

    header: str
    justify: str = "left"
    no_wrap: bool = False
    overflow: str = "ellipsis"


class Grid(NamedTuple):
    """A Rich `Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False)` of these rows."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Para, ...], ...]
    title: Para | None = None


def sgr(style: str) -> str:
    """The codes Rich writes for a style of attributes and standard colours (KeyError for any other)."""
    words = style.split()
    codes = [_ATTRIBUTES[word] for word in sorted(set(words) & _ATTRIBUTES.keys(), key=list(_ATTRIBUTES).index)]
    colours = [word for word in words if word not in _ATTRIBUTES]
    if colours:
        codes.append(_CODES[colours[-1]])
    return ";".join(codes)


def _join(base: str, span: str | None) -> str:
    return f"{base} {span}".strip() if span else base


def plain_terminal(*, color: bool | None) -> tuple[int, bool] | None:
    """The width and whether to colour, as `cli.output.make_console`'s Rich console would decide, where this module
    draws what it would print; None where Rich decides what this module does not know (Windows, a notebook, IDLE, an
    encoding without box characters, a dumb terminal)."""
    stream = sys.stdout
    environ = os.environ
    if sys.platform == "win32" or "get_ipython" in dir(__builtins__) or stream is None:
        return None
    if not (getattr(stream, "encoding", None) or "").lower().startswith("utf"):
        return None
    if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return None
    if environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return None
    if color is not None:
        terminal = color
    elif environ.get("TTY_COMPATIBLE", "") in ("0", "1"):
        terminal = environ["TTY_COMPATIBLE"] == "1"
    elif environ.get("FORCE_COLOR") is not None:
        terminal = environ["FORCE_COLOR"] != ""
    else:
        try:
            terminal = stream.isatty()
        except ValueError:
            terminal = False
    width = 0
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        width = int(columns)
    else:
        for descriptor in (0, 1, 2):
            try:
                width = os.get_terminal_size(descriptor).columns
            except (AttributeError, ValueError, OSError):
                continue
            break
    width = width or 80
    if width < 2:
        return None
    return width, terminal and color is not False


def draw(parts: Sequence[Para | Grid], *, width: int, colour: bool) -> str:
    """The paragraphs and tables as Rich prints them at `width`, with its escape codes when `colour`; `Unsupported`
    where this module cannot know Rich's drawing."""
    from rich.cells import cell_len

    out: list[str] = []
    for part in parts:
        for line in _grid(part, width) if isinstance(part, Grid) else _para(part, width):
            if sum(cell_len(chunk) for chunk, _ in line) > width:
                raise Unsupported("a line wider than the console: Rich crops it")
            out += (_paint(chunk, style, colour=colour) for chunk, style in line)
            out.append("\n")
    return "".join(out)


def _para(para: Para, width: int) -> list[list[Segment]]:
    """Rich's `Text` at the console's width, indented as `Padding` does."""
    inner = width - para.indent
    lines: list[list[Segment]] = []
    for line in _wrap(para, inner):
        segments = [(chunk, _join(para.style, span)) for chunk, span in line]
        if para.indent:
            segments = [(" " * para.indent, ""), *segments, (" " * (inner - _length(line)), "")]
        lines.append(segments)
    return lines


def _paint(chunk: str, style: str, *, colour: bool) -> str:
    codes = sgr(style) if colour and style else ""
    return f"\x1b[{codes}m{chunk}\x1b[0m" if codes else chunk


def _length(line: list[Run]) -> int:
    from rich.cells import cell_len

    return sum(cell_len(chunk) for chunk, _ in line)


def _wrap(
    para: Para, width: int, *, justify: str = "default", overflow: str = "fold", no_wrap: bool = False
) -> list[list[Run]]:
    """Rich's `Text.wrap`, for the justifications "default", "left" and "right"."""
    from rich._wrap import divide_line

    if justify not in ("default", "left", "right") or overflow not in ("fold", "crop", "ellipsis"):
        raise Unsupported(f"justify {justify}, overflow {overflow}")
    lines: list[list[Run]] = []
    for line in _split(list(para.runs)):
        plain = "".join(chunk for chunk, _ in line)
        if "\t" in plain:
            raise Unsupported("tabs are Rich's to expand")
        pieces = [line] if no_wrap else _divide(line, divide_line(plain, width, fold=overflow == "fold"))
        for piece in pieces:
            text = "".join(chunk for chunk, _ in piece)
            if not no_wrap and len(text) > width:  # rstrip_end: trailing whitespace past the width, in characters
                trailing = len(text) - len(text.rstrip())
                piece = _crop(piece, len(text) - min(trailing, len(text) - width))
            if justify == "left":
                piece = _truncate(piece, width, overflow, pad=True)
            elif justify == "right":
                text = "".join(chunk for chunk, _ in piece)
                piece = _truncate(_crop(piece, len(text.rstrip())), width, overflow)
                piece = _merged([(" " * (width - _length(piece)), None), *piece])
            lines.append(_truncate(piece, width, overflow))
    return lines


def _truncate(piece: list[Run], width: int, overflow: str, *, pad: bool = False) -> list[Run]:
    """Rich's `Text.truncate`."""
    from rich.cells import cell_len, set_cell_size

    text = "".join(chunk for chunk, _ in piece)
    length = cell_len(text)
    if length > width:
        cut = set_cell_size(text, width - 1) + "…" if overflow == "ellipsis" else set_cell_size(text, width)
        piece = _restyle(piece, cut)
    if pad and length < width:
        piece = _merged([*piece, (" " * (width - length), None)])
    return piece


def _merged(line: list[Run]) -> list[Run]:
    """Runs outside any span run together, as in Rich's segments."""
    out: list[Run] = []
    for chunk, span in line:
        if not chunk:
            continue
        if out and span is None and out[-1][1] is None:
            out[-1] = (out[-1][0] + chunk, None)
        else:
            out.append((chunk, span))
    return out


def _split(runs: list[Run]) -> list[list[Run]]:
    lines: list[list[Run]] = [[]]
    for chunk, span in runs:
        for index, part in enumerate(chunk.split("\n")):
            if index:
                lines.append([])
            if part:
                lines[-1].append((part, span))
    return lines


def _divide(line: list[Run], offsets: list[int]) -> list[list[Run]]:
    pieces: list[list[Run]] = []
    cuts = [*offsets, sum(len(chunk) for chunk, _ in line)]
    start = 0
    for end in cuts:
        pieces.append(_slice(line, start, end))
        start = end
    return pieces


def _slice(line: list[Run], start: int, end: int) -> list[Run]:
    out: list[Run] = []
    position = 0
    for chunk, span in line:
        low, high = max(start, position), min(end, position + len(chunk))
        if low < high:
            out.append((chunk[low - position : high - position], span))
        position += len(chunk)
    return out


def _crop(line: list[Run], length: int) -> list[Run]:
    return _slice(line, 0, length)


def _restyle(line: list[Run], text: str) -> list[Run]:
    """`text` (a cut of the line's text) in the line's styles, character for character (Rich's `_trim_spans`)."""
    owners = [span for chunk, span in line for _ in chunk]
    out: list[Run] = []
    for index, char in enumerate(text):
        span = owners[min(index, len(owners) - 1)]
        if out and out[-1][1] == span:
            out[-1] = (out[-1][0] + char, span)
        else:
            out.append((char, span))
    return out


# -- tables: Rich's Table with box.SIMPLE_HEAD, pad_edge=False, its header shown, the console's width ---------


def _grid(grid: Grid, width: int) -> list[list[Segment]]:
    """Rich's `Table.__rich_console__` and `_render`, for `Grid`s."""
    count = len(grid.columns)
    if not count:
        raise Unsupported("a table without columns")
    if any("[" in column.header for column in grid.columns):
        raise Unsupported("a header Rich might read as markup")
    pads = [(0 if index == 0 else 1, 0 if index == count - 1 else 1) for index in range(count)]
    header = tuple(Para(((column.header, None),)) for column in grid.columns)
    columns = [[row[index] for row in (header, *grid.rows)] for index in range(count)]
    plains = [["".join(chunk for chunk, _ in cell.runs) for cell in cells] for cells in columns]
    extra = 2 + count - 1
    widths = _widths(grid.columns, plains, [left + right for left, right in pads], width - extra)
    table_width = sum(widths) + extra
    lines: list[list[Segment]] = []
    if grid.title is not None and grid.title.runs:  # an empty title is no title, as in Rich
        title = grid.title
        lines += [
            [(chunk, _join(title.style, span)) for chunk, span in line]
            for line in _wrap(title, table_width, justify="left")
        ]
    lines.append([(" " * table_width, "")])
    for index, row in enumerate((header, *grid.rows)):
        lines += _row(row, grid.columns, widths, pads, header=index == 0)
        if index == 0:
            lines.append([(" " + "─".join("─" * each for each in widths) + " ", "")])
    lines.append([(" " * table_width, "")])
    return lines


def _row(
    row: tuple[Para, ...], columns: tuple[Column, ...], widths: list[int], pads: list[tuple[int, int]], *, header: bool
) -> list[list[Segment]]:
    cells: list[list[list[Segment]]] = []
    base = "bold" if header else ""  # the theme's table.header
    for cell, column, width, (left, right) in zip(row, columns, widths, pads, strict=True):
        inner = width - left - right
        if inner < 1:
            raise Unsupported("a column narrower than its padding")
        body = _wrap(cell, inner, justify=column.justify, overflow=column.overflow, no_wrap=column.no_wrap)
        drawn = []
        for line in body:
            segments = [(" " * left, "")] if left else []
            segments += [(chunk, _join(cell.style, span)) for chunk, span in line]
            segments += [(" " * right, "")] if right else []
            drawn.append([(chunk, _join(base, style)) for chunk, style in segments])
        cells.append(drawn)
    height = max(len(drawn) for drawn in cells)
    for drawn, width in zip(cells, widths, strict=True):
        blanks = [[(" " * width, base)]] * (height - len(drawn))
        drawn[:] = [*blanks, *drawn] if header else [*drawn, *blanks]  # the header aligned to the bottom
    lines: list[list[Segment]] = []
    for number in range(height):
        out: list[Segment] = [(" ", "")]
        for index, drawn in enumerate(cells):
            out += [*([(" ", "")] if index else []), *drawn[number]]
        lines.append([*out, (" ", "")])
    return lines


def _widths(columns: tuple[Column, ...], plains: list[list[str]], pads: list[int], most: int) -> list[int]:
    """Rich's `Table._calculate_column_widths` without expansion or fixed widths."""
    widths = [_measure_column(plain, pad, most)[1] or 1 for plain, pad in zip(plains, pads, strict=True)]
    if sum(widths) > most:
        widths = _collapse(widths, [not column.no_wrap for column in columns], most)
        if sum(widths) > most:
            widths = _ratio_reduce(sum(widths) - most, [1] * len(widths), widths, widths)
        widths = [_measure_column(plain, pad, width)[1] for plain, pad, width in zip(plains, pads, widths, strict=True)]
    return widths


def _collapse(widths: list[int], wrapable: list[bool], most: int) -> list[int]:
    """Rich's `Table._collapse_widths`."""
    total = sum(widths)
    excess = total - most
    if any(wrapable):
        while total and excess > 0:
            widest = max(width for width, wraps in zip(widths, wrapable, strict=True) if wraps)
            second = max(
                width if wraps and width != widest else 0 for width, wraps in zip(widths, wrapable, strict=True)
            )
            ratios = [1 if width == widest and wraps else 0 for width, wraps in zip(widths, wrapable, strict=True)]
            if not any(ratios) or not widest - second:
                break
            widths = _ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
            total = sum(widths)
            excess = total - most
    return widths


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """Rich's `rich._ratio.ratio_reduce` (Rich 13 to 15)."""
    ratios = [ratio if high else 0 for ratio, high in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, high, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(high, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _measure_column(plains: list[str], pad: int, most: int) -> tuple[int, int]:
    """Rich's `Table._measure_column` of cells of text in `Padding`."""
    if most < 1:
        return 0, 0
    measured = [_measure_padded(plain, pad, most) for plain in plains]
    low = max(low for low, _ in measured) if measured else 1
    high = max(high for _, high in measured) if measured else most
    return min(low, most), min(high, most)


def _measure_padded(plain: str, pad: int, most: int) -> tuple[int, int]:
    """Rich's `Measurement.get` of `Padding(Text(plain))`."""
    if most < 1:
        return 0, 0
    if most - pad < 1:
        low = high = most
    else:
        low, high = _measure_text(plain, most)
        low, high = min(low + pad, most), min(high + pad, most)
    return _measured(low, high, most)


def _measure_text(plain: str, most: int) -> tuple[int, int]:
    """Rich's `Measurement.get` of a `Text`."""
    from rich.cells import cell_len

    if most < 1:
        return 0, 0
    lines = plain.splitlines()
    high = max(cell_len(line) for line in lines) if lines else 0
    words = plain.split()
    low = max(cell_len(word) for word in words) if words else high
    return _measured(low, high, most)


def _measured(low: int, high: int, most: int) -> tuple[int, int]:
    low, high = _normal(low, high)
    low, high = min(low, most), min(high, most)
    return (0, 0) if high < 1 else _normal(low, high)


def _normal(low: int, high: int) -> tuple[int, int]:
    low = min(max(0, low), high)
    return max(0, low), max(0, max(low, high))


def as_rich(parts: Sequence[Para | Grid]) -> RenderableType:
    """The same paragraphs and tables as Rich's objects, for Rich to print."""
    from rich.console import Group
    from rich.padding import Padding

    out: list[RenderableType] = []
    for part in parts:
        if isinstance(part, Grid):
            out.append(_table(part))
        else:
            text = _text(part)
            out.append(Padding(text, (0, 0, 0, part.indent)) if part.indent else text)
    return Group(*out)


def _text(para: Para) -> Text:
    from rich.text import Text

    text = Text(style=para.style)
    for chunk, span in para.runs:
        text.append(chunk, span)
    return text


def _table(grid: Grid) -> Table:
    from rich import box
    from rich.table import Table

    title = None if grid.title is None else _text(grid.title)
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False)
    for column in grid.columns:
        table.add_column(column.header, justify=column.justify, no_wrap=column.no_wrap, overflow=column.overflow)  # type: ignore[arg-type]
    for row in grid.rows:
        table.add_row(*(_text(cell) for cell in row))
    return table
