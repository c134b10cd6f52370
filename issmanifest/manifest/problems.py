"""What went wrong with an input, in the one form every command reports it."""

import difflib
from collections.abc import Iterable, Sequence
from typing import NamedTuple

MAX_REPORTED = 20


class Problem(NamedTuple):
    """One thing wrong with a manifest: `FILE:LINE: place: what is wrong (hint)`."""

    file: str
    message: str
    place: str = ""
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.detail}"

    @property
    def detail(self) -> str:
        """The problem without its file and line: `place: what is wrong (hint)`."""
        text = f"{self.place}: {self.message}" if self.place else self.message
        return f"{text} ({self.hint})" if self.hint else text


class ManifestError(Exception):
    """A manifest (or another input) that cannot be used; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = tuple(problems)


def report_lines(problems: Iterable[Problem], limit: int = MAX_REPORTED) -> list[str]:
    """The lines to print for problems, the first `limit` and a count of the rest."""
    problems = list(problems)
    lines = [str(problem) for problem in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"... and {len(problems) - limit} more")
    return lines


def did_you_mean(value: str, options: Iterable[str]) -> str | None:
    """A hint naming what the user likely meant: those that start with what they wrote, else the closest."""
    options = list(options)
    folded = value.casefold()
    starting = [option for option in options if folded and option.casefold().startswith(folded)]
    if len(starting) > 1:
        return "did you mean one of " + ", ".join(f'"{option}"' for option in starting) + "?"
    near = starting or difflib.get_close_matches(value, options, n=1)
    return f'did you mean "{near[0]}"?' if near else None
