"""render.draw's own measure of text and its line breaking agree with the installed Rich's: a Rich whose behaviour
differs fails here loudly (rich is pinned to the major version this was written against, in pyproject.toml)."""

from __future__ import annotations

from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import cells
from rich._wrap import divide_line as rich_divide_line

from issmanifest.render import draw

PIECES = ["a", " ", "  ", "-", "⇄", "界", "e\u0301", "\u3000", "…", "─", "\u00e9", "ж", "\u200d", "\ufe0f", "long" * 4]
TEXT = st.lists(
    st.one_of(st.sampled_from(PIECES), st.characters(codec="utf-8", exclude_categories=("Cs",))), max_size=30
).map("".join)


def test_the_crossing_mark_and_the_box_rule_are_one_cell_in_rich() -> None:
    assert cells.cell_len("⇄") == 1
    assert cells.cell_len("─") == 1


@settings(max_examples=examples(500), deadline=None)
@given(text=TEXT, width=st.integers(1, 30))
def test_cells_are_measured_cut_and_chopped_as_rich_does(text: str, width: int) -> None:
    assert draw.cell_len(text) == cells.cell_len(text)
    assert draw.set_cell_size(text, width) == cells.set_cell_size(text, width)
    assert draw.chop_cells(text, width) == cells.chop_cells(text, width)


@settings(max_examples=examples(500), deadline=None)
@given(text=TEXT, width=st.integers(1, 30), fold=st.booleans())
def test_lines_are_broken_where_rich_breaks_them(text: str, width: int, fold: bool) -> None:
    assert draw.divide_line(text, width, fold=fold) == rich_divide_line(text, width, fold=fold)
