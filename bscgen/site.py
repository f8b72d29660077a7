"""The build pipeline: load -> validate -> compute -> render -> publish.

`build` writes the latest quarter at the site root and every quarter from
the first with data in its own folder, each "as of" its quarter. Frozen
quarters (archive/<quarter>/) are copied, not rebuilt.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bscgen import charts
from bscgen.archive import ARCHIVE, archived_quarters, frozen_files, frozen_pages
from bscgen.compute import compute_history, first_quarter, latest_quarter
from bscgen.export import scorecard_csv, scorecard_json
from bscgen.model import Scorecard
from bscgen.periods import Quarter, quarter_range
from bscgen.problems import Problem
from bscgen.project import load_project
from bscgen.publish import check_output, staged, write_file
from bscgen.render import Page, Placement, QuarterSite, Results, environment, render_quarter
from bscgen.themes import theme_dirs


class PeriodChoiceError(Exception):
    """--period names a quarter the scorecard cannot be built for."""


class ArchiveExistsError(Exception):
    """`bscgen archive` would overwrite a frozen quarter."""


@dataclass(frozen=True)
class BuildReport:
    quarter: Quarter
    rendered: tuple[Quarter, ...]
    frozen: tuple[Quarter, ...]
    files: int
    charts: int
    warnings: list[Problem]


def static_files(dirs: list[Path]) -> dict[str, bytes]:
    """Theme static files by name; a project theme's file wins over the built-in one."""
    files: dict[str, bytes] = {}
    for theme in reversed(dirs):
        static = theme / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else []:
            if path.is_file():
                files[path.relative_to(static).as_posix()] = path.read_bytes()
    return files


def fingerprint(static: dict[str, bytes]) -> dict[str, str]:
    """static name -> path with a content hash, so assets can be cached for ever."""
    names = {}
    for name, content in static.items():
        path = PurePosixPath(name)
        digest = hashlib.sha256(content).hexdigest()[:10]
        names[name] = f"static/{path.with_name(f'{path.stem}.{digest}{path.suffix}')}"
    return names


def versions_json(quarters: tuple[Quarter, ...]) -> str:
    """mike's format: every quarter, newest first, the newest aliased latest."""
    versions = [
        {"version": str(q), "title": q.title, "aliases": ["latest"] if i == 0 else []}
        for i, q in enumerate(quarters)
    ]
    return json.dumps(versions, indent=2) + "\n"


def _latest(scorecard: Scorecard, period: Quarter | None) -> Quarter:
    first = first_quarter(scorecard)
    latest = period or latest_quarter(scorecard)
    if latest < first:
        raise PeriodChoiceError(f"there are no actuals on or before {latest}; the first quarter with data is {first}")
    return latest


def render_site(
    root: Path,
    scorecard: Scorecard,
    latest: Quarter,
    quarters: tuple[Quarter, ...],
    frozen: dict[Quarter, Path],
    folders: list[Quarter],
    with_root: bool,
) -> tuple[dict[str, str | bytes], int]:
    """Files of the quarter folders asked for (and of the site root), and how many charts were drawn.

    `quarters` are all the quarters the site will have, newest first.
    """
    history = [Results.of(r) for r in compute_history(scorecard, latest)]
    position = {r.result.quarter: i for i, r in enumerate(history)}

    dirs = theme_dirs(root, scorecard.config.theme)
    env = environment(dirs)
    static = static_files(dirs)
    assets = fingerprint(static)

    wanted = set(folders) | ({latest} if with_root else set())
    sites = {q: QuarterSite(scorecard, history[: position[q] + 1]) for q in sorted(wanted)}
    pages: dict[Quarter, list[Page]] = {q: site.pages() for q, site in sites.items()}
    # Every quarter built from today's content has the same pages; frozen ones have their own.
    current_pages = frozenset(p.path for p in next(iter(pages.values())))
    page_sets = {q: frozen_pages(frozen[q]) if q in frozen else current_pages for q in quarters}

    specs = {c.key: c.spec for quarter_pages in pages.values() for page in quarter_pages for c in page.charts}
    svgs = charts.render_svgs(specs)

    files: dict[str, str | bytes] = {}
    copies = [(q, f"{q}/") for q in folders] + ([(latest, "")] if with_root else [])
    for quarter, folder in copies:
        placement = Placement(folder, quarters, page_sets)
        files.update(render_quarter(env, sites[quarter], pages[quarter], placement, svgs, assets, root))
        result = sites[quarter].now.result
        files[f"{folder}scorecard.json"] = scorecard_json(scorecard.config, result)
        files[f"{folder}scorecard.csv"] = scorecard_csv(result)
        for name, content in static.items():
            files[folder + assets[name]] = content
    return files, len(specs)


def _plan(root: Path, scorecard: Scorecard, period: Quarter | None, latest_only: bool = False):
    """(latest quarter, frozen quarters, quarters to render, every quarter of the site newest first)."""
    latest = _latest(scorecard, period)
    frozen = {q: path for q, path in archived_quarters(root).items() if q <= latest}
    periods = quarter_range(first_quarter(scorecard), latest)
    if latest_only:
        periods, frozen = [latest], {q: path for q, path in frozen.items() if q == latest}
    folders = [q for q in periods if q not in frozen]
    quarters = tuple(sorted(set(periods) | set(frozen), reverse=True))
    return latest, frozen, folders, quarters


def build(
    root: Path, out: Path, period: Quarter | None = None, strict: bool = False, latest_only: bool = False,
) -> BuildReport:
    check_output(out, root)
    scorecard, warnings = load_project(root, strict=strict)
    latest, frozen, folders, quarters = _plan(root, scorecard, period, latest_only)

    files, chart_count = render_site(root, scorecard, latest, quarters, frozen, folders, with_root=True)
    files["versions.json"] = versions_json(quarters)
    for quarter, path in frozen.items():
        for name, content in frozen_files(path).items():
            files[f"{quarter}/{name}"] = content

    with staged(out) as staging:
        for site_path in sorted(files):
            write_file(staging, site_path, files[site_path])
    return BuildReport(latest, tuple(folders), tuple(sorted(frozen)), len(files), chart_count, warnings)


def archive(root: Path, period: Quarter | None = None, force: bool = False) -> tuple[Quarter, Path]:
    """Freeze one quarter (default: the latest) into archive/<quarter>/, exactly as
    `bscgen build` publishes it in site/<quarter>/ now."""
    scorecard, _ = load_project(root)
    latest, frozen, _, quarters = _plan(root, scorecard, None)
    quarter = period or latest
    if quarter not in quarters:
        raise PeriodChoiceError(f"there is no quarter {quarter} to archive; the site has {quarters[-1]} to {quarters[0]}")
    target = root / ARCHIVE / str(quarter)
    if target.exists() and not force:
        raise ArchiveExistsError(
            f"{ARCHIVE}/{quarter} already exists; a published quarter is not rebuilt. "
            "Use --force to replace it anyway."
        )
    frozen.pop(quarter, None)
    files, _ = render_site(root, scorecard, latest, quarters, frozen, [quarter], with_root=False)
    prefix = f"{quarter}/"
    with staged(target) as staging:
        for site_path in sorted(files):
            write_file(staging, site_path.removeprefix(prefix), files[site_path])
    return quarter, target


def check(root: Path, strict: bool = False) -> list[Problem]:
    """Validate only; returns the warnings, raises ContentError on problems."""
    _, warnings = load_project(root, strict=strict)
    return warnings
