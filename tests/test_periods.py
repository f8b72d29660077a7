from datetime import date

import pytest

from bscgen.periods import FiscalCalendar, PeriodError, Quarter, quarter_range


def test_quarter_parse_and_format():
    quarter = Quarter.parse("2026-Q3")
    assert quarter == Quarter(2026, 3)
    assert str(quarter) == "2026-Q3"
    assert quarter.title == "2026 Q3"


@pytest.mark.parametrize("text", ["2026-Q5", "2026-Q0", "2026Q3", "Q3 2026", "2026-q3x", ""])
def test_quarter_parse_rejects(text):
    with pytest.raises(PeriodError):
        Quarter.parse(text)


def test_shift_crosses_years():
    assert Quarter(2026, 1).previous == Quarter(2025, 4)
    assert Quarter(2025, 4).shift(1) == Quarter(2026, 1)
    assert Quarter(2026, 2).shift(-6) == Quarter(2024, 4)


def test_quarter_range_has_no_gaps():
    assert [str(q) for q in quarter_range(Quarter(2025, 3), Quarter(2026, 2))] == [
        "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2",
    ]
    assert quarter_range(Quarter(2026, 2), Quarter(2026, 1)) == []


def test_calendar_year():
    calendar = FiscalCalendar(1, "end")
    expected = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert [calendar.quarter_of(date(2026, m, 1)) for m in range(1, 13)] == [Quarter(2026, q) for q in expected]
    assert FiscalCalendar(1, "start").quarter_of(date(2026, 5, 1)) == Quarter(2026, 2)


def test_spec_example_april_start():
    end, start = FiscalCalendar(4, "end"), FiscalCalendar(4, "start")
    assert end.quarter_of(date(2026, 4, 1)) == Quarter(2027, 1)
    assert end.quarter_of(date(2026, 3, 31)) == Quarter(2026, 4)
    assert start.quarter_of(date(2026, 4, 1)) == Quarter(2026, 1)
    assert start.quarter_of(date(2026, 3, 31)) == Quarter(2025, 4)


# Every month of calendar 2026 for fiscal years starting in April and October.
@pytest.mark.parametrize(
    "start, named_by, expected",
    [
        (4, "end", ["2026-Q4"] * 3 + ["2027-Q1"] * 3 + ["2027-Q2"] * 3 + ["2027-Q3"] * 3),
        (4, "start", ["2025-Q4"] * 3 + ["2026-Q1"] * 3 + ["2026-Q2"] * 3 + ["2026-Q3"] * 3),
        (10, "end", ["2026-Q2"] * 3 + ["2026-Q3"] * 3 + ["2026-Q4"] * 3 + ["2027-Q1"] * 3),
        (10, "start", ["2025-Q2"] * 3 + ["2025-Q3"] * 3 + ["2025-Q4"] * 3 + ["2026-Q1"] * 3),
    ],
)
def test_every_month(start, named_by, expected):
    calendar = FiscalCalendar(start, named_by)
    assert [str(calendar.quarter_of(date(2026, month, 15))) for month in range(1, 13)] == expected


@pytest.mark.parametrize("start", range(1, 13))
@pytest.mark.parametrize("named_by", ["end", "start"])
def test_last_day_is_inverse_of_quarter_of(start, named_by):
    calendar = FiscalCalendar(start, named_by)
    for month in range(1, 13):
        day = date(2026, month, 10)
        quarter = calendar.quarter_of(day)
        last = calendar.last_day(quarter)
        assert calendar.quarter_of(last) == quarter
        assert last >= day
        # the day after the last day starts the next quarter
        next_day = date.fromordinal(last.toordinal() + 1)
        assert calendar.quarter_of(next_day) == quarter.shift(1)


def test_parse_period_kinds():
    calendar = FiscalCalendar(4, "end")
    assert calendar.parse_period("2027-Q1") == (Quarter(2027, 1), date(2026, 6, 30))
    assert calendar.parse_period("2026-02") == (Quarter(2026, 4), date(2026, 2, 28))
    assert calendar.parse_period("2026-04-15") == (Quarter(2027, 1), date(2026, 4, 15))
    assert calendar.parse_period(" 2024-02 ") == (Quarter(2024, 4), date(2024, 2, 29))


@pytest.mark.parametrize("text", ["2026-Q5", "2026-13", "2026-00", "2026-02-30", "2026/07", "July 2026", "n/a"])
def test_parse_period_rejects(text):
    with pytest.raises(PeriodError):
        FiscalCalendar().parse_period(text)
