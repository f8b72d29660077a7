"""`bscgen archive`: freeze a quarter's copy into archive/<quarter>/, exactly as
`bscgen build` publishes it in site/<quarter>/ now. Children built with the
scorecard are frozen with it, into their own archive/ (one frozen there
already is kept unless forced)."""

from __future__ import annotations

from pathlib import Path

from bscgen import keys
from bscgen.archive import ARCHIVE, frozen_copy
from bscgen.buildstate import BuildState
from bscgen.charts import ChartDrawer
from bscgen.chartstore import ChartStore
from bscgen.copies import SiteInputs, write_site
from bscgen.periods import Quarter
from bscgen.plan import PeriodChoiceError, SitePlan, child_plan, plan_site
from bscgen.publish import staged
from bscgen.render import page_digest
from bscgen.site import with_parent
from bscgen.themes import Theme
from bscgen.config import load_config
from bscgen.problems import Problems
from bscgen.tree import Tree, load_tree, speaking
from bscgen.writer import Writer


class ArchiveExistsError(Exception):
    """`bscgen archive` would overwrite a frozen quarter."""


def archive(root: Path, period: Quarter | None = None, force: bool = False,
            audience: str | None = None, language: str | None = None,
            locale: str | None = None) -> tuple[Quarter, list[Path]]:
    """Freeze one quarter (default: the latest) for the audience, or for every
    audience of bscgen.yaml when none is named, in the language and locale given
    (None: bscgen.yaml's); returns it and the folders written."""
    # bscgen.yaml names the audiences; load_tree reports its problems and an unknown audience
    configured = [a.id for a in load_config(root, Problems()).audiences]
    audiences = [audience] if audience is not None else configured or [None]
    trees = [speaking(load_tree(root, audience=a)[0], language, locale) for a in audiences]
    plan = plan_site(root, trees[0].scorecard, None, missing_ok=True)
    quarter = period or plan.latest
    if quarter not in plan.quarters:
        raise PeriodChoiceError(f"there is no quarter {quarter} to archive; the site has {plan.quarters[-1]} to {plan.quarters[0]}")
    targets = [frozen_copy(root / ARCHIVE / str(quarter), a) for a in audiences]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        shown = ", ".join(t.relative_to(root).as_posix() for t in existing)
        raise ArchiveExistsError(f"{shown} already exists; a published quarter is not rebuilt. "
                                 "Use --force to replace it anyway.")
    with ChartDrawer() as drawer:
        for tree in trees:
            _freeze(tree, plan_site(root, tree.scorecard, None, missing_ok=True), quarter, force, drawer)
    return quarter, targets


def _freeze(tree: Tree, plan: SitePlan, quarter: Quarter, force: bool, drawer: ChartDrawer) -> None:
    """Write one quarter's copy into archive/<quarter>/, and the children's copies into theirs."""
    frozen = {q: path for q, path in plan.frozen.items() if q != quarter}
    theme = Theme.load(tree.root, tree.scorecard.config.theme)
    inputs = SiteInputs(tree.root, tree.scorecard, SitePlan(plan.latest, plan.quarters, frozen, (quarter,)),
                        tree.history_until(plan.latest), theme)
    target = frozen_copy(tree.root / ARCHIVE / str(quarter), tree.scorecard.audience)
    state = BuildState(tree.root, target, keys.build_salt(theme.dirs), enabled=False)
    with staged(target) as staging:
        # the chart cache serves the archive too: equal keys draw equal SVGs
        writer = Writer(staging, state, ChartStore(tree.root), page_digest(inputs.history), drawer)
        write_site(writer, inputs, with_root=False)
        # the quarter's folder becomes the archive itself
        inner = staging / str(quarter)
        for path in sorted(inner.iterdir()):
            path.rename(staging / path.name)
        inner.rmdir()
    for child in tree.children:
        if quarter not in child.quarters:
            continue
        viewed = with_parent(child, tree.scorecard, plan)
        if force or not frozen_copy(child.root / ARCHIVE / str(quarter), child.scorecard.audience).exists():
            _freeze(viewed, child_plan(viewed.scorecard, child.root, plan, missing_ok=True), quarter, force, drawer)
