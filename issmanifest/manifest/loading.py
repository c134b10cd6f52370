"""Read a manifest file into a checked `Manifest`, or say everything wrong with it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import BinaryIO, NamedTuple

from issmanifest.manifest import cache
from issmanifest.manifest.model import Manifest
from issmanifest.manifest.problems import ManifestError, Problem

STDIN = "-"
MAX_BYTES = 256 * 1024 * 1024


class BundledStation(NamedTuple):
    """A station whose record ships with issmanifest, and the names `--station` knows it by."""

    name: str  # what --station takes: "iss"
    file: str  # under manifests/
    aliases: tuple[str, ...]


STATIONS = (
    BundledStation("iss", "iss.toml", ("international-space-station",)),
    BundledStation("tiangong", "tiangong.toml", ("css", "china-space-station", "tiangong-space-station")),
)
DEFAULT_STATION = "iss"


def station_named(name: str) -> BundledStation:
    """The bundled station `name` or one of its aliases names, in any case; `ValueError` saying the choices if none."""
    wanted = name.strip().casefold().replace(" ", "-").replace("_", "-")
    for station in STATIONS:
        if wanted == station.name or wanted in station.aliases:
            return station
    choices = "; ".join(f"{s.name} (or {', '.join(s.aliases)})" for s in STATIONS)
    raise ValueError(f'no bundled station "{name}": choose {choices}')


def bundled_manifest(station: str = DEFAULT_STATION) -> Path:
    """The record shipped with issmanifest of a station's crewed flights: `iss` (the default) or `tiangong`."""
    from issmanifest.manifest.resources import resource

    return resource("manifests", station_named(station).file)


def bundled_manifests() -> tuple[Path, ...]:
    """Every bundled station's record, the default first."""
    return tuple(bundled_manifest(station.name) for station in STATIONS)


def read_bytes(source: str | Path, name: str | None = None) -> tuple[str, bytes]:
    """The display name and content of a manifest file, or of standard input for `-`."""
    name = name or ("<stdin>" if str(source) == STDIN else str(source) or '""')

    def fail(message: str) -> ManifestError:
        return ManifestError([Problem(name, message)])

    try:
        if str(source) == STDIN:
            if sys.stdin is None:
                raise fail("standard input is closed")
            data = _read_at_most(sys.stdin.buffer)
        else:
            path = Path(source)
            if not str(source):
                raise fail("an empty name is not a file")
            if path.is_dir():
                raise fail("is a directory, not a manifest file")
            with path.open("rb") as handle:
                data = _read_at_most(handle)
    except FileNotFoundError:
        raise fail("no such file") from None
    except PermissionError:
        raise fail("permission denied") from None
    except OSError as error:
        raise fail(f"cannot read: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise fail(f"too large to be a manifest (over {MAX_BYTES // (1024 * 1024)} MiB)")
    return name, data


def _read_at_most(stream: BinaryIO) -> bytes:
    """The stream's bytes, up to one past the limit, read in pieces (no buffer of the limit's size)."""
    pieces, size = [], 0
    while size <= MAX_BYTES and (piece := stream.read(1 << 20)):
        pieces.append(piece)
        size += len(piece)
    return b"".join(pieces)


def decode(data: bytes, name: str) -> str:
    """A manifest's bytes as text: UTF-8, with or without a byte-order mark."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problem = Problem(
            name, f"not UTF-8 text (byte 0x{data[error.start]:02x})", line=line, hint="save the file as UTF-8"
        )
        raise ManifestError([problem]) from None


def read_source(source: str | Path, name: str | None = None) -> tuple[str, str]:
    """The display name and text of a manifest file, or of standard input for `-`."""
    name, data = read_bytes(source, name)
    return name, decode(data, name)


def load_manifest(source: str | Path, name: str | None = None) -> Manifest:
    """Read and check a manifest file (`-` for standard input); `name` is how messages call it.

    A manifest read before is taken from the cache (see `cache`), which skips parsing and checking.
    """
    name, data = read_bytes(source, name)
    if os.environ.get("ISSMANIFEST_PARSER"):  # a mistyped one is an error with the cache warm too
        from issmanifest.manifest.parser import chosen

        chosen()
    cached = cache.fetch(data)
    if cached is not None:
        return cached.named(name)
    text = decode(data, name)
    if cache.folder() is None:  # the bytes are only the cache's key: not kept through the parse's peak
        del data
        return parse_manifest(text, name)
    manifest = parse_manifest(text, name)
    cache.store(data, manifest)
    return manifest


def parse_manifest(text: str, name: str = "<manifest>") -> Manifest:
    """Check a manifest's text and build its model; raise `ManifestError` listing every problem."""
    if not text.strip():
        raise ManifestError([Problem(name, "empty file", hint="a manifest starts with: format = 1")])
    from issmanifest.manifest.parser import fast_loads

    fast = fast_loads()  # imports tomli here, not at the top: a manifest from the cache needs no parser
    if fast is not None:
        from issmanifest.manifest.validation import build_manifest

        try:
            built = build_manifest(fast(text), text, name)
        except Exception:  # any failure is said as tomllib and validation say it today, below
            built = []
        if not isinstance(built, list):
            return built
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        from issmanifest.manifest.syntax import syntax_problem

        raise ManifestError([syntax_problem(str(error), text, name)]) from None
    except RecursionError:
        from issmanifest.manifest.syntax import nesting_problem

        raise ManifestError([nesting_problem(text, name)]) from None
    from issmanifest.manifest.validation import build_manifest

    built = build_manifest(document, text, name)
    if isinstance(built, list):
        raise ManifestError(built)
    return built
