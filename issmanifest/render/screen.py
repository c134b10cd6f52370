"""The table format's views that are lines of text (`check`, `diff`), described for `render.draw`: drawn without
Rich on a plain terminal, by Rich elsewhere. The table format's other views are Rich's (`render.table`)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from issmanifest.engine.words import duration_text
from issmanifest.render import describe, headline, minute, verdict, window_note
from issmanifest.render.draw import Para
from issmanifest.render.escape import clean_line

if TYPE_CHECKING:
    from issmanifest.engine.rules import Check, Finding
    from issmanifest.reports.diff import Change, ManifestDiff

ERROR_STYLE = "bold red"
WARNING_STYLE = "yellow"


def text(value: object, style: str = "") -> Para:
    """Untrusted text as one line: controls and newlines shown as escapes."""
    return Para(((clean_line("" if value is None else str(value)), None),), style)


def severity(finding: Finding) -> Para:
    from issmanifest.engine.rules import ERROR

    return text(finding.severity, ERROR_STYLE if finding.severity == ERROR else WARNING_STYLE)


def check(result: Check) -> list[Para]:
    ok = result.passed
    head = Para().add("OK  " if ok else "FAIL  ", "bold green" if ok else ERROR_STYLE).extend(text(verdict(result)))
    parts = [head, text(window_note(result), "dim")]
    for finding in result.findings:
        parts += _finding(finding)
    return parts


def _finding(finding: Finding) -> list[Para]:
    """Severity, rule and window; then the sentence, indented."""
    line = Para((("\n", None),)).extend(severity(finding)).add(f"  {finding.rule}  ", "bold")
    end = "open" if finding.end is None else minute(finding.end)
    line = line.add(f"{minute(finding.start)} to {end}")
    if finding.duration is not None:
        line = line.add(f" ({duration_text(finding.duration)})")
    return [line, text(finding.message).indented(4)]


def diff(result: ManifestDiff) -> list[Para]:
    """The headline, the changes grouped by flight in time order, then the continuity impact."""
    from issmanifest.engine.rules import ERROR

    impact = result.continuity
    alarm = bool(impact.introduced_errors) or any(new.severity == ERROR for _, new in impact.changed)
    parts = [Para().extend(text(headline(result), ERROR_STYLE if alarm else "bold"))]
    by_flight: dict[str, list[Change]] = defaultdict(list)
    others: list[Change] = []
    for change in result.changes:
        if change.flight is not None:
            by_flight[change.flight].append(change)
        else:
            others.append(change)
    for flight in sorted(by_flight, key=lambda flight_id: result.order.get(flight_id, -1)):
        parts += [Para(), text(flight, "bold")]
        parts += [text(describe(change)).indented(2) for change in by_flight[flight]]
    if others:
        parts += [Para(), text("Station, agencies, vehicles, people and expeditions", "bold")]
        parts += [text(describe(change)).indented(2) for change in others]
    if impact.introduced or impact.resolved or impact.changed:
        parts += [Para(), text("Continuity", "bold")]
        for label, findings in (("introduced", impact.introduced), ("resolved", impact.resolved)):
            parts += [_impact(label, finding).indented(2) for finding in findings]
        for old, new in impact.changed:
            moved = _impact("changed", new).extend(text(f" (was {minute(old.start)} to {_end(old.end)})", "dim"))
            parts.append(moved.indented(2))
    return parts


def _end(end: int | None) -> str:
    return "open" if end is None else minute(end)


def _impact(label: str, finding: Finding) -> Para:
    line = Para().add(f"{label} ", "bold").extend(severity(finding))
    line = line.add(f" {finding.rule} {minute(finding.start)} to {_end(finding.end)}: ")
    return line.extend(text(finding.message))
