"""A diff's continuity impact judges only from where the two manifests part (reports/diff.py, `_alike_until`).

That is an optimisation, never a change: the impact must be what judging both whole windows gives.
"""

import os
from datetime import timedelta
from typing import Any

import pytest
import tomli_w
from conftest import examples
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import manifest_documents

from issmanifest.manifest.loading import bundled_manifest, load_manifest, parse_manifest
from issmanifest.manifest.model import DAY, When
from issmanifest.manifest.problems import ManifestError
from issmanifest.reports import diff as diff_module
from issmanifest.reports.diff import continuity_impact


def whole(old: Any, new: Any) -> diff_module.Impact:
    """The impact judged over both whole windows, as before the cut existed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(diff_module, "_alike_until", lambda *args: None)
        return continuity_impact(old, new)


def _shifted(value: Any, minutes: int) -> Any:
    return value + timedelta(minutes=minutes) if hasattr(value, "hour") else value + timedelta(days=minutes // 1440)


@st.composite
def edited_pairs(draw: st.DrawFn) -> tuple[str, str]:
    document = draw(manifest_documents(max_flights=7, bare_dates=draw(st.booleans()), spacing=2))
    edited = {**document, "flights": [dict(flight) for flight in document["flights"]]}
    flights = edited["flights"]
    index = draw(st.integers(0, len(flights) - 1))
    how = draw(st.sampled_from(["shift-undock", "shift-flight", "remove", "crew"]))
    flight = flights[index]
    minutes = draw(st.integers(-3000, 3000))
    if how == "shift-undock" and "undock" in flight:
        flight["undock"] = _shifted(flight["undock"], minutes)
    elif how == "shift-flight":
        for key in ("launch", "dock", "undock"):
            if key in flight:
                flight[key] = _shifted(flight[key], minutes)
    elif how == "remove":
        del flights[index]
    else:
        flight["down"] = flight["down"][:-1]
    return tomli_w.dumps(document), tomli_w.dumps(edited)


@settings(
    max_examples=int(os.environ.get("ORACLE_EXAMPLES", examples(300))),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(edited_pairs())
def test_the_impact_judged_from_the_cut_is_the_impact_judged_whole(pair: tuple[str, str]) -> None:
    try:
        old, new = parse_manifest(pair[0], "old.toml"), parse_manifest(pair[1], "new.toml")
    except ManifestError:
        assume(False)
        raise
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(diff_module, "_TRIED_AFTER", 0.0)  # a cut tried wherever the manifests part
        assert continuity_impact(old, new) == whole(old, new)


def _record_edits() -> list[tuple[str, Any]]:
    record = load_manifest(bundled_manifest())
    flights = record.flights
    last = max((f for f in flights if f.undock is not None), key=lambda f: f.undock.seconds)  # type: ignore[union-attr]
    assert last.undock is not None
    earlier = last._replace(undock=When(last.undock.seconds - 3600, last.undock.date_only))
    middle = flights[len(flights) // 2]

    def home_earlier(flight_id: str, days: int) -> Any:
        return record._replace(
            flights=tuple(
                f._replace(undock=When(f.undock.seconds - days * DAY, f.undock.date_only))
                if f.id == flight_id and f.undock is not None
                else f
                for f in flights
            )
        )

    return [
        ("Crew-11 home 90 days earlier", home_earlier("crew-11", 90)),  # found: 2 introduced, 3 changed
        ("Soyuz MS-27 home 30 days earlier", home_earlier("soyuz-ms-27", 30)),  # 3 introduced
        (
            "the last undocking an hour earlier",
            record._replace(flights=tuple(earlier if f is last else f for f in flights)),
        ),
        ("the last flight gone", record._replace(flights=flights[:-1])),
        (
            "a flight of 2009 a day later",
            record._replace(
                flights=tuple(
                    f._replace(dock=When(f.dock.seconds + DAY, f.dock.date_only)) if f is middle else f for f in flights
                )
            ),
        ),
        (
            "a crew member fewer home",
            record._replace(
                flights=tuple(f._replace(down=f.down[:-1]) if f is flights[-3] and f.down else f for f in flights)
            ),
        ),
    ]


@pytest.mark.parametrize("label", [label for label, _ in _record_edits()])
def test_edits_of_the_record_have_the_same_impact_either_way(label: str) -> None:
    record = load_manifest(bundled_manifest())
    edited = dict(_record_edits())[label]
    impact = continuity_impact(record, edited)
    assert impact == whole(record, edited)
    if "earlier" in label and "last" not in label:
        assert impact.introduced, label  # a change that matters: the comparison is exercised


def test_the_last_change_of_the_record_is_judged_from_the_cut_not_from_1998() -> None:
    """The benchmark's edit (the last undocking an hour earlier): the rules run from the changed flight's launch
    (January 2026), not from the first docking of 1998."""
    record = load_manifest(bundled_manifest())
    edited = dict(_record_edits())["the last undocking an hour earlier"]
    cut = diff_module._alike_until(record, edited, record.first, record.horizon)
    assert cut is not None and record.horizon is not None
    assert record.horizon - cut < 2 * 365 * DAY
