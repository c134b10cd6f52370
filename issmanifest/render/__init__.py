"""One renderer per output format; each turns the core's results into text for its audience."""

from __future__ import annotations

from typing import TYPE_CHECKING

from issmanifest.engine.words import duration_text
from issmanifest.manifest.model import iso

if TYPE_CHECKING:
    from issmanifest.engine.margins import Margin
    from issmanifest.engine.rules import Check
    from issmanifest.reports.diff import Change, ManifestDiff
    from issmanifest.reports.snapshot import PlannedEvent, Snapshot


def day(seconds: int) -> str:
    return iso(seconds)[:10]


def minute(seconds: int) -> str:
    """`2022-09-21 13:54` (UTC), or the date alone at midnight."""
    text = iso(seconds)
    return text[:10] if text.endswith("T00:00:00Z") else f"{text[:10]} {text[11:16]}"


def verdict(check: Check) -> str:
    """The one-line answer of a check, before any detail."""
    partners = check.partners
    if check.horizon is None:
        return "Nothing aboard to check: the manifest has no flights"
    if check.empty:
        return "Nothing to check: the window is empty" + (
            f" (the manifest's last event is {minute(check.horizon.seconds)})" if check.horizon is not None else ""
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
        return f"{lead} ({counts})" + (f"; {resting(check)}" if check.rests_on else "")
    both = "both aboard" if len(partners) == 2 else "all aboard" if len(partners) > 2 else "aboard"
    lead = f"{names} {both} without a break from {minute(check.start)} through {minute(check.end)}"
    lead = f"{lead}; {counts}" if errors or warnings else lead
    return f"{lead}; {resting(check)}" if check.rests_on else lead


def resting(check: Check, most: int = 5) -> str:
    """What a verdict rests on that the manifest does not confirm: `on the manifest's plans: rests on ...`."""
    flights = check.rests_on
    count = len(flights)
    names = ", ".join(flights[:most]) + (f" and {count - most} more" if count > most else "")
    return f"on the manifest's plans: rests on {count} unconfirmed flight{'s' * (count != 1)}: {names}"


def window_note(check: Check) -> str:
    """Which window was checked, and what lies past it."""
    if check.horizon is None:
        return "Checked: nothing (no flight, so no one aboard)."
    if check.empty:
        return "Checked: nothing (the window is empty)."
    assert check.start is not None and check.end is not None
    text = f"Checked {minute(check.start)} to {minute(check.end)} UTC."
    if check.open_ended and check.horizon is not None and check.end >= check.horizon.seconds:
        text += f" People stay aboard past {minute(check.horizon.seconds)}, the last event the manifest knows;"
        text += " nothing after it is known."
    return text


def _value(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return ", ".join(str(item) if not isinstance(item, dict) else _table_value(item) for item in value) or "none"
    return str(value)


def _table_value(item: dict[str, object]) -> str:
    return "{" + ", ".join(f"{key} {value}" for key, value in item.items()) + "}"


def _shift(days: float) -> str:
    sign = "+" if days > 0 else "-" if days < 0 else "±"
    size = abs(days)
    amount = f"{size:g} day{'s' * (size != 1)}" if size >= 1 or size == 0 else duration_text(round(size * 86400))
    return f"{sign}{amount}"


def describe(change: Change) -> str:
    """A change as a sentence for people: `launch +12 days (2026-07-14 14:47 -> 2026-07-26 14:47)`."""
    from issmanifest.reports.diff import ChangeKind  # here, not at the top: every command imports this module

    match change.kind:
        case ChangeKind.FLIGHT_ADDED:
            return f"{change.flight} ({change.new}) added"
        case ChangeKind.FLIGHT_REMOVED:
            return f"{change.flight} ({change.old}) removed"
        case ChangeKind.FLIGHT_CHANGED if change.field == "id":
            return f"renamed from {change.old}"
        case ChangeKind.FLIGHT_CHANGED if change.shift_days is not None:
            return f"{change.field} {_shift(change.shift_days)} ({_value(change.old)} -> {_value(change.new)})"
        case ChangeKind.CREW_CHANGED:
            return _crew_change(change)
        case ChangeKind.PERSON_ADDED:
            return f"{change.person} ({change.new}) added"
        case ChangeKind.PERSON_REMOVED:
            return f"{change.person} ({change.old}) removed"
        case ChangeKind.EXPEDITION_CHANGED:
            subject = f"Expedition {change.subject}"
        case _:
            subject = change.flight or change.person or change.subject or "station"
    if change.field is None:
        return f"{subject} {'added' if change.old is None else 'removed'}"
    return f"{subject}: {change.field} {_value(change.old)} -> {_value(change.new)}"


def _crew_change(change: Change) -> str:
    verb = "goes up on" if change.field == "up" else "comes down on"
    if change.person is None:
        return f"{change.field} reordered: {_value(change.old)} -> {_value(change.new)}"
    if change.old is not None and change.new is not None:
        return f"{change.person}: {verb} {change.new} instead of {change.old}"
    if change.new is not None:
        return f"{change.person}: now {verb} {change.new}"
    return f"{change.person}: no longer {verb} {change.old}"


def headline(result: ManifestDiff) -> str:
    """The first line of a diff: how much changed and what it does to continuity, gaps first."""
    from issmanifest.engine.rules import ERROR  # here: `render` is imported for `render.escape` by every call

    count = len(result.changes)
    if not count:
        return "No semantic change"
    text = f"{count} change{'s' * (count != 1)}"
    impact = result.continuity
    gaps = [f for f in impact.introduced_errors if f.rule == "partner-presence"]
    gaps += [new for old, new in impact.changed if new.rule == "partner-presence" and new.severity == ERROR]
    if gaps:
        first = gaps[0]
        length = f" for {duration_text(first.duration)}" if first.duration is not None else ""
        text = f"Opens a {first.partner} gap from {minute(first.start)}{length}; {text}"
    errors = len(impact.introduced_errors)
    if errors:
        text += f"; introduces {errors} continuity error{'s' * (errors != 1)}"
    resolved = sum(1 for finding in impact.resolved if finding.severity == ERROR)
    if resolved:
        text += f"; resolves {resolved} continuity error{'s' * (resolved != 1)}"
    if not errors and not resolved and not gaps:
        text += "; no continuity error introduced or resolved"
    return text


def margin_sentence(margin: Margin) -> str:
    """How far an event can move, for people: `crew-13 arrival can slip 9 days 4 h before partner-presence breaks`."""
    subject = f"{margin.flight} {margin.event}"
    move = "slip" if margin.direction == "delay" else "come early"
    if margin.seconds is None:
        if margin.direction == "delay":
            return f"{subject} can {move} past the last scheduled event with no error rule broken"
        return f"{subject} can {move} all the way back to this instant with no error rule broken"
    lead = (
        f"{subject}: no slack, {margin.rule} is broken already then and any {margin.direction} makes it worse"
        if margin.already
        else f"{subject}: no slack, any {margin.direction} breaks {margin.rule}"
        if margin.seconds == 0
        else f"{subject} can {move} {duration_text(margin.seconds)} before {margin.rule} breaks"
    )
    return f"{lead}: {margin.message}"


_VERBS = {"relocations": "relocate", "landing": "land", "grounded": "be grounded"}


def planned_sentence(event: PlannedEvent) -> str:
    """`crew-13 to launch 2026-09-15`: a plan after the manifest's facts end."""
    return f"{event.flight} to {_VERBS.get(event.event, event.event)} {minute(event.when.seconds)}"


def overdue_sentence(event: PlannedEvent) -> str:
    """`crew-13 was to launch 2026-09-15; the manifest does not say it did`."""
    verb = _VERBS.get(event.event, event.event)
    return f"{event.flight} was to {verb} {minute(event.when.seconds)}; the manifest does not say it did"


def aboard_headline(snapshot: Snapshot) -> str:
    """How many are aboard and how much of that is confirmed: `7 aboard (3 confirmed, 4 on plans)`."""
    count = len(snapshot.aboard)
    known = snapshot.known_until
    if snapshot.past_last_event:
        last = snapshot.manifest.last_event
        assert last is not None
        lead = f"unknown: nothing is known after {minute(last.seconds)}"
        return lead + (f"; {count} had no recorded return" if count else "")
    if snapshot.beyond_facts:
        since = f" since {minute(known.seconds)}" if known is not None else ""
        return f"{count} aboard on the manifest's plans, none of them confirmed{since}" if count else "0 aboard"
    confirmed = snapshot.confirmed
    if confirmed == count:
        return f"{count} aboard"
    if confirmed == 0:
        return f"{count} aboard, none of them confirmed"
    return f"{count} aboard ({confirmed} confirmed, {count - confirmed} on plans)"


def facts_note(snapshot: Snapshot) -> str:
    """Until when the manifest's facts run."""
    known = snapshot.known_until
    if known is None:
        return "The manifest confirms nothing: every value is a plan."
    source = "" if snapshot.as_of is not None else " (its latest confirmed event)"
    return f"Facts as of {minute(known.seconds)}{source}; after that, plans."


def outstayed_note(snapshot: Snapshot) -> list[str]:
    """Past the last event: who has no recorded return, and how far past its docked life each flight home would be."""
    if not snapshot.past_last_event:
        return []
    stranded = [member for member in snapshot.aboard if member.returns is None]
    if not stranded:
        return []
    lines = [f"{len(stranded)} with no recorded return; whether they are still aboard is not known."]
    flights: dict[str, int] = {}
    for member in stranded:
        if member.returns_on is not None and member.past_docked_life is not None:
            flights[member.returns_on] = member.past_docked_life
    for flight, days in sorted(flights.items()):
        vehicle = snapshot.manifest.flight(flight).vehicle
        limit = snapshot.manifest.vehicles[vehicle].max_docked_days
        lines.append(f"{flight} would be {days:,} days past the {limit:g}-day docked life of a {vehicle}.")
    return lines
