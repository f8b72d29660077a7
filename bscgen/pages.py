"""Every page of one quarter: which pages a copy has, and what each shows
(a context from contexts.py), made only when asked for."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property, partial
from typing import Any

from markupsafe import Markup

from bscgen import charts, urls
from bscgen.compute import KpiResult, ObjectiveResult, PerspectiveResult, QuarterResult
from bscgen.contexts import (
    AlignmentContext, AttentionContext, BriefingContext, CascadeContext, CascadeLink, ChangesContext,
    DataStatusContext, HomeContext, InitiativesContext, KpiContext, ObjectiveContext, PerspectiveContext,
    QuartersContext, ScorecardNode, StrategyMapContext,
)
from bscgen.datastatus import OwnerStatus, data_status, summary_line
from bscgen.gitlog import GitHistory
from bscgen.lineage import edit_url, lineage
from bscgen.review import Changes, changes
from bscgen.formatting import first_paragraph, format_label, format_value
from bscgen.markup import render_markdown
from bscgen.model import Document, Initiative, Scorecard, Status
from bscgen.periods import Quarter
from bscgen.strategy_map import StrategyMap, layout
from bscgen.texts import (
    HOME, INITIATIVE, OBJECTIVE, PERSPECTIVE, SUMMARY, COMMENTARY, TextRef, texts_of,
)


@dataclass(frozen=True)
class ReviewInputs:
    """What the review compares with besides the results: the frozen quarters'
    published scorecard.json and the git history."""

    frozen: dict[Quarter, dict]
    git: GitHistory


@dataclass(frozen=True)
class DataStatus:
    """Who owes data, as of a date (the site root's copy shows it)."""

    as_of: date
    groups: tuple[OwnerStatus, ...]
    line: str  # e.g. "5 KPIs late, 2 owners"

    @classmethod
    def of(cls, scorecard: Scorecard, as_of: date) -> DataStatus:
        groups = data_status(scorecard, as_of)
        return cls(as_of, groups, summary_line(groups))


ATTENTION_ON_HOME = 10  # the full list is a page of its own: a large scorecard's home stays light


@dataclass(frozen=True)
class Page:
    path: str  # relative to the quarter's root, from urls
    context: Any  # one of PAGE_CONTEXTS
    charts: tuple[charts.Chart, ...] = ()
    texts: tuple[TextRef, ...] = ()  # the Markdown texts it shows
    summary: str = ""  # what the page is about, in a sentence (its meta description)
    edit_path: str | None = None  # the file a person edits to change the page's text

    @property
    def template(self) -> str:
        return self.context.template


@dataclass(frozen=True)
class Results:
    """One quarter's results indexed by id, for quick lookups across quarters."""

    result: QuarterResult
    perspectives: dict[str, PerspectiveResult]
    objectives: dict[str, ObjectiveResult]
    kpis: dict[str, KpiResult]

    @classmethod
    def of(cls, result: QuarterResult) -> Results:
        objectives = {o.objective.id: o for p in result.perspectives for o in p.objectives}
        return cls(
            result,
            {p.perspective.id: p for p in result.perspectives},
            objectives,
            {k.kpi.id: k for o in objectives.values() for k in o.kpis},
        )


class QuarterSite:
    """Every page of one quarter, from its results and those of the quarters before."""

    def __init__(self, scorecard: Scorecard, history: list[Results], review: ReviewInputs | None = None,
                 texts: dict[TextRef, Document] | None = None):
        self.scorecard = scorecard
        self.review = review or ReviewInputs({}, GitHistory((), "the history was not read"))
        self.config = scorecard.config
        self.history = history  # this quarter's results last
        self.now = history[-1]
        self.quarter = self.now.result.quarter
        self.texts = texts if texts is not None else texts_of(scorecard, self.quarter)

    def pages(self, only: frozenset[str] | None = None, status: DataStatus | None = None) -> list[Page]:
        """The quarter's pages; with `only`, just the pages at those paths. With the
        data `status` (the site root's copy), the data status page and the home's line."""
        return [make() for path, make in self._layout(status) if only is None or path in only]

    def paths(self) -> frozenset[str]:
        """The pages every copy of the quarter has."""
        return frozenset(path for path, _ in self._layout(None))

    def _layout(self, status: DataStatus | None) -> Iterator[tuple[str, Callable[[], Page]]]:
        """(path, how to make the page) for every page, so a page costs nothing until made."""
        yield urls.HOME, partial(self._home_page, status)
        if status is not None:
            yield urls.DATA_STATUS, partial(self._data_status_page, status)
        yield urls.ATTENTION, self._attention_page
        yield urls.CHANGES, lambda: Page(urls.CHANGES, ChangesContext(self._changes), summary=(
            f"What changed in the {self.config.title} in {self.quarter.title}: statuses, scores, targets and restated values."))
        if self.config.goals:
            yield urls.ALIGNMENT, self._alignment_page
        if self.scorecard.children:
            yield urls.CASCADE, self._cascade_page
        yield urls.STRATEGY_MAP, lambda: Page(urls.STRATEGY_MAP, StrategyMapContext(self._strategy_map),
            summary=f"Strategy map of the {self.config.title}, {self.quarter.title}: how its objectives drive each other.")
        yield urls.INITIATIVES, self._initiatives_page
        yield urls.QUARTERS, lambda: Page(urls.QUARTERS, QuartersContext(),
            summary=f"Every quarter published of the {self.config.title}.")
        yield urls.BRIEFING, self._briefing_page
        for section in self.now.result.perspectives:
            pid = section.perspective.id
            yield urls.perspective(pid), partial(self._perspective_page, pid)
            for objective in section.objectives:
                yield urls.objective(objective.objective.id), partial(self._objective_page, section, objective)
                for kpi in objective.kpis:
                    yield urls.kpi(kpi.kpi.id), partial(self._kpi_page, section, objective, kpi)

    # --- what pages need ---------------------------------------------------------

    def _path(self, ref: TextRef) -> str | None:
        """The file of a text, if the project has it."""
        document = self.texts.get(ref)
        return document.source.path if document else None

    def _text(self, ref: TextRef) -> Markup | None:
        document = self.texts.get(ref)
        return render_markdown(document.body) if document and document.body.strip() else None

    def _over_time(self, kind: str, item_id: str) -> list[tuple[Quarter, Any]]:
        return [
            (r.result.quarter, getattr(r, kind)[item_id])
            for r in self.history
            if item_id in getattr(r, kind)
        ]

    def _initiatives(self) -> list[Initiative]:
        return sorted(self.scorecard.initiatives, key=lambda i: i.id)

    @cached_property
    def _initiatives_of(self) -> dict[str, list[Initiative]]:
        """Each objective's initiatives, by id (sorted once, not per objective page)."""
        found: dict[str, list[Initiative]] = {}
        for initiative in self._initiatives():
            for oid in dict.fromkeys(initiative.objectives):
                found.setdefault(oid, []).append(initiative)
        return found

    @cached_property
    def _supported_by(self) -> dict[str, list[ObjectiveResult]]:
        """The objectives that drive each objective (one pass, not one per objective page)."""
        found: dict[str, list[ObjectiveResult]] = {}
        for objective in self.now.objectives.values():
            for target in dict.fromkeys(objective.objective.supports):
                found.setdefault(target, []).append(objective)
        return found

    @cached_property
    def _strategy_map(self) -> StrategyMap:
        """Laid out once per quarter: the home page and the map page show the same."""
        return layout(self.now.result)

    # --- pages ---------------------------------------------------------------------

    @cached_property
    def _attention(self) -> list[KpiResult]:
        """KPIs off track or without data, worst score first (no data last)."""
        found = [k for k in self.now.kpis.values() if k.status in (Status.RED, Status.NONE)]
        return sorted(found, key=lambda k: (k.score is None, k.score or 0, k.kpi.id))

    def _data_status_page(self, status: DataStatus) -> Page:
        return Page(urls.DATA_STATUS, DataStatusContext(status.as_of, status.groups, status.line),
                    summary=f"Which KPI values of the {self.config.title} are due, delivered or late, as of {status.as_of}.")

    @cached_property
    def _projected_to_miss(self) -> list[KpiResult]:
        """KPIs on track now but unlikely to meet the year-end target (SPEC 13), least likely first."""
        found = [k for k in self.now.kpis.values()
                 if k.status is Status.GREEN and k.projection and k.projection.likely_to_miss]
        return sorted(found, key=lambda k: (k.projection.probability, k.kpi.id))

    def _home_page(self, status: DataStatus | None) -> Page:
        summary, home = TextRef(SUMMARY), TextRef(HOME)
        home_text = self._text(home)
        about = (f"The {self.config.title} of {self.config.organization}, {self.quarter.title}: scores, statuses "
                 "and trends of every perspective, objective and KPI.")
        return Page(urls.HOME, HomeContext(
            result=self.now.result,
            cards=self.now.result.perspectives,
            strategy_map=self._strategy_map,
            attention=self._attention[:ATTENTION_ON_HOME],
            attention_total=len(self._attention),
            projected_to_miss=self._projected_to_miss[:ATTENTION_ON_HOME],
            projected_to_miss_total=len(self._projected_to_miss),
            scorecards=self._tree.children,
            data_status=status.line if status else None,
            summary_edit_url=edit_url(self.config, self._path(summary)),
            changes=self._changes.line,
            summary=self._text(summary),
            home_text=home_text,
            partial_view=self.scorecard.partial,
        ), texts=(summary, home), summary=first_paragraph(home_text) or about, edit_path=self._path(home))

    @cached_property
    def _changes(self) -> Changes:
        by_quarter = {r.result.quarter: r.result for r in self.history}
        before = self.history[-2].result if len(self.history) > 1 else None
        return changes(self.now.result, before, self.review.frozen, by_quarter, self.review.git, self.config.calendar)

    @cached_property
    def _tree(self) -> ScorecardNode:
        result = self.now.result
        return ScorecardNode("", self.config.title, result.score, result.status, result.previous_score, urls.HOME,
                             False, tuple(_node(child, self.quarter, "") for child in self.scorecard.children))

    def _alignment_page(self) -> Page:
        objectives = [o for p in self.now.result.perspectives for o in p.objectives]
        return Page(urls.ALIGNMENT, AlignmentContext(
            self.now.result.goals, self.config.goals_title, objectives,
        ), summary=f"How the objectives of the {self.config.title} serve the business's goals, {self.quarter.title}.")

    def _cascade_page(self) -> Page:
        links = [link for o in self.now.objectives.values() for link in self._cascade_links(o)]
        return Page(urls.CASCADE, CascadeContext(self._tree, links), summary=(
            f"The {self.config.title} and the unit scorecards that feed it, {self.quarter.title}."))

    def _cascade_links(self, objective: ObjectiveResult) -> list[CascadeLink]:
        children = {c.id: c for c in self.scorecard.children}
        links = []
        for ref in objective.objective.cascade:
            scorecard, child_objective = ref.scorecard, ref.objective
            child = children[scorecard]
            href, external = _child_href(child, self.quarter, urls.objective(child_objective), "")
            links.append(CascadeLink(objective, scorecard, child_objective, child.objectives.get(child_objective, ""),
                                     href, external))
        return links

    def _contributes_to(self, oid: str) -> list[tuple[str, str]]:
        """(title, href from the site root) of the parent objectives this child objective feeds."""
        parent = self.config.parent
        if parent is None:
            return []
        return [(f"{pid} {title}", parent.href + urls.as_of(self.quarter, parent.quarters, urls.objective(pid)))
                for pid, title in parent.objectives.get(oid, ())]

    def _attention_page(self) -> Page:
        return Page(urls.ATTENTION, AttentionContext(self._attention, self._projected_to_miss), summary=(
            f"KPIs of the {self.config.title} that are off track, have no data or are projected to miss their "
            f"year-end target in {self.quarter.title}, worst first."))

    def _initiatives_page(self) -> Page:
        initiatives = self._initiatives()
        refs = {i.id: TextRef(INITIATIVE, i.id) for i in initiatives}
        return Page(urls.INITIATIVES, InitiativesContext(
            initiatives=initiatives,
            texts={i: self._text(ref) for i, ref in refs.items()},
            objectives=self.now.objectives,
        ), texts=tuple(refs.values()), summary=f"Initiatives of the {self.config.title}: the projects that drive its objectives.")

    @cached_property
    def _sections(self) -> dict[str, PerspectiveContext]:
        """What a perspective's page and its part of the briefing book show."""
        return {
            p.perspective.id: PerspectiveContext(
                perspective=p,
                text=self._text(TextRef(PERSPECTIVE, p.perspective.id)),
                charts=charts.perspective_charts(p, self._over_time("perspectives", p.perspective.id), self.config.cap),
            )
            for p in self.now.result.perspectives
        }

    def _briefing_page(self) -> Page:
        sections = list(self._sections.values())
        return Page(urls.BRIEFING, BriefingContext(
            result=self.now.result, sections=sections, summary=self._text(TextRef(SUMMARY)),
        ), tuple(c for section in sections for c in section.charts),
            texts=(TextRef(SUMMARY), *(TextRef(PERSPECTIVE, pid) for pid in self._sections)),
            summary=f"Briefing book of the {self.config.title}, {self.quarter.title}: the whole scorecard, laid out for printing.")

    def _perspective_page(self, pid: str) -> Page:
        section = self._sections[pid]
        about = (f"The {section.perspective.perspective.title} perspective of the {self.config.title}, "
                 f"{self.quarter.title}: its objectives, scores and trends.")
        return Page(urls.perspective(pid), section, tuple(section.charts),
                    texts=(TextRef(PERSPECTIVE, pid),), summary=first_paragraph(section.text) or about)

    def _objective_page(self, perspective: PerspectiveResult, objective: ObjectiveResult) -> Page:
        oid = objective.objective.id
        figures = charts.objective_charts(objective, self._over_time("objectives", oid), self.config.cap)
        description, commentary = TextRef(OBJECTIVE, oid), TextRef(COMMENTARY, oid)
        text = self._text(description)
        about = f"{oid} {objective.objective.title}: an objective of the {self.config.title}, its KPIs and scores."
        return Page(urls.objective(oid), ObjectiveContext(
            perspective=perspective,
            objective=objective,
            description=text,
            supports=[self.now.objectives[s] for s in objective.objective.supports],
            supported_by=self._supported_by.get(oid, []),
            initiatives=self._initiatives_of.get(oid, []),
            commentary=self._text(commentary),
            commentary_edit_url=edit_url(self.config, self._path(commentary)),
            cascade=self._cascade_links(objective),
            contributes_to=self._contributes_to(oid),
            charts=figures,
        ), tuple(figures), texts=(description, commentary), summary=first_paragraph(text) or about,
            edit_path=objective.objective.source.path)

    def _kpi_page(self, perspective: PerspectiveResult, objective: ObjectiveResult, kpi: KpiResult) -> Page:
        history = self._over_time("kpis", kpi.kpi.id)
        figure = charts.kpi_trend(f"chart-{kpi.kpi.id}", kpi.kpi, history, self.config.bands)
        description = render_markdown(kpi.kpi.description) if kpi.kpi.description else None
        definition = (f"{kpi.kpi.name}: a KPI of {objective.objective.id} {objective.objective.title}, "
                      f"target {format_value(kpi.kpi.target, kpi.kpi)}, {format_label(kpi.kpi.direction, 'direction')}.")
        return Page(urls.kpi(kpi.kpi.id), KpiContext(
            perspective=perspective,
            objective=objective,
            kpi=kpi,
            history=[(q, r, lineage(r, self.config)) for q, r in reversed(history)],
            targets=sorted(kpi.kpi.targets.items(), key=lambda item: str(item[0])),
            description=description,
            charts=[figure],
        ), (figure,), summary=first_paragraph(description) or definition)


def _child_href(child, quarter: Quarter, page: str, prefix: str) -> tuple[str | None, bool]:
    """(href, absolute?) of a page of a child scorecard in a quarter: into its sub-site
    (from the site root, `prefix` being the way to its parent's sub-site) or its url."""
    target = urls.as_of(quarter, child.quarters, page)
    if child.built:
        return f"{prefix}{urls.child_site(child.id)}{target}", False
    if child.link.url:
        base = child.link.url if child.link.url.endswith("/") else child.link.url + "/"
        return base + target, bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^/", base))
    return None, False


def _node(child, quarter: Quarter, prefix: str) -> ScorecardNode:
    """A child and its own children (of a built child) as of a quarter."""
    results = child.quarters.get(quarter)
    before = child.quarters.get(quarter.previous)
    href, external = _child_href(child, quarter, urls.HOME, prefix)
    inner = f"{prefix}{urls.child_site(child.id)}"
    return ScorecardNode(
        child.id, child.title, results.score if results else None, results.status if results else Status.NONE,
        before.score if before else None, href, external,
        tuple(_node(grandchild, quarter, inner) for grandchild in child.children),
    )
