from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bscgen.model import Bands
from bscgen.scoring import combine, kpi_score, linear_score, range_score, roll_up, status_of, value_at_score

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


# --- up and down ---------------------------------------------------------------

def test_up_linear_between_baseline_and_target():
    assert linear_score(50, target=100, baseline=0, cap=100) == 50
    assert linear_score(99.5, target=99.9, baseline=99.0, cap=100) == pytest.approx(100 * 0.5 / 0.9)


def test_down_uses_the_same_formula():
    # SPEC example: cost 4800 with baseline 5200 and target 4500
    assert linear_score(4800, target=4500, baseline=5200, cap=100) == pytest.approx(100 * 400 / 700)


def test_clamped_at_zero_and_cap():
    assert linear_score(-10, target=100, baseline=0, cap=100) == 0
    assert linear_score(150, target=100, baseline=0, cap=100) == 100
    assert linear_score(150, target=100, baseline=0, cap=120) == 120
    assert linear_score(110, target=100, baseline=0, cap=120) == pytest.approx(110)
    assert linear_score(6000, target=4500, baseline=5200, cap=100) == 0  # worse than baseline
    assert linear_score(4000, target=4500, baseline=5200, cap=120) == 120  # 171 before the cap


def test_negative_values():
    # budget variance: baseline -10, target 0
    assert linear_score(-5, target=0, baseline=-10, cap=100) == 50
    assert linear_score(-12.5, target=0, baseline=-10, cap=100) == 0


# --- range ---------------------------------------------------------------------

def test_range_inside_is_100():
    for actual in (80, 85, 90):
        assert range_score(actual, (80, 90), (50, 100)) == 100


def test_range_below_and_above():
    assert range_score(65, (80, 90), (50, 100)) == 50
    assert range_score(95, (80, 90), (50, 100)) == 50
    assert range_score(50, (80, 90), (50, 100)) == 0
    assert range_score(100, (80, 90), (50, 100)) == 0


def test_range_clamped_beyond_the_baseline_and_never_above_100():
    assert range_score(20, (80, 90), (50, 100)) == 0
    assert range_score(200, (80, 90), (50, 100)) == 0
    assert kpi_score(85, "range", (80, 90), (50, 100), cap=150) == 100


def test_range_point_target():
    assert range_score(2, (2, 2), (0, 4)) == 100
    assert range_score(1, (2, 2), (0, 4)) == 50


def test_no_actual_no_score():
    assert kpi_score(None, "up", 100, 0, 100) is None


# --- status --------------------------------------------------------------------

def test_status_bands_edges():
    bands = Bands(90, 60)
    assert status_of(90, bands) == "green"
    assert status_of(89.999, bands) == "amber"
    assert status_of(60, bands) == "amber"
    assert status_of(59.9, bands) == "red"
    assert status_of(0, bands) == "red"
    assert status_of(None, bands) == "none"
    assert status_of(92, Bands(95, 70)) == "amber"


# --- roll-up -------------------------------------------------------------------

def test_roll_up_weighted_mean():
    assert roll_up([(80, 1), (50, 2)]) == 60


def test_roll_up_leaves_out_nulls_and_renormalises():
    assert roll_up([(80, 1), (None, 5), (50, 1)]) == 65


def test_roll_up_all_null_or_zero_weight():
    assert roll_up([]) is None
    assert roll_up([(None, 1), (None, 2)]) is None
    assert roll_up([(80, 0), (None, 1)]) is None


def test_roll_up_weight_zero_item_does_not_count():
    assert roll_up([(80, 1), (0, 0)]) == 80


# --- aggregation within a quarter --------------------------------------------------

VALUES = [(date(2026, 7, 31), 10.0), (date(2026, 9, 30), 4.0), (date(2026, 8, 31), 7.0)]


@pytest.mark.parametrize(
    "aggregate, expected", [("last", 4.0), ("sum", 21.0), ("mean", 7.0), ("min", 4.0), ("max", 10.0)]
)
def test_combine(aggregate, expected):
    assert combine(VALUES, aggregate) == expected


# --- properties ----------------------------------------------------------------

@st.composite
def up_or_down(draw):
    baseline = draw(finite)
    target = draw(finite.filter(lambda t: abs(t - baseline) > 1e-6))
    cap = draw(st.floats(min_value=1, max_value=500))
    return target, baseline, cap


@given(up_or_down(), finite)
def test_score_within_zero_and_cap(kpi, actual):
    target, baseline, cap = kpi
    assert 0 <= linear_score(actual, target, baseline, cap) <= cap


@given(up_or_down(), finite, finite)
def test_score_monotone_in_actual(kpi, a, b):
    target, baseline, cap = kpi
    low, high = sorted((a, b))
    s_low, s_high = linear_score(low, target, baseline, cap), linear_score(high, target, baseline, cap)
    if target > baseline:  # up: more is better
        assert s_low <= s_high
    else:  # down: less is better
        assert s_low >= s_high


@st.composite
def range_kpi(draw):
    points = sorted(draw(st.lists(finite, min_size=4, max_size=4, unique=True)))
    low0, low, high, high0 = points
    if draw(st.booleans()):
        high = low
    return (low, high), (low0, high0)


@given(range_kpi(), finite)
def test_range_score_within_zero_and_100(kpi, actual):
    target, baseline = kpi
    score = range_score(actual, target, baseline)
    assert 0 <= score <= 100
    if target[0] <= actual <= target[1]:
        assert score == 100


@given(st.lists(st.tuples(st.one_of(st.none(), st.floats(0, 120)), st.floats(0, 10)), max_size=12))
def test_roll_up_between_children(children):
    result = roll_up(children)
    counted = [score for score, weight in children if score is not None and weight > 0]
    if result is None:
        assert sum(w for s, w in children if s is not None) == 0
    else:
        assert min(counted) - 1e-9 <= result <= max(counted) + 1e-9


# --- the inverse: the actual that scores a given score ---------------------------

moderate = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(moderate, moderate.filter(lambda d: abs(d) > 1e-3), st.floats(min_value=0, max_value=100))
def test_value_at_score_round_trips_up_and_down(baseline, span, score):
    target, cap = baseline + span, 100
    direction = "up" if target > baseline else "down"
    actual = value_at_score(score, direction, target, baseline)
    assert kpi_score(actual, direction, target, baseline, cap) == pytest.approx(score, abs=1e-6)


@given(st.lists(moderate, min_size=4, max_size=4, unique=True), st.floats(min_value=0, max_value=99.999))
def test_value_at_score_round_trips_range(points, score):
    low0, low, high, high0 = sorted(points)
    if min(low - low0, high0 - high) < 1e-3:
        return
    target, baseline = (low, high), (low0, high0)
    below, above = value_at_score(score, "range", target, baseline)
    assert below <= target[0] and above >= target[1]
    for actual in (below, above):
        assert kpi_score(actual, "range", target, baseline, 100) == pytest.approx(score, abs=1e-6)


def test_value_at_score_examples():
    assert value_at_score(50, "down", 4500, 5200) == 4850
    assert value_at_score(90, "up", 100, 0) == 90
    assert value_at_score(0, "range", (40, 60), (20, 80)) == (20, 80)
