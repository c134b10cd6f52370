"""Validation's field checks follow the format's description (manifest/fields.py), not a hand copy of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from issmanifest.manifest import fields, validation
from issmanifest.manifest.model import When
from issmanifest.manifest.validation import _plain_flight, _Reader

PERSON = 'format = 1\n\n[people.rubio]\nname = "Frank Rubio"\nagency = "NASA"\nnationality = "US"\n'


@pytest.fixture
def described(monkeypatch: pytest.MonkeyPatch) -> None:
    """People with two more described fields, and no other change to the code."""
    extra = (
        fields.Field("callsign", "text", "A call sign."),
        fields.Field("age", "integer", "Years.", low=18, high=99),
    )
    monkeypatch.setattr(fields, "PERSON", (*fields.PERSON, *extra))


def check(cli, tmp_path: Path, text: str):
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    return cli("check", str(path)), path


@pytest.mark.usefixtures("described")
def test_a_described_field_is_accepted(cli, tmp_path: Path) -> None:
    result, _ = check(cli, tmp_path, PERSON + 'callsign = "Ace"\nage = 45\n')
    assert result.stderr == ""
    assert result.exit_code == 0


@pytest.mark.usefixtures("described")
def test_a_described_field_is_checked_by_its_kind_and_bounds(cli, tmp_path: Path) -> None:
    result, path = check(cli, tmp_path, PERSON + "callsign = 3\nage = 17\n")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:7: people.rubio.callsign: expected a string, found an integer 3",
        f"{path}:8: people.rubio.age: 17 is out of range (from 18 to 99)",
    ]


def test_a_required_field_of_the_description_is_missing_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    required = fields.Field("motto", "text", "A motto.", required=True)
    monkeypatch.setattr(fields, "STATION", (*fields.STATION, required))
    reader = _Reader("m.toml")
    reader.station({"name": "Mir"}, {})
    assert [(where.shown, message) for where, message, _, _ in reader.problems] == [("station", 'missing "motto"')]


def test_a_place_is_named_from_its_path() -> None:
    flight = validation._flight_place(2, "crew-5")
    relocation = flight.key("relocations").item(0).key("end")
    assert relocation.path == ("flights", 2, "relocations", 0, "end")
    assert relocation.shown == "flights[crew-5].relocations[0].end"
    assert validation._flight_place(2, " ").shown == "flights[#3]"
    named = validation.TOP.key("vehicles").key("Soyuz MS").key("seats")
    assert named.shown == 'vehicles."Soyuz MS".seats'
    former = validation.TOP.key("agencies").key("NASA").key("former_names").item(1, as_array=True).key("until")
    assert (former.path[-2:], former.shown) == ((1, "until"), "agencies.NASA.former_names.until")


def test_the_plain_path_leaves_no_simple_flight_field_behind() -> None:
    # A flight field of a simple kind is taken by the plain path: it must come out as the full check builds it.
    values = {
        "id": "crew-9",
        "vehicle": "Crew Dragon",
        "launch": When(1727000000).to_datetime(),
        "dock": When(1727010000).to_datetime(),
        "undock": When(1730000000).to_datetime(),
        "landing": When(1730010000).to_datetime(),
        "grounded": When(1729000000).to_datetime(),
        "port": "Harmony zenith",
        "note": "a note",
        "tentative": True,
        "uncertain": ["port"],
        "up": [],
        "down": [],
    }
    assert set(values) == validation._PLAIN_KEYS  # a new simple field: teach `_plain_flight` and add it here
    from issmanifest.manifest import defaults

    plain = _plain_flight(values, defaults.VEHICLES, {})
    reader = _Reader("m.toml")
    full = reader.flight(dict(values), 0, defaults.VEHICLES, {}, defaults.AGENCIES)
    assert not reader.problems
    assert plain is not None and plain == full
