"""A loaded manifest holds each repeated name once, and validation pairs stays without keeping them.

Issue 19's memory target (at most 1.5x tomllib's peak at 100,000 flights): the model kept the
document's own copy of every vehicle, port and crew name, a third of its size, and validation
made every stay a second time only to find problems.
"""

from __future__ import annotations

import sys

from conftest import ROOT, build, examples, flight
from hypothesis import given, settings
from strategies import manifest_texts

from issmanifest.engine import stays
from issmanifest.engine.stays import pair_stays, stay_problems
from issmanifest.manifest.loading import parse_manifest
from issmanifest.manifest.problems import ManifestError

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate


def test_repeated_names_are_one_string_each() -> None:
    manifest = parse_manifest(generate(200, seed=3), "200.toml")
    flights = manifest.flights
    assert len({id(flight.vehicle) for flight in flights}) == len({flight.vehicle for flight in flights}) == 2
    ports = [flight.port for flight in flights if flight.port is not None]
    assert len({id(port) for port in ports}) == len(set(ports)) > 1
    crew = [person for flight in flights for person in (*flight.up, *flight.down)]
    assert len({id(person) for person in crew}) == len(set(crew)) > 10
    # The very strings [people] is keyed by.
    keys = {id(key) for key in manifest.people}
    assert {id(person) for person in crew} <= keys


def test_validation_makes_no_stays(monkeypatch: object) -> None:
    made = 0
    original = stays.Stay.__init__

    def counted(self: stays.Stay, *args: object) -> None:
        nonlocal made
        made += 1
        original(self, *args)  # type: ignore[arg-type]

    stays.Stay.__init__ = counted  # type: ignore[method-assign]
    try:
        manifest = parse_manifest(generate(100, seed=3), "100.toml")
        assert made == 0
        assert len(pair_stays(manifest).stays) == made > 300
    finally:
        stays.Stay.__init__ = original  # type: ignore[method-assign]


@settings(max_examples=examples(200))
@given(manifest_texts())
def test_stay_problems_are_the_pairings_problems(text: str) -> None:
    try:
        manifest = parse_manifest(text, "m.toml")
    except ManifestError:
        return
    assert stay_problems(manifest) == pair_stays(manifest).problems


def test_a_person_aboard_twice_is_said_as_before() -> None:
    first = flight("f1", "2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z", ["ru1", "nasa1"])
    second = flight("f2", "2030-01-15T00:00:00Z", None, ["ru1", "ru2"], port="Poisk")
    manifest = build(first, flight("f3", "2030-03-01T00:00:00Z", None, ["nasa2"]))
    twice = manifest._replace(flights=(*manifest.flights[:1], build(second).flights[0], *manifest.flights[1:]))
    (problem,) = stay_problems(twice)
    assert problem.flight == "f2" and problem.flight_index == 1 and problem.field == "up" and problem.person == "ru1"
    assert problem.message == '"ru1" is already aboard (arrived on f1, returns on f1)'
    try:
        build(first, second)
    except ManifestError as error:
        assert [p.message for p in error.problems] == ['"ru1" is already aboard (arrived on f1, returns on f1)']
    else:
        raise AssertionError("accepted")
