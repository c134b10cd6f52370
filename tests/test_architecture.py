"""Imports run one way (docs/architecture.md): the core never reaches for the CLI's tools, render never for cli."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "issmanifest"


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def under(modules: set[str], root: str) -> list[str]:
    return sorted(name for name in modules if name == root or name.startswith(root + "."))


CORE = ("manifest", "engine", "reports")


@pytest.mark.parametrize("path", [p for room in CORE for p in sorted((PACKAGE / room).rglob("*.py"))], ids=str)
def test_the_core_imports_neither_typer_nor_rich_nor_the_outer_rooms(path: Path) -> None:
    modules = imported(path)
    for banned in ("typer", "rich", "click", "issmanifest.cli", "issmanifest.render", "issmanifest.api"):
        assert under(modules, banned) == [], f"{path.relative_to(ROOT)} imports {banned}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "render").rglob("*.py")), ids=str)
def test_render_never_imports_the_cli(path: Path) -> None:
    modules = imported(path)
    for banned in ("typer", "issmanifest.cli", "issmanifest.api"):
        assert under(modules, banned) == [], f"{path.relative_to(ROOT)} imports {banned}"


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from rich.text import Text\n    import typer\n", encoding="utf-8")
    assert under(imported(sample), "rich") == ["rich.text", "rich.text.Text"]
    assert under(imported(sample), "typer") == ["typer"]
