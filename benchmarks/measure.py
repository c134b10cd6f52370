"""One measurement in a fresh process, printed as JSON for run.py.

    python benchmarks/measure.py parse FILE...
    python benchmarks/measure.py run ARG... (the issmanifest command line)
    python benchmarks/measure.py profile ARG... (cProfile's top functions, tab-separated)

Peak memory is the process's peak resident set (VmHWM, reset before the work where Linux
allows; else ru_maxrss) after the work, less the resident set before it: the interpreter and the
imports are not counted, and for both `parse` and `run` the baseline is taken before the file is
read, so the file's bytes count against tomllib as they do against the tool. `parse` reads and
parses each FILE with tomllib and keeps every document (diff holds two); its times are those of
`tomllib.loads` alone. For `run`, the time spent inside the TOML parser's `loads` (tomllib's, and
FAST_PARSER's when it is installed) is measured apart, so that what comes after parsing can be
told from it; `parsers` says how many calls each parser took, which tells which one the loader
chose. Times are wall (`seconds`, `parse`) and this process's CPU (`cpu`, `parse_cpu`). Every module of
issmanifest is imported before the clock starts (the commands import theirs lazily, which is start-up,
measured apart); `late_imports` lists the modules still imported while it ran.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

# The optional compiled parser of `issmanifest[fast]`, timed and counted like tomllib: change it here
# if the extra moves to another module (it must have a `loads(str)`).
FAST_PARSER = "tomli"


def rss_kib() -> int:
    """The peak resident set so far, in KiB.

    On Linux, VmHWM, which this process's exec started afresh: ru_maxrss keeps the peak of the process
    that forked it (run.py, holding a generated manifest), which hid the rise of a small parse.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def baseline_kib() -> int:
    """Where the rise is counted from: the resident set now, with the peak reset to it where Linux allows."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # resets VmHWM to the current resident set
    except OSError:
        pass
    return rss_kib()


def fast_parser_installed() -> bool:
    return importlib.util.find_spec(FAST_PARSER) is not None


def main() -> None:
    mode, *args = sys.argv[1:]
    if mode == "parse":
        import tomllib

        documents = []
        seconds = cpu = 0.0
        base = baseline_kib()
        for name in args:
            with open(name, "rb") as stream:
                text = stream.read().decode()
            start, started = time.perf_counter(), time.process_time()
            documents.append(tomllib.loads(text))
            seconds, cpu = seconds + time.perf_counter() - start, cpu + time.process_time() - started
            del text
        kib = rss_kib() - base
        print(json.dumps({"seconds": seconds, "parse": seconds, "cpu": cpu, "parse_cpu": cpu, "kib": kib}))
        return
    timing = {"parse": 0.0, "parse_cpu": 0.0}
    calls: dict[str, int] = {}
    modules = ["tomllib", *([FAST_PARSER] if fast_parser_installed() else [])]
    for name in modules:  # before issmanifest is imported, so that a `from ... import loads` sees the timed one
        module = importlib.import_module(name)
        vars(module)["loads"] = timed(vars(module)["loads"], name, timing, calls)

    # Start-up is measured on its own: import what the commands use before the clock starts. The commands
    # import most of the package when they first need it, so every module of it is imported here.
    from issmanifest.cli.commands import app

    import_package()

    os.environ["ISSMANIFEST_CACHE"] = "off"
    if mode == "profile":
        profile(app, args)
        return
    before = set(sys.modules)
    base = baseline_kib()
    start, cpu = time.perf_counter(), time.process_time()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), contextlib.suppress(SystemExit):
        app(args, prog_name="issmanifest")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    kib = rss_kib() - base
    late = sorted(set(sys.modules) - before)  # imported while the clock ran: counted as the command's time
    print(json.dumps({"seconds": seconds, "cpu": cpu, "kib": kib, "parsers": calls, "late_imports": late, **timing}))


def import_package() -> None:
    """Every module of issmanifest (but `__main__`), and whatever they import at their top."""
    import pkgutil

    import issmanifest

    for module in pkgutil.walk_packages(issmanifest.__path__, "issmanifest."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)


def timed(loads: Callable[..., Any], name: str, timing: dict[str, float], calls: dict[str, int]) -> Callable[..., Any]:
    def timed_loads(*args: Any, **kwargs: Any) -> Any:
        calls[name] = calls.get(name, 0) + 1
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return loads(*args, **kwargs)
        finally:
            timing["parse"] += time.perf_counter() - start
            timing["parse_cpu"] += time.process_time() - cpu

    return timed_loads


def profile(app: object, args: list[str]) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), contextlib.suppress(SystemExit):
        profiler.enable()
        app(args, prog_name="issmanifest")  # type: ignore[operator]
        profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = sorted(stats.items(), key=lambda item: -item[1][2])[:15]
    for (file, line, name), (_, calls, own, total, _) in rows:
        print(f"{own * 1000:.0f}\t{total * 1000:.0f}\t{calls}\t{os.path.basename(file)}:{line}({name})")


if __name__ == "__main__":
    main()
