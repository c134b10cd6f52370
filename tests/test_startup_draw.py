"""`check` and `diff` in the table format, as on a terminal, print without importing Rich's console."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import IMPORTS_PROBE, imported_modules

RECORD = str(Path(__file__).parent.parent / "manifests" / "iss.toml")


def test_check_and_diff_in_colour_import_no_rich_console(tmp_path: Path) -> None:
    env = {**os.environ, "ISSMANIFEST_NOW": "2026-11-26T12:00:00Z", "ISSMANIFEST_CACHE_DIR": str(tmp_path)}
    env |= {"TTY_COMPATIBLE": "1", "COLUMNS": "100", "TERM": "xterm-256color", "PYTHONIOENCODING": "utf-8"}
    for args in (["check", RECORD, "--format", "table"], ["diff", RECORD, RECORD, "--format", "table"]):
        done = subprocess.run(
            [sys.executable, "-c", IMPORTS_PROBE, *args], capture_output=True, text=True, env=env, check=False
        )
        assert "\x1b[1m" in done.stdout, done.stderr
        assert "rich.console" not in imported_modules(done.stderr), args
