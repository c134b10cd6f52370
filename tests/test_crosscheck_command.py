"""`issmanifest crosscheck`: feeds from files, URLs and --fetch (a local server), exit codes, JSON, --apply."""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT, Run

from issmanifest.manifest.loading import load_manifest
from issmanifest.manifest.model import parse_instant
from issmanifest.render.json import crosscheck_result
from issmanifest.reports.crosscheck import crosscheck
from issmanifest.reports.feeds import read_feed

pytestmark = pytest.mark.slow  # left to CI by default: see conftest.py

FEEDS = Path(__file__).parent / "feeds"
PEOPLE_2024 = "20240907T1627Z-people-in-space.json"
DOCKED_2024 = "20240907T1627Z-iss-docked-spacecraft.json"
AT_2024 = "2024-09-07T16:27:00Z"
LL2_2026 = "2.3.0-space_stations-detailed-all-20260715.json"

Cli = Callable[..., Run]


class Server:
    """A feed server on 127.0.0.1: every path answers with the fixture named by its last part."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        served = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                served.paths.append(self.path)
                name = self.path.split("?")[0].rsplit("/", 1)[-1]
                aliases = {
                    "people-in-space.json": PEOPLE_2024,
                    "iss-docked-spacecraft.json": DOCKED_2024,
                    "": LL2_2026,
                    "astros.json": "open-notify-astros-by-hand-20260428.json",
                }
                path = FEEDS / aliases.get(name, name)
                if not path.is_file():
                    self.send_error(404, "no such feed")
                    return
                body = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *args: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Server]:
    monkeypatch.setenv("ISSMANIFEST_CACHE_DIR", str(tmp_path / "cache"))
    with Server() as running:
        monkeypatch.setenv("ISSMANIFEST_FEED_BASE", running.base)
        yield running


# The bundled record as it stood before the 2026 update (docs/history.md): Crew-8's first port was
# missing then, a fact the 2024 docked-spacecraft feed carries, so there is something to disagree on
# and to apply.
BUNDLED = ROOT / "tests" / "records" / "iss-before-2026-update.toml"


def library_json(name: str, at: str) -> dict[str, object]:
    feed = read_feed((FEEDS / name).read_bytes(), source=name)
    return crosscheck_result(crosscheck(load_manifest(BUNDLED), feed, parse_instant(at).seconds, 600))


def test_exit_0_when_the_feed_agrees(cli: Cli) -> None:
    run = cli("crosscheck", str(FEEDS / PEOPLE_2024), "--manifest", str(BUNDLED), "--at", AT_2024, "--format", "text")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[0].split("\t")[4] == f"the manifest agrees with {FEEDS / PEOPLE_2024}"


def test_exit_1_naming_each_disagreement_and_the_record_command(cli: Cli) -> None:
    run = cli("crosscheck", str(FEEDS / DOCKED_2024), "--manifest", str(BUNDLED), "--at", AT_2024, "--format", "text")
    assert run.exit_code == 1, run.stderr
    rows = [row.split("\t") for row in run.stdout.splitlines()]
    assert rows[0][3:] == ["disagrees", f"3 disagreements with {FEEDS / DOCKED_2024}"]
    disagreements = {(row[1], row[2], row[5]): row[7] for row in rows if row[0] == "disagree"}
    assert disagreements == {
        ("dock", "crew-8", "feed"): "-",
        ("dock", "soyuz-ms-25", "feed"): "-",
        ("port", "crew-8", "manifest"): "issmanifest record crew-8 --port 'Harmony forward'",
    }


def test_the_table_says_the_headline_and_the_command(cli: Cli) -> None:
    run = cli("crosscheck", str(FEEDS / DOCKED_2024), "--manifest", str(BUNDLED), "--at", AT_2024, "--format", "table")
    assert run.exit_code == 1, run.stderr
    assert run.stdout.startswith("3 disagreements with ")
    assert "issmanifest record crew-8 --port 'Harmony forward'" in run.stdout


def test_csv_has_a_row_per_disagreement(cli: Cli) -> None:
    run = cli("crosscheck", str(FEEDS / DOCKED_2024), "--manifest", str(BUNDLED), "--at", AT_2024, "--format", "csv")
    assert run.exit_code == 1, run.stderr
    import csv

    rows = list(csv.DictReader(run.stdout.splitlines()))
    assert sorted((r["subject"], r["about"]) for r in rows if r["kind"] == "disagreement") == [
        ("dock", "crew-8"),
        ("dock", "soyuz-ms-25"),
        ("port", "crew-8"),
    ]


def test_exit_2_for_what_is_not_a_feed(cli: Cli, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    run = cli("crosscheck", str(other))
    assert run.exit_code == 2
    assert run.stderr.startswith(f"{other}: not a feed issmanifest knows (expected ")
    assert len(run.stderr.splitlines()) == 1
    missing = cli("crosscheck", str(tmp_path / "nowhere.json"))
    assert missing.exit_code == 2 and "nowhere.json: cannot read it" in missing.stderr
    assert cli("crosscheck").exit_code == 2  # no feed at all


def test_the_json_is_the_library_result(cli: Cli) -> None:
    run = cli("crosscheck", str(FEEDS / DOCKED_2024), "--manifest", str(BUNDLED), "--at", AT_2024, "--format", "json")
    assert run.exit_code == 1, run.stderr
    document = json.loads(run.stdout)
    expected = library_json(DOCKED_2024, AT_2024)
    expected["source"] = str(FEEDS / DOCKED_2024)
    expected["headline"] = str(expected["headline"]).replace(DOCKED_2024, str(FEEDS / DOCKED_2024))
    assert document == {
        "version": 1,
        "at": "2024-09-07T16:27:00Z",
        "agrees": False,
        "disagreements": 3,
        "feeds": [expected],
    }


def test_a_feed_by_url_answers_as_the_file(cli: Cli, server: Server) -> None:
    url = f"{server.base}/feeds/{DOCKED_2024}"
    by_url = cli("crosscheck", url, "--manifest", str(BUNDLED), "--at", AT_2024, "--format", "json")
    by_file = cli(
        "crosscheck", str(FEEDS / DOCKED_2024), "--manifest", str(BUNDLED), "--at", AT_2024, "--format", "json"
    )
    assert by_url.exit_code == by_file.exit_code == 1, by_url.stderr
    assert by_url.stdout.replace(url, "FEED") == by_file.stdout.replace(str(FEEDS / DOCKED_2024), "FEED")
    assert server.paths == [f"/feeds/{DOCKED_2024}"]


def test_fetch_by_name_and_the_cache_serves_a_second_call(cli: Cli, server: Server) -> None:
    first = cli("crosscheck", "--fetch", "corquaid", "--manifest", str(BUNDLED), "--at", AT_2024, "--format", "json")
    assert first.exit_code == 1, first.stderr
    fetched = json.loads(first.stdout)["feeds"]
    assert [feed["kind"] for feed in fetched] == ["people-in-space", "docked-spacecraft"]
    assert fetched[1]["disagreements"] == library_json(DOCKED_2024, AT_2024)["disagreements"]
    assert len(server.paths) == 2
    again = cli("crosscheck", "--fetch", "corquaid", "--manifest", str(BUNDLED), "--at", AT_2024, "--format", "json")
    assert again.stdout == first.stdout
    assert len(server.paths) == 2  # both from the cache
    cli("crosscheck", "--fetch", "corquaid", "--at", AT_2024, "--refresh")
    assert len(server.paths) == 4


def test_fetch_ll2(cli: Cli, server: Server) -> None:
    run = cli("crosscheck", "--fetch", "ll2", "--at", "2026-07-15T14:00:00Z", "--format", "json")
    assert run.exit_code == 1, run.stderr
    assert server.paths == ["/2.3.0/space_stations/4/?mode=detailed"]
    assert json.loads(run.stdout)["feeds"][0]["kind"] == "ll2-stations"


def test_an_http_error_is_one_line(cli: Cli, server: Server) -> None:
    url = f"{server.base}/feeds/nothing.json"
    run = cli("crosscheck", url)
    assert (run.exit_code, run.stderr) == (2, f"{url}: HTTP 404 no such feed\n")


def test_a_refused_connection_is_one_line(cli: Cli) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    url = f"http://127.0.0.1:{port}/astros.json"
    run = cli("crosscheck", url)
    assert run.exit_code == 2
    assert run.stderr == f"{url}: cannot reach it (Connection refused); offline?\n"


def test_a_server_that_never_answers_is_one_line(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISSMANIFEST_FEED_TIMEOUT", "0.3")
    with socket.socket() as hanging:
        hanging.bind(("127.0.0.1", 0))
        hanging.listen()
        url = f"http://127.0.0.1:{hanging.getsockname()[1]}/astros.json"
        run = cli("crosscheck", url)
    assert run.exit_code == 2
    assert run.stderr == f"{url}: no answer within 0.3 s\n"


def test_only_crosscheck_imports_urllib() -> None:
    probe = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "issmanifest", "show", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "urllib.request" not in probe.stderr and "http.client" not in probe.stderr


def test_apply_round_trip(cli: Cli, tmp_path: Path) -> None:
    copy = tmp_path / "iss.toml"
    shutil.copy(BUNDLED, copy)
    before = copy.read_text(encoding="utf-8")
    feed = str(FEEDS / DOCKED_2024)
    run = cli("crosscheck", feed, "--manifest", str(copy), "--at", AT_2024, "--apply", "--in-place", "-f", "text")
    assert run.exit_code == 1, run.stderr  # the feed's own errors (its times) stay
    assert "crew-8" in run.stderr and f"wrote {copy}" in run.stderr
    after = copy.read_text(encoding="utf-8")
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == [f'port = "Harmony forward"  # from {feed} (2024-09-07)']
    again = cli("crosscheck", feed, "--manifest", str(copy), "--at", AT_2024, "-f", "text")
    assert {tuple(row.split("\t")[1:3]) for row in again.stdout.splitlines() if row.startswith("disagree")} == {
        ("dock", "crew-8"),
        ("dock", "soyuz-ms-25"),
    }


def test_apply_never_overrides_a_confirmed_value(cli: Cli, tmp_path: Path) -> None:
    copy = tmp_path / "iss.toml"
    shutil.copy(BUNDLED, copy)
    assert cli("record", "crew-12", str(copy), "--confirmed", "--in-place").exit_code == 0
    confirmed = copy.read_text(encoding="utf-8")
    data = json.loads((FEEDS / LL2_2026).read_bytes())
    iss = next(station for station in data if station["id"] == 4)
    ports = {location["name"]: location for location in iss["docking_location"]}
    ports["Harmony forward"]["currently_docked"] = ports["Harmony zenith"]["currently_docked"]
    ports["Harmony zenith"]["currently_docked"] = None
    moved = tmp_path / "moved.json"
    moved.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out.toml"
    at = "2026-07-15T14:00:00Z"
    run = cli("crosscheck", str(moved), "--manifest", str(copy), "--at", at, "--apply", "-o", str(out), "-f", "json")
    assert run.exit_code == 1, run.stderr
    written = out.read_text(encoding="utf-8")
    assert written.count(f"# from {moved}") == 1  # soyuz-ms-29's port, which the record lacks
    check = cli("crosscheck", str(moved), "--manifest", str(out), "--at", at, "-f", "json")
    left = {(d["subject"], d["about"]) for d in json.loads(check.stdout)["feeds"][0]["disagreements"]}
    assert ("port", "crew-12") in left and ("port", "soyuz-ms-29") not in left
    assert 'port = "Harmony zenith"' in written  # confirmed: kept, and still reported
    assert copy.read_text(encoding="utf-8") == confirmed


def test_apply_needs_a_place_to_write(cli: Cli) -> None:
    run = cli("crosscheck", str(FEEDS / DOCKED_2024), "--apply")
    assert run.exit_code == 2 and "give -o FILE or --in-place" in run.stderr
