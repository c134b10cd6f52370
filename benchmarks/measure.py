"""One measurement in a fresh process, printed as JSON for run.py.

    python benchmarks/measure.py parse FILE
    python benchmarks/measure.py run ARG... (the issmanifest command line)
    python benchmarks/measure.py profile ARG... (cProfile's top functions, tab-separated)

Peak memory is the process's resident set (ru_maxrss) after the work, less what it was before
it: the interpreter and the imports are not counted. For `run`, the time spent inside
`tomllib.loads` is measured apart, so that what comes after parsing can be told from it.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import sys
import time


def rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    mode, *args = sys.argv[1:]
    if mode == "parse":
        import tomllib

        with open(args[0], "rb") as stream:
            data = stream.read()
        base = rss_kib()
        start = time.perf_counter()
        tomllib.loads(data.decode())
        seconds = time.perf_counter() - start
        print(json.dumps({"seconds": seconds, "parse": seconds, "kib": rss_kib() - base}))
        return
    import tomllib

    # Start-up is measured on its own: import what the commands use before the clock starts.
    from issmanifest.cli.commands import app

    parsing = [0.0]
    loads = tomllib.loads

    def timed_loads(text: str) -> object:
        start = time.perf_counter()
        try:
            return loads(text)
        finally:
            parsing[0] += time.perf_counter() - start

    tomllib.loads = timed_loads  # type: ignore[assignment]
    os.environ["ISSMANIFEST_CACHE"] = "off"
    if mode == "profile":
        profile(app, args)
        return
    base = rss_kib()
    start = time.perf_counter()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), contextlib.suppress(SystemExit):
        app(args, prog_name="issmanifest")
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "parse": parsing[0], "kib": rss_kib() - base}))


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
