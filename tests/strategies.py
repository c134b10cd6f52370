"""Hypothesis strategies: random valid manifests, built so every crew has a consistent history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import tomli_w
from hypothesis import strategies as st

BASE = datetime(2030, 1, 1, tzinfo=UTC)
PEOPLE = {
    "n1": ("NASA", "US"),
    "n2": ("NASA", "US"),
    "n3": ("NASA", "US"),
    "n4": ("NASA", "US"),
    "r1": ("Roscosmos", "RU"),
    "r2": ("Roscosmos", "RU"),
    "r3": ("Roscosmos", "RU"),
    "r4": ("Roscosmos", "RU"),
    "e1": ("ESA", "DE"),
    "e2": ("ESA", "IT"),
    "j1": ("JAXA", "JP"),
}
VEHICLES = {"Soyuz MS": 3, "Crew Dragon": 4, "Space Shuttle": 8}
PORTS = [None, "A", "B", "C"]


def moment(minutes: int, bare: bool = False, spacing: int = 1) -> datetime | date:
    value = BASE + timedelta(minutes=minutes * spacing)
    return value.date() if bare else value


@st.composite
def manifest_documents(
    draw: st.DrawFn, max_flights: int = 6, bare_dates: bool = False, span: int = 4000, spacing: int = 1
) -> dict[str, Any]:
    """A manifest as a TOML-ready dict. With `bare_dates`, times fall on whole days and some are written as dates.

    Times fall on whole minutes, or on multiples of `spacing` minutes.
    """
    unit = 1440 if bare_dates else 1
    count = draw(st.integers(1, max_flights))
    flights: list[dict[str, Any]] = []
    for number in range(count):
        vehicle = draw(st.sampled_from(sorted(VEHICLES)))
        dock = draw(st.integers(0, span // (unit if bare_dates else 1))) * unit
        undock = (
            dock + draw(st.integers(1, span // 2 // (unit if bare_dates else 1))) * unit
            if draw(st.integers(0, 5))
            else None
        )
        flight: dict[str, Any] = {"id": f"f{number}", "vehicle": vehicle, "dock_at": dock, "undock_at": undock}
        flight["port"] = draw(st.sampled_from(PORTS))
        if draw(st.integers(0, 3)) == 0:
            flight["grounded_at"] = dock + draw(st.integers(0, span // 2))
        if undock is not None and undock - dock >= 3 * unit and draw(st.booleans()):
            start = draw(st.integers(dock // unit + 1, undock // unit - 2)) * unit
            end = start + draw(st.integers(1, (undock - start) // unit - 1)) * unit
            flight["relocation"] = (start, end, draw(st.sampled_from(PORTS[1:])))
        if bare_dates:
            flight["bare"] = {key: draw(st.booleans()) for key in ("dock", "undock")}
        flights.append(flight)

    # Crews: in docking order, each person goes up only once home from the last trip.
    free_from = dict.fromkeys(PEOPLE, -1)
    downs: dict[int, list[str]] = {index: [] for index in range(count)}
    ups: dict[int, list[str]] = {}
    order = sorted(range(count), key=lambda index: (flights[index]["dock_at"], index))
    for index in order:
        flight = flights[index]
        dock, seats = flight["dock_at"], VEHICLES[flight["vehicle"]]
        free = [person for person in PEOPLE if free_from[person] <= dock]
        up = draw(st.lists(st.sampled_from(free), unique=True, max_size=min(seats, 4))) if free else []
        ups[index] = up
        for person in up:
            later = [
                other
                for other in range(count)
                if other == index or (flights[other]["undock_at"] is not None and flights[other]["undock_at"] > dock)
            ]
            home = draw(st.sampled_from(later))
            if len(downs[home]) >= VEHICLES[flights[home]["vehicle"]]:
                home = index if len(downs[index]) < seats else -1
            if home < 0:
                free_from[person] = 10**9
                continue
            downs[home].append(person)
            end = flights[home]["undock_at"]
            free_from[person] = 10**9 if end is None else end

    document: dict[str, Any] = {
        "format": 1,
        "people": {
            key: {"name": key.upper(), "agency": agency, "nationality": country}
            for key, (agency, country) in PEOPLE.items()
        },
        "flights": [],
    }
    for index, flight in enumerate(flights):
        bare = flight.get("bare", {})
        table: dict[str, Any] = {
            "id": flight["id"],
            "vehicle": flight["vehicle"],
            "launch": moment(flight["dock_at"], bare.get("dock", False), spacing),
            "dock": moment(flight["dock_at"], bare.get("dock", False), spacing),
            "up": ups[index],
            "down": downs[index],
        }
        if flight["undock_at"] is not None:
            table["undock"] = moment(flight["undock_at"], bare.get("undock", False), spacing)
        if flight["port"] is not None:
            table["port"] = flight["port"]
        if "grounded_at" in flight:
            table["grounded"] = moment(flight["grounded_at"], spacing=spacing)
        if "relocation" in flight:
            start, end, port = flight["relocation"]
            table["relocations"] = [
                {"start": moment(start, spacing=spacing), "end": moment(end, spacing=spacing), "port": port}
            ]
        document["flights"].append(table)
    return document


def manifest_texts(**options: Any) -> st.SearchStrategy[str]:
    return manifest_documents(**options).map(tomli_w.dumps)
