"""The tree of scorecards: a project and the child projects built with it,
each loaded, validated, viewed for the audience and computed once, children
first.

This is the one module that knows both loading and computing, on purpose: a
parent's `from` KPIs take their values from its children's computed results,
so a child is computed before its parent can be validated. Everything above
(the build, archive, serve) takes the results from here and never recomputes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from bscgen.catalogs import check_override
from bscgen.compute import QuarterResult, compute_history, latest_quarter
from bscgen.config import CONFIG_FILE, load_config
from bscgen.model import Audience, Child, ChildLink, ChildQuarter, Scorecard
from bscgen.periods import FiscalCalendar, Quarter
from bscgen.problems import ContentError, Problem, Problems, Source, did_you_mean
from bscgen.project import load_project
from bscgen.published import read_published
from bscgen import urls
from bscgen.view import view_for, visible


@dataclass(frozen=True)
class Tree:
    """A validated scorecard, its results, and the subtrees of the children built with it."""

    root: Path
    link: ChildLink | None  # how its parent names it; None for the project built
    scorecard: Scorecard  # the audience's view
    history: tuple[QuarterResult, ...]  # every quarter's results up to its latest with data
    children: tuple[Tree, ...]  # children built with it, in bscgen.yaml's order (published ones are not trees)

    @property
    def quarters(self) -> frozenset[Quarter]:
        """The quarters it has results for."""
        return frozenset(r.quarter for r in self.history)

    def history_until(self, last: Quarter) -> list[QuarterResult]:
        """Every quarter's results up to `last` (each quarter's are as of that quarter)."""
        if self.history and last <= self.history[-1].quarter:
            return [r for r in self.history if r.quarter <= last]
        return compute_history(self.scorecard, last)  # a --period after the last data


class AudienceError(Exception):
    """--audience names no audience of bscgen.yaml (a usage error)."""


def load_tree(root: Path, strict: bool = False, audience: str | None = None) -> tuple[Tree, list[Problem]]:
    """The project at `root` and its children, as the audience sees them (None: the
    first of bscgen.yaml's audiences), each computed once; and every warning.
    Raises ContentError listing every problem, AudienceError for an unknown audience."""
    scorecard, subtrees, warnings = _checked(root, strict)
    chosen = choose_audience(scorecard.config.audiences, audience)
    if chosen is None:  # no audiences: the full tree is the view
        return _computed(Tree(root, None, scorecard, (), subtrees)), warnings
    return _viewed(Tree(root, None, scorecard, (), subtrees), chosen), warnings


def speaking(tree: Tree, language: str | None, locale: str | None) -> Tree:
    """The tree with --language and --locale over each bscgen.yaml's (SPEC 18): a language
    without a locale takes the language's own formats, not a locale set for another language."""
    if language is None and locale is None:
        return tree
    config = tree.scorecard.config
    chosen = replace(config, language=language or config.language,
                     locale=locale if locale is not None else (None if language else config.locale))
    return replace(tree, scorecard=replace(tree.scorecard, config=chosen),
                   children=tuple(speaking(child, language, locale) for child in tree.children))


def load_scorecard(root: Path, strict: bool = False, audience: str | None = None,
                   everything: bool = False) -> tuple[Scorecard, list[Problem]]:
    """The validated scorecard and its warnings, or ContentError; for `bscgen check` and
    `status`. Its own scores are not computed; its children's are, as `from` KPIs need
    them. As the audience sees it, unless `everything` (`bscgen status`: for owners)."""
    scorecard, subtrees, warnings = _checked(root, strict)
    chosen = choose_audience(scorecard.config.audiences, audience)
    if everything or chosen is None:
        return scorecard, warnings
    built = {t.link.id: child_of(t, t.link) for t in (_viewed(t, chosen) for t in subtrees if visible(t.link.visible_to, chosen))}
    return view_for(scorecard, chosen, built), warnings


def choose_audience(audiences: tuple[Audience, ...], requested: str | None) -> str | None:
    """The audience a build is for: the one asked for, else the first; None without audiences."""
    ids = [a.id for a in audiences]
    if requested is None:
        return ids[0] if ids else None
    if requested not in ids:
        listed = f"the audiences are {', '.join(ids)}" if ids else "bscgen.yaml has no audiences:"
        raise AudienceError(f'there is no audience "{requested}"{did_you_mean(requested, ids)}; {listed}')
    return requested


def _checked(root: Path, strict: bool) -> tuple[Scorecard, tuple[Tree, ...], list[Problem]]:
    problems = Problems()
    validated = _validated(root, problems, strict, (), None)
    if validated is None or problems.errors or (strict and problems.warnings):
        raise ContentError(problems.sorted())
    return (*validated, problems.sorted())


def _computed(tree: Tree) -> Tree:
    last = latest_quarter(tree.scorecard)
    history = tuple(compute_history(tree.scorecard, last)) if last is not None else ()
    return replace(tree, history=history)


def _viewed(tree: Tree, audience: str) -> Tree:
    """A tree as one audience sees it, children first, each computed from its view."""
    children = tuple(_viewed(t, audience) for t in tree.children if visible(t.link.visible_to, audience))
    built = {t.link.id: child_of(t, t.link) for t in children}
    return _computed(Tree(tree.root, tree.link, view_for(tree.scorecard, audience, built), (), children))


def _validated(root: Path, problems: Problems, strict: bool, ancestors: tuple[Path, ...],
               audiences: tuple[str, ...] | None) -> tuple[Scorecard, tuple[Tree, ...]] | None:
    """Load and validate one project in full, its children (loaded and computed in full)
    first. `audiences`: the parent's audience ids, for a child built with it."""
    mine = Problems()
    config = load_config(root, mine)
    check_override(root, config.language, mine)
    known = audiences if audiences is not None else tuple(a.id for a in config.audiences)
    subtrees, children = _children(root, config.scorecards, config.calendar, mine, (*ancestors, root.resolve()), known)
    try:
        scorecard = load_project(root, config, children, mine, strict, known)
    except ContentError:
        scorecard = None
    problems.items.extend(mine.items)
    return None if scorecard is None else (scorecard, tuple(subtrees))


def _children(root: Path, links: tuple[ChildLink, ...], calendar: FiscalCalendar, problems: Problems,
              ancestors: tuple[Path, ...], audiences: tuple[str, ...]) -> tuple[list[Tree], tuple[Child, ...]]:
    """Every child of a project: the subtrees of those built with it, and what the
    parent knows of each; problems are reported with paths from the project's root."""
    subtrees, children = [], []
    for link in links:
        folder = (root / link.path).resolve()
        if folder in ancestors:
            chain = " -> ".join(p.name for p in (*ancestors, folder))
            problems.error(link.source, f'the scorecard "{link.id}" at {link.path} includes itself ({chain}); remove the cycle')
            continue
        if (folder / CONFIG_FILE).is_file():
            tree = _child_tree(folder, link, problems, ancestors, audiences)
            child = tree and child_of(tree, link)
        elif (folder / urls.VERSIONS).is_file():
            tree, child = None, read_published(folder, link, problems)
        else:
            problems.error(link.source, f'the scorecard "{link.id}" at {link.path} is neither a bscgen project '
                                        f"(no {CONFIG_FILE}) nor a published bscgen site (no {urls.VERSIONS})")
            continue
        if child is None:
            continue
        if child.calendar is not None and child.calendar != calendar:
            problems.error(link.source, f'the scorecard "{link.id}" uses another fiscal calendar '
                                        f"({_describe(child.calendar)}) than this one ({_describe(calendar)}); "
                                        "their quarters would not match")
            continue
        children.append(child)
        if tree is not None:
            subtrees.append(tree)
    return subtrees, tuple(children)


def _child_tree(folder: Path, link: ChildLink, problems: Problems, ancestors: tuple[Path, ...],
                audiences: tuple[str, ...]) -> Tree | None:
    """A child project, loaded and computed in full; its problems with paths from the parent's root."""
    found = Problems()
    validated = _validated(folder, found, False, ancestors, audiences)
    problems.items.extend(_prefixed(p, link.path) for p in found.items)
    if validated is None or found.errors:
        return None
    return _computed(Tree(folder, link, validated[0], (), validated[1]))


def child_of(tree: Tree, link: ChildLink) -> Child:
    """What a parent knows of a child project built with it: its results per quarter."""
    scorecard, quarters = tree.scorecard, {}
    for result in tree.history:
        objectives = {o.objective.id: o for p in result.perspectives for o in p.objectives}
        quarters[result.quarter] = ChildQuarter(
            result.score, result.status, result.previous_score,
            {p.perspective.id: p.score for p in result.perspectives},
            {oid: o.score for oid, o in objectives.items()},
            {k.kpi.id: k.actual for o in objectives.values() for k in o.kpis},
        )
    return Child(
        link, scorecard.config.title, scorecard.config.calendar, quarters,
        {o.id: o.title for o in scorecard.objectives}, tuple(p.id for p in scorecard.config.perspectives),
        {k.id: k.unit for k in scorecard.kpis}, scorecard.children, built=True, partial=scorecard.partial,
    )


def _describe(calendar: FiscalCalendar) -> str:
    return f"fiscal_year_start: {calendar.start_month}, fiscal_year_named_by: {calendar.named_by}"


def _prefixed(problem: Problem, prefix: str) -> Problem:
    source = problem.source
    return Problem(Source(f"{prefix}/{source.path}", source.line, source.cell), problem.severity, problem.message)
