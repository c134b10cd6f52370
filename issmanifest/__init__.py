"""issmanifest: who is aboard the International Space Station, and does continuity hold.

The Python API (docs/api.md): `load`, `snapshot`, `check`, `diff`, `margins`, `stats`.
They live in `issmanifest.api` and are imported on first use, so that the CLI,
which imports this package on every call, does not pay for them.
"""

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["ManifestError", "check", "diff", "load", "margins", "snapshot", "stats"]

if TYPE_CHECKING:
    from issmanifest.api import check, diff, load, margins, snapshot, stats
    from issmanifest.manifest.problems import ManifestError


def __getattr__(name: str) -> Any:
    if name == "ManifestError":
        from issmanifest.manifest.problems import ManifestError

        return ManifestError
    if name in __all__:
        from issmanifest import api

        return getattr(api, name)
    raise AttributeError(f"module 'issmanifest' has no attribute {name!r}")
