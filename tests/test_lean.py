"""The work after parsing kept small: the JSON writer's memory, the garbage collector off while a command runs."""

from __future__ import annotations

import gc
import json
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Run, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from issmanifest.manifest import loading
from issmanifest.render.json import _UNSAFE, dumps

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate

# Text without the characters dumps escapes beyond json's own: for the rest, the standard library's layout.
text = st.text(max_size=8).filter(lambda value: not _UNSAFE.search(value))
plain = st.none() | st.booleans() | st.integers() | st.floats() | text
documents = st.dictionaries(
    text,
    st.recursive(
        plain,
        lambda inner: st.lists(inner, max_size=6) | st.dictionaries(text, inner, max_size=6),
        max_leaves=40,
    ),
    max_size=6,
)


@settings(max_examples=examples(150))
@given(documents)
def test_json_is_what_json_dumps_writes(document: dict[str, Any]) -> None:
    assert dumps(document, version=False) == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_json_of_many_records_is_joined_as_it_goes() -> None:
    records = {"upcoming": [{"flight": f"F{i}", "up": ["a", "b"], "tentative": False} for i in range(5_000)]}
    text = dumps(records, version=False)  # once before measuring: the encoder's own first-call allocations
    assert text == json.dumps(records, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    tracemalloc.start()
    try:
        dumps(records, version=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # A list of every token (json.dumps with an indent) is about six times the text; the text itself, twice.
    assert peak < 3 * len(text), (peak, len(text))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("generated")
    path, shifted = folder / "g.toml", folder / "g-shifted.toml"
    path.write_text(generate(300, seed=3))
    shifted.write_text(generate(300, seed=3, shift=10))
    return path, shifted


def _commands(path: Path, shifted: Path) -> list[list[str]]:
    return [
        ["check", str(path), "--all", "--format", "json"],
        ["show", str(path), "--at", "2030-01-01", "--format", "json"],
        ["show", str(path), "--at", "2030-01-01"],
        ["diff", str(path), str(shifted), "--format", "json"],
    ]


def test_commands_run_with_the_collector_off_and_turn_it_back_on(
    cli: Callable[..., Run], generated: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    load = loading.load_manifest

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return load(*args, **kwargs)

    monkeypatch.setattr(loading, "load_manifest", watched)
    monkeypatch.setenv("ISSMANIFEST_CACHE", "off")
    assert gc.isenabled()
    for args in _commands(*generated):
        result = cli(*args)
        assert result.exit_code in (0, 1), result.stderr
        assert gc.isenabled()
    assert seen and not any(seen)


def test_commands_make_no_reference_cycles(cli: Callable[..., Run], generated: tuple[Path, Path]) -> None:
    # What makes turning the collector off safe: what a command drops, counting references frees.
    for args in _commands(*generated):
        gc.collect()
        gc.disable()
        try:
            result = cli(*args)
            assert result.exit_code in (0, 1), result.stderr
            found = gc.collect()
        finally:
            gc.enable()
        # A few dozen are the runner's and json's own (its encoder's closures), whatever the manifest's size.
        assert found < 200, (args, found)
