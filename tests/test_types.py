"""The domain's closed sets are enums whose values are what the outputs print; each view has a renderer per format."""

from __future__ import annotations

import json

import pytest

from issmanifest.engine.margins import Direction, Event, upcoming_margins
from issmanifest.engine.rules import Severity, check_continuity
from issmanifest.manifest.loading import bundled_manifest, load_manifest
from issmanifest.manifest.model import parse_instant
from issmanifest.reports.chart import Grouping, chart_station
from issmanifest.reports.diff import ChangeKind, diff_manifests
from issmanifest.reports.stats import PeriodKind, station_stats


def at(text: str) -> int:
    return parse_instant(text).seconds


@pytest.fixture(scope="module")
def record():  # type: ignore[no-untyped-def]
    return load_manifest(bundled_manifest())


def test_enum_values_are_the_words_the_outputs_print() -> None:
    assert [str(member) for member in Severity] == ["error", "warning"]
    assert [str(member) for member in Event] == ["arrival", "departure"]
    assert [str(member) for member in Direction] == ["delay", "advance"]
    assert [str(member) for member in PeriodKind] == ["year", "expedition"]
    assert [str(member) for member in Grouping] == ["vehicle", "agency"]
    assert {"flight-added", "flight-removed", "flight-changed", "crew-changed", "person-added"} <= set(ChangeKind)
    assert json.dumps({"severity": Severity.ERROR, "kind": ChangeKind.CREW_CHANGED}) == (
        '{"severity": "error", "kind": "crew-changed"}'
    )


def test_results_carry_enum_members(record) -> None:  # type: ignore[no-untyped-def]
    found = check_continuity(record, record.first, record.horizon).findings
    assert found and all(type(finding.severity) is Severity for finding in found)
    margins = upcoming_margins(record, at("2025-11-01")).margins
    assert margins and all(type(m.event) is Event and type(m.direction) is Direction for m in margins)
    shifted = record._replace(flights=record.flights[:-1])
    changes = diff_manifests(record, shifted).changes
    assert changes and all(type(change.kind) is ChangeKind for change in changes)
    assert station_stats(record, at("2024-01-01"), at("2025-01-01")).by is PeriodKind.YEAR
    assert chart_station(record, at("2024-01-01"), at("2025-01-01"), at("2024-06-01")).by is Grouping.VEHICLE


def test_flags_are_keyword_only(record) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError):
        upcoming_margins(record, at("2025-11-01"), True)  # type: ignore[misc]
    assert upcoming_margins(record, at("2025-11-01"), handover=True).handover is True


def test_every_format_a_command_offers_has_a_renderer_for_its_view() -> None:
    from issmanifest.render import formats

    views = (formats.SHOW, formats.CHECK, formats.DIFF, formats.TIMELINE, formats.STATS, formats.MARGINS)
    for view in views:
        assert view.pick(formats.table()) is not None, view.name
        for fmt in formats.LIST_FORMATS[1:]:
            assert view.pick(formats.TEXT_FORMATS[fmt]()) is not None, (view.name, fmt)
    assert formats.SHOW.pick(formats.TEXT_FORMATS[formats.Format.OPEN_NOTIFY]()) is not None
    assert formats.CHECK.pick(formats.TEXT_FORMATS[formats.Format.OPEN_NOTIFY]()) is None


@pytest.mark.parametrize(
    ("command", "fmt", "offered"),
    [
        ("show", "open-notify", True),
        ("show", "github", False),
        ("check", "github", True),
        ("check", "open-notify", False),
        ("margins", "open-notify", False),
        ("stats", "csv", True),
    ],
)
def test_each_command_accepts_only_its_formats(cli, command: str, fmt: str, offered: bool) -> None:  # type: ignore[no-untyped-def]
    result = cli(command, "--format", fmt)
    if offered:
        assert result.exit_code in (0, 1), result.stderr
    else:
        assert result.exit_code == 2
        assert f"'{fmt}' is not one of" in result.stderr
