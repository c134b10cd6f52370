"""Recording what happened in a manifest's text: the checks and edits behind `issmanifest record`.

A record sets fields of one flight (or adds a flight), and may add a person, through
`editing`, so the file keeps every line the record does not change. Before it edits it
refuses what a user would regret: replacing a value the sources confirmed without `force`,
or naming a crew member the manifest does not know.

Only the record command imports this module (it imports tomlkit through `editing`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from issmanifest.manifest.model import DAY, Flight, Manifest, Person, When
from issmanifest.manifest.problems import did_you_mean

if TYPE_CHECKING:
    from issmanifest.manifest.editing import FlightValue

# Fields a record may set, in the format's order; `note` is commentary, never confirmed or not.
RECORDED = ("launch", "dock", "port", "undock", "landing", "up", "down", "grounded", "note")


class Refused(ValueError):
    """A record that must not be made as asked; `option` names the option at fault."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


def record(
    text: str,
    manifest: Manifest,
    flight_id: str | None,
    changes: Mapping[str, FlightValue],
    *,
    vehicle: str | None = None,
    person: Person | None = None,
    confirm: bool = False,
    force: bool = False,
    comment: str | None = None,
) -> str:
    """The manifest's text with what happened written down; the caller validates the result.

    With `vehicle`, `flight_id` is a new flight with these fields (a launch at least): it is
    tentative unless `confirm`. Otherwise `changes` go into the existing flight; `confirm`
    with no changes confirms the flight as written (no `tentative`, no `uncertain`).
    `person` is added to [people] first. `comment` goes on each changed line (on the id
    line of a new flight). Raises `Refused` for an overwrite of a confirmed value without
    `force` and for a crew member the manifest does not know.

    Example: record(text, manifest, "soyuz-ms-28", {"undock": parse_instant("2026-07-26T07:05:00Z")}, confirm=True)
    """
    from issmanifest.manifest.editing import add_flight, add_person, edit_flight

    known = set(manifest.people) | ({person.id} if person is not None else set())
    for field in ("up", "down"):
        crew = changes.get(field, ())
        assert isinstance(crew, tuple)
        for key in crew:
            if key not in known:
                hint = did_you_mean(str(key), known)
                raise Refused(
                    f"--{field}",
                    f'unknown person "{key}"' + (f" ({hint})" if hint else "") + f"; to add them, give --person {key}"
                    " --name NAME --agency AGENCY --nationality CC",
                )
    source = manifest.source
    if person is not None:
        text = add_person(text, person, source=source)
    if flight_id is None:
        return text
    if vehicle is not None:
        text = add_flight(text, new_flight(flight_id, vehicle, changes, confirm=confirm), source=source)
        if comment is not None:
            text = edit_flight(text, flight_id, {"id": flight_id}, comment=comment, source=source)
        return text
    if not force:
        refuse_overwrites(text, manifest.flight(flight_id), changes)
    edits: Mapping[str, FlightValue | None] = changes or {"tentative": None, "uncertain": None}
    return edit_flight(text, flight_id, edits, confirm=confirm, comment=comment, source=source)


def new_flight(flight_id: str, vehicle: str, values: Mapping[str, Any], *, confirm: bool) -> Flight:
    """A flight made of recorded values: docked at launch and crew home as it went up, unless they say otherwise."""
    launch = values["launch"]
    up = values.get("up", ())
    return Flight(
        id=flight_id,
        vehicle=vehicle,
        launch=launch,
        dock=values.get("dock", launch),
        port=values.get("port"),
        undock=values.get("undock"),
        landing=values.get("landing"),
        up=up,
        down=values.get("down", up),
        grounded=values.get("grounded"),
        note=values.get("note"),
        tentative=not confirm,
    )


def refuse_overwrites(text: str, flight: Flight, changes: Mapping[str, FlightValue]) -> None:
    """Raise `Refused` if a change replaces a value the file sets and the sources confirmed.

    A field the file leaves out, an unconfirmed one (in `uncertain`, or the flight is tentative),
    a note, the same value, and a time of day within a date the file gives are no overwrite.
    """
    import tomllib

    tables = tomllib.loads(text).get("flights", [])
    raw = next(table for table in tables if isinstance(table, dict) and table.get("id") == flight.id)
    for field, value in changes.items():
        if field == "note" or field not in raw or flight.unsure_of(field) or _same(raw[field], value):
            continue
        raise Refused(
            f"--{field}",
            f"the {field} of {flight.id} is set and confirmed ({_shown(raw[field])}); give --force to replace it",
        )


def _same(old: Any, new: FlightValue) -> bool:
    if isinstance(new, When) and isinstance(old, date):
        before = When.of(old)
        if before.date_only and not new.date_only:
            return before.seconds <= new.seconds < before.seconds + DAY
        return before == new
    if isinstance(new, tuple) and isinstance(old, list):
        return sorted(map(str, old)) == sorted(map(str, new))
    return bool(old == new)


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        return When.of(value).iso()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "nobody"
    return str(value)
