"""`bscgen build`: the pipeline, top to bottom.

load the tree (load -> validate -> view -> compute, once per scorecard) ->
plan (which quarters each site has, which are built) -> render and write
every copy into a staging folder -> swap it in whole -> report.

The latest quarter is written at the site root and every quarter from the
first with data in its own folder, each "as of" its quarter. Frozen quarters
(archive/<quarter>/) are copied, not rebuilt. Children built with the
scorecard become sub-sites at scorecards/<id>/.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from bscgen import catalogs, keys, urls
from bscgen.buildstate import BuildState
from bscgen.charts import ChartDrawer
from bscgen.chartstore import ChartStore, Progress
from bscgen.copies import SiteInputs, board_pack_files, write_site
from bscgen.model import ParentLink, Scorecard
from bscgen.periods import Quarter
from bscgen.plan import SitePlan, child_plan, plan_site
from bscgen.problems import Problem
from bscgen.publish import check_output, staged
from bscgen.render import page_digest
from bscgen.themes import Theme
from bscgen.tree import Tree, load_scorecard, load_tree, speaking
from bscgen.writer import Counts, Writer


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


def build(
    root: Path,
    out: Path,
    period: Quarter | None = None,
    strict: bool = False,
    latest_only: bool = False,
    use_cache: bool = True,
    progress: Progress | None = None,
    audience: str | None = None,
    language: str | None = None,
    locale: str | None = None,
) -> BuildReport:
    """`language` and `locale` (--language, --locale) override bscgen.yaml's."""
    check_output(out, root)
    tree, warnings = load_tree(root, strict=strict, audience=audience)
    tree = speaking(tree, language, locale)
    plan = plan_site(root, tree.scorecard, period, latest_only)
    states: list[BuildState] = []
    with staged(out) as staging, ChartDrawer() as drawer:  # one chart pool for the parent and its children
        counts = write_tree(tree, plan, staging, out, use_cache, drawer, states, progress)
    for state in states:  # only once the site is swapped in: a killed build's manifest never describes a site not there
        state.save()
    return BuildReport(
        plan.latest, plan.rendered, tuple(sorted(plan.frozen)), counts.files_written + counts.files_linked,
        counts.pages_rendered, counts.pages_reused, counts.charts_drawn, counts.charts_cached, warnings,
    )


def board_pack(root: Path, audience: str | None = None, language: str | None = None,
               locale: str | None = None) -> dict[str, bytes]:
    """The latest quarter's briefing.pdf and briefing.pptx (those bscgen.yaml asks for)
    by site path, made in memory without building the site."""
    tree = speaking(load_tree(root, audience=audience)[0], language, locale)
    plan = plan_site(root, tree.scorecard, None, latest_only=True)
    inputs = SiteInputs(tree.root, tree.scorecard, plan, tree.history_until(plan.latest),
                        Theme.load(tree.root, tree.scorecard.config.theme))
    with ChartDrawer() as drawer:
        return board_pack_files(inputs, drawer)


def write_tree(tree: Tree, plan: SitePlan, staging: Path, out: Path, use_cache: bool, drawer: ChartDrawer,
               states: list[BuildState], progress: Progress | None = None) -> Counts:
    """One scorecard's site, then the sub-sites of the children built with it; each
    one's build state is added to `states`, to be saved once the site is in place."""
    theme = Theme.load(tree.root, tree.scorecard.config.theme)
    inputs = SiteInputs(tree.root, tree.scorecard, plan, tree.history_until(plan.latest), theme)
    state = BuildState(tree.root, out, keys.build_salt([*theme.dirs, tree.root / catalogs.OVERRIDES]), use_cache, tree.scorecard.audience)
    writer = Writer(staging, state, ChartStore(tree.root, use_cache), page_digest(inputs.history), drawer, progress)
    write_site(writer, inputs)
    states.append(state)
    counts = writer.counts
    for child in tree.children:
        if child.history:
            sub = urls.child_site(child.link.id)
            viewed = with_parent(child, tree.scorecard, plan)
            counts += write_tree(viewed, child_plan(viewed.scorecard, child.root, plan), staging / sub, out / sub,
                                 use_cache, drawer, states, progress)
    return counts


def with_parent(child: Tree, parent: Scorecard, plan: SitePlan) -> Tree:
    """A child's tree, its scorecard knowing the parent it is built with (breadcrumbs, cascade links)."""
    objectives: dict[str, list[tuple[str, str]]] = {}
    for objective in parent.objectives:
        for ref in objective.cascade:
            if ref.scorecard == child.link.id:
                objectives.setdefault(ref.objective, []).append((objective.id, objective.title))
    link = ParentLink(parent.config.title, urls.up_from(urls.child_site(child.link.id)), min(plan.quarters),
                      {oid: tuple(refs) for oid, refs in objectives.items()})
    scorecard = child.scorecard
    return replace(child, scorecard=replace(scorecard, config=replace(scorecard.config, parent=link)))


def check(root: Path, strict: bool = False, audience: str | None = None) -> list[Problem]:
    """Validate only; returns the warnings, raises ContentError on problems."""
    return load_scorecard(root, strict, audience)[1]
