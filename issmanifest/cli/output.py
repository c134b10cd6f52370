"""Where output goes: data to stdout, diagnostics to stderr, and nothing that can drive a terminal.

Rich is imported only when a console is made, so that commands printing JSON or
plain text never pay for it.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from issmanifest.render.escape import clean, clean_line

__all__ = ["clean", "clean_line", "color_wanted", "complain", "make_console", "stdout_is_terminal", "write"]

if TYPE_CHECKING:
    from rich.console import Console


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (tests patch this one place)."""
    return sys.stdout.isatty()


def color_wanted(color: bool | None) -> bool | None:
    """`--color/--no-color` first, then NO_COLOR and FORCE_COLOR; None lets Rich decide by the terminal."""
    if color is not None:
        return color
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return None


def make_console(color: bool | None = None, *, stderr: bool = False, record: bool = False) -> Console:
    """A Rich console for tables: coloured only where colour is wanted and possible."""
    from rich.console import Console

    wanted = color_wanted(color)
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


def write(text: str) -> None:
    """Write data to standard output as it is (renderers have made it safe)."""
    sys.stdout.write(text)
    if text and not text.endswith("\n"):
        sys.stdout.write("\n")


def complain(lines: list[str]) -> None:
    """Write diagnostics to standard error, made safe."""
    for line in lines:
        print(clean_line(line), file=sys.stderr)
