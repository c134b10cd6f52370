"""Lines of styled text and simple tables drawn as Rich draws them, without importing Rich's console (87 M
instructions).

A view of lines and tables (`check`, `diff`, `show`) is described here as `Para`s
(a paragraph's runs of text and style, and an indent) and `Grid`s (a table's
columns and cells). `draw` lays them out at a width byte for byte as Rich's
`Console.print` of the same `Text`s, `Padding`s and `Table`s does (Rich 15,
pinned in pyproject.toml: tests/test_draw*.py compare the two); `as_rich`
builds those Rich objects, for where the plain drawing does not apply
(`plain_terminal`, or `Unsupported`).
"""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING

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

    __slots__ = ("indent", "plain", "runs", "style")

    def __init__(self, runs: tuple[Run, ...] | list[Run] = (), style: str = "", indent: int = 0) -> None:
        merged: list[Run] = []
        for chunk, given in runs:
            span = given or None  # Rich makes no span of an empty style
            if chunk and merged and span is None and merged[-1][1] is None:  # Rich's one run outside spans
                merged[-1] = (merged[-1][0] + chunk, None)
            elif chunk:
                merged.append((chunk, span))
        self.runs = tuple(merged)
        self.plain = "".join(chunk for chunk, _ in merged)
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


class Column:
    """A Rich `Column` of that header, justification ("left" or "right"), wrapping and overflow. (Not a NamedTuple,
    which costs a start-up more to define: see `render.formats.Renderers`.)"""

    __slots__ = ("header", "justify", "no_wrap", "overflow")

    def __init__(
        self, header: str, justify: str = "left", *, no_wrap: bool = False, overflow: str = "ellipsis"
    ) -> None:
        self.header, self.justify, self.no_wrap, self.overflow = header, justify, no_wrap, overflow


class Grid:
    """A Rich `Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False)` of these rows."""

    __slots__ = ("columns", "rows", "title")

    def __init__(
        self, columns: tuple[Column, ...], rows: tuple[tuple[Para, ...], ...], title: Para | None = None
    ) -> None:
        self.columns, self.rows, self.title = columns, rows, title


# What Rich 15 measures as one cell a character without looking it up (rich.cells._SINGLE_CELL_UNICODE_RANGES), and
# the crossing mark the tables print (tests/test_draw_cells.py holds both to Rich's own measure).
_ONE_CELL_RANGES = ((0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x2500, 0x25FC), (0x2800, 0x28FF), (0x21C4, 0x21C4))


def _narrow(text: str) -> bool:
    """Whether every character is one cell wide to Rich, without its tables."""
    if text.isascii():
        return text.isprintable()
    for char in text:
        code = ord(char)
        if not (0x20 <= code <= 0x7E or any(low <= code <= high for low, high in _ONE_CELL_RANGES)):
            return False
    return True


def cell_len(text: str) -> int:
    """Rich's `rich.cells.cell_len`, without importing it (8 M instructions) for text of one-cell characters."""
    if _narrow(text):
        return len(text)
    from rich.cells import cell_len as measure

    return measure(text)


def set_cell_size(text: str, total: int) -> str:
    """Rich's `rich.cells.set_cell_size`."""
    if _narrow(text):
        return text + " " * (total - len(text)) if len(text) < total else text[:total]
    from rich.cells import set_cell_size as resize

    return resize(text, total)


def chop_cells(text: str, width: int) -> list[str]:
    """Rich's `rich.cells.chop_cells`."""
    if _narrow(text):
        return [text[index : index + width] for index in range(0, len(text), width)]
    from rich.cells import chop_cells as chop

    return chop(text, width)


def divide_line(text: str, width: int, *, fold: bool = True) -> list[int]:
    """Rich 15's `rich._wrap.divide_line` (a private function, so followed here): where to break a line to fit."""
    breaks: list[int] = []
    offset = 0
    for match in re.finditer(r"\s*\S+\s*", text):
        start, word = match.start(), match.group(0)
        length = cell_len(word.rstrip())
        if width - offset >= length:
            offset += cell_len(word)
        elif length > width:
            if fold:
                folded = chop_cells(word, width)
                for index, line in enumerate(folded):
                    if start:
                        breaks.append(start)
                    if index == len(folded) - 1:
                        offset = cell_len(line)
                    else:
                        start += len(line)
            else:
                if start:
                    breaks.append(start)
                offset = cell_len(word)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def sgr(style: str) -> str:
    """The codes Rich writes for a style of attributes and standard colours (`Unsupported` for any other)."""
    codes = _SGR.get(style)
    if codes is None:
        codes = _SGR[style] = _sgr(style)
    return codes


_SGR: dict[str, str] = {}


def _sgr(style: str) -> str:
    words = style.split()
    codes = [_ATTRIBUTES[word] for word in sorted(set(words) & _ATTRIBUTES.keys(), key=list(_ATTRIBUTES).index)]
    colours = [word for word in words if word not in _ATTRIBUTES]
    if any(colour not in _CODES for colour in colours):
        raise Unsupported(f"the style {style!r}: Rich's to write")
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
    out: list[str] = []
    for part in parts:
        for line in _grid(part, width) if isinstance(part, Grid) else _para(part, width):
            for chunk, style in line:
                codes = sgr(style) if colour and style else ""
                out.append(f"\x1b[{codes}m{chunk}\x1b[0m" if codes and chunk else chunk)
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


def _length(line: list[Run]) -> int:
    return sum(cell_len(chunk) for chunk, _ in line)


def _wrap(
    para: Para, width: int, *, justify: str = "default", overflow: str = "fold", no_wrap: bool = False
) -> list[list[Run]]:
    """Rich's `Text.wrap`, for the justifications "default", "left" and "right"."""
    if justify not in ("default", "left", "right") or overflow not in ("fold", "crop", "ellipsis"):
        raise Unsupported(f"justify {justify}, overflow {overflow}")
    plain = para.plain
    if justify != "right" and len(plain) <= width and _narrow(plain):  # one line that fits (no "\n")
        return [_merged([*para.runs, (" " * (width - len(plain)), None)]) if justify == "left" else list(para.runs)]
    lines: list[list[Run]] = []
    for line in _split(list(para.runs)):
        plain = "".join(chunk for chunk, _ in line)
        if "\t" in plain:
            raise Unsupported("tabs are Rich's to expand")
        if no_wrap or (len(plain) <= width and _narrow(plain)):  # no break in what fits
            pieces = [line]
        else:
            pieces = _divide(line, divide_line(plain, width, fold=overflow == "fold"))
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
    owners = [number for number, (chunk, _) in enumerate(line) for _ in chunk]
    out: list[Run] = []
    last = -1
    for index, char in enumerate(text):
        owner = owners[min(index, len(owners) - 1)]
        if owner == last:  # two spans of one style stay two, as Rich writes them
            out[-1] = (out[-1][0] + char, out[-1][1])
        else:
            out.append((char, line[owner][1]))
        last = owner
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
    longest = [max(_longest_line(cell) for cell in cells) for cells in columns]
    extra = 2 + count - 1
    widths = _widths(grid.columns, longest, [left + right for left, right in pads], width - extra)
    table_width = sum(widths) + extra
    if table_width > width:
        raise Unsupported("a table wider than the console: Rich crops it")
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
        style = cell.style
        for line in body:
            segments = [(" " * left, "")] if left else []
            segments += [(chunk, f"{style} {span}".strip() if span else style) for chunk, span in line]
            if right:
                segments.append((" " * right, ""))
            drawn.append([(chunk, _join(base, each)) for chunk, each in segments] if base else segments)
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


def _widths(columns: tuple[Column, ...], longest: list[int], pads: list[int], most: int) -> list[int]:
    """Rich's `Table._calculate_column_widths` without expansion or fixed widths, from each column's longest line."""
    widths = [_column_width(each, pad, most) or 1 for each, pad in zip(longest, pads, strict=True)]
    if sum(widths) > most:
        widths = _collapse(widths, [not column.no_wrap for column in columns], most)
        if sum(widths) > most:
            widths = _ratio_reduce(sum(widths) - most, [1] * len(widths), widths, widths)
        widths = [_column_width(each, pad, width) for each, pad, width in zip(longest, pads, widths, strict=True)]
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
    """Rich 15's `rich._ratio.ratio_reduce`."""
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


def _column_width(longest: int, pad: int, most: int) -> int:
    """The maximum of Rich's `Table._measure_column` at `most` cells, for cells of `Text` in `Padding` whose longest
    line is `longest` cells: `Measurement.get` of each, through its normalising and clamping, which only the
    longest decides (the minimum, of words, plays no part in the widths)."""
    if most < 1:
        return 0
    if most - pad < 1:
        return most
    text = min(longest, most)
    high = min((text if text >= 1 else 0) + pad, most)
    return high if high >= 1 else 0


def _longest_line(cell: Para) -> int:
    """Rich's `Text.__rich_measure__` maximum: the longest of `str.splitlines`, in cells."""
    if _narrow(cell.plain):  # no line breaks either
        return len(cell.plain)
    lines = cell.plain.splitlines()
    return max(cell_len(line) for line in lines) if lines else 0


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
