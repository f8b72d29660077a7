"""Scores for every quarter of a scorecard, in one pass over the actuals.

A quarter's results depend only on actuals up to that quarter (aggregation
is within a quarter and carry-forward looks backwards), so computing every
quarter once gives each quarter's "as of" view.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bscgen import urls
from bscgen.before_after import BeforeAfter, before_after
from bscgen.model import Actual, Bound, Event, Goal, Kpi, Objective, Perspective, Scorecard, Status
from bscgen.periods import Quarter, quarter_range
from bscgen.portfolio import Portfolio, money_per_goal, portfolio
from bscgen.projection import Projection, project
from bscgen.scoring import combine, kpi_score, roll_up, status_of, summarise_notes


@dataclass(frozen=True)
class QuarterValue:
    """A KPI's value for one quarter after aggregation."""

    value: float
    note: str | None
    actuals: tuple[Actual, ...]  # the rows combined, each with its source
    quarter: Quarter | None = None


@dataclass(frozen=True)
class KpiResult:
    kpi: Kpi
    actual: float | None
    target: Bound
    baseline: Bound
    score: float | None
    status: Status
    stale: bool
    note: str | None
    previous_score: float | None
    value: QuarterValue | None = None  # where the actual comes from (for a stale one: an earlier quarter's)
    projection: Projection | None = None  # the year-end projection (SPEC 13); never part of the score
    comparisons: tuple[tuple[Event, BeforeAfter], ...] = ()  # per event on its chart, up to this quarter (SPEC 20)


@dataclass(frozen=True)
class ObjectiveResult:
    objective: Objective
    score: float | None
    status: Status
    previous_score: float | None
    kpis: tuple[KpiResult, ...]


@dataclass(frozen=True)
class PerspectiveResult:
    perspective: Perspective
    score: float | None
    status: Status
    previous_score: float | None
    objectives: tuple[ObjectiveResult, ...]


@dataclass(frozen=True)
class GoalResult:
    """A business goal's score: the weighted mean of the objectives serving it (never rolled up)."""

    goal: Goal
    score: float | None
    status: Status
    previous_score: float | None
    objectives: tuple[ObjectiveResult, ...]  # the objectives serving it
    investment: float = 0.0  # the initiatives' budgets that go to it (SPEC 19)


@dataclass(frozen=True)
class ChildResult:
    """A child scorecard's overall result in a quarter."""

    id: str
    title: str
    url: str | None  # where readers find it: its configured url, else its sub-site from the site root
    score: float | None
    status: Status
    previous_score: float | None


@dataclass(frozen=True)
class QuarterResult:
    quarter: Quarter
    periods: tuple[Quarter, ...]  # every quarter from the first with data up to this one
    score: float | None
    status: Status
    previous_score: float | None
    perspectives: tuple[PerspectiveResult, ...]
    goals: tuple[GoalResult, ...] = ()
    scorecards: tuple[ChildResult, ...] = ()
    portfolio: Portfolio | None = None  # the initiatives as of the quarter's end (SPEC 19)
    events: tuple[Event, ...] = ()  # those that began by this quarter's end: a copy shows no later event

    def events_in(self, quarter: Quarter) -> list[Event]:
        """The events that were under way in a quarter (the changes page's)."""
        return [e for e in self.events if e.first <= quarter <= e.last]


def quarter_values(actuals: list[Actual], aggregate: str) -> dict[Quarter, QuarterValue]:
    """One KPI's actuals combined per quarter by its aggregate."""
    by_quarter: dict[Quarter, list[Actual]] = defaultdict(list)
    for actual in actuals:
        by_quarter[actual.quarter].append(actual)
    values = {}
    for quarter, group in by_quarter.items():
        group.sort(key=lambda a: a.day)
        value = combine([(a.day, a.value) for a in group], aggregate, [a.count for a in group])
        # notes in date order; on one date, by their text (as the bulk reader orders them)
        note = group[-1].note if aggregate == "last" else summarise_notes(
            [note for _, note in sorted((a.day, a.note) for a in group if a.note)])
        values[quarter] = QuarterValue(value, note, tuple(group), quarter)
    return values


def value_as_of(values: dict[Quarter, QuarterValue], quarter: Quarter, carry_forward: int) -> tuple[QuarterValue | None, bool]:
    """The quarter's value, else the latest of up to `carry_forward` earlier quarters (stale)."""
    if quarter in values:
        return values[quarter], False
    earlier = [q for q in values if q < quarter]
    if earlier and quarter.index - max(earlier).index <= carry_forward:
        return values[max(earlier)], True
    return None, False


def first_quarter(scorecard: Scorecard) -> Quarter | None:
    return min((a.quarter for a in scorecard.actuals), default=None)


def latest_quarter(scorecard: Scorecard) -> Quarter | None:
    return max((a.quarter for a in scorecard.actuals), default=None)


def compute_history(scorecard: Scorecard, last: Quarter) -> list[QuarterResult]:
    """Results for every quarter from the first with data up to `last`."""
    first = first_quarter(scorecard)
    if first is None or last < first:
        return []
    actuals_by_kpi: dict[str, list[Actual]] = defaultdict(list)
    for actual in scorecard.actuals:
        actuals_by_kpi[actual.kpi].append(actual)
    values = {kpi.id: quarter_values(actuals_by_kpi[kpi.id], kpi.aggregate) for kpi in scorecard.kpis}
    kpi_events = {kpi.id: scorecard.events_of_kpi(kpi) for kpi in scorecard.kpis} if scorecard.events else {}

    history: list[QuarterResult] = []
    previous: dict[tuple[str, str], float | None] = {}
    periods = quarter_range(first, last)
    health: dict = {}
    for position, quarter in enumerate(periods):
        result = _compute_quarter(scorecard, quarter, values, previous, tuple(periods[: position + 1]), kpi_events,
                                  health)
        history.append(result)
        previous = _scores_by_id(result)
        health = {i.initiative.id: i.health for i in result.portfolio.initiatives}
    return history


def events_as_of(events, quarter: Quarter) -> list[Event]:
    return [e for e in events if e.first <= quarter]


def _compute_quarter(scorecard, quarter, values, previous, periods, kpi_events, health) -> QuarterResult:
    config = scorecard.config
    events = events_as_of(scorecard.events, quarter)
    perspectives = []
    for perspective in config.perspectives:
        objectives = []
        for objective in scorecard.objectives_of(perspective.id):
            kpis = tuple(
                _kpi_result(kpi, quarter, values[kpi.id], config, previous.get(("kpi", kpi.id)),
                            events_as_of(kpi_events.get(kpi.id, ()), quarter))
                for kpi in scorecard.kpis_of(objective.id)
            )
            score = roll_up((k.score, k.kpi.weight) for k in kpis)
            objectives.append(ObjectiveResult(
                objective, score, status_of(score, config.bands), previous.get(("objective", objective.id)), kpis,
            ))
        score = roll_up((o.score, o.objective.weight) for o in objectives)
        perspectives.append(PerspectiveResult(
            perspective, score, status_of(score, config.bands), previous.get(("perspective", perspective.id)),
            tuple(objectives),
        ))
    score = roll_up((p.score, p.perspective.weight) for p in perspectives)
    return QuarterResult(
        quarter, periods, score, status_of(score, config.bands), previous.get(("scorecard", "")), tuple(perspectives),
        _goal_results(scorecard, perspectives, previous), _child_results(scorecard.children, quarter),
        portfolio(scorecard, quarter, health), tuple(events),
    )


def _goal_results(scorecard, perspectives: list[PerspectiveResult], previous) -> tuple[GoalResult, ...]:
    """Each goal's score from the objectives that serve it (objective weights, SPEC 6 rules),
    and the money its initiatives put into it."""
    config = scorecard.config
    objectives = [o for p in perspectives for o in p.objectives]
    investment, _ = money_per_goal(scorecard.initiatives, scorecard.objectives)
    goals = []
    for goal in config.goals:
        serving = tuple(o for o in objectives if goal.id in o.objective.serves)
        score = roll_up((o.score, o.objective.weight) for o in serving)
        goals.append(GoalResult(goal, score, status_of(score, config.bands), previous.get(("goal", goal.id)), serving,
                                investment.get(goal.id, 0.0)))
    return tuple(goals)


def _child_results(children, quarter: Quarter) -> tuple[ChildResult, ...]:
    results = []
    for child in children:
        now, before = child.quarters.get(quarter), child.quarters.get(quarter.previous)
        results.append(ChildResult(
            child.id, child.title, child.link.url or urls.child_site(child.id), now.score if now else None, now.status if now else Status.NONE, before.score if before else None,
        ))
    return tuple(results)


def _kpi_result(kpi: Kpi, quarter: Quarter, values, config, previous_score, events: list[Event]) -> KpiResult:
    value, stale = value_as_of(values, quarter, kpi.carry_forward)
    target, baseline = kpi.target_for(quarter), kpi.effective_baseline
    actual = value.value if value else None
    score = kpi_score(actual, kpi.direction, target, baseline, config.cap)
    # Only the quarters' own values: a carried-forward value would count one actual twice.
    own = {q: v.value for q, v in values.items()}
    projection = project(kpi, quarter, own)
    comparisons = tuple((e, before_after(e.first, e.last, quarter, own)) for e in events)
    return KpiResult(
        kpi=kpi, actual=actual, target=target, baseline=baseline, score=score,
        status=status_of(score, kpi.bands or config.bands), stale=stale,
        note=value.note if value else None, previous_score=previous_score, value=value, projection=projection,
        comparisons=comparisons,
    )


def _scores_by_id(result: QuarterResult) -> dict[tuple[str, str], float | None]:
    """Every item's score in a quarter, to be the next quarter's previous_score."""
    scores: dict[tuple[str, str], float | None] = {("scorecard", ""): result.score}
    scores.update((("goal", g.goal.id), g.score) for g in result.goals)
    for p in result.perspectives:
        scores[("perspective", p.perspective.id)] = p.score
        for o in p.objectives:
            scores[("objective", o.objective.id)] = o.score
            for k in o.kpis:
                scores[("kpi", k.kpi.id)] = k.score
    return scores
