"""What a call imports is its start-up cost (docs/performance.md): guard the modules the cheap paths leave out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import IMPORTS_PROBE, imported_modules


def imported(*args: str, cache: Path) -> set[str]:
    env = {**os.environ, "ISSMANIFEST_NOW": "2026-11-26T12:00:00Z", "ISSMANIFEST_CACHE_DIR": str(cache)}
    env.pop("ISSMANIFEST_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS_PROBE, *args], capture_output=True, text=True, env=env, check=False, timeout=120
    )
    return {name for name in imported_modules(done.stderr) if name.split(".")[0] == "issmanifest"}


def test_version_imports_neither_the_engine_nor_the_reports(tmp_path: Path) -> None:
    modules = imported("--version", cache=tmp_path)
    assert "issmanifest.cli.commands" in modules
    heavy = ("issmanifest.engine.", "issmanifest.reports")  # the engine's words (render's phrasing) are light
    assert not {m for m in modules if m.startswith(heavy) and m != "issmanifest.engine.words"}
    assert not modules & {"issmanifest.api", "issmanifest.manifest.loading", "issmanifest.manifest.validation"}


def test_a_cache_hit_with_a_fixed_now_loads_no_validator(tmp_path: Path) -> None:
    imported("show", cache=tmp_path)  # fills the cache
    for command in ("show", "check"):
        modules = imported(command, cache=tmp_path)
        assert "issmanifest.manifest.cache" in modules
        assert "issmanifest.manifest.validation" not in modules, command
        assert "issmanifest.manifest.fields" not in modules, command
