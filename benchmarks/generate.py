"""Write a valid synthetic manifest of N flights, the same for the same seed.

Rotations as on the ISS since the seat swap, at a faster pace: Soyuz flights
(two cosmonauts and a NASA astronaut) and Crew Dragon flights (two NASA
astronauts, a cosmonaut and a partner astronaut) dock every few days and stay
one to three weeks, so four to six vehicles are docked at a time. People fly
again once home. Each flight takes a free port; about one in a hundred is
grounded while docked and one in two hundred gives only dates.

    python benchmarks/generate.py 10000 > /tmp/m10k.toml
    python benchmarks/generate.py 10000 --shift 10 > /tmp/m10k-shifted.toml
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import deque
from datetime import UTC, datetime, timedelta

BASE = datetime(2030, 1, 1, tzinfo=UTC)
PORTS = ("Rassvet", "Prichal", "Poisk", "Nauka nadir", "Harmony forward", "Harmony zenith", "Unity nadir", "Zvezda aft")
CREWS = {"Soyuz MS": (("r", 2), ("n", 1)), "Crew Dragon": (("n", 2), ("r", 1), ("e", 1))}
AGENCIES = {"n": ("NASA", "US"), "r": ("Roscosmos", "RU"), "e": ("ESA", "DE")}


def moment(minutes: int, bare: bool = False) -> str:
    value = BASE + timedelta(minutes=minutes)
    return value.strftime("%Y-%m-%d") if bare else value.strftime("%Y-%m-%dT%H:%M:00Z")


def generate(count: int, seed: int = 2022, shift: int = 0) -> str:
    """The manifest's text; with `shift`, that many flights spread through it dock a day later."""
    rng = random.Random(seed)
    pool = max(20, count // 20)
    people = {kind: deque(f"{kind}{number:06d}" for number in range(pool)) for kind in AGENCIES}
    home: dict[str, int] = {}  # person -> when they are back
    port_free = dict.fromkeys(PORTS, -1)
    shifted = set(range(0, count, max(count // shift, 1))[:shift]) if shift else set()
    flights: list[str] = []
    dock = 0
    for number in range(count):
        dock += rng.randint(1 * 1440, 5 * 1440)
        vehicle = "Soyuz MS" if number % 2 == 0 else "Crew Dragon"
        stay = rng.randint(8 * 1440, 20 * 1440)
        start, end = dock, dock + stay
        crew = []
        for kind, size in CREWS[vehicle]:
            queue = people[kind]
            for _ in range(size):
                if home.get(queue[0], -1) <= start:
                    person = queue.popleft()
                    crew.append(person)
                    home[person] = end
                    queue.append(person)
        port = next((name for name in PORTS if port_free[name] <= start), None)
        if port is not None:
            port_free[port] = end
        bare = rng.random() < 0.005
        if number in shifted:  # crews as before; only the dates move
            start, end = start + 1440, end + 1440
        lines = [
            "[[flights]]",
            f'id = "flight-{number:06d}"',
            f'vehicle = "{vehicle}"',
            f"launch = {moment(start - 200, bare)}",
            f"dock = {moment(start, bare)}",
            f"undock = {moment(end, bare)}",
            f"landing = {moment(end + 200, bare)}",
            "up = [" + ", ".join(f'"{person}"' for person in crew) + "]",
        ]
        if port is not None:
            lines.append(f'port = "{port}"')
        if rng.random() < 0.01:
            lines.append(f"grounded = {moment(start + stay // 2)}")
        flights.append("\n".join(lines))
    roster = [
        f'{person} = {{ name = "Person {person.upper()}", agency = "{AGENCIES[person[0]][0]}", '
        f'nationality = "{AGENCIES[person[0]][1]}" }}'
        for kind in AGENCIES
        for person in sorted(people[kind])
    ]
    head = f"# A synthetic manifest of {count} flights (seed {seed}).\nformat = 1\n\n[people]\n"
    return head + "\n".join(roster) + "\n\n" + "\n\n".join(flights) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("flights", type=int)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--shift", type=int, default=0, help="dock this many flights a day later")
    options = parser.parse_args()
    sys.stdout.write(generate(options.flights, options.seed, options.shift))


if __name__ == "__main__":
    main()
