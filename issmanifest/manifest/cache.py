"""A cache of checked manifests, so that a manifest read before is not parsed and checked again.

Parsing TOML is the largest cost of a call on a real manifest. The model of a
manifest that loaded without problems is kept, pickled, with its key: the
file's exact bytes, this release's version, its built-in agencies and vehicles
and the shape of the model. An entry is named by a CRC of the key and used only
when its key is equal byte for byte, so no two manifests can share one. Entries
live in the user's cache folder
(`$ISSMANIFEST_CACHE_DIR`, else `$XDG_CACHE_HOME/issmanifest`, else
`~/.cache/issmanifest`). A changed byte, default or release is a miss. Set
`ISSMANIFEST_CACHE=off` to do without. Any trouble with the cache is a miss,
never an error: the manifest is simply read again.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import zlib
from pathlib import Path

from issmanifest import __version__
from issmanifest.manifest import defaults
from issmanifest.manifest.model import (
    Agency,
    AgencyName,
    Expedition,
    Flight,
    Manifest,
    Person,
    Relocation,
    Station,
    Vehicle,
    When,
)

KEEP = 64  # entries; the oldest go first


def folder() -> Path | None:
    if os.environ.get("ISSMANIFEST_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    explicit = os.environ.get("ISSMANIFEST_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "issmanifest"


def _shape() -> bytes:
    """What else a model depends on: the release, the built-in defaults and the fields of the model's classes."""
    classes = (Manifest, Flight, Person, Agency, AgencyName, Vehicle, Station, Relocation, Expedition, When)
    fields = [(cls.__name__, cls._fields) for cls in classes]
    return repr((__version__, defaults.AGENCIES, defaults.VEHICLES, fields)).encode()


def _key(data: bytes) -> bytes:
    return _shape() + b"\0" + data


def _entry(key: bytes) -> Path | None:
    place = folder()
    return None if place is None else place / f"{zlib.crc32(key):08x}.pickle"


def fetch(data: bytes) -> Manifest | None:
    """The model of a manifest with exactly these bytes, if it was read before."""
    key = _key(data)
    entry = _entry(key)
    if entry is None:
        return None
    try:
        with entry.open("rb") as stream:
            stored, manifest = pickle.load(stream)
    except Exception:  # a missing, partial or foreign file is a miss
        return None
    return manifest if stored == key and isinstance(manifest, Manifest) else None


def store(data: bytes, manifest: Manifest) -> None:
    """Keep the model for next time; quietly do nothing if the cache cannot be written."""
    key = _key(data)
    entry = _entry(key)
    if entry is None:
        return
    with contextlib.suppress(Exception):
        from issmanifest.manifest.files import write_atomic

        entry.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(entry, pickle.dumps((key, manifest), protocol=pickle.HIGHEST_PROTOCOL), overwrite=True)
        entries = sorted(entry.parent.glob("*.pickle"), key=lambda path: path.stat().st_mtime)
        for old in entries[:-KEEP]:
            old.unlink()
