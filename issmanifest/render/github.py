"""GitHub Actions workflow commands: findings and load errors as annotations on the manifest's lines."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from issmanifest.engine.rules import ERROR, Check
from issmanifest.manifest.model import iso
from issmanifest.manifest.problems import Problem
from issmanifest.render import verdict
from issmanifest.render.escape import clean


def _data(text: str) -> str:
    return clean(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, message: str, **properties: object) -> str:
    fields = ",".join(f"{key}={_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{level}{' ' + fields if fields else ''}::{_data(message)}"


def check(result: Check, file: str, lines: Mapping[str, int]) -> str:
    """One annotation per finding, on the line of the flight it is about, and a notice with the verdict."""
    rows = [_command("notice", verdict(result), title="issmanifest check")]
    for finding in result.findings:
        when = iso(finding.start) + ("" if finding.end is None else f" to {iso(finding.end)}")
        rows.append(
            _command(
                "error" if finding.severity == ERROR else "warning",
                f"{when}: {finding.message}",
                file=file,
                line=lines.get(finding.flight or ""),
                title=f"{finding.rule} ({finding.subject})",
            )
        )
    return "".join(row + "\n" for row in rows)


def problems(found: Iterable[Problem]) -> str:
    """Load errors as annotations on their lines."""
    rows = [
        _command(
            "error",
            problem.message + (f" ({problem.hint})" if problem.hint else ""),
            file=problem.file,
            line=problem.line,
            col=problem.column,
            title=f"issmanifest: {problem.place}" if problem.place else "issmanifest",
        )
        for problem in found
    ]
    return "".join(row + "\n" for row in rows)
