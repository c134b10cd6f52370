"""Every command's output on the bundled record, byte for byte, against the copy kept in tests/golden/.

A guard for refactoring: moving code must not change what anyone sees. When a
change of output is meant, regenerate with `ISSMANIFEST_GOLDEN=update python -m
pytest tests/test_golden.py`, then read `git diff tests/golden` line by line
before committing: the diff is the change users will see.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import BUNDLED, ROOT

GOLDEN = ROOT / "tests" / "golden"
FORMATS = ("table", "text", "json", "csv")

COMMANDS: dict[str, tuple[str, ...]] = {
    **{f"show-{f}": ("show", "--format", f) for f in (*FORMATS, "open-notify")},
    **{f"show-2022-12-20-{f}": ("show", "--at", "2022-12-20", "--format", f) for f in FORMATS},
    "show-2022-07-28-json": ("show", "--at", "2022-07-28", "--format", "json"),
    "show-2000-01-01-text": ("show", "--at", "2000-01-01", "--format", "text"),
    **{f"check-{f}": ("check", "--format", f) for f in (*FORMATS, "github")},
    **{f"check-all-{f}": ("check", "--all", "--format", f) for f in (*FORMATS, "github")},
    "check-readme-table": ("check", "--from", "2021-10-01", "--until", "2023-03-01", "--format", "table"),
    **{f"timeline-{f}": ("timeline", "--from", "2022-06-01", "--until", "2023-10-01", "--format", f) for f in FORMATS},
    **{f"stats-{f}": ("stats", "--format", f) for f in FORMATS},
    "stats-readme-table": ("stats", "--from", "2020-01-01", "--until", "2026-01-01", "--format", "table"),
    **{f"margins-2025-11-01-{f}": ("margins", "--at", "2025-11-01", "--format", f) for f in FORMATS},
    "slip-soyuz-ms-29-14": ("slip", "soyuz-ms-29", "14"),
    "ground-soyuz-ms-22": ("ground", "soyuz-ms-22", "2022-12-15"),
    "dump": ("dump",),
    "schema": ("schema",),
}

# The second revision of `diff`: the record with Soyuz MS-22 grounded a day later and Crew-5's crew shuffled.
DIFFS: dict[str, tuple[str, ...]] = {f"diff-{f}": ("diff", str(BUNDLED), "{revised}", "--format", f) for f in FORMATS}


def _revised(path: Path) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    text, moved = re.subn(r"grounded = 2022-12-14\S*", "grounded = 2022-12-15T00:00:00Z", text, count=1)
    assert moved == 1, "the record no longer grounds Soyuz MS-22 on 2022-12-14: pick another revision"
    path.write_text(text, encoding="utf-8")
    return path


def _golden(name: str, text: str) -> None:
    kept = GOLDEN / f"{name}.txt"
    if os.environ.get("ISSMANIFEST_GOLDEN") == "update":
        kept.write_text(text, encoding="utf-8")
        return
    assert kept.exists(), f"no golden copy of {name}: regenerate (see this module's docstring)"
    assert text == kept.read_text(encoding="utf-8"), f"{name} changed: regenerate and read the diff if meant"


def _captured(run) -> str:  # type: ignore[no-untyped-def]
    text = f"exit {run.exit_code}\n--- stdout\n{run.stdout}--- stderr\n{run.stderr}"
    return text.replace(str(ROOT), "ROOT")  # the checkout's folder differs from machine to machine


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_output_is_as_kept(cli, name: str) -> None:
    _golden(name, _captured(cli(*COMMANDS[name])))


@pytest.mark.parametrize("name", sorted(DIFFS))
def test_diff_output_is_as_kept(cli, tmp_path: Path, name: str) -> None:
    revised = str(_revised(tmp_path / "revised.toml"))
    args = tuple(revised if arg == "{revised}" else arg for arg in DIFFS[name])
    text = _captured(cli(*args)).replace(revised, "REVISED").replace(str(BUNDLED), "BUNDLED")
    _golden(name, text)
