import pytest

from bscgen.compute import compute_history, latest_quarter
from bscgen.periods import Quarter
from bscgen.tree import load_scorecard as load_project
from tests.helpers import write_project

KPIS = """\
kpis:
  - {id: cost, name: Cost, objective: F1, direction: down, baseline: 200, target: 100, aggregate: sum,
     targets: {2026: 90, 2026-Q2: 80}}
  - {id: csat, name: CSAT, objective: C1, baseline: 50, target: 90, aggregate: mean, weight: 3}
  - {id: worst, name: Worst availability, objective: C1, baseline: 99, target: 99.9, aggregate: min, weight: 0}
  - {id: peak, name: Peak load, objective: C1, direction: range, target: [40, 70], baseline: [10, 95], aggregate: max}
  - {id: survey, name: Survey, objective: C1, target: 80, carry_forward: 2}
"""

LONG = """\
period,value,kpi,note
2025-10,30,cost,
2025-11,40,cost,
2025-12-15,50,cost,december
2026-01,45,cost,
2026-03,50,cost,
2026-04,20,cost,
2025-11,60,csat,
2025-12,80,csat,
2026-02,90,csat,
2025-12,99.5,worst,
2026-01,99.95,worst,
2026-02,99.2,worst,
2025-10,50,peak,
2025-11,80,peak,spike
2026-02,60,peak,
2025-Q4,70,survey,annual survey
"""

WIDE = """\
period,csat,survey
2026-Q2,88,
"""


@pytest.fixture
def history(tmp_path):
    root = write_project(tmp_path / "p", KPIS, {"long.csv": LONG, "more/wide.csv": WIDE})
    scorecard, warnings = load_project(root)
    assert warnings == []
    return {str(r.quarter): r for r in compute_history(scorecard, latest_quarter(scorecard))}


def kpi(result, kpi_id):
    return next(k for p in result.perspectives for o in p.objectives for k in o.kpis if k.kpi.id == kpi_id)


def objective(result, objective_id):
    return next(o for p in result.perspectives for o in p.objectives if o.objective.id == objective_id)


def test_periods_run_from_first_data_to_latest(history):
    assert list(history) == ["2025-Q4", "2026-Q1", "2026-Q2"]
    assert [str(q) for q in history["2026-Q2"].periods] == ["2025-Q4", "2026-Q1", "2026-Q2"]


def test_sum_and_per_period_targets(history):
    q4, q1, q2 = (kpi(history[q], "cost") for q in ("2025-Q4", "2026-Q1", "2026-Q2"))
    assert (q4.actual, q4.target) == (120, 100)  # default target
    assert q4.score == pytest.approx(100 * (120 - 200) / (100 - 200))
    assert (q1.actual, q1.target) == (95, 90)  # fiscal-year target
    assert (q2.actual, q2.target) == (20, 80)  # quarter target wins
    assert q2.score == 100
    assert q4.note == "december"


def test_mean_min_max(history):
    assert kpi(history["2025-Q4"], "csat").actual == 70
    assert kpi(history["2025-Q4"], "worst").actual == 99.5
    assert kpi(history["2026-Q1"], "worst").actual == 99.2
    peak = kpi(history["2025-Q4"], "peak")
    assert peak.actual == 80 and peak.note == "spike"
    assert peak.score == pytest.approx(100 * (95 - 80) / (95 - 70))


def test_wide_csv_values(history):
    assert kpi(history["2026-Q2"], "csat").actual == 88


def test_carry_forward_is_stale_and_limited(history):
    q4, q1, q2 = (kpi(history[q], "survey") for q in ("2025-Q4", "2026-Q1", "2026-Q2"))
    assert (q4.actual, q4.stale) == (70, False)
    assert (q1.actual, q1.stale, q1.note) == (70, True, "annual survey")
    assert (q2.actual, q2.stale) == (70, True)
    assert q1.score == pytest.approx(87.5)


def test_no_value_means_no_score(history):
    peak = kpi(history["2026-Q2"], "peak")
    assert (peak.actual, peak.score, peak.status, peak.stale) == (None, None, "none", False)


def test_roll_ups_and_previous_scores(history):
    q1 = history["2026-Q1"]
    c1 = objective(q1, "C1")
    scores = {k.kpi.id: k.score for k in c1.kpis}
    expected = (scores["csat"] * 3 + scores["worst"] * 0 + scores["peak"] + scores["survey"]) / 5
    assert c1.score == pytest.approx(expected)
    assert c1.previous_score == objective(history["2025-Q4"], "C1").score
    assert history["2025-Q4"].previous_score is None
    assert q1.previous_score == history["2025-Q4"].score
    assert kpi(q1, "cost").previous_score == kpi(history["2025-Q4"], "cost").score
    perspective_scores = [p.score for p in q1.perspectives]
    assert q1.score == pytest.approx(sum(perspective_scores) / 2)


def test_later_data_does_not_change_earlier_quarters(tmp_path):
    base = write_project(tmp_path / "a", KPIS, {"long.csv": LONG})
    later = write_project(tmp_path / "b", KPIS, {"long.csv": LONG + "2026-05,99,csat,\n2026-06,1,survey,\n"})
    before = load_project(base)[0]
    after = load_project(later)[0]
    q1 = Quarter(2026, 1)
    assert compute_history(before, q1) == compute_history(after, q1)
    assert latest_quarter(after) == Quarter(2026, 2)


def test_last_takes_latest_date_whatever_the_row_order(tmp_path):
    kpis = "kpis:\n  - {id: staff, name: Staff, objective: F1, target: 10}\n  - {id: x, name: X, objective: C1, target: 1}\n"
    csv = "kpi,period,value\nstaff,2026-03,9\nstaff,2026-01-15,5\nstaff,2026-02,7\nx,2026-01,1\n"
    scorecard = load_project(write_project(tmp_path / "p", kpis, {"a.csv": csv}))[0]
    assert kpi(compute_history(scorecard, Quarter(2026, 1))[-1], "staff").actual == 9
