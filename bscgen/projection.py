"""The year-end projection (SPEC section 13) as pure functions.

A straight line fitted by ordinary least squares through a KPI's recent
quarterly actuals, carried to the last quarter of the fiscal year, with an
80 % prediction interval and the probability of meeting that quarter's
target, both under Student's t distribution. A projection is shown beside a
score and never changes one.

The t distribution is computed here, through the regularised incomplete
beta function, so a build needs no SciPy (the tests hold it against SciPy).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from bscgen.model import Bound, Kpi
from bscgen.periods import Quarter

WINDOW = 8  # the quarters up to q whose actuals a projection may use
MIN_QUARTERS = 4  # fewer actuals than this in the window: no projection
FEW_QUARTERS = 6  # fewer actuals than this: the page warns the line is rough
LEVEL = 0.8  # of the prediction interval
# Residuals smaller than this share of the largest value are rounding, not
# scatter: a series on a perfect line then projects to a single value.
EXACT = 1e-9


@dataclass(frozen=True)
class Projection:
    """A KPI's projected value for the last quarter of a fiscal year."""

    quarter: Quarter  # the quarter projected to
    value: float
    low: float  # the 80 % prediction interval
    high: float
    probability: float  # of meeting `target`, 0 to 1
    target: Bound  # the KPI's target for `quarter`
    quarters_used: int  # actuals the line was fitted to
    last_quarter: Quarter  # the latest of them, where the projected line starts
    last_value: float

    @property
    def rough(self) -> bool:
        """Fitted to so few quarters that one more actual may move it a lot."""
        return self.quarters_used < FEW_QUARTERS

    @property
    def likely_to_miss(self) -> bool:
        """Less than an even chance of meeting the target."""
        return self.probability < 0.5


def year_end(quarter: Quarter) -> Quarter:
    """The quarter projected to: the last of q's fiscal year, or of the next one when q is the last."""
    return Quarter(quarter.fiscal_year + (quarter.number == 4), 4)


def project(kpi: Kpi, quarter: Quarter, values: Mapping[Quarter, float]) -> Projection | None:
    """The projection as of `quarter` from the KPI's quarterly actuals (no carried-forward
    values): those of the WINDOW quarters up to it, later ones ignored."""
    window = sorted((q, v) for q, v in values.items() if 0 <= quarter.index - q.index < WINDOW)
    if len(window) < MIN_QUARTERS:
        return None
    horizon = year_end(quarter)
    value, spread = predict([q.index for q, _ in window], [v for _, v in window], horizon.index)
    target = kpi.target_for(horizon)
    margin = spread * t_quantile((1 + LEVEL) / 2, len(window) - 2)
    return Projection(
        quarter=horizon, value=value, low=value - margin, high=value + margin,
        probability=chance_of_meeting(value, spread, len(window) - 2, kpi.direction, target),
        target=target, quarters_used=len(window), last_quarter=window[-1][0], last_value=window[-1][1],
    )


def predict(xs: list[int], ys: list[float], x: int) -> tuple[float, float]:
    """OLS line through (xs, ys) at x: (the predicted value, the standard error of a new observation there).

    The standard error is 0 when the points lie on the line.
    """
    n = len(xs)
    x_mean, y_mean = math.fsum(xs) / n, math.fsum(ys) / n
    # Centred sums: quarter indexes are ~8000, and centring keeps the line exact.
    sxx = math.fsum((xi - x_mean) ** 2 for xi in xs)
    slope = math.fsum((xi - x_mean) * (yi - y_mean) for xi, yi in zip(xs, ys)) / sxx
    residuals = [yi - (y_mean + slope * (xi - x_mean)) for xi, yi in zip(xs, ys)]
    value = y_mean + slope * (x - x_mean)
    if max(map(abs, residuals)) <= EXACT * max(map(abs, ys)):
        return value, 0.0
    variance = math.fsum(r * r for r in residuals) / (n - 2)
    return value, math.sqrt(variance * (1 + 1 / n + (x - x_mean) ** 2 / sxx))


def chance_of_meeting(value: float, spread: float, df: int, direction: str, target: Bound) -> float:
    """P(Y meets the target) for Y = value + spread * T with T ~ t(df).

    Up: P(Y >= target); down: P(Y <= target); range: P(low <= Y <= high).
    With no spread, Y is the value itself: 1 or 0 (a value on the target meets it).
    """
    if direction == "range":
        low, high = target
        # Two nearly equal CDFs can differ by a rounding error below zero.
        return max(0.0, _below(high, value, spread, df) - _below(low, value, spread, df, strictly=True))
    if direction == "down":
        return _below(target, value, spread, df)
    return 1 - _below(target, value, spread, df, strictly=True)


def _below(bound: float, value: float, spread: float, df: int, strictly: bool = False) -> float:
    """P(Y <= bound), or P(Y < bound) with `strictly` (they differ only without spread)."""
    if spread == 0:
        on_bound = abs(bound - value) <= EXACT * max(abs(bound), abs(value))
        return float(value < bound and not on_bound) if strictly else float(value <= bound or on_bound)
    return t_cdf((bound - value) / spread, df)


# --- Student's t ------------------------------------------------------------------


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with df degrees of freedom."""
    # The tail is half the regularised incomplete beta at df / (df + t²);
    # 1 - x is passed as computed, since near t = 0 x itself rounds to 1.
    square = t * t
    if math.isinf(square):
        return float(t > 0)
    tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + square), square / (df + square))
    return 1 - tail if t > 0 else tail


@lru_cache(maxsize=64)
def t_quantile(p: float, df: float) -> float:
    """The t with P(T <= t) = p, by bisection on t_cdf (p in (0, 1))."""
    if p < 0.5:
        return -t_quantile(1 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        low, high = high, high * 2
    for _ in range(200):  # each step halves the bracket: far below a float's precision long before
        middle = (low + high) / 2
        if middle in (low, high):
            break
        low, high = (middle, high) if t_cdf(middle, df) < p else (low, middle)
    return (low + high) / 2


def incomplete_beta(a: float, b: float, x: float, y: float | None = None) -> float:
    """The regularised incomplete beta function I_x(a, b), x in [0, 1] (Numerical Recipes' betai).

    `y` is 1 - x when the caller knows it more precisely than 1 - x computes.
    """
    y = 1 - x if y is None else y
    if x <= 0:
        return 0.0
    if y <= 0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(y))
    # The continued fraction converges fast for x below the mean; above it, use the symmetry.
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, y) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta, by the modified Lentz method (NR's betacf)."""
    tiny, precision = 1e-300, 1e-16
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 1000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            fraction *= d * c
        if abs(d * c - 1) < precision:
            break
    return fraction
