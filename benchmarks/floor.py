"""The floor: the least a Typer + Rich command can do, print one small table (run.py compares against it)."""

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer()


@app.command()
def main() -> None:
    table = Table("Person", "Nationality")
    table.add_row("Frank Rubio", "US")
    Console().print(table)


if __name__ == "__main__":
    app()
