from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from typer import _click as click
from typer.testing import CliRunner

from issmanifest.cli.commands import app
from issmanifest.manifest.loading import parse_manifest
from issmanifest.manifest.model import Manifest, parse_instant

ROOT = Path(__file__).resolve().parent.parent

# CI (which sets CI=true) runs everything in full: every property test's examples and the tests
# marked slow. A developer's run takes a fifth of the examples and leaves the slow tests to CI, so it
# stays about a minute on a 2-core machine; ISSMANIFEST_SLOW=1 runs it all here too.
FULL_RUN = bool(os.environ.get("CI") or os.environ.get("ISSMANIFEST_SLOW"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave the slow tests to CI (the summary counts them as deselected) unless asked for them."""
    if FULL_RUN or config.getoption("markexpr"):
        return
    slow = [item for item in items if "slow" in item.keywords]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if "slow" not in item.keywords]


def examples(full: int) -> int:
    """How many Hypothesis examples a property test runs here: all of them in CI, a fifth elsewhere."""
    return full if FULL_RUN else max(10, full // 5)


BUNDLED = ROOT / "manifests" / "iss.toml"

PEOPLE = """
[people]
nasa1 = { name = "Ann Able", agency = "NASA", nationality = "US" }
nasa2 = { name = "Bob Baker", agency = "NASA", nationality = "US" }
nasa3 = { name = "Cid Carter", agency = "NASA", nationality = "US" }
nasa4 = { name = "Dee Dunn", agency = "NASA", nationality = "US" }
ru1 = { name = "Ivan Ivanov", agency = "Roscosmos", nationality = "RU" }
ru2 = { name = "Pyotr Petrov", agency = "Roscosmos", nationality = "RU" }
ru3 = { name = "Oleg Orlov", agency = "Roscosmos", nationality = "RU" }
ru4 = { name = "Yuri Yurin", agency = "Roscosmos", nationality = "RU" }
esa1 = { name = "Eva Eder", agency = "ESA", nationality = "DE" }
jp1 = { name = "Jun Jo", agency = "JAXA", nationality = "JP" }
"""


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, str) and (value[:1].isdigit() or value[:1] in "[{"):
        return value  # a date, date-time, array or inline-table literal
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)


def flight(
    id: str,
    dock: str,
    undock: str | None = None,
    up: tuple[str, ...] | list[str] = (),
    *,
    vehicle: str = "Soyuz MS",
    **fields: Any,
) -> str:
    """A [[flights]] table; times are TOML literals ("2022-01-01T00:00:00Z" or "2022-01-01")."""
    lines = [
        "[[flights]]",
        f'id = "{id}"',
        f'vehicle = "{vehicle}"',
        f"launch = {fields.pop('launch', dock)}",
        f"dock = {dock}",
    ]
    if undock is not None:
        lines.append(f"undock = {undock}")
    lines.append(f"up = {toml_value(list(up))}")
    for key, value in fields.items():
        lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def manifest_text(*flights: str, header: str = "", people: str = PEOPLE) -> str:
    return "format = 1\n" + header + people + "\n" + "\n".join(flights)


def build(*flights: str, header: str = "", people: str = PEOPLE) -> Manifest:
    return parse_manifest(manifest_text(*flights, header=header, people=people), "test.toml")


def t(text: str) -> int:
    """Seconds since the epoch of a date or date-time written as on the command line."""
    return parse_instant(text).seconds


# Runs the entry point as the installed script does, then writes every module it imported, as JSON, on the
# last line of standard error: tests of start-up read it with `imported_modules`.
IMPORTS_PROBE = """
import json, sys
sys.argv = ["issmanifest", *sys.argv[1:]]
try:
    from issmanifest.cli.commands import main
    main()
except SystemExit:
    pass
sys.__stderr__.write("\\n" + json.dumps(sorted(sys.modules)))
"""


def imported_modules(stderr: str) -> set[str]:
    """The modules an `IMPORTS_PROBE` run imported, from its standard error."""
    return set(json.loads(stderr.splitlines()[-1]))


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the manifest cache of the tests (and the processes they start) out of the user's."""
    previous = os.environ.get("ISSMANIFEST_CACHE_DIR")
    os.environ["ISSMANIFEST_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        del os.environ["ISSMANIFEST_CACHE_DIR"]
    else:
        os.environ["ISSMANIFEST_CACHE_DIR"] = previous


_COMMAND = typer.main.get_command(app)


def _command_of(target: typer.Typer) -> click.Command:
    """Typer's runner builds the Click command anew on every call (~30 ms); the app never changes here."""
    return _COMMAND if target is app else typer.main.get_command(target)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run the CLI in-process with a fixed width, no colour and a fixed 'now'."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("ISSMANIFEST_NOW", "2026-11-26T12:00:00Z")
    runner = CliRunner()
    monkeypatch.setattr(typer.testing, "_get_command", _command_of)

    def invoke(*args: str, input: str | bytes | None = None) -> Run:
        result = runner.invoke(app, list(args), input=input)
        return Run(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def write(tmp_path: Path) -> Iterator[Callable[[str, str], Path]]:
    def write_file(text: str, name: str = "m.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    yield write_file
