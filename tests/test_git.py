"""git never stops on a manifest: `dump --lenient` (textconv) and `git-diff` (external diff) on any revision."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, flight, manifest_text

pytestmark = pytest.mark.slow  # left to CI by default: see conftest.py

NESTED = "x = " + "[" * 1000 + "]" * 1000 + "\n"
# Loading this once failed inside the code (a date before year 1 in UTC): git must not stop on that either.
OVERFLOW = manifest_text(flight("a", "2022-01-01", launch="0001-01-01T00:00:00+01:00"))
VALID = manifest_text(flight("soyuz-ms-22", "2022-09-21T17:06:00Z", "2023-03-28T09:57:00Z", ["ru1", "ru2", "nasa1"]))


def test_dump_lenient_notes_a_revision_that_is_not_utf8_and_shows_its_text(cli, tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_bytes(b'\xff\xfeformat = 1\r\nname = "caf\xe9"\r\n')
    strict = cli("dump", str(path))
    assert (strict.exit_code, strict.stdout) == (2, "")
    assert strict.stderr == f"{path}:1: not UTF-8 text (byte 0xff) (save the file as UTF-8)\n"
    run = cli("dump", str(path), "--lenient")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines() == [
        "# issmanifest: this revision does not load: line 1: not UTF-8 text (byte 0xff) (save the file as UTF-8)",
        "\ufffd\ufffdformat = 1",
        'name = "caf\ufffd"',
    ]


def test_dump_lenient_escapes_control_characters_of_a_revision_that_does_not_load(cli, tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_bytes(b"format = 1\n\x1b]0;PWN\x07\x00\n")
    run = cli("dump", str(path), "--lenient")
    assert run.exit_code == 0, run.stderr
    note, raw = run.stdout.splitlines()[0], run.stdout.splitlines()[1:]
    assert note.startswith("# issmanifest: this revision does not load: line 2: ")
    assert raw == ["format = 1", "\\x1b]0;PWN\\x07\\x00"]
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout


@pytest.mark.parametrize(
    ("data", "note"),
    [
        (b"", "# issmanifest: this revision does not load: empty file (a manifest starts with: format = 1)"),
        (bytes(range(256)) * 4, "# issmanifest: this revision does not load: line 2: not UTF-8 text (byte 0x80)"),
        (NESTED.encode(), "# issmanifest: this revision does not load: "),
        (OVERFLOW.encode(), "# issmanifest: this revision does not load: "),
    ],
    ids=["empty", "binary", "nested", "overflow"],
)
def test_dump_lenient_prints_a_note_for_any_revision_and_exits_0(cli, tmp_path: Path, data: bytes, note: str) -> None:
    path = tmp_path / "m.toml"
    path.write_bytes(data)
    run = cli("dump", str(path), "--lenient")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[0].startswith(note)
    assert len(run.stdout.splitlines()[0].splitlines()) == 1
    assert re.search(r"[\x00-\x08\x0b-\x1f\x7f]", run.stdout) is None


def test_dump_lenient_reads_standard_input_once(cli) -> None:
    run = cli("dump", "-", "--lenient", input=b"format = 1\n[people\n")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[1:] == ["format = 1", "[people"]
    assert run.stdout.startswith("# issmanifest: this revision does not load: line 2: ")


def _git_diff_args(tmp_path: Path, old: bytes | None, new: bytes | None) -> list[str]:
    """The seven arguments git passes the external driver; None is a side that does not exist (/dev/null)."""
    files = []
    for side, data in (("old", old), ("new", new)):
        if data is None:
            files.append(os.devnull)
        else:
            path = tmp_path / f"{side}.toml"
            path.write_bytes(data)
            files.append(str(path))
    return ["iss.toml", files[0], "1" * 40, "100644", files[1], "2" * 40, "100644"]


def test_git_diff_notes_the_side_that_does_not_load_and_diffs_the_raw_lines(cli, tmp_path: Path) -> None:
    old = b'format = 1\n[people]\nann = { name = "Ann" \n'
    new = b'format = 1\n[people]\nann = { name = "Ann\xff" }\n'
    run = cli("git-diff", *_git_diff_args(tmp_path, old, new))
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "issmanifest diff a/iss.toml b/iss.toml"
    assert lines[1].startswith("# issmanifest: a/iss.toml does not load: line 3: ")
    assert (
        lines[2]
        == "# issmanifest: b/iss.toml does not load: line 3: not UTF-8 text (byte 0xff) (save the file as UTF-8)"
    )
    assert lines[3:] == [
        "--- a/iss.toml",
        "+++ b/iss.toml",
        "@@ -1,3 +1,3 @@",
        " format = 1",
        " [people]",
        '-ann = { name = "Ann" ',
        '+ann = { name = "Ann\ufffd" }',
    ]


def test_git_diff_with_one_side_broken_diffs_the_raw_lines_of_both(cli, tmp_path: Path) -> None:
    broken = VALID.replace("[people]", "[people", 1).encode()
    run = cli("git-diff", *_git_diff_args(tmp_path, broken, VALID.encode()))
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[:2] == [
        "issmanifest diff a/iss.toml b/iss.toml",
        f"# issmanifest: a/iss.toml does not load: line {VALID.splitlines().index('[people]') + 1}: "
        + lines[1].split(": ", 3)[-1],
    ]
    assert "does not load" not in lines[2]
    assert [line for line in lines if line[:1] in "+-" and not line.startswith(("+++", "---"))] == [
        "-[people",
        "+[people]",
    ]


def test_git_diff_of_a_broken_file_added_or_deleted(cli, tmp_path: Path) -> None:
    added = cli("git-diff", *_git_diff_args(tmp_path, None, b"\x00\x01\n"))
    assert added.exit_code == 0, added.stderr
    assert added.stdout.splitlines()[0] == "issmanifest diff a/iss.toml b/iss.toml"
    assert added.stdout.splitlines()[1].startswith("# issmanifest: b/iss.toml does not load: ")
    assert added.stdout.splitlines()[2:] == ["--- /dev/null", "+++ b/iss.toml", "@@ -0,0 +1 @@", "+\\x00\\x01"]
    deleted = cli("git-diff", *_git_diff_args(tmp_path, b"[[x\n", None))
    assert deleted.exit_code == 0, deleted.stderr
    assert deleted.stdout.splitlines()[1].startswith("# issmanifest: a/iss.toml does not load: line 1: ")
    assert deleted.stdout.splitlines()[2:] == ["--- a/iss.toml", "+++ /dev/null", "@@ -1 +0,0 @@", "-[[x"]


# -- real git ------------------------------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _readme_git_setup() -> list[str]:
    """The shell lines of the README's "In git" section that configure git (not the example diff)."""
    section = README.split("### In git", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [line for block in blocks for line in block.splitlines() if line.startswith(("echo ", "git config "))]


HISTORY: list[tuple[str, bytes]] = [
    ("first: a valid manifest", VALID.encode()),
    ("second: broken TOML", VALID.replace("[people]", "[people", 1).encode()),
    ("third: not UTF-8", b"\xff\xfe" + VALID.encode()),
    ("fourth: binary", bytes(range(256)) * 8),
    ("fifth: empty", b""),
    ("sixth: nested too deeply", NESTED.encode()),
    ("seventh: valid again", VALID.replace('"Ann Able"', '"Ann Abel"').encode()),
]


@pytest.fixture
def repository(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A git repository configured as the README says, with a history of valid and broken revisions."""
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(tmp_path),
        "GIT_PAGER": "cat",
        "LC_ALL": "C.UTF-8",
    }
    assert shutil.which("issmanifest", path=env["PATH"]) == str(bin_dir / "issmanifest")
    repo = tmp_path / "repo"
    (repo / "manifests").mkdir(parents=True)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "test@example.invalid")
    git("config", "user.name", "test")
    setup = _readme_git_setup()
    assert any("textconv" in line for line in setup) and any(".command" in line for line in setup)
    for line in setup:
        subprocess.run(["bash", "-c", line], cwd=repo, env=env, check=True)
    manifest = repo / "manifests" / "iss.toml"
    extra = repo / "manifests" / "extra.toml"
    for number, (message, data) in enumerate(HISTORY):
        manifest.write_bytes(data)
        if number == 2:  # a broken file added, then deleted: git passes /dev/null for the other side
            extra.write_bytes(b"\xff\n")
        if number == 4:
            extra.unlink()
        git("add", "-A")
        git("commit", "-qm", message)
    return repo, env


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("driver", ["textconv", "external"])
def test_git_log_reaches_the_first_commit_through_broken_revisions(
    repository: tuple[Path, dict[str, str]], driver: str
) -> None:
    repo, env = repository
    args = ["git", "log", "-p", *(["--ext-diff"] if driver == "external" else [])]
    run = subprocess.run(args, cwd=repo, env=env, capture_output=True)
    out = run.stdout.decode("utf-8", "replace")
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    assert run.stderr == b""
    assert "first: a valid manifest" in out
    for message, _ in HISTORY:
        assert message in out
    if driver == "textconv":
        assert "+# issmanifest: this revision does not load: line 1: not UTF-8 text (byte 0xff)" in out
        assert "+# issmanifest: this revision does not load: empty file" in out
        assert '+person nasa1 name "Ann Abel"' in out
    else:
        assert "# issmanifest: b/manifests/iss.toml does not load: line 1: not UTF-8 text (byte 0xff)" in out
        assert "# issmanifest: a/manifests/iss.toml does not load: line 1: not UTF-8 text (byte 0xff)" in out
        assert "# issmanifest: b/manifests/extra.toml does not load: line 1: not UTF-8 text (byte 0xff)" in out
        assert "# issmanifest: a/manifests/extra.toml does not load: line 1: not UTF-8 text (byte 0xff)" in out
        assert "+++ /dev/null" in out and "--- /dev/null" in out
    # The first commit's own diff is the valid manifest in full, as its driver shows it.
    first = out.rsplit("first: a valid manifest", 1)[1]
    assert ('+person nasa1 name "Ann Able"' if driver == "textconv" else "issmanifest diff") in first
