"""What each page kind shows: its context, one dataclass per page kind.

Python decides what a page shows (results, charts, links between records);
the page kind's template (its `template`) decides how it looks. These
dataclasses are the contract with theme authors (docs/themes.md lists their
fields, and a test keeps it true).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, ClassVar

from markupsafe import Markup

from bscgen import charts
from bscgen.compute import GoalResult, KpiResult, ObjectiveResult, PerspectiveResult, QuarterResult
from bscgen.datastatus import OwnerStatus
from bscgen.lineage import Lineage
from bscgen.model import Event, Initiative, Status
from bscgen.periods import Quarter
from bscgen.portfolio import InitiativeResult, Portfolio
from bscgen.review import Changes, Movement
from bscgen.strategy_map import StrategyMap


@dataclass(frozen=True)
class EventItem:
    """An event as a page lists it (SPEC 20)."""

    event: Event  # id, title, start, end (None for a day), first and last quarter, initiative
    when: str  # its day or period in the reader's date format, with its quarters
    description: Markup | None  # its Markdown description
    comparison: str | None = None  # on a KPI page: the KPI's average before against after, in words


@dataclass(frozen=True)
class HomeContext:
    """home.html: index.html"""

    template: ClassVar[str] = "home.html"

    result: QuarterResult  # the whole scorecard's result
    cards: tuple[PerspectiveResult, ...]  # one card per perspective
    strategy_map: StrategyMap
    attention: list[KpiResult]  # the worst ATTENTION_ON_HOME KPIs off track or without data
    attention_total: int  # how many KPIs need attention in all (attention/index.html lists them)
    projected_to_miss: list[KpiResult]  # the ATTENTION_ON_HOME KPIs on track now least likely to meet the year-end target
    projected_to_miss_total: int  # how many KPIs on track now have less than a 50 % chance (attention/index.html lists them)
    scorecards: tuple[ScorecardNode, ...]  # the child scorecards, one card each
    data_status: str | None  # at the site root: "5 KPIs late, 2 owners" (data-status/index.html)
    changes: str  # "3 status changes, 1 restated value" (changes/index.html)
    summary: Markup | None  # the executive summary
    summary_edit_url: str | None  # its file in the repository (with repo_url and edit_uri)
    home_text: Markup | None  # content/index.md
    partial_view: bool = False  # this audience's view leaves out items reserved for other audiences


@dataclass(frozen=True)
class ScorecardNode:
    """A scorecard in the cascade tree, as of one quarter."""

    id: str
    title: str
    score: float | None
    status: Status
    previous_score: float | None
    href: str | None  # from the site root (or absolute for a published child's url); None: no page to link
    external: bool  # href is absolute
    children: tuple[ScorecardNode, ...]


@dataclass(frozen=True)
class CascadeLink:
    """A parent objective and a child objective that contributes to it."""

    objective: ObjectiveResult  # the parent's
    scorecard: str  # the child's id
    child_objective: str
    title: str  # the child objective's title
    href: str | None  # as ScorecardNode.href
    external: bool


@dataclass(frozen=True)
class AlignmentContext:
    """alignment.html: alignment/index.html (when bscgen.yaml has goals)"""

    template: ClassVar[str] = "alignment.html"

    goals: tuple[GoalResult, ...]  # each with its score, the objectives serving it and its investment
    goals_title: str | None
    objectives: list[ObjectiveResult]  # every objective, in perspective order
    unaligned: float  # the initiatives' budget that goes to objectives serving no goal


@dataclass(frozen=True)
class CascadeContext:
    """cascade.html: cascade/index.html (when bscgen.yaml has scorecards)"""

    template: ClassVar[str] = "cascade.html"

    tree: ScorecardNode  # this scorecard, its children and theirs
    links: list[CascadeLink]  # every cascade: link of this scorecard's objectives


@dataclass(frozen=True)
class ScorecardsContext:
    """scorecards.html: scorecards/index.html, the unit scorecards (at the site root only)"""

    template: ClassVar[str] = "scorecards.html"

    tree: ScorecardNode  # this scorecard, its children and theirs


@dataclass(frozen=True)
class ChangesContext:
    """changes.html: changes/index.html, what changed against the quarter before"""

    template: ClassVar[str] = "changes.html"

    changes: Changes  # status_changes, lost_values, gained_values, objective_moves, kpi_moves, target_changes, restated, definitions, commits, history_note, line
    health_changes: list[InitiativeResult]  # initiatives whose health differs from the quarter before
    missed_milestones: list[InitiativeResult]  # initiatives with milestones missed in the quarter (missed_in_quarter)
    events: tuple[EventItem, ...] = ()  # the events under way in the quarter


@dataclass(frozen=True)
class DataStatusContext:
    """data_status.html: data-status/index.html (at the site root only)"""

    template: ClassVar[str] = "data_status.html"

    as_of: date  # SOURCE_DATE_EPOCH's date, else the day of the build
    groups: tuple[OwnerStatus, ...]  # by owner (owner, kpis, count(state)), most late first; each KPI late first
    line: str  # the one-line summary the home page shows


@dataclass(frozen=True)
class AttentionContext:
    """attention.html: attention/index.html"""

    template: ClassVar[str] = "attention.html"

    attention: list[KpiResult]  # every KPI off track or without data, worst score first
    projected_to_miss: list[KpiResult]  # every KPI on track now with less than a 50 % chance at year end, least likely first


@dataclass(frozen=True)
class StrategyMapContext:
    """strategy_map.html: strategy-map/index.html"""

    template: ClassVar[str] = "strategy_map.html"

    strategy_map: StrategyMap


@dataclass(frozen=True)
class InitiativesContext:
    """initiatives.html: initiatives/index.html"""

    template: ClassVar[str] = "initiatives.html"

    initiatives: list[Initiative]  # by id
    texts: dict[str, Markup | None]  # each initiative's text, by id
    objectives: dict[str, ObjectiveResult]  # objective results by id
    portfolio: Portfolio  # every initiative's figures as of the quarter's end, and the totals
    charts: list[charts.Chart]  # the timeline, budget against strategic contribution


@dataclass(frozen=True)
class KpiRow:
    """A KPI in the KPI catalogue, with its objective and who owns it."""

    kpi: KpiResult
    objective: ObjectiveResult
    owner: str | None  # the KPI's owner, else its objective's


@dataclass(frozen=True)
class KpisContext:
    """kpis.html: kpis/index.html, every KPI"""

    template: ClassVar[str] = "kpis.html"

    kpis: list[KpiRow]  # highest score first, those without data last


@dataclass(frozen=True)
class ObjectivesContext:
    """objectives.html: objectives/index.html, every objective"""

    template: ClassVar[str] = "objectives.html"

    objectives: list[ObjectiveResult]  # highest score first, those without data last
    perspectives: dict[str, PerspectiveResult]  # perspective results by id


@dataclass(frozen=True)
class PerspectivesContext:
    """perspectives.html: perspectives/index.html, every perspective"""

    template: ClassVar[str] = "perspectives.html"

    perspectives: list[PerspectiveResult]  # highest score first, those without data last


@dataclass(frozen=True)
class QuartersContext:
    """quarters.html: quarters/index.html (the common variables say it all)"""

    template: ClassVar[str] = "quarters.html"


@dataclass(frozen=True)
class PerspectiveContext:
    """perspective.html: perspectives/<id>/index.html; also one section of the briefing book"""

    template: ClassVar[str] = "perspective.html"

    perspective: PerspectiveResult
    text: Markup | None  # content/perspectives/<id>.md
    charts: list[charts.Chart]
    events: tuple[EventItem, ...] = ()  # the events on its charts up to the quarter's end: scorecard-wide or its own


@dataclass(frozen=True)
class Dashboard:
    """The board pack's first page and slide (SPEC 21): the quarter at a glance."""

    result: QuarterResult  # overall score, status and trend; the perspectives' scores
    strategy_map: StrategyMap
    movements: tuple[Movement, ...]  # the largest score movements of objectives and KPIs, largest first
    attention: tuple[KpiResult, ...]  # the worst KPIs off track or without data
    attention_total: int  # how many KPIs need attention in all


@dataclass(frozen=True)
class BriefingContext:
    """briefing.html: briefing/index.html (the printable briefing book)"""

    template: ClassVar[str] = "briefing.html"

    result: QuarterResult
    dashboard: Dashboard
    sections: list[PerspectiveContext]  # one per perspective
    summary: Markup | None
    portfolio: Portfolio  # the initiatives' figures and totals as of the quarter's end
    portfolio_timeline: charts.Chart | None  # None when there is no initiative
    events: tuple[EventItem, ...] = ()  # the events under way in the quarter


@dataclass(frozen=True)
class ObjectiveContext:
    """objective.html: objectives/<id>/index.html"""

    template: ClassVar[str] = "objective.html"

    perspective: PerspectiveResult
    objective: ObjectiveResult
    description: Markup | None  # the objective's Markdown body
    supports: list[ObjectiveResult]  # objectives this one drives
    supported_by: list[ObjectiveResult]  # objectives that drive this one
    initiatives: list[InitiativeResult]  # initiatives driving it, by id, with their figures as of the quarter's end
    commentary: Markup | None  # this quarter's commentary on it
    commentary_edit_url: str | None  # its file in the repository (with repo_url and edit_uri)
    cascade: list[CascadeLink]  # child objectives contributing to it
    contributes_to: list[tuple[str, str]]  # (title, href from the site root) of parent objectives it feeds
    charts: list[charts.Chart]
    events: tuple[EventItem, ...] = ()  # the events on its charts up to the quarter's end (its own, its perspective's)


@dataclass(frozen=True)
class KpiContext:
    """kpi.html: kpis/<id>/index.html"""

    template: ClassVar[str] = "kpi.html"

    perspective: PerspectiveResult
    objective: ObjectiveResult
    kpi: KpiResult
    history: list[tuple[Quarter, KpiResult, Lineage | None]]  # every quarter up to this one, newest first, with where its actual comes from
    targets: list[tuple[Any, Any]]  # per-period targets (year or quarter, value)
    description: Markup | None
    charts: list[charts.Chart]
    events: tuple[EventItem, ...] = ()  # the events on its chart up to the quarter's end, each with its comparison


PAGE_CONTEXTS = (
    HomeContext, DataStatusContext, ChangesContext, AttentionContext, AlignmentContext, CascadeContext, StrategyMapContext, InitiativesContext, QuartersContext, PerspectiveContext,
    BriefingContext, ObjectiveContext, KpiContext, PerspectivesContext, ObjectivesContext, KpisContext,
)


def variables(context: Any) -> dict[str, Any]:
    """A context's fields by name, for the template (shallow: values stay as they are)."""
    return {f.name: getattr(context, f.name) for f in fields(context)}
