"""Before and after an event (SPEC 20): the mean of a KPI's quarterly actuals over
up to 4 quarters before the event against up to 4 quarters after it, as of a
quarter. A comparison of two averages, not a measured effect (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from math import fsum

from bscgen.periods import Quarter

WINDOW = 4  # quarters on each side
MINIMUM = 2  # fewer quarters with a value on a side: "not enough data"


@dataclass(frozen=True)
class BeforeAfter:
    before: tuple[Quarter, ...]  # the quarters with a value that were averaged, oldest first
    after: tuple[Quarter, ...]
    before_mean: float | None  # None: not enough data on that side
    after_mean: float | None

    @property
    def enough(self) -> bool:
        return self.before_mean is not None and self.after_mean is not None

    @property
    def difference(self) -> float | None:
        return self.after_mean - self.before_mean if self.enough else None


def before_after(first: Quarter, last: Quarter, as_of: Quarter, values: dict[Quarter, float]) -> BeforeAfter:
    """`first`..`last`: the event's quarters (the same one for a day); `values`: the
    KPI's own quarterly actuals (carried-forward values would count one actual twice).
    Only quarters up to `as_of` count, so a quarter's copy never sees later data."""
    before = tuple(q for q in (first.shift(-n) for n in range(WINDOW, 0, -1)) if q in values and q <= as_of)
    after = tuple(q for q in (last.shift(n) for n in range(1, WINDOW + 1)) if q in values and q <= as_of)
    return BeforeAfter(before, after, _mean(before, values), _mean(after, values))


def _mean(quarters: tuple[Quarter, ...], values: dict[Quarter, float]) -> float | None:
    return fsum(values[q] for q in quarters) / len(quarters) if len(quarters) >= MINIMUM else None
