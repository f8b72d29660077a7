"""The fiscal calendar: quarters, and how months and dates map onto them.

A `Quarter` always names a *fiscal* quarter. Which calendar months it covers
depends on the `FiscalCalendar` (the month the fiscal year starts in, and
whether a fiscal year is named by the calendar year it starts or ends in).
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass
from datetime import date

QUARTER_RE = re.compile(r"^(\d{4})-Q(\d+)$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class PeriodError(ValueError):
    """A period string that is not a valid quarter, month or date."""


FIRST_YEAR, LAST_YEAR = 1900, 2999  # anything outside is a typo, not a scorecard period


def _check_year(text: str, year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f'"{text}" has the year {year}; write a year between {FIRST_YEAR} and {LAST_YEAR}')


def fiscal_year(text: str) -> int:
    """A fiscal year written as digits, e.g. "2026"."""
    year = int(text)
    _check_year(text, year)
    return year


@dataclass(frozen=True, order=True)
class Quarter:
    fiscal_year: int
    number: int  # 1..4

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = QUARTER_RE.match(text.strip())
        if not match:
            raise PeriodError(f'"{text}" is not a quarter; write it like 2026-Q3')
        number = int(match[2])
        _check_year(text, int(match[1]))
        if not 1 <= number <= 4:
            raise PeriodError(f'"{text}" has no quarter {number}; quarters are Q1 to Q4')
        return cls(int(match[1]), number)

    def __str__(self) -> str:
        return f"{self.fiscal_year}-Q{self.number}"

    @property
    def title(self) -> str:
        return f"{self.fiscal_year} Q{self.number}"

    @property
    def index(self) -> int:
        """Consecutive quarters have consecutive indexes."""
        return self.fiscal_year * 4 + self.number - 1

    @classmethod
    def from_index(cls, index: int) -> Quarter:
        return cls(index // 4, index % 4 + 1)

    def shift(self, quarters: int) -> Quarter:
        return Quarter.from_index(self.index + quarters)

    @property
    def previous(self) -> Quarter:
        return self.shift(-1)


def quarter_range(first: Quarter, last: Quarter) -> list[Quarter]:
    """Every quarter from first to last inclusive, without gaps."""
    return [Quarter.from_index(i) for i in range(first.index, last.index + 1)]


@dataclass(frozen=True)
class FiscalCalendar:
    start_month: int = 1  # month 1-12 in which the fiscal year starts
    named_by: str = "end"  # "end" | "start": which calendar year names the fiscal year

    def _year_offset(self) -> int:
        # A fiscal year starting in January starts and ends in the same year.
        return 1 if self.named_by == "end" and self.start_month > 1 else 0

    def quarter_of(self, day: date) -> Quarter:
        months_into_year = (day.month - self.start_month) % 12
        start_year = day.year if day.month >= self.start_month else day.year - 1
        return Quarter(start_year + self._year_offset(), months_into_year // 3 + 1)

    def last_day(self, quarter: Quarter) -> date:
        """The last calendar day of a fiscal quarter."""
        start_year = quarter.fiscal_year - self._year_offset()
        months = self.start_month - 1 + quarter.number * 3 - 1  # months since January of start_year
        year, month = start_year + months // 12, months % 12 + 1
        return date(year, month, _calendar.monthrange(year, month)[1])

    def parse_period(self, text: str) -> tuple[Quarter, date]:
        """Map a period (quarter, month or date) to its fiscal quarter and the
        date it counts as: a month or quarter counts as its last day."""
        text = text.strip()
        if QUARTER_RE.match(text):
            quarter = Quarter.parse(text)
            return quarter, self.last_day(quarter)
        if match := MONTH_RE.match(text):
            year, month = int(match[1]), int(match[2])
            _check_year(text, year)
            if not 1 <= month <= 12:
                raise PeriodError(f'"{text}" has no month {month}; months are 01 to 12')
            day = date(year, month, _calendar.monthrange(year, month)[1])
            return self.quarter_of(day), day
        if match := DATE_RE.match(text):
            _check_year(text, int(match[1]))
            try:
                day = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                raise PeriodError(f'"{text}" is not a real date') from None
            return self.quarter_of(day), day
        raise PeriodError(
            f'"{text}" is not a period; write a quarter (2026-Q3), a month (2026-07) or a date (2026-07-31)'
        )
