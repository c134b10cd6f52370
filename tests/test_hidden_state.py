"""Nothing module-level remembers a manifest: a changed copy gets its own findings."""

from __future__ import annotations

import pytest
from conftest import build, flight, t

from issmanifest.engine.analysis import Analysis
from issmanifest.engine.rules import ERROR, WARNING, check_continuity
from issmanifest.manifest.model import Manifest


def _two_soyuz() -> Manifest:
    # ru1, the only Roscosmos person, goes up on a and comes home on b; NASA hands over from nasa1 to nasa2.
    return build(
        flight("a", "2022-01-01T00:00:00Z", "2022-03-01T00:00:00Z", ["ru1", "nasa1"], down=["nasa1"]),
        flight("b", "2022-02-01T00:00:00Z", "2022-06-01T00:00:00Z", ["nasa2"], down=["nasa2", "ru1"]),
    )


def _found(manifest: Manifest) -> list[tuple[str, str, int, int | None, str]]:
    result = check_continuity(manifest, t("2022-01-01"), t("2022-06-01"))
    return [(f.rule, f.severity, f.start, f.end, f.subject) for f in result.findings]


def test_a_copy_with_one_agency_changed_gets_its_own_findings() -> None:
    manifest = _two_soyuz()
    # Roscosmos is aboard throughout; each partner is exposed while it rides home on one docked vehicle.
    assert _found(manifest) == [
        ("vehicle-loss", WARNING, t("2022-01-01"), t("2022-02-01"), "a/NASA"),
        ("vehicle-loss", WARNING, t("2022-02-01"), t("2022-06-01"), "b/Roscosmos"),
        ("vehicle-loss", WARNING, t("2022-03-01"), t("2022-06-01"), "b/NASA"),
    ]
    people = {**manifest.people, "ru1": manifest.people["ru1"]._replace(agency="NASA")}
    changed = manifest._replace(people=people)
    assert changed.flights is manifest.flights
    # ru1 now counts for NASA: no Roscosmos crew at all, and NASA rides home on b alone once a has left.
    assert _found(changed) == [
        ("partner-presence", ERROR, t("2022-01-01"), t("2022-06-01"), "Roscosmos"),
        ("vehicle-loss", WARNING, t("2022-03-01"), t("2022-06-01"), "b/NASA"),
    ]
    (gap, _) = check_continuity(changed, t("2022-01-01"), t("2022-06-01")).findings
    assert gap.message == "no Roscosmos crew aboard for 151 days"
    # And the first manifest still has its own.
    assert [finding[4] for finding in _found(manifest)] == ["a/NASA", "b/Roscosmos", "b/NASA"]


def test_an_analysis_answers_only_for_its_own_manifest() -> None:
    manifest = _two_soyuz()
    changed = manifest._replace(people=dict(manifest.people))
    with pytest.raises(ValueError, match="another manifest"):
        check_continuity(changed, t("2022-01-01"), t("2022-06-01"), Analysis.of(manifest))
