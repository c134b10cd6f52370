"""The continuity rules on small hand-made manifests: exact findings and exit codes."""

from __future__ import annotations

from conftest import build, flight, manifest_text, t

from issmanifest.engine.rules import ERROR, WARNING, Finding, check_continuity
from issmanifest.engine.timeline import build_timeline


def findings(manifest, start: str | None = None, end: str | None = None, rules: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    """The findings of the rules named (all rules if none), as tuples, and the whole check."""
    timeline = build_timeline(manifest)
    result = check_continuity(manifest, t(start) if start else timeline.first, t(end) if end else timeline.horizon)
    chosen = [f for f in result.findings if not rules or f.rule in rules]
    return [(f.rule, f.severity, f.start, f.end, f.subject) for f in chosen], result._replace(findings=tuple(chosen))


def test_a_one_minute_gap_is_found() -> None:
    manifest = build(
        flight("a", "2022-01-01T00:00:00Z", "2022-03-01T12:00:00Z", ["ru1", "nasa1"]),
        flight("b", "2022-02-01T00:00:00Z", "2022-06-01T00:00:00Z", ["nasa2"]),
        flight("c", "2022-03-01T12:01:00Z", "2022-06-01T00:00:00Z", ["ru2"]),
    )
    found, result = findings(manifest, rules=("partner-presence",))
    assert found == [("partner-presence", ERROR, t("2022-03-01T12:00:00Z"), t("2022-03-01T12:01:00Z"), "Roscosmos")]
    (gap,) = result.findings
    assert gap.message == "no Roscosmos crew aboard for 1 min, after a leaves, until c arrives"
    assert (gap.partner, gap.flight) == ("Roscosmos", "a")


def test_a_same_day_handover_with_bare_dates_is_a_warning_not_an_error() -> None:
    manifest = build(
        flight("a", "2026-01-01", "2026-07-26", ["ru1", "nasa1"]),
        flight("b", "2026-07-26", "2026-12-01", ["ru2", "nasa2"]),
    )
    found, result = findings(manifest, rules=("partner-presence",))
    day = (t("2026-07-26"), t("2026-07-27"))
    assert found == [
        ("partner-presence", WARNING, *day, "NASA"),
        ("partner-presence", WARNING, *day, "Roscosmos"),
    ]
    assert all(f.date_only for f in result.findings)
    assert result.findings[0].message == (
        "no NASA crew aboard for 1 day, after a leaves, until b arrives (possible only because a date has no time of day)"
    )
    full = check_continuity(manifest, t("2026-01-01"), t("2026-12-01"))
    assert full.ok() and not full.ok(strict=True)


def test_a_gap_of_a_whole_day_between_bare_dates_is_an_error() -> None:
    manifest = build(
        flight("a", "2026-01-01", "2026-07-26", ["ru1", "nasa1"]),
        flight("b", "2026-07-28", "2026-12-01", ["ru2", "nasa2"]),
    )
    found, _ = findings(manifest, rules=("partner-presence",))
    # Certainly nobody on the 27th; perhaps also on the 26th (a left early) and the 28th (b came late).
    assert [finding for finding in found if finding[4] == "NASA"] == [
        ("partner-presence", WARNING, t("2026-07-26"), t("2026-07-27"), "NASA"),
        ("partner-presence", ERROR, t("2026-07-27"), t("2026-07-28"), "NASA"),
        ("partner-presence", WARNING, t("2026-07-28"), t("2026-07-29"), "NASA"),
    ]


def test_a_grounded_vehicle_is_no_lifeboat() -> None:
    manifest = build(
        flight(
            "soyuz",
            "2022-09-21T17:06:00Z",
            "2023-03-28T09:57:00Z",
            ["ru1", "ru2", "nasa1"],
            down=[],
            grounded="2022-12-14",
        ),
        flight(
            "dragon",
            "2022-10-06T21:01:00Z",
            "2023-03-11T07:19:00Z",
            ["nasa2", "nasa3", "esa1", "ru3"],
            vehicle="Crew Dragon",
        ),
        flight("rescue", "2023-02-26T00:58:00Z", "2023-09-27T07:54:00Z", [], down=["ru1", "ru2", "nasa1"]),
    )
    found, result = findings(manifest)
    assert ("lifeboat-seats", ERROR, t("2022-12-14"), t("2023-02-26T00:58:00Z"), "station") in found
    lifeboat = next(f for f in result.findings if f.rule == "lifeboat-seats")
    assert lifeboat.message == "7 aboard but 4 seats home in docked vehicles; soyuz grounded"


def test_two_vehicles_on_one_port() -> None:
    manifest = build(
        flight("a", "2022-01-01", "2022-06-01", ["ru1", "nasa1"], port="Rassvet"),
        flight("b", "2022-05-01T10:00:00Z", "2022-09-01", ["ru2", "nasa2"], port="rassvet"),
    )
    found, result = findings(manifest, rules=("port-conflict",))
    assert found == [
        ("port-conflict", ERROR, t("2022-05-01T10:00:00Z"), t("2022-06-01"), "Rassvet"),
        # a left on 2022-06-01 at a time not given: perhaps late that day.
        ("port-conflict", WARNING, t("2022-06-01"), t("2022-06-02"), "Rassvet"),
    ]
    assert result.findings[0].message == "a and b both at Rassvet"


def test_a_relocation_frees_the_old_port() -> None:
    move = '[{ start = 2022-04-30T09:00:00Z, end = 2022-04-30T09:30:00Z, port = "Poisk" }]'
    manifest = build(
        flight("a", "2022-01-01", "2022-06-01", ["ru1", "nasa1"], port="Rassvet", relocations=move),
        flight("b", "2022-05-01", "2022-09-01", ["ru2", "nasa2"], port="Rassvet"),
    )
    found, _ = findings(manifest)
    assert [f for f in found if f[0] == "port-conflict"] == []
    assert ("partner-presence", WARNING, t("2022-04-30T09:00:00Z"), t("2022-04-30T09:30:00Z"), "NASA") in found


def test_a_crew_coming_down_on_another_vehicle_counts_on_that_vehicle() -> None:
    manifest = build(
        flight("starliner", "2024-06-06", "2024-09-06", ["nasa1", "nasa2"], down=[], vehicle="Starliner"),
        flight("crew-8", "2024-03-05", "2024-10-23", ["nasa3", "ru1", "esa1", "jp1"], vehicle="Crew Dragon"),
        flight("soyuz", "2024-03-25", "2024-12-01", ["ru2", "ru3", "nasa4"]),
        flight("crew-9", "2024-09-29", "2025-03-18", ["ru4"], down=["ru4", "nasa1", "nasa2"], vehicle="Crew Dragon"),
    )
    found, result = findings(manifest, "2024-06-01", "2024-12-01", rules=("lifeboat-seats",))
    # After Starliner left empty: 9 aboard with 4 + 3 seats until Crew-9 docked. Starliner left on
    # 2024-09-06, time unknown: certainly gone from the 7th, perhaps already on the 6th.
    assert found == [
        ("lifeboat-seats", WARNING, t("2024-09-06"), t("2024-09-07"), "station"),
        ("lifeboat-seats", ERROR, t("2024-09-07"), t("2024-09-29"), "station"),
        ("lifeboat-seats", WARNING, t("2024-09-29"), t("2024-09-30"), "station"),
    ]
    assert result.findings[1].message == "9 aboard but 7 seats home in docked vehicles"


def test_vehicle_loss_when_a_partner_rides_home_on_one_vehicle() -> None:
    manifest = build(
        flight("soyuz", "2021-10-05", "2022-03-30", ["ru1", "ru2", "nasa1"]),
        flight("dragon", "2021-11-11", "2022-05-05", ["nasa2", "nasa3", "esa1", "jp1"], vehicle="Crew Dragon"),
    )
    found, result = findings(manifest, "2021-10-05", rules=("vehicle-loss",))
    assert found == [
        ("vehicle-loss", WARNING, t("2021-10-05"), t("2021-11-11"), "soyuz/NASA"),
        # Bare dates stretch stays as long as they may be: the soyuz leaves at the end of 2022-03-30.
        ("vehicle-loss", WARNING, t("2021-10-05"), t("2022-03-31"), "soyuz/Roscosmos"),
        ("vehicle-loss", WARNING, t("2022-03-31"), t("2022-05-05"), "dragon/NASA"),
    ]
    assert result.findings[1].message == (
        "if soyuz had to leave, Roscosmos would have no one aboard: Ivan Ivanov, Pyotr Petrov ride home on it"
    )
    assert result.findings[1].people == ("ru1", "ru2")


def test_seat_swap_crews_end_the_vehicle_loss_exposure() -> None:
    manifest = build(
        flight("soyuz", "2022-09-21", "2023-03-28", ["ru1", "ru2", "nasa1"]),
        flight("dragon", "2022-10-06", "2023-03-11", ["nasa2", "nasa3", "jp1", "ru3"], vehicle="Crew Dragon"),
    )
    found, _ = findings(manifest, "2022-10-06", "2023-03-11")
    assert found == []


def test_crew_capacity_warning() -> None:
    manifest = build(
        flight("a", "2022-01-01", "2022-06-01", ["ru1", "nasa1", "nasa2"]),
        flight("b", "2022-03-01", "2022-04-01", ["ru2", "nasa3", "esa1", "jp1"], vehicle="Crew Dragon"),
        header="[station]\nmax_crew = 6\n",
    )
    found, result = findings(manifest, rules=("crew-capacity",))
    assert found == [("crew-capacity", WARNING, t("2022-03-01"), t("2022-04-02"), "station")]
    assert result.findings[0].message == "7 aboard, more than the station's 6"


def test_an_empty_window_says_so(cli, write) -> None:
    path = write(manifest_text(flight("a", "2022-01-01", "2022-06-01", ["ru1", "nasa1"])))
    run = cli("check", str(path), "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert data["ok"] is True and data["findings"] == []
    assert (data["from"], data["until"]) == ("2026-11-26T12:00:00Z", "2022-06-01T00:00:00Z")
    text = cli("check", str(path), "--format", "text").stdout
    assert (
        text.splitlines()[0]
        == "verdict\tNothing to check: the window is empty (the manifest's last event is 2022-06-01)"
    )


def test_check_exit_codes_and_json(cli, write) -> None:
    gap = write(
        manifest_text(
            flight("a", "2022-01-01T00:00:00Z", "2022-03-01T12:00:00Z", ["ru1", "nasa1"]),
            flight("b", "2022-02-01T00:00:00Z", "2022-06-01T00:00:00Z", ["nasa2"]),
            flight("c", "2022-03-01T12:01:00Z", "2022-06-01T00:00:00Z", ["ru2"]),
        )
    )
    run = cli("check", str(gap), "--all", "--format", "json")
    assert run.exit_code == 1, run.stderr
    data = run.json()
    errors = [finding for finding in data.pop("findings") if finding["severity"] == "error"]
    assert data == {
        "version": 1,
        "ok": False,
        "from": "2022-01-01T00:00:00Z",
        "until": "2022-06-01T00:00:00Z",
        "horizon": "2022-06-01T00:00:00Z",
        "open_ended": False,
        "unconfirmed": False,
        "rests_on": [],
    }
    assert errors == [
        {
            "rule": "partner-presence",
            "severity": "error",
            "start": "2022-03-01T12:00:00Z",
            "end": "2022-03-01T12:01:00Z",
            "message": "no Roscosmos crew aboard for 1 min, after a leaves, until c arrives",
            "subject": "Roscosmos",
            "partner": "Roscosmos",
            "flight": "a",
        }
    ]
    # Before the gap, and with --from/--until around it only.
    assert cli("check", str(gap), "--from", "2022-01-01", "--until", "2022-03-01").exit_code == 0
    assert cli("check", str(gap), "--from", "2022-03-01T12:00:30Z", "--until", "2022-03-02").exit_code == 1
    warn = write(manifest_text(flight("a", "2021-10-05", "2022-03-30", ["ru1", "nasa1"])), "warn.toml")
    assert cli("check", str(warn), "--all").exit_code == 0
    assert cli("check", str(warn), "--all", "--strict").exit_code == 1
    assert cli("check", str(warn), "--from", "yesterday").exit_code == 2


def test_check_on_the_bundled_record(cli) -> None:
    run = cli("check", "--all", "--format", "json")
    assert run.exit_code == 1, run.stderr
    data = run.json()
    errors = [(f["rule"], f["start"], f["end"]) for f in data["findings"] if f["severity"] == "error"]
    assert errors == [
        # Soyuz TMA-14 moved with Padalka and Barratt; Wakata stayed inside with three seats for four.
        ("lifeboat-seats", "2009-07-02T21:29:00Z", "2009-07-02T21:54:00Z"),
        # Soyuz MS-22's coolant leak until Soyuz MS-23 docked.
        ("lifeboat-seats", "2022-12-14T00:00:00Z", "2023-02-26T00:58:00Z"),
        # Starliner left without its crew until Crew-9 docked.
        ("lifeboat-seats", "2024-09-06T22:04:00Z", "2024-09-29T21:30:00Z"),
    ]
    loss = [f for f in data["findings"] if f["rule"] == "vehicle-loss"]
    # Before the seat swap, every cosmonaut rode one Soyuz home...
    assert any(f["subject"] == "soyuz-ms-19/Roscosmos" and f["start"] == "2021-12-19T23:50:00Z" for f in loss)
    # ...and from the first swap crews (2022-09-21) only the minutes of three moves between ports (the
    # people left inside all rode home on one other vehicle) and Crew-11's early return left one vehicle.
    after = {(f["flight"], f["start"]) for f in loss if f["start"] >= "2022-09-22" and not f.get("date_only")}
    assert after == {
        ("crew-6", "2023-04-06T08:45:00Z"),  # Soyuz MS-23 Poisk -> Prichal
        ("soyuz-ms-25", "2024-05-02T12:57:00Z"),  # Crew-8 Harmony forward -> zenith
        ("soyuz-ms-26", "2024-11-03T11:35:00Z"),  # Crew-9 Harmony forward -> zenith
        ("soyuz-ms-28", "2026-01-14T22:20:00Z"),
    }
    assert len([f for f in loss if f["start"] >= "2022-09-22" and not f.get("date_only")]) == 8  # NASA and Roscosmos
    gaps = [f for f in data["findings"] if f["rule"] == "partner-presence" and f["partner"] == "NASA"]
    assert any(f["start"] == "2009-07-02T21:29:00Z" and f["flight"] == "soyuz-tma-14" for f in gaps)


def test_a_part_of_a_gap_says_its_own_length_and_other_messages_stay() -> None:
    day = 86_400
    gap = Finding(
        "partner-presence", ERROR, 0, 3 * day, "NASA", "no NASA crew aboard for 3 days, after a leaves", sized=True
    )
    assert gap.clipped(day, 2 * day).message == "no NASA crew aboard for 1 day, after a leaves"
    assert gap.clipped(day, None).message == "no NASA crew aboard with no one due, after a leaves"
    fixed = Finding("lifeboat-seats", ERROR, 0, 3 * day, "station", "7 aboard but 4 seats for 3 days")
    assert fixed.clipped(day, 2 * day) == fixed._replace(start=day, end=2 * day)
