"""render.draw lays out show's and stations' tables byte for byte as Rich's Table does (docs/performance.md)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from test_draw import rich_prints

from issmanifest.manifest.loading import parse_manifest
from issmanifest.manifest.model import parse_instant
from issmanifest.render import screen
from issmanifest.render.draw import Column, Grid, Para, Unsupported, draw
from issmanifest.reports.snapshot import take_snapshot, take_snapshots

HERE = Path(__file__).parent
WIDTHS = (40, 60, 80, 100, 120, 200)
DATES = ("2000-11-02T12:00:00Z", "2012-06-01T00:00:00Z", "2021-04-24T10:00:00Z", "2026-11-26T12:00:00Z")


def drawn_or_rich(parts: Sequence[Para | Grid], *, width: int, colour: bool) -> str:
    """What the CLI prints: the drawing, or Rich's where the drawing declines."""
    try:
        return draw(parts, width=width, colour=colour)
    except Unsupported:
        return rich_prints(parts, width=width, colour=colour)


@pytest.fixture(scope="module")
def record() -> object:
    return parse_manifest((HERE.parent / "manifests" / "iss.toml").read_text())


def _show_cases() -> list[object]:
    """Every width, date and colour system; the quick run keeps a terminal's usual widths in standard colour and
    one plain width (CI runs them all)."""
    return [
        pytest.param(
            system,
            at,
            width,
            marks=() if (system == "standard" and width in (40, 80, 100)) or (system is None and width == 80) else SLOW,
        )
        for system in ("standard", "256", None)
        for at in DATES
        for width in WIDTHS
    ]


SLOW = pytest.mark.slow


@pytest.mark.parametrize(("system", "at", "width"), _show_cases())
def test_show_on_the_record_is_drawn_as_rich_prints_it(record: object, width: int, at: str, system: str | None) -> None:
    parts = screen.show(take_snapshot(record, parse_instant(at).seconds))  # type: ignore[arg-type]
    colour = system is not None
    expected = rich_prints(parts, width=width, colour=colour, system=system or "standard")
    if width >= 80:  # drawn, not declined, at a terminal's usual widths
        assert draw(parts, width=width, colour=colour) == expected
    assert drawn_or_rich(parts, width=width, colour=colour) == expected


@pytest.mark.parametrize("width", WIDTHS)
def test_stations_are_drawn_as_rich_prints_them(record: object, width: int) -> None:
    tiangong = parse_manifest((HERE.parent / "manifests" / "tiangong.toml").read_text())
    result = take_snapshots([record, tiangong], parse_instant("2026-11-26T12:00:00Z").seconds)  # type: ignore[list-item]
    parts = screen.stations(result)
    assert drawn_or_rich(parts, width=width, colour=True) == rich_prints(parts, width=width, colour=True)


def test_a_narrow_table_shrinks_its_widest_wrapping_column_as_rich_does() -> None:
    grid = Grid(
        (Column("When", no_wrap=True), Column("People", overflow="fold")),
        ((Para((("2027-01-01", None),)), Para((("Kayla Barron, Chris Birch", None),))),),
    )
    # When takes 10 + 1 of padding, People 1 + 25; with 3 of edges and divider 40 > 30, so People shrinks to 16
    # (15 of text): its words wrap.
    expected = [
        " " * 30,
        " " + "When".ljust(11) + " " + " " + "People".ljust(15) + " ",
        " " + "─" * 28 + " ",
        " " + "2027-01-01".ljust(11) + " " + " " + "Kayla Barron,".ljust(15) + " ",
        " " + " " * 11 + " " + " " + "Chris Birch".ljust(15) + " ",
        " " * 30,
    ]
    assert draw([grid], width=30, colour=False).splitlines() == expected
    assert draw([grid], width=30, colour=False) == rich_prints([grid], width=30, colour=False)


STYLES = st.sampled_from(["", "bold", "dim", "yellow", "bold red", "bold bright_blue"])
TOKENS = ["a", "bc", " ", "  ", "[bold]", "[/]", "界", "漢字", "e\u0301", "\u3000", "-", "long" * 6, ""]
WORDS = st.lists(st.sampled_from(TOKENS), max_size=12).map("".join)
CELLS = st.builds(
    lambda runs, style: Para(runs, style), st.lists(st.tuples(WORDS, st.one_of(st.none(), STYLES)), max_size=3), STYLES
)
COLUMNS = st.builds(
    Column,
    st.sampled_from(["Person", "Nat.", "", "When (UTC)", "漢字", "Returns on"]),
    st.sampled_from(["left", "right"]),
    no_wrap=st.booleans(),
    overflow=st.sampled_from(["fold", "ellipsis", "crop"]),
)


@st.composite
def grids(draw_: st.DrawFn) -> Grid:
    columns = tuple(draw_(st.lists(COLUMNS, min_size=1, max_size=6)))
    rows = draw_(st.lists(st.tuples(*[CELLS] * len(columns)), max_size=4))
    title = draw_(st.one_of(st.none(), CELLS))
    return Grid(columns, tuple(rows), title)


@settings(max_examples=examples(300), deadline=None)
@given(grid=grids(), width=st.sampled_from((20, *WIDTHS)), colour=st.booleans())
def test_any_table_is_drawn_as_rich_prints_it(grid: Grid, width: int, colour: bool) -> None:
    assert drawn_or_rich([grid], width=width, colour=colour) == rich_prints([grid], width=width, colour=colour)


def test_two_spans_of_one_style_cut_short_stay_two_as_in_rich() -> None:
    cell = Para((("a", "bold"), ("aaaaaaaaa", "bold"), ("aaaaaaaaa", None)), "yellow")
    grid = Grid((Column("Nat.", no_wrap=True, overflow="fold"),), ((cell,),))
    drawn = draw([grid], width=20, colour=True)
    assert " \x1b[1;33ma\x1b[0m\x1b[1;33maaaaaaaaa\x1b[0m\x1b[33maaaaaaaa\x1b[0m \n" in drawn
    assert drawn == rich_prints([grid], width=20, colour=True)


def test_a_style_the_drawing_does_not_know_is_left_to_rich() -> None:
    cell = Para((("62", "grey62"), (" on", "red on white")), "bold")
    grid = Grid((Column("Shade"),), ((cell,),), Para((("grey", "grey62"),)))
    with pytest.raises(Unsupported):
        draw([grid], width=40, colour=True)
    assert drawn_or_rich([grid], width=40, colour=True) == rich_prints([grid], width=40, colour=True)
