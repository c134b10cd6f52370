"""Measure issmanifest on this machine and say whether each performance target holds.

    python benchmarks/run.py            # everything: start-up, scale at 1,000 / 10,000 / 100,000 flights, profiles
    python benchmarks/run.py --quick    # fewer runs and sizes, for a first look

1. Start-up: `issmanifest --version`, `show` and `check` on the bundled manifest (through
   the installed `issmanifest` script), each against benchmarks/floor.py (a Typer + Rich
   program printing one table), as a ratio.
2. Scale: `check --all`, `show` and `diff` (against a copy with ten flights a day later)
   on synthetic manifests (benchmarks/generate.py), each against `tomllib` parsing the
   same file: the time after parsing as a share of the parse, and peak memory.
3. Margins: `margins` from before the first docking (every arrival and departure) against
   `check --all` on the same synthetic manifest, once each (a 10,000-flight run takes minutes).
4. Where the time goes: `python -X importtime` of `show`, cProfile of the 10,000-flight check.

Times are medians of several runs in fresh processes, with min and max; the start-up
commands take turns, run by run, against the floor. The cache of
checked manifests is off for the scale runs (it would skip the parse) and warm for the
start-up runs, as it is for anyone who runs issmanifest twice.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PYTHON = sys.executable
# Bytecode on, as for anyone who installed issmanifest (pip compiles it); a PYTHONDONTWRITEBYTECODE
# in the environment would make every run compile the package anew and measure that instead.
ENV = {
    **{key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"},
    "ISSMANIFEST_NOW": "2026-11-26T12:00:00Z",
    "COLUMNS": "100",
}


def wall(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Wall-clock seconds of each run of each command, after one run of each to warm caches.

    The commands take turns, run by run, so that a machine that slows down for a while
    slows them all alike and their ratios hold.
    """
    for argv in commands.values():
        subprocess.run(argv, env=ENV, capture_output=True, check=False)
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, env=ENV, capture_output=True, check=False)
            times[label].append(time.perf_counter() - start)
    return times


def measure(args: list[str], runs: int) -> list[dict[str, float]]:
    results = []
    for _ in range(runs):
        output = subprocess.run(
            [PYTHON, str(HERE / "measure.py"), *args], env=ENV, capture_output=True, text=True, check=True
        ).stdout
        results.append(json.loads(output))
    return results


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float], scale: float = 1000.0, unit: str = "ms") -> str:
    return f"{median(values) * scale:.0f} {unit} ({min(values) * scale:.0f}-{max(values) * scale:.0f})"


def verdict(ok: bool) -> str:
    return "holds" if ok else "MISSED"


def startup(runs: int) -> list[str]:
    # The `issmanifest` script pip installs, as people run it; `python -m issmanifest` adds runpy (~2 ms).
    script = Path(PYTHON).parent / "issmanifest"
    entry = [str(script)] if script.exists() else [PYTHON, "-m", "issmanifest"]
    times = wall(
        {
            "floor": [PYTHON, str(HERE / "floor.py")],
            "issmanifest --version": [*entry, "--version"],
            "issmanifest show": [*entry, "show", "--format", "table"],
            "issmanifest check": [*entry, "check", "--format", "table"],
        },
        runs,
    )
    floor = times.pop("floor")
    rows = [
        "| command | median (min-max) | ratio to floor | target 1.25x |",
        "| --- | --- | --- | --- |",
        f"| floor: Typer + Rich, one table | {spread(floor)} | 1.00 | |",
    ]
    for label, measured in times.items():
        ratio = median(measured) / median(floor)
        rows.append(f"| {label} | {spread(measured)} | {ratio:.2f} | {verdict(ratio <= 1.25)} |")
    return rows


def scale(sizes: list[int], runs: dict[int, int], folder: Path) -> list[str]:
    rows = [
        "| flights | tomllib parse | command | total | after parsing | ÷ parse (≤ 0.5) "
        "| peak MiB | ÷ tomllib's (≤ 1.5) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    after: dict[tuple[str, int], float] = {}
    for size in sizes:
        path, shifted = folder / f"synthetic-{size}.toml", folder / f"synthetic-{size}-shifted.toml"
        if not path.exists():
            path.write_text(generate(size))
            shifted.write_text(generate(size, shift=10))
        count = runs.get(size, 1)
        parse = measure(["parse", str(path)], count)
        parse_seconds = median([r["seconds"] for r in parse])
        parse_kib = median([r["kib"] for r in parse])
        middle = _middle_instant(path)
        commands = {
            "check --all": ["run", "check", str(path), "--all", "--format", "json"],
            "show": ["run", "show", str(path), "--at", middle, "--format", "json"],
            "diff": ["run", "diff", str(path), str(shifted), "--format", "json"],
        }
        rows.append(f"| {size:,} | {parse_seconds * 1000:.0f} ms | | | | | {parse_kib / 1024:.0f} | |")
        for label, args in commands.items():
            results = measure(args, count)
            total = median([r["seconds"] for r in results])
            parsing = median([r["parse"] for r in results])
            post = total - parsing
            share = post / parsing if parsing else float("inf")
            kib = median([r["kib"] for r in results])
            parses = 2 if label == "diff" else 1
            after[(label, size)] = post
            if parse_kib >= 4096:
                memory = kib / (parse_kib * parses)
                memory_cell = f"{memory:.2f} {verdict(memory <= 1.5)}"
            else:  # tomllib's own rise is within what ru_maxrss can tell from the imports
                memory_cell = "n/a (tomllib's rise too small to measure)"
            rows.append(
                f"| {size:,} | | {label} | {total * 1000:.0f} ms | {post * 1000:.0f} ms "
                f"| {share:.2f} {verdict(share <= 0.5)} | {kib / 1024:.0f} | {memory_cell} |"
            )
    growth = []
    if 10_000 in sizes and 100_000 in sizes:
        growth.append("")
        growth.append("| command | after parsing, 100,000 ÷ 10,000 (≤ 12) |")
        growth.append("| --- | --- |")
        for label in ("check --all", "show", "diff"):
            ratio = after[(label, 100_000)] / after[(label, 10_000)]
            growth.append(f"| {label} | {ratio:.1f} {verdict(ratio <= 12)} |")
    return rows + growth


def margins_scale(sizes: list[int], folder: Path) -> list[str]:
    """`margins` (every arrival and departure, from before the first) against `check --all` on the same file."""
    rows = [
        "| flights | check --all | margins | ÷ check (≤ 3) |",
        "| --- | --- | --- | --- |",
    ]
    seconds: dict[int, float] = {}
    for size in sizes:
        path = folder / f"synthetic-{size}.toml"
        if not path.exists():
            path.write_text(generate(size))
        first = re.search(r"^dock = (\d{4}-\d\d-\d\d)", path.read_text(), flags=re.MULTILINE)
        assert first is not None
        env_off = ["env", "ISSMANIFEST_CACHE=off", PYTHON, "-m", "issmanifest"]
        times = wall(
            {
                "check": [*env_off, "check", str(path), "--all", "--format", "json"],
                "margins": [*env_off, "margins", str(path), "--at", first.group(1), "--format", "json"],
            },
            1,
        )
        check, margins = median(times["check"]), median(times["margins"])
        seconds[size] = margins
        share = margins / check
        rows.append(f"| {size:,} | {check:.2f} s | {margins:.2f} s | {share:.1f} {verdict(share <= 3)} |")
    for small, large in itertools.pairwise(sizes):
        growth = seconds[large] / seconds[small]
        bound = 1.5 * large * math.log(large) / (small * math.log(small))
        rows.append("")
        rows.append(f"margins, {large:,} ÷ {small:,} flights: {growth:.1f} (≤ {bound:.1f}) {verdict(growth <= bound)}")
    return rows


def _middle_instant(path: Path) -> str:
    docks = re.findall(r"^dock = (\S+)", path.read_text(), flags=re.MULTILINE)
    return docks[len(docks) // 2]


def importtime() -> list[str]:
    result = subprocess.run(
        [PYTHON, "-X", "importtime", "-m", "issmanifest", "show", "--format", "table"],
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    entries = []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match and len(match.group(3)) <= 3:
            entries.append((int(match.group(2)), int(match.group(1)), match.group(4)))
    entries.sort(reverse=True)
    rows = ["| module (top level) | cumulative ms | self ms |", "| --- | --- | --- |"]
    rows += [f"| {name} | {total / 1000:.1f} | {own / 1000:.1f} |" for total, own, name in entries[:12]]
    return rows


def profile(folder: Path) -> list[str]:
    path = folder / "synthetic-10000.toml"
    if not path.exists():
        path.write_text(generate(10_000))
    argv = [PYTHON, str(HERE / "measure.py"), "profile", "check", str(path), "--all", "--format", "json"]
    output = subprocess.run(argv, env=ENV, capture_output=True, text=True, check=True).stdout
    rows = ["| own ms | with callees ms | calls | function |", "| --- | --- | --- | --- |"]
    for line in output.splitlines():
        own, total, calls, name = line.split("\t")
        rows.append(f"| {own} | {total} | {calls} | `{name}` |")
    return rows


def machine() -> str:
    import typer
    from rich import __name__ as _  # noqa: F401

    rich_version = subprocess.run(
        [PYTHON, "-c", "import importlib.metadata as m; print(m.version('rich'))"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Typer {typer.__version__}, Rich {rich_version}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, no 100,000-flight manifest")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "issmanifest-bench")
    options = parser.parse_args()
    options.data.mkdir(parents=True, exist_ok=True)
    sizes = [1_000, 10_000] if options.quick else [1_000, 10_000, 100_000]
    runs = {1_000: 3, 10_000: 3, 100_000: 1} if options.quick else {1_000: 7, 10_000: 5, 100_000: 3}
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "issmanifest"), str(HERE)], env=ENV, check=True)
    print(f"Machine: {machine()}\n")
    print("## Start-up\n")
    print("\n".join(startup(5 if options.quick else 25)))
    print("\n## Scale\n")
    print("\n".join(scale(sizes, runs, options.data)))
    print("\n## Margins at scale\n")
    print("\n".join(margins_scale([1_000] if options.quick else [1_000, 10_000], options.data)))
    print("\n## Where start-up goes (python -X importtime, issmanifest show)\n")
    print("\n".join(importtime()))
    print("\n## Where the 10,000-flight check goes (cProfile)\n")
    print("\n".join(profile(options.data)))


if __name__ == "__main__":
    main()
