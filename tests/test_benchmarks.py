"""benchmarks/measure.py measures what run.py's verdicts rest on: tomllib's memory, and which parser ran."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate

MEASURE = ROOT / "benchmarks" / "measure.py"


def measure(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(MEASURE), *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.slow  # a child process measuring a generated manifest: CI runs it
def test_tomllib_memory_rise_is_not_hidden_by_a_large_parent(tmp_path: Path) -> None:
    # run.py holds generated manifests when it starts measure.py; a child's ru_maxrss starts at its
    # parent's peak, which hid tomllib's whole rise on files of 1,000 flights (reported as 0).
    path = tmp_path / "m.toml"
    path.write_text(generate(2_000))
    ballast = b"\1" * (400 * 1024 * 1024)  # written, so resident
    result = measure("parse", str(path))
    del ballast
    assert result["kib"] >= 1024, result


@pytest.mark.slow  # a child process measuring a generated manifest: CI runs it
def test_a_diff_baseline_holds_both_documents(tmp_path: Path) -> None:
    one, other = tmp_path / "one.toml", tmp_path / "other.toml"
    one.write_text(generate(2_000))
    other.write_text(generate(2_000, shift=10))
    single = measure("parse", str(one))["kib"]
    both = measure("parse", str(one), str(other))["kib"]
    assert both >= 1.6 * single > 0, (single, both)


def test_run_times_the_parse_apart_and_names_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(generate(200))
    result = measure("run", "check", str(path), "--all", "--format", "json", env={"ISSMANIFEST_PARSER": "tomllib"})
    assert result["parsers"] == {"tomllib": 1}
    assert 0 < result["parse_cpu"] <= result["cpu"]
    assert 0 < result["parse"] <= result["seconds"]
