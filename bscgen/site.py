"""The build pipeline: load -> validate -> compute -> render -> publish.

`build` writes the latest quarter at the site root and every quarter from
the first with data in its own folder, each "as of" its quarter. Frozen
quarters (archive/<quarter>/) are copied, not rebuilt. The build cache lets
an unchanged quarter, page or chart be reused instead of made again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from bscgen import charts, search
from bscgen.archive import ARCHIVE, archived_quarters, frozen_files, frozen_pages
from bscgen.cache import BuildCache, Digest, code_digest, sha256, tree_digest
from bscgen.compute import compute_history, first_quarter, latest_quarter
from bscgen.export import scorecard_csv, scorecard_json
from bscgen.model import Scorecard
from bscgen.periods import Quarter, quarter_range
from bscgen.problems import Problem
from bscgen.project import load_project
from bscgen.publish import check_output, staged
from bscgen.render import (
    Placement, QuarterSite, Results, environment, has_commentary, quarter_jobs, render_page, running_header_css,
    texts_of,
)
from bscgen.themes import theme_dirs

PRINT_CSS = "running-header.css"  # made per quarter, served like a theme's static file

# progress(stage, done, total): called as charts are drawn and pages written
Progress = Callable[[str, int, int], None]


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
    pages_rendered: int
    pages_reused: int
    charts_drawn: int
    charts_cached: int
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


def _draw_charts(
    needed: dict[str, dict], cache: BuildCache, drawer: charts.ChartDrawer, progress: Progress | None,
    recent: dict[str, str],
) -> dict[str, str]:
    """SVGs for the charts one copy needs: from the previous copy (the root repeats the
    latest quarter), the cache, or drawn now."""
    svgs, missing = {}, {}
    for key, spec in needed.items():
        cached = recent.get(key) or cache.chart(key)
        if cached is None:
            missing[key] = spec
        else:
            svgs[key] = cached
    # A chart drawn earlier in this build for another copy counts once, as drawn.
    cache.charts_cached += len(set(svgs) - cache.drawn_keys)
    drawn = drawer.draw(missing, progress=progress)
    for key, svg in drawn.items():
        cache.store_chart(key, svg)
    cache.drawn_keys.update(drawn)
    cache.charts_drawn += len(drawn)
    return {**svgs, **drawn}


def write_quarters(
    staging: Path,
    root: Path,
    scorecard: Scorecard,
    latest: Quarter,
    quarters: tuple[Quarter, ...],
    frozen: dict[Quarter, Path],
    folders: list[Quarter],
    with_root: bool,
    cache: BuildCache,
    progress: Progress | None = None,
) -> None:
    """Write the quarter folders asked for (and the site root) into the staging folder.

    `quarters` are all the quarters the site will have, newest first.
    """
    history = [Results.of(r) for r in compute_history(scorecard, latest)]
    position = {r.result.quarter: i for i, r in enumerate(history)}
    dirs = theme_dirs(root, scorecard.config.theme)
    env = environment(dirs)
    static = static_files(dirs)
    theme_assets = fingerprint(static)
    digest = Digest()
    frozen_page_sets = {q: frozen_pages(path) for q, path in frozen.items()}
    # Everything pages are made of but the Markdown texts (keyed per text below).
    # Actuals are keyed by the data files they come from: cheaper than by value.
    model = digest([
        scorecard.config, scorecard.objectives, scorecard.kpis, scorecard.initiatives,
        tree_digest([root / "data"]), quarters, frozen_page_sets,
    ])

    copies = [(q, f"{q}/") for q in folders] + ([(latest, "")] if with_root else [])
    sites, changed, svgs = {}, [], {}
    with charts.ChartDrawer() as drawer:
        for number, (quarter, folder) in enumerate(copies, start=1):
            texts = texts_of(scorecard, quarter)
            key = sha256(f"{cache.salt}{folder}{quarter}{model}{has_commentary(texts)}")
            redo = cache.plan_copy(folder, key, {i: sha256(d.body) for i, d in texts.items()})
            if redo is not None:
                cache.pages_reused += cache.reuse_copy(staging, folder, skip=redo, bundles=not redo)
                if not redo:
                    continue
            changed.append((quarter, folder))
            if quarter not in sites:  # the root and the latest quarter's folder share one layout
                sites[quarter] = QuarterSite(scorecard, history[: position[quarter] + 1])
            site = sites[quarter]
            print_css = {PRINT_CSS: running_header_css(scorecard.config, quarter).encode()}
            assets = {**theme_assets, **fingerprint(print_css)}
            pages = site.pages(None if redo is None else frozenset(p.removeprefix(folder) for p in redo))
            # Every quarter built from today's content has the same pages; frozen ones have their own.
            paths = site.paths()
            page_sets = {q: frozen_page_sets.get(q) or paths for q in quarters}
            jobs = quarter_jobs(site, pages, Placement(folder, quarters, page_sets), assets)
            if redo is None:
                cache.record_uses(folder, {folder + p.path: list(p.texts) for p in pages if p.texts})
                result = site.now.result
                for site_path, content in (
                    (f"{folder}scorecard.json", scorecard_json(scorecard.config, result)),
                    (f"{folder}scorecard.csv", scorecard_csv(result)),
                    *((folder + assets[name], data) for name, data in {**static, **print_css}.items()),
                ):
                    cache.write(staging, site_path, sha256(content), content)
            # One copy at a time: memory holds one copy's charts and pages, not the site's.
            digest(history)  # once per build (memoised), for every copy's pages to look up
            page_digest = Digest(shared=digest)  # freed with the copy's pages
            keyed = [(job, sha256(cache.salt + job.site_path + job.template + page_digest(job.context))) for job in jobs]
            needed = {c.key: c.spec for job, key in keyed if not cache.reusable(job.site_path, key) for c in job.charts}
            svgs = _draw_charts(needed, cache, drawer, progress, svgs)
            for job, key in keyed:
                if cache.write(staging, job.site_path, key, lambda job=job: render_page(env, job, svgs, root)):
                    cache.pages_reused += 1
                else:
                    cache.pages_rendered += 1
            if progress:
                progress("quarters", number, len(copies))
            if quarter not in (q for q, _ in copies[number:]):
                sites.pop(quarter)  # no other copy of this quarter follows

    _write_search(staging, scorecard, changed, cache)


def _write_search(staging: Path, scorecard: Scorecard, copies: list[tuple[Quarter, str]], cache: BuildCache) -> None:
    """The search bundles of the copies written anew: each distinct bundle is
    linked from the previous site if it had it, else indexed once in this build."""
    if not copies:
        return
    catalogue = search.catalogue(scorecard)
    wanted = {}  # bundle folder in the site -> its pages
    for quarter, folder in copies:
        wanted[folder + search.CATALOGUE] = catalogue
        commentary = search.commentary(scorecard, quarter)
        if commentary:  # Pagefind writes no index at all for no pages
            wanted[folder + search.COMMENTARY] = commentary
    first: dict[str, str] = {}  # bundle key -> the folder it is indexed into
    made_here = []
    for folder, pages in wanted.items():
        key = search.bundle_key(cache.salt, pages)
        if not cache.reuse_bundle(staging, folder, key):
            made_here.append((folder, first.setdefault(key, folder)))
    search.build_bundles({staging / folder: wanted[folder] for folder, source in made_here if folder == source})
    for folder, source in made_here:
        cache.adopt(staging, folder, None if folder == source else staging / source)


def build(
    root: Path,
    out: Path,
    period: Quarter | None = None,
    strict: bool = False,
    latest_only: bool = False,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> BuildReport:
    check_output(out, root)
    scorecard, warnings = load_project(root, strict=strict)
    latest, frozen, folders, quarters = _plan(root, scorecard, period, latest_only)
    cache = _cache(root, out, scorecard, use_cache)

    with staged(out) as staging:
        write_quarters(staging, root, scorecard, latest, quarters, frozen, folders, True, cache, progress)
        versions = versions_json(quarters)
        cache.write(staging, "versions.json", sha256(versions), versions)
        for quarter, path in frozen.items():
            for name, content in frozen_files(path).items():
                cache.write(staging, f"{quarter}/{name}", sha256(content), content)
    cache.save()
    return BuildReport(
        latest, tuple(folders), tuple(sorted(frozen)), cache.files_written + cache.files_reused,
        cache.pages_rendered, cache.pages_reused, cache.charts_drawn, cache.charts_cached, warnings,
    )


def _cache(root: Path, out: Path, scorecard: Scorecard, enabled: bool) -> BuildCache:
    salt = sha256(code_digest() + tree_digest(theme_dirs(root, scorecard.config.theme)))
    return BuildCache(root, out, salt, enabled)


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
    cache = _cache(root, target, scorecard, enabled=False)
    with staged(target) as staging:
        write_quarters(staging, root, scorecard, latest, quarters, frozen, [quarter], False, cache)
        # the quarter's folder becomes the archive itself
        inner = staging / str(quarter)
        for path in sorted(inner.iterdir()):
            path.rename(staging / path.name)
        inner.rmdir()
    return quarter, target


def check(root: Path, strict: bool = False) -> list[Problem]:
    """Validate only; returns the warnings, raises ContentError on problems."""
    _, warnings = load_project(root, strict=strict)
    return warnings
