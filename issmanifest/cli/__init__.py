"""The command line: Typer commands that parse options, call the library, render and pick the exit code."""

from issmanifest.cli.commands import app, main

__all__ = ["app", "main"]
