"""The investment portfolio (SPEC 19): earned value, health, milestones, money
per goal and strategic contribution, against figures computed by hand.

The portfolio below has six initiatives over eight quarters (2025-Q1 to
2026-Q4, calendar quarters):

    A  not yet started until 2026-07-01, linear plan, one progress row later
    B  finished in 2025, over budget
    C  an explicit plan with gaps (2025-Q2, 2025-Q4, 2026-Q2)
    D  two objectives, a milestone done and one missed
    E  no spend at all (CPI null), its front matter progress
    F  an objective serving two goals, no dates, no data

Objectives F1 (financial, weight 1, serves G1), F2 (financial, weight 3),
C1 (customer, serves G1 and G2), P1 (internal, perspective weight 2, no goal).
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bscgen.model import Config, Initiative, InitiativeActual, Milestone, Objective, Perspective, Status
from bscgen.periods import FiscalCalendar, Quarter
from bscgen.portfolio import (
    initiative_results, money_per_goal, objective_shares, planned_fraction, totals,
)
from bscgen.problems import Source

HERE = Source("content/initiatives/x.md", 2)
CALENDAR = FiscalCalendar()
CONFIG = Config(perspectives=(
    Perspective("financial", "Financial", 1), Perspective("customer", "Customer", 1),
    Perspective("internal", "Internal", 2), Perspective("learning", "Learning", 1),
))
OBJECTIVES = (
    Objective("F1", "Cost", "financial", HERE, weight=1, serves=("G1",)),
    Objective("F2", "Value", "financial", HERE, weight=3),
    Objective("C1", "Trust", "customer", HERE, serves=("G1", "G2")),
    Objective("P1", "Process", "internal", HERE),
)


def initiative(iid: str, objectives: tuple[str, ...], **fields) -> Initiative:
    return Initiative(iid, f"Initiative {iid}", objectives, HERE, **fields)


def row(iid: str, period: str, spend: float | None = None, progress: float | None = None) -> InitiativeActual:
    quarter, day = CALENDAR.parse_period(period)
    return InitiativeActual(iid, period, quarter, day, spend, progress, HERE)


INITIATIVES = (
    initiative("A", ("P1",), budget=100000, start=date(2026, 7, 1), due=date(2026, 12, 31)),
    initiative("B", ("F1",), budget=200000, start=date(2025, 1, 1), due=date(2025, 12, 31), status="done"),
    initiative("C", ("F1",), budget=850000, start=date(2025, 4, 1), due=date(2026, 6, 30),
               plan=((Quarter(2025, 2), 10), (Quarter(2025, 4), 45), (Quarter(2026, 2), 100))),
    initiative("D", ("F1", "C1"), budget=120000, start=date(2025, 7, 1), due=date(2026, 6, 30), milestones=(
        Milestone("Design", date(2025, 9, 30), HERE, done=date(2025, 9, 20)),
        Milestone("Pilot", date(2025, 12, 15), HERE),
    )),
    initiative("E", ("P1",), budget=50000, start=date(2025, 1, 1), due=date(2025, 12, 31), progress=10),
    initiative("F", ("C1",), budget=90000),
)
ROWS = (
    row("A", "2026-08", 30000, 40),
    row("B", "2025-Q1", 50000, 20), row("B", "2025-Q2", 60000, 50),
    row("B", "2025-Q3", 50000, 80), row("B", "2025-Q4", 60000, 100),
    row("C", "2025-05", 80000, 8), row("C", "2025-08", 200000), row("C", "2025-09", None, 25),
    row("D", "2025-Q3", 30000, 30), row("D", "2025-Q4", 30000, 50),
)


def results(quarter: str, previous: dict | None = None):
    found = initiative_results(INITIATIVES, ROWS, CONFIG, OBJECTIVES, Quarter.parse(quarter), previous or {})
    return {r.initiative.id: r for r in found}


def figures(result) -> tuple:
    f = result.figures
    return (f.actual_cost, f.progress, f.earned_value, f.planned_value, f.cpi, f.spi, f.eac, f.vac)


def test_not_yet_started_is_zero_then_linear_by_days():
    before = results("2026-Q2")["A"]
    assert figures(before) == (0, 0, 0, 0, None, None, None, None)
    assert before.health == Status.NONE
    during = results("2026-Q3")["A"]
    pv = 100000 * 91 / 183  # 2026-07-01 to 2026-09-30 is 91 of the 183 days to 2026-12-31
    assert figures(during) == pytest.approx((30000, 40, 40000, pv, 40000 / 30000, 40000 / pv, 75000, 25000))
    assert during.figures.cost_variance == pytest.approx(10000)
    assert during.figures.schedule_variance == pytest.approx(40000 - pv)
    assert during.health == Status.RED  # SPI 0.80 is below red (0.85)


def test_finished_over_budget():
    finished = results("2026-Q2")["B"]
    assert figures(finished) == pytest.approx((220000, 100, 200000, 200000, 200000 / 220000, 1, 220000, -20000))
    assert finished.health == Status.AMBER  # CPI 0.91: below amber (0.95), above red
    half = results("2025-Q2")["B"]
    pv = 200000 * 180 / 364  # 2025-01-01 to 2025-06-30: 180 of 364 days
    assert figures(half) == pytest.approx((110000, 50, 100000, pv, 100000 / 110000, 100000 / pv, 220000, -20000))


def test_an_explicit_plan_interpolates_between_its_quarters():
    third = results("2025-Q3")["C"]
    pv = 850000 * (0.10 + 0.35 * 92 / 184)  # 2025-06-30 to 09-30 is 92 of the 184 days to 12-31
    assert pv == pytest.approx(233750)
    assert figures(third) == pytest.approx((280000, 25, 212500, pv, 212500 / 280000, 212500 / pv, 1120000, -270000))
    assert third.health == Status.RED  # CPI 0.76
    assert results("2025-Q4")["C"].figures.planned_value == pytest.approx(850000 * 0.45)
    assert results("2025-Q1")["C"].figures.planned_value == 0  # before the start
    assert results("2026-Q4")["C"].figures.planned_value == pytest.approx(850000)


def test_a_missed_milestone_makes_it_at_least_amber():
    third, fourth = results("2025-Q3")["D"], results("2025-Q4", {"D": Status.GREEN})["D"]
    assert [(m.milestone.title, m.done, m.missed) for m in third.milestones] == [
        ("Design", date(2025, 9, 20), False), ("Pilot", None, False)]
    assert third.next_milestone.milestone.title == "Pilot"
    pv = 120000 * 183 / 364
    assert figures(fourth) == pytest.approx((60000, 50, 60000, pv, 1, 60000 / pv, 120000, 0))
    assert fourth.figures.spi > 0.95  # green by its indexes...
    assert fourth.health == Status.AMBER  # ...amber by the missed milestone
    assert fourth.previous_health == Status.GREEN
    assert [m.milestone.title for m in fourth.missed_in_quarter] == ["Pilot"]
    assert results("2026-Q1")["D"].missed_in_quarter == ()  # missed in 2025-Q4, not again


def test_a_done_date_after_the_quarter_is_not_known_in_it():
    late = initiative("L", ("F1",), milestones=(Milestone("Go-live", date(2025, 5, 1), HERE, done=date(2025, 8, 1)),))
    second, third = (initiative_results((late,), (), CONFIG, OBJECTIVES, Quarter(2025, n), {})[0] for n in (2, 3))
    assert (second.milestones[0].done, second.milestones[0].missed, second.health) == (None, True, Status.AMBER)
    assert (third.milestones[0].done, third.milestones[0].missed, third.next_milestone) == (date(2025, 8, 1), False, None)


def test_no_spend_leaves_cpi_and_eac_null():
    unspent = results("2025-Q2")["E"]
    pv = 50000 * 180 / 364
    assert figures(unspent) == pytest.approx((0, 10, 5000, pv, None, 5000 / pv, None, None))
    assert unspent.health == Status.RED  # by SPI alone


def test_no_dates_and_no_data_leave_every_figure_null():
    nothing = results("2025-Q4")["F"]
    assert figures(nothing) == (0, None, None, None, None, None, None, None)
    assert nothing.health == Status.NONE


def test_money_per_goal_splits_budgets_by_objective_then_by_goal():
    goals, unaligned = money_per_goal(INITIATIVES, OBJECTIVES)
    assert goals == pytest.approx({"G1": 200000 + 850000 + 60000 + 30000 + 45000, "G2": 30000 + 45000})
    assert unaligned == 150000  # A and E serve P1, which serves no goal
    assert math.fsum(goals.values()) + unaligned == sum(i.budget for i in INITIATIVES)


def test_strategic_contribution_is_the_objectives_share_of_the_score():
    assert objective_shares(CONFIG, OBJECTIVES) == pytest.approx({"F1": 1 / 16, "F2": 3 / 16, "C1": 1 / 4, "P1": 1 / 2})
    by_id = results("2025-Q4")
    assert by_id["D"].contribution == pytest.approx(1 / 16 + 1 / 4)
    assert by_id["A"].contribution == pytest.approx(1 / 2)


def test_totals_are_the_sums_and_the_ratios_of_the_sums():
    total = totals(results("2025-Q4").values())
    ev = 0 + 200000 + 212500 + 60000 + 5000
    pv = 0 + 200000 + 850000 * 0.45 + 120000 * 183 / 364 + 50000
    assert (total.budget, total.actual_cost) == (1410000, 560000)
    assert (total.earned_value, total.planned_value) == pytest.approx((ev, pv))
    assert (total.cpi, total.spi, total.eac) == pytest.approx((ev / 560000, ev / pv, 1410000 * 560000 / ev))
    assert total.progress == pytest.approx(ev / 1410000 * 100)


# --- properties -------------------------------------------------------------------------

days = st.dates(date(2024, 1, 1), date(2028, 12, 31))


@st.composite
def initiatives(draw):
    start = draw(days)
    due = start + timedelta(days=draw(st.integers(0, 900)))
    first, last = CALENDAR.quarter_of(start), CALENDAR.quarter_of(due)
    quarters = draw(st.lists(st.integers(first.index, last.index), unique=True, max_size=6).map(sorted))
    percents = sorted(draw(st.lists(st.floats(0, 100), min_size=len(quarters), max_size=len(quarters))))
    plan = tuple((Quarter.from_index(q), p) for q, p in zip(quarters, percents))
    budget = draw(st.floats(1, 1e9))
    return initiative("X", ("F1",), budget=budget, start=start, due=due, plan=plan)


@settings(max_examples=150, deadline=None)
@given(initiatives(), days, days)
def test_planned_value_never_falls_and_stays_within_the_budget(subject, day1, day2):
    early, late = sorted((day1, day2))
    low, high = (planned_fraction(subject, CALENDAR, d) for d in (early, late))
    assert 0 <= low <= high <= 1 + 1e-12
    assert planned_fraction(subject, CALENDAR, subject.due) == pytest.approx(1) or subject.plan


@settings(max_examples=100, deadline=None)
@given(initiatives(), st.lists(st.tuples(days, st.floats(0, 1e7), st.floats(0, 100)), max_size=8), days)
def test_earned_value_never_exceeds_the_budget(subject, data, day):
    rows = [InitiativeActual("X", str(d), CALENDAR.quarter_of(d), d, spend, progress, HERE) for d, spend, progress in data]
    result = initiative_results((subject,), rows, CONFIG, OBJECTIVES, CALENDAR.quarter_of(day), {})[0]
    f = result.figures
    assert f.earned_value is None if f.progress is None else 0 <= f.earned_value <= subject.budget
    assert 0 <= f.planned_value <= subject.budget * (1 + 1e-12)
    assert f.eac == (pytest.approx(subject.budget / f.cpi) if f.cpi else None)


objective_sets = st.lists(
    st.tuples(st.sampled_from(["financial", "customer", "internal"]), st.floats(0.1, 10),
              st.lists(st.sampled_from(["G1", "G2", "G3"]), max_size=3)),
    min_size=1, max_size=6,
)


@settings(max_examples=100, deadline=None)
@given(objective_sets, st.lists(st.tuples(st.floats(1, 1e8), st.lists(st.integers(0, 5), min_size=1, max_size=4)), max_size=8))
def test_money_per_goal_adds_up_to_the_budgets(specs, budgets):
    objectives = [Objective(f"O{n}", "o", p, HERE, weight=w, serves=tuple(g)) for n, (p, w, g) in enumerate(specs)]
    subjects = [initiative(f"I{n}", tuple(f"O{k % len(objectives)}" for k in ks), budget=b)
                for n, (b, ks) in enumerate(budgets)]
    goals, unaligned = money_per_goal(subjects, objectives)
    assert math.fsum(goals.values()) + unaligned == pytest.approx(math.fsum(b for b, _ in budgets))
    assert math.fsum(objective_shares(CONFIG, objectives).values()) == pytest.approx(1)
