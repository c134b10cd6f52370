"""What `show` knows and since when: marks where the doubt lies, facts until known_until, plans after it."""

from __future__ import annotations

from conftest import build, flight, manifest_text

SMALL = manifest_text(
    flight("soyuz-a", "2026-01-10T12:00:00Z", up=["ru1", "ru2", "nasa1"]),
    flight(
        "dragon-a",
        "2026-02-01T12:00:00Z",
        up=["nasa2", "nasa3"],
        vehicle="Crew Dragon",
        uncertain=["dock"],
        launch="2026-01-31T12:00:00Z",
    ),
    flight("dragon-b", "2026-03-01", up=["nasa4"], vehicle="Crew Dragon", tentative=True),
    header='[vehicles."Soyuz MS"]\nseats = 3\nmax_docked_days = 200\n'
    '[vehicles."Crew Dragon"]\nseats = 4\nmax_docked_days = 210\n',
)


def test_the_mark_sits_on_the_arrival_and_the_days_not_on_a_confirmed_return(cli, write) -> None:
    path = write(SMALL)
    run = cli("show", str(path), "--at", "2026-01-20", "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    # the latest confirmed event stands in: dragon-a's launch (its dock is uncertain)
    assert data["known_until"] == "2026-01-31T12:00:00Z"
    assert data["as_of"] is None
    assert data["number_confirmed"] == 3
    assert data["plans_since"] == []
    run = cli("show", str(path), "--at", "2026-02-10", "--format", "json")
    assert run.json()["number_confirmed"] == 0  # after the facts end, nobody is confirmed aboard
    run = cli("show", str(path), "--at", "2026-03-05", "--format", "json")
    data = run.json()
    assert [(p["flight"], p["event"], p["when"]) for p in data["plans_since"]] == [
        ("dragon-a", "dock", "2026-02-01T12:00:00Z"),
        ("dragon-b", "launch", "2026-03-01"),
        ("dragon-b", "dock", "2026-03-01"),
    ]
    nasa4 = next(m for m in data["aboard"] if m["person"] == "nasa4")
    assert (nasa4["arrival_unconfirmed"], nasa4["return_unconfirmed"]) == (True, True)


def test_within_the_facts_the_headline_counts_the_confirmed(cli, write) -> None:
    path = write(SMALL.replace("format = 1\n", "format = 1\nas_of = 2026-03-10\n"))
    run = cli("show", str(path), "--at", "2026-03-05", "--format", "table")
    assert run.exit_code == 0, run.stderr
    assert "6 aboard (3 confirmed, 3 on plans)" in " ".join(run.stdout.split())
    assert "dragon-a 2026-02-01?" in " ".join(run.stdout.split())
    assert "dragon-b 2026-03-01?" in " ".join(run.stdout.split())
    assert "soyuz-a 2026-01-10 " in " ".join(run.stdout.split())  # confirmed: no mark
    assert "Facts as of 2026-03-10; after that, plans." in " ".join(run.stdout.split())
    assert " 4? " in " ".join(run.stdout.split())  # nasa4's days count from a placeholder


def test_open_notify_keeps_its_shape_and_tells_plans_from_facts(cli, write) -> None:
    path = write(SMALL.replace("format = 1\n", "format = 1\nas_of = 2026-03-10\n"))
    data = cli("show", str(path), "--at", "2026-03-05", "--format", "open-notify").json()
    assert (data["message"], data["number"], data["number_confirmed"]) == ("success", 6, 3)
    assert data["as_of"] == "2026-03-10" and data["known_until"] == "2026-03-10"
    assert {p["name"]: p["unconfirmed"] for p in data["people"]} == {
        "Ivan Ivanov": False,
        "Pyotr Petrov": False,
        "Ann Able": False,
        "Bob Baker": True,
        "Cid Carter": True,
        "Dee Dunn": True,
    }


def test_overdue_plans_before_as_of_are_named(cli, write) -> None:
    path = write(SMALL.replace("format = 1\n", "format = 1\nas_of = 2026-03-10\n"))
    run = cli("show", str(path), "--at", "2026-04-01", "--format", "table")
    assert "Overdue: dragon-b was to launch 2026-03-01; the manifest does not say it did" in " ".join(
        run.stdout.split()
    )
    assert "Overdue: dragon-a was to dock 2026-02-01 12:00; the manifest does not say it did" in " ".join(
        run.stdout.split()
    )


def test_past_the_last_event_nothing_is_known(cli, write) -> None:
    path = write(SMALL)
    run = cli("show", str(path), "--at", "2027-01-01", "--format", "table")
    assert run.exit_code == 0, run.stderr
    assert "unknown: nothing is known after 2026-03-01; 6 had no recorded return" in " ".join(run.stdout.split())
    # soyuz-a docked 2026-01-10 12:00: 355 whole days by 2027-01-01, 155 past its 200 days
    assert "soyuz-a would be 155 days past the 200-day docked life of a Soyuz MS." in " ".join(run.stdout.split())
    data = cli("show", str(path), "--at", "2027-01-01", "--format", "json").json()
    assert data["past_last_event"] is True
    assert {m["person"]: m["past_docked_life_days"] for m in data["aboard"]}["ru1"] == 155


def test_bundled_record_on_2026_12_01_marks_every_unconfirmed_value(cli) -> None:
    run = cli("show", "--at", "2026-12-01", "--format", "table")
    assert run.exit_code == 0, run.stderr
    assert "7 aboard on the manifest's plans, none of them" in " ".join(run.stdout.split())
    assert "confirmed since 2026-10-08" in " ".join(run.stdout.split())
    assert "crew-13 2026-10-01?" in " ".join(run.stdout.split())
    assert "soyuz-ms-29 2026-07-14?" in " ".join(run.stdout.split())
    assert " 60? " in " ".join(run.stdout.split())  # crew-13 docked 2026-10-01 23:05
    assert " 139? " in " ".join(run.stdout.split())  # soyuz-ms-29 docked 2026-07-14 17:52
    assert "not scheduled   " not in run.stdout  # every unscheduled rotation carries its mark
    text = cli("show", "--at", "2026-12-01", "--format", "text").stdout.splitlines()
    assert "known_until\t2026-10-08\tas_of" in text
    assert "departure\tsoyuz-ms-29\tSoyuz MS\t-\tdubrov,kikina,menon\tunconfirmed" in text
    # medium-graded values before as_of stay unconfirmed: named overdue, not passed off as facts
    assert "overdue\tcrew-13\tlaunch\t2026-10-01T15:10:00Z" in text
    assert "overdue\tsoyuz-ms-29\tdock\t2026-07-14T17:52:00Z" in text
    assert not [line for line in text if "crew-12" in line]  # splashed down 2026-10-08


def test_bundled_record_in_2030_is_not_seven_aboard(cli) -> None:
    run = cli("show", "--at", "2030-01-01", "--format", "table")
    assert "7 aboard" not in run.stdout
    assert "nothing is known after 2027-03-15" in " ".join(run.stdout.split())
    assert "soyuz-ms-29 would be 1,056 days past the 210-day docked life of a Soyuz MS." in " ".join(run.stdout.split())


def test_the_snapshot_counts_the_confirmed() -> None:
    from conftest import t

    from issmanifest.reports.snapshot import take_snapshot

    manifest = build(flight("soyuz-a", "2026-01-10T12:00:00Z", up=["ru1"]))
    assert take_snapshot(manifest, t("2026-01-10T13:00:00Z")).confirmed == 0  # after the facts
    manifest = manifest._replace(as_of=manifest.flights[0].dock._replace(seconds=t("2026-02-01")))
    assert take_snapshot(manifest, t("2026-01-20")).confirmed == 1
