"""Writing never destroys what it writes to: streams stay streams, links stay links, edits do not lose each other."""

from __future__ import annotations

import datetime
import fcntl
import os
import select
import shutil
import stat
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import BUNDLED, ROOT, Run

from issmanifest.manifest import files

pytestmark = pytest.mark.slow  # left to CI by default: see conftest.py

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="needs root")
FLIGHT = "soyuz-ms-22"
LAUNCH = datetime.datetime(2022, 9, 21, 13, 54, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def launch_of(path: Path) -> datetime.datetime:
    """The launch of soyuz-ms-22 in a manifest file, as TOML reads it."""
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    (flight,) = (flight for flight in document["flights"] if flight["id"] == FLIGHT)
    launch: datetime.datetime = flight["launch"]
    return launch


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the bundled manifest to edit."""
    target = tmp_path / "c.toml"
    shutil.copyfile(BUNDLED, target)
    return target


class Reader:
    """Reads everything written to a FIFO until the writer closes it (or a deadline passes)."""

    def __init__(self, fifo: Path) -> None:
        # Opened before the command runs, without blocking, so the command's writer finds a reader.
        self.fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.data = b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        deadline = time.monotonic() + 20
        while (left := deadline - time.monotonic()) > 0:
            readable, _, _ = select.select([self.fd], [], [], left)
            if not readable:
                break
            piece = os.read(self.fd, 1 << 16)
            if not piece:
                break
            self.data += piece

    def text(self) -> str:
        self.thread.join(25)
        os.close(self.fd)
        return self.data.decode("utf-8")


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "out.fifo"
    os.mkfifo(path)
    return path


def test_output_onto_a_fifo_is_streamed_and_the_fifo_stays(cli: Callable[..., Run], fifo: Path) -> None:
    reader = Reader(fifo)
    result = cli("slip", FLIGHT, "1", "-o", str(fifo))
    assert result.exit_code == 0, result.stderr
    text = reader.text()
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert text.startswith("# issmanifest: every crewed flight")  # the bundled file, edited in place
    assert tomllib.loads(text)["format"] == 1
    assert [f["launch"] for f in tomllib.loads(text)["flights"] if f["id"] == FLIGHT] == [LAUNCH + DAY]


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (("show", "--at", "2023-01-01", "--svg", "{}"), "<svg"),
        (("show", "--at", "2023-01-01", "--html", "{}"), "<!DOCTYPE html>"),
        (("new", "{}"), "#:schema "),
        (("new", "{}", "--force"), "#:schema "),
    ],
    ids=["svg", "html", "new", "new-force"],
)
def test_every_writer_streams_onto_a_fifo(
    cli: Callable[..., Run], fifo: Path, args: tuple[str, ...], start: str
) -> None:
    reader = Reader(fifo)
    result = cli(*(str(fifo) if arg == "{}" else arg for arg in args))
    assert result.exit_code == 0, result.stderr
    assert reader.text().lstrip().startswith(start)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@ROOT_ONLY
def test_output_onto_a_character_device_keeps_the_device(cli: Callable[..., Run], tmp_path: Path) -> None:
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("cannot make a device node here")
    result = cli("slip", FLIGHT, "1", "-o", str(null))
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert null.lstat().st_rdev == os.makedev(1, 3)
    assert list(tmp_path.iterdir()) == [null]


def run(*args: str, **options: object) -> subprocess.CompletedProcess[bytes]:
    """The real entry point in a process of its own."""
    options.setdefault("timeout", 60)
    return subprocess.run([sys.executable, "-m", "issmanifest", *args], cwd=ROOT, check=False, **options)  # type: ignore[call-overload, no-any-return]


def test_dev_stdout_onto_a_pipe_prints_the_manifest() -> None:
    result = run("slip", FLIGHT, "1", "-o", "/dev/stdout", capture_output=True)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    assert [f["launch"] for f in tomllib.loads(text)["flights"] if f["id"] == FLIGHT] == [LAUNCH + DAY]
    assert Path("/dev/stdout").is_symlink()


def test_dev_stdout_onto_a_file_appends_where_the_shell_points(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("before\n", encoding="utf-8")
    inode = log.stat().st_ino
    with log.open("a", encoding="utf-8") as stdout:
        result = run("new", "/dev/stdout", stdout=stdout, stderr=subprocess.PIPE)
    assert result.returncode == 0, result.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("before\n#:schema ")
    assert "format = 1" in text
    assert log.stat().st_ino == inode


def test_in_place_through_a_symlink_edits_its_target(cli: Callable[..., Run], copy: Path) -> None:
    link = copy.with_name("link.toml")
    link.symlink_to(copy.name)
    result = cli("slip", FLIGHT, "1", str(link), "--in-place")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert os.readlink(link) == copy.name
    assert launch_of(copy) == LAUNCH + DAY
    assert sorted(path.name for path in copy.parent.iterdir()) == ["c.toml", "link.toml"]


def test_output_through_a_symlink_to_another_folder_writes_there(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "links").mkdir()
    target = tmp_path / "real" / "out.toml"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "links" / "out.toml"
    link.symlink_to(target)
    result = cli("slip", FLIGHT, "1", "-o", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert launch_of(target) == LAUNCH + DAY
    assert [path.name for path in (tmp_path / "real").iterdir()] == ["out.toml"]


@ROOT_ONLY
def test_in_place_keeps_mode_owner_and_group(cli: Callable[..., Run], copy: Path) -> None:
    os.chown(copy, 1234, 4321)
    os.chmod(copy, 0o640)
    result = cli("slip", FLIGHT, "1", str(copy), "--in-place")
    assert result.exit_code == 0, result.stderr
    status = copy.stat()
    assert (stat.S_IMODE(status.st_mode), status.st_uid, status.st_gid) == (0o640, 1234, 4321)
    assert launch_of(copy) == LAUNCH + DAY


@ROOT_ONLY
@pytest.mark.parametrize("option", ["--svg", "--html", "-o"])
def test_a_replaced_output_keeps_mode_owner_and_group(cli: Callable[..., Run], tmp_path: Path, option: str) -> None:
    out = tmp_path / "out"
    out.write_text("old\n", encoding="utf-8")
    os.chown(out, 1234, 4321)
    os.chmod(out, 0o604)
    args = ("slip", FLIGHT, "1", "-o", str(out)) if option == "-o" else ("show", option, str(out))
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    status = out.stat()
    assert (stat.S_IMODE(status.st_mode), status.st_uid, status.st_gid) == (0o604, 1234, 4321)
    assert out.read_text(encoding="utf-8") != "old\n"


def test_new_replaces_only_with_force_and_then_through_a_symlink(cli: Callable[..., Run], tmp_path: Path) -> None:
    mine = tmp_path / "m.toml"
    mine.write_text("mine\n", encoding="utf-8")
    link = tmp_path / "link.toml"
    link.symlink_to("m.toml")
    refused = cli("new", str(link))
    assert refused.exit_code == 2
    assert refused.stderr == f"{link}: already exists (use --force to replace it)\n"
    assert mine.read_text(encoding="utf-8") == "mine\n"
    forced = cli("new", str(link), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert link.is_symlink()
    assert mine.read_text(encoding="utf-8").startswith("#:schema ")


@ROOT_ONLY
def test_a_strangers_symlink_in_a_shared_folder_is_not_followed(cli: Callable[..., Run], tmp_path: Path) -> None:
    shared = tmp_path / "tmp"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    planted = shared / "out.toml"
    planted.symlink_to(victim)
    os.lchown(planted, 1234, 1234)
    result = cli("slip", FLIGHT, "1", "-o", str(planted))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{planted}: is a symlink someone else made in a shared folder; not followed (write somewhere else)\n"
    )
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert planted.is_symlink()


def test_in_place_refuses_what_is_not_a_regular_file(fifo: Path) -> None:
    result = run("slip", FLIGHT, "1", str(fifo), "--in-place", capture_output=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"{fifo}: is not a regular file, so it cannot be edited in place (write the edit with --output)\n"
    )
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_ten_parallel_in_place_slips_move_it_ten_days(copy: Path) -> None:
    command = [sys.executable, "-m", "issmanifest", "slip", FLIGHT, "1", str(copy), "--in-place"]
    processes = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(10)]
    outcomes = [(process.communicate(timeout=120)[1].decode(), process.returncode) for process in processes]
    assert [code for _, code in outcomes] == [0] * 10, outcomes
    assert launch_of(copy) == LAUNCH + 10 * DAY
    assert sorted(path.name for path in copy.parent.iterdir()) == ["c.toml"]


@pytest.fixture
def held(copy: Path) -> Iterator[Callable[[], None]]:
    """An exclusive lock on the copy, as another in-place edit would hold it; call to release it."""
    handle = copy.open("rb")
    fcntl.flock(handle, fcntl.LOCK_EX)
    yield handle.close
    handle.close()


def test_a_held_lock_fails_the_edit_with_a_message(
    cli: Callable[..., Run], copy: Path, held: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "LOCK_WAIT", 0.3)
    before = copy.read_bytes()
    started = time.monotonic()
    result = cli("slip", FLIGHT, "1", str(copy), "--in-place")
    assert result.exit_code == 2, result.stderr
    assert time.monotonic() - started >= 0.3
    assert result.stderr == (f"{copy}: another edit holds its lock; gave up after 0.3 s (try again when it is done)\n")
    assert copy.read_bytes() == before


def test_an_edit_waits_for_the_lock_and_reads_what_the_holder_wrote(
    cli: Callable[..., Run], copy: Path, held: Callable[[], None]
) -> None:
    moved = copy.with_name("moved.toml")
    assert cli("slip", FLIGHT, "5", str(copy), "-o", str(moved)).exit_code == 0

    def holder() -> None:
        # As an edit would: replace the file while holding the lock on the old one, then let go.
        time.sleep(0.5)
        os.replace(moved, copy)
        held()

    thread = threading.Thread(target=holder)
    thread.start()
    result = cli("slip", FLIGHT, "1", str(copy), "--in-place")
    thread.join()
    assert result.exit_code == 0, result.stderr
    assert launch_of(copy) == LAUNCH + 6 * DAY


def test_locked_holds_the_file_until_the_block_ends(copy: Path) -> None:
    with files.locked(copy):
        other = copy.open("rb")
        with pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    other.close()
