"""The scoring formulas (SPEC section 6) as pure functions.

Scores are computed in full precision; rounding is only for display.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Iterable, Sequence

from bscgen.model import Bands, Bound, Status


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def linear_score(actual: float, target: float, baseline: float, cap: float) -> float:
    """Up and down KPIs: 0 at the baseline, 100 at the target, clamped to [0, cap].

    One formula serves both directions: for a down KPI the target is below
    the baseline, so the sign works out.
    """
    return clamp(100 * (actual - baseline) / (target - baseline), 0, cap)


def range_score(actual: float, target: tuple[float, float], baseline: tuple[float, float]) -> float:
    """Range KPIs: 100 inside [low, high], falling to 0 at low0 and high0."""
    (low, high), (low0, high0) = target, baseline
    if actual < low:
        return clamp(100 * (actual - low0) / (low - low0), 0, 100)
    if actual > high:
        return clamp(100 * (high0 - actual) / (high0 - high), 0, 100)
    return 100.0


def value_at_score(score: float, direction: str, target: Bound, baseline: Bound) -> Bound:
    """The inverse of kpi_score: the actual that scores `score` (0 to 100).

    For a range KPI, the two actuals scoring it: one below the range, one above.
    """
    if direction == "range":
        (low, high), (low0, high0) = target, baseline
        return (low0 + score / 100 * (low - low0), high0 - score / 100 * (high0 - high))
    return baseline + score / 100 * (target - baseline)


def kpi_score(actual: float | None, direction: str, target: Bound, baseline: Bound, cap: float) -> float | None:
    if actual is None:
        return None
    if direction == "range":
        return range_score(actual, target, baseline)
    return linear_score(actual, target, baseline, cap)


def status_of(score: float | None, bands: Bands) -> Status:
    if score is None:
        return Status.NONE
    if score >= bands.green:
        return Status.GREEN
    if score >= bands.amber:
        return Status.AMBER
    return Status.RED


def roll_up(weighted_scores: Iterable[tuple[float | None, float]]) -> float | None:
    """Weighted mean of the scores that exist; None if none exist or their weights sum to 0."""
    present = [(score, weight) for score, weight in weighted_scores if score is not None]
    largest = max((weight for _, weight in present), default=0)
    if largest == 0:
        return None
    # Weights are scaled to at most 1 first, so tiny or huge weights neither
    # underflow nor overflow.
    scaled = [(score, weight / largest) for score, weight in present]
    return math.fsum(score * weight for score, weight in scaled) / math.fsum(weight for _, weight in scaled)


def combine(values: Sequence[tuple[date, float]], aggregate: str, counts: Sequence[int] | None = None) -> float:
    """Several values of one KPI in one quarter -> the quarter's value.

    `values` is in any order; for `last` the latest date wins (the loader
    refuses two values on one date for such KPIs). `counts` says how many rows
    each value already combines (the bulk reader's partial results), so a mean
    weighs each by its rows.
    """
    numbers = [value for _, value in values]
    counts = counts or [1] * len(numbers)
    # fsum is exactly rounded, so the result does not depend on row order.
    if aggregate == "sum":
        return math.fsum(numbers)
    if aggregate == "mean":
        if all(count == 1 for count in counts):
            return math.fsum(numbers) / len(numbers)
        return math.fsum(value * count for value, count in zip(numbers, counts)) / sum(counts)
    if aggregate == "min":
        return min(numbers)
    if aggregate == "max":
        return max(numbers)
    return max(values, key=lambda pair: pair[0])[1]


NOTES_SHOWN = 3


def summarise_notes(notes: list[str | None], total: int | None = None) -> str | None:
    """The notes of combined rows, each once: a raw export's thousand notes
    would swamp the page, so the first few are shown and the rest counted.
    `total`: how many distinct notes there are, when `notes` holds only the first."""
    distinct = list(dict.fromkeys(note for note in notes if note))
    shown = "; ".join(distinct[:NOTES_SHOWN])
    more = (len(distinct) if total is None else total) - NOTES_SHOWN
    return f"{shown}; and {more} more note{'s' if more > 1 else ''}" if more > 0 else shown or None
