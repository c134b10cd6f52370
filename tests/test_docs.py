"""The docs keep up with the code: every command has help and is in the README; every rule is documented."""

from __future__ import annotations

import pytest
from conftest import ROOT
from typer.main import get_command

from issmanifest.cli.commands import app
from issmanifest.engine.rules import RULES

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    command = get_command(app).commands[name]  # type: ignore[attr-defined]
    assert command.help and len(command.help.split(".")[0]) > 10
    assert f"issmanifest {name}" in README


@pytest.mark.parametrize("rule", [rule.name for rule in RULES])
def test_every_rule_is_documented(rule: str) -> None:
    assert f"## `{rule}`" in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert f"`{rule}`" in README


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = next(line for line in (ROOT / ".ci" / "run").read_text().splitlines() if "pytest" in line)
    assert f"\n{command}\n" in README


def test_the_changelog_keeps_a_changelog() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text and "Keep a Changelog" in text
