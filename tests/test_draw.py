"""render.draw prints check and diff byte for byte as Rich prints the same paragraphs (docs/performance.md)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from issmanifest.engine.rules import check_continuity
from issmanifest.manifest.loading import parse_manifest
from issmanifest.render import screen
from issmanifest.render.draw import Grid, Para, as_rich, draw
from issmanifest.reports.diff import diff_manifests

RECORD = Path(__file__).parent.parent / "manifests" / "iss.toml"
WIDTHS = (40, 80, 100, 120, 200)


def rich_prints(paras: Sequence[Para | Grid], *, width: int, colour: bool, system: str = "standard") -> str:
    """What Rich itself prints of the paragraphs and tables (test_draw_tables.py compares with it too)."""
    from rich.console import Console

    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=colour,
        color_system=system if colour else None,  # type: ignore[arg-type]
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    console.print(as_rich(paras))
    return out.getvalue()


def record_views() -> list[list[Para]]:
    text = RECORD.read_text()
    edited = text.replace("2027-01-01", "2027-02-01", 1).replace("2026-10-01", "2026-03-01", 1)
    assert edited != text
    manifest, other = parse_manifest(text), parse_manifest(edited)
    return [
        screen.check(check_continuity(manifest, None, None)),
        screen.check(check_continuity(other, None, None)),
        screen.diff(diff_manifests(manifest, other)),
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("system", ["standard", "256", "truecolor", None])
def test_the_record_is_drawn_as_rich_prints_it(width: int, system: str | None) -> None:
    for paras in record_views():
        colour = system is not None
        assert draw(paras, width=width, colour=colour) == rich_prints(
            paras, width=width, colour=colour, system=system or "standard"
        )


STYLES = st.sampled_from(["", "bold", "dim", "yellow", "bold red", "bold green", "bold bright_blue", "dim yellow"])
TOKENS = ["a", "b", " ", "  ", "\n", "[bold]", "[/]", "界", "漢字", "e\u0301", "\u3000", "-", "long" * 12]
WORDS = st.lists(st.sampled_from(TOKENS), max_size=30).map("".join)
RUNS = st.lists(st.tuples(WORDS, st.one_of(st.none(), STYLES)), max_size=5)
PARAS = st.lists(
    st.builds(lambda runs, style, indent: Para(runs, style, indent), RUNS, STYLES, st.sampled_from([0, 2, 4])),
    max_size=6,
)


@settings(max_examples=examples(300), deadline=None)
@given(paras=PARAS, width=st.sampled_from(WIDTHS), colour=st.booleans())
def test_any_paragraphs_are_drawn_as_rich_prints_them(paras: list[Para], width: int, colour: bool) -> None:
    assert draw(paras, width=width, colour=colour) == rich_prints(paras, width=width, colour=colour)


def test_extending_keeps_the_inner_styles_under_the_outer() -> None:
    para = Para().add("OK  ", "bold green").extend(Para((("x", "dim"), ("y", None)), "red"))
    assert draw([para], width=20, colour=True) == "\x1b[1;32mOK  \x1b[0m\x1b[2;31mx\x1b[0m\x1b[31my\x1b[0m\n"
