"""The one place issmanifest touches the network: fetching a public feed for `crosscheck`.

The standard library's urllib, with a timeout; every failure (offline, refused, no answer,
an HTTP error) is one `ManifestError` naming the URL. A feed fetched by name (`--fetch`) is
kept for an hour in the cache folder (LL2's free tier allows 15 calls an hour): the raw
bytes only, in the same private folder and with the same checks as the manifest cache.
"""

import os
import time
import zlib
from typing import NamedTuple

from issmanifest.manifest.problems import ManifestError, Problem

TIMEOUT = 20.0  # seconds; ISSMANIFEST_FEED_TIMEOUT changes it (the tests shorten it)
FRESH = 3600  # seconds a fetched feed is served from the cache
LIMIT = 32 * 1024 * 1024  # bytes read at most: a feed is a few hundred kilobytes
MAGIC = b"issmanifest-feed 1\n"


class WellKnown(NamedTuple):
    """A public feed `--fetch` knows by name: its URLs (path and query), under `base`."""

    base: str
    paths: tuple[str, ...]


# The public URLs (docs/crosscheck.md). ISSMANIFEST_FEED_BASE replaces every base (for tests and mirrors).
WELL_KNOWN = {
    "ll2": WellKnown("https://ll.thespacedevs.com", ("/2.3.0/space_stations/4/?mode=detailed",)),
    "corquaid": WellKnown(
        "https://corquaid.github.io",
        (
            "/international-space-station-APIs/JSON/people-in-space.json",
            "/international-space-station-APIs/JSON/iss-docked-spacecraft.json",
        ),
    ),
    "open-notify": WellKnown("http://api.open-notify.org", ("/astros.json",)),
}


def urls(name: str) -> tuple[str, ...]:
    """The URLs `--fetch NAME` reads."""
    known = WELL_KNOWN[name]
    base = os.environ.get("ISSMANIFEST_FEED_BASE") or known.base
    return tuple(base.rstrip("/") + path for path in known.paths)


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def timeout() -> float:
    try:
        chosen = float(os.environ.get("ISSMANIFEST_FEED_TIMEOUT", TIMEOUT))
    except ValueError:
        return TIMEOUT
    return chosen if chosen > 0 else TIMEOUT


def download(url: str) -> bytes:
    """The body of a GET of `url`, or a `ManifestError` saying in one line why there is none."""
    import socket
    import urllib.error
    import urllib.request

    from issmanifest import __version__

    wait = timeout()
    request = urllib.request.Request(url, headers={"User-Agent": f"issmanifest/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=wait) as response:
            body: bytes = response.read(LIMIT + 1)
    except urllib.error.HTTPError as error:
        raise _failed(url, f"HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise _failed(url, f"no answer within {wait:g} s") from None
        raise _failed(url, f"cannot reach it ({_why(reason)}); offline?") from None
    except TimeoutError:
        raise _failed(url, f"no answer within {wait:g} s") from None
    except (OSError, ValueError) as error:  # a connection reset mid-answer, a malformed URL
        raise _failed(url, f"cannot fetch it ({_why(error)})") from None
    if len(body) > LIMIT:
        raise _failed(url, f"the answer is larger than {LIMIT // (1024 * 1024)} MB")
    return body


def fetch(url: str, *, refresh: bool = False) -> bytes:
    """A well-known feed: from the cache if fetched less than an hour ago (unless `refresh`), else downloaded."""
    if not refresh:
        kept = _cached(url)
        if kept is not None:
            return kept
    body = download(url)
    _keep(url, body)
    return body


def _failed(url: str, why: str) -> ManifestError:
    return ManifestError([Problem(url, why)])


def _why(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _entry_name(url: str) -> str:
    return f"feed-{zlib.crc32(url.encode()):08x}.raw"


def _header(url: str) -> bytes:
    return MAGIC + url.encode() + b"\n"


def _cached(url: str) -> bytes | None:
    from issmanifest.manifest import cache

    place = cache.folder()
    if place is None:
        return None
    directory = cache._open_folder(place, create=False)
    if directory is None:
        return None
    try:
        kept = cache._read(directory, _entry_name(url), _header(url))
    except Exception:  # a partial or foreign entry is a miss
        return None
    finally:
        os.close(directory)
    if kept is None:
        return None
    stamp, _, body = kept.partition(b"\n")
    try:
        age = time.time() - int(stamp)
    except ValueError:
        return None
    return body if 0 <= age < FRESH else None


def _keep(url: str, body: bytes) -> None:
    """Keep the raw answer for an hour; quietly nothing if the cache cannot be written."""
    import contextlib

    from issmanifest.manifest import cache

    place = cache.folder()
    if place is None:
        return
    with contextlib.suppress(Exception):
        directory = cache._open_folder(place, create=True)
        if directory is None:
            return
        try:
            cache._write(directory, _entry_name(url), _header(url) + b"%d\n" % int(time.time()) + body)
        finally:
            os.close(directory)
