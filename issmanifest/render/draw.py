"""Lines of styled text drawn as Rich draws them, without importing Rich's console (87 M instructions).

A view that is only lines (`check`, `diff`) is described here as `Para`s: a
paragraph's runs of text and style, and an indent. `draw` lays them out at a
width byte for byte as Rich's `Console.print` of the same `Text`s and `Padding`s
does (tests/test_draw.py compares the two); `as_rich` builds those Rich objects,
for where the plain drawing does not apply (`plain_terminal`).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType

# Rich's SGR codes of the attributes and standard colours the renderers use.
_ATTRIBUTES = {"bold": "1", "dim": "2", "italic": "3", "underline": "4"}
_COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_CODES = {name: str(30 + number) for number, name in enumerate(_COLOURS)}
_CODES |= {f"bright_{name}": str(90 + number) for number, name in enumerate(_COLOURS)}

Run = tuple[str, str | None]  # text, and the style of its span (None: outside any span, the paragraph's own style)


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


def draw(paras: list[Para], *, width: int, colour: bool) -> str:
    """The paragraphs as Rich prints them at `width`, with its escape codes when `colour`."""
    out: list[str] = []
    for para in paras:
        inner = width - para.indent
        for line in _wrap(para, inner):
            if para.indent:
                out.append(" " * para.indent)
            out += (_paint(chunk, _join(para.style, span), colour=colour) for chunk, span in line)
            if para.indent:
                out.append(" " * (inner - _length(line)))
            out.append("\n")
    return "".join(out)


def _paint(chunk: str, style: str, *, colour: bool) -> str:
    codes = sgr(style) if colour and style else ""
    return f"\x1b[{codes}m{chunk}\x1b[0m" if codes else chunk


def _length(line: list[Run]) -> int:
    from rich.cells import cell_len

    return sum(cell_len(chunk) for chunk, _ in line)


def _wrap(para: Para, width: int) -> list[list[Run]]:
    """Rich's `Text.wrap` with the default justification and overflow `fold`."""
    from rich._wrap import divide_line
    from rich.cells import cell_len, set_cell_size

    lines: list[list[Run]] = []
    for line in _split(list(para.runs)):
        plain = "".join(chunk for chunk, _ in line)
        if "\t" in plain:
            raise ValueError("tabs are Rich's to expand")
        pieces = _divide(line, divide_line(plain, width, fold=True))
        for piece in pieces:
            text = "".join(chunk for chunk, _ in piece)
            if len(text) > width:  # rstrip_end: trailing whitespace past the width, counted in characters
                trailing = len(text) - len(text.rstrip())
                piece = _crop(piece, len(text) - min(trailing, len(text) - width))
                text = "".join(chunk for chunk, _ in piece)
            if cell_len(text) > width:
                piece = _restyle(piece, set_cell_size(text, width))
            lines.append(piece)
    return lines


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


def as_rich(paras: list[Para]) -> RenderableType:
    """The same paragraphs as Rich's objects, for Rich to print."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[RenderableType] = []
    for para in paras:
        text = Text(style=para.style)
        for chunk, span in para.runs:
            text.append(chunk, span)
        parts.append(Padding(text, (0, 0, 0, para.indent)) if para.indent else text)
    return Group(*parts)
