"""The cache of checked manifests: a hit is the same model, anything doubtful is a miss."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

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
    assert len(list(folder.glob("*.pickle"))) == 1
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
    assert len(list(folder.glob("*.pickle"))) == 2


def test_changed_built_in_defaults_are_a_miss(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = bundled_manifest()
    assert load_manifest(source).vehicles["Soyuz MS"].max_docked_days == defaults.VEHICLES["Soyuz MS"].max_docked_days
    changed = defaults.VEHICLES["Soyuz MS"]._replace(max_docked_days=99)
    monkeypatch.setitem(defaults.VEHICLES, "Soyuz MS", changed)
    assert load_manifest(source).vehicles["Soyuz MS"].max_docked_days == 99


def test_a_corrupt_entry_is_a_miss_not_an_error(folder: Path) -> None:
    source = bundled_manifest()
    load_manifest(source)
    (entry,) = folder.glob("*.pickle")
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
    assert len(list(folder.glob("*.pickle"))) == 2


def test_an_entry_is_used_only_for_its_own_bytes(folder: Path, tmp_path: Path) -> None:
    """Entries are named by a CRC, which two manifests may share: the stored key must match byte for byte."""
    first, second = tmp_path / "first.toml", tmp_path / "second.toml"
    text = bundled_manifest().read_text(encoding="utf-8")
    first.write_text(text, encoding="utf-8")
    second.write_text(text.replace('name = "Frank Rubio"', 'name = "Francisco Rubio"'), encoding="utf-8")
    load_manifest(first)
    (entry,) = folder.glob("*.pickle")
    key = cache._key(second.read_bytes())
    entry.rename(folder / f"{zlib.crc32(key):08x}.pickle")  # as if the two collided
    assert load_manifest(second).people["rubio"].name == "Francisco Rubio"
