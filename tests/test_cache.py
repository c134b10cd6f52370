"""The cache of checked manifests: a hit is the same model, anything doubtful is a miss."""

from __future__ import annotations

import os
import pickle
import pwd
import re
import shutil
import stat
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run, examples, manifest_text
from hypothesis import HealthCheck, given, settings
from strategies import manifest_texts

from issmanifest.manifest import cache, defaults
from issmanifest.manifest.loading import bundled_manifest, load_manifest, parse_manifest


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ISSMANIFEST_CACHE", raising=False)
    monkeypatch.setenv("ISSMANIFEST_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_manifest_read_again_comes_from_the_cache_and_equals_a_fresh_read(folder: Path) -> None:
    source = bundled_manifest()
    first = load_manifest(source, "iss.toml")
    assert len(list(folder.glob("*.model"))) == 1
    again = load_manifest(source, "other-name.toml")
    assert again == parse_manifest(source.read_text(encoding="utf-8"), "other-name.toml")
    assert again.source == "other-name.toml" and first.source == "iss.toml"


def test_a_changed_byte_is_a_miss(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    text = bundled_manifest().read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    load_manifest(path)
    path.write_text(text.replace('name = "Frank Rubio"', 'name = "Francisco Rubio"'), encoding="utf-8")
    assert load_manifest(path).people["rubio"].name == "Francisco Rubio"
    assert len(list(folder.glob("*.model"))) == 2


def test_changed_built_in_defaults_are_a_miss(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = bundled_manifest()
    assert load_manifest(source).vehicles["Soyuz MS"].max_docked_days == defaults.VEHICLES["Soyuz MS"].max_docked_days
    changed = defaults.VEHICLES["Soyuz MS"]._replace(max_docked_days=99)
    monkeypatch.setitem(defaults.VEHICLES, "Soyuz MS", changed)
    assert load_manifest(source).vehicles["Soyuz MS"].max_docked_days == 99


def test_a_corrupt_entry_is_a_miss_not_an_error(folder: Path) -> None:
    source = bundled_manifest()
    load_manifest(source)
    (entry,) = folder.glob("*.model")
    entry.write_bytes(b"not a pickle")
    assert load_manifest(source) == parse_manifest(source.read_text(encoding="utf-8"), str(source))


def test_an_unwritable_cache_is_quietly_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("ISSMANIFEST_CACHE_DIR", str(blocker / "cache"))
    assert load_manifest(bundled_manifest()).flights


def test_the_cache_can_be_turned_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISSMANIFEST_CACHE", "off")
    assert cache.folder() is None
    load_manifest(bundled_manifest())
    assert not folder.exists()


def test_old_entries_go_first(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 2)
    text = bundled_manifest().read_text(encoding="utf-8")
    for number in range(4):
        path = tmp_path / f"m{number}.toml"
        path.write_text(text + f"\n# copy {number}\n", encoding="utf-8")
        load_manifest(path)
    assert len(list(folder.glob("*.model"))) == 2


def test_an_entry_is_used_only_for_its_own_bytes(folder: Path, tmp_path: Path) -> None:
    """Entries are named by a CRC, which two manifests may share: the stored key must match byte for byte."""
    first, second = tmp_path / "first.toml", tmp_path / "second.toml"
    text = bundled_manifest().read_text(encoding="utf-8")
    first.write_text(text, encoding="utf-8")
    second.write_text(text.replace('name = "Frank Rubio"', 'name = "Francisco Rubio"'), encoding="utf-8")
    load_manifest(first)
    (entry,) = folder.glob("*.model")
    key = cache._key(second.read_bytes())
    entry.rename(folder / f"{zlib.crc32(key):08x}.model")  # as if the two collided
    assert load_manifest(second).people["rubio"].name == "Francisco Rubio"


# -- safety: nothing read from the cache runs code, and only the user's own private folder is used --

ROOT_ONLY = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")


class Planted:
    """Unpickled, this creates a file: what an attacker would plant to run code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return (Path.touch, (self.marker,))


def entries(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def copy_of_the_record(tmp_path: Path, name: str = "m.toml") -> Path:
    path = tmp_path / name
    path.write_bytes(bundled_manifest().read_bytes())
    return path


def rubio(path: Path) -> str:
    return load_manifest(path).people["rubio"].name


def tampered(folder: Path, path: Path) -> Path:
    """Keep `path` in a private cache, then change the model in its entry: a hit now says "Frank Rubix"."""
    folder.mkdir(mode=0o700, exist_ok=True)
    assert rubio(path) == "Frank Rubio"
    (name,) = entries(folder)
    entry = folder / name
    # The manifest's own bytes (the key) say name = "Frank Rubio"; only the model's copy of the name is changed.
    data = re.sub(rb'(?<!name = ")Frank Rubio', b"Frank Rubix", entry.read_bytes())
    assert data != entry.read_bytes()
    entry.write_bytes(data)
    assert rubio(path) == "Frank Rubix", "the tampered entry should be a hit while the folder is trusted"
    return entry


def test_a_planted_pickle_runs_nothing_and_the_command_answers(
    cli: Callable[..., Run], folder: Path, tmp_path: Path
) -> None:
    path = copy_of_the_record(tmp_path)
    marker = tmp_path / "pwned"
    folder.mkdir(mode=0o700)
    entry = cache._entry(cache._key(path.read_bytes()))
    assert entry is not None and entry.parent == folder
    entry.write_bytes(pickle.dumps(Planted(marker)))
    result = cli("show", str(path), "--at", "2023-06-01")
    assert result.exit_code == 0, result.stderr
    assert not marker.exists()
    assert "Frank Rubio" in result.stdout and "Sergey Prokopyev" in result.stdout
    assert "Sultan Alneyadi" in result.stdout  # aboard from 2023-03-03
    result = cli("show", str(path), "--at", "2023-06-01")  # and now from the cache, rewritten by the first call
    assert result.exit_code == 0, result.stderr
    assert "Frank Rubio" in result.stdout and not marker.exists()


def test_the_folder_and_its_entries_are_private(folder: Path, tmp_path: Path) -> None:
    os.umask(old := os.umask(0o022))
    try:
        load_manifest(copy_of_the_record(tmp_path))
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (name,) = entries(folder)
    assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600


def test_a_group_writable_folder_is_neither_read_nor_written(folder: Path, tmp_path: Path) -> None:
    path = copy_of_the_record(tmp_path)
    tampered(folder, path)
    before = entries(folder)
    for mode in (0o770, 0o707):
        folder.chmod(mode)
        assert rubio(path) == "Frank Rubio"
        other = copy_of_the_record(tmp_path, f"other-{mode:o}.toml")
        other.write_text(other.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
        assert rubio(other) == "Frank Rubio"
        assert entries(folder) == before


@ROOT_ONLY
def test_a_folder_owned_by_another_user_is_not_used(folder: Path, tmp_path: Path) -> None:
    path = copy_of_the_record(tmp_path)
    tampered(folder, path)
    before = entries(folder)
    os.chown(folder, 65534, 65534)
    assert rubio(path) == "Frank Rubio"
    other = copy_of_the_record(tmp_path, "other.toml")
    other.write_text(other.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
    assert rubio(other) == "Frank Rubio"
    assert entries(folder) == before


@ROOT_ONLY
def test_an_entry_owned_by_another_user_is_refused(folder: Path, tmp_path: Path) -> None:
    path = copy_of_the_record(tmp_path)
    entry = tampered(folder, path)
    os.chown(entry, 65534, 65534)
    assert rubio(path) == "Frank Rubio"


def test_a_symlinked_entry_is_refused(folder: Path, tmp_path: Path) -> None:
    path = copy_of_the_record(tmp_path)
    entry = tampered(folder, path)
    elsewhere = tmp_path / "elsewhere"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert rubio(path) == "Frank Rubio"
    assert elsewhere.read_bytes().count(b"Frank Rubix") == 1, "the link's target is left alone"


def test_a_fifo_in_place_of_an_entry_does_not_hang(folder: Path, tmp_path: Path) -> None:
    path = copy_of_the_record(tmp_path)
    folder.mkdir(mode=0o700)
    entry = cache._entry(cache._key(path.read_bytes()))
    assert entry is not None
    os.mkfifo(entry)
    program = "import sys; from issmanifest.manifest.loading import load_manifest; print(load_manifest(sys.argv[1]).people['rubio'].name)"
    done = subprocess.run(
        [sys.executable, "-c", program, str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout) == (0, "Frank Rubio\n"), done.stderr


def test_a_changed_source_file_misses_the_cache(folder: Path, tmp_path: Path) -> None:
    """Run a copy of the package twice with a tampered entry between: a hit, then, once a source file changed, a miss."""
    package = Path(cache.__file__).parent.parent  # all of issmanifest/
    copy = tmp_path / "installed"
    shutil.copytree(package, copy / "issmanifest", ignore=shutil.ignore_patterns("__pycache__"))
    path = copy_of_the_record(tmp_path)
    folder.mkdir(mode=0o700)
    program = (
        "import sys, issmanifest; from issmanifest.manifest.loading import load_manifest;"
        "print(issmanifest.__file__); print(load_manifest(sys.argv[1]).people['rubio'].name)"
    )
    environment = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}

    def run() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", program, str(path)],
            capture_output=True,
            text=True,
            env=environment,
            cwd=tmp_path,  # not the checkout, which `-c` would put first on the path
            check=True,
        )
        return done.stdout.splitlines()

    where, name = run()
    assert Path(where).parent == copy / "issmanifest"
    assert name == "Frank Rubio"
    (entry,) = entries(folder)
    tampered_bytes = re.sub(rb'(?<!name = ")Frank Rubio', b"Frank Rubix", (folder / entry).read_bytes())
    (folder / entry).write_bytes(tampered_bytes)
    assert run()[1] == "Frank Rubix"  # unchanged code: a hit
    rules = copy / "issmanifest" / "render" / "table.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert run()[1] == "Frank Rubio"  # changed code: a miss
    (entry,) = set(entries(folder)) - {entry}
    (folder / entry).write_bytes(re.sub(rb'(?<!name = ")Frank Rubio', b"Frank Rubix", (folder / entry).read_bytes()))
    assert run()[1] == "Frank Rubix"
    later = rules.stat().st_mtime_ns + 10**9
    os.utime(rules, ns=(later, later))  # the same bytes, written again: as an upgrade to the same size would be
    assert run()[1] == "Frank Rubio"


@pytest.fixture
def homeless(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No cache setting at all, working in an empty folder: the cache would go under HOME."""
    for name in ("ISSMANIFEST_CACHE", "ISSMANIFEST_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def test_without_home_there_is_no_cache_and_no_folder(
    homeless: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_such_user(uid: int) -> object:
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", no_such_user)  # a uid without an entry, as in many containers
    path = copy_of_the_record(tmp_path)
    assert cache.folder() is None
    assert rubio(path) == "Frank Rubio"
    assert list(homeless.iterdir()) == []


def test_a_home_that_does_not_exist_is_not_created(
    homeless: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "nowhere"))
    assert rubio(copy_of_the_record(tmp_path)) == "Frank Rubio"
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("home", ["", "/", "~", "relative/home"])
def test_a_home_that_is_no_place_for_a_cache_means_no_cache(
    homeless: Path, monkeypatch: pytest.MonkeyPatch, home: str
) -> None:
    monkeypatch.setenv("HOME", home)
    assert cache.folder() is None


def test_a_relative_xdg_cache_home_is_ignored(homeless: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    assert cache.folder() == tmp_path / "home" / ".cache" / "issmanifest"
    load_manifest(copy_of_the_record(tmp_path))
    assert list(homeless.iterdir()) == []
    assert len(entries(tmp_path / "home" / ".cache" / "issmanifest")) == 1


def test_the_model_from_the_cache_equals_the_parsed_one_to_the_last_field(
    folder: Path, write: Callable[..., Path]
) -> None:
    """Every kind of value a model holds, through an entry and back: tuples stay tuples, dates stay dates."""
    text = manifest_text(
        """
[[flights]]
id = "a"
vehicle = "Capsule"
launch = 2030-01-01T00:00:00Z
dock = 2030-01-02
undock = 2030-03-01T10:00:00Z
landing = 2030-03-01T14:00:00Z
port = "A"
up = ["nasa1", "ru1"]
down = ["nasa1", "ru1"]
relocations = [{ start = 2030-02-01T00:00:00Z, end = 2030-02-01T01:00:00Z, port = "B", crew = [] }]
agencies = { nasa1 = "Space Corp" }
uncertain = ["landing"]
note = "a note \u00e9\u6f22"

[[flights]]
id = "b"
vehicle = "Soyuz MS"
launch = 2030-02-20T00:00:00Z
dock = 2030-02-20T06:00:00Z
up = ["ru2"]
tentative = true
grounded = 2030-02-25
""",
        header="""
[station]
name = "Test Station"
core_partners = ["NASA"]
max_crew = 6

[agencies]
"Space Corp" = { country = "US", aliases = ["SC"], former_names = [{ name = "Old Corp", until = 2020-01-01 }] }

[vehicles]
Capsule = { seats = 2, lifeboat = "assigned", max_docked_days = 210.5 }

[expeditions]
1 = "a"
""",
    )
    path = write(text)
    parsed = parse_manifest(text, str(path))
    assert load_manifest(path) == parsed  # a miss, stored
    cached = cache.fetch(path.read_bytes())
    assert cached is not None
    assert cached == parsed
    assert repr(cached) == repr(parsed)  # the same types too: bool stays bool, float stays float, tuples stay tuples


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(manifest_texts(max_flights=5))
def test_generated_manifests_come_back_from_the_cache_unchanged(folder: Path, text: str) -> None:
    data = text.encode()
    parsed = parse_manifest(text, "m.toml")
    cache.store(data, parsed)
    cached = cache.fetch(data)
    assert cached is not None
    assert repr(cached) == repr(parsed)


def test_the_bundled_record_comes_back_from_the_cache_unchanged(folder: Path) -> None:
    source = bundled_manifest()
    parsed = parse_manifest(source.read_text(encoding="utf-8"), str(source))
    cache.store(source.read_bytes(), parsed)
    assert repr(cache.fetch(source.read_bytes())) == repr(parsed)


def test_pickles_left_by_earlier_builds_are_removed_not_read(folder: Path, tmp_path: Path) -> None:
    path = copy_of_the_record(tmp_path)
    folder.mkdir(mode=0o700)
    marker = tmp_path / "pwned"
    old = folder / f"{zlib.crc32(b'anything'):08x}.pickle"
    old.write_bytes(pickle.dumps(Planted(marker)))
    keep = folder / "notes.pickle"  # not a name the cache gives: not its to remove
    keep.write_bytes(b"")
    assert rubio(path) == "Frank Rubio"
    assert not old.exists() and keep.exists() and not marker.exists()
