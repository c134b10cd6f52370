"""One revision of a manifest as git hands it over: loaded if it can be, else its problem and its raw lines.

git stops `git log -p` at the first file its textconv or external diff driver
fails on, so a revision that does not load (not UTF-8, not TOML, binary,
empty) is still shown: a one-line note and the lines as they are.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from issmanifest.manifest.loading import STDIN, decode, load_manifest, parse_manifest, read_bytes
from issmanifest.manifest.model import Manifest
from issmanifest.manifest.problems import ManifestError, Problem


class Revision(NamedTuple):
    """A manifest file's content: `manifest` when it loads, else `problem` says in one line why not."""

    lines: tuple[str, ...]
    """The raw lines, decoded as UTF-8 with undecodable bytes replaced (U+FFFD), line endings removed."""
    manifest: Manifest | None = None
    problem: str | None = None


def load_revision(source: str, name: str) -> Revision:
    """Read a revision (a file, `-` for standard input, /dev/null for none) and load it if it can be loaded.

    A file that cannot be read at all (missing, a directory) is still an error: there is no revision to show.
    """
    if source == os.devnull:  # git passes it for the missing side of an added or deleted file
        return Revision((), manifest=parse_manifest("format = 1\n", name))
    name, data = read_bytes(source, name)
    lines = raw_lines(data)
    try:
        # Standard input cannot be read twice; a file goes through load_manifest for its cache.
        manifest = parse_manifest(decode(data, name), name) if source == STDIN else load_manifest(source, name)
    except ManifestError as error:
        return Revision(lines, problem=summary(error.problems))
    except RecursionError:
        return Revision(lines, problem="nested too deeply to read")
    except Exception as error:  # a bug must not stop git either; the note names it
        return Revision(lines, problem=f"internal error: {type(error).__name__}: {error}")
    return Revision(lines, manifest=manifest)


def raw_lines(data: bytes) -> tuple[str, ...]:
    """A file's lines as text, whatever its bytes: UTF-8 with replacement characters, no BOM, no line endings."""
    text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return tuple(line.removesuffix("\r") for line in lines)


def summary(problems: Sequence[Problem]) -> str:
    """The first problem on one line, without the file name (git's temporary files have passing names)."""
    first = problems[0]
    text = f"line {first.line}: {first.detail}" if first.line is not None else first.detail
    more = len(problems) - 1
    return text + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")


def raw_diff(old: Sequence[str], new: Sequence[str], old_name: str, new_name: str) -> Iterator[str]:
    """A unified diff of two revisions' raw lines, as `diff -u` prints it."""
    return difflib.unified_diff(list(old), list(new), old_name, new_name, lineterm="")
