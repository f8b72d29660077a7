"""The validated scorecard: typed, immutable records, each with its source."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Union

from bscgen.periods import FiscalCalendar, Quarter
from bscgen.problems import Source

# A target or baseline: one number for up/down KPIs, (low, high) for range KPIs.
Bound = Union[float, tuple[float, float]]

DIRECTIONS = ("up", "down", "range")


class Status(StrEnum):
    """How a score stands against its bands; NONE when there is no score."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NONE = "none"


AGGREGATES = ("last", "sum", "mean", "min", "max")
FREQUENCIES = ("monthly", "quarterly", "annual")
INITIATIVE_STATUSES = ("planned", "on-track", "at-risk", "late", "done")


@dataclass(frozen=True)
class Bands:
    green: float = 90
    amber: float = 60


@dataclass(frozen=True)
class PortfolioBands:
    """`portfolio: {amber: 0.95, red: 0.85}` (SPEC 19): an initiative whose CPI or SPI
    is below amber is amber, below red is red."""

    amber: float = 0.95
    red: float = 0.85


@dataclass(frozen=True)
class Perspective:
    id: str
    title: str
    weight: float = 1
    source: Source | None = None


DEFAULT_PERSPECTIVES = (
    Perspective("financial", "Financial"),
    Perspective("customer", "Customer"),
    Perspective("internal", "Internal Business Processes"),
    Perspective("learning", "Learning and Growth"),
)


@dataclass(frozen=True)
class Config:
    title: str = "IT Balanced Scorecard"
    organization: str = "Example Corp IT"
    base_url: str = "/"
    theme: str = "default"
    language: str = "en"  # the language of the pages, PDF and deck (SPEC 18), one of language.LANGUAGES
    locale: str | None = None  # the CLDR locale of formats, e.g. "de-CH"; None: the language's own
    currency: str | None = None  # ISO 4217 code of initiative budgets and spend; None: plain numbers
    goals_title: str | None = None  # the heading of the goals (e.g. the strategy's name)
    goals: tuple[Goal, ...] = ()
    scorecards: tuple[ChildLink, ...] = ()
    parent: ParentLink | None = None  # set when built as a child of another scorecard
    calendar: FiscalCalendar = FiscalCalendar()
    cap: float = 100
    bands: Bands = Bands()
    portfolio: PortfolioBands = PortfolioBands()
    perspectives: tuple[Perspective, ...] = DEFAULT_PERSPECTIVES
    excel_sheets: dict[str | None, str] = field(default_factory=dict)  # workbook path (None: all) -> sheet
    exports: tuple[str, ...] = ()  # board pack files per quarter copy: "pdf", "pptx"
    paper: str = "a4"  # the PDF's page size: a4 | letter
    due_days: int = 20  # data: {due_days}: days after a period's end by which its values are due
    repo_url: str | None = None  # where the project's files are browsed (MkDocs' repo_url)
    edit_uri: str | None = None  # the path from repo_url to a file's page, e.g. blob/main/ (MkDocs' edit_uri)
    pptx_template: str | None = None  # a .pptx whose master and layouts the deck uses (path from the root)
    csv_decimals: tuple[tuple[str | None, str], ...] = ((None, "."),)  # (file pattern, None: all; decimal mark)
    databases: dict[str, Database] = field(default_factory=dict)  # by name, for `-- database: NAME` queries
    audiences: tuple[Audience, ...] = ()  # the first is the default view
    extra: dict[str, Any] = field(default_factory=dict)
    # False when bscgen.yaml or its perspectives could not be read in full: the
    # defaults standing in may not be what the user meant, so checks against
    # them (an objective's perspective) are skipped rather than reported.
    complete: bool = True


@dataclass(frozen=True)
class Database:
    """A database queries may run on (SPEC 15), through SQLAlchemy; its password
    comes from the environment variable `password_env`, never from a file."""

    name: str
    url: str
    password_env: str | None
    source: Source


@dataclass(frozen=True)
class Audience:
    """A group of readers that gets a site of its own (SPEC 17)."""

    id: str
    title: str
    source: Source


@dataclass(frozen=True)
class Goal:
    """A business goal the scorecard serves (SPEC 11.1): shown, never scored into the scorecard."""

    id: str
    title: str
    source: Source
    url: str | None = None
    visible_to: tuple[str, ...] = ()  # audience ids (SPEC 17); empty: every audience
    visible_sources: tuple[Source, ...] = field(default=(), compare=False, repr=False)  # where each is written


@dataclass(frozen=True)
class ChildLink:
    """A child scorecard named in bscgen.yaml (SPEC 11.2): a project, or a published site."""

    id: str
    path: str  # relative to the parent project's root
    source: Source
    url: str | None = None  # where readers find a published child
    visible_to: tuple[str, ...] = ()  # audience ids (SPEC 17); empty: every audience
    visible_sources: tuple[Source, ...] = field(default=(), compare=False, repr=False)  # where each is written


@dataclass(frozen=True)
class KpiLink:
    """Where a `from` KPI takes its values: a child's score, a perspective's or
    objective's score, or a KPI's actual."""

    scorecard: str
    kind: str  # "scorecard" | "perspective" | "objective" | "kpi"
    item: str | None = None  # the perspective, objective or KPI id

    def as_dict(self) -> dict[str, str]:
        return {"scorecard": self.scorecard} | ({self.kind: self.item} if self.item is not None else {})


@dataclass(frozen=True)
class CascadeRef:
    """`cascade: [infra/P1]`: a child scorecard's objective that feeds a parent objective."""

    scorecard: str
    objective: str

    @classmethod
    def parse(cls, text: str) -> CascadeRef:
        scorecard, _, objective = text.partition("/")
        return cls(scorecard, objective)

    def __str__(self) -> str:
        return f"{self.scorecard}/{self.objective}"


@dataclass(frozen=True)
class ParentLink:
    """For a child built with its parent: the way back up (breadcrumbs, cascade links)."""

    title: str
    href: str  # from the child's site root to the parent's, e.g. "../../"
    first: Quarter  # the parent's first quarter: it has every quarter from there to the child's latest
    objectives: dict[str, tuple[tuple[str, str], ...]]  # child objective id -> (parent objective id, title)


@dataclass(frozen=True)
class Document:
    """A Markdown file: its front matter fields (if any) and its body."""

    source: Source
    body: str
    body_line: int = 1
    title: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    visible_to: tuple[str, ...] = ()  # audience ids (SPEC 17); empty: every audience
    visible_sources: tuple[Source, ...] = field(default=(), compare=False, repr=False)  # where each is written


@dataclass(frozen=True)
class Objective:
    id: str
    title: str
    perspective: str
    source: Source
    owner: str | None = None
    weight: float = 1
    order: float | None = None
    supports: tuple[str, ...] = ()
    serves: tuple[str, ...] = ()  # goal ids
    cascade: tuple[CascadeRef, ...] = ()  # child objectives that feed this one
    extra: dict[str, Any] = field(default_factory=dict)
    visible_to: tuple[str, ...] = ()  # audience ids (SPEC 17); empty: every audience
    visible_sources: tuple[Source, ...] = field(default=(), compare=False, repr=False)  # where each is written
    reference_sources: dict[str, Source] = field(default_factory=dict, compare=False, repr=False)
    link_sources: dict[str, Source] = field(default_factory=dict, compare=False, repr=False)  # serves, cascade
    key_sources: dict[str, Source] = field(default_factory=dict, compare=False, repr=False)

    @property
    def sort_key(self) -> tuple:
        # Objectives with an explicit order come first, by order, then by id.
        return (self.order is None, self.order or 0, self.id)


@dataclass(frozen=True)
class Milestone:
    """A milestone of an initiative (SPEC 19): due by a date, done on one (or not yet).
    With `event`, it is also an event on the charts of the initiative's objectives (SPEC 20)."""

    title: str
    due: date
    source: Source
    done: date | None = None
    event: bool = False


@dataclass(frozen=True)
class Initiative:
    id: str
    title: str
    objectives: tuple[str, ...]
    source: Source
    owner: str | None = None
    status: str | None = None
    progress: float | None = None
    start: date | None = None
    due: date | None = None
    budget: float | None = None  # the total approved budget (BAC), in `currency`
    # cumulative planned percent at quarter ends, in quarter order (SPEC 19); empty: linear from start to due
    plan: tuple[tuple[Quarter, float], ...] = ()
    milestones: tuple[Milestone, ...] = ()  # in the order written
    extra: dict[str, Any] = field(default_factory=dict)
    visible_to: tuple[str, ...] = ()  # audience ids (SPEC 17); empty: every audience
    visible_sources: tuple[Source, ...] = field(default=(), compare=False, repr=False)  # where each is written
    reference_sources: dict[str, Source] = field(default_factory=dict, compare=False, repr=False)
    plan_sources: dict[Quarter, Source] = field(default_factory=dict, compare=False, repr=False)
    key_sources: dict[str, Source] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Kpi:
    id: str
    name: str
    objective: str
    source: Source
    direction: str = "up"
    baseline: Bound | None = None
    target: Bound = 0
    targets: dict[Quarter | int, Bound] = field(default_factory=dict)  # fiscal year (int) or quarter
    unit: str | None = None
    decimals: int = 1
    weight: float = 1
    aggregate: str = "last"
    carry_forward: int = 0
    bands: Bands | None = None
    data_source: str | None = None
    description: str | None = None
    link: KpiLink | None = None  # a `from` KPI: its values come from a child scorecard
    owner: str | None = None  # who delivers its data (default: the objective's owner)
    frequency: str = "quarterly"  # monthly | quarterly | annual: how often a value is due
    due_days: int | None = None  # days after a period's end its value is due (default: data.due_days)
    visible_to: tuple[str, ...] = ()  # audience ids (SPEC 17); empty: every audience
    visible_sources: tuple[Source, ...] = field(default=(), compare=False, repr=False)  # where each is written
    key_sources: dict[str, Source] = field(default_factory=dict, compare=False, repr=False)

    def target_for(self, quarter: Quarter) -> Bound:
        """The most specific target: the quarter's, else its fiscal year's, else the default."""
        if quarter in self.targets:
            return self.targets[quarter]
        return self.targets.get(quarter.fiscal_year, self.target)

    @property
    def effective_baseline(self) -> Bound:
        # Only `up` KPIs may omit the baseline; they then score 0 at 0.
        return 0 if self.baseline is None else self.baseline


@dataclass(frozen=True)
class Event:
    """Something that happened (SPEC 20): a day, or a period from `start` to `end`,
    drawn on the charts of the items in its scope and compared before with after."""

    id: str
    title: str
    start: date  # the day, or the period's first day
    end: date | None  # the period's last day; None: a single day
    first: Quarter  # the fiscal quarter of `start`
    last: Quarter  # the fiscal quarter of `end` (of `start` for a day)
    source: Source
    kpis: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    perspectives: tuple[str, ...] = ()
    initiative: str | None = None
    description: str | None = None
    visible_to: tuple[str, ...] = ()  # audience ids (SPEC 17); empty: every audience
    visible_sources: tuple[Source, ...] = field(default=(), compare=False, repr=False)  # where each is written
    # (scope key, id) -> where it is written: ("kpis", "csat"), ("initiative", "I3")
    reference_sources: dict[tuple[str, str], Source] = field(default_factory=dict, compare=False, repr=False)

    @property
    def scorecard_wide(self) -> bool:
        """An event without a scope is about the whole scorecard (drawn on the perspective charts)."""
        return not (self.kpis or self.objectives or self.perspectives)

    @property
    def is_period(self) -> bool:
        return self.end is not None

    def scope(self) -> dict[str, list[str]]:
        """The scope as written: {"kpis": [...], ...}, only the keys it has."""
        return {key: list(ids) for key, ids in
                (("kpis", self.kpis), ("objectives", self.objectives), ("perspectives", self.perspectives)) if ids}


@dataclass(frozen=True)
class Actual:
    """One value of one KPI, from one cell; or, from the bulk reader, the rows of
    one big file for one KPI in one quarter, combined by the KPI's aggregate."""

    kpi: str
    period: str  # as written, e.g. "2026-07" (combined rows: the latest)
    quarter: Quarter
    day: date  # the date it counts as: a month or quarter counts as its last day
    value: float
    source: Source  # combined rows: the first of them
    note: str | None = None
    count: int = 1  # how many rows it stands for (a mean of combined rows weighs this much)


@dataclass(frozen=True)
class InitiativeActual:
    """One row of spend and progress of an initiative (SPEC 19), from a data file whose
    header has `initiative` instead of `kpi`: spend adds up, progress is the latest."""

    initiative: str
    period: str  # as written, e.g. "2026-07"
    quarter: Quarter
    day: date  # the date it counts as: a month or quarter counts as its last day
    spend: float | None  # None: the cell is empty
    progress: float | None  # percent, 0..100; None: the cell is empty
    source: Source  # the row's initiative cell


@dataclass(frozen=True)
class Scorecard:
    """Everything known about a project after validation."""

    config: Config
    objectives: tuple[Objective, ...]
    kpis: tuple[Kpi, ...]
    initiatives: tuple[Initiative, ...]
    actuals: tuple[Actual, ...]
    initiative_actuals: tuple[InitiativeActual, ...] = ()  # spend and progress, as read
    home: Document | None = None
    perspective_pages: dict[str, Document] = field(default_factory=dict)
    # Markdown bodies are kept apart from the records, so a page that lists an
    # objective does not depend on (and is not rebuilt for) its description.
    objective_texts: dict[str, Document] = field(default_factory=dict)
    initiative_texts: dict[str, Document] = field(default_factory=dict)
    # (quarter, objective id) -> commentary; objective id None is the executive summary
    commentary: dict[tuple[Quarter, str | None], Document] = field(default_factory=dict)
    children: tuple[Child, ...] = ()  # the child scorecards, in bscgen.yaml's order
    events: tuple[Event, ...] = ()  # by first day, then id
    audience: str | None = None  # whose view this is (view.py); None: no audiences, everything
    partial: bool = False  # the view leaves out items reserved for other audiences

    def objectives_of(self, perspective_id: str) -> list[Objective]:
        return sorted((o for o in self.objectives if o.perspective == perspective_id), key=lambda o: o.sort_key)

    def kpis_of(self, objective_id: str) -> list[Kpi]:
        return [k for k in self.kpis if k.objective == objective_id]

    # Which events are drawn on an item's chart: those scoped to it or to what
    # it sits under (an objective's scope includes its KPIs, a perspective's
    # everything under it); scorecard-wide events go on the perspective charts.

    def events_of_perspective(self, perspective_id: str) -> list[Event]:
        return [e for e in self.events if e.scorecard_wide or perspective_id in e.perspectives]

    def events_of_objective(self, objective: Objective) -> list[Event]:
        return [e for e in self.events if objective.id in e.objectives or objective.perspective in e.perspectives]

    def events_of_kpi(self, kpi: Kpi) -> list[Event]:
        objective = next((o for o in self.objectives if o.id == kpi.objective), None)
        return [e for e in self.events
                if kpi.id in e.kpis or (objective is not None and e in self.events_of_objective(objective))]


@dataclass(frozen=True)
class ChildQuarter:
    """A child scorecard's results in one quarter."""

    score: float | None
    status: Status
    previous_score: float | None
    perspectives: dict[str, float | None]
    objectives: dict[str, float | None]
    kpis: dict[str, float | None]  # actuals


@dataclass(frozen=True)
class Child:
    """What a parent knows of a child scorecard (SPEC 11.2): per quarter, its
    overall, perspective and objective scores and its KPI actuals, as of that
    quarter, whether it is a project built with the parent or a published site."""

    link: ChildLink
    title: str
    calendar: FiscalCalendar | None  # None: a published child that does not say (schema 1)
    quarters: dict[Quarter, ChildQuarter]
    objectives: dict[str, str]  # id -> title
    perspectives: tuple[str, ...]
    kpis: dict[str, str | None]  # id -> unit
    children: tuple[Child, ...] = ()
    built: bool = False  # a project built with the parent (tree.Tree holds its scorecard), not a published site
    partial: bool = False  # built with the parent, its view leaves out items reserved for other audiences

    @property
    def id(self) -> str:
        return self.link.id

    def value(self, kind: str, item: str | None, quarter: Quarter) -> float | None:
        """The value a `from` KPI takes in a quarter (None when the child has none)."""
        results = self.quarters.get(quarter)
        if results is None:
            return None
        if kind == "scorecard":
            return results.score
        return {"perspective": results.perspectives, "objective": results.objectives, "kpi": results.kpis}[kind].get(item)
