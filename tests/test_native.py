"""issmanifest as a native tool: formats, colour, exports, schema, starter, completion, git hooks, packaging."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
import tomllib
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli_w
from conftest import BUNDLED, ROOT, examples, flight, manifest_text
from hypothesis import HealthCheck, given, settings
from strategies import manifest_documents
from typer.main import get_command
from typer.testing import CliRunner

from issmanifest import __version__
from issmanifest.cli.commands import app, for_command
from issmanifest.manifest.loading import parse_manifest
from issmanifest.manifest.problems import ManifestError

SCHEMA = json.loads((ROOT / "schemas" / "manifest-1.schema.json").read_text())
ENV = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
ENV["ISSMANIFEST_NOW"] = "2026-11-26T12:00:00Z"


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real entry point in a subprocess, its stdout a pipe (not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "issmanifest", *args],
        capture_output=True,
        text=True,
        env={**ENV, **(env or {})},
        cwd=cwd,
        check=False,
    )


# -- one command built per call -----------------------------------------------------

COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_a_call_builds_only_its_command_and_behaves_the_same(name: str) -> None:
    narrow = for_command([name, "--help"])
    assert narrow is not app and len(narrow.registered_commands) == 1
    assert sorted(get_command(narrow).commands) == [name]  # type: ignore[attr-defined]
    runner, env = CliRunner(), {"COLUMNS": "100"}
    for args in ([name, "--help"], [name, "--no-such-option"]):
        whole, alone = runner.invoke(app, args, env=env), runner.invoke(narrow, args, env=env)
        assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)


def test_anything_but_a_command_gets_the_whole_app() -> None:
    assert for_command([]) is app and for_command(["--help"]) is app and for_command(["shwo"]) is app
    assert for_command(["--debug", "check", "-"]).registered_commands[0].callback.__name__ == "check"  # type: ignore[union-attr]
    assert "Did you mean 'show'?" in run("shwo").stderr


# -- formats and colour -----------------------------------------------------------


@pytest.mark.slow
def test_python_dash_m_and_version() -> None:
    result = run("--version")
    assert (result.returncode, result.stdout) == (0, f"issmanifest {__version__}\n")
    assert run("--help").stdout.count("show") >= 1


@pytest.mark.slow
def test_piped_output_is_plain_text_and_colour_follows_the_flags() -> None:
    assert run("show", "--at", "2022-07-28").stdout.startswith("at\t2022-07-28T00:00:00Z\n")
    plain = run("show", "--at", "2022-07-28", "--format", "table").stdout
    assert (
        "\x1b[" not in plain
        and "Kjell Lindgren" in plain
        and "By nationality: IT 1 (ESA); RU 3 (Roscosmos); US 3 (NASA)" in plain
    )
    assert "\x1b[" in run("show", "--at", "2022-07-28", "--format", "table", "--color").stdout
    assert "\x1b[" in run("show", "--at", "2022-07-28", "--format", "table", env={"FORCE_COLOR": "1"}).stdout
    forced_off = run("show", "--at", "2022-07-28", "--format", "table", "--no-color", env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in forced_off.stdout


def _on_a_terminal(*args: str, env: dict[str, str] | None = None) -> str:
    """Run with stdout on a pseudo-terminal, as a person at a terminal would."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "issmanifest", *args],
        stdout=secondary,
        stderr=subprocess.DEVNULL,
        env={**ENV, "COLUMNS": "80", "TERM": "xterm-256color", **(env or {})},
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait()
    os.close(main)
    return b"".join(chunks).decode()


@pytest.mark.slow
def test_a_terminal_gets_a_coloured_table_unless_no_color_is_set() -> None:
    coloured = _on_a_terminal("show", "--at", "2022-07-28")
    assert "7 aboard" in coloured and "\x1b[" in coloured
    plain = _on_a_terminal("show", "--at", "2022-07-28", env={"NO_COLOR": "1"})
    assert "7 aboard" in plain and "\x1b[3" not in plain


def test_tables_fit_eighty_columns(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for args in (
        ("show", "--at", "2022-12-20"),
        ("check", "--all"),
        ("timeline",),
        ("diff", str(BUNDLED), str(BUNDLED)),
    ):
        output = cli(*args, "--format", "table").stdout
        assert max(len(line) for line in output.splitlines()) <= 80, args


def test_open_notify_format(cli) -> None:
    data = cli("show", "--station", "iss", "--at", "2022-07-28", "--format", "open-notify").json()
    assert data["message"] == "success" and data["number"] == 7
    assert {person["craft"] for person in data["people"]} == {"ISS"}
    assert "Oleg Artemyev" in {person["name"] for person in data["people"]}
    # the feed's own keys, and the additive ones that tell plans from facts (docs/json.md)
    knowledge = {"number_confirmed", "as_of", "known_until", "beyond_known", "past_last_event"}
    assert set(data) == {"message", "number", "people"} | knowledge


def test_csv_formats_have_a_header_and_one_row_per_item(cli) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("show", "--at", "2022-07-28", "--format", "csv").stdout)))
    assert len(rows) == 7 and rows[0].keys() >= {"person", "name", "nationality", "agency", "returns_on"}
    findings = list(csv.DictReader(io.StringIO(cli("check", "--all", "--format", "csv").stdout)))
    assert [r["start"] for r in findings if r["severity"] == "error"] == [
        "2009-07-02T21:29:00Z",
        "2022-12-14T00:00:00Z",
        "2024-09-06T22:04:00Z",
    ]
    bars = list(csv.DictReader(io.StringIO(cli("timeline", "--format", "csv").stdout)))
    assert {"person", "start", "end"} <= bars[0].keys()


def test_csv_does_not_let_a_spreadsheet_run_a_name(cli, write) -> None:
    people = '[people]\nru1 = { name = "=HYPERLINK(1)", agency = "Roscosmos", nationality = "RU" }\n'
    path = write(manifest_text(flight("a", "2022-01-01", "2022-06-01", ["ru1"]), people=people))
    row = next(csv.DictReader(io.StringIO(cli("show", str(path), "--at", "2022-02-01", "--format", "csv").stdout)))
    assert row["name"] == "'=HYPERLINK(1)"


def test_github_annotations_for_findings_and_load_errors(cli, write) -> None:
    text = manifest_text(
        flight("a", "2022-01-01T00:00:00Z", "2022-03-01T12:00:00Z", ["ru1", "nasa1"]),
        flight("b", "2022-02-01T00:00:00Z", "2022-06-01T00:00:00Z", ["nasa2"]),
        flight("c", "2022-03-01T12:01:00Z", "2022-06-01T00:00:00Z", ["ru2"]),
    )
    path = write(text)
    line = text.splitlines().index('id = "a"') + 1
    result = cli("check", str(path), "--all", "--format", "github")
    assert result.exit_code == 1
    assert (
        f"::error file={path},line={line},title=partner-presence (Roscosmos)::2022-03-01T12:00:00Z to "
        "2022-03-01T12:01:00Z: no Roscosmos crew aboard for 1 min, after a leaves, until c arrives"
    ) in result.stdout.splitlines()
    assert result.stdout.startswith("::notice title=issmanifest check::")
    broken = write(text.replace('"ru2"]', '"ru22"]'), "broken.toml")
    bad = cli("check", str(broken), "--format", "github")
    assert bad.exit_code == 2
    assert bad.stdout.startswith(f"::error file={broken},line=")
    assert '::unknown person "ru22" (did you mean "ru2"?)' in bad.stdout


def test_check_takes_several_manifests_and_exits_with_the_worst(cli, write) -> None:
    good = write(manifest_text(flight("a", "2022-01-01", "2022-06-01", ["ru1", "nasa1"])), "good.toml")
    broken = write("format = 1\nflights = 3\n", "broken.toml")
    both = cli("check", str(good), str(broken), "--all", "--format", "text")
    assert both.exit_code == 2
    assert f"== {good}" in both.stdout and f"== {broken}" in both.stdout
    assert cli("check", str(good), str(good), "--format", "json").exit_code == 2


# -- exports ---------------------------------------------------------------------


@pytest.mark.parametrize("command", [("show", "--at", "2022-07-28"), ("check", "--all"), ("timeline",)])
def test_svg_and_html_save_what_the_terminal_shows(cli, tmp_path: Path, command: tuple[str, ...]) -> None:
    svg, html = tmp_path / "out.svg", tmp_path / "out.html"
    result = cli(*command, "--format", "json", "--svg", str(svg), "--html", str(html))
    assert result.exit_code in (0, 1), result.stderr
    json.loads(result.stdout)
    assert svg.read_text().startswith("<svg") and "</svg>" in svg.read_text()
    assert "<html" in html.read_text().lower()


def test_timeline_marks_gaps_shortfalls_and_now(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    picture = cli(
        "timeline", "--from", "2022-06-01", "--until", "2023-10-01", "--by", "agency", "--format", "table"
    ).stdout
    lines = picture.splitlines()
    assert any(line.startswith("  Frank Rubio") and "█" in line for line in lines)
    assert any(line.startswith("  Dmitry Petelin") and "▓" in line for line in lines)
    short = next(line for line in lines if line.startswith("seats short"))
    assert short.count("!") >= 5
    assert "2023-01" in picture
    now = cli("timeline", "--format", "table").stdout
    assert "▲ now" in now
    gap = cli("timeline", "--from", "2009-07-01", "--until", "2009-07-04", "--format", "table").stdout
    assert "×" in next(line for line in gap.splitlines() if line.startswith("no NASA"))


def test_timeline_json(cli) -> None:
    data = cli("timeline", "--from", "2022-12-01", "--until", "2023-03-01", "--format", "json").json()
    assert (data["from"], data["until"], data["by"]) == ("2022-12-01T00:00:00Z", "2023-03-01T00:00:00Z", "vehicle")
    assert {bar["person"] for bar in data["bars"]} == {
        "prokopyev",
        "petelin",
        "rubio",
        "mann",
        "cassada",
        "wakata",
        "kikina",
    }
    assert [(s["start"], s["end"]) for s in data["shortfalls"]] == [("2022-12-14T00:00:00Z", "2023-02-26T00:58:00Z")]


# -- schema ------------------------------------------------------------------------


def as_json(value: Any) -> Any:
    """A TOML document as check-jsonschema and taplo see it: dates and times as ISO strings."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def schema_accepts(text: str) -> bool:
    try:
        jsonschema.validate(as_json(tomllib.loads(text)), SCHEMA)
    except jsonschema.ValidationError:
        return False
    return True


def loader_accepts(text: str) -> bool:
    try:
        parse_manifest(text, "m.toml")
    except ManifestError:
        return False
    return True


def test_the_schema_is_valid_and_printed_by_the_command(cli) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert json.loads(cli("schema").stdout) == SCHEMA


def test_every_bundled_manifest_and_the_starter_validate() -> None:
    for path in [*(ROOT / "manifests").glob("*.toml"), ROOT / "issmanifest" / "manifest" / "starter.toml"]:
        assert schema_accepts(path.read_text(encoding="utf-8")), path


STRUCTURAL = [
    "format-version-2",
    "format-as-string",
    "unknown-top-level-key",
    "number-for-name",
    "tentative-yes",
    "seats-not-integer",
    "naive-date-time",
    "person-as-string",
    "id-as-number",
    "launch-year-1900",
    "negative-seats",
    "absurd-seats",
    "max-crew-zero",
    "unknown-lifeboat",
    "empty-id",
    "id-with-spaces",
    "id-upper-case",
    "person-key-upper-case",
    "nationality-three-letters",
    "nationality-lower-case",
    "missing-person-name",
    "missing-vehicle",
    "unknown-flight-key",
    "unknown-uncertain-field",
    "flights-as-a-table",
    "table-where-a-list-belongs",
    "missing-format",
    "uncertain-as-string",
    "empty-core-partners",
    "local-time-for-launch",
    "agency-with-space-bad-country",
]


@pytest.mark.parametrize("name", STRUCTURAL)
def test_schema_and_loader_reject_the_same_structural_mistakes(name: str) -> None:
    text = (ROOT / "tests" / "broken" / f"{name}.toml").read_text(encoding="utf-8")
    assert not loader_accepts(text)
    assert not schema_accepts(text)


@pytest.mark.slow
def test_the_schema_is_never_stricter_than_the_loader() -> None:
    for path in sorted((ROOT / "tests" / "broken").glob("*.toml")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        try:
            tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError):  # not TOML, or nested too deeply to read
            continue
        if not schema_accepts(text):
            assert not loader_accepts(text), path.name


@settings(max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifest_documents())
def test_the_schema_accepts_what_the_loader_accepts(document: dict[str, Any]) -> None:
    text = tomli_w.dumps(document)
    assert loader_accepts(text) and schema_accepts(text)


# -- new ---------------------------------------------------------------------------


def test_new_writes_a_valid_starter_and_refuses_to_overwrite(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = cli("new")
    assert (
        first.exit_code == 0
        and first.stderr == "wrote manifest.toml; check it with: issmanifest check manifest.toml --all\n"
    )
    written = (tmp_path / "manifest.toml").read_text()
    assert loader_accepts(written) and written.startswith("#:schema ./manifest-1.schema.json")
    (tmp_path / "manifest.toml").write_text("mine\n")
    again = cli("new")
    assert (again.exit_code, again.stderr) == (2, "manifest.toml: already exists (use --force to replace it)\n")
    assert (tmp_path / "manifest.toml").read_text() == "mine\n"
    assert cli("new", "--force").exit_code == 0
    assert (tmp_path / "manifest.toml").read_text() == written
    assert cli("new", "-").stdout == written


# -- completion, hooks -------------------------------------------------------------------


def test_shell_completion_script_and_manifest_candidates(tmp_path: Path) -> None:
    # Typer guesses the shell from the parent processes unless told not to; then it takes the one named.
    script = run("--show-completion", "bash", env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert script.returncode == 0 and "_ISSMANIFEST_COMPLETE" in script.stdout
    (tmp_path / "one.toml").write_text("format = 1\n")
    (tmp_path / "other.txt").write_text("")
    env = {"_ISSMANIFEST_COMPLETE": "complete_bash", "COMP_WORDS": "issmanifest show ", "COMP_CWORD": "2"}
    candidates = subprocess.run(
        [sys.executable, "-c", "from issmanifest.cli import main; main()"],
        capture_output=True,
        text=True,
        env={**ENV, **env},
        cwd=tmp_path,
        check=False,
    ).stdout.split()
    assert "one.toml" in candidates and "other.txt" not in candidates


def test_pre_commit_hook_definition() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "- id: issmanifest-check" in text and "entry: issmanifest check" in text and "language: python" in text


# -- packaging ------------------------------------------------------------------------


@pytest.mark.slow
def test_the_wheel_installs_and_runs_outside_the_repository(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", str(dist)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("issmanifest-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "issmanifest/manifests/iss.toml" in names and "issmanifest/schemas/manifest-1.schema.json" in names
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    # The dependencies come from this environment; issmanifest itself only from the wheel.
    here = [path for path in sys.path if path.endswith("site-packages")]
    (site / "deps.pth").write_text("\n".join(here) + "\n")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    code = "import issmanifest.cli, sys; sys.argv[0] = 'issmanifest'; issmanifest.cli.main()"
    python = venv / "bin" / "python"
    where = subprocess.run(
        [python, "-c", "import issmanifest; print(issmanifest.__file__)"],
        capture_output=True,
        text=True,
        cwd=outside,
        env=ENV,
        check=True,
    )
    assert where.stdout.startswith(str(site))
    show = subprocess.run(
        [python, "-c", code, "show", "--at", "2022-07-28", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=outside,
        env=ENV,
        check=False,
    )
    assert show.returncode == 0, show.stderr
    assert len(json.loads(show.stdout)["aboard"]) == 7
    check = subprocess.run(
        [python, "-c", code, "check", "--all", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=outside,
        env=ENV,
        check=False,
    )
    assert check.returncode == 1 and json.loads(check.stdout)["ok"] is False
    schema = subprocess.run(
        [python, "-c", code, "schema"], capture_output=True, text=True, cwd=outside, env=ENV, check=False
    )
    assert json.loads(schema.stdout) == SCHEMA
