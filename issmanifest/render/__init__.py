"""One renderer per output format; each turns the core's results into text for its audience."""

from __future__ import annotations

from issmanifest.model import iso
from issmanifest.rules import ERROR, Check, duration_text


def day(seconds: int) -> str:
    return iso(seconds)[:10]


def minute(seconds: int) -> str:
    """`2022-09-21 13:54` (UTC), or the date alone at midnight."""
    text = iso(seconds)
    return text[:10] if text.endswith("T00:00:00Z") else f"{text[:10]} {text[11:16]}"


def verdict(check: Check, partners: tuple[str, ...]) -> str:
    """The one-line answer of a check, before any detail."""
    if check.empty:
        return "Nothing to check: the window is empty" + (
            f" (the manifest's last event is {minute(check.horizon)})" if check.horizon is not None else ""
        )
    assert check.start is not None and check.end is not None
    names = " and ".join(partners) if len(partners) < 3 else ", ".join(partners[:-1]) + " and " + partners[-1]
    gaps = [f for f in check.errors if f.rule == "partner-presence"]
    errors, warnings = len(check.errors), len(check.warnings)
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if gaps:
        first = gaps[0]
        lead = f"{first.partner} has no one aboard from {minute(first.start)}"
        lead += f" for {duration_text(first.duration)}" if first.duration is not None else ""
        return f"{lead} ({counts})"
    both = "both aboard" if len(partners) == 2 else "all aboard" if len(partners) > 2 else "aboard"
    lead = f"{names} {both} without a break from {minute(check.start)} through {minute(check.end)}"
    return f"{lead}; {counts}" if errors or warnings else lead


def window_note(check: Check) -> str:
    """Which window was checked, and what lies past it."""
    if check.empty:
        return "Checked: nothing (the window is empty)."
    assert check.start is not None and check.end is not None
    text = f"Checked {minute(check.start)} to {minute(check.end)} UTC."
    if check.open_ended and check.horizon is not None and check.end >= check.horizon:
        text += f" People stay aboard past {minute(check.horizon)}, the last event the manifest knows;"
        text += " nothing after it is known."
    return text


__all__ = ["ERROR", "day", "minute", "verdict", "window_note"]
