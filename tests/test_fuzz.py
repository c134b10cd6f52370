"""Whatever arrives, the only outcomes are a result or a clean error: never a traceback."""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
import tomli_w
from conftest import BUNDLED, examples, t
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import manifest_documents

from issmanifest.engine.rules import check_continuity
from issmanifest.engine.timeline import build_timeline
from issmanifest.manifest.loading import parse_manifest
from issmanifest.manifest.problems import ManifestError
from issmanifest.reports.diff import diff_manifests
from issmanifest.reports.snapshot import take_snapshot

ERROR_LINE = re.compile(r"^(<stdin>(:\d+(:\d+)?)?: .+|\.\.\. and \d+ more)$")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.dates(min_value=date(1, 1, 1)),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC) | st.none()),
    st.times(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid manifest with a few fields deleted, retyped or replaced by random values."""
    document = draw(manifest_documents(max_flights=4))
    for _ in range(draw(st.integers(0, 3))):
        people = document.get("people")
        flights = document.get("flights")
        tables = [document]
        if isinstance(people, dict):
            tables += [people, *(value for value in people.values() if isinstance(value, dict))]
        if isinstance(flights, list):
            tables += [value for value in flights if isinstance(value, dict)]
        table = draw(st.sampled_from(tables))
        if not table:
            continue
        key = draw(st.sampled_from([*sorted(table), "extra"]))
        if draw(st.booleans()) and key in table:
            del table[key]
        else:
            table[key] = draw(values)
    return document


def _toml(document: dict[str, Any]) -> str | None:
    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [clean(v) for v in value if v is not None]
        return value

    try:
        return tomli_w.dumps(clean(document))
    except (TypeError, ValueError):
        return None


@settings(
    max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(mutated_documents(), st.integers(0, 4000 * 60))
def test_load_show_check_and_diff_give_a_result_or_a_clean_error(document: dict[str, Any], offset: int) -> None:
    text = _toml(document)
    if text is None:
        return
    try:
        manifest = parse_manifest(text, "fuzz.toml")
    except ManifestError as error:
        assert error.problems and all(str(problem).startswith("fuzz.toml") for problem in error.problems)
        return
    timeline = build_timeline(manifest)
    take_snapshot(manifest, t("2030-01-01") + offset)
    check_continuity(manifest, timeline.first, timeline.horizon)
    assert diff_manifests(manifest, manifest).empty
    diff_manifests(parse_manifest("format = 1\n", "empty.toml"), manifest)


def _mutate(data: bytes, rng: random.Random) -> bytes:
    """One seeded mutation at the byte or the token level."""
    lines = data.split(b"\n")
    choice = rng.randrange(8)
    if choice == 0:
        position = rng.randrange(len(data))
        return data[:position] + bytes([rng.randrange(256)]) + data[position + 1 :]
    if choice == 1:
        position = rng.randrange(len(data))
        return data[:position] + data[position + rng.randrange(1, 40) :]
    if choice == 2:
        index = rng.randrange(len(lines))
        return b"\n".join([*lines[:index], lines[index], *lines[index:]])
    if choice == 3:
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
        return b"\n".join(lines)
    if choice == 4:
        dates = re.findall(rb"\d{4}-\d\d-\d\d(?:T\d\d:\d\d:\d\dZ)?", data)
        old, new = rng.choice(dates), rng.choice(dates)
        return data.replace(old, new, 1)
    if choice == 5:
        ids = re.findall(rb'"([a-z0-9-]+)"', data)
        old, new = rng.choice(ids), rng.choice(ids)
        return data.replace(b'"' + old + b'"', b'"' + new + b'"', rng.randrange(1, 3))
    if choice == 6:
        index = rng.randrange(len(lines))
        return b"\n".join(lines[:index] + lines[index + 1 :])
    tokens = [b"]", b"[", b"=", b'"', b"{", b"}", b",", b"[[flights]]", b"\x1b[2J", b"\xff"]
    position = rng.randrange(len(data))
    return data[:position] + rng.choice(tokens) + data[position:]


@pytest.mark.slow  # hundreds of CLI calls; CI runs it, the quick run keeps the generated-input fuzz
def test_mutations_of_the_bundled_manifest_never_crash_the_cli(cli) -> None:
    original = BUNDLED.read_bytes()
    rng = random.Random(20261126)
    for number in range(examples(60)):
        data = original
        for _ in range(rng.randrange(1, 4)):
            data = _mutate(data, rng)
        for args in (("check", "-", "--all"), ("show", "-", "--at", "2015-06-01"), ("diff", str(BUNDLED), "-")):
            run = cli(*args, "--format", "json", input=data)
            context = f"mutation {number}, {args[0]}: {run.stderr[:500]}"
            assert run.exit_code in (0, 1, 2), context
            assert "Traceback" not in run.stderr and "internal error" not in run.stderr, context
            if run.exit_code == 2:
                assert run.stdout == "", context
                assert all(ERROR_LINE.match(line) for line in run.stderr.splitlines()), context
            else:
                json.loads(run.stdout)
