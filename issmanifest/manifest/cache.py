"""A cache of checked manifests, so that a manifest read before is not parsed and checked again.

Parsing TOML is the largest cost of a call on a real manifest. The model of a
manifest that loaded without problems is kept as JSON after its key: the file's
exact bytes, this release's version and code (the size and modification time of
each of its modules), its built-in agencies and vehicles and the shape of the
model. An entry is named by a CRC of the key and used only when the key it
starts with is equal byte for byte, so no two manifests can share one. Only then
is its JSON read, and the model is rebuilt from those plain values by the code
below: an entry names no classes and runs no code, as a pickle could. A changed
byte, default, release or module is a miss.

Entries live in the user's cache folder (`$ISSMANIFEST_CACHE_DIR`, else
`$XDG_CACHE_HOME/issmanifest`, else `~/.cache/issmanifest`), created private
(0700). A folder that is not the user's own, or that group or others may write
to, is not used at all; an entry that is a link, or not a regular file of the
user's, is not read. Without a home to put it in (HOME unset, relative, `/` or
missing) or with a relative `$ISSMANIFEST_CACHE_DIR` there is no cache, rather
than a folder somewhere odd; nor on systems without Unix ownership. Set
`ISSMANIFEST_CACHE=off` to do without. Any trouble with the cache is a miss,
never an error: the manifest is simply read again.

An entry is trusted because only the user can write the folder: every value is
checked to be of the type the model holds and every name a flight uses to be
in the manifest, so a hand-made entry cannot crash a command, but a well-formed
one with other facts is believed. Whoever can write there as the user could as
well change the manifest itself; a cache restored from elsewhere (a CI cache
shared between jobs) should be turned off.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import zlib
from pathlib import Path
from typing import Any

from issmanifest import __version__
from issmanifest.manifest import defaults
from issmanifest.manifest.model import (
    Agency,
    AgencyName,
    Agreement,
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
SUFFIX = ".model"
MAGIC = b"issmanifest cache 2\n"


def folder() -> Path | None:
    """Where the cache is kept; None when it is turned off or has no proper place."""
    if os.environ.get("ISSMANIFEST_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    if os.name != "posix":  # entries are trusted by their owner and by refusing links
        return None
    explicit = os.environ.get("ISSMANIFEST_CACHE_DIR")
    if explicit:  # a relative one would put a folder wherever it runs (a repository, from a git hook)
        return Path(explicit) if os.path.isabs(explicit) else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # a relative one is ignored, as the XDG specification says
        return Path(xdg) / "issmanifest"
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home) or os.path.dirname(home) == home or not os.path.isdir(home):
        return None
    return Path(home) / ".cache" / "issmanifest"


@functools.cache  # once a process: the code cannot change under a running call
def _code() -> bytes:
    """The package's modules by relative path, size and modification time: an edit or upgrade changes it."""
    stamps: list[str] = []
    pending = [(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "")]  # all of issmanifest/
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as listing:
            for item in listing:
                if item.name.endswith(".py") and item.is_file():
                    info = item.stat()
                    stamps.append(f"{prefix}{item.name} {info.st_size} {info.st_mtime_ns}")
                elif item.is_dir(follow_symlinks=False) and item.name != "__pycache__":
                    pending.append((item.path, f"{prefix}{item.name}/"))
    return "\n".join(sorted(stamps)).encode()


def _shape() -> bytes:
    """What else a model depends on: the release and its code, the built-in defaults and the model's fields."""
    classes = (Manifest, Flight, Person, Agency, AgencyName, Vehicle, Station, Relocation, Expedition, Agreement, When)
    fields = [(cls.__name__, cls._fields) for cls in classes]
    return repr((__version__, defaults.AGENCIES, defaults.VEHICLES, fields)).encode() + b"\0" + _code()


def _key(data: bytes) -> bytes:
    return _shape() + b"\0" + data


def _name(key: bytes) -> str:
    return f"{zlib.crc32(key):08x}{SUFFIX}"


def _entry(key: bytes) -> Path | None:
    place = folder()
    return None if place is None else place / _name(key)


def _header(key: bytes) -> bytes:
    return MAGIC + b"%d\n" % len(key) + key


def _open_folder(place: Path, *, create: bool) -> int | None:
    """A descriptor of the cache folder, if it is the user's own and only the user may write to it."""
    try:
        if create:
            place.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(place, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    info = os.fstat(descriptor)
    if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        os.close(descriptor)
        return None
    return descriptor


def _read(directory: int, name: str, header: bytes) -> bytes | None:
    """The model's JSON in an entry that starts with `header`, if it is a regular file of the user's.

    A link is not followed and a FIFO not waited on; nothing past a header that differs is read.
    """
    try:
        descriptor = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=directory)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or stream.read(len(header)) != header:
            return None
        return stream.read()


def fetch(data: bytes) -> Manifest | None:
    """The model of a manifest with exactly these bytes, if it was read before."""
    place = folder()
    if place is None:
        return None
    try:
        key = _key(data)
        directory = _open_folder(place, create=False)
        if directory is None:
            return None
        try:
            model = _read(directory, _name(key), _header(key))
        finally:
            os.close(directory)
        if model is None:
            return None
        import json

        return _manifest(json.loads(model))
    except Exception:  # a missing, partial or foreign entry is a miss
        return None


def store(data: bytes, manifest: Manifest) -> None:
    """Keep the model for next time; quietly do nothing if the cache cannot be written."""
    place = folder()
    if place is None:
        return
    with contextlib.suppress(Exception):
        import json

        key = _key(data)
        model = json.dumps(manifest, separators=(",", ":"), check_circular=False).encode()
        directory = _open_folder(place, create=True)
        if directory is None:
            return
        try:
            _write(directory, _name(key), _header(key) + model)
            _forget_old(directory)
        finally:
            os.close(directory)


def _write(directory: int, name: str, content: bytes) -> None:
    """Write an entry, private, through a new file renamed over it: a reader never sees half of one."""
    temporary = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    descriptor = os.open(temporary, flags, 0o600, dir_fd=directory)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
        os.replace(temporary, name, src_dir_fd=directory, dst_dir_fd=directory)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=directory)
        raise


def _forget_old(directory: int) -> None:
    """Keep the newest `KEEP` entries; remove the pickles of earlier builds, never read now."""
    entries: list[tuple[int, str]] = []
    with os.scandir(directory) as listing:
        for item in listing:
            stem, dot, suffix = item.name.partition(".")
            if len(stem) != 8 or not all(char in "0123456789abcdef" for char in stem):
                continue
            if dot + suffix == ".pickle":
                os.unlink(item.name, dir_fd=directory)
            elif dot + suffix == SUFFIX:
                entries.append((item.stat(follow_symlinks=False).st_mtime_ns, item.name))
    for _, name in sorted(entries)[:-KEEP]:
        os.unlink(name, dir_fd=directory)


# -- the model from the plain values of an entry; the key said which code wrote them --

# Every value is checked to be of the type the model holds (exactly: a bool is no int, a string no list)
# and every flight's vehicle and crew to be named in the manifest, so that an entry someone wrote by hand
# is a miss rather than a crash later. Unpacking each value checks its length; tuple.__new__ then builds
# the record without the Python-level __new__ of a NamedTuple, which would double the cost of a hit.
_new = tuple.__new__


class _Mismatch(Exception):
    """A value of an entry that the model cannot hold."""


def _str(value: Any) -> str:
    if type(value) is not str:
        raise _Mismatch
    return value


def _maybe_str(value: Any) -> str | None:
    if value is not None and type(value) is not str:
        raise _Mismatch
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise _Mismatch
    return value


def _strs(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise _Mismatch
    for item in value:  # a loop, not a set of types: what a hit allocates, the garbage collector pays for
        if type(item) is not str:
            raise _Mismatch
    return tuple(value)


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise _Mismatch
    return value


def _dict(value: Any) -> dict[str, Any]:
    if type(value) is not dict:
        raise _Mismatch
    return value


def _when(value: Any) -> When:
    seconds, date_only = value
    if type(value) is not list or type(seconds) is not int or type(date_only) is not bool:
        raise _Mismatch
    return _new(When, (seconds, date_only))


def _maybe_when(value: Any) -> When | None:
    return None if value is None else _when(value)


def _agency(value: Any) -> Agency:
    name, country, aliases, former_names = _list(value)
    former = tuple(_new(AgencyName, (_str(old), _when(until))) for old, until in map(_list, _list(former_names)))
    return _new(Agency, (_str(name), _maybe_str(country), _strs(aliases), former))


def _vehicle(value: Any) -> Vehicle:
    name, seats, boat, days, provider = _list(value)
    if days is not None and type(days) is not float and type(days) is not int:
        raise _Mismatch
    return _new(Vehicle, (_str(name), _int(seats), _str(boat), days, _maybe_str(provider)))


def _people(value: Any) -> dict[str, Person]:
    people = {}
    for key, row in _dict(value).items():
        id_, name, agency, land = row
        if type(row) is not list or type(id_) is not str or type(name) is not str or type(agency) is not str:
            raise _Mismatch
        if type(land) is not str:
            raise _Mismatch
        people[key] = _new(Person, (id_, name, agency, land))
    return people


def _relocation(value: Any) -> Relocation:
    start, end, port, crew = _list(value)
    return _new(Relocation, (_when(start), _when(end), _maybe_str(port), None if crew is None else _strs(crew)))


def _flight(value: Any) -> Flight:
    (id_, vehicle, launch, dock, undock, landing, port, relocations, up, down, grounded, note, tentative, uncertain,
     agencies) = value  # fmt: skip
    if (
        type(value) is not list
        or type(id_) is not str
        or type(vehicle) is not str
        or type(tentative) is not bool
        or (port is not None and type(port) is not str)
        or (note is not None and type(note) is not str)
    ):
        raise _Mismatch
    return _new(
        Flight,
        (
            id_,
            vehicle,
            _when(launch),
            _when(dock),
            None if undock is None else _when(undock),
            None if landing is None else _when(landing),
            port,
            tuple([_relocation(relocation) for relocation in _list(relocations)]) if relocations else (),
            _strs(up),
            _strs(down),
            None if grounded is None else _when(grounded),
            note,
            tentative,
            _strs(uncertain),
            tuple([(_str(person), _str(agency)) for person, agency in map(_list, _list(agencies))]) if agencies else (),
        ),
    )


def _expedition(value: Any) -> Expedition:
    number, start, began = _list(value)
    return _new(Expedition, (_int(number), _when(start), _str(began)))


def _agreement(value: Any) -> Agreement:
    name, parties, signed, start, until, flights, note, uncertain = _list(value)
    return _new(
        Agreement,
        (
            _str(name),
            _strs(parties),
            _when(signed),
            _maybe_when(start),
            _maybe_when(until),
            _strs(flights),
            _maybe_str(note),
            _strs(uncertain),
        ),
    )


def _manifest(value: Any) -> Manifest:
    format_, station, agencies, vehicles, people, flights, source, expeditions, agreements, as_of = _list(value)
    station_name, core_partners, max_crew = _list(station)
    if max_crew is not None:
        _int(max_crew)
    manifest: Manifest = _new(
        Manifest,
        (
            _int(format_),
            _new(Station, (_str(station_name), _strs(core_partners), max_crew)),
            {key: _agency(agency) for key, agency in _dict(agencies).items()},
            {key: _vehicle(vehicle) for key, vehicle in _dict(vehicles).items()},
            _people(people),
            tuple([_flight(flight) for flight in _list(flights)]),
            _str(source),
            tuple([_expedition(expedition) for expedition in _list(expeditions)]),
            tuple([_agreement(agreement) for agreement in _list(agreements)]),
            _maybe_when(as_of),
        ),
    )
    _check_names(manifest)
    return manifest


def _check_names(manifest: Manifest) -> None:
    """Every vehicle and person a flight names is in the manifest, as validation made sure when it was stored."""
    vehicles, people = manifest.vehicles, manifest.people
    for flight in manifest.flights:
        if flight.vehicle not in vehicles:
            raise _Mismatch
        for person in (*flight.up, *flight.down):
            if person not in people:
                raise _Mismatch
        for relocation in flight.relocations:
            for person in relocation.crew or ():
                if person not in people:
                    raise _Mismatch
        for person, _ in flight.agencies:
            if person not in people:
                raise _Mismatch
