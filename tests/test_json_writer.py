"""The quick JSON writer of render/json.py writes what the standard encoder writes, byte for byte, and times
written by hand are what strftime writes."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from issmanifest.manifest import model
from issmanifest.render import json as rendered


class Colour(enum.StrEnum):
    RED = "red"


class Size(enum.IntEnum):
    BIG = 3


def standard(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


plain = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.sampled_from([Colour.RED, Size.BIG, "\u202e", "\u0085", 'a"b\\c\n'])
)
values = st.recursive(
    plain,
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=examples(500))
@given(values)
def test_the_quick_writer_writes_what_json_dumps_writes(value: Any) -> None:
    assert rendered._indented(value) == standard(value)


@settings(max_examples=examples(200))
@given(st.dictionaries(st.text(max_size=5), values, max_size=5))
def test_dumps_is_the_standard_encoding_with_unsafe_characters_escaped(data: dict[str, Any]) -> None:
    expected = rendered._UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", standard({"version": 1, **data}))
    assert rendered.dumps(data) == expected


def test_keys_that_are_not_strings_are_written_as_json_writes_them() -> None:
    assert (
        rendered.dumps({"by": {2: "b", 1: "a"}}, version=False) == '{\n  "by": {\n    "1": "a",\n    "2": "b"\n  }\n}\n'
    )


@settings(max_examples=examples(300))
@given(st.dictionaries(st.integers() | st.booleans() | st.floats(), plain, max_size=5))
def test_number_and_boolean_keys_are_written_as_json_writes_them(data: dict[Any, Any]) -> None:
    assert rendered._indented({"by": data, "list": [data]}) == standard({"by": data, "list": [data]})


def test_a_key_json_refuses_is_refused() -> None:
    with pytest.raises(TypeError, match="keys must be str, int, float, bool or None, not tuple"):
        rendered.dumps({"by": {(1, 2): "a"}})


@settings(max_examples=examples(200))
@given(st.dictionaries(st.text(max_size=5), values, max_size=5))
def test_the_pieces_are_the_text(data: dict[str, Any]) -> None:
    assert "".join(rendered.pieces(data)) == rendered.dumps(data)


def test_pieces_are_made_as_they_are_asked_for() -> None:
    made: list[int] = []

    def make(number: int) -> dict[str, Any]:
        made.append(number)
        return {"n": number, "up": ["a", "b"]}

    pieces = rendered.pieces({"rides": rendered.Each(range(10_000), make)})
    first = next(pieces)
    assert first.startswith('{\n  "rides": [\n    {\n      "n": 0,') and 0 < len(made) < 10_000
    rest = list(pieces)
    assert len(rest) > 3 and len(made) == 10_000
    assert first + "".join(rest) == standard(
        {"rides": [{"n": n, "up": ["a", "b"]} for n in range(10_000)], "version": 1}
    )


def test_a_type_json_does_not_know_is_refused_as_before() -> None:
    try:
        rendered.dumps({"when": object()})
    except TypeError as error:
        assert "not JSON serializable" in str(error)
    else:
        raise AssertionError("no TypeError")


def test_a_long_document_is_joined_in_pieces_the_same() -> None:
    data = {"flights": [{"id": f"f{i}", "up": ["a", "b"], "n": i, "x": None} for i in range(5000)]}
    assert rendered.dumps(data, version=False) == standard(data)


def test_plain_data_does_not_go_through_the_pure_python_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the standard encoder was used")

    monkeypatch.setattr(json.JSONEncoder, "iterencode", refuse)
    assert rendered.dumps({"a": [1, "b", None]}, version=False) == '{\n  "a": [\n    1,\n    "b",\n    null\n  ]\n}\n'


@settings(max_examples=examples(1000))
@given(st.integers(-(10**12), 10**12) | st.integers(-30_610_224_000, 253_402_300_799))
def test_times_are_written_as_strftime_writes_them(seconds: int) -> None:
    assert model.iso(seconds) == model._utc(seconds, "%Y-%m-%dT%H:%M:%SZ")
    assert model.iso_date(seconds) == model._utc(seconds, "%Y-%m-%d")


def test_times_by_hand() -> None:
    assert model.iso(0) == "1970-01-01T00:00:00Z"
    assert model.iso(-1) == "1969-12-31T23:59:59Z"
    assert model.iso(1663768440) == "2022-09-21T13:54:00Z"
    assert model.iso_date(-30_610_224_000) == "1000-01-01"
    assert model.iso_date(253_402_300_799) == "9999-12-31"


def test_each_is_written_as_its_list_and_each_item_is_made_when_written() -> None:
    made: list[int] = []

    def make(number: int) -> dict[str, Any]:
        made.append(number)
        return {"n": number, "up": ["a", "b"]}

    each = rendered.Each(range(3), make)
    data = {"rides": each, "empty": rendered.Each((), make)}
    expected = standard({"rides": [make(n) for n in range(3)], "empty": []})
    made.clear()
    assert rendered.dumps(data, version=False) == expected
    assert made == [0, 1, 2]
    # With a key the quick writer leaves to the standard encoder, the list still comes out.
    mixed = {"rides": rendered.Each(range(2), make), "by": {1: "a"}}
    assert rendered.dumps(mixed, version=False) == standard({"rides": [make(0), make(1)], "by": {1: "a"}})
