"""Before and after an event (SPEC 20): means of up to 4 quarterly actuals on each
side, as of a quarter; "not enough data" below 2 quarters on a side."""

from __future__ import annotations

from math import fsum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bscgen.before_after import before_after
from bscgen.periods import Quarter

Q = Quarter.parse


def values(**by_quarter: float) -> dict[Quarter, float]:
    return {Q(name.replace("_", "-")): value for name, value in by_quarter.items()}


SERIES = values(**{"2025_Q1": 60, "2025_Q2": 62, "2025_Q3": 64, "2025_Q4": 66, "2026_Q1": 70,
                   "2026_Q2": 71, "2026_Q3": 72, "2026_Q4": 73, "2027_Q1": 74})


def test_a_day_compares_the_four_quarters_on_each_side_by_hand():
    result = before_after(Q("2026-Q1"), Q("2026-Q1"), Q("2027-Q1"), SERIES)
    # before: 2025-Q1..Q4 = (60 + 62 + 64 + 66) / 4 = 63; after: 2026-Q2..2027-Q1 = (71 + 72 + 73 + 74) / 4 = 72.5
    assert result.before == (Q("2025-Q1"), Q("2025-Q2"), Q("2025-Q3"), Q("2025-Q4"))
    assert (result.before_mean, result.after_mean) == (63, 72.5)
    assert result.difference == pytest.approx(9.5)


def test_a_period_compares_before_its_first_and_after_its_last_quarter():
    result = before_after(Q("2025-Q3"), Q("2026-Q1"), Q("2027-Q1"), SERIES)
    # before: 2025-Q1, Q2 = 61; after: 2026-Q2..2027-Q1 = 72.5; the period's own quarters are left out
    assert (result.before_mean, result.after_mean, result.difference) == (61, 72.5, 11.5)


def test_only_quarters_up_to_the_page_quarter_count():
    result = before_after(Q("2026-Q1"), Q("2026-Q1"), Q("2026-Q3"), SERIES)
    assert result.after == (Q("2026-Q2"), Q("2026-Q3")) and result.after_mean == 71.5


def test_one_quarter_on_a_side_is_not_enough_data():
    result = before_after(Q("2026-Q1"), Q("2026-Q1"), Q("2026-Q2"), SERIES)
    assert result.after == (Q("2026-Q2"),)
    assert result.after_mean is None and not result.enough and result.difference is None
    assert result.before_mean == 63  # the side that has enough is still known


def test_quarters_without_a_value_are_skipped_not_counted():
    gappy = {q: v for q, v in SERIES.items() if q not in (Q("2025-Q2"), Q("2025-Q3"))}
    result = before_after(Q("2026-Q1"), Q("2026-Q1"), Q("2027-Q1"), gappy)
    assert result.before == (Q("2025-Q1"), Q("2025-Q4")) and result.before_mean == 63


quarters = st.integers(min_value=2020 * 4, max_value=2030 * 4).map(Quarter.from_index)
series = st.dictionaries(quarters, st.floats(-1e6, 1e6, allow_nan=False), max_size=30)


@given(series, quarters, st.integers(0, 6), st.integers(0, 12))
def test_each_side_is_the_mean_of_at_most_four_neighbouring_quarters_up_to_the_page(values, first, length, ahead):
    last = first.shift(length)
    as_of = last.shift(ahead)
    result = before_after(first, last, as_of, values)
    for side, mean in ((result.before, result.before_mean), (result.after, result.after_mean)):
        assert len(side) <= 4 and all(q in values and q <= as_of for q in side)
        assert (mean is None) == (len(side) < 2)
        if mean is not None:
            assert mean == pytest.approx(fsum(values[q] for q in side) / len(side))
            assert min(values[q] for q in side) - 1e-6 <= mean <= max(values[q] for q in side) + 1e-6
    assert all(first.shift(-4) <= q < first for q in result.before)
    assert all(last < q <= last.shift(4) for q in result.after)
    assert (result.difference is None) == (not result.enough)
