"""Initiatives as an investment portfolio (SPEC 19): earned value per initiative
and quarter, as of the quarter's end, health, money per goal and strategic
contribution. Pure functions on the model, no I/O.

The formulas are PMI's earned-value ones: AC is what was spent, EV the
budget times the share of the work done, PV the budget times the share of
the work planned to be done; their ratios say whether an initiative costs
more (CPI < 1) or runs later (SPI < 1) than planned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from bscgen.model import Config, Initiative, InitiativeActual, Milestone, Objective, PortfolioBands, Scorecard, Status
from bscgen.periods import FiscalCalendar, Quarter

HEALTH_ORDER = (Status.NONE, Status.GREEN, Status.AMBER, Status.RED)  # better to worse


@dataclass(frozen=True)
class MilestoneState:
    """A milestone as of a day: `done` only if it was done by then."""

    milestone: Milestone
    done: date | None
    missed: bool  # due before the day and not done by then


@dataclass(frozen=True)
class EarnedValue:
    """The earned-value figures of one initiative as of one day; None where a value
    is missing or a divisor is 0."""

    budget: float | None  # BAC
    actual_cost: float  # AC: cumulative spend
    progress: float | None  # P, percent done
    earned_value: float | None  # EV = BAC x P / 100
    planned_value: float | None  # PV = BAC x planned fraction
    cost_variance: float | None  # CV = EV - AC
    schedule_variance: float | None  # SV = EV - PV
    cpi: float | None  # EV / AC
    spi: float | None  # EV / PV
    eac: float | None  # estimate at completion, BAC / CPI
    vac: float | None  # variance at completion, BAC - EAC


@dataclass(frozen=True)
class InitiativeResult:
    """An initiative in a quarter, as of the quarter's end."""

    initiative: Initiative
    figures: EarnedValue
    health: Status
    previous_health: Status  # in the quarter before (NONE when there is none)
    milestones: tuple[MilestoneState, ...]  # in the order written
    next_milestone: MilestoneState | None  # the earliest due not done by the quarter's end
    contribution: float | None  # the share of the scorecard score its objectives carry
    # missed now but not at the end of the quarter before (the changes page lists them)
    missed_in_quarter: tuple[MilestoneState, ...]


@dataclass(frozen=True)
class PortfolioTotals:
    """The portfolio's sums (of the values known) and the ratios of the sums."""

    budget: float
    actual_cost: float
    earned_value: float
    planned_value: float
    cpi: float | None
    spi: float | None
    eac: float | None
    progress: float | None  # budget-weighted: EV / BAC x 100


@dataclass(frozen=True)
class Portfolio:
    """The portfolio in a quarter: every initiative, the totals, and the budget that
    goes to objectives serving no goal (money per goal is on each goal's result)."""

    initiatives: tuple[InitiativeResult, ...]
    totals: PortfolioTotals
    unaligned: float


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator; None where either is missing or the divisor is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def difference(left: float | None, right: float | None) -> float | None:
    return None if left is None or right is None else left - right


def actual_cost(rows: Iterable[InitiativeActual], day: date) -> float:
    """AC: the spend of every row up to `day` (0 when there is none)."""
    return math.fsum(row.spend for row in rows if row.spend is not None and row.day <= day)


def progress_as_of(initiative: Initiative, rows: list[InitiativeActual], day: date) -> float | None:
    """P: 0 before the start; else the latest progress value up to `day`; for an
    initiative without progress rows, its front matter `progress`; else None."""
    if initiative.start is not None and day < initiative.start:
        return 0.0
    reported = [row for row in rows if row.progress is not None]
    if not reported:
        return initiative.progress
    # sorted is stable: on one date, the row read last is the latest
    upto = sorted((row for row in reported if row.day <= day), key=lambda row: row.day)
    return upto[-1].progress if upto else None


def planned_fraction(initiative: Initiative, calendar: FiscalCalendar, day: date) -> float | None:
    """The share of the work planned to be done by `day`, 0..1: from `plan`, linear
    between its quarter ends (from 0 at the start, up to 1 at the due date); without a
    plan, linear by days from start to due. None when neither says."""
    points = plan_points(initiative, calendar)
    if not points:
        return None
    if day < points[0][0]:
        return 0.0  # nothing is planned before the work starts
    for (day0, value0), (day1, value1) in zip(points, points[1:]):
        if day <= day1:
            return value0 + (value1 - value0) * (day - day0).days / (day1 - day0).days
    return points[-1][1]


def plan_points(initiative: Initiative, calendar: FiscalCalendar) -> list[tuple[date, float]]:
    """The (day, planned fraction) corners of the planned curve, days increasing."""
    start, due = initiative.start, initiative.due
    if not initiative.plan:
        if start is None or due is None:
            return []
        return [(start, 0.0), (due, 1.0)] if due > start else [(due, 1.0)]
    points = [(calendar.last_day(quarter), percent / 100) for quarter, percent in initiative.plan]
    # the work starts at 0 on the start date (without one: as the first planned quarter begins)
    begin = start if start is not None else calendar.last_day(initiative.plan[0][0].previous)
    if begin < points[0][0]:
        points.insert(0, (begin, 0.0))
    if due is not None and due > points[-1][0]:
        points.append((due, 1.0))  # a plan that stops short of 100 % is done by the due date
    return points


def earned_value(initiative: Initiative, rows: list[InitiativeActual], calendar: FiscalCalendar,
                 day: date) -> EarnedValue:
    """The earned-value figures as of `day`."""
    budget = initiative.budget
    spent = actual_cost(rows, day)
    progress = progress_as_of(initiative, rows, day)
    fraction = planned_fraction(initiative, calendar, day)
    ev = None if budget is None or progress is None else budget * progress / 100
    pv = None if budget is None or fraction is None else budget * fraction
    cpi = ratio(ev, spent)
    eac = ratio(budget, cpi)
    return EarnedValue(
        budget=budget, actual_cost=spent, progress=progress, earned_value=ev, planned_value=pv,
        cost_variance=difference(ev, spent), schedule_variance=difference(ev, pv), cpi=cpi, spi=ratio(ev, pv),
        eac=eac, vac=difference(budget, eac),
    )


def milestone_states(initiative: Initiative, day: date) -> tuple[MilestoneState, ...]:
    """Each milestone as of `day`: a done date after it is not known yet."""
    states = []
    for milestone in initiative.milestones:
        done = milestone.done if milestone.done is not None and milestone.done <= day else None
        states.append(MilestoneState(milestone, done, missed=milestone.due < day and done is None))
    return tuple(states)


def index_health(value: float | None, bands: PortfolioBands) -> Status:
    """One performance index (CPI or SPI) against the portfolio's thresholds."""
    if value is None:
        return Status.NONE
    if value < bands.red:
        return Status.RED
    return Status.AMBER if value < bands.amber else Status.GREEN


def worse(*statuses: Status) -> Status:
    return max(statuses, key=HEALTH_ORDER.index)


def health(figures: EarnedValue, milestones: tuple[MilestoneState, ...], bands: PortfolioBands) -> Status:
    """The worse of CPI and SPI; a missed milestone makes it at least amber."""
    found = worse(index_health(figures.cpi, bands), index_health(figures.spi, bands))
    if any(m.missed for m in milestones):
        found = worse(found, Status.AMBER)
    return found


def objective_shares(config: Config, objectives: Iterable[Objective]) -> dict[str, float]:
    """Each objective's share of the scorecard score: its weight share in its
    perspective times the perspective's weight share (perspectives with objectives)."""
    by_perspective: dict[str, list[Objective]] = {}
    for objective in objectives:
        by_perspective.setdefault(objective.perspective, []).append(objective)
    perspectives = [p for p in config.perspectives if p.id in by_perspective]
    total = math.fsum(p.weight for p in perspectives)
    shares = {}
    for perspective in perspectives:
        members = by_perspective[perspective.id]
        weights = math.fsum(o.weight for o in members)
        for objective in members:
            shares[objective.id] = (ratio(objective.weight, weights) or 0.0) * (ratio(perspective.weight, total) or 0.0)
    return shares


def contribution(initiative: Initiative, shares: dict[str, float]) -> float | None:
    """The sum of its objectives' shares of the scorecard score (None: none is known)."""
    known = [shares[oid] for oid in dict.fromkeys(initiative.objectives) if oid in shares]
    return math.fsum(known) if known else None


def money_per_goal(initiatives: Iterable[Initiative], objectives: Iterable[Objective]) -> tuple[dict[str, float], float]:
    """Each goal's investment: every budget split equally among its initiative's
    objectives, each objective's share equally among the goals it serves. Also
    what goes to objectives that serve no goal, so the parts add up to the budgets."""
    serves = {o.id: tuple(dict.fromkeys(o.serves)) for o in objectives}
    parts: dict[str, list[float]] = {}
    unaligned: list[float] = []
    for initiative in initiatives:
        targets = [oid for oid in dict.fromkeys(initiative.objectives) if oid in serves]
        if initiative.budget is None or not targets:
            continue
        share = initiative.budget / len(targets)
        for oid in targets:
            goals = serves[oid]
            if not goals:
                unaligned.append(share)
            for goal in goals:
                parts.setdefault(goal, []).append(share / len(goals))
    return {goal: math.fsum(amounts) for goal, amounts in parts.items()}, math.fsum(unaligned)


def portfolio(scorecard: Scorecard, quarter: Quarter, previous: dict[str, Status]) -> Portfolio:
    """The portfolio as of the quarter's end; `previous`: each initiative's health in the quarter before."""
    results = initiative_results(scorecard.initiatives, scorecard.initiative_actuals, scorecard.config,
                                 scorecard.objectives, quarter, previous)
    _, unaligned = money_per_goal(scorecard.initiatives, scorecard.objectives)
    return Portfolio(results, totals(results), unaligned)


def initiative_results(initiatives: Iterable[Initiative], rows: Iterable[InitiativeActual], config: Config,
                       objectives: Iterable[Objective], quarter: Quarter,
                       previous: dict[str, Status]) -> tuple[InitiativeResult, ...]:
    """Every initiative as of the quarter's end, by id; `previous`: each one's health
    in the quarter before."""
    calendar = config.calendar
    day, before = calendar.last_day(quarter), calendar.last_day(quarter.previous)
    by_initiative: dict[str, list[InitiativeActual]] = {}
    for row in rows:
        by_initiative.setdefault(row.initiative, []).append(row)
    shares = objective_shares(config, objectives)
    results = []
    for initiative in sorted(initiatives, key=lambda i: i.id):
        figures = earned_value(initiative, by_initiative.get(initiative.id, []), calendar, day)
        states = milestone_states(initiative, day)
        upcoming = sorted((m for m in states if m.done is None), key=lambda m: m.milestone.due)
        results.append(InitiativeResult(
            initiative=initiative, figures=figures, health=health(figures, states, config.portfolio),
            previous_health=previous.get(initiative.id, Status.NONE), milestones=states,
            next_milestone=upcoming[0] if upcoming else None, contribution=contribution(initiative, shares),
            missed_in_quarter=tuple(m for m in states if m.missed and m.milestone.due >= before),
        ))
    return tuple(results)


def totals(results: Iterable[InitiativeResult]) -> PortfolioTotals:
    """The sums of the known values; CPI, SPI, EAC and progress of the sums."""
    figures = [r.figures for r in results]

    def total(name: str) -> float:
        return math.fsum(v for f in figures if (v := getattr(f, name)) is not None)

    budget, ac, ev, pv = (total(name) for name in ("budget", "actual_cost", "earned_value", "planned_value"))
    cpi = ratio(ev, ac)
    progress = ratio(ev, budget)
    return PortfolioTotals(budget, ac, ev, pv, cpi, ratio(ev, pv), ratio(budget, cpi),
                           None if progress is None else progress * 100)
