"""Files shipped with issmanifest: in the installed package, or beside it in a source checkout."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).parent.parent  # issmanifest/, where the wheel puts manifests/ and schemas/


def resource(folder: str, name: str) -> Path:
    """A shipped file: `manifests/iss.toml`, `schemas/manifest-1.schema.json`, or one in the package itself."""
    installed = PACKAGE / folder / name
    if installed.is_file():
        return installed
    return PACKAGE.parent / folder / name
