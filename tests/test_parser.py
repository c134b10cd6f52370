"""The optional fast parser (issmanifest[fast], tomli) reads every manifest as tomllib does, and says errors alike."""

from __future__ import annotations

import builtins
import inspect
import math
import sys
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

import pytest
import tomli
from conftest import ROOT, examples
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import manifest_texts

from issmanifest.manifest import loading
from issmanifest.manifest.loading import bundled_manifests, parse_manifest
from issmanifest.manifest.problems import ManifestError, report_lines

BROKEN = sorted((ROOT / "tests" / "broken").glob("*.toml"))


def read(text: str, monkeypatch: pytest.MonkeyPatch, parser: str) -> object:
    """What parse_manifest makes of a text with the parser forced: the Manifest, or the lines it prints."""
    if parser == "tomllib":
        monkeypatch.setenv("ISSMANIFEST_PARSER", "tomllib")
    else:
        monkeypatch.delenv("ISSMANIFEST_PARSER", raising=False)
    try:
        return parse_manifest(text, "m.toml")
    except ManifestError as error:
        return report_lines(error.problems)


@pytest.fixture
def tomli_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text tomli is asked to read."""
    calls: list[str] = []
    real = tomli.loads

    def counting(text: str, **options: Any) -> dict[str, Any]:
        calls.append(text)
        return real(text, **options)

    monkeypatch.setattr(tomli, "loads", counting)
    return calls


def both(text: str, monkeypatch: pytest.MonkeyPatch, tomli_calls: list[str]) -> tuple[object, object]:
    del tomli_calls[:]
    fast = read(text, monkeypatch, "tomli")
    assert tomli_calls == [text]  # the fast path was taken
    slow = read(text, monkeypatch, "tomllib")
    assert tomli_calls == [text]  # and the forced one did not touch tomli
    return fast, slow


@pytest.mark.parametrize("path", bundled_manifests(), ids=lambda path: path.stem)
def test_the_bundled_records_give_the_same_manifest_from_both_parsers(path: Path, monkeypatch, tomli_calls) -> None:
    fast, slow = both(path.read_text(encoding="utf-8"), monkeypatch, tomli_calls)
    assert not isinstance(fast, list), fast
    assert fast == slow
    assert list(fast.people) == list(slow.people)  # same order of keys, not only equal
    assert list(fast.agencies) == list(slow.agencies)


def load(path: Path, monkeypatch: pytest.MonkeyPatch, parser: str) -> object:
    """The Manifest from a file with the parser forced, or the lines loading it prints (the rules come later)."""
    monkeypatch.setenv("ISSMANIFEST_CACHE", "off")
    if parser == "tomllib":
        monkeypatch.setenv("ISSMANIFEST_PARSER", "tomllib")
    else:
        monkeypatch.delenv("ISSMANIFEST_PARSER", raising=False)
    try:
        return loading.load_manifest(path, path.name)
    except ManifestError as error:
        return report_lines(error.problems)


@pytest.mark.parametrize("path", BROKEN, ids=lambda path: path.stem)
def test_every_broken_manifest_gives_the_same_message_from_both_parsers(path: Path, monkeypatch, tomli_calls) -> None:
    fast = load(path, monkeypatch, "tomli")
    read_by_tomli = len(tomli_calls)
    slow = load(path, monkeypatch, "tomllib")
    assert len(tomli_calls) == read_by_tomli
    assert fast == slow
    if not isinstance(slow, list):
        return  # loads; `check --all` finds what is wrong (tests/test_broken.py)
    expected = [
        line.removeprefix("# expect: ").rstrip("\r")
        for line in path.read_bytes().decode("utf-8", "replace").splitlines()
        if line.startswith("# expect: ")
    ]
    assert slow == expected


def test_the_broken_corpus_goes_through_tomli(monkeypatch, tomli_calls) -> None:
    for path in BROKEN:
        load(path, monkeypatch, "tomli")
    assert len(tomli_calls) >= len(BROKEN) - 5  # all but the empty, undecodable and too large ones


def test_tomllib_forced_never_imports_tomli(monkeypatch) -> None:
    monkeypatch.setenv("ISSMANIFEST_PARSER", "tomllib")
    monkeypatch.delitem(sys.modules, "tomli")
    real_import = builtins.__import__

    def guarded(name: str, *args: Any, **kwargs: Any) -> Any:
        assert name != "tomli", "tomli imported with ISSMANIFEST_PARSER=tomllib"
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", guarded)
    manifest = parse_manifest(bundled_manifests()[0].read_text(encoding="utf-8"))
    assert manifest.flights
    assert "tomli" not in sys.modules


def test_without_tomli_installed_tomllib_reads(monkeypatch) -> None:
    monkeypatch.delenv("ISSMANIFEST_PARSER", raising=False)
    monkeypatch.setitem(sys.modules, "tomli", None)  # import tomli raises ImportError
    manifest = parse_manifest(bundled_manifests()[0].read_text(encoding="utf-8"))
    assert manifest.flights


@pytest.mark.parametrize(
    "failure", [ValueError("boom"), RecursionError(), MemoryError(), tomli.TOMLDecodeError("x", "y", 0)]
)
def test_any_failure_of_the_fast_parser_is_read_again_by_tomllib(monkeypatch, failure: BaseException) -> None:
    monkeypatch.delenv("ISSMANIFEST_PARSER", raising=False)

    calls: list[str] = []

    def failing(text: str, **options: Any) -> dict[str, Any]:
        calls.append(text)
        raise failure

    monkeypatch.setattr(tomli, "loads", failing)
    text = bundled_manifests()[0].read_text(encoding="utf-8")
    assert parse_manifest(text, "m.toml") == read(text, monkeypatch, "tomllib")
    broken = "format = 1\nflights = [\n"
    monkeypatch.delenv("ISSMANIFEST_PARSER")
    with pytest.raises(ManifestError) as error:
        parse_manifest(broken, "m.toml")
    assert report_lines(error.value.problems) == read(broken, monkeypatch, "tomllib")
    assert calls == [text, broken]


def test_a_document_tomli_reads_but_tomllib_cannot_gives_tomllibs_message(monkeypatch) -> None:
    # Compiled tomli has no Python recursion limit (its own is 400 levels): near the limit it reads what tomllib cannot.
    text = "format = 1\nx = " + "[" * 390 + "]" * 390 + "\n"
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 200)
    try:
        assert tomli.loads(text)
        fast = read(text, monkeypatch, "tomli")
        slow = read(text, monkeypatch, "tomllib")
    finally:
        sys.setrecursionlimit(limit)
    assert fast == slow == ["m.toml:2:5: TOML syntax: arrays or inline tables nested 390 deep, too deep to read"]


def test_an_unknown_parser_is_a_one_line_error(cli, monkeypatch) -> None:
    monkeypatch.setenv("ISSMANIFEST_PARSER", "rtoml")
    run = cli("check")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        'issmanifest: ISSMANIFEST_PARSER: unknown parser "rtoml" '
        "(set tomllib to use the standard library's parser, or leave it unset)"
    ]


@pytest.mark.parametrize("value", ["tomllib", "TOMLLIB", "tomli", ""])
def test_the_known_parser_names_are_accepted(cli, monkeypatch, value: str) -> None:
    monkeypatch.setenv("ISSMANIFEST_PARSER", value)
    run = cli("check")
    assert run.exit_code == 0, run.stderr


# -- generated documents: TOML texts built from valid pieces --

OFFSETS = st.sampled_from(["Z", "z", "+00:00", "-00:00", "+05:30", "-08:00", "+14:00", "-12:00", "+23:59"])
DAYS = st.dates(date(1, 1, 1), date(9999, 12, 31))
TIMES = st.times()
ESCAPES = st.sampled_from(['\\"', "\\\\", "\\n", "\\t", "\\b", "\\f", "\\r", "\\u00e9", "\\U0001F680", "\\u0000"])
PLAIN = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\\'), max_size=8)


def clock(value: time, fraction: bool) -> str:
    text = value.strftime("%H:%M:%S")
    return text + (f".{value.microsecond:06d}".rstrip("0") or "") if fraction and value.microsecond else text


@st.composite
def values(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["offset", "local", "date", "time", "string", "literal", "int", "float", "array"]))
    if kind == "offset":
        return f"{draw(DAYS).isoformat()}{draw(st.sampled_from('Tt '))}{clock(draw(TIMES), draw(st.booleans()))}{draw(OFFSETS)}"
    if kind == "local":
        return f"{draw(DAYS).isoformat()}T{clock(draw(TIMES), draw(st.booleans()))}"
    if kind == "date":
        return draw(DAYS).isoformat()
    if kind == "time":
        return clock(draw(TIMES), draw(st.booleans()))
    if kind == "string":
        return '"' + "".join(draw(st.lists(st.one_of(PLAIN, ESCAPES), max_size=5))) + '"'
    if kind == "literal":
        return "'" + draw(PLAIN).replace("'", "") + "'"
    if kind == "int":
        return str(draw(st.integers(-(2**63), 2**63 - 1)))
    if kind == "float":
        number = draw(st.floats(allow_nan=False, allow_infinity=False))
        return repr(number) if "e" in repr(number) or "." in repr(number) else repr(number) + ".0"
    return "[" + ", ".join(draw(st.lists(values(), max_size=3))) + "]"


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = [f"k{index} = {draw(values())}" for index in range(draw(st.integers(1, 6)))]
    if draw(st.booleans()):
        lines.append(f"[t]\nx = {{ a = {draw(values())}, b = [{draw(values())}] }}")
    return "\n".join(lines) + "\n"


def same(a: object, b: object) -> bool:
    """Equal, of the same types all the way down, date-times with the same offset and `timezone` tzinfo."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[key], b[key]) for key in a)  # type: ignore[index]
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))  # type: ignore[arg-type]
    if isinstance(a, datetime | time) and a.tzinfo is not None:
        return type(a.tzinfo) is type(b.tzinfo) is timezone and a == b and a.utcoffset() == b.utcoffset()  # type: ignore[union-attr]
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))  # type: ignore[arg-type]
    return a == b


@settings(max_examples=examples(400), deadline=None)
@given(documents())
def test_generated_documents_read_alike(text: str) -> None:
    import tomllib

    assert same(tomli.loads(text), tomllib.loads(text)), text


@settings(max_examples=examples(100), deadline=None)
@given(manifest_texts(max_flights=4, bare_dates=True), OFFSETS, st.lists(st.one_of(PLAIN, ESCAPES), max_size=4))
def test_generated_manifests_give_the_same_result_from_both_parsers(text: str, offset: str, note: list[str]) -> None:
    text = text.replace(
        "+00:00\n", f"{offset}\n"
    )  # tomli-w writes UTC as +00:00.replace('id = "f0"', 'id = "f0"\nnote = "' + "".join(note) + '"', 1)
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast = read(text, monkeypatch, "tomli")
        slow = read(text, monkeypatch, "tomllib")
    assert fast == slow
