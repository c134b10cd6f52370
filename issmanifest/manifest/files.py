"""Writing files so that a failure part-way leaves the old file as it was, and nothing written to is destroyed.

`write_output` is the one rule for every file a command is told to write; `locked`
serialises read-modify-write edits of a file; `write_atomic` replaces a file of the
tool's own (the cache), never following links or streaming.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from issmanifest.manifest.problems import ManifestError, Problem

LOCK_WAIT = 60.0  # an edit of a large manifest takes seconds; ten queued ones must all get their turn
"""Seconds an in-place edit waits for another edit of the same file before giving up."""

# Names that mean a descriptor the process already has; bash treats them so in redirections too.
_DESCRIPTOR = re.compile(r"/dev/(?:std(in|out|err)|fd/(\d+))|/proc/self/fd/(\d+)")


def write_output(path: str | Path, text: str | bytes, *, replace: bool) -> None:
    """Write `text` to a file a command was told to write to, destroying nothing that is there.

    - /dev/stdout, /dev/stderr and /dev/fd/N write to that descriptor, wherever it points.
    - A device, FIFO or anything else that is not a regular file is opened and written
      as a stream, never replaced.
    - A symlink is followed to its final target, which is written as a regular file is
      (a symlink someone else made in a shared sticky folder is refused, as the kernel's
      protected_symlinks refuses it to an open).
    - A regular file is replaced atomically (see `write_atomic`) keeping its mode, owner and
      group; an existing one only with `replace`, else it is an error naming --force.
    """
    check_name(path)
    target = Path(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    descriptor = _descriptor(str(target))
    if descriptor is not None:
        _write_all(descriptor, data, target)
        return
    try:
        real = Path(_follow(target))
        existing = os.stat(real)
    except FileNotFoundError:
        existing = None
    except OSError as error:
        raise _cannot(target, error) from None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise ManifestError([Problem(str(target), "is a directory")])
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        if _stream(real, data, target):
            return
        existing = os.stat(real)  # it became a regular file meanwhile: the rule for those applies
    if existing is not None and not replace:
        raise ManifestError([Problem(str(target), "already exists", hint="use --force to replace it")])
    _replace(real, data, existing, target)


def write_atomic(path: str | Path, text: str | bytes, *, overwrite: bool = False) -> None:
    """Write `text` (or bytes) to `path` through a temporary file beside it, renamed into place when complete.

    An interrupt, a full disk or any other failure leaves an existing file untouched and no
    temporary file behind. Without `overwrite`, an existing file is an error. `path` itself is
    replaced, even if it is a symlink: for files of the tool's own, where following a link
    planted by someone else would write where they chose.
    """
    target = Path(path)
    if target.exists() and not overwrite:
        raise ManifestError([Problem(str(target), "already exists", hint="use --force to replace it")])
    if target.is_dir():
        raise ManifestError([Problem(str(target), "is a directory")])
    data = text.encode("utf-8") if isinstance(text, str) else text
    _replace(target, data, None, target)


@contextlib.contextmanager
def locked(path: str | Path, *, wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive advisory lock (flock) on the regular file at `path` while the block runs.

    Read the file, and write its new content, inside the block: concurrent edits then run one
    after another instead of losing each other. The lock is on the file itself (through
    symlinks), not on a sidecar lock file, which would be left behind or raced on removal, and
    which other tools would not know. Because a replaced file is a new inode, a waiter that
    gets the lock on the old one sees the path now names another file and locks that one.
    Waits up to `wait` seconds (LOCK_WAIT), then fails with a one-line error.

    Example: with locked("iss.toml"): write_output("iss.toml", edit(read("iss.toml")), replace=True)
    """
    check_name(path)
    seconds = LOCK_WAIT if wait is None else wait
    deadline = time.monotonic() + seconds
    while True:
        descriptor = _open_regular(Path(path))
        try:
            if not _flock(descriptor, deadline):
                raise ManifestError(
                    [
                        Problem(
                            str(path),
                            f"another edit holds its lock; gave up after {seconds:g} s",
                            hint="try again when it is done",
                        )
                    ]
                )
            held, now = os.fstat(descriptor), os.stat(path)
        except BaseException:
            os.close(descriptor)
            raise
        if (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino):
            break
        os.close(descriptor)  # the holder replaced the file: lock the new one
    try:
        yield
    finally:
        os.close(descriptor)  # closing it releases the lock


def check_name(path: str | Path) -> None:
    """Refuse an empty name (as reading does), which a Path would silently turn into ".", the current folder."""
    if not str(path):
        raise ManifestError([Problem('""', "an empty name is not a file")])


def _open_regular(path: Path) -> int:
    try:
        # Without blocking, so that a FIFO does not wait for a writer before it is refused.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise ManifestError([Problem(str(path), "no such file")]) from None
    except PermissionError:
        raise ManifestError([Problem(str(path), "permission denied")]) from None
    except OSError as error:
        raise ManifestError([Problem(str(path), f"cannot read: {error.strerror or error}")]) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise ManifestError([Problem(str(path), "is a directory, not a manifest file")])
        raise ManifestError(
            [
                Problem(
                    str(path),
                    "is not a regular file, so it cannot be edited in place",
                    hint="write the edit with --output",
                )
            ]
        )
    return descriptor


def _flock(descriptor: int, deadline: float) -> bool:
    """Take the exclusive lock, polling until `deadline`; whether it was taken."""
    import fcntl

    pause = 0.005
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(pause, max(deadline - time.monotonic(), 0)))
            pause = min(pause * 2, 0.1)


def _descriptor(name: str) -> int | None:
    match = _DESCRIPTOR.fullmatch(name)
    if match is None:
        return None
    standard, fd, proc = match.groups()
    if standard is not None:
        return {"in": 0, "out": 1, "err": 2}[standard]
    return int(fd or proc)


def _write_all(descriptor: int, data: bytes, target: Path) -> None:
    import sys

    with contextlib.suppress(Exception):
        (sys.stdout if descriptor == 1 else sys.stderr).flush()  # what was printed before comes first
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _cannot(target, error) from None


def _stream(real: Path, data: bytes, target: Path) -> bool:
    """Write to a device or FIFO as it is; False if it turned out to be a regular file after all."""
    try:
        # No O_CREAT (never make a file here) and no O_TRUNC (meaningless to a stream).
        descriptor = os.open(real, os.O_WRONLY | os.O_CLOEXEC)
    except OSError as error:
        raise _cannot(target, error) from None
    try:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            return False
        _write_all(descriptor, data, target)
    finally:
        os.close(descriptor)
    return True


def _follow(path: Path) -> str:
    """The final target of `path`, refusing a link planted by someone else in a shared sticky folder."""
    current = str(path)
    for _ in range(40):
        status = os.lstat(current) if os.path.lexists(current) else None
        if status is None or not stat.S_ISLNK(status.st_mode):
            break
        folder = os.stat(os.path.dirname(current) or ".")
        shared = folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH
        if shared and status.st_uid not in (os.geteuid(), folder.st_uid):
            raise ManifestError(
                [
                    Problem(
                        str(path),
                        "is a symlink someone else made in a shared folder; not followed",
                        hint="write somewhere else",
                    )
                ]
            )
        current = os.path.join(os.path.dirname(current), os.readlink(current))
    return os.path.realpath(current)


def _replace(real: Path, data: bytes, existing: os.stat_result | None, target: Path) -> None:
    """Write `real` through a temporary file beside it, with the mode, owner and group of `existing`."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as error:
        # The file may well exist: it is the folder that takes no new file (say /proc).
        reason = error.strerror or str(error)
        raise ManifestError(
            [Problem(str(target), f"cannot write: no temporary file can be made beside it ({reason})")]
        ) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if existing is not None:
                _keep_owner(stream.fileno(), existing)
            os.fchmod(stream.fileno(), _mode(real, existing))
            os.fsync(stream.fileno())
        os.replace(temporary, real)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _cannot(target, error) from None
        raise


def _mode(real: Path, existing: os.stat_result | None) -> int:
    if existing is None:
        with contextlib.suppress(OSError):
            existing = os.stat(real)  # write_atomic passes none; the file may be there all the same
    return stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()


def _keep_owner(descriptor: int, existing: os.stat_result) -> None:
    """Give the new file the old one's owner and group where allowed (root always; others their groups)."""
    try:
        os.fchown(descriptor, existing.st_uid, existing.st_gid)
    except PermissionError:
        with contextlib.suppress(PermissionError):
            os.fchown(descriptor, -1, existing.st_gid)


def _cannot(target: Path, error: OSError) -> ManifestError:
    return ManifestError([Problem(str(target), f"cannot write: {error.strerror or error}")])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
