"""Which TOML parser reads a manifest: tomli when `issmanifest[fast]` installed it, else tomllib.

tomli is tomllib's upstream, compiled with mypyc: the same TOML 1.0, the same
values of the same types, about three times faster (docs/performance.md). Its
releases from 2.4 on read TOML 1.1, which tomllib refuses, so the extra pins
it below 2.4. tomli reads documents nested deeper than tomllib can (no Python
recursion limit); such a document cannot be a valid manifest, and every failure
of the fast path is read again by tomllib, so messages are tomllib's.
`ISSMANIFEST_PARSER=tomllib` forces the default.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from issmanifest.manifest.problems import ManifestError, Problem

VARIABLE = "ISSMANIFEST_PARSER"
CHOICES = ("tomli", "tomllib")  # tomli falls back to tomllib when it is not installed


def chosen() -> str:
    """The parser `ISSMANIFEST_PARSER` asks for (tomli when unset); a one-line error for anything else."""
    value = os.environ.get(VARIABLE, "")
    wanted = value.strip().lower() or "tomli"
    if wanted not in CHOICES:
        hint = "set tomllib to use the standard library's parser, or leave it unset"
        raise ManifestError([Problem("issmanifest", f'{VARIABLE}: unknown parser "{value}"', hint=hint)])
    return wanted


def fast_loads() -> Callable[[str], dict[str, Any]] | None:
    """tomli's `loads` when it is installed and not turned off; None means tomllib alone."""
    if chosen() == "tomllib":
        return None
    try:
        import tomli
    except ImportError:
        return None
    loads: Callable[[str], dict[str, Any]] = tomli.loads
    return loads
