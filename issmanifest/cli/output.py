"""Where output goes: data to stdout, diagnostics to stderr, and nothing that can drive a terminal.

Rich is imported only when a console is made, so that commands printing JSON or
plain text never pay for it.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import sys
from typing import TYPE_CHECKING, TextIO

from issmanifest.render.escape import clean, clean_line

__all__ = [
    "clean",
    "clean_line",
    "color_wanted",
    "complain",
    "make_console",
    "stdout_is_terminal",
    "write",
    "write_drawn",
    "write_lines",
    "write_pieces",
]

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from rich.console import Console, RenderableType

    from issmanifest.render.draw import Grid, Para


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (tests patch this one place)."""
    return sys.stdout is not None and sys.stdout.isatty()


def color_wanted(*, color: bool | None) -> bool | None:
    """`--color/--no-color` first, then NO_COLOR and FORCE_COLOR; None lets Rich decide by the terminal."""
    if color is not None:
        return color
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return None


def make_console(*, color: bool | None = None, stderr: bool = False, record: bool = False) -> Console:
    """A Rich console for tables: coloured only where colour is wanted and possible."""
    from rich.console import Console

    wanted = color_wanted(color=color)
    return Console(
        stderr=stderr,
        force_terminal=True if wanted else None,
        no_color=wanted is False,
        color_system="auto" if wanted is not False else None,
        highlight=False,
        emoji=False,
        markup=False,
        record=record,
        soft_wrap=False,
    )


class OutputError(Exception):
    """Standard output cannot be written: it is closed, or its device is full or failing."""


def prepare_streams() -> None:
    """Output that never fails for want of a character: what the stream's encoding lacks is written as an escape."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def write(text: str, *, json_text: bool = False) -> None:
    """Write data to standard output as it is (renderers have made it safe).

    JSON gets JSON's own escapes for what the stream's encoding lacks, so it stays JSON.
    """
    stream = _stdout()
    encoding = stream.encoding or "utf-8"
    if json_text and not encoding.lower().startswith("utf"):
        text = _json_escaped(text, encoding)
    with _writing():
        # In pieces: a text stream encodes all it is given at once, a second copy of a large output.
        for start in range(0, len(text), _PIECE):
            stream.write(text[start : start + _PIECE])
        if text and not text.endswith("\n"):
            stream.write("\n")


_PIECE = 1 << 20  # characters written at a time


def write_pieces(pieces: Iterable[str], *, json_text: bool = False) -> None:
    """`write` of the pieces joined, each written as it comes (a large output is never held whole)."""
    stream = _stdout()
    encoding = stream.encoding or "utf-8"
    escape = json_text and not encoding.lower().startswith("utf")
    last = ""
    with _writing():
        for piece in pieces:
            if piece:
                stream.write(_json_escaped(piece, encoding) if escape else piece)
                last = piece
        if last and not last.endswith("\n"):
            stream.write("\n")


def write_lines(lines: Iterable[str]) -> None:
    """Write lines to standard output, each with its line break, a few thousand at a time (not all joined first)."""
    stream = _stdout()
    with _writing():
        for batch in _batched(lines, 4096):
            stream.write("".join(line + "\n" for line in batch))


def _batched(lines: Iterable[str], size: int) -> Iterator[tuple[str, ...]]:
    iterator = iter(lines)
    while batch := tuple(itertools.islice(iterator, size)):
        yield batch


def write_rich(renderable: RenderableType, *, color: bool | None) -> None:
    """Print a table or chart to standard output."""
    _stdout()  # Rich would print nowhere, without a word, to a closed standard output
    with _writing():
        make_console(color=color).print(renderable)


def write_drawn(parts: Sequence[Para | Grid], *, color: bool | None) -> None:
    """Print lines of styled text and simple tables to standard output: drawn here on a plain terminal or pipe,
    else by Rich."""
    from issmanifest.render.draw import Unsupported, as_rich, draw, plain_terminal

    terminal = plain_terminal(color=color_wanted(color=color))
    drawn = None
    if terminal is not None:
        width, colour = terminal
        with contextlib.suppress(Unsupported):
            drawn = draw(parts, width=width, colour=colour)
    if drawn is None:
        write_rich(as_rich(parts), color=color)
        return
    stream = _stdout()
    with _writing():
        stream.write(drawn)


def flush() -> None:
    """Flush standard output, which may fail only now (a full device)."""
    if sys.stdout is not None:
        with _writing():
            sys.stdout.flush()


def _stdout() -> TextIO:
    if sys.stdout is None:
        raise OutputError("cannot write to standard output: it is closed")
    return sys.stdout


@contextlib.contextmanager
def _writing() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        reader_gone()
    except OSError as error:
        # What is still buffered would fail again at exit, with a traceback: let /dev/null have it.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        raise OutputError(f"cannot write to standard output: {error.strerror or error}") from None


def reader_gone() -> None:
    """The reader of standard output went away (`| head`): what is left to print goes nowhere, silently.

    The command runs on to the exit code it would have had, so `check ... | head` still says
    whether continuity holds, and the same command exits the same however soon its reader stops.
    """
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _json_escaped(text: str, encoding: str) -> str:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        import json
        import re

        def escape(match: re.Match[str]) -> str:
            char = match.group()
            try:
                char.encode(encoding)
            except UnicodeEncodeError:
                return json.dumps(char)[1:-1]
            return char

        return re.sub(r"[^\x00-\x7f]", escape, text)
    return text


def complain(lines: list[str]) -> None:
    """Write diagnostics to standard error, made safe (nowhere, when standard error is closed)."""
    if sys.stderr is None:
        return
    for line in lines:
        print(clean_line(line), file=sys.stderr)
