"""The build pipeline: load -> validate -> compute -> render -> publish."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bscgen.compute import compute_history, first_quarter, latest_quarter
from bscgen.export import scorecard_csv, scorecard_json
from bscgen.periods import Quarter
from bscgen.problems import Problem
from bscgen.project import load_project
from bscgen.publish import check_output, staged, write_file
from bscgen.render import QuarterSite, environment, render_pages
from bscgen.themes import theme_dirs


class PeriodChoiceError(Exception):
    """--period names a quarter the scorecard cannot be built for."""


@dataclass(frozen=True)
class BuildReport:
    quarter: Quarter
    files: int
    warnings: list[Problem]


def static_files(dirs: list[Path]) -> dict[str, Path]:
    """Theme static files by site path; a project theme's file wins over the built-in one."""
    files: dict[str, Path] = {}
    for theme in reversed(dirs):
        static = theme / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else []:
            if path.is_file():
                files["static/" + path.relative_to(static).as_posix()] = path
    return files


def build(root: Path, out: Path, period: Quarter | None = None, strict: bool = False) -> BuildReport:
    check_output(out, root)
    scorecard, warnings = load_project(root, strict=strict)
    first = first_quarter(scorecard)
    quarter = period or latest_quarter(scorecard)
    if quarter < first:
        raise PeriodChoiceError(f"there are no actuals on or before {quarter}; the first quarter with data is {first}")
    history = compute_history(scorecard, quarter)
    result = history[-1]

    dirs = theme_dirs(root, scorecard.config.theme)
    site = QuarterSite(root, scorecard, history, [quarter])
    files: dict[str, str | bytes] = dict(render_pages(environment(dirs), site))
    files["scorecard.json"] = scorecard_json(scorecard.config, result)
    files["scorecard.csv"] = scorecard_csv(result)
    for site_path, path in static_files(dirs).items():
        files[site_path] = path.read_bytes()

    with staged(out) as staging:
        for site_path in sorted(files):
            write_file(staging, site_path, files[site_path])
    return BuildReport(quarter, len(files), warnings)


def check(root: Path, strict: bool = False) -> list[Problem]:
    """Validate only; returns the warnings, raises ContentError on problems."""
    _, warnings = load_project(root, strict=strict)
    return warnings
