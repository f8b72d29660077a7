"""The build pipeline: load -> validate -> compute -> render -> publish.

`build` writes the latest quarter at the site root and every quarter from
the first with data in its own folder, each "as of" its quarter. Frozen
quarters (archive/<quarter>/) are copied, not rebuilt. Rendering lays out
output records; the writer links what the previous site already has and
makes the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from bscgen import charts, keys, search, urls
from bscgen.archive import ARCHIVE, archived_quarters, frozen_files, frozen_pages
from bscgen.buildstate import BuildState
from bscgen.chartstore import ChartStore, Progress
from bscgen.compute import QuarterResult, compute_history, first_quarter, latest_quarter
from bscgen.export import scorecard_csv, scorecard_json
from bscgen.model import ParentLink, Scorecard
from bscgen.outputs import Output
from bscgen.datastatus import as_of_date
from bscgen.gitlog import git_history
from bscgen.pages import DataStatus, QuarterSite, Results, ReviewInputs
from bscgen.periods import Quarter, quarter_range
from bscgen.problems import Problem
from bscgen.project import load_project
from bscgen.publish import check_output, staged
from bscgen.render import Placement, copy_outputs, environment, page_digest, running_header_css
from bscgen.exports import export_outputs
from bscgen.texts import SUMMARY, TextRef, has_commentary, texts_of
from bscgen.themes import Theme, fingerprint
from bscgen.writer import Counts, Writer

PRINT_CSS = "running-header.css"  # made per quarter, served like a theme's static file


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


@dataclass(frozen=True)
class Copy:
    """One copy of a quarter's pages: in its folder, or at the site root."""

    quarter: Quarter
    folder: str  # from urls.copy_folder


@dataclass(frozen=True)
class SitePlan:
    """Which quarters the site has, and which of them are built rather than copied."""

    latest: Quarter
    quarters: tuple[Quarter, ...]  # every quarter of the site, newest first
    frozen: dict[Quarter, Path]  # quarters copied from archive/
    rendered: tuple[Quarter, ...]  # quarters built now, oldest first

    def copies(self, with_root: bool) -> list[Copy]:
        folders = [Copy(q, urls.copy_folder(q)) for q in self.rendered]
        return folders + ([Copy(self.latest, urls.copy_folder(None))] if with_root else [])


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
    scorecard, warnings = load_project(root, strict=strict)  # load and validate
    plan = plan_site(root, scorecard, period, latest_only)
    # compute, render and publish into a folder swapped in whole; one chart pool for the parent and its children
    with staged(out) as staging, charts.ChartDrawer() as drawer:
        counts, charts_drawn, charts_cached = write_site(staging, out, root, scorecard, plan, use_cache, drawer, progress)
    return BuildReport(
        plan.latest, plan.rendered, tuple(sorted(plan.frozen)), counts.files_written + counts.files_linked,
        counts.pages_rendered, counts.pages_reused, charts_drawn, charts_cached, warnings,
    )


def write_site(staging: Path, out: Path, root: Path, scorecard: Scorecard, plan: SitePlan, use_cache: bool,
               drawer: charts.ChartDrawer, progress: Progress | None = None,
               history: list[QuarterResult] | None = None) -> tuple[Counts, int, int]:
    """One scorecard's whole site, and the sub-sites of its children built with it;
    returns the counts of all of them. `history`: the results, when already computed."""
    if history is None:
        history = compute_history(scorecard, plan.latest)
    inputs = BuildInputs(root, scorecard, plan, history, Theme.load(root, scorecard.config.theme))
    state = BuildState(root, out, keys.build_salt(inputs.theme.dirs), use_cache)
    chart_store = ChartStore(root, use_cache)
    writer = Writer(staging, state, chart_store, page_digest(inputs.history), drawer, progress)
    write_copies(writer, inputs, with_root=True)
    writer.write_files(site_outputs(plan))
    state.save()
    counts, drawn, cached = writer.counts, chart_store.drawn, chart_store.cached
    for child in scorecard.children:
        if child.built and first_quarter(child.scorecard) is not None:
            sub = urls.child_site(child.id)
            child_scorecard = with_parent(child, scorecard, plan)
            child_plan = plan_site(child.root, child_scorecard, min(plan.latest, latest_quarter(child.scorecard)))
            # the child's results were computed when it was loaded: each quarter's are as of that quarter
            upto = [r for r in child.history if r.quarter <= child_plan.latest]
            more = write_site(staging / sub, out / sub, child.root, child_scorecard, child_plan, use_cache, drawer,
                              progress, upto)
            counts, drawn, cached = counts + more[0], drawn + more[1], cached + more[2]
    return counts, drawn, cached


def with_parent(child, parent: Scorecard, plan: SitePlan) -> Scorecard:
    """A child's scorecard, knowing the parent it is built with (breadcrumbs, cascade links)."""
    objectives: dict[str, list[tuple[str, str]]] = {}
    for objective in parent.objectives:
        for ref in objective.cascade:
            scorecard, _, child_objective = ref.partition("/")
            if scorecard == child.id:
                objectives.setdefault(child_objective, []).append((objective.id, objective.title))
    link = ParentLink(parent.config.title, urls.up_from(urls.child_site(child.id)), frozenset(plan.quarters),
                      {oid: tuple(refs) for oid, refs in objectives.items()})
    return replace(child.scorecard, config=replace(child.scorecard.config, parent=link))


def plan_site(root: Path, scorecard: Scorecard, period: Quarter | None, latest_only: bool = False) -> SitePlan:
    first = first_quarter(scorecard)
    latest = period or latest_quarter(scorecard)
    if latest < first:
        raise PeriodChoiceError(f"there are no actuals on or before {latest}; the first quarter with data is {first}")
    frozen = {q: path for q, path in archived_quarters(root).items() if q <= latest}
    periods = quarter_range(first, latest)
    if latest_only:
        periods, frozen = [latest], {q: path for q, path in frozen.items() if q == latest}
    quarters = tuple(sorted(set(periods) | set(frozen), reverse=True))
    return SitePlan(latest, quarters, frozen, tuple(q for q in periods if q not in frozen))


def site_outputs(plan: SitePlan) -> list[Output]:
    """The files of the site as a whole: versions.json and the frozen quarters."""
    outputs = [Output.file(urls.VERSIONS, versions_json(plan.quarters))]
    for quarter, path in plan.frozen.items():
        folder = urls.copy_folder(quarter)
        outputs += [Output.file(folder + name, content) for name, content in frozen_files(path).items()]
    return outputs


def versions_json(quarters: tuple[Quarter, ...]) -> str:
    """mike's format: every quarter, newest first, the newest aliased latest."""
    versions = [
        {"version": str(q), "title": q.title, "aliases": ["latest"] if i == 0 else []}
        for i, q in enumerate(quarters)
    ]
    return json.dumps(versions, indent=2) + "\n"


@dataclass(frozen=True)
class BuildInputs:
    """Everything a build renders from."""

    root: Path
    scorecard: Scorecard
    plan: SitePlan
    history: list[QuarterResult]  # every quarter's results up to the plan's latest
    theme: Theme
    as_of: date = field(default_factory=as_of_date)  # the data status's date


def write_copies(writer: Writer, inputs: BuildInputs, with_root: bool) -> None:
    """Write every copy of a quarter the plan builds (one at a time: memory holds
    one copy's pages and charts), then their search bundles."""
    scorecard, plan = inputs.scorecard, inputs.plan
    history = [Results.of(r) for r in inputs.history]
    position = {r.result.quarter: i for i, r in enumerate(history)}
    env = environment(inputs.theme.dirs)
    page_sets = {q: frozen_pages(path) for q, path in plan.frozen.items()}
    review = ReviewInputs(frozen_records(plan.frozen), git_history(inputs.root))
    model = keys.model_digest(keys.Digest(), scorecard, inputs.root / "data", plan.quarters, (page_sets, review))
    copies, written, site = plan.copies(with_root), [], None
    for number, copy in enumerate(copies, start=1):
        texts = texts_of(scorecard, copy.quarter)
        status = DataStatus.of(scorecard, inputs.as_of) if copy.folder == "" else None  # the root's alone
        key = keys.copy_key(writer.state.salt, copy.folder, model, (copy.quarter, status and status.as_of),
                            has_commentary(texts))
        redo = writer.state.plan_copy(copy.folder, key, {ref: keys.text_key(d.body) for ref, d in texts.items()})
        if not redo.everything:
            writer.link_copy(copy.folder, except_pages=redo.pages, with_bundles=not redo.pages)
        if not redo.nothing:
            written.append(copy)
            if site is None or site.quarter != copy.quarter:  # the root repeats the latest quarter's folder
                site = QuarterSite(scorecard, history[: position[copy.quarter] + 1], review)
            static, assets = copy_static(inputs.theme, scorecard, copy.quarter)
            placement = Placement(copy.folder, plan.quarters, {q: page_sets.get(q) or site.paths() for q in plan.quarters},
                                  child_copies(scorecard, copy))
            only = None if redo.everything else frozenset(p.removeprefix(copy.folder) for p in redo.pages)
            outputs = copy_outputs(env, site, site.pages(only, status), placement, assets, inputs.root)
            outputs += [o for o in board_pack(inputs, site, copy, outputs, static, assets) if only is None or o.path in redo.pages]
            if redo.everything:
                writer.state.record_uses(copy.folder, {o.path: o.texts for o in outputs if o.texts})
                writer.write_files(copy_files(scorecard, site, copy, static, assets))
            writer.write_pages(outputs)
        if writer.progress:
            writer.progress("quarters", number, len(copies))
    write_search(writer, scorecard, written)


def board_pack(inputs: BuildInputs, site: QuarterSite, copy: Copy, outputs: list[Output],
               static: dict[str, bytes], assets: dict[str, str]) -> list[Output]:
    """The PDF and PowerPoint briefings of a copy (exports: in bscgen.yaml), made from its briefing page."""
    config = inputs.scorecard.config
    briefing = next((o for o in outputs if o.path == copy.folder + urls.BRIEFING), None)
    if not config.exports or briefing is None:
        return []
    summary = site.texts.get(TextRef(SUMMARY))
    template = (inputs.root / config.pptx_template).read_bytes() if config.pptx_template else None
    files = {assets[name]: data for name, data in static.items()}
    return export_outputs(config, copy.folder, copy.quarter, site.now.result, summary.body if summary else None,
                          briefing, files, template)


def frozen_records(frozen: dict[Quarter, Path]) -> dict[Quarter, dict]:
    """What each frozen quarter published (its scorecard.json), to find restated values."""
    records = {}
    for quarter, folder in frozen.items():
        try:
            records[quarter] = json.loads((folder / urls.SCORECARD_JSON).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a frozen quarter without a readable scorecard.json has nothing to compare
    return records


def child_copies(scorecard: Scorecard, copy: Copy) -> tuple[str, ...]:
    """The copies of the children built with a scorecard that one of its copies
    searches too: the same quarter's, or the child's root for the site root."""
    return tuple(
        urls.child_site(child.id) + (copy.folder if copy.folder and copy.quarter in child.quarters else "")
        for child in scorecard.children if child.built
    )


def copy_static(theme: Theme, scorecard: Scorecard, quarter: Quarter) -> tuple[dict[str, bytes], dict[str, str]]:
    """A copy's static files by name, and their fingerprinted paths: the theme's,
    and the quarter's print stylesheet."""
    print_css = {PRINT_CSS: running_header_css(scorecard.config, quarter).encode()}
    return {**theme.static, **print_css}, {**theme.assets, **fingerprint(print_css)}


def copy_files(scorecard: Scorecard, site: QuarterSite, copy: Copy, static: dict[str, bytes],
               assets: dict[str, str]) -> list[Output]:
    """The files of one copy besides its pages: scorecard.json and .csv, static files."""
    result = site.now.result
    return [
        Output.file(copy.folder + urls.SCORECARD_JSON, scorecard_json(scorecard.config, result)),
        Output.file(copy.folder + urls.SCORECARD_CSV, scorecard_csv(result)),
        *(Output.file(copy.folder + assets[name], data) for name, data in static.items()),
    ]


def write_search(writer: Writer, scorecard: Scorecard, copies: list[Copy]) -> None:
    """The search bundles of the copies written anew: each distinct bundle is
    linked from the previous site if it had it, else indexed once in this build."""
    if not copies:
        return
    catalogue = search.catalogue(scorecard)
    wanted = {}  # bundle folder in the site -> its pages
    for copy in copies:
        wanted[copy.folder + search.CATALOGUE] = catalogue
        commentary = search.commentary(scorecard, copy.quarter)
        if commentary:  # Pagefind writes no index at all for no pages
            wanted[copy.folder + search.COMMENTARY] = commentary
    first: dict[str, str] = {}  # bundle key -> the folder it is indexed into
    made_here = []
    for folder, pages in wanted.items():
        key = keys.bundle_key(writer.state.salt, pages)
        if not writer.link_bundle(folder, key):
            made_here.append((folder, key, first.setdefault(key, folder)))
    search.build_bundles({writer.staging / folder: wanted[folder] for folder, _, source in made_here if folder == source})
    for folder, key, source in made_here:
        writer.adopt_bundle(folder, key, None if folder == source else writer.staging / source)


def archive(root: Path, period: Quarter | None = None, force: bool = False) -> tuple[Quarter, Path]:
    """Freeze one quarter (default: the latest) into archive/<quarter>/, exactly as
    `bscgen build` publishes it in site/<quarter>/ now; children built with the
    scorecard are frozen with it, into their own archive/ (one frozen there already is kept)."""
    scorecard, _ = load_project(root)
    plan = plan_site(root, scorecard, None)
    quarter = period or plan.latest
    if quarter not in plan.quarters:
        raise PeriodChoiceError(f"there is no quarter {quarter} to archive; the site has {plan.quarters[-1]} to {plan.quarters[0]}")
    target = root / ARCHIVE / str(quarter)
    if target.exists() and not force:
        raise ArchiveExistsError(
            f"{ARCHIVE}/{quarter} already exists; a published quarter is not rebuilt. "
            "Use --force to replace it anyway."
        )
    freeze(root, scorecard, plan, quarter, force)
    return quarter, target


def freeze(root: Path, scorecard: Scorecard, plan: SitePlan, quarter: Quarter, force: bool) -> None:
    """Write one quarter's copy into archive/<quarter>/, and the children's copies into theirs."""
    frozen = {q: path for q, path in plan.frozen.items() if q != quarter}
    inputs = BuildInputs(root, scorecard, SitePlan(plan.latest, plan.quarters, frozen, (quarter,)),
                         compute_history(scorecard, plan.latest), Theme.load(root, scorecard.config.theme))
    target = root / ARCHIVE / str(quarter)
    state = BuildState(root, target, keys.build_salt(inputs.theme.dirs), enabled=False)
    with staged(target) as staging, charts.ChartDrawer() as drawer:
        writer = Writer(staging, state, ChartStore(root, enabled=False), page_digest(inputs.history), drawer)
        write_copies(writer, inputs, with_root=False)
        # the quarter's folder becomes the archive itself
        inner = staging / str(quarter)
        for path in sorted(inner.iterdir()):
            path.rename(staging / path.name)
        inner.rmdir()
    for child in scorecard.children:
        if not child.built or quarter not in child.quarters:
            continue
        child_scorecard = with_parent(child, scorecard, plan)
        child_plan = plan_site(child.root, child_scorecard, min(plan.latest, latest_quarter(child.scorecard)))
        if force or not (child.root / ARCHIVE / str(quarter)).exists():
            freeze(child.root, child_scorecard, child_plan, quarter, force)


def check(root: Path, strict: bool = False) -> list[Problem]:
    """Validate only; returns the warnings, raises ContentError on problems."""
    _, warnings = load_project(root, strict=strict)
    return warnings
