"""The Python API: docs/api.md's examples run, and each result's to_json() is what the CLI prints."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import BUNDLED, ROOT, Run

import issmanifest

DOC = ROOT / "docs" / "api.md"


def test_every_example_in_the_api_docs_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 5
    namespace: dict[str, object] = {}
    for number, block in enumerate(blocks, 1):
        exec(compile(block, f"{DOC.name}, block {number}", "exec"), namespace)


@pytest.fixture(scope="module")
def record() -> issmanifest.api.Manifest:
    return issmanifest.load(BUNDLED)


def test_show(record: issmanifest.api.Manifest, cli: Callable[..., Run]) -> None:
    run = cli("show", "--at", "2022-12-20T06:00:00Z", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert issmanifest.snapshot(record, "2022-12-20T06:00:00Z").to_json() == run.json()


def test_check(record: issmanifest.api.Manifest, cli: Callable[..., Run]) -> None:
    run = cli("check", "--from", "2021-10-01", "--until", "2023-03-01", "--format", "json")
    assert run.exit_code == 1, run.stderr
    result = issmanifest.check(record, date(2021, 10, 1), datetime(2023, 3, 1, tzinfo=UTC))
    assert result.to_json() == run.json()
    assert not result.passed


def test_check_defaults_as_the_cli(record: issmanifest.api.Manifest, cli: Callable[..., Run]) -> None:
    """No window: from now (ISSMANIFEST_NOW, which the cli fixture fixes) to the horizon; or from the first docking."""
    assert issmanifest.check(record).to_json() == cli("check", "--format", "json").json()
    everything = issmanifest.check(record, everything=True)
    assert everything.to_json() == cli("check", "--all", "--format", "json").json()
    assert len(everything.errors) == 3


def test_diff(record: issmanifest.api.Manifest, cli: Callable[..., Run], tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8").replace('id = "crew-11"', 'id = "crew-11"\ntentative = true', 1)
    revised = tmp_path / "revised.toml"
    revised.write_text(text, encoding="utf-8")
    run = cli("diff", str(BUNDLED), str(revised), "--format", "json")
    assert run.exit_code == 1, run.stderr
    result = issmanifest.diff(record, issmanifest.load(text))
    assert result.to_json() == run.json()
    assert [(change.flight, change.field, change.new) for change in result.changes] == [("crew-11", "tentative", True)]


def test_margins(record: issmanifest.api.Manifest, cli: Callable[..., Run]) -> None:
    run = cli("margins", "--at", "2025-11-01", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert issmanifest.margins(record, "2025-11-01").to_json() == run.json()
    handover = cli("margins", "--at", "2025-11-01", "--handover", "--format", "json")
    assert issmanifest.margins(record, date(2025, 11, 1), handover=True).to_json() == handover.json()


def test_stats(record: issmanifest.api.Manifest, cli: Callable[..., Run]) -> None:
    assert issmanifest.stats(record).to_json() == cli("stats", "--format", "json").json()
    run = cli("stats", "--from", "2020-01-01", "--until", "2026-01-01", "--by", "expedition", "--format", "json")
    assert issmanifest.stats(record, "2020-01-01", "2026-01-01", by="expedition").to_json() == run.json()


def test_instants_in_any_zone_mean_the_same_moment(record: issmanifest.api.Manifest) -> None:
    moscow = timezone(timedelta(hours=3))
    assert (
        issmanifest.snapshot(record, datetime(2022, 7, 28, 3, tzinfo=moscow)).at
        == issmanifest.snapshot(record, "2022-07-28T00:00:00Z").at
    )


@pytest.mark.parametrize(
    ("at", "message"),
    [
        (datetime(2022, 7, 28), "at: a datetime needs a time zone (tzinfo=UTC, for example)"),
        ("28 July", 'at: "28 July" is not a date or date-time (write 2022-07-28 or 2022-07-28T12:00:00Z)'),
        ("1900-01-01", "at: 1900-01-01 is out of range (from 1957-10-04 to 2999-12-31)"),
    ],
)
def test_bad_instants_are_value_errors(record: issmanifest.api.Manifest, at: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        issmanifest.snapshot(record, at)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_a_reversed_window_is_a_value_error(record: issmanifest.api.Manifest) -> None:
    with pytest.raises(ValueError, match="start must come before until"):
        issmanifest.check(record, "2023-01-01", "2022-01-01")
    with pytest.raises(ValueError, match="start must come before until"):
        issmanifest.stats(record, "2023-01-01", "2023-01-01")


def test_load_tells_text_from_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "format").write_text('format = 1\n[station]\nname = "From the file"\n', encoding="utf-8")
    assert issmanifest.load(Path("format")).station.name == "From the file"
    assert issmanifest.load('format = 1\n[station]\nname = "From text"\n').station.name == "From text"
    assert issmanifest.load("format = 1").flights == ()
    with pytest.raises(issmanifest.ManifestError) as caught:
        issmanifest.load("missing.toml")
    assert "missing.toml" in str(caught.value)


def test_findings_carry_datetimes(record: issmanifest.api.Manifest) -> None:
    found = issmanifest.check(record, "2022-12-01", "2023-03-01").errors[0]
    assert (found.rule, found.start_time, found.end_time) == (
        "lifeboat-seats",
        datetime(2022, 12, 14, tzinfo=UTC),
        datetime(2023, 2, 26, 0, 58, tzinfo=UTC),
    )


def test_importing_the_package_imports_no_api_module() -> None:
    """The CLI imports the package on every call: the API's modules must wait until asked for."""
    code = "import sys, issmanifest; print(sorted(m for m in sys.modules if m.startswith('issmanifest')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['issmanifest']"
