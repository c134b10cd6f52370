"""A corpus of broken manifests: each file says, in `# expect:` lines, exactly what issmanifest prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

CORPUS = sorted((ROOT / "tests" / "broken").glob("*.toml"))


def expectations(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    return [line.removeprefix("# expect: ").rstrip("\r") for line in text.splitlines() if line.startswith("# expect: ")]


def test_the_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 40


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.stem)
def test_a_broken_manifest_gives_its_exact_message(cli, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(path.parent)
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect:' line"
    run = cli("check", path.name, "--all")
    assert run.exit_code == 2, run.stdout + run.stderr
    assert run.stdout == ""
    assert run.stderr.splitlines() == expected
