"""Data status (SPEC 12.2): which KPI values are due, delivered or late, as of a date.

Each KPI's report period is its latest period of its frequency (fiscal
month, fiscal quarter, fiscal year) whose due date (the period's end plus
`due_days`) is on or before the as-of date. A KPI is `current` with a value
in that period, `stale` when only a carried-forward value covers it, and
`late` otherwise. Pure functions of the scorecard and the date.
"""

from __future__ import annotations

import calendar as _calendar
import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from bscgen.model import Actual, Kpi, Scorecard
from bscgen.periods import FiscalCalendar, Quarter

CURRENT, STALE, LATE = "current", "stale", "late"
STATE_ORDER = {LATE: 0, STALE: 1, CURRENT: 2}


def as_of_date() -> date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


@dataclass(frozen=True)
class ReportPeriod:
    label: str  # "2026-10", "2026-Q3" or "2026"
    first: date
    last: date
    quarters: tuple[Quarter, ...]  # the fiscal quarters it overlaps


@dataclass(frozen=True)
class KpiStatus:
    kpi: Kpi
    owner: str
    period: ReportPeriod
    due: date
    state: str
    last_value_date: date | None

    def record(self) -> dict:
        return {
            "id": self.kpi.id, "owner": self.owner, "frequency": self.kpi.frequency,
            "report_period": self.period.label, "due": self.due.isoformat(), "state": self.state,
            "last_value_date": self.last_value_date.isoformat() if self.last_value_date else None,
        }


@dataclass(frozen=True)
class OwnerStatus:
    owner: str
    kpis: tuple[KpiStatus, ...]  # late first

    def count(self, state: str) -> int:
        return sum(k.state == state for k in self.kpis)


def _month(year: int, month: int) -> ReportPeriod:
    last = date(year, month, _calendar.monthrange(year, month)[1])
    return ReportPeriod(f"{year}-{month:02d}", date(year, month, 1), last, ())


def _periods(frequency: str, as_of: date, calendar: FiscalCalendar):
    """Every period of a frequency ending on or before the as-of date, latest first."""
    if frequency == "monthly":
        year, month = as_of.year, as_of.month
        while True:
            period = _month(year, month)
            yield ReportPeriod(period.label, period.first, period.last, (calendar.quarter_of(period.last),))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    elif frequency == "quarterly":
        quarter = calendar.quarter_of(as_of)
        while True:
            first = calendar.last_day(quarter.previous) + timedelta(days=1)
            yield ReportPeriod(str(quarter), first, calendar.last_day(quarter), (quarter,))
            quarter = quarter.previous
    else:
        year = calendar.quarter_of(as_of).fiscal_year
        while True:
            quarters = tuple(Quarter(year, n) for n in range(1, 5))
            first = calendar.last_day(Quarter(year - 1, 4)) + timedelta(days=1)
            yield ReportPeriod(str(year), first, calendar.last_day(quarters[-1]), quarters)
            year -= 1


def report_period(frequency: str, due_days: int, as_of: date, calendar: FiscalCalendar) -> ReportPeriod:
    """The latest period whose values are due on or before the as-of date."""
    for period in _periods(frequency, as_of, calendar):
        if period.last + timedelta(days=due_days) <= as_of:
            return period
    raise AssertionError("unreachable: periods run back without end")


def kpi_status(kpi: Kpi, owner: str, actuals: list[Actual], due_days: int, as_of: date,
               calendar: FiscalCalendar) -> KpiStatus:
    period = report_period(kpi.frequency, due_days, as_of, calendar)
    if any(period.first <= a.day <= period.last for a in actuals):
        state = CURRENT
    else:
        # carried forward: a value from up to carry_forward quarters before the period's last quarter
        last = period.quarters[-1].index
        state = STALE if any(0 < last - a.quarter.index <= kpi.carry_forward for a in actuals) else LATE
    days = [a.day for a in actuals if a.day <= as_of]
    return KpiStatus(kpi, owner, period, period.last + timedelta(days=due_days), state, max(days, default=None))


def data_status(scorecard: Scorecard, as_of: date) -> tuple[OwnerStatus, ...]:
    """Every KPI's status, grouped by owner: owners with the most late KPIs first."""
    owners_of = {o.id: o.owner for o in scorecard.objectives}
    actuals: dict[str, list[Actual]] = defaultdict(list)
    for actual in scorecard.actuals:
        actuals[actual.kpi].append(actual)
    config = scorecard.config
    by_owner: dict[str, list[KpiStatus]] = defaultdict(list)
    for kpi in scorecard.kpis:
        owner = kpi.owner or owners_of.get(kpi.objective) or "No owner"
        due_days = config.due_days if kpi.due_days is None else kpi.due_days
        by_owner[owner].append(kpi_status(kpi, owner, actuals[kpi.id], due_days, as_of, config.calendar))
    groups = [
        OwnerStatus(owner, tuple(sorted(kpis, key=lambda k: (STATE_ORDER[k.state], k.kpi.id))))
        for owner, kpis in by_owner.items()
    ]
    return tuple(sorted(groups, key=lambda g: (-g.count(LATE), -g.count(STALE), g.owner)))


def summary_line(groups: tuple[OwnerStatus, ...]) -> str:
    """E.g. "5 KPIs late, 2 owners" or "every KPI's data is in"."""
    late = sum(g.count(LATE) for g in groups)
    owners = sum(1 for g in groups if g.count(LATE))
    if not late:
        return "every KPI's data is in"
    return f"{late} KPI{'s' if late != 1 else ''} late, {owners} owner{'s' if owners != 1 else ''}"
