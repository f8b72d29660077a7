"""Every page of one quarter: which pages a copy has, and what each shows
(a context from contexts.py), made only when asked for."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property, partial
from typing import Any

from markupsafe import Markup

from bscgen import charts, urls
from bscgen.compute import KpiResult, ObjectiveResult, PerspectiveResult, QuarterResult, events_as_of
from bscgen.contexts import (
    AlignmentContext, AttentionContext, BriefingContext, CascadeContext, ChangesContext, Dashboard, EventItem,
    DataStatusContext, HomeContext, InitiativesContext, KpiContext, KpiRow, KpisContext, ObjectiveContext,
    ObjectivesContext, PerspectiveContext, PerspectivesContext, QuartersContext, ScorecardsContext, StrategyMapContext,
)
from bscgen.cascade import Cascade
from bscgen.datastatus import OwnerStatus, data_status, summary_line
from bscgen.gitlog import GitHistory
from bscgen.lineage import edit_url, lineage
from bscgen.review import Changes, changes, largest_movements
from bscgen.formatting import first_paragraph, format_label, format_value
from bscgen.language import ENGLISH, Language
from bscgen.markup import render_markdown
from bscgen.before_after import BeforeAfter
from bscgen.event_marks import comparison_words, when
from bscgen.model import Document, Event, Initiative, Kpi, Scorecard, Status
from bscgen.periods import Quarter
from bscgen.portfolio import InitiativeResult, Portfolio, totals
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
ON_DASHBOARD = 5  # movements and KPIs needing attention that the board pack's one-page dashboard lists


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


class QuarterData:
    """What one quarter's pages are made from: its texts, its results and those of
    the quarters before, and what several pages derive from them (each once)."""

    def __init__(self, scorecard: Scorecard, history: list[Results], review: ReviewInputs,
                 texts: dict[TextRef, Document], language: Language = ENGLISH):
        self.scorecard = scorecard
        self.language = language  # the reader's: messages of the texts pages make (chart titles, alternatives), formats
        self.messages = language.translations
        self.config = scorecard.config
        self.history = history  # this quarter's results last
        self.now = history[-1]
        self.review = review
        self.texts = texts

    def path(self, ref: TextRef) -> str | None:
        """The file of a text, if the project has it."""
        document = self.texts.get(ref)
        return document.source.path if document else None

    def text(self, ref: TextRef) -> Markup | None:
        document = self.texts.get(ref)
        return render_markdown(document.body) if document and document.body.strip() else None

    def over_time(self, kind: str, item_id: str) -> list[tuple[Quarter, Any]]:
        return [
            (r.result.quarter, getattr(r, kind)[item_id])
            for r in self.history
            if item_id in getattr(r, kind)
        ]

    @cached_property
    def initiatives(self) -> list[Initiative]:
        return sorted(self.scorecard.initiatives, key=lambda i: i.id)

    @cached_property
    def attention(self) -> list[KpiResult]:
        return needing_attention(self.now)

    @cached_property
    def projected_to_miss(self) -> list[KpiResult]:
        return projected_to_miss(self.now)

    @cached_property
    def portfolio(self) -> Portfolio:
        return self.now.result.portfolio or Portfolio((), totals(()), 0.0)

    @cached_property
    def portfolio_timeline(self) -> charts.Chart:
        """The portfolio page and the briefing book show the same timeline."""
        quarter = self.now.result.quarter
        return charts.portfolio_timeline("chart-portfolio-timeline", self.portfolio, quarter,
                                         self.config.calendar.last_day(quarter), self.language)

    @cached_property
    def initiatives_of(self) -> dict[str, list[InitiativeResult]]:
        return initiatives_by_objective(self.portfolio.initiatives)

    @cached_property
    def supported_by(self) -> dict[str, list[ObjectiveResult]]:
        return supported_by(self.now)

    @cached_property
    def cascade(self) -> Cascade:
        return Cascade(self.scorecard, self.now.result)

    @cached_property
    def strategy_map(self) -> StrategyMap:
        """Laid out once per quarter: the home page and the map page show the same."""
        return layout(self.now.result, self.language.locale)

    @cached_property
    def changes(self) -> Changes:
        by_quarter = {r.result.quarter: r.result for r in self.history}
        before = self.history[-2].result if len(self.history) > 1 else None
        return changes(self.now.result, before, self.review.frozen, by_quarter, self.review.git, self.config.calendar)

    @cached_property
    def dashboard(self) -> Dashboard:
        return Dashboard(self.now.result, self.strategy_map, largest_movements(self.changes, ON_DASHBOARD),
                         tuple(self.attention[:ON_DASHBOARD]), len(self.attention))

    @cached_property
    def sections(self) -> dict[str, PerspectiveContext]:
        """What a perspective's page and its part of the briefing book show."""
        sections = {}
        for p in self.now.result.perspectives:
            pid = p.perspective.id
            events = self.shown(self.scorecard.events_of_perspective(pid))
            sections[pid] = PerspectiveContext(
                perspective=p,
                text=self.text(TextRef(PERSPECTIVE, pid)),
                charts=charts.perspective_charts(p, self.over_time("perspectives", pid), self.config.cap,
                                                 self.language, events),
                events=tuple(self.event_item(e) for e in events),
            )
        return sections

    # --- events (SPEC 20): a copy shows those begun by its quarter's end ----------------

    def shown(self, events: list[Event]) -> list[Event]:
        """Of an item's events, those this quarter's copy knows of."""
        return events_as_of(events, self.now.result.quarter)

    @cached_property
    def _event_texts(self) -> dict[str, tuple[str, Markup | None]]:
        """Each event's date words and description, made once for every page that lists it."""
        return {e.id: (when(e, self.language), render_markdown(e.description) if e.description else None)
                for e in self.now.result.events}

    def event_item(self, event: Event, comparison: tuple[Kpi, BeforeAfter] | None = None) -> EventItem:
        return EventItem(
            event, *self._event_texts[event.id],
            comparison_words(comparison[1], comparison[0], self.language) if comparison else None,
        )

    @cached_property
    def quarter_events(self) -> tuple[EventItem, ...]:
        """The events under way in the quarter: the changes page and the briefing book list them."""
        result = self.now.result
        return tuple(self.event_item(e) for e in result.events_in(result.quarter))


class QuarterSite:
    """Every page of one quarter, from its results and those of the quarters before."""

    def __init__(self, scorecard: Scorecard, history: list[Results], review: ReviewInputs | None = None,
                 texts: dict[TextRef, Document] | None = None, language: Language = ENGLISH):
        self.scorecard = scorecard
        self.language = language  # the reader's: the formats of its numbers, in pages and charts
        self.review = review or ReviewInputs({}, GitHistory((), "the history was not read"))
        self.config = scorecard.config
        self.history = history  # this quarter's results last
        self.now = history[-1]
        self.quarter = self.now.result.quarter
        self.texts = texts if texts is not None else texts_of(scorecard, self.quarter)
        self.data = QuarterData(scorecard, history, self.review, self.texts, language)

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
            if self.scorecard.children:  # only the root holds the unit scorecards' folder
                yield urls.SCORECARDS, self._scorecards_page
        yield urls.ATTENTION, self._attention_page
        yield urls.CHANGES, lambda: Page(urls.CHANGES, ChangesContext(
            self.data.changes,
            health_changes=[r for r in self.data.portfolio.initiatives if self.history[:-1] and r.health != r.previous_health],
            missed_milestones=[r for r in self.data.portfolio.initiatives if r.missed_in_quarter],
            events=self.data.quarter_events,
        ), summary=(
            f"What changed in the {self.config.title} in {self.quarter.title}: statuses, scores, targets and restated values."))
        if self.config.goals:
            yield urls.ALIGNMENT, self._alignment_page
        if self.scorecard.children:
            yield urls.CASCADE, self._cascade_page
        yield urls.STRATEGY_MAP, lambda: Page(urls.STRATEGY_MAP, StrategyMapContext(self.data.strategy_map),
            summary=f"Strategy map of the {self.config.title}, {self.quarter.title}: how its objectives drive each other.")
        yield urls.INITIATIVES, self._initiatives_page
        yield urls.QUARTERS, lambda: Page(urls.QUARTERS, QuartersContext(),
            summary=f"Every quarter published of the {self.config.title}.")
        yield urls.BRIEFING, self._briefing_page
        yield urls.PERSPECTIVES, self._perspectives_page
        yield urls.OBJECTIVES, self._objectives_page
        yield urls.KPIS, self._kpis_page
        for section in self.now.result.perspectives:
            pid = section.perspective.id
            yield urls.perspective(pid), partial(self._perspective_page, pid)
            for objective in section.objectives:
                yield urls.objective(objective.objective.id), partial(self._objective_page, section, objective)
                for kpi in objective.kpis:
                    yield urls.kpi(kpi.kpi.id), partial(self._kpi_page, section, objective, kpi)

    # --- pages ---------------------------------------------------------------------

    def _data_status_page(self, status: DataStatus) -> Page:
        return Page(urls.DATA_STATUS, DataStatusContext(status.as_of, status.groups, status.line),
                    summary=f"Which KPI values of the {self.config.title} are due, delivered or late, as of {status.as_of}.")

    def _home_page(self, status: DataStatus | None) -> Page:
        summary, home = TextRef(SUMMARY), TextRef(HOME)
        home_text = self.data.text(home)
        about = (f"The {self.config.title} of {self.config.organization}, {self.quarter.title}: scores, statuses "
                 "and trends of every perspective, objective and KPI.")
        return Page(urls.HOME, HomeContext(
            result=self.now.result,
            cards=self.now.result.perspectives,
            strategy_map=self.data.strategy_map,
            attention=self.data.attention[:ATTENTION_ON_HOME],
            attention_total=len(self.data.attention),
            projected_to_miss=self.data.projected_to_miss[:ATTENTION_ON_HOME],
            projected_to_miss_total=len(self.data.projected_to_miss),
            scorecards=self.data.cascade.tree.children,
            data_status=status.line if status else None,
            summary_edit_url=edit_url(self.config, self.data.path(summary)),
            changes=self.data.changes.line,
            summary=self.data.text(summary),
            home_text=home_text,
            partial_view=self.scorecard.partial,
        ), texts=(summary, home), summary=first_paragraph(home_text) or about, edit_path=self.data.path(home))

    def _alignment_page(self) -> Page:
        objectives = [o for p in self.now.result.perspectives for o in p.objectives]
        return Page(urls.ALIGNMENT, AlignmentContext(
            self.now.result.goals, self.config.goals_title, objectives, self.data.portfolio.unaligned,
        ), summary=f"How the objectives of the {self.config.title} serve the business's goals, {self.quarter.title}.")

    def _cascade_page(self) -> Page:
        links = [link for o in self.now.objectives.values() for link in self.data.cascade.links(o)]
        return Page(urls.CASCADE, CascadeContext(self.data.cascade.tree, links), summary=(
            f"The {self.config.title} and the unit scorecards that feed it, {self.quarter.title}."))

    def _scorecards_page(self) -> Page:
        return Page(urls.SCORECARDS, ScorecardsContext(self.data.cascade.tree), summary=(
            f"The unit scorecards of the {self.config.title}, {self.quarter.title}: score, status and trend of each."))

    def _attention_page(self) -> Page:
        return Page(urls.ATTENTION, AttentionContext(self.data.attention, self.data.projected_to_miss), summary=(
            f"KPIs of the {self.config.title} that are off track, have no data or are projected to miss their "
            f"year-end target in {self.quarter.title}, worst first."))

    def _initiatives_page(self) -> Page:
        initiatives = self.data.initiatives
        refs = {i.id: TextRef(INITIATIVE, i.id) for i in initiatives}
        portfolio = self.data.portfolio
        figures = [self.data.portfolio_timeline, charts.portfolio_investment("chart-portfolio-investment", portfolio, self.data.language)]
        return Page(urls.INITIATIVES, InitiativesContext(
            initiatives=initiatives,
            texts={i: self.data.text(ref) for i, ref in refs.items()},
            objectives=self.now.objectives,
            portfolio=portfolio,
            charts=figures,
        ), tuple(figures), texts=tuple(refs.values()), summary=(
            f"The investment portfolio of the {self.config.title}, {self.quarter.title}: what each initiative costs "
            "and whether it is on plan."))

    def _briefing_page(self) -> Page:
        sections = list(self.data.sections.values())
        timeline = self.data.portfolio_timeline if self.data.portfolio.initiatives else None
        return Page(urls.BRIEFING, BriefingContext(
            result=self.now.result, dashboard=self.data.dashboard, sections=sections,
            summary=self.data.text(TextRef(SUMMARY)), portfolio=self.data.portfolio, portfolio_timeline=timeline,
            events=self.data.quarter_events,
        ), tuple(c for section in sections for c in section.charts) + ((timeline,) if timeline else ()),
            texts=(TextRef(SUMMARY), *(TextRef(PERSPECTIVE, pid) for pid in self.data.sections)),
            summary=f"Briefing book of the {self.config.title}, {self.quarter.title}: the whole scorecard, laid out for printing.")

    def _perspectives_page(self) -> Page:
        return Page(urls.PERSPECTIVES, PerspectivesContext(by_score(self.now.result.perspectives, "perspective")),
                    summary=f"Every perspective of the {self.config.title}, {self.quarter.title}, highest score first.")

    def _objectives_page(self) -> Page:
        objectives = by_score(self.now.objectives.values(), "objective")
        return Page(urls.OBJECTIVES, ObjectivesContext(objectives, self.now.perspectives), summary=(
            f"Every objective of the {self.config.title}, {self.quarter.title}, highest score first: "
            "perspective, owner, score and status."))

    def _kpis_page(self) -> Page:
        objectives = self.now.objectives
        rows = [KpiRow(k, objectives[k.kpi.objective], k.kpi.owner or objectives[k.kpi.objective].objective.owner)
                for k in by_score(self.now.kpis.values(), "kpi")]
        return Page(urls.KPIS, KpisContext(rows), summary=(
            f"Every KPI of the {self.config.title}, {self.quarter.title}, highest score first: objective, owner, "
            "unit, frequency, target, score and status."))

    def _perspective_page(self, pid: str) -> Page:
        section = self.data.sections[pid]
        about = (f"The {section.perspective.perspective.title} perspective of the {self.config.title}, "
                 f"{self.quarter.title}: its objectives, scores and trends.")
        return Page(urls.perspective(pid), section, tuple(section.charts),
                    texts=(TextRef(PERSPECTIVE, pid),), summary=first_paragraph(section.text) or about)

    def _objective_page(self, perspective: PerspectiveResult, objective: ObjectiveResult) -> Page:
        oid = objective.objective.id
        events = self.data.shown(self.scorecard.events_of_objective(objective.objective))
        figures = charts.objective_charts(objective, self.data.over_time("objectives", oid), self.config.cap,
                                          self.language, events)
        description, commentary = TextRef(OBJECTIVE, oid), TextRef(COMMENTARY, oid)
        text = self.data.text(description)
        about = f"{oid} {objective.objective.title}: an objective of the {self.config.title}, its KPIs and scores."
        return Page(urls.objective(oid), ObjectiveContext(
            perspective=perspective,
            objective=objective,
            description=text,
            supports=[self.now.objectives[s] for s in objective.objective.supports],
            supported_by=self.data.supported_by.get(oid, []),
            initiatives=self.data.initiatives_of.get(oid, []),
            commentary=self.data.text(commentary),
            commentary_edit_url=edit_url(self.config, self.data.path(commentary)),
            cascade=self.data.cascade.links(objective),
            contributes_to=self.data.cascade.contributes_to(oid),
            charts=figures,
            events=tuple(self.data.event_item(e) for e in events),
        ), tuple(figures), texts=(description, commentary), summary=first_paragraph(text) or about,
            edit_path=objective.objective.source.path)

    def _kpi_page(self, perspective: PerspectiveResult, objective: ObjectiveResult, kpi: KpiResult) -> Page:
        history = self.data.over_time("kpis", kpi.kpi.id)
        figure = charts.kpi_trend(f"chart-{kpi.kpi.id}", kpi.kpi, history, self.config.bands, self.language,
                                  [e for e, _ in kpi.comparisons])
        description = render_markdown(kpi.kpi.description) if kpi.kpi.description else None
        definition = (f"{kpi.kpi.name}: a KPI of {objective.objective.id} {objective.objective.title}, "
                      f"target {format_value(kpi.kpi.target, kpi.kpi, self.language.locale)}, {format_label(kpi.kpi.direction, 'direction')}.")
        return Page(urls.kpi(kpi.kpi.id), KpiContext(
            perspective=perspective,
            objective=objective,
            kpi=kpi,
            history=[(q, r, lineage(r, self.config)) for q, r in reversed(history)],
            targets=sorted(kpi.kpi.targets.items(), key=lambda item: str(item[0])),
            description=description,
            charts=[figure],
            events=tuple(self.data.event_item(e, (kpi.kpi, c)) for e, c in kpi.comparisons),
        ), (figure,), summary=first_paragraph(description) or definition)


def by_score(results, kind: str) -> list:
    """Perspective, objective or KPI results (`kind` names the record in each), highest
    score first, those without a score last, ties by id."""
    return sorted(results, key=lambda r: (r.score is None, -(r.score or 0), getattr(r, kind).id))


def needing_attention(now: Results) -> list[KpiResult]:
    """KPIs off track or without data, worst score first (no data last)."""
    found = [k for k in now.kpis.values() if k.status in (Status.RED, Status.NONE)]
    return sorted(found, key=lambda k: (k.score is None, k.score or 0, k.kpi.id))


def projected_to_miss(now: Results) -> list[KpiResult]:
    """KPIs on track now but unlikely to meet the year-end target (SPEC 13), least likely first."""
    found = [k for k in now.kpis.values() if k.status is Status.GREEN and k.projection and k.projection.likely_to_miss]
    return sorted(found, key=lambda k: (k.projection.probability, k.kpi.id))


def initiatives_by_objective(results: tuple[InitiativeResult, ...]) -> dict[str, list[InitiativeResult]]:
    """Each objective's initiatives with their figures, in the given order (sorted once, not per objective page)."""
    found: dict[str, list[InitiativeResult]] = {}
    for result in results:
        for oid in dict.fromkeys(result.initiative.objectives):
            found.setdefault(oid, []).append(result)
    return found


def supported_by(now: Results) -> dict[str, list[ObjectiveResult]]:
    """The objectives that drive each objective (one pass, not one per objective page)."""
    found: dict[str, list[ObjectiveResult]] = {}
    for objective in now.objectives.values():
        for target in dict.fromkeys(objective.objective.supports):
            found.setdefault(target, []).append(objective)
    return found
