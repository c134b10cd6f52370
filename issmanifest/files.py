"""Writing files so that a failure part-way leaves the old file as it was."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from issmanifest.problems import ManifestError, Problem


def write_atomic(path: str | Path, text: str | bytes, *, overwrite: bool = False) -> None:
    """Write `text` (or bytes) to `path` through a temporary file beside it, renamed into place when complete.

    An interrupt, a full disk or any other failure leaves an existing file untouched and no
    temporary file behind. Without `overwrite`, an existing file is an error.
    """
    target = Path(path)
    if target.exists() and not overwrite:
        raise ManifestError([Problem(str(target), "already exists", hint="use --force to replace it")])
    if target.is_dir():
        raise ManifestError([Problem(str(target), "is a directory")])
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    except OSError as error:
        raise ManifestError([Problem(str(target), f"cannot write: {error.strerror or error}")]) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise ManifestError([Problem(str(target), f"cannot write: {error.strerror or error}")]) from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
