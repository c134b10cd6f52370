"""benchmarks/measure.py starts the clock after the package is imported: the commands import theirs lazily."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate


def test_no_module_of_the_package_or_the_parser_is_imported_on_the_clock(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(generate(50))
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "measure.py"), "run", "show", str(path), "--format", "json"],
        env={**os.environ, "ISSMANIFEST_PARSER": "tomllib"},
        capture_output=True,
        text=True,
        check=True,
    )
    late = json.loads(done.stdout)["late_imports"]
    assert not [name for name in late if name.startswith(("issmanifest", "tomllib", "tomli", "json"))], late
