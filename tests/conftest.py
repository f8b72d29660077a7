import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import REPO, cli_build, copy_example


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example scorecard, built once for the whole test session."""
    project = copy_example(tmp_path_factory.mktemp("example"))
    result = cli_build(project, "--strict")
    assert result.exit_code == 0, result.output
    return project / "site"


# --- the suite leaves the repository's working tree as it found it ----------------------
#
# Tests write into tmp_path, never into the repository. The state of the working tree
# (git status, with ignored files, and the size and time of every file it lists) is
# recorded before the first test and compared after the last; a difference fails the run.
# Only what tools write on purpose is let be: caches of pytest, Python and Hypothesis,
# npm's node_modules/, the screenshots the browser tests save for people to look at
# (gitignored), and tests/golden/ under BSCGEN_UPDATE_GOLDEN=1. Without git, or outside a
# git checkout of this repository, there is no guard.

EXPECTED_NAMES = {".pytest_cache", "__pycache__", ".hypothesis", "node_modules"}
EXPECTED_FOLDERS = ("tests/e2e/screenshots/",)
REPO_STATE = pytest.StashKey[dict]()
REPO_CHANGES = pytest.StashKey[list]()


def _expected(relative: str) -> bool:
    if os.environ.get("BSCGEN_UPDATE_GOLDEN") and relative.startswith("tests/golden/"):
        return True  # regenerating the golden trees (test_golden.py) writes them on purpose
    return bool(EXPECTED_NAMES.intersection(relative.rstrip("/").split("/"))) or relative.startswith(EXPECTED_FOLDERS)


def _signature(path: Path, relative: str) -> object:
    """What changes when a listed file or folder is written to: sizes and times."""
    if path.is_symlink() or path.is_file():
        stat = path.lstat()
        return stat.st_size, stat.st_mtime_ns
    if not path.is_dir():
        return None
    found = []
    for folder, folders, files in os.walk(path):
        here = Path(folder)
        folders[:] = [name for name in folders if not _expected(f"{relative}{(here / name).relative_to(path).as_posix()}/")]
        for name in files:
            inner = (here / name).relative_to(path).as_posix()
            if not _expected(relative + inner):
                stat = (here / name).lstat()
                found.append((inner, stat.st_size, stat.st_mtime_ns))
    return sorted(found)


def repo_state(repo: Path = REPO) -> dict[str, object] | None:
    """Every path git status lists (changed, untracked or ignored) with its signature,
    or None when the repository is not a git checkout (or git is missing)."""
    if shutil.which("git") is None:
        return None
    try:
        top = subprocess.run(["git", "-C", str(repo), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=60)
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != repo.resolve():
            return None  # not a checkout, or one of another repository around this folder
        status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain=v1", "-z", "--ignored", "--no-renames"],
                                capture_output=True, timeout=120, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    state = {}
    for entry in status.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if entry and not _expected(entry[3:]):
            code, relative = entry[:2], entry[3:]
            state[relative] = (code, _signature(repo / relative, relative if relative.endswith("/") else relative + "/"))
    return state


def changes(before: dict[str, object], after: dict[str, object]) -> list[str]:
    """The paths created, changed or deleted between two states, described."""
    found = []
    for path in sorted(before.keys() | after.keys()):
        if before.get(path) == after.get(path):
            continue
        if path not in after:  # no longer listed: an untracked file removed, or a changed one restored
            found.append(f"deleted or restored {path}")
        elif after[path][1] is None or "D" in after[path][0]:
            found.append(f"deleted {path}")
        elif path not in before and after[path][0] in ("??", "!!"):
            found.append(f"created {path}")
        else:
            found.append(f"changed {path}")
    return found


@pytest.fixture(scope="session", autouse=True)
def repository_unchanged(request):
    """Records the repository's working tree before the first test; pytest_sessionfinish
    compares it after the last one (and every session fixture's teardown)."""
    state = repo_state()
    if state is not None:
        request.config.stash[REPO_STATE] = state
    yield


def pytest_sessionfinish(session, exitstatus):
    before = session.config.stash.get(REPO_STATE, None)
    if before is None:
        return
    after = repo_state()
    found = changes(before, after) if after is not None else ["the repository is no longer a git checkout"]
    if found:
        session.config.stash[REPO_CHANGES] = found
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    found = config.stash.get(REPO_CHANGES, None)
    if found:
        terminalreporter.section("the test suite changed the repository", sep="=", red=True, bold=True)
        terminalreporter.line(f"Tests must write into tmp_path, not into {REPO}:")
        for line in found:
            terminalreporter.line(f"  {line}")
