"""The year-end projection (SPEC 13): cases worked by hand, properties, and
agreement with SciPy's t distribution and statsmodels' OLS prediction intervals."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bscgen.compute import compute_history, latest_quarter
from bscgen.model import Kpi
from bscgen.periods import Quarter
from bscgen.problems import Source
from bscgen.tree import load_scorecard as load_project
from bscgen.projection import chance_of_meeting, incomplete_beta, predict, project, t_cdf, t_quantile, year_end
from tests.helpers import write_project

Q = Quarter.parse


def kpi(direction="up", target=0.0, baseline=None, targets=None) -> Kpi:
    if baseline is None:
        baseline = {"up": None, "down": 1e9, "range": (-1e9, 1e9)}[direction]
    return Kpi("k", "K", "F1", Source("data/kpis.yaml", 1), direction=direction, target=target, baseline=baseline,
               targets=targets or {})


def series(first: str, *values: float) -> dict[Quarter, float]:
    """Consecutive quarters from `first`; None leaves a quarter without a value."""
    start = Q(first)
    return {start.shift(i): v for i, v in enumerate(values) if v is not None}


def t2_cdf(t: float) -> float:
    """Student's t with 2 degrees of freedom has a closed form: the hand-worked reference."""
    return 0.5 + t / (2 * math.sqrt(2 + t * t))


# --- by hand ------------------------------------------------------------------------


def test_the_projected_quarter_is_the_fiscal_years_last_or_the_next_ones():
    assert year_end(Q("2026-Q1")) == year_end(Q("2026-Q3")) == Q("2026-Q4")
    assert year_end(Q("2026-Q4")) == Q("2027-Q4")


def test_a_perfect_line_projects_a_single_value():
    values = series("2025-Q1", 10, 12, 14, 16)  # +2 a quarter; 2025-Q4 is the year's last quarter
    p = project(kpi(target=24), Q("2025-Q4"), values)
    assert (p.quarter, p.quarters_used, p.last_quarter, p.last_value) == (Q("2026-Q4"), 4, Q("2025-Q4"), 16)
    assert p.value == pytest.approx(24) and p.low == p.high == p.value
    assert p.probability == 1  # exactly on the target meets it
    assert project(kpi(target=24.5), Q("2025-Q4"), values).probability == 0
    assert project(kpi("down", target=24, baseline=30), Q("2025-Q4"), values).probability == 1
    assert project(kpi("down", target=23.5, baseline=30), Q("2025-Q4"), values).probability == 0


def test_decimal_fractions_on_a_line_count_as_a_line():
    p = project(kpi(target=0.9), Q("2026-Q2"), series("2025-Q3", 0.1, 0.2, 0.3, 0.4))
    assert p.low == p.high == p.value == pytest.approx(0.6) and p.probability == 0
    assert project(kpi(target=0.6), Q("2026-Q2"), series("2025-Q3", 0.1, 0.2, 0.3, 0.4)).probability == 1


def test_a_flat_series():
    values = series("2026-Q1", 5, 5, 5, 5, 5)
    p = project(kpi(target=5), Q("2027-Q1"), values)
    assert (p.quarter, p.value, p.low, p.high, p.probability) == (Q("2027-Q4"), 5, 5, 5, 1)
    assert project(kpi(target=6), Q("2027-Q1"), values).probability == 0
    assert project(kpi("down", target=5, baseline=9), Q("2027-Q1"), values).probability == 1
    assert project(kpi("range", target=(4, 6), baseline=(0, 10)), Q("2027-Q1"), values).probability == 1
    assert project(kpi("range", target=(5.5, 6), baseline=(0, 10)), Q("2027-Q1"), values).probability == 0


# Four points with noise, y = 1, 3, 2, 4 at i = 0..3 (2025-Q3 to 2026-Q2), projected
# to 2026-Q4 (i = 5): mean i 1.5, mean y 2.5, Sxx 5, Sxy 4, so b = 0.8 and a = 1.3;
# fitted 1.3, 2.1, 2.9, 3.7, residuals -0.3, 0.9, -0.9, 0.3, SSE 1.8, s² = 1.8 / 2 = 0.9;
# at i = 5: 1.3 + 0.8 * 5 = 5.3, se² = 0.9 * (1 + 1/4 + 3.5² / 5) = 3.33;
# t(0.9, 2 df) = 0.8 / sqrt(0.18) (the closed form for 2 df).
NOISY = series("2025-Q3", 1, 3, 2, 4)
AS_OF = Q("2026-Q2")
VALUE, SE, T90 = 5.3, math.sqrt(3.33), 0.8 / math.sqrt(0.18)


def test_four_noisy_points_by_hand():
    p = project(kpi(target=7), AS_OF, NOISY)
    assert p.quarter == Q("2026-Q4") and p.quarters_used == 4 and p.rough
    assert p.value == pytest.approx(VALUE, abs=1e-12)
    assert (p.low, p.high) == pytest.approx((VALUE - T90 * SE, VALUE + T90 * SE), abs=1e-12)
    assert (p.low, p.high) == pytest.approx((1.859070, 8.740930), abs=1e-6)
    assert p.probability == pytest.approx(1 - t2_cdf((7 - VALUE) / SE), abs=1e-12)
    assert p.probability == pytest.approx(0.224947, abs=1e-6)
    assert project(kpi(target=VALUE), AS_OF, NOISY).probability == pytest.approx(0.5, abs=1e-12)


def test_down_kpis_count_the_chance_below_the_target():
    p = project(kpi("down", target=7, baseline=10), AS_OF, NOISY)
    assert p.probability == pytest.approx(t2_cdf((7 - VALUE) / SE), abs=1e-12)
    assert p.probability == pytest.approx(0.775053, abs=1e-6)


def test_range_kpis_inside_and_outside_the_band():
    inside = project(kpi("range", target=(3, 8), baseline=(0, 10)), AS_OF, NOISY)
    assert inside.probability == pytest.approx(t2_cdf((8 - VALUE) / SE) - t2_cdf((3 - VALUE) / SE), abs=1e-12)
    outside = project(kpi("range", target=(8, 10), baseline=(0, 12)), AS_OF, NOISY)
    assert outside.probability == pytest.approx(t2_cdf((10 - VALUE) / SE) - t2_cdf((8 - VALUE) / SE), abs=1e-12)
    assert outside.probability < 0.5 < inside.probability
    assert outside.value < 8  # the projection itself lies outside the range


def test_the_target_is_the_projected_quarters():
    targets = {Q("2026-Q4"): 9, 2026: 8}
    p = project(kpi(target=7, targets=targets), AS_OF, NOISY)
    assert p.target == 9 and p.probability == pytest.approx(1 - t2_cdf((9 - VALUE) / SE), abs=1e-12)


def test_at_least_four_actuals_of_the_eight_quarters_up_to_q():
    assert project(kpi(), Q("2026-Q3"), series("2025-Q3", 1, 2, None, 3)) is None
    # 2024-Q3 is nine quarters before 2026-Q3: outside the window
    assert project(kpi(), Q("2026-Q3"), series("2024-Q3", 1, None, None, None, None, None, None, 2, 3, 4)) is None
    # later quarters are ignored: a quarter's projection is "as of" it
    assert project(kpi(), Q("2026-Q2"), series("2025-Q4", 1, 2, 3, 4)) is None
    used = project(kpi(), Q("2026-Q4"), series("2024-Q1", *range(12)))
    assert used.quarters_used == 8 and not used.rough and used.value == pytest.approx(15)


KPIS = """\
kpis:
  - {id: cost, name: Cost, objective: F1, direction: down, baseline: 30, target: 20, targets: {2027: 16}}
  - {id: csat, name: CSAT, objective: C1, baseline: 0, target: 80, carry_forward: 2}
"""
APRIL = """\
title: Test Scorecard
calendar: {fiscal_year_start: 4, fiscal_year_named_by: end}
perspectives:
  - {id: financial, title: Financial}
  - {id: customer, title: Customer}
"""
# April 2025 falls in 2026-Q1; January to March 2026 is 2026-Q4, the year's last.
MONTHS = """\
kpi,period,value
cost,2025-04,25
cost,2025-07,24
cost,2025-10,23
cost,2026-02,22
cost,2026-05,21
csat,2025-04,60
csat,2025-07,62
csat,2025-10,64
"""


def test_a_fiscal_year_starting_in_april(tmp_path):
    scorecard, _ = load_project(write_project(tmp_path / "p", KPIS, {"a.csv": MONTHS}, config=APRIL))
    results = {str(r.quarter): {k.kpi.id: k for p in r.perspectives for o in p.objectives for k in o.kpis}
               for r in compute_history(scorecard, latest_quarter(scorecard))}
    assert list(results) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]
    assert results["2026-Q3"]["cost"].projection is None
    last = results["2026-Q4"]["cost"].projection  # as of January to March 2026
    assert (last.quarter, last.value, last.target, last.probability) == (Q("2027-Q4"), pytest.approx(18), 16, 0)
    first = results["2027-Q1"]["cost"].projection  # as of April to June 2026
    assert (first.quarter, first.quarters_used, first.value) == (Q("2027-Q4"), 5, pytest.approx(18))
    # carried-forward values are not actuals: three actuals, no projection, and the score stands
    csat = results["2027-Q1"]["csat"]
    assert csat.stale and csat.projection is None and results["2026-Q4"]["csat"].score == pytest.approx(80)


# --- properties -----------------------------------------------------------------------

values = st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), values), min_size=8, max_size=8).filter(lambda v: sum(x is not None for x in v) >= 4),
       values, st.floats(0, 1e6), st.sampled_from(["2026-Q1", "2026-Q3", "2026-Q4"]))
def test_probability_interval_and_target_order(observed, target, step, as_of):
    q = Q(as_of)
    actuals = series(str(q.shift(-7)), *observed)
    up, higher = project(kpi(target=target), q, actuals), project(kpi(target=target + step), q, actuals)
    assert 0 <= up.probability <= 1 and 0 <= higher.probability <= 1
    assert higher.probability <= up.probability + 1e-12  # a higher target is harder to reach
    assert up.low <= up.value <= up.high
    down = project(kpi("down", target=target, baseline=2e6), q, actuals)
    band = project(kpi("range", target=(target, target + step), baseline=(-2e6, 2e6)), q, actuals)
    assert 0 <= down.probability <= 1 and 0 <= band.probability <= 1
    if up.low < up.high:  # with spread, up and down share every outcome but Y = target
        assert up.probability + down.probability == pytest.approx(1, abs=1e-12)


# --- agreement with SciPy and statsmodels ---------------------------------------------

DFS = range(2, 7)  # n - 2 for n = 4 to 8 quarters


def test_t_distribution_agrees_with_scipy():
    stats = pytest.importorskip("scipy.stats")
    special = pytest.importorskip("scipy.special")
    ts = [i / 100 for i in range(-3000, 3001, 7)] + [1e-12, -1e-9, 0.0, 1e3, -1e4, 1e8]
    for df in DFS:
        assert max(abs(t_cdf(t, df) - stats.t.cdf(t, df)) for t in ts) < 1e-9
        ps = [i / 100 for i in range(1, 100)] + [0.9, 0.001, 0.999]
        assert max(abs(t_quantile(p, df) - stats.t.ppf(p, df)) for p in ps) < 1e-9
        xs = [i / 200 for i in range(201)]
        assert max(abs(incomplete_beta(df / 2, 0.5, x) - special.betainc(df / 2, 0.5, x)) for x in xs) < 1e-9


SERIES = [
    [1, 3, 2, 4],
    [78.6, 80.2, 80.7, 82.6, 82.1, 85.2, 85.0, 87.4],
    [301200, 298400, None, 305100, 299800, 310000, 316500],
    [0.0012, 0.0011, 0.0015, None, 0.0013, 0.0010],
    [-3.4, 2.6, -1.2, 0.8, 1.5, -0.6, 1.9, 3.4],
]


@pytest.mark.parametrize("observed", SERIES, ids=lambda s: f"{len(s)} quarters")
def test_projection_agrees_with_statsmodels(observed):
    sm = pytest.importorskip("statsmodels.api")
    stats = pytest.importorskip("scipy.stats")
    as_of = Q("2026-Q2")
    actuals = series(str(as_of.shift(1 - len(observed))), *observed)
    target = sorted(actuals.values())[len(actuals) // 2]
    p = project(kpi(target=target), as_of, actuals)
    xs = [q.index - as_of.index for q in sorted(actuals)]
    fit = sm.OLS([actuals[q] for q in sorted(actuals)], sm.add_constant(xs)).fit()
    frame = fit.get_prediction([[1.0, Q("2026-Q4").index - as_of.index]]).summary_frame(alpha=0.2)
    scale = max(map(abs, actuals.values()))
    assert p.value == pytest.approx(frame["mean"][0], abs=1e-9 * scale)
    assert p.low == pytest.approx(frame["obs_ci_lower"][0], abs=1e-9 * scale)
    assert p.high == pytest.approx(frame["obs_ci_upper"][0], abs=1e-9 * scale)
    spread = math.sqrt(frame["mean_se"][0] ** 2 + fit.scale)
    expected = stats.t.sf((target - frame["mean"][0]) / spread, fit.df_resid)
    assert p.probability == pytest.approx(expected, abs=1e-9)


def test_predict_matches_the_centred_formula():
    value, spread = predict([0, 1, 2, 3], [1, 3, 2, 4], 5)
    assert value == pytest.approx(VALUE) and spread == pytest.approx(SE)
    assert chance_of_meeting(VALUE, 0.0, 2, "up", VALUE) == 1


# --- on the site -----------------------------------------------------------------------


def test_the_example_shows_and_exports_the_projection(example_site):
    data = json.loads((example_site / "scorecard.json").read_text())
    csat = next(k for p in data["perspectives"] for o in p["objectives"] for k in o["kpis"] if k["id"] == "csat")
    assert list(csat["projection"]) == ["period", "value", "low", "high", "probability"]
    assert csat["projection"]["period"] == "2026-Q4"
    page = (example_site / "kpis" / "csat" / "index.html").read_text()
    assert "Projected for 2026 Q4: 88.2% (80% interval 86.6 to 89.8%), 8% chance of reaching the target 90.0%." in page
    assert "fitted to the actuals of 8 quarters." in page and "rough guide" not in page
    # as of 2025-Q2 only four quarters had actuals: the page says to read it with care
    early = (example_site / "2025-Q2" / "kpis" / "csat" / "index.html").read_text()
    assert "fitted to the actuals of 4 quarters; with so few quarters this is only a rough guide" in early
    assert "Year-end projection" in (example_site / "briefing" / "index.html").read_text()
