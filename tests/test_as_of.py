"""The manifest's date of knowledge: `as_of`, or the latest confirmed event standing in."""

from __future__ import annotations

from conftest import build, flight

from issmanifest.manifest.loading import parse_manifest
from issmanifest.manifest.model import When, parse_instant

FLIGHTS = (
    flight("a", "2022-01-01T00:00:00Z", "2022-06-01T00:00:00Z", ["nasa1", "ru1"]),
    flight("b", "2022-05-01T00:00:00Z", "2022-11-01T00:00:00Z", ["nasa2", "ru2"], uncertain=["undock"]),
    flight("c", "2022-10-25T00:00:00Z", None, ["nasa3", "ru3"], tentative=True),
)


def test_without_as_of_the_latest_confirmed_event_stands_in() -> None:
    manifest = build(*FLIGHTS)
    assert manifest.as_of is None
    # b's undocking is uncertain and c is tentative: a's undocking on 2022-06-01 is the last confirmed event.
    assert manifest.known_until == parse_instant("2022-06-01T00:00:00Z")


def test_as_of_is_read_as_a_date_or_a_date_time_and_wins() -> None:
    dated = build(*FLIGHTS, header="as_of = 2022-12-01\n")
    assert dated.as_of == When(parse_instant("2022-12-01").seconds, date_only=True)
    assert dated.known_until == dated.as_of
    timed = build(*FLIGHTS, header="as_of = 2022-12-01T10:00:00Z\n")
    assert timed.known_until == When(parse_instant("2022-12-01T10:00:00Z").seconds)


def test_an_as_of_that_is_not_a_time_is_a_located_error(cli, write) -> None:
    path = write('format = 1\nas_of = "2022-12-01"\n')
    run = cli("check", str(path))
    assert run.exit_code == 2
    assert (
        run.stderr
        == f'{path}:2: as_of: expected a date or date-time, found a string "2022-12-01" (write it without quotes: as_of = 2022-12-01)\n'
    )


def test_as_of_survives_the_cache_the_dump_and_the_diff(cli, write) -> None:
    old = write("format = 1\nas_of = 2022-12-01\n", "old.toml")
    new = write("format = 1\nas_of = 2023-01-05T12:00:00Z\n", "new.toml")
    for _ in range(2):  # the second read comes from the cache
        assert cli("dump", str(old)).stdout.splitlines()[:2] == ["format 1", "as_of 2022-12-01"]
    changes = cli("diff", str(old), str(new), "--format", "json").json()["changes"]
    assert changes == [
        {"field": "as_of", "kind": "station-changed", "new": "2023-01-05T12:00:00Z", "old": "2022-12-01"}
    ]


def test_the_writer_keeps_as_of() -> None:
    from issmanifest.manifest.writing import dumps_manifest

    manifest = build(*FLIGHTS, header="as_of = 2022-12-01\n")
    assert parse_manifest(dumps_manifest(manifest), "test.toml").as_of == manifest.as_of
