"""Helpers shared by the browser tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.helpers import REPO, copy_example, reuse_charts, run_bscgen

AXE = Path(os.environ.get("AXE_CORE_JS") or REPO / "node_modules" / "axe-core" / "axe.min.js")

# One page of each type (the site root is the latest quarter), and the past
# quarter whose folder is visited too.
PAST = "2025-Q2"
PAGES = {
    "home": "index.html",
    "perspective": "perspectives/customer/index.html",
    "objective": "objectives/C1/index.html",
    "kpi": "kpis/tier1-availability/index.html",
    "strategy-map": "strategy-map/index.html",
    "initiatives": "initiatives/index.html",
    "quarters": "quarters/index.html",
    "attention": "attention/index.html",
    "alignment": "alignment/index.html",
    "changes": "changes/index.html",
    "data-status": "data-status/index.html",
    "cascade": "cascade/index.html",
    "child-objective": "scorecards/infra/objectives/I1/index.html",
    "briefing": "briefing/index.html",
    "perspectives": "perspectives/index.html",
    "objectives": "objectives/index.html",
    "kpis": "kpis/index.html",
    "scorecards": "scorecards/index.html",
}


ROOT_ONLY = {"data-status", "scorecards"}  # pages the site root has and quarter folders do not
CHILD = "scorecards/infra/"  # the example's child scorecard built with it: a sub-site of its own


def at(kind: str, quarter: str = "") -> str:
    """A page type's path at the site root or in a quarter's folder (a child's
    quarter folders are inside its sub-site)."""
    path, folder = PAGES[kind], f"{quarter}/" if quarter else ""
    if path.startswith(CHILD):
        return CHILD + folder + path.removeprefix(CHILD)
    return folder + path


def in_ci() -> bool:
    """The environment variable CI is set (to anything but '', 0, false, no)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def build_site(project: Path, *args: str) -> Path:
    """`bscgen build -s project ARGS` in a subprocess; returns project/site.

    A subprocess, because bscgen's build calls asyncio.run(), which cannot run
    in this thread while Playwright's sync API is in use (see conftest.py).
    """
    result = run_bscgen("build", "-s", project, *args, timeout=600)
    assert result.returncode == 0, f"bscgen build {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return project / "site"


class Background:
    """A function running in a thread (a build in a subprocess, mostly), so
    it overlaps with the browser tests; result() waits and re-raises."""

    def __init__(self, name: str, function, *args):
        self.value = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(function, args), name=name, daemon=True)
        self.thread.start()

    def _run(self, function, args) -> None:
        try:
            self.value = function(*args)
        except BaseException as error:  # handed to whoever asks for the result
            self.error = error

    def result(self, timeout: float = 900):
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise TimeoutError(f"{self.thread.name} still running after {timeout} s")
        if self.error is not None:
            raise self.error
        return self.value


# The frozen-quarter scenario (test_frozen.py): 2024-Q4 frozen when 2025-Q1
# was the latest quarter, then the example built in full around it.
FROZEN = "2024-Q4"
THEN_LATEST = "2025-Q1"
MISSING = "2026-Q2/objectives/C1/index.html"  # removed after the build: "did not exist then"


def prepare_frozen(folder: Path, example_site: Path) -> Path:
    project = copy_example(folder / "project")
    reuse_charts(example_site, project)  # the same charts: seconds instead of half a minute
    build_site(project, "--period", THEN_LATEST)
    # the example has audiences: a frozen quarter keeps each audience's copy (the default is leadership)
    shutil.copytree(project / "site" / FROZEN, project / "archive" / FROZEN / "leadership")
    site = build_site(project)
    old = (project / "archive" / FROZEN / "leadership" / "index.html").read_bytes()
    assert (site / FROZEN / "index.html").read_bytes() == old, "the build did not copy the frozen quarter verbatim"
    (site / MISSING).unlink()
    return site


def prepare_hostile(folder: Path) -> Path:
    """tests/test_safety.py's project with script payloads in every text field, built."""
    from tests.test_safety import hostile_project

    return build_site(hostile_project(folder / "project"))


def title(version: str) -> str:
    """'2025-Q2' -> '2025 Q2', as the pages write a quarter."""
    return version.replace("-", " ")


def navigate(watched, action) -> None:
    """Run an action that loads another page of the site (see WatchedPage.navigate)."""
    watched.navigate(action)


def assert_drawn(page, selector: str, minimum: int = 1) -> None:
    """Every element matching selector is visible with a non-empty box."""
    from playwright.sync_api import expect

    elements = page.locator(selector)
    count = elements.count()
    assert count >= minimum, f"{page.url}: {count} × {selector}, expected at least {minimum}"
    for index in range(count):
        element = elements.nth(index)
        element.scroll_into_view_if_needed()
        expect(element).to_be_visible()
        box = element.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, f"{page.url}: {selector} #{index} has box {box}"


def require_axe() -> Path:
    """The axe-core script; skips (locally) or fails (CI) without it."""
    if not AXE.is_file():
        reason = f"axe-core is not installed ({AXE} is missing: npm install --no-save axe-core)"
        if in_ci():
            pytest.fail(f"{reason} (CI is set, so the accessibility tests must run)", pytrace=False)
        pytest.skip(reason)
    return AXE
