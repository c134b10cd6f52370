"""Large output goes to standard output in pieces, so the stream never encodes a second copy of all of it."""

from __future__ import annotations

import io
import sys

import pytest

from issmanifest.cli import output


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
