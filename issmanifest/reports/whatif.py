"""What-if manifests: one flight slipped or grounded, everything else as scheduled."""

from __future__ import annotations

from issmanifest.manifest.model import DAY, Flight, Manifest, When

# What each --field of `slip` moves: the arrival, the docking alone, the departure, or the whole flight.
SLIP_FIELDS: dict[str, tuple[str, ...]] = {
    "launch": ("launch", "dock"),
    "dock": ("dock",),
    "undock": ("undock", "landing"),
    "all": ("launch", "dock", "relocations", "undock", "landing"),
}


def slip(manifest: Manifest, flight_id: str, seconds: int, field: str = "launch") -> Manifest:
    """The manifest with one flight's dates moved by `seconds` (earlier when negative).

    Raises ValueError when a date to move is a bare date and the shift is not whole days,
    or when the departure is to move and the flight has none.
    """
    flight = manifest.flight(flight_id)
    moving = SLIP_FIELDS[field]
    if field == "undock" and flight.undock is None:
        raise ValueError(f"{flight_id} has no undock to move")

    def move(when: When, name: str) -> When:
        return _moved(when, seconds, flight, name) if name in moving else when

    def maybe(when: When | None, name: str) -> When | None:
        return None if when is None else move(when, name)

    relocations = tuple(
        r._replace(start=move(r.start, "relocations"), end=move(r.end, "relocations")) for r in flight.relocations
    )
    slipped = flight._replace(
        launch=move(flight.launch, "launch"),
        dock=move(flight.dock, "dock"),
        relocations=relocations,
        undock=maybe(flight.undock, "undock"),
        landing=maybe(flight.landing, "landing"),
    )
    return _with(manifest, slipped)


def ground(manifest: Manifest, flight_id: str, when: When) -> Manifest:
    """The manifest with one flight grounded (no longer a lifeboat) from `when` on."""
    return _with(manifest, manifest.flight(flight_id)._replace(grounded=when))


def _moved(when: When, seconds: int, flight: Flight, name: str) -> When:
    if when.date_only and seconds % DAY:
        raise ValueError(f"the {name} of {flight.id} is a date without a time of day ({when}); move it by whole days")
    return When(when.seconds + seconds, when.date_only)


def _with(manifest: Manifest, flight: Flight) -> Manifest:
    return manifest._replace(flights=tuple(flight if f.id == flight.id else f for f in manifest.flights))
