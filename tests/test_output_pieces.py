"""Large output goes to standard output in pieces, so the stream never encodes a second copy of all of it."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import BUNDLED, ROOT

from issmanifest.cli import output
from issmanifest.manifest import canonical
from issmanifest.manifest.loading import parse_manifest
from issmanifest.manifest.model import Flight
from issmanifest.render import formats
from issmanifest.render import json as rendered
from issmanifest.reports.snapshot import take_snapshot
from issmanifest.reports.stats import station_stats
from issmanifest.reports.swaps import list_swaps

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate


class Recording(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[int] = []

    def write(self, text: str) -> int:
        self.pieces.append(len(text))
        return super().write(text)


def test_a_large_text_is_written_in_pieces_of_at_most_a_mebicharacter(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = Recording()
    monkeypatch.setattr(sys, "stdout", stream)
    text = "".join(f"line {number} é\n" for number in range(300_000))  # about 4.2 million characters
    output.write(text, json_text=True)
    assert stream.getvalue() == text
    assert len(stream.pieces) >= 4 and max(stream.pieces) <= 1 << 20


def test_a_small_text_is_one_write_and_gets_its_line_break(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = Recording()
    monkeypatch.setattr(sys, "stdout", stream)
    output.write("abc")
    output.write("")
    assert stream.getvalue() == "abc\n"


def test_lines_are_written_a_batch_at_a_time_as_they_come(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = Recording()
    monkeypatch.setattr(sys, "stdout", stream)
    made = 0

    def lines() -> Iterator[str]:
        nonlocal made
        for number in range(10_000):
            made += 1
            if number == 5000:
                assert stream.pieces, "nothing written before every line was made"
            yield f"fact {number}"

    output.write_lines(lines())
    assert stream.getvalue() == "".join(f"fact {number}\n" for number in range(10_000))
    assert made == 10_000 and len(stream.pieces) == 3


def test_dump_makes_its_facts_as_they_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = parse_manifest(BUNDLED.read_text(), "iss.toml")
    seen: list[str] = []
    original = canonical.flight_facts

    def counted(flight: Flight) -> dict[str, canonical.Value]:
        seen.append(flight.id)
        return original(flight)

    monkeypatch.setattr(canonical, "flight_facts", counted)
    lines = canonical.dump_lines(manifest)
    assert next(lines) == "format 1"
    assert seen == []
    rest = list(lines)
    assert len(seen) == len(manifest.flights) and rest[-1]


def test_dump_prints_the_facts_a_line_each(cli: Callable[..., Any]) -> None:
    result = cli("dump", str(BUNDLED))
    manifest = parse_manifest(BUNDLED.read_text(), "iss.toml")
    assert result.exit_code == 0
    assert result.stdout == "".join(f"{line}\n" for line in canonical.dump_lines(manifest))


def test_json_reports_are_printed_in_pieces_made_as_they_are_written() -> None:
    manifest = parse_manifest(generate(600, seed=3), "600.toml")
    result = list_swaps(manifest, start=None, end=None, now=manifest.horizon)
    pieces = formats.json_pieces().swaps
    assert pieces is not None
    written = list(pieces(result))
    assert len(written) > 1
    assert "".join(written) == rendered.swaps(result)


def test_json_pieces_of_every_view_join_to_the_json_renderers_text() -> None:
    manifest = parse_manifest(BUNDLED.read_text(), "iss.toml")
    snapshot = take_snapshot(manifest, manifest.flights[-3].dock.seconds)
    whole, pieces = formats.json(), formats.json_pieces()
    assert whole.show is not None and pieces.show is not None
    assert "".join(pieces.show(snapshot)) == whole.show(snapshot)
    assert whole.stats is not None and pieces.stats is not None
    stats = station_stats(manifest, manifest.first or 0, manifest.horizon or 0)
    assert "".join(pieces.stats(stats)) == whole.stats(stats)


def test_pieces_to_a_stream_that_cannot_encode_get_json_escapes(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    output.write_pieces(['{\n  "name": "Zo', 'ë"\n}'], json_text=True)
    stream.flush()
    assert raw.getvalue() == b'{\n  "name": "Zo\\u00eb"\n}\n'
