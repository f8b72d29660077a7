"""Shared test helpers: copies of the fixtures and of the example, the CLI run
in-process or as a real process, and small projects written from texts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner, Result

from bscgen import site
from bscgen.cli import main
from bscgen.site import BuildReport

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
CACHE = ".bscgen-cache"  # bscgen.buildstate.CACHE_DIR
# what a build leaves in a project: never copied from a fixture (one built by hand, say)
BUILD_LEFTOVERS = ("site", CACHE)
EXAMPLE = ("bscgen.yaml", "content", "data", "themes", "scorecards", "vendor")


def copy_fixture(name: str, destination: Path) -> Path:
    """A copy of tests/fixtures/NAME ("small", "group") at destination, without
    any site/ or build cache a build by hand may have left there."""
    return Path(shutil.copytree(FIXTURES / name, destination, ignore=shutil.ignore_patterns(*BUILD_LEFTOVERS)))


def copy_example(destination: Path) -> Path:
    """A copy of the example project in the repository root."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy(source, destination / name)
    return destination


def reuse_charts(built_site: Path, project: Path) -> None:
    """Give PROJECT the chart cache of the project that built BUILT_SITE (the session's
    example, say): charts already drawn are not drawn again. Only an optimisation: a
    cache bscgen does not understand is a miss."""
    charts = built_site.parent / CACHE / "charts"
    if charts.is_dir():
        shutil.copytree(charts, project / CACHE / "charts")


def cli(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    """`bscgen ARGS` in-process (click's CliRunner); paths may be passed as they are.
    The result keeps stdout and stderr apart (and .output, both)."""
    return CliRunner().invoke(main, [str(arg) for arg in args], env=env)


def cli_build(project: Path, *args: str | Path) -> Result:
    """`bscgen build -s PROJECT ARGS` in-process."""
    return cli("build", "-s", project, *args)


def build(project: Path, out: Path | None = None, **options) -> BuildReport:
    """bscgen.site.build in-process into OUT (default PROJECT/site): what the build did."""
    return site.build(project, out or project / "site", **options)


def bscgen_process_env(**extra: str) -> dict[str, str]:
    """The environment for `python -m bscgen` in a subprocess: this checkout's bscgen
    first on the path, whatever folder the process runs in."""
    path = os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH"))))
    return {**os.environ, "PYTHONPATH": path, **extra}


def bscgen_command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "bscgen", *(str(arg) for arg in args)]


def run_bscgen(*args: str | Path, cwd: Path | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    """`bscgen ARGS` as a real process (python -m bscgen); output captured as text."""
    return subprocess.run(bscgen_command(*args), capture_output=True, text=True, cwd=cwd, timeout=timeout,
                          env=bscgen_process_env())


CONFIG = """\
title: Test Scorecard
perspectives:
  - {id: financial, title: Financial}
  - {id: customer, title: Customer}
"""

OBJECTIVES = {
    "f1.md": "---\nid: F1\ntitle: Cost\nperspective: financial\n---\nCost.\n",
    "c1.md": "---\nid: C1\ntitle: Users\nperspective: customer\nsupports: [F1]\n---\nUsers.\n",
}


def write_project(root: Path, kpis: str, csv_files: dict[str, str], config: str = CONFIG,
                  objectives: dict[str, str] | None = None) -> Path:
    """A project with the given kpis.yaml text and CSV files (texts are dedented)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "bscgen.yaml").write_text(textwrap.dedent(config))
    (root / "content" / "objectives").mkdir(parents=True)
    for name, text in (OBJECTIVES if objectives is None else objectives).items():
        (root / "content" / "objectives" / name).write_text(text)
    (root / "data").mkdir()
    (root / "data" / "kpis.yaml").write_text(textwrap.dedent(kpis))
    for name, text in csv_files.items():
        path = root / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, by relative path: two sites compare in one assertion."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
