"""Publishing (SPEC 22): the swap leaves no instant without a whole site at the output
path, a killed build leaves the previous site whole and the cache usable, and the
next build removes what killed builds left behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from bscgen import publish
from tests.helpers import bscgen_command, bscgen_process_env, build, cli_build, copy_fixture, tree

linux_only = pytest.mark.skipif(publish._renameat2() is None, reason="renameat2 is Linux's (glibc 2.28 and later)")


def leftovers(out: Path) -> list[str]:
    """The staging and retired folders of `out` beside it."""
    return sorted(p.name for p in out.parent.iterdir() if publish.is_staging(Path(p.name), out))


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_fixture("small", tmp_path / "p")


@linux_only
def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    (first / "which").write_text("first")
    (second / "which").write_text("second")
    assert publish.exchange(first, second)
    assert (first / "which").read_text() == "second" and (second / "which").read_text() == "first"


@linux_only
def test_exchange_reports_a_real_failure(tmp_path):
    (tmp_path / "a").mkdir()
    with pytest.raises(FileNotFoundError):
        publish.exchange(tmp_path / "a", tmp_path / "missing")


def test_without_an_exchange_two_renames_replace_the_site(project, monkeypatch):
    build(project)
    monkeypatch.setattr(publish, "exchange", lambda first, second: False)
    (project / "content" / "index.md").write_text("A new home text.\n")
    build(project)
    assert "A new home text." in (project / "site" / "index.html").read_text()
    assert leftovers(project / "site") == []


def test_the_first_build_renames_the_staging_folder_into_place(project):
    build(project)
    assert (project / "site" / "index.html").is_file() and leftovers(project / "site") == []


def test_a_build_removes_what_killed_builds_left_but_never_a_live_build_s_folder(project):
    build(project)
    out = project / "site"
    for name in (".site.new-dead1", ".site.old-dead2"):
        (out.parent / name / "kpis").mkdir(parents=True)
        (out.parent / name / "kpis" / "index.html").write_text("half a site")
    live = out.parent / ".site.new-live"
    live.mkdir()
    held = publish._lock(live, wait=True)  # as a build still running holds its staging folder
    try:
        build(project)
        assert leftovers(out) == [".site.new-live"]
    finally:
        publish._unlock(held)
    assert publish.remove_leftovers(out) == [live]
    assert leftovers(out) == []


def test_no_instant_without_the_site_during_repeated_builds(project):
    """A poller looks for site/index.html as fast as it can while the site is rebuilt
    and swapped in again and again: it is never missing (two renames left a gap)."""
    build(project)
    page = project / "site" / "index.html"
    done, polls, missing = threading.Event(), [0], [0]

    def poll() -> None:
        while not done.is_set():
            polls[0] += 1
            if not os.path.exists(page):
                missing[0] += 1

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        for number in range(8):
            (project / "content" / "index.md").write_text(f"Home text {number}.\n")
            build(project)
    finally:
        done.set()
        poller.join(timeout=30)
    assert polls[0] > 1000, "the poller hardly ran"
    assert missing[0] == 0, f"site/index.html was missing in {missing[0]} of {polls[0]} polls"
    assert leftovers(project / "site") == []


KILLS = 5  # builds killed at random moments
KILL_TIMEOUT = 180  # for one build of the small project, on a busy machine


def timed_build(project: Path) -> float:
    started = time.monotonic()
    subprocess.run(bscgen_command("build", "-q", "-s", project), env=bscgen_process_env(), check=True,
                   timeout=KILL_TIMEOUT, capture_output=True)
    return time.monotonic() - started


def kill_a_build(project: Path, after: float) -> bool:
    """Start a build and SIGKILL it `after` seconds in; False if it finished first."""
    process = subprocess.Popen(bscgen_command("build", "-q", "-s", project), env=bscgen_process_env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=after)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    return process.wait(timeout=KILL_TIMEOUT) == -signal.SIGKILL


def edit(project: Path, number: int) -> None:
    """A change that makes the next build render pages and draw charts anew."""
    (project / "content" / "index.md").write_text(f"Home text {number}.\n")
    with (project / "data" / "actuals.csv").open("a") as actuals:
        actuals.write(f"csat,2026-03-{number + 1:02d},{60 + number},\n")


def test_builds_killed_at_random_moments_leave_a_whole_site_and_a_usable_cache(project, tmp_path):
    """SIGKILL builds at random moments: the site is always the previous one or the whole
    new one; the next build leaves nothing behind and equals a clean build, no cache."""
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    timed_build(project)
    edit(project, 0)
    duration = timed_build(project)  # how long a build after an edit takes here
    killed = 0
    for number in range(1, KILLS + 1):
        before = tree(project / "site")
        edit(project, number)
        after = rng.uniform(0.05, duration)
        killed += kill_a_build(project, after)
        now = tree(project / "site")
        if now != before:  # killed after the swap: the site must be the whole new one
            reference = tmp_path / f"reference-{number}"
            assert cli_build(project, "--no-cache", "-o", reference).exit_code == 0
            assert now == tree(reference), f"the site is not whole after a kill at {after:.2f} s (seed {seed})"
    assert killed, f"every build finished before its kill (seed {seed})"
    result = cli_build(project)
    assert result.exit_code == 0, result.output
    assert leftovers(project / "site") == [], f"seed {seed}"
    clean = tmp_path / "clean"
    assert cli_build(project, "--no-cache", "-o", clean).exit_code == 0
    assert tree(project / "site") == tree(clean), f"the cached build differs from a clean one (seed {seed})"
