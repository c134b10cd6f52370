"""Lint and types: ruff and mypy (strict) pass on the package, run as part of the suite so CI runs them."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "command",
    [("check", "issmanifest", "tests", "benchmarks"), ("format", "--check", "issmanifest", "tests", "benchmarks")],
)
def test_ruff(command: tuple[str, ...]) -> None:
    ruff = shutil.which("ruff") or str(__import__("pathlib").Path(sys.executable).parent / "ruff")
    result = run(ruff, *command)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr
